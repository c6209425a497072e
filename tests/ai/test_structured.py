"""Structured output through the real boto3 client against the fake Bedrock server.

Covers DESIGN.md §5: the forced tool, cache points, the configured model id, one repair round,
exit 6 with the raw reply logged, retries on throttling then exit 75, and actionable access errors.
"""

from __future__ import annotations

import json
import socket

import pytest

from tests.fakes.bedrock import FAKE_ACCESS_KEY, FAKE_SECRET
from zik.ai import provider as providers
from zik.ai.requests import DayRequest, RoadmapRequest
from zik.ai.structured import generate
from zik.core.plan.planning import call_log
from zik.errors import AccessError, InvalidAIOutput, TemporaryError

MODEL = "us.anthropic.claude-haiku-4-5-20251001-v1:0"

ROADMAP = {
    "milestones": [
        {"title": "Run 5 km without stopping", "description": "Easy runs.", "durationInDays": 20},
        {"title": "Run 10 km", "description": "Add a long run.", "durationInDays": 25},
        {
            "title": "Run the half marathon",
            "description": "Peak, taper, race.",
            "durationInDays": 25,
        },
    ]
}


def _request(**overrides) -> RoadmapRequest:
    values = dict(
        goal_name="Run a half marathon",
        description=None,
        category="fitness",
        target_date="2027-02-03",
        today="2026-11-25",
        available_days=70,
        timezone="Europe/Paris",
        daily_capacity=60,
    )
    return RoadmapRequest(**{**values, **overrides})


@pytest.fixture
def bedrock(fake_bedrock, monkeypatch):
    monkeypatch.setenv("ZIK_MODEL", MODEL)
    return providers.connect(providers.choose())


def _calls(conn):
    return [dict(r) for r in conn.execute("SELECT * FROM ai_calls ORDER BY rowid")]


def test_a_structured_call_forces_the_tool_and_sets_no_cache_point_too_short_to_pay(
    conn, fake_bedrock, bedrock
):
    fake_bedrock.reply_tool("submit_roadmap", ROADMAP)
    result = generate(_request(), bedrock, call_log(conn), subject="goal-1")
    assert [m.title for m in result.value.milestones][0] == "Run 5 km without stopping"
    assert (result.provider, result.model, result.repaired) == ("bedrock", MODEL, False)

    [sent] = fake_bedrock.requests
    assert sent.operation == "ConverseStream"  # streamed: ai.timeout bounds the silences
    assert sent.model_id == MODEL
    assert sent.body["toolConfig"]["toolChoice"] == {"tool": {"name": "submit_roadmap"}}
    # The planner's prompt is far below Haiku 4.5's 4,096-token minimum: a cache point there
    # caches nothing (issue 19), so none is sent.
    assert "cachePoint" not in json.dumps(sent.body)
    assert sent.body["toolConfig"]["tools"][0]["toolSpec"]["name"] == "submit_roadmap"
    assert "$ref" not in json.dumps(sent.body["toolConfig"])
    prompt = sent.body["messages"][0]["content"][0]["text"]
    assert "Today is 2026-11-25 (timezone Europe/Paris)" in prompt
    assert "exactly 70" in prompt

    [row] = _calls(conn)
    assert (row["purpose"], row["provider"], row["model"], row["outcome"]) == (
        "roadmap",
        "bedrock",
        MODEL,
        "ok",
    )
    assert (row["input_tokens"], row["output_tokens"], row["subject"]) == (100, 50, "goal-1")
    assert row["cost_usd"] == pytest.approx((100 * 1.0 + 50 * 5.0) * 1.1 / 1e6)  # us.: +10 %
    assert row["id"] == result.call_id


def test_a_malformed_reply_is_repaired_in_one_round(conn, fake_bedrock, bedrock):
    fake_bedrock.reply_tool("submit_roadmap", {"milestones": ROADMAP["milestones"][:2]})
    fake_bedrock.reply_tool("submit_roadmap", ROADMAP)
    result = generate(_request(), bedrock, call_log(conn))
    assert result.repaired
    assert len(result.value.milestones) == 3

    first, second = fake_bedrock.requests
    repair = second.body["messages"]
    assert [m["role"] for m in repair] == ["user", "assistant", "user"]
    tool_result = repair[2]["content"][0]["toolResult"]
    assert tool_result["status"] == "error"
    assert "milestones" in tool_result["content"][0]["text"]
    assert "give 3 to 7 milestones, not 2" in tool_result["content"][0]["text"]

    rows = _calls(conn)
    assert [(r["attempt"], r["outcome"]) for r in rows] == [(1, "invalid"), (2, "ok")]
    assert rows[1]["repair_of"] == rows[0]["id"]
    assert result.call_id == rows[1]["id"]


