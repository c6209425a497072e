"""Domain types shared by every layer.

Field names are the local snake_case columns; `to_json()` gives the backend's camelCase names
(goalId, goalName, taskName, dueDate, milestoneId, epicId, …) so scripts and the cloud see one
vocabulary (DESIGN.md §1). Plain classes keep the hot commands free of pydantic.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar, Self

QUEST_STATUSES = ("active", "paused", "completed")
MILESTONE_STATUSES = ("locked", "active", "completed")
TASK_STATUSES = ("pending", "in-progress", "completed")
PRIORITIES = ("low", "medium", "high")
FREQUENCIES = ("daily", "weekdays", "weekends", "weekly")
OPEN_TASK_STATUSES = ("pending", "in-progress")

MAX_TITLE = 200  # the backend's maxTitleLength
DEFAULT_TASK_MINUTES = 15  # what a task without an estimate counts on a day's budget
MAX_MILESTONE_DAYS = 730  # the longest milestone a roadmap proposal may hold (ai/schemas.py)
MAX_ROADMAP_DAYS = 7 * MAX_MILESTONE_DAYS  # 7 milestones at most: a roadmap spans ~14 years
MAX_DESCRIPTION = 5000
MAX_TAGS, MAX_TAG = 20, 50  # tags on a task, characters in one (one word, as Taskwarrior's)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class Record:
    """A row of one table. Subclasses list their fields in `__slots__` and give defaults.

    Deliberately not a dataclass: generating dataclasses costs ~0.7 ms each at import, and these
    load on every command (the hot commands have a 90 ms budget, DESIGN.md §9).
    """

    __slots__ = ()
    TABLE: ClassVar[str]
    PK: ClassVar[str]
    ENTITY: ClassVar[str]
    DEFAULTS: ClassVar[dict[str, Any]] = {}
    JSON_COLUMNS: ClassVar[tuple[str, ...]] = ()
    BOOL_COLUMNS: ClassVar[tuple[str, ...]] = ()
    JSON_NAMES: ClassVar[dict[str, str]] = {}

    def __init__(self, **values: Any):
        defaults = self.DEFAULTS
        for name in self.__slots__:
            if name in values:
                value = values.pop(name)
            elif name in defaults:
                value = defaults[name]
                value = list(value) if isinstance(value, list) else value
            else:
                raise TypeError(f"{type(self).__name__} needs {name}")
            setattr(self, name, value)
        if values:
            raise TypeError(f"{type(self).__name__} has no field {next(iter(values))}")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.to_row() == other.to_row()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.PK}={self.key!r})"

    @property
    def key(self) -> str:
        """The primary-key value."""
        return getattr(self, self.PK)

    def replace(self, **changes: Any) -> Self:
        return type(self)(**{**{n: getattr(self, n) for n in self.__slots__}, **changes})

    @classmethod
    def from_row(cls, row: Any) -> Self:
        data = dict(row)
        for name in cls.JSON_COLUMNS:
            if data.get(name) is not None:
                data[name] = json.loads(data[name])
        for name in cls.BOOL_COLUMNS:
            data[name] = bool(data.get(name))
        return cls(**{name: data.get(name) for name in cls.__slots__})

    def to_row(self) -> dict[str, Any]:
        row = {name: getattr(self, name) for name in self.__slots__}
        for name in self.JSON_COLUMNS:
            if row[name] is not None:
                row[name] = json.dumps(row[name])
        for name in self.BOOL_COLUMNS:
            row[name] = int(bool(row[name]))
        return row

    @classmethod
    def json_name(cls, column: str) -> str:
        """The name a column has in JSON (`--json`, exports): the backend's camelCase."""
        return cls.JSON_NAMES.get(column) or _camel(column)

    def to_json(self) -> dict[str, Any]:
        names = self.JSON_NAMES  # json_name inlined: this runs for every record shown
        return {names.get(n) or _camel(n): getattr(self, n) for n in self.__slots__}


_COMMON = {"created_at": "", "updated_at": "", "deleted_at": None, "source": "user"}


