"""Schema migrations: applied once, recorded by name, gated by PRAGMA user_version."""

import sqlite3
import subprocess
import sys

import pytest

from tests.store.helpers import database_at
from zik.store import db, migrations, schema

TABLES = {
    "profile",
    "quests",
    "milestones",
    "routines",
    "tasks",
    "chat_messages",
    "change_sets",
    "events",
    "ai_calls",
    "jobs",
    "daily_runs",
    "chat_summary",
    "_sqlite_migrations",
}
ALL = [
    ("zik", "m001_initial"),
    ("zik", "m002_ai_calls"),
    ("zik", "m003_jobs"),
    ("zik", "m004_chat"),
    ("zik", "m005_sync"),
    ("zik", "m006_search_and_tags"),
    ("zik", "m007_skipped_tasks"),
    ("zik", "m008_routine_exdates"),
    ("zik", "m009_conflict_reasons"),
]


def applied(conn):
    return [
        tuple(r)
        for r in conn.execute("SELECT migration_set, name FROM _sqlite_migrations ORDER BY rowid")
    ]


def test_latest_matches_the_registered_migrations():
    assert len(migrations.migration._migrations) == schema.LATEST
    assert migrations.migration._migrations[0].name == "m001_initial"
    assert [m.name for m in migrations.migration._migrations] == [name for _, name in ALL]


def test_migrating_an_empty_database(tmp_path):
    conn = db.connect(tmp_path / "zik.db")

    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST
    assert applied(conn) == ALL
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names >= TABLES


def test_connecting_again_does_not_migrate_again(tmp_path, monkeypatch):
    path = tmp_path / "zik.db"
    db.connect(path).close()

    def fail(conn):
        raise AssertionError("migrated an up-to-date database")

    monkeypatch.setattr(migrations, "migrate", fail)
    conn = db.connect(path)

    assert applied(conn) == ALL
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST


def test_migrate_on_an_up_to_date_database_is_a_no_op(conn):
    # What a second process sees when the first one migrated while it waited for the lock.
    migrations.migrate(conn, db.atomic)
    assert applied(conn) == ALL


def test_connect_without_migrating_leaves_the_schema_alone(tmp_path):
    path = tmp_path / "zik.db"
    bare = db.connect(path, migrate=False)
    assert bare.execute("PRAGMA user_version").fetchone()[0] == 0
    assert bare.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    bare.close()

    assert db.connect(path).execute("PRAGMA user_version").fetchone()[0] == schema.LATEST


def test_a_failing_migration_leaves_the_database_unmigrated(tmp_path, monkeypatch):
    path = tmp_path / "zik.db"

    def broken(database):
        database.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("crash in the middle")

    monkeypatch.setattr(migrations.migration._migrations[0], "fn", broken)
    with pytest.raises(RuntimeError):
        db.connect(path)
    monkeypatch.undo()

    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == 0
    assert (
        check.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0]
        == 0
    )
    check.close()
    assert applied(db.connect(path)) == ALL


def test_an_up_to_date_database_never_imports_sqlite_utils(conn, zik_home):
    code = (
        "import sys; from zik.store.db import connect; connect();"
        " print('sqlite_utils' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"


def test_the_schema_enforces_foreign_keys_and_checks(conn):
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO tasks (task_id, task_name, due_date, goal_id, created_at, updated_at)"
            " VALUES ('t', 'x', '2026-11-25', 'no-such-quest', '', '')"
        )
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO tasks (task_id, task_name, due_date, status, created_at, updated_at)"
            " VALUES ('t', 'x', '2026-11-25', 'done', '', '')"
        )
    assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0


def test_a_v1_database_upgrades_to_the_ai_call_log_keeping_its_data(tmp_path):
    """A database made by the first release (m001 only) gains ai_calls on the next open."""
    path = tmp_path / "zik.db"
    old = database_at(path, 1)
    old.execute(
        "INSERT INTO quests (goal_id, goal_name, created_at, updated_at)"
        " VALUES ('q1', 'Learn Spanish', 'x', 'x')"
    )
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    old.close()

    upgraded = db.connect(path)
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST
    assert applied(upgraded) == ALL
    assert upgraded.execute("SELECT goal_name FROM quests").fetchone()[0] == "Learn Spanish"
    assert upgraded.execute("SELECT count(*) FROM ai_calls").fetchone()[0] == 0


def test_a_v5_database_gains_tags_and_indexes_its_existing_text(tmp_path):
    """m006 indexes rows written before it, and the triggers keep the index in step after."""
    path = tmp_path / "zik.db"
    old = database_at(path, 5)
    old.execute(
        "INSERT INTO quests (goal_id, goal_name, created_at, updated_at)"
        " VALUES ('q1', 'Run a marathon', 'x', 'x')"
    )
    old.execute(
        "INSERT INTO chat_messages (message_id, timestamp, role, content, created_at, updated_at)"
        " VALUES ('m1', 't', 'user', 'how do I pace long runs?', 'x', 'x')"
    )
    old.close()

    conn = db.connect(path)
    assert conn.execute("SELECT tags FROM tasks").fetchall() == []

    def found(table, word):
        return conn.execute(
            f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?", (word,)
        ).fetchall()

    assert found("quests", "running") and found("chat_messages", "running")  # porter stems
    conn.execute("UPDATE quests SET goal_name = 'Learn Spanish' WHERE goal_id = 'q1'")
    assert not found("quests", "marathon") and found("quests", "spanish")
    conn.execute("UPDATE quests SET status = 'paused' WHERE goal_id = 'q1'")
    conn.execute("INSERT INTO quests_fts (quests_fts) VALUES ('integrity-check')")
