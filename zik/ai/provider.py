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
    """The embedded planner and coach (ai/offline/): deterministic, free, no network."""

    name = "offline"
    model = offline.MODEL


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


def choose() -> Choice:
    """Decide the provider from `ai.provider` and whether AWS credentials resolve."""
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
