"""zik.core.stats: rates, streaks in the user's timezone, weeks, and progress per quest."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from zik.core import profile, quests, stats, tasks
from zik.errors import NotFound, UsageError
from zik.models import Task
from zik.store import records
from zik.store.db import atomic

# The frozen clock (conftest): Wednesday 2026-11-25 10:00 UTC; the profile's timezone is UTC.
TODAY = date(2026, 11, 25)


def day(n: int) -> date:
    """A date in November 2026."""
    return date(2026, 11, n)


@pytest.fixture
def add(conn):
    """Save a task straight through the store: add("2026-11-24", done_at="2026-11-24T09:00")."""

    def save(
        due: str,
        *,
        done_at: str | None = None,
        status: str | None = None,
        deleted: bool = False,
        goal_id: str | None = None,
        milestone_id: str | None = None,
    ) -> Task:
        task = Task(
            task_id=str(uuid.uuid4()),
            task_name=f"Task due {due}",
            due_date=due,
            status=status or ("completed" if done_at else "pending"),
            completed_at=f"{done_at}:00.000Z" if done_at else None,
            goal_id=goal_id,
            milestone_id=milestone_id,
            created_at="2026-11-01T08:00:00.000Z",
            updated_at="2026-11-01T08:00:00.000Z",
            deleted_at="2026-11-25T09:00:00.000Z" if deleted else None,
        )
        with atomic(conn):
            records.insert(conn, task)
        return task

    return save


def test_completion_rate_counts_tasks_due_up_to_today(conn, add):
    add("2026-11-24", done_at="2026-11-24T09:00")
    add("2026-11-24")  # overdue
    add("2026-11-20", status="in-progress")  # overdue too
    add("2026-11-25", done_at="2026-11-25T08:00")
    add("2026-11-25")  # due today: not overdue yet
    add("2026-11-26", done_at="2026-11-25T09:00")  # not due yet: not in the rate

    completion = stats.collect(conn).completion

    assert (completion.due, completion.completed, completion.overdue) == (5, 2, 2)
    assert completion.rate == pytest.approx(0.4)
    assert completion.to_json() == {
        "due": 5,
        "completed": 2,
        "rate": 0.4,
        "percent": 40,
        "overdue": 2,
    }


def test_no_tasks_due_has_no_rate(conn, add):
    add("2026-12-01")
    report = stats.collect(conn)
    assert report.completion.rate is None
    assert report.completion.to_json()["percent"] is None
    assert (report.streak.current, report.streak.longest) == (0, 0)


def test_tombstones_are_left_out_everywhere(conn, add, roadmap):
    plan = roadmap("Base")
    quest, milestone = plan.quest.goal_id, plan.milestones[0].milestone_id
    add("2026-11-24", done_at="2026-11-24T09:00", goal_id=quest, milestone_id=milestone)
    for due, done_at in (("2026-11-23", "2026-11-23T09:00"), ("2026-11-22", None)):
        add(due, done_at=done_at, deleted=True, goal_id=quest, milestone_id=milestone)

    report = stats.collect(conn, weeks=2)

    # the roadmap's own task (due today, open) and the live one; not the two tombstones
    assert (report.completion.due, report.completion.completed) == (2, 1)
    assert report.completion.overdue == 0
    assert report.days[day(23)] == 0 and report.days[day(24)] == 1
    assert (report.streak.current, report.streak.longest) == (1, 1)
    assert [(w.planned, w.done) for w in report.weeks] == [(0, 0), (2, 1)]
    [shown] = report.quests
    assert (shown.tasks_done, shown.tasks) == (1, 2)
    assert (shown.milestones[0].tasks_done, shown.milestones[0].tasks) == (1, 2)


def test_a_deleted_quest_is_not_listed(conn, roadmap):
    kept = roadmap("A", name="Kept").quest
    gone = roadmap("B", name="Gone").quest
    quests.remove(conn, gone.goal_id)
    assert [q.goal_id for q in stats.collect(conn).quests] == [kept.goal_id]


def test_streaks_with_a_gap(conn, add):
    # 18–21 (four days), a gap on the 22nd, then 23–25 (three days, today included)
    for n in (18, 19, 20, 21, 23, 24, 25):
        add(f"2026-11-{n}", done_at=f"2026-11-{n}T12:00")
    add("2026-11-24", done_at="2026-11-24T18:00")  # two on one day still make one day

    streak = stats.collect(conn).streak

    assert (streak.current, streak.longest, streak.done_today) == (3, 4, True)


def test_the_current_streak_survives_until_today_ends(conn, add):
    for n in (22, 23, 24):
        add(f"2026-11-{n}", done_at=f"2026-11-{n}T12:00")
    streak = stats.collect(conn).streak
    assert (streak.current, streak.longest, streak.done_today) == (3, 3, False)


def test_a_day_without_completions_before_yesterday_ends_the_streak(conn, add):
    for n in (20, 21, 22, 23):
        add(f"2026-11-{n}", done_at=f"2026-11-{n}T12:00")
    streak = stats.collect(conn).streak
    assert (streak.current, streak.longest) == (0, 4)


def test_streaks_helper_directly():
    days = {day(1), day(2), day(3), day(10), day(24), day(25)}
    assert stats.streaks(days, day(25)).to_json() == {
        "current": 2,
        "longest": 3,
        "doneToday": True,
    }
    assert stats.streaks(set(), day(25)).to_json() == {
        "current": 0,
        "longest": 0,
        "doneToday": False,
    }


def test_completions_fall_on_the_local_day_east_of_utc(conn, add):
    profile.update(conn, timezone="Pacific/Auckland")  # UTC+13: it is 23:00 on the 25th there
    add("2026-11-25", done_at="2026-11-24T12:30")  # 01:30 on the 25th in Auckland
    add("2026-11-24", done_at="2026-11-23T12:00")  # 01:00 on the 24th

    report = stats.collect(conn, weeks=1)

    assert report.today == TODAY
    assert report.days == {day(23): 0, day(24): 1, day(25): 1}
    assert (report.streak.current, report.streak.done_today) == (2, True)
    assert report.weeks[0].completions == 2


def test_completions_fall_on_the_local_day_west_of_utc(conn, add):
    profile.update(conn, timezone="America/Los_Angeles")  # UTC-8: 02:00 on the 25th there
    add("2026-11-24", done_at="2026-11-25T05:00")  # 21:00 on the 24th in Los Angeles
    add("2026-11-23", done_at="2026-11-24T07:59")  # 23:59 on the 23rd

    report = stats.collect(conn, weeks=1)

    assert report.days == {day(23): 1, day(24): 1, day(25): 0}
    assert (report.streak.current, report.streak.done_today) == (2, False)


def test_completions_follow_daylight_saving_changes(conn, add):
    # Paris leaves summer time at 01:00 UTC on 25 October 2026 (UTC+2, then UTC+1).
    profile.update(conn, timezone="Europe/Paris")
    add("2026-10-25", done_at="2026-10-24T22:30")  # 00:30 on the 25th, summer time
    add("2026-10-25", done_at="2026-10-25T00:30")  # 02:30 on the 25th, summer time
    add("2026-10-25", done_at="2026-10-25T22:30")  # 23:30 on the 25th, winter time
    add("2026-10-26", done_at="2026-10-25T23:30")  # 00:30 on the 26th, winter time
    add("2026-10-26", done_at="2026-10-26T22:45")  # 23:45 on the 26th
    add("2026-10-28", done_at="2026-10-27T23:10")  # 00:10 on the 28th

    days = stats.collect(conn, weeks=6).days

    assert (days[date(2026, 10, 24)], days[date(2026, 10, 25)]) == (0, 3)
    assert (days[date(2026, 10, 26)], days[date(2026, 10, 27)]) == (2, 0)
    assert days[date(2026, 10, 28)] == 1


def test_planned_vs_done_per_week(conn, add):
    add("2026-11-17", done_at="2026-11-17T10:00")
    add("2026-11-18")
    add("2026-11-20", done_at="2026-11-24T10:00")  # done late: done for its week, made this week
    add("2026-11-26")  # later this week
    add("2026-11-09", done_at="2026-11-16T10:00")  # due before the chart, done inside it
    add("2026-11-30")  # next week: not charted

    report = stats.collect(conn, weeks=2)

    assert [w.to_json() for w in report.weeks] == [
        {"weekStart": "2026-11-16", "planned": 3, "done": 2, "completions": 2},
        {"weekStart": "2026-11-23", "planned": 1, "done": 0, "completions": 1},
    ]
    assert report.start == day(16)
    assert list(report.days) == [day(n) for n in range(16, 26)]  # up to today, not beyond


def test_weeks_start_on_monday_and_end_with_this_one(conn):
    report = stats.collect(conn, weeks=12)
    starts = [w.start for w in report.weeks]
    assert len(starts) == 12
    assert all(s.weekday() == 0 for s in starts)
    assert starts[-1] == day(23) and starts[0] == date(2026, 9, 7)


def test_progress_per_quest_and_milestone(conn, roadmap):
    plan = roadmap("Base", "Speed", tasks_each=2)
    first, second = plan.tasks[0]
    tasks.complete(conn, [first.task_id])

    [quest] = stats.collect(conn).quests
    assert (quest.milestones_done, len(quest.milestones)) == (0, 2)
    assert (quest.tasks_done, quest.tasks) == (1, 4)
    base, speed = quest.milestones
    assert (base.sequence, base.title, base.status) == (1, "Base", "active")
    assert (base.tasks_done, base.tasks, round(base.progress * 100)) == (1, 2, 50)
    assert (speed.tasks_done, speed.tasks, speed.status) == (0, 2, "locked")

    tasks.complete(conn, [second.task_id])  # the milestone is done, the next one active

    [quest] = stats.collect(conn).quests
    assert quest.to_json()["milestonesCompleted"] == 1
    assert quest.to_json()["percent"] == 50
    assert [(m["status"], m["percent"]) for m in quest.to_json()["roadmap"]] == [
        ("completed", 100),
        ("active", 0),
    ]


def test_a_quest_without_a_roadmap_counts_its_tasks(conn, add):
    quest = quests.create(conn, "Read more", today=TODAY)
    add("2026-11-24", done_at="2026-11-24T10:00", goal_id=quest.goal_id)
    add("2026-11-25", goal_id=quest.goal_id)
    add("2026-11-25", goal_id=quest.goal_id)
    add("2026-11-25", done_at="2026-11-25T09:00", goal_id=quest.goal_id)

    [shown] = stats.collect(conn).quests
    assert (shown.tasks_done, shown.tasks, shown.milestones) == (2, 4, [])
    assert shown.to_json()["percent"] == 50


def test_quest_scoping(conn, add, roadmap):
    run = roadmap("Base", name="Run a half marathon")
    spanish = roadmap("Words", name="Learn Spanish")
    runs, words = run.quest.goal_id, spanish.quest.goal_id
    add("2026-11-24", done_at="2026-11-24T10:00", goal_id=runs)
    add("2026-11-23", done_at="2026-11-23T10:00", goal_id=words)
    add("2026-11-22", done_at="2026-11-22T10:00", goal_id=words)
    add("2026-11-21", done_at="2026-11-21T10:00")  # in no quest

    everything = stats.collect(conn, weeks=2)
    only = stats.collect(conn, quest=words[:8], weeks=2)

    assert everything.quest is None
    assert [q.goal_name for q in everything.quests] == ["Run a half marathon", "Learn Spanish"]
    assert (everything.completion.due, everything.completion.completed) == (6, 4)
    assert everything.streak.longest == 4
    assert only.quest is not None and only.quest.goal_id == words
    assert [q.goal_id for q in only.quests] == [words]
    assert (only.completion.due, only.completion.completed) == (3, 2)
    assert (only.streak.current, only.streak.longest) == (0, 2)
    assert sum(only.days.values()) == 2
    assert [w.planned for w in only.weeks] == [1, 2]
    assert only.to_json()["quest"] == words


def test_unknown_quest_and_bad_weeks(conn):
    with pytest.raises(NotFound):
        stats.collect(conn, quest="abcdef12")
    for weeks in (0, 105):
        with pytest.raises(UsageError):
            stats.collect(conn, weeks=weeks)


def test_heat_map_levels_are_quartiles_of_busy_days():
    assert stats.thresholds([0, 0]) == []
    assert stats.thresholds([1, 2, 3, 4, 5, 6, 7, 8, 0]) == [2, 4, 6]
    bounds = stats.thresholds([1, 2, 3, 4, 5, 6, 7, 8])
    assert [stats.level(n, bounds) for n in range(10)] == [0, 1, 1, 2, 2, 3, 3, 4, 4, 4]
    same = stats.thresholds([3, 3, 3])
    assert [stats.level(n, same) for n in (0, 3)] == [0, 1]
    # one very busy day does not wash out the others
    outlier = stats.thresholds([2, 2, 3, 3, 40])
    assert stats.level(3, outlier) > stats.level(2, outlier)


def test_json_shape(conn, add):
    add("2026-11-24", done_at="2026-11-24T10:00")
    data = stats.collect(conn, weeks=2).to_json()
    assert set(data) == {
        "today",
        "timezone",
        "quest",
        "completion",
        "streak",
        "quests",
        "weeks",
        "days",
    }
    assert (data["today"], data["timezone"], data["quest"]) == ("2026-11-25", "UTC", None)
    assert data["days"]["from"] == "2026-11-16" and data["days"]["to"] == "2026-11-25"
    assert len(data["days"]["completions"]) == 10
    assert data["days"]["completions"][8] == {"date": "2026-11-24", "count": 1, "level": 1}
    assert data["days"]["thresholds"] == [1, 1, 1]


def test_a_malformed_completion_time_is_not_put_on_any_day(conn, add):
    add("2026-11-24", done_at="2026-11-24T10:00")
    broken = add("2026-11-23", done_at="2026-11-23T10:00")
    with atomic(conn):
        conn.execute("UPDATE tasks SET completed_at = '' WHERE task_id = ?", (broken.task_id,))

    report = stats.collect(conn, weeks=1)

    assert report.days[day(24)] == 1 and sum(report.days.values()) == 1
    assert report.completion.completed == 2  # still a completed task
