"""`zik routine …`: recurring tasks, and the tasks they put on today."""

from __future__ import annotations

import pytest

from tests.cli.helpers import assert_one_line_error, dump

# The pinned day, 2026-11-25, is a Wednesday.


def today_titles(zik) -> list[str]:
    return [t["taskName"] for g in zik("--json", "today").data["groups"] for t in g["tasks"]]


def test_weekly_without_on_is_a_usage_error(zik, conn):
    before = dump(conn)
    line = assert_one_line_error(zik("routine", "add", "Gym", "--every", "weekly"), 2)
    assert "--on" in line
    assert dump(conn) == before
    assert zik("--json", "routine", "list").data == []


def test_every_is_required(zik):
    line = assert_one_line_error(zik("routine", "add", "Gym"), 2)
    assert "--every" in line


@pytest.mark.parametrize(
    ("every", "on", "days", "shown_on_wednesday"),
    [
        ("daily", None, None, True),
        ("weekdays", None, None, True),
        ("weekends", None, None, False),
        ("weekly", "wed", [3], True),
        ("weekly", "mon,thu", [1, 4], False),
        ("weekly", "Sunday,sat", [0, 6], False),
    ],
)
def test_schedules(zik, every, on, days, shown_on_wednesday):
    args = ["--json", "routine", "add", "Stretch", "--every", every]
    if on:
        args += ["--on", on]
    routine = zik(*args).data
    assert routine["frequency"] == every
    assert routine["daysOfWeek"] == days
    assert today_titles(zik) == (["Stretch"] if shown_on_wednesday else [])


def test_today_makes_one_task_however_often_it_runs(zik):
    rule = zik("--json", "routine", "add", "Stretch", "--every", "daily").data["recurrenceRuleId"]
    for _ in range(3):
        zik("today")
    tasks = zik("--json", "task", "list", "--status", "all").data
    assert len(tasks) == 1
    assert tasks[0]["recurrenceRuleId"] == rule
    assert tasks[0]["source"] == "routine"
    assert "Stretch ↻" in zik("today").out


def test_next_day_gets_its_own_task(zik, monkeypatch):
    zik("routine", "add", "Stretch", "--every", "daily")
    zik("today")
    monkeypatch.setenv("ZIK_NOW", "2026-11-26T10:00:00Z")
    data = zik("--json", "today").data
    assert data["total"] == 1
    assert data["groups"][0]["tasks"][0]["dueDate"] == "2026-11-26"
    # Yesterday's instance lapsed with its day: a routine's task is never overdue (issue 15).
    assert data["overdue"] == []


def test_routine_task_belongs_to_its_quest(zik):
    quest = zik("--json", "quest", "new", "Fitness", "--no-plan").data["goalId"]
    zik(
        "routine",
        "add",
        "Stretch",
        "--every",
        "daily",
        "--quest",
        quest[:8],
        "-p",
        "high",
        "-e",
        "10",
    )
    [group] = zik("--json", "today").data["groups"]
    assert group["quest"]["goalId"] == quest
    [task] = group["tasks"]
    assert (task["priority"], task["estimatedMinutes"], task["goalId"]) == ("high", 10, quest)


def test_pause_resume(zik):
    rule = zik("--json", "routine", "add", "Stretch", "--every", "daily").data["recurrenceRuleId"]
    short = rule.removeprefix("rule_")[:8]
    result = zik("routine", "pause", short)
    assert result.code == 0 and "Paused routine" in result.err
    assert today_titles(zik) == []
    assert zik("--json", "routine", "list").data[0]["status"] == "paused"
    zik("routine", "resume", short)
    assert today_titles(zik) == ["Stretch"]


def test_rm_keeps_the_tasks_it_made(zik):
    rule = zik("--json", "routine", "add", "Stretch", "--every", "daily").data["recurrenceRuleId"]
    zik("today")
    result = zik("routine", "rm", rule.removeprefix("rule_")[:8])
    assert result.code == 0 and "Deleted routine" in result.err
    assert zik("--json", "routine", "list").data == []
    assert today_titles(zik) == ["Stretch"]


def test_deleted_routine_task_stays_deleted(zik):
    zik("routine", "add", "Stretch", "--every", "daily")
    assert zik("--json", "task", "list", "--status", "all").data == []  # nothing until today runs
    zik("today")
    [task] = zik("--json", "task", "list").data
    zik("task", "rm", task["taskId"][:8])
    assert today_titles(zik) == []


def test_list_human(zik):
    zik("routine", "add", "Stretch", "--every", "daily")
    zik("routine", "add", "Gym", "--every", "weekly", "--on", "thu,mon")
    result = zik("routine", "list")
    assert result.code == 0
    lines = result.out.splitlines()
    assert len(lines) == 2
    assert "Stretch" in lines[0] and "daily" in lines[0] and "active" in lines[0]
    assert "Gym" in lines[1] and "weekly on mon,thu" in lines[1]


def test_list_empty(zik):
    result = zik("routine", "list")
    assert result.code == 0 and result.out == ""
    assert "zik routine add" in result.err


def test_add_prints_the_schedule_and_the_id(zik):
    result = zik("routine", "add", "Gym", "--every", "weekly", "--on", "mon,thu")
    assert result.code == 0
    assert "Gym (weekly on mon,thu)" in result.err
    assert result.out.strip().startswith("rule_")
