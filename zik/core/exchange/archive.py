"""zik's own export format (json and jsonl): everything needed to rebuild the database.

A file holds a header (`format: "zik"`, `version`, `zikVersion`) and the records of each kind
in the backend's camelCase vocabulary, as `--json` shows them: the profile, quests, milestones,
routines, tasks (tombstones included, so a sync after a restore still knows what was deleted),
chat messages, the chat summary and the AI call log. Not included: the change history (undo),
workflow jobs, and sync state, which belong to this machine. The layout is documented in the
README; a change to it bumps `VERSION`.

Records are written in a fixed order (creation time, then id), one per line, with no export
time, so exporting the same data twice gives the same bytes — a file that diffs well in git.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from zik import __version__
from zik.core.exchange.jsontext import Text, items, members
from zik.models import (
    FREQUENCIES,
    MAX_DESCRIPTION,
    MAX_TAG,
    MAX_TAGS,
    MAX_TITLE,
    MILESTONE_STATUSES,
    PRIORITIES,
    QUEST_STATUSES,
    TASK_STATUSES,
    AICall,
    ChatMessage,
    Milestone,
    Profile,
    Quest,
    Record,
    Routine,
    Task,
    typed_id,
)
from zik.store import records
from zik.text import dumps

FORMAT = "zik"
VERSION = 1


class ChatSummary(Record):
    """The rolling summary of older chat messages (one row)."""

    TABLE = "chat_summary"
    PK = "id"
    ENTITY = "chat_summary"
    __slots__ = ("id", "summary", "covers_until", "ai_call_id", "updated_at")
    DEFAULTS = {"id": 1, "ai_call_id": None}


# (section name in a json file, kind in a jsonl line, record class, ORDER BY), in the order
# records must be written so that every reference points backwards.
SECTIONS: tuple[tuple[str, str, type[Record], str], ...] = (
    ("profile", "profile", Profile, "id"),
    ("quests", "quest", Quest, "created_at, goal_id"),
    ("milestones", "milestone", Milestone, "goal_id, sequence, milestone_id"),
    ("routines", "routine", Routine, "created_at, recurrence_rule_id"),
    ("tasks", "task", Task, "created_at, task_id"),
    ("chatMessages", "chatMessage", ChatMessage, "timestamp, message_id"),
    ("chatSummary", "chatSummary", ChatSummary, "id"),
    ("aiCalls", "aiCall", AICall, "created_at, id"),
)
SINGLE = {"profile", "chatSummary"}  # at most one record: an object or null in json


def header() -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "zikVersion": __version__}


def _rows(conn: sqlite3.Connection, cls: type[Record], order: str) -> Iterator[dict[str, Any]]:
    return (record.to_json() for record in records.every(conn, cls, order))


def _line(value: Any) -> str:
    return dumps(value)  # controls and undecodable bytes as \u escapes: exact, and valid UTF-8


def dump_json(conn: sqlite3.Connection) -> Iterator[str]:
    """The export as one JSON document, one record per line."""
    yield "{" + _line(header())[1:-1] + ",\n"
    for position, (section, _, cls, order) in enumerate(SECTIONS):
        last = position == len(SECTIONS) - 1
        rows = _rows(conn, cls, order)
        if section in SINGLE:
            yield f'"{section}": {_line(next(rows, None))}' + ("\n" if last else ",\n")
            continue
        yield f'"{section}": ['
        first = True
        for record in rows:
            yield ("\n" if first else ",\n") + _line(record)
            first = False
        yield ("]" if first else "\n]") + ("\n" if last else ",\n")
    yield "}\n"


def dump_jsonl(conn: sqlite3.Connection) -> Iterator[str]:
    """The export as JSON Lines: the header, then one `{"kind": …, …record}` per line."""
    yield _line(header()) + "\n"
    for _, kind, cls, order in SECTIONS:
        for record in _rows(conn, cls, order):
            yield _line({"kind": kind, **record}) + "\n"


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {section: records.count(conn, cls) for section, _, cls, _ in SECTIONS}


# --- reading ------------------------------------------------------------------------------


class Located:
    """A record read from a file, with where it was (for error messages)."""

    __slots__ = ("record", "offset", "label")

    def __init__(self, record: Record, offset: int, label: str):
        self.record, self.offset, self.label = record, offset, label


def is_header(value: Any) -> bool:
    return isinstance(value, dict) and value.get("format") == FORMAT


def read(text: Text, docs: list[tuple[Any, int]]) -> dict[type[Record], list[Located]]:
    """The records of a zik json or jsonl file, checked field by field; raises BadFile."""
    head, at = docs[0]
    _check_header(text, head, at)
    found: dict[type[Record], list[Located]] = {cls: [] for _, _, cls, _ in SECTIONS}
    if len(docs) == 1:  # json: one object with a member per section
        offsets = members(text, at)
        known = {"format", "version", "zikVersion"} | {s for s, _, _, _ in SECTIONS}
        for name, offset in offsets.items():
            if name not in known:
                raise text.fail(offset, f"unknown section {name!r}")
        for section, _, cls, _ in SECTIONS:
            if section not in offsets:
                continue
            if section in SINGLE:
                value = head[section]
                if value is not None:
                    found[cls].append(_record(text, cls, value, offsets[section], section))
                continue
            if not isinstance(head[section], list):
                raise text.fail(offsets[section], f"{section} must be a list")
            for n, (value, offset) in enumerate(items(text, offsets[section])):
                found[cls].append(_record(text, cls, value, offset, f"{section}[{n}]"))
        return found
    by_kind = {kind: cls for _, kind, cls, _ in SECTIONS}
    for value, offset in docs[1:]:
        if not isinstance(value, dict) or value.get("kind") not in by_kind:
            kind = value.get("kind") if isinstance(value, dict) else None
            raise text.fail(offset, f"unknown record kind {kind!r}", hint=_KINDS_HINT)
        cls = by_kind[value["kind"]]
        fields = {k: v for k, v in value.items() if k != "kind"}
        found[cls].append(_record(text, cls, fields, offset, value["kind"]))
    return found


_KINDS_HINT = "kinds: " + ", ".join(kind for _, kind, _, _ in SECTIONS)


def _check_header(text: Text, head: Any, at: int) -> None:
    version = head.get("version")
    problem, hint = None, None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problem = f"field version: {version!r} is not an export format version"
    elif version > VERSION:
        problem = (
            f"field version: export format version {version} is newer than this zik reads"
            f" (version {VERSION})"
        )
        hint = "upgrade zik, e.g. `pip install -U zik`"
    if problem:
        raise text.fail(members(text, at).get("version", at), problem, hint=hint)


def _record(text: Text, cls: type[Record], value: Any, offset: int, label: str) -> Located:
    if not isinstance(value, dict):
        raise text.fail(offset, f"{label}: expected an object")
    names = {cls.json_name(n): n for n in cls.__slots__}
    for name in value:
        if name not in names:
            raise text.fail(offset, f"{label}: unknown field {name!r}")
    columns = {}
    for name, column in names.items():
        if name not in value:
            if column not in cls.DEFAULTS or cls.DEFAULTS[column] == "":  # "": the timestamps
                raise text.fail(offset, f"{label}: field {name} is missing")
            continue
        problem = _problem(cls, column, value[name])
        if problem:
            raise text.fail(offset, f"{label}: field {name}: {_shown(value[name])} {problem}")
        columns[column] = value[name]
    return Located(cls(**columns), offset, label)


def _shown(value: Any) -> str:
    """A bad value in an error line: its start, not all 10 MB of it."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:59] + "…"


