"""`zik export`, `zik import`, `zik backup`, `zik restore`: round trips, refusals, idempotence."""

from __future__ import annotations

import json
import sqlite3
import stat

import pytest

from tests.cli.helpers import assert_one_line_error, dump
from tests.fakes import taskwarrior as tw
from tests.store.helpers import database_at
from zik.core import workspace
from zik.models import ChatMessage
from zik.store import chat


@pytest.fixture
def world(zik, conn):
    """A realistic database: profile, a planned quest (offline AI, so AI calls), progress,
    a deleted task, a routine and a chat exchange."""
    assert zik("init", "--name", "Ada", "--timezone", "Europe/Paris").code == 0
    assert zik("quest", "new", "Run a marathon", "--target", "2027-04-01").code == 0
    tasks = zik("--json", "task", "list").data
    assert zik("task", "done", tasks[0]["taskId"][:8]).code == 0
    assert zik("task", "rm", tasks[1]["taskId"][:8]).code == 0
    assert zik("task", "add", 'Buy shoes; size 42, "wide"', "--due", "tomorrow").code == 0
    assert zik("routine", "add", "Stretch", "--every", "weekdays").code == 0
    chat.add(
        conn,
        [
            ChatMessage(
                message_id=f"m{n}",
                timestamp=f"2026-11-25T09:0{n}:00.000Z",
                role=role,
                content=text,
                created_at=f"2026-11-25T09:0{n}:00.000Z",
                updated_at=f"2026-11-25T09:0{n}:00.000Z",
            )
            for n, (role, text) in enumerate(
                [("user", "how should I pace?"), ("assistant", "Easy: you can talk.")]
            )
        ],
    )
    return conn


def fresh_home(tmp_path, monkeypatch, name):
    """Point zik at a new, empty ZIK_HOME."""
    workspace.close()
    monkeypatch.setenv("ZIK_HOME", str(tmp_path / name))


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_export_import_into_an_empty_home_exports_the_same_bytes(
    world, zik, tmp_path, monkeypatch, fmt
):
    first = tmp_path / f"first.{fmt}"
    assert zik("export", "-o", str(first)).code == 0
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    exported = first.read_text()
    assert '"taskName": "Buy shoes; size 42, \\"wide\\""' in exported
    assert '"deletedAt": "2026-11-25T10:00:00.000Z"' in exported  # the tombstone travels
    assert "how should I pace?" in exported and '"purpose": "roadmap"' in exported

    fresh_home(tmp_path, monkeypatch, "other")
    added = zik("--json", "import", str(first)).data
    assert added["format"] == f"zik {fmt}"
    assert added["added"]["task"] >= 4 and added["added"]["chat_message"] == 2
    second = tmp_path / f"second.{fmt}"
    assert zik("export", "-o", str(second)).code == 0
    assert second.read_bytes() == first.read_bytes()

    before = dump(workspace.db())
    again = zik("--json", "import", str(first)).data
    assert again["added"] == {} and again["updated"] == {} and again["unchanged"] > 10
    assert dump(workspace.db()) == before


def test_stdout_export_equals_the_file_and_the_format_follows_the_file_name(world, zik, tmp_path):
    out = zik("export")
    assert out.code == 0 and out.err == ""
    target = tmp_path / "plan.json"
    zik("export", "-o", str(target))
    assert out.out == target.read_text()
    lines = zik("export", "--format", "jsonl").out.splitlines()
    assert json.loads(lines[0]) == {
        "format": "zik",
        "version": 1,
        "zikVersion": json.loads(lines[0])["zikVersion"],
    }
    assert {json.loads(line)["kind"] for line in lines[1:]} >= {"quest", "task", "aiCall"}
    assert zik("--json", "export", "-o", str(tmp_path / "feed.ics")).data["format"] == "ics"
    assert (tmp_path / "feed.ics").read_text().startswith("BEGIN:VCALENDAR")
    assert zik("--json", "export", "-o", str(tmp_path / "plan.md")).data["format"] == "md"


def test_json_export_to_stdout_needs_a_file(world, zik):
    result = zik("--json", "export")
    assert result.code == 2 and result.out == ""
    assert "give -o FILE" in result.error["message"]


def test_an_import_is_one_undo_step(world, zik, tmp_path, monkeypatch):
    saved = tmp_path / "all.json"
    zik("export", "-o", str(saved))
    fresh_home(tmp_path, monkeypatch, "other")
    zik("import", str(saved))
    assert len(zik("--json", "task", "list", "--due", "all", "--status", "all").data) >= 3
    undone = zik("undo")
    assert undone.code == 0, undone
    assert zik("--json", "task", "list", "--due", "all", "--status", "all").data == []
    assert zik("--json", "quest", "list").data == []


