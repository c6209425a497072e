"""The whole plan as Markdown, for people: `zik export --format md`.

Each quest (active, then paused, then completed) is a section with its roadmap as a numbered list
of milestones, each milestone's tasks as a checklist under it, then the quest's tasks outside the
roadmap; then the tasks of no quest, then the routines. Every task is shown (it is an export), one
line each, with its notes under it. The output depends only on the database and `today`:
everything is sorted on stored values, so two exports of the same database are identical.
Tombstones are never shown.

Text from people, imports and the AI is shown as typed, never read as Markdown or HTML, by
CommonMark (markdown-it-py's `commonmark`, raw HTML on) and Python-Markdown alike, though they
honour different escapes: see `_escape`. The layout is one both read the same way: nested lists
indented four spaces (`_NEST`), no blank line inside a list (so none turns loose), and a task's
notes as italic continuation lines of its item.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

from zik.core import profile
from zik.core.plan.timeline import Span, milestone_spans
from zik.models import Milestone, Quest, Routine, Task
from zik.store import plan as plan_store
from zik.text import visible

# Quests active, then paused, then completed (a stable sort keeps the store's order for ties); a
# checklist's order is the store's (zik/store/plan.py: by day, high priority first).
_QUEST_ORDER = {"active": 0, "paused": 1}
_DAY_NAMES = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")  # 0 = Sunday, as the backend
# What `_escape` writes for each character that means something wherever it is on a line.
# Backslash escapes only where both renderers honour them (Python-Markdown honours them for
# \ ` * _ { } [ ] ( ) > # + - . ! alone, CommonMark for all ASCII punctuation); character
# references for the rest, and for `<`: Python-Markdown keeps the backslash of `\<` and still
# reads the tag after it.
_CHARACTER = {
    "&": "&amp;",  # an entity typed as text (`&copy;`) stays text
    "<": "&lt;",  # raw HTML, autolinks, and zik.text's `<U+202E>` stand-ins
    ">": "&gt;",  # block quotes
    "|": "&#124;",  # tables (GFM, Python-Markdown's `extra`)
    "~": "&#126;",  # fences, and strikethrough (GFM)
    "\\": "\\\\",  # so a typed backslash escapes nothing after it
    "`": "\\`",  # code spans and fences
    "*": "\\*",  # emphasis, bullets, rules
    "_": "\\_",  # emphasis, rules
    "[": "\\[",  # links, images, reference definitions
    "]": "\\]",
    "#": "\\#",  # headings, and a heading's closing #s ("Fix bug #" would lose its #)
}
_SPECIAL = re.compile("[" + re.escape("".join(_CHARACTER)) + "]")
# What starts a block only at the start of a line: a bullet, a rule or a setext underline (`-`,
# `+`, `=`), an ordered list (`1.`, `1)`); its last character is escaped (`=` by reference, as
# Python-Markdown keeps the backslash of `\=`).
_LINE_START = re.compile(r"^(?:[0-9]+[.)]|[-+=])")
_AT_LINE_START = {"-": "\\-", "+": "\\+", "=": "&#61;", ".": "\\.", ")": "\\)"}
# A list nested under an item is indented four spaces: Python-Markdown nests by steps of four and
# CommonMark under the item's text (three columns in for `1. `, four for `10. `); a wider marker
# (`100. `) needs as many as it is wide.
_NEST = 4


def render(conn: sqlite3.Connection, *, today: str) -> str:
    """The plan as a Markdown document (ends with one newline)."""
    return "".join(chunks(conn, today=today))


def chunks(conn: sqlite3.Connection, *, today: str, lines_per_chunk: int = 2000) -> Iterator[str]:
    """The document in pieces of about `lines_per_chunk` lines, as it is read: the tasks come
    from the database checklist by checklist, so no list of every task is ever held. Blank
    lines at the end are dropped (the document ends with one newline)."""
    piece: list[str] = []
    blanks = 0
    for line in _lines_of(conn, today):
        if not line:
            blanks += 1  # held until a line follows, so none ends the document
            continue
        piece += [""] * blanks + [line]
        blanks = 0
        if len(piece) >= lines_per_chunk:
            yield "\n".join(piece) + "\n"
            piece = []
    yield "\n".join(piece) + "\n"


def _lines_of(conn: sqlite3.Connection, today: str) -> Iterator[str]:
    quests = sorted(plan_store.live_quests(conn), key=lambda q: _QUEST_ORDER.get(q.status, 2))
    routines = sorted(plan_store.live_routines(conn), key=lambda r: r.status != "active")
    roadmaps: dict[str, list[Milestone]] = {q.goal_id: [] for q in quests}
    for m in plan_store.live_milestones(conn):
        if m.goal_id in roadmaps:
            roadmaps[m.goal_id].append(m)
    timezone = profile.load(conn).timezone
    counts = plan_store.task_counts(conn)
    names = {q.goal_id: q.goal_name for q in quests}

    done = sum(d for d, _ in counts.values())
    heading = [
        _plural(len(quests), "quest"),
        f"{done}/{sum(n for _, n in counts.values())} tasks done",
        _plural(len(routines), "routine"),
    ]
    yield from [f"# zik plan — {today}", "", " · ".join(heading), ""]
    if not quests:
        yield from ["No quests yet.", ""]
    for quest in quests:
        milestones = roadmaps[quest.goal_id]
        spans = milestone_spans(milestones, target_date=quest.target_date, timezone=timezone)
        yield from _quest(conn, quest, milestones, spans, counts, today)
    yield from _checklist("## Tasks without a quest", plan_store.loose_checklist(conn), today)
    if routines:
        yield from ["## Routines", ""]
        yield from [_routine(r, names) for r in routines] + [""]


def _checklist(heading: str, tasks: Iterator[Task], today: str) -> Iterator[str]:
    """A heading and its tasks, or nothing when there are none."""
    first = next(tasks, None)
    if first is None:
        return
    yield from [heading, ""]
    yield from _task(first, today)
    for t in tasks:
        yield from _task(t, today)
    yield ""


def _quest(
    conn: sqlite3.Connection,
    quest: Quest,
    milestones: list[Milestone],
    spans: list[Span],
    counts: dict[tuple[str | None, str | None], tuple[int, int]],
    today: str,
) -> Iterator[str]:
    mine = [c for (goal, _), c in counts.items() if goal == quest.goal_id]
    done, total = sum(d for d, _ in mine), sum(n for _, n in mine)
    facts = [quest.status.capitalize()]
    if quest.target_date:
        facts.append(f"target {quest.target_date}")
    if quest.category:
        facts.append(_inline(quest.category))
    facts.append(f"{done}/{total} tasks done" if total else "no tasks yet")
    if milestones:
        finished = sum(m.status == "completed" for m in milestones)
        facts.append(f"{finished}/{len(milestones)} milestones")
    if quest.roadmap_status in ("generating", "failed"):
        facts.append(f"roadmap {quest.roadmap_status}")
    yield from [f"## {_inline(quest.goal_name)}", "", " · ".join(facts), ""]
    if quest.roadmap_status == "failed" and quest.roadmap_error:
        yield from [f"Planning failed: {_inline(quest.roadmap_error)}", ""]
    if quest.description and quest.description.strip():
        yield from [_quoted(line) for line in quest.description.strip().splitlines()] + [""]
    if milestones:
        yield from ["### Roadmap", ""]
        for n, (m, span) in enumerate(zip(milestones, spans, strict=True), start=1):
            tasks = plan_store.milestone_checklist(conn, quest.goal_id, m.milestone_id)
            planned = counts.get((quest.goal_id, m.milestone_id), (0, 0))
            yield from _milestone(n, m, span, tasks, planned, today)
        yield ""
    heading = "### Other tasks" if milestones else "### Tasks"
    yield from _checklist(heading, plan_store.other_checklist(conn, quest.goal_id), today)


def _milestone(
    n: int,
    m: Milestone,
    span: Span,
    tasks: Iterator[Task],
    planned: tuple[int, int],
    today: str,
) -> Iterator[str]:
    marker = f"{n}. "
    indent = " " * max(_NEST, len(marker))
    box = "[x]" if m.status == "completed" else "[ ]"
    title = _inline(m.title)
    title = f"**{title}** (active)" if m.status == "active" else title
    facts = []
    if m.duration_in_days:
        facts.append(_plural(m.duration_in_days, "day"))
    if span.start and span.end:
        facts.append(f"{span.start} → {span.end}")
    elif span.end:
        facts.append(f"until {span.end}")
    elif span.start:
        facts.append(f"from {span.start}")
    done, total = planned
    if total:
        facts.append(f"{done}/{total} tasks done")
    yield f"{marker}{box} {title}" + (f" — {', '.join(facts)}" if facts else "")
    if m.description and m.description.strip():
        yield f"{indent}*{_inline(m.description)}*"
    for t in tasks:
        yield from (indent + line for line in _task(t, today))


def _task(t: Task, today: str) -> list[str]:
    """The task's checklist line, then its notes line by line under it: in italics, as a
    milestone's description (a stripped, escaped line always opens and closes the emphasis), and
    indented so both renderers keep them in the task's item."""
    box = "[x]" if t.status == "completed" else "[ ]"
    facts = []
    if t.priority != "medium":
        facts.append(t.priority)
    if t.status == "in-progress":
        facts.append("in progress")
    if t.shown_status == "skipped":
        facts.append("skipped")
    elif t.is_open and t.due_date < today and not t.recurrence_rule_id:
        facts.append("overdue")
    if t.estimated_minutes:
        facts.append(f"{t.estimated_minutes} min")
    line = f"- {box} {t.due_date} {_inline(t.task_name)}"
    if facts:
        line += f" ({', '.join(facts)})"
    tags = [_tag(tag) for tag in t.tags or () if tag and tag.strip()]
    line += "".join(f" {tag}" for tag in tags)
    return [line] + [" " * _NEST + f"*{note}*" for note in _lines(t.description or "")]


