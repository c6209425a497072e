"""Reading Taskwarrior's `task export` into zik records (the mapping is in the package's
docstring and the README).

One odd value never refuses the whole file: what zik cannot hold as written is read as the
nearest it can and said in the summary; only a file that is not a Taskwarrior export at all (a
task without a uuid, a status Taskwarrior does not have, a date that is no date) is refused,
with the line at fault.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from zik.core import clock
from zik.core import profile as profiles
from zik.core.exchange.archive import Located
from zik.core.exchange.jsontext import Text, items
from zik.core.exchange.taskwarrior import fields as tw
from zik.core.exchange.taskwarrior.entry import UNDATED, Entry, Reading, fitted
from zik.models import Quest, Record, Routine, Task
from zik.store import quests as quest_store
from zik.store import records

# A JSON escape of half a UTF-16 pair; whole pairs decode to real characters and pass the check.
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
# Quests made from projects get ids from this namespace and the project's name.
PROJECTS = uuid.UUID("5b0c2f3e-7a51-4d1e-9a77-0f1f2a6c9e10")


def looks_like(docs: list[tuple[Any, int]]) -> bool:
    """Whether the file's values look like `task export` output (an array, or one per line)."""
    first = docs[0][0]
    if isinstance(first, list) and len(docs) == 1:
        first = first[0] if first else {"uuid": None}  # an empty export imports nothing
    return isinstance(first, dict) and "uuid" in first


def read(
    conn: sqlite3.Connection, text: Text, docs: list[tuple[Any, int]], tz: str | None = None
) -> Reading:
    """The quests, routines and tasks of the file; deletions in Taskwarrior come back as
    tombstones of what an earlier import made. Dates are read in `tz` (default: the profile's
    timezone), since a date typed in Taskwarrior is stored as that zone's midnight."""
    entries = items(text, docs[0][1]) if isinstance(docs[0][0], list) else docs
    reading = Reading(tz or profiles.load(conn).timezone)
    zone = clock.zone(reading.zone)
    today = clock.now().astimezone(zone).date().isoformat()
    parsed = [Entry(text, value, offset, n, zone) for n, (value, offset) in enumerate(entries, 1)]
    if _SURROGATE.search(text.text):  # a \ud800-style escape: text no database can hold
        for entry in parsed:
            entry.check_text()
    quests = _Quests(conn, reading)
    routines = _routines(conn, parsed, quests, reading)
    rules = set(routines.values())
    for entry in parsed:
        if entry.template:
            continue  # read above
        rule = routines.get(entry.value.get("parent") or "") or entry.zik_routine(conn, rules)
        day, source = entry.day(today)
        if source == UNDATED and (here := records.lookup(conn, Task, entry.uuid)) is not None:
            day = here.due_date  # the day an earlier import gave it: not a change in the file
        if entry.status == "deleted" and not entry.value.get(tw.SKIPPED):  # zik's skip: kept
            _deletion(conn, reading, Task, entry.task_id(rule, day), entry)
            continue
        reading.mapped[source] += 1
        task = entry.task(conn, quests.of(conn, entry), rule, day, source, reading)
        reading.found[Task].append(Located(task, entry.offset, entry.label))
    reading.found[Quest] = quests.made(conn, reading.found[Task])
    _say_dates(parsed, zone, reading)
    return reading


def _deletion(
    conn: sqlite3.Connection, reading: Reading, cls: type[Record], key: str, entry: Entry
) -> None:
    """A task (or recurring task) deleted in Taskwarrior: deleted here too when an earlier
    import brought it and it has not changed here since (the same stamp: an import wrote it,
    as zik's own edits carry milliseconds); otherwise skipped."""
    here = records.lookup(conn, cls, key)
    if here is None or here.deleted_at is not None or here.updated_at > entry.modified:  # type: ignore[attr-defined]
        reading.skipped["deleted"] += 1
        return
    gone = here.replace(deleted_at=entry.modified, updated_at=entry.modified)
    reading.found[cls].append(Located(gone, entry.offset, entry.label))
    reading.mapped["deleted → deleted here"] += 1


