"""Ids and titles for shell completion, read from the database without touching it.

A completion runs inside the user's prompt (zik.cli.complete, through zik.core.completion), so
this is the lightest way in: plain sqlite3 through a read-only connection, no migration, no
sqlite-utils, and nothing created when there is no database yet.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

# kind: (table, key column, key prefix, title column, [(which rows, in which order), …]): each
# part fills what the one before left of the limit. The task parts follow the partial indexes
# tasks_open and tasks_due: with no prefix typed, 50 index entries are read, not every task sorted.
_KINDS = {
    "quest": (
        "quests",
        "goal_id",
        "",
        "goal_name",
        [("1", "status != 'active', status != 'paused', created_at DESC")],
    ),
    "milestone": (
        "milestones",
        "milestone_id",
        "milestone_",
        "title",
        [("1", "status != 'active', status != 'locked', goal_id, sequence")],
    ),
    "task": (  # open tasks first, due soonest; then completed ones, most recently due first
        "tasks",
        "task_id",
        "",
        "task_name",
        [
            ("status IN ('pending', 'in-progress') AND skipped_at IS NULL", "due_date"),
            ("status = 'completed'", "due_date DESC"),
        ],
    ),
    "routine": (
        "routines",
        "recurrence_rule_id",
        "rule_",
        "title",
        [("1", "status != 'active', created_at DESC")],
    ),
}


def find(kinds: tuple[str, ...], text: str, limit: int) -> list[tuple[str, str, str]]:
    """(kind, id without its prefix, title) of up to `limit` live records of these kinds, in
    this order, whose id (without its prefix) starts with `text`; [] when there is no database."""
    conn = connect_read_only()
    if conn is None:
        return []
    try:
        found: list[tuple[str, str, str]] = []
        for kind in kinds:
            found += [
                (kind, k, t) for k, t in ids_with_titles(conn, kind, text, limit - len(found))
            ]
        return found
    finally:
        conn.close()


def connect_read_only() -> sqlite3.Connection | None:
    """A read-only connection to the database, or None when there is none (nothing is created)."""
    from zik import config
    from zik.store.db import read_only

    path = Path(os.path.abspath(config.db_path()))
    return read_only(path, timeout=1.0) if path.is_file() else None


def ids_with_titles(
    conn: sqlite3.Connection, kind: str, text: str, limit: int
) -> list[tuple[str, str]]:
    """(id without its prefix, title) of up to `limit` live records of one kind."""
    if limit <= 0:
        return []
    table, key, prefix, title, parts = _KINDS[kind]
    rows: list[tuple[str, str]] = []
    for where, order in parts:
        rows += conn.execute(
            f"SELECT substr({key}, {len(prefix) + 1}), {title} FROM {table}"
            f" WHERE {key} GLOB ? AND {where} AND deleted_at IS NULL ORDER BY {order} LIMIT ?",
            (f"{prefix}{text}*", limit - len(rows)),
        ).fetchall()
    return rows
