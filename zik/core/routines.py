"""Routines: recurrence rules that put a task on matching days.

A routine's task for a date has a deterministic id, uuid5(ROUTINE_NAMESPACE, "<rule id>:<date>"),
so re-running, a second device, or the cloud can never make a duplicate (anchors.md §0.3).
Materialising is cheap when nothing is missing: one read of the active rules and one indexed
lookup of today's ids; a write happens only for instances that do not exist yet. A routine task
the user deleted stays deleted (its tombstone keeps the id taken).
"""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date, datetime, time, timedelta

from zik.core import clock, validate
from zik.core.changes import change_set
from zik.errors import UsageError
from zik.models import FREQUENCIES, Quest, Routine, Task
from zik.store import records
from zik.store import routines as routine_store
from zik.store import tasks as task_store

ROUTINE_NAMESPACE = uuid.UUID("6f1c1b4e-7a7e-4d0b-9a53-2b7f0e6c9d21")
DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # 0 = Sunday, as the backend


def instance_id(rule_id: str, day: date) -> str:
    return str(uuid.uuid5(ROUTINE_NAMESPACE, f"{rule_id}:{day.isoformat()}"))


def backend_weekday(day: date) -> int:
    """0 = Sunday … 6 = Saturday (Python's weekday() has Monday = 0)."""
    return (day.weekday() + 1) % 7


def matches(routine: Routine, day: date) -> bool:
    weekday = backend_weekday(day)
    return {
        "daily": True,
        "weekdays": 1 <= weekday <= 5,
        "weekends": weekday in (0, 6),
        "weekly": weekday in (routine.days_of_week or ()),
    }.get(routine.frequency, False)


def parse_days(text: str) -> list[int]:
    days = []
    for word in text.lower().replace(" ", "").split(","):
        if word[:3] not in DAY_NAMES:
            raise UsageError(f"unknown weekday {word!r}", hint="use mon,tue,wed,thu,fri,sat,sun")
        days.append(DAY_NAMES.index(word[:3]))
    return sorted(set(days))


def find(conn: sqlite3.Connection, ref: str) -> Routine:
    return records.find(conn, Routine, ref)


def add(
    conn: sqlite3.Connection,
    title: str,
    *,
    every: str,
    on: str | None = None,
    quest_ref: str | None = None,
    priority: str = "medium",
    description: str | None = None,
    estimate: int | None = None,
) -> Routine:
    every = every.strip().lower()
    if every not in FREQUENCIES:
        raise UsageError(f"unknown frequency {every!r}", hint=f"use {', '.join(FREQUENCIES)}")
    days = parse_days(on) if on else None
    if every == "weekly" and not days:
        raise UsageError("a weekly routine needs --on, e.g. --on mon,thu")
    if days and every != "weekly":
        raise UsageError("--on only applies to --every weekly")
    routine = Routine(
        recurrence_rule_id=f"rule_{uuid.uuid4()}",
        title=validate.title(title),
        frequency=every,
        days_of_week=days,
        priority=validate.priority(priority),
        description=validate.description(description),
        estimated_minutes=validate.minutes(estimate),
    )
    with change_set(conn, f"routine add {routine.title}") as cs:
        if quest_ref:
            routine.goal_id = records.find(conn, Quest, quest_ref).goal_id
        return cs.insert(routine)


def schedule(r: Routine) -> str:
    """When a routine comes back, as people read it: `daily`, `weekly on mon,thu`."""
    if r.frequency == "weekly":
        return "weekly on " + ",".join(DAY_NAMES[d] for d in r.days_of_week or [])
    return r.frequency


def list_routines(conn: sqlite3.Connection) -> list[Routine]:
    return routine_store.list_where(conn)


def set_status(conn: sqlite3.Connection, ref: str, status: str) -> Routine:
    with change_set(conn, f"routine {status} {ref}") as cs:
        event = "routine.paused" if status == "paused" else "routine.resumed"
        return cs.update(find(conn, ref), event, status=status)


def remove(conn: sqlite3.Connection, ref: str) -> Routine:
    with change_set(conn, f"routine rm {ref}") as cs:
        return cs.delete(find(conn, ref))


def not_yet_made(conn: sqlite3.Connection, day: date) -> list[Routine]:
    """The routines due that day whose task is not made yet (a deleted one counts as made)."""
    iso = day.isoformat()
    due = [
        r
        for r in routine_store.producing(conn)
        if matches(r, day) and iso not in (r.exdates or ())  # its task that day was deleted
    ]
    made = task_store.existing_ids(conn, [instance_id(r.recurrence_rule_id, day) for r in due])
    return [r for r in due if instance_id(r.recurrence_rule_id, day) not in made]


def lapse(conn: sqlite3.Connection, day: date, timezone: str) -> list[Task]:
    """A routine's task from a day before `day` that was not done lapses with its day: marked
    skipped at the end of that day (the same instant on every device, so two devices lapsing
    it agree). It counts as missed, and is never overdue."""
    open_ones = task_store.lapsed_routine_tasks(conn, day.isoformat())
    if not open_ones:
        return []
    zone = clock.zone(timezone)
    with change_set(conn, f"routine tasks before {day} lapsed", undoable=False) as cs:
        lapsed = []
        for task in open_ones:
            current = records.get(conn, Task, task.task_id)
            if not current.is_open:
                continue  # done or lapsed meanwhile (another process)
            end = datetime.combine(date.fromisoformat(current.due_date), time(), zone)
            stamp = clock.iso(end + timedelta(days=1))
            lapsed.append(cs.update(current, "task.skipped", skipped_at=stamp))
    return lapsed


def _missing(conn: sqlite3.Connection, wanted: dict[str, Routine], day: date) -> set[str]:
    """The instance ids of `wanted` with no task yet: not under their own id (a tombstone
    counts: a deleted instance stays deleted), nor under another id on that day (the api
    remote re-keys a synced instance to the backend's id)."""
    missing = set(wanted) - task_store.existing_ids(conn, list(wanted))
    if missing:
        rules = [wanted[i].recurrence_rule_id for i in missing]
        there = task_store.rules_with_task_on(conn, day.isoformat(), rules)
        missing = {i for i in missing if wanted[i].recurrence_rule_id not in there}
    return missing


def materialise(conn: sqlite3.Connection, day: date) -> list[Task]:
    """Create the day's missing routine tasks; returns the ones created (often none)."""
    due = [r for r in routine_store.producing(conn) if matches(r, day)]
    if not due:
        return []
    wanted = {instance_id(r.recurrence_rule_id, day): r for r in due}
    if not _missing(conn, wanted, day):
        return []
    created = []
    with change_set(conn, f"routine tasks for {day}", undoable=False) as cs:
        # Re-check inside the write lock: another process may have just made them.
        missing = _missing(conn, wanted, day)
        for task_id, rule in wanted.items():
            if task_id in missing:
                created.append(
                    cs.insert(
                        Task(
                            task_id=task_id,
                            task_name=rule.title,
                            due_date=day.isoformat(),
                            description=rule.description,
                            priority=rule.priority,
                            goal_id=rule.goal_id,
                            recurrence_rule_id=rule.recurrence_rule_id,
                            estimated_minutes=rule.estimated_minutes,
                            source="routine",
                        ),
                        "task.created",
                    )
                )
    return created
