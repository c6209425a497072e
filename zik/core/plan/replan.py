"""`zik quest plan --replan`: keep what is done, plan the rest of a roadmap anew.

Completed milestones stay, and so do the person's own tasks and all done work (moved onto the
first new milestone); the coach's open tasks go with the milestones they belonged to. Nothing
changes until the new roadmap is proposed, then one change set swaps it in (`zik undo` reverts it).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from zik.core import profile
from zik.core.plan.planning import (
    DaySaved,
    Planner,
    RoadmapProposal,
    has_tasks_on,
    propose_day,
    propose_roadmap,
    save_day,
    save_roadmap,
)
from zik.core.plan.workflow import KIND, Status
from zik.errors import UsageError, ZikError
from zik.models import Milestone, Quest, short_id
from zik.store import jobs as job_store
from zik.store import quests as quest_store
from zik.store import records


class Replan:
    """A replan: the roadmap before, and the one that replaces it (proposed, or saved)."""

    def __init__(
        self,
        quest: Quest,
        planner: Planner,
        before: list[Milestone],
        proposal: RoadmapProposal,
        after: list[Milestone] | None,
    ):
        self.quest, self.planner, self.before = quest, planner, before
        self.proposal, self.after = proposal, after
        self.saved: DaySaved | None = None
        self.day_error: ZikError | None = None

    @property
    def dry_run(self) -> bool:
        return self.after is None

    def to_json(self) -> dict[str, Any]:
        kept = [m.to_json() for m in self.before if m.status == "completed"]
        return {
            **self.quest.to_json(),
            "dryRun": self.dry_run,
            "before": [m.to_json() for m in self.before],
            "after": [m.to_json() for m in self.after]
            if self.after is not None
            else kept + self.proposal.milestones,
            "ai": self.proposal.ai,
            "durationsAdjustedFrom": self.proposal.adjusted_from,
            "tasks": [t.to_json() for t in self.saved.tasks] if self.saved else [],
            "dayPlanError": self.day_error
            and {"code": self.day_error.code, "message": self.day_error.message},
        }


def replan(
    conn: sqlite3.Connection,
    ref: str,
    *,
    dry_run: bool = False,
    say: Status = lambda text: None,
) -> Replan:
    """`zik quest plan --replan`: keep completed milestones (and done tasks), replace the rest."""
    quest = records.find(conn, Quest, ref)
    if job_store.open_for(conn, KIND, quest.goal_id) is not None:
        raise UsageError(
            "this quest's roadmap is still being planned",
            hint=f"finish it first: zik quest plan {short_id(quest.goal_id)}",
        )
    before = quest_store.milestones_of(conn, quest.goal_id)
    kept = [m for m in before if m.status == "completed"]
    if kept and len(kept) == len(before):
        raise UsageError("every milestone of this quest is completed: there is nothing to replan")
    planner = Planner(conn)
    say(f"Replanning the roadmap with {planner.choice.provider} ({planner.choice.model})…")
    proposal = propose_roadmap(planner, quest, profile.local_today(conn), keep=kept)
    if dry_run:
        return Replan(quest, planner, before, proposal, None)
    after = save_roadmap(conn, proposal, replace=True)
    result = Replan(records.get(conn, Quest, quest.goal_id), planner, before, proposal, after)
    active = next((m for m in after if m.status == "active"), None)
    today = profile.local_today(conn)
    if active is not None and not has_tasks_on(conn, active, today):
        say(f"Planning today's tasks for “{active.title}”…")
        try:
            result.saved = save_day(conn, propose_day(planner, active, today))
        except ZikError as e:  # the new roadmap stands; `zik daily` plans the day
            result.day_error = e
    return result
