"""Milestones across devices through the dynamodb remote (issue 17).

The backend keys a milestone by (`epicId`, `sequence`); zik keeps `milestoneId` as its identity
and treats the sequence as a position. These tests run the real CLI on several devices against
the backend's tables on moto_server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from zik.store import quests as quest_store

Roadmap = list[tuple[int, str]]


def _roadmap(device, quest: str) -> Roadmap:
    return [(m.sequence, m.title) for m in quest_store.milestones_of(device.db(), quest)]


def _remote(backend, quest: str) -> Roadmap:
    items = [m for m in backend.items("milestones") if m["epicId"] == quest]
    return sorted((m["sequence"], m["title"]) for m in items)


def _ids(device, quest: str) -> list[str]:
    return [m.milestone_id for m in quest_store.milestones_of(device.db(), quest)]


def _shared_quest(backend, devices, n: int = 2, titles=("Run 5 km", "Run 10 km")):
    group = devices(n)
    for device in group:
        device.sign_in(backend.setup_args())
    first = group[0]
    quest = first.ok("--json", "quest", "new", "Run a half marathon", "--no-plan").data["goalId"]
    for title in titles:
        first.ok("milestone", "add", quest, title)
    for device in group:
        device.ok("sync")
    return group, quest


def _settle(group) -> None:
    """Sync each device in turn until a round moves nothing; each sync must succeed."""
    for _ in range(4):
        moved = False
        for device in group:
            data = device.ok("sync", "--json").data
            assert data["stale"] == 0, data
            moved = moved or bool(data["pulled"] or data["pushed"])
        if not moved:
            return
    raise AssertionError("still moving after 4 rounds")


def test_two_devices_adding_a_milestone_to_one_quest_both_keep_theirs(backend, devices):
    (laptop, phone), quest = _shared_quest(backend, devices)
    laptop.ok("milestone", "add", quest, "Run 15 km")
    phone.ok("milestone", "add", quest, "Run 21 km")
    laptop.ok("sync")
    result = phone.ok("sync", "--json")
    assert result.data["stale"] == 0, result.data
    _settle([laptop, phone])
    expected = [(1, "Run 5 km"), (2, "Run 10 km"), (3, "Run 15 km"), (4, "Run 21 km")]
    assert _roadmap(laptop, quest) == _roadmap(phone, quest) == _remote(backend, quest) == expected
    assert _ids(laptop, quest) == _ids(phone, quest)


def test_three_devices_adding_at_once_settle_on_one_order(backend, devices):
    group, quest = _shared_quest(backend, devices, 3)
    for device, title in zip(group, ("Run 15 km", "Run 18 km", "Run 21 km"), strict=True):
        device.ok("milestone", "add", quest, title)
    for device in reversed(group):
        device.ok("sync")
    _settle(group)
    roadmaps = [_roadmap(device, quest) for device in group]
    assert roadmaps[0] == roadmaps[1] == roadmaps[2] == _remote(backend, quest)
    assert [s for s, _ in roadmaps[0]] == [1, 2, 3, 4, 5]
    assert sorted(t for _, t in roadmaps[0][2:]) == ["Run 15 km", "Run 18 km", "Run 21 km"]


def test_a_moved_milestone_reaches_the_other_device(backend, devices):
    (laptop, phone), quest = _shared_quest(backend, devices, titles=("A", "B", "C"))
    moved = _ids(laptop, quest)[2]
    laptop.ok("milestone", "move", moved, "1")
    result = laptop.ok("sync", "--json")
    assert result.data["stale"] == 0, result.data
    assert _remote(backend, quest) == [(1, "C"), (2, "A"), (3, "B")]
    phone.ok("sync")
    assert _roadmap(phone, quest) == [(1, "C"), (2, "A"), (3, "B")]
    assert len(backend.items("milestones")) == 3


def test_a_removed_milestone_renumbers_the_rest_there_too(backend, devices):
    (laptop, phone), quest = _shared_quest(backend, devices, titles=("A", "B", "C"))
    laptop.ok("milestone", "rm", _ids(laptop, quest)[0])
    assert laptop.ok("sync", "--json").data["stale"] == 0
    assert _remote(backend, quest) == [(1, "B"), (2, "C")]
    phone.ok("sync")
    assert _roadmap(phone, quest) == [(1, "B"), (2, "C")]


def test_a_milestone_left_at_two_keys_is_repaired_not_looped(backend, devices, monkeypatch):
    """A renumbering cut off between its put and its delete (the old engine wrote them apart)
    leaves one milestoneId at two keys: the next sync that reads them (it left no milestone
    marker: the day's full read) keeps one and deletes the other."""
    (laptop, phone), quest = _shared_quest(backend, devices, titles=("A", "B"))
    (item,) = [m for m in backend.raw_items("milestones") if m["sequence"] == {"N": "2"}]
    backend.ddb.put_item(
        TableName=backend.tables["milestones"], Item={**item, "sequence": {"N": "3"}}
    )
    later = datetime.now(UTC) + timedelta(hours=25)
    monkeypatch.setenv("ZIK_NOW", later.strftime("%Y-%m-%dT%H:%M:%SZ"))
    for device in (phone, laptop):
        result = device.ok("sync", "--json")
        assert result.data["stale"] == 0, result.data
    assert _remote(backend, quest) == [(1, "A"), (2, "B")]
    assert _roadmap(phone, quest) == _roadmap(laptop, quest) == [(1, "A"), (2, "B")]


def test_milestones_the_app_generated_and_one_added_here_do_not_collide(backend, devices):
    """The backend's roadmap Lambda writes sequences 1..n; a milestone added here meanwhile
    at 1 moves to the next free number."""
    (laptop,) = devices(1)
    laptop.sign_in(backend.setup_args())
    quest = laptop.ok("--json", "quest", "new", "Learn Go", "--no-plan").data["goalId"]
    laptop.ok("sync")
    user = laptop.ok("--json", "cloud", "status").data["session"]["userId"]
    laptop.ok("milestone", "add", quest, "Mine")
    for n, title in enumerate(("Tour of Go", "Build a CLI"), start=1):
        backend.ddb.put_item(
            TableName=backend.tables["milestones"],
            Item={
                "epicId": {"S": quest}, "sequence": {"N": str(n)}, "userId": {"S": user},
                "milestoneId": {"S": f"ms-{n}"}, "title": {"S": title},
                "status": {"S": "active" if n == 1 else "locked"},
                "createdAt": {"S": "2026-11-25T10:00:00.000Z"},
                "updatedAt": {"S": "2026-11-25T10:00:00.000Z"},
            },
        )  # fmt: skip
    assert laptop.ok("sync", "--json").data["stale"] == 0
    laptop.ok("sync")
    assert _remote(backend, quest) == _roadmap(laptop, quest)
    assert sorted(t for _, t in _roadmap(laptop, quest)) == ["Build a CLI", "Mine", "Tour of Go"]
    assert len(laptop.db().execute("SELECT 1 FROM milestones").fetchall()) == 3


def test_a_number_held_by_an_item_zik_cannot_read_is_taken_all_the_same(backend, devices):
    """The item is skipped (left alone), but its number is not free: a milestone added here
    at that number moves to the next one instead of staying stuck."""
    (laptop,) = devices(1)
    laptop.sign_in(backend.setup_args())
    quest = laptop.ok("--json", "quest", "new", "Learn Go", "--no-plan").data["goalId"]
    laptop.ok("sync")
    user = laptop.ok("--json", "cloud", "status").data["session"]["userId"]
    backend.ddb.put_item(
        TableName=backend.tables["milestones"],
        Item={
            "epicId": {"S": quest},
            "sequence": {"N": "1"},
            "userId": {"S": user},
            "milestoneId": {"S": "ms-odd"},
            "status": {"S": "active"},
        },
    )  # fmt: skip  (no title, no times: zik cannot read it)
    laptop.ok("milestone", "add", quest, "Mine")
    result = laptop.ok("sync", "--json")
    assert result.data["stuck"] == [] and [s["id"] for s in result.data["skipped"]] == ["ms-odd"]
    assert _roadmap(laptop, quest) == [(2, "Mine")]
    assert sorted(m["sequence"] for m in backend.items("milestones")) == [1, 2]
