"""A real Taskwarrior database made with the `task` CLI, for the import and export tests.

`SCRIPT` is what a person types: far and date-only dues, a priority UDA value, `scheduled`,
`wait`, `until`, a numeric UDA, annotations, a dependency, daily/weekly/weekdays/monthly
recurring tasks, a completed, a started and a deleted task. Dates are in 2031 so Taskwarrior
makes the same instances whenever it runs (`recurrence.limit` of them for a series that has
not started yet), and it runs in Europe/Berlin so date-only dues are stored as 23:00 UTC.

Where `task` is not installed the export recorded from this script is used instead:
`python -m tests.taskwarrior_db` (with `task` installed) writes it again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

ZONE = "Europe/Berlin"
RECORDED = Path(__file__).parent / "data" / "taskwarrior-2.6.json"
RC = """\
confirmation=off
verbose=nothing
recurrence.limit=2
uda.estimate.type=numeric
uda.estimate.label=Estimate
uda.priority.values=H,M,L,U,
news.version=2.6.0
"""
SCRIPT: list[list[str]] = [
    ["add", "Buy milk", "project:Home", "due:2031-01-10", "+errand", "priority:H"],
    ["+LATEST", "annotate", "the oat one"],
    ["add", "Call mom", "due:someday", "priority:U"],
    [
        "add",
        "Quarterly report",
        "project:Work.Q4",
        "due:2031-01-12",
        "scheduled:2031-01-08",
        "wait:2031-01-07",
        "until:2031-01-31",
        "estimate:3",
    ],  # fmt: skip
    ["add", "Book the venue", "project:Home", "depends:1", "priority:L"],
    ["add", "Stretch", "recur:daily", "due:2031-01-05", "project:Health"],
    ["add", "Gym", "recur:weekly", "due:2031-01-06T07:00", "project:Health"],  # a Monday
    ["add", "Standup", "recur:weekdays", "due:2031-01-06", "project:Work.Q4"],
    ["add", "Pay rent", "recur:monthly", "due:2031-01-01"],
    ["add", "Sort the attic", "project:Home"],  # no date at all
    ["add", "Old chore", "due:2031-01-03", "+home"],
    ["+LATEST", "done"],
    ["add", "Changed my mind", "project:Home"],
    ["+LATEST", "delete"],
    ["add", "Started thing", "due:2031-01-09"],
    ["+LATEST", "start"],
    ["list"],  # any command makes the recurring tasks' instances
]


def installed() -> bool:
    return shutil.which("task") is not None


class Taskwarrior:
    """One Taskwarrior database in a folder of its own (its taskrc and data)."""

    def __init__(self, root: Path):
        root.mkdir(parents=True, exist_ok=True)
        self.data = root / "data"
        self.rc = root / "taskrc"
        self.rc.write_text(f"data.location={self.data}\n{RC}")

    def run(self, *args: str, stdin: str | None = None) -> str:
        env = {**os.environ, "TASKRC": str(self.rc), "TASKDATA": str(self.data), "TZ": ZONE}
        done = subprocess.run(
            ["task", *args], input=stdin, env=env, capture_output=True, text=True, timeout=60
        )
        if done.returncode != 0:
            raise AssertionError(f"task {' '.join(args)} failed: {done.stderr}")
        return done.stdout

    def export(self) -> list[dict]:
        return json.loads(self.run("rc.json.array=on", "export"))

    def load(self, text: str) -> str:
        """`task import -`: what Taskwarrior said about each task."""
        return self.run("import", "-", stdin=text)


def build(root: Path) -> Taskwarrior:
    tw = Taskwarrior(root)
    for command in SCRIPT:
        tw.run(*command)
    return tw


def export_text(root: Path) -> str:
    """`task export` of the script's database: made now, or the recorded one."""
    if installed():
        return json.dumps(build(root).export())
    return RECORDED.read_text(encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        items = build(Path(folder)).export()
    RECORDED.parent.mkdir(exist_ok=True)
    RECORDED.write_text("[\n" + ",\n".join(json.dumps(t) for t in items) + "\n]\n")
    print(f"wrote {len(items)} tasks to {RECORDED}")
