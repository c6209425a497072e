"""The simulation's own record of what zik showed and what the person did, day by day.

Kept apart from zik's database on purpose: the report compares the two (zik's stats against
this log), so this log holds only what the CLI printed at the time, as the person saw it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class QuestInfo:
    """One of the person's quests, as set up, and the role the behaviour model gives it."""

    key: str  # the simulation's short name: "run", "spanish", …
    goal_id: str
    name: str
    target: str  # YYYY-MM-DD
    created: str  # YYYY-MM-DD
    role: str = ""  # "ignored", "finished early" or ""


@dataclass
class Seen:
    """A task as the sim first saw it (today's list or the overdue list), and what came of it."""

    task_id: str
    name: str
    goal_id: str | None
    source: str  # "ai", "routine", "user", …
    minutes: int | None
    due: str  # the due date when first seen
    days_planned: list[str] = field(default_factory=list)  # days it was on today's list
    completed_on: str | None = None  # the day the person completed it (by `task done`)


@dataclass
class DayLog:
    """One simulated day. `mode`: active, away (cron only), absent (no process), sick."""

    index: int  # 1 for the first day
    day: str
    mode: str
    daily_code: int | None = None  # None: no daily run that day
    daily_errors: list[str] = field(default_factory=list)
    quest_errors: dict[str, str] = field(default_factory=dict)  # goal_id -> error message
    planned: dict[str, list[str]] = field(default_factory=dict)  # goal_id or "" -> task ids
    minutes: int = 0  # estimated minutes of everything due that day
    unestimated: int = 0  # tasks due that day without an estimate (counted as 0 minutes)
    quest_state: dict[str, dict[str, Any]] = field(default_factory=dict)  # from quest list
    overdue: list[dict[str, Any]] = field(default_factory=list)  # id, due, source of each
    overdue_total: int = 0
    completed: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # other things done: "quest done shelf"
    command_errors: list[str] = field(default_factory=list)  # of the other commands that day
    processes: int = 0

    @property
    def observed(self) -> bool:
        return self.daily_code is not None


@dataclass
class Log:
    """Everything the report is computed from."""

    provider: str
    seed: int
    days: int
    capacity: int
    timezone: str
    sick: tuple[int, int]  # first and last day index of the sick week
    ignored: tuple[int, int]  # first and last day index the ignored quest is ignored
    finish_day: int | None
    quests: list[QuestInfo] = field(default_factory=list)
    day_logs: list[DayLog] = field(default_factory=list)
    seen: dict[str, Seen] = field(default_factory=dict)
    final_tasks: list[dict[str, Any]] = field(default_factory=list)  # task list --status all
    final_stats: dict[str, Any] = field(default_factory=dict)
    final_quests: dict[str, dict[str, Any]] = field(default_factory=dict)  # goal_id -> show
    setup_errors: list[str] = field(default_factory=list)
    processes: int = 0
    seconds: float = 0.0
    ai_requests: int = 0