def _routines(
    conn: sqlite3.Connection, parsed: list[Entry], quests: _Quests, reading: Reading
) -> dict[str, str]:
    """Routines for the recurring templates whose period a routine can hold (their uuid →
    the routine's id); the others are reported and their instances stay one-off tasks."""
    made: dict[str, Routine] = {}
    located: dict[str, Located] = {}
    ids: dict[str, str] = {}
    for entry in parsed:
        if not entry.template:
            continue
        frequency = tw.repeat(entry.value.get(tw.FREQUENCY), entry.value.get("recur"))
        if frequency not in tw.RECUR:
            reading.skipped["recurring"] += 1
            reading.notes.append(
                f"{entry.label}: repeats {entry.value.get('recur')!r}, which a zik routine cannot"
                " (daily, weekdays, weekends, weekly): its instances are one-off tasks"
            )
            continue
        ids[entry.uuid] = entry.rule_id()
        if entry.status == "deleted":
            _deletion(conn, reading, Routine, ids[entry.uuid], entry)
            continue
        routine = entry.routine(quests.of(conn, entry), frequency, reading)
        same = made.get(routine.recurrence_rule_id)  # zik wrote one per weekday: one routine
        if same is not None and routine.frequency == "weekly":
            days = sorted({*(same.days_of_week or ()), *(routine.days_of_week or ())})
            routine = same.replace(days_of_week=days)
        elif same is not None:
            routine = same
        made[routine.recurrence_rule_id] = routine
        located[routine.recurrence_rule_id] = Located(routine, entry.offset, entry.label)
        reading.mapped[f"recurring ({routine.frequency}) → routine"] += 1
    for key, routine in made.items():
        located[key].record = routine
        reading.found[Routine].append(located[key])
    return ids


class _Quests:
    """The quest of each project: a live quest of that name, else one made with an id derived
    from the name (so the next import finds it). A quest deleted here stays deleted unless a
    task of its project is new or changed in Taskwarrior since."""

    def __init__(self, conn: sqlite3.Connection, reading: Reading):
        self.reading = reading
        self.existing: dict[str, str] = {}
        for quest in quest_store.list_where(conn, None):  # active and paused first, then oldest
            self.existing.setdefault(quest.goal_name.casefold(), quest.goal_id)
        self.new: dict[str, tuple[Quest, int, bool]] = {}  # key → (quest, offset, was deleted)

    def of(self, conn: sqlite3.Connection, entry: Entry) -> str | None:
        chosen = entry.value.get(tw.QUEST)
        if isinstance(chosen, str):
            here = records.lookup(conn, Quest, chosen)
            if here is not None and here.deleted_at is None:
                return here.goal_id
        if not entry.project:
            return None
        key = entry.project.strip().casefold()
        if key in self.existing:
            return self.existing[key]
        made = self.new.get(key)
        if made is not None:
            if made[0].created_at > entry.entry:  # a quest starts with its project's first task
                self.new[key] = (made[0].replace(created_at=entry.entry), made[1], made[2])
            return made[0].goal_id
        goal_id = str(uuid.uuid5(PROJECTS, key))
        here = records.lookup(conn, Quest, goal_id)
        if here is not None and here.deleted_at is None:  # renamed since an import made it
            self.existing[key] = goal_id
            return goal_id
        quest = Quest(
            goal_id=goal_id,
            goal_name=fitted(entry.project.strip()),
            created_at=entry.entry,
            updated_at=clock.timestamp() if here else entry.entry,  # newer than the deletion
            source="import",
        )
        self.new[key] = (quest, entry.offset, here is not None)
        return goal_id

    def made(self, conn: sqlite3.Connection, tasks: list[Located]) -> list[Located]:
        """The quests to write: the new ones, and those deleted here that a task of this file
        brings something new to."""
        wanted = {quest.goal_id for quest, _, deleted in self.new.values() if deleted}
        fresh: set[str] = set()
        for item in tasks:
            task = item.record
            if task.goal_id in wanted and task.goal_id not in fresh:  # type: ignore[attr-defined]
                here = records.lookup(conn, Task, task.key)
                if here is None or task.updated_at > here.updated_at:  # type: ignore[attr-defined]
                    fresh.add(task.goal_id)  # type: ignore[attr-defined]
        quests = []
        for quest, offset, deleted in self.new.values():
            if deleted and quest.goal_id not in fresh:
                self.reading.mapped["project deleted here → left deleted"] += 1
                continue
            quests.append(Located(quest, offset, f"project {quest.goal_name!r}"))
            self.reading.mapped["project → quest"] += 1
        return quests


def _say_dates(parsed: list[Entry], zone: ZoneInfo, reading: Reading) -> None:
    """A hint when the due dates look typed in another zone: date-only dues are stored as
    their zone's midnight, so most at one other whole hour means a zone other than this one."""
    times = Counter(
        (local.hour, local.minute, local.second)
        for entry in parsed
        if (due := entry.moments.get("due")) is not None
        for local in (due.astimezone(zone),)
    )
    if not times:
        return
    (common, n), total = times.most_common(1)[0], sum(times.values())
    if common != (0, 0, 0) and common[1:] == (0, 0) and n * 2 > total:
        reading.notes.append(
            f"{n} of {total} due dates are at {common[0]:02d}:00 in {reading.zone}, not midnight:"
            " if Taskwarrior ran in another timezone, import again with --tz ZONE"
        )
