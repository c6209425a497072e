"""`zik scheduler run`: daily tasks on time, in the foreground, with APScheduler 3.

Jobs, all in the profile's timezone, with coalesce=True, max_instances=1 and no misfire grace
limit (the 3.x default of 1 s silently drops a run that came due while the laptop slept):
- the daily run at the profile's daily time (`zik daily`);
- a one-minute heartbeat that re-checks the wall clock: APScheduler sleeps on a monotonic clock
  that stops during suspend, so after a wake the heartbeat is what catches up. It also resumes
  queued roadmap jobs;
- the chat retention clean-up, once a day;
- a cloud sync every `cloud.sync_minutes` (15; 0: never) while signed in to the Zik cloud.

The last run date lives in zik's database (`daily_runs`), so a restart never runs a day twice and
never skips one: at start-up, and on every heartbeat, a day whose daily time has passed without a
run is run once. One scheduler at a time (an flock on `scheduler.lock`); SIGTERM and SIGINT stop
it cleanly. Those rules live in core/plan/runs.py; this module is only the runner, and apscheduler
is imported here only, by the scheduler commands.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from zik import config
from zik.core import clock, workspace
from zik.core.plan.runs import daily_time, due_day, single_instance
from zik.errors import ZikError

HEARTBEAT_SECONDS = 60


class Runner:
    """The scheduler's jobs, each a plain method so that tests can call them directly."""

    def __init__(self, log: Callable[[str], None]):
        self.log = log
        # The daily job and the heartbeat can fire in the same second on two worker threads:
        # one checks and runs the day at a time (the day's run is idempotent anyway).
        self.day_lock = threading.Lock()

    @contextmanager
    def _conn(self) -> Iterator[Any]:
        """A connection per job: jobs run on the scheduler's worker threads, and a SQLite
        connection belongs to the thread that opened it."""
        conn = workspace.open_connection()
        try:
            yield conn
        finally:
            conn.close()

    def daily_if_due(self) -> None:
        """Run the day's `zik daily` once, however late (a missed run happens at start-up)."""
        from zik.core.plan import daily

        with self.day_lock, self._conn() as conn:
            day = due_day(conn)
            if day is None:
                return
            try:
                report = daily.run(conn, day.isoformat())
            except ZikError as e:
                self.log(f"daily {day}: failed: {e.message}")
                return
        errors = f", {len(report.errors)} failed" if report.errors else ""
        self.log(f"daily {day}: {report.tasks_made} task(s) made{errors}")

    def heartbeat(self) -> None:
        from zik.core.plan import workflow

        self.daily_if_due()
        with self._conn() as conn:
            for resumed in workflow.resume_due(conn):
                state = resumed.error.message if resumed.error else "planned"
                self.log(f"roadmap {resumed.goal_id[:8]}: {state}")

    def sync(self) -> None:
        """Sync with the Zik cloud if this machine is set up and signed in (else nothing)."""
        from zik.core import cloud, sync

        if not cloud.signed_in():
            return
        with self._conn() as conn:
            try:
                report = sync.sync(conn)
            except ZikError as e:
                self.log(f"sync: failed: {e.message}")
                return
        moved = sum(report.pulled.values()), sum(report.pushed.values())
        if any(moved) or report.conflicts or report.stale:
            self.log(
                f"sync: {moved[0]} pulled, {moved[1]} pushed, {len(report.conflicts)} conflict(s)"
            )

    def retention(self) -> None:
        from zik.core.coach import chat

        with self._conn() as conn:
            removed = chat.apply_retention(conn)
        if removed:
            self.log(f"chat retention: {removed} old message(s) removed")


def run(log_file: TextIO | None = None, heartbeat_seconds: int = HEARTBEAT_SECONDS) -> None:
    """Run the scheduler in the foreground until SIGTERM or SIGINT."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    out = log_file or sys.stderr

    def log(text: str) -> None:
        out.write(f"{clock.timestamp()} {text}\n")
        out.flush()

    with single_instance():
        runner = Runner(log)
        with runner._conn() as conn:
            hour, minute, tz = daily_time(conn)
        scheduler = BlockingScheduler(
            timezone=clock.zone(tz),
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        scheduler.add_job(runner.daily_if_due, CronTrigger(hour=hour, minute=minute), id="daily")
        scheduler.add_job(
            runner.heartbeat, IntervalTrigger(seconds=heartbeat_seconds), id="heartbeat"
        )
        scheduler.add_job(runner.retention, CronTrigger(hour=3, minute=30), id="retention")
        every = config.get_int("cloud.sync_minutes")
        if every > 0:
            scheduler.add_job(runner.sync, IntervalTrigger(minutes=every), id="sync")

        stopping = threading.Event()

        def shut_down() -> None:
            # Not from the handler itself: the signal may land while the main thread holds the
            # executor's lock (submitting a job), and shutdown needs that lock. And the signal
            # may come while start() is still getting going: wait for it to be running.
            for _ in range(200):
                if scheduler.running:
                    scheduler.shutdown(wait=False)
                    return
                time.sleep(0.05)

        def stop(signum: int, frame: Any) -> None:
            log(f"stopping ({signal.Signals(signum).name})")
            stopping.set()
            threading.Thread(target=shut_down, daemon=True).start()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        log(f"scheduler started: daily at {hour:02d}:{minute:02d} {tz}, pid {os.getpid()}")
        runner.heartbeat()  # catch up at once: a day missed while the scheduler was down
        if not stopping.is_set():
            scheduler.start()
        log("scheduler stopped")
