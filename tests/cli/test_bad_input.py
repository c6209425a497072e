"""Bad input: one error line on stderr, the documented exit code, and the database untouched."""

from __future__ import annotations

import sqlite3

import pytest

from tests.cli.helpers import assert_one_line_error, dump, insert_tasks, make_world

LONG_TITLE = "x" * 10_000

# (name, command line built from the world, exit code, words the message must contain)
CASES = [
    ("unknown task", lambda w: ["task", "done", "deadbeef"], 3, "deadbeef"),
    ("unknown task among several", lambda w: ["task", "done", w.t, "deadbeef"], 3, "deadbeef"),
    ("unknown quest", lambda w: ["quest", "show", "deadbeef"], 3, "deadbeef"),
    (
        "unknown quest for a task",
        lambda w: ["task", "add", "x", "--quest", "deadbeef"],
        3,
        "deadbeef",
    ),
    ("unknown milestone", lambda w: ["milestone", "done", "deadbeef"], 3, "deadbeef"),
    ("unknown routine", lambda w: ["routine", "pause", "deadbeef"], 3, "deadbeef"),
    ("not an id", lambda w: ["task", "done", "zz-top"], 2, "zz-top"),
    ("impossible date", lambda w: ["task", "add", "x", "--due", "2025-02-30"], 2, "2025-02-30"),
    (
        "unreadable date",
        lambda w: ["task", "add", "x", "--due", "yesterday-ish"],
        2,
        "yesterday-ish",
    ),
    (
        "bad date on edit",
        lambda w: ["task", "edit", w.t, "--due", "yesterday-ish"],
        2,
        "yesterday-ish",
    ),
    (
        "bad quest target",
        lambda w: ["quest", "new", "X", "--target", "2025-02-30"],
        2,
        "2025-02-30",
    ),
    ("bad today date", lambda w: ["today", "--date", "yesterday-ish"], 2, "yesterday-ish"),
    ("bad list date", lambda w: ["task", "list", "--due", "2025-02-30"], 2, "2025-02-30"),
    ("bad priority", lambda w: ["task", "add", "x", "--priority", "urgent"], 2, "urgent"),
    ("bad priority on edit", lambda w: ["task", "edit", w.t, "-p", "urgent"], 2, "urgent"),
    (
        "bad routine priority",
        lambda w: ["routine", "add", "x", "--every", "daily", "-p", "asap"],
        2,
        "asap",
    ),
    ("empty title", lambda w: ["task", "add", ""], 2, "empty"),
    ("blank title", lambda w: ["task", "add", "   "], 2, "empty"),
    ("empty quest title", lambda w: ["quest", "new", "", "--no-plan"], 2, "empty"),
    ("empty milestone title", lambda w: ["milestone", "add", w.q, ""], 2, "empty"),
    ("long title", lambda w: ["task", "add", LONG_TITLE], 2, "10,000"),
    ("long quest title", lambda w: ["quest", "new", LONG_TITLE, "--no-plan"], 2, "10,000"),
    ("long title on edit", lambda w: ["task", "edit", w.t, "--title", LONG_TITLE], 2, "10,000"),
    ("title with a line break", lambda w: ["task", "add", "two\nlines"], 2, "line breaks"),
    ("unknown option", lambda w: ["task", "add", "x", "--bogus"], 2, "--bogus"),
    ("unknown global option", lambda w: ["--bogus", "today"], 2, "--bogus"),
    ("unknown command", lambda w: ["tsak", "list"], 2, "tsak"),
    ("unknown subcommand", lambda w: ["task", "finish", w.t], 2, "finish"),
    ("not a number", lambda w: ["task", "add", "x", "--estimate", "ten"], 2, "ten"),
    ("estimate out of range", lambda w: ["task", "add", "x", "--estimate", "0"], 2, "estimate"),
    ("bad status filter", lambda w: ["task", "list", "--status", "finished"], 2, "finished"),
    ("bad quest status filter", lambda w: ["quest", "list", "--status", "asleep"], 2, "asleep"),
    ("negative limit", lambda w: ["task", "list", "--limit", "-1"], 2, "limit"),
    ("nothing to change", lambda w: ["task", "edit", w.t], 2, "nothing to change"),
    ("milestone position", lambda w: ["milestone", "move", w.m1, "7"], 2, "position"),
    ("milestone days", lambda w: ["milestone", "add", w.q, "X", "--days", "0"], 2, "days"),
    ("target in the past", lambda w: ["quest", "new", "X", "--target", "2020-01-01"], 2, "past"),
    ("weekly without --on", lambda w: ["routine", "add", "x", "--every", "weekly"], 2, "--on"),
    (
        "--on for daily",
        lambda w: ["routine", "add", "x", "--every", "daily", "--on", "mon"],
        2,
        "--on",
    ),
    (
        "bad weekday",
        lambda w: ["routine", "add", "x", "--every", "weekly", "--on", "mon,funday"],
        2,
        "funday",
    ),
    ("bad frequency", lambda w: ["routine", "add", "x", "--every", "hourly"], 2, "hourly"),
    ("bad setting value", lambda w: ["config", "set", "ai.provider", "nonsense"], 2, "nonsense"),
    ("unknown setting", lambda w: ["config", "set", "ai.colour", "red"], 2, "ai.colour"),
    ("bad timezone", lambda w: ["profile", "set", "timezone", "Mars/Olympus"], 2, "Mars/Olympus"),
    ("bad init timezone", lambda w: ["init", "--timezone", "Mars/Olympus"], 2, "Mars/Olympus"),
    ("bad daily time", lambda w: ["profile", "set", "daily_time", "25:00"], 2, "25:00"),
    ("unknown profile field", lambda w: ["profile", "set", "shoe_size", "44"], 2, "shoe_size"),
    ("start a completed task", lambda w: ["task", "start", w.done], 2, "completed"),
]


