"""`zik doctor`'s lines on the installation: versions, and where zik keeps its state."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path

from zik import __version__, config
from zik.core.doctor.check import FAIL, OK, WARN, Check

MIN_SQLITE = (3, 24, 0)  # upserts (ON CONFLICT … DO UPDATE)


def check_versions() -> Check:
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


def state_paths() -> dict[str, Path]:
    """Where zik keeps its config, data, database and hooks (the report's `paths`)."""
    from zik.core import hooks

    return {
        "config": config.config_path(),
        "data": config.data_dir(),
        "database": config.db_path(),
        "hooks": Path(hooks.hooks_dir()),
    }


def check_paths(paths: dict[str, Path]) -> Check:
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