def test_a_second_malformed_reply_exits_6_and_keeps_the_raw_reply(conn, fake_bedrock, bedrock):
    fake_bedrock.reply_tool("submit_roadmap", {"milestones": "three of them"})
    fake_bedrock.reply_tool("submit_roadmap", {"plan": "still wrong", "marker": "RAW-REPLY-42"})
    with pytest.raises(InvalidAIOutput) as raised:
        generate(_request(), bedrock, call_log(conn))
    assert raised.value.exit_code == 6
    rows = _calls(conn)
    assert [r["outcome"] for r in rows] == ["invalid", "invalid"]
    assert "RAW-REPLY-42" in rows[1]["response"]
    assert rows[1]["id"][:8] in raised.value.hint


def test_capacity_is_part_of_validation_for_day_plans(conn, fake_bedrock, bedrock):
    too_long = {"tasks": [{"taskName": "Run 20 km", "estimatedMinutes": 150}]}
    fitting = {"tasks": [{"taskName": "Run 5 km easy", "estimatedMinutes": 40, "priority": "High"}]}
    fake_bedrock.reply_tool("submit_day_plan", too_long)
    fake_bedrock.reply_tool("submit_day_plan", fitting)
    request = DayRequest(
        goal_name="Run a half marathon",
        quest_description=None,
        category="fitness",
        milestone_title="Run 5 km without stopping",
        milestone_description=None,
        milestone_sequence=1,
        milestones_total=3,
        duration_in_days=20,
        day_number=1,
        date="2026-11-25",
        weekday="Wednesday",
        timezone="UTC",
        capacity_minutes=60,
    )
    result = generate(request, bedrock, call_log(conn))
    assert result.value.tasks[0].priority == "high"
    repair_text = json.dumps(fake_bedrock.requests[1].body["messages"][2])
    assert "150 minutes" in repair_text and "60 minutes" in repair_text


def test_throttling_is_retried_then_succeeds(conn, fake_bedrock, bedrock):
    fake_bedrock.error(429, "ThrottlingException")
    fake_bedrock.reply_tool("submit_roadmap", ROADMAP)
    result = generate(_request(), bedrock, call_log(conn))
    assert len(fake_bedrock.requests) == 2
    assert result.value.milestones


def test_throttling_after_the_retries_exits_75(conn, fake_bedrock, bedrock):
    fake_bedrock.always.error(429, "ThrottlingException")
    with pytest.raises(TemporaryError) as raised:
        generate(_request(), bedrock, call_log(conn))
    assert raised.value.exit_code == 75
    assert len(fake_bedrock.requests) == 2  # ZIK_AI_MAX_ATTEMPTS=2 in the fixture
    [row] = _calls(conn)
    assert row["outcome"] == "error" and "throttling" in row["error"].lower()


def test_access_denied_exits_5_with_what_to_do(conn, fake_bedrock, bedrock):
    fake_bedrock.error(403, "AccessDeniedException")
    with pytest.raises(AccessError) as raised:
        generate(_request(), bedrock, call_log(conn))
    assert raised.value.exit_code == 5
    assert "Marketplace" in raised.value.hint and "Model access" not in raised.value.hint


def test_on_demand_not_supported_suggests_the_inference_profile(conn, fake_bedrock, monkeypatch):
    monkeypatch.setenv("ZIK_MODEL", "anthropic.claude-haiku-4-5-20251001-v1:0")
    bedrock = providers.connect(providers.choose())
    fake_bedrock.error(
        400,
        "ValidationException",
        "Invocation of model ID anthropic.claude-haiku-4-5-20251001-v1:0 with on-demand "
        "throughput isn't supported. Retry your request with the ID or ARN of an inference "
        "profile that contains this model.",
    )
    with pytest.raises(AccessError) as raised:
        generate(_request(), bedrock, call_log(conn))
    assert (
        raised.value.hint
        == "zik config set ai.model global.anthropic.claude-haiku-4-5-20251001-v1:0"
    )


