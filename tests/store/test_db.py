"""Opening the database safely, short write transactions, and processes racing on one file."""

import multiprocessing
import os
import sqlite3
import stat
from collections import Counter
from contextlib import contextmanager

import pytest

from zik.core import tasks
from zik.errors import StoreError, TemporaryError
from zik.store import db, schema
from zik.store import quests as quest_store
from zik.store.db import atomic

RACE_ENV = ("ZIK_HOME", "ZIK_NOW", "TZ")
ROUNDS = 6  # races per test: each round is one roadmap both processes hit at once


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


# --- opening -----------------------------------------------------------------------------------


def test_the_database_file_is_private(conn, zik_home):
    path = zik_home / "zik.db"
    assert mode(path) == 0o600
    assert mode(zik_home) == 0o700
    wal = zik_home / "zik.db-wal"
    if wal.exists():
        assert mode(wal) == 0o600


def test_every_connection_gets_the_pragmas(conn):
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.isolation_level is None  # autocommit: atomic() opens the transactions
    again = db.connect()
    assert again.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert again.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert again.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "zik.db"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    raw.close()

    with pytest.raises(StoreError, match="newer") as caught:
        db.connect(path)
    assert caught.value.exit_code == 1
    assert "upgrade" in caught.value.hint

    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST + 1
    raw.close()


@pytest.mark.parametrize(
    "content",
    [
        b"title,done\nStretch,no\n" * 50,
        b"hi",
        b"SQLite format 3\x00" + b"\xff" * 200,  # the right header over garbage
    ],
)
def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path, content):
    path = tmp_path / "zik.db"
    path.write_bytes(content)

    with pytest.raises(StoreError):
        db.connect(path)

    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zik.db"]


def test_an_empty_file_becomes_a_database(tmp_path):
    path = tmp_path / "zik.db"
    path.touch()
    conn = db.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST


def test_the_folder_is_created(tmp_path):
    path = tmp_path / "deep" / "er" / "zik.db"
    db.connect(path).close()
    assert path.is_file()


# --- transactions ------------------------------------------------------------------------------


def quest_count(conn):
    return conn.execute("SELECT count(*) FROM quests").fetchone()[0]


def add_quest(conn, goal_id):
    conn.execute(
        "INSERT INTO quests (goal_id, goal_name, created_at, updated_at) VALUES (?, 'x', '', '')",
        (goal_id,),
    )


def test_atomic_commits(conn):
    with atomic(conn):
        add_quest(conn, "a")
        assert conn.in_transaction
    assert not conn.in_transaction
    assert quest_count(db.connect()) == 1  # visible to another connection


def test_atomic_rolls_back_on_error(conn):
    with pytest.raises(ValueError), atomic(conn):
        add_quest(conn, "a")
        raise ValueError("boom")
    assert not conn.in_transaction
    assert quest_count(conn) == 0


def test_a_nested_atomic_rolls_back_only_its_part(conn):
    with atomic(conn):
        add_quest(conn, "outer")
        with pytest.raises(ValueError), atomic(conn):
            add_quest(conn, "inner")
            raise ValueError("boom")
        assert conn.in_transaction
    assert [r[0] for r in conn.execute("SELECT goal_id FROM quests")] == ["outer"]


def test_an_error_in_a_nested_atomic_rolls_back_everything_when_it_escapes(conn):
    with pytest.raises(ValueError), atomic(conn):
        add_quest(conn, "outer")
        with atomic(conn):
            add_quest(conn, "inner")
            raise ValueError("boom")
    assert quest_count(conn) == 0


def test_a_busy_database_is_a_temporary_error(conn, zik_home):
    impatient = sqlite3.connect(zik_home / "zik.db", isolation_level=None, timeout=0)
    impatient.execute("PRAGMA busy_timeout = 0")
    with atomic(conn):
        add_quest(conn, "a")
        with pytest.raises(TemporaryError) as caught, atomic(impatient):
            add_quest(impatient, "b")
        assert caught.value.exit_code == 75
    assert not impatient.in_transaction
    assert [r[0] for r in conn.execute("SELECT goal_id FROM quests")] == ["a"]


# --- processes racing --------------------------------------------------------------------------


def _racer(env, rounds, barrier):
    """One side of a race: for each round, wait for the other process, then complete tasks.

    Runs in a spawned process; any error makes its exit code non-zero.
    """
    os.environ.update(env)
    from zik.core import tasks as task_core
    from zik.store.db import connect

    with _abort_on_error(barrier):
        conn = connect()
        for refs in rounds:
            barrier.wait(timeout=60)
            task_core.complete(conn, refs)
        conn.close()


