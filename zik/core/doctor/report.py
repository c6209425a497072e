"""`zik doctor`: is everything zik depends on in order, and what to do when it is not.

Each check is ok, warn or fail with a fix. Nothing here calls the model unless asked
(`check_model`): the AI lines report what `ai.provider = auto` would pick, the model, the region
and whether AWS credentials resolve, all without a network call. Nothing is changed unless
asked (`rebuild_index`: remake the full-text indexes).

This module holds the report and the order of its lines; the line type is check.py, and the
checks live in the modules named for what they look at: install (versions, paths), storage
(config, database, timezone, search index), ai, automation (daily runs, hooks), cloud and
completion.
"""

from __future__ import annotations

from typing import Any

from zik.core.doctor.ai import check_ai
from zik.core.doctor.automation import check_daily_runs, check_hooks
from zik.core.doctor.check import FAIL, Check
from zik.core.doctor.cloud import check_cloud
from zik.core.doctor.completion import check_completion
from zik.core.doctor.install import check_paths, check_versions, state_paths
from zik.core.doctor.storage import check_search_index, check_storage


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
    """Every check, in the order `zik doctor` shows them."""
    paths = state_paths()
    checks = [check_versions(), check_paths(paths)]
    storage, conn = check_storage()
    checks += storage
    if conn is not None:
        checks.append(check_search_index(conn, rebuild_index))
    ai_checks, ai = check_ai(check_model)
    checks += ai_checks + [
        check_daily_runs(conn),
        check_hooks(),
        check_cloud(conn),
        check_completion(),
    ]
    return Report(checks, ai, {k: str(v) for k, v in paths.items()})
