"""Shared helpers for the store tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from zik.store import db, migrations


def database_at(path: Path, version: int) -> sqlite3.Connection:
    """A new database migrated only up to `version`, as an older zik would have made it."""
    with pytest.MonkeyPatch.context() as patch:
        older = migrations.migration._migrations[:version]
        patch.setattr(migrations.migration, "_migrations", older)
        patch.setattr(migrations, "LATEST", version)
        return db.connect(path)
