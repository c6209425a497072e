"""The chat turn in core: context, the token budget and rolling summary, tools, storage."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import pytest

from tests.fakes.bedrock import message_start, metadata, stop, stream_exception, text_events
from tests.fakes.bedrock import tool_events as tool_stream
from zik.core import clock, profile, quests, routines, tasks, undo
from zik.core.coach import chat
from zik.core.coach.tools import BULK, Executor
from zik.errors import TemporaryError, UsageError
from zik.models import ChatMessage, Task, short_id
from zik.store import chat as chat_store
from zik.store import records

TODAY = date(2026, 11, 25)
NOW = "2026-11-25T10:00:00.000Z"
SUMMARY = "They train for a half marathon and prefer morning runs. " * 5  # ~70 tokens
# Longer than any slack left when the window fills (under one 54-token message).
LONG_SUMMARY = "They train for a half marathon, run before work and rest on Mondays. " * 12


def store(conn, texts: list[str], *, start: timedelta, step=timedelta(minutes=1)) -> list[str]:
    """Save messages alternating user/assistant, the first at now - start; returns timestamps."""
    now = clock.now()
    stamps, messages = [], []
    for n, text in enumerate(texts):
        at = clock.iso(now - start + n * step)
        stamps.append(at)
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
    return stamps


def numbered(count: int) -> list[str]:
    """Messages of exactly 200 characters (54 estimated tokens each), numbered."""
    filler = "We talked about the training plan, the long runs and the rest days. " * 4
    return [f"Message {n:04d}: {filler}"[:200] for n in range(count)]


def converse_texts(messages: list[dict]) -> list[str]:
    return [b["text"] for m in messages for b in m["content"] if "text" in b]


def summary_requests(fake) -> list:
    return [r for r in fake.requests if "toolConfig" not in r.body]


@pytest.fixture
def planner(conn, fake_bedrock):
    return chat.planner_for_chat(conn)


def stream_text(fake, text: str) -> None:
    fake.stream([text_events(text, chunk=4), stop(), metadata()])


def stream_tool(fake, name: str, input_: dict) -> None:
    fake.stream([message_start(), tool_stream(name, input_), stop("tool_use"), metadata()])


# --- estimates and context ------------------------------------------------------------------------


def test_tokens_is_a_quarter_of_the_length_plus_four():
    assert chat.tokens("") == 4
    assert chat.tokens("abc") == 4
    assert chat.tokens("a" * 200) == 54


def test_context_has_local_time_quests_and_todays_and_overdue_tasks(conn):
    profile.update(conn, timezone="Pacific/Kiritimati")  # UTC+14: already Thursday the 26th
    quest = quests.create(conn, "Run a half marathon", today=TODAY, target="2027-04-12")
    today = tasks.add(conn, "Easy run", today=date(2026, 11, 26), priority="high")
    late = tasks.add(conn, "Buy shoes", today=TODAY, due="2026-11-24")
    tasks.add(conn, "Next week", today=TODAY, due="2026-12-02")

    text = chat.context(conn)

    assert "Now: Thursday 26 November 2026, 00:00 (Pacific/Kiritimati)." in text
    assert f"- [{short_id(quest.goal_id)}] Run a half marathon, target 2027-04-12:" in text
    assert f"- [{short_id(today.task_id)}] Easy run (pending, high)" in text
    assert "Overdue (1):" in text
    assert f"- [{short_id(late.task_id)}] Buy shoes (due 2026-11-24)" in text
    assert "Next week" not in text


def test_other_scripts_count_about_a_token_a_character():
    """Issue 19: len/4 under-counted Chinese, Japanese or Cyrillic text two to four times."""
    assert chat.tokens("日本語のタスクを追加して") == 12 + 4
    assert chat.tokens("Привет, как дела") == 13 + 3 // 4 + 4  # 13 letters, 3 ASCII
    assert chat.tokens("café au lait") == 12 // 4 + 4


def test_context_has_the_iso_date_paused_quests_and_routines_with_their_ids(conn):
    """Every date tool argument is ISO, and "resume my guitar quest" needs the quest's id."""
    guitar = quests.create(conn, "Learn the guitar", today=TODAY)
    quests.set_status(conn, guitar.goal_id, "paused")
    routine = routines.add(conn, "Stretch", every="weekly", on="mon,thu")
    text = chat.context(conn)
    assert "Today: 2026-11-25 (Wednesday); the tools take dates as YYYY-MM-DD." in text
    assert "Paused quests (update_quest with status active resumes one):" in text
    assert f"- [{short_id(guitar.goal_id)}] Learn the guitar" in text
    assert f"- [{short_id(routine.recurrence_rule_id)}] Stretch (weekly on mon,thu)" in text