def test_an_older_copy_never_overwrites_newer_work(world, zik, tmp_path, monkeypatch):
    saved = tmp_path / "old.json"
    zik("export", "-o", str(saved))
    document = json.loads(saved.read_text())
    at, first = next((n, t) for n, t in enumerate(document["tasks"]) if not t["deletedAt"])
    monkeypatch.setenv("ZIK_NOW", "2026-11-26T10:00:00Z")
    assert zik("task", "edit", first["taskId"][:8], "--title", "Renamed here").code == 0

    def names():
        listed = zik("--json", "task", "list", "--due", "all", "--status", "all").data
        return {t["taskName"] for t in listed}

    result = zik("--json", "import", str(saved)).data
    assert result["keptNewer"] == 1 and result["updated"] == {}
    assert "Renamed here" in names()
    document["tasks"][at] = {
        **first,
        "taskName": "Renamed later",
        "updatedAt": "2026-12-01T00:00:00.000Z",
    }
    later = tmp_path / "later.json"
    later.write_text(json.dumps(document))
    assert zik("--json", "import", str(later)).data["updated"] == {"task": 1}
    assert "Renamed later" in names() and "Renamed here" not in names()


BAD_FILES = {
    "corrupt json": (
        '{"format": "zik", "version": 1,\n"quests": [\n{"goalId": "0a1b2c3d-0000-4000-8000-00000000000a",}\n]}\n',
        "line 3: invalid JSON",
    ),
    "wrong version": (
        '{"format": "zik",\n "zikVersion": "9.0",\n "version": 2,\n "quests": []}\n',
        "line 3: field version: export format version 2 is newer",
    ),
    "bad date": (
        '{"format": "zik", "version": 1,\n"tasks": [\n'
        '{"taskId": "0a1b2c3d-0000-4000-8000-000000000001", "taskName": "A", "dueDate": "2026-11-25", "createdAt":'
        ' "2026-11-25T10:00:00.000Z", "updatedAt": "2026-11-25T10:00:00.000Z"},\n'
        '{"taskId": "0a1b2c3d-0000-4000-8000-000000000002", "taskName": "B", "dueDate": "2026-02-30", "createdAt":'
        ' "2026-11-25T10:00:00.000Z", "updatedAt": "2026-11-25T10:00:00.000Z"}\n]}\n',
        "line 4: tasks[1]: field dueDate: '2026-02-30' is not a date",
    ),
    "unknown field": (
        '{"format": "zik", "version": 1}\n'
        '{"kind": "quest", "goalId": "0a1b2c3d-0000-4000-8000-00000000000a", "goalName": "A", "mood": "sunny",'
        ' "createdAt": "2026-11-25T10:00:00.000Z", "updatedAt": "2026-11-25T10:00:00.000Z"}\n',
        "line 2: quest: unknown field 'mood'",
    ),
    "missing quest": (
        '{"format": "zik", "version": 1}\n'
        '{"kind": "task", "taskId": "0a1b2c3d-0000-4000-8000-000000000001", "taskName": "A", "dueDate": "2026-11-25",'
        ' "goalId": "nope", "createdAt": "2026-11-25T10:00:00.000Z",'
        ' "updatedAt": "2026-11-25T10:00:00.000Z"}\n',
        "line 2: task: field goalId: no quest nope in the file or in zik",
    ),
    "bad status": (
        '{"format": "zik", "version": 1}\n\n'
        '{"kind": "quest", "goalId": "0a1b2c3d-0000-4000-8000-00000000000a", "goalName": "A", "status": "done",'
        ' "createdAt": "2026-11-25T10:00:00.000Z", "updatedAt": "2026-11-25T10:00:00.000Z"}\n',
        "line 3: quest: field status: 'done' is not one of active, paused, completed",
    ),
    "another format": ('{"name": "not zik"}\n', "line 1: not a zik export nor a Taskwarrior"),
    "empty": ("  \n", "the file is empty"),
    "taskwarrior bad date": (
        '[\n{"uuid": "0f3a1c2e-1111-4aaa-8bbb-000000000001", "description": "ok",'
        ' "status": "pending", "entry": "20261101T090000Z"},\n'
        '{"uuid": "0f3a1c2e-1111-4aaa-8bbb-000000000002", "description": "bad",'
        ' "status": "pending", "entry": "20261101T090000Z", "due": "2026-11-31"}\n]\n',
        "line 3: task 2 (0f3a1c2e): due '2026-11-31' is not a Taskwarrior date",
    ),
}


def test_import_refuses_a_missing_file_and_non_utf8(zik, tmp_path):
    assert "no file" in assert_one_line_error(zik("import", str(tmp_path / "none.json")), 3)
    binary = tmp_path / "x.json"
    binary.write_bytes(b'{"a":\n"\xff"}')
    assert "line 2: not UTF-8" in assert_one_line_error(zik("import", str(binary)), 1)


