"""The plan as an iCalendar feed (RFC 5545), for calendar apps: `zik export --format ics`.

One way only: every live task is a VTODO, and each milestone's planned end and each quest's target
date is an all-day VEVENT. Written by hand to keep zik free of a runtime dependency, so the rules
that matter are here: CRLF line ends, TEXT escaping (§3.3.11) and folding at 75 octets without
splitting a UTF-8 character (§3.1). UIDs are `<id>@zik`, so importing a newer export updates the
same items. The output depends only on the database: two exports of the same data are identical.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

from zik.core.plan.timeline import read_plan
from zik.models import Milestone, Quest, Task
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


def render(conn: sqlite3.Connection) -> str:
    """The feed as one VCALENDAR, CRLF line ends, folded lines."""
    plan = read_plan(conn)
    by_id = {q.goal_id: q for q in plan.quests}
    milestones = {m.milestone_id: m for ms in plan.roadmaps.values() for m in ms}

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//zik//zik export//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:zik",
    ]
    for task in plan.tasks:
        quest = by_id.get(task.goal_id or "")
        lines += _todo(task, quest, milestones.get(task.milestone_id or "") if quest else None)
    for quest in plan.quests:
        roadmap = plan.roadmaps[quest.goal_id]
        for m, span in zip(roadmap, plan.spans[quest.goal_id], strict=True):
            if span.end is None:
                continue
            dates = f"{span.start} to {span.end}" if span.start else f"ends {span.end}"
            about = [
                f"Quest: {quest.goal_name}",
                f"Milestone {m.sequence} of {len(roadmap)} ({m.status}), {dates}.",
            ]
            lines += _all_day(
                f"{m.milestone_id}@zik",
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
            lines += _all_day(
                f"{quest.goal_id}@zik",
                quest.updated_at or quest.created_at,
                date.fromisoformat(quest.target_date),
                f"Quest target: {quest.goal_name}",
                "\n\n".join(f for f in (quest.description, facts) if f),
                [quest.goal_name],
            )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _todo(task: Task, quest: Quest | None, milestone: Milestone | None) -> list[str]:
    about = [
        *([f"Quest: {quest.goal_name}"] if quest else []),
        *([f"Milestone: {milestone.title}"] if milestone else []),
    ]
    description = "\n\n".join(
        part for part in (task.description, "\n".join(about)) if part and part.strip()
    )
    lines = [
        "BEGIN:VTODO",
        f"UID:{task.task_id}@zik",
        f"DTSTAMP:{_utc(task.updated_at or task.created_at)}",
    ]
    if task.created_at:
        lines.append(f"CREATED:{_utc(task.created_at)}")
    if task.updated_at:
        lines.append(f"LAST-MODIFIED:{_utc(task.updated_at)}")
    lines.append(f"SUMMARY:{escape(task.task_name)}")
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    lines += [
        f"DUE;VALUE=DATE:{_day(date.fromisoformat(task.due_date))}",
        f"STATUS:{_STATUSES.get(task.shown_status, 'NEEDS-ACTION')}",
    ]
    if task.status == "completed":
        lines.append(f"COMPLETED:{_utc(task.completed_at or task.updated_at)}")
    lines.append(f"PRIORITY:{_PRIORITIES.get(task.priority, 5)}")
    categories = _categories([quest.goal_name] if quest else [], task.tags or [])
    if categories:
        lines.append(f"CATEGORIES:{categories}")
    lines.append("END:VTODO")
    return lines


def _all_day(
    uid: str, stamp: str, day: date, summary: str, description: str, categories: list[str]
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
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
