"""Where a chat turn's cache points go (issue 19): only where the prefix up to them reaches the
model's minimum — 4,096 tokens for Claude Haiku 4.5, 1,024 for Sonnet 4.5 — and one after the
conversation, so each later tool round of the turn reads the history from the cache.

A captured turn: a 2,000-message history (folded into a summary first) and three tool rounds,
each sending every tool as a strict spec."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_chat import long_history, script_text, script_tools
from zik.ai.bedrock import cache_minimum
from zik.ai.tokens import estimate

POINT = {"cachePoint": {"type": "default"}}
HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
SONNET = "global.anthropic.claude-sonnet-4-5-20250929-v1:0"


def _prefix(body: dict) -> dict[str, int]:
    """The estimated tokens of the request's prefix up to each place a point can go, counted
    as zik counts them (tools, then system, then the context and the conversation)."""
    tools = estimate(
        json.dumps([t["toolSpec"] for t in body["toolConfig"]["tools"] if "toolSpec" in t])
    )
    texts = [b["text"] for b in body["system"] if "text" in b]
    system = tools + estimate(texts[0])
    bare = [{**m, "content": [b for b in m["content"] if b != POINT]} for m in body["messages"]]
    return {
        "tools": tools,
        "system": system,
        "messages": system + estimate("".join(texts[1:])) + estimate(json.dumps(bare)),
    }


@pytest.mark.parametrize(
    ("model", "budget"),
    [(HAIKU, "6000"), (HAIKU, "12000"), (SONNET, "6000")],
    ids=["haiku-4.5", "haiku-4.5-long-window", "sonnet-4.5"],
)
def test_a_three_round_turn_with_a_long_history_caches_where_it_pays(
    zik, fake_bedrock, conn, monkeypatch, model, budget
):
    monkeypatch.setenv("ZIK_MODEL", model)
    monkeypatch.setenv("ZIK_CHAT_BUDGET_TOKENS", budget)
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
    placed = []
    for body in (r.body for r in rounds):
        prefix = _prefix(body)
        tools_point = body["toolConfig"]["tools"][-1] == POINT
        system_point = POINT in body["system"]
        marks = [POINT in m["content"] for m in body["messages"]]
        assert tools_point == (prefix["tools"] >= minimum)
        assert system_point == (prefix["system"] >= minimum)
        if prefix["messages"] >= minimum:  # one point after the conversation, on its end
            assert marks == [False] * (len(marks) - 1) + [True]
        else:
            assert not any(marks)
        assert json.dumps(body).count('"cachePoint"') <= 4  # Bedrock's limit
        specs = [t["toolSpec"] for t in body["toolConfig"]["tools"] if "toolSpec" in t]
        assert specs and all(spec["strict"] is True for spec in specs)  # strict tool use
        placed.append((tools_point, system_point, marks[-1]))
    # What that means for each: zik's fixed prompt (~2,000 tokens) is below Haiku 4.5's 4,096,
    # and above Sonnet 4.5's 1,024; a long window takes Haiku's conversation past it too.
    fixed = {HAIKU: (False, False), SONNET: (True, True)}[model]
    assert [p[:2] for p in placed] == [fixed] * 4
    if (model, budget) != (HAIKU, "6000"):  # (at 6,000 Haiku's prefix is near 4,096 either way)
        assert [p[2] for p in placed] == [True] * 4
    # Each round sends the one before it plus the tool call and its result.
    for before, after in zip(rounds, rounds[1:], strict=False):
        assert len(after.body["messages"]) == len(before.body["messages"]) + 2
