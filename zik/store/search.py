"""Full-text search over the FTS5 indexes of migration 6, and their upkeep.

A search runs two queries per kind. `best` ranks the kind's live matches and keeps the best
`limit`: matches in the title first, then the rest, each by bm25 with column weights (a word in
a title counts for more than one in a description). `details` fetches, for the rows that made
the merged list (zik.core.search), the fields shown, the title with the matched words marked
and a snippet of each other column, so a word found in 100k tasks costs a bounded sort of
scores, not 100k snippets.

sqlite-utils is imported inside the functions (as `zik.store.migrations` does): it costs ~40 ms,
which `zik search`, `zik doctor` and a restore can pay but the hot commands must not.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from zik.store.fts import FTS_COLUMNS, fts_statements

# Marks around matched words in highlights and snippets: control characters that typed or
# imported text does not carry, so they split cleanly into spans (zik.core.search).
MARK_START, MARK_END = "\x02", "\x03"
ELLIPSIS = "…"
SNIPPET_TOKENS = 12

# bm25 weight of each indexed column (1 when not listed). Weights alone do not put every title
# match first (bm25 saturates), so ranking also sorts on "matched in the title" before score.
WEIGHTS = {"goal_name": 10.0, "title": 10.0, "task_name": 10.0, "tags": 5.0, "category": 4.0}

# What each kind shows besides its title: the same names for every kind, NULL where they do
# not apply, so that one loop in zik.core.search reads them all.
_FIELDS = (
    "id",
    "title",
    "status",
    "quest_id",
    "quest_name",
    "due_date",
    "target_date",
    "timestamp",
)
_CONTEXT = {
    "quest": (
        "quests",
        "r.goal_id, r.goal_name, r.status, NULL, NULL, NULL, r.target_date, NULL",
        "",
    ),
    "milestone": (
        "milestones",
        "r.milestone_id, r.title, r.status, r.goal_id, q.goal_name, NULL, NULL, NULL",
        "LEFT JOIN quests q ON q.goal_id = r.goal_id AND q.deleted_at IS NULL",
    ),
    "task": (
        "tasks",
        "r.task_id, r.task_name, CASE WHEN r.skipped_at IS NOT NULL AND r.status != 'completed'"
        " THEN 'skipped' ELSE r.status END, r.goal_id, q.goal_name, r.due_date, NULL, NULL",
        "LEFT JOIN quests q ON q.goal_id = r.goal_id AND q.deleted_at IS NULL",
    ),
    "chat": (
        "chat_messages",
        "r.message_id, r.role, NULL, NULL, NULL, NULL, NULL, r.timestamp",
        "",
    ),
}
KINDS = tuple(_CONTEXT)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def match_expression(conn: sqlite3.Connection, text: str) -> str | None:
    """The FTS5 query for what a person typed; None when it holds no word to look for.

    sqlite-utils' `quote_fts` splits the text into words and "quoted phrases" and quotes each;
    each becomes an FTS5 string (so '-', '*', ':', AND, NOT and stray quotes are plain text,
    never syntax) matched as a whole word or as a prefix, `("marat" OR "marat"*)`: both forms,
    so that an exact word scores above a longer word that merely starts with it; all must match.
    """
    from sqlite_utils import Database

    text = _CONTROL.sub(" ", text)  # FTS5 reads a NUL as the end of the query
    terms = []
    for phrase in re.findall(r'"([^"]*)"', Database(conn).quote_fts(text)):
        if any(ch.isalnum() for ch in phrase):
            terms.append(f'("{phrase}" OR "{phrase}"*)')
    return " AND ".join(terms) or None


def best(conn: sqlite3.Connection, query: str, kind: str, limit: int) -> list[sqlite3.Row]:
    """The best `limit` live matches of one kind: (row, bm25, in_title), title matches first,
    then by bm25 (lower is better).

    The title test is a second bm25 over the title column alone, which is non-zero exactly when
    the title matched. Chat messages have no title.
    """
    table = _CONTEXT[kind][0]
    fts, columns = f"{table}_fts", FTS_COLUMNS[table]
    weights = ", ".join(str(WEIGHTS.get(c, 1.0)) for c in columns)
    in_title = "0"
    if kind != "chat":
        title_only = ", ".join("1.0" if i == 0 else "0.0" for i in range(len(columns)))
        in_title = f"bm25([{fts}], {title_only}) < 0"
    return conn.execute(
        f"""SELECT [{fts}].rowid AS row, bm25([{fts}], {weights}) AS bm25, {in_title} AS in_title
            FROM [{fts}] JOIN [{table}] r ON r.rowid = [{fts}].rowid
            WHERE [{fts}] MATCH ? AND r.deleted_at IS NULL
            ORDER BY in_title DESC, bm25, row LIMIT ?""",
        (query, limit),
    ).fetchall()


def details(conn: sqlite3.Connection, query: str, kind: str, rows: list[int]) -> dict[int, dict]:
    """For these rows of one kind: the shown fields, the marked title, and a snippet per column.

    Returns {row: {field: value, "title_marked": str | None, "snippets": {column: str}}}; the
    chat kind has no indexed title, so its `title_marked` is None and `title` is the role.
    """
    table, fields, join = _CONTEXT[kind]
    fts, columns = f"{table}_fts", FTS_COLUMNS[table]
    titled = kind != "chat"
    marks = f"'{MARK_START}', '{MARK_END}'"
    parts = [f"highlight([{fts}], 0, {marks})" if titled else "NULL"]
    first = 1 if titled else 0
    parts += [
        f"snippet([{fts}], {i}, {marks}, '{ELLIPSIS}', {SNIPPET_TOKENS})"
        for i in range(first, len(columns))
    ]
    found = conn.execute(
        f"""SELECT [{fts}].rowid, {fields}, {", ".join(parts)}
            FROM [{fts}] JOIN [{table}] r ON r.rowid = [{fts}].rowid {join}
            WHERE [{fts}] MATCH ? AND [{fts}].rowid IN ({", ".join("?" * len(rows))})""",
        (query, *rows),
    ).fetchall()
    out: dict[int, dict[str, Any]] = {}
    for values in found:
        record = dict(zip(_FIELDS, values[1 : 1 + len(_FIELDS)], strict=True))
        marked = values[1 + len(_FIELDS) :]
        record["title_marked"] = marked[0]
        record["snippets"] = dict(zip(columns[first:], marked[1:], strict=True))
        out[values[0]] = record
    return out


def rebuild(conn: sqlite3.Connection) -> list[str]:
    """Remake every full-text index from its table, with its triggers; returns the index names.

    Needed when rowids change under the indexes, as they may when a database is restored from a
    copy made with VACUUM (the indexes link to rows by rowid), and to repair what `check` finds:
    a missing index or trigger is made again as migration 6 made it.
    """
    from sqlite_utils import Database

    from zik.store.db import atomic

    database = Database(conn)
    rebuilt = []
    with atomic(conn):
        for table, columns in FTS_COLUMNS.items():
            statements = fts_statements(table, columns)
            for suffix in ("ai", "ad", "au"):
                conn.execute(f"DROP TRIGGER IF EXISTS [{table}_{suffix}]")
            fts = database.table(table).detect_fts()
            if fts is None:
                fts = f"{table}_fts"
                conn.execute(f"DROP TABLE IF EXISTS [{fts}]")
                conn.execute(statements[0])  # CREATE VIRTUAL TABLE
            for statement in statements:
                if statement.startswith("CREATE TRIGGER"):
                    conn.execute(statement)
            database.table(fts).rebuild_fts()
            rebuilt.append(fts)
    return rebuilt


def check(conn: sqlite3.Connection) -> list[str]:
    """The names of the full-text indexes that are missing or do not match their tables.

    FTS5's 'integrity-check' with rank 1 also compares an external-content index with the
    table's text (without it, a row deleted behind the triggers' back goes unnoticed).
    """
    from sqlite_utils import Database

    database = Database(conn)
    failing = []
    for table in FTS_COLUMNS:
        fts = database.table(table).detect_fts()
        try:
            if fts is None:
                raise sqlite3.DatabaseError("no index")
            conn.execute(f"INSERT INTO [{fts}] ([{fts}], rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError:
            failing.append(fts or f"{table}_fts")
    return failing