def _opener(env, paths, barrier):
    """Open (and so create and migrate) each database at the same moment as another process."""
    os.environ.update(env)
    from zik.store.db import connect

    with _abort_on_error(barrier):
        for path in paths:
            barrier.wait(timeout=60)
            connect(path).close()


@contextmanager
def _abort_on_error(barrier):
    """Break the barrier when this side fails, so the other side stops at once instead of
    waiting out the timeout."""
    try:
        yield
    except BaseException:
        barrier.abort()
        raise


def run_in_two_processes(target, args_a, args_b):
    """Start two spawned processes that meet at a barrier before acting; both must succeed."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    env = {name: os.environ[name] for name in RACE_ENV}
    processes = [
        ctx.Process(target=target, args=(env, *args, barrier)) for args in (args_a, args_b)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=120)
    for p in processes:
        if p.is_alive():
            p.kill()
    assert [p.exitcode for p in processes] == [0, 0]


def events_since(conn, mark):
    """{goal_id: Counter(event type)} of the milestone and quest events written after `mark`."""
    rows = conn.execute(
        "SELECT coalesce(m.goal_id, e.entity_id), e.type FROM events e"
        " LEFT JOIN milestones m ON m.milestone_id = e.entity_id"
        " WHERE e.id > ? AND e.entity IN ('milestone', 'quest')",
        (mark,),
    )
    out = {}
    for goal_id, event_type in rows:
        out.setdefault(goal_id, Counter())[event_type] += 1
    return out


def last_event_id(conn):
    return conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]


def assert_advanced_once(conn, plans, mark):
    moves = events_since(conn, mark)
    for plan in plans:
        goal = plan.quest.goal_id
        assert moves[goal] == Counter({"milestone.completed": 1, "milestone.activated": 1})
        assert [m.status for m in quest_store.milestones_of(conn, goal)] == [
            "completed",
            "active",
        ]
        total = conn.execute(
            "SELECT count(*) FROM events e JOIN milestones m ON m.milestone_id = e.entity_id"
            " WHERE m.goal_id = ? AND e.type = 'milestone.completed'",
            (goal,),
        ).fetchone()[0]
        assert total == 1


def test_two_processes_completing_the_same_last_task_advance_once(conn, roadmap):
    plans = [roadmap("Base", "Build", name=f"Quest {n}") for n in range(ROUNDS)]
    rounds = [[plan.tasks[0][0].task_id] for plan in plans]
    mark = last_event_id(conn)

    run_in_two_processes(_racer, (rounds,), (rounds,))

    assert_advanced_once(conn, plans, mark)
    completions = conn.execute(
        "SELECT count(*) FROM events WHERE id > ? AND type = 'task.completed'", (mark,)
    ).fetchone()[0]
    assert completions == ROUNDS  # the loser of each race found the task done already


def test_two_processes_completing_the_two_last_tasks_advance_once(conn, roadmap):
    plans = [roadmap("Base", "Build", tasks_each=2, name=f"Quest {n}") for n in range(ROUNDS)]
    mark = last_event_id(conn)

    run_in_two_processes(
        _racer,
        ([[plan.tasks[0][0].task_id] for plan in plans],),
        ([[plan.tasks[0][1].task_id] for plan in plans],),
    )

    assert_advanced_once(conn, plans, mark)
    for plan in plans:
        assert all(tasks.find(conn, t.task_id).status == "completed" for t in plan.tasks[0])


def test_the_last_milestone_completes_the_quest_once(conn, roadmap):
    plans = [roadmap("Only", tasks_each=2, name=f"Quest {n}") for n in range(ROUNDS)]
    mark = last_event_id(conn)

    run_in_two_processes(
        _racer,
        ([[plan.tasks[0][0].task_id] for plan in plans],),
        ([[plan.tasks[0][1].task_id] for plan in plans],),
    )

    moves = events_since(conn, mark)
    for plan in plans:
        assert moves[plan.quest.goal_id] == Counter(
            {"milestone.completed": 1, "quest.completed": 1}
        )


def test_two_processes_creating_the_database_migrate_it_once(tmp_path):
    paths = [tmp_path / f"home{n}" / "zik.db" for n in range(ROUNDS)]

    run_in_two_processes(_opener, (paths,), (paths,))

    for path in paths:
        conn = db.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST
        assert (
            conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == schema.LATEST
        )
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()
