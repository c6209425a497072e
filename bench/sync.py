"""Sync at scale: what one `zik sync` costs on the dynamodb remote at 500 quests / 10k tasks.

    python bench/sync.py                          # 500 quests, 2,500 milestones, 10,000 tasks
    python bench/sync.py --quests 50 --tasks 1000

The backend's tables live on a moto_server; a relaying proxy (tests/fakes/faults.py, no faults)
sits between zik and it and counts the requests. Each figure is one `zik sync` run as a fresh
process, as cron runs it: the DynamoDB requests it made and the CPU time of the process (user +
system, interpreter start and imports included; moto's own time is not zik's and is left out).

Scenarios, in order: first push (device A, everything new there), first pull (device B, an empty
home), no-op sync (B again, nothing changed anywhere), one edit (A renames one task and syncs).
Budgets (issue 17): a no-op sync ≤ 30 requests and ≤ 0.5 s CPU; one edit ≤ the no-op's reads
plus one write.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for the test doubles
import run as bench_run  # noqa: E402  (bench/run.py, beside this file)

from tests.fakes import moto  # noqa: E402
from tests.fakes.faults import FaultProxy  # noqa: E402
from zik.core.clock import iso  # noqa: E402
from zik.store.db import connect  # noqa: E402

NOOP_REQUESTS = 30
NOOP_CPU_S = 0.5
READS = {"Query", "GetItem", "Scan", "BatchGetItem", "ExecuteStatement", "BatchExecuteStatement"}


def build(path: Path, n_quests: int, n_tasks: int, today: date) -> None:
    """A home with n_quests quests of 5 milestones each, n_tasks tasks spread over them and the
    past year, and 5 daily routines: everything new to the remote."""
    rng = random.Random(n_tasks)
    stamp = iso(datetime.now(UTC))
    conn = connect(path)
    quests, milestones, tasks = [], [], []
    for q in range(n_quests):
        goal_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        quests.append((goal_id, f"Quest {q}", "active", stamp, stamp))
        for s in range(1, 6):
            status = "completed" if s < 3 else "active" if s == 3 else "locked"
            milestone_id = f"milestone_{uuid.UUID(int=rng.getrandbits(128), version=4)}"
            milestones.append((milestone_id, goal_id, s, f"Step {s}", status, 14, stamp, stamp))
    for i in range(n_tasks):
        quest = rng.randrange(n_quests)
        due = (today - timedelta(days=i % 365)).isoformat()
        done = rng.random() < 0.75
        tasks.append(
            (
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                f"Task {i} " + rng.choice(["read", "practise", "review", "draft"]),
                due,
                rng.choice(["low", "medium", "high"]),
                "completed" if done else "pending",
                quests[quest][0],
                milestones[quest * 5 + 2][0],
                stamp,
                stamp,
                f"{due}T18:00:00.000Z" if done else None,
            )
        )
    with conn:
        conn.executemany(
            "INSERT INTO quests (goal_id, goal_name, status, created_at, updated_at)"
            " VALUES (?,?,?,?,?)",
            quests,
        )
        conn.executemany(
            "INSERT INTO milestones (milestone_id, goal_id, sequence, title, status,"
            " duration_in_days, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
            milestones,
        )
        conn.executemany(
            "INSERT INTO tasks (task_id, task_name, due_date, priority, status, goal_id,"
            " milestone_id, created_at, updated_at, completed_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            tasks,
        )
        for r in range(5):
            conn.execute(
                "INSERT INTO routines (recurrence_rule_id, title, frequency, created_at,"
                " updated_at) VALUES (?,?,?,?,?)",
                (
                    f"rule_{uuid.UUID(int=rng.getrandbits(128), version=4)}",
                    f"Routine {r}",
                    "daily",
                    stamp,
                    stamp,
                ),
            )
    conn.close()


ZIK = [sys.executable, "-m", "zik"]  # main() makes it a regular install, as users have


def run(args: list[str], env: dict[str, str], stdin: str = "") -> tuple[float, str]:
    """Run zik as a fresh process; returns its CPU seconds (user + system) and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # children waited for so far
    done = subprocess.run([*ZIK, *args], env=env, input=stdin, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"zik {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return cpu, done.stdout


def seed(backend: moto.Backend, user_id: str, path: Path) -> int:
    """Write every record of the home at `path` into the backend's tables as zik's push
    writes them (cloud/items.py wire form, `userId` added), with BatchWriteItem: moto's
    TransactWriteItems deep-copies each table it touches once per item, so a 10k-task first
    push cannot run on it. Returns how many items went in."""
    from boto3.dynamodb.types import TypeSerializer

    from zik.cloud.items import MILESTONE, QUEST, ROUTINE, TASK

    typed = TypeSerializer()
    conn = connect(path)
    count = 0
    for kind in (QUEST, MILESTONE, TASK, ROUTINE):
        rows = conn.execute(f"SELECT * FROM {kind.record.TABLE}").fetchall()
        items = []
        for row in rows:
            wire = kind.to_wire(kind.record.from_row(row))
            plain = {"userId": user_id, **{k: v for k, v in wire.items() if v is not None}}
            items.append({k: typed.serialize(v) for k, v in plain.items()})
        table = backend.tables[kind.table]
        for first in range(0, len(items), 25):
            chunk = {table: [{"PutRequest": {"Item": i}} for i in items[first : first + 25]]}
            while chunk:
                chunk = backend.ddb.batch_write_item(RequestItems=chunk).get("UnprocessedItems")
        count += len(items)
    conn.close()
    return count


class Devices:
    """Homes signed in to one moto backend through a counting proxy."""

    def __init__(self, url: str, root: Path):
        self.cognito = moto.new_pool(url)
        self.backend = moto.new_backend(self.cognito)
        self.proxy = FaultProxy(url, timeout=300)
        self.env = {**os.environ, **moto.backend_env(url), "NO_COLOR": "1"}
        self.env["AWS_ENDPOINT_URL_DYNAMODB"] = self.proxy.url
        self.env.pop("ZIK_NOW", None)
        self.root = root

    def home(self, name: str) -> dict[str, str]:
        home = self.root / name
        if not home.exists():
            home.mkdir(mode=0o700)
            device = {**self.env, "ZIK_HOME": str(home)}
            run(["cloud", "setup", *self.backend.setup_args()], device)
            run(["cloud", "login", "--email", moto.EMAIL], device, stdin=moto.PASSWORD + "\n")
        return {**self.env, "ZIK_HOME": str(home)}

    def user_id(self) -> str:
        user = self.cognito.idp.admin_get_user(UserPoolId=self.cognito.pool_id, Username=moto.EMAIL)
        return next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")

    def sync(self, label: str, name: str, *before: list[str]) -> dict:
        """One `zik sync` on the device `name` (after the commands `before`), measured."""
        device = self.home(name)
        for args in before:
            run(args, device)
        self.proxy.clear()
        cpu, _ = run(["sync"], device)
        ops = Counter(op for op in self.proxy.operations())
        reads = sum(n for op, n in ops.items() if op in READS)
        total = sum(ops.values())
        return {"scenario": label, "requests": total, "reads": reads, "writes": total - reads,
                "cpu": cpu, "ops": dict(ops)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quests", type=int, default=500)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--zik", help="measure this zik executable instead of a fresh install")
    options = parser.parse_args()
    ZIK[:] = [options.zik or bench_run.install()]  # (bench/run.py's: compiled, not editable)
    small = (max(1, options.quests // 10), max(1, options.tasks // 10))
    rows = []
    with tempfile.TemporaryDirectory(prefix="zik-bench-sync-") as tmp:
        root = Path(tmp)
        with moto.serve() as url:  # the first push, at a tenth of the size (see seed)
            devices = Devices(url, root / "push")
            (root / "push").mkdir()
            devices.home("a")
            build(root / "push" / "a" / "zik.db", *small, date.today())
            row = devices.sync(f"first push at {small[0]}/{small[1]}", "a")
            rows.append(row)
            devices.proxy.close()
        with moto.serve() as url:
            devices = Devices(url, root / "full")
            (root / "full").mkdir()
            build(root / "seed.db", options.quests, options.tasks, date.today())
            seed(devices.backend, devices.user_id(), root / "seed.db")
            rows.append(devices.sync("first pull", "b"))
            noop = devices.sync("no-op sync", "b")
            rows.append(noop)
            task = _some_task(root / "full" / "b" / "zik.db")
            edit = devices.sync("one edit", "b", ["task", "edit", task, "--title", "Renamed"])
            rows.append(edit)
            rows.append(devices.sync("no-op again", "b"))
            devices.proxy.close()

    print(f"{options.quests} quests, {options.quests * 5} milestones, {options.tasks} tasks")
    print(f"{'scenario':<22} {'requests':>9} {'reads':>6} {'writes':>7} {'CPU s':>6}   operations")
    for row in rows:
        ops = ", ".join(f"{op} {n}" for op, n in sorted(row["ops"].items()))
        print(
            f"{row['scenario']:<22} {row['requests']:>9} {row['reads']:>6} {row['writes']:>7}"
            f" {row['cpu']:>6.2f}   {ops}"
        )
    checks = {
        f"no-op sync ≤ {NOOP_REQUESTS} requests": noop["requests"] <= NOOP_REQUESTS,
        f"no-op sync ≤ {NOOP_CPU_S} s CPU": noop["cpu"] <= NOOP_CPU_S,
        "one edit ≤ the no-op's reads + 1 write": edit["writes"] <= 1
        and edit["reads"] <= noop["reads"] + 1,
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    sys.exit(0 if all(checks.values()) else 1)


def _some_task(path: Path) -> str:
    conn = connect(path)
    try:
        return conn.execute("SELECT task_id FROM tasks ORDER BY task_id LIMIT 1").fetchone()[0]
    finally:
        conn.close()


if __name__ == "__main__":
    main()