def test_one_huge_message_never_fills_the_summary_call(conn, planner, fake_bedrock):
    """Issue 19: one 80,000-character message made the summary call about 20k tokens."""
    store(conn, [*numbered(4), "x" * 80_000], start=timedelta(hours=2))  # the newest to fold
    fake_bedrock.always.reply_text(SUMMARY)
    chat.history(conn, planner, 1500, chat.Turn(), lambda text: None)
    (request,) = summary_requests(fake_bedrock)
    folded = request.body["messages"][0]["content"][0]["text"]
    assert len(folded) < chat.SUMMARY_INPUT_TOKENS * 4 + 4000


def test_context_lists_at_most_twenty_of_todays_tasks(conn):
    for n in range(25):
        tasks.add(conn, f"Chore {n:02d}", today=TODAY)

    text = chat.context(conn)

    assert sum(line.startswith("- [") for line in text.splitlines()) == 20
    assert "… and 5 more (list_tasks shows them)" in text


def test_context_says_when_there_is_nothing(conn):
    text = chat.context(conn)
    assert "Active quests: none yet." in text and "Today's tasks: none." in text
    assert "Overdue" not in text


def test_without_credentials_the_chat_uses_the_offline_coach(conn):
    assert chat.planner_for_chat(conn).provider.name == "offline"


# --- history within the budget --------------------------------------------------------------------


def test_history_that_fits_needs_no_summary_call(conn, planner, fake_bedrock):
    store(conn, numbered(10), start=timedelta(hours=1))
    turn = chat.Turn()

    summary, messages = chat.history(conn, planner, 3000, turn, lambda s: None)

    assert summary is None and fake_bedrock.requests == []
    assert converse_texts(messages) == numbered(10)
    assert (turn.window, turn.used_summary) == (10, False)


def test_history_folds_what_left_the_window_and_fits_the_budget(conn, planner, fake_bedrock):
    texts = numbered(40)  # 54 estimated tokens each: 2,160 in all
    store(conn, texts, start=timedelta(hours=1))
    fake_bedrock.always.reply_text(LONG_SUMMARY)
    said, turn = [], chat.Turn()

    summary, messages = chat.history(conn, planner, 1500, turn, said.append)

    sent = converse_texts(messages)
    assert sent and sent == texts[len(texts) - len(sent) :]  # the newest, oldest first
    assert summary == LONG_SUMMARY.strip()
    assert chat.tokens(summary) + sum(chat.tokens(t) for t in sent) <= 1500
    (request,) = summary_requests(fake_bedrock)
    folded = request.body["messages"][0]["content"][0]["text"]
    assert texts[len(texts) - len(sent) - 1] in folded
    assert not [t for t in sent if t in folded]
    assert said == ["Summarising older messages…"]
    assert (turn.window, turn.used_summary) == (len(sent), True)
    assert chat_store.summary(conn)[0] == summary


def test_an_existing_summary_is_reused_while_nothing_new_falls_out(conn, planner, fake_bedrock):
    stamps = store(conn, numbered(10), start=timedelta(hours=1))
    chat_store.set_summary(conn, "Earlier: they like running.", stamps[5], None, NOW)
    turn = chat.Turn()

    summary, messages = chat.history(conn, planner, 3000, turn, lambda s: None)

    assert summary == "Earlier: they like running."
    assert converse_texts(messages) == numbered(10)[6:]  # only what the summary does not cover
    assert fake_bedrock.requests == []
    assert turn.used_summary is True


