"""Every write goes through a change set: one transaction, one undo step, a list of events.

    with change_set(conn, "task done 3f2a9c1b") as cs:
        cs.update(task, status="completed", completed_at=cs.ts)

The change set row is written lazily, so a command that ends up changing nothing leaves no trace.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from zik.core import clock
from zik.models import ENTITIES, Record, Routine
from zik.store import events, records
from zik.store.db import atomic

EXDATES_KEPT = 60  # the days a routine remembers as deleted (older ones no device makes again)
R = TypeVar("R", bound=Record)

# Inside `via`: {"label": who asked, "id": the step's change set once one committed,
# "summaries": what each change set of the step did}.
_STEP: ContextVar[dict[str, Any] | None] = ContextVar("zik_change_step", default=None)


@contextmanager
def via(label: str) -> Iterator[None]:
    """Changes made inside are one undo step and say who asked for them.

    The chat's tools call the same core functions a command does, each in its own change set;
    inside `via` they share one change-set id, so `zik undo` reverts what a chat turn did as a
    whole ("I'm sick today" moved four tasks: one undo), and the summary names the asker:
    "task edit 3f2a…; task edit 9c1b… (via chat: offline coach)", for `zik why` and `zik undo`.
    """
    token = _STEP.set({"label": label, "summaries": []})
    try:
        yield
    finally:
        _STEP.reset(token)


def _joined(summaries: list[str], label: str) -> str:
    text = "; ".join(summaries)
    if len(text) > 160:
        text = f"{text[:150].rsplit(';', 1)[0]} and {len(summaries) - 1} more"
    return f"{text} (via {label})"


class Event:
    """One change to one record: its type (e.g. task.completed) and the row before and after."""

    __slots__ = ("type", "entity", "entity_id", "before", "after")

    def __init__(self, type: str, entity: str, entity_id: str, before, after):
        self.type, self.entity, self.entity_id = type, entity, entity_id
        self.before: dict[str, Any] | None = before
        self.after: dict[str, Any] | None = after


class ChangeSet:
    """The writes of one command, recorded as events under one change-set id and timestamp."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        summary: str,
        *,
        undoable: bool = True,
        undo_of: str | None = None,
    ):
        self.conn = conn
        step = _STEP.get()
        self.summary = f"{summary} (via {step['label']})" if step else summary
        self.undoable = undoable
        self.undo_of = undo_of
        self.group = step if undoable else None  # an undo is never part of a step
        self.base = summary
        self.id = (self.group or {}).get("id") or str(uuid.uuid4())
        self.ts = clock.timestamp()
        self.events: list[Event] = []

    def _record(self, event_type: str, entity: str, key: str, before, after) -> None:
        if not self.events and self.group and self.group.get("id") == self.id:
            self.group["summaries"].append(self.base)  # one more change of the same step
            joined = _joined(self.group["summaries"], self.group["label"])
            events.set_summary(self.conn, self.id, joined)
        elif not self.events:
            events.insert_change_set(
                self.conn,
                self.id,
                self.ts,
                self.summary,
                undoable=self.undoable,
                undo_of=self.undo_of,
            )
        events.insert_event(self.conn, self.id, self.ts, event_type, entity, key, before, after)
        self.events.append(Event(event_type, entity, key, before, after))

    def insert(self, record: R, event_type: str | None = None) -> R:
        record = record.replace(created_at=record.created_at or self.ts, updated_at=self.ts)
        records.insert(self.conn, record)
        self._record(
            event_type or f"{record.ENTITY}.created",
            record.ENTITY,
            record.key,
            None,
            record.to_row(),
        )
        return record

    def update(self, record: R, event_type: str | None = None, **changes: Any) -> R:
        """Apply `changes` to `record`; a no-op (nothing differs) writes nothing."""
        if all(getattr(record, k) == v for k, v in changes.items()):
            return record
        after = record.replace(**changes, updated_at=self.ts)
        records.update(self.conn, after)
        self._record(
            event_type or f"{record.ENTITY}.updated",
            record.ENTITY,
            record.key,
            record.to_row(),
            after.to_row(),
        )
        return after

    def put(self, record: R, before: R | None = None) -> R:
        """Write a record exactly as given, timestamps included (an import): a new row, or
        `before` overwritten. One `<entity>.imported` event."""
        if before is None:
            records.insert(self.conn, record)
        else:
            records.update(self.conn, record)
        self._record(
            f"{record.ENTITY}.imported",
            record.ENTITY,
            record.key,
            None if before is None else before.to_row(),
            record.to_row(),
        )
        return record

    def delete(self, record: R, *, remember: bool = True) -> R:
        """Tombstone the record (rows are kept for sync and undo). A routine's task deleted
        is remembered on the routine (its `exdates`), so no device makes that day's task again
        (`remember=False`: the routine goes too, as when an undo takes both back)."""
        deleted = self.update(record, f"{record.ENTITY}.deleted", deleted_at=self.ts)
        rule = getattr(record, "recurrence_rule_id", None) if record.ENTITY == "task" else None
        rule = rule if remember else None
        if rule:
            routine = records.lookup(self.conn, Routine, rule)
            if routine is not None and routine.deleted_at is None:
                day = record.due_date  # type: ignore[attr-defined]
                kept = [d for d in routine.exdates or () if d != day][-(EXDATES_KEPT - 1) :]
                self.update(routine, "routine.exdate", exdates=[*kept, day])
        return deleted


@contextmanager
def change_set(
    conn: sqlite3.Connection, summary: str, *, undoable: bool = True, undo_of: str | None = None
) -> Iterator[ChangeSet]:
    """A write transaction whose changes form one undo step; its hooks run after the commit.

    Hooks never run inside the transaction or after a rollback. A change set nested in another
    transaction (a savepoint) holds its events until the outermost change set commits.
    """
    from zik.core import hooks

    outermost = not conn.in_transaction
    if outermost:
        hooks.forget(conn)
    with atomic(conn):
        cs = ChangeSet(conn, summary, undoable=undoable, undo_of=undo_of)
        yield cs
    if cs.events:
        hooks.hold(conn, cs.events, cs.id, cs.ts)
        if cs.group is not None and "id" not in cs.group:  # committed: later ones join it
            cs.group.update(id=cs.id, summaries=[cs.base])
    if outermost:
        hooks.release(conn)


class Outcome:
    """What a write command did: the records it acted on, and every change it caused
    (a completed task can also complete a milestone, activate the next, and finish the quest)."""

    def __init__(self, items: list[Record], events: list[Event]):
        self.items = items
        self.events = events

    def follow_ups(self) -> list[Event]:
        """Changes beyond the items themselves, e.g. a roadmap moving forward."""
        keys = {item.key for item in self.items}
        return [e for e in self.events if e.entity_id not in keys]

    def to_json(self) -> dict[str, Any]:
        return {
            "items": [item.to_json() for item in self.items],
            "events": [
                {
                    "type": e.type,
                    "entity": e.entity,
                    "id": e.entity_id,
                    "after": e.after and ENTITIES[e.entity].from_row(e.after).to_json(),
                }
                for e in self.events
            ],
        }
