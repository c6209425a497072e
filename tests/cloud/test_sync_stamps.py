"""Per-field edit stamps on the dynamodb remote (issue 17): a field set back to its synced
value is still an edit, and a delete is weighed against the edits made there after it.

Each test is a reproduction from the issue, through the CLI against moto_server; on the code
before stamps each ended with the older edit kept and no conflict anywhere.
"""

from __future__ import annotations

from zik.models import Task
from zik.store import records


def _in_app(backend, task_id: str, at: str, **values: str) -> None:
    """Change a task as the backend's updateTask Lambda does: `SET` each field given and
    `updatedAt`, keeping every other attribute (zik's stamps among them)."""
    (item,) = [t for t in backend.raw_items("tasks") if t["taskId"]["S"] == task_id]
    names = {f"#{i}": name for i, name in enumerate([*values, "updatedAt"])}
    given = {f":{i}": {"S": value} for i, value in enumerate([*values.values(), at])}
    backend.ddb.update_item(
        TableName=backend.tables["tasks"],
        Key={"userId": item["userId"], "taskId": item["taskId"]},
        UpdateExpression="SET " + ", ".join(f"#{i} = :{i}" for i in range(len(names))),
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=given,
    )


def _two(backend, devices, monkeypatch, title: str = "Water the plants"):
    laptop, phone = devices(2)
    for device in (laptop, phone):
        device.sign_in(backend.setup_args())
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T09:00:00Z")
    task = laptop.ok("--json", "task", "add", title).data["taskId"]
    laptop.ok("sync")
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T09:01:00Z")
    phone.ok("sync")
    return laptop, phone, task


def _status(device, task: str) -> str | None:
    found = records.get(device.db(), Task, task, with_deleted=True)
    return None if found is None or found.deleted_at else found.status


def test_an_edit_set_back_on_another_device_beats_an_older_offline_edit(
    backend, devices, monkeypatch
):
    """The phone completes the task and undoes it (10:02, 10:03), after the laptop completed
    it offline (10:01): the phone's status is the later edit, though it is the synced value."""
    laptop, phone, task = _two(backend, devices, monkeypatch)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:01:00Z")
    laptop.ok("task", "done", task)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:02:00Z")
    phone.ok("task", "done", task)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:03:00Z")
    phone.ok("undo")
    phone.ok("sync")  # writes the stamps of what it set back, values unchanged

    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:05:00Z")
    result = laptop("sync", "--json")
    assert result.code == 4, result  # a conflict, and the later edit kept
    (conflict,) = [c for c in result.data["conflicts"] if c["field"] == "status"]
    assert (conflict["kept"], conflict["lost"], conflict["keptSide"]) == (
        "pending",
        "completed",
        "remote",
    )
    assert conflict["why"] == (
        "both sides changed it; the later edit was kept: there at 2026-11-25 10:03:00 UTC,"
        " here at 2026-11-25 10:01:00 UTC"
    )
    assert _status(laptop, task) == "pending"
    (item,) = backend.items("tasks")
    assert item["status"] == "pending"


def test_a_status_the_app_set_back_is_never_overridden_silently(backend, devices, monkeypatch):
    """The app sets the task in progress, then pending again (10:02, 10:03), after the laptop
    completed it offline (10:01). Nothing on the item says the app touched the status; the
    edit made here is kept and the possible loss is listed ("Check:", exit 0)."""
    laptop, _phone, task = _two(backend, devices, monkeypatch)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:01:00Z")
    laptop.ok("task", "done", task)
    _in_app(backend, task, "2026-11-25T10:02:00.000Z", status="in-progress")
    _in_app(backend, task, "2026-11-25T10:03:00.000Z", status="pending")

    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:05:00Z")
    result = laptop.ok("sync")
    (line,) = [x for x in result.err.splitlines() if x.startswith(f"Check: task {task[:8]} status")]
    assert line == (
        f"Check: task {task[:8]} status: kept the local 'completed', not 'pending' (kept the"
        " edit made here at 2026-11-25 10:01:00 UTC; the item was written there later (at"
        " 2026-11-25 10:03:00 UTC) by a writer that does not say which fields it changed, and"
        " it may have set this one back)"
    )
    listed = laptop.ok("--json", "sync", "--conflicts").data
    assert [(c["field"], c["certain"]) for c in listed] == [
        ("completedAt", False),
        ("status", False),
    ]  # (both edited here by `task done`)
    assert _status(laptop, task) == "completed"
    assert laptop.ok("--json", "cloud", "status").data["sync"]["conflicts"] == 2