def test_backup_and_restore(world, zik, tmp_path):
    target = tmp_path / "b.db"
    saved = zik("--json", "backup", str(target)).data
    assert saved["path"] == str(target) and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "already exists" in assert_one_line_error(zik("backup", str(target)), 2)
    tasks_then = zik("--json", "task", "list", "--due", "all", "--status", "all").data
    zik("task", "add", "Made after the backup")

    assert "--yes" in assert_one_line_error(zik("restore", str(target)), 2)
    restored = zik("--json", "restore", str(target), "--yes").data
    assert restored["restored"]["counts"]["quests"] == 1
    assert zik("--json", "task", "list", "--due", "all", "--status", "all").data == tasks_then
    previous = sqlite3.connect(restored["previousDataSavedTo"])
    assert previous.execute(
        "SELECT count(*) FROM tasks WHERE task_name = 'Made after the backup'"
    ).fetchone() == (1,)
    found = zik("--json", "search", "marathon").data
    assert found, "the search indexes work after a restore"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello", "is not a SQLite database"),
        ("sqlite-not-zik", "is not a zik database"),
        ("newer", "newer than this zik understands"),
    ],
)
def test_restore_refuses_what_is_not_a_good_zik_backup(world, zik, tmp_path, content, message):
    path = tmp_path / "candidate.db"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE notes (x)")
        if content == "newer":
            zik("backup", str(tmp_path / "good.db"))
            other.close()
            path.unlink()
            path = tmp_path / "good.db"
            other = sqlite3.connect(path)
            other.execute("PRAGMA user_version = 99")
        other.commit()
        other.close()
    before = dump(world)
    line = assert_one_line_error(zik("restore", str(path), "--yes"), 1)
    assert message in line and "nothing was changed" in line
    assert dump(world) == before


def test_restoring_a_backup_of_an_older_schema_migrates_it(zik, tmp_path):
    old = tmp_path / "v5.db"
    v5 = database_at(old, 5)
    v5.execute(
        "INSERT INTO quests (goal_id, goal_name, created_at, updated_at)"
        " VALUES ('q1', 'Learn Spanish', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')"
    )
    v5.close()

    restored = zik("--json", "restore", str(old), "--yes").data
    assert restored["restored"]["schemaVersion"] == 5
    assert [q["goalName"] for q in zik("--json", "quest", "list").data] == ["Learn Spanish"]
    assert zik("--json", "search", "spanish").data[0]["id"] == "q1"
    assert zik("--json", "doctor").data["checks"]


def test_import_reads_a_pipe(zik_process):
    items = [{**t, "status": "pending"} for t in tw.tasks(3)[:3]]
    piped = zik_process("--json", "import", "-", stdin=tw.export(items))
    assert piped.code == 0, piped
    assert piped.data["file"] == "stdin" and piped.data["added"]["task"] == 3
    bad = zik_process("import", "-", stdin='[\n{"uuid": 1}\n]\n')
    assert bad.code == 1 and "stdin line 2: task 1: uuid 1 is not a UUID" in bad.err


MORE_BAD = {
    "missing createdAt": (
        '{"format": "zik", "version": 1}\n'
        '{"kind": "task", "taskId": "0a1b2c3d-0000-4000-8000-000000000001", "taskName": "x",'
        ' "dueDate": "2026-11-26", "updatedAt": "2026-11-25T10:00:00.000Z"}\n',
        "line 2: task: field createdAt is missing",
    ),
    "iso week date": (
        '{"format": "zik", "version": 1}\n'
        '{"kind": "task", "taskId": "0a1b2c3d-0000-4000-8000-000000000001", "taskName": "x",'
        ' "dueDate": "2026-W01-1", "createdAt": "2026-11-25T10:00:00.000Z",'
        ' "updatedAt": "2026-11-25T10:00:00.000Z"}\n',
        "line 2: task: field dueDate: '2026-W01-1' is not a date",
    ),
    "id people cannot type": (
        '{"format": "zik", "version": 1}\n'
        '{"kind": "task", "taskId": "t1", "taskName": "x", "dueDate": "2026-11-26",'
        ' "createdAt": "2026-11-25T10:00:00.000Z", "updatedAt": "2026-11-25T10:00:00.000Z"}\n',
        "line 2: task: field taskId: 't1' is not a task id",
    ),
    "huge number": (
        '{"format": "zik", "version": 1}\n'
        '{"kind": "task", "taskId": "0a1b2c3d-0000-4000-8000-000000000001", "taskName": "x",'
        ' "dueDate": "2026-11-26", "estimatedMinutes": 99999999999999999999,'
        ' "createdAt": "2026-11-25T10:00:00.000Z", "updatedAt": "2026-11-25T10:00:00.000Z"}\n',
        "line 2: task: field estimatedMinutes: 99999999999999999999 is not a whole number",
    ),
    "a number no one can read": ('{"format": "zik", "version": 1}\n' + "7" * 5000 + "\n", "line 2"),
    "broken line in the middle": (
        '{"format": "zik", "version": 1}\n{"kind": "task", "taskId": \n'
        '{"kind": "chatSummary", "summary": "s", "coversUntil": "", "updatedAt":'
        ' "2026-11-25T10:00:00.000Z"}\n',
        "line 2: invalid JSON",
    ),
    "missing repair target": (
        '{"format": "zik", "version": 1}\n'
        '{"kind": "aiCall", "id": "c1", "createdAt": "2026-11-25T10:00:00.000Z",'
        ' "purpose": "roadmap", "provider": "offline", "model": "m", "repairOf": "nope"}\n',
        "line 2: aiCall: field repairOf: no ai_call nope in the file or in zik",
    ),
    "taskwarrior year one": (
        '[{"uuid": "0f3a1c2e-1111-4aaa-8bbb-000000000001", "description": "x",'
        ' "status": "pending", "entry": "00010101T000000Z"}]',
        "line 1: task 1 (0f3a1c2e): entry '00010101T000000Z' is not a Taskwarrior date",
    ),
    "taskwarrior blank project": (
        '[{"uuid": "0f3a1c2e-1111-4aaa-8bbb-000000000001", "description": "x",'
        ' "status": "pending", "project": "   "}]',
        "project '   ' is not a name",
    ),
}


