"""`zik doctor`'s lines on what zik keeps: the config file, the database, the timezone, and the
full-text search indexes.
"""

from __future__ import annotations

import os
import sqlite3

from zik import config
from zik.core.doctor.check import FAIL, OK, WARN, Check
from zik.errors import ZikError


def check_storage() -> tuple[list[Check], sqlite3.Connection | None]:
    """The config file, the database (and its connection for the checks after it), the timezone."""
    checks = []
    conn = None
    try:
        checks.append(
            Check("config", OK, f"{config.config_path()} ({len(config.read_file())} settings)")
        )
    except ZikError as e:
        checks.append(Check("config", FAIL, e.message, f"fix or delete {config.config_path()}"))
    path = config.db_path()
    try:
        from zik.core import profile
        from zik.core.workspace import db
        from zik.store import profile as profile_store
        from zik.store.schema import LATEST

        conn = db()
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        mode = oct(os.stat(path).st_mode & 0o777)
        if verdict != "ok":
            checks.append(Check("database", FAIL, f"{path}: {verdict}", "restore a backup"))
        else:
            detail = f"{path} (schema v{version} of v{LATEST}, integrity ok, mode {mode[2:]})"
            checks.append(Check("database", OK, detail))
        me = profile.load(conn)
        saved = profile_store.get_profile(conn)
        wrong = profile.problems(saved) if saved is not None else {}
        if wrong:
            said = "; ".join(f"{field} {why}" for field, why in wrong.items())
            fix = " && ".join(f"zik profile set {field} …" for field in wrong)
            checks.append(Check("profile", FAIL, f"{said}: zik uses the default meanwhile", fix))
        if me.created_at:
            checks.append(Check("timezone", OK, f"{me.timezone} (from your profile)"))
        else:
            checks.append(
                Check("timezone", WARN, f"{me.timezone} (the system's; no profile yet)", "zik init")
            )
    except (ZikError, sqlite3.DatabaseError) as e:
        message = e.message if isinstance(e, ZikError) else str(e)
        checks.append(Check("database", FAIL, f"{path}: {message}", "restore a backup"))
        conn = None
    return checks, conn


def check_search_index(conn: sqlite3.Connection, rebuild: bool) -> Check:
    """The full-text indexes (`zik search`) hold exactly their tables' text."""
    from zik.store import search

    try:
        rebuilt = search.rebuild(conn) if rebuild else []
        failing = search.check(conn)
    except (ZikError, sqlite3.DatabaseError) as e:
        message = e.message if isinstance(e, ZikError) else str(e)
        return Check("search index", FAIL, message, "zik doctor --rebuild-index")
    if failing:
        return Check(
            "search index",
            FAIL,
            f"out of step with the data: {', '.join(failing)} (zik search may miss or show stale"
            " records)",
            "zik doctor --rebuild-index",
        )
    done = f"rebuilt {len(rebuilt)} full-text indexes; " if rebuilt else ""
    return Check("search index", OK, f"{done}quests, milestones, tasks and chat: integrity ok")
