"""The Bedrock adapter's edges: cache points per model, profile-id hints, error mapping."""

from __future__ import annotations

import botocore.exceptions as boto_errors
import pytest
from urllib3.exceptions import ProtocolError

from zik.ai import provider as providers
from zik.ai.bedrock import cache_points, suggest_profile_id, translate
from zik.ai.reply import Reply, ToolUse
from zik.ai.structured import SPECS, _repair_message
from zik.errors import AccessError, TemporaryError, UsageError

MODEL = "global.anthropic.claude-haiku-4-5-20251001-v1:0"


@pytest.mark.parametrize(
    "model, expected",
    [
        (MODEL, (True, True)),
        ("us.anthropic.claude-3-7-sonnet-20250219-v1:0", (True, True)),
        ("us.amazon.nova-lite-v1:0", (True, False)),  # Nova rejects a cachePoint among tools
        ("anthropic.claude-3-haiku-20240307-v1:0", (False, False)),  # no caching at all
        ("meta.llama3-70b-instruct-v1:0", (False, False)),
    ],
)
def test_cache_points_go_only_where_the_model_takes_them(model, expected):
    assert cache_points(model) == expected


def test_a_nova_request_caches_the_system_prompt_but_not_the_tools(fake_bedrock, monkeypatch):
    monkeypatch.setenv("ZIK_MODEL", "us.amazon.nova-lite-v1:0")
    bedrock = providers.connect(providers.choose())
    body = bedrock.request(
        system="A long and fixed system prompt. " * 200,  # past Nova's 1,000-token minimum
        messages=[{"role": "user", "content": [{"text": "hi"}]}],
        tools=[SPECS["roadmap"].tool_spec()],
        tool_choice="submit_roadmap",
    )
    assert body["system"][-1] == {"cachePoint": {"type": "default"}}
    assert all("cachePoint" not in t for t in body["toolConfig"]["tools"])


@pytest.mark.parametrize(
    "model, region, expected",
    [
        ("anthropic.claude-haiku-4-5-20251001-v1:0", "eu-west-1", "global."),
        ("anthropic.claude-3-5-haiku-20241022-v1:0", "us-west-2", "us."),
        ("anthropic.claude-3-7-sonnet-20250219-v1:0", "eu-central-1", "eu."),
        ("anthropic.claude-3-7-sonnet-20250219-v1:0", "ap-southeast-1", "apac."),
    ],
)
def test_the_suggested_profile_id_fits_the_family_and_region(model, region, expected):
    assert suggest_profile_id(model, region) == expected + model
    assert suggest_profile_id(expected + model, region) == expected + model


def test_a_slow_model_and_a_dropped_connection_are_temporary():
    timeout = boto_errors.ReadTimeoutError(endpoint_url="http://x")
    mapped = translate(timeout, MODEL, "us-east-1", 60)
    assert isinstance(mapped, TemporaryError) and "did not answer within 60 s" in mapped.message
    reset = boto_errors.SSLError(endpoint_url="http://x", error="bad handshake")
    assert isinstance(translate(reset, MODEL, "us-east-1"), TemporaryError)


def test_a_stream_broken_by_the_transport_is_temporary(fake_bedrock):
    bedrock = providers.connect(providers.choose())
    with pytest.raises(TemporaryError, match="broke off"), bedrock._errors():
        raise ProtocolError("Connection broken: IncompleteRead")


def test_credentials_that_fail_to_load_are_an_access_error():
    failed = boto_errors.CredentialRetrievalError(provider="process", error_msg="exit 1")
    assert isinstance(translate(failed, MODEL, "us-east-1"), AccessError)


def test_the_repair_turn_answers_every_tool_use_of_the_reply():
    spec = SPECS["roadmap"]
    first = ToolUse("t1", "submit_roadmap", {"milestones": []}, "{}")
    second = ToolUse("t2", "submit_roadmap", {"milestones": []}, "{}")
    reply = Reply(tool_uses=[first, second])
    turn = _repair_message(spec, reply, first, ["milestones: give 3 to 7 milestones, not 0"])
    results = [block["toolResult"] for block in turn["content"]]
    assert [r["toolUseId"] for r in results] == ["t1", "t2"]
    assert "give 3 to 7" in results[0]["content"][0]["text"]
    assert "exactly once" in results[1]["content"][0]["text"]


def test_an_empty_reply_still_takes_its_turn_with_text():
    assert Reply().message() == {"role": "assistant", "content": [{"text": "(no answer)"}]}


def test_an_unreadable_aws_config_is_an_access_error_not_a_crash(tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.write_text("[default\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    with pytest.raises(AccessError, match="AWS configuration cannot be read"):
        providers.choose()


def test_a_failing_credential_process_falls_back_offline_and_says_why(tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.write_text("[default]\ncredential_process = /bin/false\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    choice = providers.choose()
    assert choice.provider == "offline"
    assert choice.reason.startswith("AWS credentials failed to load")


def test_an_invalid_region_is_a_usage_error(fake_bedrock, monkeypatch):
    monkeypatch.setenv("ZIK_AI_REGION", "us_east-1")
    with pytest.raises(UsageError, match="us_east-1"):
        providers.connect(providers.choose())
