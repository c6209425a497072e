"""`zik why` and `zik usage`: where a record came from, and what the AI has cost."""

from __future__ import annotations

from typing import Annotated

import typer

from zik.cli import complete, term
from zik.cli import io as io_module
from zik.cli.io import IO
from zik.core import provenance
from zik.core.workspace import db
from zik.models import AICall, short_id

MAX_BODY_LINES = 14
SOURCES = {
    "user": "you",
    "ai": "the AI",
    "routine": "a routine",
    "sync": "a sync from the cloud",
    "import": "an import (zik import)",
}


def why(
    ref: Annotated[
        str,
        typer.Argument(
            help="A task, milestone, quest, routine or AI call id.",
            show_default=False,
            autocompletion=complete.records,
        ),
    ],
    json_: io_module.JsonOpt = False,
) -> None:
    """Explain where something came from: who made it, in which command, and the AI call behind it.

    Example: zik why 3f2a9c1b
    """
    io = io_module.current(json_)
    io.emit(provenance.why(db(), ref), _render_why)


def usage(
    by: Annotated[str, typer.Option("--by", help="Group by purpose, model or day.")] = "purpose",
    days: Annotated[
        int | None, typer.Option("--days", help="Only the last N days.", min=1, max=36500)
    ] = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Show AI calls, tokens and estimated cost.

    Example: zik usage --by day --days 7
    """
    io = io_module.current(json_)
    io.emit(provenance.usage(db(), by, days=days), _render_usage)


def _cost(dollars: float | None) -> str:
    return "—" if dollars is None else f"${dollars:.4f}"


def _tokens(n: int) -> str:
    return f"{n / 1000:.1f}k" if n >= 10_000 else str(n)


def _call_lines(call: AICall, io: IO) -> list[str]:
    label = "repair round" if call.attempt > 1 else call.purpose.replace("_", " ")
    ms = f"{call.latency_ms} ms" if call.latency_ms is not None else "? ms"
    if call.provider == "offline":
        numbers = f"  offline: no tokens, no cost · {ms} · {call.outcome}"
    else:
        numbers = (
            f"  tokens {call.input_tokens} in, {call.output_tokens} out"
            f" (cache {call.cache_read_tokens} read, {call.cache_write_tokens} written)"
            f" · {ms} · {_cost(call.cost_usd)} · stop {call.stop_reason or '—'} · {call.outcome}"
        )
    lines = [
        f"{io.paint('AI call', 'bold')} {short_id(call.id)}  {label} · {call.provider} "
        f"{call.model} · {call.created_at}",
        numbers,
    ]
    if call.error:
        lines.append(io.paint(f"  error: {call.error}", "red"))
    for label, text in (("asked", provenance.asked(call)), ("replied", provenance.replied(call))):
        if text:
            lines.append(f"  {label}:")
            lines += [io.paint(f"    {line}", "dim") for line in text[:MAX_BODY_LINES]]
            if len(text) > MAX_BODY_LINES:
                lines.append(io.paint("    … (zik why --json shows all of it)", "dim"))
    if call.request is None:
        lines.append(io.paint("  (prompt and reply no longer kept: see ai.keep_bodies)", "dim"))
    return lines


def _render_why(story: provenance.Why, io: IO) -> None:
    record = story.record
    if record is not None:
        title = next(
            getattr(record, f) for f in ("task_name", "title", "goal_name") if hasattr(record, f)
        )
        io.print(
            f"{io.paint(title, 'bold')}  {io.paint(record.ENTITY + ' ' + short_id(record.key), 'dim')}"
        )
        io.print(f"Made by {SOURCES.get(record.source, record.source)} on {record.created_at}")  # type: ignore[attr-defined]
        for h in story.history:
            undone = io.paint(" (undone)", "dim") if h["undone"] else ""
            io.print(
                f"  {h['created_at']}  {h['type']:<22} {io.paint(h['summary'], 'dim')}{undone}"
            )
        if story.call is None and getattr(record, "source", "") == "ai":
            io.print(io.paint("  its AI call is no longer in the log", "dim"))
    for call in story.calls:
        io.print()
        for line in _call_lines(call, io):
            io.print(line)
    if story.created:
        io.print()
        io.print(io.paint(f"Created ({len(story.created)})", "bold"))
        for entity, key, title in story.created:
            io.print(f"  {entity:<9} {io.paint(short_id(key), 'dim')}  {title}")


def _render_usage(report: provenance.Usage, io: IO) -> None:
    if not report.rows:
        io.status("No AI calls yet. They are logged when zik plans a quest or a day.", "dim")
        return
    header = [
        (report.by, "bold"),
        ("calls", "bold"),
        ("failed", "bold"),
        ("input", "bold"),
        ("output", "bold"),
        ("cache r/w", "bold"),
        ("cost", "bold"),
        ("avg ms", "bold"),
    ]
    rows = [header]
    for r in report.rows:
        rows.append(
            [
                (str(r["key"]), ""),
                (str(r["calls"]), ""),
                (str(r["failed"]), "red" if r["failed"] else "dim"),
                (_tokens(r["input_tokens"]), ""),
                (_tokens(r["output_tokens"]), ""),
                (f"{_tokens(r['cache_read_tokens'])}/{_tokens(r['cache_write_tokens'])}", "dim"),
                (_cost(r["cost"]), "green"),
                (str(r["latency_ms"] if r["latency_ms"] is not None else "—"), "dim"),
            ]
        )
    for line in term.table(rows, total_width=io.width, flex=0, color=io.color):
        io.print(line)
    total = report.total
    unpriced = total["unpriced"]
    note = f" ({unpriced} call{'s' if unpriced != 1 else ''} without a price)" if unpriced else ""
    io.print(
        io.paint(f"Total: {total['calls']} calls, {_cost(total['cost'])} estimated{note}", "bold")
    )
    if report.saved:
        io.status(f"The prompt cache saved about {_cost(report.saved)}", "dim")
