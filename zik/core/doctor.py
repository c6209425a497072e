"""`zik doctor`: is everything zik depends on in order, and what to do when it is not.

Each check is ok, warn or fail with a fix. Nothing here calls the model unless asked
(`check_model`): the AI lines report what `ai.provider = auto` would pick, the model, the region
and whether AWS credentials resolve, all without a network call. Nothing is changed unless
asked (`rebuild_index`: remake the full-text indexes).

This module holds the report and the order of its lines; the checks live in the modules named
for what they look at: checks_install (versions, paths), checks_storage (config, database,
timezone, search index), checks_ai, checks_automation (daily runs, hooks), checks_cloud and
checks_completion.
"""

from __future__ import annotations

from typing import Any

OK, WARN, FAIL = "ok", "warn", "fail"


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
    """Every check, in the order `zik doctor` shows them."""
    # Imported here: the check modules import Check and the statuses from this one.
    from zik.core.checks_ai import check_ai
    from zik.core.checks_automation import check_daily_runs, check_hooks
    from zik.core.checks_cloud import check_cloud
    from zik.core.checks_completion import check_completion
    from zik.core.checks_install import check_paths, check_versions, state_paths
    from zik.core.checks_storage import check_search_index, check_storage

    paths = state_paths()
    checks = [check_versions(), check_paths(paths)]
    storage, conn = check_storage()
    checks += storage
    if conn is not None:
        checks.append(check_search_index(conn, rebuild_index))
    ai_checks, ai = check_ai(check_model)
    checks += ai_checks + [check_daily_runs(), check_hooks(), check_cloud(conn), check_completion()]
    return Report(checks, ai, {k: str(v) for k, v in paths.items()})
