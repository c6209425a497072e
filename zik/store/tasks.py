"""Task queries. The hot commands (today, task list) read through here with plain sqlite3."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from zik.models import OPEN_TASK_STATUSES, Task

# Spelled out as the partial index tasks_open is, so that SQLite uses it.
_OPEN = "status IN ('pending', 'in-progress') AND skipped_at IS NULL"
_ORDER = (
    "ORDER BY due_date, CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END,"
    " created_at"
)


def _tasks(rows: Iterable[sqlite3.Row]) -> list[Task]:
    return [Task.from_row(r) for r in rows]  # type: ignore[misc]


def due_on(conn: sqlite3.Connection, day: str) -> list[Task]:
    rows = conn.execute(
        f"SELECT * FROM tasks WHERE due_date = ? AND deleted_at IS NULL {_ORDER}", (day,)
    )
    return _tasks(rows)


def overdue(conn: sqlite3.Connection, before: str, limit: int) -> tuple[list[Task], int]:
    """Open tasks due before a date: the first `limit` of them, and how many there are. A
    routine's task is never overdue: it lapses at the end of its day (issue 15)."""
    where = f"{_OPEN} AND due_date < ? AND deleted_at IS NULL AND recurrence_rule_id IS NULL"
    total = conn.execute(f"SELECT count(*) FROM tasks WHERE {where}", (before,)).fetchone()[0]
    rows = conn.execute(
        f"SELECT * FROM tasks WHERE {where} {_ORDER.replace('due_date,', 'due_date DESC,')} LIMIT ?",
        (before, limit),
    )
    return _tasks(rows), total


def list_where(
    conn: sqlite3.Connection,
    *,
    statuses: tuple[str, ...] | None = OPEN_TASK_STATUSES,
    due_from: str | None = None,
    due_to: str | None = None,
    goal_id: str | None = None,
    tag: str | None = None,
    limit: int | None = 50,
) -> tuple[list[Task], int]:
    """Tasks matching the filters in due order: a page of them and the total count."""
    clauses, params = ["deleted_at IS NULL"], []
    if statuses == OPEN_TASK_STATUSES:
        clauses.append(_OPEN)  # spelled out so SQLite can use the partial index tasks_open
    elif statuses == ("skipped",):  # let go: missed, not done, no longer open
        clauses.append("skipped_at IS NOT NULL AND status != 'completed'")
    elif statuses:
        clauses.append(f"status IN ({', '.join('?' * len(statuses))})")
        params += statuses
        if "completed" not in statuses:
            clauses.append("skipped_at IS NULL")
    if due_from:
        clauses.append("due_date >= ?")
        params.append(due_from)
    if due_to:
        clauses.append("due_date <= ?")
        params.append(due_to)
    if goal_id:
        clauses.append("goal_id = ?")
        params.append(goal_id)
    if tag:
        clauses.append("EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ?)")
        params.append(tag)
    where = " AND ".join(clauses)
    total = conn.execute(f"SELECT count(*) FROM tasks WHERE {where}", params).fetchone()[0]
    page = "" if limit is None else f" LIMIT {int(limit)}"
    rows = conn.execute(f"SELECT * FROM tasks WHERE {where} {_ORDER}{page}", params)
    return _tasks(rows), total


def open_in_milestone(conn: sqlite3.Connection, milestone_id: str) -> list[Task]:
    rows = conn.execute(
        f"SELECT * FROM tasks WHERE milestone_id = ? AND {_OPEN} AND deleted_at IS NULL",
        (milestone_id,),
    )
    return _tasks(rows)


def milestone_has_open(conn: sqlite3.Connection, milestone_id: str) -> bool:
    row = conn.execute(
        f"SELECT 1 FROM tasks WHERE milestone_id = ? AND {_OPEN} AND deleted_at IS NULL LIMIT 1",
        (milestone_id,),
    ).fetchone()
    return row is not None


def of_quest(conn: sqlite3.Connection, goal_id: str) -> list[Task]:
    rows = conn.execute("SELECT * FROM tasks WHERE goal_id = ? AND deleted_at IS NULL", (goal_id,))
    return _tasks(rows)