# --- field checks: each returns what is wrong, or None ------------------------------------

# zik and the backend's Lambdas write every timestamp with milliseconds; a hand edit in the
# backend may leave a whole second or microseconds, which sync keeps as they are there
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LARGEST = 2**63 - 1  # SQLite's integers
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
Check = Callable[[Any], str | None]


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return "is not text"
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a JSON escape such as \udce9: no character at all
            return "is not valid UTF-8 text"
    return None


def _up_to(limit: int, check: Check = _text) -> Check:
    """Text within the limit the CLI holds typed text to (a 5,000-character title, a 10 MB
    description would make every list and search slow)."""

    def checked(value: Any) -> str | None:
        problem = check(value)
        if problem is None and len(value) > limit:
            return f"is {len(value):,} characters; the limit is {limit:,}"
        return problem

    return checked


def _title(value: Any) -> str | None:
    if not (isinstance(value, str) and value.strip()):
        return "is not a non-empty text"
    return _up_to(MAX_TITLE)(value)


def _tag(value: Any) -> str | None:
    """A tag as the CLI takes it: one word of up to 50 characters (one with a space could be
    neither filtered on nor removed)."""
    problem = _up_to(MAX_TAG)(value)
    if problem is None and (not value or any(c.isspace() for c in value)):
        return "is not a tag (one word)"
    return problem


def _between(low: int, high: int) -> Check:
    def checked(value: Any) -> str | None:
        problem = _whole(value)
        if problem is None and not low <= value <= high:
            return f"is not between {low} and {high}"
        return problem

    return checked


