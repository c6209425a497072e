"""`zik task …` through the command line."""

from __future__ import annotations

import pytest


def add(zik, *args: str) -> dict:
    return zik("--json", "task", "add", *args).data


def status_of(zik, task_id: str) -> str:
    [task] = [
        t for t in zik("--json", "task", "list", "--status", "all").data if t["taskId"] == task_id
    ]
    return task["status"]


def test_add_defaults(zik):
    task = add(zik, "Call the dentist")
    assert task["dueDate"] == "2026-11-25"
    assert task["priority"] == "medium"
    assert task["status"] == "pending"
    assert task["goalId"] is None and task["milestoneId"] is None


@pytest.mark.parametrize(
    ("word", "due"),
    [
        ("today", "2026-11-25"),
        ("tomorrow", "2026-11-26"),
        ("+3d", "2026-11-28"),
        ("+1w", "2026-12-02"),
        ("friday", "2026-11-27"),
        ("wednesday", "2026-11-25"),  # today included
        ("2027-01-31", "2027-01-31"),
    ],
)
def test_due_words(zik, word, due):
    assert add(zik, "x", "--due", word)["dueDate"] == due


@pytest.mark.parametrize(("word", "priority"), [("h", "high"), ("LOW", "low"), ("med", "medium")])
def test_priority_words(zik, word, priority):
    assert add(zik, "x", "-p", word)["priority"] == priority


def test_human_add_reports_on_stderr_and_prints_the_id_when_piped(zik):
    result = zik("task", "add", "Call the dentist", "--due", "tomorrow")
    assert result.code == 0
    assert "Added task" in result.err and "Call the dentist" in result.err
    assert "2026-11-26" in result.err
    task_id = result.out.strip()
    assert len(task_id) == 36
    assert zik("--json", "task", "list").data[0]["taskId"] == task_id


def test_add_to_a_quest_joins_its_active_milestone(zik):
    quest = zik("--json", "quest", "new", "Q", "--no-plan").data["goalId"]
    first = zik("--json", "milestone", "add", quest[:8], "A").data["milestoneId"]
    zik("milestone", "add", quest[:8], "B")
    task = add(zik, "x", "--quest", quest[:5])
    assert task["goalId"] == quest
    assert task["milestoneId"] == first


def test_list_filters(zik):
    today = add(zik, "today")["taskId"]
    tomorrow = add(zik, "tomorrow", "--due", "tomorrow")["taskId"]
    late = add(zik, "late", "--due", "2026-11-20")["taskId"]
    far = add(zik, "far", "--due", "2027-01-10")["taskId"]
    done = add(zik, "done")["taskId"]
    zik("task", "done", done[:8])

    def ids(*args):
        return [t["taskId"] for t in zik("--json", "task", "list", *args).data]

    assert ids() == [late, today, tomorrow, far]
    assert ids("--due", "today") == [today]
    assert ids("--due", "tomorrow") == [tomorrow]
    assert ids("--due", "overdue") == [late]
    assert ids("--due", "week") == [today, tomorrow]
    assert ids("--due", "2027-01-10") == [far]
    assert ids("--status", "completed") == [done]
    assert set(ids("--status", "all")) == {today, tomorrow, late, far, done}
    assert ids("--limit", "2") == [late, today]


def test_list_limit_says_how_many_were_left_out(zik):
    for n in range(3):
        add(zik, f"task {n}")
    result = zik("task", "list", "--limit", "2")
    assert result.code == 0
    assert len(result.out.splitlines()) == 2
    assert "Showing 2 of 3 tasks" in result.err


def test_list_empty(zik):
    result = zik("task", "list")
    assert result.code == 0
    assert result.out == ""
    assert "No tasks match" in result.err


def test_list_by_quest_shows_the_quest_name(zik):
    quest = zik("--json", "quest", "new", "Learn Spanish", "--no-plan").data["goalId"]
    mine = add(zik, "Verbs", "--quest", quest[:8])["taskId"]
    add(zik, "Unrelated")
    listed = zik("--json", "task", "list", "--quest", quest[:8]).data
    assert [t["taskId"] for t in listed] == [mine]
    out = zik("task", "list").out
    [line] = [line for line in out.splitlines() if "Verbs" in line]
    assert "Learn Spanish" in line


