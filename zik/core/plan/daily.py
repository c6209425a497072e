"""`zik daily`: the just-in-time generator that makes each day's tasks (DESIGN.md §6).

For the date (in the profile's timezone): materialise routine tasks, resume queued roadmap jobs,
complete milestones whose planned days are over and whose tasks are done (the next one becomes
active), and ask the coach for the day's tasks of every active milestone that has none that day.
Idempotent: each step re-checks inside its write transaction, so a second run, a concurrent run,
or a run on another device after a sync adds nothing. Missed days are reported, not back-filled.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

from zik.core import clock, hooks, profile, routines
from zik.core.changes import change_set
from zik.core.plan import capacity, progression, workflow
from zik.core.plan.planning import (
    DaySaved,
    Planner,
    active_milestones,
    budget_for,
    has_tasks_on,
    propose_day,
    save_day,
)
from zik.errors import AccessError, ZikError
from zik.models import Milestone, Quest, Task
from zik.store import daily as daily_store
from zik.store import jobs as job_store
from zik.store import records
from zik.store import routines as routine_store
from zik.store import tasks as task_store

Status = workflow.Status
MISSED_SHOWN = 14


class Planned:
    """One milestone's day: what was made, or why nothing was."""

    def __init__(
        self,
        quest: Quest,
        milestone: Milestone,
        *,
        saved: DaySaved | None = None,
        call_id: str | None = None,
        reason: str,
        error: ZikError | None = None,
    ):
        self.quest, self.milestone, self.saved, self.call_id = quest, milestone, saved, call_id
        self.reason, self.error = reason, error

    def to_json(self) -> dict[str, Any]:
        saved = self.saved
        return {
            "goalId": self.quest.goal_id,
            "goalName": self.quest.goal_name,
            "milestoneId": self.milestone.milestone_id,
            "milestoneTitle": self.milestone.title,
            "reason": self.reason,
            "aiCallId": self.call_id,
            "tasks": [t.to_json() for t in saved.created] if saved else [],
            "rescheduled": [t.task_id for t in saved.rescheduled] if saved else [],
            "replaced": [t.task_id for t in saved.replaced] if saved else [],
            "error": self.error and {"code": self.error.code, "message": self.error.message},
        }


class DailyReport:
    def __init__(self, day: date, timezone: str, dry_run: bool):
        self.day, self.timezone, self.dry_run = day, timezone, dry_run
        self.routine_tasks: list[Task] = []
        self.lapsed: list[Task] = []  # routine tasks of past days not done: lapsed (skipped)
        self.routines_due = 0  # dry run: routine tasks that would be made
        self.jobs: list[workflow.Resumed] = []
        self.jobs_due = 0
        self.completed: list[Milestone] = []
        self.planned: list[Planned] = []
        self.missed_days: list[str] = []
        self.provider: str | None = None
        self.budget: capacity.DayBudget | None = None
        self.blocked: list[tuple[Quest, ZikError]] = []  # not asked after an access error

    @property
    def tasks_made(self) -> int:
        made = sum(len(p.saved.created) for p in self.planned if p.saved)
        resumed = sum(len(j.outcome.tasks) for j in self.jobs if j.outcome)
        return made + resumed + len(self.routine_tasks)

    @property
    def errors(self) -> list[ZikError]:
        found = [p.error for p in self.planned if p.error]
        return found + [j.error for j in self.jobs if j.error]

    def failures(self) -> list[dict[str, Any]]:
        """What could not be planned, per quest, as `zik today` and doctor show it."""
        failed = [(p.quest, p.error) for p in self.planned if p.error] + self.blocked
        found = [
            {
                "goalId": quest.goal_id,
                "goalName": quest.goal_name,
                "code": error.code,
                "message": error.message,
                "hint": error.hint,
            }
            for quest, error in failed
        ]
        return found + [
            {"goalId": j.goal_id, "goalName": None, "code": j.error.code,
             "message": j.error.message, "hint": j.error.hint}
            for j in self.jobs
            if j.error
        ]  # fmt: skip

    @property
    def exit_code(self) -> int:
        """0, or the most telling error's code (access 5 before temporary 75), for cron."""
        codes = [e.exit_code for e in self.errors]
        return 5 if 5 in codes else max(codes, default=0)

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "timezone": self.timezone,
            "dryRun": self.dry_run,
            "provider": self.provider,
            "routineTasks": [t.to_json() for t in self.routine_tasks],
            "routineTasksLapsed": [t.task_id for t in self.lapsed],
            "routineTasksDue": self.routines_due,
            "jobs": [j.to_json() for j in self.jobs],
            "jobsDue": self.jobs_due,
            "milestonesCompleted": [m.to_json() for m in self.completed],
            "milestones": [p.to_json() for p in self.planned],
            "tasksMade": self.tasks_made,
            "missedDays": self.missed_days,
        }


