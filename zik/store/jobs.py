"""Durable jobs: a workflow run's state, step, attempts, lease and payload (DESIGN.md §6).

A job moves through named steps; each step's result is committed with the step change, so a
crash resumes at the first unfinished step. A lease (owner + expiry) keeps two processes from
running one job at once. At most one open (queued or running) job per kind and subject.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from zik.store.db import atomic

OPEN = ("queued", "running")


class Job:
    __slots__ = (
        "id",
        "kind",
        "subject",
        "state",
        "step",
        "attempts",
        "lease_owner",
        "lease_until",
        "next_attempt_at",
        "last_error",
        "payload",
        "created_at",
        "updated_at",
    )

    def __init__(self, row: sqlite3.Row):
        for name in self.__slots__:
            setattr(self, name, row[name])
        self.payload: dict[str, Any] = json.loads(row["payload"] or "{}")

    def to_json(self) -> dict[str, Any]:
        return {
            "jobId": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "state": self.state,
            "step": self.step,
            "attempts": self.attempts,
            "lastError": self.last_error,
            "nextAttemptAt": self.next_attempt_at,
        }


def get(conn: sqlite3.Connection, job_id: str) -> Job:
    return Job(conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone())


def open_for(conn: sqlite3.Connection, kind: str, subject: str) -> Job | None:
    row = conn.execute(
        "SELECT * FROM jobs WHERE kind = ? AND subject = ? AND state IN ('queued', 'running')",
        (kind, subject),
    ).fetchone()
    return None if row is None else Job(row)


def create(conn: sqlite3.Connection, kind: str, subject: str, step: str, now: str) -> Job:
    """A new queued job, or the open one this subject already has."""
    with atomic(conn):
        existing = open_for(conn, kind, subject)
        if existing is not None:
            return existing
        job_id = str(uuid.uuid4())
        conn.execute(
            "INSERT INTO jobs (id, kind, subject, state, step, created_at, updated_at)"
            " VALUES (?, ?, ?, 'queued', ?, ?, ?)",
            (job_id, kind, subject, step, now, now),
        )
        return get(conn, job_id)


def due(conn: sqlite3.Connection, now: str) -> list[Job]:
    """Open jobs whose next attempt is due, oldest first (leases are checked when claiming)."""
    rows = conn.execute(
        "SELECT * FROM jobs WHERE state IN ('queued', 'running')"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY created_at",
        (now,),
    ).fetchall()
    return [Job(r) for r in rows]


def claim(
    conn: sqlite3.Connection, job_id: str, owner: str, until: str, now: str, stale: str | None
) -> Job | None:
    """Take the job's lease: free, expired, or held by `stale` (an owner known to be dead)."""
    with atomic(conn):
        done = conn.execute(
            """UPDATE jobs SET state = 'running', lease_owner = :owner, lease_until = :until,
                   attempts = attempts + 1, updated_at = :now
               WHERE id = :id AND state IN ('queued', 'running')
                 AND (lease_owner IS NULL OR lease_until < :now OR lease_owner = :stale
                      OR lease_owner = :owner)""",
            {"id": job_id, "owner": owner, "until": until, "now": now, "stale": stale},
        ).rowcount
        return get(conn, job_id) if done else None


def advance(
    conn: sqlite3.Connection, job: Job, step: str, now: str, payload: dict[str, Any]
) -> None:
    """Record a finished step (call inside the transaction that saved its result)."""
    with atomic(conn):
        conn.execute(
            "UPDATE jobs SET step = ?, payload = ?, last_error = NULL, updated_at = ? WHERE id = ?",
            (step, json.dumps(payload, ensure_ascii=False), now, job.id),
        )
    job.step, job.payload = step, payload


def finish(conn: sqlite3.Connection, job: Job, state: str, now: str, error: str | None) -> None:
    """End the job: done, or failed with the reason."""
    with atomic(conn):
        conn.execute(
            """UPDATE jobs SET state = ?, step = CASE WHEN ? = 'done' THEN 'done' ELSE step END,
                   last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
               WHERE id = ?""",
            (state, state, error, now, job.id),
        )


def release(
    conn: sqlite3.Connection, job: Job, now: str, error: str | None, next_attempt_at: str | None
) -> None:
    """Give the lease back, leaving the job queued at its step (to resume later)."""
    with atomic(conn):
        conn.execute(
            """UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_until = NULL,
                   last_error = coalesce(?, last_error), next_attempt_at = ?, updated_at = ?
               WHERE id = ? AND state = 'running'""",
            (error, next_attempt_at, now, job.id),
        )


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
