"""Quest and milestone queries."""

from __future__ import annotations

import sqlite3

from zik.models import Milestone, Quest


def list_where(conn: sqlite3.Connection, statuses: tuple[str, ...] | None) -> list[Quest]:
    where, params = "deleted_at IS NULL", []
    if statuses:
        where += f" AND status IN ({', '.join('?' * len(statuses))})"
        params += statuses
    rows = conn.execute(
        f"SELECT * FROM quests WHERE {where} ORDER BY status = 'completed', created_at", params
    )
    return [Quest.from_row(r) for r in rows]  # type: ignore[misc]


def progress(conn: sqlite3.Connection, goal_ids: list[str]) -> dict[str, dict[str, int | None]]:
    """Completion counts per quest: milestones for quests with a roadmap, tasks for the others.

    Task counts are read only for quests without milestones (None for the others), so listing
    quests stays flat as the task history grows; a roadmap's progress is its milestones.
    """
    out = {
        g: {"milestones_done": 0, "milestones": 0, "tasks_done": 0, "tasks": 0} for g in goal_ids
    }
    if not goal_ids:
        return out
    marks = ", ".join("?" * len(goal_ids))
    for goal_id, done, total in conn.execute(
        "SELECT goal_id, sum(status = 'completed'), count(*) FROM milestones"
        f" WHERE goal_id IN ({marks}) AND deleted_at IS NULL GROUP BY goal_id",
        goal_ids,
    ):
        out[goal_id].update(milestones_done=done, milestones=total)
    unplanned = [g for g in goal_ids if not out[g]["milestones"]]
    for goal_id in goal_ids:
        if out[goal_id]["milestones"]:
            out[goal_id].update(tasks_done=None, tasks=None)
    marks = ", ".join("?" * len(unplanned))
    for goal_id, done, total in conn.execute(
        "SELECT goal_id, sum(status = 'completed'), count(*) FROM tasks"
        f" WHERE goal_id IN ({marks}) AND deleted_at IS NULL GROUP BY goal_id",
        unplanned,
    ):
        out[goal_id].update(tasks_done=done, tasks=total)
    return out


def milestones_of(conn: sqlite3.Connection, goal_id: str) -> list[Milestone]:
    rows = conn.execute(
        "SELECT * FROM milestones WHERE goal_id = ? AND deleted_at IS NULL ORDER BY sequence",
        (goal_id,),
    )
    return [Milestone.from_row(r) for r in rows]  # type: ignore[misc]


def active_milestones(conn: sqlite3.Connection, goal_ids: list[str]) -> dict[str, Milestone]:
    if not goal_ids:
        return {}
    marks = ", ".join("?" * len(goal_ids))
    rows = conn.execute(
        f"SELECT * FROM milestones WHERE goal_id IN ({marks}) AND status = 'active'"
        " AND deleted_at IS NULL ORDER BY sequence",
        goal_ids,
    )
    out: dict[str, Milestone] = {}
    for r in rows:
        out.setdefault(r["goal_id"], Milestone.from_row(r))  # type: ignore[arg-type]
    return out


def by_ids(conn: sqlite3.Connection, goal_ids: list[str]) -> dict[str, Quest]:
    if not goal_ids:
        return {}
    marks = ", ".join("?" * len(goal_ids))
    rows = conn.execute(f"SELECT * FROM quests WHERE goal_id IN ({marks})", goal_ids)
    return {r["goal_id"]: Quest.from_row(r) for r in rows}  # type: ignore[misc]


def milestones_by_quest(
    conn: sqlite3.Connection, goal_ids: list[str]
) -> dict[str, list[Milestone]]:
    """The live milestones of these quests, by quest, in sequence order."""
    out: dict[str, list[Milestone]] = {}
    if not goal_ids:
        return out
    marks = ", ".join("?" * len(goal_ids))
    for row in conn.execute(
        f"SELECT * FROM milestones WHERE goal_id IN ({marks}) AND deleted_at IS NULL"
        " ORDER BY goal_id, sequence",
        goal_ids,
    ):
        milestone = Milestone.from_row(row)
        out.setdefault(milestone.goal_id, []).append(milestone)
    return out


def recent_pace(
    conn: sqlite3.Connection, goal_ids: list[str], first: str, today: str, since: str
) -> dict[str, tuple[int, int, int]]:
    """Per quest, over its tasks due from `first` to `today` (the coach's, the person's and the
    routines'): (planned before today, of those completed, completed at or after the instant
    `since`). Read through the due-date index: the cost is the window's, not the history's."""
    if not goal_ids:
        return {}
    named = ", ".join(f":{n}" for n in range(len(goal_ids)))
    rows = conn.execute(
        f"""SELECT goal_id, sum(due_date < :today), sum(due_date < :today AND status = 'completed'),
                   sum(status = 'completed' AND completed_at >= :since)
            FROM tasks WHERE due_date BETWEEN :first AND :today AND deleted_at IS NULL
            AND goal_id IN ({named}) GROUP BY goal_id""",
        {
            "today": today,
            "first": first,
            "since": since,
            **{str(n): g for n, g in enumerate(goal_ids)},
        },
    )
    return {r[0]: (r[1], r[2], r[3]) for r in rows}
