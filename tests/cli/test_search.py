"""`zik search` through the command line."""

from __future__ import annotations

import uuid

import pytest

from tests.cli.helpers import assert_json_document, assert_one_line_error
from zik.models import ChatMessage
from zik.store import chat as chat_store

BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


@pytest.fixture
def plan(zik, conn):
    """A quest, a milestone, tasks matched in title or description, and a chat message."""
    goal_id = zik(
        "--json", "quest", "new", "Run a half marathon", "-d", "By May", "--no-plan"
    ).data["goalId"]
    zik("milestone", "add", goal_id[:8], "Base mileage")
    ids = {
        "shoes": zik(
            "--json", "task", "add", "Buy shoes", "-d", "for the marathon", "-q", goal_id[:8]
        ).data["taskId"],
        "pace": zik("--json", "task", "add", "Marathon pace run", "--due", "2026-11-27").data[
            "taskId"
        ],
    }
    for n in range(8):  # unrelated rows, so that "marathon" is a rare word
        zik("task", "add", f"Water the garden {n}")
    stamp = "2026-11-25T09:30:00.000Z"
    chat_store.add(
        conn,
        [
            ChatMessage(
                message_id=str(uuid.uuid4()),
                timestamp=stamp,
                role="user",
                content="Is a marathon in May realistic?",
                created_at=stamp,
                updated_at=stamp,
            )
        ],
    )
    return {"quest": goal_id, **ids}


def test_one_line_per_hit_with_the_snippet_when_the_title_did_not_match(zik, plan):
    result = zik("search", "marathon")

    assert result.code == 0 and result.err == "", result
    lines = result.out.splitlines()
    assert lines[0].split() == [
        "quest",
        plan["quest"][:8],
        "Run",
        "a",
        "half",
        "marathon",
        "active",
    ]
    assert lines[1].split()[:5] == ["task", plan["pace"][:8], "Marathon", "pace", "run"]
    assert "due 2026-11-27 · pending" in lines[1]
    shoes = lines.index(next(line for line in lines if "Buy shoes" in line))
    assert lines[shoes].split()[:2] == ["task", plan["shoes"][:8]]
    assert "Run a half marathon · due 2026-11-25 · pending" in lines[shoes]
    assert lines[shoes + 1].strip() == "for the marathon"  # the snippet, indented
    assert lines[shoes + 1].startswith(" " * 21)
    [chat] = [line for line in lines if line.startswith("chat")]
    assert "you, 2026-11-25 09:30" in chat
    assert "Is a marathon in May realistic?" in lines[lines.index(chat) + 1]
    assert len(lines) == 6  # three title matches on one line each, two hits with snippets


def test_matched_words_are_bold_and_context_dim(zik, plan, monkeypatch):
    monkeypatch.setenv("ZIK_COLOR", "always")

    out = zik("search", "marat", "--kind", "task").out

    assert f"{BOLD}Marathon{RESET} pace run" in out
    assert f"{DIM}due 2026-11-27 · pending{RESET}" in out
    assert f"{DIM}for the {RESET}{BOLD}marathon{RESET}" in out


def test_no_color_plain_text(zik, plan, monkeypatch):
    monkeypatch.setenv("ZIK_COLOR", "always")
    monkeypatch.setenv("NO_COLOR", "1")

    assert "\x1b[" not in zik("search", "marathon").out


def test_json_lists_the_hits(zik, plan):
    hits = assert_json_document(zik("search", "marathon", "--json"))

    assert [(h["kind"], h["title"]) for h in hits[:2]] == [
        ("quest", "Run a half marathon"),
        ("task", "Marathon pace run"),
    ]
    assert {h["kind"] for h in hits} == {"quest", "task", "chat"}
    shoes = next(h for h in hits if h["id"] == plan["shoes"])
    assert shoes["shortId"] == plan["shoes"][:8]
    assert shoes["questId"] == plan["quest"] and shoes["questName"] == "Run a half marathon"
    assert shoes["snippet"] == "for the marathon" and shoes["snippetMatches"] == [[8, 16]]
    assert shoes["matchedIn"] == ["description"] and shoes["titleMatches"] == []
    assert (shoes["dueDate"], shoes["status"]) == ("2026-11-25", "pending")
    assert hits[0]["score"] == 1.0 and all(0 < h["score"] <= 1 for h in hits)
    assert all(h["bm25"] < 0 for h in hits)
    assert set(hits[0]) == {
        "kind",
        "id",
        "shortId",
        "title",
        "titleMatches",
        "snippet",
        "snippetMatches",
        "matchedIn",
        "status",
        "questId",
        "questName",
        "dueDate",
        "targetDate",
        "timestamp",
        "score",
        "bm25",
    }


