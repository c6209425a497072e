"""`zik chat` end to end on the fake Bedrock server: streaming, tools, memory, confirmation, errors.

Human-mode turns use ConverseStream (scripted with `fake_bedrock.stream`); `--json` turns are not
streamed and use Converse (scripted with `reply_text`/`reply_tool`). The server's request log is
the ground truth for what zik sent.
"""

from __future__ import annotations

import json
import os
import selectors
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.helpers import assert_json_document, assert_json_error, assert_one_line_error
from tests.fakes import eventstream
from tests.fakes.bedrock import (
    delay,
    message_start,
    metadata,
    stop,
    stream_exception,
    text_events,
    tool_events,
)
from zik.core import clock, tasks
from zik.models import ChatMessage
from zik.store import chat as chat_store

TOOL_NAMES = [
    "get_overview",
    "list_tasks",
    "add_task",
    "update_task",
    "complete_tasks",
    "reopen_tasks",
    "delete_tasks",
    "create_quest",
    "update_quest",
    "delete_quest",
    "add_routine",
    "list_routines",
    "update_routine",
    "delete_routine",
    "undo_last_change",
]
SUMMARY_LABEL = "Earlier in your conversation (summary):"
# A realistic rolling summary: ~170 words, within the 200 the summary prompt allows.
SUMMARY = (
    "The person is training for a half marathon on 12 April and runs three times a week, "
    "usually before work. They prefer short, concrete tasks and dislike evening workouts. "
    "They asked to move strength sessions to weekends and agreed to a long run every Sunday. "
    "They are also learning Spanish with twenty minutes of flashcards on weekdays, and want "
    "to finish the first course unit before the end of December. Open questions: whether to "
    "add a second easy run in January, and how to fit the runs around a work trip in "
    "February. They felt discouraged after missing two runs while sick last week, so the "
    "coach agreed to keep this week's plan light and to celebrate small wins. They like a "
    "single emoji at most and short answers, and they want reminders to stretch after each "
    "run, plus a rest day after every long run. Their knee was sore in October; the coach "
    "advised easy pace and flat routes until it feels fine again."
)


# --- helpers --------------------------------------------------------------------------------------


def text_delta(text: str, index: int = 0) -> bytes:
    return eventstream.event(
        "contentBlockDelta", {"contentBlockIndex": index, "delta": {"text": text}}
    )


def script_text(fake, text: str) -> None:
    """A streamed reply with only text (end_turn)."""
    fake.stream([text_events(text), stop(), metadata()])


def script_tools(fake, *calls: tuple[str, object], text: str | None = None) -> list[str]:
    """A streamed reply that calls tools (stop reason tool_use); returns the toolUse ids."""
    items: list = [message_start()]
    if text:
        items += text_events(text, start=False)
    ids = []
    for n, (name, input_) in enumerate(calls, start=1):
        ids.append(f"tooluse_chat_{uuid.uuid4().hex[:10]}")
        items += tool_events(name, input_, index=n, tool_use_id=ids[-1])
    fake.stream([*items, stop("tool_use"), metadata()])
    return ids


def tool_results(recorded) -> list[dict]:
    """The toolResult blocks of the last (user) message of a recorded request."""
    last = recorded.body["messages"][-1]
    assert last["role"] == "user", last
    return [block["toolResult"] for block in last["content"] if "toolResult" in block]


def message_texts(recorded) -> list[str]:
    return [b["text"] for m in recorded.body["messages"] for b in m["content"] if "text" in b]


def rows(home: Path, sql: str, *params) -> list[tuple]:
    """Query the database through a separate connection (what another process would see)."""
    conn = sqlite3.connect(home / "zik.db")
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def count_messages(home: Path) -> int:
    return rows(home, "SELECT count(*) FROM chat_messages")[0][0]


def add_task(zik, title: str) -> dict:
    return zik("--json", "task", "add", title, "--due", "today").data


def all_tasks(zik) -> dict[str, dict]:
    return {t["taskId"]: t for t in zik("--json", "task", "list", "--status", "all").data}


