"""`zik doctor`'s lines for versions, paths, the search index, cloud sync and shell completion."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date

import pytest

from zik import __version__, config
from zik.core import tasks
from zik.core.changes import change_set
from zik.core.doctor import completion as checks_completion
from zik.core.doctor import install as checks_install
from zik.core.doctor import report as doctor
from zik.models import Task
from zik.store import sync as sync_state


def checks(**options) -> dict[str, doctor.Check]:
    return {c.name: c for c in doctor.run(**options).checks}


@pytest.fixture(autouse=True)
def no_shell(monkeypatch, tmp_path):
    """A home of its own, and a shell that is not checked unless a test names one."""
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("SHELL", "/bin/sh")


# --- versions -------------------------------------------------------------------------------------


def test_versions_names_zik_python_sqlite_typer_and_boto3(conn):
    from importlib import metadata

    line = checks()["versions"]
    assert line.status == "ok"
    assert f"zik {__version__}" in line.detail
    assert f"SQLite {sqlite3.sqlite_version}" in line.detail
    assert f"typer {metadata.version('typer')}" in line.detail
    assert f"boto3 {metadata.version('boto3')}" in line.detail


def test_versions_reads_boto3s_version_without_importing_it():
    script = (
        "import sys\nfrom zik.core.doctor import install as checks_install\n"
        "print(checks_install.check_versions().detail)\n"
        "print('boto3' in sys.modules, 'botocore' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    detail, imported = done.stdout.splitlines()
    assert "boto3 1." in detail
    assert imported == "False False"


def test_versions_warns_without_boto3_or_with_a_slow_typer(monkeypatch):
    from importlib import metadata

    real = metadata.version

    def version(name):
        if name == "boto3":
            raise metadata.PackageNotFoundError(name)
        return "0.29.1" if name == "typer" else real(name)

    monkeypatch.setattr(metadata, "version", version)
    line = checks_install.check_versions()
    assert line.status == "warn" and "pip install 'typer<0.29'" in line.fix
    monkeypatch.setattr(metadata, "version", lambda n: real(n) if n != "boto3" else version(n))
    line = checks_install.check_versions()
    assert line.status == "warn" and "boto3 not installed" in line.detail
    assert line.fix


def test_versions_fails_on_an_sqlite_too_old_for_zik(monkeypatch):
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 22, 0))
    line = checks_install.check_versions()
    assert line.status == "fail" and "3.24.0" in line.fix


# --- paths ----------------------------------------------------------------------------------------


def test_paths_lists_config_data_database_and_hooks(conn, zik_home):
    line = checks()["paths"]
    assert line.status == "ok"
    for path in ("config.toml", "zik.db", "hooks"):
        assert str(zik_home / path) in line.detail
    assert line.detail.endswith("(ZIK_HOME)")
    assert doctor.run().to_json()["paths"] == {
        "config": str(zik_home / "config.toml"),
        "data": str(zik_home),
        "database": str(zik_home / "zik.db"),
        "hooks": str(zik_home / "hooks"),
    }


def test_paths_fails_where_zik_cannot_write(zik_home, monkeypatch):
    zik_home.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if p == zik_home else real(p, mode))
    line = checks_install.check_paths(checks_install.state_paths())
    assert line.status == "fail" and str(zik_home) in line.detail
    assert "ZIK_HOME" in line.fix


def test_paths_fails_when_the_data_folder_is_a_file(zik_home):
    zik_home.write_text("")
    line = checks_install.check_paths(checks_install.state_paths())
    assert line.status == "fail" and "is a file" in line.detail


# --- search index ---------------------------------------------------------------------------------


def _unindex_one_task(conn) -> None:
    conn.execute(
        "INSERT INTO tasks_fts (tasks_fts, rowid, task_name, description, tags)"
        " SELECT 'delete', rowid, task_name, description, tags FROM tasks LIMIT 1"
    )


def test_search_index_ok_then_out_of_step_then_rebuilt(conn):
    tasks.add(conn, "Easy run", today=date(2026, 11, 25))
    assert checks()["search index"].status == "ok"
    _unindex_one_task(conn)
    line = checks()["search index"]
    assert line.status == "fail" and "tasks_fts" in line.detail
    assert line.fix == "zik doctor --rebuild-index"
    line = checks(rebuild_index=True)["search index"]
    assert line.status == "ok" and line.detail.startswith("rebuilt 4 full-text indexes")
    assert checks()["search index"].status == "ok"


def test_doctor_rebuild_index_from_the_command_line(zik, conn):
    zik("task", "add", "Easy run")
    _unindex_one_task(conn)
    result = zik("doctor", "--json")
    assert result.code == 1
    [line] = [c for c in result.data["checks"] if c["name"] == "search index"]
    assert line["status"] == "fail"
    result = zik("doctor", "--rebuild-index")
    assert result.code == 0, result
    [text] = [x for x in result.out.splitlines() if "search index" in x]
    assert text.startswith("✓") and "rebuilt 4 full-text indexes" in text


# --- cloud ----------------------------------------------------------------------------------------


@pytest.fixture
def cloud(conn, zik_home):
    """Set up with the api remote and logged in (a saved session; nothing talks to a server)."""
    for key, value in (
        ("cloud.user_pool_id", "us-east-1_Abc"),
        ("cloud.client_id", "c1"),
        ("cloud.api_url", "https://api.example.com"),
    ):
        config.set_value(key, value)
    session = {
        "email": "ada@example.com",
        "sub": "u1",
        "accessToken": "a",
        "refreshToken": "r",
        "expiresAt": "2030-01-01T00:00:00Z",
    }
    (zik_home / "cloud-tokens.json").write_text(json.dumps(session))
    conn.execute("DELETE FROM sync_outbox")
    return conn


def test_cloud_in_sync(cloud):
    line = checks()["cloud"]
    assert line.status == "ok"
    assert "logged in as ada@example.com" in line.detail and line.detail.endswith("in sync")


def test_cloud_reports_changes_to_push(cloud):
    tasks.add(cloud, "Easy run", today=date(2026, 11, 25))
    line = checks()["cloud"]
    assert line.status == "warn" and "1 change to push" in line.detail
    assert line.fix == "zik sync"


def test_cloud_reports_open_conflicts(cloud):
    sync_state.add_conflict(
        cloud, "2026-11-25T10:00:00Z", "task", "t1", "task_name", "a", "b", "local"
    )
    sync_state.add_conflict(
        cloud, "2026-11-25T10:00:00Z", "task", "t1", "due_date", "a", "b", "remote"
    )
    line = checks()["cloud"]
    assert line.status == "warn" and "2 sync conflicts not yet looked at" in line.detail
    assert line.fix == "zik sync --conflicts"
    tasks.add(cloud, "Easy run", today=date(2026, 11, 25))
    assert checks()["cloud"].fix == "zik sync; zik sync --conflicts"
    sync_state.resolve_conflicts(cloud, "2026-11-25T11:00:00Z")
    assert checks()["cloud"].fix == "zik sync"


def test_cloud_logged_out_still_counts_what_waits(cloud, zik_home):
    (zik_home / "cloud-tokens.json").unlink()
    with change_set(cloud, "seed") as cs:
        for n in range(3):
            cs.insert(Task(task_id=f"{n:08x}-0000-4000-8000-000000000000", task_name="T",
                           due_date="2026-11-25"))  # fmt: skip
    line = checks()["cloud"]
    assert line.status == "warn" and line.detail.endswith("not logged in; 3 changes to push")
    assert line.fix == "zik cloud login"


# --- completion -----------------------------------------------------------------------------------


def install_completion(zik, shell: str, monkeypatch) -> None:
    """`zik --install-completion SHELL`, as Typer installs it (shell named, not detected)."""
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    with pytest.raises(SystemExit) as done:
        zik("--install-completion", shell)
    assert done.value.code == 0
    monkeypatch.delenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION")


@pytest.mark.parametrize(
    ("shell", "where"),
    [
        ("bash", ".bash_completions/zik.sh"),
        ("zsh", ".zfunc/_zik"),
        ("fish", ".config/fish/completions/zik.fish"),
    ],
)
def test_completion_warns_until_installed_for_the_users_shell(
    shell, where, zik, tmp_path, monkeypatch
):
    monkeypatch.setenv("SHELL", f"/usr/bin/{shell}")
    line = checks_completion.check_completion()
    assert line.status == "warn" and line.fix.startswith("zik --install-completion")
    install_completion(zik, shell, monkeypatch)
    line = checks_completion.check_completion()
    assert line.status == "ok"
    assert line.detail == f"{shell}: {tmp_path / 'user' / where}"


def test_completion_loaded_from_the_shells_startup_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SHELL", "/bin/bash")
    (tmp_path / "user").mkdir()
    (tmp_path / "user" / ".bashrc").write_text('eval "$(_ZIK_COMPLETE=source_bash zik)"\n')
    line = checks_completion.check_completion()
    assert line.status == "ok" and "loaded in" in line.detail


def test_completion_found_in_the_xdg_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("SHELL", "/bin/bash")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    folder = tmp_path / "xdg" / "bash-completion" / "completions"
    folder.mkdir(parents=True)
    (folder / "zik").write_text("complete -F _zik_completion zik  # _ZIK_COMPLETE=complete_bash")
    assert checks_completion.check_completion().status == "ok"


def test_completion_of_another_program_does_not_count(tmp_path, monkeypatch):
    monkeypatch.setenv("SHELL", "/bin/zsh")
    (tmp_path / "user" / ".zfunc").mkdir(parents=True)
    (tmp_path / "user" / ".zfunc" / "_zik").write_text("#compdef other\n")
    assert checks_completion.check_completion().status == "warn"


def test_completion_is_not_checked_for_other_shells():
    line = checks_completion.check_completion()
    assert line.status == "ok" and line.detail.startswith("not checked for sh")
