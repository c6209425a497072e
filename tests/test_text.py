"""The one rule for showing text from outside (zik/text.py), fuzzed."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from zik.core.tasks import TaskList
from zik.models import Task
from zik.text import BLOCK, LINE, dumps, scrub, visible

# Every code point, lone surrogates included (what surrogateescape makes of a stray byte).
ANY_TEXT = st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF))


@given(ANY_TEXT)
def test_nothing_a_terminal_acts_on_survives_and_the_rest_is_untouched(text):
    for block, pattern in ((False, LINE), (True, BLOCK)):
        shown = visible(text, block)
        assert pattern.search(shown) is None
        shown.encode("utf-8")  # printable on a strict UTF-8 terminal
        assert visible(shown, block) == shown
        if pattern.search(text) is None:
            assert shown is text


@given(ANY_TEXT)
def test_json_is_exact_and_always_valid_utf8(text):
    document = dumps({"t": text, "n": [text]})
    assert json.loads(document) == {"t": text, "n": [text]}
    document.encode("utf-8")
    assert BLOCK.search(document) is None


def test_each_kind_has_its_stand_in():
    assert visible("\x1b]0;x\x07\t\n\r\x7f") == "␛]0;x␇␉␤␍␡"
    assert visible("a\tb\nc", block=True) == "a\tb\nc"
    assert visible("\x9b\u202e\u2066\u2028") == "<U+009B><U+202E><U+2066><U+2028>"
    assert visible("caf\udce9") == "caf\\xe9"


@given(st.lists(ANY_TEXT, min_size=1, max_size=3), ANY_TEXT)
def test_scrub_reaches_every_string_and_copies_only_what_changes(names, note):
    tasks = [
        Task(task_id=str(n), task_name=name, due_date="2026-11-25", description=note)
        for n, name in enumerate(names)
    ]
    data = {"page": TaskList(tasks, len(tasks), {}), "title": note, "count": 3}
    clean = scrub(data)
    assert clean["count"] == 3
    for task in clean["page"].tasks:
        assert LINE.search(task.task_name) is None
        assert BLOCK.search(task.description) is None
    assert LINE.search(clean["title"]) is None
    assert [t.task_name for t in data["page"].tasks] == names  # the original is never changed
    if all(LINE.search(t) is None for t in [*names, note]):
        assert clean is data


def test_scrub_stops_at_a_result_that_points_back_at_itself():
    page = TaskList([], 0, {})
    page.quests = {"self": page}
    assert scrub({"page": page}) is not None
