"""Chat history: messages, the rolling summary of older ones, and full-text search.

Search goes through sqlite-utils' `Table.search()` over the FTS5 index migration 4 made; it is
imported only by `zik chat search`.
"""

from __future__ import annotations

import sqlite3

from zik.models import ChatMessage
from zik.store import records
from zik.store.db import atomic

_ALIVE = "deleted_at IS NULL"


def add(conn: sqlite3.Connection, messages: list[ChatMessage]) -> None:
    """Save a turn's messages together (a turn is stored whole or not at all)."""
    with atomic(conn):
        for message in messages:
            records.insert(conn, message)


def recent(conn: sqlite3.Connection, limit: int) -> list[ChatMessage]:
    """The newest messages, oldest first."""
    rows = conn.execute(
        f"SELECT * FROM chat_messages WHERE {_ALIVE} ORDER BY timestamp DESC, rowid DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [ChatMessage.from_row(r) for r in reversed(rows)]


def between(conn: sqlite3.Connection, after: str, before: str, limit: int) -> list[ChatMessage]:
    """Messages newer than `after` and older than `before`: the newest `limit`, oldest first."""
    rows = conn.execute(
        f"""SELECT * FROM chat_messages WHERE {_ALIVE} AND timestamp > ? AND timestamp < ?
            ORDER BY timestamp DESC, rowid DESC LIMIT ?""",
        (after, before, limit),
    ).fetchall()
    return [ChatMessage.from_row(r) for r in reversed(rows)]


def count(conn: sqlite3.Connection) -> int:
    return conn.execute(f"SELECT count(*) FROM chat_messages WHERE {_ALIVE}").fetchone()[0]


def summary(conn: sqlite3.Connection) -> tuple[str, str] | None:
    """The rolling summary and the timestamp of the newest message it covers."""
    row = conn.execute("SELECT summary, covers_until FROM chat_summary WHERE id = 1").fetchone()
    return None if row is None else (row[0], row[1])


def set_summary(
    conn: sqlite3.Connection, text: str, covers_until: str, call_id: str | None, now: str
) -> None:
    with atomic(conn):
        conn.execute(
            """INSERT INTO chat_summary (id, summary, covers_until, ai_call_id, updated_at)
               VALUES (1, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET summary = excluded.summary,
                   covers_until = excluded.covers_until, ai_call_id = excluded.ai_call_id,
                   updated_at = excluded.updated_at""",
            (text, covers_until, call_id, now),
        )


def clear(conn: sqlite3.Connection, before: str | None = None) -> int:
    """Delete messages (all, or those older than `before`) and, when all go, the summary."""
    with atomic(conn):
        if before is None:
            removed = conn.execute("DELETE FROM chat_messages").rowcount
            conn.execute("DELETE FROM chat_summary")
        else:
            removed = conn.execute(
                "DELETE FROM chat_messages WHERE timestamp < ?", (before,)
            ).rowcount
    return removed


def search(conn: sqlite3.Connection, text: str, limit: int) -> list[ChatMessage]:
    """Messages matching `text`, best first (FTS5 rank, through sqlite-utils)."""
    from sqlite_utils import Database

    if not any(ch.isalnum() for ch in text):
        from zik.errors import UsageError

        raise UsageError(f"nothing to search for in {text!r}", hint="give words")
    table = Database(conn)["chat_messages"]
    rows = table.search(text, order_by="rank", limit=limit, where=_ALIVE, quote=True)  # type: ignore[union-attr]
    return [ChatMessage.from_row(r) for r in rows]