@pytest.fixture
def world(zik):
    world = make_world(zik)
    world.done = zik("--json", "task", "add", "Done already").data["taskId"][:8]
    zik("task", "done", world.done)
    return world


@pytest.mark.parametrize(("name", "build", "code", "word"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_changes_nothing(zik, conn, zik_home, world, name, build, code, word):
    args = build(world)
    before = dump(conn)
    files_before = sorted(p.name for p in zik_home.iterdir())
    line = assert_one_line_error(zik(*args), code)
    assert line.startswith("zik: "), line
    assert word in line, line
    assert dump(conn) == before
    assert sorted(p.name for p in zik_home.iterdir()) == files_before


def test_config_file_untouched_by_a_rejected_value(zik):
    assert zik("config", "set", "ai.provider", "offline").code == 0
    from zik import config

    before = config.config_path().read_bytes()
    assert_one_line_error(zik("config", "set", "ai.provider", "nonsense"), 2)
    assert config.config_path().read_bytes() == before


def test_ambiguous_prefix_lists_the_candidates(zik, conn):
    insert_tasks(
        conn,
        "abcd1111-0000-4000-8000-000000000001",
        "abcd2222-0000-4000-8000-000000000002",
        "bbbb3333-0000-4000-8000-000000000003",
    )
    before = dump(conn)
    line = assert_one_line_error(zik("task", "done", "abcd"), 2)
    assert "abcd1111" in line and "abcd2222" in line
    assert "bbbb3333" not in line
    assert "Chosen 1" in line and "Chosen 2" in line
    assert dump(conn) == before
    # one more character makes it unique
    assert zik("task", "done", "abcd1").code == 0
    assert (
        conn.execute("SELECT status FROM tasks WHERE task_id LIKE 'abcd1111%'").fetchone()[0]
        == "completed"
    )


def test_ambiguous_prefix_from_tasks_made_by_the_cli(zik, conn):
    """Create tasks until two share their first hex digit, then use that digit."""
    seen: dict[str, str] = {}
    while True:
        task_id = zik("--json", "task", "add", f"Task {len(seen)}").data["taskId"]
        if task_id[0] in seen:
            break
        seen[task_id[0]] = task_id
    before = dump(conn)
    line = assert_one_line_error(zik("task", "rm", task_id[0]), 2)
    assert task_id[:8] in line and seen[task_id[0]][:8] in line
    assert dump(conn) == before


def test_ambiguous_prefix_among_several_ids_changes_nothing(zik, conn):
    """One bad reference in `task done A B` leaves A untouched too (one transaction)."""
    insert_tasks(
        conn, "abcd1111-0000-4000-8000-000000000001", "abcd2222-0000-4000-8000-000000000002"
    )
    other = zik("--json", "task", "add", "Other").data["taskId"]
    before = dump(conn)
    assert_one_line_error(zik("task", "done", other[:8], "abcd"), 2)
    assert dump(conn) == before


def test_unknown_id_after_valid_ones_rolls_back(zik, conn):
    first = zik("--json", "task", "add", "First").data["taskId"]
    before = dump(conn)
    assert_one_line_error(zik("task", "rm", first[:8], "deadbeef"), 3)
    assert dump(conn) == before


# --- as real processes ----------------------------------------------------------------------------


def test_database_that_is_not_sqlite(zik_process, zik_home):
    zik_home.mkdir(parents=True, exist_ok=True)
    db = zik_home / "zik.db"
    db.write_text("these are my notes, not a database\n" * 3)
    before = db.read_bytes()
    for args in (["today"], ["task", "add", "x"], ["quest", "list"]):
        result = zik_process(*args)
        line = assert_one_line_error(result, 1)
        assert "not a SQLite database" in line
    assert db.read_bytes() == before
    assert sorted(p.name for p in zik_home.iterdir()) == ["zik.db"]


def test_database_that_is_not_sqlite_with_json(zik_process, zik_home):
    zik_home.mkdir(parents=True, exist_ok=True)
    (zik_home / "zik.db").write_text("hello")
    result = zik_process("--json", "today")
    assert result.code == 1 and result.out == ""
    assert result.error["code"] == "store"
    assert "Traceback" not in result.err


def test_database_from_a_newer_zik(zik_process, zik_home):
    assert zik_process("today").code == 0  # create and migrate it
    db = zik_home / "zik.db"
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA user_version = 99")
    raw.close()
    before = db.read_bytes()
    for args in (["today"], ["task", "add", "x"]):
        line = assert_one_line_error(zik_process(*args), 1)
        assert "newer" in line and "99" in line
    assert db.read_bytes() == before
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT count(*) FROM tasks").fetchone()[0] == 0
    raw.close()


@pytest.mark.parametrize(
    "args",
    [
        ["task", "done", "deadbeef"],
        ["task", "add", "x", "--due", "yesterday-ish"],
        ["task", "add", "x", "--nope"],
        ["undo"],
    ],
)
def test_errors_in_a_process_have_no_traceback(zik_process, args):
    result = zik_process(*args)
    assert result.code in (1, 2, 3)
    assert_one_line_error(result, result.code)


def test_debug_shows_the_traceback(zik_process):
    result = zik_process("--debug", "task", "done", "deadbeef")
    assert result.code == 3
    assert "Traceback" in result.err