def counts_by_milestone(
    conn: sqlite3.Connection, goal_id: str
) -> dict[str | None, tuple[int, int]]:
    """{milestone_id: (done, total)} for one quest's live tasks."""
    rows = conn.execute(
        "SELECT milestone_id, sum(status = 'completed'), count(*) FROM tasks"
        " WHERE goal_id = ? AND deleted_at IS NULL GROUP BY milestone_id",
        (goal_id,),
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def existing_ids(conn: sqlite3.Connection, ids: list[str]) -> set[str]:
    """Which of these task ids exist at all, tombstones included."""
    if not ids:
        return set()
    marks = ", ".join("?" * len(ids))
    rows = conn.execute(f"SELECT task_id FROM tasks WHERE task_id IN ({marks})", ids)
    return {r[0] for r in rows}


def rules_with_task_on(conn: sqlite3.Connection, day: str, rule_ids: list[str]) -> set[str]:
    """Which of these routines already have a live task on `day`, under any id (a synced
    instance may carry the id the backend gave it). Through the due-date index."""
    if not rule_ids:
        return set()
    marks = ", ".join("?" * len(rule_ids))
    rows = conn.execute(
        "SELECT DISTINCT recurrence_rule_id FROM tasks WHERE due_date = ? AND deleted_at IS NULL"
        f" AND recurrence_rule_id IN ({marks})",
        [day, *rule_ids],
    )
    return {r[0] for r in rows}


def in_milestone_between(
    conn: sqlite3.Connection, milestone_id: str, first: str, last: str
) -> list[Task]:
    """A milestone's live tasks due from `first` to `last` (inclusive), oldest first."""
    rows = conn.execute(
        f"""SELECT * FROM tasks WHERE milestone_id = ? AND due_date BETWEEN ? AND ?
            AND deleted_at IS NULL {_ORDER}""",
        (milestone_id, first, last),
    )
    return _tasks(rows)


def milestone_day_planned(conn: sqlite3.Connection, milestone_id: str, day: str) -> bool:
    """A coach's task of the milestone that day, live or deleted (the day was planned): made
    here, or synced from a device that planned it. The person's own tasks and routine tasks
    never count: they do not make the coach's day (issue 15)."""
    row = conn.execute(
        """SELECT 1 FROM tasks WHERE milestone_id = ? AND due_date = ?
           AND source IN ('ai', 'sync') AND recurrence_rule_id IS NULL LIMIT 1""",
        (milestone_id, day),
    ).fetchone()
    return row is not None


def done_names_in_quest(conn: sqlite3.Connection, goal_id: str, limit: int) -> list[str]:
    """The distinct names of a quest's completed tasks, most recently done first."""
    rows = conn.execute(
        """SELECT task_name FROM tasks WHERE goal_id = ? AND status = 'completed'
           AND deleted_at IS NULL GROUP BY task_name ORDER BY max(completed_at) DESC LIMIT ?""",
        (goal_id, limit),
    )
    return [r[0] for r in rows]


def in_milestone(conn: sqlite3.Connection, milestone_id: str) -> list[Task]:
    """Every live task of a milestone."""
    rows = conn.execute(
        "SELECT * FROM tasks WHERE milestone_id = ? AND deleted_at IS NULL", (milestone_id,)
    )
    return _tasks(rows)


def milestone_has_done(conn: sqlite3.Connection, milestone_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM tasks WHERE milestone_id = ? AND status = 'completed'"
        " AND deleted_at IS NULL LIMIT 1",
        (milestone_id,),
    ).fetchone()
    return row is not None


def lapsed_routine_tasks(conn: sqlite3.Connection, before: str) -> list[Task]:
    """Routine tasks of days before `before` still open: their day is over."""
    rows = conn.execute(
        f"""SELECT * FROM tasks WHERE {_OPEN} AND due_date < ? AND deleted_at IS NULL
            AND recurrence_rule_id IS NOT NULL""",
        (before,),
    )
    return _tasks(rows)


def days_with_tasks(
    conn: sqlite3.Connection, goal_ids: list[str], first: str, before: str
) -> dict[str, int]:
    """Per quest, on how many days from `first` to before `before` it had a task of the coach or
    of the person (routines aside)."""
    if not goal_ids:
        return {}
    marks = ", ".join("?" * len(goal_ids))
    rows = conn.execute(
        f"""SELECT goal_id, count(DISTINCT due_date) FROM tasks
            WHERE due_date >= ? AND due_date < ? AND deleted_at IS NULL
            AND recurrence_rule_id IS NULL AND goal_id IN ({marks}) GROUP BY goal_id""",
        (first, before, *goal_ids),
    )
    return {r[0]: r[1] for r in rows}
