"""`zik doctor`: is everything zik depends on in order, and what to do when it is not.

Each check is ok, warn or fail with a fix. Nothing here calls the model unless asked
(`check_model`): the AI lines report what `ai.provider = auto` would pick, the model, the region
and whether AWS credentials resolve, all without a network call. Nothing is changed unless
asked (`rebuild_index`: remake the full-text indexes).
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

# Where a shell finds zik's completion: first where `zik --install-completion` (Typer) writes it,
# then the per-user and system folders each shell's completion system reads by itself.
COMPLETION_FILES = {
    "bash": (
        "~/.bash_completions/zik.sh",
        "$XDG_DATA_HOME/bash-completion/completions/zik",
        "~/.local/share/bash-completion/completions/zik",
        "/usr/share/bash-completion/completions/zik",
        "/etc/bash_completion.d/zik",
    ),
    "zsh": (
        "~/.zfunc/_zik",
        "/usr/share/zsh/site-functions/_zik",
        "/usr/local/share/zsh/site-functions/_zik",
    ),
    "fish": (
        "~/.config/fish/completions/zik.fish",
        "$XDG_CONFIG_HOME/fish/completions/zik.fish",
        "~/.local/share/fish/vendor_completions.d/zik.fish",
        "/usr/share/fish/vendor_completions.d/zik.fish",
    ),
}
# Or the shell's start-up file loads it, e.g. `eval "$(_ZIK_COMPLETE=source_bash zik)"`.
SHELL_RC = {"bash": "~/.bashrc", "zsh": "~/.zshrc", "fish": "~/.config/fish/config.fish"}
MIN_SQLITE = (3, 24, 0)  # upserts (ON CONFLICT … DO UPDATE)


class Check:
    def __init__(self, name: str, status: str, detail: str, fix: str | None = None):
        self.name, self.status, self.detail, self.fix = name, status, detail, fix

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "detail": self.detail, "fix": self.fix}


class Report:
    def __init__(
        self, checks: list[Check], ai: dict[str, Any] | None, paths: dict[str, str] | None = None
    ):
        self.checks, self.ai, self.paths = checks, ai, paths or {}

    @property
    def ok(self) -> bool:
        return all(c.status != FAIL for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checks": [c.to_json() for c in self.checks],
            "ai": self.ai,
            "paths": self.paths,
        }


def run(*, check_model: bool = False, rebuild_index: bool = False) -> Report:
    paths = _paths()
    checks = [_versions(), _path_check(paths)]
    storage, conn = _storage()
    checks += storage
    if conn is not None:
        checks.append(_search_index(conn, rebuild_index))
    ai_checks, ai = _ai(check_model)
    checks += ai_checks + [_daily_runs(), _hooks(), _cloud(conn), _completion()]
    return Report(checks, ai, {k: str(v) for k, v in paths.items()})


def _versions() -> Check:
    """zik, Python, the SQLite library, and the installed typer and boto3 (boto3 not imported)."""
    from importlib import metadata

    def installed(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    typer, boto3 = installed("typer"), installed("boto3")
    detail = (
        f"zik {__version__}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version},"
        f" typer {typer or 'not installed'}, boto3 {boto3 or 'not installed'}"
    )
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        need = ".".join(map(str, MIN_SQLITE))
        return Check(
            "versions",
            FAIL,
            f"{detail}: zik needs SQLite {need} or newer",
            f"use a Python built with SQLite {need} or newer (python.org and uv builds are)",
        )
    if typer and _release(typer) >= (0, 29):
        return Check(
            "versions",
            WARN,
            f"{detail}: typer 0.29 and later add ~75 ms to every command",
            "pip install 'typer<0.29' (in zik's environment)",
        )
    if boto3 is None:
        return Check(
            "versions",
            WARN,
            f"{detail}: without boto3 there is no Bedrock and no Zik cloud",
            "reinstall zik with its dependencies, e.g. pipx reinstall zik",
        )
    return Check("versions", OK, detail)


def _release(version: str) -> tuple[int, ...]:
    import re

    return tuple(int(n) for n in re.findall(r"\d+", version)[:2])


def _paths() -> dict[str, Path]:
    from zik.core import hooks

    return {
        "config": config.config_path(),
        "data": config.data_dir(),
        "database": config.db_path(),
        "hooks": Path(hooks.hooks_dir()),
    }


def _path_check(paths: dict[str, Path]) -> Check:
    """Where zik keeps its state, and whether it can write there."""
    where = " (ZIK_HOME)" if os.environ.get("ZIK_HOME") else ""
    detail = ", ".join(f"{name} {path}" for name, path in paths.items()) + where
    for folder in (paths["data"], paths["config"].parent):
        if folder.exists() and not folder.is_dir():
            return Check("paths", FAIL, f"{folder} is a file, not a folder", f"move {folder} aside")
        if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
            return Check(
                "paths",
                FAIL,
                f"cannot write in {folder}",
                f"chmod u+rwx {folder}, or set ZIK_HOME to a folder you own",
            )
    return Check("paths", OK, detail)


def _search_index(conn: sqlite3.Connection, rebuild: bool) -> Check:
    """The full-text indexes (`zik search`) hold exactly their tables' text."""
    from zik.store import search

    try:
        rebuilt = search.rebuild(conn) if rebuild else []
        failing = search.check(conn)
    except (ZikError, sqlite3.DatabaseError) as e:
        message = e.message if isinstance(e, ZikError) else str(e)
        return Check("search index", FAIL, message, "zik doctor --rebuild-index")
    if failing:
        return Check(
            "search index",
            FAIL,
            f"out of step with the data: {', '.join(failing)} (zik search may miss or show stale"
            " records)",
            "zik doctor --rebuild-index",
        )
    done = f"rebuilt {len(rebuilt)} full-text indexes; " if rebuilt else ""
    return Check("search index", OK, f"{done}quests, milestones, tasks and chat: integrity ok")


