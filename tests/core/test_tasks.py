"""Tasks: add, list with filters, start, reopen, edit and remove."""

from datetime import date

import pytest

from zik.core import milestones, quests, tasks
from zik.errors import NotFound, UsageError
from zik.models import Task
from zik.store import records

TODAY = date(2026, 11, 25)
NOW = "2026-11-25T10:00:00.000Z"


def names(task_list):
    return [t.task_name for t in task_list.tasks]


def test_add_defaults_to_today_and_no_quest(conn):
    task = tasks.add(conn, "  Call the dentist ", today=TODAY)

    assert task.task_name == "Call the dentist"
    assert task.due_date == "2026-11-25"
    assert (task.status, task.priority, task.source) == ("pending", "medium", "user")
    assert (task.goal_id, task.milestone_id) == (None, None)
    assert task.created_at == task.updated_at == NOW
    assert tasks.find(conn, task.task_id) == task


def test_add_reads_the_due_word_against_today(conn):
    assert tasks.add(conn, "a", today=TODAY, due="tomorrow").due_date == "2026-11-26"
    assert tasks.add(conn, "b", today=TODAY, due="+1w").due_date == "2026-12-02"
    assert tasks.add(conn, "c", today=TODAY, due="fri").due_date == "2026-11-27"


def test_add_validates_before_writing(conn):
    with pytest.raises(UsageError):
        tasks.add(conn, "", today=TODAY)
    with pytest.raises(UsageError):
        tasks.add(conn, "x", today=TODAY, due="someday")
    with pytest.raises(UsageError):
        tasks.add(conn, "x", today=TODAY, priority="urgent")
    with pytest.raises(UsageError):
        tasks.add(conn, "x", today=TODAY, estimate=0)
    with pytest.raises(NotFound):
        tasks.add(conn, "x", today=TODAY, quest_ref="abcdef12")
    assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0


def test_add_to_a_quest_joins_its_active_milestone(conn, roadmap):
    plan = roadmap("Base", "Build")

    first = tasks.add(conn, "Easy 5k", today=TODAY, quest_ref=plan.quest.goal_id[:8])
    assert (first.goal_id, first.milestone_id) == (
        plan.quest.goal_id,
        plan.milestones[0].milestone_id,
    )

    milestones.complete(conn, plan.milestones[0].milestone_id)
    second = tasks.add(conn, "Tempo run", today=TODAY, quest_ref=plan.quest.goal_id)
    assert second.milestone_id == plan.milestones[1].milestone_id


def test_add_to_a_quest_without_a_roadmap(conn):
    quest = quests.create(conn, "Read more", today=TODAY)
    task = tasks.add(conn, "Chapter 1", today=TODAY, quest_ref=quest.goal_id)
    assert (task.goal_id, task.milestone_id) == (quest.goal_id, None)


@pytest.fixture
def agenda(conn):
    """Tasks spread around today: {name: Task}."""
    quest = quests.create(conn, "Read more", today=TODAY)
    made = {
        "late": tasks.add(conn, "late", today=TODAY, due="yesterday"),
        "late done": tasks.add(conn, "late done", today=TODAY, due="-2d"),
        "today low": tasks.add(conn, "today low", today=TODAY, priority="low"),
        "today high": tasks.add(conn, "today high", today=TODAY, priority="high"),
        "tomorrow": tasks.add(conn, "tomorrow", today=TODAY, due="tomorrow"),
        "in 6 days": tasks.add(conn, "in 6 days", today=TODAY, due="+6d", quest_ref=quest.goal_id),
        "in 7 days": tasks.add(conn, "in 7 days", today=TODAY, due="+7d"),
        "in 10 days": tasks.add(conn, "in 10 days", today=TODAY, due="2026-12-05"),
    }
    tasks.complete(conn, [made["late done"].task_id])
    made["quest"] = quest
    return made


def test_list_defaults_to_open_tasks_in_due_order(conn, agenda):
    listed = tasks.list_tasks(conn, today=TODAY)
    assert names(listed) == [
        "late",
        "today high",
        "today low",
        "tomorrow",
        "in 6 days",
        "in 7 days",
        "in 10 days",
    ]
    assert listed.total == 7


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("today", ["today high", "today low"]),
        ("tomorrow", ["tomorrow"]),
        ("overdue", ["late"]),
        ("week", ["today high", "today low", "tomorrow", "in 6 days"]),
        ("2026-12-05", ["in 10 days"]),
        ("+7d", ["in 7 days"]),
    ],
)
def test_list_by_due(conn, agenda, due, expected):
    listed = tasks.list_tasks(conn, today=TODAY, due=due)
    assert names(listed) == expected
    assert listed.total == len(expected)


def test_overdue_never_lists_completed_tasks(conn, agenda):
    assert names(tasks.list_tasks(conn, today=TODAY, due="overdue", status="all")) == ["late"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("completed", ["late done"]),
        ("in-progress", ["tomorrow"]),
        ("pending", ["late", "today high", "today low", "in 6 days", "in 7 days", "in 10 days"]),
    ],
)
def test_list_by_status(conn, agenda, status, expected):
    tasks.start(conn, [agenda["tomorrow"].task_id])
    assert names(tasks.list_tasks(conn, today=TODAY, status=status)) == expected


