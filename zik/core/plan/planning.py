"""Planning with the AI: a quest's roadmap, and a milestone's tasks for a day.

Each step is a pair: `propose_*` asks the provider (Bedrock or offline) and returns a proposal
without writing anything; `save_*` writes it in one change set, marking every record with
`source='ai'` and the `ai_call_id` that produced it (so `zik why` can tell the story). Proposals
turn into plain JSON and back, so a durable job can commit one step and save it in the next
(`plan/workflow.py`); `zik daily` plans days with the same pair (`plan/daily.py`).

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
from zik.core import clock, profile
from zik.core.changes import change_set
from zik.core.plan import capacity, health, progression
from zik.errors import UsageError, ZikError
from zik.models import MAX_ROADMAP_DAYS, AICall, Milestone, Quest, Task
from zik.store import ai_calls as call_store
from zik.store import events as event_store
from zik.store import quests as quest_store
from zik.store import records
from zik.store import tasks as task_store

Status = Callable[[str], None]
RECENT_DAYS = 7
DONE_REMEMBERED = 200  # done task names of a quest the coach is told about


def call_log(conn: sqlite3.Connection) -> Callable[[AICall], None]:
    """Write each AI call to `ai_calls` as soon as it returns (its own transaction)."""
    keep = config.get_int("ai.keep_bodies")

    def log(call: AICall) -> None:
        call.created_at = clock.timestamp()
        call_store.insert(conn, call, keep_bodies=keep)

    return log


class Planner:
    """The chosen provider, connected once per command."""

    def __init__(self, conn: sqlite3.Connection, choice: providers.Choice | None = None):
        self.conn = conn
        self.choice = choice or providers.choose(quick=True)
        self.provider = providers.connect(self.choice)
        self.log = call_log(conn)

    def ask(self, request: Any, subject: str) -> Structured:
        return generate(request, self.provider, self.log, subject=subject)


class RoadmapProposal:
    """Proposed milestones, and the AI call that proposed them (`ai`: provider, model, callId)."""

    def __init__(
        self,
        quest: Quest,
        milestones: list[dict[str, Any]],
        ai: dict[str, Any],
        adjusted_from: int | None,
    ):
        self.quest, self.milestones, self.ai = quest, milestones, ai
        self.adjusted_from = adjusted_from  # the model's total when durations were rescaled

    def to_payload(self) -> dict[str, Any]:
        return {"milestones": self.milestones, "ai": self.ai, "adjustedFrom": self.adjusted_from}

    @classmethod
    def from_payload(cls, quest: Quest, payload: dict[str, Any]) -> RoadmapProposal:
        return cls(quest, payload["milestones"], payload["ai"], payload.get("adjustedFrom"))

    def to_json(self) -> dict[str, Any]:
        return {
            "goalId": self.quest.goal_id,
            "milestones": self.milestones,
            "ai": self.ai,
            "durationsAdjustedFrom": self.adjusted_from,
        }


class DayProposal:
    def __init__(
        self, milestone: Milestone, day: date, tasks: list[dict[str, Any]], ai: dict[str, Any]
    ):
        self.milestone, self.day, self.tasks, self.ai = milestone, day, tasks, ai

    def to_json(self) -> dict[str, Any]:
        return {
            "milestoneId": self.milestone.milestone_id,
            "date": self.day.isoformat(),
            "tasks": self.tasks,
            "ai": self.ai,
        }


class DaySaved:
    """What saving a day plan did: new tasks, missed ones moved to the day or replaced."""

    def __init__(self, created: list[Task], rescheduled: list[Task], replaced: list[Task]):
        self.created, self.rescheduled, self.replaced = created, rescheduled, replaced

    @property
    def tasks(self) -> list[Task]:
        return self.rescheduled + self.created


def available_days(quest: Quest, today: date) -> int | None:
    """Days from today to the target date, counting the target day itself."""
    if not quest.target_date:
        return None
    return max(1, (date.fromisoformat(quest.target_date) - today).days)


def plannable_days(quest: Quest, today: date) -> int | None:
    """The days a roadmap is planned over: to the target, but no more than a roadmap can hold
    (7 milestones of at most 730 days): a target 20 years out plans its first 14 years, rather
    than a proposal no schema accepts (issue 16)."""
    days = available_days(quest, today)
    return None if days is None else min(days, MAX_ROADMAP_DAYS)


def roadmap_request(
    conn: sqlite3.Connection, quest: Quest, today: date, keep: list[Milestone] | None = None
) -> RoadmapRequest:
    """What the planner is asked; `keep` are completed milestones a replan keeps."""
    me = profile.load(conn)
    kept = [
        {"title": m.title, "description": m.description, "durationInDays": m.duration_in_days}
        for m in keep or []
    ]
    return RoadmapRequest(
        keep=kept,
        goal_name=quest.goal_name,
        description=quest.description,
        category=quest.category,
        target_date=quest.target_date,
        today=today.isoformat(),
        available_days=plannable_days(quest, today),
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


def propose_roadmap(
    planner: Planner, quest: Quest, today: date, keep: list[Milestone] | None = None
) -> RoadmapProposal:
    request = roadmap_request(planner.conn, quest, today, keep)
    result = planner.ask(request, quest.goal_id)
    plans = [m.model_dump() for m in result.value.milestones]
    durations = [p["durationInDays"] for p in plans]
    adjusted_from = None
    if request.available_days is not None and sum(durations) != request.available_days:
        adjusted_from = sum(durations)
        for plan, days in zip(plans, fit_durations(durations, request.available_days), strict=True):
            plan["durationInDays"] = days
    return RoadmapProposal(quest, plans, result.to_json(), adjusted_from)


def save_roadmap(
    conn: sqlite3.Connection,
    proposal: RoadmapProposal,
    *,
    within: Callable[[], None] = lambda: None,
    replace: bool = False,
) -> list[Milestone]:
    """Append the proposed milestones to the quest's roadmap and mark the roadmap ready.

    `within` runs inside the same transaction (a job records its step there, so the step and its
    result commit together). Checked again inside the transaction: if the quest gained open
    milestones meanwhile (another process planned it), nothing is saved. With `replace` (a
    replan), the milestones not completed go, with the coach's open tasks; completed milestones
    stay, and the person's own tasks and all done work move to the first new milestone.
    """
    summary = f"quest plan {'--replan ' if replace else ''}{proposal.quest.goal_name}"
    with change_set(conn, summary) as cs:
        quest = records.get(conn, Quest, proposal.quest.goal_id)
        existing = quest_store.milestones_of(conn, quest.goal_id)
        moving: list[Task] = []
        if replace:
            for milestone in [m for m in existing if m.status != "completed"]:
                for task in task_store.in_milestone(conn, milestone.milestone_id):
                    if task.source == "ai" and task.status == "pending" and task.is_open:
                        cs.delete(task)  # the coach's open tasks go with their milestone
                    else:
                        moving.append(task)  # the person's tasks, work done and missed stay
                cs.delete(milestone)
            existing = quest_store.milestones_of(conn, quest.goal_id)
        if any(m.status != "completed" for m in existing):
            raise already_planned(quest, existing, today=False)
        start = existing[-1].sequence if existing else 0
        added = []
        for offset, plan in enumerate(proposal.milestones, start=1):
            added.append(
                cs.insert(
                    Milestone(
                        milestone_id=f"milestone_{uuid.uuid4()}",
                        goal_id=quest.goal_id,
                        sequence=start + offset,
                        title=plan["title"],
                        description=plan["description"],
                        duration_in_days=plan["durationInDays"],
                        source="ai",
                        ai_call_id=proposal.ai["callId"],
                    )
                )
            )
        for task in moving:  # onto the first new milestone, so progress still counts them
            cs.update(task, "task.moved", milestone_id=added[0].milestone_id)
        if quest.status == "completed":  # new milestones reopen a finished quest
            cs.update(quest, "quest.reopened", status="active", completed_at=None)
            quest = records.get(conn, Quest, quest.goal_id)
        cs.update(quest, "quest.roadmap_ready", roadmap_status="ready", roadmap_error=None)
        progression.settle(cs, quest.goal_id)
        within()
        return quest_store.milestones_of(conn, quest.goal_id)


def already_planned(quest: Quest, existing: list[Milestone], *, today: bool = True) -> UsageError:
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


def day_request(
    conn: sqlite3.Connection,
    milestone: Milestone,
    day: date,
    *,
    share: int | None = None,
    on_day: list[dict[str, Any]] | None = None,
) -> DayRequest:
    """What the coach is told: the milestone, the day, this quest's share of the day's
    capacity (computed here when not given), what the day already holds, what was done and
    missed lately, and every task done in the quest."""
    quest = records.get(conn, Quest, milestone.goal_id)
    me = profile.load(conn)
    if share is None or on_day is None:
        day_budget = budget_for(conn, day, [quest.goal_id])
        share = day_budget.shares[quest.goal_id] if share is None else share
        on_day = day_budget.held if on_day is None else on_day
    roadmap = quest_store.milestones_of(conn, quest.goal_id)
    recent = task_store.in_milestone_between(
        conn,
        milestone.milestone_id,
        (day - timedelta(days=RECENT_DAYS)).isoformat(),
        (day - timedelta(days=1)).isoformat(),
    )
    missed = [t for t in recent if t.is_open]  # not done, and not let go already
    moved = event_store.ids_with_event(
        conn, "task", [t.task_id for t in missed], "task.rescheduled"
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
        day_number=max(1, progression.day_number(milestone, day, me.timezone)),
        date=day.isoformat(),
        weekday=day.strftime("%A"),
        timezone=me.timezone,
        capacity_minutes=share,
        recent_done=[t.task_name for t in recent if t.status == "completed"],
        # A missed task comes back once: missed again, it is let go (not moved day after day).
        recent_missed=[t.task_name for t in missed if t.task_id not in moved],
        done_before=task_store.done_names_in_quest(conn, quest.goal_id, DONE_REMEMBERED),
        day_capacity=me.daily_capacity,
        on_day=list(on_day),
    )


def active_milestones(conn: sqlite3.Connection) -> list[tuple[Quest, Milestone]]:
    """Each active quest with its active milestone, in the quests' order."""
    quests = quest_store.list_where(conn, ("active",))
    active = quest_store.active_milestones(conn, [q.goal_id for q in quests])
    return [(q, active[q.goal_id]) for q in quests if q.goal_id in active]


