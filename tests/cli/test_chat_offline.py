"""`zik chat` without AWS: the offline coach, end to end through the real CLI.

Each intent of issue 16 changes exactly what was asked (checked against the whole task table
before and after), `zik undo` reverts it, an ambiguous name asks and the answer finishes the
request, anything else gets the honest answer with exit 0. One-shot, stdin and the REPL (in a
pseudo-terminal) all go the same way. No model, no network, no boto3.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.helpers import assert_json_document
from tests.cli.test_hot_imports import imports_after


def tasks_now(zik) -> dict[str, dict]:
    listed = zik("--json", "task", "list", "--due", "all", "--status", "all", "-n", "0").data
    return {t["taskId"]: t for t in listed}


def quests_now(zik) -> dict[str, dict]:
    return {q["goalId"]: q for q in zik("--json", "quest", "list", "--status", "all").data}


def changed(before: dict[str, dict], after: dict[str, dict]) -> dict[str, set[str]]:
    """Which records changed, and which of their fields (timestamps left out)."""
    out = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key, {}), after.get(key, {})
        fields = {
            f
            for f in old.keys() | new.keys()
            if old.get(f) != new.get(f) and not f.endswith(("At", "_at")) and f != "health"
        }
        if fields:
            out[key] = fields
    return out


def by_name(tasks: dict[str, dict], name: str) -> dict:
    (found,) = [t for t in tasks.values() if t["taskName"] == name]
    return found


@pytest.fixture
def day(zik):
    """Two quests planned offline for today, a paused one, and a task of the person's own."""
    assert zik("config", "set", "ai.provider", "offline").code == 0
    zik("init", "--name", "Sam", "--timezone", "UTC", "--capacity", "90")
    assert zik("quest", "new", "Run a half marathon", "--target", "2027-04-12").code == 0
    assert zik("quest", "new", "Learn Spanish").code == 0
    assert zik("quest", "new", "Learn guitar", "--no-plan").code == 0
    guitar = [q for q in quests_now(zik).values() if q["goalName"] == "Learn guitar"][0]
    assert zik("quest", "pause", guitar["goalId"][:8]).code == 0
    assert zik("task", "add", "Call the plumber").code == 0
    return tasks_now(zik)


def chat(zik, message: str):
    result = zik("chat", message)
    assert result.code == 0, result
    return result


def test_done_completes_exactly_the_named_task_and_undo_reopens_it(zik, day):
    run = [t for t in day.values() if "run" in t["taskName"].lower()][0]
    result = chat(zik, "I did my run")

    assert result.out.startswith(f"Well done: “{run['taskName']}” is done.")
    after = tasks_now(zik)
    assert changed(day, after) == {run["taskId"]: {"status"}}
    assert after[run["taskId"]]["status"] == "completed"
    assert zik("undo").code == 0
    assert changed(day, tasks_now(zik)) == {}


def test_move_moves_the_quests_tasks_of_today_and_nothing_else(zik, day):
    quest = [q for q in quests_now(zik).values() if q["goalName"] == "Learn Spanish"][0]
    spanish = {k for k, t in day.items() if t["goalId"] == quest["goalId"]}
    result = chat(zik, "push Spanish to friday")  # 2026-11-25 is a Wednesday

    assert "to Friday 27 November." in result.out
    after = tasks_now(zik)
    assert changed(day, after) == {k: {"dueDate"} for k in spanish}
    assert {after[k]["dueDate"] for k in spanish} == {"2026-11-27"}
    zik("undo")
    assert changed(day, tasks_now(zik)) == {}


def test_add_makes_one_task_on_the_day_and_quest_named(zik, day):
    result = chat(zik, "add a task to buy shoes on friday for the marathon")

    assert result.out.startswith(
        "Added “Buy shoes” for Friday 27 November, on Run a half marathon."
    )
    after = tasks_now(zik)
    (new,) = after.keys() - day.keys()
    assert changed(day, after).keys() == {new}
    marathon = [q for q in quests_now(zik).values() if q["goalName"] == "Run a half marathon"][0]
    assert after[new]["dueDate"] == "2026-11-27" and after[new]["goalId"] == marathon["goalId"]
    zik("undo")
    assert after.keys() - {k for k, t in tasks_now(zik).items() if not t.get("deletedAt")}


def test_sick_moves_todays_tasks_to_tomorrow(zik, day):
    result = chat(zik, "I'm sick today")

    assert result.out.startswith("Rest and get well: today's tasks can wait a day.\n\nMoved ")
    assert "to tomorrow." in result.out
    after = tasks_now(zik)
    assert changed(day, after) == {k: {"dueDate"} for k in day}
    assert {t["dueDate"] for t in after.values()} == {"2026-11-26"}
    zik("undo")
    assert changed(day, tasks_now(zik)) == {}


