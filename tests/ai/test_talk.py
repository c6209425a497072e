"""The offline coach's reading of a chat message: which tools it asks for, with what input.

Pure: a situation (`facts`, as core/coach/situation.py builds it) and messages in, a Reply out.
The end-to-end behaviour through the real CLI is in tests/cli/test_chat_offline.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from zik.ai.offline import talk
from zik.ai.offline import words as w

TODAY = "2026-11-25"  # a Wednesday


def task(tid: str, name: str, *, when="today", due=TODAY, quest=None, status="pending", **more):
    quests = {"q1": "Run a half marathon", "q2": "Learn Spanish", "q3": "Learn guitar"}
    return {
        "id": tid,
        "name": name,
        "due": due,
        "status": status,
        "priority": more.get("priority", "medium"),
        "minutes": more.get("minutes", 20),
        "questId": quest,
        "questName": quests.get(quest),
        "routine": more.get("routine", False),
        "when": when,
    }


def facts(*tasks: dict[str, Any], quests: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "today": TODAY,
        "name": "Sam",
        "quests": quests
        if quests is not None
        else [
            quest("q1", "Run a half marathon"),
            quest("q2", "Learn Spanish"),
            quest("q3", "Learn guitar", status="paused"),
        ],
        "tasks": list(tasks),
    }


def quest(qid: str, name: str, status="active") -> dict[str, Any]:
    return {
        "id": qid,
        "name": name,
        "status": status,
        "target": None,
        "progress": 25,
        "milestone": "Aerobic base",
        "health": "on track",
        "suggestion": None,
    }


DAY = facts(
    task("t1", "Easy run: 30 minutes", quest="q1", priority="high"),
    task("t2", "Stretch calves, hamstrings and hips", quest="q1"),
    task("t3", "Review due Spanish flashcards", quest="q2"),
    task("t4", "Do the next Spanish course lesson", quest="q2", priority="high"),
    task("t5", "Long run: 60 minutes", quest="q1", when="upcoming", due="2026-11-28"),
    task("t6", "Call the plumber"),
)


def say(text: str, situation: dict[str, Any] = DAY, before: list | None = None):
    messages = [*(before or []), {"role": "user", "content": [{"text": text}]}]
    return talk.respond(messages, situation)


def calls(reply) -> list[tuple[str, Any]]:
    assert reply.stop_reason == "tool_use"
    return [(u.name, u.input) for u in reply.tool_uses]


# --- done ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, ids",
    [
        ("I did my run", ["t1"]),
        ("done with the flashcards", ["t3"]),
        ("Finished the Spanish lesson!", ["t4"]),
        ("the stretching is done", ["t2"]),
        ("I've called the plumber", None),  # no done word at the start: not a done request
        ("mark the plumber as done", ["t6"]),
        ("just finished my workout", ["t1"]),
    ],
)
def test_done_completes_the_task_its_words_name(text, ids):
    reply = say(text)
    if ids is None:
        assert reply.stop_reason == "end_turn"
        return
    assert calls(reply) == [("complete_tasks", {"task_ids": ids})]


def test_done_with_a_quest_name_completes_all_of_its_tasks_of_today():
    assert calls(say("I did my Spanish")) == [("complete_tasks", {"task_ids": ["t3", "t4"]})]


def test_done_without_a_name_on_a_day_of_several_tasks_asks_which():
    reply = say("done!")
    assert reply.stop_reason == "end_turn" and reply.text.startswith(talk.ASK)


def test_an_already_done_task_is_said_so():
    situation = facts(task("t1", "Easy run: 30 minutes", quest="q1", status="completed"))
    reply = say("I did my run", situation)
    assert reply.stop_reason == "end_turn" and "already ticked off" in reply.text


# --- move ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, ids, due",
    [
        ("move my run to tomorrow", ["t1"], "2026-11-26"),
        ("push Spanish to friday", ["t3", "t4"], "2026-11-27"),
        ("postpone the plumber until next week", ["t6"], "2026-11-30"),
        ("reschedule the stretching to Sunday", ["t2"], "2026-11-29"),
        ("move my long run to 2026-12-05", ["t5"], "2026-12-05"),
        ("can't do the plumber today, do it in 3 days", ["t6"], "2026-11-28"),
        ("move my run to wednesday", ["t1"], "2026-12-02"),  # today is Wednesday: next week's
    ],
)
def test_move_sets_the_due_date_the_words_name(text, ids, due):
    assert calls(say(text)) == [("update_task", {"task_id": i, "due": due}) for i in ids]


def test_move_to_a_past_day_is_refused_in_words():
    reply = say("move my run to 2026-11-01")
    assert reply.stop_reason == "end_turn" and "later day" in reply.text


# --- ambiguity ------------------------------------------------------------------------------------

TWO_RUNS = facts(
    task("t1", "Easy run: 30 minutes", quest="q1"),
    task("t7", "Run errands in town"),
)


def test_an_ambiguous_name_asks_which_one_numbered():
    reply = say("move my run to tomorrow", TWO_RUNS)
    assert reply.stop_reason == "end_turn"
    lines = reply.text.splitlines()
    assert lines[0] == talk.ASK
    assert lines[2:4] == ["1. Easy run: 30 minutes (today)", "2. Run errands in town (today)"]


@pytest.mark.parametrize("answer", ["2", "the second one", "errands"])
def test_the_answer_to_which_one_finishes_the_request(answer):
    asked = say("move my run to tomorrow", TWO_RUNS)
    before = [
        {"role": "user", "content": [{"text": "move my run to tomorrow"}]},
        {"role": "assistant", "content": [{"text": asked.text}]},
    ]
    reply = say(answer, TWO_RUNS, before)
    assert calls(reply) == [("update_task", {"task_id": "t7", "due": "2026-11-26"})]


def test_both_as_the_answer_means_every_option():
    asked = say("I did my run", TWO_RUNS)
    before = [
        {"role": "user", "content": [{"text": "I did my run"}]},
        {"role": "assistant", "content": [{"text": asked.text}]},
    ]
    assert calls(say("both", TWO_RUNS, before)) == [("complete_tasks", {"task_ids": ["t1", "t7"]})]


def test_a_new_request_after_a_question_is_read_on_its_own():
    asked = say("move my run to tomorrow", TWO_RUNS)
    before = [
        {"role": "user", "content": [{"text": "move my run to tomorrow"}]},
        {"role": "assistant", "content": [{"text": asked.text}]},
    ]
    reply = say("how am I doing?", TWO_RUNS, before)
    assert reply.stop_reason == "end_turn" and "Run a half marathon: 25% done" in reply.text


# --- add, quests, day off, undo -------------------------------------------------------------------


def test_add_reads_the_title_the_day_and_the_quest():
    reply = say("add a task to buy shoes on friday for the marathon")
    assert calls(reply) == [
        ("add_task", {"title": "Buy shoes", "due": "2026-11-27", "quest_id": "q1"})
    ]


def test_add_keeps_the_title_as_typed_and_defaults_to_today():
    reply = say("Remind me to call Dr. Okafor about the MRI")
    assert calls(reply) == [("add_task", {"title": "Call Dr. Okafor about the MRI", "due": TODAY})]


def test_a_new_goal_creates_a_quest_with_the_title_as_typed():
    reply = say("I want to learn the Cello by June")
    assert calls(reply) == [("create_quest", {"title": "Learn the Cello by June"})]


def test_pause_matches_an_active_quest_and_resume_a_paused_one():
    assert calls(say("pause my Spanish quest")) == [
        ("update_quest", {"quest_id": "q2", "status": "paused"})
    ]
    assert calls(say("resume guitar")) == [("update_quest", {"quest_id": "q3", "status": "active"})]


def test_resume_of_a_quest_that_is_not_paused_says_which_are():
    reply = say("resume Spanish")
    assert reply.stop_reason == "end_turn" and "Learn guitar" in reply.text


def test_sick_moves_todays_tasks_to_tomorrow_but_lets_routines_go():
    situation = facts(
        task("t1", "Easy run: 30 minutes", quest="q1"),
        task("t8", "Floss", routine=True),
        task("t9", "Old thing", when="overdue", due="2026-11-20"),
        task("t3", "Review due Spanish flashcards", quest="q2", status="completed"),
    )
    assert calls(say("I'm sick today", situation)) == [
        ("update_task", {"task_id": "t1", "due": "2026-11-26"})
    ]


def test_undo_asks_for_the_undo_tool():
    assert calls(say("undo that")) == [("undo_last_change", {})]


# --- answers ------------------------------------------------------------------------------------


def test_status_names_each_active_quest_and_the_day():
    reply = say("how am I doing?")
    assert reply.stop_reason == "end_turn" and not reply.tool_uses
    assert "Run a half marathon: 25% done, on track; now: Aerobic base" in reply.text
    assert "Learn guitar" not in reply.text  # paused
    assert "Today: 0 of 5 done, 5 to go." in reply.text


def test_whats_next_is_the_first_high_priority_task():
    assert say("what's next?").text.startswith("Next: Easy run: 30 minutes (about 20 min)")


def test_whats_on_a_day_lists_it_with_the_list_tool():
    assert calls(say("what's on tomorrow?")) == [("list_tasks", {"due": "2026-11-26"})]
    assert calls(say("what do I have on Saturday")) == [("list_tasks", {"due": "2026-11-28"})]


@pytest.mark.parametrize("text", ["tell me a joke", "what is the meaning of life", "asdf qwer"])
def test_anything_else_gets_the_honest_answer(text):
    reply = say(text)
    assert reply.stop_reason == "end_turn" and not reply.tool_uses
    assert reply.text.startswith("I'm the offline coach") and "Bedrock" in reply.text


# --- after the tools ------------------------------------------------------------------------------


def after(name: str, body: dict[str, Any], result: dict[str, Any], status="success"):
    messages = [
        {"role": "user", "content": [{"text": "x"}]},
        {
            "role": "assistant",
            "content": [{"toolUse": {"toolUseId": "a", "name": name, "input": body}}],
        },
        {
            "role": "user",
            "content": [
                {"toolResult": {"toolUseId": "a", "content": [{"json": result}], "status": status}}
            ],
        },
    ]
    return talk.respond(messages, DAY)


def test_the_reply_after_a_move_names_the_task_and_the_day():
    reply = after("update_task", {}, {"name": "Easy run: 30 minutes", "due": "2026-11-27"})
    assert reply.stop_reason == "end_turn"
    assert (
        reply.text == "Moved “Easy run: 30 minutes” to Friday 27 November. (`zik undo` reverts it.)"
    )


def test_a_failed_tool_is_said_and_no_undo_is_offered():
    reply = after("update_task", {}, {"message": "no task matches 'zz'"}, status="error")
    assert reply.text == "I couldn't do that: no task matches 'zz'"


def test_the_reply_after_adding_names_the_quest():
    reply = after("add_task", {}, {"name": "Buy shoes", "due": "2026-11-27", "quest": "q1"})
    assert reply.text.startswith(
        "Added “Buy shoes” for Friday 27 November, on Run a half marathon."
    )


# --- words ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, stem",
    [("running", "run"), ("runs", "run"), ("flashcards", "flashcard"), ("class", "class")],
)
def test_stems(word, stem):
    assert w.stem(word) == stem