def budget_for(conn: sqlite3.Connection, day: date, first: list[str]) -> capacity.DayBudget:
    """The day's budget over every active quest whose day is not planned yet (`first` among
    them, first in line), each weighted by its plan health."""
    pairs = active_milestones(conn)
    names = {q.goal_id: q.goal_name for q, _ in pairs}
    waiting = [q for q, m in pairs if not has_tasks_on(conn, m, day)]
    me = profile.load(conn)
    states = health.of_quests(conn, waiting, day, me.timezone)
    weight = {g: capacity.WEIGHTS.get(h.state, 1.0) for g, h in states.items()}
    ids = [q.goal_id for q in waiting]
    order = [g for g in first if g in weight] + [g for g in ids if g not in first]
    first_day = (day - timedelta(days=capacity.FAIRNESS_DAYS)).isoformat()
    with_tasks = task_store.days_with_tasks(conn, ids, first_day, day.isoformat())
    without = {g: capacity.FAIRNESS_DAYS - with_tasks.get(g, 0) for g in ids}
    return capacity.budget(
        conn, day, me.daily_capacity, [(g, weight[g]) for g in order], names, without
    )


def propose_day(
    planner: Planner,
    milestone: Milestone,
    day: date,
    *,
    share: int | None = None,
    on_day: list[dict[str, Any]] | None = None,
) -> DayProposal:
    if milestone.status != "active":
        raise UsageError(f"milestone {milestone.title!r} is {milestone.status}, not active")
    request = day_request(planner.conn, milestone, day, share=share, on_day=on_day)
    if request.capacity_minutes < capacity.MIN_SHARE:
        held = capacity.held_minutes(request.on_day)
        raise capacity.DayFull(
            f"the day is full ({held} of your {request.day_capacity} minutes are planned);"
            " its tasks start with the next day's plan",
            hint="or give your quests more time: zik profile set daily_capacity MINUTES",
        )
    result = planner.ask(request, milestone.milestone_id)
    tasks = [t.model_dump() for t in result.value.tasks]
    # Checked here whatever the provider: a plan never overflows the quest's share of the day.
    tasks = capacity.fit(tasks, request.capacity_minutes)
    return DayProposal(milestone, day, tasks, result.to_json())


