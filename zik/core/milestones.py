"""Hand-made and hand-edited roadmaps: add, edit, move, complete and remove milestones."""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from zik.core import validate
from zik.core.changes import Outcome, change_set
from zik.core.plan import progression
from zik.errors import UsageError
from zik.models import Milestone, Quest
from zik.store import quests as quest_store
from zik.store import records
from zik.store import tasks as task_store


def find(conn: sqlite3.Connection, ref: str) -> Milestone:
    return records.find(conn, Milestone, ref)


def add(
    conn: sqlite3.Connection,
    quest_ref: str,
    title: str,
    *,
    days: int | None = None,
    description: str | None = None,
) -> Milestone:
    """Append a milestone to a quest's roadmap (active if it is the first one left to do)."""
    title = validate.title(title)
    with change_set(conn, f"milestone add {title}") as cs:
        quest = records.find(conn, Quest, quest_ref)
        existing = quest_store.milestones_of(conn, quest.goal_id)
        milestone = cs.insert(
            Milestone(
                milestone_id=f"milestone_{uuid.uuid4()}",
                goal_id=quest.goal_id,
                sequence=(existing[-1].sequence + 1) if existing else 1,
                title=title,
                description=validate.description(description),
                duration_in_days=validate.days(days),
            )
        )
        if quest.status == "completed":  # new work on a finished quest reopens it
            cs.update(quest, "quest.reopened", status="active", completed_at=None)
        progression.settle(cs, quest.goal_id)
        return records.get(conn, Milestone, milestone.milestone_id)


def edit(
    conn: sqlite3.Connection,
    ref: str,
    *,
    title: str | None = None,
    description: str | None = None,
    days: int | None = None,
) -> Milestone:
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = validate.title(title)
    if description is not None:
        changes["description"] = validate.description(description)
    if days is not None:
        changes["duration_in_days"] = validate.days(days)
    if not changes:
        raise UsageError("nothing to change", hint="pass --title, --description or --days")
    with change_set(conn, f"milestone edit {ref}") as cs:
        return cs.update(find(conn, ref), **changes)


def move(conn: sqlite3.Connection, ref: str, position: int) -> list[Milestone]:
    """Put a milestone at a 1-based position in its roadmap; returns the new order."""
    with change_set(conn, f"milestone move {ref} {position}") as cs:
        milestone = find(conn, ref)
        order = quest_store.milestones_of(conn, milestone.goal_id)
        if not 1 <= position <= len(order):
            raise UsageError(f"position must be between 1 and {len(order)}, not {position}")
        order = [m for m in order if m.milestone_id != milestone.milestone_id]
        order.insert(position - 1, milestone)
        for sequence, m in enumerate(order, start=1):
            cs.update(m, "milestone.moved", sequence=sequence)
        progression.settle(cs, milestone.goal_id)
        return quest_store.milestones_of(conn, milestone.goal_id)


def complete(conn: sqlite3.Connection, ref: str) -> Outcome:
    """Mark a milestone done by hand; the next one becomes active (or the quest completes)."""
    with change_set(conn, f"milestone done {ref}") as cs:
        milestone = find(conn, ref)
        if milestone.status != "completed":
            milestone = progression.complete_milestone(cs, milestone)
        return Outcome([milestone], cs.events)


def remove(conn: sqlite3.Connection, ref: str) -> Milestone:
    """Delete a milestone and its open tasks (completed ones stay in the history)."""
    with change_set(conn, f"milestone rm {ref}") as cs:
        milestone = find(conn, ref)
        for task in task_store.open_in_milestone(conn, milestone.milestone_id):
            cs.delete(task)
        removed = cs.delete(milestone)
        remaining = quest_store.milestones_of(conn, milestone.goal_id)
        for sequence, m in enumerate(remaining, start=1):
            cs.update(m, "milestone.moved", sequence=sequence)
        progression.settle(cs, milestone.goal_id)
        return removed
