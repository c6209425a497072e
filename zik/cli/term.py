"""Plain-text terminal drawing: styles, aligned tables, progress bars.

zik draws its own tables instead of using rich here: importing rich.console costs ~25 ms, a
quarter of the 90 ms budget of `zik today` (DESIGN.md §9, deps.md §2). rich stays for what needs
it (Markdown chat replies, spinners) and is imported only there.
"""

from __future__ import annotations

import re
import unicodedata

from zik import text as shown

_CODES = {
    "bold": "1",
    "dim": "2",
    "italic": "3",
    "underline": "4",
    "strike": "9",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}


def paint(text: str, styles: str, color: bool) -> str:
    """Wrap text in ANSI codes for space-separated `styles` when colour is on."""
    if not color or not styles:
        return text
    codes = ";".join(_CODES[s] for s in styles.split())
    return f"\x1b[{codes}m{text}\x1b[0m"


# zik's own styles (those `paint` writes); any other escape sequence in a line came from data.
_STYLE = "(?:0|1|2|3|4|9|3[1-6])"
_OWN = re.compile(f"\x1b\\[(?:{_STYLE}(?:;{_STYLE})*)?m|[{shown.UNSAFE}]")


def guard(line: str) -> str:
    """The last net before a terminal: a line keeps zik's own colours, and every other control
    character in it (ESC, C1, DEL, bidi overrides) is shown visibly, whatever path it came by.
    Views show data through `zik.text.scrub` already; this catches what a view builds itself."""
    if shown.BLOCK.search(line) is None:
        return line
    return _OWN.sub(_keep_own, line)


def _keep_own(match: re.Match[str]) -> str:
    return match[0] if len(match[0]) > 1 else shown.visible(match[0], block=True)


def width(text: str) -> int:
    """Terminal cells a string takes (wide East Asian characters and emoji take two)."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def truncate(text: str, cells: int) -> str:
    if width(text) <= cells:
        return text
    out, used = [], 0
    for c in text:
        w = width(c)
        if used + w > cells - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def bar(fraction: float, cells: int = 20) -> str:
    """A progress bar such as ████████░░░░ (eighths for a smooth edge)."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * cells * 8)
    full, rest = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[rest].strip() if rest else ""
    return "█" * full + partial + "░" * (cells - full - (1 if partial else 0))


def table(
    rows: list[list[tuple[str, str]]],
    *,
    total_width: int,
    flex: int,
    indent: int = 0,
    color: bool = False,
) -> list[str]:
    """Lay out rows of (text, style) cells in columns; column `flex` absorbs the overflow."""
    if not rows:
        return []
    columns = len(rows[0])
    widths = [max(width(row[i][0]) for row in rows) for i in range(columns)]
    fixed = sum(w for i, w in enumerate(widths) if i != flex) + 2 * (columns - 1) + indent
    widths[flex] = max(10, min(widths[flex], total_width - fixed))
    lines = []
    for row in rows:
        cells = []
        for i, (text, style) in enumerate(row):
            text = truncate(text, widths[i])
            pad = " " * (widths[i] - width(text)) if i < columns - 1 else ""
            cells.append(paint(text, style, color) + pad)
        lines.append(" " * indent + "  ".join(cells).rstrip())
    return lines
