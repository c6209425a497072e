"""`zik stats`: completion rate, streaks, quest progress, planned vs done, and a heat-map."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

import typer

from zik.cli import io as io_module
from zik.cli import term
from zik.cli.io import IO
from zik.cli.render import HEALTH_STYLES, MILESTONE_MARKS, percent_bar
from zik.core import stats as core
from zik.core.workspace import db

# Characters carry the levels (NO_COLOR, pipes); colour only deepens them on a terminal.
SHADES = ("·", "░", "▒", "▓", "█")
SHADE_STYLES = ("dim", "green dim", "green", "green", "green bold")
DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LABEL_WIDTH = 5  # "Mon  "


def stats(
    quest: Annotated[
        str | None, typer.Option("--quest", "-q", help="Only this quest (any unique id prefix).")
    ] = None,
    weeks: Annotated[
        int,
        typer.Option(
            "--weeks",
            "-w",
            min=core.MIN_WEEKS,
            max=core.MAX_WEEKS,
            help="How many weeks to chart, ending with this one (1–104).",
        ),
    ] = core.DEFAULT_WEEKS,
    json_: io_module.JsonOpt = False,
) -> None:
    """Show how much gets done: completion rate, streaks, progress, and a heat-map of done tasks.

    Days are your local days (the profile's timezone); weeks start on Monday.
    Example: zik stats --quest 3f2a --weeks 26
    """
    io = io_module.current(json_)
    io.emit(core.collect(db(), quest=quest, weeks=weeks), _render)


def _render(report: core.Stats, io: IO) -> None:
    scope = report.quest.goal_name if report.quest else "all quests"
    weeks = f"last {len(report.weeks)} week{'s' if len(report.weeks) != 1 else ''}"
    about = f"  {scope} · {weeks} · {report.timezone}"
    span = f"  {report.start:%d %b %Y} – {report.today:%d %b %Y}"
    lines = [
        io.paint("Stats", "bold") + io.paint(about, "dim"),
        "",
        *_summary_lines(report, io),
        "",
        io.paint("Completions", "bold") + io.paint(span, "dim"),
        *heatmap(report, io),
        "",
        *_week_lines(report, io),
    ]
    if report.quests:
        lines += ["", *_quest_lines(report, io)]
    for line in lines:
        io.print(line)


def _summary_lines(report: core.Stats, io: IO) -> list[str]:
    c, s = report.completion, report.streak
    done = "no tasks due yet"
    if c.rate is not None:
        rate = io.paint(f"{round(c.rate * 100)}%", "bold")
        done = f"{rate} of tasks due so far ({c.completed} of {c.due})"
    overdue = io.paint(f"{c.overdue} overdue", "red" if c.overdue else "dim")
    streak = io.paint(f"{s.current} day{'s' if s.current != 1 else ''}", "bold")
    if s.current and not s.done_today:
        streak += io.paint(" (finish a task today to keep it)", "dim")
    return [f"Done     {done} · {overdue}", f"Streak   {streak} · longest {s.longest}"]


def heatmap(report: core.Stats, io: IO) -> list[str]:
    """GitHub's contribution graph in characters: a row per weekday, a column per week,
    split into blocks when the weeks do not fit across the terminal."""
    columns = [w.start for w in report.weeks]
    room = max(io.width - LABEL_WIDTH, 1)
    cell = 2 if 2 * len(columns) <= room else 1
    blocks = -(-len(columns) // room) if cell == 1 else 1
    size = -(-len(columns) // blocks)
    lines: list[str] = []
    for b in range(0, len(columns), size):
        lines += _block(report, columns[b : b + size], cell, io)
    shades = "".join(io.paint(c, s) for c, s in zip(SHADES[1:], SHADE_STYLES[1:], strict=True))
    none = io.paint(SHADES[0], SHADE_STYLES[0])
    lines.append(" " * LABEL_WIDTH + f"{none} none  less {shades} more")
    return lines


def _block(report: core.Stats, mondays: list[date], cell: int, io: IO) -> list[str]:
    year = f"{mondays[0]:%Y}".ljust(LABEL_WIDTH)  # the gutter above the day names
    lines = [io.paint(year, "dim") + _month_labels(mondays, cell)]
    for weekday, label in enumerate(DAY_LABELS):
        cells = []
        for monday in mondays:
            day = monday + timedelta(days=weekday)
            if day > report.today:  # the rest of this week has not happened yet
                cells.append(" " * cell)
                continue
            n = report.level(report.days.get(day, 0))
            cells.append(io.paint(SHADES[n], SHADE_STYLES[n]) + " " * (cell - 1))
        lines.append(f"{label:<{LABEL_WIDTH}}{''.join(cells)}".rstrip())
    return lines


def _month_labels(mondays: list[date], cell: int) -> str:
    """Month names above the first week that starts in them, and above the first column.

    Placed from the right, so that when two would touch, the first column's (a month mostly
    before the chart) is the one left out.
    """
    starts = [n for n, m in enumerate(mondays) if n == 0 or m.month != mondays[n - 1].month]
    placed: list[tuple[int, str]] = []
    for n in reversed(starts):
        at, name = n * cell, f"{mondays[n]:%b}"
        if not placed or at + len(name) < placed[-1][0]:  # a space before the next name
            placed.append((at, name))
    text = ""
    for at, name in reversed(placed):
        text = text.ljust(at) + name
    return text


def _week_lines(report: core.Stats, io: IO) -> list[str]:
    header = f"{'Week of':<10} {'planned':>7} {'done':>5}  {'':<17} {'completions':>11}"
    lines = [io.paint(header, "bold")]
    this_monday = report.weeks[-1].start
    for w in report.weeks:
        if w.planned:
            rate = percent_bar(io, w.done / w.planned, 12)
        else:
            rate = io.paint(f"{'—':<17}", "dim")
        mark = io.paint("  this week", "dim") if w.start == this_monday else ""
        lines.append(
            f"{w.start:%d %b}     {w.planned:>7} {w.done:>5}  {rate} {w.completions:>11}{mark}"
        )
    lines.append(
        io.paint(
            "planned: tasks due that week · done: those completed · "
            "completions: tasks completed that week, whenever due",
            "dim",
        )
    )
    return lines


def _quest_lines(report: core.Stats, io: IO) -> list[str]:
    rows = [[(h, "bold") for h in ("Quest", "status", "health", "milestones", "tasks", "")]]
    for q in report.quests:
        health = q.health.label if q.health and q.health.state not in ("done", "paused") else ""
        rows.append(
            [
                (q.goal_name, "cyan"),
                (q.status, "dim" if q.status != "active" else ""),
                (health, HEALTH_STYLES.get(q.health.state, "") if q.health else ""),
                (f"{q.milestones_done}/{len(q.milestones)}", ""),
                (f"{q.tasks_done}/{q.tasks}", ""),
                (percent_bar(io, q.progress), ""),
            ]
        )
    lines = term.table(rows, total_width=io.width, flex=0, color=io.color)
    if len(report.quests) == 1:  # one quest (--quest): its roadmap too
        lines += [""] + _roadmap_lines(report.quests[0], io)
    return lines


def _roadmap_lines(quest: core.QuestStats, io: IO) -> list[str]:
    if not quest.milestones:
        return [io.paint("No roadmap: zik quest plan " + quest.goal_id[:8], "dim")]
    rows = [[(h, "bold") for h in ("", "#", "Milestone", "status", "tasks", "")]]
    for m in quest.milestones:
        mark, style = MILESTONE_MARKS.get(m.status, ("·", ""))
        rows.append(
            [
                (mark, style),
                (str(m.sequence), "dim"),
                (m.title, ""),
                (m.status, "dim"),
                ((f"day {m.day}/{m.days} · " if m.day else "") + f"{m.tasks_done}/{m.tasks}", ""),
                (percent_bar(io, m.progress, 10), ""),
            ]
        )
    return term.table(rows, total_width=io.width, flex=2, color=io.color)
