"""`zik today` and bare `zik`: the day in the profile's timezone, grouped by quest."""

from __future__ import annotations

import pytest

from tests.cli.helpers import assert_json_document


def _add_due(zik, title: str, due: str) -> str:
    return zik("--json", "task", "add", title, "--due", due).data["taskId"]


@pytest.fixture
def three_days(zik):
    """One task due on each of 2026-11-24, 25 and 26 (explicit dates, independent of today)."""
    return {
        day: _add_due(zik, f"Due {day}", day) for day in ("2026-11-24", "2026-11-25", "2026-11-26")
    }


# (timezone, pinned UTC instant, the local date it is there)
ZONES = [
    ("UTC", "2026-11-25T10:00:00Z", "2026-11-25"),
    ("Pacific/Kiritimati", "2026-11-25T10:00:00Z", "2026-11-26"),  # UTC+14: already tomorrow
    ("Pacific/Kiritimati", "2026-11-25T09:59:00Z", "2026-11-25"),  # 23:59 local
    ("America/Adak", "2026-11-25T05:00:00Z", "2026-11-24"),  # UTC-10: still yesterday
    ("America/Adak", "2026-11-25T10:00:00Z", "2026-11-25"),  # midnight local
    ("Asia/Kolkata", "2026-11-25T18:30:00Z", "2026-11-26"),  # UTC+5:30, half-hour zone
]


@pytest.mark.parametrize(("zone", "now", "local_date"), ZONES)
def test_today_is_the_local_date(zik, three_days, monkeypatch, zone, now, local_date):
    assert zik("profile", "set", "timezone", zone).code == 0
    monkeypatch.setenv("ZIK_NOW", now)
    data = assert_json_document(zik("today", "--json"))
    assert data["date"] == local_date
    assert data["timezone"] == zone
    shown = [t["taskId"] for g in data["groups"] for t in g["tasks"]]
    assert shown == [three_days[local_date]]
    assert data["total"] == 1
    overdue = {t["dueDate"] for t in data["overdue"]}
    assert overdue == {day for day in three_days if day < local_date}
    assert data["overdueTotal"] == len(overdue)


def test_init_timezone_sets_the_day(zik, three_days, monkeypatch):
    assert zik("init", "--timezone", "Pacific/Kiritimati").code == 0
    data = zik("--json", "today").data
    assert data["date"] == "2026-11-26"
    assert [t["taskId"] for g in data["groups"] for t in g["tasks"]] == [three_days["2026-11-26"]]


def test_new_tasks_are_due_on_the_local_day(zik, monkeypatch):
    zik("profile", "set", "timezone", "Pacific/Kiritimati")
    task = zik("--json", "task", "add", "Call home").data
    assert task["dueDate"] == "2026-11-26"
    assert (
        zik("--json", "task", "add", "Later", "--due", "tomorrow").data["dueDate"] == "2026-11-27"
    )
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T05:00:00Z")
    zik("profile", "set", "timezone", "America/Adak")
    assert zik("--json", "task", "add", "Early").data["dueDate"] == "2026-11-24"


def test_task_list_due_today_uses_the_local_day(zik, three_days):
    zik("profile", "set", "timezone", "Pacific/Kiritimati")
    listed = zik("--json", "task", "list", "--due", "today").data
    assert [t["taskId"] for t in listed] == [three_days["2026-11-26"]]
    overdue = zik("--json", "task", "list", "--due", "overdue").data
    assert {t["dueDate"] for t in overdue} == {"2026-11-24", "2026-11-25"}


def test_human_heading_shows_the_local_date_and_zone(zik, three_days):
    zik("profile", "set", "timezone", "Pacific/Kiritimati")
    result = zik("today")
    assert result.code == 0
    first = result.out.splitlines()[0]
    assert "Thursday 26 November 2026" in first
    assert "Pacific/Kiritimati" in first
    assert "Due 2026-11-26" in result.out
    assert "Overdue (2)" in result.out


def test_today_date_option(zik, three_days):
    data = zik("--json", "today", "--date", "tomorrow").data
    assert data["date"] == "2026-11-26"
    assert [t["taskId"] for g in data["groups"] for t in g["tasks"]] == [three_days["2026-11-26"]]
    data = zik("--json", "today", "--date", "2026-11-24").data
    assert [t["taskId"] for g in data["groups"] for t in g["tasks"]] == [three_days["2026-11-24"]]


def test_bare_zik_shows_today(zik):
    quest = zik("--json", "quest", "new", "Learn Spanish", "--no-plan").data
    zik("milestone", "add", quest["goalId"][:8], "Basics")
    zik("task", "add", "Learn 20 words", "--quest", quest["goalId"][:8])
    zik("task", "add", "Call the dentist")
    result = zik()
    assert result.code == 0
    assert result.out == zik("today").out
    lines = result.out.splitlines()
    assert lines[0].startswith("Wednesday 25 November 2026")
    assert "0 of 2 done" in lines[0]
    assert "Learn Spanish  ▸ Basics" in result.out
    assert "Other tasks" in result.out
    assert result.out.index("Learn Spanish") < result.out.index("Other tasks")


def test_bare_zik_with_json(zik):
    zik("task", "add", "Call the dentist")
    data = assert_json_document(zik("--json"))
    assert data["date"] == "2026-11-25"
    assert data["total"] == 1


def test_empty_day_suggests_getting_started(zik):
    result = zik()
    assert result.code == 0
    assert "nothing due" in result.out
    assert "zik init" in result.err


def test_completed_count(zik):
    first = zik("--json", "task", "add", "One").data["taskId"]
    zik("task", "add", "Two")
    zik("task", "done", first[:8])
    assert "1 of 2 done" in zik("today").out
    data = zik("--json", "today").data
    assert (data["completed"], data["total"]) == (1, 2)
