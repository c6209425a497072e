"""Time, timezones and the date words zik accepts."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from zik.core import clock
from zik.errors import UsageError

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("2024-02-29", date(2024, 2, 29)),
        ("today", TODAY),
        (" Today ", TODAY),
        ("tomorrow", date(2026, 11, 26)),
        ("yesterday", date(2026, 11, 24)),
        ("+3d", date(2026, 11, 28)),
        ("-3d", date(2026, 11, 22)),
        ("+0d", TODAY),
        ("+2w", date(2026, 12, 9)),
        ("-1w", date(2026, 11, 18)),
        ("+365d", date(2027, 11, 25)),
        ("wednesday", TODAY),  # today's weekday is today, not next week
        ("wed", TODAY),
        ("thursday", date(2026, 11, 26)),
        ("thu", date(2026, 11, 26)),
        ("Friday", date(2026, 11, 27)),
        ("sun", date(2026, 11, 29)),
        ("monday", date(2026, 11, 30)),
        ("tuesday", date(2026, 12, 1)),
    ],
)
def test_parse_date(word, expected):
    assert clock.parse_date(word, TODAY) == expected


@pytest.mark.parametrize(
    "word",
    [
        "2025-02-30",
        "2026-13-01",
        "yesterday-ish",
        "",
        "mo",
        "+3",
        "3d",
        "+3m",
        "next week",
        "26-11-25",
    ],
)
def test_parse_date_refuses(word):
    with pytest.raises(UsageError):
        clock.parse_date(word, TODAY)


def test_an_impossible_date_says_so():
    with pytest.raises(UsageError, match="not a real date"):
        clock.parse_date("2025-02-30", TODAY)


def test_now_is_the_pinned_instant_in_utc(monkeypatch):
    assert clock.now() == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T12:00:00+02:00")
    assert clock.now() == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T07:30:00")  # no offset: UTC
    assert clock.now() == datetime(2026, 11, 25, 7, 30, tzinfo=UTC)


def test_now_without_a_pin_is_aware(monkeypatch):
    monkeypatch.delenv("ZIK_NOW")
    assert clock.now().tzinfo is not None


@pytest.mark.parametrize(
    ("pinned", "zone", "expected"),
    [
        ("2026-11-25T10:00:00Z", "UTC", date(2026, 11, 25)),
        # Kiritimati is UTC+14: it is already tomorrow there from 10:00 UTC.
        ("2026-11-25T10:00:00Z", "Pacific/Kiritimati", date(2026, 11, 26)),
        ("2026-11-25T09:59:59Z", "Pacific/Kiritimati", date(2026, 11, 25)),
        ("2026-11-25T00:00:00Z", "Pacific/Kiritimati", date(2026, 11, 25)),
        ("2026-11-25T23:00:00Z", "Pacific/Kiritimati", date(2026, 11, 26)),
        # Adak is UTC-10 in winter (HST) and UTC-9 in summer (HDT).
        ("2026-11-25T05:00:00Z", "America/Adak", date(2026, 11, 24)),
        ("2026-11-25T09:59:59Z", "America/Adak", date(2026, 11, 24)),
        ("2026-11-25T10:00:00Z", "America/Adak", date(2026, 11, 25)),
        ("2026-07-01T08:59:59Z", "America/Adak", date(2026, 6, 30)),
        ("2026-07-01T09:00:00Z", "America/Adak", date(2026, 7, 1)),
    ],
)
def test_local_today(monkeypatch, pinned, zone, expected):
    monkeypatch.setenv("ZIK_NOW", pinned)
    assert clock.local_today(zone) == expected


def test_local_today_refuses_an_unknown_zone():
    with pytest.raises(UsageError, match="timezone"):
        clock.local_today("Mars/Olympus_Mons")


def test_iso_has_milliseconds_and_z():
    moment = datetime(2025, 7, 1, 8, 15, 30, 123456, tzinfo=UTC)
    assert clock.iso(moment) == "2025-07-01T08:15:30.123Z"
    assert clock.iso(datetime(2025, 7, 1, 8, 15, 30, tzinfo=UTC)) == "2025-07-01T08:15:30.000Z"
    paris = timezone(timedelta(hours=2))
    assert clock.iso(datetime(2025, 7, 1, 10, 15, 30, 999999, tzinfo=paris)) == (
        "2025-07-01T08:15:30.999Z"
    )


def test_timestamp_uses_the_pinned_clock():
    assert clock.timestamp() == "2026-11-25T10:00:00.000Z"


def test_system_timezone_reads_tz(monkeypatch):
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    assert clock.system_timezone() == "Pacific/Kiritimati"
    monkeypatch.setenv("TZ", "UTC")
    assert clock.system_timezone() == "UTC"


@pytest.mark.parametrize(("text", "expected"), [("6:00", "06:00"), ("23:59", "23:59")])
def test_parse_time_of_day(text, expected):
    assert clock.parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["24:00", "12:60", "noon", "6"])
def test_parse_time_of_day_refuses(text):
    with pytest.raises(UsageError):
        clock.parse_time_of_day(text)
