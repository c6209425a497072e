"""--json: one {"schema_version": 1, "data": …} document on stdout, nothing on stderr, backend
field names, and JSON errors on stderr with an empty stdout (DESIGN.md §9, README "Scripting")."""

from __future__ import annotations

import pytest

from tests.cli.helpers import (
    World,
    assert_json_document,
    assert_json_error,
    insert_tasks,
    make_world,
)


def _first_item(data):
    return data["items"][0]


# (name, command line built from the world, check of the data)
CASES = [
    (
        "quest new",
        lambda w: ["quest", "new", "Run a marathon", "--target", "2027-10-01", "--no-plan"],
        lambda d, w: (
            d["goalName"] == "Run a marathon"
            and d["targetDate"] == "2027-10-01"
            and d["roadmapStatus"] == "none"
            and d["status"] == "active"
            and len(d["goalId"]) == 36
        ),
    ),
    (
        "quest new without --no-plan",
        lambda w: ["quest", "new", "Read more"],
        lambda d, w: (
            d["goalName"] == "Read more"
            and d["roadmapStatus"] == "ready"
            and 3 <= len(d["milestones"]) <= 7
            and d["ai"]["provider"] == "offline"
            and all(t["aiCallId"] == d["ai"]["dayPlanCallId"] for t in d["tasks"])
        ),
    ),
    (
        "quest list",
        lambda w: ["quest", "list"],
        lambda d, w: (
            [q["goalId"] for q in d] == [w.quest]
            and d[0]["activeMilestone"]["milestoneId"] == w.milestone1
            and d[0]["progress"]["milestones"] == 2
        ),
    ),
    (
        "quest show",
        lambda w: ["quest", "show", w.q],
        lambda d, w: (
            d["goalId"] == w.quest
            and d["goalName"] == "Learn Spanish"
            and [m["milestoneId"] for m in d["milestones"]] == [w.milestone1, w.milestone2]
            and [m["sequence"] for m in d["milestones"]] == [1, 2]
            and [m["epicId"] for m in d["milestones"]] == [w.quest, w.quest]
            and [m["durationInDays"] for m in d["milestones"]] == [1, 60]
            and [t["taskId"] for t in d["openTasks"]] == [w.task]
        ),
    ),
    (
        "quest edit",
        lambda w: ["quest", "edit", w.q, "--target", "2027-09-01"],
        lambda d, w: d["goalId"] == w.quest and d["targetDate"] == "2027-09-01",
    ),
    (
        "quest pause",
        lambda w: ["quest", "pause", w.q],
        lambda d, w: d["goalId"] == w.quest and d["status"] == "paused",
    ),
    (
        "quest done",
        lambda w: ["quest", "done", w.q],
        lambda d, w: d["status"] == "completed" and d["completedAt"] is not None,
    ),
    (
        "quest rm",
        lambda w: ["quest", "rm", w.q],
        lambda d, w: d["goalId"] == w.quest and d["deletedAt"] is not None,
    ),
    (
        "milestone add",
        lambda w: ["milestone", "add", w.q, "Read a novel", "--days", "90"],
        lambda d, w: (
            d["epicId"] == w.quest
            and d["sequence"] == 3
            and d["status"] == "locked"
            and d["durationInDays"] == 90
            and d["milestoneId"].startswith("milestone_")
        ),
    ),
    (
        "milestone edit",
        lambda w: ["milestone", "edit", w.m2, "--days", "45", "--title", "Talk"],
        lambda d, w: (
            d["milestoneId"] == w.milestone2 and d["durationInDays"] == 45 and d["title"] == "Talk"
        ),
    ),
    (
        "milestone move",
        lambda w: ["milestone", "move", w.m2, "1"],
        lambda d, w: (
            [m["milestoneId"] for m in d] == [w.milestone2, w.milestone1]
            and [m["sequence"] for m in d] == [1, 2]
            and [m["status"] for m in d] == ["active", "locked"]
        ),
    ),
    (
        "milestone done",
        lambda w: ["milestone", "done", w.m1],
        lambda d, w: (
            d["items"][0]["milestoneId"] == w.milestone1
            and d["items"][0]["status"] == "completed"
            and [e["type"] for e in d["events"]] == ["milestone.completed", "milestone.activated"]
        ),
    ),
    (
        "milestone rm",
        lambda w: ["milestone", "rm", w.m1],
        lambda d, w: d["milestoneId"] == w.milestone1 and d["deletedAt"] is not None,
    ),
    (
        "task add",
        lambda w: [
            "task",
            "add",
            "Watch a film",
            "--quest",
            w.q,
            "--due",
            "tomorrow",
            "-p",
            "high",
        ],
        lambda d, w: (
            d["taskName"] == "Watch a film"
            and d["dueDate"] == "2026-11-26"
            and d["goalId"] == w.quest
            and d["milestoneId"] == w.milestone1
            and d["priority"] == "high"
            and d["status"] == "pending"
        ),
    ),
    (
        "task list",
        lambda w: ["task", "list"],
        lambda d, w: [t["taskId"] for t in d] == [w.task] and d[0]["goalId"] == w.quest,
    ),
    (
        "task done",
        lambda w: ["task", "done", w.t],
        lambda d, w: (
            _first_item(d)["taskId"] == w.task
            and _first_item(d)["status"] == "completed"
            and {"milestone.completed", "milestone.activated"} <= {e["type"] for e in d["events"]}
        ),
    ),
    (
        "task start",
        lambda w: ["task", "start", w.t],
        lambda d, w: (
            _first_item(d)["taskId"] == w.task and _first_item(d)["status"] == "in-progress"
        ),
    ),
    (
        "task reopen",
        lambda w: ["task", "reopen", w.t],
        lambda d, w: _first_item(d)["status"] == "pending",
    ),
    (
        "task edit",
        lambda w: ["task", "edit", w.t, "--priority", "low", "--due", "2026-12-01"],
        lambda d, w: (
            d["taskId"] == w.task and d["priority"] == "low" and d["dueDate"] == "2026-12-01"
        ),
    ),
    (
        "task rm",
        lambda w: ["task", "rm", w.t],
        lambda d, w: _first_item(d)["taskId"] == w.task and _first_item(d)["deletedAt"] is not None,
    ),
    (
        "routine add",
        lambda w: ["routine", "add", "Stretch", "--every", "weekly", "--on", "mon,wed,fri"],
        lambda d, w: (
            d["recurrenceRuleId"].startswith("rule_")
            and d["daysOfWeek"] == [1, 3, 5]
            and d["frequency"] == "weekly"
        ),
    ),
    (
        "routine list",
        lambda w: ["routine", "list"],
        lambda d, w: (
            [r["recurrenceRuleId"] for r in d] == [w.routine] and d[0]["daysOfWeek"] == [1, 4]
        ),
    ),
    (
        "routine pause",
        lambda w: ["routine", "pause", w.r],
        lambda d, w: d["recurrenceRuleId"] == w.routine and d["status"] == "paused",
    ),
    (
        "routine rm",
        lambda w: ["routine", "rm", w.r],
        lambda d, w: d["recurrenceRuleId"] == w.routine and d["deletedAt"] is not None,
    ),
    (
        "today",
        lambda w: ["today"],
        lambda d, w: (
            d["date"] == "2026-11-25"
            and d["timezone"] == "UTC"
            and [g["quest"]["goalId"] for g in d["groups"]] == [w.quest]
            and d["groups"][0]["activeMilestone"]["milestoneId"] == w.milestone1
            and [t["taskId"] for t in d["groups"][0]["tasks"]] == [w.task]
            and d["total"] == 1
        ),
    ),
    (
        "undo",
        lambda w: ["undo"],
        lambda d, w: d["undone"].startswith("routine add") and d["events"][0]["id"] == w.routine,
    ),
    (
        "profile",
        lambda w: ["profile"],
        lambda d, w: (
            d["timezone"] == "UTC" and d["dailyTime"] == "06:00" and d["dailyCapacity"] == 90
        ),
    ),
    (
        "profile set",
        lambda w: ["profile", "set", "timezone", "Europe/Paris"],
        lambda d, w: d["timezone"] == "Europe/Paris",
    ),
    (
        "config get",
        lambda w: ["config", "get", "ai.provider"],
        lambda d, w: d == {"key": "ai.provider", "value": "auto", "origin": "default"},
    ),
    (
        "config set",
        lambda w: ["config", "set", "ai.provider", "offline"],
        lambda d, w: d == {"key": "ai.provider", "value": "offline"},
    ),
    (
        "config list",
        lambda w: ["config", "list"],
        lambda d, w: (
            {"ai.provider", "ai.model", "color"} <= {s["key"] for s in d}
            and all(set(s) == {"key", "value", "origin", "help"} for s in d)
        ),
    ),
    (
        "config path",
        lambda w: ["config", "path"],
        lambda d, w: d["config"].endswith("config.toml") and d["database"].endswith("zik.db"),
    ),
    (
        "init",
        lambda w: [
            "init",
            "--name",
            "Ada",
            "--timezone",
            "Europe/London",
            "--daily-time",
            "07:00",
            "--capacity",
            "60",
            "--focus",
            "health, languages",
        ],
        lambda d, w: (
            d["name"] == "Ada"
            and d["timezone"] == "Europe/London"
            and d["dailyTime"] == "07:00"
            and d["dailyCapacity"] == 60
            and d["focusAreas"] == ["health", "languages"]
            and d["onboardingCompleted"] is True
        ),
    ),
]


