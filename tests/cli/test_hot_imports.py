"""The hot commands never import the heavy libraries (README "Speed", DESIGN.md §9).

Each check runs in a fresh interpreter: it runs one command line through zik.cli.main.run and
then prints which heavy modules ended up in sys.modules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("boto3", "botocore", "pydantic", "sqlite_utils", "apscheduler", "rich")

SCRIPT = f"""
import json, sys
from zik.cli.main import run
code = run(json.loads(sys.argv[1]))
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {set(HEAVY)!r})
sys.__stdout__.write("\\n" + json.dumps({{"code": code, "heavy": heavy}}) + "\\n")
"""


def imports_after(args: list[str], env: dict[str, str] | None = None) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(args)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture
def task_id(zik) -> str:
    """A migrated database holding one task (the first run migrates, which needs sqlite-utils)."""
    return zik("--json", "task", "add", "Seed task").data["taskId"]


@pytest.mark.parametrize(
    "args",
    [
        ["today"],
        ["--json", "today"],
        [],
        ["task", "add", "Buy milk"],
        ["task", "add", "Buy milk", "--due", "tomorrow", "-p", "high", "--json"],
        ["task", "list"],
        ["task", "list", "--due", "overdue", "--json"],
        ["quest", "list"],
        ["--version"],
    ],
    ids=lambda a: " ".join(a) or "(no args)",
)
def test_hot_command_stays_light(task_id, args):
    seen = imports_after(args)
    assert seen["code"] == 0
    assert seen["heavy"] == []


def test_task_done_stays_light(task_id):
    seen = imports_after(["task", "done", task_id[:8]])
    assert seen["code"] == 0
    assert seen["heavy"] == []


def test_failing_hot_command_stays_light(task_id):
    seen = imports_after(["task", "done", "deadbeef"])
    assert seen["code"] == 3
    assert seen["heavy"] == []


def test_the_check_can_see_a_heavy_import(tmp_path):
    """Control: the first run in a new home migrates, and that does import sqlite-utils."""
    seen = imports_after(["today"], env={"ZIK_HOME": str(tmp_path / "fresh")})
    assert seen["code"] == 0
    assert "sqlite_utils" in seen["heavy"]


def test_version_fast_path_skips_typer(zik_process):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from zik.cli.main import main\n"
            "try:\n    main(['--version'])\n"
            "except SystemExit as e:\n    code = e.code\n"
            "print(code, 'typer' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith("zik ")
    assert lines[-1] == "0 False"


NOT_AI = ("boto3", "botocore", "pydantic")


@pytest.mark.parametrize(
    "args",
    [
        ["quest", "new", "Read more", "--no-plan"],
        ["quest", "show", "{quest}"],
        ["milestone", "add", "{quest}", "First chapters", "--days", "7"],
        ["task", "edit", "{task}", "--priority", "low"],
        ["routine", "list"],
        ["why", "{task}"],
        ["usage"],
        ["usage", "--by", "day", "--json"],
        ["config", "list"],
        ["undo"],
    ],
    ids=lambda a: " ".join(a),
)
def test_commands_that_do_not_call_the_ai_never_import_boto3_or_pydantic(zik, task_id, args):
    quest = zik("--json", "quest", "new", "Seed quest", "--no-plan").data["goalId"]
    seen = imports_after([a.format(quest=quest[:8], task=task_id[:8]) for a in args])
    assert seen["code"] == 0
    assert [m for m in seen["heavy"] if m.split(".")[0] in NOT_AI] == []


def test_the_check_sees_the_ai_libraries_when_a_command_plans(task_id):
    """Control: planning a quest loads pydantic (offline here: no credentials) and botocore."""
    seen = imports_after(["quest", "new", "Learn Spanish", "--target", "+10w"])
    assert seen["code"] == 0
    assert "pydantic" in seen["heavy"] and "boto3" in seen["heavy"]
