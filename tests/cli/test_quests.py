"""`zik quest …` through the command line."""

from __future__ import annotations

import pytest


@pytest.fixture
def planned(zik):
    """Learn Spanish with two milestones; the first has two tasks, one done."""
    quest = zik("--json", "quest", "new", "Learn Spanish", "--target", "2027-06-01", "--no-plan")
    goal_id = quest.data["goalId"]
    zik("milestone", "add", goal_id[:8], "Basics", "--days", "1")
    zik("milestone", "add", goal_id[:8], "Conversation", "--days", "60")
    done = zik("--json", "task", "add", "Words", "--quest", goal_id[:8]).data["taskId"]
    zik("task", "add", "Verbs", "--quest", goal_id[:8], "-e", "15")
    zik("task", "done", done[:8])
    return goal_id


def test_new_prints_next_steps_and_the_id(zik):
    result = zik("quest", "new", "Learn Spanish", "--no-plan")
    assert result.code == 0
    goal_id = result.out.strip()
    assert len(goal_id) == 36
    assert f"Created quest {goal_id[:8]}: Learn Spanish" in result.err
    assert f"zik milestone add {goal_id[:8]}" in result.err
    assert "AI roadmaps" not in result.err


def test_new_plans_a_roadmap_and_todays_tasks_offline_without_credentials(zik):
    result = zik("quest", "new", "Learn Spanish", "--target", "+10w")
    assert result.code == 0, result
    assert "Planned by offline (zik-offline-1): no AWS credentials found" in result.err
    shown = zik("--json", "quest", "show", result.out.splitlines()[0][:8]).data
    assert shown["roadmapStatus"] == "ready"
    assert 3 <= len(shown["milestones"]) <= 7
    assert sum(m["durationInDays"] for m in shown["milestones"]) == 70
    assert shown["milestones"][0]["status"] == "active"
    assert {m["source"] for m in shown["milestones"]} == {"ai"}
    assert shown["openTasks"] and all(t["dueDate"] == "2026-11-25" for t in shown["openTasks"])


def test_new_with_relative_target_and_category(zik):
    data = zik(
        "--json", "quest", "new", "Run", "--target", "+16w", "-c", "Fitness", "--no-plan"
    ).data
    assert data["targetDate"] == "2027-03-17"
    assert data["category"] == "fitness"


def test_show_draws_the_roadmap_with_progress_bars(zik, planned):
    result = zik("quest", "show", planned[:8])
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("Learn Spanish") and planned[:8] in lines[0]
    assert "active" in lines[1] and "target 2027-06-01" in lines[1]
    [roadmap] = [line for line in lines if line.startswith("Roadmap")]
    assert "0/2 milestones" in roadmap and "0%" in roadmap and "░" in roadmap
    [basics] = [line for line in lines if "Basics" in line]
    assert "▶" in basics and "50%" in basics and "1/2 tasks" in basics and "1d" in basics
    assert "█" in basics and "░" in basics
    [talk] = [line for line in lines if "Conversation" in line]
    assert "·" in talk and "0%" in talk and "0/0 tasks" in talk and "60d" in talk
    assert "Open tasks" in result.out
    assert "Verbs" in result.out and "Words" not in result.out.split("Open tasks")[1]


def test_show_after_a_milestone_is_done(zik, planned):
    verbs = zik("--json", "task", "list", "--quest", planned[:8]).data[0]["taskId"]
    zik("task", "done", verbs[:8])
    out = zik("quest", "show", planned[:8]).out
    [roadmap] = [line for line in out.splitlines() if line.startswith("Roadmap")]
    assert "1/2 milestones" in roadmap and "50%" in roadmap
    [basics] = [line for line in out.splitlines() if "Basics" in line]
    assert "✓" in basics and "100%" in basics and "██████████" in basics


def test_show_without_a_roadmap(zik):
    goal_id = zik("--json", "quest", "new", "Read more", "--no-plan").data["goalId"]
    out = zik("quest", "show", goal_id[:8]).out
    assert "No roadmap yet" in out
    assert f"zik milestone add {goal_id[:8]}" in out