@pytest.mark.parametrize("name", [*BAD_FILES, *MORE_BAD])
def test_a_bad_file_is_refused_whole_with_its_location(world, zik, tmp_path, name):
    content, expected = {**BAD_FILES, **MORE_BAD}[name]
    path = tmp_path / "bad.json"
    path.write_text(content)  # a good first record in the same file is not imported either
    before = dump(world)
    line = assert_one_line_error(zik("import", str(path)), 1)
    assert (f"{path} {expected}" if expected.startswith("line") else expected) in line, line
    assert "nothing was imported" in line
    assert dump(world) == before
    assert not world.in_transaction


def test_what_zik_writes_it_can_read_back(world, zik, tmp_path, monkeypatch):
    """A chat summary that covers no message yet ('' as zik writes it) round-trips."""
    chat.set_summary(world, "nothing yet", "", None, "2026-11-25T10:00:00.000Z")
    saved = tmp_path / "all.jsonl"
    zik("export", "-o", str(saved))
    fresh_home(tmp_path, monkeypatch, "other")
    assert zik("import", str(saved)).code == 0
    again = tmp_path / "again.jsonl"
    zik("export", "-o", str(again))
    assert again.read_bytes() == saved.read_bytes()


def test_a_deleted_project_quest_comes_back_with_new_tasks(zik, tmp_path, monkeypatch):
    first, second = ({**t, "status": "pending", "project": "Home"} for t in tw.tasks(2)[:2])
    path = tmp_path / "one.json"
    path.write_text(tw.export([first]))
    zik("import", str(path))
    quest = zik("--json", "quest", "list").data[0]
    assert zik("quest", "rm", quest["goalId"][:8]).code == 0
    path.write_text(tw.export([first, second]))
    monkeypatch.setenv("ZIK_NOW", "2026-11-26T08:00:00Z")
    assert zik("import", str(path)).code == 0
    assert [q["goalName"] for q in zik("--json", "quest", "list").data] == ["Home"]


def test_export_to_a_pipe_writes_into_it(world, zik, tmp_path):
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = zik("--json", "export", "-o", str(fifo), "-f", "jsonl")
    reader.join(timeout=10)
    assert result.code == 0, result
    assert fifo.is_fifo() and received[0].startswith(b'{"format": "zik"')
    assert result.data["bytes"] == len(received[0])


def test_two_backups_in_one_second_both_land(world, zik):
    first, second = (zik("--json", "backup").data["path"] for _ in range(2))
    assert first != second


def test_a_reader_that_stops_early_is_not_an_error(zik, tmp_path, zik_home):
    """`zik export | head -1`: the pipe closes under a large export; zik exits 0, silently."""
    import os
    import subprocess
    import sys

    source = tmp_path / "tw.json"
    source.write_text(tw.export(tw.tasks(1000)))
    assert zik("import", str(source)).code == 0
    reader = subprocess.Popen(
        [sys.executable, "-m", "zik", "export", "-f", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ},
    )
    assert reader.stdout.readline().startswith(b'{"format": "zik"')
    reader.stdout.close()
    assert reader.wait(timeout=60) == 0
    assert reader.stderr.read() == b""
