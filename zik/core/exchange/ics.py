"""The plan as an iCalendar feed (RFC 5545), for calendar apps: `zik export --format ics`.

One way only. Every live task is a VTODO, each milestone's planned end and each quest's target date
is an all-day VEVENT, and each routine is one recurring VTODO (below). Written by hand to keep zik
free of a runtime dependency, so the rules that matter are here: CRLF line ends, TEXT escaping
(§3.3.11) and folding at 75 octets without splitting a UTF-8 character (§3.1).

UIDs name the kind and the id: `task-<id>@zik`, `milestone-<id>@zik`, `quest-<id>@zik` (its target
date), `routine-<id>@zik`, so a task and a quest sharing an id never share a UID, and importing a
newer export updates the same items.

A routine is a VTODO series, UID `routine-<id>@zik`. Each occurrence is an all-day to-do:
DTSTART;VALUE=DATE on its day and DURATION:P1D, so it is due by the end of that day, when zik lets
an undone routine task lapse. While the routine makes tasks (active, and its quest, if any, active)
the series is the rule zik schedules it by (`routines.matches`): RRULE FREQ=DAILY for daily,
FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR for weekdays, FREQ=WEEKLY;BYDAY=SU,SA for weekends and
FREQ=WEEKLY;BYDAY=<its days> for weekly. DTSTART is the first day on or after the day it was
created (in the profile's timezone) that the rule holds, as zik makes a routine's tasks from the
day it exists; EXDATE lists its exdates (the days whose task was deleted, which zik never makes
again). The series also holds past days on which zik never ran, and so never made the task.
A routine that makes no tasks now (paused, its quest paused, completed or deleted, or weekly with
no days) has no RRULE, so it never reaches a future day: its series is only the days it already
made a task on (DTSTART the first, RDATE all of them: the first too, so that even one day is a
recurrence set its occurrence can override), its DESCRIPTION says why it is idle, and with no such
day it is left out.

A routine's task (`recurrence_rule_id`) on a day of its series is that occurrence, overridden: a
VTODO with the series' UID and RECURRENCE-ID;VALUE=DATE of its day, carrying the task's own
summary, status (COMPLETED with its time, CANCELLED when skipped, NEEDS-ACTION, IN-PROCESS) and
dates, so readers that expand the RRULE (dateutil.rrule, recurring-ical-events) show each day once,
in its state. A routine task on a day its series does not hold (moved, made before the rule
changed, a second one that day) is a plain task VTODO with RELATED-TO the series; one of a deleted
routine is a plain task VTODO.

The output depends only on the database: two exports of the same data are identical. `iter_lines`
gives it line by line, reading tasks one at a time (the quests, milestones and routines are read
whole: there are few).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from zik.core import clock, profile
from zik.core.plan.timeline import milestone_spans
from zik.core.routines import matches, schedule
from zik.models import Milestone, Quest, Routine, Task
from zik.store import plan as plan_store
from zik.store import routines as routine_store
from zik.text import visible

FOLD_OCTETS = 75
_STATUSES = {
    "pending": "NEEDS-ACTION",
    "in-progress": "IN-PROCESS",
    "completed": "COMPLETED",
    "skipped": "CANCELLED",  # missed and let go (RFC 5545 §3.8.1.11)
}
_PRIORITIES = {"high": 1, "medium": 5, "low": 9}
_EPOCH = "19700101T000000Z"
_BYDAY = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # 0 = Sunday, as the backend
_FIXED_DAYS = {"weekdays": [1, 2, 3, 4, 5], "weekends": [0, 6]}


def uid(kind: str, key: str) -> str:
    """The UID of one item: its kind and its id (`task-<id>@zik`)."""
    return f"{kind}-{escape(key)}@zik"


class Series:
    """The days a routine's VTODO series holds: from `start` (DTSTART) the days of `rule` (the
    RRULE value) but its `exdates`, or, with no rule (a routine that makes no tasks now), only
    its `rdates` (the days it made a task on, `start` first)."""

    __slots__ = ("routine", "start", "rule", "exdates", "rdates", "_days")

    def __init__(
        self,
        routine: Routine,
        start: date,
        rule: str | None,
        exdates: list[date],
        rdates: list[date],
    ):
        self.routine, self.start, self.rule = routine, start, rule
        self.exdates, self.rdates = exdates, rdates
        self._days = frozenset(exdates if rule else rdates)

    def holds(self, day: date) -> bool:
        if self.rule is None:
            return day in self._days
        return day >= self.start and matches(self.routine, day) and day not in self._days


def render(conn: sqlite3.Connection) -> str:
    """The feed as one VCALENDAR, CRLF line ends, folded lines."""
    return "".join(iter_lines(conn))


def iter_lines(conn: sqlite3.Connection) -> Iterator[str]:
    """The feed one content line at a time, each folded and ending in CRLF; joined, `render`.

    Read it inside one read transaction (as `zik export` does) for a consistent feed."""
    for line in _content_lines(conn):
        yield fold(line) + "\r\n"


def _content_lines(conn: sqlite3.Connection) -> Iterator[str]:
    timezone = profile.load(conn).timezone
    quests = plan_store.live_quests(conn)
    by_id = {q.goal_id: q for q in quests}
    roadmaps: dict[str, list[Milestone]] = {q.goal_id: [] for q in quests}
    for m in plan_store.live_milestones(conn):
        if m.goal_id in roadmaps:  # milestones of a deleted quest are left out
            roadmaps[m.goal_id].append(m)
    milestones = {m.milestone_id: m for ms in roadmaps.values() for m in ms}
    series = routine_series(conn, timezone)

    yield from (
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//zik//zik export//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:zik",
    )
    for one in series.values():
        yield from _routine(one, by_id)

    # A series holds one task a day: the first of its tasks that day (tasks come by due date).
    day_text, taken = "", set()
    for task in plan_store.iter_live_tasks(conn):
        quest = by_id.get(task.goal_id or "")
        milestone = milestones.get(task.milestone_id or "") if quest else None
        one = series.get(task.recurrence_rule_id or "")
        if one is None:
            yield from _todo(task, quest, milestone)
            continue
        if task.due_date != day_text:
            day_text, taken = task.due_date, set()
        day = date.fromisoformat(task.due_date)
        if one.routine.recurrence_rule_id not in taken and one.holds(day):
            taken.add(one.routine.recurrence_rule_id)
            yield from _todo(task, quest, milestone, occurrence_of=one.routine)
        else:
            yield from _todo(task, quest, milestone, related_to=one.routine)

    for quest in quests:
        roadmap = roadmaps[quest.goal_id]
        spans = milestone_spans(roadmap, target_date=quest.target_date, timezone=timezone)
        for m, span in zip(roadmap, spans, strict=True):
            if span.end is None:
                continue
            dates = f"{span.start} to {span.end}" if span.start else f"ends {span.end}"
            about = [
                f"Quest: {quest.goal_name}",
                f"Milestone {m.sequence} of {len(roadmap)} ({m.status}), {dates}.",
            ]
            yield from _all_day(
                uid("milestone", m.milestone_id),
                m.updated_at or m.created_at,
                span.end,
                f"Milestone: {m.title}",
                "\n".join([*([m.description] if m.description else []), "", *about]).strip(),
                [quest.goal_name],
            )
        if quest.target_date:
            facts = f"Quest status: {quest.status}." + (
                f" Category: {quest.category}." if quest.category else ""
            )
            yield from _all_day(
                uid("quest", quest.goal_id),
                quest.updated_at or quest.created_at,
                date.fromisoformat(quest.target_date),
                f"Quest target: {quest.goal_name}",
                "\n\n".join(f for f in (quest.description, facts) if f),
                [quest.goal_name],
            )
    yield "END:VCALENDAR"


def rrule(routine: Routine) -> str | None:
    """The RRULE of the days `routines.matches` holds, or None when it holds none."""
    if routine.frequency == "daily":
        return "FREQ=DAILY"
    if routine.frequency == "weekly":
        days = sorted({d for d in routine.days_of_week or () if d in range(7)})
    else:
        days = _FIXED_DAYS.get(routine.frequency, [])
    return "FREQ=WEEKLY;BYDAY=" + ",".join(_BYDAY[d] for d in days) if days else None


def routine_series(conn: sqlite3.Connection, timezone: str) -> dict[str, Series]:
    """Each live routine's series, by routine id, oldest routine first; a routine that makes no
    tasks now and has none is left out."""
    routines = plan_store.live_routines(conn)
    making = {r.recurrence_rule_id for r in routine_store.producing(conn)}
    rules = {
        r.recurrence_rule_id: rrule(r) if r.recurrence_rule_id in making else None for r in routines
    }
    made = plan_store.routine_task_days(conn, [key for key, rule in rules.items() if rule is None])
    series: dict[str, Series] = {}
    for r in routines:
        rule = rules[r.recurrence_rule_id]
        if rule is not None:
            created = clock.local_date(r.created_at, timezone) if r.created_at else date.min
            start = next(
                created + timedelta(n) for n in range(7) if matches(r, created + timedelta(n))
            )
            exdates = sorted({d for d in _dates(r.exdates) if d >= start and matches(r, d)})
            series[r.recurrence_rule_id] = Series(r, start, rule, exdates, [])
        elif r.recurrence_rule_id in made:
            days = [date.fromisoformat(d) for d in made[r.recurrence_rule_id]]
            series[r.recurrence_rule_id] = Series(r, days[0], None, [], days)
    return series


def _dates(texts: list[str] | None) -> Iterator[date]:
    for text in texts or ():
        try:
            yield date.fromisoformat(text)
        except (TypeError, ValueError):
            continue  # not a day: nothing to leave out


def _idle_reason(routine: Routine, quest: Quest | None) -> str:
    if routine.status != "active":
        return f"{routine.status}: it makes no new tasks"
    if routine.goal_id and quest is None:
        return "its quest was deleted: it makes no new tasks"
    if quest is not None and quest.status != "active":
        return f"its quest is {quest.status}: it makes no new tasks"
    return "it holds no day: it makes no tasks"


def _routine(one: Series, quests: dict[str, Quest]) -> list[str]:
    r = one.routine
    quest = quests.get(r.goal_id or "")
    when = schedule(r) if one.rule else f"{schedule(r)}, {_idle_reason(r, quest)}"
    about = [
        f"Routine: {when}.",
        *([f"Estimate: {r.estimated_minutes} minutes a day."] if r.estimated_minutes else []),
        *([f"Quest: {quest.goal_name}"] if quest else []),
    ]
    lines = [
        "BEGIN:VTODO",
        f"UID:{uid('routine', r.recurrence_rule_id)}",
        f"DTSTAMP:{_utc(r.updated_at or r.created_at)}",
    ]
    if r.created_at:
        lines.append(f"CREATED:{_utc(r.created_at)}")
    if r.updated_at:
        lines.append(f"LAST-MODIFIED:{_utc(r.updated_at)}")
    description = "\n\n".join(part for part in (r.description, "\n".join(about)) if part)
    lines += [
        f"SUMMARY:{escape(r.title)}",
        f"DESCRIPTION:{escape(description)}",
        f"DTSTART;VALUE=DATE:{_day(one.start)}",
        "DURATION:P1D",
    ]
    if one.rule:
        lines.append(f"RRULE:{one.rule}")
    if one.exdates:
        lines.append(f"EXDATE;VALUE=DATE:{','.join(_day(d) for d in one.exdates)}")
    if one.rdates:
        lines.append(f"RDATE;VALUE=DATE:{','.join(_day(d) for d in one.rdates)}")
    lines += ["STATUS:NEEDS-ACTION", f"PRIORITY:{_PRIORITIES.get(r.priority, 5)}"]
    categories = _categories([quest.goal_name] if quest else [], [])
    if categories:
        lines.append(f"CATEGORIES:{categories}")
    lines.append("END:VTODO")
    return lines


def _todo(
    task: Task,
    quest: Quest | None,
    milestone: Milestone | None,
    *,
    occurrence_of: Routine | None = None,
    related_to: Routine | None = None,
) -> list[str]:
    """A task's VTODO: its own (`task-<id>@zik`), or the occurrence of a routine's series on its
    day (`occurrence_of`), or its own linked to its routine's series (`related_to`)."""
    about = [
        *([f"Quest: {quest.goal_name}"] if quest else []),
        *([f"Milestone: {milestone.title}"] if milestone else []),
    ]
    description = "\n\n".join(
        part for part in (task.description, "\n".join(about)) if part and part.strip()
    )
    day = date.fromisoformat(task.due_date)
    lines = ["BEGIN:VTODO"]
    if occurrence_of is None:
        lines.append(f"UID:{uid('task', task.task_id)}")
    else:
        lines += [
            f"UID:{uid('routine', occurrence_of.recurrence_rule_id)}",
            f"RECURRENCE-ID;VALUE=DATE:{_day(day)}",
        ]
    lines.append(f"DTSTAMP:{_utc(task.updated_at or task.created_at)}")
    if task.created_at:
        lines.append(f"CREATED:{_utc(task.created_at)}")
    if task.updated_at:
        lines.append(f"LAST-MODIFIED:{_utc(task.updated_at)}")
    lines.append(f"SUMMARY:{escape(task.task_name)}")
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    if occurrence_of is None:
        lines.append(f"DUE;VALUE=DATE:{_day(day)}")
    else:
        lines += [f"DTSTART;VALUE=DATE:{_day(day)}", "DURATION:P1D"]  # as the series' days
    lines.append(f"STATUS:{_STATUSES.get(task.shown_status, 'NEEDS-ACTION')}")
    if task.status == "completed":
        lines.append(f"COMPLETED:{_utc(task.completed_at or task.updated_at)}")
    lines.append(f"PRIORITY:{_PRIORITIES.get(task.priority, 5)}")
    categories = _categories([quest.goal_name] if quest else [], task.tags or [])
    if categories:
        lines.append(f"CATEGORIES:{categories}")
    if related_to is not None:
        lines.append(f"RELATED-TO:{uid('routine', related_to.recurrence_rule_id)}")
    lines.append("END:VTODO")
    return lines