def test_list_shows_progress_and_active_milestone(zik, planned):
    zik("quest", "new", "Read more", "--no-plan")
    result = zik("quest", "list")
    assert result.code == 0
    [spanish] = [line for line in result.out.splitlines() if "Learn Spanish" in line]
    assert planned[:8] in spanish and "Basics" in spanish and "2027-06-01" in spanish
    assert "0%" in spanish
    data = zik("--json", "quest", "list").data
    assert [q["goalName"] for q in data] == ["Learn Spanish", "Read more"]
    progress = data[0]["progress"]
    assert (progress["milestonesCompleted"], progress["milestones"], progress["percent"]) == (
        0,
        2,
        0,
    )
    unplanned = data[1]["progress"]
    assert (unplanned["milestones"], unplanned["tasks"], unplanned["percent"]) == (0, 0, 0)


def test_list_without_quests(zik):
    result = zik("quest", "list")
    assert result.code == 0 and result.out == ""
    assert "zik quest new" in result.err


def test_pause_resume_and_status_filters(zik, planned):
    other = zik("--json", "quest", "new", "Read more", "--no-plan").data["goalId"]
    result = zik("quest", "pause", planned[:8])
    assert result.code == 0 and "Paused quest" in result.err

    def names(status):
        return [q["goalName"] for q in zik("--json", "quest", "list", "--status", status).data]

    assert names("active") == ["Read more"]
    assert names("paused") == ["Learn Spanish"]
    zik("quest", "done", other[:8])
    assert names("completed") == ["Read more"]
    assert sorted(names("all")) == ["Learn Spanish", "Read more"]
    zik("quest", "resume", planned[:8])
    assert names("active") == ["Learn Spanish"]


def test_paused_quest_routines_make_no_tasks(zik):
    goal_id = zik("--json", "quest", "new", "Fitness", "--no-plan").data["goalId"]
    zik("routine", "add", "Stretch", "--every", "daily", "--quest", goal_id[:8])
    zik("quest", "pause", goal_id[:8])
    assert zik("--json", "today").data["total"] == 0
    zik("quest", "resume", goal_id[:8])
    assert zik("--json", "today").data["total"] == 1


def test_edit(zik, planned):
    data = zik(
        "--json", "quest", "edit", planned[:8], "--title", "Speak Spanish", "--target", "none"
    ).data
    assert data["goalName"] == "Speak Spanish" and data["targetDate"] is None


def test_rm_takes_tasks_and_routines_with_it(zik, planned):
    zik("routine", "add", "Flashcards", "--every", "daily", "--quest", planned[:8])
    zik("task", "add", "Unrelated")
    result = zik("quest", "rm", planned[:8])
    assert result.code == 0 and "Deleted quest" in result.err
    assert zik("--json", "quest", "list", "--status", "all").data == []
    assert [t["taskName"] for t in zik("--json", "task", "list", "--status", "all").data] == [
        "Unrelated"
    ]
    assert zik("--json", "routine", "list").data == []
    assert zik("quest", "show", planned[:8]).code == 3


def test_unplanned_quest_progress_counts_tasks(zik):
    goal_id = zik("--json", "quest", "new", "Read more", "--no-plan").data["goalId"]
    first = zik("--json", "task", "add", "Chapter 1", "--quest", goal_id[:8]).data["taskId"]
    zik("task", "add", "Chapter 2", "--quest", goal_id[:8])
    zik("task", "done", first[:8])
    [quest] = zik("--json", "quest", "list").data
    assert quest["progress"]["tasksCompleted"] == 1
    assert quest["progress"]["tasks"] == 2
    assert quest["progress"]["percent"] == 50
    assert "50%" in zik("quest", "list").out


def test_a_target_twenty_years_out_plans_offline(zik):
    """Issue 16, acceptance 2: the quest used to be created and never planned."""
    result = zik("quest", "new", "Become a doctor", "--target", "2046-11-25", "--json")
    assert result.code == 0, result
    data = result.data
    assert data["roadmapStatus"] == "ready" and 3 <= len(data["milestones"]) <= 7
    days = [m["durationInDays"] for m in data["milestones"]]
    assert max(days) <= 730 and sum(days) <= 7 * 730
    assert data["tasks"]  # and the first day is planned
