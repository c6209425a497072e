"""Opening the one database file safely and fast.

Every connection gets WAL, a busy timeout, foreign keys and synchronous=NORMAL (DESIGN.md §4).
Connections run in autocommit mode and `atomic()` opens short `BEGIN IMMEDIATE` transactions, so
two processes serialise their writes instead of failing half-way. Migrations run only when
`PRAGMA user_version` is behind, so an up-to-date database never imports sqlite-utils.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zik import config
from zik.errors import StoreError, TemporaryError, disk_full

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
_WAL_ATTEMPTS = 5


def is_sqlite(path: Path) -> bool | None:
    """Whether the file starts as a SQLite database does (an empty file counts: SQLite
    makes it one); None when there is no such file. Other OSErrors pass through."""
    try:
        with open(path, "rb") as f:
            header = f.read(16)
    except FileNotFoundError:
        return None
    return not header or header == SQLITE_HEADER


def read_only(path: Path, *, timeout: float = BUSY_TIMEOUT_MS / 1000) -> sqlite3.Connection:
    """A connection that can only read `path` (a backup being checked, shell completion): it
    neither migrates nor creates anything."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _check_file(path: Path) -> bool:
    """True when the file exists; refuses a file that is not a SQLite database."""
    try:
        sqlite = is_sqlite(path)
    except OSError as e:
        raise StoreError(f"cannot read database {path}: {e.strerror}") from None
    if sqlite is None:
        return False
    if not sqlite:
        raise StoreError(
            f"{path} is not a SQLite database",
            hint="move it aside and zik will create a new one, or restore a backup",
        )
    return True


def connect(path: Path | None = None, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed, mode 0600) and migrate the zik database."""
    path = path or config.db_path()
    if not _check_file(path):
        config.ensure_dir(path.parent)
        os.close(config.open_file(path, os.O_CREAT | os.O_WRONLY))
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            _use_wal(conn)  # persistent: set once, at creation
    except sqlite3.DatabaseError as e:
        raise StoreError(f"cannot open database {path}: {e}") from None
    from zik.store.schema import LATEST

    if version > LATEST:
        conn.close()
        raise StoreError(
            f"database schema v{version} is newer than this zik understands (v{LATEST})",
            hint="upgrade zik, e.g. `pip install -U zik`",
        )
    if version < LATEST and migrate:
        upgrade(conn)
    return conn


def upgrade(conn: sqlite3.Connection) -> None:
    """Apply the migrations this database lacks (sqlite-utils is imported only then)."""
    from zik.store.migrations import migrate

    migrate(conn, atomic)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch a new database to WAL, even when another process is creating it at the same time.

    SQLite answers a journal-mode switch that meets another connection's lock with "database is
    locked" at once, without waiting out the busy timeout. Waiting for that process's write lock
    (BEGIN IMMEDIATE does wait) and trying again succeeds: by then it has switched the file to
    WAL itself, or let go of it.
    """
    for _ in range(_WAL_ATTEMPTS - 1):
        try:
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
                return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    conn.execute("PRAGMA journal_mode = WAL")


@contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (`BEGIN IMMEDIATE`), or a savepoint when already inside one.

    After some errors (a full disk, I/O) SQLite has already rolled the transaction back; the
    rollback here is then skipped, so the first cause is what gets reported, not "cannot
    rollback - no transaction is active"."""
    if conn.in_transaction:
        conn.execute("SAVEPOINT zik")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK TO SAVEPOINT zik")
                conn.execute("RELEASE SAVEPOINT zik")
            raise
        conn.execute("RELEASE SAVEPOINT zik")
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        if disk_full(e):
            raise
        raise TemporaryError(f"the database is busy ({e}); try again") from None
    try:
        yield conn
    except BaseException:
        _rollback(conn)
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.OperationalError as e:
        _rollback(conn)
        if disk_full(e):
            raise
        raise TemporaryError(f"could not save the change ({e}); try again") from None
    except sqlite3.DatabaseError:  # e.g. a deferred foreign key found broken at commit
        _rollback(conn)
        raise


# What holds anything at all: every change writes an event; chat, the AI log and sync state
# are written without one.
_ANY_DATA = ("events", "chat_messages", "ai_calls", "profile", "sync_state")


def holds_data(conn: sqlite3.Connection) -> bool:
    """Whether the database holds anything a person or a sync made (not only its schema)."""
    return any(conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in _ANY_DATA)


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A read transaction: every read inside it sees the same state of the database, whatever
    other processes commit meanwhile (WAL), as an export or a report needs."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


def defer_foreign_keys(conn: sqlite3.Connection) -> None:
    """Check foreign keys when the current transaction commits rather than per statement, so a
    batch may write records in any order (an import); it ends with the transaction."""
    conn.execute("PRAGMA defer_foreign_keys = ON")
