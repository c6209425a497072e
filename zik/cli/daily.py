"""`zik daily`: make today's tasks (routines and the coach's), idempotently; cron runs this."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from zik.cli import io as io_module
from zik.cli.io import IO
from zik.cli.render import print_tasks
from zik.core.workspace import db
from zik.models import short_id

if TYPE_CHECKING:  # pydantic and the AI load only when the command runs
    from zik.core.plan.daily import DailyReport


def daily(
    date: Annotated[
        str | None, typer.Option("--date", help="The day to plan (default: today, your timezone).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be made; change nothing.")
    ] = False,
    if_due: Annotated[
        bool,
        typer.Option(
            "--if-due", help="Only when today's daily time has passed and today had no run (cron)."
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="One summary line (for cron's mail).")
    ] = False,
    json_: io_module.JsonOpt = False,
) -> None:
    """Make the day's tasks: routines, resumed roadmaps, and the coach's tasks per milestone.

    Safe to run as often as you like (cron, the scheduler, by hand): a second run adds nothing.
    Exits 5 or 75 when the AI could not be reached for some milestone (the rest is saved).
    Example: zik daily --dry-run
    """
    from zik.core.plan import daily as core

    io = io_module.current(json_)
    conn = db()
    if if_due:
        from zik.core.plan import runs

        if runs.due_day(conn) is None:  # not yet, or done today: silent, so cron sends no mail
            io.emit({"due": False})  # (and --json still gets its one document)
            return
    if quiet:  # one line and nothing else, for cron's mail
        report = core.run(conn, date, dry_run=dry_run)
    else:
        with io.progress() as progress:
            report = core.run(conn, date, dry_run=dry_run, say=progress.step)
    io.emit(report, _render_summary if quiet else _render)
    # A partial failure (the AI unreachable for some milestone) exits 5 or 75 with the report
    # printed: everything else was saved, and cron's mail should say so.
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _render_summary(report: DailyReport, io: IO) -> None:
    completed = f", {len(report.completed)} milestone(s) completed" if report.completed else ""
    errors = f", {len(report.errors)} failed: {report.errors[0].message}" if report.errors else ""
    io.print(f"zik daily {report.day}: {report.tasks_made} task(s) made{completed}{errors}")


def _render(report: DailyReport, io: IO) -> None:
    verb = "Would plan" if report.dry_run else "Planned"
    io.print(io.paint(f"{verb} {report.day:%A %d %B %Y} ({report.timezone})", "bold"))
    if report.missed_days:
        io.status(
            f"No run on {', '.join(report.missed_days)}: those days are not back-filled.", "yellow"
        )
    routines = report.routines_due if report.dry_run else len(report.routine_tasks)
    if routines:
        io.print(f"  ↻ {routines} routine task(s)")
    if report.dry_run and report.jobs_due:
        io.print(f"  ⟳ {report.jobs_due} queued roadmap(s) would be resumed")
    for resumed in report.jobs:
        ref = short_id(resumed.goal_id)
        if resumed.error is not None:
            io.print(io.paint(f"  ✗ roadmap of quest {ref}: {resumed.error.message}", "red"))
        else:
            io.print(f"  ⟳ roadmap of quest {ref} planned")
    for milestone in report.completed:
        io.success(f"Milestone completed: {milestone.title}")
    for item in report.planned:
        where = f"{item.quest.goal_name} ▸ {item.milestone.title}"
        if item.error is not None:
            io.print(io.paint(f"  ✗ {where}: {item.error.message}", "red"))
        elif item.saved is None:
            io.print(io.paint(f"  · {where}: {item.reason}", "dim"))
        else:
            moved = f", {len(item.saved.rescheduled)} rescheduled" if item.saved.rescheduled else ""
            if item.saved.replaced:
                moved += f", {len(item.saved.replaced)} missed let go (skipped)"
            io.print(f"  ✓ {where}: {len(item.saved.created)} task(s){moved}")
            print_tasks(io, item.saved.tasks, indent=4)
    if not report.dry_run:
        io.status(f"{report.tasks_made} task(s) made", "dim")
