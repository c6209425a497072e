"""Two syncs at the same time, through the dynamodb remote (issue 17).

The phone's sync goes through the fault proxy, which runs the laptop's whole sync (the real CLI,
in its own process) after the phone has pulled and before its first write reaches DynamoDB:
the interleaving two devices syncing at once can produce.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.fakes.faults import writes
from zik.models import Task
from zik.store import records


def _in_app(backend, task_id: str, at: str, **values: str) -> None:
    """Change a task item as the backend's updateTask Lambda does: the fields and updatedAt."""
    (item,) = [t for t in backend.raw_items("tasks") if t["taskId"]["S"] == task_id]
    item.update({name: {"S": value} for name, value in values.items()})
    item["updatedAt"] = {"S": at}
    backend.ddb.put_item(TableName=backend.tables["tasks"], Item=item)


def _sync_in_its_own_process(device, backend) -> None:
    env = {**os.environ, "ZIK_HOME": str(device.home)}
    env["AWS_ENDPOINT_URL_DYNAMODB"] = backend.cognito.url
    done = subprocess.run(
        [sys.executable, "-m", "zik", "sync"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_a_sync_that_merged_an_older_edit_is_never_overwritten_by_a_concurrent_one(
    backend, devices, fault_proxy, monkeypatch
):
    laptop, phone = devices(2)
    for device in (laptop, phone):
        device.sign_in(backend.setup_args())
    task = laptop.ok("--json", "task", "add", "Run 5 km").data["taskId"]
    laptop.ok("sync")
    phone.ok("sync")

    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:03:00Z")
    laptop.ok("task", "edit", task, "--title", "Run 6 km")  # offline, older than the app's edit
    _in_app(backend, task, "2026-11-25T10:05:00.000Z", priority="high")
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:06:00Z")
    phone.ok("task", "done", task)

    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:10:00Z")
    proxy = fault_proxy(backend.cognito.url)
    proxy.meanwhile(lambda: _sync_in_its_own_process(laptop, backend), match=writes)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", proxy.url)
    phone.ok("sync")  # pulled before the laptop's sync, writes after it
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", backend.cognito.url)
    for device in (laptop, phone, laptop):
        device.ok("sync")

    (item,) = backend.items("tasks")
    assert (item["taskName"], item["priority"], item["status"]) == ("Run 6 km", "high", "completed")
    for device in (laptop, phone):
        here = records.get(device.db(), Task, task)
        assert (here.task_name, here.priority, here.status) == ("Run 6 km", "high", "completed")


def test_a_write_the_backend_keeps_changing_is_reported_not_in_sync(
    backend, devices, fault_proxy, monkeypatch
):
    """Issue 17: a change still refused after every round used to print "kept changing
    remotely: zik sync again" and exit 0, for ever. It is a reported state with its reason."""
    (laptop,) = devices(1)
    laptop.sign_in(backend.setup_args())
    task = laptop.ok("--json", "task", "add", "Run 5 km").data["taskId"]
    laptop.ok("sync")
    synced = laptop.ok("--json", "cloud", "status").data["sync"]["lastSync"]
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:00:30Z")
    laptop.ok("task", "edit", task, "--title", "Run 6 km")
    proxy = fault_proxy(backend.cognito.url)
    for n, priority in enumerate(("high", "low", "high", "low", "high", "low")):
        stamp = f"2026-11-25T10:0{n + 1}:00.000Z"
        proxy.meanwhile(
            lambda s=stamp, p=priority: _in_app(backend, task, s, priority=p), match=writes
        )
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", proxy.url)
    result = laptop("sync", "--json")
    assert result.code == 75, result
    assert result.data["stuck"] == [
        {"entity": "task", "id": task, "why": "changed there again before each write"}
    ]
    assert "1 change could not be written" in result.err and "sync again" in result.err
    status = laptop.ok("--json", "cloud", "status").data["sync"]
    assert status["pending"] == 1 and status["lastSync"] == synced  # the last complete one
    assert [s["id"] for s in status["stuck"]] == [task]
    assert "could not be written" in laptop.ok("cloud", "status").out

    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", backend.cognito.url)
    done = laptop.ok("sync", "--json").data
    assert done["stuck"] == []
    assert laptop.ok("--json", "cloud", "status").data["sync"]["stuck"] == []
    (item,) = backend.items("tasks")
    assert item["taskName"] == "Run 6 km"


def _two_with_a_quest(backend, devices, monkeypatch):
    """A laptop and a phone signed in, both holding one planned quest, made on the laptop."""
    laptop, phone = devices(2)
    for device in (laptop, phone):
        device.sign_in(backend.setup_args())
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T08:00:00Z")
    laptop.ok("quest", "new", "Run a half marathon", "--target", "2027-03-01")
    laptop.ok("sync")
    phone.ok("sync")
    return laptop, phone


def test_two_devices_planning_the_same_day_end_with_one_plan(backend, devices, monkeypatch):
    """Issue 17: `zik daily` on two devices the same day, before either synced, planned the day
    twice; a day's planned tasks have ids of their own (milestone, day, place in the plan), so
    the two plans meet as one."""
    laptop, phone = _two_with_a_quest(backend, devices, monkeypatch)

    monkeypatch.setenv("ZIK_NOW", "2026-11-26T07:00:00Z")
    laptop.ok("daily")
    monkeypatch.setenv("ZIK_NOW", "2026-11-26T07:05:00Z")
    phone.ok("daily")
    for device in (laptop, phone, laptop):
        device.ok("sync")

    def day(device) -> list[str]:
        shown = device.ok("--json", "task", "list", "--due", "2026-11-26").data
        return sorted(t["taskName"] for t in shown)

    planned = day(laptop)
    assert planned and day(phone) == planned
    there = [t for t in backend.items("tasks") if t["dueDate"] == "2026-11-26"]
    assert len(there) == len(planned) == len(set(planned)), planned


def test_a_planned_task_deleted_before_the_other_device_planned_the_day_stays_deleted(
    backend, devices, monkeypatch
):
    """Issue 17: the laptop plans the day and deletes one of its tasks; the phone, not yet
    synced, plans the same day later (the same task, under the same id). The phone's copy,
    made after the delete, came back on the laptop: the same record made on both sides is
    one record, and deleting it deletes it."""
    laptop, phone = _two_with_a_quest(backend, devices, monkeypatch)

    monkeypatch.setenv("ZIK_NOW", "2026-11-26T07:00:00Z")
    laptop.ok("daily")
    (first, *_) = laptop.ok("--json", "task", "list", "--due", "2026-11-26").data
    monkeypatch.setenv("ZIK_NOW", "2026-11-26T07:01:00Z")
    laptop.ok("task", "rm", first["taskId"])
    monkeypatch.setenv("ZIK_NOW", "2026-11-26T07:05:00Z")
    phone.ok("daily")
    for device in (phone, laptop, phone):
        device.ok("sync")

    for device in (laptop, phone):
        shown = device.ok("--json", "task", "list", "--due", "2026-11-26").data
        assert first["taskId"] not in {t["taskId"] for t in shown}
    assert first["taskId"] not in {t["taskId"] for t in backend.items("tasks")}
