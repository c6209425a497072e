"""Today's view: the day's tasks by quest, the active milestones, the overdue tasks."""

from datetime import date

from zik.core import profile, quests, routines, tasks, today

TODAY = date(2026, 11, 25)


def test_an_empty_day(conn):
    view = today.view(conn)
    assert (view.date, view.timezone) == (TODAY, "UTC")
    assert (view.groups, view.overdue, view.overdue_total, view.completed) == ([], [], 0, 0)
    assert view.onboarded is False


def test_groups_tasks_by_quest_with_the_active_milestone(conn, roadmap):
    plan = roadmap("Base", "Build", tasks_each=2)  # two tasks due today under Base (and Build)
    reading = quests.create(conn, "Read more", today=TODAY)
    chapter = tasks.add(conn, "Chapter 1", today=TODAY, quest_ref=reading.goal_id)
    loose = tasks.add(conn, "Call the dentist", today=TODAY)
    tasks.add(conn, "Tomorrow's thing", today=TODAY, due="tomorrow")
    tasks.complete(conn, [plan.tasks[0][0].task_id, loose.task_id])

    view = today.view(conn)

    assert [g.quest and g.quest.goal_name for g in view.groups] == [
        "Run a half marathon",
        "Read more",
        None,
    ]
    run, read, other = view.groups
    assert run.milestone.title == "Base"
    assert sorted(t.task_id for t in run.tasks) == sorted(
        t.task_id for row in plan.tasks for t in row
    )
    assert [t.task_id for t in read.tasks] == [chapter.task_id]
    assert read.milestone is None
    assert [t.task_id for t in other.tasks] == [loose.task_id]
    assert other.milestone is None
    assert (view.completed, len(view.tasks)) == (2, 6)
    data = view.to_json()
    assert (data["completed"], data["total"], data["date"]) == (2, 6, "2026-11-25")
    assert data["groups"][0]["activeMilestone"]["title"] == "Base"


def test_lists_open_overdue_tasks_newest_first(conn):
    tasks.add(conn, "Two days late", today=TODAY, due="-2d")
    tasks.add(conn, "One day late", today=TODAY, due="yesterday")
    done = tasks.add(conn, "Late but done", today=TODAY, due="-3d")
    tasks.complete(conn, [done.task_id])

    view = today.view(conn)

    assert [t.task_name for t in view.overdue] == ["One day late", "Two days late"]
    assert view.overdue_total == 2
    assert view.tasks == []


def test_overdue_is_capped_but_counted(conn):
    for n in range(today.OVERDUE_SHOWN + 3):
        tasks.add(conn, f"late {n}", today=TODAY, due="-1w")
    view = today.view(conn)
    assert len(view.overdue) == today.OVERDUE_SHOWN
    assert view.overdue_total == today.OVERDUE_SHOWN + 3


def test_another_day(conn):
    tasks.add(conn, "Today", today=TODAY)
    tasks.add(conn, "Tomorrow", today=TODAY, due="tomorrow")

    view = today.view(conn, "tomorrow")

    assert view.date == date(2026, 11, 26)
    assert [t.task_name for t in view.tasks] == ["Tomorrow"]
    assert [t.task_name for t in view.overdue] == ["Today"]  # open and due before that day


def test_the_day_is_the_profile_local_date(conn):
    profile.update(conn, timezone="Pacific/Kiritimati")  # UTC+14: already the 26th there
    tasks.add(conn, "Due on the 25th", today=TODAY)
    tasks.add(conn, "Due on the 26th", today=date(2026, 11, 26))

    view = today.view(conn)

    assert view.date == date(2026, 11, 26)
    assert view.timezone == "Pacific/Kiritimati"
    assert [t.task_name for t in view.tasks] == ["Due on the 26th"]
    assert [t.task_name for t in view.overdue] == ["Due on the 25th"]


def test_makes_today_routine_tasks_on_the_local_date(conn, monkeypatch):
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T05:00:00Z")
    profile.update(conn, timezone="America/Adak", onboarding=True)  # UTC-10: still the 24th
    routine = routines.add(conn, "Stretch", every="daily")

    view = today.view(conn)

    assert view.date == date(2026, 11, 24)
    assert view.tasks[0].due_date == "2026-11-24"
    assert view.onboarded is True
    assert [t.recurrence_rule_id for t in view.tasks] == [routine.recurrence_rule_id]
    assert view.tasks[0].task_id == routines.instance_id(routine.recurrence_rule_id, view.date)
    assert today.view(conn).tasks == view.tasks  # a second look makes nothing new


def test_another_day_does_not_make_routine_tasks(conn):
    routines.add(conn, "Stretch", every="daily")
    assert today.view(conn, "tomorrow").tasks == []
    assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0
