"""Planning with the AI: a quest's roadmap, and a milestone's tasks for a day.

Each step is a pair: `propose_*` asks the provider (Bedrock or offline) and returns a proposal
without writing anything; `save_*` writes it in one change set, marking every record with
`source='ai'` and the `ai_call_id` that produced it (so `zik why` can tell the story). The roadmap
workflow chains them: plan the milestones, save them (first active, the rest locked), then plan
the first day's tasks.

Imports pydantic and, for Bedrock, boto3: only commands that plan import this module.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from zik import config
from zik.ai import provider as providers
from zik.ai.requests import DayRequest, RoadmapRequest
from zik.ai.structured import Structured, generate
from zik.core import clock, profile, progression, quests
from zik.core.changes import change_set
from zik.errors import UsageError, ZikError
from zik.models import AICall, Milestone, Quest, Task, short_id
from zik.store import ai_calls as call_store
from zik.store import quests as quest_store
from zik.store import records
from zik.store import tasks as task_store

Status = Callable[[str], None]
RECENT_DAYS = 7


def call_log(conn: sqlite3.Connection) -> Callable[[AICall], None]:
    """Write each AI call to `ai_calls` as soon as it returns (its own transaction)."""
    keep = int(config.get("ai.keep_bodies"))  # type: ignore[call-overload]

    def log(call: AICall) -> None:
        call.created_at = clock.timestamp()
        call_store.insert(conn, call, keep_bodies=keep)

    return log


class Planner:
    """The chosen provider, connected once per command."""

    def __init__(self, conn: sqlite3.Connection, choice: providers.Choice | None = None):
        self.conn = conn
        self.choice = choice or providers.choose()
        self.provider = providers.connect(self.choice)
        self.log = call_log(conn)

    def ask(self, request: Any, subject: str) -> Structured:
        return generate(request, self.provider, self.log, subject=subject)


class RoadmapProposal:
    def __init__(
        self,
        quest: Quest,
        milestones: list[dict[str, Any]],
        result: Structured,
        adjusted_from: int | None,
    ):
        self.quest, self.milestones, self.result = quest, milestones, result
        self.adjusted_from = adjusted_from  # the model's total when durations were rescaled

    def to_json(self) -> dict[str, Any]:
        return {
            "goalId": self.quest.goal_id,
            "milestones": self.milestones,
            "ai": self.result.to_json(),
            "durationsAdjustedFrom": self.adjusted_from,
        }


class DayProposal:
    def __init__(
        self, milestone: Milestone, day: date, tasks: list[dict[str, Any]], result: Structured
    ):
        self.milestone, self.day, self.tasks, self.result = milestone, day, tasks, result

    def to_json(self) -> dict[str, Any]:
        return {
            "milestoneId": self.milestone.milestone_id,
            "date": self.day.isoformat(),
            "tasks": self.tasks,
            "ai": self.result.to_json(),
        }


def available_days(quest: Quest, today: date) -> int | None:
    """Days from today to the target date, counting the target day itself."""
    if not quest.target_date:
        return None
    return max(1, (date.fromisoformat(quest.target_date) - today).days)


def roadmap_request(conn: sqlite3.Connection, quest: Quest, today: date) -> RoadmapRequest:
    me = profile.load(conn)
    return RoadmapRequest(
        goal_name=quest.goal_name,
        description=quest.description,
        category=quest.category,
        target_date=quest.target_date,
        today=today.isoformat(),
        available_days=available_days(quest, today),
        timezone=me.timezone,
        daily_capacity=me.daily_capacity,
    )


def fit_durations(days: list[int], total: int) -> list[int]:
    """Scale whole-day durations to add up to `total` (largest remainder, each at least 1)."""
    if total < len(days):
        return [1] * len(days)
    spare = total - len(days)  # every milestone keeps one day; share the rest by weight
    weights = [max(d - 1, 0) or 1 for d in days]
    shares = [spare * w / sum(weights) for w in weights]
    whole = [int(s) for s in shares]
    by_remainder = sorted(range(len(days)), key=lambda i: (whole[i] - shares[i], i))
    for i in by_remainder[: spare - sum(whole)]:
        whole[i] += 1
    return [1 + w for w in whole]


def propose_roadmap(planner: Planner, quest: Quest, today: date) -> RoadmapProposal:
    request = roadmap_request(planner.conn, quest, today)
    result = planner.ask(request, quest.goal_id)
    plans = [m.model_dump() for m in result.value.milestones]
    durations = [p["durationInDays"] for p in plans]
    adjusted_from = None
    if request.available_days is not None and sum(durations) != request.available_days:
        adjusted_from = sum(durations)
        for plan, days in zip(plans, fit_durations(durations, request.available_days), strict=True):
            plan["durationInDays"] = days
    return RoadmapProposal(quest, plans, result, adjusted_from)


def save_roadmap(conn: sqlite3.Connection, proposal: RoadmapProposal) -> list[Milestone]:
    """Save the proposed milestones as the quest's roadmap and mark the roadmap ready.

    Checked again inside the write transaction: if another process saved a roadmap for the quest
    while this one was asking the model, this one saves nothing.
    """
    quest = proposal.quest
    with change_set(conn, f"quest plan {quest.goal_name}") as cs:
        quest = records.get(conn, Quest, quest.goal_id)
        existing = quest_store.milestones_of(conn, quest.goal_id)
        if existing:
            raise _already_planned(quest, existing, today=False)
        start = 0
        for offset, plan in enumerate(proposal.milestones, start=1):
            cs.insert(
                Milestone(
                    milestone_id=f"milestone_{uuid.uuid4()}",
                    goal_id=quest.goal_id,
                    sequence=start + offset,
                    title=plan["title"],
                    description=plan["description"],
                    duration_in_days=plan["durationInDays"],
                    source="ai",
                    ai_call_id=proposal.result.call_id,
                )
            )
        cs.update(quest, "quest.roadmap_ready", roadmap_status="ready", roadmap_error=None)
        progression.settle(cs, quest.goal_id)
        return quest_store.milestones_of(conn, quest.goal_id)


def _already_planned(quest: Quest, existing: list[Milestone], *, today: bool = True) -> UsageError:
    tasks = " and today's tasks" if today else ""
    return UsageError(
        f"quest {quest.goal_name!r} already has a roadmap of {len(existing)} milestones{tasks}",
        hint="change it with zik milestone add|edit|move|rm",
    )


def mark_failed(conn: sqlite3.Connection, quest: Quest, error: ZikError) -> None:
    """Record why planning failed, so `quest show` says it instead of spinning forever."""
    with change_set(conn, f"quest plan {quest.goal_name} failed", undoable=False) as cs:
        current = records.get(conn, Quest, quest.goal_id)
        cs.update(
            current, "quest.roadmap_failed", roadmap_status="failed", roadmap_error=error.message
        )


def day_request(conn: sqlite3.Connection, milestone: Milestone, day: date) -> DayRequest:
    quest = records.get(conn, Quest, milestone.goal_id)
    me = profile.load(conn)
    roadmap = quest_store.milestones_of(conn, quest.goal_id)
    started = date.fromisoformat((milestone.activated_at or clock.timestamp())[:10])
    recent = task_store.in_milestone_between(
        conn,
        milestone.milestone_id,
        (day - timedelta(days=RECENT_DAYS)).isoformat(),
        (day - timedelta(days=1)).isoformat(),
    )
    return DayRequest(
        goal_name=quest.goal_name,
        quest_description=quest.description,
        category=quest.category,
        milestone_title=milestone.title,
        milestone_description=milestone.description,
        milestone_sequence=milestone.sequence,
        milestones_total=len(roadmap),
        duration_in_days=milestone.duration_in_days,
        day_number=max(1, (day - started).days + 1),
        date=day.isoformat(),
        weekday=day.strftime("%A"),
        timezone=me.timezone,
        capacity_minutes=me.daily_capacity,
        recent_done=[t.task_name for t in recent if t.status == "completed"],
        recent_missed=[t.task_name for t in recent if t.status != "completed"],
    )


def propose_day(planner: Planner, milestone: Milestone, day: date) -> DayProposal:
    if milestone.status != "active":
        raise UsageError(f"milestone {milestone.title!r} is {milestone.status}, not active")
    request = day_request(planner.conn, milestone, day)
    result = planner.ask(request, milestone.milestone_id)
    return DayProposal(milestone, day, [t.model_dump() for t in result.value.tasks], result)


def save_day(conn: sqlite3.Connection, proposal: DayProposal) -> list[Task]:
    milestone = proposal.milestone
    with change_set(conn, f"plan {proposal.day} for {milestone.title}") as cs:
        return [
            cs.insert(
                Task(
                    task_id=str(uuid.uuid4()),
                    task_name=plan["taskName"],
                    description=plan["description"] or None,
                    due_date=proposal.day.isoformat(),
                    priority=plan["priority"],
                    goal_id=milestone.goal_id,
                    milestone_id=milestone.milestone_id,
                    estimated_minutes=plan["estimatedMinutes"],
                    source="ai",
                    ai_call_id=proposal.result.call_id,
                )
            )
            for plan in proposal.tasks
        ]


class PlanOutcome:
    """What planning a quest produced: the roadmap (None when it already had one), and today's
    tasks for its active milestone (or why they could not be planned)."""

    def __init__(
        self,
        quest: Quest,
        choice: providers.Choice,
        roadmap: RoadmapProposal | None,
        *,
        dry_run: bool = False,
        milestones: list[Milestone] | None = None,
        day: DayProposal | None = None,
        tasks: list[Task] | None = None,
        day_error: ZikError | None = None,
    ):
        self.quest, self.choice, self.roadmap, self.dry_run = quest, choice, roadmap, dry_run
        self.milestones, self.day = milestones or [], day
        self.tasks, self.day_error = tasks or [], day_error

    def to_json(self) -> dict[str, Any]:
        roadmap, error = self.roadmap, self.day_error
        proposed = roadmap.milestones if roadmap and self.dry_run else None
        return {
            **self.quest.to_json(),
            "dryRun": self.dry_run,
            "milestones": proposed or [m.to_json() for m in self.milestones],
            "tasks": [t.to_json() for t in self.tasks],
            "dayPlanError": error and {"code": error.code, "message": error.message},
            "ai": {
                "provider": self.choice.provider,
                "model": self.choice.model,
                "reason": self.choice.reason,
                "roadmapCallId": roadmap and roadmap.result.call_id,
                "dayPlanCallId": self.day and self.day.result.call_id,
                "durationsAdjustedFrom": roadmap and roadmap.adjusted_from,
            },
        }


def plan_quest(
    conn: sqlite3.Connection,
    ref: str,
    *,
    dry_run: bool = False,
    say: Status = lambda text: None,
    planner: Planner | None = None,
) -> PlanOutcome:
    """Plan what a quest is missing: its roadmap, then today's tasks for the active milestone.

    Each step commits on its own. A failed roadmap call marks the quest's roadmap `failed` with
    the reason (never stuck `generating`) and raises; a failed day plan after a saved roadmap is
    reported in the outcome, and running this again plans just the day.
    """
    quest = records.find(conn, Quest, ref)
    today = profile.local_today(conn)
    existing = quest_store.milestones_of(conn, quest.goal_id)
    active = next((m for m in existing if m.status == "active"), None)
    if existing and (dry_run or active is None or _has_tasks_on(conn, active, today)):
        raise _already_planned(quest, existing)
    planner = planner or Planner(conn)
    roadmap = None
    if not existing:
        say(f"Planning the roadmap with {planner.choice.provider} ({planner.choice.model})…")
        try:
            roadmap = propose_roadmap(planner, quest, today)
        except ZikError as e:
            if not dry_run:
                mark_failed(conn, quest, e)
            raise
        if dry_run:
            return PlanOutcome(quest, planner.choice, roadmap, dry_run=True)
        existing = save_roadmap(conn, roadmap)
        active = next(m for m in existing if m.status == "active")
    if active is None:  # a roadmap whose milestones are all done: nothing to plan today
        raise _already_planned(quest, existing, today=False)
    say(f"Planning today's tasks for “{active.title}”…")
    day, tasks, day_error = None, [], None
    try:
        day = propose_day(planner, active, today)
        tasks = save_day(conn, day)
    except ZikError as e:
        day_error = e
    quest = records.get(conn, Quest, quest.goal_id)
    return PlanOutcome(
        quest,
        planner.choice,
        roadmap,
        milestones=existing,
        day=day,
        tasks=tasks,
        day_error=day_error,
    )


def _has_tasks_on(conn: sqlite3.Connection, milestone: Milestone, day: date) -> bool:
    return bool(
        task_store.in_milestone_between(
            conn, milestone.milestone_id, day.isoformat(), day.isoformat()
        )
    )


def create_and_plan(
    conn: sqlite3.Connection,
    title: str,
    *,
    description: str | None = None,
    target: str | None = None,
    category: str | None = None,
    say: Status = lambda text: None,
    created: Callable[[Quest], None] = lambda quest: None,
) -> PlanOutcome:
    """`zik quest new`: create a quest and plan it.

    Bad input and missing AI credentials fail before anything is created. If planning fails
    after the quest exists, the error says how to retry it rather than create it again.
    """
    today = profile.local_today(conn)
    quests.check_new(title, today=today, description=description, target=target)
    say("Checking the AI setup…")
    planner = Planner(conn)
    quest = quests.create(
        conn, title, today=today, description=description, target=target, category=category
    )
    created(quest)
    try:
        return plan_quest(conn, quest.goal_id, say=say, planner=planner)
    except ZikError as e:
        ref = short_id(quest.goal_id)
        retry = f"quest {ref} was created: zik quest plan {ref} retries the planning"
        e.hint = f"{e.hint}; {retry}" if e.hint else retry
        raise