@pytest.fixture
def world(zik) -> World:
    return make_world(zik)


@pytest.mark.parametrize("placement", ["global", "per-command"])
@pytest.mark.parametrize(("command", "build", "check"), CASES, ids=[c[0] for c in CASES])
def test_json_document(zik, world, command, build, check, placement):
    args = build(world)
    line = ["--json", *args] if placement == "global" else [*args, "--json"]
    data = assert_json_document(zik(*line))
    assert check(data, world), data


@pytest.mark.parametrize("placement", ["global", "per-command"])
def test_quest_resume_json(zik, world, placement):
    zik("quest", "pause", world.q)
    args = ["quest", "resume", world.q]
    line = ["--json", *args] if placement == "global" else [*args, "--json"]
    data = assert_json_document(zik(*line))
    assert data["goalId"] == world.quest and data["status"] == "active"


@pytest.mark.parametrize("placement", ["global", "per-command"])
def test_routine_resume_json(zik, world, placement):
    zik("routine", "pause", world.r)
    args = ["routine", "resume", world.r]
    line = ["--json", *args] if placement == "global" else [*args, "--json"]
    data = assert_json_document(zik(*line))
    assert data["recurrenceRuleId"] == world.routine and data["status"] == "active"


def test_zik_json_environment_variable(zik, world, monkeypatch):
    monkeypatch.setenv("ZIK_JSON", "1")
    data = assert_json_document(zik("task", "list"))
    assert [t["taskId"] for t in data] == [world.task]


