"""`zik doctor`'s lines on what runs without the user: the daily runs and the hooks."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from zik.core.doctor.check import OK, WARN, Check


def check_daily_runs(conn: sqlite3.Connection | None = None) -> Check:
    """Whether something makes the daily tasks (a running scheduler, cron, or systemd), and
    whether the runs of the last 7 days planned every quest."""
    from zik.core.plan import runs, schedule

    failed = runs.recent_failures(conn) if conn is not None else []
    if failed:
        days = ", ".join(day for day, _ in failed)
        first = failed[-1][1][0]
        name = first.get("goalName") or "a quest"
        runner = "" if runs.running_pid() or schedule.installed() else "; and nothing runs it"
        return Check(
            "daily runs",
            WARN,
            f"{len(failed)} daily run(s) in the last 7 days could not plan every quest ({days});"
            f" latest: {name}: {first['message']}{runner}",
            first.get("hint") or "zik daily tries again; zik scheduler status shows the last run",
        )
    pid = runs.running_pid()
    if pid:
        return Check("daily runs", OK, f"zik scheduler run is running (pid {pid})")
    runner = schedule.installed()
    if runner:
        return Check("daily runs", OK, runner)
    return Check(
        "daily runs",
        WARN,
        "nothing runs zik daily on its own (tasks come only when you run it)",
        "zik scheduler install --cron (or --systemd), or keep zik scheduler run going",
    )


def check_hooks() -> Check:
    from zik.core import hooks

    folder = Path(hooks.hooks_dir())
    if not folder.is_dir():
        return Check("hooks", OK, f"none ({folder} does not exist)")
    names = sorted(p.name for p in folder.iterdir() if p.name in hooks.HOOKS.values())
    idle = [n for n in names if not os.access(folder / n, os.X_OK)]
    active = [n for n in names if n not in idle]
    if idle:
        return Check(
            "hooks", WARN, f"not executable: {', '.join(idle)}", f"chmod +x {folder}/<name>"
        )
    return Check("hooks", OK, ", ".join(active) if active else f"none in {folder}")
