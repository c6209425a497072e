"""`zik why` and `zik usage`: where a record came from, and what the AI has cost.

`why` answers for any record (task, milestone, quest, routine) or AI call: who made it (you, the
AI, a routine, a sync), in which command, what happened to it since, and for AI-made records the
call behind it: provider, model, tokens, cost, and (for recent calls) the prompt and raw reply.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, time, timedelta
from typing import Any

from zik.core import clock, profile
from zik.errors import NotFound
from zik.models import AICall, Milestone, Quest, Record, Routine, Task
from zik.store import ai_calls as call_store
from zik.store import events as event_store
from zik.store import records

MAX_SUBJECT_CALLS = 6
_LOOKUP_ORDER: tuple[type[Record], ...] = (Task, Milestone, Quest, Routine)


def call_json(call: AICall, *, bodies: bool = False) -> dict[str, Any]:
    data = {
        "id": call.id,
        "createdAt": call.created_at,
        "purpose": call.purpose,
        "provider": call.provider,
        "model": call.model,
        "subject": call.subject,
        "attempt": call.attempt,
        "repairOf": call.repair_of,
        "outcome": call.outcome,
        "usage": {
            "inputTokens": call.input_tokens,
            "outputTokens": call.output_tokens,
            "cacheReadTokens": call.cache_read_tokens,
            "cacheWriteTokens": call.cache_write_tokens,
        },
        "latencyMs": call.latency_ms,
        "stopReason": call.stop_reason,
        "costUsd": call.cost_usd,
        "error": call.error,
    }
    if bodies:
        data["request"] = call.request and json.loads(call.request)
        data["response"] = call.response and json.loads(call.response)
    return data


def asked(call: AICall) -> list[str]:
    """What the call asked, as lines: the prompt's user message, or the offline request."""
    if not call.request:
        return []
    request = json.loads(call.request)
    if "messages" in request:  # the newest user turn: the prompt, or the repair request
        block = request["messages"][-1]["content"][0]
        if "toolResult" in block:
            block = block["toolResult"]["content"][0]
        return str(block.get("text", "")).splitlines()
    return [f"{k}: {v}" for k, v in request.items() if v not in (None, "", [], {})]


def replied(call: AICall) -> list[str]:
    """What the model answered, as lines: its text and each tool input (raw when it was not JSON)."""
    if not call.response:
        return []
    response = json.loads(call.response)
    if "toolUses" not in response:  # the offline provider's plan
        return json.dumps(response, indent=2, ensure_ascii=False).splitlines()
    lines = str(response.get("text") or "").splitlines()
    raws = response.get("rawToolInput") or []
    for n, use in enumerate(response["toolUses"]):
        body = use.get("input")
        shown = json.dumps(body, indent=2, ensure_ascii=False) if body is not None else raws[n]
        lines += [f"{use.get('name')}:", *shown.splitlines()]
    return lines


class Why:
    """The story of one record, or of one AI call."""

    def __init__(
        self,
        record: Record | None,
        history: list[dict[str, Any]],
        calls: list[AICall],
        created: list[tuple[str, str, str]],
    ):
        self.record, self.history, self.calls, self.created = record, history, calls, created

    @property
    def call(self) -> AICall | None:
        """The call that produced the record (or the call asked about)."""
        return self.calls[0] if self.calls else None

    def to_json(self) -> dict[str, Any]:
        record = self.record
        return {
            "entity": record.ENTITY if record else "ai_call",
            "record": record.to_json() if record else None,
            "source": getattr(record, "source", None) if record else None,
            "history": [
                {
                    "at": h["created_at"],
                    "type": h["type"],
                    "command": h["summary"],
                    "undone": bool(h["undone"]),
                }
                for h in self.history
            ],
            "aiCalls": [call_json(c, bodies=True) for c in self.calls],
            "created": [{"entity": e, "id": i, "title": t} for e, i, t in self.created],
        }


