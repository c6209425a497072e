"""The record of each day's `zik daily` run (to report days without a run)."""

from __future__ import annotations

import sqlite3

from zik.store.db import atomic


def last_daily(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT max(date) FROM daily_runs").fetchone()
    return row[0]


def record_daily(conn: sqlite3.Connection, day: str, now: str, made: int) -> None:
    with atomic(conn):
        conn.execute(
            """INSERT INTO daily_runs (date, ran_at, tasks_made) VALUES (?, ?, ?)
               ON CONFLICT (date) DO UPDATE SET ran_at = excluded.ran_at,
                   tasks_made = daily_runs.tasks_made + excluded.tasks_made""",
            (day, now, made),
        )


def last_run(conn: sqlite3.Connection) -> dict | None:
    """The newest run: its date, when it ran, and how many tasks it made."""
    row = conn.execute(
        "SELECT date, ran_at, tasks_made FROM daily_runs ORDER BY date DESC LIMIT 1"
    ).fetchone()
    return None if row is None else {"date": row[0], "ranAt": row[1], "tasksMade": row[2]}


def has_run(conn: sqlite3.Connection, day: str) -> bool:
    return conn.execute("SELECT 1 FROM daily_runs WHERE date = ?", (day,)).fetchone() is not None