def test_list_all_statuses(conn, agenda):
    assert tasks.list_tasks(conn, today=TODAY, status="all").total == 8


def test_list_by_quest_includes_the_quest(conn, agenda):
    quest = agenda["quest"]
    listed = tasks.list_tasks(conn, today=TODAY, quest_ref=quest.goal_id[:8])
    assert names(listed) == ["in 6 days"]
    assert list(listed.quests) == [quest.goal_id]


def test_list_limit_pages_but_counts_everything(conn, agenda):
    listed = tasks.list_tasks(conn, today=TODAY, limit=2)
    assert names(listed) == ["late", "today high"]
    assert listed.total == 7
    assert len(tasks.list_tasks(conn, today=TODAY, limit=0).tasks) == 7  # 0: no limit


def test_list_refuses_bad_filters(conn):
    with pytest.raises(UsageError):
        tasks.list_tasks(conn, today=TODAY, status="done")
    with pytest.raises(UsageError):
        tasks.list_tasks(conn, today=TODAY, due="whenever")
    with pytest.raises(UsageError):
        tasks.list_tasks(conn, today=TODAY, limit=-1)


def test_start_and_reopen(conn):
    task = tasks.add(conn, "Stretch", today=TODAY)

    started = tasks.start(conn, [task.task_id]).items[0]
    assert (started.status, started.started_at) == ("in-progress", NOW)

    tasks.complete(conn, [task.task_id])
    with pytest.raises(UsageError, match="reopen"):
        tasks.start(conn, [task.task_id])

    reopened = tasks.reopen(conn, [task.task_id]).items[0]
    assert (reopened.status, reopened.completed_at) == ("pending", None)
    assert records.get(conn, Task, task.task_id).status == "pending"


def test_acting_on_several_tasks_is_one_change_set(conn):
    a = tasks.add(conn, "a", today=TODAY)
    b = tasks.add(conn, "b", today=TODAY)
    sets = conn.execute("SELECT count(*) FROM change_sets").fetchone()[0]

    outcome = tasks.complete(conn, [a.task_id, b.task_id[:8], a.task_id])

    assert [t.status for t in outcome.items] == ["completed", "completed"]
    assert conn.execute("SELECT count(*) FROM change_sets").fetchone()[0] == sets + 1


def test_an_unknown_id_among_several_changes_nothing(conn):
    a = tasks.add(conn, "a", today=TODAY)
    with pytest.raises(NotFound):
        tasks.complete(conn, [a.task_id, "ffffffff"])
    assert tasks.find(conn, a.task_id).status == "pending"
    with pytest.raises(UsageError):
        tasks.complete(conn, [])


def test_edit(conn, roadmap):
    plan = roadmap("Base")
    task = tasks.add(conn, "Stretch", today=TODAY)

    edited = tasks.edit(
        conn,
        task.task_id,
        today=TODAY,
        title="Stretch well",
        due="tomorrow",
        priority="h",
        description="hips and calves",
        estimate=20,
        quest_ref=plan.quest.goal_id,
    )

    assert edited.task_name == "Stretch well"
    assert edited.due_date == "2026-11-26"
    assert edited.priority == "high"
    assert edited.description == "hips and calves"
    assert edited.estimated_minutes == 20
    assert (edited.goal_id, edited.milestone_id) == (
        plan.quest.goal_id,
        plan.milestones[0].milestone_id,
    )
    assert tasks.find(conn, task.task_id) == edited

    detached = tasks.edit(conn, task.task_id, today=TODAY, quest_ref="none")
    assert (detached.goal_id, detached.milestone_id) == (None, None)


def test_edit_with_nothing_to_change_is_refused(conn):
    task = tasks.add(conn, "Stretch", today=TODAY)
    with pytest.raises(UsageError, match="nothing to change"):
        tasks.edit(conn, task.task_id, today=TODAY)


def test_remove_leaves_a_tombstone(conn):
    task = tasks.add(conn, "Stretch", today=TODAY)

    outcome = tasks.remove(conn, [task.task_id])

    assert [e.type for e in outcome.events] == ["task.deleted"]
    with pytest.raises(NotFound):
        tasks.find(conn, task.task_id)
    with pytest.raises(NotFound):
        records.get(conn, Task, task.task_id)
    assert records.get(conn, Task, task.task_id, with_deleted=True).deleted_at == NOW
    assert tasks.list_tasks(conn, today=TODAY, status="all").total == 0


def test_one_task_named_twice_is_acted_on_once(conn):
    task = tasks.add(conn, "Stretch", today=TODAY)

    outcome = tasks.complete(conn, [task.task_id[:6], task.task_id])

    assert [t.task_id for t in outcome.items] == [task.task_id]
    assert [e.type for e in outcome.events] == ["task.completed"]
