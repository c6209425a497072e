"""`zik export -f taskwarrior`: what `task import` reads, and `zik import` reads back.

Each live task is a task with its uuid (a routine's day keeps the Taskwarrior uuid it came
with), quest as project, tags plus `milestone-N` for its milestone, priority letter (medium is
no priority, as Taskwarrior's default), status,
due (its day's midnight in the timezone used, or the exact time it came with), start and end,
and its notes as annotations. zik's own fields ride along as attributes Taskwarrior keeps
without knowing them (`zikquest`, `zikmilestone`, `zikroutine`, `zikestimate`, `zikskipped`),
and the attributes an import kept in the notes are written back as they were.

A routine is a recurring task: daily, weekdays, or weekly on one day; one on several weekdays
(and weekends) is one weekly task per day, which `zik import` joins again. A routine from
Taskwarrior keeps its anchor and mask, so Taskwarrior carries on its series; one made in zik
starts the day after its last instance here, so Taskwarrior never makes a day zik already has.
Paused routines are left out: Taskwarrior cannot pause a recurring task.
A skipped task (let go) is deleted in Taskwarrior, marked `zikskipped` so it comes back skipped.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from zik.core import clock
from zik.core.exchange.taskwarrior import fields as tw
from zik.core.routines import backend_weekday, matches
from zik.models import Milestone, Quest, Routine, Task
from zik.store import records
from zik.text import dumps

_SERIES = ("parent", "imask", "recur", "rtype", "mask")  # a recurring task's bookkeeping
_NAMESPACE = uuid.UUID("0d6f3c52-1f1e-4f7e-8b8a-6a7e0b1c2d3e")  # one template per weekday


def dump(conn: sqlite3.Connection, zone_name: str) -> Iterator[str]:
    """The export as `task export` writes it: a JSON array, one task per line."""
    zone = clock.zone(zone_name)
    today = clock.now().astimezone(zone).date()
    quests = {q.goal_id: q.goal_name for q in records.every(conn, Quest, "goal_id", live_only=True)}
    sequences = {
        m.milestone_id: m.sequence
        for m in records.every(conn, Milestone, "milestone_id", live_only=True)
    }
    last = dict(
        conn.execute(
            "SELECT recurrence_rule_id, max(due_date) FROM tasks"
            " WHERE recurrence_rule_id IS NOT NULL GROUP BY recurrence_rule_id"
        ).fetchall()
    )
    first = True
    yield "["
    for routine in records.every(conn, Routine, "created_at, recurrence_rule_id", live_only=True):
        if routine.status != "active":
            continue
        for item in _templates(routine, quests, zone, today, last.get(routine.recurrence_rule_id)):
            yield ("\n" if first else ",\n") + dumps(item)
            first = False
    for task in records.every(conn, Task, "created_at, task_id", live_only=True):
        yield ("\n" if first else ",\n") + dumps(_task(task, quests, sequences, zone))
        first = False
    yield "\n]\n"


def _common(record: Any, title: str, quests: dict[str, str]) -> tuple[dict, dict]:
    """The attributes every exported task has, and those the notes kept."""
    annotations, kept = tw.read_notes(record.description)
    entry = tw.basic(tw.from_stamp(record.created_at))
    out: dict[str, Any] = {k: v for k, v in kept.items() if v is not None and k not in tw.MAPPED}
    out.update(
        description=title,
        entry=entry,
        modified=tw.basic(tw.from_stamp(record.updated_at)),
    )
    if record.goal_id in quests:
        out.update(project=quests[record.goal_id], **{tw.QUEST: record.goal_id})
    out.pop("priority", None)
    if record.priority != "medium":
        out["priority"] = tw.LETTER[record.priority]
    elif isinstance(kept.get("priority"), str):
        out["priority"] = kept["priority"]  # a priority UDA's value, read here as medium
    if record.estimated_minutes:
        out[tw.ESTIMATE] = record.estimated_minutes
    out["annotations"] = [
        {"entry": moment or entry, "description": text} for moment, text in annotations if text
    ]
    if not out["annotations"]:
        del out["annotations"]
    return out, kept


def _task(
    task: Task, quests: dict[str, str], sequences: dict[str, int], zone: ZoneInfo
) -> dict[str, Any]:
    title = task.task_name
    annotations, _ = tw.read_notes(task.description)
    if title.endswith("…") and annotations and annotations[0][0] is None:  # cut to fit a title
        head = annotations[0][1].partition("\n")[0]
        if head.startswith(title[:-1]):
            title = head
            task = task.replace(description=task.description.split("\n", 1)[1] if "\n" in task.description else None)  # type: ignore[union-attr]  # fmt: skip
    out, kept = _common(task, title, quests)
    theirs = kept.get("uuid")  # the instance's own uuid in Taskwarrior, if it had another
    out["uuid"] = theirs if isinstance(theirs, str) and tw.is_uuid(theirs) else task.task_id
    if task.recurrence_rule_id:
        out[tw.ROUTINE] = task.recurrence_rule_id
    else:
        for name in _SERIES:
            out.pop(name, None)  # its series did not come: a one-off task
    due = kept.get("due")
    if "due" in kept and due is None:
        pass  # no due in Taskwarrior
    elif (
        isinstance(due, str)
        and (moment := tw.parse(due)) is not None
        and (moment.year >= 9000 or tw.local_day(moment, zone) == task.due_date)
    ):
        out["due"] = due
    else:
        out["due"] = tw.midnight(task.due_date, zone)
    if task.started_at:
        out["start"] = tw.basic(tw.from_stamp(task.started_at))
    if task.status == "completed":
        finished = task.completed_at or task.updated_at  # (the app may not say when)
        out.update(status="completed", end=tw.basic(tw.from_stamp(finished)))
    elif task.skipped_at:
        skipped = tw.basic(tw.from_stamp(task.skipped_at))
        out.update(status="deleted", end=skipped, **{tw.SKIPPED: skipped})
    else:  # waiting too: Taskwarrior 2.6 and later derive it from `wait`
        out["status"] = "pending"
    tags = list(task.tags or ())
    if task.milestone_id in sequences:
        tags.append(f"milestone-{sequences[task.milestone_id]}")
        out[tw.MILESTONE] = task.milestone_id
    if tags:
        out["tags"] = tags
    return out


def _templates(
    routine: Routine, quests: dict[str, str], zone: ZoneInfo, today: date, last: str | None
) -> list[dict[str, Any]]:
    out, kept = _common(routine, routine.title, quests)
    rule = routine.recurrence_rule_id
    base = rule.removeprefix("rule_")
    try:
        base = str(uuid.UUID(base))
    except ValueError:
        base = str(uuid.uuid5(_NAMESPACE, rule))
    out.update(uuid=base, status="recurring")
    anchor = tw.parse(kept.get("due"))
    days = routine.days_of_week or []
    theirs = (
        anchor is not None
        and tw.repeat(None, kept.get("recur")) == routine.frequency
        and (
            routine.frequency != "weekly"
            or days == [backend_weekday(anchor.astimezone(zone).date())]
        )  # fmt: skip
    )
    if theirs:  # Taskwarrior's series, unchanged here: it carries on from its anchor and mask
        return [{**out, "due": kept["due"]}]
    for name in _SERIES:
        out.pop(name, None)
    start = max(today, date.fromisoformat(last) + timedelta(days=1)) if last else today
    out.update({tw.ROUTINE: rule, tw.FREQUENCY: routine.frequency})
    if routine.frequency in ("daily", "weekdays"):
        day = tw.next_day(start, lambda d: matches(routine, d))
        return [{**out, "recur": routine.frequency, "due": tw.midnight(day.isoformat(), zone)}]
    if routine.frequency == "weekends":
        days = [0, 6]
    out[tw.DAYS] = ",".join(map(str, days))
    made = []
    for weekday in days:
        day = tw.next_day(start, lambda d, w=weekday: backend_weekday(d) == w)
        one = {**out, "recur": "weekly", "due": tw.midnight(day.isoformat(), zone)}
        if len(days) > 1:
            one["uuid"] = str(uuid.uuid5(uuid.UUID(base), str(weekday)))
        made.append(one)
    return made
