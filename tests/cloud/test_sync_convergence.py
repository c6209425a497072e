"""Acceptance test for sync: two devices and one remote converge, whatever happens in between.

Two devices, A and B (each its own zik database), sync with the dynamodb remote: the backend's
tables on moto, through the real engine (cloud/sync.py) and the real DynamoRemote. They start from
a shared state: a quest with two milestones and two tasks and a daily routine, made on A and
synced to both (built once by real syncs; each example starts from copies of both databases and of the remote's items).
Then random steps run on A or B: create (on a quest or not), rename, reprioritise, complete,
reopen and delete tasks; create, edit, delete and plan quests (the offline coach's roadmap);
add, move, rename and delete milestones; run `zik daily` (the day's routine task, each active
milestone's day) and make the day's routine tasks as `zik today` does; chat and clear the chat;
the app changes a task as the backend's updateTask Lambda does (`SET` of the fields it was
given and `updatedAt`, every other attribute kept), sets one in progress and back to pending,
or deletes one (deleteTask's DeleteItem); set a device's clock 2 h ahead of or behind the
server's (every answer carries the server's `Date`); advance the clock; and sync, sometimes
through a proxy that drops requests (before or after DynamoDB saw them), answers 500 or
throttles, or killed (before it pushes, or after the remote took its writes and before the
device recorded them), or while the other device syncs from start to end during its first
write. A sync cut off is left as it is. Every step moves the clock on by 1 ms at least, so no
two edits share an `updatedAt`. At the end the faults stop and the devices sync in turn
(A, B, A, …) until a sync of each in a row moves nothing.

The oracle:

- convergence: A, B and the remote hold the same records (every field of every live quest,
  milestone, task, routine and chat message but `updatedAt`, see _content; the remote keeps
  no tombstones), and no outbox holds anything; the last sync of each device pulled and
  pushed nothing;
- nothing duplicated: each record once in the remote, as many remote items as live records, and
  no live record that no step created;
- nothing lost: every edit (device or app, record, field, value, clock time) is the final value, or a
  later edit of the same field of the same record (on either device) overrode it, or a later
  deletion of the record did, or a step deleted the record and it is gone, or a device's
  `sync_conflicts` table records the value as `lost`;
- deletes stick: a record a step deleted is gone everywhere, unless a conflict records that the
  deletion lost (to a later edit on the other device).

Steps call zik.core directly (not the CLI) to keep each example to a few hundred milliseconds.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import types
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import botocore.retries.quota
import botocore.retries.standard
import pytest
from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st

from tests.cloud.steps import KILLS, START, TODAY, Edit, Key, Steps, killed_sync, shared_steps
from tests.fakes.moto import EMAIL, TABLES
from zik.cloud import sync as engine
from zik.cloud.dynamodb import DynamoRemote
from zik.cloud.items import CHAT, MILESTONE, QUEST, ROUTINE, TASK
from zik.core import clock, milestones, profile, quests, routines, tasks
from zik.core.coach import chat
from zik.core.plan import daily, planning
from zik.errors import TemporaryError
from zik.models import Milestone, Quest, Record
from zik.store import db
from zik.store import quests as quest_store
from zik.store import sync as sync_state

USER = "user-ada"  # one user throughout: each example empties the tables first
SYNCED = (QUEST, MILESTONE, TASK, ROUTINE, CHAT)  # what the steps touch (not the profile)
TRACKED = {  # the fields whose edits must not be lost
    "quest": ("goalName", "description"),
    "task": ("taskName", "priority", "status", "goalId", "milestoneId"),
    "milestone": ("title",),  # (its sequence is a place, settled when two take one number)
    "chat": ("content",),
}
WORDS = ("Run", "Swim", "Read", "Cook")  # few, so that edits collide and revert
FAULT_KINDS = ("drop", "drop_after", "error500", "throttle")


Wire = dict[str, Any]


@dataclass(frozen=True)
class Deletion:
    device: str
    entity: str
    key: str
    at: str


# -- the steps -------------------------------------------------------------------------------------

on = st.sampled_from("AB")
nth = st.integers(0, 5)  # the n-th live task or quest of the device (in creation order), cycling
word = st.sampled_from(WORDS)
faults = st.none() | st.tuples(
    st.sampled_from([0.2, 0.5, 1.0]),  # the share of requests that fail
    st.integers(0, 2**16),  # the proxy's seed
    st.lists(st.sampled_from(FAULT_KINDS), min_size=1, max_size=4, unique=True),
    st.booleans(),  # only writes fail: the pull goes through, the pushes are cut off
)
sync = st.tuples(st.just("sync"), on, faults)
app_change = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(["pending", "in-progress", "completed"])),
    st.tuples(st.just("priority"), st.sampled_from(["low", "medium", "high"])),
    st.tuples(st.just("taskName"), word),
)
steps = st.lists(
    st.one_of(
        sync,
        st.tuples(st.just("add_task"), on, st.none() | nth, word),
        *shared_steps(on, nth, word),  # rename_task … add_quest
        st.tuples(st.just("edit_quest"), on, nth, st.sampled_from(["title", "description"]), word),
        st.tuples(st.just("delete_quest"), on, nth),
        st.tuples(st.just("add_milestone"), on, nth, word),
        st.tuples(st.just("move_milestone"), on, nth, st.integers(1, 4)),
        st.tuples(st.just("rename_milestone"), on, nth, word),
        st.tuples(st.just("delete_milestone"), on, nth),
        st.tuples(st.just("app_edit_task"), st.just("app"), nth, app_change),
        st.tuples(st.just("app_set_back"), st.just("app"), nth),
        st.tuples(st.just("app_delete_task"), st.just("app"), nth),
        st.tuples(st.just("tick"), st.sampled_from([1, 60, 3600])),  # seconds
        sync,  # twice: a sync is one step in six
        st.tuples(st.just("plan_quest"), on, nth),
        st.tuples(st.just("daily"), on),
        st.tuples(st.just("today"), on),  # the day's routine tasks, as `zik today` makes them
        st.tuples(st.just("chat_say"), on, word),
        st.tuples(st.just("chat_clear"), on),
        st.tuples(st.just("sync_together"), on),  # the other device syncs during its push
        st.tuples(st.just("kill"), on, st.sampled_from(KILLS)),
        st.tuples(st.just("skew"), on, st.sampled_from([-2, 0, 2])),  # its clock, hours off
    ),
    max_size=24,
)


# -- what all examples share -----------------------------------------------------------------------


@dataclass
class Start:
    """The shared starting point, saved once: each device's database, the remote's items (raw,
    by table), and the log of the edits that made them."""

    databases: dict[str, Path]
    items: dict[str, list[dict[str, Any]]]
    edits: list[Edit]
    order: dict[Key, int]


class World:
    """The backend, the fault proxy, each device's remote (with and without faults) and the
    starting point: built once for the test, shared by its examples."""

    def __init__(self, backend, proxy, clean, monkeypatch: pytest.MonkeyPatch):
        self.backend, self.proxy, self.clean, self.monkeypatch = backend, proxy, clean, monkeypatch
        self.now = START  # the server's clock: the true time (a device's may be off)
        for relay in (proxy, clean):  # (both answer with the server's `Date`)
            relay.clock(lambda: self.now)
        self.remotes: dict[tuple[str, bool], DynamoRemote] = {}  # (device, faulty) -> remote
        for faulty in (True, False):
            url = proxy.url if faulty else clean.url
            monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", url)
            for device in "AB":
                self.remotes[device, faulty] = DynamoRemote(USER, EMAIL)
        self.examples = 0
        self.start: Start

    def __repr__(self) -> str:  # hypothesis prints the arguments of a failing example
        return "World(...)"

    def new_ids(self) -> None:
        """zik's new records get ids in creation order (see Ids), unique to the example."""
        ids = Ids(self.examples)
        self.examples += 1
        for module in (tasks, quests, milestones):
            self.monkeypatch.setattr(module, "uuid", types.SimpleNamespace(uuid4=ids.uuid4))

    def reset_remote(self) -> None:
        """Empty the tables, then put back the starting point's items."""
        ddb, tables = self.backend.ddb, self.backend.tables
        deletes, puts = [], []
        for kind in SYNCED:
            names = [name for name, _ in TABLES[kind.table]["keys"]]
            for item in self.backend.raw_items(kind.table):
                key = {name: item[name] for name in names}
                deletes.append((tables[kind.table], {"DeleteRequest": {"Key": key}}))
            for item in self.start.items[kind.table]:
                puts.append((tables[kind.table], {"PutRequest": {"Item": item}}))
        for requests in (deletes, puts):
            for first in range(0, len(requests), 25):  # BatchWriteItem takes 25 at most
                batch: dict[str, list[Any]] = {}
                for table, request in requests[first : first + 25]:
                    batch.setdefault(table, []).append(request)
                while batch:
                    batch = ddb.batch_write_item(RequestItems=batch).get("UnprocessedItems")