def store_messages(conn, texts: list[str], *, start: timedelta, step=timedelta(minutes=1)) -> None:
    """Save messages straight through the store, alternating user/assistant, one per `step`,
    the first at now - `start`."""
    now = clock.now()
    messages = []
    for n, text in enumerate(texts):
        at = clock.iso(now - start + n * step)
        messages.append(
            ChatMessage(
                message_id=str(uuid.uuid4()),
                timestamp=at,
                role="user" if n % 2 == 0 else "assistant",
                content=text,
                created_at=at,
                updated_at=at,
            )
        )
    chat_store.add(conn, messages)


def long_history(conn, count: int = 2000) -> list[str]:
    """`count` messages of 200 characters, one a minute up to a minute before the frozen now."""
    filler = "I went for an easy run along the river and then did some stretching at home. " * 3
    texts = [f"Message {n:04d}: {filler}"[:200] for n in range(count)]
    store_messages(conn, texts, start=timedelta(minutes=count))
    return texts


def estimated(recorded) -> int:
    """The input size of a request with chat's own estimator: len // 4 + 4 per text, the tool
    specs counted as one JSON text."""
    body = recorded.body
    texts = [b["text"] for b in body["system"] if "text" in b]
    texts += [b["text"] for m in body["messages"] for b in m["content"] if "text" in b]
    specs = [t["toolSpec"] for t in body.get("toolConfig", {}).get("tools", []) if "toolSpec" in t]
    texts.append(json.dumps(specs))
    return sum(len(t) // 4 + 4 for t in texts)


def quarter_length(recorded) -> float:
    """All text of a request (system, messages, tool specs as JSON) in characters / 4."""
    body = recorded.body
    texts = [b["text"] for b in body["system"] if "text" in b]
    texts += [b["text"] for m in body["messages"] for b in m["content"] if "text" in b]
    specs = [t["toolSpec"] for t in body.get("toolConfig", {}).get("tools", []) if "toolSpec" in t]
    return (sum(map(len, texts)) + len(json.dumps(specs))) / 4


# --- streaming ------------------------------------------------------------------------------------


def test_reply_streams_to_stdout_before_the_turn_ends(fake_bedrock, zik_home):
    """The first words reach a pipe while the server is still holding back the rest."""
    pause = 1.0
    fake_bedrock.stream(
        [
            message_start(),
            text_delta("Hello there, "),
            delay(pause),
            text_delta("friend."),
            eventstream.event("contentBlockStop", {"contentBlockIndex": 0}),
            stop(),
            metadata(),
        ]
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "zik", "chat", "hi"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),  # the fake's AWS_* settings, set by the fixture
    )
    chunks: list[tuple[float, bytes]] = []
    deadline = time.monotonic() + 30
    fd = process.stdout.fileno()
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not selector.select(timeout=deadline - time.monotonic()):
                    continue
                data = os.read(fd, 65536)
                if not data:
                    break
                chunks.append((time.monotonic(), data))
            else:
                pytest.fail(f"zik chat did not finish; read so far: {chunks}")
        ended = time.monotonic()
        code = process.wait(timeout=30)
        err = process.stderr.read().decode()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()

    assert code == 0, err
    assert b"".join(c for _, c in chunks) == b"Hello there, friend.\n"
    first_at, first = chunks[0]
    assert first.startswith(b"Hello") and b"friend" not in first, chunks
    # The server cannot have sent "friend." before its request arrived + the scripted pause.
    (request,) = fake_bedrock.requests
    assert request.operation == "ConverseStream"
    assert first_at < request.at + pause, (first_at - request.at, chunks)
    assert ended - first_at > pause / 2, (ended - first_at, chunks)
    later_at = next(t for t, c in chunks if b"friend" in c)
    assert later_at >= request.at + pause


# --- tools ----------------------------------------------------------------------------------------


