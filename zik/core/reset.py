"""`zik reset`: wipe this machine's zik data (after a backup, if wanted).

The database goes (with its WAL files); settings and the cloud sign-in stay, so a `zik sync`
right after brings the cloud's copy back.
"""

from __future__ import annotations

from pathlib import Path

from zik import config
from zik.core import workspace
from zik.core.exchange.backup import backup


class ResetResult:
    def __init__(self, removed: list[Path], backup: Path | None):
        self.removed, self.backup = removed, backup

    def to_json(self) -> dict:
        return {
            "removed": [str(p) for p in self.removed],
            "backup": str(self.backup) if self.backup else None,
        }


def reset(*, backup_to: Path | None, keep_backup: bool) -> ResetResult:
    made = backup(workspace.db(), backup_to) if keep_backup else None
    workspace.close()
    db = config.db_path()
    removed = []
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if path.exists():
            path.unlink()
            removed.append(path)
    return ResetResult(removed, made)
