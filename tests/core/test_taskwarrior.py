"""Importing Taskwarrior's `task export`: fields mapped, projects become quests, idempotent."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tests.cli.helpers import dump
from tests.fakes import taskwarrior as tw
from zik.core import profile, quests
from zik.core.exchange import importing
from zik.models import Quest, Task
from zik.store import records

STATUS = {"pending": "pending", "waiting": "pending", "completed": "completed"}
PRIORITY = {"H": "high", "M": "medium", "L": "low", None: "medium"}


def write(tmp_path, items, name="tasks.json"):
    path = tmp_path / name
    path.write_text(tw.export(items))
    return path


def iso(basic: str) -> str:
    moment = datetime.strptime(basic, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def local_day(basic: str, zone: str) -> str:
    moment = datetime.strptime(basic, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone)).date().isoformat()


def local_time(basic: str, zone: str) -> str:
    moment = datetime.strptime(basic, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M:%S")


def test_a_thousand_tasks_map_field_by_field(conn, tmp_path):
    profile.update(conn, timezone="Pacific/Auckland")
    items = tw.tasks(1000)
    result = importing.import_file(conn, write(tmp_path, items))

    kept = [t for t in items if t["status"] in STATUS]
    deleted = sum(t["status"] == "deleted" for t in items)
    assert result.kind == "taskwarrior"
    assert result.added == {"quest": 4, "routine": 1, "task": len(kept)}
    assert result.skipped == {"deleted": deleted}  # none of them was imported before
    by_name = {q["goal_name"]: q["goal_id"] for q in conn.execute("SELECT * FROM quests")}
    assert set(by_name) == set(tw.PROJECTS)  # Home and Home.Garden stay apart

    for item in kept:
        task = records.get(conn, Task, item["uuid"])
        assert task.task_name == item["description"]
        assert task.goal_id == (by_name[item["project"]] if "project" in item else None)
        assert task.priority == PRIORITY[item.get("priority")]
        assert task.tags == item.get("tags", [])
        assert task.source == "import"
        assert task.created_at == iso(item["entry"]) and task.updated_at == iso(item["modified"])
        expected = STATUS[item["status"]]
        if expected == "pending" and "start" in item:
            expected = "in-progress"
            assert task.started_at == iso(item["start"])
        assert task.status == expected
        if item["status"] == "completed":
            assert task.completed_at == iso(item["end"])
        else:
            assert task.completed_at is None
        due = item.get("due") or item.get("wait") or item.get("end")
        assert task.due_date == (local_day(due, "Pacific/Auckland") if due else "2026-11-25")
        notes = [
            f"[{iso(a['entry'])[:10]} {iso(a['entry'])[11:19]}Z] {a['description']}"
            for a in item.get("annotations", [])
        ]
        kept = {"wait": item["wait"]} if "wait" in item else {}  # zik has no field for it
        if "due" not in item:
            kept["due"] = None  # none is written back
        elif local_time(item["due"], "Pacific/Auckland") != "00:00:00":
            kept["due"] = item["due"]  # a due time: written back as it was
        if kept:
            notes.append("Taskwarrior: " + json.dumps(kept, sort_keys=True))
        assert task.description == ("\n".join(notes) or None)


def test_a_due_time_late_in_utc_lands_on_the_local_day(conn, tmp_path):
    profile.update(conn, timezone="Pacific/Auckland")
    item = {**tw.tasks(1)[0], "status": "pending", "due": "20261125T230000Z"}
    importing.import_file(conn, write(tmp_path, [item]))
    assert records.get(conn, Task, item["uuid"]).due_date == "2026-11-26"


def test_importing_the_same_export_twice_changes_nothing(conn, tmp_path):
    path = write(tmp_path, tw.tasks(200))
    importing.import_file(conn, path)
    before = dump(conn)
    again = importing.import_file(conn, path)
    # the tasks not deleted, and the routine made from the recurring task
    assert again.changed == 0 and again.unchanged == 200 - again.skipped["deleted"] + 1
    assert dump(conn) == before


def test_a_project_joins_the_live_quest_of_that_name(conn, tmp_path):
    mine = quests.create(conn, "work", today=profile.local_today(conn))
    item = {**tw.tasks(1)[0], "status": "pending", "project": "Work"}
    result = importing.import_file(conn, write(tmp_path, [item]))
    assert result.added == {"task": 1}
    assert records.get(conn, Task, item["uuid"]).goal_id == mine.goal_id
    assert conn.execute("SELECT count(*) FROM quests").fetchone()[0] == 1


def test_old_one_object_per_line_exports_and_long_descriptions(conn, tmp_path):
    long = "Write the chapter on " + "very " * 60 + "long sentences"
    first = {**tw.tasks(2)[0], "status": "pending", "description": long}
    second = {**tw.tasks(2)[1], "status": "completed", "end": "20261120T100000Z"}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(first) + ",\n" + json.dumps(second) + "\n")
    result = importing.import_file(conn, path)
    assert result.added["task"] == 2
    task = records.get(conn, Task, first["uuid"])
    assert len(task.task_name) == 200 and task.task_name.endswith("…")
    assert task.description.startswith(long)
    assert records.get(conn, Task, second["uuid"]).status == "completed"
    assert all(
        q.source == "import" for q in map(Quest.from_row, conn.execute("SELECT * FROM quests"))
    )
