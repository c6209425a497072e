"""`zik sync` and the sync facts `zik cloud status` shows (the engine is cloud/sync.py)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from zik.core import clock
from zik.store import profile as profiles
from zik.store import sync as state


def sync(conn: sqlite3.Connection, *, dry_run: bool = False):
    """Pull, merge and push with the configured remote as the signed-in user."""
    from zik.cloud import auth, remotes
    from zik.cloud import sync as engine

    session = auth.current()
    profile = profiles.get_profile(conn)
    today = clock.now().date().isoformat()  # UTC: the backend's day
    target = remotes.connect(session.sub, session.email, profile.name if profile else None, today)
    return engine.run(conn, target, session.sub, clock.timestamp(), dry_run=dry_run)


def status(conn: sqlite3.Connection) -> dict[str, Any]:
    """Last sync, what waits to be pushed, and the conflicts not yet looked at."""
    return {
        "lastSync": state.state(conn, "last_sync"),
        "remote": state.state(conn, "remote"),
        "pending": state.pending_count(conn),
        "conflicts": state.open_conflict_count(conn),
        "skipped": json.loads(state.state(conn, "skipped") or "[]"),
        "stuck": json.loads(state.state(conn, "stuck") or "[]"),
    }


def conflicts(conn: sqlite3.Connection, *, clear: bool = False) -> list[dict[str, Any]]:
    """The conflicts not yet looked at (and, with `clear`, mark them seen)."""
    from zik.store.db import atomic

    found = state.conflicts(conn)
    if clear:
        with atomic(conn):
            state.resolve_conflicts(conn, clock.timestamp())
    return found


class Deleted:
    """What `zik cloud delete-account` removed, and what it could not."""

    def __init__(self, email: str, deleted: dict[str, int], left: dict[str, str]):
        self.email, self.deleted, self.left = email, deleted, left
        self.items = sum(deleted.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "itemsDeleted": self.items,
            "deleted": self.deleted,
            "notDeleted": self.left,
            "accountDeleted": True,
        }


def delete_account(conn: sqlite3.Connection, confirm_email: str) -> Deleted:
    """Remove every item of the user from every backend table, then the Cognito user, then
    this machine's tokens and sync state. Local data stays (zik reset wipes it)."""
    from zik.cloud import auth, remotes
    from zik.errors import UsageError
    from zik.store.db import atomic

    session = auth.current()
    if confirm_email.strip().lower() != session.email.lower():
        raise UsageError(
            f"{confirm_email!r} is not the signed-in account ({session.email}); nothing was deleted"
        )
    known: dict[str, set[str]] = {}
    for entity, key in state.base_keys(conn):
        known.setdefault(entity, set()).add(key)
    today = clock.now().date().isoformat()
    done = remotes.connect(session.sub, session.email, None, today).delete_account(known)
    if not done.user_deleted:  # (the backend's own deletion may have left the user)
        auth.delete_user(session)
    auth.forget()
    with atomic(conn):
        state.forget_all(conn)
    return Deleted(session.email, done.deleted, done.left)
