"""The append-only change log: change sets and the events inside them (DESIGN.md §4).

It drives `zik undo` now, and hooks and the sync outbox later.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def insert_change_set(
    conn: sqlite3.Connection,
    cs_id: str,
    created_at: str,
    summary: str,
    *,
    undoable: bool,
    undo_of: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO change_sets (id, created_at, summary, undoable, undo_of) VALUES (?, ?, ?, ?, ?)",
        (cs_id, created_at, summary, int(undoable), undo_of),
    )


def set_summary(conn: sqlite3.Connection, cs_id: str, summary: str) -> None:
    conn.execute("UPDATE change_sets SET summary = ? WHERE id = ?", (summary, cs_id))


def insert_event(
    conn: sqlite3.Connection,
    cs_id: str,
    created_at: str,
    event_type: str,
    entity: str,
    entity_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    conn.execute(
        "INSERT INTO events (change_set_id, created_at, type, entity, entity_id, before, after)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            cs_id,
            created_at,
            event_type,
            entity,
            entity_id,
            None if before is None else json.dumps(before),
            None if after is None else json.dumps(after),
        ),
    )


def last_undoable(conn: sqlite3.Connection) -> sqlite3.Row | None:
    """The newest change set that a user made and has not undone yet."""
    return conn.execute(
        "SELECT * FROM change_sets WHERE undoable = 1 AND undone_by IS NULL"
        " ORDER BY rowid DESC LIMIT 1"
    ).fetchone()


def events_of(conn: sqlite3.Connection, cs_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT * FROM events WHERE change_set_id = ? ORDER BY id", (cs_id,)
    ).fetchall()
    return [
        {
            **dict(row),
            "before": None if row["before"] is None else json.loads(row["before"]),
            "after": None if row["after"] is None else json.loads(row["after"]),
        }
        for row in rows
    ]


def mark_undone(conn: sqlite3.Connection, cs_id: str, undone_by: str) -> None:
    conn.execute("UPDATE change_sets SET undone_by = ? WHERE id = ?", (undone_by, cs_id))


def history_of(conn: sqlite3.Connection, entity: str, entity_id: str) -> list[dict[str, Any]]:
    """What happened to one record, oldest first: each event with its change set's summary."""
    rows = conn.execute(
        """SELECT e.created_at, e.type, c.summary, c.undone_by IS NOT NULL AS undone
           FROM events e JOIN change_sets c ON c.id = e.change_set_id
           WHERE e.entity = ? AND e.entity_id = ? ORDER BY e.id""",
        (entity, entity_id),
    ).fetchall()
    return [dict(row) for row in rows]


def ids_with_event(conn: sqlite3.Connection, entity: str, ids: list[str], kind: str) -> set[str]:
    """Which of these records ever had an event of this type (say, task.rescheduled)."""
    if not ids:
        return set()
    marks = ", ".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT DISTINCT entity_id FROM events WHERE entity = ? AND entity_id IN ({marks})"
        " AND type = ?",
        (entity, *ids, kind),
    )
    return {r[0] for r in rows}
