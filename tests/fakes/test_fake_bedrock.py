"""Prove the fake Bedrock server is faithful: the real boto3 client and botocore parsers consume it."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.eventstream import ChecksumMismatch, EventStreamBuffer
from botocore.exceptions import ClientError, EventStreamError

from tests.fakes import bedrock, eventstream
from tests.fakes.bedrock import (
    FAKE_ACCESS_KEY,
    FAKE_SECRET,
    NO_SCRIPT_MESSAGE,
    FakeBedrock,
    delay,
    message_start,
    metadata,
    stop,
    stream_exception,
    text_events,
    tool_events,
)

fake_bedrock = bedrock.fake_bedrock  # the fixture under test

MODEL = "global.anthropic.claude-haiku-4-5-20251001-v1:0"  # the colon is URL-encoded on the wire
MESSAGES = [{"role": "user", "content": [{"text": "Plan my week"}]}]


def client(endpoint_url: str | None = None) -> Any:
    """A real client, one attempt per call so each call consumes exactly one scripted response."""
    return boto3.Session().client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=endpoint_url,  # None: taken from AWS_ENDPOINT_URL_BEDROCK_RUNTIME
        config=Config(retries={"total_max_attempts": 1}),
    )


def collect(response: dict[str, Any]) -> list[dict[str, Any]]:
    return list(response["stream"])


# --- encoder ----------------------------------------------------------------------------------------


def test_encoder_round_trips_through_botocore_decoder() -> None:
    buffer = EventStreamBuffer()
    buffer.add_data(eventstream.event("contentBlockDelta", {"delta": {"text": "Hé"}}))
    buffer.add_data(eventstream.exception("throttlingException", "slow down"))
    first, second = list(buffer)
    assert first.headers == {
        ":event-type": "contentBlockDelta",
        ":content-type": "application/json",
        ":message-type": "event",
    }
    assert json.loads(first.payload) == {"delta": {"text": "Hé"}}
    assert second.headers[":message-type"] == "exception"
    assert second.headers[":exception-type"] == "throttlingException"
    assert json.loads(second.payload) == {"message": "slow down"}


def test_encoder_message_crc_is_checked() -> None:
    data = bytearray(eventstream.event("messageStop", {"stopReason": "end_turn"}))
    data[-6] ^= 0xFF  # flip a payload byte; the trailing CRC no longer matches
    buffer = EventStreamBuffer()
    buffer.add_data(bytes(data))
    with pytest.raises(ChecksumMismatch):
        list(buffer)


# --- Converse -----------------------------------------------------------------------------------


def test_converse_tool_reply_through_env_endpoint(fake_bedrock: FakeBedrock) -> None:
    odd_input = {"milestones": "not-a-list", "extra": [1, None]}  # schema-invalid on purpose
    fake_bedrock.reply_tool(
        "submit_plan", odd_input, text="Here you go", usage={"inputTokens": 7, "outputTokens": 3}
    )
    response = client().converse(modelId=MODEL, messages=MESSAGES)

    text_block, tool_block = response["output"]["message"]["content"]
    assert text_block == {"text": "Here you go"}
    assert tool_block["toolUse"]["name"] == "submit_plan"
    assert tool_block["toolUse"]["input"] == odd_input
    assert tool_block["toolUse"]["toolUseId"].startswith("tooluse_")
    assert response["stopReason"] == "tool_use"
    assert response["usage"]["inputTokens"] == 7
    assert response["usage"]["outputTokens"] == 3
    assert response["usage"]["totalTokens"] == 10

    (seen,) = fake_bedrock.requests
    assert seen.operation == "Converse"
    assert seen.model_id == MODEL
    assert seen.body["messages"] == MESSAGES
    assert f"Credential={FAKE_ACCESS_KEY}/" in seen.headers["Authorization"]
    wire = json.dumps(seen.headers) + json.dumps(seen.body)
    assert FAKE_SECRET not in wire


def test_converse_text_reply(fake_bedrock: FakeBedrock) -> None:
    fake_bedrock.reply_text("Hello there", stop_reason="max_tokens")
    response = client(fake_bedrock.url).converse(modelId=MODEL, messages=MESSAGES)
    assert response["output"]["message"] == {
        "role": "assistant",
        "content": [{"text": "Hello there"}],
    }
    assert response["stopReason"] == "max_tokens"
    assert response["usage"] == {
        "inputTokens": 100,
        "outputTokens": 50,
        "totalTokens": 150,
        "cacheReadInputTokens": 0,
        "cacheWriteInputTokens": 0,
    }
    assert response["metrics"]["latencyMs"] > 0


def test_throttling_maps_to_modeled_exception(fake_bedrock: FakeBedrock) -> None:
    fake_bedrock.error(429, "ThrottlingException")
    br = client()
    with pytest.raises(br.exceptions.ThrottlingException) as caught:
        br.converse(modelId=MODEL, messages=MESSAGES)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert "Too many requests" in caught.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    ("status", "error_type", "message"),
    [
        (403, "AccessDeniedException", "You don't have access to the model with the specified ID."),
        (
            400,
            "ValidationException",
            "Invocation of model ID x with on-demand throughput isn't ...",
        ),
    ],
)
def test_http_errors_map_to_matching_exception(
    fake_bedrock: FakeBedrock, status: int, error_type: str, message: str
) -> None:
    fake_bedrock.error(status, error_type, message)
    br = client()
    with pytest.raises(getattr(br.exceptions, error_type)) as caught:
        br.converse(modelId=MODEL, messages=MESSAGES)
    assert caught.value.response["Error"] == {"Code": error_type, "Message": message}
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def test_empty_queue_answers_500(fake_bedrock: FakeBedrock) -> None:
    with pytest.raises(ClientError) as caught:
        client().converse(modelId=MODEL, messages=MESSAGES)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert caught.value.response["Error"]["Message"] == NO_SCRIPT_MESSAGE
    assert len(fake_bedrock.requests) == 1  # still recorded, so the test can see what was sent


def test_queue_is_fifo_across_operations_and_always_is_the_fallback(
    fake_bedrock: FakeBedrock,
) -> None:
    fake_bedrock.reply_text("first")
    fake_bedrock.stream(text_events("second"))
    fake_bedrock.always.error(503, "ServiceUnavailableException")
    assert fake_bedrock.pending == 2
    br = client()

    assert br.converse(modelId=MODEL, messages=MESSAGES)["output"]["message"]["content"] == [
        {"text": "first"}
    ]
    events = collect(br.converse_stream(modelId=MODEL, messages=MESSAGES))
    assert "".join(e["contentBlockDelta"]["delta"]["text"] for e in events[1:-1]) == "second"
    for _ in range(2):
        with pytest.raises(br.exceptions.ServiceUnavailableException):
            br.converse(modelId=MODEL, messages=MESSAGES)
    fake_bedrock.always.clear()
    with pytest.raises(br.exceptions.InternalServerException):
        br.converse(modelId=MODEL, messages=MESSAGES)
    ops = [r.operation for r in fake_bedrock.requests]
    assert ops == ["Converse", "ConverseStream", "Converse", "Converse", "Converse"]
    assert fake_bedrock.pending == 0


# --- ConverseStream -------------------------------------------------------------------------------


@pytest.mark.parametrize("chunk_size", [None, 7])  # 7: every message split across HTTP chunks
def test_stream_text_tool_stop_and_metadata(
    fake_bedrock: FakeBedrock, chunk_size: int | None
) -> None:
    tool_input = json.dumps({"title": "Ship zik", "milestones": [{"name": "MVP", "weeks": 2}]})
    fake_bedrock.stream(
        [
            text_events("Hello, world", pieces=3),
            tool_events("submit_plan", tool_input, tool_use_id="tooluse_abc"),
            stop("tool_use"),
            metadata(input_tokens=12, output_tokens=34, cache_read=5, latency_ms=99),
        ],
        chunk_size=chunk_size,
    )
    response = client().converse_stream(modelId=MODEL, messages=MESSAGES)
    events = collect(response)

    assert events[0] == {"messageStart": {"role": "assistant"}}
    deltas = [e["contentBlockDelta"] for e in events if "contentBlockDelta" in e]
    texts = [d["delta"]["text"] for d in deltas if d["contentBlockIndex"] == 0]
    assert texts == ["Hell", "o, w", "orld"]
    (start,) = [e["contentBlockStart"] for e in events if "contentBlockStart" in e]
    assert start == {
        "contentBlockIndex": 1,
        "start": {"toolUse": {"toolUseId": "tooluse_abc", "name": "submit_plan"}},
    }
    fragments = [d["delta"]["toolUse"]["input"] for d in deltas if d["contentBlockIndex"] == 1]
    assert len(fragments) > 1 and all(len(f) <= 8 for f in fragments)
    assert "".join(fragments) == tool_input
    stops = [e["contentBlockStop"]["contentBlockIndex"] for e in events if "contentBlockStop" in e]
    assert stops == [0, 1]
    assert events[-2] == {"messageStop": {"stopReason": "tool_use"}}
    assert events[-1]["metadata"]["usage"] == {
        "inputTokens": 12,
        "outputTokens": 34,
        "totalTokens": 46,
        "cacheReadInputTokens": 5,
        "cacheWriteInputTokens": 0,
    }
    assert events[-1]["metadata"]["metrics"] == {"latencyMs": 99}
    (seen,) = fake_bedrock.requests
    assert (seen.operation, seen.model_id) == ("ConverseStream", MODEL)


def test_malformed_tool_json_is_passed_through_verbatim(fake_bedrock: FakeBedrock) -> None:
    broken = '{"title": "unterminated'
    fake_bedrock.stream([message_start(), tool_events("submit_plan", broken, index=0), stop()])
    events = collect(client().converse_stream(modelId=MODEL, messages=MESSAGES))
    fragments = [
        e["contentBlockDelta"]["delta"]["toolUse"]["input"]
        for e in events
        if "contentBlockDelta" in e
    ]
    assert "".join(fragments) == broken


def test_in_stream_exception_raises_while_iterating(fake_bedrock: FakeBedrock) -> None:
    fake_bedrock.stream(
        [message_start(), stream_exception("throttlingException", "Too many tokens, slow down.")]
    )
    response = client().converse_stream(modelId=MODEL, messages=MESSAGES)  # HTTP 200: no error yet
    received = []
    with pytest.raises(EventStreamError) as caught:
        for event in response["stream"]:
            received.append(event)
    assert received == [{"messageStart": {"role": "assistant"}}]
    assert caught.value.response["Error"]["Code"] == "throttlingException"
    assert caught.value.response["Error"]["Message"] == "Too many tokens, slow down."


def test_stream_events_arrive_incrementally(fake_bedrock: FakeBedrock) -> None:
    items = text_events("Hello", pieces=2)  # messageStart, "Hel", "lo", contentBlockStop
    items.insert(2, delay(0.3))
    fake_bedrock.stream([items, stop(), metadata()])
    br = client()
    started = time.monotonic()
    arrivals: list[tuple[str, float]] = []
    for event in br.converse_stream(modelId=MODEL, messages=MESSAGES)["stream"]:
        if "contentBlockDelta" in event:
            arrivals.append((event["contentBlockDelta"]["delta"]["text"], time.monotonic()))
    (first, first_at), (last, last_at) = arrivals
    assert (first, last) == ("Hel", "lo")
    assert first_at - started < 0.25  # seen while the server is still sleeping
    assert last_at - started >= 0.3
