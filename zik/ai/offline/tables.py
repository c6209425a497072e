"""How the handbook's tables are written: task banks as text tables, and the finish-line marker.

Shared by every module of the handbook, so that a kind's texts live in a file of their own.
"""

from __future__ import annotations

import re

DONE = " Done when: "  # a phase description ends with its finish line, after this marker


def rows(table: str) -> tuple[tuple[int, str, str], ...]:
    """Parse a text table into (minutes, name, description) rows.

    A bank is one task a line: "minutes | name | description". The minutes are the comfortable
    length; the coach shrinks a task to half of it or stretches it to fit the day.
    """
    parsed = []
    for line in table.strip().splitlines():
        minutes, name, description = (part.strip() for part in line.split("|"))
        parsed.append((int(minutes), name, description))
    return tuple(parsed)


def pattern(template: str) -> re.Pattern[str]:
    """A task name template as a pattern: each placeholder matches any text."""
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile(".+".join(re.escape(part) for part in parts), re.IGNORECASE)
