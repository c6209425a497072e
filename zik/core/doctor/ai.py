"""`zik doctor`'s AI lines: what `ai.provider = auto` picks, the model, the region and the AWS
credentials, without a network call; and, when asked, one tiny real call to the model.
"""

from __future__ import annotations

from typing import Any

from zik.core.doctor.check import FAIL, OK, WARN, Check
from zik.errors import ZikError


def check_ai(check_model: bool) -> tuple[list[Check], dict[str, Any] | None]:
    from zik.ai import provider as providers

    try:
        choice = providers.choose()
    except ZikError as e:  # an AWS profile that does not exist, an unreadable ~/.aws/config
        return [Check("ai provider", FAIL, e.message, e.hint)], None
    checks = []
    if choice.provider == "offline" and choice.setting == "auto":
        checks.append(
            Check(
                "ai provider",
                WARN,
                f"offline ({choice.reason}); ai.provider is auto",
                "to plan with Bedrock, set AWS_PROFILE or AWS access keys and AWS_REGION",
            )
        )
    else:
        checks.append(Check("ai provider", OK, f"{choice.provider} ({choice.reason})"))
    if choice.credentials is not None:
        checks += _bedrock_checks(choice)
    if check_model:
        checks.append(_check_model(choice))
    return checks, choice.to_json()


def _bedrock_checks(choice: Any) -> list[Check]:
    from zik.ai.bedrock import needs_profile, suggest_profile_id

    checks = []
    model = choice.bedrock_model
    if not needs_profile(model):
        checks.append(Check("ai model", OK, model))
    else:
        checks.append(
            Check(
                "ai model",
                WARN,
                f"{model} is a bare model id; Bedrock serves this model only through an "
                "inference profile",
                f"zik config set ai.model {suggest_profile_id(model, choice.region)}",
            )
        )
    checks.append(_region_check(choice))
    if choice.credentials_method:
        who = f" (profile {choice.profile})" if choice.profile else ""
        checks.append(Check("aws credentials", OK, f"found: {choice.credentials_method}{who}"))
    else:
        status = FAIL if choice.setting == "bedrock" else WARN
        checks.append(
            Check(
                "aws credentials",
                status,
                choice.credentials.problem
                or "none found (env, shared files, SSO, instance role, AWS_BEARER_TOKEN_BEDROCK)",
                "set AWS_PROFILE (after `aws sso login`) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
            )
        )
    return checks


def _region_check(choice: Any) -> Check:
    import re

    fix = "set AWS_REGION or zik config set ai.region REGION (e.g. us-east-1)"
    if not re.fullmatch(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d", choice.region):
        return Check("aws region", FAIL, f"{choice.region!r} is not an AWS region name", fix)
    if choice.region_is_default:
        return Check("aws region", WARN, f"{choice.region} (default; no region configured)", fix)
    return Check("aws region", OK, choice.region)


def _check_model(choice: Any) -> Check:
    """One tiny real call to the model, logged in ai_calls like any other."""
    if choice.provider == "offline":
        return Check("model call", OK, "offline provider: nothing to call")
    from zik.ai import provider as providers
    from zik.ai.structured import ping
    from zik.core.plan.planning import call_log
    from zik.core.workspace import db

    try:
        plain, streamed = ping(providers.connect(choice), call_log(db()))
    except ZikError as e:
        return Check("model call", FAIL, e.message, e.hint)
    return Check(
        "model call",
        OK,
        f"{choice.model} answered in {plain.latency_ms} ms and streamed in"
        f" {streamed.latency_ms} ms",
    )
