"""`zik milestone …`: build or adjust a quest's roadmap by hand."""

from __future__ import annotations

from typing import Annotated

import typer

from zik.cli import complete
from zik.cli import io as io_module
from zik.cli.io import IO
from zik.cli.render import render_follow_ups
from zik.core import milestones as core
from zik.core.changes import Outcome
from zik.core.workspace import db
from zik.models import Milestone, short_id

app = typer.Typer(help="Milestones: the ordered steps of a quest's roadmap.", no_args_is_help=True)

MilestoneId = Annotated[
    str,
    typer.Argument(
        help="Milestone id (any unique prefix).",
        show_default=False,
        autocompletion=complete.milestones,
    ),
]
DaysOpt = Annotated[int | None, typer.Option("--days", help="How many days it should take.")]
DescOpt = Annotated[str | None, typer.Option("--description", "-d", help="What it covers.")]


@app.command()
def add(
    quest_id: Annotated[
        str, typer.Argument(help="Quest id.", show_default=False, autocompletion=complete.quests)
    ],
    title: Annotated[str, typer.Argument(help="Milestone title.", show_default=False)],
    days: DaysOpt = None,
    description: DescOpt = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Append a milestone to a quest's roadmap.

    Example: zik milestone add 3f2a "Run 10 km without stopping" --days 21
    """
    io = io_module.current(json_)
    milestone = core.add(db(), quest_id, title, days=days, description=description)
    io.emit(milestone, _render_added)


@app.command()
def edit(
    milestone_id: MilestoneId,
    title: Annotated[str | None, typer.Option("--title", "-t", help="New title.")] = None,
    days: DaysOpt = None,
    description: DescOpt = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Change a milestone's title, duration or description.

    Example: zik milestone edit 9c1b --days 28
    """
    io = io_module.current(json_)
    io.emit(
        core.edit(db(), milestone_id, title=title, days=days, description=description),
        _render("Updated"),
    )


@app.command()
def move(
    milestone_id: MilestoneId,
    position: Annotated[int, typer.Argument(help="New 1-based position.", show_default=False)],
    json_: io_module.JsonOpt = False,
) -> None:
    """Move a milestone to another place in the roadmap.

    Example: zik milestone move 9c1b 1
    """
    io = io_module.current(json_)
    io.emit(core.move(db(), milestone_id, position), _render_order)


@app.command()
def done(milestone_id: MilestoneId, json_: io_module.JsonOpt = False) -> None:
    """Mark a milestone completed; the next one becomes active.

    Example: zik milestone done 9c1b
    """
    io = io_module.current(json_)
    io.emit(core.complete(db(), milestone_id), _render_completed)


@app.command()
def rm(milestone_id: MilestoneId, json_: io_module.JsonOpt = False) -> None:
    """Delete a milestone and its open tasks (zik undo restores them).

    Example: zik milestone rm 9c1b
    """
    io = io_module.current(json_)
    io.emit(core.remove(db(), milestone_id), _render("Deleted"))


def _render_added(m: Milestone, io: IO) -> None:
    io.created(
        m.milestone_id,
        f"Added milestone {short_id(m.milestone_id)} (#{m.sequence}, {m.status}): {m.title}",
    )


def _render_completed(outcome: Outcome, io: IO) -> None:
    for m in outcome.items:
        io.success(f"Completed milestone {short_id(m.key)}: {m.title}")
    render_follow_ups(outcome, io)


def _render(verb: str):
    def render(m: Milestone, io: IO) -> None:
        io.success(
            f"{verb} milestone {short_id(m.milestone_id)} (#{m.sequence}, {m.status}): {m.title}"
        )

    return render


def _render_order(order: list[Milestone], io: IO) -> None:
    for m in order:
        io.print(
            f"{m.sequence:>2}  {io.paint(short_id(m.milestone_id), 'dim')}  {m.title}  {io.paint(m.status, 'dim')}"
        )
