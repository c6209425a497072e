"""`zik backup` and `zik restore`: whole-database copies.

A backup is `VACUUM INTO`: an online, consistent copy made while other zik processes (the
scheduler) keep working, written 0600. A restore checks the file first — a SQLite database that
passes `integrity_check`, made by zik, with a schema this zik understands — then saves a backup
of the current data and copies the file in with SQLite's backup API, inside the database's own
locks, so another process never sees half of it. An older backup is migrated; the full-text
indexes are rebuilt (VACUUM may renumber the rows they point to).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from zik import config
from zik.core import clock, workspace
from zik.errors import NotFound, UsageError, ZikError
from zik.store import copies, db, search
from zik.store.schema import LATEST


class BadBackup(ZikError):
    """A file `zik restore` refuses: nothing was changed."""

    exit_code = 1


def backup(conn: sqlite3.Connection, target: Path | None = None) -> Path:
    """A consistent copy of the live database (`VACUUM INTO`), 0600, next to it by default."""
    if target is None:
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        target = config.data_dir() / f"zik-backup-{stamp}.db"
        n = 1
        while target.exists():  # two backups in one second (a restore right after another)
            n += 1
            target = config.data_dir() / f"zik-backup-{stamp}-{n}.db"
    target = target.expanduser()
    if target.exists():
        raise UsageError(f"{target} already exists", hint="give another path")
    if not target.parent.is_dir():
        raise UsageError(f"no folder {target.parent}", hint="create it, or give another path")
    copies.vacuum_into(conn, target)
    return target


class Backup:
    """What a backup file holds, as checked before restoring it."""

    def __init__(self, path: Path, schema: int, counts: dict[str, int]):
        self.path, self.schema, self.counts = path, schema, counts

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "schemaVersion": self.schema, "counts": self.counts}


def check(path: Path) -> Backup:
    """The backup at `path`, checked; raises NotFound or BadBackup."""
    path = path.expanduser()
    try:
        sqlite = db.is_sqlite(path)
    except OSError as e:
        raise BadBackup(f"cannot read {path}: {e.strerror}") from None
    if sqlite is None:
        raise NotFound(f"no file {path}")
    if not sqlite or path.stat().st_size == 0:
        raise BadBackup(f"{path} is not a SQLite database; nothing was changed")
    try:
        found = copies.inspect(path)
    except sqlite3.DatabaseError as e:
        raise BadBackup(f"{path} cannot be read: {e}; nothing was changed") from None
    if found["verdict"] != "ok":
        raise BadBackup(f"{path} is damaged ({found['verdict']}); nothing was changed")
    version = found["version"]
    if version < 1 or "counts" not in found or "_sqlite_migrations" not in found["tables"]:
        raise BadBackup(f"{path} is not a zik database; nothing was changed")
    if version > LATEST:
        raise BadBackup(
            f"{path} has schema v{version}, newer than this zik understands (v{LATEST});"
            " nothing was changed",
            hint="upgrade zik, e.g. `pip install -U zik`",
        )
    return Backup(path, version, found["counts"])


class Restored:
    def __init__(self, source: Backup, saved: Path):
        self.source, self.saved = source, saved

    def to_json(self) -> dict[str, Any]:
        return {"restored": self.source.to_json(), "previousDataSavedTo": str(self.saved)}


def restore(path: Path) -> Restored:
    """Replace this machine's data with the backup's, after saving the current data."""
    source = check(path)
    conn = workspace.db()
    saved = backup(conn)
    try:
        copies.copy_in(source.path, conn)
    except sqlite3.DatabaseError as e:
        raise BadBackup(f"could not restore {path}: {e}; nothing was changed") from None
    if source.schema < LATEST:
        db.upgrade(conn)
    search.rebuild(conn)  # VACUUM may have renumbered the rows the indexes point to
    return Restored(source, saved)