class Quest(Record):
    TABLE = "quests"
    PK = "goal_id"
    ENTITY = "quest"
    __slots__ = (
        "goal_id",
        "goal_name",
        "description",
        "target_date",
        "category",
        "status",
        "roadmap_status",
        "roadmap_error",
        "created_at",
        "updated_at",
        "completed_at",
        "deleted_at",
        "source",
        "ai_call_id",
    )
    DEFAULTS = {
        **_COMMON,
        "description": None,
        "target_date": None,
        "category": None,
        "status": "active",
        "roadmap_status": "none",
        "roadmap_error": None,
        "completed_at": None,
        "ai_call_id": None,
    }
    goal_id: str
    goal_name: str
    description: str | None
    target_date: str | None
    category: str | None
    status: str  # active | paused | completed
    roadmap_status: str  # none | generating | ready | failed
    roadmap_error: str | None
    created_at: str
    updated_at: str
    completed_at: str | None
    deleted_at: str | None
    source: str  # user | ai | routine | sync
    ai_call_id: str | None


class Milestone(Record):
    TABLE = "milestones"
    PK = "milestone_id"
    ENTITY = "milestone"
    JSON_NAMES = {"goal_id": "epicId"}
    __slots__ = (
        "milestone_id",
        "goal_id",
        "sequence",
        "title",
        "description",
        "status",
        "duration_in_days",
        "created_at",
        "updated_at",
        "activated_at",
        "completed_at",
        "deleted_at",
        "source",
        "ai_call_id",
    )
    DEFAULTS = {
        **_COMMON,
        "description": None,
        "status": "locked",
        "duration_in_days": None,
        "activated_at": None,
        "completed_at": None,
        "ai_call_id": None,
    }
    milestone_id: str  # milestone_<uuid>
    goal_id: str  # the backend's epicId
    sequence: int  # 1-based order in the roadmap
    title: str
    description: str | None
    status: str  # locked | active | completed
    duration_in_days: int | None
    created_at: str
    updated_at: str
    activated_at: str | None
    completed_at: str | None
    deleted_at: str | None
    source: str
    ai_call_id: str | None


class Task(Record):
    TABLE = "tasks"
    PK = "task_id"
    ENTITY = "task"
    JSON_COLUMNS = ("tags",)
    __slots__ = (
        "task_id",
        "task_name",
        "due_date",
        "description",
        "priority",
        "status",
        "goal_id",
        "milestone_id",
        "recurrence_rule_id",
        "estimated_minutes",
        "tags",
        "created_at",
        "updated_at",
        "started_at",
        "completed_at",
        "deleted_at",
        "source",
        "ai_call_id",
        "skipped_at",
    )
    DEFAULTS = {
        **_COMMON,
        "description": None,
        "priority": "medium",
        "status": "pending",
        "skipped_at": None,
        "goal_id": None,
        "milestone_id": None,
        "recurrence_rule_id": None,
        "estimated_minutes": None,
        "tags": [],
        "started_at": None,
        "completed_at": None,
        "ai_call_id": None,
    }
    task_id: str
    task_name: str
    due_date: str  # YYYY-MM-DD in the user's timezone
    description: str | None
    priority: str  # low | medium | high
    status: str  # pending | in-progress | completed
    goal_id: str | None
    milestone_id: str | None
    recurrence_rule_id: str | None
    estimated_minutes: int | None
    tags: list[str]  # kept from Taskwarrior imports; searchable
    created_at: str
    updated_at: str
    started_at: str | None
    completed_at: str | None
    deleted_at: str | None
    source: str
    ai_call_id: str | None
    # When a missed task was let go (replaced by a later day's plan, or a routine's day that
    # ended): it stays in history as planned and not done, and is no longer open (issue 15).
    skipped_at: str | None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES and self.skipped_at is None

    @property
    def shown_status(self) -> str:
        """The status people see: a skipped task is neither open nor done."""
        return "skipped" if self.skipped_at and self.status != "completed" else self.status


class Routine(Record):
    TABLE = "routines"
    PK = "recurrence_rule_id"
    ENTITY = "routine"
    JSON_COLUMNS = ("days_of_week", "exdates")
    __slots__ = (
        "recurrence_rule_id",
        "title",
        "frequency",
        "description",
        "priority",
        "days_of_week",
        "goal_id",
        "estimated_minutes",
        "status",
        "exdates",
        "created_at",
        "updated_at",
        "deleted_at",
        "source",
    )
    DEFAULTS = {
        **_COMMON,
        "description": None,
        "priority": "medium",
        "days_of_week": None,
        "goal_id": None,
        "estimated_minutes": None,
        "status": "active",
        "exdates": None,
    }
    recurrence_rule_id: str  # rule_<uuid>
    title: str
    frequency: str  # daily | weekdays | weekends | weekly
    description: str | None
    priority: str
    days_of_week: list[int] | None  # 0 = Sunday … 6 = Saturday, as the backend
    goal_id: str | None
    estimated_minutes: int | None
    status: str  # active | paused
    exdates: list[str] | None  # the days whose task was deleted (YYYY-MM-DD), newest last
    created_at: str
    updated_at: str
    deleted_at: str | None
    source: str


