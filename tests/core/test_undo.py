"""`zik undo`: revert the newest change set a person made, or refuse and change nothing."""

from datetime import date

import pytest

from zik.core import milestones, quests, routines, tasks, undo
from zik.core.changes import change_set
from zik.errors import NotFound, NothingToUndo, UndoConflict
from zik.models import Milestone, Quest, Routine, Task
from zik.store import quests as quest_store
from zik.store import records

TODAY = date(2026, 11, 25)


def table_counts(conn):
    return {
        table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("change_sets", "events", "tasks", "milestones", "quests")
    }


def statuses(conn, goal_id):
    return [m.status for m in quest_store.milestones_of(conn, goal_id)]


def test_nothing_to_undo_on_an_empty_database(conn):
    with pytest.raises(NothingToUndo):
        undo.undo(conn)
    assert table_counts(conn)["change_sets"] == 0


def test_undo_reverts_a_completion_and_the_roadmap_moves_it_caused(conn, roadmap):
    plan = roadmap("Base", "Build", "Taper")
    task = plan.tasks[0][0]
    tasks.complete(conn, [task.task_id])
    assert statuses(conn, plan.quest.goal_id) == ["completed", "active", "locked"]

    result = undo.undo(conn)

    assert result.summary == f"task done {task.task_id}"
    assert statuses(conn, plan.quest.goal_id) == ["active", "locked", "locked"]
    assert records.get(conn, Task, task.task_id).status == "pending"
    assert records.get(conn, Task, task.task_id).completed_at is None
    second = records.get(conn, Milestone, plan.milestones[1].milestone_id)
    assert second.activated_at is None
    assert records.get(conn, Milestone, plan.milestones[0].milestone_id).completed_at is None
    assert sorted((e.type, e.entity_id) for e in result.events) == sorted(
        [
            ("task.reverted", task.task_id),
            ("milestone.reverted", plan.milestones[0].milestone_id),
            ("milestone.reverted", plan.milestones[1].milestone_id),
        ]
    )


def test_undo_reverts_a_completed_quest(conn, roadmap):
    plan = roadmap("Only")
    tasks.complete(conn, [plan.tasks[0][0].task_id])
    assert records.get(conn, Quest, plan.quest.goal_id).status == "completed"

    undo.undo(conn)

    quest = records.get(conn, Quest, plan.quest.goal_id)
    assert (quest.status, quest.completed_at) == ("active", None)
    assert statuses(conn, plan.quest.goal_id) == ["active"]


def test_undo_marks_the_change_set_and_records_itself(conn):
    task = tasks.add(conn, "Stretch", today=TODAY)
    original = conn.execute("SELECT id FROM change_sets").fetchone()[0]

    undo.undo(conn)

    rows = conn.execute("SELECT * FROM change_sets ORDER BY rowid").fetchall()
    assert len(rows) == 2
    undo_row = rows[1]
    assert undo_row["summary"] == f"undo task add {task.task_name}"
    assert undo_row["undoable"] == 0
    assert undo_row["undo_of"] == original
    assert rows[0]["undone_by"] == undo_row["id"]


def test_undo_twice_walks_back_two_change_sets(conn, monkeypatch):
    # The clock moves between commands, as it does for a person (undo stamps a new updated_at).
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:00:00Z")
    task = tasks.add(conn, "Stretch", today=TODAY)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:05:00Z")
    tasks.edit(conn, task.task_id, today=TODAY, title="Stretch 10 minutes")
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:10:00Z")
    tasks.complete(conn, [task.task_id])

    monkeypatch.setenv("ZIK_NOW", "2026-11-25T11:00:00Z")
    assert undo.undo(conn).summary == f"task done {task.task_id}"
    current = records.get(conn, Task, task.task_id)
    assert (current.status, current.task_name) == ("pending", "Stretch 10 minutes")

    monkeypatch.setenv("ZIK_NOW", "2026-11-25T11:01:00Z")
    assert undo.undo(conn).summary == f"task edit {task.task_id}"
    current = records.get(conn, Task, task.task_id)
    assert (current.status, current.task_name) == ("pending", "Stretch")

    monkeypatch.setenv("ZIK_NOW", "2026-11-25T11:02:00Z")
    assert undo.undo(conn).summary == "task add Stretch"
    with pytest.raises(NotFound):
        tasks.find(conn, task.task_id)

    with pytest.raises(NothingToUndo):
        undo.undo(conn)


def test_undo_is_not_itself_undone(conn):
    first = tasks.add(conn, "First", today=TODAY)
    second = tasks.add(conn, "Second", today=TODAY)

    undo.undo(conn)
    undo.undo(conn)  # the second undo goes further back instead of redoing

    for task in (first, second):
        with pytest.raises(NotFound):
            tasks.find(conn, task.task_id)


