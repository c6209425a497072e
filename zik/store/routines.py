"""Routine (recurrence rule) queries."""

from __future__ import annotations

import sqlite3

from zik.models import Routine


def list_where(conn: sqlite3.Connection, *, status: str | None = None) -> list[Routine]:
    where, params = "deleted_at IS NULL", []
    if status:
        where += " AND status = ?"
        params.append(status)
    rows = conn.execute(f"SELECT * FROM routines WHERE {where} ORDER BY created_at", params)
    return [Routine.from_row(r) for r in rows]  # type: ignore[misc]


def producing(conn: sqlite3.Connection) -> list[Routine]:
    """Active routines whose quest (if any) is active: the ones that make tasks."""
    rows = conn.execute(
        "SELECT r.* FROM routines r LEFT JOIN quests q ON q.goal_id = r.goal_id"
        " WHERE r.status = 'active' AND r.deleted_at IS NULL"
        " AND (r.goal_id IS NULL OR (q.status = 'active' AND q.deleted_at IS NULL))"
        " ORDER BY r.created_at"
    )
    return [Routine.from_row(r) for r in rows]  # type: ignore[misc]
