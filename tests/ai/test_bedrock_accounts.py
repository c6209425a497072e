"""What real AWS accounts do to the Bedrock path (issue 19): Bedrock API keys, and the error
bodies AWS returns for a bad model id, a used-up daily quota, a model failure and denied access,
each mapped to its exit code with a hint that is current."""

from __future__ import annotations

import pytest

from tests.fakes.bedrock import metadata, stop, text_events

HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"


def test_a_bedrock_api_key_alone_is_found_and_sent_as_a_bearer_token(
    zik, fake_bedrock_tls, monkeypatch
):
    """With only AWS_BEARER_TOKEN_BEDROCK set, zik used to say "no AWS credentials found"."""
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-for-tests")
    monkeypatch.setenv("ZIK_AI_PROVIDER", "bedrock")
    fake_bedrock_tls.stream([*text_events("Hello"), stop(), metadata()])
    result = zik("chat", "hi")
    assert result.code == 0, result
    (request,) = fake_bedrock_tls.requests
    assert request.headers["Authorization"] == "Bearer bedrock-api-key-for-tests"
    doctor = zik("--json", "doctor").data
    (line,) = [c for c in doctor["checks"] if c["name"] == "aws credentials"]
    assert "Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)" in line["detail"]
    assert "bedrock-api-key-for-tests" not in str(doctor)  # the key itself is never shown


@pytest.mark.parametrize(
    ("model", "region", "exit_code", "said", "hint"),
    [
        ("us.anthropic.claude-3-7-sonnet-20250219-v1:0", "eu-west-1", 5,
         "does not take the model id", "ai.model eu.anthropic.claude-3-7-sonnet"),
        ("anthropic.claude-haiku-typo", "us-east-1", 5, "does not take the model id",
         "list-inference-profiles"),
    ],
)  # fmt: skip
def test_an_invalid_model_id_is_an_access_error_naming_the_region(
    zik, fake_bedrock, monkeypatch, model, region, exit_code, said, hint
):
    monkeypatch.setenv("ZIK_AI_PROVIDER", "bedrock")
    monkeypatch.setenv("ZIK_MODEL", model)
    monkeypatch.setenv("AWS_REGION", region)
    fake_bedrock.always.error(
        400, "ValidationException", "The provided model identifier is invalid."
    )
    result = zik("chat", "hi")
    assert result.code == exit_code, result
    assert said in result.err and hint in result.err, result.err
    assert "tool use" not in result.err


@pytest.mark.parametrize(
    ("error_type", "message", "exit_code", "hint"),
    [
        ("ServiceQuotaExceededException", "Too many tokens per day, please wait.", 75,
         "Service Quotas"),
        ("ModelErrorException", "The system encountered an unexpected error during processing.",
         75, "try again"),
        ("AccessDeniedException", "You don't have access to the model with the specified model ID.",
         5, "Marketplace"),
    ],
)  # fmt: skip
def test_aws_error_bodies_map_to_their_exit_codes_with_current_hints(
    zik, fake_bedrock, monkeypatch, error_type, message, exit_code, hint
):
    monkeypatch.setenv("ZIK_AI_PROVIDER", "bedrock")
    fake_bedrock.always.error(400 if exit_code == 5 else 429, error_type, message)
    result = zik("chat", "hi")
    assert result.code == exit_code, result
    assert hint in result.err, result.err
    assert "Model access" not in result.err  # the retired console page