def test_tool_chain_completes_a_task_then_undo_reopens_it(zik, fake_bedrock, zik_home):
    task = add_task(zik, "Run 3 km")
    short = task["taskId"][:8]
    overview_id = script_tools(fake_bedrock, ("get_overview", {}))[0]
    complete_id = script_tools(fake_bedrock, ("complete_tasks", {"task_ids": [short]}))[0]
    script_text(fake_bedrock, "Done: your run is ticked off.")

    result = zik("chat", "I ran 3 km this morning")

    assert result.code == 0, result
    assert result.out == "Done: your run is ticked off.\n"
    assert "Completed: Run 3 km" in result.err
    assert all_tasks(zik)[task["taskId"]]["status"] == "completed"
    first, second, third = fake_bedrock.requests
    assert {r.operation for r in (first, second, third)} == {"ConverseStream"}
    assert first.body["messages"] == [
        {"role": "user", "content": [{"text": "I ran 3 km this morning"}]}
    ]
    tools = [t["toolSpec"]["name"] for t in first.body["toolConfig"]["tools"] if "toolSpec" in t]
    assert tools == TOOL_NAMES
    # The second request carries the get_overview call and its real toolResult.
    assert [m["role"] for m in second.body["messages"]] == ["user", "assistant", "user"]
    (use,) = [b["toolUse"] for b in second.body["messages"][1]["content"] if "toolUse" in b]
    assert (use["toolUseId"], use["name"]) == (overview_id, "get_overview")
    (overview,) = tool_results(second)
    assert overview["toolUseId"] == overview_id and overview["status"] == "success"
    payload = overview["content"][0]["json"]
    assert [(t["id"], t["name"]) for t in payload["today"]] == [(short, "Run 3 km")]
    # The third carries everything so far plus the complete_tasks result.
    assert second.body["messages"] == third.body["messages"][:3]
    (done,) = tool_results(third)
    assert done["toolUseId"] == complete_id and done["status"] == "success"
    [completed] = done["content"][0]["json"]["completed"]
    assert (completed["id"], completed["status"]) == (short, "completed")
    assert rows(zik_home, "SELECT purpose, outcome FROM ai_calls") == [("chat", "ok")] * 3
    (stored,) = rows(zik_home, "SELECT tool_calls FROM chat_messages WHERE role = 'assistant'")
    assert [c["name"] for c in json.loads(stored[0])] == ["get_overview", "complete_tasks"]

    undone = zik("undo")
    assert undone.code == 0, undone
    assert all_tasks(zik)[task["taskId"]]["status"] == task["status"]


def test_delete_is_refused_without_yes_when_nobody_can_confirm(zik, fake_bedrock):
    task = add_task(zik, "Old chore")
    script_tools(fake_bedrock, ("delete_tasks", {"task_ids": [task["taskId"][:8]]}))
    script_text(fake_bedrock, "I need your OK before deleting it.")

    result = zik("chat", "delete my old chore")

    assert result.code == 0, result
    (refused,) = tool_results(fake_bedrock.requests[1])
    assert refused["status"] == "error"
    assert "confirm" in refused["content"][0]["json"]["message"].lower()
    assert task["taskId"] in all_tasks(zik)
    assert "Deleted" not in result.err


def test_delete_with_yes_deletes(zik, fake_bedrock):
    task = add_task(zik, "Old chore")
    script_tools(fake_bedrock, ("delete_tasks", {"task_ids": [task["taskId"][:8]]}))
    script_text(fake_bedrock, "Deleted.")

    result = zik("chat", "--yes", "delete my old chore")

    assert result.code == 0, result
    (deleted,) = tool_results(fake_bedrock.requests[1])
    assert deleted["status"] == "success", deleted
    assert task["taskId"] not in all_tasks(zik)
    assert "Deleted: Old chore" in result.err


def test_bulk_complete_of_four_tasks_without_yes_is_refused(zik, fake_bedrock):
    tasks = [add_task(zik, f"Chore {n}") for n in range(4)]
    script_tools(fake_bedrock, ("complete_tasks", {"task_ids": [t["taskId"][:8] for t in tasks]}))
    script_text(fake_bedrock, "Please confirm.")

    result = zik("chat", "I did all my chores")

    assert result.code == 0, result
    (refused,) = tool_results(fake_bedrock.requests[1])
    assert refused["status"] == "error"
    assert "confirm" in refused["content"][0]["json"]["message"].lower()
    assert {all_tasks(zik)[t["taskId"]]["status"] for t in tasks} == {tasks[0]["status"]}
    assert tasks[0]["status"] != "completed"


def test_completing_three_tasks_needs_no_confirmation(zik, fake_bedrock):
    tasks = [add_task(zik, f"Chore {n}") for n in range(3)]
    script_tools(fake_bedrock, ("complete_tasks", {"task_ids": [t["taskId"][:8] for t in tasks]}))
    script_text(fake_bedrock, "Nice.")

    result = zik("chat", "I did all my chores")

    assert result.code == 0, result
    (done,) = tool_results(fake_bedrock.requests[1])
    assert done["status"] == "success", done
    assert {all_tasks(zik)[t["taskId"]]["status"] for t in tasks} == {"completed"}


