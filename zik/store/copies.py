"""Whole-database copies: writing one (`VACUUM INTO`), looking inside one, copying one in.

The rules about which copies zik accepts live in zik/core/exchange/backup.py; this module only talks
to SQLite.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from zik.store.db import read_only

COUNTED = ("quests", "milestones", "tasks", "routines")


def vacuum_into(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the live database, made while other connections keep working.

    The file is created empty with mode 0600 first (VACUUM INTO fills an empty file), so the
    copy is never readable by others, not even for a moment."""
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        conn.execute("VACUUM INTO ?", (str(target),))
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def inspect(path: Path) -> dict[str, Any]:
    """What a copy holds: its integrity verdict, schema version, tables, and live record counts
    (counts only when the tables are there). Raises sqlite3.DatabaseError if unreadable."""
    source = read_only(path)
    try:
        found: dict[str, Any] = {
            "verdict": source.execute("PRAGMA integrity_check").fetchone()[0],
            "version": source.execute("PRAGMA user_version").fetchone()[0],
            "tables": {r[0] for r in source.execute("SELECT name FROM sqlite_master")},
        }
        if set(COUNTED) <= found["tables"]:
            found["counts"] = {
                table: source.execute(
                    f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL"
                ).fetchone()[0]
                for table in COUNTED
            }
        return found
    finally:
        source.close()


def copy_in(path: Path, conn: sqlite3.Connection) -> None:
    """Replace the database behind `conn` with the copy at `path` (SQLite's backup API: under
    the database's own locks, so other processes never see half of it), and keep it in WAL."""
    reader = read_only(path)
    try:
        reader.backup(conn)
    finally:
        reader.close()
    conn.execute("PRAGMA journal_mode = WAL")
