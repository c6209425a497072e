"""Benchmark zik's hot commands as cold processes on 1k/10k/100k-task databases.

    python bench/run.py                 # all sizes, 15 runs each
    python bench/run.py --sizes 10000 --runs 25
    python bench/run.py --zik "$(which zik)"   # time an existing install instead

By default it installs the working tree into bench/.venv the way users install it (`pip install .`,
not editable: an editable install adds ~10 ms of import-hook overhead to every command).

Each database holds 20 quests with 5 milestones each, 5 routines, tasks spread over the past at
20 a day (about a quarter still open, so the overdue list is large; the rest completed on the day
they were due), today's tasks, and one event per task. Every command runs as a fresh `zik` process
(as a person or cron would run it) with stdout to a pipe; the figure is the median wall time.
Budgets: DESIGN.md §9 for the hot commands; `zik stats` (which adds up the whole history) 300 ms;
`zik search review` (a word in a quarter of the tasks) 200 ms, 300 at 100k; importing a
1,000-task Taskwarrior export into an empty home 2 s (issue 8).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from zik.core.clock import iso
from zik.store.db import connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for the Taskwarrior sample
from tests.fakes import taskwarrior  # noqa: E402

ROOT = Path(__file__).resolve().parent
BUDGETS_MS = {
    "--version": 40,
    "today": 90,
    "task add": 90,
    "task done": 90,
    "task list": 90,
    "quest list": 90,
    "stats": 300,
    "search": 200,
    "import tw 1k": 2000,  # a 1,000-task Taskwarrior export into an empty ZIK_HOME
}
HOT = ("today", "task add", "task done", "task list", "quest list")  # flat up to 100k tasks
BUDGETS_100K_MS = {**BUDGETS_MS, **{k: 110 for k in HOT}, "search": 300}


def build(path: Path, n_tasks: int, today: date) -> list[str]:
    """Create a database with n_tasks tasks; returns ids of open tasks due today."""
    rng = random.Random(n_tasks)
    when = random.Random(-n_tasks)  # completion times: a generator of their own keeps the rest
    conn = connect(path)
    stamp = iso(datetime.now(UTC))
    quests, milestones = [], []
    for q in range(20):
        goal_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        quests.append(
            (
                goal_id,
                f"Quest {q} " + rng.choice(["Run", "Learn", "Write", "Build"]),
                "active" if q < 15 else "completed",
                stamp,
                stamp,
            )
        )
        for s in range(1, 6):
            status = "completed" if s < 3 else "active" if s == 3 else "locked"
            milestones.append(
                (
                    f"milestone_{uuid.UUID(int=rng.getrandbits(128), version=4)}",
                    goal_id,
                    s,
                    f"Milestone {s}",
                    status,
                    14,
                    stamp,
                    stamp,
                )
            )
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO quests (goal_id, goal_name, status, created_at, updated_at) VALUES (?,?,?,?,?)",
        quests,
    )
    conn.executemany(
        "INSERT INTO milestones (milestone_id, goal_id, sequence, title, status, duration_in_days,"
        " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
        milestones,
    )
    for r in range(5):
        conn.execute(
            "INSERT INTO routines (recurrence_rule_id, title, frequency, created_at, updated_at)"
            " VALUES (?,?,?,?,?)",
            (
                f"rule_{uuid.UUID(int=rng.getrandbits(128), version=4)}",
                f"Routine {r}",
                "daily",
                stamp,
                stamp,
            ),
        )
    tasks, events, today_open = [], [], []
    conn.execute(
        "INSERT INTO change_sets (id, created_at, summary, undoable) VALUES ('bench', ?, 'bench', 0)",
        (stamp,),
    )
    for i in range(n_tasks):
        task_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        days_ago = i // 20
        due = (today - timedelta(days=days_ago)).isoformat()
        status = "pending" if rng.random() < 0.25 or days_ago == 0 else "completed"
        quest = quests[rng.randrange(20)]
        milestone = milestones[quests.index(quest) * 5 + 2]
        tasks.append(
            (
                task_id,
                f"Task {i} " + rng.choice(["read", "practise", "review", "draft"]),
                due,
                rng.choice(["low", "medium", "high"]),
                status,
                quest[0],
                milestone[0],
                stamp,
                stamp,
                # done on the day it was due, at some hour: `zik stats` charts these days
                f"{due}T{when.randrange(6, 23):02d}:{when.randrange(60):02d}:00.000Z"
                if status == "completed"
                else None,
            )
        )
        events.append(("bench", stamp, "task.created", "task", task_id))
        if days_ago == 0:
            today_open.append(task_id)
    conn.executemany(
        "INSERT INTO tasks (task_id, task_name, due_date, priority, status, goal_id, milestone_id,"
        " created_at, updated_at, completed_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        tasks,
    )
    conn.executemany(
        "INSERT INTO events (change_set_id, created_at, type, entity, entity_id) VALUES (?,?,?,?,?)",
        events,
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return today_open


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()}")
    return elapsed


def bench(n_tasks: int, runs: int, zik: str) -> dict[str, float]:
    home = Path(tempfile.mkdtemp(prefix=f"zik-bench-{n_tasks}-"))
    try:
        env = {**os.environ, "ZIK_HOME": str(home), "NO_COLOR": "1"}
        env.pop("ZIK_NOW", None)
        open_ids = build(home / "zik.db", n_tasks, date.today())
        # warm the page cache and materialise today's routine tasks once, as a first run would
        timed([zik, "today"], env)
        done_ids = iter(open_ids)
        tw_file = home / "tw.json"
        tw_file.write_text(taskwarrior.export(taskwarrior.tasks(1000)))
        fresh_homes = (str(home / f"import-{n}") for n in itertools.count())
        commands = {
            "--version": lambda: [zik, "--version"],
            "today": lambda: [zik, "today"],
            "task add": lambda: [zik, "task", "add", "Benchmark task", "--due", "tomorrow"],
            "task done": lambda: [zik, "task", "done", next(done_ids)],
            "task list": lambda: [zik, "task", "list"],
            "quest list": lambda: [zik, "quest", "list"],
            "stats": lambda: [zik, "stats"],
            "search": lambda: [zik, "search", "review"],
            "import tw 1k": lambda: [zik, "import", str(tw_file)],
        }
        results = {}
        for name, make in commands.items():

            def env_for(name=name):
                # each import goes into a new, empty home
                return {**env, "ZIK_HOME": next(fresh_homes)} if name == "import tw 1k" else env

            samples = [timed(make(), env_for()) for _ in range(runs + 2)][2:]  # 2 warm-up runs
            results[name] = statistics.median(samples)
        return results
    finally:
        shutil.rmtree(home, ignore_errors=True)


def install() -> str:
    """A regular (non-editable) install of the working tree in bench/.venv; returns its zik."""
    venv = ROOT / ".venv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--force-reinstall", "--no-deps", "."],
        cwd=ROOT.parent,
        check=True,
    )
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "."], cwd=ROOT.parent, check=True)
    return str(venv / "bin" / "zik")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--zik", help="time this zik executable instead of a fresh install")
    args = parser.parse_args()
    zik = args.zik or install()
    table = {n: bench(n, args.runs, zik) for n in args.sizes}
    names = list(BUDGETS_MS)
    print(
        f"p50 ms over {args.runs} cold runs · {os.cpu_count()} cores · Python {sys.version.split()[0]}"
    )
    print(f"{'command':<12}" + "".join(f"{n:>10,}" for n in args.sizes) + "   budget")
    over = []
    for name in names:
        cells = ""
        for n in args.sizes:
            budget = (BUDGETS_100K_MS if n >= 100_000 else BUDGETS_MS)[name]
            value = table[n][name]
            cells += f"{value:>9.1f}{'!' if value > budget else ' '}"
            if value > budget:
                over.append(f"{name} at {n:,}: {value:.1f} ms > {budget} ms")
        print(f"{name:<12}{cells}   ≤{BUDGETS_MS[name]} (≤{BUDGETS_100K_MS[name]} at 100k)")
    if over:
        print("over budget: " + "; ".join(over))
        sys.exit(1)


if __name__ == "__main__":
    main()
