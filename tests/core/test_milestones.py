"""Hand-edited roadmaps: add, edit, move, complete and remove milestones."""

from datetime import date

import pytest

from zik.core import milestones, quests, tasks
from zik.errors import NotFound, UsageError
from zik.models import Milestone, Quest, Task
from zik.store import quests as quest_store
from zik.store import records

TODAY = date(2026, 11, 25)


def order(conn, goal_id):
    """(title, sequence, status) of the live milestones, in roadmap order."""
    return [(m.title, m.sequence, m.status) for m in quest_store.milestones_of(conn, goal_id)]


def assert_invariant(conn, goal_id):
    """The first milestone not completed is active, every later one is locked, sequences are 1..n."""
    roadmap = quest_store.milestones_of(conn, goal_id)
    assert [m.sequence for m in roadmap] == list(range(1, len(roadmap) + 1))
    open_ones = [m.status for m in roadmap if m.status != "completed"]
    if open_ones:
        assert open_ones[0] == "active"
        assert set(open_ones[1:]) <= {"locked"}


def test_the_first_milestone_added_is_active_and_the_next_locked(conn):
    quest = quests.create(conn, "Learn Spanish", today=TODAY)

    first = milestones.add(conn, quest.goal_id, "Basics", days=14, description=" words ")
    second = milestones.add(conn, quest.goal_id, "Grammar")

    assert (first.sequence, first.status) == (1, "active")
    assert first.activated_at == "2026-11-25T10:00:00.000Z"
    assert first.duration_in_days == 14
    assert first.description == "words"
    assert first.milestone_id.startswith("milestone_")
    assert (second.sequence, second.status) == (2, "locked")


def test_add_validates_before_writing(conn):
    quest = quests.create(conn, "Learn Spanish", today=TODAY)
    with pytest.raises(UsageError):
        milestones.add(conn, quest.goal_id, "   ")
    with pytest.raises(UsageError):
        milestones.add(conn, quest.goal_id, "Basics", days=0)
    assert order(conn, quest.goal_id) == []


def test_add_to_an_unknown_quest_is_not_found(conn):
    with pytest.raises(NotFound):
        milestones.add(conn, "abcdef12", "Basics")


def test_add_to_a_completed_quest_reopens_it(conn, roadmap):
    plan = roadmap("Base")
    milestones.complete(conn, plan.milestones[0].milestone_id)
    assert records.get(conn, Quest, plan.quest.goal_id).status == "completed"

    extra = milestones.add(conn, plan.quest.goal_id, "Race week")

    quest = records.get(conn, Quest, plan.quest.goal_id)
    assert quest.status == "active"
    assert quest.completed_at is None
    assert extra.status == "active"
    assert order(conn, plan.quest.goal_id) == [
        ("Base", 1, "completed"),
        ("Race week", 2, "active"),
    ]
    types = [
        r[0]
        for r in conn.execute(
            "SELECT type FROM events WHERE entity = 'quest' AND entity_id = ? ORDER BY id",
            (plan.quest.goal_id,),
        )
    ]
    assert types[-1] == "quest.reopened"


def test_edit_changes_only_what_is_given(conn, roadmap):
    plan = roadmap("Base")
    ref = plan.milestones[0].milestone_id

    edited = milestones.edit(conn, ref, title="Base miles", days=21)

    assert (edited.title, edited.duration_in_days, edited.status) == ("Base miles", 21, "active")
    with pytest.raises(UsageError):
        milestones.edit(conn, ref)


@pytest.mark.parametrize(
    ("moved", "position", "expected"),
    [
        ("C", 1, [("C", 1, "active"), ("A", 2, "locked"), ("B", 3, "locked")]),
        ("A", 3, [("B", 1, "active"), ("C", 2, "locked"), ("A", 3, "locked")]),
        ("B", 1, [("B", 1, "active"), ("A", 2, "locked"), ("C", 3, "locked")]),
        ("B", 2, [("A", 1, "active"), ("B", 2, "locked"), ("C", 3, "locked")]),
    ],
)
def test_move_keeps_the_first_open_milestone_active(conn, roadmap, moved, position, expected):
    plan = roadmap("A", "B", "C")
    by_title = {m.title: m for m in plan.milestones}

    result = milestones.move(conn, by_title[moved].milestone_id, position)

    assert [(m.title, m.sequence, m.status) for m in result] == expected
    assert order(conn, plan.quest.goal_id) == expected


