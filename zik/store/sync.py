"""The sync engine's own tables (migration 5): outbox, last synced versions, conflicts, state.

A record is "pending" while it has an outbox row: triggers add one in the same transaction as
each change, and the engine removes it once the record and the remote agree again. The base is
the record as both sides last agreed on it (its wire form, JSON), the common ancestor of the
three-way merge.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def pending(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in conn.execute("SELECT entity, entity_id FROM sync_outbox")}


def pending_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]


def touched(conn: sqlite3.Connection, entity: str, entity_id: str) -> dict[str, str]:
    """The columns changed here since the record was queued, with when each last changed,
    even those changed back: a value set back to what was synced is still an edit. What a
    sync wrote here (a remote change pulled) is not an edit made here."""
    rows = conn.execute(
        """SELECT e.before, e.after, e.created_at FROM events e JOIN sync_outbox o
             ON o.entity = e.entity AND o.entity_id = e.entity_id
           JOIN change_sets c ON c.id = e.change_set_id
           WHERE e.entity = ? AND e.entity_id = ? AND e.created_at >= o.queued_at
             AND c.summary != 'sync'
           ORDER BY e.created_at""",
        (entity, entity_id),
    ).fetchall()
    columns: dict[str, str] = {}
    for before, after, at in rows:
        old, new = json.loads(before or "{}"), json.loads(after or "{}")
        columns |= {c: at for c in old.keys() | new.keys() if old.get(c) != new.get(c)}
    return columns


def unqueue(conn: sqlite3.Connection, entity: str, entity_id: str) -> None:
    conn.execute("DELETE FROM sync_outbox WHERE entity = ? AND entity_id = ?", (entity, entity_id))


def base_keys(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in conn.execute("SELECT entity, entity_id FROM sync_base")}


def base(conn: sqlite3.Connection, entity: str, entity_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT item FROM sync_base WHERE entity = ? AND entity_id = ?", (entity, entity_id)
    ).fetchone()
    return None if row is None else json.loads(row[0])


def base_values(conn: sqlite3.Connection, entity: str, name: str) -> dict[str, Any]:
    """One wire field of every base of an entity, by id, read by SQLite (no JSON parsed
    here: a sync of 10k unchanged tasks needs only their versions)."""
    rows = conn.execute(
        "SELECT entity_id, json_extract(item, ?) FROM sync_base WHERE entity = ?",
        (f"$.{name}", entity),
    )
    return {r[0]: r[1] for r in rows}


def set_base(
    conn: sqlite3.Connection, entity: str, entity_id: str, item: dict[str, Any] | None
) -> None:
    """Record what both sides now hold (None: the record is gone on both)."""
    if item is None:
        conn.execute(
            "DELETE FROM sync_base WHERE entity = ? AND entity_id = ?", (entity, entity_id)
        )
    else:
        conn.execute(
            "INSERT OR REPLACE INTO sync_base VALUES (?, ?, ?)",
            (entity, entity_id, json.dumps(item, sort_keys=True)),
        )


def add_conflict(
    conn: sqlite3.Connection,
    now: str,
    entity: str,
    entity_id: str,
    field: str,
    kept: Any,
    lost: Any,
    kept_side: str,
    why: str = "",
    certain: bool = True,
) -> None:
    conn.execute(
        "INSERT INTO sync_conflicts"
        " (detected_at, entity, entity_id, field, kept, lost, kept_side, why, certain)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (now, entity, entity_id, field, json.dumps(kept), json.dumps(lost), kept_side, why,
         int(certain)),
    )  # fmt: skip


def conflicts(conn: sqlite3.Connection, *, open_only: bool = True) -> list[dict[str, Any]]:
    where = "WHERE resolved_at IS NULL" if open_only else ""
    rows = conn.execute(f"SELECT * FROM sync_conflicts {where} ORDER BY id").fetchall()
    return [
        {
            "id": r["id"],
            "detectedAt": r["detected_at"],
            "entity": r["entity"],
            "entityId": r["entity_id"],
            "field": r["field"],
            "kept": json.loads(r["kept"]),
            "lost": json.loads(r["lost"]),
            "keptSide": r["kept_side"],
            "why": r["why"],
            "certain": bool(r["certain"]),
        }
        for r in rows
    ]


def open_conflict_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL").fetchone()[
        0
    ]


def resolve_conflicts(conn: sqlite3.Connection, now: str) -> int:
    return conn.execute(
        "UPDATE sync_conflicts SET resolved_at = ? WHERE resolved_at IS NULL", (now,)
    ).rowcount


def state(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def set_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO sync_state VALUES (?, ?)", (key, value))


def forget_all(conn: sqlite3.Connection) -> None:
    """Forget every sync fact (another account or remote): everything becomes pending again."""
    conn.execute("DELETE FROM sync_base")
    conn.execute("DELETE FROM sync_state")


_REFERENCES = {  # entity -> (table, primary key, [(table, column) pointing at it])
    "quest": (
        "quests",
        "goal_id",
        [("milestones", "goal_id"), ("tasks", "goal_id"), ("routines", "goal_id")],
    ),
    "task": ("tasks", "task_id", []),
}


def rekey(conn: sqlite3.Connection, entity: str, old: str, new: str) -> None:
    """Give a record the id the backend chose for it (the api remote cannot choose ids),
    everywhere it is referred to. Runs inside the caller's transaction."""
    table, pk, referrers = _REFERENCES[entity]
    conn.execute("PRAGMA defer_foreign_keys = ON")  # parent and children move together
    conn.execute(f"UPDATE {table} SET {pk} = ? WHERE {pk} = ?", (new, old))
    for child, column in referrers:
        conn.execute(f"UPDATE {child} SET {column} = ? WHERE {column} = ?", (new, old))
    for sync_table in ("sync_outbox", "sync_base"):
        conn.execute(
            f"UPDATE OR REPLACE {sync_table} SET entity_id = ? WHERE entity = ? AND entity_id = ?",
            (new, entity, old),
        )
    conn.execute(
        "UPDATE events SET entity_id = ? WHERE entity = ? AND entity_id = ?", (new, entity, old)
    )
    conn.execute("UPDATE jobs SET subject = ? WHERE subject = ?", (new, old))
    conn.execute("UPDATE ai_calls SET subject = ? WHERE subject = ?", (new, old))
