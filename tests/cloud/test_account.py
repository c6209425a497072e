"""`zik cloud delete-account` and `zik reset`."""

from __future__ import annotations

import stat

from tests.cloud.test_sync_dynamodb import _fill
from zik.cloud import auth


def test_delete_account_leaves_nothing_of_the_user_and_no_login(backend, devices):
    laptop, phone = devices(2)
    laptop.sign_in(backend.setup_args())
    _fill(laptop)
    laptop.ok("sync")
    user = laptop.ok("--json", "cloud", "status").data["session"]["userId"]
    # another user's data must survive
    other = "grace@example.com"
    backend.cognito.add_user(other)
    phone.sign_in(backend.setup_args(), email=other)
    phone.ok("quest", "new", "Learn Go", "--no-plan")
    phone.ok("sync")
    # an orphan milestone whose goal is already gone (the backend's own delete leaves these)
    backend.ddb.put_item(
        TableName=backend.tables["milestones"],
        Item={
            "epicId": {"S": "gone-goal"},
            "sequence": {"N": "1"},
            "milestoneId": {"S": "milestone_x"},
            "userId": {"S": user},
        },
    )

    wrong = laptop("cloud", "delete-account", "--yes", "someone@example.com")
    assert wrong.code == 2 and "nothing was deleted" in wrong.err
    assert backend.items("goals")

    result = laptop.ok("--json", "cloud", "delete-account", "--yes", "ada@example.com")
    assert result.data["accountDeleted"] is True and result.data["itemsDeleted"] >= 9

    for table in backend.tables:
        leftovers = [item for item in backend.items(table) if item.get("userId") == user]
        assert leftovers == [], table
    assert [g["goalName"] for g in backend.items("goals")] == ["Learn Go"]
    assert not auth.tokens_path().exists()
    again = laptop("cloud", "login", "--email", "ada@example.com", stdin="Secret123!\n")
    assert again.code == 5, again
    # this machine keeps its data
    assert laptop.ok("--json", "quest", "list").data


def test_reset_backs_up_then_wipes_local_data(devices, tmp_path):
    (laptop,) = devices(1)
    laptop.ok("task", "add", "Keep me in the backup")
    target = tmp_path / "before.db"
    result = laptop.ok("--json", "reset", "--yes", "--backup", str(target))
    assert result.data["backup"] == str(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert laptop.ok("--json", "task", "list").data == []
    import sqlite3

    saved = sqlite3.connect(target).execute("SELECT task_name FROM tasks").fetchall()
    assert saved == [("Keep me in the backup",)]


def test_reset_without_yes_in_a_script_changes_nothing(devices):
    (laptop,) = devices(1)
    laptop.ok("task", "add", "Still here")
    result = laptop("reset")
    assert result.code == 2 and "--yes" in result.err
    assert [t["taskName"] for t in laptop.ok("--json", "task", "list").data] == ["Still here"]
