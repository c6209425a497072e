"""The simulation's figures and invariants, computed from its log (bench/simlib/log.py).

The rules, written down because the figures are only as honest as they are:

- A quest's *active days* are the days the sim observed (cron's daily ran) on which
  `quest list` showed it `active` (not paused or completed). Absent days (nothing ran) are not
  held against zik: days without a run are not back-filled by design. *Days with tasks* are those
  active days on which the quest had at least one task due that day from the coach (source `ai`)
  or of the person's own (source `user`) on that quest: issue 15 counts the person's own tasks on
  a quest against that quest's share of the day, so a day they fill is that quest's day. A
  routine on the quest does not count: it would stand in for every day.
- A *failed daily run* is a day whose `zik daily --json` exited non-zero, printed no report, or
  reported an error for some milestone or roadmap job.
- A day's *planned minutes* are the estimates of every task due that day in `zik today` right
  after the daily run (coach, routines, own tasks); a task without an estimate counts 0 and is
  reported. Max and p95 (nearest rank) are over the observed days.
- *Planned* tasks are the distinct tasks the sim saw, on a day's list or in the overdue list;
  *done* are those the person completed with `zik task done`. The sim's rate, done ÷ planned, is
  compared with the rate `zik stats` prints after the last day (tasks due so far).
- A *one-off planned again after done*: a coach task whose name (case and spacing folded) was
  completed on the quest, then planned again under a new task on a later day. A name is
  *practice* (allowed to repeat) when it was planned on 3 or more days before its first
  completion, or its words tie it to a day or a week (RECURS below: today's, tomorrow's, weekly),
  or say it is practice (PRACTICE: a session, N minutes, N words, meditate, review, …) while none
  says it is a one-off (ONE_OFF: first, baseline, placement, set up, buy, …).
- A *missed* task is a planned task never done and no longer due on the last day; how zik
  accounted for it comes from `task list --due all --status all` at the end: still open, another
  status (e.g. skipped), or deleted (absent from the list, so from history and from every rate).
- *Stalled*: the first observed day `quest list` carried a health/stalled marker for the ignored
  quest, counted from the first ignored day; the check applies once the run covers 8 such days.
- *Overdue pile-up after the sick week*: on every observed day after it, zik-made overdue tasks
  (coach and routine; the person's own errands are theirs to keep) due more than 7 days earlier.
- *Forecast*: a health `forecast` date when zik reports one, else the pace so far: the days
  elapsed × milestones ÷ milestones completed (none until one is completed).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import date, timedelta
from typing import Any

from bench.simlib.log import Log

# A name is practice when it is tied to a day or a week (today's, tomorrow's, weekly, …: it
# recurs by its words), or when it says it is practice (a session, N minutes, N words, a practice
# verb) and nothing says it is a one-off (first, baseline, set up, buy, …).
RECURS = re.compile(
    r"\b(today'?s?|tonight|tomorrow'?s?|this week'?s?|weekly|daily|each|every)\b", re.IGNORECASE
)
PRACTICE = re.compile(
    r"\b(sessions?|review|update|check|note|rate|log|journal|track|tell someone|warm up|cool down|"
    r"foam-roll|refuel|stretch\w*|drills?|practi[cs]e\w*|meditat\w*|breath\w*|shadow\w*|"
    r"listen\w*|(read|learn|write|run|add|review) \d+|\d+ (new )?(words|pages|minutes|km|reps)|"
    r"\d+-minute|rest day|long run|easy run|strength|one thing|one obstacle|one open question)\b",
    re.IGNORECASE,
)
ONE_OFF = re.compile(
    r"\b(first|baseline|placement|set up|sign up|choose|pick|buy|download|export|open an?|"
    r"book an?|install|register|brief|must-haves|measure|map an?|get fitted|join|cancel)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^(day|week) \d+:\s*", re.IGNORECASE)  # "Day 3: meditate, tiny version"
STALL_WITHIN, PILEUP_DAYS, SLACK, COVERAGE = 8, 7, 5, 0.95


@dataclass
class Repeat:
    quest: str
    name: str
    done_on: str
    again_on: str


@dataclass
class QuestRow:
    name: str
    role: str
    status: str
    active_days: int = 0
    task_days: int = 0
    failed_days: int = 0
    planned: int = 0
    done: int = 0
    repeats: int = 0
    missed: dict[str, int] = field(default_factory=dict)
    milestones_done: int = 0
    milestones_due: int = 0
    milestones: int = 0
    forecast: str | None = None
    forecast_from: str = ""  # "zik" or "pace"
    target: str = ""
    stalled_on: int | None = None  # first day index reported stalled
    health: str | None = None  # the last health state zik reported

    @property
    def coverage(self) -> float:
        return self.task_days / self.active_days if self.active_days else 1.0


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    applies: bool = True


@dataclass
class Report:
    log: Log
    quests: list[QuestRow]
    failed_runs: list[str]
    minutes_max: int
    minutes_p95: int
    minutes_worst_day: str
    unestimated: int
    planned: int
    done: int
    stats_due: int | None
    stats_completed: int | None
    stats_rate: float | None
    repeats: list[Repeat]
    missed: dict[str, int]
    stall: dict[str, Any]
    pileup: dict[str, Any]
    checks: list[Check] = field(default_factory=list)

    @property
    def sim_rate(self) -> float | None:
        return self.done / self.planned if self.planned else None

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def to_json(self) -> dict[str, Any]:
        """The report as `--json` prints it (camelCase, like zik's own JSON); the log stays out."""
        data = _camel({f.name: getattr(self, f.name) for f in fields(self) if f.name != "log"})
        data["simRate"] = self.sim_rate
        for row, quest in zip(data["quests"], self.quests, strict=True):
            row["coverage"] = round(quest.coverage, 4)
        log = self.log
        data["run"] = {
            "provider": log.provider,
            "seed": log.seed,
            "days": log.days,
            "capacity": log.capacity,
            "processes": log.processes,
            "seconds": round(log.seconds, 1),
            "aiRequests": log.ai_requests,
            "setupErrors": log.setup_errors,
            "modes": {m: sum(d.mode == m for d in log.day_logs) for m in MODES},
        }
        return data


def _camel(value: Any) -> Any:
    """Dataclasses as dicts, snake_case keys as camelCase, all the way down."""
    if is_dataclass(value):
        value = asdict(value)
    if isinstance(value, dict):
        return {re.sub(r"_(\w)", lambda m: m[1].upper(), k): _camel(v) for k, v in value.items()}
    return [_camel(v) for v in value] if isinstance(value, list) else value


MODES = ("active", "away", "absent", "sick")


def health(quest: dict[str, Any]) -> dict[str, Any]:
    """Whatever plan-health zik reports for a quest: {present, state, stalled, forecast}."""
    progress = quest.get("progress") if isinstance(quest.get("progress"), dict) else {}
    raw = quest.get("health", quest.get("planHealth", progress.get("health")))
    found: dict[str, Any] = {"present": raw is not None or "stalled" in quest}
    if isinstance(raw, dict):
        state = raw.get("state") or raw.get("status") or raw.get("kind") or raw.get("label")
        forecast = raw.get("forecast") or raw.get("forecastFinish") or raw.get("forecastDate")
        stalled = raw.get("stalled") is True
    else:
        state, forecast, stalled = raw, None, False
    found["state"] = None if state is None else str(state)
    found["stalled"] = stalled or quest.get("stalled") is True or "stall" in str(state).lower()
    found["forecast"] = forecast if isinstance(forecast, str) else None
    return found


def is_practice(name: str) -> bool:
    """Whether a task name may come back after it was done (the rule in the docstring)."""
    bare = _LABEL.sub("", name)
    return bool(RECURS.search(bare) or (PRACTICE.search(bare) and not ONE_OFF.search(bare)))


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _first_day(seen) -> str:
    return min(seen.days_planned) if seen.days_planned else seen.due


def build(log: Log) -> Report:
    """Every figure of the report, from the log alone."""
    last = log.days and log.day_logs[-1].day
    observed = [d for d in log.day_logs if d.observed]
    final = {t["taskId"]: t for t in log.final_tasks}
    rows, repeats = [], []
    missed_all: dict[str, int] = {}
    for quest in log.quests:
        row = QuestRow(quest.name, quest.role, "", target=quest.target)
        for entry in observed:
            state = entry.quest_state.get(quest.goal_id, {})
            row.status = state.get("status", row.status)
            marker = health(state)
            row.health = marker["state"] or row.health
            if marker["stalled"] and row.stalled_on is None and entry.index >= log.ignored[0]:
                row.stalled_on = entry.index
            if state.get("status") != "active":
                continue
            row.active_days += 1
            ids = entry.planned.get(quest.goal_id, [])
            row.task_days += any(log.seen[i].source in ("ai", "user") for i in ids)
            row.failed_days += quest.goal_id in entry.quest_errors
        tasks = [s for s in log.seen.values() if s.goal_id == quest.goal_id]
        row.planned, row.done = len(tasks), sum(s.completed_on is not None for s in tasks)
        found = _repeats(quest.name, [s for s in tasks if s.source == "ai"])
        row.repeats = len(found)
        repeats += found
        row.missed = _missed(tasks, final, last)
        for kind, n in row.missed.items():
            missed_all[kind] = missed_all.get(kind, 0) + n
        _milestones(row, log.final_quests.get(quest.goal_id, {}), quest.created, last)
        rows.append(row)
    others = [s for s in log.seen.values() if s.goal_id not in {q.goal_id for q in log.quests}]
    for kind, n in _missed(others, final, last).items():
        missed_all[kind] = missed_all.get(kind, 0) + n
    totals = sorted(d.minutes for d in observed) or [0]
    worst = max(observed, key=lambda d: d.minutes, default=None)
    completion = (log.final_stats or {}).get("completion") or {}
    report = Report(
        log=log,
        quests=rows,
        failed_runs=[
            f"day {d.index} {d.day}: exit {d.daily_code}"
            + (f": {d.daily_errors[0]}" if d.daily_errors else "")
            for d in observed
            if d.daily_code or d.daily_errors
        ],
        minutes_max=totals[-1],
        minutes_p95=totals[max(0, math.ceil(0.95 * len(totals)) - 1)],
        minutes_worst_day=worst.day if worst else "",
        unestimated=sum(d.unestimated for d in observed),
        planned=len(log.seen),
        done=sum(s.completed_on is not None for s in log.seen.values()),
        stats_due=completion.get("due"),
        stats_completed=completion.get("completed"),
        stats_rate=completion.get("rate"),
        repeats=repeats,
        missed=missed_all,
        stall=_stall(log, rows),
        pileup=_pileup(log, observed),
    )
    report.checks = _checks(report)
    return report


def _repeats(quest: str, tasks: list) -> list[Repeat]:
    by_name: dict[str, list] = {}
    for seen in tasks:
        by_name.setdefault(_fold(seen.name), []).append(seen)
    found = []
    for name, group in by_name.items():
        done = sorted(s.completed_on for s in group if s.completed_on)
        if not done or is_practice(name):
            continue
        days = {d for s in group for d in (s.days_planned or [s.due]) if d <= done[0]}
        if len(days) >= 3:
            continue
        for seen in group:
            if _first_day(seen) > done[0]:
                found.append(Repeat(quest, seen.name, done[0], _first_day(seen)))
    return sorted(found, key=lambda r: r.again_on)


def _missed(tasks: list, final: dict[str, dict[str, Any]], last: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for seen in tasks:
        if seen.completed_on:
            continue
        now = final.get(seen.task_id)
        if now is not None and now["dueDate"] >= last and now["status"] != "completed":
            continue  # still due on the last day: not missed yet
        if now is None:
            kind = "deleted"
        elif now.get("skippedAt") and now["status"] != "completed":
            kind = "skipped"  # let go, kept in history (issue 15: a status or a skippedAt stamp)
        elif now["status"] in ("pending", "in-progress"):
            kind = "open"
        else:
            kind = now["status"]  # e.g. skipped; "completed" if something else completed it
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def _milestones(row: QuestRow, shown: dict[str, Any], created: str, last: str) -> None:
    milestones = shown.get("milestones") or []
    row.milestones = len(milestones)
    row.milestones_done = sum(m.get("status") == "completed" for m in milestones)
    end = date.fromisoformat(created) - timedelta(days=1)
    for m in milestones:
        end += timedelta(days=m.get("durationInDays") or 0)
        row.milestones_due += end.isoformat() <= last
    marker = health(shown)
    if marker["forecast"]:
        row.forecast, row.forecast_from = marker["forecast"], "zik"
    elif row.milestones_done and row.milestones:
        elapsed = (date.fromisoformat(last) - date.fromisoformat(created)).days + 1
        days = math.ceil(elapsed * row.milestones / row.milestones_done)
        row.forecast = (date.fromisoformat(created) + timedelta(days=days - 1)).isoformat()
        row.forecast_from = "pace"


def _stall(log: Log, rows: list[QuestRow]) -> dict[str, Any]:
    row = next((r for r in rows if r.role == "ignored"), None)
    first, _ = log.ignored
    applies = row is not None and log.days >= first + STALL_WITHIN
    after = None if row is None or row.stalled_on is None else row.stalled_on - first
    reported = any(health(s)["present"] for d in log.day_logs for s in d.quest_state.values())
    return {
        "quest": row and row.name,
        "ignoredFrom": first,
        "ignoredTo": log.ignored[1],
        "stalledOn": row and row.stalled_on,
        "daysAfter": after,
        "healthReported": reported,
        "applies": applies,
    }


def _pileup(log: Log, observed: list) -> dict[str, Any]:
    after = [d for d in observed if d.index > log.sick[1]]
    worst_day, worst, back_total = None, 0, None
    for entry in after:
        limit = (date.fromisoformat(entry.day) - timedelta(days=PILEUP_DAYS)).isoformat()
        old = sum(o["source"] != "user" and o["dueDate"] < limit for o in entry.overdue)
        back_total = entry.overdue_total if back_total is None else back_total
        if old > worst:
            worst_day, worst = entry.day, old
    return {
        "sickWeek": list(log.sick),
        "overdueFirstDayBack": back_total,
        "maxOlderThan7Days": worst,
        "worstDay": worst_day,
        "overdueLastDay": after[-1].overdue_total if after else None,
        "applies": bool(after),
    }


def _checks(r: Report) -> list[Check]:
    """Issue 15's Acceptance 1, one check each, with the figures that decide it."""
    cap = r.log.capacity + SLACK
    low = [q for q in r.quests if q.active_days and q.coverage < COVERAGE]
    coverage = ", ".join(f"{q.name} {q.task_days}/{q.active_days}" for q in r.quests)
    same = r.stats_rate is not None and r.sim_rate is not None
    same = same and abs(r.stats_rate - r.sim_rate) < 0.0001
    stall, pileup = r.stall, r.pileup
    first = f" (first: {r.failed_runs[0]})" if r.failed_runs else ""
    repeats = "".join(
        f"; {x.quest}: {x.name!r} done {x.done_on}, again {x.again_on}" for x in r.repeats[:3]
    )
    minutes = f"largest day {r.minutes_max} min ({r.minutes_worst_day}), p95 {r.minutes_p95}"
    rates = f"zik stats {r.stats_completed}/{r.stats_due} = {pct(r.stats_rate)}"
    rates += f", simulation {r.done}/{r.planned} = {pct(r.sim_rate)}"
    when = f"on day {stall['stalledOn']} ({stall['daysAfter']} days after)"
    stalled = f"{stall['quest']}: ignored from day {stall['ignoredFrom']}, reported stalled "
    stalled += when if stall["stalledOn"] else "never"
    stalled += "" if stall["healthReported"] else " (quest list has no health field)"
    old = f"zik-made overdue tasks due over {PILEUP_DAYS} days before, after the sick week: "
    old += f"max {pileup['maxOlderThan7Days']}"
    old += f" ({pileup['worstDay']})" if pileup["worstDay"] else ""
    return [
        Check("no_failed_daily_runs", not r.failed_runs, f"{len(r.failed_runs)} failed{first}"),
        Check("quests_have_tasks_every_day", not low, f"days with tasks of {coverage}"),
        Check(
            "day_fits_capacity",
            r.minutes_max <= cap,
            f"{minutes}, capacity {cap - SLACK} + {SLACK}",
        ),
        Check("no_one_off_planned_again", not r.repeats, f"{len(r.repeats)}{repeats}"),
        Check("stats_rate_matches_log", same, rates),
        Check(
            "ignored_quest_reported_stalled",
            stall["daysAfter"] is not None and stall["daysAfter"] <= STALL_WITHIN,
            stalled,
            stall["applies"],
        ),
        Check(
            "no_overdue_pileup_after_sick_week",
            pileup["maxOlderThan7Days"] == 0,
            old,
            pileup["applies"],
        ),
    ]


def pct(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f}%"
