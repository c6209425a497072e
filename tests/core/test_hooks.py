"""Event hooks (zik.core.hooks): which executables run, with what, and what happens when they fail.

The hooks here are small shell scripts written into ZIK_HOME/hooks (ZIK_HOME is the config dir in
tests). They record what they received in files beside them, which the tests then read.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from zik.core import hooks, tasks, undo
from zik.core.changes import change_set
from zik.core.plan import planning
from zik.errors import ZikError
from zik.models import Task
from zik.store import records

ALL_HOOKS = tuple(hooks.HOOKS.values())


def write_hook(
    home: Path, name: str, body: str, *, mode: int = 0o755, shebang: str = "/bin/sh"
) -> Path:
    folder = home / "hooks"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # the user's own, whatever the umask (a group-writable one is refused)
    path = folder / name
    path.write_text(f"#!{shebang}\n" + body)
    path.chmod(mode)
    return path


def log_events(home: Path, *names: str) -> Path:
    """Install a hook under each name that appends its ZIK_EVENT to hooks/log."""
    for name in names or ALL_HOOKS:
        write_hook(home, name, 'cat > /dev/null; echo "$ZIK_EVENT" >> log\n')
    return home / "hooks" / "log"


def logged(log: Path) -> list[str]:
    return log.read_text().split() if log.exists() else []


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(hooks, "report", said.append)
    monkeypatch.setattr(hooks, "disabled", False)
    return said


@pytest.fixture
def task(conn) -> Task:
    return tasks.add(conn, "Stretch", today=date(2026, 11, 25))


def test_a_hook_gets_the_task_completion_as_json(conn, task, zik_home, reports):
    write_hook(
        zik_home,
        "on-task-completed",
        'cat > got.json; echo "$ZIK_EVENT" > env.txt; pwd > cwd.txt\n',
    )
    outcome = tasks.complete(conn, [task.task_id])
    got = json.loads((zik_home / "hooks" / "got.json").read_text())
    assert got["schema_version"] == 1
    assert got["event"] == "task.completed"
    assert got["entity"] == "task"
    assert got["id"] == task.task_id
    assert (
        got["changeSet"]
        == conn.execute("SELECT id FROM change_sets ORDER BY rowid DESC").fetchone()[0]
    )
    assert got["at"] == outcome.items[0].completed_at
    assert got["before"]["status"] == "pending" and got["before"]["taskName"] == "Stretch"
    assert got["after"]["status"] == "completed"
    assert got["after"]["completedAt"] == got["at"]
    assert (zik_home / "hooks" / "env.txt").read_text() == "task.completed\n"
    assert Path((zik_home / "hooks" / "cwd.txt").read_text().strip()) == (zik_home / "hooks")
    assert reports == []


def test_the_last_task_of_a_roadmap_completes_the_milestone_and_the_quest(
    conn, roadmap, zik_home, reports
):
    plan = roadmap("Base")
    log = log_events(zik_home)
    tasks.complete(conn, [plan.tasks[0][0].task_id])
    assert logged(log) == ["task.completed", "milestone.completed", "quest.completed"]


def test_a_milestone_with_a_next_one_does_not_complete_the_quest(conn, roadmap, zik_home, reports):
    plan = roadmap("Base", "Build", tasks_each=2)
    log = log_events(zik_home)
    tasks.complete(conn, [plan.tasks[0][0].task_id])
    assert logged(log) == ["task.completed"]
    tasks.complete(conn, [plan.tasks[0][1].task_id])
    assert logged(log) == ["task.completed", "task.completed", "milestone.completed"]


def test_a_milestone_hook_sees_the_milestone(conn, roadmap, zik_home, reports):
    plan = roadmap("Base")
    write_hook(zik_home, "on-milestone-completed", "cat > got.json\n")
    tasks.complete(conn, [plan.tasks[0][0].task_id])
    got = json.loads((zik_home / "hooks" / "got.json").read_text())
    assert got["entity"] == "milestone"
    assert got["id"] == plan.milestones[0].milestone_id
    assert got["after"]["status"] == "completed"
    assert got["after"]["title"] == "Base"


def test_a_failed_roadmap_runs_its_hook(conn, zik_home, reports):
    from zik.core import quests

    quest = quests.create(conn, "Learn Spanish", today=date(2026, 11, 25))
    write_hook(zik_home, "on-roadmap-failed", "cat > got.json\n")
    planning.mark_failed(conn, quest, ZikError("the model said no"))
    got = json.loads((zik_home / "hooks" / "got.json").read_text())
    assert got["event"] == "quest.roadmap_failed"
    assert got["after"]["roadmapStatus"] == "failed"
    assert got["after"]["goalName"] == "Learn Spanish"


def test_fire_runs_the_hook_of_an_event_outside_the_database(zik_home, reports):
    write_hook(zik_home, "on-daily-generated", "cat > got.json\n")
    hooks.fire("daily.generated", {"date": "2026-11-25", "tasks": ["a", "b"]})
    got = json.loads((zik_home / "hooks" / "got.json").read_text())
    assert got == {
        "schema_version": 1,
        "event": "daily.generated",
        "date": "2026-11-25",
        "tasks": ["a", "b"],
    }


def test_fire_sends_records_as_their_json(task, zik_home, reports):
    write_hook(zik_home, "on-daily-generated", "cat > got.json\n")
    hooks.fire("daily.generated", {"date": "2026-11-25", "tasks": [task]})
    got = json.loads((zik_home / "hooks" / "got.json").read_text())
    assert got["tasks"] == [task.to_json()]


def test_events_without_a_hook_name_run_nothing(conn, task, zik_home, reports):
    log = log_events(zik_home)
    tasks.start(conn, [task.task_id])
    tasks.reopen(conn, [task.task_id])
    assert logged(log) == []


def test_a_failing_hook_is_reported_and_the_change_stands(conn, task, zik_home, reports):
    write_hook(zik_home, "on-task-completed", "cat > /dev/null; exit 3\n")
    tasks.complete(conn, [task.task_id])
    assert reports == ["hook on-task-completed failed (exit 3)"]
    assert records.get(conn, Task, task.task_id).status == "completed"


def test_a_hook_killed_by_a_signal_says_which(conn, task, zik_home, reports):
    write_hook(zik_home, "on-task-completed", "kill -TERM $$\n")
    tasks.complete(conn, [task.task_id])
    assert reports == ["hook on-task-completed failed (killed by SIGTERM)"]


def test_a_hook_that_cannot_start_is_reported(conn, task, zik_home, reports):
    path = zik_home / "hooks" / "on-task-completed"
    path.parent.mkdir(parents=True)
    path.write_text("echo no shebang line\n")
    path.chmod(0o755)
    tasks.complete(conn, [task.task_id])
    assert len(reports) == 1
    assert reports[0].startswith("hook on-task-completed could not run: ")
    assert records.get(conn, Task, task.task_id).status == "completed"


@pytest.mark.parametrize(
    "start", ["sleep 60 &", "setsid sleep 60 &"], ids=["in-its-group", "left-the-session"]
)
def test_a_hanging_hook_and_all_it_started_are_killed_at_the_timeout(
    conn, task, zik_home, reports, monkeypatch, start
):
    """A child that left the session (`setsid`) is killed too (issue 18): it is found by the
    marker in its environment."""
    monkeypatch.setenv("ZIK_HOOKS_TIMEOUT", "1")
    write_hook(
        zik_home,
        "on-task-completed",
        f"{start}\necho $! > child.pid\necho $$ > hook.pid\nexec sleep 60\n",
    )
    started = time.monotonic()
    tasks.complete(conn, [task.task_id])
    elapsed = time.monotonic() - started
    assert elapsed < 10
    assert reports == ["hook on-task-completed timed out after 1 s and was stopped"]
    hook_pid = int((zik_home / "hooks" / "hook.pid").read_text())
    child_pid = int((zik_home / "hooks" / "child.pid").read_text())
    assert not alive(hook_pid)
    # The background child was reparented when the hook died; give its new parent a moment to
    # reap it (it is dead already: SIGKILL went to the whole process group).
    deadline = time.monotonic() + 5
    while alive(child_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child_pid)
    assert records.get(conn, Task, task.task_id).status == "completed"


def test_the_timeout_setting_is_at_least_one_second(conn, task, zik_home, reports, monkeypatch):
    monkeypatch.setenv("ZIK_HOOKS_TIMEOUT", "0")
    write_hook(zik_home, "on-task-completed", "cat > /dev/null; sleep 0.2; echo ran > ran.txt\n")
    tasks.complete(conn, [task.task_id])
    assert reports == []
    assert (zik_home / "hooks" / "ran.txt").exists()


@pytest.mark.parametrize(
    "switch",
    ["flag", "env", "config"],
)
def test_hooks_can_be_turned_off(conn, task, zik_home, reports, monkeypatch, switch):
    from zik import config

    log = log_events(zik_home)
    if switch == "flag":
        monkeypatch.setattr(hooks, "disabled", True)
    elif switch == "env":
        monkeypatch.setenv("ZIK_NO_HOOKS", "1")
    else:
        config.set_value("hooks.enabled", "false")
    tasks.complete(conn, [task.task_id])
    assert logged(log) == []
    assert reports == []


def test_only_an_executable_file_with_the_exact_name_runs(conn, task, zik_home, reports):
    write_hook(zik_home, "on-task-completed.sample", "echo x > sample-ran\n")
    write_hook(zik_home, "on-task-completed", "echo x > plain-ran\n", mode=0o644)
    (zik_home / "hooks" / "on-milestone-completed").mkdir()
    tasks.complete(conn, [task.task_id])
    folder = zik_home / "hooks"
    assert not (folder / "sample-ran").exists()
    assert not (folder / "plain-ran").exists()
    assert reports == [
        "hook on-task-completed is not executable and was ignored (chmod +x it to run it)"
    ]


def test_a_rolled_back_change_runs_no_hook(conn, task, zik_home, reports):
    log = log_events(zik_home)
    with pytest.raises(RuntimeError), change_set(conn, "fails") as cs:
        cs.update(task, "task.completed", status="completed", completed_at=cs.ts)
        raise RuntimeError("boom")
    assert logged(log) == []
    assert records.get(conn, Task, task.task_id).status == "pending"
    tasks.start(conn, [task.task_id])  # a later change set does not fire the dropped events
    assert logged(log) == []


def test_hooks_run_after_the_commit(conn, task, zik_home, reports):
    """The hook sees the change in the database: zik no longer holds the write transaction.

    (Inside the transaction a reader would still see the task pending: WAL readers do not wait.)
    """
    write_hook(
        zik_home,
        "on-task-completed",
        "import json, sqlite3, sys\n"
        "event = json.load(sys.stdin)\n"
        "db = sqlite3.connect('../zik.db')\n"
        "row = db.execute('SELECT status FROM tasks WHERE task_id = ?', (event['id'],)).fetchone()\n"
        "open('seen.txt', 'w').write(row[0])\n",
        shebang=sys.executable,
    )
    tasks.complete(conn, [task.task_id])
    assert reports == []
    assert (zik_home / "hooks" / "seen.txt").read_text() == "completed"


def test_a_nested_change_set_waits_for_the_outermost_commit(conn, task, zik_home, reports):
    log = log_events(zik_home)
    with change_set(conn, "outer") as outer:
        outer.update(task, "task.started", status="in-progress", started_at=outer.ts)
        with change_set(conn, "inner") as inner:
            current = records.get(conn, Task, task.task_id)
            inner.update(current, "task.completed", status="completed", completed_at=inner.ts)
        assert logged(log) == []  # the inner one is a savepoint: nothing committed yet
    assert logged(log) == ["task.completed"]


def test_a_nested_change_set_fires_nothing_when_the_outer_rolls_back(conn, task, zik_home, reports):
    log = log_events(zik_home)
    with pytest.raises(RuntimeError), change_set(conn, "outer"):
        with change_set(conn, "inner") as inner:
            inner.update(task, "task.completed", status="completed", completed_at=inner.ts)
        raise RuntimeError("boom")
    assert records.get(conn, Task, task.task_id).status == "pending"
    tasks.start(conn, [task.task_id])
    assert logged(log) == []


def test_undoing_a_completion_runs_no_completion_hook(conn, task, zik_home, reports):
    log = log_events(zik_home)
    tasks.complete(conn, [task.task_id])
    undo.undo(conn)
    assert records.get(conn, Task, task.task_id).status == "pending"
    assert logged(log) == ["task.completed"]


def test_without_a_hooks_folder_nothing_is_looked_up(conn, task, zik_home, reports, monkeypatch):
    """The hot path: one stat of the folder, no config read and no hook lookup."""

    def fail(*args, **kwargs):
        raise AssertionError("looked further than the hooks folder")

    monkeypatch.setattr(hooks, "_find", fail)
    monkeypatch.setattr(hooks.config, "get", fail)
    tasks.complete(conn, [task.task_id])
    assert records.get(conn, Task, task.task_id).status == "completed"


# --- issue 18: hooks that are not the user's own, that flood, that escape -----------------------


@pytest.mark.parametrize("where", ["hook", "folder"])
def test_a_hook_others_can_change_is_not_run_and_says_why(conn, task, zik_home, reports, where):
    path = write_hook(zik_home, "on-task-completed", "echo ran > ran.txt\n")
    (path if where == "hook" else path.parent).chmod(0o777 if where == "folder" else 0o757)
    tasks.complete(conn, [task.task_id])
    assert not (path.parent / "ran.txt").exists()
    changed = path if where == "hook" else path.parent
    assert reports == [
        f"hook on-task-completed was not run: {changed} can be changed by other users"
        " (chmod go-w it)"
    ]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_hook_owned_by_another_user_is_not_run(conn, task, zik_home, reports):
    path = write_hook(zik_home, "on-task-completed", "echo ran > ran.txt\n")
    os.chown(path, 65534, 65534)  # nobody
    tasks.complete(conn, [task.task_id])
    assert not (path.parent / "ran.txt").exists()
    assert reports == [f"hook on-task-completed was not run: {path} belongs to another user"]


def test_a_hooks_folder_zik_cannot_read_is_said(conn, task, zik_home, reports, monkeypatch):
    """(Root reads any folder, so the unreadable folder is the one os.access reports.)"""
    path = write_hook(zik_home, "on-task-completed", "echo ran > ran.txt\n")
    real = os.access
    monkeypatch.setattr(
        hooks.os, "access", lambda p, mode: False if p == str(path.parent) else real(p, mode)
    )
    tasks.complete(conn, [task.task_id])
    assert reports == [f"hooks folder {path.parent} cannot be read: no hook ran (chmod u+rx it)"]


def test_a_hook_that_floods_is_cut_at_64_kb(conn, task, zik_home, reports, capfd):
    write_hook(zik_home, "on-task-completed", "cat > /dev/null; head -c 20000000 /dev/zero\n")
    tasks.complete(conn, [task.task_id])
    shown = capfd.readouterr().err
    assert len(shown) == 64 * 1024
    assert reports == [
        f"hook on-task-completed printed {20000000 - 64 * 1024:,} bytes more than the 64 KB shown"
    ]


def test_a_hook_that_ends_leaving_a_background_child_does_not_hold_zik(
    conn, task, zik_home, reports
):
    """The child keeps the output pipe open; zik stops reading when the hook itself ends."""
    write_hook(
        zik_home,
        "on-task-completed",
        "cat > /dev/null\nsetsid sh -c 'echo $$ > child.pid; exec sleep 30' &\necho done\n",
    )
    started = time.monotonic()
    tasks.complete(conn, [task.task_id])
    assert time.monotonic() - started < 5  # the timeout (10 s) never came
    assert reports == []
    child = zik_home / "hooks" / "child.pid"
    deadline = time.monotonic() + 5
    while not child.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(int(child.read_text()), 9)
