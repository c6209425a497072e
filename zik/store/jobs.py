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

from zik.errors import TemporaryError
from zik.store.db import atomic

OPEN = ("queued", "running")


class LeaseLost(TemporaryError):
    code = "lease_lost"


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


def create(
    conn: sqlite3.Connection,
    kind: str,
    subject: str,
    step: str,
    now: str,
    *,
    owner: str | None = None,
    until: str | None = None,
) -> Job:
    """A new job (leased to `owner` at once when given, so nobody else can claim it first),
    or the open one this subject already has."""
    with atomic(conn):
        existing = open_for(conn, kind, subject)
        if existing is not None:
            return existing
        job_id = str(uuid.uuid4())
        conn.execute(
            """INSERT INTO jobs (id, kind, subject, state, step, lease_owner, lease_until,
                   created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (job_id, kind, subject, "running" if owner else "queued", step, owner, until, now, now),
        )
        return get(conn, job_id)


def due(conn: sqlite3.Connection, now: str) -> list[Job]:
    """Open jobs to run now: queued and due, or running on a lease that has expired or whose
    owner may be dead (the caller checks), oldest first."""
    rows = conn.execute(
        """SELECT * FROM jobs
           WHERE (state = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?))
              OR state = 'running'
           ORDER BY created_at""",
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


def _fenced(conn: sqlite3.Connection, job: Job, sql: str, args: dict[str, Any]) -> None:
    """Write to a job only while holding its lease; a process that lost it (it slept past the
    expiry and another took over) must not touch the job, and its transaction rolls back."""
    with atomic(conn):
        changed = conn.execute(
            sql + " WHERE id = :id AND state = 'running' AND lease_owner = :owner",
            {**args, "id": job.id, "owner": job.lease_owner},
        ).rowcount
        if not changed:
            raise LeaseLost("another zik process took this planning over", hint="nothing was lost")


def renew(conn: sqlite3.Connection, job: Job, now: str, until: str) -> None:
    _fenced(
        conn,
        job,
        "UPDATE jobs SET lease_until = :until, updated_at = :now",
        {"until": until, "now": now},
    )


def advance(
    conn: sqlite3.Connection, job: Job, step: str, now: str, payload: dict[str, Any]
) -> None:
    """Record a finished step (call inside the transaction that saved its result)."""
    _fenced(
        conn,
        job,
        "UPDATE jobs SET step = :step, payload = :payload, last_error = NULL, updated_at = :now",
        {"step": step, "payload": json.dumps(payload, ensure_ascii=False), "now": now},
    )
    job.step, job.payload = step, payload


def finish(conn: sqlite3.Connection, job: Job, state: str, now: str, error: str | None) -> None:
    """End the job: done, or failed with the reason."""
    _fenced(
        conn,
        job,
        """UPDATE jobs SET state = :state,
               step = CASE WHEN :state = 'done' THEN 'done' ELSE step END,
               last_error = :error, lease_owner = NULL, lease_until = NULL, updated_at = :now""",
        {"state": state, "error": error, "now": now},
    )
    job.state = state


def release(
    conn: sqlite3.Connection, job: Job, now: str, error: str | None, next_attempt_at: str | None
) -> None:
    """Give the lease back, leaving the job queued at its step (to resume later)."""
    _fenced(
        conn,
        job,
        """UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_until = NULL,
               last_error = coalesce(:error, last_error), next_attempt_at = :next,
               updated_at = :now""",
        {"error": error, "next": next_attempt_at, "now": now},
    )
    job.state = "queued"


def abandon(conn: sqlite3.Connection, job_id: str, error: str, now: str) -> None:
    """Fail an open job whatever its lease (after a bug, so it stops blocking the queue)."""
    with atomic(conn):
        conn.execute(
            """UPDATE jobs SET state = 'failed', last_error = ?, lease_owner = NULL,
                   lease_until = NULL, updated_at = ?
               WHERE id = ? AND state IN ('queued', 'running')""",
            (error, now, job_id),
        )
