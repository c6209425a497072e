"""Taskwarrior both ways against a real Taskwarrior database (tests/taskwarrior_db.py): every
value is kept, mapped or reported, re-imports follow deletions on both sides, dates are read in
a stated zone, and `zik export -f taskwarrior` is what `task import` reads (issue 20)."""

from __future__ import annotations

import json

import pytest

from tests import taskwarrior_db
from tests.taskwarrior_db import Taskwarrior

NOW = "2031-01-04T09:00:00Z"  # a Saturday, before the script's series start
needs_task = pytest.mark.skipif(not taskwarrior_db.installed(), reason="task is not installed")


@pytest.fixture
def exported(tmp_path, zik_home, monkeypatch):
    """The script's `task export`, written to a file; zik's profile in Berlin, as Taskwarrior."""
    monkeypatch.setenv("ZIK_NOW", NOW)
    path = tmp_path / "tw.json"
    path.write_text(taskwarrior_db.export_text(tmp_path / "tw"), encoding="utf-8")
    return path


def _by_name(zik) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for task in zik("--json", "task", "list", "--status", "all").data:
        found.setdefault(task["taskName"], []).append(task)
    return found


def _kept(task: dict) -> dict:
    """The `Taskwarrior: {…}` line of a task's notes."""
    last = (task.get("description") or "").splitlines()[-1:]
    assert last and last[0].startswith("Taskwarrior: "), task
    return json.loads(last[0].removeprefix("Taskwarrior: "))


def _profile(zik, zone: str = taskwarrior_db.ZONE) -> None:
    assert zik("profile", "set", "timezone", zone).code == 0


def test_every_value_of_a_real_export_is_imported_kept_or_reported(zik, exported, monkeypatch):
    _profile(zik)
    result = zik("--json", "import", str(exported))
    assert result.code == 0, result
    data = result.data
    items = {t["uuid"]: t for t in json.loads(exported.read_text())}
    assert data["timezone"] == taskwarrior_db.ZONE
    assert data["added"] == {"quest": 3, "routine": 3, "task": 15}
    assert data["skipped"] == {"recurring": 1, "deleted": 1}  # Pay rent's monthly series
    assert any("repeats 'monthly'" in note for note in data["notes"])
    assert data["mapped"]["recurring (daily) → routine"] == 1
    assert data["mapped"]["no date → due today"] == 3  # the attic, the venue, mom (someday)
    for name in ("depends", "until", "wait", "scheduled", "estimate"):
        assert data["keptInNotes"][name] == 1, name

    tasks = _by_name(zik)
    milk = tasks["Buy milk"][0]
    assert (milk["dueDate"], milk["priority"], milk["tags"]) == ("2031-01-10", "high", ["errand"])
    assert milk["description"] == "the oat one"  # annotated as it was added: no time of its own
    mom = tasks["Call mom"][0]
    assert mom["priority"] == "medium" and mom["dueDate"] == "2031-01-04"  # someday, U
    assert _kept(mom) == {"due": "99991229T230000Z", "priority": "U"}
    report = tasks["Quarterly report"][0]
    assert report["dueDate"] == "2031-01-12"
    assert _kept(report) == {
        key: items[report["taskId"]][key] for key in ("estimate", "scheduled", "until", "wait")
    }
    assert _kept(tasks["Book the venue"][0])["depends"] == [milk["taskId"]]
    assert tasks["Started thing"][0]["status"] == "in-progress"
    assert tasks["Old chore"][0]["status"] == "completed"
    assert "Changed my mind" not in tasks

    routines = {r["title"]: r for r in zik("--json", "routine", "list").data}
    assert {n: (r["frequency"], r["daysOfWeek"]) for n, r in routines.items()} == {
        "Stretch": ("daily", None),
        "Gym": ("weekly", [1]),  # Monday, the weekday of its due in Berlin
        "Standup": ("weekdays", None),
    }
    stretch = sorted(t["dueDate"] for t in tasks["Stretch"])
    assert stretch == ["2031-01-05", "2031-01-06"]  # the instances are the routine's days
    assert {t["recurrenceRuleId"] for t in tasks["Stretch"]} == {
        routines["Stretch"]["recurrenceRuleId"]
    }
    assert len(tasks["Pay rent"]) == 2 and not tasks["Pay rent"][0]["recurrenceRuleId"]
    # Taskwarrior's own instances are the days zik would make: `today` on one adds none
    before = len(zik("--json", "task", "list", "--status", "all").data)
    monkeypatch.setenv("ZIK_NOW", "2031-01-06T09:00:00Z")  # a Monday: all three are due
    assert zik("today").code == 0
    assert len(zik("--json", "task", "list", "--status", "all").data) == before


