"""Shared helpers for the CLI tests: database snapshots, error checks and a small world."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass


def dump(conn: sqlite3.Connection) -> str:
    """Every table's rows (events and change sets included), to compare before and after."""
    return "\n".join(conn.iterdump())


def assert_one_line_error(result, code: int) -> str:
    """A failed command: the exit code, nothing on stdout, one error line on stderr."""
    assert result.code == code, result
    assert result.out == "", result
    assert "Traceback" not in result.err, result
    lines = result.err.splitlines()
    assert len(lines) == 1, result
    assert lines[0].strip(), result
    return lines[0]


def assert_json_document(result) -> object:
    """stdout holds exactly one {"schema_version": 1, "data": …} document, stderr nothing."""
    assert result.code == 0, result
    assert result.err == "", result
    assert result.out.endswith("\n"), result
    assert result.out.count("\n") == 1, result
    document = json.loads(result.out)
    assert set(document) == {"schema_version", "data"}, document
    assert document["schema_version"] == 1
    return document["data"]


def assert_json_error(result, code: int, error_code: str) -> dict:
    """A --json failure: empty stdout, one JSON error document on stderr."""
    assert result.code == code, result
    assert result.out == "", result
    assert result.err.count("\n") == 1 and result.err.endswith("\n"), result
    document = json.loads(result.err)
    assert set(document) == {"schema_version", "error"}, document
    assert document["schema_version"] == 1
    error = document["error"]
    assert set(error) == {"code", "message", "hint"}, error
    assert error["code"] == error_code, error
    assert isinstance(error["message"], str) and error["message"], error
    return error


@dataclass
class World:
    """A quest with two milestones, a task under the first, and a weekly routine."""

    quest: str
    milestone1: str
    milestone2: str
    task: str
    routine: str

    @property
    def q(self) -> str:
        return self.quest[:8]

    @property
    def t(self) -> str:
        return self.task[:8]

    @property
    def m1(self) -> str:
        return self.milestone1.removeprefix("milestone_")[:8]

    @property
    def m2(self) -> str:
        return self.milestone2.removeprefix("milestone_")[:8]

    @property
    def r(self) -> str:
        return self.routine.removeprefix("rule_")[:8]


def make_world(zik) -> World:
    quest = zik("--json", "quest", "new", "Learn Spanish", "--target", "2027-06-01", "--no-plan")
    goal_id = quest.data["goalId"]
    first = zik("--json", "milestone", "add", goal_id[:8], "Basics", "--days", "1").data
    second = zik("--json", "milestone", "add", goal_id[:8], "Conversation", "--days", "60").data
    task = zik("--json", "task", "add", "Learn 20 words", "--quest", goal_id[:8]).data
    routine = zik(
        "--json", "routine", "add", "Flashcards", "--every", "weekly", "--on", "mon,thu"
    ).data
    return World(
        goal_id,
        first["milestoneId"],
        second["milestoneId"],
        task["taskId"],
        routine["recurrenceRuleId"],
    )


def insert_tasks(conn: sqlite3.Connection, *task_ids: str) -> None:
    """Save tasks with chosen ids straight through the store (to make prefixes collide)."""
    from zik.models import Task
    from zik.store import records
    from zik.store.db import atomic

    with atomic(conn):
        for n, task_id in enumerate(task_ids, start=1):
            records.insert(
                conn,
                Task(
                    task_id=task_id,
                    task_name=f"Chosen {n}",
                    due_date="2026-11-25",
                    created_at="2026-11-25T09:00:00.000Z",
                    updated_at="2026-11-25T09:00:00.000Z",
                ),
            )
