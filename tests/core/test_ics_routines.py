"""Routines in the iCalendar feed (zik.core.exchange.ics): each one a recurring VTODO whose RRULE,
expanded by dateutil, gives exactly the days zik's own scheduler (zik.core.routines) makes its
tasks on; its tasks as overrides of their day; and UIDs that never collide across kinds."""

import uuid
from collections import Counter
from datetime import date, datetime, time, timedelta

import icalendar
import pytest
from dateutil.rrule import rruleset, rrulestr

from zik.core import profile, quests, routines, tasks
from zik.core.changes import change_set
from zik.core.exchange import ics
from zik.models import Routine, Task
from zik.store import records

TODAY = date(2026, 11, 25)  # a Wednesday; the routines are made at 10:00 UTC that day
DECEMBER = [date(2026, 12, 1) + timedelta(days=n) for n in range(31)]
TRICKY = "Stretch; hips, back \\ and neck — 10 minutes, «doucement» 🧘 ストレッチ and more"


def insert(conn, record):
    with change_set(conn, "test") as cs:
        return cs.insert(record)


def on(conn, routine, day):
    """The routine's live task on that day (there is one at most, in this data)."""
    row = conn.execute(
        "SELECT task_id FROM tasks WHERE deleted_at IS NULL AND recurrence_rule_id = ?"
        " AND due_date = ?",
        (routine.recurrence_rule_id, day.isoformat()),
    ).fetchone()
    return records.get(conn, Task, row[0])


@pytest.fixture
def world(conn):
    """Routines of every kind and a month of their tasks in every state."""
    quest = quests.create(conn, "Get flexible", today=TODAY)
    idle_quest = quests.create(conn, "Get strong", today=TODAY)
    r = {
        "daily": routines.add(
            conn,
            TRICKY,
            every="daily",
            quest_ref=quest.goal_id,
            estimate=15,
            priority="low",
            description="Slowly;\nbreathe, then hold",
        ),
        "weekdays": routines.add(conn, "Standup", every="weekdays", priority="high"),
        "weekends": routines.add(conn, "Brunch", every="weekends"),
        "weekly": routines.add(conn, "Long run", every="weekly", on="sun,mon,thu"),
        "paused": routines.add(conn, "Meditate", every="daily"),
        "paused_unused": routines.add(conn, "Swim", every="weekly", on="tue"),
        "idle_quest": routines.add(conn, "Push-ups", every="daily", quest_ref=idle_quest.goal_id),
    }
    # weekly with no days (the backend may send one; `routine add` refuses it): never due
    r["no_days"] = insert(
        conn,
        Routine(recurrence_rule_id=f"rule_{uuid.uuid4()}", title="Someday", frequency="weekly"),
    )
    quests.set_status(conn, idle_quest.goal_id, "paused")
    routines.set_status(conn, r["paused_unused"].recurrence_rule_id, "paused")
    routines.materialise(conn, TODAY)  # the paused one makes its only task before it pauses
    routines.set_status(conn, r["paused"].recurrence_rule_id, "paused")
    for day in [*DECEMBER[:5], date(2026, 12, 8), date(2026, 12, 10)]:
        routines.materialise(conn, day)
    stretch = r["daily"]
    tasks.complete(conn, [on(conn, stretch, date(2026, 12, 1)).task_id])
    tasks.start(conn, [on(conn, stretch, date(2026, 12, 3)).task_id])
    routines.lapse(conn, date(2026, 12, 3), "UTC")  # Dec 2's open routine tasks are skipped
    # deleting a routine's task remembers its day on the routine (its exdates)
    tasks.remove(conn, [on(conn, stretch, date(2026, 12, 8)).task_id])
    tasks.remove(conn, [on(conn, r["weekly"], date(2026, 12, 10)).task_id])  # a Thursday
    # a task whose id is a quest's id: the two must still have different UIDs
    twin = insert(conn, Task(task_id=quest.goal_id, task_name="Twin", due_date="2026-12-02"))
    quests.edit(conn, quest.goal_id, today=TODAY, target="2027-01-31")
    text = ics.render(conn)
    return {
        "conn": conn,
        "text": text,
        "cal": icalendar.Calendar.from_ical(text),
        "routines": {k: records.get(conn, Routine, v.recurrence_rule_id) for k, v in r.items()},
        "quest": quest,
        "twin": twin,
    }


