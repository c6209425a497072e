"""Live one person's quarter with zik through the real CLI, and check the daily loop holds up.

    python bench/simulate.py                        # 90 days, offline planner, seed 1
    python bench/simulate.py --days 30 --seed 7
    python bench/simulate.py --provider bedrock     # the tests' fake Bedrock, answered by
                                                    # tests/fakes/coach_model.py
    python bench/simulate.py --days 30 --json       # the report as one JSON document
    python bench/simulate.py --days 30 -v           # and a line per day on stderr
    PYTHONPATH=/tmp/zik-main python bench/simulate.py   # another tree's zik package, e.g.
                                                        # `git archive HEAD zik | tar -x -C …`

Why (issue 15): every command works on its own, but only days lived one after another show
whether the loop does: missed days, a sick week, a quest left alone, capacity shared by six
quests. So a seeded person lives N days as a new user would: every step is a `zik` process with
a fresh ZIK_HOME, the environment cleaned like the tests' (no AWS_*/ZIK_* from outside), and
ZIK_NOW pinned to that day. Setup, the evening before day 1 (so every observed day is planned
by cron's morning run with everything in place): `zik init` with 60 minutes a day, six quests of
different kinds with target dates (planned inline), two weekday routines, a few of the person's
own tasks.

Each day cron runs `zik daily --json` (also while the person is away or sick; on an "absent" day
the laptop is closed and nothing runs), then the sim reads `zik today --json` and
`zik quest list --json` as an observer, and on an active day the person completes about 70 % of
what is due (one `zik task done` for all of it): 4 processes a day at most, but for a full
overdue list (`task list --due overdue`) or the day a quest is declared done. The person is away
now and then, sick for a week (nothing done for 7 days), ignores one quest for three weeks and
declares one finished early (`zik quest done`). The sim keeps its own log of what it saw planned
and what it completed, and the report (bench/simlib/report.py, where every rule is written down)
compares it with what zik says at the end. Figures come only from what the CLI printed.
`run()` is the API tests/test_simulate.py uses; exit status 1 when an invariant fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # bench.simlib, and tests.fakes for the fake Bedrock
from bench.simlib.log import DayLog, Log, QuestInfo, Seen  # noqa: E402
from bench.simlib.report import Report, build  # noqa: E402
from bench.simlib.table import render  # noqa: E402

START = date(2026, 11, 30)  # a Monday
TIMEZONE = "Europe/Paris"
CAPACITY = 60
DONE_SHARE = 0.7  # of what is due today, when the person is active
# (key, title, category, days from the start to the target date)
QUESTS = [
    ("run", "Run a half marathon", "fitness", 120),
    ("spanish", "Learn Spanish to hold a conversation", "learning", 180),
    ("save", "Save 3000 euros for a summer trip", "finance", 150),
    ("meditate", "Meditate every day", "habit", 90),
    ("shelf", "Build a bookshelf for the living room", "project", 45),
    ("read", "Read 12 books", "learning", 200),
]
IGNORED, FINISHED_EARLY = "save", "shelf"
ROUTINES = [("Stretch for 10 minutes", None, 10), ("Spanish flashcards", "spanish", 10)]
# (day index, title, quest key or None, minutes): the person's own tasks, due that day
OWN_TASKS = [
    (2, "Buy new running shoes", "run", 30),
    (3, "Call the bank about a savings account", "save", 15),
    (5, "Book a dentist appointment", None, 10),
    (9, "Return the library books", None, 20),
    (14, "Renew the passport", None, 20),
    (40, "Sand the shelf boards", "shelf", 30),
]


class Zik:
    """Runs `zik` as a process, as cron or a person would, with the clock pinned per call."""

    def __init__(self, home: Path, extra_env: dict[str, str]):
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("AWS_", "ZIK_")) and k not in ("CI", "NO_COLOR", "TZ")
        }
        env.update(
            ZIK_HOME=str(home),
            TZ="UTC",
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_EC2_METADATA_DISABLED="true",
            **extra_env,
        )
        self.env, self.processes, self.cwd = env, 0, home.parent

    def __call__(self, at: datetime, *args: str) -> tuple[int, Any, str]:
        """(exit code, the --json `data` or None, stderr)."""
        self.processes += 1
        done = subprocess.run(
            [sys.executable, "-m", "zik", *args, "--json"],
            capture_output=True,
            text=True,
            cwd=self.cwd,  # not the repo: `python -m` would import zik from the working dir
            env={**self.env, "ZIK_NOW": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")},
            timeout=300,
        )
        try:
            data = json.loads(done.stdout)["data"]
        except (ValueError, KeyError, TypeError):
            data = None
        return done.returncode, data, done.stderr.strip()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(TIMEZONE))


def schedule(days: int, seed: int) -> tuple[list[str], tuple[int, int], tuple[int, int], int]:
    """Each day's mode, the sick week, the ignored window and the day one quest is finished.

    Fixed shares of the run, so 30 and 90 days both hold every event; skipped days are drawn
    from the seed among the days nothing else is happening.
    """
    rng = random.Random(f"schedule-{seed}")
    sick_first = round(days * 0.4)
    sick = (sick_first, sick_first + 6)
    ignored_first = max(3, round(days * 0.1))
    ignored = (ignored_first, ignored_first + 20)
    finish = round(days * 0.7)
    modes = ["sick" if sick[0] <= i <= sick[1] else "active" for i in range(days + 1)]
    free = [i for i in range(3, days + 1) if modes[i] == "active" and abs(i - finish) > 1]
    picked = rng.sample(free, min(len(free), 2 * max(1, days // 15)))
    for n, i in enumerate(picked):
        modes[i] = "absent" if n % 2 else "away"
    return modes, sick, ignored, finish


def run(days: int = 90, seed: int = 1, provider: str = "offline", say=lambda text: None) -> Report:
    """Live `days` days and return the report (bench/simlib/report.py)."""
    if provider not in ("offline", "bedrock"):
        raise ValueError(f"provider must be offline or bedrock, not {provider!r}")
    started = time.monotonic()
    modes, sick, ignored, finish = schedule(days, seed)
    log = Log(provider, seed, days, CAPACITY, TIMEZONE, sick, ignored, finish)
    fake = None
    with tempfile.TemporaryDirectory(prefix="zik-sim-") as tmp:
        extra: dict[str, str] = {}
        if provider == "bedrock":
            from tests.fakes import bedrock, coach_model

            fake = bedrock.FakeBedrock()
            fake.always.respond(coach_model.respond)
            extra = {
                "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fake.url,
                "AWS_ACCESS_KEY_ID": bedrock.FAKE_ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": bedrock.FAKE_SECRET,
                "AWS_REGION": "us-east-1",
                "ZIK_AI_MAX_ATTEMPTS": "2",
            }
        try:
            zik = Zik(Path(tmp) / "home", extra)
            keys = _setup(zik, log, provider, days)
            person = random.Random(f"person-{seed}")
            for index in range(1, days + 1):
                day_log = _live(zik, log, keys, index, modes[index], person)
                log.day_logs.append(day_log)
                say(f"day {index:>3} {day_log.day} {day_log.mode:<6} {day_log.minutes:>4} min")
            _finish(zik, log)
            log.processes = zik.processes
        finally:
            if fake is not None:
                log.ai_requests = len(fake.requests)
                fake.close()
    log.seconds = time.monotonic() - started
    return build(log)


def _day(index: int) -> date:
    return START + timedelta(days=index - 1)


def _setup(zik: Zik, log: Log, provider: str, days: int) -> dict[str, str]:
    """Profile, provider, quests, routines and own tasks, the evening before; key -> goal id."""
    # The evening before day 1, as people set things up after work: the quests' first steps land
    # on that evening, and every observed day (from day 1) is planned by cron's morning run
    # with everything in place (a routine added after a day is planned is the person's own
    # overflow, not zik's).
    when = at(START - timedelta(days=1), 20, 0)
    profile = ("--timezone", TIMEZONE, "--daily-time", "07:00", "--capacity", str(CAPACITY))
    for step in [("init", "--name", "Sam", *profile), ("config", "set", "ai.provider", provider)]:
        code, _, err = zik(when, *step)
        if code:
            log.setup_errors.append(f"{' '.join(step[:2])}: exit {code}: {err}")
    keys: dict[str, str] = {}
    for key, title, category, offset in QUESTS:
        target = (START + timedelta(days=offset)).isoformat()
        code, data, err = zik(
            when, "quest", "new", title, "--target", target, "--category", category
        )
        if code or not data:
            log.setup_errors.append(f"quest new {title!r}: exit {code}: {err}")
            continue
        keys[key] = data["goalId"]
        role = {IGNORED: "ignored", FINISHED_EARLY: "finished early"}.get(key, "")
        log.quests.append(QuestInfo(key, data["goalId"], title, target, START.isoformat(), role))
    for title, quest, minutes in ROUTINES:
        args = ["routine", "add", title, "--every", "weekdays", "--estimate", str(minutes)]
        args += ["--quest", keys[quest]] if quest in keys else []
        code, _, err = zik(when, *args)
        if code:
            log.setup_errors.append(f"routine add {title!r}: exit {code}: {err}")
    for index, title, quest, minutes in OWN_TASKS:
        if index > days:
            continue
        args = ["task", "add", title, "--due", _day(index).isoformat(), "--estimate", str(minutes)]
        args += ["--quest", keys[quest]] if quest in keys else []
        code, _, err = zik(when, *args)
        if code:
            log.setup_errors.append(f"task add {title!r}: exit {code}: {err}")
    # What the evening's first steps planned is planned work too: seen, so counted.
    _observe(zik, log, DayLog(0, (START - timedelta(days=1)).isoformat(), "setup"), when)
    return keys


def _live(zik: Zik, log: Log, keys: dict[str, str], index: int, mode: str, person) -> DayLog:
    """One day: cron's daily run, what the sim sees, what the person does."""
    day = _day(index)
    entry = DayLog(index, day.isoformat(), mode)
    if mode == "absent":
        return entry
    before = zik.processes
    morning, evening = at(day, 7, 5), at(day, 20)
    code, daily, err = zik(morning, "daily")
    entry.daily_code = code
    if daily is None:
        entry.daily_errors.append(err or f"exit {code} without a JSON report")
    else:
        for item in daily.get("milestones", []):
            if item.get("error"):
                message = item["error"].get("message", str(item["error"]))
                entry.quest_errors[item["goalId"]] = message
                entry.daily_errors.append(f"{item.get('goalName')}: {message}")
        for job in daily.get("jobs", []):
            if job.get("error"):
                entry.daily_errors.append(f"roadmap job: {job['error']}")
    _observe(zik, log, entry, morning)
    if mode == "active":
        _act(zik, log, keys, entry, person, evening)
    entry.processes = zik.processes - before
    return entry


