"""The roadmap job: plan → save → first day, durable and resumable (DESIGN.md §6).

The cloud runs this as a Step Functions state machine; here a row in `jobs` holds the run. Each
step commits its result together with the step change, so a crash, kill -9 or Ctrl-C resumes at
the first unfinished step (on the next `zik quest plan ID`, `zik daily` or scheduler tick), and
a step that already committed never runs twice. A lease keeps two processes off one job; a lease
held by a process that died on this machine is taken over at once, others expire.

A temporary failure (throttling, network) leaves the job queued with a backoff; a permanent one
in the roadmap step sets the quest's roadmapStatus to `failed` with the reason. The first day's
tasks are a bonus: if they cannot be planned, the roadmap stands and `zik daily` plans the day.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from zik.ai.offline.goal import too_soon
from zik.core import clock, hooks, profile, quests
from zik.core.changes import change_set
from zik.core.plan.planning import (
    DayProposal,
    DaySaved,
    Planner,
    RoadmapProposal,
    already_planned,
    available_days,
    has_tasks_on,
    mark_failed,
    propose_day,
    propose_roadmap,
    save_day,
    save_roadmap,
)
from zik.errors import NotFound, TemporaryError, ZikError
from zik.models import Milestone, Quest, short_id
from zik.store import jobs as job_store
from zik.store import quests as quest_store
from zik.store import records
from zik.store.db import atomic
from zik.store.jobs import Job, LeaseLost

Status = Callable[[str], None]
KIND = "roadmap"
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 6
BACKOFF_SECONDS = (60, 300, 900, 3600)  # before a temporarily failed job is tried again


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_is_dead(owner: str | None) -> bool:
    """True for a lease held by a process of this machine that no longer exists."""
    if not owner:
        return False
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


class PlanOutcome:
    """What a planning run produced: the roadmap (None when it was planned before), and today's
    tasks for the active milestone (or why they could not be planned)."""

    def __init__(
        self,
        quest: Quest,
        *,
        job: Job | None = None,
        planner: Planner | None = None,
        roadmap: RoadmapProposal | None = None,
        dry_run: bool = False,
        milestones: list[Milestone] | None = None,
        day: DayProposal | None = None,
        saved: DaySaved | None = None,
        day_error: ZikError | None = None,
    ):
        self.quest, self.job, self.planner, self.roadmap = quest, job, planner, roadmap
        self.dry_run, self.milestones, self.day = dry_run, milestones or [], day
        self.saved, self.day_error = saved, day_error
        self.warnings: list[str] = []  # said before planning (a target too close for the goal)

    @property
    def tasks(self) -> list[Any]:
        return self.saved.tasks if self.saved else []

    @property
    def queued(self) -> bool:
        return self.job is not None and self.job.state == "queued"

    def to_json(self) -> dict[str, Any]:
        roadmap, error, choice = self.roadmap, self.day_error, self.planner and self.planner.choice
        proposed = roadmap.milestones if roadmap and self.dry_run else None
        return {
            **self.quest.to_json(),
            "dryRun": self.dry_run,
            "job": self.job and self.job.to_json(),
            "milestones": proposed or [m.to_json() for m in self.milestones],
            "tasks": [t.to_json() for t in self.tasks],
            "dayPlanError": error and {"code": error.code, "message": error.message},
            "warnings": self.warnings,
            "ai": {
                "provider": choice and choice.provider,
                "model": choice and choice.model,
                "reason": choice and choice.reason,
                "roadmapCallId": roadmap and roadmap.ai["callId"],
                "dayPlanCallId": self.day and self.day.ai["callId"],
                "durationsAdjustedFrom": roadmap and roadmap.adjusted_from,
            },
        }


class _Planners:
    """Connect to the AI only when a step needs it (a job resumed at `save` needs none)."""

    def __init__(self, conn: sqlite3.Connection, planner: Planner | None):
        self.conn, self.planner = conn, planner

    def get(self) -> Planner:
        if self.planner is None:
            self.planner = Planner(self.conn)
        return self.planner


def start(conn: sqlite3.Connection, quest: Quest, *, lease: bool = False) -> Job:
    """Open a roadmap job for the quest (or return the one it has) and mark it generating.

    With `lease`, the job is created already leased to this process, so that a `zik daily`
    running at that moment cannot claim it between its creation and this process's first step.
    """
    now = clock.now()
    owner = _owner() if lease else None
    until = clock.iso(now + LEASE) if lease else None
    job = job_store.create(
        conn, KIND, quest.goal_id, "plan", clock.iso(now), owner=owner, until=until
    )
    if quest.roadmap_status != "generating":
        with change_set(conn, f"quest plan {quest.goal_name} queued", undoable=False) as cs:
            current = records.get(conn, Quest, quest.goal_id)
            cs.update(current, "quest.roadmap_generating", roadmap_status="generating")
    return job


def _renew(conn: sqlite3.Connection, job: Job) -> None:
    """Extend the lease before a slow step (a model call), or learn that it was lost."""
    now = clock.now()
    job_store.renew(conn, job, clock.iso(now), clock.iso(now + LEASE))


def run(
    conn: sqlite3.Connection,
    job: Job,
    *,
    planner: Planner | None = None,
    say: Status = lambda text: None,
) -> PlanOutcome:
    """Run a roadmap job from its current step to the end."""
    now = clock.now()
    stale = job.lease_owner if _owner_is_dead(job.lease_owner) else None
    claimed = job_store.claim(conn, job.id, _owner(), clock.iso(now + LEASE), clock.iso(now), stale)
    if claimed is None:
        raise Busy(
            "another zik process is planning this quest right now", hint="try again in a minute"
        )
    job, planners = claimed, _Planners(conn, planner)
    try:
        quest = records.get(conn, Quest, job.subject)
    except NotFound:
        job_store.finish(conn, job, "failed", clock.timestamp(), "the quest was deleted")
        raise
    today = profile.local_today(conn)
    try:
        roadmap = _plan_step(conn, job, quest, today, planners, say)
        milestones = _save_step(conn, job, quest, roadmap)
    except BaseException as e:
        _stop(conn, job, quest, e)
        raise
    outcome = PlanOutcome(quest, job=job, roadmap=roadmap, milestones=milestones)
    _first_day_step(conn, job, outcome, today, planners, say)
    outcome.planner = planners.planner
    outcome.quest = records.get(conn, Quest, quest.goal_id)
    outcome.job = job_store.get(conn, job.id)
    return outcome


class Resumed:
    """A queued job that `zik daily` ran: its quest, and the outcome or the error that stopped it."""

    def __init__(self, goal_id: str, outcome: PlanOutcome | None, error: ZikError | None):
        self.goal_id, self.outcome, self.error = goal_id, outcome, error

    def to_json(self) -> dict[str, Any]:
        job = self.outcome and self.outcome.job
        return {
            "goalId": self.goal_id,
            "job": job and job.to_json(),
            "error": self.error and {"code": self.error.code, "message": self.error.message},
        }


class Busy(TemporaryError):
    """The job is leased by another live process."""

    code = "busy"


def _open_milestones(conn: sqlite3.Connection, quest: Quest) -> list[Milestone]:
    return [m for m in quest_store.milestones_of(conn, quest.goal_id) if m.status != "completed"]


def _plan_step(
    conn: sqlite3.Connection,
    job: Job,
    quest: Quest,
    today: date,
    planners: _Planners,
    say: Status,
) -> RoadmapProposal | None:
    if job.step == "plan" and not _open_milestones(conn, quest):
        planner = planners.get()
        _renew(conn, job)
        say(f"Planning the roadmap with {planner.choice.provider} ({planner.choice.model})…")
        proposal = propose_roadmap(planner, quest, today)
        job_store.advance(conn, job, "save", clock.timestamp(), proposal.to_payload())
        return proposal
    if "milestones" in job.payload:
        return RoadmapProposal.from_payload(quest, job.payload)
    return None


def _save_step(
    conn: sqlite3.Connection, job: Job, quest: Quest, roadmap: RoadmapProposal | None
) -> list[Milestone]:
    """Save the proposed roadmap; if the quest got milestones meanwhile (added by hand), keep
    those and just mark the roadmap ready. Either way the step commits with its result."""
    if job.step in ("plan", "save"):
        payload = job.payload

        def record() -> None:
            job_store.advance(conn, job, "first_day", clock.timestamp(), payload)

        if roadmap is not None and job.step == "save" and not _open_milestones(conn, quest):
            return save_roadmap(conn, roadmap, within=record)
        with change_set(conn, f"quest plan {quest.goal_name}", undoable=False) as cs:
            current = records.get(conn, Quest, quest.goal_id)
            cs.update(current, "quest.roadmap_ready", roadmap_status="ready", roadmap_error=None)
            record()
    return quest_store.milestones_of(conn, quest.goal_id)


def _first_day_step(
    conn: sqlite3.Connection,
    job: Job,
    outcome: PlanOutcome,
    today: date,
    planners: _Planners,
    say: Status,
) -> None:
    """Plan today's tasks for the active milestone; a failure here never undoes the roadmap."""
    active = next((m for m in outcome.milestones if m.status == "active"), None)

    def done(error: str | None = None) -> None:
        job_store.finish(conn, job, "done", clock.timestamp(), error)

    try:
        if active is None or has_tasks_on(conn, active, today):
            done()
            return
        planner = planners.get()
        _renew(conn, job)
        say(f"Planning today's tasks for “{active.title}”…")
        outcome.day = propose_day(planner, active, today)
        outcome.saved = save_day(conn, outcome.day, within=done)
    except LeaseLost:
        return  # another process finished the job
    except ZikError as e:
        outcome.day_error = e
        # The roadmap stands; `zik daily` plans the day from now on.
        with contextlib.suppress(LeaseLost):
            done(f"first day: {e.message}")
    except BaseException:
        with contextlib.suppress(LeaseLost):
            job_store.release(conn, job, clock.timestamp(), None, None)
        raise