def _routine(r: Routine, quest_names: dict[str, str]) -> str:
    every = r.frequency
    if r.days_of_week:
        every += " on " + ", ".join(_DAY_NAMES[d] for d in sorted(r.days_of_week) if 0 <= d <= 6)
    facts = [every]
    if r.estimated_minutes:
        facts.append(f"{r.estimated_minutes} min")
    if r.priority != "medium":
        facts.append(f"{r.priority} priority")
    if r.goal_id in quest_names:
        facts.append(f"for {_inline(quest_names[r.goal_id])}")
    if r.status != "active":
        facts.append(r.status)
    return f"- {_inline(r.title)} — {' · '.join(facts)}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _inline(text: str) -> str:
    """Text on one line, as typed: whitespace collapsed, Markdown escaped, controls shown
    (zik.text) rather than left for a terminal or renderer to act on."""
    return _escape(" ".join(visible(text, block=True).split()))


def _lines(text: str) -> list[str]:
    """A block of text (notes) as its lines, each escaped, controls shown; blank ones are left
    out, as a blank line inside a list would end the item's paragraph or make the list loose."""
    return [_escape(visible(line.strip())) for line in text.strip().splitlines() if line.strip()]


def _quoted(line: str) -> str:
    """One line of free text inside a block quote, read as text rather than as Markdown."""
    text = _escape(visible(line.strip()))
    return f"> {text}" if text else ">"


def _tag(tag: str) -> str:
    return "#" + _escape("-".join(visible(tag, block=True).split()))


def _escape(text: str) -> str:
    """`text` shown as typed by CommonMark and Python-Markdown alike: what means something
    anywhere on a line escaped (see _CHARACTER), and what starts a block at the start of a line
    escaped at the start of every text, whether or not it starts the line here: a routine's title
    starts its item, a line of a description starts its line, and one rule for all is one to
    check."""
    text = _SPECIAL.sub(lambda m: _CHARACTER[m[0]], text)
    return _LINE_START.sub(lambda m: m[0][:-1] + _AT_LINE_START[m[0][-1]], text, count=1)
