"""Assembling Converse replies and ConverseStream events, without boto3."""

from __future__ import annotations

from zik.ai.reply import consume, from_converse


def _events(*tool_pieces: str) -> list[dict]:
    return [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": "Here "}}},
        {"contentBlockDelta": {"contentBlockIndex": 0, "delta": {"text": "you go."}}},
        {"contentBlockStop": {"contentBlockIndex": 0}},
        {
            "contentBlockStart": {
                "contentBlockIndex": 1,
                "start": {"toolUse": {"toolUseId": "t1", "name": "submit_roadmap"}},
            }
        },
        *(
            {"contentBlockDelta": {"contentBlockIndex": 1, "delta": {"toolUse": {"input": p}}}}
            for p in tool_pieces
        ),
        {"contentBlockStop": {"contentBlockIndex": 1}},
        {"messageStop": {"stopReason": "tool_use"}},
        {
            "metadata": {
                "usage": {"inputTokens": 120, "outputTokens": 30, "cacheReadInputTokens": 900},
                "metrics": {"latencyMs": 321},
            }
        },
    ]


def test_stream_text_tool_input_stop_and_usage_are_assembled():
    seen: list[str] = []
    reply = consume(_events('{"milest', 'ones": [1, ', "2]}"), seen.append)
    assert seen == ["Here ", "you go."]
    assert reply.text == "Here you go."
    [use] = reply.tool_uses
    assert (use.tool_use_id, use.name, use.input) == (
        "t1",
        "submit_roadmap",
        {"milestones": [1, 2]},
    )
    assert reply.stop_reason == "tool_use"
    assert (reply.usage.input_tokens, reply.usage.output_tokens) == (120, 30)
    assert reply.usage.cache_read_tokens == 900
    assert reply.latency_ms == 321


def test_tool_input_that_does_not_parse_is_kept_raw():
    reply = consume(_events('{"milestones": [', "oops"))
    [use] = reply.tool_uses
    assert use.input is None
    assert use.raw == '{"milestones": [oops'


def test_the_assistant_message_replays_text_and_tool_use():
    reply = consume(_events('{"a": 1}'))
    assert reply.message() == {
        "role": "assistant",
        "content": [
            {"text": "Here you go."},
            {"toolUse": {"toolUseId": "t1", "name": "submit_roadmap", "input": {"a": 1}}},
        ],
    }


def test_converse_response_is_read_the_same_way():
    reply = from_converse(
        {
            "output": {
                "message": {
                    "role": "assistant",
                    "content": [
                        {"text": "ok"},
                        {
                            "toolUse": {
                                "toolUseId": "x",
                                "name": "submit_day_plan",
                                "input": {"tasks": []},
                            }
                        },
                    ],
                }
            },
            "stopReason": "tool_use",
            "usage": {"inputTokens": 5, "outputTokens": 7, "cacheWriteInputTokens": 40},
            "metrics": {"latencyMs": 12},
        }
    )
    assert reply.text == "ok"
    assert reply.tool_uses[0].input == {"tasks": []}
    assert (reply.usage.output_tokens, reply.usage.cache_write_tokens) == (7, 40)
    assert reply.stop_reason == "tool_use"
