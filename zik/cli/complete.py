"""Shell completion of ids: quests, milestones, tasks and routines, each with its title.

Typer calls these `autocompletion=` callbacks while a shell asks for completions
(`_ZIK_COMPLETE=complete_zsh zik …`; `app.wanted_commands` registers only the group being
completed). They return (id, title) pairs: bash shows the ids, zsh and fish the titles beside them.

The database is read with plain sqlite3 through a read-only connection: no migration, no
sqlite-utils, and nothing is created when there is no database yet. A completion runs inside the
user's prompt, so it never raises: any failure completes nothing.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from zik.models import ID_PREFIXES

LIMIT = 50
SHORT = 8  # the short id people see and type (zik.models.short_id)
_TITLE_WIDTH = 60
_HEX = re.compile(r"^[0-9a-f-]{0,36}$")

# kind: (table, key column, key prefix, title column, [(which rows, in which order), …]): each
# part fills what the one before left of the limit. The task parts follow the partial indexes
# tasks_open and tasks_due: with no prefix typed, 50 index entries are read, not every task sorted.
_KINDS = {
    "quest": (
        "quests",
        "goal_id",
        "",
        "goal_name",
        [("1", "status != 'active', status != 'paused', created_at DESC")],
    ),
    "milestone": (
        "milestones",
        "milestone_id",
        "milestone_",
        "title",
        [("1", "status != 'active', status != 'locked', goal_id, sequence")],
    ),
    "task": (  # open tasks first, due soonest; then completed ones, most recently due first
        "tasks",
        "task_id",
        "",
        "task_name",
        [
            ("status IN ('pending', 'in-progress')", "due_date"),
            ("status = 'completed'", "due_date DESC"),
        ],
    ),
    "routine": (
        "routines",
        "recurrence_rule_id",
        "rule_",
        "title",
        [("1", "status != 'active', created_at DESC")],
    ),
}


def quests(incomplete: str) -> list[tuple[str, str]]:
    return _complete(incomplete, ("quest",))


def milestones(incomplete: str) -> list[tuple[str, str]]:
    return _complete(incomplete, ("milestone",))


def tasks(incomplete: str) -> list[tuple[str, str]]:
    return _complete(incomplete, ("task",))


def routines(incomplete: str) -> list[tuple[str, str]]:
    return _complete(incomplete, ("routine",))


def records(incomplete: str) -> list[tuple[str, str]]:
    """Any record `zik why` explains; the few quests, milestones and routines before tasks."""
    return _complete(incomplete, ("quest", "milestone", "routine", "task"), labelled=True)


def _complete(
    incomplete: str, kinds: tuple[str, ...], *, labelled: bool = False
) -> list[tuple[str, str]]:
    try:
        _plain_help()
        text = _id_text(incomplete)
        conn = _connect() if text is not None else None
        if conn is None:
            return []
        try:
            found: list[tuple[str, str, str]] = []  # (kind, key without prefix, title)
            for kind in kinds:
                found += _candidates(conn, kind, text or "", LIMIT - len(found))
        finally:
            conn.close()
        return _shown(incomplete, len(text or ""), found, labelled)
    except Exception:  # noqa: BLE001 — a completion must never print a traceback
        return []


def _id_text(incomplete: str) -> str | None:
    """The hex the user has typed (as `records.find` reads it), or None if it cannot be an id."""
    text = incomplete.lower()
    for prefix in ID_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text if _HEX.match(text) else None


def _connect() -> sqlite3.Connection | None:
    """A read-only connection to the database, or None when there is none (nothing is created)."""
    from zik import config

    path = Path(os.path.abspath(config.db_path()))
    if not path.is_file():
        return None
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1.0)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _candidates(conn: sqlite3.Connection, kind: str, text: str, limit: int) -> list:
    if limit <= 0:
        return []
    table, key, prefix, title, parts = _KINDS[kind]
    rows: list = []
    for where, order in parts:
        rows += conn.execute(
            f"SELECT substr({key}, {len(prefix) + 1}), {title} FROM {table}"
            f" WHERE {key} GLOB ? AND {where} AND deleted_at IS NULL ORDER BY {order} LIMIT ?",
            (f"{prefix}{text}*", limit - len(rows)),
        ).fetchall()
    return [(kind, k, t) for k, t in rows]


def _shown(
    incomplete: str, typed: int, found: list[tuple[str, str, str]], labelled: bool
) -> list[tuple[str, str]]:
    """(value, help) pairs. A value is what the user typed (any `milestone_` prefix or capitals
    kept, since Typer keeps only values that start with it) followed by the rest of the short id,
    made longer where two candidates would otherwise read the same."""
    keys = sorted({k for _, k, _ in found})
    width = dict.fromkeys(keys, max(SHORT, typed))
    for a, b in zip(keys, keys[1:], strict=False):  # in sorted order, neighbours share the most
        need = len(os.path.commonprefix([a, b])) + 1
        width[a], width[b] = max(width[a], need), max(width[b], need)
    pairs = []
    for kind, key, title in found:
        help_text = " ".join(str(title or "").split())
        if len(help_text) > _TITLE_WIDTH:
            help_text = help_text[: _TITLE_WIDTH - 1] + "…"
        pairs.append(
            (
                incomplete + key[typed : width[key]],
                f"{kind} · {help_text}" if labelled else help_text,
            )
        )
    return pairs


def _plain_help() -> None:
    """Show titles as typed in zsh and fish.

    Typer (pinned <0.29) passes each completion's help through rich to strip markup: that costs
    ~30 ms of imports in a command meant to answer at once, eats a title such as "[x] stretch"
    and fails on one holding "[/]". Titles are the user's text, never markup.
    """
    from typer import _completion_classes

    _completion_classes._sanitize_help_text = str
