"""`zik quest new` with step progress, and `zik daily`: once per day, concurrently, dry run, kill -9."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.cli.helpers import assert_json_document, dump
from tests.cli.test_ai_commands import MODEL, TASKS, TITLES, script_plan
from tests.killpoints import (
    ai_calls,
    assert_one_set_per_milestone,
    assert_planned_once,
    integrity,
    jobs,
    milestones,
    quest_ids,
    rows,
    run_killed,
    tasks,
)

DAY1, DAY2, DAY3, DAY4 = "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"
NEW = ("quest", "new", "Run a half marathon", "--target", "+16w")


def lines_in_order(text: str, *wanted: str) -> None:
    """Each wanted text starts a line of `text`, in this order."""
    lines = [x.strip() for x in text.splitlines()]
    at = -1
    for item in wanted:
        later = [n for n, line in enumerate(lines) if n > at and line.startswith(item)]
        assert later, (item, text)
        at = later[0]


def hand_made(zik, name: str, *days: int) -> tuple[str, list[str]]:
    """A quest with milestones added by hand (the first active); returns ids."""
    goal_id = zik("quest", "new", name, "--no-plan").out.strip()
    added = []
    for n, d in enumerate(days, start=1):
        result = zik(
            "milestone", "add", goal_id[:8], f"{name} part {n}", "--days", str(d), "--json"
        )
        assert result.code == 0, result
        added.append(result.data["milestoneId"])
    return goal_id, added


def routine(zik, title: str = "Stretch") -> str:
    result = zik("routine", "add", title, "--every", "daily", "--json")
    assert result.code == 0, result
    return result.data["recurrenceRuleId"]


def daily(zik, *args: str) -> dict:
    result = zik("daily", *args, "--json")
    assert result.code == 0, result
    return result.data


def done(zik, made: list[dict]) -> None:
    result = zik("task", "done", *[t["task_id"] for t in made])
    assert result.code == 0, result


def status_of(home: Path, milestone_id: str) -> str:
    [row] = rows(home, "SELECT status FROM milestones WHERE milestone_id = ?", milestone_id)
    return row["status"]


# --- quest new: step progress, then the roadmap and today's tasks ---------------------------------


def test_quest_new_on_bedrock_shows_each_step_then_the_plan(zik, fake_bedrock, zik_home):
    script_plan(fake_bedrock)
    result = zik(*NEW)
    assert result.code == 0, result
    [goal_id] = quest_ids(zik_home)
    assert result.out == goal_id + "\n"  # piped: stdout holds just the id
    lines_in_order(
        result.err,
        "Checking the AI setup…",
        f"✓ Created quest {goal_id[:8]}: Run a half marathon",
        f"Planning the roadmap with bedrock ({MODEL})…",
        f"Planning today's tasks for “{TITLES[0]}”…",
        f"Planned by bedrock ({MODEL})",
        "Roadmap  3 milestones · 112 days",
        f"1  ▶  {TITLES[0]}",
        f"2  ·  {TITLES[1]}",
        f"3  ·  {TITLES[2]}",
        "Today",
    )
    today = result.err[result.err.index("Today") :]
    assert TASKS[0] in today and TASKS[1] in today
    assert_planned_once(zik_home, goal_id, DAY1)


def test_quest_new_offline_in_a_process_shows_each_step_then_the_plan(zik_process, zik_home):
    result = zik_process(*NEW)
    assert result.code == 0, result
    [goal_id] = quest_ids(zik_home)
    assert result.out == goal_id + "\n"
    found = milestones(zik_home, goal_id)
    lines_in_order(
        result.err,
        "Checking the AI setup…",
        "✓ Created quest",
        "Planning the roadmap with offline (zik-offline-1)…",
        f"Planning today's tasks for “{found[0]['title']}”…",
        "Planned by offline (zik-offline-1): no AWS credentials found",
        f"Roadmap  {len(found)} milestones · 112 days",
        f"1  ▶  {found[0]['title']}",
        f"{len(found)}  ·  {found[-1]['title']}",
        "Today",
    )
    assert "Traceback" not in result.err
    today = result.err[result.err.index("Today") :]
    made = assert_planned_once(zik_home, goal_id, DAY1)
    for task in tasks(zik_home, due=DAY1):
        assert task["task_id"][:8] in today
    assert len(made) == len(found)


def test_quest_new_json_has_the_roadmap_and_todays_tasks(zik, zik_home):
    data = assert_json_document(zik(*NEW, "--json"))
    assert 3 <= len(data["milestones"]) <= 7
    assert data["roadmapStatus"] == "ready" and data["job"]["state"] == "done"
    assert data["tasks"] and {t["dueDate"] for t in data["tasks"]} == {DAY1}
    assert {t["milestoneId"] for t in data["tasks"]} == {data["milestones"][0]["milestoneId"]}


# --- quest new --no-wait --------------------------------------------------------------------------


def test_quest_new_no_wait_queues_and_the_next_daily_plans_it(zik, zik_home):
    queued = zik(*NEW, "--no-wait", "--json")
    data = assert_json_document(queued)
    goal_id = data["goalId"]
    assert data["roadmapStatus"] == "generating"
    assert data["milestones"] == [] and data["tasks"] == []
    assert (data["job"]["state"], data["job"]["step"]) == ("queued", "plan")
    assert ai_calls(zik_home) == []  # nothing asked yet
    shown = zik("quest", "show", goal_id[:8], "--json").data
    assert shown["roadmapStatus"] == "generating" and shown["milestones"] == []

    preview = daily(zik, "--dry-run")
    assert preview["jobsDue"] == 1 and ai_calls(zik_home) == []

    report = daily(zik)
    [ran] = report["jobs"]
    assert ran["goalId"] == goal_id and ran["job"]["state"] == "done"
    [planned] = report["milestones"]
    assert planned["reason"] == "already has tasks that day"
    assert_planned_once(zik_home, goal_id, DAY1)
    assert daily(zik)["jobs"] == []


def test_quest_new_no_wait_human_output_says_it_is_queued(zik):
    result = zik(*NEW, "--no-wait")
    assert result.code == 0, result
    assert "Planning queued: zik daily (or the scheduler) plans it" in result.err
    assert "Planning the roadmap" not in result.err
    human = zik("daily")
    assert human.code == 0, human
    ref = result.out.strip()[:8]
    assert f"⟳ roadmap of quest {ref} planned" in human.out
    assert "task(s) made" in human.err and "0 task(s) made" not in human.err


# --- zik daily: once per day ----------------------------------------------------------------------


def test_daily_twice_makes_each_task_once(zik, zik_home):
    goal_id, [first, _] = hand_made(zik, "Learn Spanish", 5, 10)
    rule = routine(zik)
    report = daily(zik)
    [planned] = report["milestones"]
    assert (planned["milestoneId"], planned["reason"]) == (first, "planned")
    assert [t["taskName"] for t in report["routineTasks"]] == ["Stretch"]
    made = tasks(zik_home, due=DAY1)
    assert report["tasksMade"] == len(made) == len(planned["tasks"]) + 1

    again = daily(zik)
    [planned] = again["milestones"]
    assert planned["reason"] == "already has tasks that day" and planned["tasks"] == []
    assert again["tasksMade"] == 0 and again["routineTasks"] == []
    assert tasks(zik_home, due=DAY1) == made
    assert [t["recurrence_rule_id"] for t in made].count(rule) == 1

    human = zik("daily")
    assert human.code == 0, human
    assert "Planned Wednesday 25 November 2026 (UTC)" in human.out
    assert "Learn Spanish ▸ Learn Spanish part 1: already has tasks that day" in human.out
    assert "0 task(s) made" in human.err


def test_daily_human_output_lists_the_new_tasks(zik, zik_home):
    hand_made(zik, "Learn Spanish", 5, 10)
    result = zik("daily")
    assert result.code == 0, result
    lines_in_order(
        result.err + result.out,
        "Planning 2026-11-25 for “Learn Spanish part 1”…",
    )
    made = tasks(zik_home, due=DAY1)
    assert f"✓ Learn Spanish ▸ Learn Spanish part 1: {len(made)} task(s)" in result.out
    for task in made:
        assert task["task_id"][:8] in result.out
    assert f"{len(made)} task(s) made" in result.err


BARRIER_CHILD = r"""
import sys
import time
from pathlib import Path

