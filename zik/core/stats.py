"""`zik stats`: how much gets done.

The completion rate, the current and longest streak of days with something done, progress per
quest and milestone, planned vs done per week, and completions per local day for the heat-map.

Everything is added up in SQL by zik.store.stats, never by loading tasks; this module holds
the rules. Days are the user's local days in the profile's timezone, and a completion (stored in
UTC) is put on its local day with the offset in force when it was made, so daylight-saving
changes move nothing to the wrong day: the zone's offset periods are worked out here and passed
to the query.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from zik.core import clock, profile
from zik.core.plan import health
from zik.core.plan.health import Health
from zik.errors import UsageError
from zik.models import Quest
from zik.store import quests as quest_store
from zik.store import records
from zik.store import stats as queries

DEFAULT_WEEKS, MIN_WEEKS, MAX_WEEKS = 12, 1, 104
LEVELS = 4  # shades of a day with completions in the heat-map (0 is a day without)
_ONE_DAY = timedelta(days=1)


class Completion:
    """Tasks due up to and including today: how many are done, and how many are overdue."""

    def __init__(self, due: int, completed: int, overdue: int):
        self.due, self.completed, self.overdue = due, completed, overdue

    @property
    def rate(self) -> float | None:
        return self.completed / self.due if self.due else None

    def to_json(self) -> dict[str, Any]:
        rate = self.rate
        return {
            "due": self.due,
            "completed": self.completed,
            "rate": None if rate is None else round(rate, 4),
            "percent": None if rate is None else round(rate * 100),
            "overdue": self.overdue,
        }


class Streak:
    """Runs of consecutive local days with at least one completed task."""

    def __init__(self, current: int, longest: int, done_today: bool):
        self.current, self.longest, self.done_today = current, longest, done_today

    def to_json(self) -> dict[str, Any]:
        return {"current": self.current, "longest": self.longest, "doneToday": self.done_today}


class MilestoneStats:
    def __init__(
        self,
        milestone_id: str,
        sequence: int,
        title: str,
        status: str,
        days: int | None = None,
        day: int | None = None,
    ):
        self.milestone_id, self.sequence, self.title, self.status = (
            milestone_id,
            sequence,
            title,
            status,
        )
        self.days, self.day = days, day  # its length, and which of its days today is (active)
        self.tasks_done = self.tasks = 0

    @property
    def progress(self) -> float:
        # as `zik quest show` counts it: a completed milestone is done whatever its tasks; an
        # active one planned in days is as far along as its days gone by times their tasks done
        if self.status == "completed":
            return 1.0
        rate = self.tasks_done / self.tasks if self.tasks else 0.0
        if self.day and self.days:
            return min(self.day, self.days) / self.days * rate
        return rate

    def to_json(self) -> dict[str, Any]:
        return {
            "milestoneId": self.milestone_id,
            "sequence": self.sequence,
            "title": self.title,
            "status": self.status,
            "tasksCompleted": self.tasks_done,
            "tasks": self.tasks,
            "day": self.day,
            "days": self.days,
            "percent": round(self.progress * 100),
        }


class QuestStats:
    def __init__(self, goal_id: str, goal_name: str, status: str):
        self.goal_id, self.goal_name, self.status = goal_id, goal_name, status
        self.milestones: list[MilestoneStats] = []
        self.tasks_done = self.tasks = 0
        self.health: Health | None = None

    @property
    def milestones_done(self) -> int:
        return sum(m.status == "completed" for m in self.milestones)

    @property
    def progress(self) -> float:
        # as `zik quest list` counts it: by milestones, or by tasks when there is no roadmap
        if self.milestones:
            return self.milestones_done / len(self.milestones)
        return self.tasks_done / self.tasks if self.tasks else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "goalId": self.goal_id,
            "goalName": self.goal_name,
            "status": self.status,
            "milestonesCompleted": self.milestones_done,
            "milestones": len(self.milestones),
            "tasksCompleted": self.tasks_done,
            "tasks": self.tasks,
            "percent": round(self.progress * 100),
            "health": self.health and self.health.to_json(),
            "roadmap": [m.to_json() for m in self.milestones],
        }


class Week:
    """A Monday-start week: tasks due in it (planned), those completed (done), and every
    completion made during it, whatever the task's due date."""

    def __init__(self, start: date):
        self.start = start
        self.planned = self.done = self.completions = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "weekStart": self.start.isoformat(),
            "planned": self.planned,
            "done": self.done,
            "completions": self.completions,
        }


