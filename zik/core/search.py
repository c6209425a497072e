"""`zik search`: one ranked list of the quests, milestones, tasks and chat messages that match.

Words match whole, by their stem ("running" finds "run") or as the start of a word ("marat"
finds "marathon"); every word must match. Records matched in their title come first, then the
rest, each group by bm25 scaled within its kind (`merge`). Tombstones never appear.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any, NamedTuple

from zik.errors import UsageError
from zik.models import short_id
from zik.store import search as search_store

KINDS = search_store.KINDS  # quest, milestone, task, chat
DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
_SPACE = re.compile(r"\s+")
_ROLES = {"user": "you", "assistant": "zik"}
_JSON_PUNCTUATION = str.maketrans("", "", '[]"')

Span = tuple[int, int]


class Hit:
    """One match: what it is, its title and the best snippet, with the matched words as spans.

    `title_spans` and `snippet_spans` are (start, end) character offsets into `title` and
    `snippet`; `matched_in` names the columns that matched ("title", "description", "tags",
    "category", "content"). The snippet is the best of the columns other than the title, or the
    title itself when only the title matched. `score`, in (0, 1], is the match's bm25 scaled by
    the best of its kind (1 for the best); `bm25` is the raw value (lower is better).
    """

    def __init__(self, kind: str, row: dict[str, Any], score: float, bm25: float):
        self.kind, self.score, self.bm25 = kind, score, bm25
        self.id: str = row["id"]
        self.status: str | None = row["status"]
        self.quest_id: str | None = row["quest_id"]
        self.quest_name: str | None = row["quest_name"]
        self.due_date: str | None = row["due_date"]
        self.target_date: str | None = row["target_date"]
        self.timestamp: str | None = row["timestamp"]
        if row["title_marked"] is None:  # chat: the role and the time stand for a title
            self.title = f"{_ROLES.get(row['title'], row['title'])}, {_minute(self.timestamp)}"
            self.title_spans: list[Span] = []
        else:
            self.title, self.title_spans = unmark(row["title_marked"])
        self.matched_in = ["title"] if self.title_spans else []
        self.snippet, self.snippet_spans = self.title, self.title_spans
        self.snippet_from_title = True
        for column, marked in row["snippets"].items():
            if column == "tags" and marked:  # a JSON list: ["errand", "outdoors"]
                marked = "tags: " + marked.translate(_JSON_PUNCTUATION)
            text, spans = unmark(marked or "")
            if spans:
                self.matched_in.append(_COLUMN_NAMES.get(column, column))
                if self.snippet_from_title or len(spans) > len(self.snippet_spans):
                    self.snippet, self.snippet_spans = text, spans
                    self.snippet_from_title = False

    @property
    def short_id(self) -> str:
        return short_id(self.id)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "shortId": self.short_id,
            "title": self.title,
            "titleMatches": [list(s) for s in self.title_spans],
            "snippet": self.snippet,
            "snippetMatches": [list(s) for s in self.snippet_spans],
            "matchedIn": self.matched_in,
            "status": self.status,
            "questId": self.quest_id,
            "questName": self.quest_name,
            "dueDate": self.due_date,
            "targetDate": self.target_date,
            "timestamp": self.timestamp,
            "score": self.score,
            "bm25": self.bm25,
        }


_COLUMN_NAMES = {"goal_name": "title", "task_name": "title"}


class Results:
    """The hits for a text, best first; JSON is the plain list of hits."""

    def __init__(self, text: str, kind: str | None, hits: list[Hit], *, more: bool = False):
        self.text, self.kind, self.hits = text, kind, hits
        self.more = more  # there are matches past the limit

    def to_json(self) -> list[dict[str, Any]]:
        return [hit.to_json() for hit in self.hits]


def search(
    conn: sqlite3.Connection, text: str, *, kind: str | None = None, limit: int = DEFAULT_LIMIT
) -> Results:
    """The best `limit` matches for `text` across every kind (or just `kind`)."""
    if kind is not None:
        wanted = kind.strip().lower()
        kind = wanted[:-1] if wanted.endswith("s") and wanted[:-1] in KINDS else wanted
        if kind not in KINDS:
            raise UsageError(f"unknown kind {kind!r}", hint=f"use one of {', '.join(KINDS)}")
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"--limit must be between 1 and {MAX_LIMIT}")
    query = search_store.match_expression(conn, text)
    if query is None:
        raise UsageError(f"nothing to search for in {text!r}", hint="give a word or two")
    ranked = merge(
        {k: search_store.best(conn, query, k, limit + 1) for k in ((kind,) if kind else KINDS)}
    )
    more, ranked = len(ranked) > limit, ranked[:limit]
    found: dict[str, dict[int, dict[str, Any]]] = {}
    for k in dict.fromkeys(r.kind for r in ranked):
        found[k] = search_store.details(conn, query, k, [r.row for r in ranked if r.kind == k])
    hits = [Hit(r.kind, found[r.kind][r.row], r.score, r.bm25) for r in ranked]
    return Results(text, kind, hits, more=more)


class Ranked(NamedTuple):
    kind: str
    row: int
    bm25: float
    in_title: bool
    score: float


def merge(best: dict[str, list[Any]]) -> list[Ranked]:
    """One list from each kind's best matches (each title-matches-first, then by bm25).

    bm25 values compare only within one index: each has its own word statistics, and in a table
    of three quests every word is "common" and scores next to nothing. So each kind's matches,
    its title matches and the others apart, are scaled by their best one into a score in (0, 1]
    and the kinds merge on it: title matches first, then by score, then quests before
    milestones before tasks before chat. Each kind's first rows hold the best of both groups
    whenever that group can reach the merged list, so the scaling is exact.
    """
    merged = []
    for kind, rows in best.items():
        top: dict[bool, float] = {}
        for r in rows:
            in_title = bool(r["in_title"])
            top.setdefault(in_title, r["bm25"])
            score = r["bm25"] / top[in_title] if top[in_title] else 1.0
            merged.append(Ranked(kind, r["row"], r["bm25"], in_title, score))
    order = {kind: n for n, kind in enumerate(KINDS)}
    return sorted(merged, key=lambda r: (not r.in_title, -r.score, order[r.kind], r.bm25, r.row))


def unmark(marked: str) -> tuple[str, list[Span]]:
    """Text with the store's match marks turned into (start, end) spans; whitespace runs
    (a chat message's line breaks) become single spaces."""
    text, spans, start = "", [], None
    pieces = re.split(f"([{search_store.MARK_START}{search_store.MARK_END}])", marked)
    for piece in pieces:
        if piece == search_store.MARK_START:
            start = len(text)
        elif piece == search_store.MARK_END:
            if start is not None and len(text) > start:
                spans.append((start, len(text)))
            start = None
        else:
            text += _SPACE.sub(" ", piece)
    return text.strip(), _strip_shift(text, spans)


def _strip_shift(text: str, spans: list[Span]) -> list[Span]:
    """Spans moved for the leading whitespace that `strip()` removes."""
    lead = len(text) - len(text.lstrip())
    end = len(text.strip())
    return [(max(s - lead, 0), min(e - lead, end)) for s, e in spans if e - lead > 0]


def _minute(timestamp: str | None) -> str:
    return (timestamp or "")[:16].replace("T", " ")
