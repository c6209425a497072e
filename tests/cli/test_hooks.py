"""Event hooks from the command line: what runs, what is reported, and what never changes
(the exit code, the change itself, a --json stdout)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.helpers import assert_one_line_error
from tests.core.test_hooks import alive, log_events, logged, write_hook
from zik.models import Task
from zik.store import records


@pytest.fixture
def task_id(zik) -> str:
    return zik("--json", "task", "add", "Stretch").data["taskId"]


def received(home: Path) -> dict:
    return json.loads((home / "hooks" / "got.json").read_text())


def test_a_hook_receives_the_completion(zik, task_id, zik_home):
    write_hook(zik_home, "on-task-completed", "cat > got.json\n")
    result = zik("task", "done", task_id[:8])
    assert result.code == 0, result
    got = received(zik_home)
    assert got["event"] == "task.completed"
    assert got["id"] == task_id
    assert got["after"]["status"] == "completed"
    assert "hook" not in result.err


def test_a_hook_receives_the_completion_in_a_separate_process(zik_process, task_id, zik_home):
    write_hook(zik_home, "on-task-completed", "cat > got.json\n")
    result = zik_process("task", "done", task_id[:8])
    assert result.code == 0, result
    got = received(zik_home)
    assert (got["event"], got["id"], got["after"]["status"]) == (
        "task.completed",
        task_id,
        "completed",
    )


def test_a_failing_hook_is_reported_and_the_exit_code_stays_0(zik, task_id, zik_home):
    write_hook(zik_home, "on-task-completed", "cat > /dev/null; exit 3\n")
    result = zik("task", "done", task_id[:8])
    assert result.code == 0, result
    assert "hook on-task-completed failed (exit 3)" in result.err
    assert "Completed" in result.err
    assert zik("--json", "task", "list", "--status", "completed").data[0]["taskId"] == task_id


def test_a_hanging_hook_is_killed_at_the_timeout_and_the_completion_stands(
    zik_process, task_id, zik_home, conn
):
    write_hook(
        zik_home,
        "on-task-completed",
        "echo $$ > hook.pid\nsleep 60 &\necho $! > child.pid\nwait\n",
    )
    started = time.monotonic()
    result = zik_process("task", "done", task_id[:8], env={"ZIK_HOOKS_TIMEOUT": "1"})
    elapsed = time.monotonic() - started
    # The background `sleep` shares zik's stderr: had it survived, reading zik's output to the
    # end would have waited the full minute.
    assert elapsed < 10, result
    assert result.code == 0, result
    assert "hook on-task-completed timed out after 1 s and was stopped" in result.err
    assert records.get(conn, Task, task_id).status == "completed"
    assert not alive(int((zik_home / "hooks" / "hook.pid").read_text()))
    child = int((zik_home / "hooks" / "child.pid").read_text())
    deadline = time.monotonic() + 5  # killed already; its new parent may take a moment to reap it
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child)


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--no-hooks"], {}),
        ([], {"ZIK_NO_HOOKS": "1"}),
    ],
    ids=["--no-hooks", "ZIK_NO_HOOKS=1"],
)
def test_hooks_can_be_switched_off_for_one_run(zik, task_id, zik_home, monkeypatch, args, env):
    log = log_events(zik_home)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert zik(*args, "task", "done", task_id[:8]).code == 0
    assert logged(log) == []


def test_no_hooks_lasts_one_run_only(zik, task_id, zik_home):
    log = log_events(zik_home)
    zik("--no-hooks", "task", "done", task_id[:8])
    zik("task", "reopen", task_id[:8])
    zik("task", "done", task_id[:8])
    assert logged(log) == ["task.completed"]


def test_hooks_enabled_false_turns_them_off(zik, task_id, zik_home):
    log = log_events(zik_home)
    assert zik("config", "set", "hooks.enabled", "false").code == 0
    assert zik("task", "done", task_id[:8]).code == 0
    assert logged(log) == []


def test_the_timeout_is_a_setting(zik):
    assert zik("--json", "config", "get", "hooks.timeout").data["value"] == 10
    assert zik("--json", "config", "set", "hooks.timeout", "3").data["value"] == 3
    assert_one_line_error(zik("config", "set", "hooks.timeout", "soon"), 2)


def test_samples_and_files_that_are_not_executable_do_not_run(zik, task_id, zik_home):
    write_hook(zik_home, "on-task-completed.sample", "echo x > sample-ran\n")
    write_hook(zik_home, "on-task-completed", "echo x > plain-ran\n", mode=0o644)
    result = zik("task", "done", task_id[:8])
    assert result.code == 0
    assert not (zik_home / "hooks" / "sample-ran").exists()
    assert not (zik_home / "hooks" / "plain-ran").exists()
    assert "on-task-completed is not executable" in result.err


def test_json_stdout_stays_one_document_when_a_hook_prints(zik_process, task_id, zik_home):
    write_hook(zik_home, "on-task-completed", "cat; echo 'hook says hi'; exit 4\n")
    result = zik_process("--json", "task", "done", task_id[:8])
    assert result.code == 0, result
    assert result.out.count("\n") == 1, result
    document = json.loads(result.out)
    assert set(document) == {"schema_version", "data"}
    assert document["data"]["items"][0]["status"] == "completed"
    # The hook's own output went to stderr (as git does with hooks); zik said nothing itself.
    assert "hook says hi" in result.err
    assert "hook on-task-completed failed" not in result.err


def test_the_last_task_moves_the_roadmap_and_runs_its_hooks(zik, roadmap, zik_home):
    plan = roadmap("Base")
    log = log_events(zik_home)
    assert zik("task", "done", plan.tasks[0][0].task_id[:8]).code == 0
    assert logged(log) == ["task.completed", "milestone.completed", "quest.completed"]


def test_a_failed_command_runs_no_hook(zik, task_id, zik_home, conn):
    log = log_events(zik_home)
    assert zik("task", "done", task_id[:8], "deadbeef").code == 3
    assert logged(log) == []
    assert records.get(conn, Task, task_id).status == "pending"


def test_undo_of_a_completion_runs_no_completion_hook(zik, task_id, zik_home):
    log = log_events(zik_home)
    zik("task", "done", task_id[:8])
    assert zik("undo").code == 0
    assert zik("--json", "task", "list").data[0]["status"] == "pending"
    assert logged(log) == ["task.completed"]


def test_quest_done_runs_the_quest_hook(zik, zik_home):
    quest = zik("--json", "quest", "new", "Read more", "--no-plan").data["goalId"]
    log = log_events(zik_home)
    assert zik("quest", "done", quest[:8]).code == 0
    assert logged(log) == ["quest.completed"]


def test_planning_a_quest_runs_the_roadmap_ready_hook(zik, zik_home):
    write_hook(zik_home, "on-roadmap-ready", "cat > got.json\n")
    result = zik("--json", "quest", "new", "Learn Spanish", "--target", "+10w")
    assert result.code == 0, result
    got = received(zik_home)
    assert got["event"] == "quest.roadmap_ready"
    assert got["after"]["goalName"] == "Learn Spanish"
    assert got["after"]["roadmapStatus"] == "ready"


SCRIPT = """
import json, sys
from zik.cli.main import run
code = run(json.loads(sys.argv[1]))
sys.__stdout__.write("\\n" + json.dumps({"code": code, "tomllib": "tomllib" in sys.modules}) + "\\n")
"""


def loads_tomllib(args: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(args)],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_task_done_without_hooks_never_reads_the_config_file(zik, task_id, zik_home):
    """The hot path (DESIGN.md §9): no hooks folder, or none for this event, costs a stat."""
    zik("config", "set", "ai.keep_bodies", "5")  # a config file that does not mention hooks
    assert loads_tomllib(["task", "done", task_id[:8]]) == {"code": 0, "tomllib": False}
    write_hook(zik_home, "on-quest-completed", "exit 0\n")
    zik("task", "reopen", task_id[:8])
    assert loads_tomllib(["task", "done", task_id[:8]]) == {"code": 0, "tomllib": False}


def test_the_check_sees_the_config_file_read_when_a_hook_runs(zik, task_id, zik_home):
    """Control: with a hook to run, its settings are read (and tomllib imported)."""
    write_hook(zik_home, "on-task-completed", "exit 0\n")
    assert loads_tomllib(["task", "done", task_id[:8]]) == {"code": 0, "tomllib": True}
