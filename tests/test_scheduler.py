"""`zik scheduler run|install|status` and `zik daily --if-due --quiet`: the day's tasks on time.

The scheduler runs as a real process (`python -m zik scheduler run --heartbeat 1`) in the test's
ZIK_HOME with the frozen ZIK_NOW: its triggers use the real clock, but "now" and "today" are
ZIK_NOW's, so a daily time of 00:00 is due at once and 23:00 is not. Every process a test starts
is stopped (SIGTERM, then SIGKILL) when the test ends, whatever happened.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FROZEN_NOW
from tests.killpoints import assert_one_set_per_milestone, rows, tasks

TODAY, YESTERDAY, TOMORROW = "2026-11-25", "2026-11-24", "2026-11-26"
STAMP = "2026-11-25T10:00:00.000Z"  # clock.timestamp() at ZIK_NOW
WAIT = 15.0  # seconds: the most any wait below may take before the test fails


def wait_for(check: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    """Poll `check` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class Scheduler:
    """A `zik scheduler run --heartbeat 1` process; its log goes to a file (stderr or --log)."""

    def __init__(self, folder: Path, name: str, *, log_option: bool, env: dict[str, str]):
        self.log = folder / f"{name}.log"
        self.log.touch()
        args = [sys.executable, "-m", "zik", "scheduler", "run", "--heartbeat", "1"]
        if log_option:
            args += ["--log", str(self.log)]
            self._stderr_path = folder / f"{name}.stderr"
        else:
            self._stderr_path = self.log
        self._stdout_path = folder / f"{name}.stdout"
        with open(self._stderr_path, "a") as err, open(self._stdout_path, "w") as out:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env
            )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def stdout(self) -> str:
        return self._stdout_path.read_text(encoding="utf-8")

    def lines(self) -> list[str]:
        """The log lines without their timestamp (each must have one: ZIK_NOW's)."""
        found = []
        for line in self.text().splitlines():
            stamp, _, rest = line.partition(" ")
            assert stamp == STAMP, (line, self.text())
            found.append(rest)
        return found

    def with_prefix(self, prefix: str) -> list[str]:
        return [line for line in self.lines() if line.startswith(prefix)]

    def wait_line(self, prefix: str, count: int = 1) -> list[str]:
        def seen() -> list[str] | None:
            assert self.proc.poll() is None, (self.proc.returncode, self.text())
            found = self.with_prefix(prefix)
            return found if len(found) >= count else None

        return wait_for(seen, f"{count} log line(s) {prefix!r}; log: {self.text()!r}")

    def wait_running(self) -> None:
        """Started, the catch-up done, and the scheduler's first job submitted.

        After the start-up catch-up, APScheduler's thread pool makes its first worker thread
        for the first heartbeat: a second thread in the process means `scheduler.start()` ran.
        """
        self.wait_line("scheduler started")
        threads = Path(f"/proc/{self.pid}/task")
        if not threads.is_dir():  # not Linux: give it two heartbeats
            time.sleep(2.5)
            return
        wait_for(
            lambda: self.proc.poll() is None and len(list(threads.iterdir())) > 1,
            f"the scheduler's first heartbeat; log: {self.text()!r}",
        )

    def stop(self) -> int:
        """SIGTERM, and the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=WAIT)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[Callable[..., Scheduler]]:
    """Start `zik scheduler run`: scheduler("name", log_option=False, env=None) -> Scheduler."""
    started: list[Scheduler] = []

    def start(
        name: str = "scheduler", *, log_option: bool = False, env: dict[str, str] | None = None
    ) -> Scheduler:
        process = Scheduler(
            tmp_path, name, log_option=log_option, env={**os.environ, **(env or {})}
        )
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            process.close()


def zik_popen(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "zik", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )


# --- a small world ------------------------------------------------------------------------------


def ok(result):
    assert result.code == 0, result
    return result


def set_daily_time(zik, hhmm: str) -> None:
    ok(zik("profile", "set", "daily_time", hhmm))


def add_routine(zik, title: str = "Stretch") -> str:
    return ok(zik("routine", "add", title, "--every", "daily", "--json")).data["recurrenceRuleId"]


def add_coached_quest(zik, name: str = "Read more") -> tuple[str, str]:
    """A quest with one milestone added by hand (active): the coach plans its days (offline)."""
    goal_id = ok(zik("quest", "new", name, "--no-plan")).out.strip()
    milestone = ok(zik("milestone", "add", goal_id[:8], f"{name} part 1", "--days", "7", "--json"))
    return goal_id, milestone.data["milestoneId"]


def daily_runs(home: Path) -> list[dict]:
    return rows(home, "SELECT date, ran_at, tasks_made FROM daily_runs ORDER BY date")


def routine_tasks(home: Path, rule_id: str) -> list[dict]:
    return rows(
        home,
        "SELECT * FROM tasks WHERE recurrence_rule_id = ? AND deleted_at IS NULL ORDER BY due_date",
        rule_id,
    )


def status(zik) -> dict:
    return ok(zik("scheduler", "status", "--json")).data


# --- 1. the daily job runs once, is recorded, and a restart the same day adds nothing ----------


def test_scheduler_runs_the_day_once_and_a_restart_the_same_day_adds_nothing(
    zik, zik_home, scheduler
):
    rule = add_routine(zik)
    _goal, milestone = add_coached_quest(zik)
    set_daily_time(zik, "00:00")
    assert tasks(zik_home, due=TODAY) == []
    assert daily_runs(zik_home) == []

    first = scheduler("first")  # logs to stderr
    [line] = first.wait_line(f"daily {TODAY}:")
    made = tasks(zik_home, due=TODAY)
    assert line == f"daily {TODAY}: {len(made)} task(s) made"
    # Today's tasks, once: the routine's, and the coach's for the active milestone.
    assert [t["due_date"] for t in routine_tasks(zik_home, rule)] == [TODAY]
    coached = [t for t in made if t["milestone_id"] == milestone]
    assert coached and all(t["source"] == "ai" for t in coached)
    assert len(made) == 1 + len(coached)
    assert_one_set_per_milestone(zik_home, TODAY)
    # The run is recorded, with ZIK_NOW's time, and the status shows it and the running pid.
    assert daily_runs(zik_home) == [{"date": TODAY, "ran_at": STAMP, "tasks_made": len(made)}]
    seen = status(zik)
    assert seen["running"] is True and seen["pid"] == first.pid
    assert seen["lastRun"] == {"date": TODAY, "ranAt": STAMP, "tasksMade": len(made), "errors": []}
    assert seen["nextRun"] == "2026-11-26T00:00:00.000Z" and seen["dueNow"] is False
    assert f"running (pid {first.pid})" in ok(zik("scheduler", "status")).out

    first.wait_running()
    assert first.stop() == 0
    assert first.lines() == [
        f"scheduler started: daily at 00:00 UTC, pid {first.pid}",
        f"daily {TODAY}: {len(made)} task(s) made",
        "stopping (SIGTERM)",
        "scheduler stopped",
    ]
    assert first.stdout() == ""
    assert status(zik)["running"] is False and status(zik)["pid"] is None

    # Started again the same day: the catch-up and every heartbeat find the day done. Each
    # queued roadmap a heartbeat plans proves one more heartbeat ran (after the one before).
    second = scheduler("second", log_option=True)
    second.wait_running()
    new_quests = []
    for name in ("Learn Spanish", "Learn Italian"):
        goal_id = ok(zik("quest", "new", name, "--target", "+10w", "--no-wait")).out.strip()
        new_quests.append(goal_id)
        second.wait_line(f"roadmap {goal_id[:8]}: planned")
    assert second.stop() == 0
    assert second.with_prefix("daily") == []
    assert second.lines()[0] == f"scheduler started: daily at 00:00 UTC, pid {second.pid}"
    assert second.lines()[-2:] == ["stopping (SIGTERM)", "scheduler stopped"]
    assert daily_runs(zik_home) == [{"date": TODAY, "ran_at": STAMP, "tasks_made": len(made)}]
    others = [t for t in tasks(zik_home) if t["goal_id"] not in new_quests]
    assert [t["task_id"] for t in others] == [t["task_id"] for t in made]


# --- 2. a run missed while the scheduler was down happens once, at start-up ---------------------


def test_a_day_missed_while_the_scheduler_was_down_runs_once_at_start_up(
    zik, zik_home, scheduler, monkeypatch
):
    rule = add_routine(zik)
    set_daily_time(zik, "00:00")
    monkeypatch.setenv("ZIK_NOW", "2026-11-24T10:00:00Z")  # yesterday's run, by cron or by hand
    ok(zik("daily"))
    monkeypatch.setenv("ZIK_NOW", FROZEN_NOW)
    assert [r["date"] for r in daily_runs(zik_home)] == [YESTERDAY]
    assert status(zik)["dueNow"] is True

    process = scheduler(log_option=True)
    process.wait_line(f"daily {TODAY}:")
    process.wait_running()
    assert process.stop() == 0
    assert process.lines() == [
        f"scheduler started: daily at 00:00 UTC, pid {process.pid}",
        f"daily {TODAY}: 1 task(s) made",
        "stopping (SIGTERM)",
        "scheduler stopped",
    ]
    assert [t["due_date"] for t in routine_tasks(zik_home, rule)] == [YESTERDAY, TODAY]
    assert [(r["date"], r["tasks_made"]) for r in daily_runs(zik_home)] == [
        (YESTERDAY, 1),
        (TODAY, 1),
    ]


def test_a_scheduler_started_before_the_daily_time_does_nothing(zik, zik_home, scheduler):
    add_routine(zik)
    set_daily_time(zik, "23:00")
    process = scheduler()
    process.wait_running()
    assert status(zik)["nextRun"] == "2026-11-25T23:00:00.000Z"
    assert process.stop() == 0
    assert process.lines() == [
        f"scheduler started: daily at 23:00 UTC, pid {process.pid}",
        "stopping (SIGTERM)",
        "scheduler stopped",
    ]
    assert tasks(zik_home) == [] and daily_runs(zik_home) == []


def test_sigterm_during_the_start_up_catch_up_stops_cleanly(zik, zik_home, scheduler):
    """The catch-up can be slow (the AI, a hook): a stop then must still be clean, the day
    recorded once, and the scheduler's jobs never started."""
    add_routine(zik)
    set_daily_time(zik, "00:00")
    hooks = zik_home / "hooks"
    hooks.mkdir()
    marker = zik_home.parent / "hook-ran"
    hook = hooks / "on-daily-generated"
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\nsleep 1\n")
    hook.chmod(0o755)

    process = scheduler(log_option=True)
    wait_for(marker.exists, "the daily hook of the start-up catch-up")
    stderr = process.log.with_suffix(".stderr")
    assert process.stop() == 0, stderr.read_text()
    assert "error" not in stderr.read_text() and "Traceback" not in stderr.read_text()
    lines = process.lines()
    assert lines[0].startswith("scheduler started") and lines[-1] == "scheduler stopped", lines
    assert lines.count("stopping (SIGTERM)") == 1, lines
    assert len([line for line in lines if line.startswith("daily")]) <= 1, lines
    assert daily_runs(zik_home) == [{"date": TODAY, "ran_at": STAMP, "tasks_made": 1}]