def _observe(zik: Zik, log: Log, entry: DayLog, when: datetime) -> None:
    """Record today's list, the overdue list and each quest's state, as zik prints them."""
    _, view, _ = zik(when, "today")
    _, quests, _ = zik(when, "quest", "list", "--status", "all")
    for quest in quests or []:
        entry.quest_state[quest["goalId"]] = quest
    if view is None:
        entry.command_errors.append("zik today printed no JSON")
        return
    for group in view["groups"]:
        for task in group["tasks"]:
            seen = _see(log, task)
            if task["dueDate"] != entry.day:
                continue
            entry.planned.setdefault(task.get("goalId") or "", []).append(task["taskId"])
            seen.days_planned.append(entry.day)
            entry.minutes += task.get("estimatedMinutes") or 0
            entry.unestimated += task.get("estimatedMinutes") is None
    overdue, entry.overdue_total = view["overdue"], view["overdueTotal"]
    if entry.overdue_total > len(overdue):  # the view shows the first few: ask for all of them
        _, overdue, _ = zik(when, "task", "list", "--due", "overdue", "--limit", "0")
    for task in overdue or []:
        _see(log, task)
        entry.overdue.append(
            {"taskId": task["taskId"], "dueDate": task["dueDate"], "source": task["source"]}
        )


