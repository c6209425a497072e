"""The full-text indexes' upkeep and the query built from what a person types (zik.store.search)."""

from __future__ import annotations

import uuid

import pytest

from zik.core.changes import change_set
from zik.models import ChatMessage, Task
from zik.store import chat as chat_store
from zik.store import search
from zik.store.fts import FTS_COLUMNS

INDEXES = ["quests_fts", "milestones_fts", "tasks_fts", "chat_messages_fts"]


def add_tasks(conn, *names: str) -> list[Task]:
    with change_set(conn, "test") as cs:
        return [
            cs.insert(Task(task_id=str(uuid.uuid4()), task_name=name, due_date="2026-11-25"))
            for name in names
        ]


def found(conn, word: str, kinds=("task",)) -> list[tuple[str, str]]:
    """(kind, title) of each match, found through the index and read back from the table."""
    query = search.match_expression(conn, word)
    out = []
    for kind in kinds:
        rows = [r["row"] for r in search.best(conn, query, kind, 50)]
        details = search.details(conn, query, kind, rows)
        out += [(kind, details[r]["title"]) for r in rows if r in details]
    return sorted(out)


def test_every_index_is_known_and_weighted():
    assert list(FTS_COLUMNS) == ["quests", "milestones", "tasks", "chat_messages"]
    for kind in search.KINDS:
        table = search._CONTEXT[kind][0]
        assert table in FTS_COLUMNS
        if kind != "chat":  # the first indexed column is the title, and weighs the most
            title = FTS_COLUMNS[table][0]
            assert search.WEIGHTS[title] == max(
                search.WEIGHTS.get(c, 1) for c in FTS_COLUMNS[table]
            )


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("marat", '("marat" OR "marat"*)'),
        ("half  marathon", '("half" OR "half"*) AND ("marathon" OR "marathon"*)'),
        ('"half marathon" run', '("half marathon" OR "half marathon"*) AND ("run" OR "run"*)'),
        ('say "hi', '("say" OR "say"*) AND ("hi" OR "hi"*)'),
        ("- run *", '("run" OR "run"*)'),
        ("AND", '("AND" OR "AND"*)'),
        ("a\x00b", '("a" OR "a"*) AND ("b" OR "b"*)'),
        ("- * :", None),
        ("", None),
    ],
)
def test_match_expression_quotes_every_word(conn, text, expression):
    assert search.match_expression(conn, text) == expression


def test_a_clean_database_passes_the_check(conn):
    add_tasks(conn, "Run", "Swim")
    chat_store.add(
        conn,
        [
            ChatMessage(
                message_id=str(uuid.uuid4()),
                timestamp="2026-11-25T09:00:00.000Z",
                role="user",
                content="hello",
            )
        ],
    )

    assert search.check(conn) == []


def test_check_reports_an_index_out_of_step_with_its_table(conn):
    add_tasks(conn, "Run", "Swim", "Cycle")
    conn.execute("DROP TRIGGER tasks_ad")
    conn.execute("DELETE FROM tasks WHERE task_name = 'Swim'")  # the index still holds it

    assert search.check(conn) == ["tasks_fts"]

    assert search.rebuild(conn) == INDEXES
    assert search.check(conn) == []
    assert found(conn, "swim") == []
    conn.execute("DELETE FROM tasks WHERE task_name = 'Cycle'")  # the trigger is back
    assert search.check(conn) == []
    assert found(conn, "cycle") == []


def test_check_reports_a_missing_index(conn):
    for suffix in ("ai", "ad", "au"):
        conn.execute(f"DROP TRIGGER milestones_{suffix}")
    conn.execute("DROP TABLE milestones_fts")

    assert search.check(conn) == ["milestones_fts"]


def test_rebuild_makes_a_missing_index_again(conn, roadmap):
    roadmap("Base mileage")
    conn.execute("DROP TABLE milestones_fts")  # its triggers stay behind, now failing
    conn.execute("DROP TRIGGER milestones_ai")

    search.rebuild(conn)

    assert search.check(conn) == []
    assert found(conn, "mileage", ("milestone",)) == [("milestone", "Base mileage")]
    roadmap("More mileage", name="Second")  # the triggers work again
    assert len(found(conn, "mileage", ("milestone",))) == 2


def test_results_stay_right_after_vacuum_and_rebuild(conn):
    first, *_ = add_tasks(conn, *(f"Chore {n}" for n in range(5)), "Swim laps", "Run hills")
    conn.execute("DELETE FROM tasks WHERE task_id = ?", (first.task_id,))  # a gap in the rowids

    conn.execute("VACUUM")
    search.rebuild(conn)

    assert found(conn, "swim") == [("task", "Swim laps")]
    assert found(conn, "hills") == [("task", "Run hills")]
    assert search.check(conn) == []


def test_rebuild_follows_renumbered_rowids(conn):
    """What a VACUUM may do to tables without an INTEGER PRIMARY KEY, done here for sure."""
    add_tasks(conn, "Swim laps", "Run hills")
    conn.execute("UPDATE tasks SET rowid = rowid + 100")  # no indexed column: no trigger fires
    assert found(conn, "swim") == []  # the index points at rows that no longer exist
    assert search.check(conn) == ["tasks_fts"]

    search.rebuild(conn)

    assert found(conn, "swim") == [("task", "Swim laps")]
    assert found(conn, "hills") == [("task", "Run hills")]
