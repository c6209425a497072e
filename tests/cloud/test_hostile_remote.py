"""Random remote items, on both remotes (issue 18): what the app, a Lambda or a hand edit could
leave in the backend's tables — impossible dates and times, unknown zones, fractions and huge
numbers, missing optional fields, control characters and bidi overrides in every text. After
each sync, every later command still works: `today`, `daily`, `stats`, every export, and an
import of zik's own export. A sync itself ends 0 (or 4 with a conflict), never with a crash."""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cloud.test_sync_errors import read_tokens
from tests.fakes.moto import TABLES
from tests.fakes.rest_backend import Tables
from zik.core import clock

TODAY = "2026-11-25"  # the frozen clock's day, and the REST double's UTC today
LATER = "2026-11-25T11:00:00.000Z"

TEXT = st.one_of(
    st.sampled_from(["Run 5 km", "Learn Go", "日本語", "x" * 201, "", " ",
                     "Pay \x1b]0;pwned\x07\x1b]52;c;ZWNobw==\x07", "a\x9b31mb", "\u202eevil",
                     "two\nlines", "tab\there", "\x00nul", "\x7fdel"]),
    st.text(max_size=40),
)  # fmt: skip
STAMP = st.sampled_from(
    [LATER, "2026-11-24T08:00:00.000Z", "2026-13-45T99:99:99Z", "2026-11-25T10:00:00Z",
     "0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "yesterday", ""]
)  # fmt: skip
DAY = st.sampled_from(
    [TODAY, "2026-11-26", "2026-02-30", "2026-13-01", "next spring", "", "0001-01-01"]
)
NUMBER = st.sampled_from(
    [1, 3, 30, 0, -5, 1441, 10**12, Decimal("1.5"), Decimal("-0.5"), Decimal("1e30"), "30"]
)


def _maybe(value: st.SearchStrategy, *, drop: float = 0.2) -> st.SearchStrategy:
    """A field that may be missing (None: the caller leaves it out)."""
    return st.one_of(st.none(), value) if drop else value


def _item(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if v is not None}


@st.composite
def remote_items(draw, user: str) -> list[tuple[str, dict]]:
    """A few items for the backend's tables, each valid enough to look like the app's."""
    made: list[tuple[str, dict]] = []
    goal_id = str(uuid.uuid4())
    made.append(("goals", _item({
        "userId": user, "goalId": goal_id, "goalName": draw(TEXT),
        "description": draw(_maybe(TEXT)), "targetDate": draw(_maybe(DAY)),
        "category": draw(_maybe(TEXT)),
        "status": draw(st.sampled_from(["active", "paused", "completed", "done"])),
        "roadmapStatus": draw(_maybe(st.sampled_from(["none", "ready", "generating", "bogus"]))),
        "createdAt": draw(STAMP), "updatedAt": draw(STAMP),
    })))  # fmt: skip
    goals = [goal_id, str(uuid.uuid4())]  # its own goal, and one that is nowhere
    for _ in range(draw(st.integers(0, 2))):
        made.append(("milestones", _item({
            "userId": user, "epicId": draw(st.sampled_from(goals)),
            "sequence": draw(st.sampled_from([1, 2, 3, Decimal("1.5"), -1, 10**7])),
            "milestoneId": f"milestone_{uuid.uuid4()}", "title": draw(TEXT),
            "description": draw(_maybe(TEXT)),
            "status": draw(st.sampled_from(["locked", "active", "completed", "open"])),
            "durationInDays": draw(_maybe(NUMBER)), "activatedAt": draw(_maybe(STAMP)),
            "createdAt": draw(STAMP), "updatedAt": draw(STAMP),
        })))  # fmt: skip
    for _ in range(draw(st.integers(1, 3))):
        made.append(("tasks", _item({
            "userId": user, "taskId": str(uuid.uuid4()), "taskName": draw(TEXT),
            "description": draw(_maybe(TEXT)), "dueDate": draw(st.one_of(st.just(TODAY), DAY.filter(bool))),  # ("" breaks the GSI)
            "priority": draw(_maybe(st.sampled_from(["low", "medium", "high", "urgent", "P1"]))),
            "status": draw(st.sampled_from(["pending", "in-progress", "completed", "done"])),
            "goalId": draw(_maybe(st.sampled_from(goals))),
            "estimatedMinutes": draw(_maybe(NUMBER, drop=0.5)),
            "tags": draw(_maybe(st.lists(TEXT, max_size=3), drop=0.6)),
            "completedAt": draw(_maybe(STAMP, drop=0.6)),
            "createdAt": draw(STAMP), "updatedAt": draw(STAMP),
        })))  # fmt: skip
    if draw(st.booleans()):
        made.append(("routines", _item({
            "userId": user, "recurrenceRuleId": f"rule_{uuid.uuid4()}", "title": draw(TEXT),
            "frequency": draw(st.sampled_from(["daily", "weekly", "weekdays", "hourly"])),
            "daysOfWeek": draw(_maybe(st.sampled_from([[1, 4], [7], [], ["mon"]]))),
            "status": draw(st.sampled_from(["active", "paused"])),
            "priority": draw(_maybe(st.sampled_from(["low", "urgent"]))),
            "createdAt": draw(STAMP), "updatedAt": draw(STAMP),
        })))  # fmt: skip
    if draw(st.booleans()):
        made.append(("chat", _item({
            "userId": user, "messageId": str(uuid.uuid4()), "timestamp": draw(STAMP.filter(bool)),
            "role": draw(st.sampled_from(["user", "assistant", "system"])),
            "content": draw(TEXT), "createdAt": draw(STAMP), "updatedAt": draw(STAMP),
        })))  # fmt: skip
    if draw(st.booleans()):
        made.append(("users", {
            "timezone": draw(st.sampled_from(["UTC", "Europe/Paris", "Mars/Olympus", "", 5])),
            "zikDailyTime": draw(st.sampled_from(["07:30", "7am", "25:00", ""])),
            "zikDailyCapacity": draw(NUMBER),
        }))  # fmt: skip
    return made


LATER_COMMANDS = (("today",), ("daily",), ("daily", "--if-due"), ("stats",), ("task", "list"),
                  ("quest", "list"), ("export", "-f", "md"), ("export", "-f", "ics"),
                  ("export", "-f", "jsonl"))  # fmt: skip


def _put(tables: Tables, user: str, items: list[tuple[str, dict]]) -> None:
    for table, item in items:
        if table == "users":  # the profile: the backend's own item, its preferences changed
            profile = tables.get("users", {"userId": user}) or {"userId": user}
            preferences = {**(profile.get("preferences") or {}), **item}
            tables.put("users", {**profile, "preferences": preferences, "updatedAt": LATER})
        else:
            tables.put(table, item)


def _every_later_command_works(device) -> None:
    for command in LATER_COMMANDS:
        result = device(*command)
        assert result.code == 0, (command, result)
        assert "Traceback" not in result.err
        result.out.encode("utf-8")  # printable on a strict UTF-8 terminal
    exported = device.home / "own.json"
    device.ok("export", "-o", str(exported))
    json.loads(exported.read_text(encoding="utf-8"))
    device.ok("import", str(exported))  # zik reads back whatever it holds


def _synced(device) -> None:
    result = device("sync", "--json")
    assert result.code in (0, 4), result
    assert "Traceback" not in result.err


HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fresh(backend, device_home, devices, setup_args):
    """A new device, signed in to emptied tables, with a task synced: (device, user id)."""
    for table, spec in TABLES.items():
        keys = [name for name, _ in spec["keys"]]
        for item in backend.raw_items(table):
            backend.ddb.delete_item(TableName=backend.tables[table], Key={k: item[k] for k in keys})
    (laptop,) = devices(1)
    laptop.home = device_home()
    laptop.sign_in(setup_args)
    laptop.ok("init", "--name", "Ada", "--timezone", "UTC")
    laptop.ok("task", "add", "Buy milk")
    laptop.ok("sync")
    return laptop, read_tokens(laptop)["sub"]


@pytest.fixture
def device_home(tmp_path_factory):
    return lambda: tmp_path_factory.mktemp("device") / "home"


@HYPOTHESIS
@given(data=st.data())
def test_random_dynamodb_items_never_break_a_later_command(backend, devices, device_home, data):
    laptop, user = _fresh(backend, device_home, devices, backend.setup_args())
    _put(Tables(backend), user, data.draw(remote_items(user)))
    _synced(laptop)
    _every_later_command_works(laptop)


@HYPOTHESIS
@given(data=st.data())
def test_random_api_items_never_break_a_later_command(
    rest_backend, devices, device_home, data, monkeypatch
):
    monkeypatch.setattr(rest_backend, "now", clock.now)
    rest_backend.today = date(2026, 11, 25)
    args = [*rest_backend.backend.cognito.setup_args(), "--api-url", rest_backend.url,
            "--remote", "api"]  # fmt: skip
    laptop, user = _fresh(rest_backend.backend, device_home, devices, args)
    _put(rest_backend.tables, user, data.draw(remote_items(user)))
    _synced(laptop)
    _every_later_command_works(laptop)


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.retries.standard import ExponentialBackoff

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)
