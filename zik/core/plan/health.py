"""A quest's plan health: on track, behind by N days, or stalled, with a forecast finish date.

Why: the same brief was pushed forward 20 days running and nothing said "this quest looks
stalled" (issue 15). The rules, read from the last weeks only so that `zik quest list` stays
flat however long the history grows:

- **Pace** is the share of the quest's planned tasks done among those due in the last
  `WINDOW_DAYS` days (skipped ones count as planned and not done).
- **Stalled**: the quest had tasks to do in the last `STALL_DAYS` days, and none of its tasks
  was completed in them (a quest younger than that is never stalled).
- **Forecast**: the days the roadmap still needs (the milestones not completed, less the days
  already spent in the active one) stretched by the pace, from today. Without durations (a
  hand-made milestone without days, no roadmap) there is no forecast.
- **Behind by N days**: the planned days of the window not matched by work done — the window's
  days times (1 − pace), so 70% done over two weeks is about 4 days behind; up to `SLACK_DAYS`
  is still on track. `late_days` says how far the forecast falls after the target date (or,
  without one, the roadmap's own end).

A stalled quest gets a lighter day (capacity.WEIGHTS) and a suggestion: pause it or replan.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from zik.core import clock
from zik.core.plan import progression
from zik.models import Milestone, Quest
from zik.store import quests as quest_store

WINDOW_DAYS = 14
STALL_DAYS = 7
SLACK_DAYS = 2
MIN_PACE = 0.1  # below this the forecast is too far to be worth a date
MAX_DAYS = 3650  # a milestone's longest duration (as `milestone add --days` takes it)


@dataclass
class Health:
    state: str  # on_track | behind | stalled | not_started | done | paused
    pace: float | None  # done ÷ planned over the window (None: nothing planned in it)
    behind_days: int
    forecast: date | None
    target: date | None
    late_days: int  # how many days after the target (or the roadmap's end) the forecast is
    suggestion: str | None = None

    @property
    def label(self) -> str:
        if self.state == "behind":
            return f"behind by {self.behind_days} day{'s' if self.behind_days != 1 else ''}"
        return self.state.replace("_", " ")

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "label": self.label,
            "pace": None if self.pace is None else round(self.pace, 2),
            "behindDays": self.behind_days,
            "forecast": self.forecast and self.forecast.isoformat(),
            "target": self.target and self.target.isoformat(),
            "lateDays": self.late_days,
            "suggestion": self.suggestion,
        }


def of_quests(
    conn: sqlite3.Connection, quests: list[Quest], today: date, timezone: str
) -> dict[str, Health]:
    """Each quest's health (a few indexed queries for all of them)."""
    ids = [q.goal_id for q in quests]
    first = (today - timedelta(days=WINDOW_DAYS)).isoformat()
    since = clock.iso(
        clock.local_midnight(today - timedelta(days=STALL_DAYS), timezone)
    )  # completions from the start of that local day
    window = quest_store.recent_pace(conn, ids, first, today.isoformat(), since)
    roadmaps = quest_store.milestones_by_quest(conn, ids)
    return {
        q.goal_id: _health(q, roadmaps.get(q.goal_id, []), window.get(q.goal_id), today, timezone)
        for q in quests
    }


def _health(
    quest: Quest,
    milestones: list[Milestone],
    window: tuple[int, int, int] | None,
    today: date,
    timezone: str,
) -> Health:
    planned, done, done_lately = window or (0, 0, 0)
    target = date.fromisoformat(quest.target_date) if quest.target_date else None
    pace = done / planned if planned else None
    if quest.status == "completed":
        return Health("done", pace, 0, None, target, 0)
    if quest.status == "paused":
        return Health("paused", pace, 0, None, target, 0)
    started = _started(quest, milestones, timezone)
    if planned == 0 and done == 0:
        return Health("not_started", None, 0, None, target, 0)
    remaining, end = _remaining_days(milestones, today, timezone)
    forecast = None
    if remaining is not None and pace is not None and pace >= MIN_PACE:
        forecast = today + timedelta(days=min(math.ceil(remaining / pace), 100 * 365))
    due = target or end
    late = max(0, (forecast - due).days) if forecast and due else 0
    days = min((today - started).days, WINDOW_DAYS)
    behind = round(days * (1 - pace)) if pace is not None else 0
    ref = quest.goal_id[:8]
    if done_lately == 0 and (today - started).days >= STALL_DAYS:
        return Health(
            "stalled",
            pace,
            behind,
            forecast,
            target,
            late,
            f"nothing done for {STALL_DAYS} days or more: pause it (zik quest pause {ref})"
            f" or replan it (zik quest plan {ref} --replan)",
        )
    if behind <= SLACK_DAYS:
        return Health("on_track", pace, 0, forecast, target, late)
    ending = f"at this pace it ends {late} days late: " if late else ""
    return Health(
        "behind",
        pace,
        behind,
        forecast,
        target,
        late,
        f"{ending}make the days lighter (zik quest plan {ref} --replan) or give it more time"
        f" (zik quest edit {ref} --target DATE)",
    )


def _started(quest: Quest, milestones: list[Milestone], timezone: str) -> date:
    stamps = [m.activated_at for m in milestones if m.activated_at] or [quest.created_at]
    return clock.local_date(min(stamps), timezone)


def _remaining_days(
    milestones: list[Milestone], today: date, timezone: str
) -> tuple[int | None, date | None]:
    """The roadmap's days still ahead at full pace, and the day it was planned to end."""
    if not milestones or any(not 1 <= (m.duration_in_days or 0) <= MAX_DAYS for m in milestones):
        return None, None  # no durations, or one no plan has (an import, a remote item)
    left = 0
    for m in milestones:
        if m.status == "completed":
            continue
        days = m.duration_in_days or 0
        if m.status == "active":
            days -= max(progression.day_number(m, today, timezone) - 1, 0)
        left += max(days, 0)
    first = min((m.activated_at for m in milestones if m.activated_at), default=None)
    end = None
    if first:
        total = sum(m.duration_in_days or 0 for m in milestones)
        end = clock.local_date(first, timezone) + timedelta(days=total - 1)
    return left, end
