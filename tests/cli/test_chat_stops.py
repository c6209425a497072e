"""What the model's stop reason means for a chat turn (issue 19): a reply cut at its length
limit is marked as cut off, where it is stored and to the person; a tool call cut short never
runs; and a complete tool call runs whatever the stop reason (some Converse models say
end_turn)."""

from __future__ import annotations

import json

from tests.cli.test_chat import all_tasks, script_text
from tests.fakes.bedrock import message_start, metadata, stop, text_events, tool_events
from tests.killpoints import rows
from zik.core.coach.chat import CUT_OFF_MARK


def test_a_reply_cut_at_its_length_limit_is_marked_so(zik, fake_bedrock, zik_home):
    fake_bedrock.stream([text_events("First, run three times a week, and"), stop("max_tokens"),
                         metadata()])  # fmt: skip
    result = zik("chat", "make me a plan")
    assert result.code == 0, result
    assert "cut off at its length limit" in result.err
    (stored,) = rows(zik_home, "SELECT content FROM chat_messages WHERE role = 'assistant'")
    assert stored["content"] == f"First, run three times a week, and {CUT_OFF_MARK}"
    fake_bedrock.reply_text(
        "Go on", stop_reason="model_context_window_exceeded"
    )  # (--json: Converse)
    again = zik("--json", "chat", "go on")
    assert again.code == 0, again
    assert again.data["cutOff"] is True


def test_a_tool_call_cut_short_never_runs(zik, fake_bedrock, zik_home):
    """The stored reply used to say "I'll add that." while the call was silently dropped."""
    items = [message_start(), *text_events("I'll add that.", start=False)]
    cut = tool_events("add_task", {"title": "Buy new running shoes", "due": "today"}, index=1)
    items += cut[:-2]  # the input stops half-way: no contentBlockStop
    fake_bedrock.stream([*items, stop("max_tokens"), metadata()])
    result = zik("chat", "add shoes to my list")
    assert result.code == 0, result
    assert all_tasks(zik) == {}
    assert len(fake_bedrock.requests) == 1  # nothing was run, so nothing went back
    (stored,) = rows(
        zik_home, "SELECT content, tool_calls FROM chat_messages WHERE role = 'assistant'"
    )
    assert stored["content"].endswith(CUT_OFF_MARK) and json.loads(stored["tool_calls"]) == []


def test_a_complete_tool_call_runs_even_when_the_model_says_end_turn(zik, fake_bedrock):
    items = [message_start(), *tool_events("add_task", {"title": "Stretch", "due": "today"})]
    fake_bedrock.stream([*items, stop("end_turn"), metadata()])
    script_text(fake_bedrock, "Added.")
    result = zik("chat", "add stretching today")
    assert result.code == 0, result
    assert [t["taskName"] for t in all_tasks(zik).values()] == ["Stretch"]
    second = fake_bedrock.requests[1].body["messages"]
    assert "toolResult" in second[-1]["content"][0]
