"""How a roadmap moves forward (DESIGN.md §6).

The rule is one invariant, restored after every change to a quest's milestones or tasks:
the first milestone (by sequence) that is not completed is `active`, the later ones are `locked`,
and a quest whose milestones are all completed is `completed`. Completing a milestone's last open
task completes the milestone first. Everything runs inside the caller's `BEGIN IMMEDIATE`
transaction and re-reads state there, so two processes racing on the last task advance the
roadmap exactly once: the second one finds nothing left to do.
"""

from __future__ import annotations

from datetime import date

from zik.core import clock
from zik.core.changes import ChangeSet
from zik.models import Milestone, Quest, Task
from zik.store import profile as profile_store
from zik.store import quests as quest_store
from zik.store import records
from zik.store import tasks as task_store


def on_task_completed(cs: ChangeSet, task: Task) -> None:
    """Complete the task's milestone when this was its last open task and its planned days are
    used, then settle the quest."""
    if not task.milestone_id:
        return
    milestone = records.get(cs.conn, Milestone, task.milestone_id, with_deleted=True)
    if milestone.deleted_at or milestone.status != "active":
        return
    if task_store.milestone_has_open(cs.conn, milestone.milestone_id):
        return
    me = profile_store.get_profile(cs.conn)
    today = clock.local_today(me.timezone if me else clock.system_timezone())
    if not days_are_used(milestone, today, me.timezone if me else clock.system_timezone()):
        return
    complete_milestone(cs, milestone)


def days_are_used(milestone: Milestone, today: date, timezone: str) -> bool:
    """Whether a milestone has reached its last planned day (always, without a duration).

    Under just-in-time planning a milestone's tasks arrive day by day, so finishing today's tasks
    must not finish a 3-week milestone on its first day (DESIGN.md §6).
    """
    if not milestone.duration_in_days or not milestone.activated_at:
        return True
    return day_number(milestone, today, timezone) >= milestone.duration_in_days


def day_number(milestone: Milestone, today: date, timezone: str) -> int:
    """Which day of the milestone `today` is (1 on the day it became active)."""
    if not milestone.activated_at:
        return 1
    # at least 1: a milestone activated "later today" elsewhere (clock skew) is on its first day
    return max((today - clock.local_date(milestone.activated_at, timezone)).days + 1, 1)


def complete_milestone(cs: ChangeSet, milestone: Milestone) -> Milestone:
    done = cs.update(milestone, "milestone.completed", status="completed", completed_at=cs.ts)
    settle(cs, milestone.goal_id)
    return done


def settle(cs: ChangeSet, goal_id: str) -> None:
    """Restore the roadmap invariant for one quest."""
    milestones = quest_store.milestones_of(cs.conn, goal_id)
    active_seen = False
    for m in milestones:
        if m.status == "completed":
            continue
        if not active_seen:
            active_seen = True
            if m.status != "active":
                cs.update(m, "milestone.activated", status="active", activated_at=cs.ts)
        elif m.status != "locked":
            cs.update(m, "milestone.locked", status="locked")
    quest = records.get(cs.conn, Quest, goal_id)
    if milestones and not active_seen and quest.status != "completed":
        cs.update(quest, "quest.completed", status="completed", completed_at=cs.ts)