def _stop(conn: sqlite3.Connection, job: Job, quest: Quest, error: BaseException) -> None:
    """Leave the job resumable (temporary failures, Ctrl-C) or failed (anything else).

    Temporary failures back off, but not forever: after MAX_ATTEMPTS the job fails with the last
    error, so a quest never shows `generating` for days.
    """
    now = clock.now()
    try:
        if isinstance(error, LeaseLost):
            return  # another process owns the job now: leave it alone
        if isinstance(error, TemporaryError) and job.attempts < MAX_ATTEMPTS:
            wait = BACKOFF_SECONDS[min(job.attempts, len(BACKOFF_SECONDS)) - 1]
            retry_at = clock.iso(now + timedelta(seconds=wait))
            job_store.release(conn, job, clock.iso(now), error.message, retry_at)
            ref = short_id(quest.goal_id)
            retry = f"planning resumes with zik daily or zik quest plan {ref}"
            error.hint = f"{error.hint}; {retry}" if error.hint else retry
        elif isinstance(error, ZikError):
            job_store.finish(conn, job, "failed", clock.iso(now), error.message)
            mark_failed(conn, quest, error)
        else:  # Ctrl-C, kill, a bug: the step did not commit; the next run redoes it
            job_store.release(conn, job, clock.iso(now), None, None)
    except LeaseLost:
        pass  # lost while failing: the new owner decides


