"""Reading JSON files people hand to `zik import`, keeping the line each record starts on.

Python's json module says where a syntax error is, but not where a valid value came from; an
import that rejects a record must say which line it is on. `documents()` splits a file into its
top-level values (one, or one per line for JSON Lines) and `items()` walks an array, both
returning each value with its line number, using the C decoder for every value.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from zik.errors import ZikError

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class BadFile(ZikError):
    """An import file that cannot be read: nothing was imported."""

    exit_code = 1


class Text:
    """A file's text with a fast offset → line number lookup."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.text = text.removeprefix("\ufeff")
        self._newlines = [m.start() for m in re.finditer("\n", self.text)]

    def line(self, offset: int) -> int:
        return bisect_right(self._newlines, offset - 1) + 1

    def fail(self, offset: int | None, message: str, hint: str | None = None) -> BadFile:
        where = f"{self.name} line {self.line(offset)}" if offset is not None else self.name
        return BadFile(f"{where}: {message}; nothing was imported", hint=hint)

    def skip(self, at: int) -> int:
        return _SPACE.match(self.text, at).end()  # type: ignore[union-attr]

    def value(self, at: int) -> tuple[Any, int]:
        """The JSON value starting at `at` (after spaces), and the offset just past it."""
        at = self.skip(at)
        try:
            return _DECODER.raw_decode(self.text, at)
        except json.JSONDecodeError as e:
            raise self.fail(e.pos, f"invalid JSON, column {e.colno}: {e.msg}") from None
        except (ValueError, RecursionError) as e:  # a 5,000-digit number, nesting 100k deep
            raise self.fail(at, f"a value zik cannot read ({type(e).__name__})") from None


def documents(text: Text) -> list[tuple[Any, int]]:
    """The top-level values of the file with their start offsets: one for a JSON document,
    one per line for JSON Lines (a comma after each, as old Taskwarrior versions wrote, is
    allowed). Lines are read one by one, so a broken line is reported as itself."""
    at = text.skip(0)
    if at == len(text.text):
        raise text.fail(None, "the file is empty")
    first, end = text.value(at)
    found = [(first, at)]
    line_start = end
    while line_start < len(text.text):
        stop = text.text.find("\n", line_start)
        stop = len(text.text) if stop == -1 else stop
        line = text.text[line_start:stop]
        body = line.strip(" \t\r,")
        if body:
            offset = line_start + line.index(body)
            found.append((_line_value(text, body, offset), offset))
        line_start = stop + 1
    return found


def _line_value(text: Text, body: str, offset: int) -> Any:
    """The one JSON value on a line of a JSON Lines file."""
    try:
        value, end = _DECODER.raw_decode(body)
    except json.JSONDecodeError as e:
        raise text.fail(offset, f"invalid JSON, column {e.colno}: {e.msg}") from None
    except (ValueError, RecursionError) as e:
        raise text.fail(offset, f"a value zik cannot read ({type(e).__name__})") from None
    if body[end:].strip(" \t\r,"):
        raise text.fail(offset, "more than one value on a line")
    return value


def items(text: Text, start: int) -> list[tuple[Any, int]]:
    """The elements of the (valid) array starting at `start`, each with its start offset."""
    at = text.skip(start)
    if text.text[at] != "[":
        raise text.fail(at, "expected a list")
    found: list[tuple[Any, int]] = []
    at = text.skip(at + 1)
    if text.text[at] == "]":
        return found
    while True:
        at = text.skip(at)
        value, end = text.value(at)
        found.append((value, at))
        at = text.skip(end)
        if text.text[at] == "]":
            return found
        at += 1  # the comma (the document was parsed whole first, so it is valid)


def members(text: Text, start: int) -> dict[str, int]:
    """The offset of each member's value in the (valid) object starting at `start`."""
    at = text.skip(start) + 1
    offsets: dict[str, int] = {}
    while True:
        at = text.skip(at)
        if text.text[at] == "}":
            return offsets
        key, at = json.decoder.scanstring(text.text, at + 1)  # type: ignore[attr-defined]
        at = text.skip(text.skip(at) + 1)  # past the colon
        offsets[key] = at
        _, at = text.value(at)
        at = text.skip(at)
        if text.text[at] == ",":
            at += 1