def test_dates_are_read_in_the_profiles_zone_or_the_one_given_and_it_is_said(zik, exported):
    _profile(zik, "UTC")
    first = zik("--json", "import", str(exported))
    assert first.data["timezone"] == "UTC"
    assert any("at 23:00 in UTC, not midnight" in note for note in first.data["notes"])
    assert _by_name(zik)["Buy milk"][0]["dueDate"] == "2031-01-09"  # Berlin's midnight, in UTC
    assert zik("undo").code == 0

    # undone: it stays deleted, so read it into a fresh home with the zone Taskwarrior had
    human = zik("import", "--tz", taskwarrior_db.ZONE, str(exported))
    assert "Dates read in Europe/Berlin" in human.err


def test_the_zone_given_puts_date_only_dues_on_their_day(zik, exported):
    _profile(zik, "UTC")
    result = zik("--json", "import", "--tz", taskwarrior_db.ZONE, str(exported))
    assert result.data["timezone"] == taskwarrior_db.ZONE
    assert not any("not midnight" in note for note in result.data["notes"])
    assert _by_name(zik)["Buy milk"][0]["dueDate"] == "2031-01-10"
    bad = zik("import", "--tz", "Mars/Olympus", str(exported))
    assert bad.code == 2 and "unknown timezone 'Mars/Olympus'" in bad.err


def _edit(path, tw_root, *commands: list[str]) -> None:
    """Change the Taskwarrior data as a person would, and export it again."""
    if taskwarrior_db.installed():
        tw = Taskwarrior(tw_root)
        for command in commands:
            tw.run(*command)
        path.write_text(json.dumps(tw.export()), encoding="utf-8")
        return
    items = json.loads(path.read_text())  # what those commands write, on a machine without task
    for verb, word in ((c[-1], c[0].strip("/")) for c in commands):
        for item in items:
            if item["description"] == word and item["status"] == "pending":
                item.update(status={"delete": "deleted", "done": "completed"}[verb])
                item.update(end="20310104T100000Z", modified="20310104T100000Z")
    path.write_text(json.dumps(items), encoding="utf-8")


def test_deletions_and_completions_in_taskwarrior_reach_zik_on_the_next_import(
    zik, exported, tmp_path
):
    _profile(zik)
    assert zik("import", str(exported)).code == 0
    _edit(exported, tmp_path / "tw", ["/Sort the attic/", "delete"], ["/Buy milk/", "done"])
    again = zik("--json", "import", str(exported))
    assert again.data["deleted"] == {"task": 1}, again.data
    assert again.data["updated"] == {"task": 1}
    tasks = _by_name(zik)
    assert "Sort the attic" not in tasks
    assert tasks["Buy milk"][0]["status"] == "completed"
    human = zik("import", str(exported))
    assert "Nothing new" in human.err


def test_what_zik_deleted_stays_deleted_when_the_same_export_is_imported_again(
    zik, exported, monkeypatch
):
    _profile(zik)
    assert zik("import", str(exported)).code == 0
    assert zik("undo").code == 0
    monkeypatch.setenv("ZIK_NOW", "2031-01-05T09:00:00Z")  # the next day
    again = zik("--json", "import", str(exported))
    assert again.data["added"] == again.data["updated"] == {}, again.data  # none come back
    assert zik("--json", "quest", "list", "--status", "all").data == []
    assert zik("--json", "task", "list", "--status", "all").data == []


def test_a_quest_removed_here_stays_removed_with_its_tasks(zik, exported, monkeypatch):
    _profile(zik)
    assert zik("import", str(exported)).code == 0
    home = next(q for q in zik("--json", "quest", "list").data if q["goalName"] == "Home")
    assert zik("quest", "rm", home["goalId"][:8]).code == 0
    monkeypatch.setenv("ZIK_NOW", "2031-01-05T09:00:00Z")  # the next day
    again = zik("--json", "import", str(exported))
    assert again.data["added"] == again.data["updated"] == {}, again.data
    assert "Home" not in {
        q["goalName"] for q in zik("--json", "quest", "list", "--status", "all").data
    }
    # a task added to the project in Taskwarrior since brings the quest back, with it alone
    items = json.loads(exported.read_text())
    items.append({**items[0], "uuid": "0badc0de-0000-4000-8000-000000000001",
                  "description": "New in Taskwarrior", "modified": "20310104T100000Z"})  # fmt: skip
    items[0]["annotations"] = []
    exported.write_text(json.dumps(items), encoding="utf-8")
    back = zik("--json", "import", str(exported))
    assert back.data["added"] == {"quest": 0, "task": 1} or back.data["added"]["task"] == 1
    home_tasks = [t for t in zik("--json", "task", "list").data if t["goalId"] == home["goalId"]]
    assert [t["taskName"] for t in home_tasks] == ["New in Taskwarrior"]


