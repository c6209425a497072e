"""A roadmap's planned dates: the day each milestone starts and the day it ends.

Milestones keep no dates of their own, only `activated_at`, `completed_at` and `duration_in_days`,
so the plan is read from them in roadmap order (DESIGN.md §6): a completed milestone ran from its
activation to its completion, the active one lasts `duration_in_days` from its activation, and each
locked one starts the day after the one before it ends. A last milestone that cannot be dated
otherwise ends on the quest's target date. Days are local to the profile's timezone, as
`progression.day_number` counts them. The exports (Markdown plan, iCalendar feed) show these dates,
and read the plan they show through `read_plan`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from zik.core import clock, profile
from zik.models import Milestone, Quest, Task
from zik.store import plan as plan_store


class Span(NamedTuple):
    """A milestone's first and last planned day (inclusive); None where the data cannot tell."""

    start: date | None
    end: date | None


def milestone_spans(
    milestones: Sequence[Milestone], *, target_date: str | None, timezone: str
) -> list[Span]:
    """The planned span of each milestone of one roadmap, given in sequence order."""

    def local_day(stamp: str | None) -> date | None:
        return clock.local_date(stamp, timezone) if stamp else None

    spans: list[Span] = []
    previous_end: date | None = None
    for index, m in enumerate(milestones):
        after_previous = previous_end + timedelta(days=1) if previous_end else None
        if m.status == "locked":
            start = after_previous  # a locked milestone's old activation (before a move) is stale
        else:
            start = local_day(m.activated_at) or after_previous or local_day(m.created_at)
        end = local_day(m.completed_at) if m.status == "completed" else None
        if end is None and start is not None and m.duration_in_days:
            end = start + timedelta(days=m.duration_in_days - 1)
        if end is None and index == len(milestones) - 1 and target_date:
            target = date.fromisoformat(target_date)
            end = target if start is None or target >= start else None
        spans.append(Span(start, end))
        previous_end = end
    return spans


class Plan(NamedTuple):
    """The live plan with its planned dates, as the exports read it."""

    quests: list[Quest]  # oldest first
    roadmaps: dict[str, list[Milestone]]  # each quest's milestones in sequence, by quest id
    spans: dict[str, list[Span]]  # the planned span of each of those milestones, by quest id
    tasks: list[Task]  # by due date, a day's tasks oldest first


def read_plan(conn: sqlite3.Connection) -> Plan:
    """Every live quest, its roadmap and that roadmap's dates, and every live task.

    Milestones of a deleted quest are left out; tasks are all there, whatever their quest.
    """
    quests = plan_store.live_quests(conn)
    roadmaps: dict[str, list[Milestone]] = {q.goal_id: [] for q in quests}
    for m in plan_store.live_milestones(conn):
        if m.goal_id in roadmaps:
            roadmaps[m.goal_id].append(m)
    timezone = profile.load(conn).timezone
    spans = {
        q.goal_id: milestone_spans(
            roadmaps[q.goal_id], target_date=q.target_date, timezone=timezone
        )
        for q in quests
    }
    return Plan(quests, roadmaps, spans, plan_store.live_tasks(conn))
