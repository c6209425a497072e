"""One task of a Taskwarrior export, checked and read into zik's records (reading.py holds
the file-wide parts: quests, routines, deletions)."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from zik.core import clock
from zik.core.exchange.archive import Located
from zik.core.exchange.jsontext import Text
from zik.core.exchange.taskwarrior import fields as tw
from zik.core.routines import backend_weekday, instance_id
from zik.models import (
    MAX_DESCRIPTION,
    MAX_TAG,
    MAX_TAGS,
    MAX_TITLE,
    Milestone,
    Quest,
    Record,
    Routine,
    Task,
)
from zik.store import records

NO_DESCRIPTION = "(no description)"
STATUSES = ("pending", "waiting", "completed", "deleted", "recurring")
UNDATED = "no date → due today"
_DATES = ("entry", "modified", "due", "scheduled", "wait", "start", "end", "until")
# Attributes the mapping reads into zik's fields; everything else Taskwarrior wrote is kept in
# the notes (fields.py), apart from what it computes itself.


class Reading:
    """What a Taskwarrior file holds for zik, and the summary of how it was read."""

    def __init__(self, zone: str):
        self.zone = zone
        self.found: dict[type[Record], list[Located]] = {Quest: [], Routine: [], Task: []}
        self.skipped: Counter[str] = Counter()
        self.mapped: Counter[str] = Counter()  # Taskwarrior field → where it went, counted
        self.kept: Counter[str] = Counter()  # attributes kept in the notes
        self.notes: list[str] = []  # one line per value read other than as written


def fitted(text: str) -> str:
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1] + "…"


def _tag(word: str) -> str:
    """A tag as the CLI takes it: one word (spaces become dashes) of up to 50 characters."""
    return "-".join(word.split())[:MAX_TAG]


class Entry:
    """One exported Taskwarrior task, checked: raises BadFile naming its line and field."""

    def __init__(self, text: Text, value: Any, offset: int, n: int, zone: ZoneInfo):
        self.text, self.offset, self.zone = text, offset, zone
        ident = value.get("uuid") if isinstance(value, dict) else None
        self.label = f"task {n}" + (f" ({ident[:8]})" if isinstance(ident, str) else "")
        if not isinstance(value, dict):
            raise self._fail("is not an object")
        self.value = value
        if not isinstance(ident, str) or not tw.is_uuid(ident.lower()):
            raise self._fail(f"uuid {ident!r} is not a UUID")
        self.uuid = ident.lower()
        self.said: list[str] = []  # what was read other than as written, for the summary
        self.description = value.get("description")
        if self.description is None or (
            isinstance(self.description, str) and not self.description.strip()
        ):  # Taskwarrior 3 only warns about a task without one
            self.description = NO_DESCRIPTION
            self.said.append(f"{self.label}: no description: named {NO_DESCRIPTION!r}")
        elif not isinstance(self.description, str):
            raise self._fail(f"description {self.description!r} is not text")
        self.status = value.get("status")
        if self.status not in STATUSES:
            raise self._fail(f"status {self.status!r} is not one of {', '.join(STATUSES)}")
        self.template = self.status == "recurring" or (
            self.status == "deleted" and "recur" in value and "parent" not in value
        )
        self.moments: dict[str, datetime] = {}
        self.someday: set[str] = set()
        for name in _DATES:
            if name in value:
                self._date(name)
        self.dates = {name: tw.stamp(value[name], m) for name, m in self.moments.items()}
        self.entry = self.dates.get("entry") or clock.timestamp()
        self.modified = self.dates.get("modified") or self.entry
        self.priority = value.get("priority")
        if self.priority is not None and self.priority not in tw.PRIORITY:  # a priority UDA
            self.said.append(f"{self.label}: priority {self.priority!r} read as medium")
        self.project = value.get("project")
        if self.project is not None and not (
            isinstance(self.project, str) and self.project.strip()
        ):
            raise self._fail(f"project {self.project!r} is not a name")
        self.tags = value.get("tags", [])
        if not isinstance(self.tags, list) or not all(
            isinstance(t, str) and t.strip() for t in self.tags
        ):
            raise self._fail(f"tags {self.tags!r} is not a list of words")
        self.annotations = self._annotations(value.get("annotations", []))

    def check_text(self) -> None:
        """Refuse a task holding text that is not valid UTF-8 (a lone surrogate escape): no
        database or terminal can hold it, and which field it is in matters not."""
        try:
            json.dumps(self.value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise self._fail(
                "has text that is not valid UTF-8 (half of a \\u surrogate pair)"
            ) from None

    def _fail(self, problem: str):
        return self.text.fail(self.offset, f"{self.label}: {problem}")

    def _date(self, name: str) -> None:
        raw = self.value[name]
        moment = tw.parse(raw)
        if moment is not None and moment.year >= 9000 and name != "entry":
            # Taskwarrior's own far date (`due:someday` is 9999-12-30): no date at all
            self.said.append(f"{self.label}: {name} {raw!r} (someday) read as no {name} date")
            self.someday.add(name)
            return
        if moment is None or not 1970 <= moment.year <= 9998:
            raise self._fail(f"{name} {raw!r} is not a Taskwarrior date (e.g. 20261125T180000Z)")
        self.moments[name] = moment

    def _annotations(self, notes: Any) -> list[tuple[str | None, str]]:
        if not isinstance(notes, list) or not all(
            isinstance(a, dict) and isinstance(a.get("description"), str) for a in notes
        ):
            raise self._fail("annotations is not a list of {entry, description}")
        entry = self.value.get("entry")
        # one made the same second as the task (add, then annotate) needs no time of its own
        return [(None if a.get("entry") in (None, entry) else a["entry"], a["description"]) for a in notes]  # fmt: skip

    def _kept(self, reading: Reading, extra: dict[str, Any]) -> dict[str, Any]:
        """The attributes kept in the notes: everything not mapped, as Taskwarrior wrote it."""
        kept = {k: v for k, v in self.value.items() if k not in tw.MAPPED}
        kept.update(extra)
        for name in kept:
            reading.kept[name] += 1
        return kept

    def rule_id(self) -> str:
        """A routine's id: the one zik exported it with, else from the template's uuid."""
        rule = self.value.get(tw.ROUTINE)
        return rule if isinstance(rule, str) and rule.startswith("rule_") else f"rule_{self.uuid}"

    def zik_routine(self, conn: sqlite3.Connection, rules: set[str]) -> str | None:
        """The routine zik exported this task as an instance of, if it is in the file or here."""
        rule = self.value.get(tw.ROUTINE)
        if not isinstance(rule, str):
            return None
        return rule if rule in rules or records.lookup(conn, Routine, rule) else None

    def routine(self, goal_id: str | None, frequency: str, reading: Reading) -> Routine:
        days = None
        if frequency == "weekly":
            due = self.moments.get("due") or self.moments.get("entry")
            days = [backend_weekday(due.astimezone(self.zone).date())] if due else [1]
        ours = tw.ROUTINE in self.value  # zik's own export: its bookkeeping is not kept
        extra = {} if ours or "due" not in self.value else {"due": self.value["due"]}
        kept = self._kept(reading, extra)
        if ours:
            kept = {k: v for k, v in kept.items() if k not in ("mask", "recur", "rtype")}
        if tw.DAYS in self.value:
            days = _days(self.value[tw.DAYS]) or days
        return Routine(
            recurrence_rule_id=self.rule_id(),
            title=fitted(self.description.strip()),
            frequency=frequency,
            description=tw.write_notes(self.annotations, kept),
            priority=tw.PRIORITY.get(self.priority, "medium"),
            days_of_week=days if frequency == "weekly" else None,
            goal_id=goal_id,
            estimated_minutes=_minutes(self.value.get(tw.ESTIMATE)),
            status="paused" if self.value.get(tw.PAUSED) else "active",
            created_at=self.entry,
            updated_at=self.modified,
            source="import",
        )

    def day(self, today: str) -> tuple[str, str]:
        """The task's day in zik, and which of its dates gave it (for the summary)."""
        for name in ("due", "scheduled", "wait"):
            if name in self.moments:
                return tw.local_day(self.moments[name], self.zone), f"{name} → due date"
        if self.status == "completed":
            end = self.moments.get("end") or tw.from_stamp(self.modified)
            return tw.local_day(end, self.zone), "end → due date (no due)"
        return today, UNDATED

    def task_id(self, rule: str | None, day: str) -> str:
        """A routine's instance is its day's task, so zik never makes that day twice."""
        return instance_id(rule, date.fromisoformat(day)) if rule else self.uuid

    def task(
        self,
        conn: sqlite3.Connection,
        goal_id: str | None,
        rule: str | None,
        day: str,
        source: str,
        reading: Reading,
    ) -> Task:
        reading.notes += self.said
        dates, extra = self.dates, {}
        done = self.status == "completed"
        if not source.startswith("due"):
            extra["due"] = None  # no due in Taskwarrior: none is written back
        elif not tw.is_midnight(self.moments["due"], self.zone):
            extra["due"] = self.value["due"]  # a due time: kept for the way back
        for name in self.someday:
            extra[name] = self.value[name]
        if self.priority is not None and self.priority not in tw.PRIORITY:
            extra["priority"] = self.priority  # written back as it was
        task_id = self.task_id(rule, day)
        if task_id != self.uuid:
            extra["uuid"] = self.uuid
        head = self.description if len(self.description) > MAX_TITLE else None
        if head:
            reading.notes.append(f"{self.label}: its description is kept whole in the task's notes")
        kept = self._kept(reading, extra)
        whole = description = tw.write_notes(self.annotations, kept, head, limit=10**9)
        if whole and len(whole) > MAX_DESCRIPTION:
            description = tw.write_notes(self.annotations, kept, head)
        if self.annotations:
            reading.mapped["annotations → notes"] += 1
        if whole and len(whole) > MAX_DESCRIPTION:
            reading.notes.append(
                f"{self.label}: its notes were cut from {len(whole):,} to"
                f" {MAX_DESCRIPTION:,} characters"
            )
        milestone = self.value.get(tw.MILESTONE)
        milestone_id = None
        tags = [_tag(t) for t in self.tags]
        if isinstance(milestone, str) and records.lookup(conn, Milestone, milestone):
            milestone_id = milestone
            tags = [t for t in tags if not tw.MILESTONE_TAG.match(t)]  # the tag zik wrote
        elif tags != self.tags or len(tags) > MAX_TAGS:
            reading.notes.append(f"{self.label}: tags {self.tags!r} read as {tags[:MAX_TAGS]!r}")
        skipped = tw.parse(self.value.get(tw.SKIPPED))
        status = "completed" if done else ("in-progress" if "start" in dates else "pending")
        return Task(
            task_id=task_id,
            task_name=fitted(self.description.strip()),
            due_date=day,
            description=description,
            priority=tw.PRIORITY.get(self.priority, "medium"),
            status=status,
            goal_id=goal_id,
            milestone_id=milestone_id,
            recurrence_rule_id=rule,
            estimated_minutes=_minutes(self.value.get(tw.ESTIMATE)),
            tags=list(dict.fromkeys(tags))[:MAX_TAGS],
            created_at=self.entry,
            updated_at=self.modified,
            started_at=dates.get("start"),
            completed_at=(dates.get("end") or self.modified) if done else None,
            skipped_at=clock.iso(skipped) if skipped else None,
            source="import",
        )


def _days(value: Any) -> list[int] | None:
    """zik's weekdays as it exported them (`0,3`: Sunday and Wednesday)."""
    if not isinstance(value, str):
        return None
    days = [int(d) for d in value.split(",") if d.strip().isdigit() and int(d) <= 6]
    return sorted(set(days)) or None


def _minutes(value: Any) -> int | None:
    """zik's estimate as it exported it (Taskwarrior gives an unknown number back as text,
    `20.000000`)."""
    try:
        minutes = float(value)
    except (TypeError, ValueError):
        return None
    return int(minutes) if minutes.is_integer() and 0 < minutes <= 1440 else None
