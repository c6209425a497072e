"""Reading Taskwarrior's `task export` into zik records.

Mapping (also in the README): each project becomes a quest (an existing live quest of that name
is reused; a new one gets an id derived from the name, so importing again finds it); the task's
uuid stays its id, so importing the same export twice changes nothing. `due` becomes dueDate in
the profile's timezone (no due: `scheduled`, then `wait`, then the completion day for done
tasks, else today); priority H/M/L → high/medium/low; pending/waiting → pending (in-progress
when started), completed → completed; tags are kept; annotations become the description.
Deleted tasks and recurring templates (their instances are ordinary tasks) are skipped.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from datetime import UTC, date, datetime
from typing import Any

from zik.core import clock
from zik.core import profile as profiles
from zik.core.exchange.archive import Located
from zik.core.exchange.jsontext import Text, items
from zik.models import MAX_DESCRIPTION, MAX_TAG, MAX_TAGS, MAX_TITLE, Quest, Record, Task
from zik.store import quests as quest_store
from zik.store import records

# Quests made from projects get ids from this namespace and the project's name.
PROJECTS = uuid.UUID("5b0c2f3e-7a51-4d1e-9a77-0f1f2a6c9e10")
PRIORITY = {"H": "high", "M": "medium", "L": "low"}
NO_DESCRIPTION = "(no description)"
STATUSES = ("pending", "waiting", "completed", "deleted", "recurring")
SKIPPED = ("deleted", "recurring")
_BASIC = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DATES = ("entry", "modified", "due", "scheduled", "wait", "start", "end")


def looks_like(docs: list[tuple[Any, int]]) -> bool:
    """Whether the file's values look like `task export` output (an array, or one per line)."""
    first = docs[0][0]
    if isinstance(first, list) and len(docs) == 1:
        first = first[0] if first else {"uuid": None}  # an empty export imports nothing
    return isinstance(first, dict) and "uuid" in first


def read(
    conn: sqlite3.Connection, text: Text, docs: list[tuple[Any, int]], notes: list[str]
) -> tuple[dict[type[Record], list[Located]], dict[str, int]]:
    """Quests and tasks for the file's tasks, and how many of each skipped status there were;
    what had to be cut or changed to fit zik's limits is said in `notes`."""
    entries = items(text, docs[0][1]) if isinstance(docs[0][0], list) else docs
    zone = clock.zone(profiles.load(conn).timezone)
    today = clock.now().astimezone(zone).date().isoformat()
    existing: dict[str, str] = {}
    for quest in quest_store.list_where(conn, None):  # active and paused first, then oldest
        existing.setdefault(quest.goal_name.casefold(), quest.goal_id)
    quests: dict[str, Located] = {}
    tasks: list[Located] = []
    skipped = {status: 0 for status in SKIPPED}
    for n, (value, offset) in enumerate(entries, start=1):
        entry = _Entry(text, value, offset, n)
        if entry.status in SKIPPED:
            skipped[entry.status] += 1
            continue
        goal_id = None
        if entry.project:
            goal_id = existing.get(entry.project.strip().casefold())
            if goal_id is None:
                goal_id = _quest(conn, quests, entry, offset)
        tasks.append(Located(entry.task(goal_id, zone, today, notes), offset, entry.label))
    return {Quest: list(quests.values()), Task: tasks}, skipped


def _quest(conn: sqlite3.Connection, quests: dict[str, Located], entry: _Entry, offset: int) -> str:
    """The id of the quest for the entry's project, made (or brought back) when needed.

    A new quest starts when the project's first task did and has an id derived from the name,
    so the next import finds it even if it was renamed. One that an earlier import made and
    that was deleted since comes back: its tasks would otherwise hang under a deleted quest."""
    key = entry.project.strip().casefold()  # type: ignore[union-attr]
    goal_id = str(uuid.uuid5(PROJECTS, key))
    made = quests.get(key)
    if made is not None and made.record.created_at <= entry.entry:
        return goal_id
    here = records.lookup(conn, Quest, goal_id)
    if here is not None and here.deleted_at is None:
        return goal_id
    quest = Quest(
        goal_id=goal_id,
        goal_name=_title(entry.project.strip()),  # type: ignore[union-attr]
        created_at=entry.entry,
        updated_at=clock.timestamp() if here else entry.entry,  # newer than the deletion
        source="import",
    )
    quests[key] = Located(quest, offset, f"project {entry.project!r}")
    return goal_id


