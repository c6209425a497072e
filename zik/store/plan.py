"""The whole live plan, table by table: what the exports (Markdown plan, iCalendar feed) show.

Each reader returns every live record of one table (tombstones skipped) in one fixed order that
ends in `rowid`, so two reads of the same database give the same list. The orders an export shows
(active quests first, a day's tasks by priority) are its own rules, applied in zik/core.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import TypeVar

from zik.models import Milestone, Quest, Record, Routine, Task
from zik.store import records

R = TypeVar("R", bound=Record)


def _live(conn: sqlite3.Connection, cls: type[R], order: str) -> list[R]:
    return list(records.every(conn, cls, order, live_only=True))


def live_quests(conn: sqlite3.Connection) -> list[Quest]:
    """Every live quest, oldest first."""
    return _live(conn, Quest, "created_at, rowid")


def live_milestones(conn: sqlite3.Connection) -> list[Milestone]:
    """Every live milestone, grouped by quest id, each roadmap in sequence order."""
    return _live(conn, Milestone, "goal_id, sequence, rowid")


def live_tasks(conn: sqlite3.Connection) -> list[Task]:
    """Every live task by due date, a day's tasks oldest first."""
    return _live(conn, Task, "due_date, created_at, rowid")


def live_routines(conn: sqlite3.Connection) -> list[Routine]:
    """Every live routine, oldest first."""
    return _live(conn, Routine, "created_at, rowid")


def iter_live_tasks(conn: sqlite3.Connection) -> Iterator[Task]:
    """The tasks of `live_tasks`, in its order, one at a time: an export of many tasks need not
    hold them all (the cursor stays open while the caller reads)."""
    return records.every(conn, Task, "due_date, created_at, rowid", live_only=True)


def routine_task_days(conn: sqlite3.Connection, rule_ids: list[str]) -> dict[str, list[str]]:
    """The days (YYYY-MM-DD) on which each of these routines has a live task, earliest first;
    a routine with none is left out."""
    days: dict[str, list[str]] = {}
    for start in range(0, len(rule_ids), 500):  # well under SQLite's limit on parameters
        chunk = rule_ids[start : start + 500]
        rows = conn.execute(
            "SELECT DISTINCT recurrence_rule_id, due_date FROM tasks WHERE deleted_at IS NULL"
            f" AND recurrence_rule_id IN ({', '.join('?' * len(chunk))})"
            " ORDER BY recurrence_rule_id, due_date",
            chunk,
        )
        for rule_id, day in rows:
            days.setdefault(rule_id, []).append(day)
    return days


# A day's tasks high priority first, then in the order they were made (the planner's order): the
# Markdown plan's checklists, read straight from the database so no list of every task is built.
_CHECKLIST = (
    "due_date, CASE priority WHEN 'high' THEN 0 WHEN 'low' THEN 2 ELSE 1 END, created_at, rowid"
)


def _checklist(conn: sqlite3.Connection, where: str, params: tuple) -> Iterator[Task]:
    sql = f"SELECT * FROM tasks WHERE deleted_at IS NULL AND ({where}) ORDER BY {_CHECKLIST}"
    return (Task.from_row(row) for row in conn.execute(sql, params))


def milestone_checklist(
    conn: sqlite3.Connection, goal_id: str, milestone_id: str
) -> Iterator[Task]:
    """The live tasks of one milestone of a quest, in checklist order."""
    return _checklist(conn, "goal_id = ? AND milestone_id = ?", (goal_id, milestone_id))


def other_checklist(conn: sqlite3.Connection, goal_id: str) -> Iterator[Task]:
    """The live tasks of a quest outside its live roadmap, in checklist order."""
    return _checklist(
        conn,
        "goal_id = ? AND (milestone_id IS NULL OR milestone_id NOT IN"
        " (SELECT milestone_id FROM milestones WHERE goal_id = ? AND deleted_at IS NULL))",
        (goal_id, goal_id),
    )


def loose_checklist(conn: sqlite3.Connection) -> Iterator[Task]:
    """The live tasks of no live quest, in checklist order."""
    return _checklist(
        conn,
        "goal_id IS NULL OR goal_id NOT IN (SELECT goal_id FROM quests WHERE deleted_at IS NULL)",
        (),
    )


def task_counts(conn: sqlite3.Connection) -> dict[tuple[str | None, str | None], tuple[int, int]]:
    """(done, all) live tasks for each (quest id, milestone id) pair, in one query."""
    rows = conn.execute(
        "SELECT goal_id, milestone_id, sum(status = 'completed'), count(*) FROM tasks"
        " WHERE deleted_at IS NULL GROUP BY goal_id, milestone_id"
    )
    return {(goal, milestone): (done, total) for goal, milestone, done, total in rows}
