"""`zik routine …`: recurring tasks."""

from __future__ import annotations

from typing import Annotated

import typer

from zik.cli import complete, term
from zik.cli import io as io_module
from zik.cli.io import IO
from zik.core import routines as core
from zik.core.workspace import db
from zik.models import Routine, short_id

app = typer.Typer(help="Routines: tasks that come back on a schedule.", no_args_is_help=True)

RoutineId = Annotated[
    str,
    typer.Argument(
        help="Routine id (any unique prefix).",
        show_default=False,
        autocompletion=complete.routines,
    ),
]


@app.command()
def add(
    title: Annotated[str, typer.Argument(help="The task it makes.", show_default=False)],
    every: Annotated[str, typer.Option("--every", help="daily, weekdays, weekends or weekly.")],
    on: Annotated[str | None, typer.Option("--on", help="Days for weekly, e.g. mon,thu.")] = None,
    quest: Annotated[
        str | None,
        typer.Option("--quest", "-q", help="Quest id.", autocompletion=complete.quests),
    ] = None,
    priority: Annotated[
        str, typer.Option("--priority", "-p", help="low, medium or high.")
    ] = "medium",
    estimate: Annotated[
        int | None, typer.Option("--estimate", "-e", help="Minutes it takes.")
    ] = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Add a routine; its task appears on matching days.

    Example: zik routine add "Stretch 10 minutes" --every weekly --on mon,wed,fri
    """
    io = io_module.current(json_)
    routine = core.add(
        db(), title, every=every, on=on, quest_ref=quest, priority=priority, estimate=estimate
    )
    io.emit(
        routine,
        lambda r, io: io.created(
            r.recurrence_rule_id,
            f"Added routine {short_id(r.recurrence_rule_id)}: {r.title} ({core.schedule(r)})",
        ),
    )


@app.command("list")
def list_(json_: io_module.JsonOpt = False) -> None:
    """List routines.

    Example: zik routine list
    """
    io = io_module.current(json_)
    io.emit(core.list_routines(db()), _render_list)


@app.command()
def pause(routine_id: RoutineId, json_: io_module.JsonOpt = False) -> None:
    """Pause a routine.

    Example: zik routine pause 7a1c
    """
    io = io_module.current(json_)
    io.emit(core.set_status(db(), routine_id, "paused"), _render("Paused"))


@app.command()
def resume(routine_id: RoutineId, json_: io_module.JsonOpt = False) -> None:
    """Resume a paused routine.

    Example: zik routine resume 7a1c
    """
    io = io_module.current(json_)
    io.emit(core.set_status(db(), routine_id, "active"), _render("Resumed"))


@app.command()
def rm(routine_id: RoutineId, json_: io_module.JsonOpt = False) -> None:
    """Delete a routine (tasks it already made stay).

    Example: zik routine rm 7a1c
    """
    io = io_module.current(json_)
    io.emit(core.remove(db(), routine_id), _render("Deleted"))


def _render(verb: str):
    return lambda r, io: io.success(
        f"{verb} routine {short_id(r.recurrence_rule_id)}: {r.title} ({core.schedule(r)})"
    )


def _render_list(routines: list[Routine], io: IO) -> None:
    if not routines:
        io.status('No routines. Add one: zik routine add "Stretch" --every daily', "dim")
    rows = [
        [
            (short_id(r.recurrence_rule_id), "dim"),
            (r.title, ""),
            (core.schedule(r), "cyan"),
            (r.status, "yellow" if r.status == "paused" else ""),
        ]
        for r in routines
    ]
    for line in term.table(rows, total_width=io.width, flex=1, color=io.color):
        io.print(line)
