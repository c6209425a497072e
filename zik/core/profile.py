"""The person's profile: name, timezone, daily time, daily capacity, focus areas.

zik works before `zik init`: until a profile is saved, the defaults apply (the system's
timezone, 06:00, 90 minutes a day).
"""

from __future__ import annotations

import sqlite3

from zik.core import clock
from zik.core.changes import change_set
from zik.errors import UsageError
from zik.models import Profile
from zik.store import profile as profile_store

FIELDS = ("name", "timezone", "daily_time", "daily_capacity", "focus_areas")


def load(conn: sqlite3.Connection) -> Profile:
    """The profile, with any stored value zik cannot use (a zone, time or capacity written by an
    older zik or by hand) read as its default, so that `today` and cron's `daily --if-due` keep
    working; `zik doctor` names it (`problems`)."""
    saved = profile_store.get_profile(conn)
    if saved is None:
        return Profile(timezone=clock.system_timezone())
    wrong = problems(saved)
    if not wrong:
        return saved
    defaults = {"timezone": clock.system_timezone(), **Profile.DEFAULTS}
    return saved.replace(**{field: defaults[field] for field in wrong})


def problems(saved: Profile) -> dict[str, str]:
    """The stored fields zik cannot use, each with what is wrong with it."""
    wrong = {}
    for field in ("timezone", "daily_time", "daily_capacity"):
        try:
            value = getattr(saved, field)
            if _clean(field, value) != value:
                raise UsageError(f"{value!r} is not as zik writes it")
        except (UsageError, TypeError):
            wrong[field] = f"{getattr(saved, field)!r} cannot be used"
    return wrong


def local_today(conn: sqlite3.Connection):
    return clock.local_today(load(conn).timezone)


def _clean(field: str, value: object) -> object:
    if field == "name":
        text = str(value or "").strip()
        if len(text) > 100:
            raise UsageError("the name is longer than 100 characters")
        return text or None
    if field == "timezone":
        clock.zone(str(value))
        return str(value)
    if field == "daily_time":
        return clock.parse_time_of_day(str(value))
    if field == "daily_capacity":
        try:
            minutes = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise UsageError(f"daily capacity must be minutes, not {value!r}") from None
        if not 5 <= minutes <= 16 * 60:
            raise UsageError("daily capacity must be between 5 and 960 minutes")
        return minutes
    if field == "focus_areas":
        items = value if isinstance(value, list) else str(value).split(",")
        return [a.strip() for a in items if a and a.strip()]
    raise UsageError(f"unknown profile field {field!r}", hint=f"fields: {', '.join(FIELDS)}")


def update(conn: sqlite3.Connection, *, onboarding: bool = False, **values: object) -> Profile:
    """Validate and save profile fields (None means unchanged)."""
    cleaned = {k: _clean(k, v) for k, v in values.items() if v is not None}
    if onboarding:
        cleaned["onboarding_completed"] = True
    # Profile edits are not undo steps: `zik undo` is for quests, milestones, tasks and routines.
    with change_set(conn, "init" if onboarding else "profile update", undoable=False) as cs:
        current = load(conn)
        if not current.created_at:
            return cs.insert(current.replace(**cleaned))
        return cs.update(current, **cleaned)
