"""`zik sync` with the dynamodb remote, against the backend's tables on moto_server."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from zik.models import ChatMessage, Task
from zik.store import chat, records
from zik.store.profile import get_profile

NOW = "2026-11-25T10:00:00.000Z"
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def _fill(device) -> dict[str, str]:
    """One of everything zik syncs; returns the new ids."""
    device.ok("init", "--name", "Ada Lovelace", "--timezone", "Europe/London", "--capacity", "60")
    quest = device.ok(
        "--json", "quest", "new", "Run a half marathon", "--target", "2027-03-01", "--no-plan"
    ).data["goalId"]
    first = device.ok("--json", "milestone", "add", quest, "Run 5 km", "--days", "14").data
    device.ok("milestone", "add", quest, "Run 10 km", "--days", "21")
    task = device.ok(
        "--json", "task", "add", "Easy 3 km jog", "--quest", quest, "-p", "high", "-e", "30"
    ).data["taskId"]
    routine = device.ok(
        "--json", "routine", "add", "Stretch", "--every", "weekly", "--on", "mon,thu"
    ).data["recurrenceRuleId"]
    # chat needs Bedrock; store a turn the way `zik chat` does
    chat.add(
        device.db(),
        [
            ChatMessage(message_id=str(uuid.uuid4()), timestamp=f"2026-11-25T10:00:0{n}.000Z",
                        role=role, content=text, created_at=NOW, updated_at=NOW)
            for n, (role, text) in enumerate(
                [("user", "What should I do today?"), ("assistant", "An easy 3 km jog.")]
            )
        ],
    )  # fmt: skip
    return {"quest": quest, "milestone": first["milestoneId"], "task": task, "routine": routine}


def test_sync_puts_everything_in_the_backend_tables_with_its_names_and_keys(backend, devices):
    (laptop,) = devices(1)
    laptop.sign_in(backend.setup_args())
    ids = _fill(laptop)
    result = laptop.ok("sync", "--json")
    assert result.data["pushed"] == {
        "quest": 1,
        "routine": 1,
        "milestone": 2,
        "task": 1,
        "chat": 2,
        "profile": 1,
    }
    user = laptop.ok("--json", "cloud", "status").data["session"]["userId"]

    (goal,) = backend.items("goals")
    assert goal == {
        "userId": user,
        "goalId": ids["quest"],
        "goalName": "Run a half marathon",
        "targetDate": "2027-03-01",
        "status": "active",
        "roadmapStatus": "none",
        "createdAt": goal["createdAt"],
        "updatedAt": goal["updatedAt"],
    }
    assert STAMP.match(goal["createdAt"]) and STAMP.match(goal["updatedAt"])

    milestones = sorted(backend.items("milestones"), key=lambda m: m["sequence"])
    assert [(m["epicId"], m["sequence"], m["title"], m["status"]) for m in milestones] == [
        (ids["quest"], 1, "Run 5 km", "active"),
        (ids["quest"], 2, "Run 10 km", "locked"),
    ]
    assert milestones[0]["milestoneId"] == ids["milestone"]
    assert milestones[0]["milestoneId"].startswith("milestone_")
    assert milestones[0]["userId"] == user and milestones[0]["durationInDays"] == 14
    # the sort key is a number (N), as the table's key schema says
    assert {m["sequence"]["N"] for m in backend.raw_items("milestones")} == {"1", "2"}

    (task,) = backend.items("tasks")
    assert task["userId"] == user and task["taskId"] == ids["task"]
    assert task["taskName"] == "Easy 3 km jog"
    assert task["dueDate"] == "2026-11-25"
    assert task["priority"] == "high" and task["status"] == "pending"
    assert task["goalId"] == ids["quest"] and task["milestoneId"] == ids["milestone"]
    assert task["estimatedMinutes"] == 30

    (rule,) = backend.items("routines")
    assert rule["recurrenceRuleId"] == ids["routine"] and rule["recurrenceRuleId"].startswith(
        "rule_"
    )
    assert rule["frequency"] == "weekly" and rule["daysOfWeek"] == [1, 4]  # 0 = Sunday
    assert rule["title"] == "Stretch" and rule["status"] == "active"

    chat = sorted(backend.items("chat"), key=lambda m: m["timestamp"])
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert chat[0]["content"] == "What should I do today?" and chat[1]["content"]
    for message in chat:
        assert message["userId"] == user and STAMP.match(message["timestamp"])
        assert set(message) == {"userId", "timestamp", "messageId", "role", "content", "ttl"}
        # ttl: epoch seconds, 30 days after the message (the backend's retention)
        sent = datetime.fromisoformat(message["timestamp"].replace("Z", "+00:00"))
        assert message["ttl"] == int(sent.timestamp()) + 30 * 86400

    (profile,) = backend.items("users")
    assert profile["userId"] == user and profile["email"] == "ada@example.com"
    assert profile["displayName"] == "Ada Lovelace"
    assert profile["firstName"] == "Ada" and profile["lastName"] == "Lovelace"
    assert re.match(r"^[a-zA-Z0-9_]{3,30}$", profile["username"])
    assert profile["preferences"]["timezone"] == "Europe/London"
    assert profile["preferences"]["zikDailyCapacity"] == 60


def test_a_second_device_gets_everything_and_edits_flow_back(backend, devices):
    laptop, phone = devices(2)
    laptop.sign_in(backend.setup_args())
    ids = _fill(laptop)
    laptop.ok("sync")

    phone.sign_in(backend.setup_args())
    pulled = phone.ok("sync", "--json").data
    assert pulled["pulled"] == {
        "quest": 1, "routine": 1, "milestone": 2, "task": 1, "chat": 2, "profile": 1
    }  # fmt: skip
    assert pulled["pushed"] == {}
    shown = phone.ok("--json", "task", "list").data
    assert [t["taskName"] for t in shown] == ["Easy 3 km jog"]
    profile = get_profile(phone.db())
    assert profile is not None
    assert (profile.name, profile.timezone, profile.daily_capacity) == (
        "Ada Lovelace",
        "Europe/London",
        60,
    )

    phone.ok("task", "done", ids["task"])
    phone.ok("sync")
    laptop.ok("sync")
    assert records.get(laptop.db(), Task, ids["task"]).status == "completed"

    # nothing left to do on either side
    for device in (laptop, phone):
        again = device.ok("sync", "--json").data
        assert again["pulled"] == {} and again["pushed"] == {}, again
        assert device.ok("--json", "cloud", "status").data["sync"]["pending"] == 0


def test_the_scheduler_syncs_when_signed_in_and_stays_quiet_otherwise(backend, devices):
    from zik.scheduler import Runner

    (laptop,) = devices(1)
    lines: list[str] = []
    laptop.use()
    Runner(lines.append).sync()  # not set up: nothing happens, nothing is logged
    assert lines == []

    laptop.sign_in(backend.setup_args())
    laptop.ok("task", "add", "Synced by the scheduler")
    laptop.use()
    Runner(lines.append).sync()
    assert lines == ["sync: 0 pulled, 1 pushed, 0 conflict(s)"]
    assert [t["taskName"] for t in backend.items("tasks")] == ["Synced by the scheduler"]
    Runner(lines.append).sync()  # nothing new: nothing logged
    assert len(lines) == 1
