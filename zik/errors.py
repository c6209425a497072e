"""Every error a user can see, with its stable code and exit status.

The exit table is DESIGN.md §9; `zik.cli.main` is the one place that turns these into output and
an exit code. Layers raise them; nothing below the CLI prints.
"""


class ZikError(Exception):
    code = "error"
    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(ZikError):
    """Bad input from the user: a bad date, an empty title, an unknown setting."""

    code = "usage"
    exit_code = 2


class AmbiguousId(UsageError):
    code = "ambiguous_id"


class NotFound(ZikError):
    code = "not_found"
    exit_code = 3


class SyncConflict(ZikError):
    code = "sync_conflict"
    exit_code = 4


class AccessError(ZikError):
    """AI or cloud credentials are missing or not allowed."""

    code = "access"
    exit_code = 5


class InvalidAIOutput(ZikError):
    code = "ai_output_invalid"
    exit_code = 6


class TemporaryError(ZikError):
    """Offline, throttled, or the database is busy: trying again later may work."""

    code = "temporary"
    exit_code = 75


class Interrupted(ZikError):
    """Ctrl-C: the transaction in progress was rolled back."""

    code = "interrupted"
    exit_code = 130


class StoreError(ZikError):
    """The database cannot be used: not SQLite, corrupt, or newer than this zik."""

    code = "store"


class NothingToUndo(ZikError):
    code = "nothing_to_undo"


class UndoConflict(ZikError):
    code = "undo_conflict"


def disk_full(error: BaseException) -> bool:
    """SQLite's SQLITE_FULL: the disk (or the file system's quota) has no room left."""
    return "database or disk is full" in str(error)