def test_an_unreachable_endpoint_exits_75(conn, fake_bedrock, monkeypatch):
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("ZIK_AI_MAX_ATTEMPTS", "1")
    bedrock = providers.connect(providers.choose())
    with pytest.raises(TemporaryError) as raised:
        generate(_request(), bedrock, call_log(conn))
    assert "cannot reach Bedrock" in raised.value.message


def test_bedrock_without_credentials_exits_5_with_how_to_set_them(monkeypatch):
    monkeypatch.setenv("ZIK_AI_PROVIDER", "bedrock")
    choice = providers.choose()
    with pytest.raises(AccessError) as raised:
        providers.connect(choice)
    assert "AWS_PROFILE" in raised.value.hint and "AWS_REGION" in raised.value.hint


def test_auto_picks_offline_without_credentials_and_bedrock_with_them(fake_bedrock, monkeypatch):
    assert providers.choose().provider == "bedrock"
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    choice = providers.choose()
    assert (choice.provider, choice.reason) == ("offline", "no AWS credentials found")


def test_nothing_secret_is_stored(conn, fake_bedrock, bedrock, zik_home):
    fake_bedrock.reply_tool("submit_roadmap", {"milestones": []})
    fake_bedrock.reply_tool("submit_roadmap", ROADMAP)
    generate(_request(), bedrock, call_log(conn))
    conn.execute("PRAGMA wal_checkpoint(FULL)")
    stored = b"".join(p.read_bytes() for p in zik_home.rglob("*") if p.is_file())
    assert FAKE_SECRET.encode() not in stored
    assert FAKE_ACCESS_KEY.encode() not in stored
    assert b"Authorization" not in stored and b"AWS4-HMAC" not in stored
    assert any("Authorization" in r.headers for r in fake_bedrock.requests)  # it was sent


def test_only_the_newest_calls_keep_their_bodies(conn, fake_bedrock, bedrock, monkeypatch):
    monkeypatch.setenv("ZIK_AI_KEEP_BODIES", "2")
    for _ in range(3):
        fake_bedrock.reply_tool("submit_roadmap", ROADMAP)
        generate(_request(), bedrock, call_log(conn))
    rows = _calls(conn)
    assert [r["request"] is not None for r in rows] == [False, True, True]
    assert all(r["input_tokens"] == 100 for r in rows)  # the numbers stay


def test_streaming_assembles_text_and_maps_in_stream_throttling(fake_bedrock, bedrock):
    from tests.fakes.bedrock import metadata, stop, stream_exception, text_events

    fake_bedrock.stream([*text_events("Hello there", chunk=3), stop(), metadata(7, 3)])
    seen: list[str] = []
    body = bedrock.request(system="s", messages=[{"role": "user", "content": [{"text": "hi"}]}])
    reply = bedrock.converse_stream(body, seen.append)
    assert "".join(seen) == reply.text == "Hello there"
    assert (reply.usage.input_tokens, reply.usage.output_tokens) == (7, 3)

    fake_bedrock.stream(
        [*text_events("Partial"), stream_exception("throttlingException", "slow down")]
    )
    with pytest.raises(TemporaryError):
        bedrock.converse_stream(body)


def test_a_streamed_tool_input_that_does_not_parse_is_kept_raw(fake_bedrock, bedrock):
    from tests.fakes.bedrock import message_start, metadata, stop, tool_events

    fake_bedrock.stream(
        [message_start(), *tool_events("submit_roadmap", '{"milestones": [{"ti', piece=5)]
        + [stop("tool_use"), metadata(50, 9)]
    )
    body = bedrock.request(system="s", messages=[{"role": "user", "content": [{"text": "hi"}]}])
    reply = bedrock.converse_stream(body)
    [use] = reply.tool_uses
    assert use.name == "submit_roadmap" and use.input is None
    assert use.raw == '{"milestones": [{"ti'
    assert (reply.stop_reason, reply.usage.output_tokens) == ("tool_use", 9)
