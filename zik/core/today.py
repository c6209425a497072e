"""Today's view: the day's tasks grouped by quest, with each quest's active milestone,
the overdue tasks, and how much of the day is done."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from zik.core import clock, routines
from zik.core import profile as profiles
from zik.models import DEFAULT_TASK_MINUTES, Milestone, Quest, Task
from zik.store import daily as daily_store
from zik.store import quests as quest_store
from zik.store import tasks as task_store

OVERDUE_SHOWN = 20


class QuestGroup:
    """Today's tasks of one quest (quest None: tasks that belong to no quest)."""

    def __init__(self, quest: Quest | None, milestone: Milestone | None):
        self.quest, self.milestone = quest, milestone
        self.tasks: list[Task] = []

    def to_json(self) -> dict[str, Any]:
        return {
            "quest": self.quest and self.quest.to_json(),
            "activeMilestone": self.milestone and self.milestone.to_json(),
            "tasks": [t.to_json() for t in self.tasks],
        }


class TodayView:
    def __init__(
        self,
        day: date,
        timezone: str,
        groups: list[QuestGroup],
        overdue: list[Task],
        overdue_total: int,
        onboarded: bool,
    ):
        self.date, self.timezone, self.groups = day, timezone, groups
        self.overdue, self.overdue_total, self.onboarded = overdue, overdue_total, onboarded
        self.capacity = 0  # the profile's minutes a day
        self.failures: list[dict[str, Any]] = []  # what the day's run could not plan

    @property
    def planned_minutes(self) -> int:
        """The day's planned minutes, every task counted (one without an estimate as 15)."""
        return sum(t.estimated_minutes or DEFAULT_TASK_MINUTES for t in self.tasks)

    @property
    def tasks(self) -> list[Task]:
        return [t for g in self.groups for t in g.tasks]

    @property
    def completed(self) -> int:
        return sum(t.status == "completed" for t in self.tasks)

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "timezone": self.timezone,
            "groups": [g.to_json() for g in self.groups],
            "overdue": [t.to_json() for t in self.overdue],
            "overdueTotal": self.overdue_total,
            "completed": self.completed,
            "total": len(self.tasks),
            "plannedMinutes": self.planned_minutes,
            "capacityMinutes": self.capacity,
            "failures": self.failures,
        }


def view(conn: sqlite3.Connection, day: str | None = None) -> TodayView:
    """Build the view for a date (default: today in the profile's timezone)."""
    profile = profiles.load(conn)
    today = clock.local_today(profile.timezone)
    target = clock.parse_date(day, today) if day else today
    if target == today:
        routines.materialise(conn, today)
    tasks = task_store.due_on(conn, target.isoformat())
    goal_ids = sorted({t.goal_id for t in tasks if t.goal_id})
    quests = quest_store.by_ids(conn, goal_ids)
    milestones = quest_store.active_milestones(conn, goal_ids)
    groups: dict[str | None, QuestGroup] = {}
    for task in tasks:
        key = task.goal_id if task.goal_id in quests else None
        if key not in groups:
            groups[key] = QuestGroup(quests.get(key) if key else None, milestones.get(key or ""))
        groups[key].tasks.append(task)
    ordered = sorted(
        groups.values(), key=lambda g: (g.quest is None, g.quest and g.quest.created_at)
    )
    overdue, overdue_total = task_store.overdue(conn, target.isoformat(), OVERDUE_SHOWN)
    view = TodayView(
        target, profile.timezone, ordered, overdue, overdue_total, profile.onboarding_completed
    )
    view.capacity = profile.daily_capacity
    view.failures = daily_store.errors_on(conn, target.isoformat())
    return view
