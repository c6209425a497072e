"""`zik reset`: wipe this machine's zik data, after offering a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zik.cli import io as io_module
from zik.core import reset as reset_core
from zik.errors import UsageError


def reset(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask (scripts).")] = False,
    backup: Annotated[
        Path | None, typer.Option("--backup", help="Save a backup here first.")
    ] = None,
    no_backup: Annotated[bool, typer.Option("--no-backup", help="Skip the backup.")] = False,
    json_: io_module.JsonOpt = False,
) -> None:
    """Delete every quest, task, routine and chat message on this machine.

    Settings and the cloud sign-in stay. A backup is made first unless --no-backup.
    Example: zik reset --yes --backup ~/zik-before-reset.db
    """
    io = io_module.current(json_)
    keep = not no_backup
    if not yes:
        if not io.can_prompt:
            raise UsageError("give --yes to reset without a prompt")
        keep = keep and typer.confirm("Make a backup first?", default=True, err=True)
        if not typer.confirm("Delete all zik data on this machine?", default=False, err=True):
            io.status("Nothing was deleted.", "dim")
            raise typer.Exit(1)
    result = reset_core.reset(backup_to=backup, keep_backup=keep)
    io.emit(result, _render)


def _render(result: reset_core.ResetResult, io: io_module.IO) -> None:
    if result.backup:
        io.status(f"Backup saved: {result.backup}")
    io.success("zik data on this machine deleted" if result.removed else "Nothing to delete")
