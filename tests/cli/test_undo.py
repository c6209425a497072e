"""`zik undo`: each command is one step; undo reverts the newest and refuses when it cannot."""

from __future__ import annotations

from tests.cli.helpers import assert_one_line_error, dump


def short(milestone_id: str) -> str:
    return milestone_id.removeprefix("milestone_")[:8]


def state(zik, goal_id: str) -> dict:
    data = zik("--json", "quest", "show", goal_id[:8]).data
    tasks = zik("--json", "task", "list", "--status", "all", "--quest", goal_id[:8]).data
    return {
        "quest": data["status"],
        "milestones": [(m["title"], m["status"]) for m in data["milestones"]],
        "tasks": sorted((t["taskName"], t["status"]) for t in tasks),
    }


def test_undo_reverts_a_task_done_that_moved_the_roadmap(zik):
    goal_id = zik("--json", "quest", "new", "Learn Spanish", "--no-plan").data["goalId"]
    zik("milestone", "add", goal_id[:8], "Basics")
    zik("milestone", "add", goal_id[:8], "Conversation")
    task = zik("--json", "task", "add", "Words", "--quest", goal_id[:8]).data["taskId"]
    before = state(zik, goal_id)

    done = zik("task", "done", task[:8])
    assert "✓ Milestone completed: Basics" in done.err.splitlines()
    assert "✓ Next milestone: Conversation" in done.err.splitlines()
    assert state(zik, goal_id)["milestones"] == [
        ("Basics", "completed"),
        ("Conversation", "active"),
    ]

    result = zik("undo")
    assert result.code == 0
    assert f"Undid: task done {task[:8]}" in result.err
    assert "3 change(s) reverted" in result.err
    assert state(zik, goal_id) == before
    assert before["milestones"] == [("Basics", "active"), ("Conversation", "locked")]
    assert before["tasks"] == [("Words", "pending")]


def test_undo_of_the_last_milestone_reopens_the_quest(zik):
    goal_id = zik("--json", "quest", "new", "Q", "--no-plan").data["goalId"]
    zik("milestone", "add", goal_id[:8], "Only")
    task = zik("--json", "task", "add", "Do it", "--quest", goal_id[:8]).data["taskId"]
    zik("task", "done", task[:8])
    assert state(zik, goal_id)["quest"] == "completed"
    zik("undo")
    assert state(zik, goal_id) == {
        "quest": "active",
        "milestones": [("Only", "active")],
        "tasks": [("Do it", "pending")],
    }


def test_undo_steps_back_one_command_at_a_time(zik):
    task = zik("--json", "task", "add", "x").data["taskId"]
    zik("task", "edit", task[:8], "--title", "y")
    zik("task", "done", task[:8])

    def current():
        return [
            (t["taskName"], t["status"])
            for t in zik("--json", "task", "list", "--status", "all").data
        ]

    assert zik("--json", "undo").data["undone"].startswith("task done")
    assert current() == [("y", "pending")]
    assert zik("--json", "undo").data["undone"].startswith("task edit")
    assert current() == [("x", "pending")]
    assert zik("--json", "undo").data["undone"].startswith("task add")
    assert current() == []


def test_undo_brings_back_a_removed_quest(zik):
    goal_id = zik("--json", "quest", "new", "Learn Spanish", "--no-plan").data["goalId"]
    zik("milestone", "add", goal_id[:8], "Basics")
    zik("task", "add", "Words", "--quest", goal_id[:8])
    zik("routine", "add", "Flashcards", "--every", "daily", "--quest", goal_id[:8])
    before = state(zik, goal_id)
    zik("quest", "rm", goal_id[:8])
    assert zik("quest", "show", goal_id[:8]).code == 3
    assert zik("undo").code == 0
    assert state(zik, goal_id) == before
    assert [r["title"] for r in zik("--json", "routine", "list").data] == ["Flashcards"]


def test_undo_brings_back_removed_tasks(zik):
    a = zik("--json", "task", "add", "a").data["taskId"]
    b = zik("--json", "task", "add", "b").data["taskId"]
    zik("task", "rm", a[:8], b[:8])
    assert zik("--json", "task", "list").data == []
    data = zik("--json", "undo").data
    assert {e["id"] for e in data["events"]} == {a, b}
    assert {t["taskId"] for t in zik("--json", "task", "list").data} == {a, b}


def test_nothing_to_undo(zik, conn):
    before = dump(conn)
    line = assert_one_line_error(zik("undo"), 1)
    assert "nothing to undo" in line
    assert dump(conn) == before


def test_everything_undone_then_nothing_left(zik):
    zik("task", "add", "x")
    assert zik("undo").code == 0
    assert zik("undo").code == 1


def test_undo_skips_routine_tasks_made_by_today(zik):
    """Routine tasks appear by themselves; undo reverts the person's last command instead."""
    zik("routine", "add", "Stretch", "--every", "daily")
    zik("today")
    data = zik("--json", "undo").data
    assert data["undone"].startswith("routine add")
    assert zik("--json", "routine", "list").data == []
