"""Generic reads and writes of one record, shared by every table.

Rows are never removed: a delete sets `deleted_at` (a tombstone the sync engine needs), and
every read here skips tombstones.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import TypeVar

from zik.errors import AmbiguousId, NotFound, UsageError
from zik.models import Record, short_id, typed_id

R = TypeVar("R", bound=Record)
_SHOWN_CANDIDATES = 5


def insert(conn: sqlite3.Connection, record: Record) -> None:
    row = record.to_row()
    columns = ", ".join(row)
    marks = ", ".join(f":{c}" for c in row)
    conn.execute(f"INSERT INTO {record.TABLE} ({columns}) VALUES ({marks})", row)


def update(conn: sqlite3.Connection, record: Record) -> None:
    row = record.to_row()
    sets = ", ".join(f"{c} = :{c}" for c in row if c != record.PK)
    conn.execute(f"UPDATE {record.TABLE} SET {sets} WHERE {record.PK} = :{record.PK}", row)


def get(conn: sqlite3.Connection, cls: type[R], key: str, *, with_deleted: bool = False) -> R:
    """The record with this exact id; raises NotFound."""
    alive = "" if with_deleted else " AND deleted_at IS NULL"
    row = conn.execute(f"SELECT * FROM {cls.TABLE} WHERE {cls.PK} = ?{alive}", (key,)).fetchone()
    if row is None:
        raise NotFound(f"no {cls.ENTITY} {short_id(key)}")
    return cls.from_row(row)  # type: ignore[return-value]


def lookup(conn: sqlite3.Connection, cls: type[R], key: str) -> R | None:
    """The record with this exact id, tombstones included, or None."""
    row = conn.execute(f"SELECT * FROM {cls.TABLE} WHERE {cls.PK} = ?", (key,)).fetchone()
    return None if row is None else cls.from_row(row)  # type: ignore[return-value]


def every(
    conn: sqlite3.Connection, cls: type[R], order: str, *, live_only: bool = False
) -> Iterator[R]:
    """Every row of the table in `order` (an ORDER BY clause), tombstones included unless
    `live_only`."""
    where = " WHERE deleted_at IS NULL" if live_only else ""
    for row in conn.execute(f"SELECT * FROM {cls.TABLE}{where} ORDER BY {order}"):
        yield cls.from_row(row)  # type: ignore[misc]


def count(conn: sqlite3.Connection, cls: type[Record]) -> int:
    """Rows in the table, tombstones included."""
    return conn.execute(f"SELECT count(*) FROM {cls.TABLE}").fetchone()[0]


def find(conn: sqlite3.Connection, cls: type[R], ref: str) -> R:
    """The one live record whose id starts with `ref` (a short id or any unique prefix).

    Uses a GLOB prefix, which SQLite answers from the primary-key index.
    """
    text = typed_id(ref)
    if not text:
        raise UsageError(f"{ref!r} is not a {cls.ENTITY} id", hint="ids are hex, e.g. 3f2a9c1b")
    pattern = {"milestone": "milestone_", "routine": "rule_"}.get(cls.ENTITY, "") + text + "*"
    rows = conn.execute(
        f"SELECT * FROM {cls.TABLE} WHERE {cls.PK} GLOB ? AND deleted_at IS NULL LIMIT ?",
        (pattern, _SHOWN_CANDIDATES + 1),
    ).fetchall()
    if not rows:
        raise NotFound(f"no {cls.ENTITY} matches {ref!r}")
    if len(rows) > 1:
        width = max(8, len(text) + 4)
        shown = ", ".join(_describe(cls, row, width) for row in rows[:_SHOWN_CANDIDATES])
        more = " …" if len(rows) > _SHOWN_CANDIDATES else ""
        raise AmbiguousId(
            f"{ref!r} matches several {cls.ENTITY}s: {shown}{more}",
            hint="type more characters of the id",
        )
    return cls.from_row(rows[0])  # type: ignore[return-value]


def _describe(cls: type[Record], row: sqlite3.Row, width: int) -> str:
    # `in row` would test a sqlite3.Row's values; its column names are row.keys().
    columns = row.keys()
    title = next((row[c] for c in ("task_name", "goal_name", "title") if c in columns), "")
    key = row[cls.PK].split("_", 1)[-1]
    return f"{key[:width]} ({title[:30]})"
