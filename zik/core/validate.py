"""Checks on user input, done before anything is written."""

from __future__ import annotations

from zik.errors import UsageError
from zik.models import MAX_DESCRIPTION, MAX_TAG, MAX_TAGS, MAX_TITLE, PRIORITIES
from zik.text import safe

_PRIORITY_WORDS = {"l": "low", "m": "medium", "med": "medium", "h": "high"}


def title(text: str, what: str = "title") -> str:
    text = (text or "").strip()
    if not text:
        raise UsageError(f"the {what} is empty")
    if len(text) > MAX_TITLE:
        raise UsageError(f"the {what} is {len(text):,} characters; the limit is {MAX_TITLE}")
    if not safe(text):
        raise UsageError(f"the {what} contains control characters, bidi overrides or line breaks")
    return text


def description(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    if len(text) > MAX_DESCRIPTION:
        raise UsageError(
            f"the description is {len(text):,} characters; the limit is {MAX_DESCRIPTION}"
        )
    if not safe(text, block=True):
        raise UsageError("the description contains control characters or bidi overrides")
    return text or None


def priority(text: str) -> str:
    word = text.strip().lower()
    word = _PRIORITY_WORDS.get(word, word)
    if word not in PRIORITIES:
        raise UsageError(f"unknown priority {text!r}", hint="use low, medium or high, or l/m/h")
    return word


def tags(words: list[str]) -> list[str]:
    """Tags as Taskwarrior has them: single words (a leading + is dropped), each once."""
    kept: list[str] = []
    for word in words:
        tag = word.strip().removeprefix("+")
        if not tag or len(tag) > MAX_TAG or any(c.isspace() for c in tag) or not safe(tag):
            raise UsageError(f"{word!r} is not a tag", hint=f"a tag is one word of up to {MAX_TAG}")
        if tag not in kept:
            kept.append(tag)
    if len(kept) > MAX_TAGS:
        raise UsageError(f"a task has at most {MAX_TAGS} tags")
    return kept


def minutes(value: int | None, what: str = "estimate") -> int | None:
    if value is not None and not 1 <= value <= 24 * 60:
        raise UsageError(f"the {what} must be between 1 and 1440 minutes, not {value}")
    return value


def days(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 3650:
        raise UsageError(f"a milestone lasts between 1 and 3650 days, not {value}")
    return value
