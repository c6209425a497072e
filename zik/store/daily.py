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