def _completion() -> Check:
    """Whether the user's shell has zik's completion (`zik --install-completion`)."""
    shell = Path(os.environ.get("SHELL", "")).name
    if shell not in COMPLETION_FILES:
        return Check(
            "completion",
            OK,
            f"not checked for {shell or 'this shell'} (zik --install-completion supports bash,"
            " zsh, fish and PowerShell)",
        )
    for place in COMPLETION_FILES[shell]:
        path = _expand(place)
        if path is not None and _holds_zik_completion(path):
            return Check("completion", OK, f"{shell}: {path}")
    rc = _expand(SHELL_RC[shell])
    if rc is not None and _holds_zik_completion(rc):
        return Check("completion", OK, f"{shell}: loaded in {rc}")
    return Check(
        "completion",
        WARN,
        f"{shell}: not installed (Tab does not complete commands and ids)",
        "zik --install-completion, then open a new terminal",
    )


def _expand(place: str) -> Path | None:
    """A path with ~ and $XDG_… expanded; None when the variable it names is unset."""
    if place.startswith("$"):
        name, _, rest = place[1:].partition("/")
        base = os.environ.get(name)
        return Path(base, rest) if base else None
    return Path(place).expanduser()


def _holds_zik_completion(path: Path) -> bool:
    try:
        return "_ZIK_COMPLETE" in path.read_text(errors="replace")
    except OSError:
        return False


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


def _cloud(conn: sqlite3.Connection | None) -> Check:
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
    pending, conflicts = _sync_state(conn)
    waiting = f"; {_count(pending, 'change')} to push" if pending else ""
    if session is None:
        return Check(
            "cloud",
            WARN,
            f"set up ({settings.user_pool_id}) but not logged in{waiting}",
            "zik cloud login",
        )
    detail = (
        f"logged in as {session.email} (remote {settings.remote}); access token until"
        f" {session.expires_at} (refreshed as needed)"
    )
    fixes = []
    if pending:
        fixes.append("zik sync")
    if conflicts:
        detail += f"; {_count(conflicts, 'sync conflict')} not yet looked at"
        fixes.append("zik sync --conflicts")
    if fixes:
        return Check("cloud", WARN, detail + waiting, "; ".join(fixes))
    return Check("cloud", OK, detail + ("; in sync" if conn is not None else ""))


def _sync_state(conn: sqlite3.Connection | None) -> tuple[int, int]:
    """Changes waiting to be pushed and conflicts not yet looked at (0, 0 without a database)."""
    if conn is None:
        return 0, 0
    from zik.core import sync

    try:
        state = sync.status(conn)
    except sqlite3.DatabaseError:
        return 0, 0
    return state["pending"], state["conflicts"]


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _storage() -> tuple[list[Check], sqlite3.Connection | None]:
    """The config file, the database (and its connection for the checks after it), the timezone."""
    checks = []
    conn = None
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
        conn = None
    return checks, conn


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
