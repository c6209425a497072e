"""Text from outside made safe to show: the one rule every view and export uses.

Titles, descriptions and chat messages arrive from import files, the cloud and the AI, and a
terminal obeys what they carry: ESC and C1 sequences retitle it, write the clipboard (OSC 52) or
forge links (OSC 8); bidi overrides reorder what is read; a line break in a title breaks a table.
`visible` turns each such character into a visible stand-in, so nothing silently vanishes and
nothing reaches the terminal as a control: C0 and DEL as their Control Pictures (ESC → ␛,
newline → ␤), C1 controls, bidi overrides and line separators as `<U+009B>`, and an undecodable
byte (a lone surrogate from the surrogateescape decoder) as `\\xe9`. The stored value and
`--json` keep the text exactly.
"""

from __future__ import annotations

import re
from typing import Any

# DEL and C1, the bidi controls, line and paragraph separators, and lone surrogates (what
# surrogateescape makes of a byte that is not UTF-8); with the C0 controls, all a terminal acts on.
_BEYOND_C0 = "\x7f-\x9f\u061c\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
UNSAFE = "\x00-\x08\x0b-\x1f" + _BEYOND_C0
# In a block of text (a description, a chat message) tab and newline keep their meaning.
BLOCK = re.compile(f"[{UNSAFE}]")
LINE = re.compile(f"[\t\n{UNSAFE}]")

# Fields whose value is a block of text rather than a one-line name (records and JSON dicts).
BLOCK_FIELDS = frozenset(
    {"description", "content", "text", "body", "reply", "note", "annotation", "files", "lines"}
)


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code == 0x0A:
        return "\u2424"  # ␤
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (␛ for ESC, ␉ for tab)
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the byte surrogateescape kept
    return f"<U+{code:04X}>"


def visible(text: str, block: bool = False) -> str:
    """`text` with every character a terminal would act on shown as a visible stand-in."""
    pattern = BLOCK if block else LINE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_stand_in, text)


def safe(text: str, block: bool = False) -> bool:
    return (BLOCK if block else LINE).search(text) is None


def scrub(value: Any, block: bool = False, depth: int = 0) -> Any:
    """A command's result with every string in it made `visible`, for a human view.

    Walks dicts, lists, tuples (named ones keep their type), records (`__slots__`) and zik's
    own result objects (their attributes, in a copy), to a bounded depth (a result may point
    back at itself); fields named in BLOCK_FIELDS keep their line breaks, and so does what a
    block field holds (the texts of `files`). What needs no change is
    returned as it is, so the common case costs one regex search per string and allocates
    nothing. Anything deeper or foreign is left to `cli.term.guard`, the net under every line.
    """
    if isinstance(value, str):
        return visible(value, block)
    if value is None or isinstance(value, int | float) or depth > _DEPTH:
        return value
    depth += 1
    if isinstance(value, dict):
        changed = {}
        for key, item in value.items():
            clean = scrub(item, block or _is_block(key), depth)
            if clean is not item:
                changed[key] = clean
        return {**value, **changed} if changed else value
    if isinstance(value, list | tuple):
        items = [scrub(item, block, depth) for item in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        if isinstance(value, list):
            return items
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if not type(value).__module__.startswith("zik."):
        return value
    names = getattr(type(value), "__slots__", None)
    if names and not isinstance(names, str):
        return _scrub_object(value, names, depth)
    if hasattr(value, "__dict__") and not isinstance(value, type) and not callable(value):
        return _scrub_object(value, list(vars(value)), depth)  # TaskList, Turn, …
    return value


_DEPTH = 6


def _scrub_object(record: Any, names: Any, depth: int) -> Any:
    changed = {}
    for name in names:
        item = getattr(record, name, None)
        clean = scrub(item, _is_block(name), depth)
        if clean is not item:
            changed[name] = clean
    if not changed:
        return record
    if hasattr(record, "replace"):
        return record.replace(**changed)
    import copy

    copied = copy.copy(record)
    for name, item in changed.items():
        object.__setattr__(copied, name, item)
    return copied


def _is_block(key: Any) -> bool:
    return isinstance(key, str) and (key in BLOCK_FIELDS or key.endswith("Description"))


# Characters JSON may carry raw that a terminal acts on or UTF-8 cannot encode (json.dumps
# escapes the C0 controls itself).
_json_unsafe: re.Pattern[str] | None = None  # compiled on first use: human views never need it


def dumps(value: Any, **options: Any) -> str:
    """JSON as `json.dumps(ensure_ascii=False)` writes it, with those characters as `\\u`
    escapes: the same value to any reader, safe on a terminal, and always valid UTF-8."""
    import json

    global _json_unsafe
    if _json_unsafe is None:
        _json_unsafe = re.compile(f"[{_BEYOND_C0}]")
    text = json.dumps(value, ensure_ascii=False, **options)
    return _json_unsafe.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