class Ids:
    """uuid4 for zik's new records: ids in creation order, unique across examples. Sorted ids
    order the engine's pushes the same way each run, so the proxy's seeded faults hit the same
    requests and an example replays exactly (hypothesis needs that to shrink)."""

    def __init__(self, example: int):
        self.prefix, self.count = example << 64, 0

    def uuid4(self) -> uuid.UUID:
        self.count += 1
        return uuid.UUID(int=self.prefix | self.count)


@pytest.fixture
def world(backend, fault_proxy, monkeypatch, tmp_path) -> World:
    for name, spec in TABLES.items():
        monkeypatch.setenv(f"ZIK_CLOUD_TABLES_{name.upper()}", spec["name"])
    # botocore's retries are part of the test; waiting between them, or running out, is not
    monkeypatch.setattr(
        botocore.retries.standard.ExponentialBackoff, "delay_amount", lambda self, ctx: 0
    )
    monkeypatch.setattr(botocore.retries.quota.RetryQuota, "acquire", lambda self, cost: True)
    monkeypatch.setenv("ZIK_AI_PROVIDER", "offline")  # `daily`, plans and chat: the offline coach
    proxies = fault_proxy(backend.cognito.url), fault_proxy(backend.cognito.url)
    world = World(backend, *proxies, monkeypatch)
    world.start = _start(world, tmp_path)
    return world


