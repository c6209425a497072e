"""How a roadmap moves forward (DESIGN.md §6).

The rule is one invariant, restored after every change to a quest's milestones or tasks:
the first milestone (by sequence) that is not completed is `active`, the later ones are `locked`,
and a quest whose milestones are all completed is `completed`. Completing a milestone's last open
task completes the milestone first. Everything runs inside the caller's `BEGIN IMMEDIATE`
transaction and re-reads state there, so two processes racing on the last task advance the
roadmap exactly once: the second one finds nothing left to do.
"""

from __future__ import annotations

from zik.core.changes import ChangeSet
from zik.models import Milestone, Quest, Task
from zik.store import quests as quest_store
from zik.store import records
from zik.store import tasks as task_store


def on_task_completed(cs: ChangeSet, task: Task) -> None:
    """Complete the task's milestone when this was its last open task, then settle the quest."""
    if not task.milestone_id:
        return
    milestone = records.get(cs.conn, Milestone, task.milestone_id, with_deleted=True)
    if milestone.deleted_at or milestone.status != "active":
        return
    if task_store.milestone_has_open(cs.conn, milestone.milestone_id):
        return
    cs.update(milestone, "milestone.completed", status="completed", completed_at=cs.ts)
    settle(cs, milestone.goal_id)


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