def test_history_twice_without_new_messages_summarises_once(conn, planner, fake_bedrock):
    store(conn, numbered(300), start=timedelta(hours=6))
    fake_bedrock.always.reply_text(LONG_SUMMARY)

    first = chat.history(conn, planner, 2000, chat.Turn(), lambda s: None)
    second = chat.history(conn, planner, 2000, chat.Turn(), lambda s: None)

    assert len(summary_requests(fake_bedrock)) == 1
    assert second == first


def test_new_conversation_leaves_earlier_messages_out(conn, planner, fake_bedrock):
    store(conn, numbered(6), start=timedelta(hours=1))
    chat.new_conversation(conn)
    turn = chat.Turn()

    summary, messages = chat.history(conn, planner, 3000, turn, lambda s: None)

    assert (summary, messages) == ("", [])
    assert (turn.window, turn.used_summary) == (0, False)
    assert chat_store.count(conn) == 6


# --- a whole turn ---------------------------------------------------------------------------------


def test_send_streams_the_reply_and_stores_both_messages(conn, planner, fake_bedrock):
    stream_text(fake_bedrock, "Keep going, you are close!")
    pieces = []

    turn = chat.send(conn, "  How am I doing?  ", planner=planner, on_text=pieces.append)

    assert len(pieces) > 1 and "".join(pieces) == turn.text == "Keep going, you are close!"
    user, assistant = chat_store.recent(conn, 10)
    assert (user.role, user.content, user.timestamp) == ("user", "How am I doing?", NOW)
    assert (assistant.role, assistant.content) == ("assistant", "Keep going, you are close!")
    assert assistant.ai_call_id == turn.call_ids[-1]
    assert assistant.usage == turn.usage.to_json()
    assert assistant.source == "ai"


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_a_bad_message_is_refused_before_any_call(conn, planner, fake_bedrock, text):
    with pytest.raises(UsageError):
        chat.send(conn, text, planner=planner)
    assert fake_bedrock.requests == [] and chat_store.count(conn) == 0


def test_a_failed_turn_stores_no_message(conn, planner, fake_bedrock):
    fake_bedrock.stream([text_events("Half a rep"), stream_exception("modelStreamErrorException")])

    with pytest.raises(TemporaryError):
        chat.send(conn, "hi", planner=planner, on_text=lambda t: None)

    assert chat_store.count(conn) == 0


def test_a_failed_summary_call_fails_the_turn_and_stores_nothing(conn, planner, fake_bedrock):
    store(conn, numbered(300), start=timedelta(hours=6))
    fake_bedrock.always.error(429, "ThrottlingException")

    with pytest.raises(TemporaryError):
        chat.send(conn, "hi", planner=planner, on_text=lambda t: None)

    assert chat_store.count(conn) == 300 and chat_store.summary(conn) is None


def test_earlier_tool_work_is_sent_as_the_tool_calls_and_results_it_was(
    conn, planner, fake_bedrock
):
    """Issue 19: it was replayed as assistant text ("[done with tools: …]"), which models
    imitate instead of calling the tools."""
    stream_tool(fake_bedrock, "add_task", {"title": "Stretch"})
    stream_text(fake_bedrock, "Added it.")
    chat.send(conn, "add a stretch", planner=planner, on_text=lambda t: None)
    stream_text(fake_bedrock, "You have one task.")

    chat.send(conn, "what's planned?", planner=planner, on_text=lambda t: None)

    sent = fake_bedrock.requests[-1].body["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user", "assistant", "user"]
    assert sent[0]["content"][0]["text"] == "add a stretch"
    (use,) = [b["toolUse"] for b in sent[1]["content"]]
    assert (use["name"], use["input"]) == ("add_task", {"title": "Stretch"})
    (result,) = [b["toolResult"] for b in sent[2]["content"]]
    assert result["toolUseId"] == use["toolUseId"] and result["status"] == "success"
    assert result["content"][0]["json"]["summary"].startswith("Added task ")
    assert sent[3]["content"] == [{"text": "Added it."}]
    assert "done with tools" not in json.dumps(sent)
    (stored,) = [m for m in chat_store.recent(conn, 10) if m.tool_calls]
    assert [(c["name"], c["ok"]) for c in stored.tool_calls] == [("add_task", True)]


