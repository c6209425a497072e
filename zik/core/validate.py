"""Checks on user input, done before anything is written."""

from __future__ import annotations

from zik.errors import UsageError
from zik.models import MAX_DESCRIPTION, MAX_TITLE, PRIORITIES

_PRIORITY_WORDS = {"l": "low", "m": "medium", "med": "medium", "h": "high"}


def title(text: str, what: str = "title") -> str:
    text = (text or "").strip()
    if not text:
        raise UsageError(f"the {what} is empty")
    if len(text) > MAX_TITLE:
        raise UsageError(f"the {what} is {len(text):,} characters; the limit is {MAX_TITLE}")
    if any(ord(c) < 32 for c in text):
        raise UsageError(f"the {what} contains control characters or line breaks")
    return text


def description(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    if len(text) > MAX_DESCRIPTION:
        raise UsageError(
            f"the description is {len(text):,} characters; the limit is {MAX_DESCRIPTION}"
        )
    return text or None


def priority(text: str) -> str:
    word = text.strip().lower()
    word = _PRIORITY_WORDS.get(word, word)
    if word not in PRIORITIES:
        raise UsageError(f"unknown priority {text!r}", hint="use low, medium or high, or l/m/h")
    return word


def minutes(value: int | None, what: str = "estimate") -> int | None:
    if value is not None and not 1 <= value <= 24 * 60:
        raise UsageError(f"the {what} must be between 1 and 1440 minutes, not {value}")
    return value


def days(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 3650:
        raise UsageError(f"a milestone lasts between 1 and 3650 days, not {value}")
    return value