def why(conn: sqlite3.Connection, ref: str) -> Why:
    """Look `ref` up as a task, milestone, quest, routine, then AI call id."""
    for cls in _LOOKUP_ORDER:
        try:
            record = records.find(conn, cls, ref)
        except NotFound:
            continue
        history = event_store.history_of(conn, record.ENTITY, record.key)
        call_id = getattr(record, "ai_call_id", None)
        calls = _with_repairs(conn, call_id) if call_id else []
        if isinstance(record, Quest):  # the calls that planned (or failed to plan) its roadmap
            seen = {c.id for c in calls}
            about = [c for c in call_store.of_subject(conn, record.goal_id) if c.id not in seen]
            calls += about[-MAX_SUBJECT_CALLS:]
        return Why(record, history, calls, [])
    try:
        call = call_store.find(conn, ref)
    except NotFound:
        raise NotFound(
            f"nothing matches {ref!r}", hint="give a task, milestone, quest, routine or AI call id"
        ) from None
    return Why(None, [], _with_repairs(conn, call.id), call_store.created_by(conn, call.id))


def _with_repairs(conn: sqlite3.Connection, call_id: str) -> list[AICall]:
    """The call, then the attempt it repaired (if any) and the repair rounds it led to."""
    call = call_store.get(conn, call_id)
    if call is None:
        return []
    first = call_store.get(conn, call.repair_of) if call.repair_of else None
    repairs = [c for c in call_store.repairs_of(conn, call.id)]
    return [call, *([first] if first else []), *repairs]


class Usage:
    def __init__(
        self, by: str, rows: list[dict[str, Any]], days: int | None, saved: float | None = None
    ):
        self.by, self.rows, self.days = by, rows, days
        self.saved = saved  # dollars the prompt cache saved (reads priced as plain input)

    @property
    def total(self) -> dict[str, Any]:
        keys = (
            "calls",
            "failed",
            "input_tokens",
            "output_tokens",
            "cache_read_tokens",
            "cache_write_tokens",
            "unpriced",
        )
        sums = {k: sum(r[k] or 0 for r in self.rows) for k in keys}
        sums["cost"] = round(sum(r["cost"] or 0 for r in self.rows), 6)
        return sums

    def to_json(self) -> dict[str, Any]:
        def camel(row: dict[str, Any]) -> dict[str, Any]:
            return {
                "calls": row["calls"],
                "failed": row["failed"],
                "inputTokens": row["input_tokens"],
                "outputTokens": row["output_tokens"],
                "cacheReadTokens": row["cache_read_tokens"],
                "cacheWriteTokens": row["cache_write_tokens"],
                "costUsd": row["cost"],
                "unpricedCalls": row["unpriced"],
                **({"latencyMs": row["latency_ms"]} if "latency_ms" in row else {}),
            }

        return {
            "by": self.by,
            "days": self.days,
            "groups": [{"key": r["key"], **camel(r)} for r in self.rows],
            "total": camel(self.total),
            "cacheSavedUsd": self.saved,
        }


def usage(conn: sqlite3.Connection, by: str = "purpose", *, days: int | None = None) -> Usage:
    """AI calls added up by purpose, model or (local) day, over the last `days` local days."""
    tz = clock.zone(profile.load(conn).timezone)
    local_now = clock.now().astimezone(tz)
    since = None
    if days is not None:
        first_day = local_now.date() - timedelta(days=days - 1)
        since = clock.iso(datetime.combine(first_day, time(0), tzinfo=tz))
    offset = local_now.utcoffset() or timedelta(0)
    rows = call_store.totals(
        conn, by, since=since, utc_offset_minutes=int(offset.total_seconds() // 60)
    )
    return Usage(by, rows, days, _saved(call_store.cache_reads(conn, since=since)))


def _saved(reads: dict[str, int]) -> float:
    """What the cache reads would have cost as plain input, less what they cost as reads."""
    from zik.ai import pricing
    from zik.ai.reply import Usage as Tokens

    saved = 0.0
    for model, tokens in reads.items():
        plain = pricing.estimate(model, Tokens(input_tokens=tokens))
        cached = pricing.estimate(model, Tokens(cache_read_tokens=tokens))
        if plain is not None and cached is not None:
            saved += plain - cached
    return round(saved, 6)