class Profile(Record):
    TABLE = "profile"
    PK = "id"
    ENTITY = "profile"
    JSON_COLUMNS = ("focus_areas",)
    BOOL_COLUMNS = ("onboarding_completed",)
    __slots__ = (
        "id",
        "name",
        "timezone",
        "daily_time",
        "daily_capacity",
        "focus_areas",
        "onboarding_completed",
        "created_at",
        "updated_at",
    )
    DEFAULTS = {
        "id": 1,
        "name": None,
        "timezone": "UTC",
        "daily_time": "06:00",
        "daily_capacity": 90,
        "focus_areas": [],
        "onboarding_completed": False,
        "created_at": "",
        "updated_at": "",
    }
    id: int
    name: str | None
    timezone: str
    daily_time: str  # HH:MM local
    daily_capacity: int  # minutes a day
    focus_areas: list[str]
    onboarding_completed: bool
    created_at: str
    updated_at: str


class ChatMessage(Record):
    """One message of the conversation with the coach.

    An assistant message keeps the tool calls the turn made (`tool_calls`: name, input, result
    summary), its token usage and the AI call that produced it.
    """

    TABLE = "chat_messages"
    PK = "message_id"
    ENTITY = "chat_message"
    JSON_COLUMNS = ("tool_calls", "usage")
    __slots__ = (
        "message_id",
        "timestamp",
        "role",
        "content",
        "tool_calls",
        "usage",
        "ai_call_id",
        "created_at",
        "updated_at",
        "deleted_at",
        "source",
    )
    DEFAULTS = {**_COMMON, "tool_calls": [], "usage": None, "ai_call_id": None}
    message_id: str
    timestamp: str
    role: str  # user | assistant
    content: str
    tool_calls: list[dict[str, Any]]
    usage: dict[str, int] | None
    ai_call_id: str | None


class AICall(Record):
    """One model call in the `ai_calls` log: what it was for, who answered, what it cost.

    `request` and `response` are JSON text kept only for the most recent calls (`ai.keep_bodies`);
    they hold prompts and replies, never credentials.
    """

    TABLE = "ai_calls"
    PK = "id"
    ENTITY = "ai_call"
    __slots__ = (
        "id",
        "created_at",
        "purpose",
        "provider",
        "model",
        "subject",
        "attempt",
        "repair_of",
        "outcome",
        "input_tokens",
        "output_tokens",
        "cache_read_tokens",
        "cache_write_tokens",
        "latency_ms",
        "stop_reason",
        "cost_usd",
        "error",
        "request",
        "response",
    )
    DEFAULTS = {
        "created_at": "",
        "subject": None,
        "attempt": 1,
        "repair_of": None,
        "outcome": "ok",
        "input_tokens": 0,
        "output_tokens": 0,
        "cache_read_tokens": 0,
        "cache_write_tokens": 0,
        "latency_ms": None,
        "stop_reason": None,
        "cost_usd": None,
        "error": None,
        "request": None,
        "response": None,
    }
    id: str
    created_at: str
    purpose: str  # roadmap | day_plan | chat | check
    provider: str  # bedrock | offline
    model: str
    subject: str | None  # the id of what the call was about (a quest, a milestone)
    attempt: int  # 1, or 2 for the repair round
    repair_of: str | None
    outcome: str  # ok | invalid | error
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    latency_ms: int | None
    stop_reason: str | None
    cost_usd: float | None
    error: str | None
    request: str | None
    response: str | None


ENTITIES: dict[str, type[Record]] = {
    cls.ENTITY: cls for cls in (Quest, Milestone, Task, Routine, Profile)
}

ID_PREFIXES = ("milestone_", "rule_")


_TYPED_ID = re.compile(r"^[0-9a-f-]{0,36}$")


def typed_id(ref: str) -> str | None:
    """The hex part of an id as a person types it (any case, `milestone_`/`rule_` prefix
    allowed), or None when it cannot be the start of an id."""
    text = ref.strip().lower()
    for prefix in ID_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text if _TYPED_ID.match(text) else None


def short_id(key: str) -> str:
    """The 8 hex characters people see and type (`milestone_`/`rule_` prefixes dropped)."""
    for prefix in ID_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    return key[:8]
