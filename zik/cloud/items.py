"""The backend's items (reference/backend-contract.md §4), and how each maps to a local record.

Each kind of record has a `Kind`: its table, its id attribute, and its fields as (wire name,
local column). Records travel between the sync engine and the remotes as *wire dicts*: the
backend's camelCase names with plain values, without `userId`. The profile's preferences are
flattened (`preferences.timezone`) so the merge can treat every field alike.

zik stores a few fields the backend does not have (`completedAt`, `estimatedMinutes`, …). Extra
attributes are harmless to the backend's Lambdas, which read items without a schema, and they
let a second zik keep its history. Attributes neither the backend nor zik knows are refused:
zik would silently drop them on the next write.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from zik.errors import ZikError
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
    ChatMessage,
    Milestone,
    Profile,
    Quest,
    Record,
    Routine,
    Task,
    short_id,
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")  # as import reads them
_TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# Years zik's date arithmetic can move around in (a week either side, a year of stats).
_YEARS = range(1900, 9000)


class RemoteDataError(ZikError):
    """A remote item zik cannot read safely; nothing was changed locally."""

    exit_code = 1


def _text(value: Any) -> bool:
    """A string SQLite can store and a terminal can be shown: valid UTF-8 (a JSON `\\udce9`
    escape is not)."""
    if not isinstance(value, str):
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _up_to(limit: int) -> Callable[[Any], bool]:
    return lambda value: _text(value) and len(value) <= limit


def _date(value: Any) -> bool:
    """A YYYY-MM-DD that exists on the calendar (2026-02-30 does not)."""
    from datetime import date

    if not (isinstance(value, str) and _DATE.match(value)):
        return False
    try:
        return date.fromisoformat(value).year in _YEARS
    except ValueError:
        return False


def is_stamp(value: Any) -> bool:
    """An instant as the backend writes it (2026-11-25T10:00:00.000Z) that is a real one:
    `2026-13-45T99:99:99Z` matches the shape and is not."""
    from datetime import datetime

    if not (isinstance(value, str) and _STAMP.match(value)):
        return False
    try:
        return datetime.fromisoformat(value[:-1]).year in _YEARS
    except ValueError:
        return False


def _zone(value: Any) -> bool:
    """An IANA zone this machine knows (Mars/Olympus is none)."""
    from zoneinfo import ZoneInfo

    if not _text(value) or not value or len(value) > 64:
        return False
    try:
        ZoneInfo(value)
    except (ValueError, OSError, LookupError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def _time_of_day(value: Any) -> bool:
    return isinstance(value, str) and bool(_TIME_OF_DAY.match(value))


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _between(low: int, high: int) -> Callable[[Any], bool]:
    return lambda value: _whole(value) and low <= value <= high


def _one_of(*allowed: str) -> Callable[[Any], bool]:
    return lambda value: value in allowed


def _days(value: Any) -> bool:
    return isinstance(value, list) and all(_whole(d) and 0 <= d <= 6 for d in value)


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(_text(v) for v in value)


def _tags(value: Any) -> bool:
    """Tags as the CLI takes them: single words, at most 20 of 50 characters each."""
    return (
        isinstance(value, list)
        and len(value) <= MAX_TAGS
        and all(
            _text(v) and 0 < len(v) <= MAX_TAG and not any(c.isspace() for c in v) for v in value
        )
    )


def _title(value: Any) -> bool:
    """A name zik can show and a person can read: not blank, within the CLI's limit."""
    return _up_to(MAX_TITLE)(value) and bool(value.strip())


_DESCRIPTION = _up_to(MAX_DESCRIPTION)


class Field:
    """One synced field: its wire name, local column, check, and whether it must be present."""

    __slots__ = ("wire", "column", "check", "required")

    def __init__(self, wire: str, column: str, check: Callable[[Any], bool], required=False):
        self.wire, self.column, self.check, self.required = wire, column, check, required


_TIMES = (
    Field("createdAt", "created_at", is_stamp, required=True),
    Field("updatedAt", "updated_at", is_stamp, required=True),
)


