def test_version(zik):
    result = zik("--version")
    assert result.code == 0
    assert result.out.startswith("zik ")


def test_quest_task_roundtrip(zik):
    quest = zik(
        "--json", "quest", "new", "Learn Spanish", "--target", "2027-06-01", "--no-plan"
    ).data
    assert quest["goalName"] == "Learn Spanish"
    assert quest["targetDate"] == "2027-06-01"
    task = zik("task", "add", "Learn 20 words", "--quest", quest["goalId"][:6], "--json").data
    assert task["goalId"] == quest["goalId"]
    assert task["dueDate"] == "2026-11-25"
    done = zik("task", "done", task["taskId"][:8], "--json").data
    assert done["items"][0]["status"] == "completed"