def _see(log: Log, task: dict[str, Any]) -> Seen:
    seen = log.seen.get(task["taskId"])
    if seen is None:
        seen = Seen(
            task["taskId"],
            task["taskName"],
            task.get("goalId"),
            task.get("source") or "",
            task.get("estimatedMinutes"),
            task["dueDate"],
        )
        log.seen[task["taskId"]] = seen
    return seen


def _act(zik: Zik, log: Log, keys: dict[str, str], entry: DayLog, person, when) -> None:
    """The behaviour model: ~70 % of today's tasks, own overdue tasks, none of the ignored
    quest's tasks while it is ignored, and on the finishing day that quest's tasks and done."""
    ignoring = log.ignored[0] <= entry.index <= log.ignored[1]
    finishing = entry.index == log.finish_day and FINISHED_EARLY in keys
    picks = []
    for goal_id, ids in entry.planned.items():
        for task_id in ids:
            if log.seen[task_id].completed_on:
                continue
            if ignoring and goal_id == keys.get(IGNORED):
                continue
            if (finishing and goal_id == keys[FINISHED_EARLY]) or person.random() < DONE_SHARE:
                picks.append(task_id)
    for item in entry.overdue:
        if ignoring and log.seen[item["taskId"]].goal_id == keys.get(IGNORED):
            continue  # ignored means ignored: not even its overdue errands
        share = DONE_SHARE if item["source"] == "user" else 0.1  # own errands get done late
        if not log.seen[item["taskId"]].completed_on and person.random() < share:
            picks.append(item["taskId"])
    if picks:
        code, data, err = zik(when, "task", "done", *picks)
        if code or not data:
            entry.command_errors.append(f"task done: exit {code}: {err}")
        for task in (data or {}).get("items", []):
            if task.get("status") == "completed" and task["taskId"] in log.seen:
                log.seen[task["taskId"]].completed_on = entry.day
                entry.completed.append(task["taskId"])
    if finishing:
        code, _, err = zik(when + timedelta(minutes=1), "quest", "done", keys[FINISHED_EARLY])
        entry.actions.append(f"quest done {FINISHED_EARLY}")
        if code:
            entry.command_errors.append(f"quest done: exit {code}: {err}")


def _finish(zik: Zik, log: Log) -> None:
    """After the last evening: zik's stats, every task it still knows, each quest's roadmap."""
    when = at(_day(log.days), 21)
    _, log.final_stats, _ = zik(when, "stats")
    _, tasks, _ = zik(when, "task", "list", "--due", "all", "--status", "all", "--limit", "0")
    log.final_tasks = tasks or []
    for quest in log.quests:
        _, shown, _ = zik(when, "quest", "show", quest.goal_id)
        log.final_quests[quest.goal_id] = shown or {}
    log.final_stats = log.final_stats or {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--provider", choices=("offline", "bedrock"), default="offline")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--verbose", "-v", action="store_true", help="a line per day on stderr")
    args = parser.parse_args(argv)
    say = (lambda text: print(text, file=sys.stderr)) if args.verbose else (lambda text: None)
    report = run(days=args.days, seed=args.seed, provider=args.provider, say=say)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(render(report))
    return 0 if all(c.ok for c in report.checks if c.applies) else 1


if __name__ == "__main__":
    sys.exit(main())
