"""One ZIK_HOME per test, a pinned clock, and helpers to run zik in-process or as a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.fakes.bedrock import fake_bedrock, fake_bedrock_tls  # noqa: F401  (fake Bedrock fixtures)
from tests.fakes.faults import fault_proxy  # noqa: F401  (the fault-injecting proxy)
from tests.fakes.moto import backend, cognito, moto_server  # noqa: F401  (moto fixtures)
from tests.fakes.rest_backend import rest_backend  # noqa: F401  (the REST backend double)
from zik.cli import io as io_module
from zik.cli.main import run
from zik.core import milestones, quests, workspace
from zik.core.changes import change_set
from zik.models import Milestone, Quest, Task
from zik.store import records

# A fixed instant: Wednesday 2026-11-25 10:00 UTC.
FROZEN_NOW = "2026-11-25T10:00:00Z"


@pytest.fixture(autouse=True)
def zik_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Isolate every test: its own ZIK_HOME, no AWS or ZIK settings from outside, a frozen clock."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "ZIK_")) or name in ("CI", "NO_COLOR", "TZ"):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("ZIK_HOME", str(home))
    monkeypatch.setenv("ZIK_NOW", FROZEN_NOW)
    monkeypatch.setenv("TZ", "UTC")
    # No AWS credentials from the developer's machine: `ai.provider = auto` picks offline unless
    # a test starts the fake Bedrock server (which sets fake credentials).
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    workspace.close()
    io_module._current = None
    yield home
    workspace.close()
    io_module._current = None


@pytest.fixture
def conn(zik_home: Path):
    """A migrated database in the test's ZIK_HOME (the same one the CLI helpers use)."""
    return workspace.db()


class Roadmap:
    """A quest with its milestones (in order) and the tasks planned under each milestone."""

    def __init__(self, quest: Quest, milestones: list[Milestone], tasks: list[list[Task]]):
        self.quest, self.milestones, self.tasks = quest, milestones, tasks


@pytest.fixture
def roadmap(conn):
    """Build a planned quest: roadmap("A", "B", tasks_each=2) -> Roadmap.

    Milestones are added through zik.core (so the first is active and the rest locked); tasks are
    saved under every milestone at once, the way the roadmap job plans them.
    """

    def build(*titles: str, tasks_each: int = 1, name: str = "Run a half marathon") -> Roadmap:
        quest = quests.create(conn, name, today=date(2026, 11, 25))
        added = [milestones.add(conn, quest.goal_id, title) for title in titles]
        with change_set(conn, f"plan {name}") as cs:
            planned = [
                [
                    cs.insert(
                        Task(
                            task_id=str(uuid.uuid4()),
                            task_name=f"{m.title} step {n}",
                            due_date="2026-11-25",
                            goal_id=quest.goal_id,
                            milestone_id=m.milestone_id,
                            source="ai",
                        )
                    )
                    for n in range(1, tasks_each + 1)
                ]
                for m in added
            ]
        return Roadmap(
            records.get(conn, Quest, quest.goal_id),
            [records.get(conn, Milestone, m.milestone_id) for m in added],
            planned,
        )

    return build


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    @property
    def data(self):
        """The `data` of a --json result."""
        document = json.loads(self.out)
        assert document["schema_version"] == 1
        return document["data"]

    @property
    def error(self):
        return json.loads(self.err)["error"]

    def __repr__(self) -> str:
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def zik(capsys: pytest.CaptureFixture[str]):
    """Run a zik command line in this process: zik("task", "add", "x") -> Result."""

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        io_module._current = None
        code = run(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def zik_process(zik_home: Path):
    """Run zik as a separate process (for imports, tracebacks, concurrency)."""

    def invoke(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
        done = subprocess.run(
            [sys.executable, "-m", "zik", *args],
            capture_output=True,
            text=True,
            input=stdin,
            env={**os.environ, **(env or {})},
            timeout=60,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return invoke
