"""The whole live plan, table by table: what the exports (Markdown plan, iCalendar feed) show.

Each reader returns every live record of one table (tombstones skipped) in one fixed order that
ends in `rowid`, so two reads of the same database give the same list. The orders an export shows
(active quests first, a day's tasks by priority) are its own rules, applied in zik/core.
"""

from __future__ import annotations

import sqlite3
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
