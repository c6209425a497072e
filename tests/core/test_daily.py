"""`zik daily` in core: each day's tasks exactly once, progression over planned days, missed days."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from tests.cli.helpers import dump
from zik.core import milestones, profile, quests, routines
from zik.core import tasks as core_tasks
from zik.core.plan import daily
from zik.models import Milestone, Quest, Task
from zik.store import records

DAY1, DAY2, DAY3, DAY4 = "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"


def at(monkeypatch, day: str, time: str = "10:00:00") -> None:
    monkeypatch.setenv("ZIK_NOW", f"{day}T{time}Z")


def hand_made(conn, name: str, *days: int | None) -> tuple[Quest, list[Milestone]]:
    """A quest with milestones added by hand (the first active), no tasks."""
    quest = quests.create(conn, name, today=date(2026, 11, 25))
    added = [
        milestones.add(conn, quest.goal_id, f"{name} part {n}", days=d)
        for n, d in enumerate(days, start=1)
    ]
    return quest, added


def live_tasks(conn, milestone: Milestone | None = None, due: str | None = None) -> list[Task]:
    sql, params = "SELECT * FROM tasks WHERE deleted_at IS NULL", []
    if milestone is not None:
        sql, params = sql + " AND milestone_id = ?", [*params, milestone.milestone_id]
    if due is not None:
        sql, params = sql + " AND due_date = ?", [*params, due]
    return [Task.from_row(r) for r in conn.execute(sql + " ORDER BY rowid", params)]


def ids(made: list[Task]) -> list[str]:
    return [t.task_id for t in made]


def status(conn, milestone: Milestone) -> str:
    return records.get(conn, Milestone, milestone.milestone_id).status


def complete_all(conn, made: list[Task]) -> None:
    core_tasks.complete(conn, [t.task_id for t in made])


def ai_call_count(conn) -> int:
    return conn.execute("SELECT count(*) FROM ai_calls").fetchone()[0]


# --- exactly once ---------------------------------------------------------------------------------


def test_a_second_run_the_same_day_adds_nothing(conn):
    _, [spanish, _] = hand_made(conn, "Learn Spanish", 5, 10)
    _, [guitar] = hand_made(conn, "Play the guitar", 7)
    routines.add(conn, "Stretch", every="daily")

    first = daily.run(conn)
    assert first.day == date(2026, 11, 25)
    assert [p.reason for p in first.planned] == ["planned", "planned"]
    assert {p.milestone.milestone_id for p in first.planned} == {
        spanish.milestone_id,
        guitar.milestone_id,
    }
    assert [t.task_name for t in first.routine_tasks] == ["Stretch"]
    made = live_tasks(conn, due=DAY1)
    assert first.tasks_made == len(made) > 3
    before = dump(conn)
    calls = ai_call_count(conn)

    second = daily.run(conn)
    assert [p.reason for p in second.planned] == ["already has tasks that day"] * 2
    assert second.tasks_made == 0 and second.routine_tasks == []
    assert ai_call_count(conn) == calls  # nothing asked of the AI either
    assert ids(live_tasks(conn, due=DAY1)) == ids(made)
    [run] = conn.execute("SELECT date, tasks_made FROM daily_runs").fetchall()
    assert tuple(run) == (DAY1, first.tasks_made)
    # Only the record of the run may differ.
    assert [x for x in dump(conn).splitlines() if "daily_runs" not in x] == [
        x for x in before.splitlines() if "daily_runs" not in x
    ]


def test_each_milestone_gets_one_set_named_once(conn):
    _, [first, _] = hand_made(conn, "Learn Spanish", 5, 10)
    daily.run(conn)
    made = live_tasks(conn, first, DAY1)
    assert made
    assert len({t.ai_call_id for t in made}) == 1 and {t.source for t in made} == {"ai"}
    assert max(Counter(t.task_name.casefold() for t in made).values()) == 1


def test_completed_tasks_still_count_as_the_days_tasks(conn):
    _, [first, _] = hand_made(conn, "Learn Spanish", 5, 10)
    daily.run(conn)
    complete_all(conn, live_tasks(conn, first, DAY1))
    again = daily.run(conn)
    assert [p.reason for p in again.planned] == ["already has tasks that day"]
    assert again.tasks_made == 0


def test_deleting_the_days_ai_tasks_does_not_plan_the_day_again(conn):
    _, [first, _] = hand_made(conn, "Learn Spanish", 5, 10)
    daily.run(conn)
    core_tasks.remove(conn, ids(live_tasks(conn, first, DAY1)))
    calls = ai_call_count(conn)
    again = daily.run(conn)
    assert [p.reason for p in again.planned] == ["already has tasks that day"]
    assert again.tasks_made == 0 and ai_call_count(conn) == calls
    assert live_tasks(conn, first, DAY1) == []


def test_planning_tomorrow_ahead_leaves_todays_tasks_alone(conn):
    _, [first, _] = hand_made(conn, "Learn Spanish", 5, 10)
    daily.run(conn)
    today = live_tasks(conn, first, DAY1)
    ahead = daily.run(conn, "tomorrow")
    [planned] = ahead.planned
    assert planned.reason == "planned"
    assert planned.saved.rescheduled == [] and planned.saved.replaced == []
    assert ids(live_tasks(conn, first, DAY1)) == ids(today)
    assert {t.due_date for t in live_tasks(conn, first, DAY1)} == {DAY1}
    assert live_tasks(conn, first, DAY2)


def test_paused_quests_get_no_tasks(conn):
    quest, _ = hand_made(conn, "Learn Spanish", 5, 10)
    quests.set_status(conn, quest.goal_id, "paused")
    report = daily.run(conn)
    assert report.planned == [] and live_tasks(conn) == []
    assert ai_call_count(conn) == 0


def test_the_day_is_the_profiles_local_date(conn, monkeypatch):
    profile.update(conn, timezone="Asia/Tokyo")
    at(monkeypatch, DAY1, "20:00:00")  # 05:00 on the 26th in Tokyo
    _, [first, _] = hand_made(conn, "Learn Spanish", 5, 10)
    report = daily.run(conn)
    assert report.day == date(2026, 11, 26) and report.timezone == "Asia/Tokyo"
    assert live_tasks(conn, first, DAY1) == []
    assert live_tasks(conn, first, DAY2)


def test_an_explicit_date_plans_that_day(conn):
    _, [first, _] = hand_made(conn, "Learn Spanish", 5, 10)
    report = daily.run(conn, "tomorrow")
    assert report.day == date(2026, 11, 26)
    assert live_tasks(conn, first, DAY1) == []
    assert live_tasks(conn, first, DAY2)


# --- progression over the planned days ------------------------------------------------------------


def test_a_two_day_milestone_completes_on_its_last_day_and_the_next_gets_tasks(conn, monkeypatch):
    _, [basics, talk] = hand_made(conn, "Learn Spanish", 2, 3)

    daily.run(conn)
    day1 = live_tasks(conn, basics, DAY1)
    assert day1
    complete_all(conn, day1)
    assert status(conn, basics) == "active"  # its days are not used yet
    assert status(conn, talk) == "locked"

    at(monkeypatch, DAY2)
    report = daily.run(conn)
    assert report.completed == []
    [planned] = report.planned
    assert planned.milestone.milestone_id == basics.milestone_id and planned.reason == "planned"
    day2 = live_tasks(conn, basics, DAY2)
    assert day2 and not set(ids(day2)) & set(ids(day1))
    complete_all(conn, day2[:-1])
    assert status(conn, basics) == "active"  # one task left
    complete_all(conn, day2[-1:])
    assert status(conn, basics) == "completed"
    assert status(conn, talk) == "active"
    assert records.get(conn, Milestone, talk.milestone_id).activated_at == f"{DAY2}T10:00:00.000Z"

    again = daily.run(conn)
    [planned] = again.planned
    assert planned.milestone.milestone_id == talk.milestone_id and planned.reason == "planned"
    assert live_tasks(conn, talk, DAY2)
    assert again.tasks_made == len(live_tasks(conn, talk, DAY2))
    assert ids(live_tasks(conn, basics, DAY2)) == ids(day2)  # nothing more for the finished one


def test_a_milestone_without_a_duration_completes_with_its_last_task(conn):
    profile.update(conn, daily_capacity=300)  # room for a second milestone's day on the same day
    _, [first, second] = hand_made(conn, "Learn Spanish", None, 3)
    daily.run(conn)
    complete_all(conn, live_tasks(conn, first, DAY1))
    assert status(conn, first) == "completed" and status(conn, second) == "active"
    report = daily.run(conn)
    assert [p.milestone.milestone_id for p in report.planned] == [second.milestone_id]
    assert live_tasks(conn, second, DAY1)


def test_daily_completes_a_milestone_past_its_days_and_does_not_back_fill(conn, monkeypatch):
    quest, [basics, talk] = hand_made(conn, "Learn Spanish", 2, 3)
    daily.run(conn)
    complete_all(conn, live_tasks(conn, basics, DAY1))
    assert status(conn, basics) == "active"

    at(monkeypatch, DAY4)  # no run on the 26th and 27th
    report = daily.run(conn)
    assert report.missed_days == [DAY2, DAY3]
    assert [m.milestone_id for m in report.completed] == [basics.milestone_id]
    assert status(conn, basics) == "completed" and status(conn, talk) == "active"
    [planned] = report.planned
    assert planned.milestone.milestone_id == talk.milestone_id and planned.reason == "planned"
    assert live_tasks(conn, due=DAY2) == [] and live_tasks(conn, due=DAY3) == []
    assert live_tasks(conn, talk, DAY4)
    assert records.get(conn, Quest, quest.goal_id).status == "active"

    again = daily.run(conn)
    assert again.missed_days == [] and again.completed == []


def test_a_milestone_past_its_days_with_open_tasks_stays_active(conn, monkeypatch):
    _, [basics, talk] = hand_made(conn, "Learn Spanish", 2, 3)
    daily.run(conn)
    at(monkeypatch, DAY4)
    report = daily.run(conn)
    assert report.completed == []
    assert status(conn, basics) == "active" and status(conn, talk) == "locked"
    [planned] = report.planned
    assert planned.milestone.milestone_id == basics.milestone_id


def test_the_last_milestone_completes_the_quest(conn, monkeypatch):
    profile.update(conn, daily_capacity=300)  # three milestones' days fit in one day
    quest, added = hand_made(conn, "Learn Spanish", 1, 1, 1)
    for milestone in added:  # one-day milestones, each planned and done on the 25th
        report = daily.run(conn)
        assert [p.milestone.milestone_id for p in report.planned] == [milestone.milestone_id]
        complete_all(conn, live_tasks(conn, milestone, DAY1))
        assert status(conn, milestone) == "completed"
    assert records.get(conn, Quest, quest.goal_id).status == "completed"
    at(monkeypatch, DAY2)
    report = daily.run(conn)
    assert report.planned == [] and report.completed == []
    assert live_tasks(conn, due=DAY2) == []


def test_a_milestone_activated_after_the_days_run_is_not_skipped(conn, monkeypatch):
    _, [first, second, third] = hand_made(conn, "Learn Spanish", 1, 1, 5)
    daily.run(conn)
    complete_all(conn, live_tasks(conn, first, DAY1))
    assert status(conn, second) == "active"  # activated on the 25th, after the day's run
    at(monkeypatch, DAY2)
    report = daily.run(conn)
    assert report.completed == []
    assert status(conn, second) == "active" and status(conn, third) == "locked"
    assert live_tasks(conn, second, DAY2)


def milestones_of(conn, quest: Quest) -> list[Milestone]:
    rows = conn.execute(
        "SELECT * FROM milestones WHERE goal_id = ? AND deleted_at IS NULL ORDER BY sequence",
        (quest.goal_id,),
    )
    return [Milestone.from_row(r) for r in rows]


# --- missed tasks and missed days -----------------------------------------------------------------


def test_missed_ai_tasks_are_rescheduled_or_replaced_not_piled_up(conn, monkeypatch):
    quest, [basics, _] = hand_made(conn, "Learn Spanish", 10, 10)
    daily.run(conn)
    day1 = live_tasks(conn, basics, DAY1)
    mine = core_tasks.add(
        conn, "Buy a Spanish dictionary", today=date(2026, 11, 25), quest_ref=quest.goal_id
    )
    assert mine.milestone_id == basics.milestone_id and mine.due_date == DAY1
    done, missed = day1[0], day1[1:]
    assert missed
    complete_all(conn, [done])

    at(monkeypatch, DAY2)
    report = daily.run(conn)
    [planned] = report.planned
    saved = planned.saved
    assert {t.task_id for t in saved.rescheduled} | {t.task_id for t in saved.replaced} == {
        t.task_id for t in missed
    }
    # Nothing the AI made is left open on day 1; the person's own task stays where it was.
    open_day1 = [t for t in live_tasks(conn, basics, DAY1) if t.is_open]
    assert [t.task_id for t in open_day1] == [mine.task_id]
    assert records.get(conn, Task, done.task_id).due_date == DAY1  # done work keeps its day
    for task in saved.replaced:  # let go, not deleted: they stay in history (issue 15)
        kept = records.get(conn, Task, task.task_id)
        assert kept.skipped_at and kept.due_date == DAY1 and kept.deleted_at is None
    day2 = live_tasks(conn, basics, DAY2)
    assert {t.task_id for t in day2} == {t.task_id for t in saved.tasks}
    assert max(Counter(t.task_name.casefold() for t in day2).values()) == 1
    # Day 3 once more: day 2's missed tasks go the same way, day 1 is left alone.
    at(monkeypatch, DAY3)
    daily.run(conn)
    open_ai = [t for t in live_tasks(conn, basics) if t.is_open and t.source == "ai"]
    assert {t.due_date for t in open_ai} == {DAY3}


def test_missed_days_are_reported_up_to_two_weeks(conn, monkeypatch):
    hand_made(conn, "Learn Spanish", 60, 10)
    assert daily.run(conn).missed_days == []  # no earlier run: nothing to report
    at(monkeypatch, "2026-12-25")
    report = daily.run(conn)
    assert len(report.missed_days) == daily.MISSED_SHOWN == 14
    assert report.missed_days[0] == DAY2 and report.missed_days[-1] == "2026-12-09"
    days = {r[0] for r in conn.execute("SELECT DISTINCT due_date FROM tasks")}
    assert days == {DAY1, "2026-12-25"}


def test_running_an_earlier_date_reports_no_missed_days(conn, monkeypatch):
    hand_made(conn, "Learn Spanish", 60, 10)
    at(monkeypatch, DAY3)
    daily.run(conn)
    assert daily.run(conn, DAY1).missed_days == []


# --- dry run --------------------------------------------------------------------------------------


def test_dry_run_changes_nothing_and_calls_no_ai(conn, zik):
    hand_made(conn, "Learn Spanish", 5, 10)
    routines.add(conn, "Stretch", every="daily")
    queued = zik("quest", "new", "Play the guitar", "--target", "+8w", "--no-wait")
    assert queued.code == 0, queued
    before = dump(conn)

    report = daily.run(conn, dry_run=True)
    assert report.dry_run and report.routines_due == 1 and report.jobs_due == 1
    assert [p.reason for p in report.planned] == ["would be planned"]
    assert report.tasks_made == 0 and report.jobs == []
    assert dump(conn) == before
    assert ai_call_count(conn) == 0

    daily.run(conn)
    after = daily.run(conn, dry_run=True)
    assert after.routines_due == 0 and after.jobs_due == 0
    assert {p.reason for p in after.planned} == {"already has tasks that day"}


@pytest.mark.parametrize("bad", ["2026-13-01", "someday"])
def test_a_bad_date_changes_nothing(conn, bad):
    from zik.errors import UsageError

    hand_made(conn, "Learn Spanish", 5, 10)
    before = dump(conn)
    with pytest.raises(UsageError):
        daily.run(conn, bad)
    assert dump(conn) == before