def test_text_of_each_round_is_printed_as_its_own_paragraph(zik, fake_bedrock, zik_home):
    script_tools(fake_bedrock, ("add_task", {"title": "Stretch"}), text="Let me add it.")
    script_text(fake_bedrock, "Done.")

    result = zik("chat", "add a stretch")

    assert result.code == 0, result
    assert result.out == "Let me add it.\n\nDone.\n"
    assert rows(zik_home, "SELECT content FROM chat_messages WHERE role = 'assistant'") == [
        ("Let me add it.\n\nDone.",)
    ]
    # The assistant's text goes back with its tool call in the next request.
    assert fake_bedrock.requests[1].body["messages"][1]["content"][0] == {"text": "Let me add it."}


def test_a_large_tool_result_is_cut_short(zik, fake_bedrock, conn):
    for n in range(80):
        tasks.add(conn, f"Task number {n} with a fairly long name", today=date(2026, 11, 25))
    script_tools(fake_bedrock, ("list_tasks", {"due": "today"}))
    script_text(fake_bedrock, "You have a lot on.")

    assert zik("chat", "what's on?").code == 0

    (result,) = tool_results(fake_bedrock.requests[1])
    assert result["status"] == "success"
    assert len(json.dumps(result["content"])) < 5000  # 80 tasks would be ~12,000 characters


def test_unknown_tool_and_invalid_input_go_back_as_tool_errors(zik, fake_bedrock, zik_home):
    script_tools(fake_bedrock, ("teleport", {"to": "Mars"}), ("complete_tasks", {"task_ids": []}))
    script_tools(fake_bedrock, ("add_task", '{"title": "Stre'))  # input JSON cut off
    script_text(fake_bedrock, "Sorry, something went wrong with my tools.")

    result = zik("chat", "help me")

    assert result.code == 0, result
    assert result.out == "Sorry, something went wrong with my tools.\n"
    unknown, invalid = tool_results(fake_bedrock.requests[1])
    assert unknown["status"] == "error" and invalid["status"] == "error"
    assert "unknown tool 'teleport'" in unknown["content"][0]["json"]["message"]
    assert "task_ids" in invalid["content"][0]["json"]["message"]
    (broken,) = tool_results(fake_bedrock.requests[2])
    assert broken["status"] == "error" and broken["content"][0]["json"]["message"]
    assert all_tasks(zik) == {}
    assert count_messages(zik_home) == 2


def test_chain_limit_stops_after_five_rounds_of_tools(zik, fake_bedrock):
    for _ in range(6):
        fake_bedrock.reply_tool("get_overview", {})

    data = assert_json_document(zik("chat", "--json", "look around"))

    assert data["stoppedAtToolLimit"] is True
    assert [c["name"] for c in data["toolCalls"]] == ["get_overview"] * 5
    assert len(fake_bedrock.requests) == 6 and fake_bedrock.pending == 0
    assert len(fake_bedrock.requests[-1].body["messages"]) == 1 + 2 * 5
    assert len(data["aiCallIds"]) == 6


def test_chain_limit_is_said_on_stderr(zik, fake_bedrock):
    for _ in range(6):
        script_tools(fake_bedrock, ("get_overview", {}))

    result = zik("chat", "look around")

    assert result.code == 0, result
    assert "stopped after 5 rounds" in result.err
    assert len(fake_bedrock.requests) == 6


# --- errors ---------------------------------------------------------------------------------------


def test_throttling_mid_stream_stores_nothing_and_the_next_turn_works(zik, fake_bedrock, zik_home):
    fake_bedrock.stream(
        [
            text_events("Let me look at your week", chunk=6),
            stream_exception("throttlingException", "Too many tokens, please wait."),
        ]
    )

    result = zik("chat", "plan my week")

    assert result.code == 75, result
    lines = result.err.splitlines()
    assert len(lines) == 1, result
    assert "throttl" in lines[0].lower() and "Traceback" not in result.err
    assert len(fake_bedrock.requests) == 1  # a stream that broke off is not retried
    assert count_messages(zik_home) == 0
    assert assert_json_document(zik("chat", "history", "--json")) == []
    assert rows(zik_home, "SELECT purpose, outcome FROM ai_calls") == [("chat", "error")]

    script_text(fake_bedrock, "Here is your week.")
    again = zik("chat", "plan my week, please")

    assert again.code == 0, again
    assert again.out == "Here is your week.\n"
    assert fake_bedrock.requests[1].body["messages"] == [
        {"role": "user", "content": [{"text": "plan my week, please"}]}
    ]
    assert rows(zik_home, "SELECT role, content FROM chat_messages ORDER BY rowid") == [
        ("user", "plan my week, please"),
        ("assistant", "Here is your week."),
    ]


