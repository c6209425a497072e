"""`zik search`: find quests, milestones, tasks and chat messages by their words."""

from __future__ import annotations

from typing import Annotated

import typer

from zik.cli import io as io_module
from zik.cli import term
from zik.cli.io import IO
from zik.core import search as core
from zik.core.workspace import db

KIND_WIDTH = 9  # "milestone"
MAX_CONTEXT = 48  # cells of quest name, date and status after the title
LEAD = 12  # characters kept before a match that a long title would hide
KIND_STYLES = {"quest": "cyan", "milestone": "magenta", "task": "", "chat": "green"}
_INDENT = " " * (KIND_WIDTH + 2 + 8 + 2)  # the snippet sits under the title


def search(
    words: Annotated[
        list[str],
        typer.Argument(
            help="Words to look for (all must match).", metavar="TEXT", show_default=False
        ),
    ],
    kind: Annotated[
        str | None,
        typer.Option("--kind", "-k", help="Only quest, milestone, task or chat.", metavar="KIND"),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="Show at most this many matches.", min=1)
    ] = core.DEFAULT_LIMIT,
    json_: io_module.JsonOpt = False,
) -> None:
    """Search quests, milestones, tasks and chat, best matches first.

    Each word also finds its other forms (run: running) and words it
    starts (marat: marathon); "quoted words" match as a phrase.

    Example: zik search marathon --kind task
    """
    io = io_module.current(json_)
    io.emit(core.search(db(), " ".join(words), kind=kind, limit=limit), _render_results)


def _render_results(results: core.Results, io: IO) -> None:
    if not results.hits:
        among = f" among {results.kind}s" if results.kind else ""
        io.status(f"No matches for {results.text!r}{among}.", "dim")
        return
    for hit in results.hits:
        _render_hit(hit, io)
    if results.more:
        io.status(f"Showing the best {len(results.hits)} (--limit for more).", "dim")


def _render_hit(hit: core.Hit, io: IO) -> None:
    head = f"{io.paint(hit.kind.ljust(KIND_WIDTH), KIND_STYLES[hit.kind])}  "
    head += f"{io.paint(hit.short_id.ljust(8), 'dim')}  "
    context = term.truncate(_context(hit), MAX_CONTEXT)
    room = io.width - len(_INDENT) - (term.width(context) + 2 if context else 0)
    title = _emphasise(io, hit.title, hit.title_spans, max(room, 20), "")
    io.print(head + title + (f"  {io.paint(context, 'dim')}" if context else ""))
    if _snippet_adds(hit):
        room = io.width - len(_INDENT)
        io.print(_INDENT + _emphasise(io, hit.snippet, hit.snippet_spans, max(room, 20), "dim"))


def _context(hit: core.Hit) -> str:
    parts: list[str | None] = []
    if hit.kind == "quest":
        parts = [hit.status, hit.target_date and f"target {hit.target_date}"]
    elif hit.kind == "milestone":
        parts = [hit.quest_name, hit.status]
    elif hit.kind == "task":
        parts = [hit.quest_name, f"due {hit.due_date}", hit.status]
    return " · ".join(p for p in parts if p)


def _snippet_adds(hit: core.Hit) -> bool:
    """Show the snippet when the match is not in the title, or only partly in it."""
    if hit.snippet_from_title:
        return False
    in_title = {hit.title[s:e].lower() for s, e in hit.title_spans}
    return any(hit.snippet[s:e].lower() not in in_title for s, e in hit.snippet_spans)


def _emphasise(io: IO, text: str, spans: list[core.Span], cells: int, style: str) -> str:
    """`text` cut to `cells`, its matched words bold and the rest in `style`; when the first
    match lies past the cut, the text starts shortly before it instead ("…on the half marathon")."""
    if spans and term.width(text[: spans[0][1]]) > cells - 1:
        skip = max(spans[0][0] - LEAD, 1)
        text = "…" + text[skip:]
        spans = [(s - skip + 1, e - skip + 1) for s, e in spans if s >= skip]
    shown = term.truncate(text, cells)
    kept = len(shown) if shown == text else len(shown) - 1  # never embolden the "…"
    pieces, at = [], 0
    for start, end in spans:
        if start >= kept:
            break
        pieces += [(shown[at:start], style), (shown[start : min(end, kept)], "bold")]
        at = min(end, kept)
    pieces.append((shown[at:], style))
    return "".join(io.paint(piece, how) for piece, how in pieces if piece)
