"""Every file and folder zik makes has explicit modes whatever the umask (issue 18): under
`umask 000` a plain open() or mkdir() gives 0666/0777, and anyone could rewrite a systemd unit's
ExecStart, read the chat history or the config."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path


def _zik(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zik", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.umask(0),  # noqa: PLW1509 (the point of the test)
    )


def _modes(root: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_under_umask_000_every_file_is_private_and_units_are_0644_in_0755(tmp_path: Path):
    home = tmp_path / "deep" / "er" / "home"  # parents zik has to make too
    xdg = tmp_path / "xdg"
    env = {**os.environ, "ZIK_HOME": str(home), "XDG_CONFIG_HOME": str(xdg)}
    for args in (
        ("init", "--name", "Ada", "--timezone", "UTC"),
        ("config", "set", "color", "never"),
        ("task", "add", "Buy milk"),
        ("quest", "new", "Learn Spanish", "--no-plan"),
        ("daily",),
        ("export", "-o", str(home / "export.json")),
        ("backup",),
        ("scheduler", "install", "--systemd"),
    ):
        done = _zik(env, *args)
        assert done.returncode == 0, (args, done.stderr)
    log = home / "scheduler.log"
    runner = subprocess.Popen(
        [sys.executable, "-m", "zik", "scheduler", "run", "--log", str(log)],
        env=env,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: os.umask(0),  # noqa: PLW1509
    )
    try:
        deadline = time.monotonic() + 30
        while not (log.exists() and log.stat().st_size) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        runner.send_signal(signal.SIGTERM)
        runner.wait(timeout=30)
    files = _modes(home)
    assert {"zik.db", "config.toml", "scheduler.log", "scheduler.lock", "export.json"} <= set(files)
    assert any(name.startswith("backups") or "backup" in name for name in files), files
    loose = {name: oct(mode) for name, mode in files.items() if mode & 0o077}
    assert loose == {}, loose
    for folder in (tmp_path / "deep", tmp_path / "deep" / "er", home):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    units = xdg / "systemd" / "user"
    for folder in (xdg, xdg / "systemd", units):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder
    made = sorted(units.iterdir())
    assert made and all(stat.S_IMODE(unit.stat().st_mode) == 0o644 for unit in made), made
