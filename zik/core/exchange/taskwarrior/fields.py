"""What zik and Taskwarrior share, used both ways: dates, priorities, repeats, and the place in a
task's notes for the Taskwarrior attributes zik has no field for.

A task's notes hold its annotations, one per paragraph start: `[2026-11-20 09:00:00Z] text`,
or the bare text for one made the same second as the task (the usual `task add` then
`annotate`, and notes typed in zik, which go to Taskwarrior as such an annotation). The last
line, `Taskwarrior: {…}`, holds as JSON every other attribute Taskwarrior wrote that zik cannot
hold — `depends`, `until`, `wait`, `scheduled` beside a due date, a due time, UDAs, the
bookkeeping of recurring tasks — so that `zik export -f taskwarrior` writes them back as they
were. Notes are synced and exported like any other, so the attributes survive both.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from zik.core import clock
from zik.models import MAX_DESCRIPTION

PRIORITY = {"H": "high", "M": "medium", "L": "low"}
LETTER = {"high": "H", "medium": "M", "low": "L"}
TRAILER = "Taskwarrior: "
# zik's own attributes on the tasks it exports (Taskwarrior keeps unknown attributes as
# "orphaned UDAs" and exports them again), read back on import.
QUEST, MILESTONE, ROUTINE = "zikquest", "zikmilestone", "zikroutine"
FREQUENCY, DAYS, PAUSED = "zikfrequency", "zikdays", "zikpaused"
ESTIMATE, SKIPPED = "zikestimate", "zikskipped"
ZIK_ATTRIBUTES = (QUEST, MILESTONE, ROUTINE, FREQUENCY, DAYS, PAUSED, ESTIMATE, SKIPPED)
# What Taskwarrior computes or numbers itself: neither kept nor written back.
DERIVED = ("id", "urgency")
# What zik reads into its own fields (the rest Taskwarrior wrote is kept in the notes) — and so
# what a kept line in the notes, which anyone can edit, never overrides on the way back.
MAPPED = frozenset(
    ("uuid", "description", "status", "entry", "modified", "due", "start", "end", "priority",
     "project", "tags", "annotations", *ZIK_ATTRIBUTES, *DERIVED)
)  # fmt: skip
MILESTONE_TAG = re.compile(r"^milestone-\d+$")

# Taskwarrior's periods that zik's routines can hold (`task help` lists them); the rest
# (monthly, 2d, yearly, …) are reported and their instances imported as one-off tasks.
REPEATS = {
    **dict.fromkeys(("daily", "day", "1d", "1day", "1days", "P1D", "1da"), "daily"),
    **dict.fromkeys(("weekdays",), "weekdays"),
    **dict.fromkeys(("weekly", "week", "1w", "1wk", "1wks", "1week", "7d", "P1W", "P7D"), "weekly"),
}
# How a routine's frequency is written for Taskwarrior.
RECUR = {"daily": "daily", "weekdays": "weekdays", "weekly": "weekly", "weekends": "weekly"}

_BASIC = re.compile(r"\d{8}T\d{6}Z\Z")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def is_uuid(text: str) -> bool:
    return _UUID.match(text) is not None


def repeat(ours: Any, recur: Any) -> str | None:
    """The routine frequency of a recurring task: the one zik exported it with, else the one
    its Taskwarrior period maps to; None when neither holds (any other value, of any type)."""
    if isinstance(ours, str) and ours in RECUR:
        return ours
    return REPEATS.get(recur) if isinstance(recur, str) else None


_STAMPED = re.compile(r"^\[(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})Z\] ?")


def parse(raw: Any) -> datetime | None:
    """A Taskwarrior date (`20261125T180000Z`, or ISO with Z as 3.x may write), or None."""
    if not isinstance(raw, str):
        return None
    try:
        if _is_basic(raw):  # sliced, not matched: an import reads hundreds of thousands
            return datetime(
                int(raw[:4]), int(raw[4:6]), int(raw[6:8]),
                int(raw[9:11]), int(raw[11:13]), int(raw[13:15]), tzinfo=UTC,
            )  # fmt: skip
        if raw.endswith("Z") and "T" in raw:
            return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return None


def _is_basic(raw: str) -> bool:
    return _BASIC.match(raw) is not None


def stamp(raw: str, moment: datetime) -> str:
    """zik's timestamp of a Taskwarrior date that `parse` read as `moment`."""
    if _is_basic(raw):
        return f"{raw[:4]}-{raw[4:6]}-{raw[6:8]}T{raw[9:11]}:{raw[11:13]}:{raw[13:15]}.000Z"
    return clock.iso(moment)


def basic(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def from_stamp(stamp: str) -> datetime:
    """A zik timestamp (`2026-11-25T18:00:00.000Z`) as a datetime."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def midnight(day: str, zone: ZoneInfo) -> str:
    """The Taskwarrior date of a day with no time: its local midnight, as `task add due:D`."""
    return basic(datetime.combine(date.fromisoformat(day), time(), zone))


def local_day(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).date().isoformat()


def is_midnight(moment: datetime, zone: ZoneInfo) -> bool:
    local = moment.astimezone(zone)
    return (local.hour, local.minute, local.second) == (0, 0, 0)


def write_notes(
    annotations: list[tuple[str | None, str]],
    kept: dict[str, Any],
    head: str | None = None,
    limit: int = MAX_DESCRIPTION,
) -> str | None:
    """A task's notes: `head` (a description too long for a title), the annotations (time
    None: made with the task), then the kept attributes; over `limit`, the text is cut and the
    attributes line kept whole."""
    parts = [head] if head else []
    for moment, text in annotations:
        parts.append(text if moment is None else f"[{_shown(moment)}] {text}")
    body = "\n".join(parts)
    trailer = TRAILER + json.dumps(kept, ensure_ascii=False, sort_keys=True) if kept else ""
    room = limit - len(trailer) - (1 if body and trailer else 0)
    if len(body) > room:
        body = body[: max(room - 1, 0)] + "…"
    return "\n".join(filter(None, (body, trailer))) or None


def read_notes(notes: str | None) -> tuple[list[tuple[str | None, str]], dict[str, Any]]:
    """The annotations (time as a Taskwarrior date, None for an undated one) and the kept
    attributes in a task's notes: the inverse of `write_notes`."""
    if not notes:
        return [], {}
    lines = notes.split("\n")
    kept: dict[str, Any] = {}
    if lines[-1].startswith(TRAILER):
        try:
            value = json.loads(lines[-1][len(TRAILER) :])
        except ValueError:
            value = None
        if isinstance(value, dict):
            kept = value
            lines.pop()
    annotations: list[tuple[str | None, str]] = []
    for line in lines:
        stamped = _STAMPED.match(line)
        if stamped:
            moment = datetime(*map(int, stamped.groups()), tzinfo=UTC)  # type: ignore[misc]
            annotations.append((basic(moment), line[stamped.end() :]))
        elif annotations:  # a line of a longer annotation
            moment, text = annotations[-1]
            annotations[-1] = (moment, f"{text}\n{line}")
        else:
            annotations.append((None, line))
    return annotations, kept


def _shown(raw: str) -> str:
    moment = parse(raw)
    return moment.strftime("%Y-%m-%d %H:%M:%SZ") if moment else raw


def next_day(start: date, matches: Any) -> date:
    """The first day from `start` on that `matches` (a routine's days), within a fortnight."""
    for offset in range(14):
        day = start + timedelta(days=offset)
        if matches(day):
            return day
    return start