def masters(cal):
    """The routine series (VTODOs that recur), by UID."""
    return {
        str(c["UID"]): c
        for c in cal.walk("VTODO")
        if "RECURRENCE-ID" not in c and ("RRULE" in c or "RDATE" in c)
    }


def overrides(cal):
    """The overridden occurrences, by (UID, day)."""
    return {
        (str(c["UID"]), c.decoded("RECURRENCE-ID")): c
        for c in cal.walk("VTODO")
        if "RECURRENCE-ID" in c
    }


def _days(component, name):
    value = component.get(name)
    if value is None:
        return []
    return [d.dt for entry in (value if isinstance(value, list) else [value]) for d in entry.dts]


def expand(component, first, last):
    """The days of a series from `first` to `last`, by dateutil from DTSTART, RRULE, RDATE and
    EXDATE as they are in the component."""
    start = component.decoded("DTSTART")
    assert isinstance(start, date) and not isinstance(start, datetime)  # an all-day series
    begin = datetime.combine(start, time())
    rule = component.get("RRULE")
    if rule is not None:
        rules = rrulestr(f"RRULE:{rule.to_ical().decode()}", dtstart=begin, forceset=True)
    else:  # only its RDATEs (dateutil reads no VALUE=DATE, so the dates come from icalendar)
        rules = rruleset()
    for day in _days(component, "RDATE"):
        rules.rdate(datetime.combine(day, time()))
    for day in _days(component, "EXDATE"):
        rules.exdate(datetime.combine(day, time()))
    found = rules.between(datetime.combine(first, time()), datetime.combine(last, time()), inc=True)
    return {moment.date() for moment in found}


def scheduled(conn, routine, days):
    """The days zik's scheduler gives the routine a task: not yet made (`not_yet_made`, which
    leaves out paused routines, those of an idle quest, other weekdays and exdates), or made
    under its own instance id."""
    live = {r[0] for r in conn.execute("SELECT task_id FROM tasks WHERE deleted_at IS NULL")}
    rule_id = routine.recurrence_rule_id
    return {
        day
        for day in days
        if any(r.recurrence_rule_id == rule_id for r in routines.not_yet_made(conn, day))
        or routines.instance_id(rule_id, day) in live
    }


def uid(kind, key):
    return f"{kind}-{key}@zik"


def test_every_uid_is_unique_and_names_its_kind(world):
    cal = world["cal"]
    plain = [str(c["UID"]) for c in cal.walk() if "UID" in c and "RECURRENCE-ID" not in c]
    assert [u for u, n in Counter(plain).items() if n > 1] == []
    # an override shares its series' UID, and only one override per day
    pairs = [
        (str(c["UID"]), c.decoded("RECURRENCE-ID")) for c in cal.walk() if "RECURRENCE-ID" in c
    ]
    assert len(pairs) == len(set(pairs)) > 0
    assert {u for u, _ in pairs} <= set(masters(cal))
    quest, twin = world["quest"], world["twin"]
    assert twin.task_id == quest.goal_id
    assert uid("task", twin.task_id) in plain and uid("quest", quest.goal_id) in plain
    kinds = {u.split("-", 1)[0] for u in plain}
    assert kinds == {"task", "quest", "routine"}
    assert all(u.endswith("@zik") for u in plain)


