"""Text from outside never reaches a terminal raw (issue 18): every human view and both
readable exports show ESC, OSC 0/8/52, C1 CSI, DEL, bidi overrides and line breaks as visible
stand-ins, whatever the text's source; `--json` keeps it exact."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import make_world
from zik.core import workspace
from zik.models import ChatMessage
from zik.store import chat as chat_store
from zik.store.db import atomic

# One of each: window title (OSC 0), a forged link (OSC 8), the clipboard (OSC 52), a C1 CSI,
# DEL, a right-to-left override; a name adds a line break where it must stay on one line, a block
# of text (a description, a chat message) one it keeps.
HOSTILE = (
    "Evil \x1b]0;pwned\x07 \x9b31m \x7f \u202eright-to-left"
    " \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ \x1b]52;c;ZWNobyBQV05FRA==\x07"
)
NAME = f"{HOSTILE}\nname tail"
BLOCK = f"{HOSTILE}\nsecond line"
RAW = ("\x1b", "\x07", "\x9b", "\x9d", "\x7f", "\u202e")


@pytest.fixture
def hostile(zik):
    """A world whose quest, milestone, task, routine, descriptions and chat all carry HOSTILE,
    written straight to the store as a sync, an import or the AI could have written them."""
    world = make_world(zik)
    conn = workspace.db()
    with atomic(conn):
        conn.execute("UPDATE quests SET goal_name = ?, description = ?", (f"Q {NAME}", BLOCK))
        conn.execute("UPDATE milestones SET title = ?, description = ?", (f"M {NAME}", BLOCK))
        conn.execute("UPDATE tasks SET task_name = ?, description = ?", (f"T {NAME}", BLOCK))
        conn.execute("UPDATE routines SET title = ?", (f"R {NAME}",))
        chat_store.add(
            conn,
            [
                ChatMessage(
                    message_id="c1",
                    timestamp="2026-11-25T09:00:00.000Z",
                    role="user",
                    content=f"C {BLOCK}",
                    created_at="2026-11-25T09:00:00.000Z",
                    updated_at="2026-11-25T09:00:00.000Z",
                ),
                ChatMessage(
                    message_id="c2",
                    timestamp="2026-11-25T09:00:01.000Z",
                    role="assistant",
                    content=f"A {BLOCK}",
                    tool_calls=[{"name": "add_task", "summary": f"Added {NAME}"}],
                    created_at="2026-11-25T09:00:01.000Z",
                    updated_at="2026-11-25T09:00:01.000Z",
                ),
            ],
        )
    return world


VIEWS = [
    ("today",),
    ("task", "list"),
    ("task", "list", "--status", "all"),
    ("quest", "list"),
    ("quest", "show", "{q}"),
    ("routine", "list"),
    ("search", "Evil"),
    ("chat", "history"),
    ("chat", "search", "Evil"),
    ("chat", "what should I do today?"),
    ("why", "{t}"),
    ("stats",),
    ("daily",),
    ("export", "--format", "md"),
    ("export", "--format", "ics"),
    ("task", "start", "{t}"),
    ("task", "edit", "{t}", "--priority", "high"),
    ("task", "done", "{t}"),
    ("task", "rm", "{t}"),
    ("milestone", "done", "{m1}"),
    ("quest", "pause", "{q}"),
    ("quest", "rm", "{q}"),
]


@pytest.mark.parametrize("view", VIEWS, ids=" ".join)
def test_no_view_lets_a_control_character_reach_the_terminal(zik, hostile, view):
    args = [a.format(q=hostile.q, t=hostile.t, m1=hostile.m1) for a in view]
    result = zik(*args)
    assert result.code == 0, result
    shown = result.out + result.err
    for char in RAW:
        assert char not in shown, (char, shown)
    if view != ("chat", "what should I do today?"):  # a reply is a block: it breaks its lines
        assert "name tail" not in [line.strip()[:9] for line in shown.splitlines()]


SHOWING = [
    ("today",),
    ("task", "list"),
    ("quest", "list"),
    ("quest", "show", "{q}"),
    ("search", "Evil"),
    ("chat", "history"),
    ("export", "--format", "md"),
    ("export", "--format", "ics"),
]


@pytest.mark.parametrize("view", SHOWING, ids=" ".join)
def test_what_was_there_is_shown_not_dropped(zik, hostile, view):
    """The stand-ins are there (␛ for ESC, <U+202E> for the override): nothing vanished."""
    shown = zik(*[a.format(q=hostile.q) for a in view]).out.replace("\r\n ", "")
    assert "␛]0;pwned␇" in shown.replace("\\]", "]").replace("\\;", ";")
    assert "<U+202E>right-to-left" in shown.replace("&lt;", "<").replace("&gt;", ">")


def test_json_keeps_the_text_exact_and_escaped(zik, hostile):
    result = zik("--json", "task", "list")
    (task,) = result.data
    assert task["taskName"] == f"T {NAME}"
    for char in RAW:
        assert char not in result.out  # written as \u escapes: the same value, safe to print
    exported = zik("export", "--format", "json")
    for char in RAW:
        assert char not in exported.out
    assert json.loads(exported.out)["tasks"][0]["taskName"] == f"T {NAME}"


def test_a_typed_title_with_a_c1_control_del_or_bidi_override_is_refused(zik):
    for title in ("a\x9b31m", "a\x7fb", "a\u202eb", "a\nb"):
        result = zik("task", "add", title)
        assert result.code == 2, result
        assert "control characters" in result.err
    assert zik("task", "add", "ok", "--description", "a\x1b]52;c;x\x07").code == 2
    assert zik("task", "add", "ok", "--description", "two\nlines\tand a tab").code == 0


def test_an_argument_that_is_not_utf8_is_refused_and_changes_nothing(zik, zik_home):
    """`zik task add "Buy milk" --tag "$(printf 'caf\\xe9')"` used to be stored, then break every
    export; Python hands such bytes over as lone surrogates."""
    zik("task", "add", "Buy milk")
    before = (zik_home / "zik.db").read_bytes()
    for args in (
        ("task", "add", "Buy milk", "--tag", "caf\udce9"),
        ("task", "add", "caf\udce9"),
        ("init", "--focus", "caf\udce9"),
    ):
        result = zik(*args)
        assert result.code == 2, result
        assert result.err == "zik: the argument 'caf\\xe9' is not valid UTF-8 text (zik stores" + (
            " text as UTF-8; check the terminal's or the script's encoding)\n"
        )
    assert (zik_home / "zik.db").read_bytes() == before


def test_an_undecodable_byte_already_stored_never_breaks_an_export_or_a_view(zik, zik_home):
    """Stored by an older zik (a JSON column keeps it as a \\u escape): shown as \\xe9, exported
    as a \\u escape that reads back exactly."""
    zik("task", "add", "Buy milk")
    conn = workspace.db()
    with atomic(conn):
        conn.execute("UPDATE tasks SET tags = ?", (json.dumps(["caf\udce9"]),))
    out = zik_home / "e.json"
    assert zik("export", "-o", str(out)).code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["tasks"][0]["tags"] == ["caf\udce9"]
    for view in (("export", "-f", "md"), ("export", "-f", "ics"), ("today",), ("task", "list")):
        shown = zik(*view)
        assert shown.code == 0, shown
        shown.out.encode("utf-8")  # a strict UTF-8 terminal can print it
    assert "#caf\\\\xe9" in zik("export", "-f", "md").out  # \\ is Markdown for one \
