"""The iCalendar feed (zik.core.exchange.ics), read back with the `icalendar` package, and the planned
milestone dates it shows (zik.core.plan.timeline)."""

import uuid
from datetime import UTC, date, datetime

import icalendar
import pytest

from zik.core import milestones, profile, quests, tasks
from zik.core.changes import change_set
from zik.core.exchange import ics
from zik.core.plan.timeline import Span, milestone_spans
from zik.models import Milestone, Task

TODAY = date(2026, 11, 25)
# Commas, semicolons, a backslash, a line break and non-ASCII text, well over 75 octets.
TRICKY = (
    "Café crème; croissant, pain au chocolat \\ then\n10 km «très» long run 🏃 日本語のテキスト"
)


def insert(conn, record):
    with change_set(conn, "test") as cs:
        return cs.insert(record)


def new_task(conn, name, **fields):
    return insert(
        conn,
        Task(
            task_id=str(uuid.uuid4()), task_name=name, due_date=fields.pop("due", "2026-11-25")
        ).replace(**fields),
    )


@pytest.fixture
def feed(conn, roadmap):
    """A quest with a dated roadmap and tasks in every state, a tombstoned task and a deleted quest."""
    plan = roadmap("Base", "Build", "Race", tasks_each=2)
    quests.edit(conn, plan.quest.goal_id, today=TODAY, target="2027-03-01")
    milestones.edit(conn, plan.milestones[0].milestone_id, days=14)
    milestones.edit(conn, plan.milestones[1].milestone_id, days=7)
    done, started = plan.tasks[0]
    tasks.complete(conn, [done.task_id])
    tasks.start(conn, [started.task_id])
    removed = plan.tasks[1][0]
    tasks.remove(conn, [removed.task_id])
    tricky = new_task(
        conn,
        TRICKY,
        due="2026-12-24",
        priority="high",
        description="Bring: water, gels; shoes\nand a \\ towel",
        goal_id=plan.quest.goal_id,
        milestone_id=plan.milestones[1].milestone_id,
        tags=["running", "a,b"],
    )
    loose = new_task(conn, "Renew passport", due="2026-12-02", priority="low")
    gone = quests.create(conn, "Learn Klingon", today=TODAY, target="2027-01-01")
    gone_milestone = milestones.add(conn, gone.goal_id, "Alphabet", days=5)
    gone_task = new_task(conn, "Klingon lesson", goal_id=gone.goal_id)
    quests.remove(conn, gone.goal_id)
    text = ics.render(conn)
    return {
        "text": text,
        "cal": icalendar.Calendar.from_ical(text),
        "plan": plan,
        "done": done,
        "started": started,
        "removed": removed,
        "tricky": tricky,
        "loose": loose,
        "gone": (gone, gone_milestone, gone_task),
    }


def by_uid(cal, kind):
    return {str(c["UID"]): c for c in cal.walk(kind)}


def test_the_calendar_has_its_header(feed):
    cal = feed["cal"]
    assert cal.name == "VCALENDAR"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//zik//zik export//EN"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "zik"
    assert feed["text"].startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert feed["text"].endswith("END:VCALENDAR\r\n")


def test_one_vtodo_per_live_task_and_no_tombstones(conn, feed):
    live = {r[0] for r in conn.execute("SELECT task_id FROM tasks WHERE deleted_at IS NULL")}
    todos = by_uid(feed["cal"], "VTODO")
    assert len(feed["cal"].walk("VTODO")) == len(live) == 7
    assert set(todos) == {f"task-{task_id}@zik" for task_id in live}
    gone, gone_milestone, gone_task = feed["gone"]
    for key in (
        feed["removed"].task_id,
        gone.goal_id,
        gone_milestone.milestone_id,
        gone_task.task_id,
    ):
        assert key not in feed["text"]
    assert "Klingon" not in feed["text"]


