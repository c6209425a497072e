"""`zik task …`: add, list, complete, start, reopen, edit and remove tasks."""

from __future__ import annotations

from typing import Annotated

import typer

from zik.cli import complete
from zik.cli import io as io_module
from zik.cli.io import IO
from zik.cli.render import print_tasks, render_follow_ups
from zik.core import profile
from zik.core import tasks as core
from zik.core.changes import Outcome
from zik.core.workspace import db
from zik.models import Task, short_id

app = typer.Typer(help="Tasks: concrete things to do on a day.", no_args_is_help=True)

Ids = Annotated[
    list[str],
    typer.Argument(
        help="Task ids (any unique prefix).", show_default=False, autocompletion=complete.tasks
    ),
]
DueOpt = Annotated[
    str | None, typer.Option("--due", help="YYYY-MM-DD, today, tomorrow, +3d, friday.")
]
PriorityOpt = Annotated[str | None, typer.Option("--priority", "-p", help="low, medium or high.")]
QuestOpt = Annotated[
    str | None,
    typer.Option(
        "--quest",
        "-q",
        help="Quest id (joins its active milestone).",
        autocompletion=complete.quests,
    ),
]
DescOpt = Annotated[str | None, typer.Option("--description", "-d", help="Notes for the task.")]
EstimateOpt = Annotated[
    int | None, typer.Option("--estimate", "-e", help="Minutes it should take.")
]
TagOpt = Annotated[
    list[str] | None, typer.Option("--tag", help="A tag (one word); repeat for more.")
]


@app.command()
def add(
    title: Annotated[str, typer.Argument(help="What to do.", show_default=False)],
    due: DueOpt = None,
    priority: PriorityOpt = "medium",
    quest: QuestOpt = None,
    description: DescOpt = None,
    estimate: EstimateOpt = None,
    tag: TagOpt = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Add a task (due today unless --due says otherwise).

    Example: zik task add "Run 5 km" --due tomorrow --quest 3f2a -p high
    """
    io = io_module.current(json_)
    conn = db()
    task = core.add(
        conn,
        title,
        today=profile.local_today(conn),
        due=due,
        priority=priority or "medium",
        quest_ref=quest,
        description=description,
        estimate=estimate,
        tags=tag,
    )
    io.emit(task, _render_added)


@app.command("list")
def list_(
    due: Annotated[
        str, typer.Option("--due", help="today, tomorrow, overdue, week, all, or a date.")
    ] = "all",
    status: Annotated[
        str, typer.Option("--status", "-s", help="open, pending, in-progress, completed, all.")
    ] = "open",
    quest: QuestOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many (0: all).")] = 50,
    tag: Annotated[str | None, typer.Option("--tag", help="Only tasks with this tag.")] = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """List tasks, open ones by default, in due-date order.

    Example: zik task list --due week --quest 3f2a
    """
    io = io_module.current(json_)
    conn = db()
    result = core.list_tasks(
        conn,
        today=profile.local_today(conn),
        due=due,
        status=status,
        quest_ref=quest,
        limit=limit,
        tag=tag,
    )
    io.emit(result, _render_list)


@app.command()
def done(ids: Ids, json_: io_module.JsonOpt = False) -> None:
    """Mark tasks completed; a milestone's last task moves the roadmap on.

    Example: zik task done 3f2a 8d1e
    """
    io = io_module.current(json_)
    io.emit(core.complete(db(), ids), _render_outcome("Completed"))


@app.command()
def start(ids: Ids, json_: io_module.JsonOpt = False) -> None:
    """Mark tasks in progress.

    Example: zik task start 3f2a
    """
    io = io_module.current(json_)
    io.emit(core.start(db(), ids), _render_outcome("Started"))


@app.command()
def reopen(ids: Ids, json_: io_module.JsonOpt = False) -> None:
    """Mark tasks pending again.

    Example: zik task reopen 3f2a
    """
    io = io_module.current(json_)
    io.emit(core.reopen(db(), ids), _render_outcome("Reopened"))


@app.command()
def edit(
    task_id: Annotated[
        str, typer.Argument(help="Task id.", show_default=False, autocompletion=complete.tasks)
    ],
    title: Annotated[str | None, typer.Option("--title", "-t", help="New title.")] = None,
    due: DueOpt = None,
    priority: PriorityOpt = None,
    quest: Annotated[
        str | None,
        typer.Option(
            "--quest",
            "-q",
            help="Move to a quest ('none' to detach).",
            autocompletion=complete.quests,
        ),
    ] = None,
    description: DescOpt = None,
    estimate: EstimateOpt = None,
    tag: TagOpt = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", help="Remove a tag; repeat for more.")
    ] = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Change a task's title, due date, priority, quest, notes, estimate or tags.

    Example: zik task edit 3f2a --due +2d -p low
    """
    io = io_module.current(json_)
    conn = db()
    task = core.edit(
        conn,
        task_id,
        today=profile.local_today(conn),
        title=title,
        due=due,
        priority=priority,
        description=description,
        estimate=estimate,
        quest_ref=quest,
        tag=tag,
        untag=untag,
    )
    io.emit(task, lambda t, io: io.success(f"Updated task {short_id(t.task_id)}: {t.task_name}"))


@app.command()
def rm(ids: Ids, json_: io_module.JsonOpt = False) -> None:
    """Delete tasks (zik undo brings them back).

    Example: zik task rm 3f2a
    """
    io = io_module.current(json_)
    io.emit(core.remove(db(), ids), _render_outcome("Deleted"))


def _render_added(task: Task, io: IO) -> None:
    io.created(
        task.task_id, f"Added task {short_id(task.task_id)}: {task.task_name} (due {task.due_date})"
    )


def _render_list(result: core.TaskList, io: IO) -> None:
    print_tasks(io, result.tasks, indent=0, show_due=True, quests=result.quests)
    if result.total > len(result.tasks):
        io.status(
            f"Showing {len(result.tasks)} of {result.total:,} tasks (--limit 0 for all)", "dim"
        )
    elif not result.tasks:
        io.status("No tasks match.", "dim")


def _render_outcome(verb: str):
    def render(outcome: Outcome, io: IO) -> None:
        for task in outcome.items:
            io.success(f"{verb} task {short_id(task.key)}: {task.task_name}")
        render_follow_ups(outcome, io)

    return render
