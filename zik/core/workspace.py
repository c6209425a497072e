"""The database a command works on: opened once per process, migrated on first use."""

from __future__ import annotations

import sqlite3

from zik.store.db import connect

_conn: sqlite3.Connection | None = None


def db() -> sqlite3.Connection:
    global _conn
    if _conn is None:
        _conn = connect()
    return _conn


def open_connection() -> sqlite3.Connection:
    """A connection of its own, for a thread (the scheduler's jobs run on worker threads, and a
    SQLite connection belongs to the thread that opened it). The caller closes it."""
    return connect()


def close() -> None:
    global _conn
    if _conn is not None:
        _conn.close()
        _conn = None
