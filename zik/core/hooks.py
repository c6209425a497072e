"""Event hooks: after a change commits, run the user's executables named after its events.

DESIGN.md §6. An executable `hooks/on-task-completed` in the config folder runs once per
`task.completed` event, with the event as one JSON document on stdin and ZIK_EVENT set. It runs
only when it and its folder are the user's own and not writable by others; without a shell, in
the hooks folder, in its own session, for at most `hooks.timeout` seconds; a hook that hangs is
killed with everything it started (core/hookproc.py). Its output goes to zik's stderr, as git
does with its hooks, so that zik's stdout stays one JSON document under --json; past 64 KB it is
dropped. A hook that
fails or times out is reported through `report` (core never prints) and never undoes the change
or alters the exit code.

This runs after every write, `zik task done` included (90 ms budget, DESIGN.md §9): without a
hooks folder the whole cost is one stat. The config file, json and subprocess are loaded only
when a hook is there to run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from zik import config
from zik.errors import ZikError
from zik.text import dumps

SCHEMA_VERSION = 1

# event type -> executable name
HOOKS = {
    "task.completed": "on-task-completed",
    "milestone.completed": "on-milestone-completed",
    "quest.completed": "on-quest-completed",
    "quest.roadmap_ready": "on-roadmap-ready",
    "quest.roadmap_failed": "on-roadmap-failed",
    "daily.generated": "on-daily-generated",
}


def _silent(text: str) -> None:
    return None


# The CLI points this at its status line; a library caller may log instead.
report: Callable[[str], None] = _silent

# Set by the global `--no-hooks` switch (ZIK_NO_HOOKS=1 and `hooks.enabled = false` also work).
disabled = False

# Events of change sets that committed inside an enclosing transaction, by connection: they wait
# for the outermost change set to commit, since a rollback there would undo them too.
_held: dict[int, list[tuple[list[Any], str, str]]] = {}


def hold(conn: object, events: list[Any], change_set_id: str, created_at: str) -> None:
    _held.setdefault(id(conn), []).append((events, change_set_id, created_at))


def forget(conn: object) -> None:
    """Drop what an enclosing transaction held: it rolled back, or was not a change set."""
    _held.pop(id(conn), None)


def release(conn: object) -> None:
    """The outermost transaction committed: run the hooks of everything it held."""
    for batch in _held.pop(id(conn), ()):
        after_commit(*batch)


def after_commit(events: Iterable[Any], change_set_id: str, created_at: str) -> None:
    """Run the hook of each committed event (a `zik.core.changes.Event`) that has one."""
    folder = _folder()
    if folder is None:
        return
    for event in events:
        path = _find(folder, event.type)
        if path is not None:
            _run(path, event.type, _document(event, change_set_id, created_at))


def fire(event_type: str, payload: dict[str, Any]) -> None:
    """Run the hook of an event that is not a database change, e.g. `daily.generated`.

    `payload` holds JSON values, or records (anything with `to_json()`, e.g. the tasks made).
    """
    folder = _folder()
    if folder is None:
        return
    path = _find(folder, event_type)
    if path is not None:
        _run(path, event_type, {"schema_version": SCHEMA_VERSION, "event": event_type, **payload})


def hooks_dir() -> str:
    return os.path.join(config.config_dir(), "hooks")


def _folder() -> str | None:
    if disabled:
        return None
    folder = hooks_dir()
    return folder if os.path.isdir(folder) else None


def _find(folder: str, event_type: str) -> str | None:
    """The hook to run for an event: an executable file named exactly after it, hooks on."""
    name = HOOKS.get(event_type)
    if name is None:
        return None
    if not os.access(folder, os.R_OK | os.X_OK):
        report(f"hooks folder {folder} cannot be read: no hook ran (chmod u+rx it)")
        return None
    path = os.path.join(folder, name)
    if not os.path.isfile(path) or not _enabled():
        return None
    if not os.access(path, os.X_OK):
        report(f"hook {name} is not executable and was ignored (chmod +x it to run it)")
        return None
    why = _untrusted(folder) or _untrusted(path)
    if why:
        report(f"hook {name} was not run: {why}")
        return None
    return path


def _untrusted(path: str) -> str | None:
    """Why a hook (or its folder) cannot be trusted to be the user's own, as git and ssh judge
    their files: owned by someone other than the user or root, or writable by others."""
    info = os.stat(path)
    if info.st_uid not in (os.getuid(), 0):
        return f"{path} belongs to another user"
    if info.st_mode & 0o022:
        return f"{path} can be changed by other users (chmod go-w it)"
    return None


def _enabled() -> bool:
    if os.environ.get("ZIK_NO_HOOKS", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    try:
        return bool(config.get("hooks.enabled"))
    except ZikError as e:
        report(f"hooks did not run: {e.message}")
        return False


def _timeout() -> int:
    try:
        seconds = config.get_int("hooks.timeout")
    except ZikError as e:
        report(f"{e.message}; using {config.SETTINGS['hooks.timeout'].default} s")
        seconds = int(config.SETTINGS["hooks.timeout"].default)  # type: ignore[call-overload]
    return max(seconds, 1)


def _document(event: Any, change_set_id: str, created_at: str) -> dict[str, Any]:
    """The JSON a hook reads: the event, with the record before and after in backend names."""
    from zik.models import ENTITIES

    cls = ENTITIES.get(event.entity)

    def record(row: dict[str, Any] | None) -> dict[str, Any] | None:
        if row is None or cls is None:
            return row
        return cls.from_row(row).to_json()

    return {
        "schema_version": SCHEMA_VERSION,
        "event": event.type,
        "entity": event.entity,
        "id": event.entity_id,
        "changeSet": change_set_id,
        "at": created_at,
        "before": record(event.before),
        "after": record(event.after),
    }


def _run(path: str, event_type: str, document: dict[str, Any]) -> None:
    import sys

    from zik.core import hookproc

    name = os.path.basename(path)
    timeout = _timeout()
    data = (dumps(document, default=_jsonable) + "\n").encode("utf-8")
    sys.stderr.flush()  # zik's own status lines first, then whatever the hook prints
    try:
        ran = hookproc.run(path, data, {**os.environ, "ZIK_EVENT": event_type}, timeout, _stderr())
    except OSError as e:
        report(f"hook {name} could not run: {e.strerror or e}")
        return
    if ran.returncode is None:
        report(f"hook {name} timed out after {timeout} s and was stopped")
    elif ran.returncode:
        report(f"hook {name} failed ({_how(ran.returncode)})")
    if ran.dropped:
        report(
            f"hook {name} printed {ran.dropped:,} bytes more than the {hookproc.LIMIT // 1024} KB shown"
        )


def _jsonable(value: Any) -> Any:
    if hasattr(value, "to_json"):
        return value.to_json()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _stderr() -> int | None:
    """zik's stderr for the hook's output, or nowhere when zik runs without one (cron)."""
    try:
        os.fstat(2)
    except OSError:
        return None
    return 2


def _how(returncode: int) -> str:
    if returncode > 0:
        return f"exit {returncode}"
    import signal

    try:
        return f"killed by {signal.Signals(-returncode).name}"
    except ValueError:
        return f"killed by signal {-returncode}"