def _start(world: World, folder: Path) -> Start:
    """A quest with a roadmap and two tasks, made on A, synced to both; saved."""
    empty = folder / "empty.db"
    db.connect(empty).close()
    world.new_ids()
    a = Device("A", empty, folder / "A", world)
    b = Device("B", empty, folder / "B", world)
    scenario = Scenario(world, a, b, None)
    before = a.records()
    quest = quests.create(a.conn, "Run a half marathon", today=TODAY)
    milestones.add(a.conn, quest.goal_id, "Run 5 km")
    milestones.add(a.conn, quest.goal_id, "Run 10 km")
    tasks.add(a.conn, "Jog 3 km", today=TODAY, quest_ref=quest.goal_id)
    tasks.add(a.conn, "Jog 4 km", today=TODAY, quest_ref=quest.goal_id)
    routines.add(a.conn, "Stretch", every="daily", estimate=10)
    scenario.log(a, before)
    a.sync()
    b.sync()
    a.conn.close()
    b.conn.close()
    return Start(
        databases={"A": a.path, "B": b.path},
        items={kind.table: world.backend.raw_items(kind.table) for kind in SYNCED},
        edits=scenario.edits,
        order=scenario.order,
    )


# -- a device --------------------------------------------------------------------------------------


class Device:
    """One machine: its own zik database, and its way to the remote (through the faults or not)."""

    def __init__(self, name: str, database: Path, folder: Path, world: World):
        self.name, self.path = name, folder / "zik.db"
        folder.mkdir(exist_ok=True)
        shutil.copyfile(database, self.path)
        self.conn = db.connect(self.path)
        self.faulty, self.direct = world.remotes[name, True], world.remotes[name, False]
        self.world = world
        self.offset = timedelta(0)  # how far its clock is from the server's

    def at_its_time(self) -> None:
        """ZIK_NOW as this device's clock reads the true time."""
        self.world.monkeypatch.setenv("ZIK_NOW", clock.iso(self.world.now + self.offset))

    def sync(self, *, faulty: bool = False) -> engine.Report:
        self.at_its_time()
        remote = self.faulty if faulty else self.direct
        return engine.run(self.conn, remote, USER, clock.timestamp())

    def killed(self, where: str) -> bool:
        """A sync whose process dies at `where` (steps.killed_sync); the device starts afresh."""
        self.at_its_time()
        run = lambda: engine.run(self.conn, self.direct, USER, clock.timestamp())  # noqa: E731
        killed = killed_sync(self.direct, run, where)
        self.conn.close()  # (a new process: the database as the killed one left it)
        self.conn = db.connect(self.path)
        return killed

    def alive(self, cls: type[Record]) -> list[Any]:
        rows = self.conn.execute(f"SELECT * FROM {cls.TABLE} WHERE deleted_at IS NULL")
        return [cls.from_row(row) for row in rows]

    def records(self) -> dict[Key, Wire]:
        """Every live record, as it syncs (see _content)."""
        return {
            (kind.entity, record.key): _content(kind.to_wire(record))
            for kind in SYNCED
            for record in self.alive(kind.record)
        }

    def conflicts(self) -> list[dict[str, Any]]:
        return sync_state.conflicts(self.conn, open_only=False)

    def pending(self) -> int:
        return sync_state.pending_count(self.conn)


