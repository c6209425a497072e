"""Shell completion of ids: quests, milestones, tasks and routines, each with its title.

Typer calls these `autocompletion=` callbacks while a shell asks for completions
(`_ZIK_COMPLETE=complete_zsh zik …`; `app.wanted_commands` registers only the group being
completed). They return (id, title) pairs: bash shows the ids, zsh and fish the titles beside them.

The candidates come from zik.core.completion (plain sqlite3 through a read-only connection: no
migration, no sqlite-utils, and nothing is created when there is no database yet). A completion
runs inside the user's prompt, so it never raises: any failure completes nothing.
"""

from __future__ import annotations

import os

from zik.core import completion
from zik.models import typed_id

LIMIT = 50
SHORT = 8  # the short id people see and type (zik.models.short_id)
_TITLE_WIDTH = 60


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
        text = typed_id(incomplete)
        if text is None:
            return []
        found = completion.find(kinds, text, LIMIT)
        return _shown(incomplete, len(text), found, labelled)
    except Exception:  # noqa: BLE001 — a completion must never print a traceback
        return []


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
