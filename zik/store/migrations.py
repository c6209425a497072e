"""Schema migrations: named functions applied in order and recorded by sqlite-utils.

Rules for adding one: append a new `@migration()` function (never edit an applied one), bump
`schema.LATEST`, and add a test. All pending migrations run inside one `BEGIN IMMEDIATE`
transaction (each in its own savepoint), together with `PRAGMA user_version`, so two processes
starting at once migrate exactly once and a crash leaves the previous schema intact.
Note: `Table.transform()` toggles `PRAGMA foreign_keys`, which SQLite ignores inside a
transaction; a migration that transforms must keep its tables' foreign keys valid by itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from zik.store.fts import FTS_COLUMNS, fts_statements
from zik.store.schema import LATEST

migration = Migrations("zik")

_ALIVE = "WHERE deleted_at IS NULL"


def _run(db: Database, statements: str) -> None:
    for statement in statements.split(";"):
        if statement.strip():
            db.execute(statement)


@migration()
def m001_initial(db: Database) -> None:
    _run(
        db,
        f"""
        CREATE TABLE profile (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT,
            timezone TEXT NOT NULL,
            daily_time TEXT NOT NULL DEFAULT '06:00',
            daily_capacity INTEGER NOT NULL DEFAULT 90,
            focus_areas TEXT NOT NULL DEFAULT '[]',
            onboarding_completed INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE quests (
            goal_id TEXT PRIMARY KEY,
            goal_name TEXT NOT NULL,
            description TEXT,
            target_date TEXT,
            category TEXT,
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'paused', 'completed')),
            roadmap_status TEXT NOT NULL DEFAULT 'none'
                CHECK (roadmap_status IN ('none', 'generating', 'ready', 'failed')),
            roadmap_error TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            completed_at TEXT,
            deleted_at TEXT,
            source TEXT NOT NULL DEFAULT 'user',
            ai_call_id TEXT
        );
        CREATE INDEX quests_status ON quests (status) {_ALIVE};
        CREATE TABLE milestones (
            milestone_id TEXT PRIMARY KEY,
            goal_id TEXT NOT NULL REFERENCES quests (goal_id),
            sequence INTEGER NOT NULL,
            title TEXT NOT NULL,
            description TEXT,
            status TEXT NOT NULL DEFAULT 'locked'
                CHECK (status IN ('locked', 'active', 'completed')),
            duration_in_days INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            activated_at TEXT,
            completed_at TEXT,
            deleted_at TEXT,
            source TEXT NOT NULL DEFAULT 'user',
            ai_call_id TEXT
        );
        CREATE INDEX milestones_goal ON milestones (goal_id, sequence);
        CREATE TABLE routines (
            recurrence_rule_id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT,
            priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
            frequency TEXT NOT NULL
                CHECK (frequency IN ('daily', 'weekdays', 'weekends', 'weekly')),
            days_of_week TEXT,
            goal_id TEXT REFERENCES quests (goal_id),
            estimated_minutes INTEGER,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT,
            source TEXT NOT NULL DEFAULT 'user'
        );
        CREATE TABLE tasks (
            task_id TEXT PRIMARY KEY,
            task_name TEXT NOT NULL,
            description TEXT,
            due_date TEXT NOT NULL,
            priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'in-progress', 'completed')),
            goal_id TEXT REFERENCES quests (goal_id),
            milestone_id TEXT REFERENCES milestones (milestone_id),
            recurrence_rule_id TEXT REFERENCES routines (recurrence_rule_id),
            estimated_minutes INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            started_at TEXT,
            completed_at TEXT,
            deleted_at TEXT,
            source TEXT NOT NULL DEFAULT 'user',
            ai_call_id TEXT
        );
        CREATE INDEX tasks_due ON tasks (due_date) {_ALIVE};
        CREATE INDEX tasks_open ON tasks (due_date)
            WHERE status IN ('pending', 'in-progress') AND deleted_at IS NULL;
        CREATE INDEX tasks_milestone ON tasks (milestone_id, status);
        CREATE INDEX tasks_goal ON tasks (goal_id);
        CREATE TABLE chat_messages (
            message_id TEXT PRIMARY KEY,
            timestamp TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            content TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT,
            source TEXT NOT NULL DEFAULT 'user'
        );
        CREATE INDEX chat_messages_time ON chat_messages (timestamp);
        CREATE TABLE change_sets (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            summary TEXT NOT NULL,
            undoable INTEGER NOT NULL DEFAULT 1,
            undo_of TEXT REFERENCES change_sets (id),
            undone_by TEXT REFERENCES change_sets (id)
        );
        CREATE INDEX change_sets_undoable ON change_sets (undoable, undone_by);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            change_set_id TEXT NOT NULL REFERENCES change_sets (id),
            created_at TEXT NOT NULL,
            type TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            before TEXT,
            after TEXT
        );
        CREATE INDEX events_change_set ON events (change_set_id);
        CREATE INDEX events_entity ON events (entity, entity_id)
        """,
    )


@migration()
def m002_ai_calls(db: Database) -> None:
    """The AI call log: one row per model call (a repair round is its own row)."""
    _run(
        db,
        """
        CREATE TABLE ai_calls (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            purpose TEXT NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            subject TEXT,
            attempt INTEGER NOT NULL DEFAULT 1,
            repair_of TEXT REFERENCES ai_calls (id),
            outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'invalid', 'error')),
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cache_read_tokens INTEGER NOT NULL DEFAULT 0,
            cache_write_tokens INTEGER NOT NULL DEFAULT 0,
            latency_ms INTEGER,
            stop_reason TEXT,
            cost_usd REAL,
            error TEXT,
            request TEXT,
            response TEXT
        );
        CREATE INDEX ai_calls_time ON ai_calls (created_at);
        CREATE INDEX ai_calls_subject ON ai_calls (subject)
        """,
    )


@migration()
def m003_jobs(db: Database) -> None:
    """Durable workflow runs (the roadmap job) and the record of each day's `zik daily`."""
    _run(
        db,
        """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
            step TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            lease_owner TEXT,
            lease_until TEXT,
            next_attempt_at TEXT,
            last_error TEXT,
            payload TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX jobs_open ON jobs (kind, subject) WHERE state IN ('queued', 'running');
        CREATE INDEX jobs_state ON jobs (state, next_attempt_at);
        CREATE TABLE daily_runs (
            date TEXT PRIMARY KEY,
            ran_at TEXT NOT NULL,
            tasks_made INTEGER NOT NULL DEFAULT 0
        )
        """,
    )


