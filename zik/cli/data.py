"""`zik export`, `zik import`, `zik backup`, `zik restore`: your data in and out of zik."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zik.cli import io as io_module
from zik.cli.io import IO
from zik.core.workspace import db
from zik.errors import UsageError

TzOpt = Annotated[
    str | None,
    typer.Option(
        "--tz",
        help="Taskwarrior only: the timezone its dates are in (default: your profile's).",
        show_default=False,
    ),
]


def export(
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="json or jsonl (everything, to rebuild zik), md (a readable plan), ics"
            " (a calendar feed), taskwarrior (for `task import`). Default: from the -o file"
            " name, else json.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (0600) instead of stdout."),
    ] = None,
    tz: TzOpt = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Export quests, milestones, tasks, routines, chat and the AI log.

    The json and jsonl formats carry everything needed to rebuild the database (`zik import`
    reads them back); their layout is described in the README. `-f taskwarrior | task import -`
    hands your tasks and routines to Taskwarrior.
    Example: zik export -o ~/zik-2026-11-25.json
    """
    from zik.core.exchange import exporting

    io = io_module.current(json_)
    chosen = exporting.format_of(output, fmt)
    if chosen not in exporting.FORMATS:
        raise UsageError(f"unknown format {chosen!r}", hint=", ".join(exporting.FORMATS))
    if output is None:
        if io.json:
            raise UsageError("give -o FILE with --json (the export itself goes to stdout)")
        io.stream(exporting.chunks(db(), chosen, tz))
        return
    io.emit(exporting.to_file(db(), chosen, output, tz), _render_export)


def _render_export(result, io: IO) -> None:  # core.exporting.Exported
    size = f"{result.size / 1024:.1f} KB" if result.size >= 1024 else f"{result.size} bytes"
    io.success(f"Exported {result.format} to {result.path} ({size})")


def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="A `zik export` json/jsonl file, or Taskwarrior's `task export` output;"
            " - reads stdin.",
            show_default=False,
        ),
    ],
    tz: TzOpt = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Import a zik export or a Taskwarrior export; importing the same file again changes nothing.

    The whole file is checked first: a bad file is refused with the line at fault, and
    nothing is imported. `zik undo` takes an import back. A task deleted in Taskwarrior since
    an earlier import is deleted here; what you deleted here stays deleted. Taskwarrior's
    dates are read in your profile's timezone, or the one --tz names.
    Example: task export | zik import -
    """
    from zik.core.exchange import importing

    io = io_module.current(json_)
    piped = io.stdin.buffer.read() if str(file) == "-" else None
    io.emit(importing.import_file(db(), file, piped, tz), _render_import)


NAMES = {"ai_call": "AI call", "chat_message": "chat message", "chat_summary": "chat summary"}


def _tally(counts: dict[str, int]) -> str:
    return ", ".join(
        f"{n} {NAMES.get(entity, entity)}{'s' if n != 1 else ''}" for entity, n in counts.items()
    )


def _render_import(result, io: IO) -> None:  # core.importing.ImportResult
    if result.added:
        io.success(f"Added {_tally(result.added)} from {result.path} ({result.kind})")
    if result.updated:
        io.success(f"Updated {_tally(result.updated)} (the file's copy was newer)")
    if result.deleted:
        io.success(f"Deleted {_tally(result.deleted)} (deleted in Taskwarrior since)")
    if not result.changed:
        io.success(f"Nothing new in {result.path}: everything in it is already here")
    quiet = []
    if result.unchanged and result.changed:
        quiet.append(f"{result.unchanged} already here")
    if result.kept_newer:
        quiet.append(f"{result.kept_newer} kept (newer here than in the file)")
    quiet += [f"{n} {status} skipped" for status, n in result.skipped.items()]
    if quiet:
        io.status("  " + "; ".join(quiet), "dim")
    if result.timezone:
        io.status(f"  Dates read in {result.timezone} (--tz ZONE to read them in another)", "dim")
    if result.mapped:
        io.status("  Mapped: " + ", ".join(f"{n} {k}" for k, n in result.mapped.items()), "dim")
    if result.kept:
        kept = ", ".join(f"{k} ×{n}" for k, n in sorted(result.kept.items()))
        io.status(f"  Kept in the notes (Taskwarrior: line): {kept}", "dim")
    for note in result.notes[:10]:
        io.status(f"  {note}", "yellow")
    if len(result.notes) > 10:
        io.status(
            f"  … and {len(result.notes) - 10} more (zik import --json lists them all)", "dim"
        )


def backup(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Where to write it (default: zik-backup-<time>.db in the data folder).",
            show_default=False,
        ),
    ] = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Save a consistent copy of the database while zik keeps running.

    Example: zik backup ~/backups/zik-$(date +%F).db
    """
    from zik.core.exchange import backup as backups

    io = io_module.current(json_)
    saved = backups.backup(db(), path)
    io.emit({"path": str(saved)}, lambda data, io: io.success(f"Backup saved: {data['path']}"))


def restore(
    path: Annotated[
        Path, typer.Argument(help="A backup made by `zik backup`.", show_default=False)
    ],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask (scripts).")] = False,
    json_: io_module.JsonOpt = False,
) -> None:
    """Replace this machine's zik data with a backup, after checking it.

    The current data is saved to a new backup first, so a restore can itself be undone.
    Example: zik restore ~/backups/zik-2026-11-01.db
    """
    from zik.core.exchange import backup as backups

    io = io_module.current(json_)
    found = backups.check(path)
    if not yes:
        if not io.can_prompt:
            raise UsageError("give --yes to restore without a prompt")
        held = ", ".join(f"{n} {table}" for table, n in found.counts.items())
        if not typer.confirm(
            f"Replace all zik data on this machine with {found.path} ({held})?",
            default=False,
            err=True,
        ):
            io.status("Nothing was changed.", "dim")
            raise typer.Exit(1)
    io.emit(backups.restore(found.path), _render_restore)


def _render_restore(result, io: IO) -> None:  # core.backup.Restored
    io.status(f"Your previous data is saved in {result.saved}")
    held = ", ".join(f"{n} {table}" for table, n in result.source.counts.items())
    io.success(f"Restored {result.source.path} ({held})")