def remote_records(backend) -> tuple[dict[Key, Wire], int]:
    """The items in the backend's tables as records, and how many items there are."""
    found: dict[Key, Wire] = {}
    count = 0
    for kind in SYNCED:
        for item in backend.items(kind.table):
            assert item["userId"] == USER, item
            wire = kind.read(item)
            found[kind.entity, kind.key_of(wire)] = _content(wire)
            count += 1
    return found, count


def _content(wire: Wire) -> Wire:
    """A record without its `updatedAt`: a change of that alone is not synced (merge.py), so a
    task completed and reopened between two syncs keeps its own stamp on that device."""
    return {name: value for name, value in wire.items() if name != "updatedAt"}


# -- one example -----------------------------------------------------------------------------------


@dataclass
class Scenario(Steps):
    """Runs the steps on the two devices and logs every edit and deletion they make."""

    PACE = timedelta(milliseconds=1)

    world: World
    a: Device
    b: Device
    start: Start | None
    now: datetime = START
    edits: list[Edit] = field(default_factory=list)
    deletions: list[Deletion] = field(default_factory=list)
    order: dict[Key, int] = field(default_factory=dict)  # records steps made, in that order

    def __post_init__(self) -> None:
        self.devices = {"A": self.a, "B": self.b, "app": App(self.world.backend)}
        if self.start:
            self.edits, self.order = list(self.start.edits), dict(self.start.order)
        self._advance(timedelta(0))

    def log(self, device: Device, before: dict[Key, Wire]) -> None:
        """Log what a step changed on a device: the fields it set, the records it deleted."""
        after, at = device.records(), self._stamp()
        for key, wire in after.items():
            old = before.get(key)
            if old is None:
                self.order.setdefault(key, len(self.order))
            for name in TRACKED.get(key[0], ()):
                if old is None or old[name] != wire[name]:
                    self.edits.append(Edit(device.name, *key, name, wire[name], at))
        for key in before.keys() - after.keys():
            if key[0] in TRACKED:
                self.deletions.append(Deletion(device.name, *key, at))

    def run(self, step: tuple) -> None:
        name, *args = step
        device = self.devices.get(args[0]) if args and isinstance(args[0], str) else None
        self.offset = getattr(device, "offset", timedelta(0))  # (its clock, for ZIK_NOW)
        if name == "skew":
            self._advance(self.PACE)
            device.offset = timedelta(hours=args[1])
            if args[1]:
                event("a device's clock was off")
            note(f"{self.now}: {device.name}'s clock is now {args[1]} h off")
        elif name in ("kill", "sync_together"):
            self._advance(self.PACE)
            getattr(self, name)(device, *args[1:])
        else:
            super().run(step)

    def _advance(self, by: timedelta) -> None:
        self.now += by
        self.world.now = self.now
        offset = getattr(self, "offset", timedelta(0))
        self.world.monkeypatch.setenv("ZIK_NOW", clock.iso(self.now + offset))

    def _nth(self, device: Device, cls: type[Record], n: int) -> Any | None:
        alive = sorted(device.alive(cls), key=lambda r: self.order[cls.ENTITY, r.key])
        return alive[n % len(alive)] if alive else None

    # -- the steps

    def cut_off(self, device: Device, error: TemporaryError) -> None:
        note(f"{self.now}: {device.name}'s sync was cut off: {error.message}")
        event("a sync was cut off")

    def add_task(self, device: Device, quest: int | None, title: str) -> None:
        found = None if quest is None else self._nth(device, Quest, quest)
        tasks.add(device.conn, title, today=TODAY, quest_ref=found and found.goal_id)

    def edit_quest(self, device: Device, n: int, what: str, text: str) -> None:
        if quest := self._nth(device, Quest, n):
            quests.edit(device.conn, quest.goal_id, today=TODAY, **{what: text})

    def delete_quest(self, device: Device, n: int) -> None:
        if quest := self._nth(device, Quest, n):
            quests.remove(device.conn, quest.goal_id)

    def add_milestone(self, device: Device, n: int, title: str) -> None:
        if quest := self._nth(device, Quest, n):
            milestones.add(device.conn, quest.goal_id, title)

    def move_milestone(self, device: Device, n: int, position: int) -> None:
        if milestone := self._nth(device, Milestone, n):
            count = len(quest_store.milestones_of(device.conn, milestone.goal_id))
            milestones.move(device.conn, milestone.milestone_id, min(position, count))

    def rename_milestone(self, device: Device, n: int, title: str) -> None:
        if milestone := self._nth(device, Milestone, n):
            milestones.edit(device.conn, milestone.milestone_id, title=title)

    def delete_milestone(self, device: Device, n: int) -> None:
        if milestone := self._nth(device, Milestone, n):
            milestones.remove(device.conn, milestone.milestone_id)

    def plan_quest(self, device: Device, n: int) -> None:
        """`zik quest plan` with the offline coach, on a quest with no open milestone."""
        quest = self._nth(device, Quest, n)
        if quest is None or any(
            m.status != "completed" for m in quest_store.milestones_of(device.conn, quest.goal_id)
        ):
            return
        planner = planning.Planner(device.conn)
        proposal = planning.propose_roadmap(planner, quest, profile.local_today(device.conn))
        planning.save_roadmap(device.conn, proposal)
        event("a quest was planned")

    def daily(self, device: Device) -> None:
        if daily.run(device.conn).tasks_made:  # (the routine's task, each milestone's day)
            event("zik daily made tasks")

    def today(self, device: Device) -> None:
        routines.materialise(device.conn, profile.local_today(device.conn))

    def chat_say(self, device: Device, text: str) -> None:
        chat.send(device.conn, f"How is my plan going? {text}")  # (a question, no change)

    def chat_clear(self, device: Device) -> None:
        if chat.clear(device.conn):
            event("a chat was cleared")

    # -- syncs that do not end as they began

    def kill(self, device: Device, where: str) -> None:
        if device.killed(where):
            note(f"{self.now}: {device.name}'s sync was killed {where.replace('_', ' ')}")
            event("a sync was killed")

    def sync_together(self, device: Device) -> None:
        """The other device syncs from start to end during this one's first write."""
        other = self.devices["B" if device.name == "A" else "A"]

        def meanwhile() -> None:
            conn = db.connect(other.path)  # (its own connection: this is the proxy's thread)
            try:
                other.at_its_time()
                engine.run(conn, other.direct, USER, clock.timestamp())
            finally:
                conn.close()
                device.at_its_time()

        self.overlapping(self.world.clean, device.sync, meanwhile)

    # -- the app, writing DynamoDB as the backend's Lambdas do (it logs its own edits)

    def app_edit_task(self, app: App, n: int, change: tuple[str, str]) -> None:
        if item := self._app_task(app, n):
            self._app_set(app, item, *change)

    def app_set_back(self, app: App, n: int) -> None:
        """In progress, then pending again: the status ends as it may have been synced."""
        if item := self._app_task(app, n):
            self._app_set(app, item, "status", "in-progress")
            self._advance(self.PACE)
            self._app_set(app, item, "status", "pending")

    def app_delete_task(self, app: App, n: int) -> None:
        if item := self._app_task(app, n):
            app.delete(item)
            self.deletions.append(Deletion("app", "task", item["taskId"]["S"], self._stamp()))

    def _app_task(self, app: App, n: int) -> dict[str, Any] | None:
        items = sorted(app.tasks(), key=lambda i: self.order.get(("task", i["taskId"]["S"]), 0))
        return items[n % len(items)] if items else None

    def _app_set(self, app: App, item: dict[str, Any], name: str, value: str) -> None:
        at = self._stamp()
        app.set(item, name, value, at)
        self.edits.append(Edit("app", "task", item["taskId"]["S"], name, value, at))

    def _stamp(self) -> str:
        return clock.iso(self.now)


