"""Quests: long-term goals, their status, and the numbers that show their progress."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date, timedelta
from typing import Any

from zik.core import clock, validate
from zik.core import profile as profiles
from zik.core.changes import change_set
from zik.core.plan import health, progression
from zik.core.plan.health import Health
from zik.errors import UsageError
from zik.models import QUEST_STATUSES, Milestone, Quest, Task
from zik.store import quests as quest_store
from zik.store import records
from zik.store import routines as routine_store
from zik.store import tasks as task_store


class QuestSummary:
    """A quest with its active milestone and completion counts."""

    def __init__(
        self,
        quest: Quest,
        active_milestone: Milestone | None,
        *,
        milestones_done: int = 0,
        milestones: int = 0,
        tasks_done: int | None = 0,
        tasks: int | None = 0,
    ):
        self.quest = quest
        self.active_milestone = active_milestone
        self.milestones_done, self.milestones = milestones_done, milestones
        self.tasks_done, self.tasks = tasks_done, tasks
        self.health: Health | None = None  # plan health (core/plan/health.py)

    @property
    def progress(self) -> float:
        """Share of the roadmap done: by milestones, or by tasks when there is no roadmap."""
        if self.milestones:
            return self.milestones_done / self.milestones
        return self.tasks_done / self.tasks if self.tasks else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            **self.quest.to_json(),
            "activeMilestone": self.active_milestone and self.active_milestone.to_json(),
            "progress": {
                "milestonesCompleted": self.milestones_done,
                "milestones": self.milestones,
                "tasksCompleted": self.tasks_done,
                "tasks": self.tasks,
                "percent": round(self.progress * 100),
            },
            "health": self.health and self.health.to_json(),
        }


class MilestoneProgress:
    def __init__(self, milestone: Milestone, tasks_done: int, tasks: int, day: int | None = None):
        self.milestone, self.tasks_done, self.tasks = milestone, tasks_done, tasks
        self.day = day  # which of its days today is (an active milestone with a duration)

    @property
    def progress(self) -> float:
        """Done share of the milestone. A milestone planned in days is as far along as its days
        gone by, times the share of their tasks done: 6 of 7 tasks on day 3 of 27 is 10%, not
        86% (its tasks arrive day by day, issue 15)."""
        if self.milestone.status == "completed":
            return 1.0
        rate = self.tasks_done / self.tasks if self.tasks else 0.0
        days = self.milestone.duration_in_days
        if self.day and days:
            return min(self.day, days) / days * rate
        return rate

    def to_json(self) -> dict[str, Any]:
        return {
            **self.milestone.to_json(),
            "progress": {
                "tasksCompleted": self.tasks_done,
                "tasks": self.tasks,
                "day": self.day,
                "days": self.milestone.duration_in_days,
                "percent": round(self.progress * 100),
            },
        }


class QuestDetail:
    """A quest's roadmap with per-milestone progress, and its next open tasks."""

    def __init__(
        self, summary: QuestSummary, roadmap: list[MilestoneProgress], open_tasks: list[Task]
    ):
        self.summary, self.roadmap, self.open_tasks = summary, roadmap, open_tasks

    def to_json(self) -> dict[str, Any]:
        return {
            **self.summary.to_json(),
            "milestones": [m.to_json() for m in self.roadmap],
            "openTasks": [t.to_json() for t in self.open_tasks],
        }


def find(conn: sqlite3.Connection, ref: str) -> Quest:
    return records.find(conn, Quest, ref)


def target_date(text: str | None, today: date) -> str | None:
    if text is None:
        return None
    day = clock.parse_date(text, today)
    if day < today:
        raise UsageError(f"the target date {day} is in the past")
    return day.isoformat()


MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def target_in_title(title: str, today: date) -> date | None:
    """The target a title states, for a quest given none (issue 16): "this year", "by the end
    of the year", "by June" (the end of the next June), "by 2027", "in 3 months", "in 6 weeks",
    "in 10 days", "in a year". None when the title names no time."""
    import re  # here, not at the top: `zik quest list` imports this module

    text = " ".join(title.casefold().split())
    if re.search(r"\b(this year|by the end of the year|by year end|by year-end)\b", text):
        return date(today.year, 12, 31)
    found = re.search(r"\bby (?:the end of )?(" + "|".join(MONTHS) + r")(?: (\d{4}))?\b", text)
    if found:
        month = MONTHS.index(found.group(1)) + 1
        year = int(found.group(2)) if found.group(2) else today.year + (month < today.month)
        after = date(year + (month == 12), month % 12 + 1, 1)
        return after - timedelta(days=1)  # the end of that month
    found = re.search(r"\bby (\d{4})\b", text)
    if found and int(found.group(1)) >= today.year:
        return date(int(found.group(1)), 12, 31)
    found = re.search(r"\bin (a|an|one|\d{1,3}) (day|week|month|year)s?\b", text)
    if found:
        count = 1 if found.group(1) in ("a", "an", "one") else int(found.group(1))
        unit = found.group(2)
        if unit in ("day", "week"):
            return today + timedelta(days=count * (7 if unit == "week" else 1))
        months = today.month - 1 + count * (12 if unit == "year" else 1)
        year, month = today.year + months // 12, months % 12 + 1
        last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
        return date(year, month, min(today.day, last))
    return None


