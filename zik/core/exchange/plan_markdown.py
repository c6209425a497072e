"""The whole plan as Markdown, for people: `zik export --format md`.

Each quest (active, then paused, then completed) is a section with its roadmap as a numbered list
of milestones, each milestone's tasks as a checklist under it, then the quest's tasks outside the
roadmap; then the tasks of no quest, then the routines. Every task is shown (it is an export), one
line each. The output depends only on the database and `today`: everything is sorted on stored
values, so two exports of the same database are identical. Tombstones are never shown.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict

from zik.core.plan.timeline import Span, read_plan
from zik.models import Milestone, Quest, Routine, Task
from zik.store import plan as plan_store
from zik.text import visible

# Sections and checklists are sorted in Python on the store's order (a stable sort keeps it for
# ties): quests active, then paused, then completed; a day's tasks high priority first.
_QUEST_ORDER = {"active": 0, "paused": 1}
_PRIORITY_ORDER = {"high": 0, "low": 2}
_DAY_NAMES = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")  # 0 = Sunday, as the backend
# Characters that would start emphasis, code, links or HTML in the middle of a line.
_INLINE = re.compile(r"([\\`*_\[\]<])")
# What would make a line a heading, quote, list item, rule, table or fence.
_BLOCK_START = re.compile(r"^([#>+\-=|~]|\d+[.)])")


def render(conn: sqlite3.Connection, *, today: str) -> str:
    """The plan as a Markdown document (ends with one newline)."""
    plan = read_plan(conn)
    quests = sorted(plan.quests, key=lambda q: _QUEST_ORDER.get(q.status, 2))
    # The same day and priority: the order they were made in, the planner's order.
    tasks = sorted(plan.tasks, key=lambda t: (t.due_date, _PRIORITY_ORDER.get(t.priority, 1)))
    routines = sorted(plan_store.live_routines(conn), key=lambda r: r.status != "active")

    live = {q.goal_id for q in quests}
    by_quest: dict[str, list[Task]] = defaultdict(list)
    loose: list[Task] = []
    for t in tasks:
        (by_quest[t.goal_id] if t.goal_id in live else loose).append(t)
    names = {q.goal_id: q.goal_name for q in quests}

    done = sum(t.status == "completed" for t in tasks)
    counts = [
        _plural(len(quests), "quest"),
        f"{done}/{len(tasks)} tasks done",
        _plural(len(routines), "routine"),
    ]
    lines = [f"# zik plan — {today}", "", " · ".join(counts), ""]
    if not quests:
        lines += ["No quests yet.", ""]
    for quest in quests:
        milestones, spans = plan.roadmaps[quest.goal_id], plan.spans[quest.goal_id]
        lines += _quest(quest, milestones, spans, by_quest.get(quest.goal_id, []), today)
    if loose:
        lines += ["## Tasks without a quest", ""]
        lines += [_task(t, today) for t in loose] + [""]
    if routines:
        lines += ["## Routines", ""]
        lines += [_routine(r, names) for r in routines] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _quest(
    quest: Quest, milestones: list[Milestone], spans: list[Span], tasks: list[Task], today: str
) -> list[str]:
    done = sum(t.status == "completed" for t in tasks)
    facts = [quest.status.capitalize()]
    if quest.target_date:
        facts.append(f"target {quest.target_date}")
    if quest.category:
        facts.append(_inline(quest.category))
    facts.append(f"{done}/{len(tasks)} tasks done" if tasks else "no tasks yet")
    if milestones:
        finished = sum(m.status == "completed" for m in milestones)
        facts.append(f"{finished}/{len(milestones)} milestones")
    if quest.roadmap_status in ("generating", "failed"):
        facts.append(f"roadmap {quest.roadmap_status}")
    lines = [f"## {_inline(quest.goal_name)}", "", " · ".join(facts), ""]
    if quest.roadmap_status == "failed" and quest.roadmap_error:
        lines += [f"Planning failed: {_inline(quest.roadmap_error)}", ""]
    if quest.description:
        lines += [_quoted(line) for line in quest.description.strip().splitlines()] + [""]

    ids = {m.milestone_id for m in milestones}
    planned: dict[str, list[Task]] = defaultdict(list)
    others = []
    for t in tasks:
        if t.milestone_id and t.milestone_id in ids:
            planned[t.milestone_id].append(t)
        else:
            others.append(t)
    if milestones:
        lines += ["### Roadmap", ""]
        for n, (m, span) in enumerate(zip(milestones, spans, strict=True), start=1):
            lines += _milestone(n, m, span, planned.get(m.milestone_id, []), today)
        lines.append("")
    if others:
        lines += ["### Other tasks" if milestones else "### Tasks", ""]
        lines += [_task(t, today) for t in others] + [""]
    return lines


def _milestone(n: int, m: Milestone, span: Span, tasks: list[Task], today: str) -> list[str]:
    marker = f"{n}. "
    indent = " " * len(marker)  # a nested list must start under the item's text
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
    if tasks:
        done = sum(t.status == "completed" for t in tasks)
        facts.append(f"{done}/{len(tasks)} tasks done")
    lines = [f"{marker}{box} {title}" + (f" — {', '.join(facts)}" if facts else "")]
    if m.description and m.description.strip():
        lines.append(f"{indent}*{_inline(m.description)}*")
    lines += [indent + _task(t, today) for t in tasks]
    return lines


def _task(t: Task, today: str) -> str:
    box = "[x]" if t.status == "completed" else "[ ]"
    notes = []
    if t.priority != "medium":
        notes.append(t.priority)
    if t.status == "in-progress":
        notes.append("in progress")
    if t.shown_status == "skipped":
        notes.append("skipped")
    elif t.is_open and t.due_date < today and not t.recurrence_rule_id:
        notes.append("overdue")
    if t.estimated_minutes:
        notes.append(f"{t.estimated_minutes} min")
    line = f"- {box} {t.due_date} {_inline(t.task_name)}"
    if notes:
        line += f" ({', '.join(notes)})"
    tags = [_tag(tag) for tag in t.tags or () if tag and tag.strip()]
    return line + "".join(f" {tag}" for tag in tags)


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
    """Text on one line, as typed: whitespace collapsed, Markdown syntax escaped, controls shown
    (zik.text) rather than left for a terminal or renderer to act on."""
    return _INLINE.sub(r"\\\1", " ".join(visible(text, block=True).split()))


def _quoted(line: str) -> str:
    """One line of free text inside a block quote, read as text rather than as Markdown."""
    text = _INLINE.sub(r"\\\1", visible(line.strip()))
    text = _BLOCK_START.sub(lambda m: m[0][:-1] + "\\" + m[0][-1], text, count=1)
    return f"> {text}" if text else ">"


def _tag(tag: str) -> str:
    return "#" + _INLINE.sub(r"\\\1", "-".join(visible(tag, block=True).split()))
