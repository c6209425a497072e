"""How a roadmap moves forward: the first unfinished milestone is active, the rest locked."""

from datetime import date

from zik.core import milestones, quests, tasks
from zik.core.changes import change_set
from zik.core.plan import progression
from zik.models import Milestone, Quest, Task
from zik.store import quests as quest_store
from zik.store import records


def statuses(conn, goal_id):
    return [m.status for m in quest_store.milestones_of(conn, goal_id)]


def quest_status(conn, goal_id):
    return records.get(conn, Quest, goal_id).status


def test_completing_every_task_in_order_completes_the_quest(conn, roadmap):
    plan = roadmap("Base", "Build", "Taper")
    goal = plan.quest.goal_id
    assert statuses(conn, goal) == ["active", "locked", "locked"]

    tasks.complete(conn, [plan.tasks[0][0].task_id])
    assert statuses(conn, goal) == ["completed", "active", "locked"]
    assert quest_status(conn, goal) == "active"

    tasks.complete(conn, [plan.tasks[1][0].task_id])
    assert statuses(conn, goal) == ["completed", "completed", "active"]
    assert quest_status(conn, goal) == "active"

    tasks.complete(conn, [plan.tasks[2][0].task_id])
    assert statuses(conn, goal) == ["completed", "completed", "completed"]
    quest = records.get(conn, Quest, goal)
    assert quest.status == "completed"
    assert quest.completed_at == "2026-11-25T10:00:00.000Z"


def test_milestone_timestamps_follow_the_moves(conn, roadmap):
    plan = roadmap("Base", "Build")
    second = plan.milestones[1]
    assert second.activated_at is None

    tasks.complete(conn, [plan.tasks[0][0].task_id])

    first = records.get(conn, Milestone, plan.milestones[0].milestone_id)
    second = records.get(conn, Milestone, second.milestone_id)
    assert first.completed_at == "2026-11-25T10:00:00.000Z"
    assert second.activated_at == "2026-11-25T10:00:00.000Z"
    assert second.completed_at is None


def test_completing_a_non_last_task_keeps_the_milestone_active(conn, roadmap):
    plan = roadmap("Base", "Build", tasks_each=3)
    first, second, _ = plan.tasks[0]

    outcome = tasks.complete(conn, [first.task_id, second.task_id])

    assert statuses(conn, plan.quest.goal_id) == ["active", "locked"]
    assert [e.type for e in outcome.events] == ["task.completed", "task.completed"]
    assert outcome.follow_ups() == []


def test_the_last_task_reports_the_roadmap_moves_as_follow_ups(conn, roadmap):
    plan = roadmap("Base", "Build", tasks_each=2)
    a, b = plan.tasks[0]

    outcome = tasks.complete(conn, [a.task_id, b.task_id])

    assert [(e.type, e.entity_id) for e in outcome.follow_ups()] == [
        ("milestone.completed", plan.milestones[0].milestone_id),
        ("milestone.activated", plan.milestones[1].milestone_id),
    ]


def test_completing_a_completed_task_again_changes_nothing(conn, roadmap):
    plan = roadmap("Base", "Build")
    task_id = plan.tasks[0][0].task_id
    tasks.complete(conn, [task_id])
    before = conn.execute("SELECT count(*) FROM events").fetchone()[0]

    outcome = tasks.complete(conn, [task_id])

    assert outcome.events == []
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == before
    assert statuses(conn, plan.quest.goal_id) == ["completed", "active"]


def test_a_task_in_a_locked_milestone_does_not_move_the_roadmap(conn, roadmap):
    plan = roadmap("Base", "Build")

    tasks.complete(conn, [plan.tasks[1][0].task_id])

    assert statuses(conn, plan.quest.goal_id) == ["active", "locked"]


def test_a_task_without_a_quest_is_simply_completed(conn):
    task = tasks.add(conn, "Call the dentist", today=date(2026, 11, 25))
    outcome = tasks.complete(conn, [task.task_id])
    assert [e.type for e in outcome.events] == ["task.completed"]
    assert records.get(conn, Task, task.task_id).status == "completed"


def test_completing_a_milestone_by_hand_activates_the_next(conn, roadmap):
    plan = roadmap("Base", "Build", "Taper")

    outcome = milestones.complete(conn, plan.milestones[0].milestone_id)

    assert outcome.items[0].status == "completed"
    assert [e.type for e in outcome.follow_ups()] == ["milestone.activated"]
    assert statuses(conn, plan.quest.goal_id) == ["completed", "active", "locked"]
    # Its open task stays open: finishing a milestone by hand does not tick its tasks.
    assert records.get(conn, Task, plan.tasks[0][0].task_id).status == "pending"


def test_completing_the_last_milestone_by_hand_completes_the_quest(conn, roadmap):
    plan = roadmap("Base", "Build")
    for m in plan.milestones:
        milestones.complete(conn, m.milestone_id)
    assert quest_status(conn, plan.quest.goal_id) == "completed"


def test_completing_a_completed_milestone_is_a_no_op(conn, roadmap):
    plan = roadmap("Base", "Build")
    milestones.complete(conn, plan.milestones[0].milestone_id)
    sets = conn.execute("SELECT count(*) FROM change_sets").fetchone()[0]

    again = milestones.complete(conn, plan.milestones[0].milestone_id)

    assert again.items[0].status == "completed"
    assert again.events == []
    assert conn.execute("SELECT count(*) FROM change_sets").fetchone()[0] == sets


def test_settle_repairs_a_broken_invariant(conn, roadmap):
    plan = roadmap("Base", "Build", "Taper")
    first, second, third = plan.milestones
    with change_set(conn, "damage") as cs:  # e.g. a sync that left two milestones active
        cs.update(first, status="completed")
        cs.update(third, status="active")

    with change_set(conn, "settle") as cs:
        progression.settle(cs, plan.quest.goal_id)
        types = [(e.type, e.entity_id) for e in cs.events]

    assert statuses(conn, plan.quest.goal_id) == ["completed", "active", "locked"]
    assert types == [
        ("milestone.activated", second.milestone_id),
        ("milestone.locked", third.milestone_id),
    ]


def test_settle_leaves_a_quest_without_milestones_alone(conn):
    quest = quests.create(conn, "Read more", today=date(2026, 11, 25))
    with change_set(conn, "settle") as cs:
        progression.settle(cs, quest.goal_id)
        assert cs.events == []
    assert quest_status(conn, quest.goal_id) == "active"