def test_an_offline_delete_loses_to_a_later_undo_on_another_device(backend, devices, monkeypatch):
    """The laptop deletes the task offline (10:01); the phone completes it and undoes that
    (10:02, 10:03), every value back as synced. The phone's edits are later: the task stays,
    on both devices, and the delete is the conflict."""
    laptop, phone, task = _two(backend, devices, monkeypatch)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:01:00Z")
    laptop.ok("task", "rm", task)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:02:00Z")
    phone.ok("task", "done", task)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:03:00Z")
    phone.ok("undo")
    phone.ok("sync")

    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:05:00Z")
    result = laptop("sync")
    assert result.code == 4, result
    (line,) = [x for x in result.err.splitlines() if x.startswith("Conflict:")]
    assert line == (
        f"Conflict: task {task[:8]} deleted: kept the remote record 'Water the plants', not"
        " 'deleted' (it was changed there at 2026-11-25 10:03:00 UTC, after it was deleted"
        " here at 2026-11-25 10:01:00 UTC)"
    )
    assert _status(laptop, task) == "pending"
    assert len(backend.items("tasks")) == 1
    phone.ok("sync")
    assert _status(phone, task) == "pending"


def test_an_offline_delete_loses_to_a_later_reopen_in_the_app(backend, devices, monkeypatch):
    """The laptop deletes the task offline (10:01); the app starts it and sets it back to
    pending (10:02, 10:03). The item was written after the delete: it stays, with a conflict."""
    laptop, _phone, task = _two(backend, devices, monkeypatch)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:01:00Z")
    laptop.ok("task", "rm", task)
    _in_app(backend, task, "2026-11-25T10:02:00.000Z", status="in-progress")
    _in_app(backend, task, "2026-11-25T10:03:00.000Z", status="pending")

    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:05:00Z")
    result = laptop("sync", "--json")
    assert result.code == 4, result
    (conflict,) = result.data["conflicts"]
    assert (conflict["field"], conflict["lost"], conflict["keptSide"]) == (
        "deleted",
        "deleted",
        "remote",
    )
    assert _status(laptop, task) == "pending"
    assert len(backend.items("tasks")) == 1


def test_a_delete_after_the_last_edit_there_still_wins(backend, devices, monkeypatch):
    """The other way round: the app's edits (10:02, 10:03) come before the delete here (10:04),
    so the delete wins and the task is gone everywhere."""
    laptop, phone, task = _two(backend, devices, monkeypatch)
    _in_app(backend, task, "2026-11-25T10:02:00.000Z", status="in-progress")
    _in_app(backend, task, "2026-11-25T10:03:00.000Z", status="pending")
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:04:00Z")
    laptop.ok("task", "rm", task)

    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:05:00Z")
    laptop.ok("sync")
    assert backend.items("tasks") == []
    phone.ok("sync")
    assert _status(phone, task) is None


def test_a_device_whose_clock_runs_behind_stamps_what_it_edits_after_a_sync_as_later(
    backend, devices, monkeypatch
):
    """The phone's clock is 2 h behind. It pulls the laptop's rename (10:00), then renames the
    task again: without the hybrid clock its stamp (08:05) was older than the laptop's, so the
    laptop took the phone's later rename for an old edit synced late and kept its own."""
    laptop, phone, task = _two(backend, devices, monkeypatch)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:00:00Z")
    laptop.ok("task", "edit", task, "--title", "Water the ferns")
    laptop.ok("sync")
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T08:01:00Z")  # (10:01 by the laptop's clock)
    phone.ok("sync")
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T08:05:00Z")
    phone.ok("task", "edit", task, "--title", "Water the ferns and the basil")
    phone.ok("sync")

    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:10:00Z")
    result = laptop.ok("sync", "--json")
    assert result.data["conflicts"] == []
    assert records.get(laptop.db(), Task, task).task_name == "Water the ferns and the basil"


