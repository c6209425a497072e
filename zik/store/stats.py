"""The counts behind `zik stats`, added up in SQL over live (not deleted) rows.

Every query takes `goal_id` (None: every quest) and returns plain rows; zik.core.stats turns
them into rates, streaks and weeks. Counting in SQL rather than loading tasks keeps 10,000 tasks
well within the 300 ms budget of bench/run.py.
"""

from __future__ import annotations

import sqlite3
from typing import Any

_COMPLETED = "status = 'completed' AND completed_at IS NOT NULL AND deleted_at IS NULL"


def _scope(goal_id: str | None) -> str:
    return "AND goal_id = :goal" if goal_id else ""


def quests(conn: sqlite3.Connection, goal_id: str | None) -> list[tuple[str, str, str]]:
    """(goal_id, goal_name, status) of the live quests, in `zik quest list` order."""
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT goal_id, goal_name, status FROM quests WHERE deleted_at IS NULL "
            f"{_scope(goal_id)} ORDER BY status = 'completed', created_at",
            {"goal": goal_id},
        )
    ]


def milestones(conn: sqlite3.Connection, goal_id: str | None) -> list[tuple[Any, ...]]:
    """(milestone_id, goal_id, sequence, title, status, duration_in_days, activated_at) of the
    live milestones, by sequence."""
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT milestone_id, goal_id, sequence, title, status, duration_in_days, activated_at"
            " FROM milestones"
            f" WHERE deleted_at IS NULL {_scope(goal_id)} ORDER BY sequence",
            {"goal": goal_id},
        )
    ]


def task_counts(conn: sqlite3.Connection, goal_id: str | None, today: str) -> list[tuple]:
    """Per (goal_id, milestone_id) of the live tasks: (goal_id, milestone_id, tasks, completed,
    due by `today`, of those completed, overdue: due before `today`, not completed, not let go
    (skipped) and not a routine's, which lapses with its day). Skipped tasks stay in the
    counts as planned and not done."""
    return [
        tuple(row)
        for row in conn.execute(
            f"""
            SELECT goal_id, milestone_id,
                   count(*), sum(status = 'completed'),
                   sum(due_date <= :today), sum(due_date <= :today AND status = 'completed'),
                   sum(due_date < :today AND status != 'completed' AND skipped_at IS NULL
                       AND recurrence_rule_id IS NULL)
            FROM tasks WHERE deleted_at IS NULL {_scope(goal_id)}
            GROUP BY goal_id, milestone_id
            """,
            {"today": today, "goal": goal_id},
        )
    ]


def tasks_by_due_date(
    conn: sqlite3.Connection, goal_id: str | None, first: str, last: str
) -> list[tuple[str, int, int]]:
    """(due_date, tasks, completed) of the live tasks due from `first` to `last` inclusive."""
    return [
        tuple(row)
        for row in conn.execute(
            "SELECT due_date, count(*), sum(status = 'completed') FROM tasks"
            " WHERE deleted_at IS NULL AND due_date BETWEEN :first AND :last"
            f" {_scope(goal_id)} GROUP BY due_date",
            {"first": first, "last": last, "goal": goal_id},
        )
    ]


def first_completion(conn: sqlite3.Connection, goal_id: str | None) -> str | None:
    """The earliest `completed_at` of a completed live task (the text as stored), or None."""
    return conn.execute(
        f"SELECT min(completed_at) FROM tasks WHERE {_COMPLETED} {_scope(goal_id)}",
        {"goal": goal_id},
    ).fetchone()[0]


def completions_by_day(
    conn: sqlite3.Connection, goal_id: str | None, periods: list[tuple[str, int]]
) -> list[tuple[str | None, int]]:
    """(local date, completed tasks) per day, each completion shifted by the UTC offset of its
    period. `periods` is [(UTC timestamp the period starts at, offset in minutes)], newest
    first; the last one holds for everything before the others. The date is None for a
    `completed_at` that is not a timestamp."""
    args: dict[str, Any] = {"goal": goal_id}
    shift = f"'{periods[-1][1]:+d} minutes'"
    if len(periods) > 1:
        whens = [
            f"WHEN completed_at >= :since{n} THEN '{minutes:+d} minutes'"
            for n, (_, minutes) in enumerate(periods[:-1])
        ]
        shift = f"CASE {' '.join(whens)} ELSE {shift} END"
        args.update({f"since{n}": since for n, (since, _) in enumerate(periods[:-1])})
    return [
        tuple(row)
        for row in conn.execute(
            f"SELECT date(completed_at, {shift}) AS day, count(*) FROM tasks"
            f" WHERE {_COMPLETED} {_scope(goal_id)} GROUP BY day",
            args,
        )
    ]
