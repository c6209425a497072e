"""`zik quest …`: long-term goals and their roadmaps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from zik.cli import complete, term
from zik.cli import io as io_module
from zik.cli.io import IO
from zik.cli.render import HEALTH_STYLES, MILESTONE_MARKS, percent_bar, print_tasks, task_rows
from zik.core import profile
from zik.core import quests as core
from zik.core.workspace import db
from zik.models import Quest, short_id

if TYPE_CHECKING:  # the workflow imports pydantic: at run time only when a command plans
    from zik.core.plan.replan import Replan
    from zik.core.plan.workflow import PlanOutcome

app = typer.Typer(
    help="Quests: long-term goals with a roadmap of milestones.", no_args_is_help=True
)

QuestId = Annotated[
    str,
    typer.Argument(
        help="Quest id (any unique prefix).", show_default=False, autocompletion=complete.quests
    ),
]
TargetOpt = Annotated[str | None, typer.Option("--target", help="Target date: YYYY-MM-DD, +16w, …")]
CategoryOpt = Annotated[
    str | None, typer.Option("--category", "-c", help="fitness, learning, career, …")
]
DescOpt = Annotated[
    str | None, typer.Option("--description", "-d", help="What success looks like.")
]


@app.command()
def new(
    title: Annotated[str, typer.Argument(help="The goal, in your words.", show_default=False)],
    description: DescOpt = None,
    target: TargetOpt = None,
    category: CategoryOpt = None,
    no_plan: Annotated[
        bool, typer.Option("--no-plan", help="Create it without an AI roadmap.")
    ] = False,
    no_wait: Annotated[
        bool,
        typer.Option("--no-wait", help="Queue the planning for zik daily or the scheduler."),
    ] = False,
    json_: io_module.JsonOpt = False,
) -> None:
    """Create a quest and plan its roadmap and today's tasks (with Bedrock, or offline).

    Example: zik quest new "Run a half marathon" --target +16w --category fitness
    """
    io = io_module.current(json_)
    conn = db()
    fields = dict(description=description, target=target, category=category)
    if no_plan:
        io.emit(
            core.create(conn, title, today=profile.local_today(conn), **fields), _render_created
        )
        return
    from zik.core.plan import workflow  # pydantic (and boto3 for Bedrock): only when planning

    with io.progress() as progress:
        created = (
            (lambda q: None) if io.json else (lambda q: _render_created(q, progress, hint=False))
        )
        outcome = workflow.create_and_plan(
            conn, title, **fields, wait=not no_wait, say=progress.step, created=created
        )
    # Piped, stdout holds just the new id (printed above) so that Q=$(zik quest new …) works.
    io.emit(outcome, _render_plan if io.is_tty else _render_plan_to_stderr)
    _exit_for(outcome)


@app.command()
def plan(
    quest_id: QuestId,
    replan: Annotated[
        bool,
        typer.Option("--replan", help="Keep completed milestones, plan the rest anew."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the proposed roadmap without saving it.")
    ] = False,
    json_: io_module.JsonOpt = False,
) -> None:
    """Plan what a quest is missing (its roadmap, today's tasks), or replan its roadmap.

    An interrupted planning resumes where it stopped.
    Example: zik quest plan 3f2a --replan --dry-run
    """
    io = io_module.current(json_)
    if replan:
        from zik.core.plan import replan as replanning

        with io.progress() as progress:
            result = replanning.replan(db(), quest_id, dry_run=dry_run, say=progress.step)
        io.emit(result, _render_replan)
        return
    from zik.core.plan import workflow

    with io.progress() as progress:
        outcome = workflow.plan_quest(db(), quest_id, dry_run=dry_run, say=progress.step)
    io.emit(outcome, _render_plan)
    _exit_for(outcome)


def _exit_for(outcome) -> None:  # core.plan.workflow.PlanOutcome
    """The roadmap stands but today's tasks failed: exit as `zik daily` does for the same
    failure (6 for a day plan still invalid after repair, 5 or 75 for AI access), with the
    result printed, so a script or cron sees it."""
    if outcome.day_error is not None:
        raise typer.Exit(outcome.day_error.exit_code)


@app.command("list")
def list_(
    status: Annotated[
        str, typer.Option("--status", "-s", help="active, paused, completed or all.")
    ] = "active",
    json_: io_module.JsonOpt = False,
) -> None:
    """List quests with their progress.

    Example: zik quest list --status all
    """
    io = io_module.current(json_)
    io.emit(core.summaries(db(), status), _render_list)


@app.command()
def show(quest_id: QuestId, json_: io_module.JsonOpt = False) -> None:
    """Show a quest's roadmap: milestones in order, with progress.

    Example: zik quest show 3f2a
    """
    io = io_module.current(json_)
    io.emit(core.detail(db(), quest_id), _render_detail)


@app.command()
def edit(
    quest_id: QuestId,
    title: Annotated[str | None, typer.Option("--title", "-t", help="New name.")] = None,
    description: DescOpt = None,
    target: Annotated[
        str | None, typer.Option("--target", help="New target date ('none' to clear).")
    ] = None,
    category: CategoryOpt = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Rename a quest or change its description, target date or category.

    Example: zik quest edit 3f2a --target 2027-09-01
    """
    io = io_module.current(json_)
    conn = db()
    quest = core.edit(
        conn,
        quest_id,
        today=profile.local_today(conn),
        title=title,
        description=description,
        target=target,
        category=category,
    )
    io.emit(quest, _render_status("Updated"))


@app.command()
def pause(quest_id: QuestId, json_: io_module.JsonOpt = False) -> None:
    """Pause a quest (its routines stop making tasks).

    Example: zik quest pause 3f2a
    """
    io = io_module.current(json_)
    io.emit(core.set_status(db(), quest_id, "paused"), _render_status("Paused"))


@app.command()
def resume(quest_id: QuestId, json_: io_module.JsonOpt = False) -> None:
    """Resume a paused (or completed) quest.

    Example: zik quest resume 3f2a
    """
    io = io_module.current(json_)
    io.emit(core.set_status(db(), quest_id, "active"), _render_status("Resumed"))


@app.command()
def done(quest_id: QuestId, json_: io_module.JsonOpt = False) -> None:
    """Mark a quest completed.

    Example: zik quest done 3f2a
    """
    io = io_module.current(json_)
    io.emit(core.set_status(db(), quest_id, "completed"), _render_status("Completed"))


@app.command()
def rm(quest_id: QuestId, json_: io_module.JsonOpt = False) -> None:
    """Delete a quest with its milestones, tasks and routines (zik undo restores them).

    Example: zik quest rm 3f2a
    """
    io = io_module.current(json_)
    io.emit(core.remove(db(), quest_id), _render_status("Deleted"))


def _render_created(quest: Quest, io: IO | io_module.Progress, *, hint: bool = True) -> None:
    io.created(quest.goal_id, f"Created quest {short_id(quest.goal_id)}: {quest.goal_name}")
    if hint:
        io.status(
            f'  Add milestones: zik milestone add {short_id(quest.goal_id)} "First step" --days 14',
            "dim",
        )


def _plan_lines(outcome: PlanOutcome, io: IO) -> list[str]:
    lines: list[str] = []
    if outcome.roadmap is not None:
        roadmap = outcome.roadmap.milestones
        title = "Proposed roadmap (not saved)" if outcome.dry_run else "Roadmap"
        days = sum(m["durationInDays"] for m in roadmap)
        lines.append(f"{io.paint(title, 'bold')}  {len(roadmap)} milestones · {days} days")
        saved = outcome.milestones or [None] * len(roadmap)
        rows = []
        for n, (plan, m) in enumerate(zip(roadmap, saved, strict=True), start=1):
            mark, style = MILESTONE_MARKS[m.status if m else "locked"]
            rows.append(
                [
                    (str(n), "dim"),
                    (mark, style),
                    (plan["title"], "bold" if m and m.status == "active" else ""),
                    (f"{plan['durationInDays']}d", "dim"),
                    (short_id(m.milestone_id) if m else "", "dim"),
                ]
            )
        lines += term.table(rows, total_width=io.width, flex=2, indent=2, color=io.color)
    if outcome.tasks:
        lines += ["", io.paint("Today", "bold")] if lines else [io.paint("Today", "bold")]
        lines += term.table(
            task_rows(outcome.tasks), total_width=io.width, flex=2, indent=2, color=io.color
        )
    return lines


def _plan_status(outcome: PlanOutcome, io: IO) -> None:
    ref = short_id(outcome.quest.goal_id)
    for warning in outcome.warnings:
        io.status(f"⚠ {warning}", "yellow")
    if outcome.queued:
        io.status(
            f"Planning queued: zik daily (or the scheduler) plans it, or zik quest plan {ref}"
        )
        return
    roadmap = outcome.roadmap
    if outcome.planner is not None:
        choice = outcome.planner.choice
        io.status(f"Planned by {choice.provider} ({choice.model}): {choice.reason}", "dim")
    if roadmap is not None and roadmap.adjusted_from is not None:
        days = sum(m["durationInDays"] for m in roadmap.milestones)
        io.status(f"Durations rescaled from {roadmap.adjusted_from} to {days} days", "dim")
    if outcome.day_error is not None:
        io.status(
            f"Today's tasks could not be planned: {outcome.day_error.message} "
            f"(zik daily or zik quest plan {ref} tries again)",
            "yellow",
        )


def _roadmap_rows(milestones: list[dict], io: IO) -> list[str]:
    rows = []
    for n, m in enumerate(milestones, start=1):
        mark, style = MILESTONE_MARKS[m.get("status") or "locked"]
        rows.append(
            [
                (str(n), "dim"),
                (mark, style),
                (m["title"], ""),
                (f"{m['durationInDays']}d" if m.get("durationInDays") else "", "dim"),
            ]
        )
    return term.table(rows, total_width=io.width, flex=2, indent=2, color=io.color)


def _render_replan(result: Replan, io: IO) -> None:
    choice = result.planner.choice
    io.status(f"Planned by {choice.provider} ({choice.model}): {choice.reason}", "dim")
    data = result.to_json()
    io.print(io.paint("Before", "bold"))
    for line in _roadmap_rows(data["before"], io):
        io.print(line)
    io.print()
    io.print(io.paint("After (not saved)" if result.dry_run else "After", "bold"))
    for line in _roadmap_rows(data["after"], io):
        io.print(line)
    if result.saved and result.saved.tasks:
        io.print()
        io.print(io.paint("Today", "bold"))
        print_tasks(io, result.saved.tasks)


def _render_plan(outcome: PlanOutcome, io: IO) -> None:
    _plan_status(outcome, io)
    for line in _plan_lines(outcome, io):
        io.print(line)


def _render_plan_to_stderr(outcome: PlanOutcome, io: IO) -> None:
    _plan_status(outcome, io)
    for line in _plan_lines(outcome, io):
        io.status(line)


def _render_status(verb: str):
    return lambda q, io: io.success(f"{verb} quest {short_id(q.goal_id)}: {q.goal_name}")


def _render_list(items: list[core.QuestSummary], io: IO) -> None:
    if not items:
        io.status('No quests. Create one: zik quest new "Run a half marathon"', "dim")
        return
    rows = [
        [
            (short_id(s.quest.goal_id), "dim"),
            (s.quest.goal_name, "bold"),
            (s.quest.status, {"paused": "yellow", "completed": "green"}.get(s.quest.status, "")),
            _health_cell(s.health),
            (term.bar(s.progress, 12) + f" {round(s.progress * 100):3d}%", "green"),
            (s.active_milestone.title if s.active_milestone else "", "dim"),
            (s.quest.target_date or "", ""),
        ]
        for s in items
    ]
    for line in term.table(rows, total_width=io.width, flex=5, color=io.color):
        io.print(line)


def _health_cell(health) -> tuple[str, str]:  # core.plan.health.Health
    if health is None or health.state in ("done", "paused", "not_started"):
        return ("", "")
    return (health.label, HEALTH_STYLES.get(health.state, ""))


def _health_line(health, io: IO) -> None:
    if health is None or health.state in ("done", "paused"):
        return
    text, style = _health_cell(health)
    parts = [io.paint(text or "not started", style)]
    if health.pace is not None:
        parts.append(f"{round(health.pace * 100)}% of the last two weeks' tasks done")
    if health.forecast:
        parts.append(f"forecast {health.forecast.isoformat()}")
    io.print(f"{io.paint('Health', 'bold')}   " + " · ".join(parts))
    if health.suggestion:
        io.print(io.paint(f"         → {health.suggestion}", "dim"))


def _render_detail(detail: core.QuestDetail, io: IO) -> None:
    quest, summary = detail.summary.quest, detail.summary
    io.print(f"{io.paint(quest.goal_name, 'bold')}  {io.paint(short_id(quest.goal_id), 'dim')}")
    facts = [
        quest.status,
        f"target {quest.target_date}" if quest.target_date else "",
        quest.category or "",
    ]
    if quest.roadmap_status not in ("none", "ready"):
        facts.append(f"roadmap {quest.roadmap_status}")
    io.print(io.paint(" · ".join(f for f in facts if f), "dim"))
    if quest.roadmap_status == "failed" and quest.roadmap_error:
        io.print(io.paint(f"Planning failed: {quest.roadmap_error}", "red"))
    if quest.description:
        io.print(quest.description)
    _health_line(summary.health, io)
    io.print()
    if not detail.roadmap:
        io.print(
            f"No roadmap yet. Add milestones: zik milestone add {short_id(quest.goal_id)} TITLE --days N"
        )
    else:
        io.print(
            f"{io.paint('Roadmap', 'bold')}  {percent_bar(io, summary.progress)}"
            f"  {summary.milestones_done}/{summary.milestones} milestones"
        )
        rows = []
        for item in detail.roadmap:
            m = item.milestone
            mark, style = MILESTONE_MARKS[m.status]
            rows.append(
                [
                    (str(m.sequence), "dim"),
                    (mark, style),
                    (
                        m.title,
                        "bold" if m.status == "active" else "dim" if m.status == "locked" else "",
                    ),
                    (term.bar(item.progress, 10) + f" {round(item.progress * 100):3d}%", "green"),
                    (
                        (f"day {item.day}/{m.duration_in_days} · " if item.day else "")
                        + f"{item.tasks_done}/{item.tasks} tasks",
                        "dim",
                    ),
                    (f"{m.duration_in_days}d" if m.duration_in_days else "", "dim"),
                    (short_id(m.milestone_id), "dim"),
                ]
            )
        for line in term.table(rows, total_width=io.width, flex=2, indent=2, color=io.color):
            io.print(line)
    if detail.open_tasks:
        io.print()
        io.print(io.paint("Open tasks", "bold"))
        print_tasks(io, detail.open_tasks, show_due=True)
