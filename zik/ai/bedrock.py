"""Amazon Bedrock through boto3: Converse and ConverseStream, and their errors made actionable.

boto3 is imported here and only here, and this module is imported only by commands that call the
AI (a cold boto3 import costs ~150 ms). Credentials come from the standard AWS chain (env, profile,
SSO, instance role); the region and profile from `ai.region`/`ai.profile` or the AWS defaults.
`AWS_ENDPOINT_URL_BEDROCK_RUNTIME` is honoured by boto3 itself, which is how tests reach the fake
server in tests/fakes/.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import botocore.exceptions as boto_errors
from botocore.config import Config

from zik import __version__, config
from zik.ai.reply import Reply, consume, from_converse
from zik.ai.strict import refused, strict_tools, takes_strict
from zik.ai.tokens import estimate as estimate_tokens
from zik.errors import AccessError, TemporaryError, UsageError, ZikError

DEFAULT_REGION = "us-east-1"
DEADLINE_TIMES = 10  # a streamed answer may take this many times ai.timeout in all
# Regional prefixes of cross-region inference profiles (`global.`, `us.`, `eu.`, …).
PROFILE_PREFIXES = ("global.", "us.", "eu.", "apac.", "jp.", "au.", "ca.", "us-gov.")

CREDENTIALS_HINT = (
    "set AWS_PROFILE (after `aws sso login` or `aws configure`), AWS_ACCESS_KEY_ID and "
    "AWS_SECRET_ACCESS_KEY, or a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK, and AWS_REGION; "
    "or plan offline: zik config set ai.provider offline"
)
# A Bedrock API key: botocore sends it as `Authorization: Bearer …` to bedrock-runtime.
API_KEY = "AWS_BEARER_TOKEN_BEDROCK"


class Credentials:
    """Which credentials and region the AWS chain resolves, without calling any service.

    A broken AWS setup (an unreadable config file, a `credential_process` that fails) is kept
    in `problem` rather than raised, so that `auto` can fall back to offline and say why.
    """

    def __init__(self, profile: str | None, region: str | None):
        region = config.aws_region(region)
        self.profile = profile or os.environ.get("AWS_PROFILE") or None  # None: the default
        self.problem: str | None = None
        self.method: str | None = None
        try:
            self.session = boto3.Session(profile_name=profile or None, region_name=region)
            self.region_is_default = self.session.region_name is None
            self.region = self.session.region_name or DEFAULT_REGION
        except boto_errors.ProfileNotFound as e:
            raise AccessError(
                f"AWS profile not found: {e.kwargs.get('profile')}", hint=CREDENTIALS_HINT
            ) from None
        except boto_errors.BotoCoreError as e:
            raise AccessError(
                f"the AWS configuration cannot be read: {e}", hint=CREDENTIALS_HINT
            ) from None
        try:
            found = self.session.get_credentials()
        except boto_errors.BotoCoreError as e:
            self.problem = f"AWS credentials failed to load: {e}"
            found = None
        if found is not None:
            self.method = getattr(found, "method", None) or "unknown"
        elif os.environ.get(API_KEY, "").strip():
            self.method = f"Bedrock API key ({API_KEY})"

    @property
    def found(self) -> bool:
        return self.method is not None


# Model families with a `global.` cross-region inference profile; the others have geographic ones.
GLOBAL_PROFILES = ("claude-haiku-4-5", "claude-sonnet-4", "claude-opus-4-5")
_GEOGRAPHIES = {
    "us-gov-": "us-gov.",
    "us-": "us.",
    "eu-": "eu.",
    "ap-northeast-1": "jp.",
    "ap-southeast-2": "au.",
    "ap-": "apac.",
    "ca-": "ca.",
}


def suggest_profile_id(model: str, region: str = DEFAULT_REGION) -> str:
    """The inference-profile id for a bare model id: `global.` where the family has one, else
    the geography of the region (`us.`, `eu.`, `apac.`…)."""
    if model.startswith(PROFILE_PREFIXES):
        return model
    if any(family in model for family in GLOBAL_PROFILES):
        return f"global.{model}"
    prefix = next((p for start, p in _GEOGRAPHIES.items() if region.startswith(start)), "us.")
    return prefix + model


# Models Bedrock serves only through inference profiles (no on-demand throughput).
PROFILE_ONLY = (
    "claude-haiku-4",
    "claude-sonnet-4",
    "claude-opus-4",
    "claude-3-7",
    "claude-3-5-haiku",
)
# Claude models with prompt caching on Bedrock (the Claude 3 originals and 3.5 Sonnet have none).
CACHING_CLAUDE = (
    "claude-3-5-haiku",
    "claude-3-7",
    "claude-haiku-4",
    "claude-sonnet-4",
    "claude-opus-4",
)


# The fewest tokens a prefix needs before a cache point caches anything (Anthropic's and
# Amazon's published minimums); below it the point is ignored and the prompt paid in full.
CACHE_MINIMUM = {
    "claude-haiku-4-5": 4096,
    "claude-opus-4-5": 4096,
    "claude-opus-4-6": 4096,
    "claude-3-5-haiku": 2048,
    "claude-sonnet-4": 1024,
    "claude-opus-4": 1024,
    "claude-3-7": 1024,
    "amazon.nova": 1000,
}


def cache_minimum(model: str) -> int:
    """The model's minimum cacheable prefix, by the longest key in its id (1024 otherwise)."""
    keys = [key for key in CACHE_MINIMUM if key in model]
    return CACHE_MINIMUM[max(keys, key=len)] if keys else 1024