class App:
    """The Zik app, through the backend's task Lambdas straight onto the tasks table."""

    name = "app"

    def __init__(self, backend):
        self.ddb, self.table = backend.ddb, backend.tables["tasks"]

    def tasks(self) -> list[dict[str, Any]]:
        return self.ddb.scan(TableName=self.table, ConsistentRead=True)["Items"]

    def set(self, item: dict[str, Any], name: str, value: str, at: str) -> None:
        """updateTask: `SET` the field and `updatedAt`, on the item as it exists."""
        self.ddb.update_item(
            TableName=self.table,
            Key={"userId": item["userId"], "taskId": item["taskId"]},
            UpdateExpression="SET #f = :v, #u = :u",
            ConditionExpression="attribute_exists(#k)",
            ExpressionAttributeNames={"#f": name, "#u": "updatedAt", "#k": "taskId"},
            ExpressionAttributeValues={":v": {"S": value}, ":u": {"S": at}},
        )

    def records(self) -> dict[Key, Wire]:
        return {}  # (its edits are logged by the steps themselves)

    def delete(self, item: dict[str, Any]) -> None:
        self.ddb.delete_item(
            TableName=self.table, Key={"userId": item["userId"], "taskId": item["taskId"]}
        )


# -- the oracle ------------------------------------------------------------------------------------