def _all_day(
    item_uid: str, stamp: str, day: date, summary: str, description: str, categories: list[str]
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{item_uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART;VALUE=DATE:{_day(day)}",
        f"DTEND;VALUE=DATE:{_day(day + timedelta(days=1))}",
        f"SUMMARY:{escape(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    joined = _categories(categories, [])
    if joined:
        lines.append(f"CATEGORIES:{joined}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]  # a marker on the day, not busy time
    return lines


def _categories(names: list[str], tags: list[str]) -> str:
    """A CATEGORIES value: each name escaped (its commas too), then joined by commas."""
    seen: list[str] = []
    for name in [*names, *tags]:
        name = " ".join(name.split())
        if name and name not in seen:
            seen.append(name)
    return ",".join(escape(name) for name in seen)


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped; the
    control characters TEXT may not hold (tab it may) shown visibly (zik.text), not dropped."""
    text = visible(text.replace("\r\n", "\n").replace("\r", "\n"), block=True)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into physical lines of at most 75 octets (§3.1).

    A continuation starts with one space, so it holds at most 74 octets of the line; lines are cut
    between characters, never inside a multi-byte UTF-8 sequence.
    """
    if len(line.encode()) <= FOLD_OCTETS:
        return line
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, FOLD_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, FOLD_OCTETS - 1
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(stamp: str | None) -> str:
    """A stored ISO timestamp as a UTC DATE-TIME in basic format (20261125T100000Z)."""
    if not stamp:
        return _EPOCH
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(day: date) -> str:
    return day.strftime("%Y%m%d")
