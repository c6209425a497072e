"""`zik doctor`: versions, paths, database, search index, AI, cloud and completion, with fixes."""

from __future__ import annotations

from typing import Annotated

import typer

from zik.cli import io as io_module
from zik.cli.io import IO

MARKS = {"ok": ("✓", "green"), "warn": ("!", "yellow"), "fail": ("✗", "red")}


def doctor(
    check_model: Annotated[
        bool, typer.Option("--check-model", help="Also make one tiny real call to the model.")
    ] = False,
    rebuild_index: Annotated[
        bool,
        typer.Option(
            "--rebuild-index", help="First remake the full-text search indexes from the data."
        ),
    ] = False,
    json_: io_module.JsonOpt = False,
) -> None:
    """Check that zik can work: files, database, search, AI, cloud sync and shell completion.

    Exits 1 when a check fails. No model call is made unless --check-model, and nothing is
    changed unless --rebuild-index.
    Example: zik doctor --check-model
    """
    from zik.core.doctor import report as core

    io = io_module.current(json_)
    report = core.run(check_model=check_model, rebuild_index=rebuild_index)
    io.emit(report, _render)
    if not report.ok:
        raise typer.Exit(1)


def _render(report, io: IO) -> None:  # core.doctor.Report
    width = max(len(c.name) for c in report.checks)
    for check in report.checks:
        mark, style = MARKS[check.status]
        io.print(f"{io.paint(mark, style)} {check.name.ljust(width)}  {check.detail}")
        if check.fix and check.status != "ok":
            io.print(io.paint(f"  {' ' * width}  → {check.fix}", "dim"))
