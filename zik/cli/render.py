"""Pieces of human output shared by several command groups."""

from __future__ import annotations

from datetime import date

from zik.cli import term
from zik.cli.io import IO
from zik.core.changes import Outcome
from zik.models import Milestone, Task, short_id

TASK_MARKS = {
    "pending": ("○", ""),
    "in-progress": ("◐", "yellow"),
    "completed": ("✓", "green"),
    "skipped": ("–", "dim"),  # missed and let go: history, not work
}
MILESTONE_MARKS = {
    "completed": ("✓", "green"),
    "active": ("▶", "cyan bold"),
    "locked": ("·", "dim"),
}
PRIORITY_STYLES = {"high": "red", "medium": "", "low": "dim"}


HEALTH_STYLES = {"on_track": "green", "behind": "yellow", "stalled": "red"}  # plan health


def task_rows(
    tasks: list[Task],
    *,
    show_due: bool = False,
    quests: dict | None = None,
    today: date | None = None,
) -> list[list[tuple[str, str]]]:
    rows = []
    tagged = any(t.tags for t in tasks)  # a column for tags only when some task has them
    for t in tasks:
        mark, style = TASK_MARKS[t.shown_status]
        done = t.shown_status in ("completed", "skipped")
        row = [
            (mark, style),
            (short_id(t.task_id), "dim"),
            (t.task_name + (" ↻" if t.recurrence_rule_id else ""), "dim strike" if done else ""),
            (t.priority, PRIORITY_STYLES[t.priority]),
        ]
        if tagged:
            row.insert(3, (" ".join(f"#{tag}" for tag in t.tags), "dim"))
        if show_due:
            late = today is not None and t.due_date < today.isoformat() and not done
            row.append((t.due_date, "red" if late else ""))
        if quests is not None:
            quest = quests.get(t.goal_id)
            row.append((quest.goal_name if quest else "", "cyan"))
        row.append((f"{t.estimated_minutes}m" if t.estimated_minutes else "", "dim"))
        rows.append(row)
    return rows


def print_tasks(io: IO, tasks: list[Task], *, indent: int = 2, **options) -> None:
    for line in term.table(
        task_rows(tasks, **options), total_width=io.width, flex=2, indent=indent, color=io.color
    ):
        io.print(line)


def milestone_label(m: Milestone, total: int) -> str:
    return f"Milestone {m.sequence}/{total}: {m.title}"


def percent_bar(io: IO, fraction: float, cells: int = 16) -> str:
    return io.paint(term.bar(fraction, cells), "green") + f" {round(fraction * 100):3d}%"


FOLLOW_UP_MESSAGES = {
    "milestone.completed": "Milestone completed: {title}",
    "milestone.activated": "Next milestone: {title}",
    "quest.completed": "Quest completed: {goal_name} 🎉",
}


def render_follow_ups(outcome: Outcome, io: IO) -> None:
    """Say how the roadmap moved because of a change (a milestone done, the next one active…)."""
    for event in outcome.follow_ups():
        message = FOLLOW_UP_MESSAGES.get(event.type)
        if message and event.after:
            io.success(message.format(**event.after))
