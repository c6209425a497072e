"""Bedrock's strict tool use: the model's output is held to the tool's JSON schema as it is
generated, so a plan can no longer arrive with a field missing or of the wrong type.

Strict mode takes a subset of JSON Schema. `strict_schema` makes the strict copy of a tool's
schema: every object closed (`additionalProperties: false`), and the keywords the subset does not
take (lengths, bounds, counts, patterns) moved into the description as words, so the model still
reads them; pydantic validation and the repair round still enforce them, with the semantic rules
(a day that fits the capacity, distinct titles) that no schema can say.
"""

from __future__ import annotations

from typing import Any

# Models that take `strict` on a toolSpec (the Claude 4.5 generation on Bedrock).
STRICT_MODELS = ("claude-haiku-4-5", "claude-sonnet-4-5", "claude-opus-4-5", "claude-opus-4-6")

# Keywords strict mode refuses, with how each reads in words.
_WORDS = {
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "minimum": "at least {}",
    "maximum": "at most {}",
    "exclusiveMinimum": "more than {}",
    "exclusiveMaximum": "less than {}",
    "maxItems": "at most {} items",
    "multipleOf": "a multiple of {}",
    "pattern": "matching {}",
}


def takes_strict(model: str) -> bool:
    return any(family in model for family in STRICT_MODELS)


def strict_schema(schema: Any) -> Any:
    """The strict copy of a JSON schema (the original is left as it is)."""
    if isinstance(schema, list):
        return [strict_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    said: list[str] = []
    for key, value in schema.items():
        if key == "minLength" and value == 1:
            said.append("not empty")
        elif key in _WORDS:
            said.append(_WORDS[key].format(value))
        elif key == "minItems" and value > 1:  # strict takes 0 or 1 only
            said.append(f"at least {value} items")
            out[key] = 1
        elif key == "title":
            continue
        elif key in ("properties", "$defs", "definitions"):
            out[key] = {name: strict_schema(sub) for name, sub in value.items()}
        else:
            out[key] = strict_schema(value)
    if out.get("type") == "object":
        out["additionalProperties"] = False
    if said:
        words = "; ".join(said)
        out["description"] = f"{out['description']} ({words})" if "description" in out else words
    return out


def strict_tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tool specs as strict mode takes them."""
    return [
        {
            **spec,
            "inputSchema": {"json": strict_schema(spec["inputSchema"]["json"])},
            "strict": True,
        }
        for spec in tools
    ]


def refused(message: str) -> bool:
    """A 400 from Bedrock that names the strict schema (a model or Region without it)."""
    text = message.lower()
    return "strict" in text or "schema" in text