def test_task_status_completion_due_date_and_priority(feed):
    todos = by_uid(feed["cal"], "VTODO")
    done = todos[f"task-{feed['done'].task_id}@zik"]
    assert str(done["STATUS"]) == "COMPLETED"
    assert done.decoded("COMPLETED") == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert done.decoded("DTSTAMP") == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    started = todos[f"task-{feed['started'].task_id}@zik"]
    assert str(started["STATUS"]) == "IN-PROCESS"
    assert "COMPLETED" not in started
    loose = todos[f"task-{feed['loose'].task_id}@zik"]
    assert str(loose["STATUS"]) == "NEEDS-ACTION"
    assert "COMPLETED" not in loose

    tricky = todos[f"task-{feed['tricky'].task_id}@zik"]
    due = tricky.decoded("DUE")
    assert due == date(2026, 12, 24) and not isinstance(due, datetime)  # an all-day date
    assert "DUE;VALUE=DATE:20261224\r\n" in feed["text"]
    assert loose.decoded("DUE") == date(2026, 12, 2)
    assert [int(t["PRIORITY"]) for t in (tricky, started, loose)] == [1, 5, 9]


def test_text_with_commas_semicolons_newlines_and_non_ascii_round_trips(feed):
    tricky = by_uid(feed["cal"], "VTODO")[f"task-{feed['tricky'].task_id}@zik"]
    assert str(tricky["SUMMARY"]) == TRICKY
    description = str(tricky["DESCRIPTION"])
    assert description.startswith("Bring: water, gels; shoes\nand a \\ towel\n\n")
    assert description.endswith("Quest: Run a half marathon\nMilestone: Build")
    assert [str(c) for c in tricky["CATEGORIES"].cats] == ["Run a half marathon", "running", "a,b"]
    # escaped on the wire, not just tolerated by the parser
    unfolded = feed["text"].replace("\r\n ", "")
    assert "SUMMARY:Café crème\\; croissant\\, pain au chocolat \\\\ then\\n10 km" in unfolded


def test_physical_lines_are_crlf_and_at_most_75_octets(feed):
    raw = feed["text"].encode("utf-8")
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # never cut inside a multi-byte character
    assert any(line.startswith(b" ") for line in lines)  # the long summary was folded


@pytest.mark.parametrize("char", ["a", "é", "€", "🏃"])
@pytest.mark.parametrize("length", [10, 74, 75, 76, 151, 300])
def test_fold_splits_by_octets_on_character_boundaries(char, length):
    line = "SUMMARY:" + char * length
    folded = ics.fold(line)
    physical = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in physical)
    assert all(p.startswith(" ") for p in physical[1:])
    assert "".join([physical[0], *(p[1:] for p in physical[1:])]) == line
    # as full as the octets allow: only the last line may be short by more than a character
    width = len(char.encode())
    assert all(len(p.encode()) > 75 - width for p in physical[:-1])
    if len(line.encode()) <= 75:
        assert folded == line


def test_escape_handles_the_four_special_characters_and_shows_controls():
    assert ics.escape("a\\b;c,d\ne\r\nf\x07") == "a\\\\b\\;c\\,d\\ne\\nf␇"
    assert ics.escape("\x1b]52\x9b\u202e\tx") == "␛]52<U+009B><U+202E>\tx"


def test_milestone_ends_and_the_quest_target_are_all_day_events(feed):
    plan = feed["plan"]
    events = by_uid(feed["cal"], "VEVENT")
    base, build, race = (events[f"milestone-{m.milestone_id}@zik"] for m in plan.milestones)
    # Base became active today (2026-11-25) for 14 days; Build follows for 7; Race has no
    # duration and is the last milestone, so it ends on the quest's target date.
    expected = [(base, date(2026, 12, 8)), (build, date(2026, 12, 15)), (race, date(2027, 3, 1))]
    for event, end in expected:
        assert event.decoded("DTSTART") == end and not isinstance(end, datetime)
        assert (event.decoded("DTEND") - end).days == 1
    assert str(base["SUMMARY"]) == "Milestone: Base"
    assert "Quest: Run a half marathon" in str(base["DESCRIPTION"])
    assert "2026-11-25 to 2026-12-08" in str(base["DESCRIPTION"])
    target = events[f"quest-{plan.quest.goal_id}@zik"]
    assert str(target["SUMMARY"]) == "Quest target: Run a half marathon"
    assert target.decoded("DTSTART") == date(2027, 3, 1)
    assert target.decoded("DTEND") == date(2027, 3, 2)
    assert len(events) == 4  # three milestones and one target; the deleted quest has none