def _title(text: str) -> str:
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1] + "…"


def _tag(word: str) -> str:
    """A tag as the CLI takes it: one word (spaces become dashes) of up to 50 characters."""
    return "-".join(word.split())[:MAX_TAG]


class _Entry:
    """One exported Taskwarrior task, checked: raises BadFile naming its line and field."""

    def __init__(self, text: Text, value: Any, offset: int, n: int):
        self.text, self.offset = text, offset
        ident = value.get("uuid") if isinstance(value, dict) else None
        self.label = f"task {n}" + (f" ({ident[:8]})" if isinstance(ident, str) else "")
        if not isinstance(value, dict):
            raise self._fail("is not an object")
        self.value = value
        if not isinstance(ident, str) or not _UUID.match(ident.lower()):
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
        read = {name: self._date(name) for name in _DATES if name in value}
        self.dates = {name: stamp for name, stamp in read.items() if stamp is not None}
        now = clock.timestamp()
        self.entry = self.dates.get("entry") or now
        self.priority = value.get("priority")
        if self.priority is not None and self.priority not in PRIORITY:  # a priority UDA value
            self.said.append(f"{self.label}: priority {self.priority!r} read as medium")
            self.priority = None
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
        self.notes = self._annotations(value.get("annotations", []))

    def _fail(self, problem: str):
        return self.text.fail(self.offset, f"{self.label}: {problem}")

    def _date(self, name: str) -> str | None:
        raw = self.value[name]
        moment = None
        if isinstance(raw, str):
            basic = _BASIC.match(raw)
            try:
                if basic:
                    moment = datetime(*map(int, basic.groups()), tzinfo=UTC)  # type: ignore[misc]
                elif raw.endswith("Z") and "T" in raw:
                    moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                moment = None
        if moment is not None and moment.year >= 9000 and name != "entry":
            # Taskwarrior's own far date (`due:someday` is 9999-12-30): no date at all
            self.said.append(f"{self.label}: {name} {raw!r} (someday) read as no {name} date")
            return None
        if moment is None or not 1970 <= moment.year <= 9998:
            raise self._fail(f"{name} {raw!r} is not a Taskwarrior date (e.g. 20261125T180000Z)")
        return clock.iso(moment)

    def _annotations(self, notes: Any) -> str | None:
        if not isinstance(notes, list) or not all(
            isinstance(a, dict) and isinstance(a.get("description"), str) for a in notes
        ):
            raise self._fail("annotations is not a list of {entry, description}")
        lines = [a["description"] for a in notes]
        return "\n".join(lines) or None

    def task(self, goal_id: str | None, zone: Any, today: str, notes: list[str]) -> Task:
        notes += self.said
        dates = self.dates

        def local(stamp: str) -> str:
            moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            return moment.astimezone(zone).date().isoformat()

        done = self.status == "completed"
        finished = (dates.get("end") or dates.get("modified") or self.entry) if done else None
        due = next((dates[n] for n in ("due", "scheduled", "wait") if n in dates), None)
        due_date = local(due) if due else (local(finished) if finished else today)
        description = self.notes
        if len(self.description) > MAX_TITLE:
            description = "\n\n".join(filter(None, (self.description, description)))
            notes.append(f"{self.label}: its description is kept whole in the task's notes")
        if description and len(description) > MAX_DESCRIPTION:
            notes.append(
                f"{self.label}: its annotations were cut from {len(description):,} to"
                f" {MAX_DESCRIPTION:,} characters"
            )
        tags = [_tag(t) for t in self.tags]
        if tags != self.tags or len(tags) > MAX_TAGS:
            notes.append(f"{self.label}: tags {self.tags!r} read as {tags[:MAX_TAGS]!r}")
        status = "completed" if done else ("in-progress" if "start" in dates else "pending")
        return Task(
            task_id=self.uuid,
            task_name=_title(self.description.strip()),
            due_date=date.fromisoformat(due_date).isoformat(),
            description=description[:MAX_DESCRIPTION] if description else None,
            priority=PRIORITY.get(self.priority, "medium"),  # type: ignore[arg-type]
            status=status,
            goal_id=goal_id,
            tags=list(dict.fromkeys(tags))[:MAX_TAGS],
            created_at=self.entry,
            updated_at=dates.get("modified") or self.entry,
            started_at=dates.get("start"),
            completed_at=finished,
            source="import",
        )