@migration()
def m004_chat(db: Database) -> None:
    """Chat history with tool calls, usage and provenance; a rolling summary; FTS5 search.

    The full-text index is laid out as sqlite-utils' `enable_fts(create_triggers=True)` makes it
    (so `Table.search()` works), written out here because `enable_fts` runs `executescript`, which
    would commit the migration's transaction half-way.
    """
    for statement in (
        "ALTER TABLE chat_messages ADD COLUMN tool_calls TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE chat_messages ADD COLUMN usage TEXT",
        "ALTER TABLE chat_messages ADD COLUMN ai_call_id TEXT",
        """CREATE TABLE chat_summary (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            summary TEXT NOT NULL,
            covers_until TEXT NOT NULL,
            ai_call_id TEXT,
            updated_at TEXT NOT NULL
        )""",
        "CREATE VIRTUAL TABLE [chat_messages_fts] USING FTS5 ([content], content=[chat_messages])",
        """CREATE TRIGGER [chat_messages_ai] AFTER INSERT ON [chat_messages] BEGIN
            INSERT INTO [chat_messages_fts] (rowid, [content]) VALUES (new.rowid, new.[content]);
        END""",
        """CREATE TRIGGER [chat_messages_ad] AFTER DELETE ON [chat_messages] BEGIN
            INSERT INTO [chat_messages_fts] ([chat_messages_fts], rowid, [content])
                VALUES ('delete', old.rowid, old.[content]);
        END""",
        """CREATE TRIGGER [chat_messages_au] AFTER UPDATE ON [chat_messages] BEGIN
            INSERT INTO [chat_messages_fts] ([chat_messages_fts], rowid, [content])
                VALUES ('delete', old.rowid, old.[content]);
            INSERT INTO [chat_messages_fts] (rowid, [content]) VALUES (new.rowid, new.[content]);
        END""",
    ):
        db.execute(statement)


