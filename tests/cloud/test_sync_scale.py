"""What a sync reads on the dynamodb remote (issue 17, scale): versions, not records, and only
the milestones something moved (cloud/listing.py). bench/sync.py measures it at 10k tasks; these
check the rules through the real CLI, counting requests at a relaying proxy."""

from __future__ import annotations

import pytest

from zik.store import quests as quest_store

MILESTONES = "ZikBackendStack-MilestonesTable-TEST"


@pytest.fixture
def pair(backend, devices, fault_proxy, monkeypatch):
    """A laptop with three quests (two milestones, two tasks each) and a phone, both synced;
    the phone reaches DynamoDB through a counting proxy."""
    laptop, phone = devices(2)
    proxy = fault_proxy(backend.cognito.url)
    for device in (laptop, phone):
        device.sign_in(backend.setup_args())
    clock = iter(f"2026-11-25T10:{minute:02d}:00Z" for minute in range(60))

    def tick():
        monkeypatch.setenv("ZIK_NOW", next(clock))

    tick()
    quests = []
    for name in ("Run a half marathon", "Learn Spanish", "Write a novel"):
        quest = laptop.ok("--json", "quest", "new", name, "--no-plan").data["goalId"]
        for title in ("First steps", "Keep going"):
            laptop.ok("milestone", "add", quest, title)
        for title in ("Plan the week", "Do the first session"):
            laptop.ok("task", "add", title, "--quest", quest)
        quests.append(quest)
    for device in (laptop, phone, laptop, phone):
        tick()
        device.ok("sync")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", proxy.url)  # (both devices: one env)
    proxy.clear()
    return laptop, phone, quests, proxy, tick


def _reads(proxy) -> list[tuple[str, str]]:
    return [(e["operation"], e["table"]) for e in proxy.log if e["operation"] != "GetItem"]


def test_a_sync_with_nothing_changed_reads_versions_and_no_milestones(pair):
    laptop, phone, quests, proxy, tick = pair
    tick()
    assert phone.ok("sync", "--json").data["pulled"] == {}
    operations = [op for op, _ in _reads(proxy)]
    assert operations.count("Query") == 4  # goals, tasks (versions only), routines, chat
    assert MILESTONES not in {table for _, table in _reads(proxy)}  # (one Query per quest)
    assert "BatchGetItem" not in operations


def test_one_edit_elsewhere_fetches_that_record_and_its_quests_milestones(pair):
    laptop, phone, quests, proxy, tick = pair
    tick()
    task = laptop.ok("--json", "task", "list", "--quest", quests[1]).data[0]["taskId"]
    laptop.ok("task", "edit", task, "--title", "Plan the week ahead")
    laptop.ok("sync")
    proxy.clear()
    tick()
    assert phone.ok("sync", "--json").data["pulled"] == {"task": 1}
    assert phone.ok("--json", "task", "list", "--quest", quests[1]).data[0]["taskName"] in (
        "Plan the week ahead",
        "Do the first session",
    )
    reads = [r for r in _reads(proxy)]
    assert reads.count(("Query", MILESTONES)) <= 2  # that quest's (both syncs: at most 2)
    assert [op for op, _ in reads].count("BatchGetItem") == 1


def test_a_milestone_added_on_another_device_is_read_through_the_goal_marker(pair):
    laptop, phone, quests, proxy, tick = pair
    tick()
    laptop.ok("milestone", "add", quests[2], "Finish the draft")
    laptop.ok("sync")
    proxy.clear()
    tick()
    assert phone.ok("sync", "--json").data["pulled"] == {"milestone": 1}
    titles = [m.title for m in quest_store.milestones_of(phone.db(), quests[2])]
    assert titles == ["First steps", "Keep going", "Finish the draft"]
    assert _reads(proxy).count(("Query", MILESTONES)) == 1  # that quest's only


def test_the_backends_milestone_progression_reaches_the_device(pair, backend):
    """The app completes a quest's last open task of its first milestone; the backend's
    progression (reference §7.5) then marks that milestone completed and the next active,
    touching neither the goal nor anything zik would see but the task."""
    laptop, phone, quests, proxy, tick = pair
    quest = quests[0]
    first, second = (m.milestone_id for m in quest_store.milestones_of(phone.db(), quest))
    tasks = backend.tables["tasks"]
    for item in backend.raw_items("tasks"):
        if item.get("goalId", {}).get("S") == quest:
            item["milestoneId"] = {"S": first}
            item["status"] = {"S": "completed"}
            item["updatedAt"] = {"S": "2026-11-25T11:00:00.000Z"}
            backend.ddb.put_item(TableName=tasks, Item=item)
    for item in backend.raw_items("milestones"):
        ident = item["milestoneId"]["S"]
        if ident in (first, second):
            item["status"] = {"S": "completed" if ident == first else "active"}
            item["updatedAt"] = {"S": "2026-11-25T11:00:01.000Z"}
            backend.ddb.put_item(TableName=MILESTONES, Item=item)
    tick()
    phone.ok("sync")
    statuses = [m.status for m in quest_store.milestones_of(phone.db(), quest)]
    assert statuses == ["completed", "active"]


def test_once_a_day_a_sync_reads_everything(pair, backend, monkeypatch):
    """A write that keeps `updatedAt` (a hand edit in the console) is invisible to a version
    listing; the daily full read catches it."""
    laptop, phone, quests, proxy, tick = pair
    (item,) = [i for i in backend.raw_items("milestones") if i["epicId"]["S"] == quests[1]][:1]
    item["title"] = {"S": "First steps, fixed by hand"}
    backend.ddb.put_item(TableName=MILESTONES, Item=item)
    monkeypatch.setenv("ZIK_NOW", "2026-11-26T10:30:00Z")  # a day after the last full read
    phone.ok("sync")
    titles = [m.title for m in quest_store.milestones_of(phone.db(), quests[1])]
    assert "First steps, fixed by hand" in titles
    assert _reads(proxy).count(("Query", MILESTONES)) == 3  # every quest's
