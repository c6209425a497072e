"""`zik doctor`'s cloud line: set up, logged in, and what waits to be synced."""

from __future__ import annotations

import sqlite3

from zik.core.doctor.check import FAIL, OK, WARN, Check
from zik.errors import ZikError


def check_cloud(conn: sqlite3.Connection | None) -> Check:
    from zik.cloud import auth

    settings = auth.Settings()
    if not (settings.client_id and settings.user_pool_id):
        return Check("cloud", OK, "not set up (zik works offline)")
    try:
        session = auth.load()
    except ZikError as e:
        return Check("cloud", FAIL, e.message, e.hint)
    if settings.remote == "api" and not settings.api_url:
        return Check(
            "cloud", FAIL, "the api remote has no API URL", "zik cloud setup --api-url URL"
        )
    pending, conflicts, skipped, stuck = _sync_state(conn)
    waiting = f"; {_count(pending, 'change')} to push" if pending else ""
    if session is None:
        return Check(
            "cloud",
            WARN,
            f"set up ({settings.user_pool_id}) but not logged in{waiting}",
            "zik cloud login",
        )
    detail = (
        f"logged in as {session.email} (remote {settings.remote}); access token until"
        f" {session.expires_at} (refreshed as needed)"
    )
    fixes = []
    if pending:
        fixes.append("zik sync")
    if conflicts:
        detail += f"; {_count(conflicts, 'sync conflict')} not yet looked at"
        fixes.append("zik sync --conflicts")
    if stuck:
        detail += f"; {_count(stuck, 'change')} the last sync could not write"
    if skipped:
        detail += f"; {_count(skipped, 'remote item')} zik cannot read, left alone"
        fixes.append("zik sync --json lists them: fix or delete them in the backend")
    if fixes:
        return Check("cloud", WARN, detail + waiting, "; ".join(fixes))
    return Check("cloud", OK, detail + ("; in sync" if conn is not None else ""))


def _sync_state(conn: sqlite3.Connection | None) -> tuple[int, int, int, int]:
    """Changes waiting to be pushed, conflicts not yet looked at, remote items the last sync
    could not read, and changes it could not write (all 0 without a database)."""
    if conn is None:
        return 0, 0, 0, 0
    from zik.core import sync

    try:
        state = sync.status(conn)
    except sqlite3.DatabaseError:
        return 0, 0, 0, 0
    return state["pending"], state["conflicts"], len(state["skipped"]), len(state["stuck"])


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