def _whole(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _LARGEST
    return None if ok else "is not a whole number"


def _number(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return None if ok and math.isfinite(value) and abs(value) <= _LARGEST else "is not a number"


def _in_years(moment: date) -> bool:
    return 1900 <= moment.year < 9000


def _stamp(value: Any) -> str | None:
    """A real instant (not 2026-11-25T99:99:99.000Z) in the years zik's arithmetic handles."""
    if isinstance(value, str) and _STAMP.match(value):
        try:
            if _in_years(datetime.fromisoformat(value[:-1])):
                return None
        except ValueError:
            pass
    return "is not a UTC timestamp (YYYY-MM-DDTHH:MM:SS.mmmZ)"


def _date(value: Any) -> str | None:
    try:
        if isinstance(value, str) and _DATE.match(value) and _in_years(date.fromisoformat(value)):
            return None
    except ValueError:
        pass
    return "is not a date (YYYY-MM-DD)"


def _one_of(*allowed: str) -> Check:
    return lambda value: None if value in allowed else f"is not one of {', '.join(allowed)}"


def _list_of(check: Check) -> Check:
    def checked(value: Any) -> str | None:
        if not isinstance(value, list):
            return "is not a list"
        return next((f"has an item that {p}" for p in map(check, value) if p), None)

    return checked


def _weekday(value: Any) -> str | None:
    return _whole(value) or (None if value <= 6 else "is not a weekday (0-6)")


def _zone(value: Any) -> str | None:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(value)
        return None
    except Exception:
        return "is not an IANA timezone"


_BY_COLUMN: dict[str, Check] = {
    "created_at": _stamp,
    "updated_at": _stamp,
    "deleted_at": _stamp,
    "completed_at": _stamp,
    "activated_at": _stamp,
    "started_at": _stamp,
    "skipped_at": _stamp,
    "timestamp": _stamp,
    "covers_until": lambda v: None if v == "" else _stamp(v),  # "": no message summarised yet
    "due_date": _date,
    "target_date": _date,
    "priority": _one_of(*PRIORITIES),
    "frequency": _one_of(*FREQUENCIES),
    "roadmap_status": _one_of("none", "generating", "ready", "failed"),
    "role": _one_of("user", "assistant"),
    "outcome": _one_of("ok", "invalid", "error"),
    "goal_name": _title,
    "task_name": _title,
    "title": _title,
    "description": _up_to(MAX_DESCRIPTION),
    "name": _up_to(100),
    "sequence": _whole,
    "duration_in_days": _between(1, 3650),
    "estimated_minutes": _between(0, 1440),
    "daily_capacity": _between(5, 960),
    "attempt": _whole,
    "latency_ms": _whole,
    "input_tokens": _whole,
    "output_tokens": _whole,
    "cache_read_tokens": _whole,
    "cache_write_tokens": _whole,
    "cost_usd": _number,
    "tags": lambda v: (
        _list_of(_tag)(v) or (None if len(v) <= MAX_TAGS else f"has more than {MAX_TAGS} tags")
    ),
    "focus_areas": _list_of(_text),
    "days_of_week": _list_of(_weekday),
    "exdates": _list_of(_date),
    "tool_calls": lambda v: None if isinstance(v, list) else "is not a list",
    "usage": lambda v: None if isinstance(v, dict) else "is not an object",
    "onboarding_completed": lambda v: None if isinstance(v, bool) else "is not true or false",
    "timezone": _zone,
    "daily_time": lambda v: None if isinstance(v, str) and _TIME.match(v) else "is not HH:MM",
}
_STATUS: dict[type[Record], Check] = {
    Quest: _one_of(*QUEST_STATUSES),
    Milestone: _one_of(*MILESTONE_STATUSES),
    Task: _one_of(*TASK_STATUSES),
    Routine: _one_of("active", "paused"),
}
_TYPED = (Quest, Milestone, Task, Routine)
_IDS: dict[str, str] = {"milestone_id": "milestone_", "recurrence_rule_id": "rule_"}
_REQUIRED_NOT_NULL = {"created_at", "updated_at", "timestamp", "covers_until", "due_date"}


def _problem(cls: type[Record], column: str, value: Any) -> str | None:
    if value is None:
        required = column not in cls.DEFAULTS or cls.DEFAULTS[column] is not None
        return "may not be null" if required or column in _REQUIRED_NOT_NULL else None
    if column == cls.PK:
        if cls in (Profile, ChatSummary):
            return None if value == 1 else "must be 1"
        prefix = _IDS.get(column, "")
        ok = isinstance(value, str) and value.startswith(prefix) and len(value) > len(prefix)
        if ok and cls in _TYPED:  # ids people type: lowercase hex, as zik and the backend make
            ok = typed_id(value) == value[len(prefix) :]
        return None if ok else f"is not a {cls.ENTITY} id" + (f" ({prefix}…)" if prefix else "")
    if column == "status" and cls in _STATUS:
        return _STATUS[cls](value)
    check = _BY_COLUMN.get(column, _text)
    return check(value)
