"""The database a command works on: opened once per process, migrated on first use."""

from __future__ import annotations

import sqlite3

from zik import config
from zik.store.db import connect, holds_data

_conn: sqlite3.Connection | None = None
_created = False  # this process made the database file (there was none)


def db() -> sqlite3.Connection:
    global _conn, _created
    if _conn is None:
        _created = not config.db_path().exists()
        _conn = connect()
    return _conn


def open_connection() -> sqlite3.Connection:
    """A connection of its own, for a thread (the scheduler's jobs run on worker threads, and a
    SQLite connection belongs to the thread that opened it). The caller closes it."""
    return connect()


def close() -> None:
    global _conn, _created
    if _conn is not None:
        _conn.close()
        _conn = None
    _created = False


def discard_if_unused() -> None:
    """After a refused command: remove the database this process created only to find that,
    say, an id matches nothing — it holds nothing, and there was none before."""
    if not _created or _conn is None:
        return
    try:
        if holds_data(_conn):
            return
    except sqlite3.Error:
        return
    path = config.db_path()
    close()
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        path.with_name(name).unlink(missing_ok=True)
