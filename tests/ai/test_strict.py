"""Strict tool use (issue 19): for the Claude 4.5 generation every tool goes with `strict: true`
and a schema strict mode takes; a model or Region that refuses it gets the plain spec."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_ai_commands import script_day_plan, script_roadmap
from zik.ai.strict import strict_schema

HAIKU = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
SONNET = "global.anthropic.claude-sonnet-4-5-20250929-v1:0"


def _objects(schema):
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            yield schema
        for value in schema.values():
            yield from _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _objects(value)


@pytest.mark.parametrize("model", [HAIKU, SONNET], ids=["haiku-4.5", "sonnet-4.5"])
def test_planning_sends_strict_specs_with_closed_objects_and_no_refused_keywords(
    zik, fake_bedrock, monkeypatch, model
):
    monkeypatch.setenv("ZIK_MODEL", model)
    script_roadmap(fake_bedrock, 30, 40, 42)
    script_day_plan(fake_bedrock, 30, 15)
    assert zik("quest", "new", "Run a half marathon", "--target", "+16w").code == 0
    for request in fake_bedrock.requests:
        (tool,) = [t["toolSpec"] for t in request.body["toolConfig"]["tools"] if "toolSpec" in t]
        assert tool["strict"] is True
        schema = tool["inputSchema"]["json"]
        text = json.dumps(schema)
        for keyword in ("minLength", "maxLength", "minimum", "maximum", "maxItems"):
            assert f'"{keyword}"' not in text, keyword
        assert all(o["additionalProperties"] is False for o in _objects(schema))
    day = fake_bedrock.requests[1].body["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"]
    assert "at most 200 characters" in json.dumps(day)  # the limits still read, as words


def test_other_models_get_the_plain_spec(zik, fake_bedrock, monkeypatch):
    monkeypatch.setenv("ZIK_MODEL", "us.amazon.nova-pro-v1:0")
    script_roadmap(fake_bedrock, 30, 40, 42)
    script_day_plan(fake_bedrock, 30, 15)
    assert zik("quest", "new", "Run a half marathon", "--target", "+16w").code == 0
    assert '"strict"' not in json.dumps(fake_bedrock.requests[0].body)


def test_a_refused_strict_schema_is_sent_again_plain_and_strict_stays_off(zik, fake_bedrock):
    fake_bedrock.error(
        400, "ValidationException", "This model does not support strict tool schemas."
    )
    script_roadmap(fake_bedrock, 30, 40, 42)
    script_day_plan(fake_bedrock, 30, 15)
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w")
    assert result.code == 0, result
    first, second, third = fake_bedrock.requests
    assert '"strict": true' in json.dumps(first.body)
    assert '"strict"' not in json.dumps(second.body) and '"strict"' not in json.dumps(third.body)
    assert '"maxLength"' in json.dumps(second.body)  # the plain schema, whole


def test_the_strict_copy_leaves_the_original_alone():
    schema = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 5}}}
    copy = strict_schema(schema)
    assert copy == {
        "type": "object",
        "properties": {"n": {"type": "integer", "description": "at least 5"}},
        "additionalProperties": False,
    }
    assert schema["properties"]["n"] == {"type": "integer", "minimum": 5}
