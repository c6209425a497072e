"""`zik sync` through the backend's REST API (the double in tests/fakes/rest_backend.py)."""

from __future__ import annotations

from zik.core import clock
from zik.models import Quest, Task
from zik.store import records


def _args(rest_backend) -> list[str]:
    return [*rest_backend.backend.cognito.setup_args(), "--api-url", rest_backend.url,
            "--remote", "api"]  # fmt: skip


def test_goals_and_todays_tasks_travel_through_the_api(rest_backend, devices, monkeypatch):
    monkeypatch.setattr(rest_backend, "now", clock.now)  # one clock for the backend and zik
    laptop, phone = devices(2)
    laptop.sign_in(_args(rest_backend))
    quest = laptop.ok(
        "--json", "quest", "new", "Learn Go", "--target", "2027-03-01", "--no-plan"
    ).data["goalId"]
    laptop.ok("task", "add", "Tour of Go", "--quest", quest, "-p", "high")
    laptop.ok("task", "add", "Read the spec", "--due", "tomorrow")
    laptop.ok("routine", "add", "Practise", "--every", "daily")  # no route: stays here
    first = laptop.ok("sync", "--json").data
    assert first["pushed"] == {"quest": 1, "task": 2}, first
    assert laptop.ok("--json", "cloud", "status").data["sync"]["pending"] == 0
    assert "routine" in first["notPulled"] and "task" in first["notPulled"]

    # the backend chose the goal's id; the laptop now uses it, and its task points at it
    (goal,) = rest_backend.backend.items("goals")
    assert goal["goalName"] == "Learn Go" and goal["targetDate"] == "2027-03-01"
    assert records.get(laptop.db(), Quest, goal["goalId"]).goal_name == "Learn Go"
    tasks = {t["taskName"]: t for t in rest_backend.backend.items("tasks")}
    assert tasks["Tour of Go"]["goalId"] == goal["goalId"]
    assert tasks["Tour of Go"]["priority"] == "high"  # POST ignores it: a PUT followed
    assert records.get(laptop.db(), Task, tasks["Tour of Go"]["taskId"]).task_name == "Tour of Go"
    assert tasks["Read the spec"]["dueDate"] == "2026-11-26"

    second = laptop.ok("sync", "--json").data
    assert second["pushed"] == {}, second
    assert laptop.ok("--json", "cloud", "status").data["sync"]["pending"] == 0

    phone.sign_in(_args(rest_backend))
    phone.ok("sync")
    assert [t["taskName"] for t in phone.ok("--json", "task", "list").data] == ["Tour of Go"]
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T11:00:00Z")
    phone.ok("task", "done", tasks["Tour of Go"]["taskId"])
    phone.ok("quest", "edit", goal["goalId"], "--description", "Gophers")
    phone.ok("sync")
    laptop.ok("sync")
    assert records.get(laptop.db(), Task, tasks["Tour of Go"]["taskId"]).status == "completed"
    assert records.get(laptop.db(), Quest, goal["goalId"]).description == "Gophers"
    for device in (laptop, phone):
        again = device.ok("sync", "--json").data
        assert again["pushed"] == {} and again["pulled"] == {}, again
