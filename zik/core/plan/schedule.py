"""Running `zik daily` on time without the foreground scheduler: cron lines, systemd units.

Both run `zik daily --if-due --quiet` every 15 minutes: it does nothing until the profile's daily
time has passed in the profile's timezone (cron and systemd know only the machine's), runs the day
once, and catches up after a machine was off or asleep (`Persistent=true`, or the next quarter).
Or they keep `zik scheduler run` going. The installed `zik` is named by its absolute path, with
ZIK_HOME when it is set, because cron and systemd start with a bare environment.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from zik import config
from zik.errors import UsageError, ZikError

MARKER = "# zik (zik scheduler install)"


def zik_argv() -> list[str]:
    """The absolute command that starts this zik, as words."""
    argv0 = Path(sys.argv[0])
    if argv0.name == "zik" and argv0.exists():
        return [str(argv0.resolve())]
    found = shutil.which("zik")
    return [str(Path(found).resolve())] if found else [sys.executable, "-m", "zik"]


def _environment() -> dict[str, str]:
    home = os.environ.get("ZIK_HOME")
    return {"ZIK_HOME": str(Path(home).resolve())} if home else {}


def _command() -> str:
    """The zik command as shell words (a path with spaces is quoted)."""
    return shlex.join(zik_argv())


def cron_lines(mode: str) -> list[str]:
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in _environment().items())
    prefix = f"{env} " if env else ""
    if mode == "scheduler":
        log = shlex.quote(str(config.data_dir().resolve() / "scheduler.log"))
        return [f"@reboot {prefix}{_command()} scheduler run --log {log} {MARKER}"]
    return [f"*/15 * * * * {prefix}{_command()} daily --if-due --quiet {MARKER}"]


def _systemd_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' if " " in text else text


def systemd_units(mode: str) -> dict[str, str]:
    env = "".join(f"Environment={_systemd_quote(f'{k}={v}')}\n" for k, v in _environment().items())
    if mode == "scheduler":
        return {
            "zik-scheduler.service": (
                "[Unit]\nDescription=zik scheduler: daily tasks on time\n\n"
                f"[Service]\nType=simple\n{env}ExecStart={_exec()} scheduler run\n"
                "Restart=on-failure\n\n[Install]\nWantedBy=default.target\n"
            )
        }
    return {
        "zik-daily.service": (
            "[Unit]\nDescription=zik daily: make the day's tasks\n\n"
            f"[Service]\nType=oneshot\n{env}ExecStart={_exec()} daily --if-due --quiet\n"
        ),
        "zik-daily.timer": (
            "[Unit]\nDescription=Run zik daily every 15 minutes (it acts once a day)\n\n"
            "[Timer]\nOnCalendar=*:0/15\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n"
        ),
    }


def _exec() -> str:
    return " ".join(_systemd_quote(word) for word in zik_argv())


class Installed:
    def __init__(
        self, kind: str, mode: str, files: dict[str, str], written: list[str], next_step: str | None
    ):
        self.kind, self.mode, self.files, self.written, self.next_step = (
            kind,
            mode,
            files,
            written,
            next_step,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "mode": self.mode,
            "files": self.files,
            "written": self.written,
            "nextStep": self.next_step,
        }


def install(kind: str, mode: str, *, write: bool) -> Installed:
    if mode not in ("daily", "scheduler"):
        raise UsageError(f"unknown mode {mode!r}", hint="use daily or scheduler")
    if kind == "cron":
        lines = cron_lines(mode)
        files = {"crontab": "\n".join(lines) + "\n"}
        if not write:
            return Installed(kind, mode, files, [], None)
        _install_crontab(lines)
        return Installed(kind, mode, files, ["crontab"], None)
    units = systemd_units(mode)
    if not write:
        return Installed(kind, mode, units, [], None)
    base = config.ensure_dir(units_dir(), 0o755)  # units 0644 in a 0755 folder, as systemd's own
    for name, text in units.items():
        with os.fdopen(config.open_file(base / name, mode=0o644), "w", encoding="utf-8") as out:
            out.write(text)
    unit = "zik-scheduler.service" if mode == "scheduler" else "zik-daily.timer"
    step = f"systemctl --user daemon-reload && systemctl --user enable --now {unit}"
    return Installed(kind, mode, units, [str(base / n) for n in units], step)


def units_dir() -> Path:
    """Where systemd looks for the user's units."""
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "systemd" / "user"


def _crontab() -> list[str] | None:
    """The user's crontab lines ([] when there is none), or None without a crontab command."""
    if shutil.which("crontab") is None:
        return None
    current = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
    return current.stdout.splitlines() if current.returncode == 0 else []


def installed() -> str | None:
    """What runs zik on its own, as installed by `zik scheduler install` (None: nothing)."""
    lines = _crontab()
    if lines and any(MARKER in line for line in lines):
        return "cron runs zik daily --if-due"
    for unit in ("zik-daily.timer", "zik-scheduler.service"):
        if (units_dir() / unit).exists():
            return f"systemd: {units_dir() / unit}"
    return None


def _install_crontab(lines: list[str]) -> None:
    """Replace zik's lines in the user's crontab (other lines stay as they are)."""
    current = _crontab()
    if current is None:
        raise ZikError("crontab is not installed", hint="use --print and add the line yourself")
    kept = [line for line in current if MARKER not in line]
    text = "\n".join([*kept, *lines]) + "\n"
    done = subprocess.run(["crontab", "-"], input=text, capture_output=True, text=True)
    if done.returncode != 0:
        raise ZikError(f"crontab refused the line: {done.stderr.strip()}")
