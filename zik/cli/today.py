"""`zik today` (and `zik` with no command): today's tasks grouped by quest."""

from __future__ import annotations

from typing import Annotated

import typer

from zik.cli import io as io_module
from zik.cli.io import IO
from zik.cli.render import print_tasks
from zik.core import today as today_core
from zik.core.workspace import db

DateOpt = Annotated[
    str | None, typer.Option("--date", "-d", help="Another day: YYYY-MM-DD, tomorrow, +2d, friday.")
]


def today(date: DateOpt = None, json_: io_module.JsonOpt = False) -> None:
    """Show today's tasks by quest, with each quest's active milestone and what is overdue.

    Example: zik today --date tomorrow
    """
    show_today(date, json_)


def show_today(date: str | None, json_: bool = False) -> None:
    io = io_module.current(json_)
    io.emit(today_core.view(db(), date), _render)


def _render(view: today_core.TodayView, io: IO) -> None:
    heading = view.date.strftime("%A %d %B %Y")
    count = f"{view.completed} of {len(view.tasks)} done" if view.tasks else "nothing due"
    if view.tasks:
        count += f"  ·  {view.planned_minutes} of {view.capacity} min planned"
    io.print(f"{io.paint(heading, 'bold')}  {io.paint(view.timezone, 'dim')}  ·  {count}")
    for failure in view.failures:  # a quest whose day could not be planned never just vanishes
        io.print()
        name = failure.get("goalName") or "A quest"
        io.print(io.paint(f"⚠ {name}: today's tasks could not be planned", "bold yellow"))
        io.print(io.paint(f"  {failure['message']}", "yellow"))
        fix = failure.get("hint") or "zik daily tries again"
        io.print(io.paint(f"  → {fix}", "dim"))
    for group in view.groups:
        io.print()
        if group.quest is None:
            io.print(io.paint("Other tasks", "bold"))
        else:
            line = io.paint(group.quest.goal_name, "bold cyan")
            if group.milestone:
                line += io.paint(f"  ▸ {group.milestone.title}", "dim")
            io.print(line)
        print_tasks(io, group.tasks)
    if view.overdue:
        io.print()
        io.print(io.paint(f"Overdue ({view.overdue_total})", "bold red"))
        print_tasks(io, view.overdue, show_due=True, today=view.date)
        if view.overdue_total > len(view.overdue):
            io.print(
                io.paint(
                    f"  … and {view.overdue_total - len(view.overdue)} more: zik task list --due overdue",
                    "dim",
                )
            )
    if not view.tasks and not view.overdue and not view.onboarded:
        io.status(
            'Get started: zik init, then zik quest new "Run a half marathon" --target +16w,'
            ' or zik task add "Call the dentist" --due tomorrow',
            "dim",
        )
