"""The ids and titles a shell completes: quests, milestones, tasks and routines.

A completion runs inside the user's prompt, so this stays the fast path it was: the candidates
come from store/candidates.py through a read-only connection (no migration, no sqlite-utils, and
nothing is created when there is no database yet).
"""

from __future__ import annotations

from zik.store import candidates


def find(kinds: tuple[str, ...], text: str, limit: int) -> list[tuple[str, str, str]]:
    """(kind, id without its prefix, title) of up to `limit` live records of these kinds, in this
    order, whose id starts with `text`; [] when there is no database yet."""
    return candidates.find(kinds, text, limit)