def test_retention_drops_messages_older_than_the_setting(conn, planner, fake_bedrock):
    store(conn, ["old question", "old answer"], start=timedelta(days=91))
    store(conn, ["newer question", "newer answer"], start=timedelta(days=89))
    stream_text(fake_bedrock, "Hi.")

    chat.send(conn, "hello", planner=planner, on_text=lambda t: None)

    assert [m.content for m in chat_store.recent(conn, 10)] == [
        "newer question",
        "newer answer",
        "hello",
        "Hi.",
    ]


# --- store ----------------------------------------------------------------------------------------


def test_search_ranks_matches_and_skips_deleted_messages(conn):
    store(conn, ["marathon plans", "marathon marathon marathon", "swim"], start=timedelta(hours=1))
    assert {m.content for m in chat_store.search(conn, "marathon", 10)} == {
        "marathon plans",
        "marathon marathon marathon",
    }
    conn.execute("UPDATE chat_messages SET deleted_at = ? WHERE content = 'marathon plans'", (NOW,))
    assert [m.content for m in chat_store.search(conn, "marathon", 10)] == [
        "marathon marathon marathon"
    ]
    with pytest.raises(UsageError):
        chat.search(conn, "  ")


def test_clear_deletes_messages_summary_and_index(conn):
    stamps = store(conn, ["marathon plans", "ok"], start=timedelta(hours=1))
    chat_store.set_summary(conn, "They run.", stamps[-1], None, NOW)

    assert chat.clear(conn) == 2

    assert chat_store.count(conn) == 0 and chat_store.summary(conn) is None
    assert chat_store.search(conn, "marathon", 10) == []


# --- tools ----------------------------------------------------------------------------------------


class Asked:
    """A confirm callback that records the questions and answers `answer`."""

    def __init__(self, answer: bool):
        self.answer, self.questions = answer, []

    def __call__(self, question: str) -> bool:
        self.questions.append(question)
        return self.answer


def add(conn, *titles: str) -> list[Task]:
    return [tasks.add(conn, title, today=TODAY) for title in titles]


def test_an_unknown_tool_is_an_error_listing_the_tools(conn):
    run = Executor(conn, Asked(True)).run("teleport", {})
    assert run.ok is False and run.summary is None
    assert "unknown tool 'teleport'" in run.result and "get_overview" in run.result


@pytest.mark.parametrize(
    ("name", "raw", "field"),
    [
        ("complete_tasks", {"task_ids": []}, "task_ids"),
        ("add_task", {"title": "x", "colour": "red"}, "colour"),
        ("add_task", {"title": "x", "priority": "urgent"}, "priority"),
        ("add_routine", {"title": "x", "every": "hourly"}, "every"),
    ],
)
def test_invalid_input_is_an_error_naming_the_field(conn, name, raw, field):
    run = Executor(conn, Asked(True)).run(name, raw)
    assert run.ok is False
    assert run.result.startswith("invalid input:") and field in run.result


@pytest.mark.parametrize("name", ["get_overview", "add_task"])
def test_tool_input_that_was_not_json_is_an_error(conn, name):
    run = Executor(conn, Asked(True)).run(name, None)  # what the stream gives for broken JSON
    assert run.ok is False and "JSON" in run.result
    assert tasks.list_tasks(conn, today=TODAY, due="all", status="all").tasks == []


def test_a_zik_error_in_a_tool_is_an_error_result(conn):
    run = Executor(conn, Asked(True)).run("complete_tasks", {"task_ids": ["deadbeef"]})
    assert run.ok is False and "deadbeef" in run.result


