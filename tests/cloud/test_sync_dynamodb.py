"""`zik sync` with the dynamodb remote, against the backend's tables on moto_server."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime

from zik.cloud import stamps
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
        "zikRoadmap": goal["zikRoadmap"],  # changed with each milestone write (listing.py)
        "zikEdits": goal["zikEdits"],  # each field's edit stamp (stamps.py)
    }
    assert re.fullmatch(r"[0-9a-f]{32}", goal["zikRoadmap"])
    edits = json.loads(goal["zikEdits"])
    assert edits["v"] == goal["updatedAt"]
    assert edits["f"]["goalName"] == [goal["createdAt"], stamps.digest("Run a half marathon")]
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


def test_an_edit_on_both_sides_keeps_the_later_and_lists_the_other(backend, devices, monkeypatch):
    laptop, phone = devices(2)
    laptop.sign_in(backend.setup_args())
    phone.sign_in(backend.setup_args())
    task = laptop.ok("--json", "task", "add", "Run 5 km").data["taskId"]
    laptop.ok("sync")
    phone.ok("sync")

    laptop.ok("task", "edit", task, "--title", "Run 6 km", "-p", "high")
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T11:00:00Z")  # the phone's edit is later
    phone.ok("task", "edit", task, "--title", "Run 7 km")
    phone.ok("sync")
    result = laptop("sync", "--json")
    assert result.code == 4, result  # a conflict: exit 4, with the sync done all the same
    assert "changed on both sides" in result.err
    assert result.data["conflicts"] == [
        {"entity": "task", "entityId": task, "field": "taskName", "kept": "Run 7 km",
         "lost": "Run 6 km", "keptSide": "remote", "certain": True,
         "why": "both sides changed it; the later edit was kept: there at 2026-11-25 11:00:00"
                " UTC, here at 2026-11-25 10:00:00 UTC"}
    ]  # fmt: skip
    # each side's other change survives: the laptop's priority, the phone's title
    merged = records.get(laptop.db(), Task, task)
    assert (merged.task_name, merged.priority) == ("Run 7 km", "high")
    phone.ok("sync")
    on_phone = records.get(phone.db(), Task, task)
    assert (on_phone.task_name, on_phone.priority) == ("Run 7 km", "high")
    (item,) = backend.items("tasks")
    assert (item["taskName"], item["priority"]) == ("Run 7 km", "high")

    assert laptop.ok("--json", "cloud", "status").data["sync"]["conflicts"] == 1
    listed = laptop.ok("--json", "sync", "--conflicts", "--clear-conflicts").data
    assert [c["lost"] for c in listed] == ["Run 6 km"]
    assert laptop.ok("--json", "cloud", "status").data["sync"]["conflicts"] == 0


def test_a_delete_on_one_side_reaches_the_other(backend, devices):
    laptop, phone = devices(2)
    laptop.sign_in(backend.setup_args())
    phone.sign_in(backend.setup_args())
    quest = laptop.ok("--json", "quest", "new", "Learn Go", "--no-plan").data["goalId"]
    laptop.ok("milestone", "add", quest, "Tour of Go")
    laptop.ok("task", "add", "Install Go", "--quest", quest)
    laptop.ok("sync")
    phone.ok("sync")
    phone.ok("quest", "rm", quest)
    phone.ok("sync")
    assert backend.items("goals") == [] and backend.items("tasks") == []
    assert backend.items("milestones") == []
    laptop.ok("sync")
    assert laptop.ok("--json", "quest", "list", "--status", "all").data == []
    assert laptop.ok("--json", "task", "list", "--due", "all").data == []


def test_dry_run_shows_both_ways_and_changes_nothing(backend, devices):
    laptop, phone = devices(2)
    laptop.sign_in(backend.setup_args())
    phone.sign_in(backend.setup_args())
    laptop.ok("task", "add", "From the laptop")
    laptop.ok("sync")
    phone.ok("task", "add", "From the phone")
    preview = phone.ok("sync", "--dry-run", "--json").data
    assert preview["dryRun"] is True
    assert preview["pulled"] == {"task": 1} and preview["pushed"] == {"task": 1}
    assert [t["taskName"] for t in backend.items("tasks")] == ["From the laptop"]
    assert [t["taskName"] for t in phone.ok("--json", "task", "list").data] == ["From the phone"]
    shown = phone.ok("sync", "--dry-run")
    assert "Would pull  1 task\n" in shown.out and "Would push  1 task\n" in shown.out


def test_a_batch_with_one_stale_write_applies_the_others(backend, devices):
    """Writes go in one transaction; a write whose item changed meanwhile comes back stale and
    the others are applied without it."""
    from zik.cloud.dynamodb import DynamoRemote
    from zik.cloud.items import TASK
    from zik.cloud.remote import Write

    (laptop,) = devices(1)
    laptop.sign_in(backend.setup_args())
    remote = DynamoRemote("user-1", "ada@example.com")

    def task(name: str, at: str) -> dict:
        return {"taskId": name, "taskName": name, "dueDate": "2026-11-25", "status": "pending",
                "priority": "medium", "createdAt": at, "updatedAt": at}  # fmt: skip

    first = [Write(TASK, task(n, "2026-11-25T10:00:00.000Z"), None) for n in ("a", "b", "c")]
    assert [p.ok for p in remote.apply(first)] == [True, True, True]
    later = "2026-11-25T11:00:00.000Z"
    again = [
        Write(TASK, {**task("a", later), "taskName": "a2"}, "2026-11-25T10:00:00.000Z"),
        Write(TASK, {**task("b", later), "taskName": "b2"}, "2026-11-25T09:00:00.000Z"),  # stale
        Write(TASK, {**task("d", later)}, None),
        Write(TASK, {**task("c", later)}, None),  # exists already: stale
    ]
    assert [p.ok for p in remote.apply(again)] == [True, False, True, False]
    names = sorted(t["taskName"] for t in backend.items("tasks"))
    assert names == ["a2", "b", "c", "d"]


def test_tags_travel_as_an_attribute_only_tagged_tasks_carry(backend, devices):
    laptop, phone = devices(2)
    laptop.sign_in(backend.setup_args())
    tagged = laptop.ok("--json", "task", "add", "Call the vet", "--tag", "phone").data["taskId"]
    plain = laptop.ok("--json", "task", "add", "Write report").data["taskId"]
    laptop.ok("sync")
    items = {item["taskId"]: item for item in backend.items("tasks")}
    assert items[tagged]["tags"] == ["phone"] and "tags" not in items[plain]

    phone.sign_in(backend.setup_args())
    phone.ok("sync")
    assert records.get(phone.db(), Task, tagged).tags == ["phone"]
    assert records.get(phone.db(), Task, plain).tags == []
    phone.ok("task", "edit", tagged[:8], "--tag", "errand", "--untag", "phone")
    phone.ok("sync")
    laptop.ok("sync")
    assert records.get(laptop.db(), Task, tagged).tags == ["errand"]
    for device in (laptop, phone):
        again = device.ok("sync", "--json").data
        assert again["pulled"] == {} and again["pushed"] == {}, again


def test_a_skipped_task_travels_as_an_attribute_and_stays_skipped(backend, devices, monkeypatch):
    """Issue 15: a missed task let go keeps its place in history; on the dynamodb remote the
    state travels as a `skippedAt` attribute (the backend's status stays pending)."""
    laptop, phone = devices(2)
    laptop.sign_in(backend.setup_args())
    goal = laptop.ok("--json", "quest", "new", "Learn Spanish", "--no-plan").data["goalId"]
    laptop.ok("milestone", "add", goal[:8], "Basics", "--days", "10")
    laptop.ok("daily")
    monkeypatch.setenv("ZIK_NOW", "2026-11-26T10:00:00Z")  # nothing was done on the 25th
    [planned] = laptop.ok("--json", "daily").data["milestones"]
    skipped = set(planned["replaced"])
    assert skipped
    laptop.ok("sync")
    items = {i["taskId"]: i for i in backend.items("tasks")}
    for task_id, item in items.items():
        if task_id in skipped:
            assert item["skippedAt"] and item["status"] == "pending", item
        else:
            assert "skippedAt" not in item, item

    phone.sign_in(backend.setup_args())
    phone.ok("sync")
    for task_id in skipped:
        here = records.get(laptop.db(), Task, task_id)
        there = records.get(phone.db(), Task, task_id)
        assert there.skipped_at == here.skipped_at and not there.is_open
    for device in (laptop, phone):
        again = device.ok("sync", "--json").data
        assert again["pulled"] == {} and again["pushed"] == {}, again


def test_a_profile_item_that_disappears_is_written_again_not_deleted_here(backend, devices):
    """Issue 17: a synced profile item removed from the Users table crashed every later sync
    ("Profile has no field deleted_at"); the profile is never deleted by a sync."""
    (laptop,) = devices(1)
    laptop.ok("init", "--name", "Ada Lovelace", "--timezone", "Europe/London", "--capacity", "60")
    laptop.sign_in(backend.setup_args())
    laptop.ok("sync")
    (item,) = backend.items("users")
    backend.ddb.delete_item(
        TableName=backend.tables["users"], Key={"userId": {"S": item["userId"]}}
    )

    report = laptop.ok("sync", "--json").data
    assert report["pushed"].get("profile") == 1, report
    (again,) = backend.items("users")
    assert again["displayName"] == "Ada Lovelace"
    assert again["preferences"]["timezone"] == "Europe/London"
    row = laptop.db().execute("SELECT name, timezone FROM profile").fetchone()
    assert tuple(row) == ("Ada Lovelace", "Europe/London")
    assert laptop.ok("sync", "--json").data["pushed"] == {}


def _put(backend, table: str, item: dict) -> None:
    """Write an item straight into a backend table, as the backend's Lambdas do."""
    from boto3.dynamodb.types import TypeSerializer

    typed = TypeSerializer()
    backend.ddb.put_item(
        TableName=backend.tables[table], Item={k: typed.serialize(v) for k, v in item.items()}
    )


def test_one_unreadable_remote_item_never_stops_the_rest(backend, devices):
    """Issue 17: one legal backend value (a priority "urgent", a target "next spring", an AI
    duration of 1.5 days) or a missing optional field stopped every sync, exit 1."""
    from decimal import Decimal

    (laptop,) = devices(1)
    laptop.sign_in(backend.setup_args())
    ids = _fill(laptop)
    laptop.ok("sync")
    (goal,) = backend.items("goals")
    user, stamp = goal["userId"], "2026-11-25T09:00:00.000Z"
    common = {"userId": user, "createdAt": stamp, "updatedAt": stamp}
    _put(backend, "goals", {**common, "goalId": "goal-spring", "goalName": "Learn to sail",
                            "status": "active", "targetDate": "next spring"})  # fmt: skip
    _put(backend, "tasks", {**common, "taskId": "t-urgent", "taskName": "Call the marina",
                            "dueDate": "2026-11-25", "priority": "urgent", "status": "pending"})  # fmt: skip
    _put(backend, "tasks", {**common, "taskId": "t-plain", "taskName": "Buy gloves",
                            "dueDate": "2026-11-25", "status": "completed"})  # fmt: skip
    _put(backend, "tasks", {**common, "taskId": "t-broken", "taskName": "Odd one",
                            "dueDate": "2026-11-25", "status": "archived"})  # fmt: skip
    _put(backend, "milestones", {**common, "milestoneId": "milestone_half", "epicId": ids["quest"],
                                 "sequence": 3, "title": "Run 15 km", "status": "locked",
                                 "durationInDays": Decimal("1.5")})  # fmt: skip
    (mine,) = [g for g in backend.items("goals") if g["goalId"] == ids["quest"]]
    _put(backend, "goals", {**mine, "roadmapStatus": "ready", "updatedAt": stamp})  # (as the
    # backend's milestone saver does after writing milestones: what tells zik to read them)

    report = laptop.ok("sync", "--json").data
    assert report["skipped"] == [
        {"entity": "task", "id": "t-broken", "why": report["skipped"][0]["why"]}
    ], report
    assert "archived" in report["skipped"][0]["why"]
    assert any("'urgent' read as high" in n for n in report["adjusted"]), report["adjusted"]
    assert any("'next spring' is not a date" in n for n in report["adjusted"])
    assert any("durationInDays 1.5 read as 2" in n for n in report["adjusted"])
    conn = laptop.db()
    rows = dict(conn.execute("SELECT task_id, priority FROM tasks").fetchall())
    assert rows["t-urgent"] == "high" and rows["t-plain"] == "medium" and "t-broken" not in rows
    done = conn.execute("SELECT status, completed_at FROM tasks WHERE task_id = 't-plain'")
    assert tuple(done.fetchone()) == ("completed", stamp)  # completed in the app, no time given
    quest = conn.execute("SELECT target_date, roadmap_status FROM quests WHERE goal_id = ?",
                         ("goal-spring",)).fetchone()  # fmt: skip
    assert tuple(quest) == (None, "none")
    days = conn.execute("SELECT duration_in_days FROM milestones WHERE milestone_id = ?",
                        ("milestone_half",)).fetchone()  # fmt: skip
    assert days[0] == 2

    human = laptop.ok("sync")
    assert "Skipped the remote task t-broken" in human.err
    again = laptop.ok("sync", "--json").data
    assert again["pushed"] == {} and again["pulled"] == {}, again
    broken = [t for t in backend.items("tasks") if t["taskId"] == "t-broken"]
    assert broken and broken[0]["status"] == "archived"  # left as it is there
    status = laptop.ok("--json", "cloud", "status").data["sync"]
    assert [s["id"] for s in status["skipped"]] == ["t-broken"]
    doctor = laptop("doctor")
    assert "1 remote item zik cannot read, left alone" in doctor.out + doctor.err


def test_a_reopen_in_the_app_against_a_completion_here_leaves_no_completion_time(
    backend, devices, monkeypatch
):
    """Issue 17: the app reopens a task this device completed (it sets `status` only, and
    leaves the `completedAt` it does not know); merged field by field that gave `pending`
    with `completedAt` still set, here and there."""
    (laptop,) = devices(1)
    laptop.sign_in(backend.setup_args())
    ids = _fill(laptop)
    laptop.ok("sync")
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T11:00:00Z")
    laptop.ok("task", "done", ids["task"])
    laptop.ok("sync")
    item = [t for t in backend.raw_items("tasks") if t["taskId"]["S"] == ids["task"]][0]
    assert "completedAt" in item
    item |= {"status": {"S": "pending"}, "updatedAt": {"S": "2026-11-25T12:00:00.000Z"}}
    backend.ddb.put_item(TableName=backend.tables["tasks"], Item=item)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T12:30:00Z")

    laptop.ok("sync")
    row = (
        laptop.db()
        .execute("SELECT status, completed_at FROM tasks WHERE task_id = ?", (ids["task"],))
        .fetchone()
    )
    assert tuple(row) == ("pending", None)
    (there,) = [t for t in backend.items("tasks") if t["taskId"] == ids["task"]]
    assert there["status"] == "pending" and there.get("completedAt") is None
    assert laptop.ok("sync", "--json").data["pushed"] == {}


def test_a_completion_without_its_time_here_is_settled_in_the_first_sync(backend, devices):
    """A milestone completed here with no completion time (an import, an older zik) got one
    on the remote only: the time was set on the local dict the merge handed back, so the
    local write was skipped, and every device's next sync wrote it once more."""
    (laptop,) = devices(1)
    laptop.sign_in(backend.setup_args())
    ids = _fill(laptop)
    laptop.db().execute(
        "UPDATE milestones SET status = 'completed', completed_at = NULL"
        " WHERE milestone_id = ?", (ids["milestone"],)
    )  # fmt: skip
    laptop.ok("sync")
    (done,) = [m for m in backend.items("milestones") if m["milestoneId"] == ids["milestone"]]
    row = (
        laptop.db()
        .execute("SELECT completed_at FROM milestones WHERE milestone_id = ?", (ids["milestone"],))
        .fetchone()
    )
    assert row[0] == done["completedAt"] is not None
    again = laptop.ok("sync", "--json").data
    assert (again["pulled"], again["pushed"]) == ({}, {})


def test_a_question_and_its_reply_in_one_millisecond_both_reach_the_chat_table(backend, devices):
    """Issue 17: the chat table is keyed by (userId, timestamp); a reply stamped in the same
    millisecond as its question (a frozen or fast clock) overwrote it, so one never synced."""
    (laptop,) = devices(1)
    laptop.ok("config", "set", "ai.provider", "offline")
    laptop.sign_in(backend.setup_args())
    laptop.ok("chat", "how am I doing?")  # ZIK_NOW is pinned: every stamp is the same instant
    laptop.ok("chat", "what's next?")
    laptop.ok("sync")
    stored = laptop.db().execute("SELECT timestamp FROM chat_messages ORDER BY timestamp")
    stamps = [r[0] for r in stored.fetchall()]
    assert len(stamps) == len(set(stamps)) == 4
    there = sorted(m["timestamp"] for m in backend.items("chat"))
    assert there == stamps
    assert [m["role"] for m in sorted(backend.items("chat"), key=lambda m: m["timestamp"])] == [
        "user", "assistant", "user", "assistant"
    ]  # fmt: skip


def test_two_devices_chatting_in_the_same_millisecond_both_reach_every_device(backend, devices):
    """Issue 17: chat keys never collide between devices. The laptop and the phone each ask
    a question at the same instant: the second to sync found its messages' keys taken by
    the first's, its writes refused each round ("kept changing remotely"), for good."""
    laptop, phone = devices(2)
    for device in (laptop, phone):
        device.ok("config", "set", "ai.provider", "offline")
        device.sign_in(backend.setup_args())
    laptop.ok("chat", "how am I doing?")  # ZIK_NOW is pinned: both at the same instant
    phone.ok("chat", "what's next?")
    laptop.ok("sync")
    result = phone("sync", "--json")
    assert result.code == 0, result
    laptop.ok("sync")
    for device in (laptop, phone):
        stored = device.db().execute("SELECT role, content FROM chat_messages ORDER BY timestamp")
        rows = [tuple(r) for r in stored.fetchall()]
        assert [role for role, _ in rows] == ["user", "assistant"] * 2, rows
        assert {content for _, content in rows} >= {"how am I doing?", "what's next?"}
    assert len(backend.items("chat")) == 4


def test_chat_clear_reaches_the_other_devices(backend, devices):
    """Issue 17: `zik chat clear` emptied this device's history only."""
    laptop, phone = devices(2)
    for device in (laptop, phone):
        device.ok("config", "set", "ai.provider", "offline")
        device.sign_in(backend.setup_args())
    laptop.ok("chat", "how am I doing?")
    laptop.ok("sync")
    phone.ok("sync")
    assert phone.db().execute("SELECT count(*) FROM chat_messages").fetchone()[0] == 2

    laptop.ok("chat", "clear", "--yes")
    laptop.ok("sync")
    assert backend.items("chat") == []
    phone.ok("sync")
    assert phone.db().execute("SELECT count(*) FROM chat_messages").fetchone()[0] == 0
    laptop.ok("sync")
    assert laptop.db().execute("SELECT count(*) FROM chat_messages").fetchone()[0] == 0


def test_a_message_the_backend_expired_stays_here(backend, devices):
    """The chat table's TTL removes messages after 30 days; that is not a `chat clear`, and
    the local history (kept 90 days) keeps them."""
    (laptop,) = devices(1)
    laptop.sign_in(backend.setup_args())
    old = "2026-10-01T10:00:00.000Z"  # 55 days before the pinned now
    chat.add(
        laptop.db(),
        [ChatMessage(message_id=str(uuid.uuid4()), timestamp=old, role="user",
                     content="An old question", created_at=old, updated_at=old)],
    )  # fmt: skip
    laptop.ok("sync")
    (item,) = backend.raw_items("chat")
    backend.ddb.delete_item(
        TableName=backend.tables["chat"],
        Key={"userId": item["userId"], "timestamp": item["timestamp"]},
    )  # as the TTL sweep does
    laptop.ok("sync")
    stored = laptop.db().execute("SELECT content FROM chat_messages").fetchall()
    assert [r[0] for r in stored] == ["An old question"]


def test_a_routine_task_deleted_on_one_device_is_not_made_again_by_another(
    backend, devices, monkeypatch
):
    """Issue 17: the other device, which had not seen the task, made it again with `zik today`
    before pulling the delete, and its sync brought it back everywhere."""
    laptop, phone = devices(2)
    for device in (laptop, phone):
        device.sign_in(backend.setup_args())
    laptop.ok("routine", "add", "Practise scales", "--every", "daily")
    laptop.ok("sync")
    phone.ok("sync")
    laptop.ok("today")
    (task,) = [t["taskId"] for t in laptop.ok("--json", "task", "list").data]
    laptop.ok("task", "rm", task)
    laptop.ok("sync")
    phone.ok("today")  # before pulling the delete: makes the same day's task
    phone.ok("sync")
    laptop.ok("sync")
    phone.ok("today")
    for device in (laptop, phone):
        assert device.ok("--json", "task", "list").data == []
    assert backend.items("tasks") == []
    (routine,) = backend.items("routines")
    assert routine["exdates"] == [NOW[:10]]
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T12:00:00Z")
    laptop.ok("undo")  # the delete undone: the day's task is back, and no longer excluded
    laptop.ok("sync")
    phone.ok("sync")
    assert [t["taskId"] for t in phone.ok("--json", "task", "list").data] == [task]


def test_a_profile_the_app_made_with_the_defaults_never_replaces_the_values_here(
    backend, devices, monkeypatch
):
    """Issue 17: when the profile first appeared remotely (created by the app, or POST /profile
    at last working), the backend's create defaults (timezone UTC, no focus areas, onboarding
    not done) replaced the local values: a default is not an edit."""
    (laptop,) = devices(1)
    laptop.ok("init", "--name", "Ada Lovelace", "--timezone", "Europe/London", "--capacity", "60")
    laptop.sign_in(backend.setup_args())
    user = laptop.ok("--json", "cloud", "status").data["session"]["userId"]
    _put(
        backend,
        "users",
        {
            "userId": user,
            "email": "ada@example.com",
            "username": "ada",
            "firstName": "Ada",
            "lastName": "",
            "displayName": None,
            "onboardingCompleted": False,
            "preferences": {
                "theme": "system",
                "timezone": "UTC",
                "language": "en",
                "questCategories": [],
            },
            "createdAt": "2026-11-25T11:00:00.000Z",
            "updatedAt": "2026-11-25T11:00:00.000Z",
        },
    )  # fmt: skip  (later than the local profile)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T11:30:00Z")
    result = laptop.ok("sync", "--json")
    assert result.data["conflicts"] == []
    row = laptop.db().execute("SELECT name, timezone, daily_capacity FROM profile").fetchone()
    assert tuple(row) == ("Ada Lovelace", "Europe/London", 60)
    (item,) = backend.items("users")
    assert item["displayName"] == "Ada Lovelace"
    assert item["preferences"]["timezone"] == "Europe/London"
    assert item["preferences"]["theme"] == "system"  # the backend's own, kept


def test_a_conflict_over_a_whole_record_is_one_readable_line(backend, devices, monkeypatch):
    """A delete here against a later edit there keeps the record; the conflict line used to
    print the whole record as a Python dict."""
    laptop, phone = devices(2)
    for device in (laptop, phone):
        device.sign_in(backend.setup_args())
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:00:00Z")
    task = laptop.ok("--json", "task", "add", "Call the plumber").data["taskId"]
    laptop.ok("sync")
    phone.ok("sync")
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:05:00Z")
    laptop.ok("task", "rm", task)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:10:00Z")
    phone.ok("task", "edit", task, "--title", "Call the plumber about the leak")
    phone.ok("sync")
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:15:00Z")
    result = laptop("sync")
    assert result.code == 4, result
    (line,) = [x for x in result.err.splitlines() if x.startswith("Conflict:")]
    assert line == (
        f"Conflict: task {task[:8]} deleted: kept the remote record"
        " 'Call the plumber about the leak', not 'deleted' (it was changed there at"
        " 2026-11-25 10:10:00 UTC, after it was deleted here at 2026-11-25 10:05:00 UTC)"
    )
