"""The simulation's report as text: a row per quest, an overall row, the run, the checks."""

from __future__ import annotations

from bench.simlib.report import MODES, QuestRow, Report, pct

# (heading, width, alignment) of the quest table; the figures are filled in by `_cells`
COLUMNS = [
    ("Quest", 38, "<"),
    ("active", 7, ">"),
    ("tasks", 6, ">"),
    ("cover", 6, ">"),
    ("fail", 5, ">"),
    ("plan", 6, ">"),
    ("done", 5, ">"),
    ("again", 6, ">"),
    ("  missed o/s/d", 15, ">"),
    ("milestones", 12, ">"),
    ("  forecast", 12, ">"),
    ("  target", 12, ">"),
    ("  stalled", 10, ">"),
]
LEGEND = [
    "active: days observed with the quest active · tasks: of those, days with tasks (the coach's or own) · "
    "fail: days its plan failed",
    "plan/done: distinct tasks seen / completed · again: one-off tasks planned again after done",
    "missed: open / other status (e.g. skipped) / deleted from history · "
    "milestones: completed/due by now/total",
]


def _row(cells: list[str]) -> str:
    return "".join(
        f"{c:{align}{width}}" for c, (_, width, align) in zip(cells, COLUMNS, strict=True)
    )


def _missed(missed: dict[str, int]) -> str:
    other = sum(n for k, n in missed.items() if k not in ("open", "deleted"))
    return f"{missed.get('open', 0)}/{other}/{missed.get('deleted', 0)}"


def _cells(q: QuestRow) -> list[str]:
    return [
        q.name if len(q.name) < 38 else q.name[:36] + "…",
        str(q.active_days),
        str(q.task_days),
        f"{q.coverage:.0%}",
        str(q.failed_days),
        str(q.planned),
        str(q.done),
        str(q.repeats),
        _missed(q.missed),
        f"{q.milestones_done}/{q.milestones_due}/{q.milestones}",
        q.forecast or "–",
        q.target,
        f"day {q.stalled_on}" if q.stalled_on else "–",
    ]


def render(r: Report) -> str:
    """The table and the figures under it, as printed by bench/simulate.py."""
    log = r.log
    observed = [d for d in log.day_logs if d.observed]
    start = log.day_logs[0].day if log.day_logs else "–"
    title = f"zik simulation · {log.provider} · {log.days} days from {start} · seed {log.seed}"
    title += f" · {log.processes} zik processes · {log.seconds:.1f} s"
    if log.provider == "bedrock":
        title += f" · {log.ai_requests} Bedrock requests"
    head = _row([c[0] for c in COLUMNS])
    lines = [title, "", head, "─" * len(head), *(_row(_cells(q)) for q in r.quests)]
    with_tasks = sum(any(d.planned.values()) for d in observed)
    fields = ("milestones_done", "milestones_due", "milestones")
    milestones = [sum(getattr(q, f) for q in r.quests) for f in fields]
    overall = ["Overall (all tasks)", str(len(observed)), str(with_tasks)]
    overall += [f"{with_tasks / len(observed) if observed else 0:.0%}", str(len(r.failed_runs))]
    overall += [str(r.planned), str(r.done), str(len(r.repeats)), _missed(r.missed)]
    overall += ["/".join(map(str, milestones)), "", "", ""]
    lines += ["─" * len(head), _row(overall), "", *LEGEND]
    roles = [f"{q.role}: {q.name}" for q in r.quests if q.role]
    days = f"ignored on days {log.ignored[0]}–{log.ignored[1]}, finished on day {log.finish_day}"
    lines.append(" · ".join(roles) + f" ({days})")
    if any(q.forecast_from == "zik" for q in r.quests):
        lines += ["forecast: zik's plan-health forecast", ""]
    else:
        lines += ["forecast: from the pace so far (zik reports no forecast)", ""]
    modes = {m: sum(d.mode == m for d in log.day_logs) for m in MODES}
    first_fail = f" · first: {r.failed_runs[0]}" if r.failed_runs else ""
    unestimated = f" · {r.unestimated} tasks without estimate" if r.unestimated else ""
    missed = ", ".join(f"{n} {k}" for k, n in sorted(r.missed.items())) or "none"
    again = "".join(
        f"\n              {x.quest}: {x.name!r} done {x.done_on}, again {x.again_on}"
        for x in r.repeats[:5]
    )
    pileup = r.pileup
    lines += [
        f"Days        {modes['active']} active · {modes['away']} away (cron only) · "
        f"{modes['absent']} absent (nothing ran) · {modes['sick']} sick "
        f"(days {log.sick[0]}–{log.sick[1]})",
        f"Daily runs  {len(observed)} · failed {len(r.failed_runs)}{first_fail}",
        f"Minutes     a day: max {r.minutes_max} ({r.minutes_worst_day}) · p95 {r.minutes_p95} · "
        f"capacity {log.capacity}{unestimated}",
        f"Completion  zik stats {pct(r.stats_rate)} ({r.stats_completed} of {r.stats_due}) · "
        f"simulation {pct(r.sim_rate)} ({r.done} of {r.planned})",
        f"Missed      {sum(r.missed.values())}: {missed}",
        f"Again       {len(r.repeats)} one-off tasks planned again after done{again}",
        f"Stalled     {r.check('ignored_quest_reported_stalled').detail}",
        f"Overdue     first day after the sick week {pileup['overdueFirstDayBack']} · last day "
        f"{pileup['overdueLastDay']} · zik-made, due over 7 days before: "
        f"max {pileup['maxOlderThan7Days']}",
    ]
    if log.setup_errors:
        lines.append("Setup       " + "; ".join(log.setup_errors))
    errors = [e for d in log.day_logs for e in d.command_errors]
    if errors:
        lines.append(f"Errors      {len(errors)} in other commands, first: {errors[0]}")
    lines += ["", "Invariants (issue 15, Acceptance 1)"]
    for c in r.checks:
        mark = "n/a " if not c.applies else "PASS" if c.ok else "FAIL"
        lines.append(f"  {mark}  {c.name}: {c.detail}")
    return "\n".join(lines)
