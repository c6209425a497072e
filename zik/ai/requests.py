"""What the planner and the coach are asked, as plain data.

Both providers take the same request: Bedrock turns it into a prompt (`ai/prompts.py`), the
offline provider into a deterministic plan (`ai/offline/`). Plain classes, not pydantic, so
that building a request costs nothing on commands that end up not calling the AI.
"""

from __future__ import annotations

from typing import Any


class RoadmapRequest:
    """Plan a quest into milestones.

    `available_days` is the number of days from today to the target date (None without a
    target); the durations of the plan must add up to it.
    """

    purpose = "roadmap"

    def __init__(
        self,
        *,
        goal_name: str,
        description: str | None,
        category: str | None,
        target_date: str | None,
        today: str,
        available_days: int | None,
        timezone: str,
        daily_capacity: int,
        keep: list[dict[str, Any]] | None = None,
    ):
        self.goal_name, self.description, self.category = goal_name, description, category
        self.target_date, self.today, self.available_days = target_date, today, available_days
        self.timezone, self.daily_capacity = timezone, daily_capacity
        # milestones already completed (a replan keeps them): [{title, description, durationInDays}]
        self.keep = keep or []

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


class DayRequest:
    """Plan one day's tasks for a quest's active milestone.

    `day_number` counts days since the milestone became active (1 on its first day);
    `recent_done` and `recent_missed` are task names from the last few days, so the plan builds on
    what was done and reschedules or replaces what was missed instead of piling it up.
    `done_before` holds every task name done in the whole quest (newest first), so a one-off step
    is never planned twice. `capacity_minutes` is this quest's share of the day (core/plan/
    capacity.py), out of `day_capacity` for the whole day; `on_day` is what the day already
    holds — routines, the person's own tasks, other quests' plans — as {taskName,
    estimatedMinutes, kind: routine|own|quest, quest} (own tasks of this quest already count
    against its share).
    """

    purpose = "day_plan"

    def __init__(
        self,
        *,
        goal_name: str,
        quest_description: str | None,
        category: str | None,
        milestone_title: str,
        milestone_description: str | None,
        milestone_sequence: int,
        milestones_total: int,
        duration_in_days: int | None,
        day_number: int,
        date: str,
        weekday: str,
        timezone: str,
        capacity_minutes: int,
        recent_done: list[str] | None = None,
        recent_missed: list[str] | None = None,
        done_before: list[str] | None = None,
        day_capacity: int | None = None,
        on_day: list[dict[str, Any]] | None = None,
    ):
        self.goal_name, self.quest_description, self.category = (
            goal_name,
            quest_description,
            category,
        )
        self.milestone_title, self.milestone_description = milestone_title, milestone_description
        self.milestone_sequence, self.milestones_total = milestone_sequence, milestones_total
        self.duration_in_days, self.day_number = duration_in_days, day_number
        self.date, self.weekday, self.timezone = date, weekday, timezone
        self.capacity_minutes = capacity_minutes
        self.recent_done = recent_done or []
        self.recent_missed = recent_missed or []
        self.done_before = done_before or []
        self.day_capacity = day_capacity if day_capacity is not None else capacity_minutes
        self.on_day = on_day or []

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))
