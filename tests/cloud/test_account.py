"""`zik cloud delete-account` and `zik reset`."""

from __future__ import annotations

import stat

import pytest
from botocore.exceptions import ClientError

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


def test_delete_account_on_the_api_remote_says_what_it_left_and_removes_the_user(
    rest_backend, devices, fault_proxy, monkeypatch
):
    """Issue 17: through the API, delete-account reported success and left the tasks due on
    other days and every milestone; without a backend profile (the deployed backend cannot
    create one) it failed with 404 after deleting the rest, and the Cognito user survived."""
    from tests.cloud.test_sync_api import _args
    from zik.core import clock

    monkeypatch.setattr(rest_backend, "now", clock.now)
    backend = rest_backend.backend
    cognito = backend.cognito
    proxy = fault_proxy(cognito.url).answer("DeleteUser", cognito.delete_user)
    monkeypatch.setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", proxy.url)
    (laptop,) = devices(1)
    laptop.sign_in(_args(rest_backend))
    quest = laptop.ok("--json", "quest", "new", "Learn Go", "--no-plan").data["goalId"]
    laptop.ok("task", "add", "Tour of Go", "--quest", quest)
    laptop.ok("sync")
    user = laptop.ok("--json", "cloud", "status").data["session"]["userId"]
    (goal,) = backend.items("goals")
    stamp = "2026-11-25T09:00:00.000Z"
    made = {"userId": user, "createdAt": stamp, "updatedAt": stamp}  # as the backend's Lambdas
    rest_backend.tables.put("milestones", {**made, "epicId": goal["goalId"], "sequence": 1,
                                           "milestoneId": "milestone_app", "title": "Basics",
                                           "status": "active", "durationInDays": 7})  # fmt: skip
    assert not [u for u in backend.items("users") if u["userId"] == user]  # (POST /profile: 500)

    result = laptop("--json", "cloud", "delete-account", "--yes", "ada@example.com")
    assert result.code == 0, result
    data = result.data
    assert data["deleted"]["task"] == 1 and data["deleted"]["quest"] == 1
    assert "profile" not in data["deleted"]  # there was none
    assert data["notDeleted"]["milestone"].startswith("1 milestone(s): the API cannot delete")
    assert "routine" in data["notDeleted"] and "task" in data["notDeleted"]
    assert [op for op in proxy.operations() if op == "DeleteUser"] == []  # answered, not sent
    assert "DeleteUser" in [e["operation"] for e in proxy.log]
    with pytest.raises(ClientError, match="UserNotFound"):
        cognito.idp.admin_get_user(UserPoolId=cognito.pool_id, Username=user)
    again = laptop("cloud", "login", "--email", "ada@example.com", stdin="Secret123!\n")
    assert again.code == 5, again
