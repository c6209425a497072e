"""Generic record reads and writes: ids by prefix, tombstones, JSON and boolean columns."""

import pytest

from zik.core import profile as profiles
from zik.core.changes import change_set
from zik.errors import AmbiguousId, NotFound, UsageError
from zik.models import Milestone, Profile, Quest, Routine, Task, short_id
from zik.store import records

QUEST_ID = "0a0a0a0a-0000-4000-8000-000000000000"


def save(conn, *items):
    with change_set(conn, "setup") as cs:
        return [cs.insert(item) for item in items]


def task(task_id, name="Stretch"):
    return Task(task_id=task_id, task_name=name, due_date="2026-11-25")


@pytest.fixture
def three_tasks(conn):
    """Two tasks sharing the prefix 3f2a9c, one apart."""
    return save(
        conn,
        task("3f2a9c1b-1111-4111-8111-111111111111", "Stretch"),
        task("3f2a9c7e-2222-4222-8222-222222222222", "Run"),
        task("b0b0b0b0-3333-4333-8333-333333333333", "Read"),
    )


def test_a_unique_prefix_finds_the_record(conn, three_tasks):
    stretch, run, read = three_tasks
    assert records.find(conn, Task, "3f2a9c1") == stretch
    assert records.find(conn, Task, "3F2A9C7E") == run
    assert records.find(conn, Task, " b ") == read
    assert records.find(conn, Task, read.task_id) == read


def test_an_ambiguous_prefix_lists_the_candidates(conn, three_tasks):
    with pytest.raises(AmbiguousId) as caught:
        records.find(conn, Task, "3f2a")
    error = caught.value
    assert error.exit_code == 2
    assert error.code == "ambiguous_id"
    assert "3f2a9c1b (Stretch)" in error.message
    assert "3f2a9c7e (Run)" in error.message
    assert "b0b0" not in error.message
    assert isinstance(error, UsageError)


def test_candidates_are_shown_long_enough_to_tell_apart(conn):
    save(
        conn,
        task("3f2a9c1b11-11-4111-8111-111111111111"),
        task("3f2a9c1b22-22-4222-8222-222222222222"),
    )
    with pytest.raises(AmbiguousId) as caught:
        records.find(conn, Task, "3f2a9c1b")
    assert "3f2a9c1b11" in caught.value.message
    assert "3f2a9c1b22" in caught.value.message


def test_many_candidates_are_cut_short(conn):
    save(conn, *(task(f"aa{n:06d}-0000-4000-8000-000000000000", f"t{n}") for n in range(8)))
    with pytest.raises(AmbiguousId) as caught:
        records.find(conn, Task, "aa")
    assert caught.value.message.count("(t") == 5
    assert caught.value.message.endswith("…")


def test_an_unknown_id_is_not_found(conn, three_tasks):
    with pytest.raises(NotFound) as caught:
        records.find(conn, Task, "c0ffee")
    assert caught.value.exit_code == 3
    assert caught.value.code == "not_found"


@pytest.mark.parametrize("ref", ["xyz", "3f2a*", "3f2a?", "", "   ", "task-3f2a", "3f2a9c1b 1"])
def test_text_that_is_not_an_id_is_a_usage_error(conn, three_tasks, ref):
    with pytest.raises(UsageError) as caught:
        records.find(conn, Task, ref)
    assert not isinstance(caught.value, AmbiguousId)
    assert caught.value.exit_code == 2


def test_tombstones_are_invisible(conn, three_tasks):
    stretch = three_tasks[0]
    with change_set(conn, "rm") as cs:
        cs.delete(stretch)

    assert records.find(conn, Task, "3f2a") == three_tasks[1]  # no longer ambiguous
    with pytest.raises(NotFound):
        records.find(conn, Task, "3f2a9c1b")
    with pytest.raises(NotFound):
        records.get(conn, Task, stretch.task_id)
    assert records.get(conn, Task, stretch.task_id, with_deleted=True).deleted_at


def test_milestone_ids_accept_the_bare_hex(conn):
    quest, milestone = save(
        conn,
        Quest(goal_id=QUEST_ID, goal_name="Run"),
        Milestone(
            milestone_id="milestone_5e5e5e5e-0000-4000-8000-000000000000",
            goal_id=QUEST_ID,
            sequence=1,
            title="Base",
        ),
    )
    assert records.find(conn, Milestone, "5e5e") == milestone
    assert records.find(conn, Milestone, "milestone_5e5e5e5e") == milestone
    assert records.find(conn, Milestone, milestone.milestone_id) == milestone
    assert short_id(milestone.milestone_id) == "5e5e5e5e"
    # The quest's id does not start with the milestone prefix: no quest is a milestone.
    with pytest.raises(NotFound):
        records.find(conn, Milestone, "0a0a")
    with pytest.raises(NotFound):
        records.find(conn, Quest, "5e5e")


def test_routine_ids_accept_the_bare_hex_and_keep_their_json(conn):
    (routine,) = save(
        conn,
        Routine(
            recurrence_rule_id="rule_7a7a7a7a-0000-4000-8000-000000000000",
            title="Long run",
            frequency="weekly",
            days_of_week=[0, 3],
        ),
    )
    found = records.find(conn, Routine, "7a7a")
    assert found == routine
    assert found.days_of_week == [0, 3]
    raw = conn.execute("SELECT days_of_week FROM routines").fetchone()[0]
    assert raw == "[0, 3]"


def test_update_writes_every_field(conn, three_tasks):
    stretch = three_tasks[0]
    records.update(conn, stretch.replace(task_name="Stretch well", priority="high"))
    again = records.get(conn, Task, stretch.task_id)
    assert (again.task_name, again.priority) == ("Stretch well", "high")
    assert records.get(conn, Task, three_tasks[1].task_id).task_name == "Run"


def test_boolean_and_json_columns_round_trip(conn):
    save(conn, Profile(focus_areas=["health", "work"], onboarding_completed=True))
    profile = profiles.load(conn)
    assert profile.onboarding_completed is True
    assert profile.focus_areas == ["health", "work"]
    row = conn.execute("SELECT onboarding_completed, focus_areas FROM profile").fetchone()
    assert tuple(row) == (1, '["health", "work"]')