def test_each_routine_that_makes_tasks_is_one_recurring_todo_with_zik_rule(world):
    cal, r = world["cal"], world["routines"]
    series = masters(cal)
    expected = {
        "daily": "FREQ=DAILY",
        "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "weekends": "FREQ=WEEKLY;BYDAY=SU,SA",
        "weekly": "FREQ=WEEKLY;BYDAY=SU,MO,TH",
    }
    for kind, rule in expected.items():
        master = series[uid("routine", r[kind].recurrence_rule_id)]
        assert master["RRULE"].to_ical().decode() == rule
        assert master.name == "VTODO" and str(master["STATUS"]) == "NEEDS-ACTION"
        assert master.decoded("DURATION") == timedelta(days=1)
        assert f"RRULE:{rule}\r\n" in world["text"]
    # DTSTART: the first day from its creation (Wednesday 25 November) that the rule holds
    starts = {
        kind: series[uid("routine", r[kind].recurrence_rule_id)].decoded("DTSTART")
        for kind in expected
    }
    assert starts == {
        "daily": date(2026, 11, 25),
        "weekdays": date(2026, 11, 25),
        "weekends": date(2026, 11, 28),
        "weekly": date(2026, 11, 26),
    }
    stretch = series[uid("routine", r["daily"].recurrence_rule_id)]
    assert str(stretch["SUMMARY"]) == TRICKY  # escaped and folded, read back whole
    assert str(stretch["DESCRIPTION"]) == (
        "Slowly;\nbreathe, then hold\n\n"
        "Routine: daily.\nEstimate: 15 minutes a day.\nQuest: Get flexible"
    )
    assert int(stretch["PRIORITY"]) == 9
    assert [str(c) for c in stretch["CATEGORIES"].cats] == ["Get flexible"]
    assert _days(stretch, "EXDATE") == [date(2026, 12, 8)]
    assert "EXDATE;VALUE=DATE:20261208\r\n" in world["text"]
    weekly = series[uid("routine", r["weekly"].recurrence_rule_id)]
    assert _days(weekly, "EXDATE") == [date(2026, 12, 10)]


def test_each_series_expands_to_the_days_zik_schedules_in_a_month(world):
    conn, cal = world["conn"], world["cal"]
    series = masters(cal)
    checked = 0
    for kind, routine in world["routines"].items():
        key = uid("routine", routine.recurrence_rule_id)
        want = scheduled(conn, routine, DECEMBER)
        got = expand(series[key], DECEMBER[0], DECEMBER[-1]) if key in series else set()
        assert got == want, kind
        checked += bool(want)
    assert checked == 4  # daily, weekdays, weekends, weekly; the idle ones have no day
    assert len(scheduled(conn, world["routines"]["daily"], DECEMBER)) == 30  # all but the 8th


def test_routine_tasks_are_their_day_overridden_with_their_state(world):
    cal, r = world["cal"], world["routines"]
    series = masters(cal)
    found = overrides(cal)
    stretch = uid("routine", r["daily"].recurrence_rule_id)
    states = {
        day: str(found[(stretch, day)]["STATUS"])
        for day in (date(2026, 11, 25), *DECEMBER[:5], date(2026, 12, 10))
    }
    assert states == {
        date(2026, 11, 25): "CANCELLED",  # lapsed, never done
        date(2026, 12, 1): "COMPLETED",
        date(2026, 12, 2): "CANCELLED",  # skipped: its day ended undone
        date(2026, 12, 3): "IN-PROCESS",
        date(2026, 12, 4): "NEEDS-ACTION",
        date(2026, 12, 5): "NEEDS-ACTION",
        date(2026, 12, 10): "NEEDS-ACTION",
    }
    done = found[(stretch, date(2026, 12, 1))]
    assert done.decoded("COMPLETED") == datetime.fromisoformat("2026-11-25T10:00:00+00:00")
    assert done.decoded("DTSTART") == date(2026, 12, 1)
    assert str(done["SUMMARY"]) == TRICKY and int(done["PRIORITY"]) == 9
    assert (stretch, date(2026, 12, 8)) not in found  # deleted: an EXDATE, not an override
    # every override is a day its series holds, and every routine task is one
    for (key, day), component in found.items():
        assert day in expand(series[key], day, day), (key, day)
        assert component.decoded("DTSTART") == day
    routine_tasks = world["conn"].execute(
        "SELECT count(*) FROM tasks WHERE deleted_at IS NULL AND recurrence_rule_id IS NOT NULL"
    )
    assert len(found) == routine_tasks.fetchone()[0]
    assert not any("RELATED-TO" in c for c in cal.walk("VTODO"))
    assert all(str(c["UID"]).startswith("task-") for c in cal.walk("VTODO") if "DUE" in c)