def test_global_json_flag_works_too(zik, plan):
    hits = assert_json_document(zik("--json", "search", "mileage"))

    assert [(h["kind"], h["title"], h["questName"]) for h in hits] == [
        ("milestone", "Base mileage", "Run a half marathon")
    ]


def test_kind_and_limit_reach_the_search(zik, plan):
    kinds = {h["kind"] for h in zik("search", "marathon", "--kind", "chat", "--json").data}
    assert kinds == {"chat"}

    result = zik("search", "marathon", "-n", "2")
    assert len([line for line in result.out.splitlines() if not line.startswith(" ")]) == 2
    assert "Showing the best 2 (--limit for more)." in result.err
    assert len(zik("search", "marathon", "--limit", "1", "--json").data) == 1


def test_several_words_join_into_one_text(zik, plan):
    hits = zik("search", "half", "marat", "--json").data

    assert [h["title"] for h in hits] == ["Run a half marathon"]


def test_no_matches_is_not_an_error(zik, plan):
    result = zik("search", "tennis")
    assert (result.code, result.out) == (0, "")
    assert result.err == "No matches for 'tennis'.\n"

    assert (
        zik("search", "tennis", "--kind", "quest").err == "No matches for 'tennis' among quests.\n"
    )
    assert assert_json_document(zik("search", "tennis", "--json")) == []


@pytest.mark.parametrize("text", ['"', "-", "AND", "run*", "NOT", "(x", "a:b", "^"])
def test_special_characters_do_not_error(zik, plan, text):
    result = zik("search", "--", text)

    assert result.code in (0, 2), result
    assert "Traceback" not in result.err and "fts5" not in result.err


def test_words_that_are_fts_syntax_are_searched_for(zik):
    zik("task", "add", "Fish AND chips")

    hits = zik("search", "--json", "--", "AND", "-chips").data

    assert [h["title"] for h in hits] == ["Fish AND chips"]


@pytest.mark.parametrize("args", [("",), ("  ",), ("--", "-"), ("*", '"')])
def test_text_without_words_is_a_usage_error(zik, args):
    line = assert_one_line_error(zik("search", *args), 2)

    assert "nothing to search for" in line


def test_missing_text_and_bad_options_are_usage_errors(zik):
    assert zik("search").code == 2
    assert_one_line_error(zik("search", "run", "--kind", "routine"), 2)
    assert zik("search", "run", "--limit", "0").code == 2


def test_an_edited_task_is_found_under_its_new_name(zik):
    task_id = zik("--json", "task", "add", "Call the plumber").data["taskId"]
    zik("task", "edit", task_id[:8], "--title", "Email the electrician")

    assert zik("search", "plumber", "--json").data == []
    assert [h["id"] for h in zik("search", "electric", "--json").data] == [task_id]


def test_removed_records_are_not_found(zik, plan):
    zik("task", "rm", plan["pace"][:8])
    zik("quest", "rm", plan["quest"][:8])

    hits = zik("search", "marathon", "--json").data

    assert [h["kind"] for h in hits] == ["chat"]


def test_a_long_title_is_cut_around_its_first_match():
    import io as stdio

    from zik.cli.io import IO
    from zik.cli.search import _emphasise

    out = IO(out=stdio.StringIO(), err=stdio.StringIO())
    title = "Log today's progress on the long road to the half marathon"
    start = title.index("half")

    shown = _emphasise(out, title, [(start, start + 4)], 30, "")

    assert shown.startswith("…") and shown.endswith("the half marathon")
    assert len(shown) <= 30
    assert _emphasise(out, title, [(0, 3)], 30, "") == title[:29] + "…"
