"""Structured output: ask for a pydantic-shaped result, validate it, repair once, log every call.

With Bedrock, the schema becomes the one tool of a Converse request and `toolChoice` forces its
use; the tool input is validated locally; if it fails, one repair round sends the validation errors
back as the tool's error result; a second failure raises InvalidAIOutput (exit 6). The offline
provider's plans pass through the same validation. Every call, failed or not, is handed to `log`
as soon as it returns, so the raw reply of a rejected answer is kept (DESIGN.md §5).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from zik.ai import pricing, prompts
from zik.ai.offline import planner as offline
from zik.ai.reply import Reply
from zik.ai.requests import DayRequest, RoadmapRequest
from zik.ai.schemas import DayPlan, Roadmap
from zik.errors import InvalidAIOutput, ZikError
from zik.models import AICall

Log = Callable[[AICall], None]


class Spec:
    """How one kind of request becomes a forced tool call, and how offline answers it."""

    def __init__(
        self,
        schema: type[BaseModel],
        tool: str,
        description: str,
        system: str,
        prompt: Callable[[Any], str],
        offline: Callable[[Any], dict[str, Any]],
        context: Callable[[Any], dict[str, Any]],
        temperature: float,
    ):
        self.schema, self.tool, self.description = schema, tool, description
        self.system, self.prompt, self.offline = system, prompt, offline
        self.context, self.temperature = context, temperature

    def tool_spec(self) -> dict[str, Any]:
        return tool_spec(self.tool, self.description, self.schema)


SPECS: dict[str, Spec] = {
    RoadmapRequest.purpose: Spec(
        Roadmap,
        "submit_roadmap",
        "Submit the quest's roadmap: 3 to 7 milestones in order.",
        prompts.PLANNER_SYSTEM,
        prompts.roadmap,
        offline.plan_roadmap,
        lambda req: {"kept": len(req.keep)},
        0.5,
    ),
    DayRequest.purpose: Spec(
        DayPlan,
        "submit_day_plan",
        "Submit today's tasks for the milestone.",
        prompts.COACH_SYSTEM,
        prompts.day_plan,
        offline.plan_day,
        lambda req: {"capacity_minutes": req.capacity_minutes},
        0.6,
    ),
}


class Structured:
    """A validated result, and who produced it (every AI result says so)."""

    def __init__(self, value: Any, provider: str, model: str, call_id: str, repaired: bool):
        self.value, self.provider, self.model = value, provider, model
        self.call_id, self.repaired = call_id, repaired

    def to_json(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model,
            "callId": self.call_id,
            "repaired": self.repaired,
        }


def generate(
    request: RoadmapRequest | DayRequest, provider: Any, log: Log, *, subject: str | None = None
) -> Structured:
    """Run one request through the provider and return its validated result."""
    spec = SPECS[request.purpose]
    if provider.name == "offline":
        return _offline(spec, request, provider, log, subject)
    return _bedrock(spec, request, provider, log, subject)


def _offline(spec: Spec, request: Any, provider: Any, log: Log, subject: str | None) -> Structured:
    started = time.monotonic()
    data = spec.offline(request)
    call = _call(request.purpose, provider, subject, request=request.to_json(), response=data)
    call.latency_ms = round((time.monotonic() - started) * 1000)
    call.cost_usd = 0.0
    value, errors = validate(spec, data, request)
    if errors:  # a bug in the offline planner, not a user error: say so plainly
        call.outcome, call.error = "invalid", "; ".join(errors)
        log(call)
        raise InvalidAIOutput(
            f"the offline planner produced an invalid {spec.tool} ({errors[0]})",
            hint="this is a bug in zik's offline planner: please report it with `zik why`",
        )
    log(call)
    return Structured(value, provider.name, provider.model, call.id, repaired=False)


def _bedrock(spec: Spec, request: Any, provider: Any, log: Log, subject: str | None) -> Structured:
    messages: list[dict[str, Any]] = [{"role": "user", "content": [{"text": spec.prompt(request)}]}]
    first: AICall | None = None
    max_tokens = MAX_TOKENS
    for attempt in (1, 2):
        body = provider.request(
            system=spec.system,
            messages=messages,
            tools=[spec.tool_spec()],
            tool_choice=spec.tool,
            temperature=spec.temperature,
            max_tokens=max_tokens,
        )
        call = _call(request.purpose, provider, subject, request=body)
        call.attempt, call.repair_of = attempt, first and first.id
        try:
            # Streamed, so that ai.timeout bounds the silence between two events rather than the
            # whole answer: a slow model writing a long roadmap is not abandoned and re-invoked
            # (each abandoned generation may still be billed). A stream is never retried
            # half-way; botocore retries only a request that got no answer at all.
            reply = provider.converse_stream(body)
        except ZikError as e:
            _record_failure(call, e)
            log(call)
            raise
        _record_reply(call, reply, provider.model)
        if reply.cut_off and attempt == 1:
            # Cut at the length limit: nothing to repair, only room missing. Ask again, the
            # same question, with twice the room (once), and say so in the call log.
            call.outcome = "invalid"
            call.error = f"cut off at {max_tokens} tokens; asked again with {max_tokens * 2}"
            log(call)
            first, max_tokens = call, max_tokens * 2
            continue
        uses = [u for u in reply.tool_uses if u.name == spec.tool]
        use = uses[0] if uses else None
        if use is None:
            errors = [f"the reply did not call {spec.tool}"]
        elif len(uses) > 1:  # a second call would be silently dropped: have it made once
            errors = [f"call {spec.tool} exactly once, with everything in that one call"]
        elif use.input is None:
            errors = [f"the {spec.tool} input is not valid JSON"]
        else:
            value, errors = validate(spec, use.input, request)
        if not errors:
            log(call)
            return Structured(value, provider.name, provider.model, call.id, repaired=attempt > 1)
        call.outcome, call.error = "invalid", "; ".join(errors)
        log(call)
        first = first or call
        messages += [reply.message(), _repair_message(spec, reply, use, errors)]
    raise InvalidAIOutput(
        f"the model's {spec.tool} was still invalid after one repair: {errors[0]}",
        hint=f"its raw reply is kept: zik why {call.id[:8]}",
    )


MAX_TOKENS = 4096  # a structured reply's room; doubled once for a reply cut off at it


def validate(spec: Spec, data: Any, request: Any) -> tuple[Any, list[str]]:
    """The validated model, or the validation errors as short readable lines."""
    try:
        return spec.schema.model_validate(data, context=spec.context(request)), []
    except ValidationError as e:
        return None, [_error_line(err) for err in e.errors(include_url=False)]


def _error_line(error: Any) -> str:
    where = ".".join(str(part) for part in error.get("loc", ())) or "input"
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}"


def _repair_message(spec: Spec, reply: Reply, use: Any, errors: list[str]) -> dict[str, Any]:
    """The user turn of the repair round: a result for every tool use of the reply (Converse
    requires one each), the validation errors on the one that was checked."""
    text = prompts.repair(errors, spec.tool)
    content: list[dict[str, Any]] = []
    for other in reply.tool_uses:
        said = text if other is use else f"Ignored: call {spec.tool} exactly once."
        result = {"toolUseId": other.tool_use_id, "content": [{"text": said}], "status": "error"}
        content.append({"toolResult": result})
    if use is None:
        content.append({"text": text})
    return {"role": "user", "content": content}


def _call(purpose: str, provider: Any, subject: str | None, **bodies: Any) -> AICall:
    return AICall(
        id=str(uuid.uuid4()),
        purpose=purpose,
        provider=provider.name,
        model=provider.model,
        subject=subject,
        **{k: json.dumps(v, ensure_ascii=False) for k, v in bodies.items()},
    )


def _record_failure(call: AICall, error: ZikError) -> None:
    """A call that got no reply. Its cost is unknown (None), not $0: a stream that broke off may
    have been billed for what it wrote, and AWS does not say."""
    call.outcome, call.error = "error", f"{error.code}: {error.message}"
    call.cost_usd = None


def _record_reply(call: AICall, reply: Reply, model: str) -> None:
    usage = reply.usage
    call.input_tokens, call.output_tokens = usage.input_tokens, usage.output_tokens
    call.cache_read_tokens, call.cache_write_tokens = (
        usage.cache_read_tokens,
        usage.cache_write_tokens,
    )
    call.latency_ms, call.stop_reason = reply.latency_ms, reply.stop_reason
    call.cost_usd = pricing.estimate(model, usage)
    response = reply.to_json()
    response["rawToolInput"] = [u.raw for u in reply.tool_uses]
    call.response = json.dumps(response, ensure_ascii=False)


def tool_spec(name: str, description: str, schema: type[BaseModel]) -> dict[str, Any]:
    """A Converse tool spec whose input is the pydantic model's JSON schema."""
    json_schema = inline_refs(schema.model_json_schema())
    json_schema.pop("title", None)
    json_schema.pop("description", None)
    return {"name": name, "description": description, "inputSchema": {"json": json_schema}}


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema with `$ref`s to `$defs` replaced by their definitions.

    Pydantic emits `$defs`; a self-contained schema is the safest input for every model's tool
    support. The schemas here are not recursive, so inlining terminates.
    """
    defs = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def ping(provider: Any, log: Log) -> tuple[AICall, AICall]:
    """Two minimal real calls (`zik doctor --check-model`): Converse, which planning uses, and
    ConverseStream, which chat uses (a separate IAM action, InvokeModelWithResponseStream)."""
    body = provider.request(
        system="You answer health checks.",
        messages=[{"role": "user", "content": [{"text": "Reply with the single word: ok"}]}],
        max_tokens=10,
        temperature=0.0,
    )
    plain = logged(provider, body, log, purpose="check")[1]
    streamed = logged(provider, body, log, purpose="check", on_text=lambda text: None)[1]
    return plain, streamed


def logged(
    provider: Any,
    body: dict[str, Any],
    log: Log,
    *,
    purpose: str,
    subject: str | None = None,
    on_text: Callable[[str], None] | None = None,
) -> tuple[Reply, AICall]:
    """One free-form model call (streamed when `on_text` is given), logged like every other."""
    call = _call(purpose, provider, subject, request=body)
    try:
        if on_text is None:
            reply = provider.converse(body)
        else:
            reply = provider.converse_stream(body, on_text)
    except ZikError as e:
        _record_failure(call, e)
        log(call)
        raise
    except KeyboardInterrupt:
        call.outcome, call.error = "error", "interrupted"
        log(call)
        raise
    _record_reply(call, reply, provider.model)
    log(call)
    return reply, call