def test_undo_refuses_when_a_later_change_touched_the_record(conn):
    task = tasks.add(conn, "Stretch", today=TODAY)
    tasks.complete(conn, [task.task_id])
    # A change nobody can undo (as sync will make) renames the task afterwards.
    with change_set(conn, "sync pull", undoable=False) as cs:
        cs.update(records.get(conn, Task, task.task_id), task_name="Stretch (from phone)")
    before = table_counts(conn)

    with pytest.raises(UndoConflict, match=task.task_id[:8]):
        undo.undo(conn)

    assert table_counts(conn) == before
    current = records.get(conn, Task, task.task_id)
    assert (current.status, current.task_name) == ("completed", "Stretch (from phone)")
    assert (
        conn.execute("SELECT count(*) FROM change_sets WHERE undone_by IS NOT NULL").fetchone()[0]
        == 0
    )


def test_a_refused_undo_leaves_the_other_records_alone(conn, roadmap):
    plan = roadmap("Base", "Build")
    task = plan.tasks[0][0]
    tasks.complete(conn, [task.task_id])  # also completes Base and activates Build
    with change_set(conn, "sync pull", undoable=False) as cs:
        cs.update(records.get(conn, Task, task.task_id), priority="high")

    with pytest.raises(UndoConflict):
        undo.undo(conn)

    # The milestones were reverted first (newest change first) and must have been rolled back.
    assert statuses(conn, plan.quest.goal_id) == ["completed", "active"]


def test_undo_of_task_add_tombstones_the_task(conn):
    task = tasks.add(conn, "Stretch", today=TODAY)

    result = undo.undo(conn)

    assert [(e.type, e.entity_id) for e in result.events] == [("task.deleted", task.task_id)]
    with pytest.raises(NotFound):
        tasks.find(conn, task.task_id)
    tombstone = records.get(conn, Task, task.task_id, with_deleted=True)
    assert tombstone.deleted_at == "2026-11-25T10:00:00.000Z"


def test_undo_of_quest_remove_restores_its_roadmap_tasks_and_routines(conn, roadmap):
    plan = roadmap("Base", "Build", tasks_each=2)
    tasks.complete(conn, [plan.tasks[0][0].task_id])
    routine = routines.add(conn, "Stretch", every="daily", quest_ref=plan.quest.goal_id)
    before = {
        "quest": records.get(conn, Quest, plan.quest.goal_id),
        "milestones": quest_store.milestones_of(conn, plan.quest.goal_id),
        "tasks": sorted(t.task_id for row in plan.tasks for t in row),
    }
    quests.remove(conn, plan.quest.goal_id)
    with pytest.raises(NotFound):
        quests.find(conn, plan.quest.goal_id)
    assert quest_store.milestones_of(conn, plan.quest.goal_id) == []

    undo.undo(conn)

    quest = quests.find(conn, plan.quest.goal_id)
    assert quest.deleted_at is None
    assert quest.status == before["quest"].status
    restored = quest_store.milestones_of(conn, plan.quest.goal_id)
    assert [(m.milestone_id, m.sequence, m.status) for m in restored] == [
        (m.milestone_id, m.sequence, m.status) for m in before["milestones"]
    ]
    live_tasks = conn.execute(
        "SELECT task_id, status FROM tasks WHERE goal_id = ? AND deleted_at IS NULL",
        (plan.quest.goal_id,),
    ).fetchall()
    assert sorted(r[0] for r in live_tasks) == before["tasks"]
    assert sorted(r[1] for r in live_tasks) == ["completed", "pending", "pending", "pending"]
    assert routines.find(conn, routine.recurrence_rule_id).deleted_at is None


def test_undo_of_milestone_add_on_a_completed_quest_completes_it_again(conn, roadmap):
    plan = roadmap("Base")
    milestones.complete(conn, plan.milestones[0].milestone_id)
    extra = milestones.add(conn, plan.quest.goal_id, "Race week")

    undo.undo(conn)

    assert records.get(conn, Quest, plan.quest.goal_id).status == "completed"
    assert records.get(conn, Milestone, extra.milestone_id, with_deleted=True).deleted_at


def test_undo_skips_changes_that_are_not_undo_steps(conn):
    task = tasks.add(conn, "Stretch", today=TODAY)
    routine = routines.add(conn, "Walk", every="daily")
    made = routines.materialise(conn, TODAY)  # automatic, not an undo step
    assert len(made) == 1

    assert undo.undo(conn).summary == "routine add Walk"
    assert records.get(conn, Routine, routine.recurrence_rule_id, with_deleted=True).deleted_at
    assert tasks.find(conn, made[0].task_id).deleted_at is None  # the routine's task stays

    assert undo.undo(conn).summary == "task add Stretch"
    with pytest.raises(NotFound):
        tasks.find(conn, task.task_id)