def _comparable(item: dict) -> dict:
    """A Taskwarrior task without what Taskwarrior computes or zik adds of its own."""
    return {k: v for k, v in item.items() if k not in ("id", "urgency") and not k.startswith("zik")}


def test_taskwarrior_to_zik_to_taskwarrior_keeps_what_zik_can_hold(zik, exported, tmp_path):
    _profile(zik)
    assert zik("import", str(exported)).code == 0
    out = zik("export", "-f", "taskwarrior")
    assert out.code == 0, out
    text = out.out
    if taskwarrior_db.installed():  # through Taskwarrior itself
        tw = Taskwarrior(tmp_path / "tw-back")
        tw.load(text)
        back = tw.export()
    else:
        back = json.loads(text)
    original = {t["uuid"]: _comparable(t) for t in json.loads(exported.read_text())}
    returned = {t["uuid"]: _comparable(t) for t in back}
    monthly = {u for u, t in original.items() if t.get("recur") == "monthly"}
    gone = {u for u, t in original.items() if t["status"] == "deleted"}
    assert set(returned) == set(original) - gone - {
        u for u in monthly if original[u]["status"] == "recurring"
    }
    for uuid, item in returned.items():
        want = original[uuid]
        if uuid in monthly:  # its series is not here: one-off tasks
            want = {k: v for k, v in want.items() if k not in ("parent", "imask", "recur", "rtype")}
        assert item == want, uuid


@needs_task
def test_zik_to_taskwarrior_to_zik_changes_nothing_both_can_hold(zik, zik_home, tmp_path):
    from tests.cli.helpers import make_world

    world = make_world(zik)
    zik(
        "task",
        "add",
        "Call the plumber",
        "--priority",
        "high",
        "--tag",
        "home",
        "--due",
        "2026-11-27",
    )
    zik("task", "add", "Read", "--description", "chapter 3\nthen 4", "--estimate", "20")
    zik("routine", "add", "Walk", "--every", "daily")
    zik("routine", "add", "Rest", "--every", "weekends")
    zik("task", "done", world.t)
    zik("today")
    before = {t["taskId"]: t for t in zik("--json", "task", "list", "--status", "all").data}
    routines = {r["recurrenceRuleId"]: r for r in zik("--json", "routine", "list").data}

    text = zik("export", "-f", "taskwarrior").out
    tw = Taskwarrior(tmp_path / "tw")
    said = tw.load(text)
    assert "add" in said
    path = tmp_path / "back.json"
    path.write_text(tw.run("rc.recurrence=off", "rc.json.array=on", "export"))
    again = zik("--json", "import", str(path))
    assert again.code == 0, again
    assert again.data["added"] == {}, again.data  # every record came back as itself

    def same(task: dict) -> dict:
        fields = ("taskName", "dueDate", "status", "priority", "tags", "description")
        more = ("goalId", "milestoneId", "recurrenceRuleId", "estimatedMinutes")
        return {k: task.get(k) for k in fields + more}

    after = {t["taskId"]: t for t in zik("--json", "task", "list", "--status", "all").data}
    assert set(before) <= set(after)
    for task_id, task in before.items():
        assert same(after[task_id]) == same(task), task_id
    for routine in zik("--json", "routine", "list").data:
        mine = routines[routine["recurrenceRuleId"]]
        keys = ("title", "frequency", "daysOfWeek", "goalId", "priority")
        assert {k: routine[k] for k in keys} == {k: mine[k] for k in keys}


def test_a_hand_edited_taskwarrior_line_never_overrides_what_zik_writes(zik, tmp_path):
    notes = 'Taskwarrior: {"tags": 5, "uuid": [], "status": "x", "priority": {}, "due": 7, "k": 1}'
    added = zik("--json", "task", "add", "Odd notes", "--description", notes, "--tag", "home")
    out = zik("export", "-f", "taskwarrior")
    assert out.code == 0, out
    (task,) = json.loads(out.out)
    assert task["uuid"] == added.data["taskId"]
    assert (task["status"], task["tags"], task["k"]) == ("pending", ["home"], 1)
    assert "priority" not in task and task["due"].endswith("T000000Z")
    if taskwarrior_db.installed():
        tw = Taskwarrior(tmp_path / "tw")
        tw.load(out.out)
        assert [t["description"] for t in tw.export()] == ["Odd notes"]