def test_a_milestone_without_an_end_has_no_event(conn, roadmap):
    plan = roadmap("Open-ended", "Also open")  # no durations, no target date
    events = by_uid(icalendar.Calendar.from_ical(ics.render(conn)), "VEVENT")
    assert events == {}
    milestones.edit(conn, plan.milestones[0].milestone_id, days=3)
    events = by_uid(icalendar.Calendar.from_ical(ics.render(conn)), "VEVENT")
    assert set(events) == {f"milestone-{plan.milestones[0].milestone_id}@zik"}


def test_the_feed_is_deterministic(conn, feed):
    assert ics.render(conn) == feed["text"]


def test_an_empty_database_is_a_valid_empty_calendar(conn):
    cal = icalendar.Calendar.from_ical(ics.render(conn))
    assert cal.walk("VTODO") == [] and cal.walk("VEVENT") == []


# Planned milestone dates (zik.core.plan.timeline), which the feed and the Markdown plan show.


def milestone(sequence, status, days=None, activated=None, completed=None):
    return Milestone(
        milestone_id=f"milestone_{sequence}",
        goal_id="q",
        sequence=sequence,
        title=f"M{sequence}",
        status=status,
        duration_in_days=days,
        activated_at=activated,
        completed_at=completed,
        created_at="2026-10-01T00:00:00.000Z",
    )


def test_spans_chain_from_activation_and_completion_to_the_target_date():
    roadmap = [
        milestone(1, "completed", 14, "2026-11-01T06:00:00.000Z", "2026-11-10T20:00:00.000Z"),
        milestone(2, "active", 10, "2026-11-11T06:00:00.000Z"),
        milestone(3, "locked", 5, activated="2026-10-01T00:00:00.000Z"),  # stale, from a move
        milestone(4, "locked"),
    ]
    spans = milestone_spans(roadmap, target_date="2026-12-31", timezone="UTC")
    assert spans == [
        Span(date(2026, 11, 1), date(2026, 11, 10)),  # ended when it was completed
        Span(date(2026, 11, 11), date(2026, 11, 20)),
        Span(date(2026, 11, 21), date(2026, 11, 25)),
        Span(date(2026, 11, 26), date(2026, 12, 31)),
    ]


def test_spans_are_days_in_the_profile_timezone_and_unknown_without_data():
    roadmap = [milestone(1, "active", 2, "2026-11-11T03:00:00.000Z"), milestone(2, "locked")]
    la = milestone_spans(roadmap, target_date=None, timezone="America/Los_Angeles")
    assert la == [Span(date(2026, 11, 10), date(2026, 11, 11)), Span(date(2026, 11, 12), None)]
    undated = [milestone(1, "active"), milestone(2, "locked", 3), milestone(3, "locked")]
    spans = milestone_spans(undated, target_date="2026-11-01", timezone="UTC")
    # The active one starts on its creation day; with no duration nothing after it can be dated,
    # except the last one's end by the target date.
    assert spans == [Span(date(2026, 10, 1), None), Span(None, None), Span(None, date(2026, 11, 1))]


def test_the_feed_uses_the_profile_timezone(conn):
    profile.update(conn, timezone="Pacific/Auckland")  # UTC+13 in November
    quest = quests.create(conn, "Swim", today=TODAY)
    first = insert(
        conn,
        Milestone(
            milestone_id=f"milestone_{uuid.uuid4()}",
            goal_id=quest.goal_id,
            sequence=1,
            title="Lengths",
            status="active",
            duration_in_days=1,
            activated_at="2026-11-25T12:00:00.000Z",  # 2026-11-26 01:00 in Auckland
        ),
    )
    event = by_uid(icalendar.Calendar.from_ical(ics.render(conn)), "VEVENT")
    assert event[f"milestone-{first.milestone_id}@zik"].decoded("DTSTART") == date(2026, 11, 26)
