"""`zik doctor`: is everything zik depends on in order, and what to do when it is not.

Each check is ok, warn or fail with a fix. Nothing here calls the model unless asked
(`check_model`): the AI lines report what `ai.provider = auto` would pick, the model, the region
and whether AWS credentials resolve, all without a network call.
"""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path
from typing import Any

from zik import __version__, config
from zik.errors import ZikError

OK, WARN, FAIL = "ok", "warn", "fail"


class Check:
    def __init__(self, name: str, status: str, detail: str, fix: str | None = None):
        self.name, self.status, self.detail, self.fix = name, status, detail, fix

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "detail": self.detail, "fix": self.fix}


class Report:
    def __init__(self, checks: list[Check], ai: dict[str, Any] | None):
        self.checks, self.ai = checks, ai

    @property
    def ok(self) -> bool:
        return all(c.status != FAIL for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": [c.to_json() for c in self.checks], "ai": self.ai}


def run(*, check_model: bool = False) -> Report:
    checks = [Check("zik", OK, f"zik {__version__}, Python {platform.python_version()}")]
    checks += _storage()
    ai_checks, ai = _ai(check_model)
    return Report(checks + ai_checks + [_daily_runs(), _hooks(), _cloud()], ai)


def _daily_runs() -> Check:
    """Whether something makes the daily tasks: a running scheduler, cron, or systemd."""
    from zik import scheduler
    from zik.core import schedule

    pid = scheduler.running_pid()
    if pid:
        return Check("daily runs", OK, f"zik scheduler run is running (pid {pid})")
    runner = schedule.installed()
    if runner:
        return Check("daily runs", OK, runner)
    return Check(
        "daily runs",
        WARN,
        "nothing runs zik daily on its own (tasks come only when you run it)",
        "zik scheduler install --cron (or --systemd), or keep zik scheduler run going",
    )


def _hooks() -> Check:
    from zik.core import hooks

    folder = Path(hooks.hooks_dir())
    if not folder.is_dir():
        return Check("hooks", OK, f"none ({folder} does not exist)")
    names = sorted(p.name for p in folder.iterdir() if p.name in hooks.HOOKS.values())
    idle = [n for n in names if not os.access(folder / n, os.X_OK)]
    active = [n for n in names if n not in idle]
    if idle:
        return Check(
            "hooks", WARN, f"not executable: {', '.join(idle)}", f"chmod +x {folder}/<name>"
        )
    return Check("hooks", OK, ", ".join(active) if active else f"none in {folder}")


def _cloud() -> Check:
    from zik.cloud import auth

    settings = auth.Settings()
    if not (settings.client_id and settings.user_pool_id):
        return Check("cloud", OK, "not set up (zik works offline)")
    try:
        session = auth.load()
    except ZikError as e:
        return Check("cloud", FAIL, e.message, e.hint)
    if settings.remote == "api" and not settings.api_url:
        return Check(
            "cloud", FAIL, "the api remote has no API URL", "zik cloud setup --api-url URL"
        )
    if session is None:
        return Check(
            "cloud", WARN, f"set up ({settings.user_pool_id}) but not logged in", "zik cloud login"
        )
    return Check(
        "cloud",
        OK,
        f"logged in as {session.email} (remote {settings.remote}); access token until"
        f" {session.expires_at} (refreshed as needed)",
    )


def _storage() -> list[Check]:
    checks = []
    try:
        checks.append(
            Check("config", OK, f"{config.config_path()} ({len(config.read_file())} settings)")
        )
    except ZikError as e:
        checks.append(Check("config", FAIL, e.message, f"fix or delete {config.config_path()}"))
    path = config.db_path()
    try:
        from zik.core import profile
        from zik.core.workspace import db
        from zik.store.schema import LATEST

        conn = db()
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        mode = oct(os.stat(path).st_mode & 0o777)
        if verdict != "ok":
            checks.append(Check("database", FAIL, f"{path}: {verdict}", "restore a backup"))
        else:
            detail = f"{path} (schema v{version} of v{LATEST}, integrity ok, mode {mode[2:]})"
            checks.append(Check("database", OK, detail))
        me = profile.load(conn)
        if me.created_at:
            checks.append(Check("timezone", OK, f"{me.timezone} (from your profile)"))
        else:
            checks.append(
                Check("timezone", WARN, f"{me.timezone} (the system's; no profile yet)", "zik init")
            )
    except (ZikError, sqlite3.DatabaseError) as e:
        message = e.message if isinstance(e, ZikError) else str(e)
        checks.append(Check("database", FAIL, f"{path}: {message}", "restore a backup"))
    return checks


def _ai(check_model: bool) -> tuple[list[Check], dict[str, Any] | None]:
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
                choice.credentials.problem or "none found (env, shared files, SSO, instance role)",
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
    from zik.core.planning import call_log
    from zik.core.workspace import db

    try:
        call = ping(providers.connect(choice), call_log(db()))
    except ZikError as e:
        return Check("model call", FAIL, e.message, e.hint)
    return Check("model call", OK, f"{choice.model} answered in {call.latency_ms} ms")