import zik.ai.offline.planner  # everything slow is imported before the gate opens
import zik.core.plan.daily
import zik.core.plan.planning
from zik.cli.main import run

ready, gate = Path(sys.argv[1]), Path(sys.argv[2])
ready.touch()
while not gate.exists():
    time.sleep(0.002)
sys.exit(run(sys.argv[3:]))
"""


def run_together(tmp_path: Path, *commands: list[str]) -> list[subprocess.CompletedProcess]:
    """Start each command in its own process, hold them at a gate, then release them at once."""
    gate = tmp_path / "gate"
    gate.unlink(missing_ok=True)
    procs, ready = [], []
    for n, args in enumerate(commands):
        ready.append(tmp_path / f"ready-{n}")
        ready[-1].unlink(missing_ok=True)
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", BARRIER_CHILD, str(ready[-1]), str(gate), *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=dict(os.environ),
            )
        )
    deadline = time.monotonic() + 30
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.005)
    gate.touch()
    results = []
    for proc, args in zip(procs, commands, strict=True):
        out, err = proc.communicate(timeout=60)
        results.append(subprocess.CompletedProcess(args, proc.returncode, out, err))
    return results


def test_daily_run_concurrently_makes_each_task_once(zik, zik_home, tmp_path, monkeypatch):
    planned = [hand_made(zik, name, 5, 10)[1][0] for name in ("Learn Spanish", "Play guitar")]
    planned.append(hand_made(zik, "Read more", 7)[1][0])
    rules = [routine(zik, "Stretch"), routine(zik, "Meditate")]
    for day in (DAY1, DAY2):
        monkeypatch.setenv("ZIK_NOW", f"{day}T10:00:00Z")
        results = run_together(tmp_path, ["daily", "--json"], ["daily", "--json"])
        for result in results:
            assert result.returncode == 0, result
        reports = [json.loads(r.stdout)["data"] for r in results]
        by_milestone = assert_one_set_per_milestone(zik_home, day)
        assert set(by_milestone) == set(planned)
        new = [t["task_id"] for t in tasks(zik_home, due=day) if t["created_at"][:10] == day]
        # Each task was made, and reported, by exactly one of the two runs.
        assert sum(r["tasksMade"] for r in reports) == len(new)
        reported = [t["taskId"] for r in reports for m in r["milestones"] for t in m["tasks"]]
        reported += [t["taskId"] for r in reports for t in r["routineTasks"]]
        assert Counter(reported) == Counter(new)
        made = tasks(zik_home, due=day)
        assert Counter(t["recurrence_rule_id"] for t in made if t["recurrence_rule_id"]) == Counter(
            rules
        )
        # Each milestone's day was planned by one run; the other found it done or lost the race.
        items = [item for r in reports for item in r["milestones"]]
        assert Counter(i["milestoneId"] for i in items if i["reason"] == "planned") == Counter(
            planned
        )
        assert {i["reason"] for i in items} <= {
            "planned",
            "already has tasks that day",
            "planned elsewhere first",
        }
    assert integrity(zik_home) == "ok"


def test_daily_run_concurrently_resumes_a_queued_job_once(zik, zik_home, tmp_path):
    # Room for both quests' day whichever run plans first (the day's capacity is shared).
    assert zik("init", "--capacity", "600").code == 0
    goal_id = zik(*NEW, "--no-wait").out.strip()
    hand_made(zik, "Learn Spanish", 5, 10)
    results = run_together(tmp_path, ["daily", "--json"], ["daily", "--json"])
    for result in results:  # the run that finds the job leased leaves it to the other
        assert result.returncode == 0, result
    resumed = [j for r in results for j in json.loads(r.stdout)["data"]["jobs"]]
    assert [j["goalId"] for j in resumed] == [goal_id]
    assert_planned_once(zik_home, goal_id, DAY1)
    assert_one_set_per_milestone(zik_home, DAY1)
    assert integrity(zik_home) == "ok"


# --- progression ----------------------------------------------------------------------------------


def test_completing_a_milestones_tasks_over_its_days_advances_the_roadmap(
    zik, zik_home, monkeypatch
):
    goal_id, [basics, talk] = hand_made(zik, "Learn Spanish", 2, 3)
    daily(zik)
    done(zik, tasks(zik_home, due=DAY1))
    assert status_of(zik_home, basics) == "active"  # day 1 of 2: its days are not used

    monkeypatch.setenv("ZIK_NOW", f"{DAY2}T10:00:00Z")
    report = daily(zik)
    assert report["milestonesCompleted"] == [] and report["missedDays"] == []
    [planned] = report["milestones"]
    assert (planned["milestoneId"], planned["reason"]) == (basics, "planned")
    day2 = tasks(zik_home, due=DAY2, milestone_id=basics)
    assert day2
    result = zik("task", "done", *[t["task_id"] for t in day2], "--json")
    assert result.code == 0, result
    assert status_of(zik_home, basics) == "completed"
    assert status_of(zik_home, talk) == "active"

    again = daily(zik)
    [planned] = again["milestones"]
    assert (planned["milestoneId"], planned["reason"]) == (talk, "planned")
    assert planned["tasks"] and again["tasksMade"] == len(planned["tasks"])
    assert {t["dueDate"] for t in planned["tasks"]} == {DAY2}
    assert daily(zik)["tasksMade"] == 0


def test_daily_completes_a_milestone_past_its_days_and_reports_missed_days(
    zik, zik_home, monkeypatch
):
    _, [basics, talk] = hand_made(zik, "Learn Spanish", 2, 3)
    daily(zik)
    done(zik, tasks(zik_home, due=DAY1))
    monkeypatch.setenv("ZIK_NOW", f"{DAY4}T10:00:00Z")
    report = daily(zik)
    assert report["missedDays"] == [DAY2, DAY3]
    assert [m["milestoneId"] for m in report["milestonesCompleted"]] == [basics]
    [planned] = report["milestones"]
    assert (planned["milestoneId"], planned["reason"]) == (talk, "planned")
    assert tasks(zik_home, due=DAY2) == [] and tasks(zik_home, due=DAY3) == []  # not back-filled

    monkeypatch.setenv("ZIK_NOW", f"{DAY4}T11:00:00Z")
    human = zik("daily")  # the same day again: nothing missed, nothing completed
    assert human.code == 0, human
    assert "No run on" not in human.err and "Milestone completed" not in human.err


def test_daily_human_output_reports_missed_days_and_completions(zik, zik_home, monkeypatch):
    hand_made(zik, "Learn Spanish", 2, 3)
    daily(zik)
    done(zik, tasks(zik_home, due=DAY1))
    monkeypatch.setenv("ZIK_NOW", f"{DAY4}T10:00:00Z")
    result = zik("daily")
    assert result.code == 0, result
    text = result.out + result.err
    assert f"No run on {DAY2}, {DAY3}: those days are not back-filled." in text
    assert "Milestone completed: Learn Spanish part 1" in text


def test_missed_ai_tasks_are_not_piled_up_on_the_next_day(zik, zik_home, monkeypatch):
    goal_id, [basics, _] = hand_made(zik, "Learn Spanish", 10, 10)
    daily(zik)
    mine = zik("task", "add", "Buy a dictionary", "--quest", goal_id[:8], "--json").data
    assert mine["milestoneId"] == basics and mine["dueDate"] == DAY1
    monkeypatch.setenv("ZIK_NOW", f"{DAY2}T10:00:00Z")
    report = daily(zik)
    [planned] = report["milestones"]
    assert planned["rescheduled"] or planned["replaced"]
    day1 = tasks(zik_home, due=DAY1, milestone_id=basics)
    left = [t for t in day1 if t["status"] != "completed" and t["skipped_at"] is None]
    assert [t["task_id"] for t in left] == [mine["taskId"]]  # only the person's own task
    # The ones let go stay in history, skipped (issue 15), rather than deleted.
    skipped = {t["task_id"] for t in day1 if t["skipped_at"]}
    assert skipped == set(planned["replaced"])
    day2 = tasks(zik_home, due=DAY2, milestone_id=basics)
    assert len(day2) == len(planned["tasks"]) + len(planned["rescheduled"])
    assert max(Counter(t["task_name"].casefold() for t in day2).values()) == 1


# --- failures during the day's planning -----------------------------------------------------------


def test_a_throttled_milestone_exits_75_and_the_next_run_plans_only_it(
    zik, zik_home, fake_bedrock, monkeypatch
):
    from tests.cli.test_ai_commands import script_day_plan

    monkeypatch.setenv("ZIK_AI_MAX_ATTEMPTS", "1")
    _, [first, _] = hand_made(zik, "Learn Spanish", 5, 10)
    _, [second] = hand_made(zik, "Play guitar", 7)
    rule = routine(zik)
    script_day_plan(fake_bedrock, 20, 10)  # within the first quest's share of the day
    fake_bedrock.error(429, "ThrottlingException")
    result = zik("daily", "--json")
    assert result.code == 75, result
    report = result.data
    reasons = {m["milestoneId"]: m for m in report["milestones"]}
    assert reasons[first]["reason"] == "planned" and len(reasons[first]["tasks"]) == 2
    assert reasons[second]["reason"] == "not planned"
    assert reasons[second]["error"]["code"] == "temporary"
    assert [t["recurrenceRuleId"] for t in report["routineTasks"]] == [rule]

    script_day_plan(fake_bedrock, 45)
    again = daily(zik)
    reasons = {m["milestoneId"]: m for m in again["milestones"]}
    assert reasons[first]["reason"] == "already has tasks that day"
    assert reasons[second]["reason"] == "planned" and len(reasons[second]["tasks"]) == 1
    assert again["tasksMade"] == 1
    assert len(fake_bedrock.requests) == 3
    assert_one_set_per_milestone(zik_home, DAY1)


def test_access_denied_exits_5_asks_once_and_keeps_the_routine_tasks(zik, zik_home, fake_bedrock):
    hand_made(zik, "Learn Spanish", 5, 10)
    hand_made(zik, "Play guitar", 7)
    routine(zik)
    fake_bedrock.always.error(403, "AccessDeniedException")
    result = zik("daily", "--json")
    assert result.code == 5, result
    [item] = result.data["milestones"]  # the same for every milestone: said once
    assert item["error"]["code"] == "access"
    assert len(fake_bedrock.requests) == 1
    assert [t["source"] for t in tasks(zik_home, due=DAY1)] == ["routine"]


# --- dry run --------------------------------------------------------------------------------------


def test_daily_dry_run_changes_nothing_and_calls_no_ai(zik, conn, zik_home, fake_bedrock):
    hand_made(zik, "Learn Spanish", 5, 10)
    routine(zik)
    assert zik(*NEW, "--no-wait").code == 0
    before = dump(conn)

    report = daily(zik, "--dry-run")
    assert report["dryRun"] is True
    assert (report["routineTasksDue"], report["jobsDue"], report["tasksMade"]) == (1, 1, 0)
    assert [m["reason"] for m in report["milestones"]] == ["would be planned"]
    human = zik("daily", "--dry-run")
    assert human.code == 0, human
    assert "Would plan Wednesday 25 November 2026 (UTC)" in human.out
    assert "task(s) made" not in human.err
    assert dump(conn) == before
    assert fake_bedrock.requests == [] and ai_calls(zik_home) == []
    assert [j["state"] for j in jobs(zik_home, quest_ids(zik_home)[-1])] == ["queued"]


# --- kill -9 during zik daily ---------------------------------------------------------------------


@pytest.mark.parametrize("point", ["task-inserted", "day-saved"])
def test_daily_killed_while_saving_a_day_resumes_without_duplicates(
    point, zik, zik_process, zik_home
):
    _, [first, _] = hand_made(zik, "Learn Spanish", 5, 10)
    _, [second] = hand_made(zik, "Play guitar", 7)
    run_killed(point, "daily")
    assert integrity(zik_home) == "ok"
    saved = {t["milestone_id"] for t in tasks(zik_home, due=DAY1)}
    assert len(saved) == (0 if point == "task-inserted" else 1)
    assert rows(zik_home, "SELECT * FROM daily_runs") == []

    result = zik_process("daily", "--json")
    assert result.code == 0, result
    by_milestone = assert_one_set_per_milestone(zik_home, DAY1)
    assert set(by_milestone) == {first, second}
    assert result.data["tasksMade"] == sum(
        len(v) for k, v in by_milestone.items() if k not in saved
    )
    assert [r["date"] for r in rows(zik_home, "SELECT * FROM daily_runs")] == [DAY1]
    assert integrity(zik_home) == "ok"


def test_daily_says_when_a_queued_roadmap_could_not_be_resumed(zik, fake_bedrock, monkeypatch):
    monkeypatch.setenv("ZIK_AI_MAX_ATTEMPTS", "1")
    assert zik(*NEW, "--no-wait").code == 0
    fake_bedrock.always.error(429, "ThrottlingException")
    result = zik("daily")
    assert result.code == 75, result
    assert "resumed" not in result.out
    assert "throttl" in (result.out + result.err).lower()


def test_access_denied_names_every_quest_it_left_unplanned_in_today(zik, fake_bedrock):
    hand_made(zik, "Learn Spanish", 5, 10)
    hand_made(zik, "Play guitar", 7)
    fake_bedrock.always.error(403, "AccessDeniedException")
    assert zik("daily", "--json").code == 5
    failures = zik("today", "--json").data["failures"]
    assert sorted(f["goalName"] for f in failures) == ["Learn Spanish", "Play guitar"]
    assert {f["code"] for f in failures} == {"access"}
