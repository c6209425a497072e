"""A day's budget: the daily capacity is one budget for the whole day, shared across the quests.

Why: each quest used to be told the whole capacity, so six quests at 60 minutes a day made a
335-minute day (issue 15). The rule, in order:

1. **What the day already holds comes first**: the routine tasks due that day, the person's own
   tasks due that day, and the tasks of quests already planned that day (earlier, or on another
   device). A task without an estimate counts `DEFAULT_MINUTES`.
2. **The rest is shared by the quests still to plan**: first a light day of `MIN_SHARE`
   minutes for each (on a day too full for all of them, the quests that went without tasks on
   more of the last `FAIRNESS_DAYS` days first, and `SLACK` minutes over the capacity buy one
   more), then the rest by weight (`WEIGHTS`: a quest behind schedule 2, on track 1, stalled ½ —
   a lighter day, not none), in whole steps of 5 minutes.
3. **The person's own tasks on a quest count against that quest's share**: the coach gets the
   share minus them. Own tasks larger than the share take nothing from the other quests' shares:
   the excess is the person's choice, and the others are shared as if that quest were not there.
4. A plan is checked against its share locally (`fit`), whichever provider made it: the tasks are
   kept in priority order while they fit, and a single task too long for the share is shortened
   to it. A plan never overflows its share.

A day so full that a quest's share is under 5 minutes gets no coach tasks for it, and `zik daily`
says so ("no room today").
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zik.core import routines
from zik.errors import ZikError
from zik.models import DEFAULT_TASK_MINUTES, Task
from zik.store import tasks as task_store

DEFAULT_MINUTES = DEFAULT_TASK_MINUTES  # a task without an estimate (own, or a routine's)
STEP = 5  # plans are in whole steps of 5 minutes
MIN_SHARE = 5  # the smallest useful day for a quest: one 5-minute task
SLACK = 5  # a day may end this much over the capacity, to give one more quest a light day
WEIGHTS = {"behind": 2.0, "on_track": 1.0, "stalled": 0.5}
FAIRNESS_DAYS = 14  # a too-full day leaves out the quests that had tasks on most of these


class DayFull(ZikError):
    """No room left in the day for a quest's tasks (they start with the next day's plan)."""

    code = "day_full"
    exit_code = 0  # not a failure: the day is planned to its capacity


def minutes(task: Task) -> int:
    return task.estimated_minutes or DEFAULT_MINUTES


@dataclass
class DayBudget:
    """The day's capacity, what it already holds, and each quest's minutes for the coach."""

    day: date
    capacity: int
    held: list[dict[str, Any]] = field(default_factory=list)  # on_day entries (see DayRequest)
    shares: dict[str, int] = field(default_factory=dict)  # goal id → minutes for the coach
    own: dict[str, int] = field(default_factory=dict)  # goal id → own minutes on that quest

    @property
    def held_minutes(self) -> int:
        return held_minutes(self.held)

    def add(self, tasks: list[Task], quest_name: str | None, kind: str = "quest") -> None:
        """Record tasks just planned, so the next quest's coach sees them on the day."""
        self.held += [_entry(t, kind, quest_name) for t in tasks]


def held_minutes(on_day: list[dict[str, Any]]) -> int:
    """The minutes of what a day holds (on_day entries, see DayRequest)."""
    return sum(t["estimatedMinutes"] or DEFAULT_MINUTES for t in on_day)


def _entry(task: Task, kind: str, quest_name: str | None) -> dict[str, Any]:
    return {
        "taskName": task.task_name,
        "estimatedMinutes": minutes(task),
        "kind": kind,
        "quest": quest_name,
    }