def test_a_routine_that_makes_no_tasks_never_reaches_a_new_day(world):
    cal, r = world["cal"], world["routines"]
    series = masters(cal)
    paused = series[uid("routine", r["paused"].recurrence_rule_id)]
    assert "RRULE" not in paused
    assert "paused: it makes no new tasks" in str(paused["DESCRIPTION"])
    # only the day it made a task on, whatever the range
    assert expand(paused, date(2026, 1, 1), date(2030, 12, 31)) == {TODAY}
    assert (str(paused["UID"]), TODAY) in overrides(cal)
    # paused, or of a paused quest, or holding no weekday, with no task made: not in the feed
    for kind in ("paused_unused", "idle_quest", "no_days"):
        assert r[kind].recurrence_rule_id not in world["text"], kind


def test_a_routine_task_off_its_series_is_its_own_todo_related_to_it(conn):
    routine = routines.add(conn, "Long run", every="weekly", on="mon,thu")
    made = routines.materialise(conn, date(2026, 11, 26))[0]  # Thursday
    tasks.edit(conn, made.task_id, today=TODAY, due="2026-11-28")  # moved to a Saturday
    monday = [
        insert(  # as a synced instance: the id the backend gave it
            conn,
            Task(
                task_id=str(uuid.uuid4()),
                task_name=name,
                due_date="2026-11-30",
                recurrence_rule_id=routine.recurrence_rule_id,
            ),
        )
        for name in ("Long run", "Long run again")
    ]
    assert routines.materialise(conn, date(2026, 11, 30)) == []  # it has its Monday task
    gone = routines.add(conn, "Old habit", every="daily")
    (orphan,) = routines.materialise(conn, date(2026, 11, 30))
    routines.remove(conn, gone.recurrence_rule_id)  # its tasks stay
    cal = icalendar.Calendar.from_ical(ics.render(conn))
    todos = {str(c["UID"]): c for c in cal.walk("VTODO") if "RECURRENCE-ID" not in c}
    key = uid("routine", routine.recurrence_rule_id)
    moved = todos[uid("task", made.task_id)]
    assert str(moved["RELATED-TO"]) == key and moved.decoded("DUE") == date(2026, 11, 28)
    # one task a day is the occurrence (the first made); a second that day is its own to-do
    (occurrence,) = overrides(cal).values()
    assert occurrence.decoded("RECURRENCE-ID") == date(2026, 11, 30)
    assert str(occurrence["SUMMARY"]) == "Long run"
    again = todos[uid("task", monday[1].task_id)]
    assert str(again["RELATED-TO"]) == key and str(again["SUMMARY"]) == "Long run again"
    assert uid("task", monday[0].task_id) not in todos
    assert "RELATED-TO" not in todos[uid("task", orphan.task_id)]
    assert str(todos[key]["RRULE"].to_ical().decode()) == "FREQ=WEEKLY;BYDAY=MO,TH"


def test_the_first_day_is_the_creation_day_in_the_profile_timezone(conn):
    profile.update(conn, timezone="Pacific/Kiritimati")  # UTC+14: 10:00 UTC is 00:00 next day
    routine = routines.add(conn, "Stretch", every="daily")
    cal = icalendar.Calendar.from_ical(ics.render(conn))
    master = masters(cal)[uid("routine", routine.recurrence_rule_id)]
    assert master.decoded("DTSTART") == date(2026, 11, 26)
    assert min(expand(master, date(2026, 11, 1), date(2026, 11, 30))) == date(2026, 11, 26)


def test_the_feed_is_deterministic_and_streams_the_same_lines(world):
    conn = world["conn"]
    lines = list(ics.iter_lines(conn))
    assert "".join(lines) == ics.render(conn) == world["text"]
    assert all(line.endswith("\r\n") for line in lines)
    assert all(len(p.encode()) <= 75 for line in lines for p in line[:-2].split("\r\n"))
    assert lines[0] == "BEGIN:VCALENDAR\r\n" and lines[-1] == "END:VCALENDAR\r\n"