class Kind:
    """One kind of record as the backend stores it."""

    def __init__(
        self,
        entity: str,
        table: str,
        record: type[Record],
        id_attr: str,
        fields: tuple[Field, ...],
        *,
        backend_only: tuple[str, ...] = (),
    ):
        self.entity = entity  # the local entity name, as in events (quest, task, …)
        self.table = table  # the `cloud.tables.*` setting
        self.record = record
        self.id_attr = id_attr
        self.fields = fields
        self.by_wire = {f.wire: f for f in fields}
        # attributes the backend writes that zik neither maps nor changes (kept as they are)
        self.backend_only = backend_only

    def to_wire(self, record: Record) -> dict[str, Any]:
        wire = {f.wire: getattr(record, f.column) for f in self.fields}
        if self.entity == "quest" and wire["roadmapStatus"] == "failed":
            wire["roadmapStatus"] = "none"  # the backend has no failed state (§4.2)
        if self.entity == "task" and not wire["tags"]:
            wire["tags"] = None  # no tags: no attribute, as on the items the backend writes
        return wire

    def to_columns(self, wire: dict[str, Any]) -> dict[str, Any]:
        """Local column values for the fields the wire dict has (a remote may hold only some)."""
        columns = {f.column: wire[f.wire] for f in self.fields if f.wire in wire}
        if self.entity == "task" and "tags" in columns and columns["tags"] is None:
            columns["tags"] = []
        return columns

    def key_of(self, wire: dict[str, Any]) -> str:
        """The local id of a wire record (the profile is always local row 1)."""
        return "1" if self.entity == "profile" else str(wire[self.id_attr])

    def read(self, item: dict[str, Any], notes: list[str] | None = None) -> dict[str, Any]:
        """A remote item as a wire dict, after checking it; raises RemoteDataError.

        Legal backend values zik's records cannot hold are read as the nearest it can, and
        said in `notes`: a priority "urgent" is high, a fractional duration is rounded, a
        target date that is not a date ("next spring") is no target, a missing roadmap status
        or priority gets zik's default, a completion without its time gets the item's
        `updatedAt`. What still cannot be read raises: the caller skips that item alone.
        """
        flat = dict(item)
        flat.pop("userId", None)
        flat.pop(EDITS, None)  # (read by cloud/stamps.py)
        if self.entity == "profile":
            for name, value in (flat.pop("preferences", None) or {}).items():
                flat[f"preferences.{name}"] = value
        label = f"remote {self.table} item"
        ident = flat.get(self.id_attr)
        if isinstance(ident, str):
            label += f" {short_id(ident)}"
        for said in _normalise(self.entity, flat):
            if notes is not None:
                notes.append(f"{label}: {said}")
        for field in self.fields:
            value = flat.get(field.wire)
            if value is None:
                if field.required:
                    raise RemoteDataError(
                        f"{label} has no {field.wire}; nothing was changed",
                        hint="fix or delete that item in the backend, then sync again",
                    )
            elif not field.check(value):
                raise RemoteDataError(
                    f"{label} has an invalid {field.wire}: {value!r}; nothing was changed",
                    hint="fix that item in the backend, then sync again",
                )
        known = set(self.by_wire) | set(self.backend_only)
        for name in flat:
            if name not in known and not (
                self.entity == "profile" and name.startswith("preferences.")
            ):
                raise RemoteDataError(
                    f"{label} has a field zik does not know: {name!r}; nothing was changed",
                    hint="a newer backend or app wrote it: upgrade zik, then sync again",
                )
        return {f.wire: flat.get(f.wire) for f in self.fields}


_PRIORITY_WORDS = {
    "urgent": "high", "critical": "high", "highest": "high", "important": "high", "p1": "high",
    "normal": "medium", "med": "medium", "p2": "medium", "lowest": "low", "p3": "low",
}  # fmt: skip
_DEFAULTS = {
    "quest": {"roadmapStatus": "none"},
    "task": {"priority": "medium"},
    "routine": {"priority": "medium"},
}
# Whole numbers a legal item may hold as fractions or out of zik's range: (lowest, highest).
_WHOLE_NUMBERS = {
    "durationInDays": (1, 3650),
    "sequence": (1, 10**6),
    "estimatedMinutes": (0, 1440),
}


