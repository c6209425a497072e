"""`zik sync`: sync with the Zik cloud backend."""

from __future__ import annotations

from typing import Annotated

import typer

from zik.cli import io as io_module
from zik.cli.io import IO
from zik.core import sync as sync_core
from zik.core.workspace import db
from zik.errors import SyncConflict, TemporaryError
from zik.models import short_id

_NAMES = {"quest": "quest", "milestone": "milestone", "task": "task", "routine": "routine",
          "chat": "chat message", "profile": "profile"}  # fmt: skip


def sync(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would move each way; change nothing.")
    ] = False,
    conflicts: Annotated[
        bool, typer.Option("--conflicts", help="List the conflicts not yet looked at; no sync.")
    ] = False,
    clear: Annotated[
        bool, typer.Option("--clear-conflicts", help="Mark every listed conflict as seen.")
    ] = False,
    json_: io_module.JsonOpt = False,
) -> None:
    """Sync with the Zik cloud: pull, merge field by field, push.

    A field changed on both sides keeps the later edit; the other is listed as a conflict (and
    the exit code is 4). An edit here that the app may have undone since (it wrote the record
    later without saying which fields) is kept and listed too, as "Check:" (exit 0).

    Example: zik sync --dry-run
    """
    io = io_module.current(json_)
    if conflicts or clear:
        found = sync_core.conflicts(db(), clear=clear)
        io.emit(found, _render_conflicts)
        return
    report = sync_core.sync(db(), dry_run=dry_run)
    io.emit(report, _render)
    if report.stuck:
        raise TemporaryError(
            f"{_counts({'change': len(report.stuck)})} could not be written:"
            f" {_stuck(report.stuck)}; kept here",
            hint="zik sync again (a device or the app is writing the same records)",
        )
    if (certain := [c for c in report.conflicts if c["certain"]]) and not dry_run:
        raise SyncConflict(
            f"{len(certain)} field(s) were changed on both sides; the later edit was kept",
            hint="zik sync --conflicts lists what was not kept",
        )


def _counts(counts: dict[str, int]) -> str:
    return (
        ", ".join(
            f"{n} {_NAMES.get(e, e)}{'s' if n != 1 and e != 'profile' else ''}"
            for e, n in counts.items()
        )
        or "nothing"
    )


def _stuck(stuck: list[dict]) -> str:
    """`task 1a2b3c4d, milestone 5e6f7a8b (changed there again before each write)`."""
    named = ", ".join(
        f"{_NAMES.get(s['entity'], s['entity'])} {short_id(s['id'])}" for s in stuck[:5]
    )
    more = f" and {len(stuck) - 5} more" if len(stuck) > 5 else ""
    return f"{named}{more} ({stuck[0]['why']})"


def _render(report, io: IO) -> None:
    verb = ("would pull", "would push") if report.dry_run else ("pulled", "pushed")
    io.print(f"{verb[0].capitalize():12}{_counts(report.pulled)}")
    io.print(f"{verb[1].capitalize():12}{_counts(report.pushed)}")
    for conflict in report.conflicts:
        word = "Conflict" if conflict["certain"] else "Check"
        io.status(f"{word}: {_conflict(conflict)}", "yellow")
    if abs(report.clock_offset) >= 60:
        io.status(_offset(report.clock_offset), "yellow")
    if report.first_limits:  # (once per device: `zik cloud status` repeats it)
        io.status(f"The {report.remote} remote cannot carry everything:", "yellow")
        for line in limits(report.gaps, report.not_pushed, report.here_only):
            io.status(line, "yellow")
    for note in report.notes:
        io.status(f"Read as: {note}", "dim")
    for entity, found in report.skipped.items():
        for key, why in found.items():
            io.status(
                f"Skipped the remote {_NAMES.get(entity, entity)} {short_id(key)}: {why.split('; ')[0]}"
                " (left as it is on both sides; fix or delete it in the backend)",
                "yellow",
            )
    for entity, why in report.refused.items():
        io.status(
            f"Not pushed: the {_NAMES.get(entity, entity)} ({why}); it stays here and is tried"
            " again on the next sync",
            "yellow",
        )
    if report.dry_run or report.stuck:  # (what is stuck, an error says: exit 75)
        return
    if report.refused:
        io.status(f"Synced with the {report.remote} remote, except what is listed above", "yellow")
    else:
        io.success(f"In sync with the {report.remote} remote")


def _offset(seconds: int) -> str:
    """`This device's clock is 2 h 0 min behind the server's: …`."""
    minutes = abs(seconds) // 60
    side = "behind" if seconds > 0 else "ahead of"
    return (
        f"This device's clock is {minutes // 60} h {minutes % 60} min {side} the server's:"
        " its edits are weighed by the server's time; set the clock right"
    )


def limits(gaps: dict[str, str], not_pushed: dict[str, str], here: dict[str, int]) -> list[str]:
    """What a remote cannot carry, each way, one line per kind of record:
    `  Not pushed  milestones (6 here): the API cannot write milestones: …`."""
    lines = []
    for label, found in (("Not pulled", gaps), ("Not pushed", not_pushed)):
        for i, (entity, why) in enumerate(found.items()):
            name = f"{_NAMES.get(entity, entity)}s"
            count = f" ({here[entity]} here)" if entity in here and label == "Not pushed" else ""
            lines.append(f"  {label if i == 0 else '':<11} {name}{count}: {why}")
    return lines


def _shown(value) -> str:
    """A conflict's value on one line: a whole record (a delete against an edit) by its name,
    not as the dict it is stored as."""
    if isinstance(value, dict):
        name = next((value[k] for k in _TITLES if value.get(k)), None)
        return f"record {name!r}" if name else "record"
    return repr(value)


def _conflict(c: dict) -> str:
    """`task 1a2b3c4d taskName: kept the remote 'Run 7 km', not 'Run 6 km' (why)`."""
    why = f" ({c['why']})" if c.get("why") else ""
    return (
        f"{c['entity']} {short_id(c['entityId'])} {c['field']}: kept the {c['keptSide']}"
        f" {_shown(c['kept'])}, not {_shown(c['lost'])}{why}"
    )


_TITLES = ("taskName", "goalName", "title", "content", "displayName")


def _render_conflicts(found: list[dict], io: IO) -> None:
    if not found:
        io.status("No conflicts.", "dim")
    for c in found:
        io.print(f"{c['detectedAt'][:16]}  {_conflict(c)}")