def test_task_fields_use_backend_names(zik, world):
    task = assert_json_document(zik("--json", "task", "list"))[0]
    for name in ("taskId", "taskName", "dueDate", "goalId", "milestoneId", "recurrenceRuleId"):
        assert name in task
    assert not any("_" in key for key in task), task


def test_round_trip_ids_and_statuses_agree(zik):
    quest = assert_json_document(
        zik("--json", "quest", "new", "Learn Spanish", "--target", "2027-06-01", "--no-plan")
    )
    goal_id = quest["goalId"]
    assert quest["targetDate"] == "2027-06-01"
    task = assert_json_document(
        zik("task", "add", "Learn 20 words", "--quest", goal_id[:8], "--json")
    )
    assert task["goalId"] == goal_id
    assert task["dueDate"] == "2026-11-25"
    assert task["status"] == "pending"

    done = assert_json_document(zik("task", "done", task["taskId"][:8], "--json"))
    assert [(i["taskId"], i["status"]) for i in done["items"]] == [(task["taskId"], "completed")]

    today = assert_json_document(zik("today", "--json"))
    assert today["date"] == "2026-11-25"
    [group] = today["groups"]
    assert group["quest"]["goalId"] == goal_id
    assert [(t["taskId"], t["status"]) for t in group["tasks"]] == [(task["taskId"], "completed")]
    assert (today["completed"], today["total"]) == (1, 1)

    shown = assert_json_document(zik("quest", "show", goal_id[:8], "--json"))
    assert shown["goalId"] == goal_id
    assert shown["status"] == "active"
    assert shown["openTasks"] == []
    assert shown["progress"]["tasksCompleted"] == 1 and shown["progress"]["tasks"] == 1
    assert shown["progress"]["percent"] == 100


# --- errors -------------------------------------------------------------------------------------

ERROR_CASES = [
    ("unknown task", ["task", "done", "deadbeef"], 3, "not_found"),
    ("unknown quest", ["quest", "show", "deadbeef"], 3, "not_found"),
    ("bad date", ["task", "add", "x", "--due", "2025-02-30"], 2, "usage"),
    ("bad priority", ["task", "add", "x", "-p", "urgent"], 2, "usage"),
    ("empty title", ["task", "add", ""], 2, "usage"),
    ("weekly without --on", ["routine", "add", "x", "--every", "weekly"], 2, "usage"),
    ("bad setting value", ["config", "set", "ai.provider", "nonsense"], 2, "usage"),
    ("unknown setting", ["config", "get", "ai.nope"], 2, "usage"),
    ("nothing to undo", ["undo"], 1, "nothing_to_undo"),
    ("unknown option", ["task", "add", "x", "--bogus"], 2, "usage"),
    ("bad option value", ["task", "list", "--limit", "lots"], 2, "usage"),
    ("missing argument", ["task", "add"], 2, "usage"),
]


@pytest.mark.parametrize("placement", ["global", "per-command"])
@pytest.mark.parametrize(
    ("name", "args", "exit_code", "error_code"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES]
)
def test_json_errors_go_to_stderr(zik, name, args, exit_code, error_code, placement):
    line = ["--json", *args] if placement == "global" else [*args, "--json"]
    error = assert_json_error(zik(*line), exit_code, error_code)
    assert "\n" not in error["message"]


def test_json_error_carries_the_hint(zik):
    error = assert_json_error(zik("--json", "task", "add", "x", "--due", "soonish"), 2, "usage")
    assert "soonish" in error["message"]
    assert "YYYY-MM-DD" in error["hint"]


def test_json_error_for_ambiguous_id(zik, conn):
    insert_tasks(
        conn, "abcd1111-0000-4000-8000-000000000001", "abcd2222-0000-4000-8000-000000000002"
    )
    error = assert_json_error(zik("task", "done", "abcd", "--json"), 2, "ambiguous_id")
    assert "abcd1111" in error["message"] and "abcd2222" in error["message"]
