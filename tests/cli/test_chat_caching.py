"""Where a chat turn's cache points go (issue 19): only where the prefix up to them reaches the
model's minimum — 4,096 tokens for Claude Haiku 4.5, 1,024 for Sonnet 4.5 — and one after the
conversation, so each later tool round of the turn reads the history from the cache.

A captured turn: a 2,000-message history (folded into a summary first) and three tool rounds."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_chat import long_history, script_text, script_tools
from zik.ai.bedrock import cache_minimum
from zik.ai.tokens import estimate

POINT = {"cachePoint": {"type": "default"}}
HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
SONNET = "global.anthropic.claude-sonnet-4-5-20250929-v1:0"


def _prefix(body: dict, upto: str) -> int:
    """The estimated tokens of the request's prefix up to (and with) `upto`."""
    tools = estimate(json.dumps([t for t in body["toolConfig"]["tools"] if "toolSpec" in t]))
    system = estimate(" ".join(b.get("text", "") for b in body["system"][:1]))
    if upto == "tools":
        return tools
    return tools + system


@pytest.mark.parametrize("model", [HAIKU, SONNET], ids=["haiku-4.5", "sonnet-4.5"])
def test_a_three_round_turn_with_a_long_history_caches_where_it_pays(
    zik, fake_bedrock, conn, monkeypatch, model
):
    monkeypatch.setenv("ZIK_MODEL", model)
    long_history(conn, 2000)
    fake_bedrock.reply_text("They train for a half marathon.")  # the summary of what was folded
    for _ in range(3):
        script_tools(fake_bedrock, ("get_overview", {}))
    script_text(fake_bedrock, "All set.")
    result = zik("chat", "what is on today?")
    assert result.code == 0, result

    rounds = [r for r in fake_bedrock.requests if r.operation == "ConverseStream"]
    assert len(rounds) == 4  # three tool rounds and the answer
    minimum = cache_minimum(model)
    for body in (r.body for r in rounds):
        tools_point = body["toolConfig"]["tools"][-1] == POINT
        system_point = POINT in body["system"]
        assert tools_point == (_prefix(body, "tools") >= minimum)
        assert system_point == (_prefix(body, "system") >= minimum)
        # one point after the conversation, on its last message only
        marks = [POINT in m["content"] for m in body["messages"]]
        assert marks == [False] * (len(marks) - 1) + [True]
        assert json.dumps(body).count('"cachePoint"') <= 4  # Bedrock's limit
    if model == HAIKU:  # zik's fixed prompt (~1,750 tokens) is below Haiku 4.5's 4,096
        assert not any(POINT in r.body["system"] for r in rounds)
    else:  # and above Sonnet 4.5's 1,024
        assert all(POINT in r.body["system"] for r in rounds)
    # Each round sends the one before it plus the tool result: the cached prefix grows with it.
    for before, after in zip(rounds, rounds[1:], strict=False):
        assert len(after.body["messages"]) == len(before.body["messages"]) + 2
