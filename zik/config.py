"""Where zik keeps its state, and the settings a user can change with `zik config`.

`ZIK_HOME` moves everything (database, config, tokens) into one folder: tests and power users
use it. Without it, paths follow platformdirs. Settings live in a small TOML file; precedence is
environment (`ZIK_<SECTION>_<NAME>`, plus the documented aliases) > file > default.
"""

from __future__ import annotations

import os
from pathlib import Path

from zik.errors import UsageError

DB_NAME = "zik.db"
CONFIG_NAME = "config.toml"


def _platform_dir(kind: str) -> Path:
    import platformdirs  # only when ZIK_HOME is unset

    return Path(getattr(platformdirs, f"user_{kind}_dir")("zik"))


def data_dir() -> Path:
    home = os.environ.get("ZIK_HOME")
    return Path(home) if home else _platform_dir("data")


def config_dir() -> Path:
    home = os.environ.get("ZIK_HOME")
    return Path(home) if home else _platform_dir("config")


def db_path() -> Path:
    return data_dir() / DB_NAME


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def ensure_dir(path: Path, mode: int = 0o700) -> Path:
    """Create a directory, and any missing parent, with exactly `mode` (private, 0700, unless
    said otherwise), whatever the umask: under `umask 000` a plain mkdir would make them 0777."""
    if path.is_dir():
        return path
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=mode)
        except FileExistsError:
            continue  # made meanwhile by another zik
        os.chmod(folder, mode)
    path = missing[0] if missing else path
    path.mkdir(mode=mode, exist_ok=True)  # (raises when it is a file)
    return path


def open_file(
    path: Path | str, flags: int = os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode: int = 0o600
) -> int:
    """A file descriptor for a file zik writes, with exactly `mode` whatever the umask (an
    existing file made looser by hand, or by an older zik, is set right too)."""
    fd = os.open(path, flags, mode)
    try:
        if os.fstat(fd).st_mode & 0o777 != mode and os.path.isfile(path):
            os.fchmod(fd, mode)
    except OSError:
        os.close(fd)
        raise
    return fd


class Setting:
    """One setting: its dotted key, type, default, help, allowed values and an env alias."""

    def __init__(
        self,
        key: str,
        kind: type,
        default: object,
        help: str,
        *,
        choices: tuple[str, ...] = (),
        env: str | None = None,
    ):
        self.key, self.kind, self.default, self.help = key, kind, default, help
        self.choices = choices
        self.env = env  # an extra, documented environment alias, e.g. ZIK_MODEL

    @property
    def env_name(self) -> str:
        return "ZIK_" + self.key.replace(".", "_").upper()


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting(
            "ai.provider",
            str,
            "auto",
            "Which AI plans and coaches: bedrock when AWS credentials resolve (auto), or always one.",
            choices=("auto", "bedrock", "offline"),
        ),
        Setting(
            "ai.model",
            str,
            "global.anthropic.claude-haiku-4-5-20251001-v1:0",
            "Bedrock model or inference-profile id.",
            env="ZIK_MODEL",
        ),
        Setting("ai.region", str, "", "AWS region for Bedrock (empty: the AWS default chain)."),
        Setting("ai.profile", str, "", "AWS profile for Bedrock (empty: the AWS default chain)."),
        Setting(
            "ai.max_attempts",
            int,
            4,
            "Attempts per Bedrock call, retries included (throttling and 5xx back off adaptively).",
        ),
        Setting(
            "ai.timeout",
            int,
            60,
            "Seconds of silence to wait for from Bedrock: before its answer starts, and between"
            " two parts of a streamed answer (an attempt that got no answer at all is retried).",
        ),
        Setting(
            "ai.keep_bodies",
            int,
            50,
            "How many recent successful AI calls keep their request and reply for zik why "
            "(failed ones always do).",
        ),
        Setting("cloud.user_pool_id", str, "", "Cognito user pool of the Zik backend."),
        Setting("cloud.client_id", str, "", "Cognito app client of the Zik backend."),
        Setting("cloud.region", str, "", "AWS region of the backend (empty: the pool id's)."),
        Setting("cloud.api_url", str, "", "Base URL of the backend's HTTP API."),
        Setting(
            "cloud.sync_minutes",
            int,
            15,
            "How often zik scheduler run syncs with the Zik cloud, in minutes (0: never).",
        ),
        Setting(
            "cloud.remote",
            str,
            "auto",
            "How to sync: api (the REST routes), dynamodb (the tables, with your AWS "
            "credentials), or auto (dynamodb when table names are set, else api).",
            choices=("auto", "api", "dynamodb"),
        ),
        *(
            Setting(f"cloud.tables.{table}", str, "", f"DynamoDB table of the backend's {table}.")
            for table in ("goals", "tasks", "users", "routines", "chat", "milestones")
        ),
        Setting("hooks.enabled", bool, True, "Run executables in the hooks/ folder after changes."),
        Setting(
            "hooks.timeout",
            int,
            10,
            "Seconds a hook may run before it is stopped (with everything it started).",
        ),
        Setting("chat.retention_days", int, 90, "Days of chat history to keep (0: forever)."),
        Setting(
            "chat.budget_tokens",
            int,
            6000,
            "Input tokens a chat turn may use: instructions, context, summary and recent messages.",
        ),
        Setting(
            "color",
            str,
            "auto",
            "Colour output: auto (on a terminal, unless NO_COLOR is set), always or never.",
            choices=("auto", "always", "never"),
        ),
    )
}