def budget(
    conn: sqlite3.Connection,
    day: date,
    capacity: int,
    to_plan: list[tuple[str, float]],
    quest_names: dict[str, str],
    days_without: dict[str, int] | None = None,
) -> DayBudget:
    """Share the day among `to_plan` ((goal id, weight), in planning order) after what it holds."""
    planning = {goal_id for goal_id, _ in to_plan}
    plan = DayBudget(day, capacity)
    own: dict[str, int] = {}
    for task in task_store.due_on(conn, day.isoformat()):
        name = quest_names.get(task.goal_id or "")
        if task.source == "routine" or task.recurrence_rule_id:
            plan.held.append(_entry(task, "routine", name))
        elif task.source == "user" and task.goal_id in planning:
            own[task.goal_id] = own.get(task.goal_id, 0) + minutes(task)
            plan.held.append(_entry(task, "own", name))
        else:
            plan.held.append(_entry(task, "own" if task.source == "user" else "quest", name))
    for rule in routines.not_yet_made(conn, day):  # the day will hold them too
        plan.held.append(
            {
                "taskName": rule.title,
                "estimatedMinutes": rule.estimated_minutes or DEFAULT_MINUTES,
                "kind": "routine",
                "quest": quest_names.get(rule.goal_id or ""),
            }
        )
    held_elsewhere = plan.held_minutes - sum(own.values())
    plan.own = own
    plan.shares = share(
        capacity - held_elsewhere,
        to_plan,
        own,
        rotate=day.toordinal(),
        days_without=days_without,
    )
    return plan


def share(
    free: int,
    to_plan: list[tuple[str, float]],
    own: dict[str, int],
    *,
    rotate: int = 0,
    days_without: dict[str, int] | None = None,
) -> dict[str, int]:
    """The coach's minutes per quest out of `free` (the own tasks on each quest still inside).

    First a light day (`MIN_SHARE`) for as many quests as the pool holds: quests without an own
    task that day before those with one (they have a task already), then the ones that went
    without tasks on more of the last days (`days_without`), then a rotation by `rotate` (the
    day's number), so that a day too full for everyone leaves out a different quest each time.
    The rest goes by weight, each quest's own tasks counting against its part.
    """
    days_without = days_without or {}
    pool = free - sum(own.get(g, 0) for g, _ in to_plan)
    result = {goal_id: 0 for goal_id, _ in to_plan}
    n = len(to_plan)
    if n and pool < n * MIN_SHARE:  # too full for every quest: the slack buys one more light day
        pool = min(pool + SLACK, n * MIN_SHARE) // MIN_SHARE * MIN_SHARE
    if pool < MIN_SHARE or not to_plan:
        return result
    turn = {g: (i + rotate) % n for i, (g, _) in enumerate(to_plan)}
    ranked = sorted(
        to_plan, key=lambda gw: (own.get(gw[0], 0) > 0, -days_without.get(gw[0], 0), turn[gw[0]])
    )
    light = [g for g, _ in ranked[: pool // MIN_SHARE]]
    total_weight = sum(max(w, 0.01) for _, w in to_plan)
    wanted = {
        g: max(free * max(w, 0.01) / total_weight - own.get(g, 0) - MIN_SHARE * (g in light), 0)
        for g, w in to_plan
    }
    rest = pool - MIN_SHARE * len(light)
    if sum(wanted.values()) <= 0:  # own tasks fill every share: the rest by weight
        wanted = {g: max(w, 0.01) for g, w in to_plan if g in light} or {light[0]: 1.0}
    scale = rest / sum(wanted.values())
    exact = {g: MIN_SHARE * (g in light) + wanted.get(g, 0) * scale for g, _ in to_plan}
    steps = {g: int(exact[g]) // STEP for g in exact}
    left = pool // STEP - sum(steps.values())
    for goal_id in sorted(exact, key=lambda g: -(exact[g] - steps[g] * STEP))[: max(left, 0)]:
        steps[goal_id] += 1
    result.update({g: s * STEP for g, s in steps.items()})
    return result


def fit(tasks: list[dict[str, Any]], share_minutes: int) -> list[dict[str, Any]]:
    """A plan's tasks cut to the share: in priority order while they fit, never overflowing."""
    rank = {"high": 0, "medium": 1, "low": 2}
    order = sorted(range(len(tasks)), key=lambda i: (rank.get(tasks[i]["priority"], 1), i))
    kept, used = set(), 0
    for i in order:
        if used + tasks[i]["estimatedMinutes"] <= share_minutes:
            kept.add(i)
            used += tasks[i]["estimatedMinutes"]
    if not kept and tasks and share_minutes >= MIN_SHARE:
        first = order[0]
        was, now = tasks[first]["estimatedMinutes"], share_minutes - share_minutes % STEP
        name = tasks[first]["taskName"]  # "Run for 30 minutes" shortened says its new minutes
        name = re.sub(rf"\b{was}(?=\s*-?\s*min)", str(now), name)
        tasks[first] = {**tasks[first], "estimatedMinutes": now, "taskName": name}
        kept.add(first)
    return [t for i, t in enumerate(tasks) if i in kept]
