"""The full-text indexes: which text of which table is searchable, and how each index is kept
in step with its table.

Laid out as sqlite-utils' `enable_fts` makes them ([table]_fts, content=[table], rowid-linked,
the same trigger names) so its `Table.search()`, `detect_fts()` and `rebuild_fts()` work on them.
Migration m006 created them from these definitions: change them only together with a new
migration. Kept apart from migrations.py so that reading them never imports sqlite-utils.
"""

from __future__ import annotations

FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "quests": ("goal_name", "description", "category"),
    "milestones": ("title", "description"),
    "tasks": ("task_name", "description", "tags"),
    "chat_messages": ("content",),
}


def fts_statements(table: str, columns: tuple[str, ...]) -> list[str]:
    """The FTS5 table, the triggers that keep it in step with `table`, and its first fill.

    Written out rather than made by `enable_fts`, which runs `executescript` and would commit a
    migration's transaction half-way. The update trigger fires only when indexed text really
    changes (zik's updates set every column), so completing a task never touches the index.
    """
    fts = f"{table}_fts"
    names = ", ".join(f"[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    changed = " OR ".join(f"old.[{c}] IS NOT new.[{c}]" for c in columns)
    delete = f"INSERT INTO [{fts}] ([{fts}], rowid, {names}) VALUES ('delete', old.rowid, {old});"
    insert = f"INSERT INTO [{fts}] (rowid, {names}) VALUES (new.rowid, {new});"
    return [
        f"CREATE VIRTUAL TABLE [{fts}] USING FTS5 ({names}, tokenize='porter', content=[{table}])",
        f"CREATE TRIGGER [{table}_ai] AFTER INSERT ON [{table}] BEGIN {insert} END",
        f"CREATE TRIGGER [{table}_ad] AFTER DELETE ON [{table}] BEGIN {delete} END",
        f"CREATE TRIGGER [{table}_au] AFTER UPDATE OF {', '.join(columns)} ON [{table}]"
        f" WHEN {changed} BEGIN {delete} {insert} END",
        f"INSERT INTO [{fts}] ([{fts}]) VALUES ('rebuild')",
    ]
