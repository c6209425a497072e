"""Tasks: the concrete things to do on a day."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date, timedelta
from typing import Any

from zik.core import clock, validate
from zik.core.changes import ChangeSet, Outcome, change_set
from zik.core.plan import progression
from zik.errors import UsageError
from zik.models import OPEN_TASK_STATUSES, TASK_STATUSES, Quest, Task
from zik.store import quests as quest_store
from zik.store import records
from zik.store import tasks as task_store

DUE_FILTERS = ("today", "tomorrow", "overdue", "week", "all")
STATUS_FILTERS = ("open", "all", *TASK_STATUSES, "skipped")


class TaskList:
    """A page of tasks, the total that matched, and the quests they belong to."""

    def __init__(self, tasks: list[Task], total: int, quests: dict[str, Quest]):
        self.tasks, self.total, self.quests = tasks, total, quests

    def to_json(self) -> list[dict[str, Any]]:
        return [t.to_json() for t in self.tasks]


def find(conn: sqlite3.Connection, ref: str) -> Task:
    return records.find(conn, Task, ref)


def add(
    conn: sqlite3.Connection,
    title: str,
    *,
    today: date,
    due: str | None = None,
    priority: str = "medium",
    quest_ref: str | None = None,
    description: str | None = None,
    estimate: int | None = None,
    tags: list[str] | None = None,
) -> Task:
    """Create a task; with a quest it joins that quest's active milestone."""
    task = Task(
        task_id=str(uuid.uuid4()),
        task_name=validate.title(title),
        due_date=(clock.parse_date(due, today) if due else today).isoformat(),
        priority=validate.priority(priority),
        description=validate.description(description),
        estimated_minutes=validate.minutes(estimate),
        tags=validate.tags(tags or []),
    )
    with change_set(conn, f"task add {task.task_name}") as cs:
        if quest_ref:
            quest = records.find(conn, Quest, quest_ref)
            active = quest_store.active_milestones(conn, [quest.goal_id]).get(quest.goal_id)
            task.goal_id = quest.goal_id
            task.milestone_id = active.milestone_id if active else None
        return cs.insert(task)


def list_tasks(
    conn: sqlite3.Connection,
    *,
    today: date,
    due: str = "all",
    status: str = "open",
    quest_ref: str | None = None,
    limit: int | None = 50,
    tag: str | None = None,
) -> TaskList:
    if status not in STATUS_FILTERS:
        raise UsageError(f"unknown status {status!r}", hint=f"use {', '.join(STATUS_FILTERS)}")
    statuses = {"open": OPEN_TASK_STATUSES, "all": None}.get(status, (status,))
    due_from = due_to = None
    if due == "today":
        due_from = due_to = today.isoformat()
    elif due == "tomorrow":
        due_from = due_to = (today + timedelta(days=1)).isoformat()
    elif due == "overdue":
        due_to = (today - timedelta(days=1)).isoformat()
        statuses = OPEN_TASK_STATUSES
    elif due == "week":
        due_from, due_to = today.isoformat(), (today + timedelta(days=6)).isoformat()
    elif due != "all":
        due_from = due_to = clock.parse_date(due, today).isoformat()
    goal_id = records.find(conn, Quest, quest_ref).goal_id if quest_ref else None
    if limit is not None and limit < 0:
        raise UsageError("--limit must be 0 (no limit) or more")
    tasks, total = task_store.list_where(
        conn,
        statuses=statuses,
        due_from=due_from,
        due_to=due_to,
        goal_id=goal_id,
        tag=validate.tags([tag])[0] if tag is not None else None,
        limit=limit or None,
    )
    quests = quest_store.by_ids(conn, sorted({t.goal_id for t in tasks if t.goal_id}))
    return TaskList(tasks, total, quests)


def _each(conn: sqlite3.Connection, summary: str, refs: list[str], act) -> Outcome:
    """Apply `act(cs, task)` to every referenced task in one change set.

    Tasks are deduplicated by id, not by the text typed: `3f2a 3f2a9c1b` names one task, and
    acting on it twice would record its event twice.
    """
    if not refs:
        raise UsageError("give at least one task id")
    with change_set(conn, summary) as cs:
        tasks = {task.task_id: task for task in (find(conn, ref) for ref in refs)}
        items = [act(cs, task) for task in tasks.values()]
        return Outcome(items, cs.events)


def complete(conn: sqlite3.Connection, refs: list[str]) -> Outcome:
    def act(cs: ChangeSet, task: Task) -> Task:
        if task.status == "completed":
            return task
        done = cs.update(task, "task.completed", status="completed", completed_at=cs.ts)
        progression.on_task_completed(cs, done)
        return records.get(cs.conn, Task, task.task_id)

    return _each(conn, f"task done {' '.join(refs)}", refs, act)


def start(conn: sqlite3.Connection, refs: list[str]) -> Outcome:
    def act(cs: ChangeSet, task: Task) -> Task:
        if task.status == "completed":
            raise UsageError(f"task {task.task_name!r} is completed; reopen it first")
        return cs.update(
            task, "task.started", status="in-progress", started_at=cs.ts, skipped_at=None
        )

    return _each(conn, f"task start {' '.join(refs)}", refs, act)


def reopen(conn: sqlite3.Connection, refs: list[str]) -> Outcome:
    def act(cs: ChangeSet, task: Task) -> Task:
        return cs.update(
            task, "task.reopened", status="pending", completed_at=None, skipped_at=None
        )

    return _each(conn, f"task reopen {' '.join(refs)}", refs, act)


def remove(conn: sqlite3.Connection, refs: list[str]) -> Outcome:
    return _each(conn, f"task rm {' '.join(refs)}", refs, lambda cs, task: cs.delete(task))


def edit(
    conn: sqlite3.Connection,
    ref: str,
    *,
    today: date,
    title: str | None = None,
    due: str | None = None,
    priority: str | None = None,
    description: str | None = None,
    estimate: int | None = None,
    quest_ref: str | None = None,
    tag: list[str] | None = None,
    untag: list[str] | None = None,
) -> Task:
    changes: dict[str, Any] = {}
    if title is not None:
        changes["task_name"] = validate.title(title)
    if due is not None:
        changes["due_date"] = clock.parse_date(due, today).isoformat()
        changes["skipped_at"] = None  # given a day again: no longer let go
    if priority is not None:
        changes["priority"] = validate.priority(priority)
    if description is not None:
        changes["description"] = validate.description(description)
    if estimate is not None:
        changes["estimated_minutes"] = validate.minutes(estimate)
    with change_set(conn, f"task edit {ref}") as cs:
        if quest_ref is not None:
            if quest_ref in ("", "none"):
                changes.update(goal_id=None, milestone_id=None)
            else:
                quest = records.find(conn, Quest, quest_ref)
                active = quest_store.active_milestones(conn, [quest.goal_id]).get(quest.goal_id)
                changes.update(goal_id=quest.goal_id, milestone_id=active and active.milestone_id)
        task = find(conn, ref)
        if tag or untag:
            gone = set(validate.tags(untag or []))
            kept = [t for t in task.tags if t not in gone]
            changes["tags"] = validate.tags(kept + validate.tags(tag or []))
        if not changes:
            raise UsageError(
                "nothing to change",
                hint="pass --title, --due, --priority, --description, --estimate, --quest or --tag",
            )
        return cs.update(task, **changes)