def test_pause_and_resume_change_only_the_quest_status(zik, day):
    before = quests_now(zik)
    chat(zik, "pause my Spanish quest")
    after = quests_now(zik)
    spanish = [k for k, q in before.items() if q["goalName"] == "Learn Spanish"][0]
    assert changed(before, after) == {spanish: {"status"}}
    assert after[spanish]["status"] == "paused"

    chat(zik, "resume guitar")
    guitar = [k for k, q in before.items() if q["goalName"] == "Learn guitar"][0]
    assert quests_now(zik)[guitar]["status"] == "active"
    assert changed(day, tasks_now(zik)) == {}


def test_a_new_goal_creates_and_plans_a_quest_with_its_target(zik, day):
    before = quests_now(zik)
    result = chat(zik, "I want to learn the cello by June")

    assert "Started the quest “Learn the cello by June” with" in result.out
    (new,) = quests_now(zik).keys() - before.keys()
    assert quests_now(zik)[new]["targetDate"] == "2027-06-30"
    show = zik("--json", "quest", "show", new[:8]).data
    assert 3 <= len(show["milestones"]) <= 7


def test_status_and_day_questions_change_nothing(zik, day):
    status = chat(zik, "how am I doing?").out
    assert "Run a half marathon: 0% done" in status and "Learn guitar" not in status
    assert chat(zik, "what's next?").out.startswith("Next: ")
    tomorrow = chat(zik, "what's on tomorrow?").out
    assert tomorrow.startswith("Nothing is planned for tomorrow yet.")
    chat(zik, "move the plumber to tomorrow")
    assert chat(zik, "what's on tomorrow?").out == "For tomorrow:\n- Call the plumber\n"


def test_undo_that_reverts_the_coachs_last_change(zik, day):
    chat(zik, "done with the flashcards")
    result = chat(zik, "undo that")
    assert result.out.startswith("Undone: task done")
    assert changed(day, tasks_now(zik)) == {}


def test_an_ambiguous_name_asks_and_the_answer_finishes_it(zik, day):
    zik("task", "add", "Run errands in town")
    before = tasks_now(zik)
    asked = chat(zik, "move my run to tomorrow").out
    assert asked.startswith("Which one do you mean?\n\n1. ")
    assert tasks_now(zik) == before  # a question changes nothing

    result = chat(zik, "errands")
    assert result.out.startswith("Moved “Run errands in town” to tomorrow.")
    errands = by_name(before, "Run errands in town")["taskId"]
    assert changed(before, tasks_now(zik)) == {errands: {"dueDate"}}


def test_anything_else_gets_the_honest_answer_and_exit_0(zik, day):
    result = chat(zik, "write me a poem about autumn")
    assert result.out.startswith("I'm the offline coach")
    assert "zik config set ai.provider auto" in result.out
    assert changed(day, tasks_now(zik)) == {}


def test_replies_are_stored_with_the_offline_provider_and_why_names_the_coach(zik, day, conn):
    data = assert_json_document(zik("chat", "--json", "I did my run"))
    assert data["toolCalls"][0]["name"] == "complete_tasks"
    (call_id,) = data["aiCallIds"][-1:]
    provider = conn.execute("SELECT provider FROM ai_calls WHERE id = ?", (call_id,)).fetchone()
    assert tuple(provider) == ("offline",)
    stored = conn.execute(
        "SELECT role, ai_call_id FROM chat_messages ORDER BY timestamp"
    ).fetchall()
    assert [r[0] for r in stored] == ["user", "assistant"] and stored[1][1] == call_id
    assert data["reply"].startswith("Well done:")

    run = data["toolCalls"][0]["input"]["task_ids"][0]
    why = zik("why", run)
    assert why.code == 0
    assert "via chat: offline coach" in why.out


def test_a_message_from_stdin(zik_process, zik, day):
    result = zik_process("chat", stdin="how am I doing?\n")
    assert result.code == 0, result
    assert "Learn Spanish: 0% done" in result.out


def read_until(fd: int, needle: bytes, timeout: float = 20) -> bytes:
    seen, deadline = b"", time.monotonic() + timeout
    while needle not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"never saw {needle!r} in {seen!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_the_repl_runs_the_requests_and_its_undo(zik, day, zik_home: Path):
    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "zik", "chat"],
        stdin=child,
        stdout=child,
        stderr=child,
        env={**os.environ, "COLUMNS": "200"},
    )
    os.close(child)
    try:
        read_until(main, b"you")
        os.write(main, b"I did my run\r")
        assert b"Well done:" in read_until(main, b"reverts it")
        os.write(main, b"/undo\r")
        assert b"Undid: task done" in read_until(main, b"Undid")
        os.write(main, b"push Spanish to friday\r")
        assert b"to Friday 27 November" in read_until(main, b"Friday 27 November")
        os.write(main, b"/quit\r")
        process.wait(timeout=20)
    finally:
        process.kill()
        os.close(main)
    after = tasks_now(zik)
    assert all(t["status"] == "pending" for t in after.values())
    assert "2026-11-27" in {t["dueDate"] for t in after.values()}


def test_the_offline_chat_imports_no_boto3(zik, day):
    result = imports_after(["chat", "how am I doing?"])
    assert result["code"] == 0
    assert not [m for m in result["heavy"] if m.split(".")[0] in ("boto3", "botocore")]
