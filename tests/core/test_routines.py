"""Routines: recurrence rules that put a task on matching days, exactly once per day."""

import uuid
from datetime import date, timedelta

import pytest

from zik.core import quests, routines, tasks, undo
from zik.errors import NotFound, UsageError
from zik.models import Routine, Task
from zik.store import records

TODAY = date(2026, 11, 25)  # a Wednesday
# One week, Sunday to Saturday: 2026-11-22 … 2026-11-28.
WEEK = [date(2026, 11, 22) + timedelta(days=n) for n in range(7)]


def rule(frequency, days=None):
    return Routine(
        recurrence_rule_id=f"rule_{uuid.uuid4()}",
        title="Stretch",
        frequency=frequency,
        days_of_week=days,
    )


def count(conn, table):
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_instance_id_is_uuid5_of_rule_and_date():
    rule_id = "rule_6c7d1f0e-0000-4000-8000-000000000001"
    expected = str(uuid.uuid5(routines.ROUTINE_NAMESPACE, f"{rule_id}:2026-11-25"))

    assert routines.instance_id(rule_id, TODAY) == expected
    assert routines.instance_id(rule_id, TODAY) == routines.instance_id(rule_id, date(2026, 11, 25))
    assert routines.instance_id(rule_id, TODAY + timedelta(days=1)) != expected
    assert routines.instance_id(rule_id.replace("1", "2"), TODAY) != expected
    assert uuid.UUID(expected).version == 5


def test_backend_weekday_numbers_sunday_zero():
    assert [routines.backend_weekday(d) for d in WEEK] == [0, 1, 2, 3, 4, 5, 6]
    assert routines.backend_weekday(TODAY) == 3


@pytest.mark.parametrize(
    ("frequency", "days", "expected"),
    [
        ("daily", None, [True] * 7),
        ("weekdays", None, [False, True, True, True, True, True, False]),
        ("weekends", None, [True, False, False, False, False, False, True]),
        ("weekly", [1, 4], [False, True, False, False, True, False, False]),
        # 0 is Sunday (the backend's numbering), never Python's Monday.
        ("weekly", [0], [True, False, False, False, False, False, False]),
        ("weekly", [6], [False, False, False, False, False, False, True]),
        ("weekly", None, [False] * 7),
    ],
)
def test_matches(frequency, days, expected):
    routine = rule(frequency, days)
    assert [routines.matches(routine, d) for d in WEEK] == expected


def test_parse_days_uses_backend_numbers():
    assert routines.parse_days("mon,thu") == [1, 4]
    assert routines.parse_days("Sunday, sat, sun") == [0, 6]
    with pytest.raises(UsageError):
        routines.parse_days("mon,funday")


def test_add_checks_frequency_and_days(conn):
    with pytest.raises(UsageError):
        routines.add(conn, "Stretch", every="hourly")
    with pytest.raises(UsageError):
        routines.add(conn, "Stretch", every="weekly")
    with pytest.raises(UsageError):
        routines.add(conn, "Stretch", every="daily", on="mon")
    assert count(conn, "routines") == 0

    weekly = routines.add(conn, "Long run", every=" Weekly ", on="sun,wed", priority="h")
    assert (weekly.frequency, weekly.days_of_week, weekly.priority) == ("weekly", [0, 3], "high")
    assert routines.find(conn, weekly.recurrence_rule_id).days_of_week == [0, 3]


def test_materialise_creates_the_day_task_once(conn):
    quest = quests.create(conn, "Get flexible", today=TODAY)
    routine = routines.add(
        conn, "Stretch", every="daily", quest_ref=quest.goal_id, estimate=15, priority="low"
    )

    made = routines.materialise(conn, TODAY)

    assert len(made) == 1
    task = made[0]
    assert task.task_id == routines.instance_id(routine.recurrence_rule_id, TODAY)
    assert (task.task_name, task.due_date, task.source) == ("Stretch", "2026-11-25", "routine")
    assert (task.goal_id, task.recurrence_rule_id) == (quest.goal_id, routine.recurrence_rule_id)
    assert (task.estimated_minutes, task.priority) == (15, "low")

    sets, events = count(conn, "change_sets"), count(conn, "events")
    assert routines.materialise(conn, TODAY) == []
    assert (count(conn, "change_sets"), count(conn, "events")) == (sets, events)
    assert count(conn, "tasks") == 1


def test_materialise_only_matching_routines(conn):
    routines.add(conn, "Long run", every="weekly", on="sun")
    routines.add(conn, "Weekday standup", every="weekdays")
    routines.add(conn, "Brunch", every="weekends")

    assert [t.task_name for t in routines.materialise(conn, TODAY)] == ["Weekday standup"]
    sunday = date(2026, 11, 29)
    assert sorted(t.task_name for t in routines.materialise(conn, sunday)) == [
        "Brunch",
        "Long run",
    ]


def test_a_deleted_routine_task_is_not_recreated(conn):
    routines.add(conn, "Stretch", every="daily")
    (task,) = routines.materialise(conn, TODAY)
    tasks.remove(conn, [task.task_id])

    assert routines.materialise(conn, TODAY) == []
    with pytest.raises(NotFound):
        tasks.find(conn, task.task_id)
    assert records.get(conn, Task, task.task_id, with_deleted=True).deleted_at is not None


def test_a_paused_routine_makes_nothing(conn):
    routine = routines.add(conn, "Stretch", every="daily")
    paused = routines.set_status(conn, routine.recurrence_rule_id, "paused")
    assert paused.status == "paused"

    assert routines.materialise(conn, TODAY) == []
    assert count(conn, "tasks") == 0

    routines.set_status(conn, routine.recurrence_rule_id, "active")
    assert len(routines.materialise(conn, TODAY)) == 1


@pytest.mark.parametrize("status", ["paused", "completed"])
def test_routines_of_a_quest_that_is_not_active_make_nothing(conn, status):
    quest = quests.create(conn, "Get flexible", today=TODAY)
    routines.add(conn, "Stretch", every="daily", quest_ref=quest.goal_id)
    routines.add(conn, "Drink water", every="daily")
    quests.set_status(conn, quest.goal_id, status)

    assert [t.task_name for t in routines.materialise(conn, TODAY)] == ["Drink water"]


def test_a_removed_routine_makes_nothing(conn):
    routine = routines.add(conn, "Stretch", every="daily")
    routines.remove(conn, routine.recurrence_rule_id)
    assert routines.materialise(conn, TODAY) == []
    assert routines.list_routines(conn) == []


def test_materialising_is_not_an_undo_step(conn):
    routines.add(conn, "Stretch", every="daily")
    (task,) = routines.materialise(conn, TODAY)

    row = conn.execute("SELECT * FROM change_sets ORDER BY rowid DESC LIMIT 1").fetchone()
    assert row["summary"] == "routine tasks for 2026-11-25"
    assert row["undoable"] == 0

    result = undo.undo(conn)  # goes past the routine tasks, to the routine itself
    assert result.summary == "routine add Stretch"
    assert tasks.find(conn, task.task_id).status == "pending"
