"""Quests: create, list with progress, show, edit, change status, remove."""

from datetime import date

import pytest

from zik.core import milestones, quests, routines, tasks
from zik.errors import NotFound, UsageError
from zik.models import Milestone, Quest, Routine, Task
from zik.store import records

TODAY = date(2026, 11, 25)


def test_create(conn):
    quest = quests.create(
        conn,
        " Run a half marathon ",
        today=TODAY,
        target="+16w",
        category=" Health ",
        description="sub 2h",
    )

    assert quest.goal_name == "Run a half marathon"
    assert quest.target_date == "2027-03-17"
    assert quest.category == "health"
    assert (quest.status, quest.roadmap_status) == ("active", "none")
    assert quests.find(conn, quest.goal_id[:8]) == quest
    assert quest.to_json()["goalName"] == "Run a half marathon"


def test_create_refuses_a_target_in_the_past(conn):
    with pytest.raises(UsageError, match="past"):
        quests.create(conn, "Run", today=TODAY, target="yesterday")
    assert quests.create(conn, "Run", today=TODAY, target="today").target_date == "2026-11-25"
    assert conn.execute("SELECT count(*) FROM quests").fetchone()[0] == 1


def test_summaries_count_milestones_or_tasks(conn, roadmap):
    plan = roadmap("Base", "Build", "Taper", "Race")
    milestones.complete(conn, plan.milestones[0].milestone_id)
    plain = quests.create(conn, "Read more", today=TODAY)
    a = tasks.add(conn, "Chapter 1", today=TODAY, quest_ref=plain.goal_id)
    tasks.add(conn, "Chapter 2", today=TODAY, quest_ref=plain.goal_id)
    tasks.complete(conn, [a.task_id])

    by_name = {s.quest.goal_name: s for s in quests.summaries(conn)}

    planned = by_name["Run a half marathon"]
    assert (planned.milestones_done, planned.milestones) == (1, 4)
    assert planned.progress == 0.25
    assert planned.active_milestone.title == "Build"
    assert planned.to_json()["progress"]["percent"] == 25
    unplanned = by_name["Read more"]
    assert (unplanned.tasks_done, unplanned.tasks, unplanned.progress) == (1, 2, 0.5)
    assert unplanned.active_milestone is None


def test_summaries_filter_by_status(conn):
    running = quests.create(conn, "Run", today=TODAY)
    reading = quests.create(conn, "Read", today=TODAY)
    quests.set_status(conn, reading.goal_id, "paused")

    assert [s.quest.goal_id for s in quests.summaries(conn)] == [running.goal_id]
    assert [s.quest.goal_id for s in quests.summaries(conn, "paused")] == [reading.goal_id]
    assert len(quests.summaries(conn, "all")) == 2
    with pytest.raises(UsageError):
        quests.summaries(conn, "archived")


def test_detail_gives_progress_per_milestone(conn, roadmap):
    plan = roadmap("Base", "Build", tasks_each=2)
    tasks.complete(conn, [plan.tasks[0][0].task_id])

    detail = quests.detail(conn, plan.quest.goal_id)

    assert [(m.milestone.title, m.tasks_done, m.tasks) for m in detail.roadmap] == [
        ("Base", 1, 2),
        ("Build", 0, 2),
    ]
    assert detail.roadmap[0].progress == 0.5
    assert (detail.summary.tasks_done, detail.summary.tasks) == (1, 4)
    assert len(detail.open_tasks) == 3
    assert detail.to_json()["milestones"][0]["progress"]["percent"] == 50


def test_edit(conn):
    quest = quests.create(conn, "Run", today=TODAY, target="+4w")

    edited = quests.edit(conn, quest.goal_id, today=TODAY, title="Run far", target="none")

    assert (edited.goal_name, edited.target_date) == ("Run far", None)
    with pytest.raises(UsageError):
        quests.edit(conn, quest.goal_id, today=TODAY)


def test_set_status(conn):
    quest = quests.create(conn, "Run", today=TODAY)

    done = quests.set_status(conn, quest.goal_id, "completed")
    assert (done.status, done.completed_at) == ("completed", "2026-11-25T10:00:00.000Z")
    resumed = quests.set_status(conn, quest.goal_id, "active")
    assert (resumed.status, resumed.completed_at) == ("active", None)
    types = [
        r[0]
        for r in conn.execute(
            "SELECT type FROM events WHERE entity_id = ? ORDER BY id", (quest.goal_id,)
        )
    ]
    assert types == ["quest.created", "quest.completed", "quest.resumed"]


def test_remove_tombstones_everything_of_the_quest(conn, roadmap):
    plan = roadmap("Base", "Build")
    other = tasks.add(conn, "Unrelated", today=TODAY)
    routine = routines.add(conn, "Stretch", every="daily", quest_ref=plan.quest.goal_id)

    quests.remove(conn, plan.quest.goal_id)

    with pytest.raises(NotFound):
        quests.find(conn, plan.quest.goal_id)
    assert records.get(conn, Quest, plan.quest.goal_id, with_deleted=True).deleted_at
    for m in plan.milestones:
        assert records.get(conn, Milestone, m.milestone_id, with_deleted=True).deleted_at
    for row in plan.tasks:
        assert records.get(conn, Task, row[0].task_id, with_deleted=True).deleted_at
    assert records.get(conn, Routine, routine.recurrence_rule_id, with_deleted=True).deleted_at
    assert tasks.find(conn, other.task_id).deleted_at is None


@pytest.mark.parametrize(
    ("title", "target"),
    [
        ("Read 24 books this year", "2026-12-31"),
        ("Learn guitar by June", "2027-06-30"),
        ("Lose 10 kg by the end of March 2027", "2027-03-31"),
        ("Ship the app by 2027", "2027-12-31"),
        ("Run a 10k in 3 months", "2027-02-25"),
        ("Save $500 in 6 weeks", "2027-01-06"),
        ("Write a novel in a year", "2027-11-25"),
        ("Learn Spanish", None),
        ("Run 5 km by 2020", None),
    ],
)
def test_a_time_in_the_title_sets_the_target_when_none_is_given(conn, title, target):
    """Issue 16: "Read 24 books this year" used to get a 66-day plan."""
    quest = quests.create(conn, title, today=date(2026, 11, 25))
    assert quest.target_date == target
    given = quests.create(conn, title, today=date(2026, 11, 25), target="2027-02-01")
    assert given.target_date == "2027-02-01"  # a target given wins