def _normalise(entity: str, flat: dict[str, Any]) -> list[str]:
    """Turn legal backend values into ones a local record can hold (in place); say each."""
    said: list[str] = []
    for name, default in _DEFAULTS.get(entity, {}).items():
        if flat.get(name) is None:
            flat[name] = default
    priority = flat.get("priority")
    if entity in ("task", "routine") and priority is not None and priority not in PRIORITIES:
        word = str(priority).strip().lower()
        flat["priority"] = word if word in PRIORITIES else _PRIORITY_WORDS.get(word, "medium")
        said.append(f"priority {priority!r} read as {flat['priority']}")
    target = flat.get("targetDate")
    if entity == "quest" and target is not None and not _date(target):
        flat["targetDate"] = None
        said.append(f"target date {target!r} is not a date: read as no target")
    for name, (low, high) in _WHOLE_NUMBERS.items():
        value = flat.get(name)
        number = isinstance(value, int | float) and not isinstance(value, bool) and value == value
        if number and abs(value) < 1e9 and (isinstance(value, float) or not low <= value <= high):
            flat[name] = min(max(round(value), low), high)
            if flat[name] != value:
                said.append(f"{name} {value!r} read as {flat[name]}")
    if (
        entity in ("task", "quest", "milestone")
        and flat.get("status") == "completed"
        and flat.get("completedAt") is None
        and is_stamp(flat.get("updatedAt"))
    ):
        flat["completedAt"] = flat["updatedAt"]  # completed in the app: when it last changed
    return said


def read_all(
    kind: Kind, items: list[dict[str, Any]], skipped: dict[str, dict[str, str]], notes: list[str]
) -> dict[str, dict[str, Any]]:
    """The items zik can read, by key; the others go to `skipped` (entity -> key -> why), so
    one bad item never stops the rest and is never taken as deleted."""
    found: dict[str, dict[str, Any]] = {}
    for item in items:
        try:
            wire = kind.read(item, notes)
        except RemoteDataError as e:
            ident = item.get(kind.id_attr) if kind.entity != "profile" else "1"
            skipped.setdefault(kind.entity, {})[str(ident or "?")] = e.message
            continue
        found[kind.key_of(wire)] = wire
    return found


ROADMAP_MARKER = "zikRoadmap"  # on a goal item: zik changes it with each milestone write
EDITS = "zikEdits"  # on each item zik writes: when each field was edited (cloud/stamps.py)


QUEST = Kind(
    "quest",
    "goals",
    Quest,
    "goalId",
    (
        Field("goalId", "goal_id", _text, required=True),
        Field("goalName", "goal_name", _title, required=True),
        Field("description", "description", _DESCRIPTION),
        Field("targetDate", "target_date", _date),
        Field("category", "category", _text),
        Field("status", "status", _one_of(*QUEST_STATUSES), required=True),
        Field("roadmapStatus", "roadmap_status", _one_of("none", "generating", "ready")),
        *_TIMES,
        Field("completedAt", "completed_at", is_stamp),
    ),
    backend_only=(ROADMAP_MARKER,),
)

MILESTONE = Kind(
    "milestone",
    "milestones",
    Milestone,
    "milestoneId",
    (
        Field("milestoneId", "milestone_id", _text, required=True),
        Field("epicId", "goal_id", _text, required=True),
        Field("sequence", "sequence", _whole, required=True),
        Field("title", "title", _title, required=True),
        Field("description", "description", _DESCRIPTION),
        Field("status", "status", _one_of(*MILESTONE_STATUSES), required=True),
        Field("durationInDays", "duration_in_days", _between(1, 3650)),
        *_TIMES,
        Field("activatedAt", "activated_at", is_stamp),
        Field("completedAt", "completed_at", is_stamp),
    ),
)

