"""`zik undo`: revert the last change set."""

from __future__ import annotations

from zik.cli import io as io_module
from zik.cli.io import IO
from zik.core import undo as undo_core
from zik.core.workspace import db


def undo(json_: io_module.JsonOpt = False) -> None:
    """Revert the last change you made (run again to go further back).

    Example: zik task done 3f2a && zik undo
    """
    io = io_module.current(json_)
    io.emit(undo_core.undo(db()), _render)


def _render(result: undo_core.UndoResult, io: IO) -> None:
    io.success(f"Undid: {result.summary} ({len(result.events)} change(s) reverted)")