def _setting(key: str) -> Setting:
    try:
        return SETTINGS[key]
    except KeyError:
        known = ", ".join(SETTINGS)
        raise UsageError(f"unknown setting {key!r}", hint=f"known settings: {known}") from None


def _coerce(setting: Setting, raw: object) -> object:
    if setting.kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise UsageError(f"{setting.key} must be true or false, not {raw!r}")
    if setting.kind is int:
        try:
            return int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise UsageError(f"{setting.key} must be a whole number, not {raw!r}") from None
    value = str(raw)
    if setting.choices and value not in setting.choices:
        raise UsageError(
            f"{setting.key} must be one of {', '.join(setting.choices)}, not {value!r}"
        )
    return value


def _load(path: Path | None = None) -> dict[str, object]:
    import tomllib

    path = path or config_path()
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as e:
        raise UsageError(f"{path} is not valid TOML: {e}") from None


def read_table(*names: str) -> dict[str, object]:
    """A table of the config file as written, e.g. read_table("ai", "prices").

    For tables whose keys may contain dots (model ids), which flattening would garble. Such tables
    are edited by hand; `zik config set` manages the flat settings only.
    """
    node: object = _load()
    for name in names:
        node = node.get(name, {}) if isinstance(node, dict) else {}
    return node if isinstance(node, dict) else {}


def read_file(path: Path | None = None) -> dict[str, object]:
    """The settings stored in the config file, flattened to dotted keys."""
    data = _load(path)
    flat: dict[str, object] = {}

    def walk(prefix: str, node: dict) -> None:
        for k, v in node.items():
            key = f"{prefix}{k}"
            if isinstance(v, dict):
                walk(key + ".", v)
            else:
                flat[key] = v

    walk("", data)
    return flat


def resolve(key: str, file_values: dict[str, object] | None = None) -> tuple[object, str]:
    """A setting's effective value and where it came from: env, file or default."""
    setting = _setting(key)
    for name in (setting.env, setting.env_name):
        if name and os.environ.get(name):
            return _coerce(setting, os.environ[name]), "env"
    values = read_file() if file_values is None else file_values
    if key in values:
        return _coerce(setting, values[key]), "file"
    return setting.default, "default"


def get(key: str) -> object:
    return resolve(key)[0]


def aws_region(explicit: str | None) -> str | None:
    """The region to give boto3: the one asked for, else AWS_REGION (botocore itself reads only
    AWS_DEFAULT_REGION, while the AWS CLI v2 and the other SDKs use AWS_REGION), else None for
    botocore's own chain."""
    return explicit or os.environ.get("AWS_REGION") or None


def get_int(key: str) -> int:
    """A whole-number setting (the registry coerces it; this gives callers the type)."""
    value = get(key)
    assert isinstance(value, int), key
    return value


def all_settings() -> list[tuple[Setting, object, str]]:
    values = read_file()
    return [(s, *resolve(s.key, values)) for s in SETTINGS.values()]


def set_value(key: str, raw: str) -> object:
    """Validate and store a setting; returns the stored value."""
    setting = _setting(key)
    value = _coerce(setting, raw)
    data = _load()
    *sections, name = key.split(".")
    node = data
    for section in sections:
        node = node.setdefault(section, {})  # type: ignore[assignment]
    node[name] = value
    _write(data)
    return value


def unset_value(key: str) -> None:
    _setting(key)
    data = _load()
    *sections, name = key.split(".")
    node: object = data
    for section in sections:
        node = node.get(section) if isinstance(node, dict) else None
    if isinstance(node, dict) and node.pop(name, None) is not None:
        _write(data)


def _toml_key(key: str) -> str:
    import json
    import re

    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _toml_value(value: object) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value))  # a JSON string is a valid TOML basic string


def _dump(node: dict, path: tuple[str, ...] = ()) -> list[str]:
    """TOML for a nested dict: a table's own values first, then its sub-tables."""
    lines = [
        f"{_toml_key(k)} = {_toml_value(v)}" for k, v in node.items() if not isinstance(v, dict)
    ]
    if lines and path:
        lines.insert(0, "[" + ".".join(_toml_key(p) for p in path) + "]")
    blocks = ["\n".join(lines)] if lines else []
    for key, value in node.items():
        if isinstance(value, dict):
            blocks += _dump(value, (*path, key))
    return blocks


def _write(data: dict[str, object]) -> None:
    """Write the file atomically (temp file + rename), keeping tables written by hand."""
    path = config_path()
    ensure_dir(path.parent)
    tmp = path.with_suffix(".tmp")
    with os.fdopen(open_file(tmp), "w", encoding="utf-8") as out:
        out.write("\n\n".join(_dump(data)) + "\n")
    os.replace(tmp, path)
