"""The AI call log: append a call, find one, and add up usage.

Each call is written in its own short transaction as soon as it returns, so a failed command
still leaves the record of what the model said (exit 6 keeps the raw reply here).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from zik.errors import AmbiguousId, NotFound, UsageError
from zik.models import AICall
from zik.store import records
from zik.store.db import atomic

GROUPS = {
    "purpose": "purpose",
    "model": "provider || ' ' || model",
    "day": "substr(datetime(created_at, :shift), 1, 10)",  # the local day (shift: UTC offset)
}


def insert(conn: sqlite3.Connection, call: AICall, *, keep_bodies: int) -> None:
    """Log a call, and drop the request/response of successful calls beyond the newest
    `keep_bodies`. Failed and rejected calls keep theirs: exit 6 promises the raw reply."""
    with atomic(conn):
        records.insert(conn, call)
        conn.execute(
            """
            UPDATE ai_calls SET request = NULL, response = NULL
            WHERE request IS NOT NULL AND outcome = 'ok' AND id NOT IN (
                SELECT id FROM ai_calls WHERE outcome = 'ok'
                ORDER BY created_at DESC, rowid DESC LIMIT ?
            )
            """,
            (max(0, keep_bodies),),
        )


def find(conn: sqlite3.Connection, ref: str) -> AICall:
    text = ref.strip().lower()
    rows = conn.execute("SELECT * FROM ai_calls WHERE id GLOB ? LIMIT 2", (text + "*",)).fetchall()
    if not rows:
        raise NotFound(f"no AI call matches {ref!r}")
    if len(rows) > 1:
        raise AmbiguousId(f"{ref!r} matches several AI calls", hint="type more characters")
    return AICall.from_row(rows[0])


def of_subject(conn: sqlite3.Connection, subject: str) -> list[AICall]:
    rows = conn.execute(
        "SELECT * FROM ai_calls WHERE subject = ? ORDER BY created_at, rowid", (subject,)
    ).fetchall()
    return [AICall.from_row(r) for r in rows]


def get(conn: sqlite3.Connection, call_id: str) -> AICall | None:
    row = conn.execute("SELECT * FROM ai_calls WHERE id = ?", (call_id,)).fetchone()
    return None if row is None else AICall.from_row(row)


def repairs_of(conn: sqlite3.Connection, call_id: str) -> list[AICall]:
    rows = conn.execute(
        "SELECT * FROM ai_calls WHERE repair_of = ? ORDER BY created_at, rowid", (call_id,)
    ).fetchall()
    return [AICall.from_row(r) for r in rows]


def cache_reads(conn: sqlite3.Connection, *, since: str | None = None) -> dict[str, int]:
    """Cache-read tokens per model (what the prompt cache saved is priced per model)."""
    where = "WHERE cache_read_tokens > 0" + (" AND created_at >= :since" if since else "")
    rows = conn.execute(
        f"SELECT model, sum(cache_read_tokens) FROM ai_calls {where} GROUP BY model",
        {"since": since},
    ).fetchall()
    return {model: tokens for model, tokens in rows}


def totals(
    conn: sqlite3.Connection, by: str, *, since: str | None = None, utc_offset_minutes: int = 0
) -> list[dict[str, Any]]:
    """Calls, tokens, cost, errors and mean latency per group, biggest cost first.

    `since` is a UTC timestamp; days are the user's local days, `utc_offset_minutes` from UTC.
    """
    if by not in GROUPS:
        raise UsageError(f"cannot group usage by {by!r}", hint="use purpose, model or day")
    where = "WHERE created_at >= :since" if since else ""
    args = {"since": since, "shift": f"{utc_offset_minutes:+d} minutes"}
    order = "key DESC" if by == "day" else "cost DESC, calls DESC, key"
    rows = conn.execute(
        f"""
        SELECT {GROUPS[by]} AS key,
               count(*) AS calls,
               sum(outcome != 'ok') AS failed,
               sum(input_tokens) AS input_tokens,
               sum(output_tokens) AS output_tokens,
               sum(cache_read_tokens) AS cache_read_tokens,
               sum(cache_write_tokens) AS cache_write_tokens,
               round(coalesce(sum(cost_usd), 0), 6) AS cost,
               sum(cost_usd IS NULL AND provider != 'offline') AS unpriced,
               cast(avg(latency_ms) AS INTEGER) AS latency_ms
        FROM ai_calls {where}
        GROUP BY key ORDER BY {order}
        """,
        args,
    ).fetchall()
    return [dict(r) for r in rows]


def created_by(conn: sqlite3.Connection, call_id: str) -> list[tuple[str, str, str]]:
    """What a call created: (entity, id, title) of live quests, milestones and tasks."""
    rows = conn.execute(
        """SELECT 'quest', goal_id, goal_name FROM quests
               WHERE ai_call_id = :id AND deleted_at IS NULL
           UNION ALL SELECT 'milestone', milestone_id, title FROM milestones
               WHERE ai_call_id = :id AND deleted_at IS NULL
           UNION ALL SELECT 'task', task_id, task_name FROM tasks
               WHERE ai_call_id = :id AND deleted_at IS NULL""",
        {"id": call_id},
    ).fetchall()
    return [tuple(r) for r in rows]  # type: ignore[misc]
