"""`zik import FILE`: zik's own json/jsonl exports and Taskwarrior's `task export`.

The whole file is read and checked before anything is written — every record's fields, ids
unique, every reference (a task's quest, milestone, routine) found in the file or the database —
and then written in one transaction, so a bad file changes nothing and says where it is wrong.

Importing is idempotent by id: a record not here is added; one that is here and equal is left;
one that differs is overwritten only when the file's copy was updated later (an old backup never
undoes newer work). Importing the same file twice therefore changes nothing. The import is one
`zik undo` step, and its changes reach the sync outbox like any other.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from zik.core import clock
from zik.core.changes import ChangeSet, change_set
from zik.core.exchange import archive
from zik.core.exchange.archive import Located
from zik.core.exchange.jsontext import BadFile, Text, documents
from zik.core.exchange.taskwarrior import reading as taskwarrior
from zik.errors import NotFound, UsageError
from zik.models import ENTITIES, AICall, Milestone, Quest, Record, Routine, Task
from zik.store import db, records

# The references each kind of record may hold: (column, the class it points to).
REFERENCES: dict[type[Record], tuple[tuple[str, type[Record]], ...]] = {
    Milestone: (("goal_id", Quest),),
    Routine: (("goal_id", Quest),),
    Task: (("goal_id", Quest), ("milestone_id", Milestone), ("recurrence_rule_id", Routine)),
    AICall: (("repair_of", AICall),),
}


class ImportResult:
    def __init__(self, path: str, kind: str):
        self.path, self.kind = path, kind
        self.added: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.unchanged = 0
        self.kept_newer = 0  # here and newer than the file's copy: left as it is
        self.deleted: dict[str, int] = {}  # deleted in the file's source since
        self.skipped: dict[str, int] = {}
        self.notes: list[str] = []  # what was cut or changed to fit zik's limits
        # Taskwarrior only: the zone its dates were read in, where each field went, and the
        # attributes kept in the notes for the way back (counts)
        self.timezone: str | None = None
        self.mapped: dict[str, int] = {}
        self.kept: dict[str, int] = {}

    def count(self, bucket: dict[str, int], entity: str) -> None:
        bucket[entity] = bucket.get(entity, 0) + 1

    @property
    def changed(self) -> int:
        return sum(self.added.values()) + sum(self.updated.values()) + sum(self.deleted.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "format": self.kind,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "keptNewer": self.kept_newer,
            "deleted": self.deleted,
            "skipped": self.skipped,
            "notes": self.notes,
            **(
                {"timezone": self.timezone, "mapped": self.mapped, "keptInNotes": self.kept}
                if self.kind == "taskwarrior"
                else {}
            ),
        }


def read_text(path: Path, stdin: bytes | None = None) -> Text:
    """The file's text; `stdin` holds the bytes piped in when the path is `-`."""
    try:
        raw = stdin if stdin is not None else path.expanduser().read_bytes()
    except FileNotFoundError:
        raise NotFound(f"no file {path}") from None
    except OSError as e:
        raise BadFile(f"cannot read {path}: {e.strerror}") from None
    name = "stdin" if stdin is not None else str(path)
    try:
        return Text(name, raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise BadFile(f"{name} line {line}: not UTF-8 text; nothing was imported") from None


def import_file(
    conn: sqlite3.Connection, path: Path, stdin: bytes | None = None, tz: str | None = None
) -> ImportResult:
    """Check the whole file, then write it in one transaction; raises BadFile (exit 1).
    `tz` is the timezone Taskwarrior's dates are read in (default: the profile's)."""
    if tz is not None:
        clock.zone(tz)  # an unknown zone is a usage error before the file is read
    text = read_text(path, stdin)
    docs = documents(text)
    reading = None
    if archive.is_header(docs[0][0]):
        if tz is not None:
            raise UsageError("--tz only applies to a Taskwarrior export")
        found = archive.read(text, docs)
        kind = "zik json" if len(docs) == 1 else "zik jsonl"
    elif taskwarrior.looks_like(docs):
        reading = taskwarrior.read(conn, text, docs, tz)
        found = reading.found
        kind = "taskwarrior"
    else:
        raise text.fail(
            docs[0][1],
            "not a zik export nor a Taskwarrior export",
            hint='zik reads its own `zik export` files (with "format": "zik") and `task export`',
        )
    _check_ids(conn, text, found)
    result = ImportResult(text.name, kind)
    if reading is not None:
        result.skipped = dict(reading.skipped)
        result.notes = reading.notes
        result.timezone = reading.zone
        result.mapped, result.kept = dict(reading.mapped), dict(reading.kept)
    with change_set(conn, f"import {path.name if stdin is None else 'from stdin'}") as cs:
        db.defer_foreign_keys(conn)
        for located in found.values():
            for item in located:
                _write(conn, cs, item.record, result)
    return result


def _check_ids(
    conn: sqlite3.Connection, text: Text, found: dict[type[Record], list[Located]]
) -> None:
    """Ids unique in the file; every reference resolves to the file or the database."""
    keys: dict[type[Record], set[str]] = {}
    for cls, located in found.items():
        seen = keys.setdefault(cls, set())
        for item in located:
            if item.record.key in seen:
                raise text.fail(item.offset, f"{item.label}: id {item.record.key} appears twice")
            seen.add(item.record.key)
    for cls, references in REFERENCES.items():
        for item in found.get(cls, []):
            for column, target in references:
                value = getattr(item.record, column)
                known = keys.setdefault(target, set())  # the file's ids, and those found here
                if value is None or value in known:
                    continue
                if records.lookup(conn, target, value) is not None:
                    known.add(value)
                else:
                    field = cls.json_name(column)
                    raise text.fail(
                        item.offset,
                        f"{item.label}: field {field}: no {target.ENTITY} {value} in the file"
                        " or in zik",
                    )


def _write(conn: sqlite3.Connection, cs: ChangeSet, record: Record, result: ImportResult) -> None:
    cls = type(record)
    current = records.lookup(conn, cls, record.key)
    if current == record:
        result.unchanged += 1
        return
    if current is not None and not _newer(record, current, ties=result.kind == "taskwarrior"):
        result.kept_newer += 1
        return
    if cls.ENTITY == "profile":
        # Profile edits are not undo steps (core/profile.py): its event goes in a change set of
        # its own, inside the same transaction.
        with change_set(conn, "import profile", undoable=False) as own:
            own.put(record, current)
    elif cls.ENTITY in ENTITIES:
        cs.put(record, current)
    elif current is None:
        records.insert(conn, record)  # chat, the chat summary and AI calls: no events
    else:
        records.update(conn, record)
    gone = current is not None and current.deleted_at is None and record.deleted_at is not None  # type: ignore[attr-defined]
    bucket = result.added if current is None else result.deleted if gone else result.updated
    result.count(bucket, cls.ENTITY)


def _newer(record: Record, current: Record, ties: bool = False) -> bool:
    """Whether the file's copy was updated later. `ties`: Taskwarrior's stamps are whole
    seconds, so the same stamp here means an import wrote it (zik's edits carry milliseconds)
    and the file's differing copy is a later change made within that second."""
    mine, theirs = getattr(record, "updated_at", ""), getattr(current, "updated_at", "")
    return bool(mine) and (mine > theirs or (ties and mine == theirs))
