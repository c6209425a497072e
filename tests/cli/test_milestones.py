"""`zik milestone …` and how completing tasks moves a roadmap forward, through the CLI."""

from __future__ import annotations

import pytest


def short(milestone_id: str) -> str:
    return milestone_id.removeprefix("milestone_")[:8]


@pytest.fixture
def quest(zik) -> str:
    return zik("--json", "quest", "new", "Learn Spanish", "--no-plan").data["goalId"]


def add_milestone(zik, quest: str, title: str, *args: str) -> dict:
    return zik("--json", "milestone", "add", quest[:8], title, *args).data


def roadmap(zik, quest: str) -> list[tuple[str, str]]:
    data = zik("--json", "quest", "show", quest[:8]).data
    return [(m["title"], m["status"]) for m in data["milestones"]]


def test_first_milestone_is_active_and_the_rest_locked(zik, quest):
    result = zik("milestone", "add", quest[:8], "Basics", "--days", "30")
    assert result.code == 0
    assert "(#1, active): Basics" in result.err
    assert result.out.strip().startswith("milestone_")
    second = zik("milestone", "add", quest[:8], "Conversation")
    assert "(#2, locked): Conversation" in second.err
    assert roadmap(zik, quest) == [("Basics", "active"), ("Conversation", "locked")]


def test_last_task_completes_the_milestone_and_activates_the_next(zik, quest):
    add_milestone(zik, quest, "Basics")
    add_milestone(zik, quest, "Conversation")
    first = zik("--json", "task", "add", "Words", "--quest", quest[:8]).data["taskId"]
    second = zik("--json", "task", "add", "Verbs", "--quest", quest[:8]).data["taskId"]

    result = zik("task", "done", first[:8])
    assert result.code == 0
    assert "Milestone completed" not in result.err
    assert roadmap(zik, quest) == [("Basics", "active"), ("Conversation", "locked")]

    result = zik("task", "done", second[:8])
    assert result.code == 0
    lines = result.err.splitlines()
    assert any("Completed task" in line and "Verbs" in line for line in lines)
    assert "✓ Milestone completed: Basics" in lines
    assert "✓ Next milestone: Conversation" in lines
    assert roadmap(zik, quest) == [("Basics", "completed"), ("Conversation", "active")]


def test_finishing_the_last_milestone_completes_the_quest(zik, quest):
    add_milestone(zik, quest, "Only step")
    task = zik("--json", "task", "add", "Do it", "--quest", quest[:8]).data["taskId"]
    result = zik("task", "done", task[:8])
    assert "✓ Milestone completed: Only step" in result.err.splitlines()
    assert any(
        line.startswith("✓ Quest completed: Learn Spanish") for line in result.err.splitlines()
    )
    assert zik("--json", "quest", "show", quest[:8]).data["status"] == "completed"


def test_task_done_json_lists_the_follow_up_events(zik, quest):
    first = add_milestone(zik, quest, "Basics")
    second = add_milestone(zik, quest, "Conversation")
    task = zik("--json", "task", "add", "Words", "--quest", quest[:8]).data["taskId"]
    data = zik("--json", "task", "done", task[:8]).data
    events = [(e["type"], e["id"]) for e in data["events"]]
    assert ("milestone.completed", first["milestoneId"]) in events
    assert ("milestone.activated", second["milestoneId"]) in events
    activated = next(e for e in data["events"] if e["type"] == "milestone.activated")
    assert activated["after"]["status"] == "active" and activated["after"]["epicId"] == quest


def test_done_by_hand(zik, quest):
    first = add_milestone(zik, quest, "Basics")
    add_milestone(zik, quest, "Conversation")
    result = zik("milestone", "done", short(first["milestoneId"]))
    assert result.code == 0
    assert "Completed milestone" in result.err
    assert roadmap(zik, quest) == [("Basics", "completed"), ("Conversation", "active")]


def test_move_reorders_and_keeps_one_active(zik, quest):
    add_milestone(zik, quest, "A")
    add_milestone(zik, quest, "B")
    c = add_milestone(zik, quest, "C")
    result = zik("milestone", "move", short(c["milestoneId"]), "1")
    assert result.code == 0
    assert [line.split()[0] for line in result.out.splitlines()] == ["1", "2", "3"]
    assert "C" in result.out.splitlines()[0]
    assert roadmap(zik, quest) == [("C", "active"), ("A", "locked"), ("B", "locked")]


def test_edit(zik, quest):
    m = add_milestone(zik, quest, "A", "--days", "10")
    data = zik(
        "--json", "milestone", "edit", short(m["milestoneId"]), "--title", "Alpha", "--days", "20"
    ).data
    assert (data["title"], data["durationInDays"], data["sequence"]) == ("Alpha", 20, 1)


def test_rm_renumbers_and_activates_the_next(zik, quest):
    a = add_milestone(zik, quest, "A")
    add_milestone(zik, quest, "B")
    task = zik("--json", "task", "add", "open in A", "--quest", quest[:8]).data["taskId"]
    result = zik("milestone", "rm", short(a["milestoneId"]))
    assert result.code == 0 and "Deleted milestone" in result.err
    data = zik("--json", "quest", "show", quest[:8]).data
    assert [(m["title"], m["sequence"], m["status"]) for m in data["milestones"]] == [
        ("B", 1, "active")
    ]
    assert zik("task", "done", task[:8]).code == 3  # its open task went with it


def test_adding_to_a_completed_quest_reopens_it(zik, quest):
    m = add_milestone(zik, quest, "A")
    zik("milestone", "done", short(m["milestoneId"]))
    assert zik("--json", "quest", "show", quest[:8]).data["status"] == "completed"
    added = add_milestone(zik, quest, "B")
    assert added["status"] == "active"
    assert zik("--json", "quest", "show", quest[:8]).data["status"] == "active"


def test_milestone_ids_accept_the_prefix_forms(zik, quest):
    m = add_milestone(zik, quest, "A")["milestoneId"]
    for ref in (short(m), m, m[: len("milestone_") + 4]):
        assert zik("--json", "milestone", "edit", ref, "--days", "3").data["milestoneId"] == m