TASK = Kind(
    "task",
    "tasks",
    Task,
    "taskId",
    (
        Field("taskId", "task_id", _text, required=True),
        Field("taskName", "task_name", _title, required=True),
        Field("description", "description", _DESCRIPTION),
        Field("dueDate", "due_date", _date, required=True),
        Field("priority", "priority", _one_of(*PRIORITIES)),
        Field("status", "status", _one_of(*TASK_STATUSES), required=True),
        Field("goalId", "goal_id", _text),
        Field("milestoneId", "milestone_id", _text),
        *_TIMES,
        Field("recurrenceRuleId", "recurrence_rule_id", _text),
        Field("estimatedMinutes", "estimated_minutes", _between(0, 1440)),
        Field("startedAt", "started_at", is_stamp),
        Field("completedAt", "completed_at", is_stamp),
        Field("tags", "tags", _tags),
        # zik's own: when a missed task was let go (an attribute only skipped tasks carry; the
        # backend has no status for it, and the api remote does not hold it).
        Field("skippedAt", "skipped_at", is_stamp),
    ),
)

ROUTINE = Kind(
    "routine",
    "routines",
    Routine,
    "recurrenceRuleId",
    (
        Field("recurrenceRuleId", "recurrence_rule_id", _text, required=True),
        Field("title", "title", _title, required=True),
        Field("description", "description", _DESCRIPTION),
        Field("priority", "priority", _one_of(*PRIORITIES)),
        Field("status", "status", _one_of("active", "paused"), required=True),
        Field("frequency", "frequency", _one_of(*FREQUENCIES), required=True),
        Field("daysOfWeek", "days_of_week", _days),
        Field("goalId", "goal_id", _text),
        *_TIMES,
        Field("estimatedMinutes", "estimated_minutes", _between(0, 1440)),
        # zik's own: the days whose task was deleted, so no device makes it again
        Field("exdates", "exdates", lambda v: isinstance(v, list) and all(map(_date, v))),
    ),
)

CHAT = Kind(
    "chat",
    "chat",
    ChatMessage,
    "messageId",
    (
        Field("messageId", "message_id", _text, required=True),
        Field("timestamp", "timestamp", is_stamp, required=True),
        Field("role", "role", _one_of("user", "assistant"), required=True),
        Field("content", "content", _text, required=True),
    ),
    backend_only=("ttl",),
)

PROFILE = Kind(
    "profile",
    "users",
    Profile,
    "userId",
    (
        Field("displayName", "name", _up_to(100)),
        Field("preferences.timezone", "timezone", _zone),
        Field("preferences.questCategories", "focus_areas", _texts),
        Field("preferences.zikDailyTime", "daily_time", _time_of_day),
        Field("preferences.zikDailyCapacity", "daily_capacity", _between(5, 960)),
        Field("onboardingCompleted", "onboarding_completed", lambda v: isinstance(v, bool)),
        *_TIMES,
    ),
    backend_only=("username", "email", "firstName", "lastName", "avatarUrl", "lastLoginAt"),
)


# What the backend's POST /profile stores for what it was not sent (§4.5): a remote profile
# holding these has not been edited there, so on first meeting a value here is no conflict.
PROFILE_DEFAULTS: dict[str, Any] = {
    "preferences.timezone": "UTC",
    "preferences.questCategories": [],
    "onboardingCompleted": False,
}


def profile_names(email: str, display_name: str | None) -> dict[str, str]:
    """The names a new backend profile needs (§3.11), from the account's email and the name
    zik knows: a username matching `^[a-zA-Z0-9_]{3,30}$`, a first and a last name."""
    local_part = email.split("@", 1)[0]
    cleaned = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in local_part)[:30]
    username = cleaned if len(cleaned) >= 3 else (cleaned + "_zik")[:30]
    names = (display_name or local_part).split(" ", 1)
    return {
        "username": username,
        "firstName": names[0],
        "lastName": names[1] if len(names) > 1 else "",
    }


# In the order a pull applies them: a task may point at a quest, a milestone and a routine.
KINDS: tuple[Kind, ...] = (QUEST, ROUTINE, MILESTONE, TASK, CHAT, PROFILE)
BY_ENTITY = {kind.entity: kind for kind in KINDS}