def test_move_around_completed_milestones(conn, roadmap):
    plan = roadmap("A", "B", "C", "D")
    milestones.complete(conn, plan.milestones[0].milestone_id)  # A done, B active

    milestones.move(conn, plan.milestones[3].milestone_id, 1)  # D to the front
    assert order(conn, plan.quest.goal_id) == [
        ("D", 1, "active"),
        ("A", 2, "completed"),
        ("B", 3, "locked"),
        ("C", 4, "locked"),
    ]
    assert_invariant(conn, plan.quest.goal_id)

    milestones.move(conn, plan.milestones[0].milestone_id, 4)  # completed A to the end
    assert order(conn, plan.quest.goal_id) == [
        ("D", 1, "active"),
        ("B", 2, "locked"),
        ("C", 3, "locked"),
        ("A", 4, "completed"),
    ]
    assert_invariant(conn, plan.quest.goal_id)


def test_move_outside_the_roadmap_is_refused_and_changes_nothing(conn, roadmap):
    plan = roadmap("A", "B")
    before = order(conn, plan.quest.goal_id)
    for position in (0, 3):
        with pytest.raises(UsageError, match="between 1 and 2"):
            milestones.move(conn, plan.milestones[0].milestone_id, position)
    assert order(conn, plan.quest.goal_id) == before


def test_remove_renumbers_the_rest(conn, roadmap):
    plan = roadmap("A", "B", "C", "D")

    removed = milestones.remove(conn, plan.milestones[1].milestone_id)

    assert removed.deleted_at == "2026-11-25T10:00:00.000Z"
    assert order(conn, plan.quest.goal_id) == [
        ("A", 1, "active"),
        ("C", 2, "locked"),
        ("D", 3, "locked"),
    ]
    with pytest.raises(NotFound):
        milestones.find(conn, plan.milestones[1].milestone_id)


def test_removing_the_active_milestone_activates_the_next(conn, roadmap):
    plan = roadmap("A", "B", "C")
    milestones.remove(conn, plan.milestones[0].milestone_id)
    assert order(conn, plan.quest.goal_id) == [("B", 1, "active"), ("C", 2, "locked")]


def test_removing_the_last_open_milestone_completes_the_quest(conn, roadmap):
    plan = roadmap("A", "B")
    milestones.complete(conn, plan.milestones[0].milestone_id)
    milestones.remove(conn, plan.milestones[1].milestone_id)
    assert records.get(conn, Quest, plan.quest.goal_id).status == "completed"


def test_remove_deletes_open_tasks_and_keeps_completed_ones(conn, roadmap):
    plan = roadmap("A", "B", tasks_each=2)
    done, still_open = plan.tasks[0]
    tasks.complete(conn, [done.task_id])

    milestones.remove(conn, plan.milestones[0].milestone_id)

    assert records.get(conn, Task, done.task_id).deleted_at is None
    assert records.get(conn, Task, still_open.task_id, with_deleted=True).deleted_at is not None
    # The next milestone's tasks are untouched.
    assert records.get(conn, Task, plan.tasks[1][0].task_id).deleted_at is None


def test_find_accepts_the_short_id_without_prefix(conn, roadmap):
    plan = roadmap("A")
    milestone = plan.milestones[0]
    short = milestone.milestone_id.removeprefix("milestone_")[:8]
    assert milestones.find(conn, short) == milestone
    assert milestones.find(conn, milestone.milestone_id).title == "A"
    assert isinstance(milestones.find(conn, short.upper()), Milestone)
