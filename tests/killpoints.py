"""Kill a zik process with SIGKILL at a chosen point, and check what a planning run left behind.

`run_killed(point, *args)` runs `zik *args` in a child Python whose module functions are wrapped
(in the child only: production code has no test hook) so that the process SIGKILLs itself at the
point. Every point is named after what has happened when the process dies:

- `plan`: the roadmap was proposed (AI call made), its step not committed.
- `planned`: the plan step committed (step `save`, the proposal in the payload).
- `saving`: the milestones were inserted, the transaction not committed.
- `saved`: the save step committed (milestones and step `first_day`).
- `day-proposed`: today's tasks were proposed, nothing saved.
- `day-saving`: today's tasks were inserted, the transaction (with the job's end) not committed.

And before any of them, in `zik quest new`:

- `quest-created`: the quest was created, its planning job not yet.

And in `zik daily`'s own planning of a milestone's day:

- `task-inserted`: the first AI task was inserted, the transaction not committed.
- `day-saved`: a milestone's day was saved, the run not recorded (`daily_runs`).

The checks read the database through their own connection, as another process would.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

CHILD = r"""
import os
import signal
import sys

from zik.cli.main import run
from zik.core.plan import daily
from zik.core.plan import workflow
from zik.core.changes import ChangeSet
from zik.store import jobs

AT = os.environ["ZIK_TEST_KILL_AT"]


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def wrap(module, name, before=None, after=None):
    real = getattr(module, name)

    def wrapper(*args, **kwargs):
        if before is not None and before(*args, **kwargs):
            die()
        result = real(*args, **kwargs)
        if after is not None and after(*args, **kwargs):
            die()
        return result

    setattr(module, name, wrapper)


def to_step(wanted):
    return lambda conn, job, step, *rest, **kwargs: step == wanted


always = lambda *args, **kwargs: True

if AT == "quest-created":
    wrap(workflow, "start", before=always)
elif AT == "plan":
    wrap(jobs, "advance", before=to_step("save"))
elif AT == "planned":
    wrap(jobs, "advance", after=to_step("save"))
elif AT == "saving":
    wrap(jobs, "advance", before=to_step("first_day"))
elif AT == "saved":
    wrap(workflow, "save_roadmap", after=always)
elif AT == "day-proposed":
    wrap(workflow, "propose_day", after=always)
elif AT == "day-saving":
    wrap(jobs, "finish", before=lambda conn, job, state, *rest, **kwargs: state == "done")
elif AT == "task-inserted":
    ai_task = lambda cs, record, *rest: record.ENTITY == "task" and record.source == "ai"
    wrap(ChangeSet, "insert", after=ai_task)
elif AT == "day-saved":
    wrap(daily, "save_day", after=always)
else:
    raise SystemExit(f"unknown kill point {AT!r}")

sys.exit(run(sys.argv[1:]))
"""

POINTS = ("plan", "planned", "saving", "saved", "day-proposed", "day-saving")
# What the database holds once the process died there: the job's step, and whether the
# milestones were committed (today's tasks never are).
AFTER_KILL = {
    "plan": ("plan", False),
    "planned": ("save", False),
    "saving": ("save", False),
    "saved": ("first_day", True),
    "day-proposed": ("first_day", True),
    "day-saving": ("first_day", True),
}


def run_killed(point: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `zik *args` in a child that SIGKILLs itself at `point`; it must die there."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ZIK_TEST_KILL_AT": point},
        timeout=60,
    )
    assert done.returncode == -signal.SIGKILL, (point, done.returncode, done.stderr)
    return done


# --- reading the database -------------------------------------------------------------------------


def connect(home: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(home / "zik.db", isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def rows(home: Path, sql: str, *params: object) -> list[dict]:
    conn = connect(home)
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def integrity(home: Path) -> str:
    [row] = rows(home, "PRAGMA integrity_check")
    return next(iter(row.values()))


def quest_ids(home: Path) -> list[str]:
    return [r["goal_id"] for r in rows(home, "SELECT goal_id FROM quests WHERE deleted_at IS NULL")]


def quest(home: Path, goal_id: str) -> dict:
    [row] = rows(home, "SELECT * FROM quests WHERE goal_id = ?", goal_id)
    return row


def jobs(home: Path, goal_id: str) -> list[dict]:
    return rows(home, "SELECT * FROM jobs WHERE subject = ? ORDER BY created_at, rowid", goal_id)


def milestones(home: Path, goal_id: str) -> list[dict]:
    return rows(
        home,
        "SELECT * FROM milestones WHERE goal_id = ? AND deleted_at IS NULL ORDER BY sequence",
        goal_id,
    )


def tasks(home: Path, *, due: str | None = None, milestone_id: str | None = None) -> list[dict]:
    sql, params = "SELECT * FROM tasks WHERE deleted_at IS NULL", []
    if due is not None:
        sql, params = sql + " AND due_date = ?", [*params, due]
    if milestone_id is not None:
        sql, params = sql + " AND milestone_id = ?", [*params, milestone_id]
    return rows(home, sql + " ORDER BY rowid", *params)


def ai_calls(home: Path) -> list[dict]:
    return rows(home, "SELECT * FROM ai_calls ORDER BY rowid")


def assert_one_set_per_milestone(home: Path, day: str) -> dict[str, list[dict]]:
    """Every milestone's tasks on `day` are named once, and the AI tasks made that day come from
    one AI call (tasks moved there from earlier days keep the call that made them).

    The clock of these tests is ZIK_NOW on `day`, so "made that day" is `created_at` on `day`.
    """
    by_milestone: dict[str, list[dict]] = {}
    for task in tasks(home, due=day):
        if task["milestone_id"]:
            by_milestone.setdefault(task["milestone_id"], []).append(task)
    for milestone_id, made in by_milestone.items():
        names = Counter(t["task_name"].casefold() for t in made)
        assert all(n == 1 for n in names.values()), (milestone_id, names)
        calls = {
            t["ai_call_id"] for t in made if t["source"] == "ai" and t["created_at"][:10] == day
        }
        assert len(calls) <= 1, (milestone_id, calls)
    return by_milestone


def assert_planned_once(home: Path, goal_id: str, day: str) -> list[dict]:
    """One roadmap (3–7 milestones, sequences 1..n, first active), its job done, today's tasks
    once, and a sound database. Returns the milestones."""
    assert integrity(home) == "ok"
    found = milestones(home, goal_id)
    assert 3 <= len(found) <= 7, found
    assert [m["sequence"] for m in found] == list(range(1, len(found) + 1))
    assert len({m["title"] for m in found}) == len(found)
    assert len({m["ai_call_id"] for m in found}) == 1  # all from one roadmap call
    assert [m["status"] for m in found] == ["active"] + ["locked"] * (len(found) - 1)
    assert quest(home, goal_id)["roadmap_status"] == "ready"
    states = [j["state"] for j in jobs(home, goal_id)]
    assert states == ["done"], states
    mine = {m["milestone_id"] for m in found}
    today = {k: v for k, v in assert_one_set_per_milestone(home, day).items() if k in mine}
    assert set(today) == {found[0]["milestone_id"]}, today  # only the active milestone has tasks
    assert today[found[0]["milestone_id"]]
    return found