def test_delete_tasks_asks_and_a_no_changes_nothing(conn):
    (task,) = add(conn, "Old chore")
    asked = Asked(False)

    run = Executor(conn, asked).run("delete_tasks", {"task_ids": [short_id(task.task_id)]})

    assert run.ok is False and "confirm" in run.result
    assert len(asked.questions) == 1 and "Old chore" in asked.questions[0]
    assert tasks.find(conn, task.task_id).deleted_at is None


def test_delete_tasks_confirmed_deletes_in_one_undo_step(conn):
    a, b = add(conn, "Chore A", "Chore B")

    run = Executor(conn, Asked(True)).run(
        "delete_tasks", {"task_ids": [short_id(a.task_id), short_id(b.task_id)]}
    )

    assert run.ok is True and run.summary == "Deleted: Chore A, Chore B"
    assert records.get(conn, Task, a.task_id, with_deleted=True).deleted_at is not None
    undo.undo(conn)
    assert tasks.find(conn, a.task_id) and tasks.find(conn, b.task_id)


@pytest.mark.parametrize("name", ["complete_tasks", "reopen_tasks"])
def test_more_than_three_records_need_confirmation(conn, name):
    found = add(conn, *(f"Chore {n}" for n in range(BULK + 1)))
    if name == "reopen_tasks":
        tasks.complete(conn, [t.task_id for t in found])
    before = {t.task_id: tasks.find(conn, t.task_id).status for t in found}
    asked = Asked(False)

    run = Executor(conn, asked).run(name, {"task_ids": [t.task_id for t in found]})

    assert run.ok is False and len(asked.questions) == 1
    assert {t.task_id: tasks.find(conn, t.task_id).status for t in found} == before


def test_three_records_need_no_confirmation(conn):
    found = add(conn, "A", "B", "C")
    asked = Asked(False)

    run = Executor(conn, asked).run("complete_tasks", {"task_ids": [t.task_id for t in found]})

    assert run.ok is True and asked.questions == []
    assert {tasks.find(conn, t.task_id).status for t in found} == {"completed"}
    assert run.result["completed"][0]["status"] == "completed"


def test_deleting_a_quest_or_a_routine_needs_confirmation(conn):
    quest = quests.create(conn, "Learn Spanish", today=TODAY)
    rule = routines.add(conn, "Flashcards", every="daily")
    executor = Executor(conn, Asked(False))

    assert executor.run("delete_quest", {"quest_id": short_id(quest.goal_id)}).ok is False
    assert executor.run("delete_routine", {"routine_id": short_id(rule.recurrence_rule_id)}).ok is (
        False
    )
    assert quests.find(conn, quest.goal_id).deleted_at is None
    assert routines.find(conn, rule.recurrence_rule_id).deleted_at is None


def test_changing_tools_make_one_undo_step_each(conn):
    executor = Executor(conn, Asked(False))
    added = executor.run("add_task", {"title": "Stretch", "due": "tomorrow", "priority": "high"})
    assert added.ok is True
    task_id = added.result["id"]
    assert (added.result["due"], added.result["priority"]) == ("2026-11-26", "high")
    moved = executor.run("update_task", {"task_id": task_id, "due": "2026-11-28"})
    assert moved.ok is True and moved.result["due"] == "2026-11-28"

    undo.undo(conn)
    assert tasks.find(conn, task_id).due_date == "2026-11-26"
    undo.undo(conn)
    assert tasks.list_tasks(conn, today=TODAY, due="all", status="all").tasks == []


def test_overview_and_list_tasks_give_short_ids(conn):
    (task,) = add(conn, "Easy run")
    executor = Executor(conn, Asked(False))

    overview = executor.run("get_overview", {})
    listed = executor.run("list_tasks", {"due": "today"})

    assert overview.ok and overview.summary is None
    assert [t["id"] for t in overview.result["today"]] == [short_id(task.task_id)]
    assert listed.ok and listed.result["total"] == 1
    assert listed.result["tasks"][0]["id"] == short_id(task.task_id)