def has_tasks_on(conn: sqlite3.Connection, milestone: Milestone, day: date) -> bool:
    """Whether the milestone's day is planned: it has tasks that day, or had AI tasks the person
    deleted (deleting the coach's tasks must not make `zik daily` plan the day again)."""
    return task_store.milestone_day_planned(conn, milestone.milestone_id, day.isoformat())


def save_day(
    conn: sqlite3.Connection,
    proposal: DayProposal,
    *,
    within: Callable[[], None] = lambda: None,
) -> DaySaved:
    """Save a day's tasks, exactly once per milestone and day.

    Missed AI tasks of the milestone (pending, due before today) are not piled up: one the plan
    repeats is moved to the day, the others are let go: marked skipped (`skipped_at`), so they
    stay in history and in every rate as planned and not done (`zik undo` brings them back).
    Tasks the person made or started stay as they are. If the day is already planned (another
    process or device got there first), nothing is saved.
    """
    milestone, day = proposal.milestone, proposal.day
    # Missed means due before today (and before the planned day): planning tomorrow ahead of
    # time must not touch today's tasks.
    cutoff = min(day, profile.local_today(conn)).isoformat()
    with change_set(conn, f"plan {day} for {milestone.title}") as cs:
        if has_tasks_on(conn, milestone, day):
            within()  # the day was planned elsewhere first; the caller's step is still done
            return DaySaved([], [], [])
        planned = {t["taskName"].casefold(): t for t in proposal.tasks}
        rescheduled, replaced = [], []
        for task in task_store.open_in_milestone(conn, milestone.milestone_id):
            if task.due_date >= cutoff or task.source != "ai" or task.status != "pending":
                planned.pop(task.task_name.casefold(), None)  # it exists: never a twin
                continue  # not missed, the person's own, or started: leave it be
            if task.task_name.casefold() in planned:
                plan = planned.pop(task.task_name.casefold())
                moved = cs.update(
                    task,
                    "task.rescheduled",
                    due_date=day.isoformat(),
                    estimated_minutes=plan["estimatedMinutes"],  # as the day's plan sized it
                )
                rescheduled.append(moved)
            else:
                # Let go, not deleted: it stays in history as planned and not done.
                replaced.append(cs.update(task, "task.skipped", skipped_at=cs.ts))
        created = [
            cs.insert(
                Task(
                    task_id=_planned_id(conn, milestone.milestone_id, day, n),
                    task_name=plan["taskName"],
                    description=plan["description"] or None,
                    due_date=day.isoformat(),
                    priority=plan["priority"],
                    goal_id=milestone.goal_id,
                    milestone_id=milestone.milestone_id,
                    estimated_minutes=plan["estimatedMinutes"],
                    source="ai",
                    ai_call_id=proposal.ai["callId"],
                )
            )
            for n, plan in enumerate(planned.values())
        ]
        within()
        return DaySaved(created, rescheduled, replaced)


PLAN_NAMESPACE = uuid.UUID("3d0f5c52-8c1e-4b7a-9f6e-51a2c8e4b7d0")


def _planned_id(conn: sqlite3.Connection, milestone_id: str, day: date, n: int) -> str:
    """The n-th task planned for a milestone's day has the same id on every device, so two
    devices that plan the same day before syncing meet as one plan (each task merged field by
    field) instead of two. A day planned again here after its tasks went gets new ids."""
    ident = str(uuid.uuid5(PLAN_NAMESPACE, f"{milestone_id}:{day.isoformat()}:{n}"))
    taken = conn.execute("SELECT 1 FROM tasks WHERE task_id = ?", (ident,)).fetchone()
    return str(uuid.uuid4()) if taken else ident
