"""The one shape of a `zik doctor` line: a name, ok/warn/fail, what was seen, and the fix.

Apart from the report so that the checks and the report both import it, and nothing imports in a
circle.
"""

from __future__ import annotations

from typing import Any

OK, WARN, FAIL = "ok", "warn", "fail"


class Check:
    def __init__(self, name: str, status: str, detail: str, fix: str | None = None):
        self.name, self.status, self.detail, self.fix = name, status, detail, fix

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "detail": self.detail, "fix": self.fix}
