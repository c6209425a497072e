"""Which AI answers: Bedrock when it can, the offline planner otherwise.

`ai.provider = auto` (the default) picks Bedrock when the AWS credential chain resolves and the
offline provider when it does not; `bedrock` insists (and fails with exit 5 without credentials);
`offline` never touches the network. Resolving credentials imports boto3, so this runs only on
commands that are about to call the AI (and `zik doctor`).
"""

from __future__ import annotations

from typing import Any

from zik import config
from zik.ai.offline import planner as offline


class Offline:
    """The embedded planner and coach (ai/offline/): deterministic, free, no network.

    Plans go through `structured.generate`; a chat turn calls `request` and `converse` like the
    Bedrock client, so the chat runs both the same way (tools, confirmations, logging).
    """

    name = "offline"
    model = offline.MODEL

    def request(
        self,
        *,
        messages: list[dict[str, Any]],
        facts: dict[str, Any] | None = None,
        **_: Any,  # the system prompt, tool specs and sampling settings a model would need
    ) -> dict[str, Any]:
        return {"messages": messages, "facts": facts or {}}

    def converse(self, body: dict[str, Any]) -> Any:
        import time

        from zik.ai.offline import talk

        started = time.monotonic()
        reply = talk.respond(body["messages"], body["facts"])
        reply.latency_ms = round((time.monotonic() - started) * 1000)
        return reply

    def converse_stream(self, body: dict[str, Any], on_text: Any = None) -> Any:
        reply = self.converse(body)
        if reply.text and on_text is not None:
            on_text(reply.text)
        return reply


class Choice:
    """The provider a call will use, and why: what `zik doctor` and every AI result report."""

    def __init__(
        self,
        provider: str,
        model: str,
        *,
        setting: str,
        reason: str,
        region: str | None = None,
        region_is_default: bool = False,
        profile: str | None = None,
        credentials: Any = None,
        bedrock_model: str | None = None,
    ):
        self.provider, self.model, self.setting, self.reason = provider, model, setting, reason
        self.bedrock_model = bedrock_model or model  # what Bedrock would use (doctor shows it)
        self.region, self.region_is_default, self.profile = region, region_is_default, profile
        self.credentials = credentials  # ai.bedrock.Credentials when Bedrock was considered

    @property
    def credentials_method(self) -> str | None:
        return self.credentials.method if self.credentials is not None else None

    def to_json(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model,
            "setting": self.setting,
            "reason": self.reason,
            "region": self.region,
            "profile": self.profile,
            "credentials": self.credentials_method,
            "bedrockModel": self.bedrock_model,
        }


def choose(*, quick: bool = False) -> Choice:
    """Decide the provider from `ai.provider` and whether AWS credentials resolve.

    `quick`: with `auto`, when this machine can have no AWS credentials at all (no credential
    variable, no AWS config or credentials file, no profile set, and provably not an EC2
    instance), choose offline without loading boto3 and probing the instance metadata service:
    that costs ~0.8 s on every chat turn and plan of the many people who never set up AWS.
    `zik doctor` always takes the full path, which says what it looked at.
    """
    setting = str(config.get("ai.provider"))
    bedrock_model = str(config.get("ai.model"))
    if setting == "offline":
        return Choice(
            "offline",
            offline.MODEL,
            setting=setting,
            reason="ai.provider is offline",
            bedrock_model=bedrock_model,
        )
    if quick and setting == "auto" and no_credential_source(str(config.get("ai.profile"))):
        return Choice(
            "offline",
            offline.MODEL,
            setting=setting,
            reason="no AWS credentials found",
            bedrock_model=bedrock_model,
        )
    from zik.ai.bedrock import Credentials

    credentials = Credentials(str(config.get("ai.profile")), str(config.get("ai.region")))
    common = {
        "setting": setting,
        "region": credentials.region,
        "region_is_default": credentials.region_is_default,
        "profile": credentials.profile,
        "credentials": credentials,
        "bedrock_model": bedrock_model,
    }
    if credentials.found:
        reason = f"AWS credentials from {credentials.method}"
        return Choice("bedrock", bedrock_model, reason=reason, **common)
    if setting == "bedrock":
        return Choice("bedrock", bedrock_model, reason="ai.provider is bedrock", **common)
    reason = credentials.problem or "no AWS credentials found"
    return Choice("offline", offline.MODEL, reason=reason, **common)


# Where botocore's credential chain can find credentials without the network, besides files.
_CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_BEARER_TOKEN_BEDROCK",
    "AWS_ROLE_ARN",
)


def no_credential_source(profile: str = "") -> bool:
    """True only when no step of the AWS credential chain can succeed here: no variable, no
    non-empty config or credentials file, no profile, and a Linux machine that is not EC2 (the
    instance role comes from its metadata service; elsewhere, that cannot be told, so False)."""
    import os
    from pathlib import Path

    if profile or any(os.environ.get(name) for name in _CREDENTIAL_VARIABLES):
        return False
    for variable, default in (
        ("AWS_CONFIG_FILE", "~/.aws/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
    ):
        path = Path(os.environ.get(variable) or default).expanduser()
        try:
            if path.is_file() and path.stat().st_size > 0:
                return False
        except OSError:
            return False
    return _surely_not_ec2()


DMI_VENDOR = "/sys/devices/virtual/dmi/id/sys_vendor"
XEN_UUID = "/sys/hypervisor/uuid"


def _surely_not_ec2() -> bool:
    """EC2 instances say so in the DMI tables (`sys_vendor` "Amazon EC2") or the Xen uuid
    ("ec2…"): AWS's own way to tell from inside. No DMI table (not Linux, or a container that
    hides it, which may run on EC2): not sure."""
    from pathlib import Path

    try:
        if "amazon" in Path(DMI_VENDOR).read_text().lower():
            return False
    except OSError:
        return False
    try:
        return not Path(XEN_UUID).read_text().lower().startswith("ec2")
    except OSError:
        return True  # no Xen uuid: a Nitro instance would have said so in sys_vendor


def connect(choice: Choice) -> Any:
    """The provider object for a choice: a Bedrock client, or the offline planner."""
    if choice.provider == "offline":
        return Offline()
    from zik.ai.bedrock import Bedrock

    return Bedrock(
        choice.credentials,
        choice.model,
        max_attempts=config.get_int("ai.max_attempts"),
        timeout=config.get_int("ai.timeout"),
    )