def test_a_turn_that_fails_after_a_change_keeps_the_change_on_record(zik, fake_bedrock, zik_home):
    script_tools(fake_bedrock, ("add_task", {"title": "Stretch"}))
    fake_bedrock.stream(
        [text_events("Added it, and"), stream_exception("throttlingException", "Slow down.")]
    )

    result = zik("chat", "add a stretch")

    assert result.code == 75, result
    (line,) = result.err.splitlines()[-1:]
    assert "throttl" in line.lower() and "Added task" in line and "zik undo" in line
    assert [t["taskName"] for t in all_tasks(zik).values()] == ["Stretch"]
    (user, assistant) = rows(
        zik_home, "SELECT role, content, tool_calls FROM chat_messages ORDER BY rowid"
    )
    assert user[:2] == ("user", "add a stretch")
    assert assistant[0] == "assistant" and assistant[1].endswith("(interrupted)")
    assert [c["name"] for c in json.loads(assistant[2])] == ["add_task"]


def test_bedrock_insisted_on_without_credentials_exits_5_and_stores_nothing(zik, zik_home):
    zik("config", "set", "ai.provider", "bedrock")
    line = assert_one_line_error(zik("chat", "hi"), 5)
    assert "AWS_PROFILE" in line

    error = assert_json_error(zik("chat", "--json", "hi"), 5, "access")
    assert "AWS_PROFILE" in error["message"] + (error["hint"] or "")
    assert count_messages(zik_home) == 0


# --- input and output -----------------------------------------------------------------------------


def test_message_from_stdin(zik_process, fake_bedrock, zik_home):
    script_text(fake_bedrock, "Nothing planned yet.")

    result = zik_process("chat", stdin="what is on today?\n")

    assert result.code == 0, result
    assert result.out == "Nothing planned yet.\n"
    (request,) = fake_bedrock.requests
    assert request.body["messages"] == [
        {"role": "user", "content": [{"text": "what is on today?"}]}
    ]
    assert rows(zik_home, "SELECT role, content FROM chat_messages ORDER BY rowid") == [
        ("user", "what is on today?"),
        ("assistant", "Nothing planned yet."),
    ]


def test_json_output_shape(zik, fake_bedrock, zik_home):
    fake_bedrock.reply_tool("add_task", {"title": "Stretch"}, text="Adding it.")
    fake_bedrock.reply_text("Added a stretch.", usage={"inputTokens": 120, "outputTokens": 7})

    data = assert_json_document(zik("chat", "--json", "add a stretch"))

    assert set(data) == {
        "reply",
        "toolCalls",
        "usage",
        "aiCallIds",
        "stoppedAtToolLimit",
        "cutOff",
        "historyMessages",
        "usedSummary",
    }
    assert data["reply"] == "Adding it.\n\nAdded a stretch."
    (call,) = data["toolCalls"]
    assert set(call) == {"name", "input", "ok", "summary"}
    assert (call["name"], call["input"], call["ok"]) == ("add_task", {"title": "Stretch"}, True)
    assert call["summary"].startswith("Added task") and "Stretch" in call["summary"]
    assert data["usage"] == {
        "inputTokens": 220,
        "outputTokens": 57,
        "cacheReadTokens": 0,
        "cacheWriteTokens": 0,
    }
    ids = [r[0] for r in rows(zik_home, "SELECT id FROM ai_calls ORDER BY rowid")]
    assert data["aiCallIds"] == ids and len(ids) == 2
    assert data["stoppedAtToolLimit"] is False
    assert data["cutOff"] is False
    assert (data["historyMessages"], data["usedSummary"]) == (0, False)
    assert {r.operation for r in fake_bedrock.requests} == {"Converse"}
    assert [t["taskName"] for t in all_tasks(zik).values()] == ["Stretch"]