def run(
    conn: sqlite3.Connection,
    day_text: str | None = None,
    *,
    dry_run: bool = False,
    say: Status = lambda text: None,
) -> DailyReport:
    me = profile.load(conn)
    today = clock.local_today(me.timezone)
    day = clock.parse_date(day_text, today) if day_text else today
    report = DailyReport(day, me.timezone, dry_run)
    report.missed_days = _missed_days(conn, day)
    if dry_run:
        return _preview(conn, report)
    report.routine_tasks = routines.materialise(conn, day)
    report.lapsed = routines.lapse(conn, day, me.timezone)
    report.jobs = workflow.resume_due(conn, say)
    report.completed = _advance(conn, day, me.timezone)
    planner: Planner | None = None
    pairs = active_milestones(conn)
    waiting = [(q, m) for q, m in pairs if not has_tasks_on(conn, m, day)]
    for quest, milestone in pairs:
        if (quest, milestone) not in waiting:
            report.planned.append(Planned(quest, milestone, reason="already has tasks that day"))
    day_budget = budget_for(conn, day, [q.goal_id for q, _ in waiting])
    report.budget = day_budget
    for quest, milestone in waiting:
        share = day_budget.shares.get(quest.goal_id, 0)
        if share < capacity.MIN_SHARE:
            own = day_budget.own.get(quest.goal_id)
            reason = "your own tasks fill its share of the day" if own else "no room today"
            report.planned.append(Planned(quest, milestone, reason=reason))
            continue
        try:
            planner = planner or Planner(conn)
            report.provider = planner.choice.provider
            say(f"Planning {day} for “{milestone.title}”…")
            proposal = propose_day(planner, milestone, day, share=share, on_day=day_budget.held)
            saved = save_day(conn, proposal)
        except ZikError as e:
            report.planned.append(Planned(quest, milestone, reason="not planned", error=e))
            if isinstance(e, AccessError):  # the same for every quest: said once, but each
                left = waiting[waiting.index((quest, milestone)) + 1 :]  # one it leaves
                report.blocked = [(q, e) for q, _ in left]  # unplanned is named in `zik today`
                break
            continue
        day_budget.add(saved.tasks, quest.goal_name)
        reason = "planned" if saved.created or saved.rescheduled else "planned elsewhere first"
        call_id = proposal.ai["callId"]
        report.planned.append(
            Planned(quest, milestone, saved=saved, call_id=call_id, reason=reason)
        )
    daily_store.record_daily(
        conn, day.isoformat(), clock.timestamp(), report.tasks_made, report.failures()
    )
    hooks.fire("daily.generated", report.to_json())
    return report


def _advance(conn: sqlite3.Connection, day: date, timezone: str) -> list[Milestone]:
    """Complete milestones whose planned days ended before `day` with nothing left open."""
    completed = []
    for _quest, milestone in active_milestones(conn):
        duration = milestone.duration_in_days
        if not duration or progression.day_number(milestone, day, timezone) <= duration:
            continue
        with change_set(conn, f"daily {day}: {milestone.title} done") as cs:
            current = records.get(conn, Milestone, milestone.milestone_id)
            open_work = task_store.milestone_has_open(conn, current.milestone_id)
            # Never complete a milestone that had no task yet (activated after a day's run):
            # its tasks are not "done", they never came.
            never_worked = not task_store.milestone_has_done(conn, current.milestone_id)
            if current.status != "active" or open_work or never_worked:
                continue
            completed.append(progression.complete_milestone(cs, current))
    return completed


def _missed_days(conn: sqlite3.Connection, day: date) -> list[str]:
    """Days between the last run and this one that had no run (reported, never back-filled)."""
    last = daily_store.last_daily(conn)
    if last is None or last >= day.isoformat():
        return []
    first = date.fromisoformat(last) + timedelta(days=1)
    count = (day - first).days
    return [(first + timedelta(days=n)).isoformat() for n in range(min(count, MISSED_SHOWN))]


def _preview(conn: sqlite3.Connection, report: DailyReport) -> DailyReport:
    """What a run would do, without writing anything or calling the AI."""
    due = [r for r in routine_store.producing(conn) if routines.matches(r, report.day)]
    wanted = [routines.instance_id(r.recurrence_rule_id, report.day) for r in due]
    report.routines_due = len(set(wanted) - task_store.existing_ids(conn, wanted))
    report.jobs_due = len(job_store.due(conn, clock.timestamp()))
    pairs = active_milestones(conn)
    waiting = [q.goal_id for q, m in pairs if not has_tasks_on(conn, m, report.day)]
    report.budget = budget_for(conn, report.day, waiting)
    for quest, milestone in pairs:  # the reasons a run would give, the day's budget included
        if quest.goal_id not in waiting:
            reason = "already has tasks that day"
        elif report.budget.shares.get(quest.goal_id, 0) >= capacity.MIN_SHARE:
            reason = "would be planned"
        elif report.budget.own.get(quest.goal_id):
            reason = "your own tasks fill its share of the day"
        else:
            reason = "no room today"
        report.planned.append(Planned(quest, milestone, reason=reason))
    return report