def check_converged(scenario: Scenario) -> dict[Key, Wire]:
    """A == B == the remote, nothing pending, nothing twice; returns the records."""
    a, b = scenario.a, scenario.b
    records = a.records()
    assert b.records() == records, _diff("A", records, "B", b.records())
    remote, items = remote_records(scenario.world.backend)
    assert remote == records, _diff("A", records, "remote", remote)
    assert items == len(records), f"{items} remote items for {len(records)} records"
    assert records.keys() <= scenario.order.keys(), "a live record that no step created"
    for device in (a, b):
        assert device.pending() == 0, f"{device.name}'s outbox is not empty after syncing"
    return records


def check_nothing_lost(scenario: Scenario, final: dict[Key, Wire]) -> None:
    """Every edit is final, overridden by a later one, deleted with its record, or a conflict;
    every deletion holds or lost in a conflict."""
    lost = {
        (c["entity"], c["entityId"], c["field"], json.dumps(c["lost"]))
        for device in (scenario.a, scenario.b)
        for c in device.conflicts()
    }
    if lost:
        event("a conflict was recorded")
    deleted: dict[Key, list[str]] = {}  # when each record was deleted
    for deletion in scenario.deletions:
        deleted.setdefault((deletion.entity, deletion.key), []).append(deletion.at)
    for edit in scenario.edits:
        key = (edit.entity, edit.key)
        record = final.get(key)
        if (
            (record is not None and record[edit.field] == edit.value)
            or any(_overrides(later, edit) for later in scenario.edits)
            or any(at > edit.at for at in deleted.get(key, ()))
            or (record is None and key in deleted)
            or (*key, edit.field, json.dumps(edit.value)) in lost
        ):
            continue
        now = "gone" if record is None else repr(record[edit.field])
        raise AssertionError(f"{edit} was lost without a conflict (the {edit.field} is {now})")
    for deletion in scenario.deletions:
        key = (deletion.entity, deletion.key)
        if key in final:
            if (*key, "deleted", json.dumps("deleted")) not in lost:
                raise AssertionError(f"{deletion} was undone without a conflict")
            event("a deletion lost to a later edit")


def _overrides(later: Edit, edit: Edit) -> bool:
    same = (later.entity, later.key, later.field) == (edit.entity, edit.key, edit.field)
    return same and later.at > edit.at


def _diff(left: str, ours: dict[Key, Wire], right: str, theirs: dict[Key, Wire]) -> str:
    lines = [f"{left} and {right} differ:"]
    for key in sorted(ours.keys() | theirs.keys()):
        if ours.get(key) != theirs.get(key):
            lines += [f"{key}", f"  {left}: {ours.get(key)}", f"  {right}: {theirs.get(key)}"]
    return "\n".join(lines)