class Stats:
    def __init__(
        self,
        *,
        today: date,
        timezone: str,
        quest: QuestStats | None,
        completion: Completion,
        streak: Streak,
        quests: list[QuestStats],
        weeks: list[Week],
        days: dict[date, int],
    ):
        self.today, self.timezone, self.quest = today, timezone, quest
        self.completion, self.streak, self.quests, self.weeks = completion, streak, quests, weeks
        self.days = days  # completions per local day, from the first week's Monday to today
        self.thresholds = thresholds(list(days.values()))

    @property
    def start(self) -> date:
        return self.weeks[0].start

    def level(self, count: int) -> int:
        return level(count, self.thresholds)

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "timezone": self.timezone,
            "quest": self.quest.goal_id if self.quest else None,
            "completion": self.completion.to_json(),
            "streak": self.streak.to_json(),
            "quests": [q.to_json() for q in self.quests],
            "weeks": [w.to_json() for w in self.weeks],
            "days": {
                "from": self.start.isoformat(),
                "to": self.today.isoformat(),
                "thresholds": self.thresholds,
                "completions": [
                    {"date": d.isoformat(), "count": n, "level": self.level(n)}
                    for d, n in self.days.items()
                ],
            },
        }


def thresholds(counts: list[int]) -> list[int]:
    """The upper bounds of heat-map levels 1–3: quartiles of the days that have completions.

    Quartiles (as GitHub shades its contribution graph) rather than fixed numbers, so that one
    task a day and twenty a day both show their good and bad weeks, and one busy day does not
    wash out the rest.
    """
    busy = sorted(n for n in counts if n > 0)
    if not busy:
        return []
    return [busy[max(0, -(-len(busy) * q // LEVELS) - 1)] for q in range(1, LEVELS)]


def level(count: int, bounds: list[int]) -> int:
    """0 for a day without completions, else 1 (fewest) to 4 (most)."""
    return 0 if count <= 0 else 1 + sum(count > b for b in bounds)


def streaks(days: set[date], today: date) -> Streak:
    """The current streak counts today if something was done today, else it runs up to
    yesterday: a streak is not broken until today ends."""
    longest = run = 0
    previous: date | None = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == _ONE_DAY else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in days else today - _ONE_DAY
    while day in days:
        current += 1
        day -= _ONE_DAY
    return Streak(current, longest, today in days)


def collect(
    conn: sqlite3.Connection, *, quest: str | None = None, weeks: int = DEFAULT_WEEKS
) -> Stats:
    """The numbers behind `zik stats`, for every quest or (with `quest`, any id prefix) one."""
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise UsageError(f"--weeks must be between {MIN_WEEKS} and {MAX_WEEKS}, not {weeks}")
    goal_id = records.find(conn, Quest, quest).goal_id if quest is not None else None
    tz_name = profile.load(conn).timezone
    tz, today = clock.zone(tz_name), clock.local_today(tz_name)
    monday = today - timedelta(days=today.weekday())
    week_list = [Week(monday - timedelta(weeks=n)) for n in range(weeks - 1, -1, -1)]
    start = week_list[0].start

    quest_list = _quests(conn, goal_id, today, tz_name)
    completion = _count_tasks(conn, goal_id, today, quest_list)
    by_day = _completions_by_day(conn, goal_id, tz)
    _plan_weeks(conn, goal_id, week_list, by_day)
    span = range((today - start).days + 1)
    days = {day: by_day.get(day, 0) for day in (start + timedelta(days=n) for n in span)}
    return Stats(
        today=today,
        timezone=tz_name,
        quest=quest_list[0] if goal_id else None,
        completion=completion,
        streak=streaks(set(by_day), today),
        quests=quest_list,
        weeks=week_list,
        days=days,
    )


def _quests(
    conn: sqlite3.Connection, goal_id: str | None, today: date, tz_name: str
) -> list[QuestStats]:
    """Live quests (in `zik quest list` order) with their roadmaps and plan health, counts
    still zero."""
    quests = {row[0]: QuestStats(*row) for row in queries.quests(conn, goal_id)}
    rows = queries.milestones(conn, goal_id)
    for milestone_id, quest_id, sequence, title, status, days, activated in rows:
        if quest_id in quests:
            day = None
            if status == "active" and days and activated:
                day = (today - clock.local_date(activated, tz_name)).days + 1
            quests[quest_id].milestones.append(
                MilestoneStats(milestone_id, sequence, title, status, days, day)
            )
    records = quest_store.by_ids(conn, list(quests))
    found = health.of_quests(conn, list(records.values()), today, tz_name)
    for quest_id, quest in quests.items():
        quest.health = found.get(quest_id)
    return list(quests.values())


def _count_tasks(
    conn: sqlite3.Connection, goal_id: str | None, today: date, quests: list[QuestStats]
) -> Completion:
    """One pass over the live tasks: the completion rate, and counts per quest and milestone."""
    rows = queries.task_counts(conn, goal_id, today.isoformat())
    by_quest = {q.goal_id: q for q in quests}
    by_milestone = {m.milestone_id: m for q in quests for m in q.milestones}
    due = completed = overdue = 0
    for quest_id, milestone_id, total, done, due_n, completed_n, overdue_n in rows:
        due, completed, overdue = due + due_n, completed + completed_n, overdue + overdue_n
        if quest_id in by_quest:
            by_quest[quest_id].tasks += total
            by_quest[quest_id].tasks_done += done
        if milestone_id in by_milestone:
            by_milestone[milestone_id].tasks += total
            by_milestone[milestone_id].tasks_done += done
    return Completion(due, completed, overdue)


def _plan_weeks(
    conn: sqlite3.Connection, goal_id: str | None, weeks: list[Week], by_day: dict[date, int]
) -> None:
    """Fill in each week's planned and done tasks (by due date) and its completions."""
    first, last = weeks[0].start, weeks[-1].start + timedelta(days=6)
    for due, planned, done in queries.tasks_by_due_date(
        conn, goal_id, first.isoformat(), last.isoformat()
    ):
        try:
            week = weeks[(date.fromisoformat(due) - first).days // 7]
        except ValueError:  # a malformed due date (from an import): not in any week
            continue
        week.planned += planned
        week.done += done
    for day, n in by_day.items():
        if first <= day <= last:
            weeks[(day - first).days // 7].completions += n


def _completions_by_day(
    conn: sqlite3.Connection, goal_id: str | None, tz: tzinfo
) -> dict[date, int]:
    """Completed tasks per local day, over all of history (the longest streak needs it)."""
    first = queries.first_completion(conn, goal_id)
    if first is None:
        return {}
    # Each completion's local date, with the zone's UTC offset at that instant: the zone's
    # offset periods since the first completion (newest first), so that a completion is put
    # on its day whether it was made in summer or winter time.
    periods = _offset_periods(tz, _instant(first), clock.now() + _ONE_DAY)
    rows = queries.completions_by_day(conn, goal_id, periods)
    return {date.fromisoformat(day): n for day, n in rows if day}  # NULL: not a timestamp


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:  # not a timestamp (it sorted first): look back as far as zik can go
        return datetime(1970, 1, 1, tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _offset_periods(tz: tzinfo, first: datetime, last: datetime) -> list[tuple[str, int]]:
    """The zone's UTC offsets between two instants: (UTC timestamp it starts at, minutes),
    newest first; the oldest holds since `first`.

    The offset is sampled once a day (no zone changes twice in a day) and each change is
    pinned to the second by bisection, so this costs a few milliseconds for years of history.
    """
    periods = [("", _minutes(tz, first))]
    moment = first
    while moment < last:
        following = moment + _ONE_DAY
        offset = _minutes(tz, following)
        if offset != periods[-1][1]:
            low, high = 0, 86_400  # seconds after `moment`: old offset at low, new at high
            while high - low > 1:
                middle = (low + high) // 2
                if _minutes(tz, moment + timedelta(seconds=middle)) == offset:
                    high = middle
                else:
                    low = middle
            periods.append((clock.iso(moment + timedelta(seconds=high)), offset))
        moment = following
    return periods[::-1]


def _minutes(tz: tzinfo, moment: datetime) -> int:
    offset = moment.astimezone(tz).utcoffset() or timedelta(0)
    return int(offset.total_seconds()) // 60