# SIGTERM lands while the scheduler's main loop is inside ThreadPoolExecutor.submit, which holds
# the pool's (non-reentrant) _shutdown_lock, e.g. while it starts the first worker thread; a
# handler that shut the scheduler down there would wait for that lock forever. A stuck child is
# ended by a timer with exit code 3.
SIGTERM_IN_SUBMIT = """
import os, signal, sys, threading
from concurrent.futures import thread as futures_thread
from zik.cli.main import run

real = futures_thread.ThreadPoolExecutor._adjust_thread_count

def adjust(self):
    stuck = threading.Timer(1.5, os._exit, (3,))
    stuck.daemon = True
    stuck.start()
    signal.raise_signal(signal.SIGTERM)
    real(self)

futures_thread.ThreadPoolExecutor._adjust_thread_count = adjust
sys.exit(run(["scheduler", "run", "--heartbeat", "1"]))
"""


def test_sigterm_while_a_job_is_submitted_stops_cleanly(zik, zik_home):
    """No deadlock when the signal comes at the worst moment (it did, before the fix)."""
    set_daily_time(zik, "23:00")
    done = subprocess.run(
        [sys.executable, "-c", SIGTERM_IN_SUBMIT], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert done.stderr.splitlines()[-1].endswith("scheduler stopped"), done.stderr


# --- 3. one scheduler at a time; cron's zik daily next to it makes no duplicates ----------------


def test_a_second_scheduler_refuses_to_start(zik, zik_home, zik_process, scheduler):
    set_daily_time(zik, "23:00")
    first = scheduler("first")
    first.wait_line("scheduler started")

    refused = zik_process("scheduler", "run", "--heartbeat", "1")
    assert refused.code == 1, refused
    assert "already running" in refused.err and f"pid {first.pid}" in refused.err, refused
    assert "Traceback" not in refused.err
    as_json = zik_process("--json", "scheduler", "run", "--heartbeat", "1")
    assert as_json.code == 1 and as_json.error["code"] == "scheduler_running", as_json
    # The refused ones changed nothing: the first runs on, and the status still names it.
    assert first.proc.poll() is None
    assert status(zik)["pid"] == first.pid
    assert len(first.with_prefix("scheduler started")) == 1

    # A scheduler killed with SIGKILL leaves its lock file, not its lock: the next one starts.
    first.proc.kill()
    first.proc.wait(timeout=WAIT)
    assert status(zik)["running"] is False
    second = scheduler("second")
    second.wait_running()
    assert status(zik)["pid"] == second.pid
    assert second.stop() == 0
    assert second.lines()[-1] == "scheduler stopped"


def test_cron_daily_next_to_the_scheduler_makes_no_duplicates(zik, zik_home, scheduler):
    rule = add_routine(zik)
    milestones = [add_coached_quest(zik, name)[1] for name in ("Read more", "Run 5k")]
    set_daily_time(zik, "00:00")

    process = scheduler(log_option=True)
    cron = [zik_popen("daily", "--quiet"), zik_popen("daily", "--if-due", "--quiet")]
    outputs = [p.communicate(timeout=30) for p in cron]
    assert [p.returncode for p in cron] == [0, 0], outputs
    process.wait_running()
    assert process.stop() == 0
    assert process.lines()[-1] == "scheduler stopped"
    assert len(process.with_prefix("daily")) <= 1, process.text()

    made = tasks(zik_home, due=TODAY)
    assert [t["due_date"] for t in routine_tasks(zik_home, rule)] == [TODAY]
    by_milestone = assert_one_set_per_milestone(zik_home, TODAY)
    assert sorted(by_milestone) == sorted(milestones)
    # One row for the day, counting every task made (whichever process made it).
    assert daily_runs(zik_home) == [{"date": TODAY, "ran_at": STAMP, "tasks_made": len(made)}]


# --- zik daily --if-due --quiet (what cron and systemd run) --------------------------------------


def test_daily_if_due_quiet(zik, zik_home):
    rule = add_routine(zik)
    set_daily_time(zik, "23:00")
    not_yet = zik("daily", "--if-due", "--quiet")
    assert (not_yet.code, not_yet.out, not_yet.err) == (0, "", "")
    assert tasks(zik_home) == [] and daily_runs(zik_home) == []

    set_daily_time(zik, "00:00")
    due = zik("daily", "--if-due", "--quiet")
    assert (due.code, due.out, due.err) == (0, f"zik daily {TODAY}: 1 task(s) made\n", "")
    assert [t["due_date"] for t in routine_tasks(zik_home, rule)] == [TODAY]
    assert daily_runs(zik_home) == [{"date": TODAY, "ran_at": STAMP, "tasks_made": 1}]

    again = zik("daily", "--if-due", "--quiet")
    assert (again.code, again.out, again.err) == (0, "", "")
    assert len(tasks(zik_home)) == 1
    assert daily_runs(zik_home) == [{"date": TODAY, "ran_at": STAMP, "tasks_made": 1}]


def test_daily_if_due_uses_the_profile_timezone(zik, zik_home):
    """Due means the daily time has passed where the person lives, not in UTC."""
    rule = add_routine(zik)
    ok(zik("profile", "set", "timezone", "America/Los_Angeles"))  # 02:00 there
    set_daily_time(zik, "06:00")
    quiet = zik("daily", "--if-due", "--quiet")
    assert (quiet.code, quiet.out) == (0, "")
    assert tasks(zik_home) == []
    seen = status(zik)
    assert seen["dueNow"] is False and seen["nextRun"] == "2026-11-25T14:00:00.000Z"

    ok(zik("profile", "set", "timezone", "Pacific/Kiritimati"))  # UTC+14: 00:00 on the 26th
    set_daily_time(zik, "00:00")
    assert ok(zik("daily", "--if-due", "--quiet")).out == f"zik daily {TOMORROW}: 1 task(s) made\n"
    assert [t["due_date"] for t in routine_tasks(zik_home, rule)] == [TOMORROW]


def test_planning_tomorrow_ahead_does_not_skip_today(zik, zik_home):
    """Today's run is today's row in daily_runs, not the newest row."""
    rule = add_routine(zik)
    set_daily_time(zik, "00:00")
    ok(zik("daily", "--date", "tomorrow", "--quiet"))
    assert status(zik)["dueNow"] is True
    assert ok(zik("daily", "--if-due", "--quiet")).out == f"zik daily {TODAY}: 1 task(s) made\n"
    assert [t["due_date"] for t in routine_tasks(zik_home, rule)] == [TODAY, TOMORROW]


def test_daily_quiet_is_one_line_when_the_coach_plans(zik, zik_home):
    """No progress steps on stderr either: cron mails whatever a job prints."""
    add_coached_quest(zik)
    set_daily_time(zik, "00:00")
    result = zik("daily", "--if-due", "--quiet")
    assert result.code == 0, result
    assert len(result.out.splitlines()) == 1, result
    assert result.err == "", result


# --- status -------------------------------------------------------------------------------------


def test_status_reports_the_last_and_the_next_run(zik, zik_home):
    add_routine(zik)
    set_daily_time(zik, "00:00")
    assert status(zik) == {
        "running": False,
        "pid": None,
        "dailyTime": "00:00",
        "timezone": "UTC",
        "lastRun": None,
        "nextRun": STAMP,  # due: now
        "dueNow": True,
    }
    assert "Next run   now (due)" in ok(zik("scheduler", "status")).out
    ok(zik("daily"))
    seen = status(zik)
    assert seen["lastRun"] == {"date": TODAY, "ranAt": STAMP, "tasksMade": 1, "errors": []}
    assert seen["nextRun"] == "2026-11-26T00:00:00.000Z" and seen["dueNow"] is False

    # In Sydney (UTC+11) it is 21:00: today's 07:00 has passed, and tomorrow's is 20:00 UTC.
    ok(zik("profile", "set", "timezone", "Australia/Sydney"))
    set_daily_time(zik, "07:00")
    seen = status(zik)
    assert (seen["timezone"], seen["dailyTime"]) == ("Australia/Sydney", "07:00")
    assert seen["nextRun"] == "2026-11-25T20:00:00.000Z" and seen["dueNow"] is False


# --- 4. cron lines and systemd units ------------------------------------------------------------


CRON_DAILY = "*/15 * * * * "


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


@pytest.fixture
def zik_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An installed `zik` (a stand-in) alone on PATH; this process is not started as `zik`."""
    bin_dir = tmp_path / "bin"
    fake = executable(bin_dir / "zik", "#!/bin/sh\nexit 0\n")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(sys, "argv", [str(tmp_path / "pytest")])
    return fake.resolve()


def install(zik, *args: str) -> dict:
    return ok(zik("scheduler", "install", *args, "--json")).data


def test_install_print_names_zik_by_absolute_path_and_the_home(
    zik, zik_home, zik_on_path, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ZIK_HOME", "home")  # relative: cron and systemd need it absolute
    home = zik_home.resolve()
    assert home == (tmp_path / "home").resolve()

    cron = install(zik, "--cron", "--print")
    assert (cron["kind"], cron["mode"], cron["written"]) == ("cron", "daily", [])
    [line] = cron["files"]["crontab"].splitlines()
    assert line.startswith(CRON_DAILY), line
    assert shlex.split(line[len(CRON_DAILY) :], comments=True) == [
        f"ZIK_HOME={home}",
        str(zik_on_path),
        "daily",
        "--if-due",
        "--quiet",
    ]
    assert ok(zik("scheduler", "install", "--cron", "--print")).out == line + "\n"

    units = install(zik, "--systemd", "--print")
    assert units["written"] == [] and sorted(units["files"]) == [
        "zik-daily.service",
        "zik-daily.timer",
    ]
    service = units["files"]["zik-daily.service"].splitlines()
    assert "Type=oneshot" in service
    assert f"Environment=ZIK_HOME={home}" in service
    assert f"ExecStart={zik_on_path} daily --if-due --quiet" in service
    timer = units["files"]["zik-daily.timer"].splitlines()
    for wanted in ("[Timer]", "OnCalendar=*:0/15", "Persistent=true", "WantedBy=timers.target"):
        assert wanted in timer, timer
    printed = ok(zik("scheduler", "install", "--systemd", "--print")).out
    assert f"ExecStart={zik_on_path} daily --if-due --quiet" in printed
    assert "Persistent=true" in printed


def test_install_mode_scheduler_keeps_zik_scheduler_run_going(zik, zik_home, zik_on_path):
    home = zik_home.resolve()
    cron = install(zik, "--cron", "--print", "--mode", "scheduler")
    [line] = cron["files"]["crontab"].splitlines()
    assert line.startswith("@reboot "), line
    assert shlex.split(line[len("@reboot ") :], comments=True) == [
        f"ZIK_HOME={home}",
        str(zik_on_path),
        "scheduler",
        "run",
        "--log",
        str(home / "scheduler.log"),
    ]

    units = install(zik, "--systemd", "--print", "--mode", "scheduler")
    assert list(units["files"]) == ["zik-scheduler.service"]
    service = units["files"]["zik-scheduler.service"].splitlines()
    for wanted in (
        "Type=simple",
        f"Environment=ZIK_HOME={home}",
        f"ExecStart={zik_on_path} scheduler run",
        "WantedBy=default.target",
    ):
        assert wanted in service, service

    bad = zik("scheduler", "install", "--cron", "--print", "--mode", "hourly")
    assert bad.code == 2, bad


def test_install_quotes_paths_with_spaces(zik, zik_home, tmp_path, monkeypatch):
    """A ZIK_HOME, a zik or a log path with a space (macOS: ~/Library/Application Support) stays
    one word: the cron line run by sh starts that zik, with that home, and the arguments."""
    home = (tmp_path / "my home").resolve()
    said = tmp_path / "said"
    bin_dir = tmp_path / "my bin"
    fake = executable(bin_dir / "zik", f'#!/bin/sh\nprintf "%s\\n" "$ZIK_HOME" "$@" > "{said}"\n')
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(sys, "argv", [str(tmp_path / "pytest")])
    monkeypatch.setenv("ZIK_HOME", str(home))

    [line] = install(zik, "--cron", "--print")["files"]["crontab"].splitlines()
    assert line.startswith(CRON_DAILY), line
    subprocess.run(["/bin/sh", "-c", line[len(CRON_DAILY) :]], check=True, env={}, timeout=30)
    assert said.read_text().splitlines() == [str(home), "daily", "--if-due", "--quiet"]

    [line] = install(zik, "--cron", "--print", "--mode", "scheduler")["files"][
        "crontab"
    ].splitlines()
    subprocess.run(["/bin/sh", "-c", line[len("@reboot ") :]], check=True, env={}, timeout=30)
    assert said.read_text().splitlines() == [
        str(home),
        "scheduler",
        "run",
        "--log",
        str(home / "scheduler.log"),
    ]

    # systemd unquotes like the shell here: double quotes around a word with spaces.
    service = install(zik, "--systemd", "--print")["files"]["zik-daily.service"].splitlines()
    words = [shlex.split(line) for line in service if line.startswith(("Environment", "Exec"))]
    assert words == [
        [f"Environment=ZIK_HOME={home}"],
        [f"ExecStart={fake.resolve()}", "daily", "--if-due", "--quiet"],
    ]


def test_install_names_the_zik_that_runs(zik_home, tmp_path):
    """In a real process: the console script by its real path, or this Python with -m zik."""

    def command(env: dict[str, str], argv0: list[str] | None = None) -> list[str]:
        args = [*(argv0 or [sys.executable, "-m", "zik"]), "scheduler", "install"]
        done = subprocess.run(
            [*args, "--cron", "--print"],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        words = shlex.split(done.stdout.strip()[len(CRON_DAILY) :], comments=True)
        assert words[0] == f"ZIK_HOME={zik_home.resolve()}", words
        assert words[-3:] == ["daily", "--if-due", "--quiet"], words
        found = words[1:-3]
        assert Path(found[0]).is_absolute() and Path(found[0]).exists(), found
        # The command cron would run is a working zik, whatever PATH cron has.
        version = subprocess.run(
            [*found, "--version"], capture_output=True, text=True, env={"PATH": ""}, timeout=60
        )
        assert version.returncode == 0 and version.stdout.startswith("zik "), version
        return found

    empty = tmp_path / "empty"
    empty.mkdir()
    # python -m zik, no zik on PATH: this interpreter (the venv's, not resolved) with -m zik.
    assert command({"PATH": str(empty)}) == [sys.executable, "-m", "zik"]
    # python -m zik, zik on PATH through a symlink (pipx-style): the real script.
    console = Path(sys.executable).parent / "zik"
    if not console.exists():
        pytest.skip("no zik console script next to this Python")
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "zik").symlink_to(console)
    assert command({"PATH": str(linked)}) == [str(console.resolve())]
    # Started as the console script itself.
    assert command({"PATH": str(empty)}, [str(console)]) == [str(console.resolve())]


# `crontab -l` prints the stored crontab (or fails: none yet); `crontab -` replaces it. Python,
# since PATH holds nothing but the test's bin folder.
FAKE_CRONTAB = f"""#!{sys.executable}
import os, sys
store = os.environ["FAKE_CRONTAB"]
if sys.argv[1:] == ["-l"]:
    if not os.path.exists(store):
        sys.exit("no crontab for you")
    sys.stdout.write(open(store).read())
elif sys.argv[1:] == ["-"]:
    open(store, "w").write(sys.stdin.read())
else:
    sys.exit(2)
"""


@pytest.fixture
def crontab(zik_on_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake `crontab` on PATH keeping the user's crontab in a file (returned; maybe absent)."""
    executable(zik_on_path.parent / "crontab", FAKE_CRONTAB)
    store = tmp_path / "user.crontab"
    monkeypatch.setenv("FAKE_CRONTAB", str(store))
    return store


def test_install_cron_keeps_the_other_lines_and_replaces_its_own(
    zik, zik_home, zik_on_path, crontab
):
    theirs = ["MAILTO=me@example.com", "# nightly backup", "0 5 * * * /usr/local/bin/backup --all"]
    crontab.write_text("\n".join(theirs) + "\n")
    daily_line = install(zik, "--cron", "--print")["files"]["crontab"]

    first = install(zik, "--cron")
    assert first["written"] == ["crontab"]
    assert crontab.read_text() == "\n".join(theirs) + "\n" + daily_line
    install(zik, "--cron")  # again: the same crontab, zik's line once
    assert crontab.read_text() == "\n".join(theirs) + "\n" + daily_line

    reboot_line = install(zik, "--cron", "--mode", "scheduler")["files"]["crontab"]
    assert reboot_line.startswith("@reboot ")
    assert crontab.read_text() == "\n".join(theirs) + "\n" + reboot_line
    assert sum(str(zik_on_path) in line for line in crontab.read_text().splitlines()) == 1


def test_install_cron_without_a_crontab_yet(zik, zik_home, zik_on_path, crontab):
    assert not crontab.exists()
    line = install(zik, "--cron")["files"]["crontab"]
    assert crontab.read_text() == line
    assert line.startswith(CRON_DAILY) and str(zik_on_path) in line


def test_install_cron_without_crontab_says_so(zik, zik_home, zik_on_path):
    result = zik("scheduler", "install", "--cron")
    assert result.code == 1, result
    assert "crontab is not installed" in result.err


def test_install_systemd_writes_the_units(zik, zik_home, zik_on_path, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    units = tmp_path / "xdg" / "systemd" / "user"
    printed = install(zik, "--systemd", "--print")["files"]
    assert not units.exists()

    done = install(zik, "--systemd")
    assert done["written"] == [str(units / "zik-daily.service"), str(units / "zik-daily.timer")]
    for name, text in printed.items():
        assert (units / name).read_text() == text
    assert "systemctl --user daemon-reload" in done["nextStep"]
    assert "enable --now zik-daily.timer" in done["nextStep"]

    done = install(zik, "--systemd", "--mode", "scheduler")
    assert done["written"] == [str(units / "zik-scheduler.service")]
    assert "Type=simple" in (units / "zik-scheduler.service").read_text()
    assert "enable --now zik-scheduler.service" in done["nextStep"]


# --- 5. apscheduler is imported by `zik scheduler run` only -------------------------------------


IMPORTS = """
import json, sys
from zik.cli.main import run
code = run(json.loads(sys.argv[1]))
sys.__stdout__.write("\\n" + json.dumps([code, "apscheduler" in sys.modules]) + "\\n")
"""

# Runs `zik scheduler run` and stops it after its second heartbeat (the first job of the running
# scheduler; the first is the start-up catch-up), then says what was imported when. The SIGTERM
# goes to the main thread, 0.2 s later (while it waits for the next job); a stuck child dumps its
# threads and exits instead of hanging.
RUN_AND_STOP = """
import faulthandler, json, signal, sys, threading
from zik import scheduler
from zik.cli.main import run

faulthandler.dump_traceback_later(20, exit=True)
before = "apscheduler" in sys.modules
beats = []
real = scheduler.Runner.heartbeat
main = threading.main_thread().ident

def heartbeat(self):
    real(self)
    beats.append(1)
    if len(beats) == 2:
        stop = threading.Timer(0.2, signal.pthread_kill, (main, signal.SIGTERM))
        stop.daemon = True
        stop.start()

scheduler.Runner.heartbeat = heartbeat
code = run(["scheduler", "run", "--heartbeat", "1"])
after = "apscheduler" in sys.modules
sys.__stdout__.write("\\n" + json.dumps([code, before, after, len(beats)]) + "\\n")
"""


@pytest.fixture
def seeded(zik, zik_home) -> str:
    """A migrated database with a routine and a task; the daily time has passed."""
    add_routine(zik)
    set_daily_time(zik, "00:00")
    return ok(zik("--json", "task", "add", "Seed task")).data["taskId"]


@pytest.mark.parametrize(
    "args",
    [
        ["today"],
        ["task", "done", "{task}"],
        ["daily"],
        ["daily", "--if-due", "--quiet"],
        ["scheduler", "status"],
        ["scheduler", "status", "--json"],
        ["scheduler", "install", "--cron", "--print"],
        ["scheduler", "install", "--systemd", "--print"],
    ],
    ids=" ".join,
)
def test_commands_other_than_scheduler_run_never_import_apscheduler(seeded, zik_home, args):
    line = [a.format(task=seeded[:8]) for a in args]
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS, json.dumps(line)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    code, imported = json.loads(done.stdout.splitlines()[-1])
    assert code == 0, done
    assert imported is False
    if args[0] == "daily":  # it did run the day (the check saw the whole command)
        assert [r["date"] for r in daily_runs(zik_home)] == [TODAY]


def test_scheduler_run_imports_apscheduler(seeded, zik_home):
    """Control: the check above can see apscheduler, and `zik.scheduler` alone does not load it."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_STOP], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    code, before, after, beats = json.loads(done.stdout.splitlines()[-1])
    assert (code, before, after, beats) == (0, False, True, 2), done.stderr
    assert "scheduler stopped" in done.stderr
    assert [r["date"] for r in daily_runs(zik_home)] == [TODAY]