@migration()
def m005_sync(db: Database) -> None:
    """Cloud sync: the outbox, the last synced version of each record, conflicts, and state.

    The outbox is fed by triggers, so every change lands in it in the change's own transaction:
    each event (quests, milestones, tasks, routines, profile) and each chat message saved or
    deleted. It holds one row per record however often it changed (collapsed per entity).
    """
    for statement in (
        """CREATE TABLE sync_outbox (
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            PRIMARY KEY (entity, entity_id)
        ) WITHOUT ROWID""",
        """CREATE TRIGGER sync_outbox_events AFTER INSERT ON events BEGIN
            INSERT OR IGNORE INTO sync_outbox VALUES (new.entity, new.entity_id, new.created_at);
        END""",
        """CREATE TRIGGER sync_outbox_chat_in AFTER INSERT ON chat_messages BEGIN
            INSERT OR IGNORE INTO sync_outbox VALUES ('chat', new.message_id, new.created_at);
        END""",
        """CREATE TRIGGER sync_outbox_chat_out AFTER DELETE ON chat_messages BEGIN
            INSERT OR IGNORE INTO sync_outbox
                VALUES ('chat', old.message_id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
        END""",
        """CREATE TABLE sync_base (
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            item TEXT NOT NULL,
            PRIMARY KEY (entity, entity_id)
        ) WITHOUT ROWID""",
        """CREATE TABLE sync_conflicts (
            id INTEGER PRIMARY KEY,
            detected_at TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            field TEXT NOT NULL,
            kept TEXT,
            lost TEXT,
            kept_side TEXT NOT NULL CHECK (kept_side IN ('local', 'remote')),
            resolved_at TEXT
        )""",
        "CREATE INDEX sync_conflicts_open ON sync_conflicts (resolved_at)",
        "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    ):
        db.execute(statement)


@migration()
def m006_search_and_tags(db: Database) -> None:
    """Tags on tasks (kept from Taskwarrior imports), and one full-text index per searchable
    table with the porter stemmer ("run" finds "running"); chat's m004 index is remade so."""
    db.execute("ALTER TABLE tasks ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'")
    for name in ("chat_messages_ai", "chat_messages_ad", "chat_messages_au"):
        db.execute(f"DROP TRIGGER [{name}]")
    db.execute("DROP TABLE [chat_messages_fts]")
    for table, columns in FTS_COLUMNS.items():
        for statement in fts_statements(table, columns):
            db.execute(statement)
    # `zik stats` groups every live task by quest and milestone: read from this index alone.
    db.execute(
        "CREATE INDEX tasks_progress ON tasks (goal_id, milestone_id, status, due_date)"
        " WHERE deleted_at IS NULL"
    )


@migration()
def m007_skipped_tasks(db: Database) -> None:
    """A missed task that was let go keeps its place in history (issue 15): `skipped_at` says
    when; the task is then neither open nor done. The open-task index learns to leave it out.
    A day's run keeps what it could not plan (`daily_runs.errors`), so failures stay visible."""
    db.execute("ALTER TABLE tasks ADD COLUMN skipped_at TEXT")
    # What a day's run could not plan (JSON), so today, scheduler status and doctor can say it.
    db.execute("ALTER TABLE daily_runs ADD COLUMN errors TEXT NOT NULL DEFAULT '[]'")
    db.execute("DROP INDEX tasks_open")
    # recurrence_rule_id in the index: `zik today` counts the overdue tasks, which leave the
    # routines' out (they lapse), from the index alone (at 100k tasks, 25k of them open).
    db.execute(
        "CREATE INDEX tasks_open ON tasks (due_date, recurrence_rule_id)"
        " WHERE status IN ('pending', 'in-progress') AND skipped_at IS NULL AND deleted_at IS NULL"
    )
    # zik stats counts overdue tasks without the skipped and the routines' (which lapse): the
    # covering index it reads learns both columns, so the counts still never touch the table.
    db.execute("DROP INDEX tasks_progress")
    db.execute(
        "CREATE INDEX tasks_progress ON tasks (goal_id, milestone_id, status, due_date,"
        " skipped_at, recurrence_rule_id) WHERE deleted_at IS NULL"
    )


@migration()
def m008_routine_exdates(db: Database) -> None:
    """A routine remembers the days whose task was deleted (issue 17), like an iCalendar
    EXDATE: another device that never saw the task must not make it again, and a sync takes
    such a task, made before the delete was pulled, for deleted."""
    db.execute("ALTER TABLE routines ADD COLUMN exdates TEXT")


@migration()
def m009_conflict_reasons(db: Database) -> None:
    """A conflict says which edit was kept and why (issue 17): "both sides changed it; the
    later edit was kept: here at …, there at …", or a delete weighed against a later edit."""
    db.execute("ALTER TABLE sync_conflicts ADD COLUMN why TEXT NOT NULL DEFAULT ''")
    # 0: the other side may not have edited the field at all (a write that does not say which
    # fields it changed came after the edit kept here)
    db.execute("ALTER TABLE sync_conflicts ADD COLUMN certain INTEGER NOT NULL DEFAULT 1")


def migrate(
    conn: sqlite3.Connection, atomic: Callable[[sqlite3.Connection], AbstractContextManager]
) -> None:
    """Bring the database up to `LATEST`, exactly once even with concurrent processes.

    `atomic` is the store's transaction helper (store.db.atomic), passed in by db.connect, which
    calls this: so this module never imports db.py back."""
    if len(migration._migrations) != LATEST:  # a developer forgot to bump schema.LATEST
        raise RuntimeError("schema.LATEST does not match the registered migrations")
    with atomic(conn):
        if conn.execute("PRAGMA user_version").fetchone()[0] >= LATEST:
            return  # another process migrated while we waited for the lock
        migration.apply(Database(conn))
        conn.execute(f"PRAGMA user_version = {LATEST}")