def check_new(
    title: str, *, today: date, description: str | None = None, target: str | None = None
) -> None:
    """Validate a new quest's fields without saving (to fail before slow work starts)."""
    validate.title(title)
    validate.description(description)
    target_date(target, today)


def create(
    conn: sqlite3.Connection,
    title: str,
    *,
    today: date,
    description: str | None = None,
    target: str | None = None,
    category: str | None = None,
) -> Quest:
    stated = target_in_title(title, today) if target is None else None
    quest = Quest(
        goal_id=str(uuid.uuid4()),
        goal_name=validate.title(title),
        description=validate.description(description),
        target_date=stated.isoformat() if stated and stated > today else target_date(target, today),
        category=(category or "").strip().lower() or None,
    )
    with change_set(conn, f"quest new {quest.goal_name}") as cs:
        return cs.insert(quest)


def summaries(conn: sqlite3.Connection, status: str = "active") -> list[QuestSummary]:
    if status not in (*QUEST_STATUSES, "all"):
        raise UsageError(f"unknown status {status!r}", hint="use active, paused, completed or all")
    quests = quest_store.list_where(conn, None if status == "all" else (status,))
    ids = [q.goal_id for q in quests]
    counts = quest_store.progress(conn, ids)
    active = quest_store.active_milestones(conn, ids)
    found = [QuestSummary(q, active.get(q.goal_id), **counts[q.goal_id]) for q in quests]
    _add_health(conn, found)
    return found


def _add_health(conn: sqlite3.Connection, summaries: list[QuestSummary]) -> None:
    me = profiles.load(conn)
    today = clock.local_today(me.timezone)
    found = health.of_quests(conn, [s.quest for s in summaries], today, me.timezone)
    for summary in summaries:
        summary.health = found[summary.quest.goal_id]


def detail(conn: sqlite3.Connection, ref: str) -> QuestDetail:
    quest = find(conn, ref)
    milestones = quest_store.milestones_of(conn, quest.goal_id)
    by_milestone = task_store.counts_by_milestone(conn, quest.goal_id)
    me = profiles.load(conn)
    today = clock.local_today(me.timezone)
    roadmap = [
        MilestoneProgress(
            m,
            *by_milestone.get(m.milestone_id, (0, 0)),
            day=progression.day_number(m, today, me.timezone)
            if m.status == "active" and m.duration_in_days and m.activated_at
            else None,
        )
        for m in milestones
    ]
    tasks_done = sum(d for d, _ in by_milestone.values())
    tasks_total = sum(t for _, t in by_milestone.values())
    summary = QuestSummary(
        quest,
        next((m for m in milestones if m.status == "active"), None),
        milestones_done=sum(m.status == "completed" for m in milestones),
        milestones=len(milestones),
        tasks_done=tasks_done,
        tasks=tasks_total,
    )
    _add_health(conn, [summary])
    open_tasks, _ = task_store.list_where(conn, goal_id=quest.goal_id, limit=20)
    return QuestDetail(summary, roadmap, open_tasks)


def edit(
    conn: sqlite3.Connection,
    ref: str,
    *,
    today: date,
    title: str | None = None,
    description: str | None = None,
    target: str | None = None,
    category: str | None = None,
) -> Quest:
    changes: dict[str, Any] = {}
    if title is not None:
        changes["goal_name"] = validate.title(title)
    if description is not None:
        changes["description"] = validate.description(description)
    if target is not None:
        changes["target_date"] = None if target in ("", "none") else target_date(target, today)
    if category is not None:
        changes["category"] = category.strip().lower() or None
    if not changes:
        raise UsageError(
            "nothing to change", hint="pass --title, --description, --target or --category"
        )
    with change_set(conn, f"quest edit {ref}") as cs:
        return cs.update(find(conn, ref), **changes)


_STATUS_EVENTS = {
    "active": "quest.resumed",
    "paused": "quest.paused",
    "completed": "quest.completed",
}


def set_status(conn: sqlite3.Connection, ref: str, status: str) -> Quest:
    with change_set(conn, f"quest {status} {ref}") as cs:
        quest = find(conn, ref)
        done_at = cs.ts if status == "completed" else None
        return cs.update(quest, _STATUS_EVENTS[status], status=status, completed_at=done_at)


def remove(conn: sqlite3.Connection, ref: str) -> Quest:
    """Delete a quest with its roadmap, tasks and routines (as tombstones; `zik undo` restores)."""
    with change_set(conn, f"quest rm {ref}") as cs:
        quest = find(conn, ref)
        for task in task_store.of_quest(conn, quest.goal_id):
            cs.delete(task)
        for milestone in quest_store.milestones_of(conn, quest.goal_id):
            cs.delete(milestone)
        for routine in routine_store.list_where(conn):
            if routine.goal_id == quest.goal_id:
                cs.delete(routine)
        return cs.delete(quest)