def test_history_word_followed_by_more_words_is_a_message(zik, fake_bedrock):
    script_text(fake_bedrock, "You ran twice.")

    result = zik("chat", "history", "of", "my", "runs?")

    assert result.code == 0, result
    assert fake_bedrock.requests[0].body["messages"][-1]["content"][0]["text"] == (
        "history of my runs?"
    )


# --- stored conversation --------------------------------------------------------------------------


def test_a_turn_sends_earlier_messages_and_stores_its_own(zik, fake_bedrock, conn, zik_home):
    store_messages(conn, ["I want to run a half marathon", "Great goal!"], start=timedelta(hours=1))
    script_text(fake_bedrock, "Sure.")

    result = zik("chat", "remind me of my goal")

    assert result.code == 0, result
    assert fake_bedrock.requests[0].body["messages"] == [
        {"role": "user", "content": [{"text": "I want to run a half marathon"}]},
        {"role": "assistant", "content": [{"text": "Great goal!"}]},
        {"role": "user", "content": [{"text": "remind me of my goal"}]},
    ]
    assert rows(
        zik_home, "SELECT role, content, ai_call_id IS NOT NULL FROM chat_messages ORDER BY rowid"
    )[-2:] == [("user", "remind me of my goal", 0), ("assistant", "Sure.", 1)]


def test_a_blank_stored_message_is_never_sent_as_a_blank_text_block(zik, fake_bedrock, conn):
    """Issue 19: a whitespace-only message (from an import or the backend) was sent as a blank
    text block, which Bedrock refuses, so every later turn failed."""
    store_messages(conn, ["Plan my week", "   \n "], start=timedelta(hours=1))
    script_text(fake_bedrock, "Sure.")
    result = zik("chat", "and today?")
    assert result.code == 0, result
    sent = fake_bedrock.requests[0].body["messages"]
    assert sent[1] == {"role": "assistant", "content": [{"text": "(no text)"}]}


def test_history_lists_messages_oldest_first(zik, fake_bedrock):
    script_text(fake_bedrock, "First answer.")
    zik("chat", "first question")
    script_text(fake_bedrock, "Second answer.")
    zik("chat", "second question")

    data = assert_json_document(zik("chat", "history", "--json"))
    assert [(m["role"], m["content"]) for m in data] == [
        ("user", "first question"),
        ("assistant", "First answer."),
        ("user", "second question"),
        ("assistant", "Second answer."),
    ]
    limited = assert_json_document(zik("chat", "history", "--limit", "2", "--json"))
    assert [m["content"] for m in limited] == ["second question", "Second answer."]
    human = zik("chat", "history")
    assert human.code == 0 and "first question" in human.out and "Second answer." in human.out


def test_history_shows_the_changes_a_turn_made(zik, fake_bedrock):
    script_tools(fake_bedrock, ("add_task", {"title": "Stretch"}))
    script_text(fake_bedrock, "Added.")
    zik("chat", "add a stretch")

    data = assert_json_document(zik("chat", "history", "--json"))
    assert [c["name"] for c in data[-1]["toolCalls"]] == ["add_task"]
    assert "Added task" in zik("chat", "history").out


def test_search_finds_a_stored_message_by_a_word(zik, conn):
    store_messages(
        conn,
        ["I want to run a marathon next spring", "Let's plan it.", "Also learn Spanish"],
        start=timedelta(hours=1),
    )

    data = assert_json_document(zik("chat", "search", "marathon", "--json"))
    assert [m["content"] for m in data] == ["I want to run a marathon next spring"]
    assert assert_json_document(zik("chat", "search", "cycling", "--json")) == []
    human = zik("chat", "search", "spanish")
    assert human.code == 0 and "Also learn Spanish" in human.out
    # Punctuation and FTS syntax in the words are searched for, not parsed.
    odd = zik("chat", "search", 'marathon" OR (next', "--json")
    assert odd.code == 0, odd


def test_search_without_words_is_a_usage_error(zik):
    assert zik("chat", "search", "?!").code == 2
    assert zik("chat", "search").code == 2