def resume_due(conn: sqlite3.Connection, say: Status = lambda text: None) -> list[Resumed]:
    """Run every due job (and restart planning that an undo orphaned). Jobs another live
    process is running are left to it."""
    _restart_orphans(conn)
    results: list[Resumed] = []
    now = clock.timestamp()
    for job in job_store.due(conn, now):
        leased = job.state == "running" and job.lease_until and job.lease_until >= now
        if leased and not _owner_is_dead(job.lease_owner):
            continue  # live and leased: not ours to run
        try:
            results.append(Resumed(job.subject, run(conn, job, say=say), None))
        except (Busy, NotFound):
            continue  # taken meanwhile, or its quest was deleted (the job is closed)
        except ZikError as e:
            results.append(Resumed(job.subject, None, e))
        except Exception as e:  # a bug must not block every later daily run
            _fail_internal(conn, job, e)
            error = ZikError(f"planning failed with an internal error: {e}")
            results.append(Resumed(job.subject, None, error))
    return results


def _fail_internal(conn: sqlite3.Connection, job: Job, error: Exception) -> None:
    job_store.abandon(conn, job.id, f"internal error: {error}", clock.timestamp())


def _restart_orphans(conn: sqlite3.Connection) -> None:
    """Quests left `generating` without a job (an undo can do that) get a queued job."""
    for quest in quest_store.list_where(conn, ("active",)):
        if quest.roadmap_status != "generating" or job_store.open_for(conn, KIND, quest.goal_id):
            continue
        if not quest_store.milestones_of(conn, quest.goal_id):
            start(conn, quest)


