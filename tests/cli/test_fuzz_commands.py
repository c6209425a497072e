"""The whole command surface, fuzzed (issue 18): random command lines built from zik's own
commands and options, filled with hostile values (control characters, bidi overrides, lone
surrogates, huge and negative numbers, impossible dates, ids that are and are not there).

For every one: no traceback without --debug, an exit code from the documented set, and when
the command is refused (exit 1, 2 or 3) the database is byte for byte what it was — or still
absent when there was none."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.helpers import make_world
from zik.cli import io as io_module
from zik.core import workspace

DOCUMENTED = {0, 1, 2, 3, 4, 5, 6, 75, 130}
REFUSED = {1, 2, 3}

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "Run 5 km",
        "x" * 201,
        "x" * 5001,
        "\x1b]52;c;ZWNobw==\x07",
        "a\x9bb",
        "\u202eevil",
        "two\nlines",
        "caf\udce9",
        "\x00",
        "-",
        "--",
        "--json",
        "'; DROP TABLE tasks; --",
        "%s%n",
        "日本語のタスク",
    ]
)
PLAIN = st.sampled_from(["Run 5 km", "Call mum", "Read", "home", "Learn Spanish"])
NUMBER = st.sampled_from(["0", "-5", "1", "30", "1440", "1441", "2147483648", "1e3", "abc", ""])
DAY = st.sampled_from(
    ["today", "tomorrow", "+3d", "-1w", "monday", "2026-02-30", "2026-13-01", "0001-01-01",
     "9999-12-31", "someday", "+99999d", ""]
)  # fmt: skip


def _ids(world) -> st.SearchStrategy[str]:
    known = [world.q, world.t, world.m1, world.m2, world.r] if world else []
    return st.sampled_from([*known, "deadbeef", "zz-top", "", "0", "milestone_", "rule_x"])


def _command(world) -> st.SearchStrategy[list[str]]:
    ref = _ids(world)
    text = st.one_of(PLAIN, PLAIN, HOSTILE, st.text(max_size=30))
    return st.one_of(
        st.tuples(st.just("task"), st.just("add"), text,
                  st.sampled_from(["--due", "--priority", "--tag", "--description", "-e"]),
                  st.one_of(DAY, NUMBER, text)),
        st.tuples(st.just("task"), st.sampled_from(["done", "start", "reopen", "rm"]), ref),
        st.tuples(st.just("task"), st.just("edit"), ref,
                  st.sampled_from(["--title", "--due", "--tag", "--untag", "-p", "-e"]),
                  st.one_of(DAY, NUMBER, text)),
        st.tuples(st.just("task"), st.just("list"),
                  st.sampled_from(["--due", "--status", "--tag", "--quest", "--limit"]),
                  st.one_of(DAY, NUMBER, text, ref)),
        st.tuples(st.just("quest"), st.just("new"), text, st.just("--no-plan"),
                  st.sampled_from(["--target", "--category", "--description"]),
                  st.one_of(DAY, text)),
        st.tuples(st.just("quest"), st.sampled_from(["show", "pause", "resume", "done", "rm"]),
                  ref),
        st.tuples(st.just("quest"), st.just("edit"), ref, st.sampled_from(["--title", "--target"]),
                  st.one_of(DAY, text)),
        st.tuples(st.just("milestone"), st.just("add"), ref, text, st.just("--days"), NUMBER),
        st.tuples(st.just("milestone"), st.sampled_from(["done", "rm"]), ref),
        st.tuples(st.just("milestone"), st.just("move"), ref, NUMBER),
        st.tuples(st.just("routine"), st.just("add"), text, st.just("--every"),
                  st.sampled_from(["daily", "weekly", "weekdays", "hourly", ""])),
        st.tuples(st.just("routine"), st.sampled_from(["pause", "resume", "rm"]), ref),
        st.tuples(st.just("today"), st.just("--date"), DAY),
        st.tuples(st.just("daily"), st.sampled_from(["--dry-run", "--date", "--if-due"]),
                  st.one_of(DAY, st.just("--quiet"))),
        st.tuples(st.just("search"), text),
        st.tuples(st.just("stats"), st.sampled_from(["--weeks", "--quest"]),
                  st.one_of(NUMBER, ref)),
        st.tuples(st.just("usage"), st.sampled_from(["--days", "--by"]),
                  st.one_of(NUMBER, st.just("day"), text)),
        st.tuples(st.just("why"), ref),
        st.tuples(st.just("undo")),
        st.tuples(st.just("profile"), st.just("set"),
                  st.sampled_from(["timezone", "daily_time", "daily_capacity", "name", "x"]),
                  st.one_of(NUMBER, text, st.sampled_from(["Mars/Olympus", "7am", "25:00",
                                                           "Europe/Paris", "07:30"]))),
        st.tuples(st.just("init"), st.sampled_from(["--focus", "--timezone", "--capacity"]),
                  st.one_of(NUMBER, text)),
        st.tuples(st.just("config"), st.sampled_from(["get", "set", "unset"]),
                  st.sampled_from(["color", "hooks.timeout", "ai.provider", "nonsense", ""]),
                  st.one_of(NUMBER, text)),
        st.tuples(st.just("export"), st.just("-f"), st.sampled_from(["md", "ics", "json", "xml"])),
        st.tuples(st.just("chat"), st.sampled_from(["history", "search", "clear"]), text),
        st.tuples(st.sampled_from(["tsk", "quest", "--nope", "help"]), text),
    ).map(list)  # fmt: skip


def _state(home: Path) -> tuple[bytes, ...] | None:
    """The database's bytes (and its write-ahead log's), or None when there is none."""
    db = home / "zik.db"
    if not db.exists():
        return None
    wal = home / "zik.db-wal"
    return db.read_bytes(), wal.read_bytes() if wal.exists() else b""


def _run(capsys, args: list[str]) -> tuple[int, str, str]:
    from zik.cli.main import run

    capsys.readouterr()
    io_module._current = None
    code = run(args)
    workspace.close()  # as a process ends: the next command opens the file afresh
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("with_data", [False, True], ids=["no-database", "a-world"])
@settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_command_line_fails_cleanly_or_changes_nothing(
    tmp_path_factory, capsys, monkeypatch, zik, with_data, data
):
    home = tmp_path_factory.mktemp("fuzz") / "home"
    monkeypatch.setenv("ZIK_HOME", str(home))
    workspace.close()
    world = make_world(zik) if with_data else None
    workspace.close()
    flags = data.draw(st.lists(st.sampled_from(["--json", "--no-color", "--no-hooks"]), max_size=2))
    args = flags + data.draw(_command(world))
    before = _state(home)
    code, out, err = _run(capsys, args)
    shown = out + err
    assert "Traceback" not in shown, (args, shown)
    assert code in DOCUMENTED, (args, code, shown)
    if code in REFUSED:
        assert _state(home) == before, (args, code, shown)
    options = args[: args.index("--")] if "--" in args else args
    if code == 0 and "--json" in options:
        document = json.loads(out)  # one document on stdout, nothing after it
        assert set(document) == {"schema_version", "data"}, (args, out)
    if os.environ.get("FUZZ_SHOW"):  # to read what the fuzz ran: FUZZ_SHOW=1 pytest -s
        sys.__stdout__.write(f"{code} {args!r}\n")
