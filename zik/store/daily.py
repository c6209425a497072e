"""The record of each day's `zik daily` run (to report days without a run)."""

from __future__ import annotations

import json
import sqlite3

from zik.store.db import atomic


def last_daily(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT max(date) FROM daily_runs").fetchone()
    return row[0]


def record_daily(
    conn: sqlite3.Connection, day: str, now: str, made: int, errors: list[dict] | None = None
) -> None:
    """Record a run of the day; its errors replace the last run's (a later run that plans the
    day clears them)."""
    with atomic(conn):
        conn.execute(
            """INSERT INTO daily_runs (date, ran_at, tasks_made, errors) VALUES (?, ?, ?, ?)
               ON CONFLICT (date) DO UPDATE SET ran_at = excluded.ran_at,
                   tasks_made = daily_runs.tasks_made + excluded.tasks_made,
                   errors = excluded.errors""",
            (day, now, made, json.dumps(errors or [])),
        )


def last_run(conn: sqlite3.Connection) -> dict | None:
    """The newest run: its date, when it ran, how many tasks it made, and what failed."""
    row = conn.execute(
        "SELECT date, ran_at, tasks_made, errors FROM daily_runs ORDER BY date DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return {"date": row[0], "ranAt": row[1], "tasksMade": row[2], "errors": json.loads(row[3])}


def errors_on(conn: sqlite3.Connection, day: str) -> list[dict]:
    """What the day's last run could not plan ([] without a run or a failure)."""
    row = conn.execute("SELECT errors FROM daily_runs WHERE date = ?", (day,)).fetchone()
    return json.loads(row[0]) if row else []


def failed_since(conn: sqlite3.Connection, first: str) -> list[tuple[str, list[dict]]]:
    """(date, errors) of the runs since `first` that could not plan everything."""
    rows = conn.execute(
        "SELECT date, errors FROM daily_runs WHERE date >= ? AND errors != '[]' ORDER BY date",
        (first,),
    )
    return [(r[0], json.loads(r[1])) for r in rows]


def has_run(conn: sqlite3.Connection, day: str) -> bool:
    return conn.execute("SELECT 1 FROM daily_runs WHERE date = ?", (day,)).fetchone() is not None
