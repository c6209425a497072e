"""`zik export`: the database as zik's json/jsonl (to rebuild it), a Markdown plan to read, an
iCalendar feed for a calendar app, or tasks for Taskwarrior's `task import`.

Written to stdout as it is made, or to a file that appears whole (written beside it, then
renamed) and private (0600: it holds chat history and the AI call log).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from zik.core import clock, profile
from zik.core.exchange import archive
from zik.errors import UsageError, ZikError
from zik.store.db import snapshot

FORMATS = ("json", "jsonl", "md", "ics", "taskwarrior")


def chunks(conn: sqlite3.Connection, fmt: str, tz: str | None = None) -> Iterator[str]:
    """The export in `fmt`, piece by piece, all read from one snapshot of the database (a
    read transaction), so it is consistent while other processes write. `tz`: the timezone
    Taskwarrior dates are written in (default: the profile's)."""
    if tz is not None and fmt != "taskwarrior":
        raise UsageError("--tz only applies to -f taskwarrior")
    if tz is not None:
        clock.zone(tz)  # an unknown zone is refused before anything is written
    with snapshot(conn):
        yield from _pieces(conn, fmt, tz)


def _pieces(conn: sqlite3.Connection, fmt: str, tz: str | None) -> Iterator[str]:
    if fmt == "json":
        return archive.dump_json(conn)
    if fmt == "jsonl":
        return archive.dump_jsonl(conn)
    if fmt == "md":
        from zik.core.exchange import plan_markdown

        return plan_markdown.chunks(conn, today=profile.local_today(conn).isoformat())
    if fmt == "ics":
        from zik.core.exchange import ics

        return ics.iter_lines(conn)
    if fmt == "taskwarrior":
        from zik.core.exchange.taskwarrior import writing

        return writing.dump(conn, tz or profile.load(conn).timezone)
    raise UsageError(f"unknown format {fmt!r}", hint=f"formats: {', '.join(FORMATS)}")


# File name endings that name a format (anything else exports json).
SUFFIXES = {**{f: f for f in FORMATS}, "markdown": "md", "ical": "ics", "ndjson": "jsonl"}
SUFFIXES.pop("taskwarrior")  # a Taskwarrior export is a .json file: named with -f


def format_of(target: Path | None, fmt: str | None) -> str:
    """The format asked for, or the one the file name says (zik.ics → ics), json otherwise."""
    if fmt:
        return fmt
    suffix = target.suffix.lstrip(".").lower() if target else ""
    return SUFFIXES.get(suffix, "json")


class Exported:
    def __init__(self, path: Path, fmt: str, size: int, counts: dict[str, int]):
        self.path, self.format, self.size, self.counts = path, fmt, size, counts

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format, "bytes": self.size, **self.counts}


def to_file(conn: sqlite3.Connection, fmt: str, target: Path, tz: str | None = None) -> Exported:
    """Write the export to `target`: a regular file appears whole (written beside it, then
    renamed); anything else that exists (a pipe, /dev/stdout) is written to directly."""
    target = target.expanduser()
    if target.is_dir():
        raise UsageError(f"{target} is a folder", hint="give a file name")
    if not target.parent.is_dir():
        raise UsageError(f"no folder {target.parent}", hint="create it, or give another path")
    special = target.exists() and not target.is_file()
    partial = target if special else target.with_name(f".{target.name}.partial")
    pieces = chunks(conn, fmt, tz)
    size = 0
    try:
        flags = os.O_WRONLY | (0 if special else os.O_CREAT | os.O_TRUNC)
        with os.fdopen(os.open(partial, flags, 0o600), "wb") as out:
            for piece in pieces:
                data = piece.encode()
                size += len(data)
                out.write(data)
        if not special:
            os.replace(partial, target)
    except OSError as e:
        raise ZikError(f"cannot write {target}: {e.strerror}") from None
    finally:
        if not special:
            partial.unlink(missing_ok=True)
    return Exported(target, fmt, size, archive.counts(conn))
