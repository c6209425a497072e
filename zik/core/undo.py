"""`zik undo`: revert the newest change set a person made.

Undo is itself a change set of compensating writes (so sync later pushes it like any edit) and
marks the original as undone; running it again reverts the change before that. It refuses, and
changes nothing, when a record was changed since by something else.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from zik.core.changes import Event, change_set
from zik.errors import NothingToUndo, UndoConflict
from zik.models import ENTITIES, short_id
from zik.store import events as event_store
from zik.store import records


def _unchanged(current: dict[str, Any], expected: dict[str, Any]) -> bool:
    """True when a record still holds what the change set left, apart from `updated_at`.

    An undo writes the old values back under a new `updated_at` (sync must see it as a fresh edit),
    so comparing that stamp would make every second undo of the same record a false conflict.
    """
    return {k: v for k, v in current.items() if k != "updated_at"} == {
        k: v for k, v in expected.items() if k != "updated_at"
    }


@dataclass
class UndoResult:
    summary: str
    created_at: str
    events: list[Event]

    def to_json(self) -> dict[str, Any]:
        return {
            "undone": self.summary,
            "changedAt": self.created_at,
            "events": [
                {"type": e.type, "entity": e.entity, "id": e.entity_id} for e in self.events
            ],
        }


def undo(conn: sqlite3.Connection) -> UndoResult:
    with change_set(conn, "undo", undoable=False) as cs:
        target = event_store.last_undoable(conn)
        if target is None:
            raise NothingToUndo("nothing to undo")
        cs.summary = f"undo {target['summary']}"
        cs.undo_of = target["id"]
        first_before: dict[tuple[str, str], Any] = {}
        last_after: dict[tuple[str, str], Any] = {}
        for event in event_store.events_of(conn, target["id"]):
            key = (event["entity"], event["entity_id"])
            first_before.setdefault(key, event["before"])
            last_after[key] = event["after"]
        for (entity, entity_id), before in reversed(list(first_before.items())):
            cls = ENTITIES[entity]
            current = records.get(conn, cls, entity_id, with_deleted=True)
            if not _unchanged(current.to_row(), last_after[(entity, entity_id)]):
                raise UndoConflict(
                    f"cannot undo {target['summary']!r}: {entity} {short_id(entity_id)}"
                    " was changed since"
                )
            if before is None:  # made by it; a routine made with its days needs no exdates
                rule = getattr(current, "recurrence_rule_id", None) if entity == "task" else None
                cs.delete(current, remember=("routine", rule) not in first_before)
            else:
                restored = cls.from_row(before)
                changes = {k: getattr(restored, k) for k in before if k not in ("updated_at",)}
                cs.update(current, f"{entity}.reverted", **changes)
        event_store.mark_undone(conn, target["id"], cs.id)
        return UndoResult(target["summary"], target["created_at"], cs.events)