def test_done_start_reopen(zik):
    task = add(zik, "x")["taskId"]
    result = zik("task", "start", task[:8])
    assert result.code == 0 and "Started task" in result.err
    assert status_of(zik, task) == "in-progress"
    result = zik("task", "done", task[:8])
    assert result.code == 0 and "Completed task" in result.err
    assert status_of(zik, task) == "completed"
    result = zik("task", "reopen", task[:8])
    assert result.code == 0 and "Reopened task" in result.err
    assert status_of(zik, task) == "pending"


def test_done_twice_is_harmless(zik, conn):
    task = add(zik, "x")["taskId"]
    zik("task", "done", task[:8])
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    again = zik("--json", "task", "done", task[:8]).data
    assert again["items"][0]["status"] == "completed"
    assert again["events"] == []
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == events


def test_done_several_at_once(zik):
    a, b = add(zik, "a")["taskId"], add(zik, "b")["taskId"]
    data = zik("--json", "task", "done", a[:8], b[:8]).data
    assert [i["taskId"] for i in data["items"]] == [a, b]
    assert {status_of(zik, a), status_of(zik, b)} == {"completed"}


def test_edit(zik):
    quest = zik("--json", "quest", "new", "Q", "--no-plan").data["goalId"]
    task = add(zik, "x")["taskId"]
    data = zik(
        "--json",
        "task",
        "edit",
        task[:8],
        "--title",
        "y",
        "--due",
        "+2d",
        "-p",
        "high",
        "--estimate",
        "15",
        "--quest",
        quest[:8],
        "-d",
        "notes",
    ).data
    assert data["taskName"] == "y"
    assert data["dueDate"] == "2026-11-27"
    assert data["priority"] == "high"
    assert data["estimatedMinutes"] == 15
    assert data["goalId"] == quest
    assert data["description"] == "notes"
    detached = zik("--json", "task", "edit", task[:8], "--quest", "none").data
    assert detached["goalId"] is None


def test_rm_hides_the_task(zik):
    task = add(zik, "x")["taskId"]
    result = zik("task", "rm", task[:8])
    assert result.code == 0 and "Deleted task" in result.err
    assert zik("--json", "task", "list", "--status", "all").data == []
    assert zik("task", "done", task[:8]).code == 3


def test_human_list_marks_statuses(zik):
    a = add(zik, "Alpha", "-p", "high", "-e", "20")["taskId"]
    add(zik, "Beta")
    zik("task", "start", a[:8])
    out = zik("task", "list").out
    [alpha] = [line for line in out.splitlines() if "Alpha" in line]
    assert alpha.startswith("◐")
    assert a[:8] in alpha and "high" in alpha and "20m" in alpha
    [beta] = [line for line in out.splitlines() if "Beta" in line]
    assert beta.startswith("○")


def test_tags_are_added_filtered_edited_and_shown(zik):
    tagged = zik("--json", "task", "add", "Call the vet", "--tag", "phone", "--tag", "+errand")
    assert tagged.data["tags"] == ["phone", "errand"]  # a Taskwarrior-style + is dropped
    plain = zik("--json", "task", "add", "Write report").data
    listed = zik("--json", "task", "list", "--tag", "phone").data
    assert [t["taskName"] for t in listed] == ["Call the vet"]
    assert zik("--json", "task", "list", "--tag", "nothing").data == []

    key = tagged.data["taskId"][:8]
    edited = zik("--json", "task", "edit", key, "--tag", "deep", "--untag", "phone").data
    assert edited["tags"] == ["errand", "deep"]
    shown = zik("task", "list").out
    assert "#errand #deep" in shown and plain["taskId"][:8] in shown

    error = zik("task", "add", "x", "--tag", "two words")
    assert error.code == 2 and "'two words' is not a tag" in error.err
    assert len(zik("--json", "task", "list").data) == 2  # nothing was added


def test_a_list_without_tags_has_no_tag_column(zik):
    zik("task", "add", "Write report", "-p", "high")
    line = zik("task", "list").out.splitlines()[0]
    assert "Write report  high" in line
