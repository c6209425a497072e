"""The single profile row."""

from __future__ import annotations

import sqlite3

from zik.models import Profile


def get_profile(conn: sqlite3.Connection) -> Profile | None:
    """The saved profile, or None before `zik init` (or any profile edit)."""
    row = conn.execute("SELECT * FROM profile WHERE id = 1").fetchone()
    return None if row is None else Profile.from_row(row)
