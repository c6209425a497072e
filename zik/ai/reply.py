"""What a model call returns, whichever API produced it: text, tool uses, stop reason, usage.

`from_converse()` reads a Converse response; `consume()` assembles a ConverseStream's events into
the same `Reply`. Both are pure functions over plain dicts, so they are tested without boto3.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any


class Usage:
    def __init__(
        self,
        input_tokens: int = 0,
        output_tokens: int = 0,
        cache_read_tokens: int = 0,
        cache_write_tokens: int = 0,
    ):
        self.input_tokens, self.output_tokens = input_tokens, output_tokens
        self.cache_read_tokens, self.cache_write_tokens = cache_read_tokens, cache_write_tokens
        self.reported = True  # False: the reply said nothing of its tokens (a stream cut short)

    @classmethod
    def from_bedrock(cls, usage: dict[str, Any] | None) -> Usage:
        found = cls(
            (usage or {}).get("inputTokens", 0),
            (usage or {}).get("outputTokens", 0),
            (usage or {}).get("cacheReadInputTokens", 0),
            (usage or {}).get("cacheWriteInputTokens", 0),
        )
        found.reported = usage is not None
        return found

    def to_json(self) -> dict[str, int]:
        return {
            "inputTokens": self.input_tokens,
            "outputTokens": self.output_tokens,
            "cacheReadTokens": self.cache_read_tokens,
            "cacheWriteTokens": self.cache_write_tokens,
        }


# Stop reasons that mean the reply was cut short, not finished.
CUT_OFF = ("max_tokens", "model_context_window_exceeded")


class ToolUse:
    """A tool call from the model. `input` is None when its JSON did not parse (`raw` keeps it);
    `complete` is False when the reply stopped inside it (a stream's block never stopped)."""

    def __init__(self, tool_use_id: str, name: str, input: Any, raw: str, complete: bool = True):
        self.tool_use_id, self.name, self.input, self.raw = tool_use_id, name, input, raw
        self.complete = complete

    def to_json(self) -> dict[str, Any]:
        return {"toolUseId": self.tool_use_id, "name": self.name, "input": self.input}


class Reply:
    def __init__(
        self,
        *,
        text: str = "",
        tool_uses: list[ToolUse] | None = None,
        stop_reason: str | None = None,
        usage: Usage | None = None,
        latency_ms: int | None = None,
    ):
        self.text = text
        self.tool_uses = tool_uses or []
        self.stop_reason = stop_reason
        self.usage = usage or Usage()
        self.latency_ms = latency_ms

    @property
    def cut_off(self) -> bool:
        """The model stopped at its length limit (or the context window's), mid-answer."""
        return self.stop_reason in CUT_OFF

    def message(self) -> dict[str, Any]:
        """The reply as a Converse assistant message, to send back in the next turn."""
        content: list[dict[str, Any]] = []
        if self.text.strip():
            content.append({"text": self.text})
        for use in self.tool_uses:
            body = use.input if isinstance(use.input, dict) else {}
            content.append(
                {"toolUse": {"toolUseId": use.tool_use_id, "name": use.name, "input": body}}
            )
        # Converse rejects an empty or blank content list; an empty reply still takes its turn.
        return {"role": "assistant", "content": content or [{"text": "(no answer)"}]}

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "toolUses": [t.to_json() for t in self.tool_uses],
            "stopReason": self.stop_reason,
            "usage": self.usage.to_json(),
        }


def from_converse(response: dict[str, Any]) -> Reply:
    """A Converse API response as a Reply."""
    content = response.get("output", {}).get("message", {}).get("content", [])
    texts, uses = [], []
    for block in content:
        if "text" in block:
            texts.append(block["text"])
        elif "toolUse" in block:
            use = block["toolUse"]
            raw = use.get("input")
            uses.append(
                ToolUse(use.get("toolUseId", ""), use.get("name", ""), raw, json.dumps(raw))
            )
    stop_reason = response.get("stopReason")
    if stop_reason in CUT_OFF and content and "toolUse" in content[-1]:
        uses[-1].complete = False  # the reply stopped inside its last tool call
    return Reply(
        text="".join(texts),
        tool_uses=uses,
        stop_reason=stop_reason,
        usage=Usage.from_bedrock(response.get("usage")),
        latency_ms=(response.get("metrics") or {}).get("latencyMs"),
    )


def consume(
    events: Iterable[dict[str, Any]], on_text: Callable[[str], None] | None = None
) -> Reply:
    """Assemble ConverseStream events into a Reply, calling `on_text` with each text delta.

    Tool input arrives as JSON fragments across deltas; it is parsed when its block stops. Input
    that does not parse is kept raw (input None) so that the caller can report or repair it.
    """
    texts: list[str] = []
    blocks: dict[int, dict[str, Any]] = {}
    order: list[int] = []
    stopped: set[int] = set()
    reply = Reply()
    reply.usage.reported = False  # until the metadata event says
    for event in events:
        if "contentBlockStart" in event:
            start = event["contentBlockStart"]
            tool = start.get("start", {}).get("toolUse")
            if tool is not None:
                index = start.get("contentBlockIndex", 0)
                blocks[index] = {
                    "id": tool.get("toolUseId", ""),
                    "name": tool.get("name", ""),
                    "json": [],
                }
                order.append(index)
        elif "contentBlockDelta" in event:
            body = event["contentBlockDelta"]
            delta = body.get("delta", {})
            if "text" in delta:
                texts.append(delta["text"])
                if on_text is not None:
                    on_text(delta["text"])
            elif "toolUse" in delta:
                block = blocks.get(body.get("contentBlockIndex", 0))
                if block is not None:
                    block["json"].append(delta["toolUse"].get("input", ""))
        elif "contentBlockStop" in event:
            stopped.add(event["contentBlockStop"].get("contentBlockIndex", 0))
        elif "messageStop" in event:
            reply.stop_reason = event["messageStop"].get("stopReason")
        elif "metadata" in event:
            meta = event["metadata"]
            reply.usage = Usage.from_bedrock(meta.get("usage"))
            reply.latency_ms = (meta.get("metrics") or {}).get("latencyMs")
    reply.text = "".join(texts)
    for index in order:
        block = blocks[index]
        raw = "".join(block["json"])
        try:
            parsed = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError:
            parsed = None
        complete = index in stopped
        reply.tool_uses.append(ToolUse(block["id"], block["name"], parsed, raw, complete))
    return reply