def needs_profile(model: str) -> bool:
    """A bare model id that Bedrock will refuse on demand (it wants `global.`/`us.`…)."""
    return not model.startswith(PROFILE_PREFIXES) and any(k in model for k in PROFILE_ONLY)


def cache_points(model: str) -> tuple[bool, bool]:
    """Where the model accepts a cachePoint: (after the system prompt, after the tool specs).

    Claude takes both; Amazon Nova caches the system prompt but rejects a cachePoint among tools.
    """
    claude = "anthropic.claude" in model and any(f in model for f in CACHING_CLAUDE)
    return claude or "amazon.nova" in model, claude


class Bedrock:
    """One configured Bedrock runtime client for one model."""

    name = "bedrock"

    def __init__(
        self,
        credentials: Credentials,
        model: str,
        *,
        max_attempts: int = 4,
        timeout: int = 60,
    ):
        if not credentials.found:
            problem = credentials.problem or "no AWS credentials found for Bedrock"
            raise AccessError(problem, hint=CREDENTIALS_HINT)
        self.model, self.region, self.timeout = model, credentials.region, timeout
        self.strict = takes_strict(model)  # strict tool use (ai/strict.py), until refused
        self._specs: dict[str, dict[str, Any]] = {}  # the plain tool specs, for the fallback
        try:
            self.client = credentials.session.client(
                "bedrock-runtime",
                region_name=credentials.region,
                config=Config(
                    connect_timeout=5,
                    read_timeout=timeout,
                    retries={"mode": "adaptive", "total_max_attempts": max(1, max_attempts)},
                    user_agent_extra=f"zik/{__version__}",
                ),
            )
        except boto_errors.BotoCoreError as e:  # e.g. an invalid region name
            raise UsageError(
                f"cannot set up Bedrock in {credentials.region!r}: {e}",
                hint="zik config set ai.region REGION (e.g. us-east-1)",
            ) from None

    def request(
        self,
        *,
        system: str,
        messages: list[dict[str, Any]],
        tools: list[dict[str, Any]] | None = None,
        tool_choice: str | None = None,
        max_tokens: int = 4096,
        temperature: float = 0.4,
        context: str | None = None,
    ) -> dict[str, Any]:
        """The Converse request, with cache points where they pay.

        Bedrock caches the prefix up to a point in the order tools, system, messages, and only
        when that prefix reaches the model's minimum (4,096 tokens for Claude Haiku 4.5, 1,024
        for Sonnet): a point goes after the tool specs, after the system prompt, and (Claude)
        after the conversation, each only where the prefix up to it is long enough, so a chat
        turn's later tool rounds read the history from the cache. `context` (what changes every
        turn: the date, the person's tasks) goes after the system point.
        """
        takes_system, takes_tools = cache_points(self.model)
        minimum = cache_minimum(self.model)
        point = {"cachePoint": {"type": "default"}}
        specs = (strict_tools(tools) if self.strict else tools) if tools else []
        prefix = estimate_tokens(json.dumps(specs)) if specs else 0  # as sent
        after_tools = takes_tools and bool(tools) and prefix >= minimum
        prefix += estimate_tokens(system)
        after_system = takes_system and prefix >= minimum
        prefix += estimate_tokens(context or "") + estimate_tokens(json.dumps(messages))
        if takes_tools and messages and prefix >= minimum:  # Claude: after the conversation
            last = messages[-1]
            messages = [*messages[:-1], {**last, "content": [*last["content"], point]}]
        body: dict[str, Any] = {
            "modelId": self.model,
            "system": [
                {"text": system},
                *([point] if after_system else []),
                *([{"text": context}] if context else []),
            ],
            "messages": messages,
            "inferenceConfig": {"maxTokens": max_tokens, "temperature": temperature},
        }
        if tools:
            choice = {"tool": {"name": tool_choice}} if tool_choice else {"auto": {}}
            self._specs.update({spec["name"]: spec for spec in tools})
            body["toolConfig"] = {
                "tools": [
                    *({"toolSpec": spec} for spec in specs),
                    *([point] if after_tools else []),
                ],
                "toolChoice": choice,
            }
        return body

    def _within(self, events: Any, started: float) -> Iterator[Any]:
        """The stream's events, until the whole answer has taken DEADLINE_TIMES the idle limit:
        a model that trickles a few tokens at a time never ends a call on its own, and a stream
        is never retried half-way, so the call ends here, said plainly, exit 75."""
        limit = self.timeout * DEADLINE_TIMES
        for event in events:
            if time.monotonic() - started > limit:
                raise TemporaryError(
                    f"Bedrock's answer was still coming after {limit} s; it was stopped",
                    hint="try again later, or raise ai.timeout (the limit is ten times it)",
                )
            yield event

    def _send(self, operation: Callable[..., Any], body: dict[str, Any]) -> Any:
        """Call Bedrock; a strict schema it refuses is sent once more without strict mode."""
        try:
            return operation(**body)
        except boto_errors.ClientError as e:
            error = e.response.get("Error", {})
            plain = None
            if error.get("Code") == "ValidationException" and refused(str(error.get("Message"))):
                plain = self._plain(body)
            if plain is None:
                raise
            return operation(**plain)

    def _plain(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """The request without strict tool use, after Bedrock refused its schema (some models
        and Regions do not take it), or None when it had none. Strict stays off after that."""
        tools = (body.get("toolConfig") or {}).get("tools") or []
        if not any(t.get("toolSpec", {}).get("strict") for t in tools):
            return None
        self.strict = False
        plain = [
            {"toolSpec": {**self._specs[t["toolSpec"]["name"]]}} if "toolSpec" in t else t
            for t in tools
        ]
        return {**body, "toolConfig": {**body["toolConfig"], "tools": plain}}

    def converse(self, body: dict[str, Any]) -> Reply:
        started = time.monotonic()
        with self._errors():
            reply = from_converse(self._send(self.client.converse, body))
        reply.latency_ms = round((time.monotonic() - started) * 1000)
        return reply

    def converse_stream(
        self, body: dict[str, Any], on_text: Callable[[str], None] | None = None
    ) -> Reply:
        """Stream a reply, calling `on_text` with each text delta as it arrives.

        An error in the middle of the stream (throttling, a model stream error, a dropped
        connection) raises like any other, and is never retried: what was already passed to
        `on_text` is the caller's to discard. The stream is closed whatever happens, so its
        connection goes back to the pool.
        """
        started = time.monotonic()
        stream = None
        try:
            with self._errors():
                stream = self._send(self.client.converse_stream, body)["stream"]
                reply = consume(self._within(stream, started), on_text)
        finally:
            if stream is not None:
                stream.close()
        reply.latency_ms = round((time.monotonic() - started) * 1000)
        return reply

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """The one place where boto3, botocore and urllib3 failures become ZikErrors."""
        from urllib3.exceptions import HTTPError as TransportError

        try:
            yield
        except (boto_errors.BotoCoreError, boto_errors.ClientError) as e:
            raise translate(e, self.model, self.region, self.timeout) from e
        except TransportError as e:  # raised while reading a stream, outside botocore's wrapping
            raise TemporaryError(
                f"the connection to Bedrock broke off: {e}", hint="try again in a minute"
            ) from e


_TEMPORARY = {
    "throttlingexception": "Bedrock is throttling requests",
    "modelerrorexception": "the model failed while answering",
    "serviceunavailableexception": "Bedrock is unavailable",
    "internalserverexception": "Bedrock had an internal error",
    "modelnotreadyexception": "the model is not ready yet",
    "modeltimeoutexception": "the model took too long to answer",
    "modelstreamerrorexception": "the model's reply stream broke off",
}
_REJECTED_CREDENTIALS = {
    "unrecognizedclientexception",
    "invalidsignatureexception",
    "expiredtokenexception",
    "expiredtoken",
    "invalidclienttokenid",
}


def translate(error: Exception, model: str, region: str, timeout: int | None = None) -> ZikError:
    """A boto3/botocore failure as a ZikError a person can act on (DESIGN.md §5, §9)."""
    if isinstance(error, boto_errors.NoCredentialsError | boto_errors.PartialCredentialsError):
        return AccessError("no AWS credentials found for Bedrock", hint=CREDENTIALS_HINT)
    if isinstance(error, boto_errors.TokenRetrievalError | boto_errors.SSOError):
        return AccessError(
            "the AWS SSO session has expired or is missing", hint="run `aws sso login` and retry"
        )
    if isinstance(error, boto_errors.CredentialRetrievalError):
        return AccessError(f"AWS credentials failed to load: {error}", hint=CREDENTIALS_HINT)
    if isinstance(error, boto_errors.ReadTimeoutError):
        return TemporaryError(
            f"Bedrock did not answer within {timeout or '?'} s (on every attempt)",
            hint="try again later, or raise ai.timeout",
        )
    if isinstance(error, boto_errors.ConnectionError | boto_errors.HTTPClientError):
        return TemporaryError(
            f"cannot reach Bedrock in {region}: {error}",
            hint="check the network connection and try again",
        )
    if not isinstance(error, boto_errors.ClientError):
        return ZikError(f"Bedrock call failed: {error}")
    code = str(error.response.get("Error", {}).get("Code", ""))
    message = str(error.response.get("Error", {}).get("Message", "")) or code
    key = code.lower()
    if key in _TEMPORARY:
        return TemporaryError(f"{_TEMPORARY[key]} ({message})", hint="try again in a minute")
    if key == "servicequotaexceededexception":
        return TemporaryError(
            f"the Bedrock quota for {model} is used up ({message})",
            hint="quotas are often per day (tokens per day): try again later, or ask for more in "
            "Service Quotas, or plan offline for now: zik config set ai.provider offline",
        )
    if key == "accessdeniedexception":
        return AccessError(
            f"Bedrock denied access to {model} in {region}: {message}", hint=ACCESS_HINT
        )
    if key in _REJECTED_CREDENTIALS:
        return AccessError(
            f"AWS rejected the credentials: {message}",
            hint="refresh them (`aws sso login`, or new access keys) and retry",
        )
    if key == "validationexception" and "model identifier is invalid" in message.lower():
        return AccessError(
            f"Bedrock does not take the model id {model} in {region}: {message}",
            hint=_model_id_hint(model, region),
        )
    if key == "validationexception" and "on-demand throughput" in message.lower():
        profile_id = suggest_profile_id(model, region)
        return AccessError(
            f"{model} cannot be called on demand in {region}; it needs an inference profile",
            hint=f"zik config set ai.model {profile_id}",
        )
    if key == "resourcenotfoundexception":
        return AccessError(
            f"Bedrock does not know the model {model} in {region}: {message}",
            hint="check the model id: zik config set ai.model <id>",
        )
    if key == "validationexception":
        return ZikError(
            f"Bedrock rejected the request for {model}: {message}",
            hint="check that ai.model names a model that supports tool use",
        )
    return ZikError(f"Bedrock error {code}: {message}")


ACCESS_HINT = (
    "allow bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on the inference profile"
    " and on the model in every Region it routes to; third-party models also need the AWS"
    " Marketplace subscribe permissions, and Anthropic models a first-use form, once per account"
)


def _model_id_hint(model: str, region: str) -> str:
    """Why Bedrock calls a model id invalid: a typo, or a geographic profile (`us.`, `eu.`…)
    called from a Region outside its geography."""
    prefix = next((p for p in PROFILE_PREFIXES if model.startswith(p)), None)
    if prefix and prefix != "global.":
        fitting = suggest_profile_id(model.removeprefix(prefix), region)
        if not fitting.startswith(prefix):
            return (
                f"the {prefix} profiles are called from their own Regions only, not {region}:"
                f" zik config set ai.model {fitting} (or set ai.region)"
            )
    return "check the model id (aws bedrock list-inference-profiles): zik config set ai.model <id>"
