"""`zik scheduler …`: run the daily tasks on time, or hand the job to cron or systemd."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from zik.cli import io as io_module
from zik.cli.io import IO
from zik.core.workspace import db
from zik.errors import UsageError

app = typer.Typer(
    help="Make the daily tasks on time: a foreground scheduler, or cron/systemd.",
    no_args_is_help=True,
)


@app.command()
def run(
    log: Annotated[
        Path | None, typer.Option("--log", help="Append the log here instead of stderr.")
    ] = None,
    heartbeat: Annotated[
        int,
        typer.Option("--heartbeat", help="Seconds between wall-clock checks.", min=1, hidden=True),
    ] = 60,
) -> None:
    """Run the scheduler in the foreground: zik daily at your daily time, and catch-ups.

    One at a time; stop it with Ctrl-C or SIGTERM.
    Example: zik scheduler run --log ~/zik-scheduler.log
    """
    from zik import scheduler

    io_module.current()
    if log is None:
        scheduler.run(heartbeat_seconds=heartbeat)
        return
    from zik import config

    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    with os.fdopen(config.open_file(log, flags), "a", encoding="utf-8") as out:
        scheduler.run(out, heartbeat_seconds=heartbeat)


@app.command()
def install(
    cron: Annotated[bool, typer.Option("--cron", help="A crontab line.")] = False,
    systemd: Annotated[bool, typer.Option("--systemd", help="systemd user units.")] = False,
    print_: Annotated[
        bool, typer.Option("--print", help="Print what would be installed; change nothing.")
    ] = False,
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            help="daily: run zik daily every 15 min; scheduler: keep zik scheduler run going.",
        ),
    ] = "daily",
    json_: io_module.JsonOpt = False,
) -> None:
    """Install (or print) a crontab line or systemd units that run zik daily on time.

    Example: zik scheduler install --systemd --print
    """
    from zik.core.plan import schedule

    if cron == systemd:
        raise UsageError("choose one of --cron or --systemd")
    io = io_module.current(json_)
    io.emit(
        schedule.install("cron" if cron else "systemd", mode, write=not print_), _render_install
    )


@app.command()
def status(json_: io_module.JsonOpt = False) -> None:
    """Show whether a scheduler runs, the last daily run and its result, and the next one.

    Example: zik scheduler status --json
    """
    from zik.core.plan import runs

    io = io_module.current(json_)
    io.emit(runs.Status(db()), _render_status)


def _render_install(installed, io: IO) -> None:  # core.plan.schedule.Installed
    if not installed.written:
        for name, text in installed.files.items():
            if len(installed.files) > 1:
                io.print(io.paint(f"# {name}", "dim"))
            io.print(text.rstrip("\n"))
        return
    for path in installed.written:
        io.success(f"Installed {path}")
    if installed.next_step:
        io.status(f"Now run: {installed.next_step}", "dim")


def _render_status(status, io: IO) -> None:  # core.plan.runs.Status
    running = f"running (pid {status.pid})" if status.pid else "not running"
    io.print(f"Scheduler  {running}")
    io.print(f"Daily at   {status.daily_time} {status.timezone}")
    last = status.last
    io.print(
        f"Last run   {last['date']} at {last['ranAt']}: {last['tasksMade']} task(s) made"
        + (f", {len(last['errors'])} failed" if last and last["errors"] else "")
        if last
        else "Last run   never"
    )
    for error in (last or {}).get("errors", []):
        io.print(f"           ✗ {error.get('goalName') or error['goalId'][:8]}: {error['message']}")
    io.print(
        f"Next run   {'now (due)' if status.due else status.next.isoformat(timespec='minutes')}"
    )