def test_two_hours_of_clock_skew_never_makes_the_earlier_edit_win(
    backend, devices, fault_proxy, monkeypatch
):
    """The phone's clock is 2 h behind the server's. The laptop renames the task offline at
    10:01; the phone renames it at 10:03 by the server's clock (08:03 by its own). Weighed by
    the phones's own clock, its later rename lost and the conflict said "the later edit was
    kept". Each device now measures its clock against the server's (the `Date` of its answers)
    and weighs its edits by the server's time."""
    from datetime import datetime

    server = {"now": "2026-11-25T09:00:00+00:00"}
    proxy = fault_proxy(backend.cognito.url).clock(lambda: datetime.fromisoformat(server["now"]))
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", proxy.url)

    def at(device_now: str, server_now: str) -> None:
        monkeypatch.setenv("ZIK_NOW", device_now)
        server["now"] = server_now.replace("Z", "+00:00")

    laptop, phone = devices(2)
    for device in (laptop, phone):
        device.sign_in(backend.setup_args())
    at("2026-11-25T09:00:00Z", "2026-11-25T09:00:00Z")
    task = laptop.ok("--json", "task", "add", "Water the plants").data["taskId"]
    laptop.ok("sync")
    at("2026-11-25T07:01:00Z", "2026-11-25T09:01:00Z")
    phone.ok("sync")

    at("2026-11-25T10:01:00Z", "2026-11-25T10:01:00Z")
    laptop.ok("task", "edit", task, "--title", "Water the ferns")
    at("2026-11-25T08:03:00Z", "2026-11-25T10:03:00Z")
    phone.ok("task", "edit", task, "--title", "Water the basil")
    at("2026-11-25T08:04:00Z", "2026-11-25T10:04:00Z")
    result = phone.ok("sync")
    assert "This device's clock is 2 h 0 min behind the server's" in result.err

    at("2026-11-25T10:05:00Z", "2026-11-25T10:05:00Z")
    result = laptop("sync", "--json")
    assert result.code == 4, result
    (conflict,) = result.data["conflicts"]
    assert (conflict["kept"], conflict["lost"], conflict["keptSide"]) == (
        "Water the basil",
        "Water the ferns",
        "remote",
    )
    assert conflict["why"] == (
        "both sides changed it; the later edit was kept: there at 2026-11-25 10:03:00 UTC,"
        " here at 2026-11-25 10:01:00 UTC"
    )
    assert result.data["clockOffset"] == 0
    phone.ok("sync")
    for device in (laptop, phone):
        assert records.get(device.db(), Task, task).task_name == "Water the basil"


def test_a_remote_that_serves_many_syncs_measures_the_clock_at_each(
    backend, fault_proxy, monkeypatch, tmp_path
):
    """The scheduler keeps one remote for every sync of the day. Each sync measures the
    offset from its own pull's answers: the first answer ever, kept, made an hour later's
    sync read a clock an hour behind and move this device's edits by it."""
    from datetime import datetime

    from tests.fakes.moto import EMAIL, TABLES
    from zik.cloud import sync
    from zik.cloud.dynamodb import DynamoRemote
    from zik.store import db

    server = {"now": "2026-11-25T09:00:00+00:00"}
    proxy = fault_proxy(backend.cognito.url).clock(lambda: datetime.fromisoformat(server["now"]))
    for name, spec in TABLES.items():
        monkeypatch.setenv(f"ZIK_CLOUD_TABLES_{name.upper()}", spec["name"])
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", proxy.url)
    remote = DynamoRemote("user-ada", EMAIL)
    conn = db.connect(tmp_path / "zik.db")
    assert sync.run(conn, remote, "user-ada", "2026-11-25T09:00:00.000Z").clock_offset == 0
    server["now"] = "2026-11-25T10:00:00+00:00"
    assert sync.run(conn, remote, "user-ada", "2026-11-25T10:00:00.000Z").clock_offset == 0
    conn.close()