# -- the test --------------------------------------------------------------------------------------


@settings(
    max_examples=200,
    deadline=None,
    database=None,  # keep no .hypothesis folder in the project; a failure prints its blob
    derandomize=True,  # the same 200 examples each run: CI is never red by luck
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
# Engine bugs hypothesis found (fixed by the commit in brackets, or not yet). A task made and
# deleted between two syncs stayed in A's outbox for good (5fe13f4);
@example(steps=[("add_task", "A", None, "Run"), ("delete_task", "A", 2)])
# so did a task completed and reopened between two syncs (5fe13f4);
@example(steps=[("complete", "A", 0), ("reopen", "A", 0)])
# milestones changed on A (its tasks completed) after B deleted their quest were dropped by both
# devices on their next syncs (no longer pulled), while the remote kept them (5fe13f4);
@example(steps=[("complete", "A", 1), ("delete_quest", "B", 0), ("complete", "A", 0)])
# A's reopen, the last edit of the status, lost to B's earlier completion with no conflict: A's
# task was back to its synced version, which the merge read as "unchanged here" (5e82475).
@example(steps=[("complete", "A", 0), ("complete", "B", 0), ("reopen", "A", 0)])
# A pushes its reopen (with a rename) first; B merged its own older completion in (the remote's
# status was the synced one, so "unchanged there") and A then took it as newer than its own
# reopen: fixed by the per-field stamps on each item (zikEdits).
@example(
    steps=[("complete", "A", 0), ("rename_task", "A", 0, "Run"), ("complete", "B", 0),
           ("reopen", "A", 0), ("sync", "A", None)]
)  # fmt: skip
# The app sets a task in progress and back after A completed it offline (kept, listed as a
# possible conflict); the app deletes a task A renames (the delete wins, the rename a conflict).
@example(steps=[("complete", "A", 0), ("app_set_back", "app", 0), ("sync", "A", None)])
@example(steps=[("app_delete_task", "app", 0), ("rename_task", "A", 0, "Run")])
# Milestones (issue 17): both devices add one to the quest, so both take number 3 (one stayed
# unsynced for good); both move milestones (a put at a taken key never went through); B adds a
# milestone to the quest A deleted (B kept it, A never saw it).
@example(steps=[("add_milestone", "A", 0, "Run"), ("add_milestone", "B", 0, "Swim")])
@example(steps=[("move_milestone", "A", 0, 2), ("move_milestone", "B", 0, 2), ("sync", "A", None)])
@example(steps=[("delete_quest", "A", 0), ("add_milestone", "B", 0, "Run")])
@example(steps=[("delete_quest", "B", 0), ("add_milestone", "A", 0, "Run")])
# Days, routines and chat (issue 17): both devices plan the day (B's first creation won,
# written under the old version, so A never saw it); B deletes a task of the day that A then
# plans too (A's copy came back on B); both devices chat in the same millisecond (the second
# one's messages met taken keys and were refused for good).
@example(steps=[("daily", "B"), ("daily", "A")])
@example(steps=[("daily", "B"), ("delete_task", "B", 2), ("daily", "A")])
@example(steps=[("chat_say", "A", "Run"), ("chat_say", "B", "Run")])
@example(steps=[("skew", "B", 2), ("rename_task", "B", 0, "Run"), ("rename_task", "A", 0, "Swim")])
# Not a bug: B's rename is overridden by B's later deletion, itself lost to A's later edit.
@example(
    steps=[("rename_task", "B", 0, "Swim"), ("delete_task", "B", 0), ("prioritise", "A", 0, "low")]
)
def test_two_devices_and_the_remote_converge_without_losing_edits(world: World, steps):
    world.new_ids()
    world.reset_remote()
    with tempfile.TemporaryDirectory() as home_a, tempfile.TemporaryDirectory() as home_b:
        a = Device("A", world.start.databases["A"], Path(home_a), world)
        b = Device("B", world.start.databases["B"], Path(home_b), world)
        try:
            scenario = Scenario(world, a, b, world.start)
            for step in steps:
                scenario.run(step)
            scenario.converge()
            final = check_converged(scenario)
            check_nothing_lost(scenario, final)
        finally:
            a.conn.close()
            b.conn.close()
