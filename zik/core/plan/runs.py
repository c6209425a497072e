"""When the day's run is due, and the one scheduler at a time: the rules `zik scheduler` runs by.

The last run date lives in zik's database (`daily_runs`), so a restart never runs a day twice and
never skips one: a day whose daily time has passed in the profile's timezone without a run is due.
One scheduler at a time holds an flock on `scheduler.lock` in the data folder, with its pid in it,
so `zik scheduler status` and `zik doctor` can tell that one is running without starting one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from zik import config
from zik.core import clock, profile
from zik.errors import ZikError
from zik.store import daily as daily_store

LOCK_NAME = "scheduler.lock"


class AlreadyRunning(ZikError):
    code = "scheduler_running"


def daily_time(conn: Any) -> tuple[int, int, str]:
    me = profile.load(conn)
    hour, minute = (int(part) for part in me.daily_time.split(":"))
    return hour, minute, me.timezone


def due_day(conn: Any, now: datetime | None = None) -> date | None:
    """Today's local date when its daily time has passed and it had no run yet, else None."""
    hour, minute, tz = daily_time(conn)
    local = (now or clock.now()).astimezone(clock.zone(tz))
    if (local.hour, local.minute) < (hour, minute):
        return None
    today = local.date()
    # Today's own row, not the newest: planning ahead (`zik daily --date tomorrow`) must not
    # count as today's run.
    return None if daily_store.has_run(conn, today.isoformat()) else today


def next_run(conn: Any, now: datetime | None = None) -> datetime:
    """When the next daily run is due (a day that is due now: now)."""
    now = now or clock.now()
    hour, minute, tz = daily_time(conn)
    if due_day(conn, now) is not None:
        return now
    local = now.astimezone(clock.zone(tz))
    at = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if at <= local:
        at += timedelta(days=1)
    return at


@contextmanager
def single_instance() -> Iterator[None]:
    """Hold the scheduler lock for the life of the block, or refuse to start."""
    import fcntl

    path = config.ensure_dir(config.data_dir()) / LOCK_NAME
    with os.fdopen(config.open_file(path, os.O_RDWR | os.O_CREAT | os.O_APPEND), "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            pid = handle.read().strip() or "?"
            raise AlreadyRunning(
                f"a zik scheduler is already running (pid {pid})",
                hint="stop it first, or leave it be",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield


def running_pid() -> int | None:
    """The pid of a running scheduler (the lock is held), or None."""
    import fcntl

    path = config.data_dir() / LOCK_NAME
    if not path.exists():
        return None
    with open(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            text = handle.read().strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


def recent_failures(conn: Any, days: int = 7) -> list[tuple[str, list[dict]]]:
    """(date, errors) of the daily runs of the last `days` days that could not plan a quest."""
    tz = profile.load(conn).timezone
    first = clock.local_today(tz) - timedelta(days=days - 1)
    return daily_store.failed_since(conn, first.isoformat())


class Status:
    def __init__(self, conn: Any):
        hour, minute, self.timezone = daily_time(conn)
        self.daily_time = f"{hour:02d}:{minute:02d}"
        self.pid = running_pid()
        self.last = daily_store.last_run(conn)
        self.next = next_run(conn)
        self.due = due_day(conn) is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "running": self.pid is not None,
            "pid": self.pid,
            "dailyTime": self.daily_time,
            "timezone": self.timezone,
            "lastRun": self.last,
            "nextRun": clock.iso(self.next),
            "dueNow": self.due,
        }