def test_clear_needs_yes_when_nobody_can_confirm(zik, conn, zik_home):
    store_messages(conn, ["I want to run a marathon", "Great!"], start=timedelta(hours=1))

    refused = zik("chat", "clear")
    assert refused.code == 2, refused
    assert count_messages(zik_home) == 2

    data = assert_json_document(zik("chat", "clear", "--yes", "--json"))
    assert data == {"deleted": 2}
    assert count_messages(zik_home) == 0
    assert assert_json_document(zik("chat", "search", "marathon", "--json")) == []


def test_retention_removes_old_messages_after_a_turn(zik, fake_bedrock, conn, zik_home):
    store_messages(conn, ["ancient question", "ancient answer"], start=timedelta(days=100))
    store_messages(conn, ["recent question", "recent answer"], start=timedelta(days=80))
    script_text(fake_bedrock, "Hi again.")

    assert zik("chat", "hello").code == 0

    assert [r[0] for r in rows(zik_home, "SELECT content FROM chat_messages ORDER BY rowid")] == [
        "recent question",
        "recent answer",
        "hello",
        "Hi again.",
    ]


def test_retention_zero_keeps_everything(zik, fake_bedrock, conn, zik_home):
    assert zik("config", "set", "chat.retention_days", "0").code == 0
    store_messages(conn, ["ancient question", "ancient answer"], start=timedelta(days=1000))
    script_text(fake_bedrock, "Hi again.")

    assert zik("chat", "hello").code == 0
    assert count_messages(zik_home) == 4


def test_new_sends_no_earlier_messages(zik, fake_bedrock, conn, zik_home):
    store_messages(conn, ["I want to run a marathon", "Great!"], start=timedelta(hours=1))
    fake_bedrock.reply_text("Fresh start.")

    data = assert_json_document(zik("chat", "--new", "--json", "let's start over"))

    assert fake_bedrock.requests[0].body["messages"] == [
        {"role": "user", "content": [{"text": "let's start over"}]}
    ]
    assert data["historyMessages"] == 0 and data["usedSummary"] is False
    assert count_messages(zik_home) == 4  # earlier messages stay stored and searchable
    assert assert_json_document(zik("chat", "search", "marathon", "--json")) != []


def test_new_alone_starts_afresh_without_a_model_call(zik_process, zik, fake_bedrock, conn):
    store_messages(conn, ["I want to run a marathon", "Great!"], start=timedelta(hours=1))
    result = zik_process("chat", "--new", stdin="")

    assert result.code == 0, result
    assert fake_bedrock.requests == []  # starting afresh needs no model call
    fake_bedrock.reply_text("Hello.")
    assert zik("chat", "--json", "hi").code == 0
    assert message_texts(fake_bedrock.requests[0]) == ["hi"]


def test_the_turn_after_new_remembers_the_new_conversation(zik, fake_bedrock, monkeypatch):
    fake_bedrock.reply_text("Fresh start.")
    assert zik("chat", "--new", "--json", "let's start over").code == 0
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:05:00Z")
    fake_bedrock.reply_text("You wanted to start over.")

    assert zik("chat", "--json", "what did I just say?").code == 0

    assert message_texts(fake_bedrock.requests[1]) == [
        "let's start over",
        "Fresh start.",
        "what did I just say?",
    ]


# --- memory within the budget ---------------------------------------------------------------------


