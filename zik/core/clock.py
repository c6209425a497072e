"""Time, the user's timezone, and the date words zik accepts.

"Today" is always the date in the profile's timezone: the backend computes it in UTC, which shows
tomorrow's tasks in Sydney each morning (backend-contract §1.6). `ZIK_NOW` pins the clock for
tests and reproducible demos.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from zik.errors import UsageError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(r"^([+-])(\d{1,4})([dw])$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_HELP = "YYYY-MM-DD, today, tomorrow, yesterday, +3d, -1w, or a weekday"


def now() -> datetime:
    """The current instant in UTC (or the pinned `ZIK_NOW`)."""
    pinned = os.environ.get("ZIK_NOW")
    if pinned:
        return _pinned(pinned)
    return datetime.now(UTC)


def _pinned(text: str) -> datetime:
    """`ZIK_NOW` as an instant zik can write and read back: an ISO time between 1970 and 8999
    (year 1 would be written `1-01-01T…`, which nothing reads; year 9999 has no tomorrow)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        moment = None
    if moment is None or not 1970 <= moment.year < 9000:
        raise UsageError(
            f"ZIK_NOW={text!r} is not a time zik can use",
            hint="an ISO time such as 2026-11-25T10:00:00Z, or unset it",
        )
    return moment


def iso(moment: datetime) -> str:
    """Backend timestamp format: ISO-8601 UTC with milliseconds and Z."""
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def timestamp() -> str:
    return iso(now())


def just_after(stamp: str) -> str:
    """The stamp one millisecond later: for records keyed by their time (chat messages)."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return iso(moment + timedelta(milliseconds=1))


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"unknown timezone {name!r}", hint="use an IANA name such as Europe/Paris"
        ) from None


def system_timezone() -> str:
    """The machine's IANA zone name, or UTC when it cannot be told."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        with open("/etc/timezone", encoding="utf-8") as f:
            candidates.append(f.read().strip())
    except OSError:
        pass
    try:
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name and "/" in name or name == "UTC":
            try:
                ZoneInfo(name)
                return name
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return "UTC"


def local_today(tz_name: str) -> date:
    return now().astimezone(zone(tz_name)).date()


def local_date(stamp: str, tz_name: str) -> date:
    """The local date of a stored UTC timestamp."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment.astimezone(zone(tz_name)).date()


def local_midnight(day: date, tz_name: str) -> datetime:
    """The instant a local day starts."""
    return datetime.combine(day, datetime.min.time(), zone(tz_name))


def parse_date(text: str, today: date) -> date:
    """Turn a user's date word into a date, relative to their local today."""
    word = text.strip().lower()
    if _ISO_DATE.match(word):
        try:
            return date.fromisoformat(word)
        except ValueError:
            raise UsageError(
                f"{text!r} is not a real date", hint=f"dates are {DATE_HELP}"
            ) from None
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    if word == "yesterday":
        return today - timedelta(days=1)
    m = _RELATIVE.match(word)
    if m:
        sign, count, unit = m.groups()
        days = int(count) * (7 if unit == "w" else 1)
        return today + timedelta(days=days if sign == "+" else -days)
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return today + timedelta(days=(index - today.weekday()) % 7)
    raise UsageError(f"cannot read date {text!r}", hint=f"dates are {DATE_HELP}")


def parse_time_of_day(text: str) -> str:
    """Validate an HH:MM time of day."""
    m = re.match(r"^(\d{1,2}):(\d{2})$", text.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise UsageError(f"cannot read time {text!r}", hint="use HH:MM, e.g. 06:00")
    return f"{int(m.group(1)):02d}:{m.group(2)}"