def plan_quest(
    conn: sqlite3.Connection,
    ref: str,
    *,
    dry_run: bool = False,
    say: Status = lambda text: None,
    planner: Planner | None = None,
) -> PlanOutcome:
    """`zik quest plan`: resume the quest's job, or plan what it is missing (roadmap, today)."""
    quest = records.find(conn, Quest, ref)
    today = profile.local_today(conn)
    existing = quest_store.milestones_of(conn, quest.goal_id)
    job = job_store.open_for(conn, KIND, quest.goal_id)
    if dry_run:
        if any(m.status != "completed" for m in existing):
            raise already_planned(quest, existing, today=False)
        planner = planner or Planner(conn)
        say(f"Planning the roadmap with {planner.choice.provider} ({planner.choice.model})…")
        proposal = propose_roadmap(planner, quest, today)
        return PlanOutcome(quest, planner=planner, roadmap=proposal, dry_run=True)
    if job is not None:
        say("Resuming the planning where it stopped…")
        return run(conn, job, planner=planner, say=say)
    if not existing:
        return run(conn, start(conn, quest), planner=planner, say=say)
    active = next((m for m in existing if m.status == "active"), None)
    if active is None or has_tasks_on(conn, active, today):
        raise already_planned(quest, existing)
    planner = planner or Planner(conn)
    outcome = PlanOutcome(quest, planner=planner, milestones=existing)
    say(f"Planning today's tasks for “{active.title}”…")
    try:
        outcome.day = propose_day(planner, active, today)
        outcome.saved = save_day(conn, outcome.day)
    except ZikError as e:
        outcome.day_error = e
    return outcome


def target_warnings(quest: Quest, today: date) -> list[str]:
    """What to tell the person before planning: a target too close for the goal."""
    days = available_days(quest, today)
    if days is None:
        return []
    warning = too_soon(quest.goal_name, quest.description, quest.category, days)
    return [warning] if warning else []


def create_and_plan(
    conn: sqlite3.Connection,
    title: str,
    *,
    description: str | None = None,
    target: str | None = None,
    category: str | None = None,
    wait: bool = True,
    say: Status = lambda text: None,
    created: Callable[[Quest], None] = lambda quest: None,
) -> PlanOutcome:
    """`zik quest new`: create a quest and plan it (or queue its planning with wait=False).

    Bad input and missing AI credentials fail before anything is created.
    """
    today = profile.local_today(conn)
    quests.check_new(title, today=today, description=description, target=target)
    planner = None
    if wait:
        say("Checking the AI setup…")
        planner = Planner(conn)
    hooks.forget(conn)
    with atomic(conn):  # the quest and its job together: no crash leaves a quest nobody plans
        quest = quests.create(
            conn, title, today=today, description=description, target=target, category=category
        )
        job = start(conn, quest, lease=wait)
    hooks.release(conn)
    warnings = target_warnings(quest, today)
    created(quest)
    if not wait:
        outcome = PlanOutcome(records.get(conn, Quest, quest.goal_id), job=job)
        outcome.warnings = warnings
        return outcome
    try:
        outcome = run(conn, job, planner=planner, say=say)
        outcome.warnings = warnings
        return outcome
    except ZikError as e:
        if not isinstance(e, TemporaryError):
            ref = short_id(quest.goal_id)
            retry = f"quest {ref} was created: zik quest plan {ref} retries the planning"
            e.hint = f"{e.hint}; {retry}" if e.hint else retry
        raise