def test_long_history_is_summarised_first_and_the_turn_fits_the_budget(
    zik, fake_bedrock, conn, zik_home
):
    texts = long_history(conn)
    fake_bedrock.reply_text(SUMMARY)
    fake_bedrock.reply_text("Welcome back!")

    data = assert_json_document(zik("chat", "--json", "How am I doing?"))

    summary_request, turn = fake_bedrock.requests
    # The summary call comes first: a plain Converse call without tools.
    assert summary_request.operation == "Converse" and "toolConfig" not in summary_request.body
    assert "toolConfig" in turn.body
    context = turn.body["system"][-1]["text"]
    assert f"{SUMMARY_LABEL} {SUMMARY}" in context
    # The newest messages, oldest first, starting with a user message, then the new one.
    sent = message_texts(turn)
    assert sent[-1] == "How am I doing?" and sent[-2] == texts[-1]
    assert turn.body["messages"][0]["role"] == "user"
    history = sent[:-1]
    assert history == texts[len(texts) - len(history) :]
    assert data["historyMessages"] > 0 and data["usedSummary"] is True
    # Older messages went into the summary; none of those sent did.
    folded = summary_request.body["messages"][0]["content"][0]["text"]
    assert "Messages to fold in" in folded and texts[len(texts) - len(history) - 2] in folded
    assert not [text for text in history if text in folded]
    # Within the budget. By characters / 4 (all text: system, messages, tool specs as JSON):
    # the code estimates len // 4 + 4 per text, never less, so no margin is needed.
    assert quarter_length(turn) <= 6000, quarter_length(turn)
    # By chat's own estimator over what was sent. Margin: the label joining the summary to the
    # context ("\n\nEarlier in your conversation (summary): ", 42 chars, 11 tokens), which the
    # code does not count, plus 1 for rounding the joined text.
    assert estimated(turn) <= 6000 + 12, estimated(turn)
    assert rows(zik_home, "SELECT purpose, outcome FROM ai_calls ORDER BY rowid") == [
        ("chat_summary", "ok"),
        ("chat", "ok"),
    ]
    summary_call = rows(zik_home, "SELECT id FROM ai_calls WHERE purpose = 'chat_summary'")[0][0]
    assert rows(zik_home, "SELECT summary, ai_call_id FROM chat_summary") == [
        (SUMMARY, summary_call)
    ]


def test_no_message_is_lost_between_the_summary_and_the_window(zik, fake_bedrock, conn):
    texts = long_history(conn)
    fake_bedrock.reply_text(SUMMARY)
    fake_bedrock.reply_text("Welcome back!")

    data = assert_json_document(zik("chat", "--json", "How am I doing?"))

    summary_request, turn = fake_bedrock.requests
    history = message_texts(turn)[:-1]
    folded = summary_request.body["messages"][0]["content"][0]["text"]
    assert texts[len(texts) - len(history) - 1] in folded
    assert data["historyMessages"] == len(history)


def test_a_second_turn_right_after_needs_no_new_summary(zik, fake_bedrock, conn):
    long_history(conn)
    fake_bedrock.reply_text(SUMMARY)
    fake_bedrock.reply_text("Welcome back!")
    assert zik("chat", "--json", "How am I doing?").code == 0
    first = message_texts(fake_bedrock.requests[1])
    fake_bedrock.always.reply_text("Fine.")  # whatever the next turn asks for

    data = assert_json_document(zik("chat", "--json", "And today?"))

    (second,) = fake_bedrock.requests[2:]  # no summary call
    assert "toolConfig" in second.body
    # Nothing fell out: the same history plus the first turn's exchange.
    assert message_texts(second) == [*first, "Welcome back!", "And today?"]
    assert f"{SUMMARY_LABEL} {SUMMARY}" in second.body["system"][-1]["text"]
    assert data["usedSummary"] is True
    assert estimated(second) <= 6000 + 12, estimated(second)


# --- provenance -----------------------------------------------------------------------------------


def test_why_explains_a_chat_call(zik, fake_bedrock):
    fake_bedrock.reply_text("Hello!")
    data = assert_json_document(zik("chat", "--json", "hi"))
    (call_id,) = data["aiCallIds"]

    result = zik("why", call_id[:8])

    assert result.code == 0, result
    assert "chat" in result.out
    why = assert_json_document(zik("--json", "why", call_id))
    assert call_id in json.dumps(why)


def test_the_coach_can_list_routines_and_pause_or_resume_one(zik, fake_bedrock):
    """Issue 19: routines were invisible to the chat tools."""
    made = zik("--json", "routine", "add", "Practise guitar", "--every", "daily").data
    short = made["recurrenceRuleId"].removeprefix("rule_")[:8]
    script_tools(fake_bedrock, ("list_routines", {}))
    script_tools(fake_bedrock, ("update_routine", {"routine_id": short, "status": "paused"}))
    script_text(fake_bedrock, "Paused it.")
    result = zik("chat", "pause my guitar practice")
    assert result.code == 0, result
    listed = tool_results(fake_bedrock.requests[1])[0]["content"][0]["json"]["routines"]
    assert [(r["id"], r["title"], r["status"]) for r in listed] == [
        (short, "Practise guitar", "active")
    ]
    assert "Paused routine: Practise guitar" in result.err
    (routine,) = zik("--json", "routine", "list").data
    assert routine["status"] == "paused"
