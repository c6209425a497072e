"""The AI commands end to end: doctor, quest new/plan, why and usage, offline and on fake Bedrock."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tests.cli.helpers import assert_json_document, assert_json_error
from tests.fakes.bedrock import (
    FAKE_ACCESS_KEY,
    FAKE_SECRET,
    delay,
    message_start,
    metadata,
    stop,
    text_events,
    tool_events,
)

MODEL = "global.anthropic.claude-haiku-4-5-20251001-v1:0"  # the default ai.model
TITLES = (
    "Run 5 km without stopping",
    "Run 10 km at an easy pace",
    "Run 16 km long runs",
    "Race the half marathon",
)
TASKS = ("Run 3 km at an easy pace", "Do 15 minutes of strength work", "Plan the week's runs")
# Bedrock prices for Claude Haiku 4.5, dollars per million tokens; each fake reply uses 100/50.
HAIKU_CALL_COST = (100 * 1.0 + 50 * 5.0) / 1_000_000


# --- helpers --------------------------------------------------------------------------------------


def roadmap_input(*days: int) -> dict:
    """A submit_roadmap input with one milestone per duration (titles from TITLES)."""
    return {
        "milestones": [
            {
                "title": TITLES[n],
                "description": f"Stage {n + 1}: {TITLES[n].lower()}.",
                "durationInDays": d,
            }
            for n, d in enumerate(days)
        ]
    }


def script_roadmap(fake, *days: int) -> None:
    fake.reply_tool("submit_roadmap", roadmap_input(*days))


def script_day_plan(fake, *minutes: int) -> None:
    tasks = [
        {
            "taskName": TASKS[n],
            "description": "Keep it easy.",
            "priority": "high" if n == 0 else "medium",
            "estimatedMinutes": m,
        }
        for n, m in enumerate(minutes)
    ]
    fake.reply_tool("submit_day_plan", {"tasks": tasks})


def script_plan(fake) -> None:
    """A valid roadmap (10+10+10 days, so it must be rescaled) then a valid day plan."""
    script_roadmap(fake, 10, 10, 10)
    script_day_plan(fake, 40, 20)


def user_text(recorded) -> str:
    """The first user message of a recorded Converse request."""
    return recorded.body["messages"][0]["content"][0]["text"]


def ai_call_rows(home: Path) -> list[dict]:
    """Every row of the ai_calls table, oldest first, read through a separate connection."""
    conn = sqlite3.connect(home / "zik.db")
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM ai_calls ORDER BY rowid")]
    finally:
        conn.close()


def check(report: dict, name: str) -> dict:
    [found] = [c for c in report["checks"] if c["name"] == name]
    return found


def only_quest_id(zik) -> str:
    [quest] = zik("quest", "list", "--json").data
    return quest["goalId"]


def hinted_call_id(error: dict) -> str:
    found = re.search(r"zik why ([0-9a-f]+)", error["hint"] or "")
    assert found, error
    return found.group(1)


@pytest.fixture
def bedrock_plan(zik, fake_bedrock):
    """`quest new "Run a half marathon" --target +16w --json` planned on the fake Bedrock."""
    script_plan(fake_bedrock)
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w", "--json")
    assert result.code == 0, result
    return result.data


# --- zik doctor -----------------------------------------------------------------------------------


def test_doctor_without_credentials_warns_and_picks_offline(zik):
    result = zik("doctor", "--json")
    report = assert_json_document(result)
    assert report["ok"] is True
    assert report["ai"]["provider"] == "offline"
    assert report["ai"]["credentials"] is None
    assert check(report, "ai provider")["status"] == "warn"
    assert check(report, "aws credentials")["status"] == "warn"
    assert all(c["status"] != "fail" for c in report["checks"])


def test_doctor_human_output_marks_warnings_with_their_fix(zik):
    result = zik("doctor")
    assert result.code == 0, result
    [line] = [x for x in result.out.splitlines() if "ai provider" in x]
    assert line.startswith("!") and "offline" in line
    assert "→ to plan with Bedrock" in result.out


def test_doctor_with_fake_bedrock_reports_bedrock_without_calling_the_model(zik, fake_bedrock):
    report = assert_json_document(zik("doctor", "--json"))
    assert report["ai"]["provider"] == "bedrock"
    assert report["ai"]["credentials"] == "env"
    assert report["ai"]["model"] == MODEL
    assert report["ai"]["region"] == "us-east-1"
    assert check(report, "ai provider")["status"] == "ok"
    assert check(report, "aws credentials")["status"] == "ok"
    assert check(report, "ai model")["detail"] == MODEL
    assert not any(c["name"] == "model call" for c in report["checks"])
    assert fake_bedrock.requests == []


def test_doctor_honours_the_zik_model_override(zik, fake_bedrock, monkeypatch):
    monkeypatch.setenv("ZIK_MODEL", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
    report = assert_json_document(zik("doctor", "--json"))
    assert report["ai"]["model"] == "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert check(report, "ai model")["detail"] == "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert fake_bedrock.requests == []


def test_doctor_check_model_proves_converse_and_streaming_in_two_logged_calls(
    zik, fake_bedrock, zik_home
):
    """Issue 19: chat streams (InvokeModelWithResponseStream, its own IAM action); a check
    of Converse alone passed where every chat would be denied."""
    fake_bedrock.reply_text("ok")
    fake_bedrock.stream([text_events("ok"), stop(), metadata()])
    report = assert_json_document(zik("doctor", "--check-model", "--json"))
    assert report["ok"] is True
    line = check(report, "model call")
    assert line["status"] == "ok" and "streamed in" in line["detail"]
    plain, streamed = fake_bedrock.requests
    assert (plain.operation, streamed.operation) == ("Converse", "ConverseStream")
    assert plain.model_id == MODEL and "toolConfig" not in plain.body
    rows = ai_call_rows(zik_home)
    assert [(r["purpose"], r["provider"], r["model"], r["outcome"]) for r in rows] == [
        ("check", "bedrock", MODEL, "ok")
    ] * 2
    assert (rows[0]["input_tokens"], rows[0]["output_tokens"]) == (100, 50)


def test_doctor_check_model_fails_when_streaming_is_denied(zik, fake_bedrock):
    fake_bedrock.reply_text("ok")
    fake_bedrock.error(403, "AccessDeniedException", "not allowed: InvokeModelWithResponseStream")
    result = zik("doctor", "--check-model", "--json")
    assert result.code == 1, result
    line = check(result.data, "model call")
    assert line["status"] == "fail" and "InvokeModelWithResponseStream" in line["detail"]


def test_doctor_insisting_on_bedrock_without_credentials_fails(zik, monkeypatch):
    monkeypatch.setenv("ZIK_AI_PROVIDER", "bedrock")
    result = zik("doctor", "--json")
    assert result.code == 1, result
    report = result.data
    assert report["ok"] is False
    assert report["ai"]["provider"] == "bedrock"
    assert check(report, "aws credentials")["status"] == "fail"
    human = zik("doctor")
    assert human.code == 1
    [line] = [x for x in human.out.splitlines() if "aws credentials" in x]
    assert line.startswith("✗")


def test_doctor_check_model_access_denied_fails_with_the_hint(zik, fake_bedrock, zik_home):
    fake_bedrock.error(403, "AccessDeniedException")
    result = zik("doctor", "--check-model")
    assert result.code == 1, result
    lines = result.out.splitlines()
    [at] = [n for n, x in enumerate(lines) if "model call" in x]
    assert lines[at].startswith("✗") and "Bedrock denied access" in lines[at]
    assert "→ allow bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream" in lines[at + 1]
    assert len(fake_bedrock.requests) == 1  # AccessDenied is not retried
    [row] = ai_call_rows(zik_home)
    assert (row["purpose"], row["outcome"]) == ("check", "error")
    assert row["error"].startswith("access: ")


# --- zik quest new (planned by the AI) ------------------------------------------------------------


def test_quest_new_on_bedrock_rescales_durations_and_marks_provenance(bedrock_plan, fake_bedrock):
    data = bedrock_plan
    ai = data["ai"]
    assert ai["provider"] == "bedrock" and ai["model"] == MODEL
    assert data["roadmapStatus"] == "ready" and data["dryRun"] is False
    milestones = data["milestones"]
    assert [m["title"] for m in milestones] == list(TITLES[:3])
    assert sum(m["durationInDays"] for m in milestones) == 112  # +16w from 2026-11-25
    assert [m["durationInDays"] for m in milestones] == [38, 37, 37]
    assert ai["durationsAdjustedFrom"] == 30
    assert {m["source"] for m in milestones} == {"ai"}
    assert {m["aiCallId"] for m in milestones} == {ai["roadmapCallId"]}
    assert [m["status"] for m in milestones] == ["active", "locked", "locked"]
    tasks = data["tasks"]
    assert [t["taskName"] for t in tasks] == list(TASKS[:2])
    assert [t["estimatedMinutes"] for t in tasks] == [40, 20]
    assert {t["aiCallId"] for t in tasks} == {ai["dayPlanCallId"]}
    assert {t["milestoneId"] for t in tasks} == {milestones[0]["milestoneId"]}
    assert ai["roadmapCallId"] != ai["dayPlanCallId"]

    roadmap_req, day_req = fake_bedrock.requests
    assert roadmap_req.model_id == MODEL and day_req.model_id == MODEL
    assert roadmap_req.body["toolConfig"]["toolChoice"] == {"tool": {"name": "submit_roadmap"}}
    assert day_req.body["toolConfig"]["toolChoice"] == {"tool": {"name": "submit_day_plan"}}
    assert "The durations must add up to exactly 112" in user_text(roadmap_req)
    assert TITLES[0] in user_text(day_req)
    assert "Minutes available today: 90" in user_text(day_req)


def test_quest_new_on_bedrock_human_output_says_who_planned(zik, fake_bedrock):
    script_plan(fake_bedrock)
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w")
    assert result.code == 0, result
    assert f"Planned by bedrock ({MODEL}): AWS credentials from env" in result.err
    assert "Durations rescaled from 30 to 112 days" in result.err
    assert TITLES[0] in result.err and TASKS[0] in result.err
    assert len(result.out.strip()) == 36  # piped: stdout holds just the new id


def test_quest_new_invalid_roadmap_twice_exits_6_and_keeps_the_raw_reply(
    zik, fake_bedrock, zik_home
):
    script_roadmap(fake_bedrock, 10, 10)  # 2 milestones: the schema wants 3 to 7
    script_roadmap(fake_bedrock, 10, 10)  # the repair round is just as wrong
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w", "--json")
    error = assert_json_error(result, 6, "ai_output_invalid")
    assert "submit_roadmap" in error["message"]
    assert len(fake_bedrock.requests) == 2
    repair = fake_bedrock.requests[1].body["messages"]
    assert [m["role"] for m in repair] == ["user", "assistant", "user"]
    assert repair[2]["content"][0]["toolResult"]["status"] == "error"

    shown = zik("quest", "show", only_quest_id(zik), "--json").data
    assert shown["roadmapStatus"] == "failed"
    assert "still invalid after one repair" in shown["roadmapError"]
    assert shown["milestones"] == [] and shown["openTasks"] == []

    rows = ai_call_rows(zik_home)
    assert [(r["attempt"], r["outcome"]) for r in rows] == [(1, "invalid"), (2, "invalid")]
    assert rows[1]["repair_of"] == rows[0]["id"]

    call_id = hinted_call_id(error)
    assert rows[1]["id"].startswith(call_id)
    story = zik("why", call_id, "--json").data
    assert story["entity"] == "ai_call" and story["created"] == []
    assert [c["attempt"] for c in story["aiCalls"]] == [2, 1]
    raw = story["aiCalls"][0]["response"]["toolUses"][0]["input"]
    assert raw == roadmap_input(10, 10)
    assert story["aiCalls"][0]["error"].startswith("milestones:")


def test_why_human_output_shows_the_raw_reply_of_a_rejected_call(zik, fake_bedrock):
    script_roadmap(fake_bedrock, 10, 10)
    script_roadmap(fake_bedrock, 10, 10)
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w", "--json")
    call_id = hinted_call_id(assert_json_error(result, 6, "ai_output_invalid"))
    shown = zik("why", call_id)
    assert shown.code == 0, shown
    assert "repair round" in shown.out and "invalid" in shown.out
    assert TITLES[0] in shown.out  # a milestone title from the rejected submit_roadmap


def test_why_a_quest_shows_the_calls_that_failed_to_plan_it(zik, fake_bedrock):
    fake_bedrock.always.error(429, "ThrottlingException")
    assert zik("quest", "new", "Run a half marathon", "--target", "+16w").code == 75
    story = zik("why", only_quest_id(zik), "--json").data
    assert story["entity"] == "quest" and story["source"] == "user"
    [call] = story["aiCalls"]
    assert (call["purpose"], call["outcome"]) == ("roadmap", "error")
    assert "throttling" in call["error"].lower()
    shown = zik("why", only_quest_id(zik))
    assert "Made by you" in shown.out and "roadmap" in shown.out and "error:" in shown.out


def test_quest_show_mentions_a_failed_roadmap(zik, fake_bedrock):
    script_roadmap(fake_bedrock, 10, 10)
    script_roadmap(fake_bedrock, 10, 10)
    assert zik("quest", "new", "Run a half marathon", "--target", "+16w").code == 6
    shown = zik("quest", "show", only_quest_id(zik))
    assert shown.code == 0, shown
    assert "roadmap failed" in shown.out
    assert "Planning failed: the model's submit_roadmap was still invalid" in shown.out


def test_quest_new_throttled_on_every_attempt_exits_75(zik, fake_bedrock, zik_home):
    fake_bedrock.always.error(429, "ThrottlingException")
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w", "--json")
    error = assert_json_error(result, 75, "temporary")
    assert "throttling" in error["message"]
    assert len(fake_bedrock.requests) == 2  # ZIK_AI_MAX_ATTEMPTS=2
    shown = zik("quest", "show", only_quest_id(zik), "--json").data
    assert shown["roadmapStatus"] == "generating"  # queued, not failed: it resumes later
    [row] = ai_call_rows(zik_home)
    assert (row["outcome"], row["purpose"]) == ("error", "roadmap")

    fake_bedrock.always.clear()
    script_roadmap(fake_bedrock, 30, 40, 42)
    script_day_plan(fake_bedrock, 30)
    resumed = zik("quest", "plan", only_quest_id(zik)[:8], "--json")
    assert resumed.code == 0, resumed
    assert resumed.data["roadmapStatus"] == "ready" and len(resumed.data["milestones"]) == 3
    assert resumed.data["job"]["state"] == "done"


def test_quest_new_access_denied_exits_5(zik, fake_bedrock):
    fake_bedrock.error(403, "AccessDeniedException")
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w", "--json")
    error = assert_json_error(result, 5, "access")
    assert MODEL in error["message"] and "first-use form" in error["hint"]
    assert len(fake_bedrock.requests) == 1
    shown = zik("quest", "show", only_quest_id(zik), "--json").data
    assert shown["roadmapStatus"] == "failed"


# --- zik quest plan -------------------------------------------------------------------------------


def test_quest_plan_dry_run_then_save_then_refuse_a_second_roadmap(zik, zik_home):
    goal_id = zik("quest", "new", "Learn Spanish", "--target", "+10w", "--no-plan").out.strip()
    assert ai_call_rows(zik_home) == []

    dry = zik("quest", "plan", goal_id[:8], "--dry-run")
    assert dry.code == 0, dry
    assert "Proposed roadmap (not saved)" in dry.out and "70 days" in dry.out
    shown = zik("quest", "show", goal_id[:8], "--json").data
    assert shown["milestones"] == [] and shown["roadmapStatus"] == "none"
    [logged] = ai_call_rows(zik_home)
    assert (logged["purpose"], logged["provider"], logged["subject"]) == (
        "roadmap",
        "offline",
        goal_id,
    )

    saved = zik("quest", "plan", goal_id[:8], "--json").data
    assert saved["dryRun"] is False and saved["tasks"]
    shown = zik("quest", "show", goal_id[:8], "--json").data
    assert 3 <= len(shown["milestones"]) <= 7
    assert sum(m["durationInDays"] for m in shown["milestones"]) == 70
    assert shown["roadmapStatus"] == "ready"
    assert [r["purpose"] for r in ai_call_rows(zik_home)] == ["roadmap", "roadmap", "day_plan"]

    again = zik("quest", "plan", goal_id[:8])
    assert again.code == 2, again
    assert "already has a roadmap" in again.err
    assert len(ai_call_rows(zik_home)) == 3  # refused before asking the AI


def test_quest_plan_after_a_failed_roadmap_plans_it_and_clears_the_error(zik, fake_bedrock):
    fake_bedrock.error(403, "AccessDeniedException")
    assert zik("quest", "new", "Run a half marathon", "--target", "+16w").code == 5
    goal_id = only_quest_id(zik)
    script_plan(fake_bedrock)
    data = assert_json_document(zik("quest", "plan", goal_id[:8], "--json"))
    assert data["roadmapStatus"] == "ready" and data["roadmapError"] is None
    assert sum(m["durationInDays"] for m in data["milestones"]) == 112
    assert len(data["tasks"]) == 2


def test_quest_plan_dry_run_json_has_the_proposal(zik):
    goal_id = zik("quest", "new", "Learn Spanish", "--target", "+10w", "--no-plan").out.strip()
    data = assert_json_document(zik("quest", "plan", goal_id, "--dry-run", "--json"))
    assert data["dryRun"] is True and data["tasks"] == []
    assert sum(m["durationInDays"] for m in data["milestones"]) == 70
    assert all("milestoneId" not in m for m in data["milestones"])  # proposals, not records
    assert data["ai"]["provider"] == "offline" and data["ai"]["dayPlanCallId"] is None


# --- zik why --------------------------------------------------------------------------------------


def test_why_an_ai_task_tells_the_call_and_its_prompt(zik, bedrock_plan):
    task = bedrock_plan["tasks"][0]
    result = zik("why", task["taskId"][:8])
    assert result.code == 0, result
    assert "Made by the AI" in result.out
    call_line = next(x for x in result.out.splitlines() if x.startswith("AI call"))
    assert bedrock_plan["ai"]["dayPlanCallId"][:8] in call_line
    assert "day plan" in call_line and f"bedrock {MODEL}" in call_line
    assert "tokens 100 in, 50 out" in result.out
    assert "asked:" in result.out
    assert "Minutes available today: 90." in result.out
    assert TITLES[0] in result.out


def test_why_json_has_the_request_and_history(zik, bedrock_plan):
    task = bedrock_plan["tasks"][0]
    story = zik("why", task["taskId"], "--json").data
    assert story["entity"] == "task" and story["source"] == "ai"
    [call] = story["aiCalls"]
    assert call["id"] == bedrock_plan["ai"]["dayPlanCallId"]
    assert call["purpose"] == "day_plan" and call["provider"] == "bedrock"
    assert call["request"]["toolConfig"]["toolChoice"] == {"tool": {"name": "submit_day_plan"}}
    assert "Minutes available today: 90" in call["request"]["messages"][0]["content"][0]["text"]
    assert call["costUsd"] == pytest.approx(HAIKU_CALL_COST)
    [created] = story["history"]
    assert created["command"] == f"plan 2026-11-25 for {TITLES[0]}"
    assert created["undone"] is False


def test_why_a_user_task_says_made_by_you(zik):
    task_id = zik("task", "add", "Buy running shoes", "--json").data["taskId"]
    result = zik("why", task_id[:8])
    assert result.code == 0, result
    assert "Made by you" in result.out
    assert "AI call" not in result.out and "asked:" not in result.out
    story = zik("why", task_id, "--json").data
    assert story["source"] == "user" and story["aiCalls"] == []


def test_why_an_ai_call_lists_what_it_created(zik, bedrock_plan):
    call_id = bedrock_plan["ai"]["roadmapCallId"]
    result = zik("why", call_id)
    assert result.code == 0, result
    assert "roadmap" in result.out and "Created (3)" in result.out
    assert all(title in result.out for title in TITLES[:3])
    story = zik("why", call_id, "--json").data
    assert story["entity"] == "ai_call" and story["record"] is None
    assert {c["entity"] for c in story["created"]} == {"milestone"}
    assert {c["id"] for c in story["created"]} == {
        m["milestoneId"] for m in bedrock_plan["milestones"]
    }


def test_why_an_unknown_id_exits_3(zik):
    result = zik("why", "deadbeef")
    assert result.code == 3, result
    assert "nothing matches 'deadbeef'" in result.err
    assert_json_error(zik("why", "deadbeef", "--json"), 3, "not_found")


# --- zik usage ------------------------------------------------------------------------------------


@pytest.fixture
def mixed_usage(zik, fake_bedrock, monkeypatch):
    """One quest planned offline (2 calls) and one on the fake Bedrock (2 calls)."""
    assert zik("init", "--capacity", "600").code == 0  # room for both quests' first day
    monkeypatch.setenv("ZIK_AI_PROVIDER", "offline")
    assert zik("quest", "new", "Learn Spanish", "--target", "+10w").code == 0
    monkeypatch.delenv("ZIK_AI_PROVIDER")
    script_plan(fake_bedrock)
    assert zik("quest", "new", "Run a half marathon", "--target", "+16w").code == 0
    assert len(fake_bedrock.requests) == 2


def test_usage_totals_match_the_call_log(zik, mixed_usage, zik_home):
    rows = ai_call_rows(zik_home)
    assert [r["provider"] for r in rows] == ["offline", "offline", "bedrock", "bedrock"]
    report = assert_json_document(zik("usage", "--json"))
    assert report["by"] == "purpose"
    total = report["total"]
    assert total["calls"] == len(rows) == 4
    assert total["failed"] == 0
    assert (total["inputTokens"], total["outputTokens"]) == (200, 100)
    assert total["costUsd"] == pytest.approx(2 * HAIKU_CALL_COST)
    groups = {g["key"]: g for g in report["groups"]}
    assert set(groups) == {"roadmap", "day_plan"}
    assert groups["roadmap"]["calls"] == groups["day_plan"]["calls"] == 2


def test_usage_by_model_separates_offline_and_bedrock(zik, mixed_usage):
    report = zik("usage", "--by", "model", "--json").data
    groups = {g["key"]: g for g in report["groups"]}
    assert set(groups) == {"offline zik-offline-1", f"bedrock {MODEL}"}
    assert groups["offline zik-offline-1"]["costUsd"] == 0
    assert groups["offline zik-offline-1"]["calls"] == 2
    assert groups[f"bedrock {MODEL}"]["costUsd"] == pytest.approx(2 * HAIKU_CALL_COST)
    assert groups[f"bedrock {MODEL}"]["costUsd"] > 0
    assert report["groups"][0]["key"] == f"bedrock {MODEL}"  # the biggest cost first


def test_usage_by_day_and_days_window(zik, mixed_usage):
    report = zik("usage", "--by", "day", "--json").data
    [day] = report["groups"]
    assert day["key"] == "2026-11-25" and day["calls"] == 4
    recent = zik("usage", "--days", "1", "--json").data
    assert recent["days"] == 1 and recent["total"]["calls"] == 4
    human = zik("usage", "--by", "model")
    assert human.code == 0, human
    assert "Total: 4 calls, $0.0007 estimated" in human.out


def test_usage_prices_a_us_haiku_call_at_the_geographic_price(zik, fake_bedrock, monkeypatch):
    """Issue 19: a `us.` profile of Haiku 4.5 costs 10 % more than `global.` ($1.10/$5.50)."""
    monkeypatch.setenv("ZIK_MODEL", "us.anthropic.claude-haiku-4-5-20251001-v1:0")
    script_plan(fake_bedrock)
    assert zik("quest", "new", "Run a half marathon", "--target", "+16w").code == 0
    total = zik("usage", "--json").data["total"]
    assert total["calls"] == 2
    assert total["costUsd"] == pytest.approx(2 * (100 * 1.1 + 50 * 5.5) / 1_000_000)


def test_usage_rejects_an_unknown_grouping(zik):
    result = zik("usage", "--by", "x")
    assert result.code == 2, result
    assert "cannot group usage by 'x'" in result.err


def test_usage_on_an_empty_log_says_so_on_stderr(zik):
    result = zik("usage")
    assert result.code == 0, result
    assert result.out == ""
    assert "No AI calls yet" in result.err
    empty = assert_json_document(zik("usage", "--json"))
    assert empty["groups"] == [] and empty["total"]["calls"] == 0


# --- as a separate process ------------------------------------------------------------------------


def test_process_plans_on_fake_bedrock_through_the_endpoint_env(zik_process, fake_bedrock):
    script_plan(fake_bedrock)
    result = zik_process("quest", "new", "Run a half marathon", "--target", "+16w", "--json")
    data = assert_json_document(result)
    assert data["ai"]["provider"] == "bedrock"
    assert sum(m["durationInDays"] for m in data["milestones"]) == 112
    assert [r.body["toolConfig"]["toolChoice"]["tool"]["name"] for r in fake_bedrock.requests] == [
        "submit_roadmap",
        "submit_day_plan",
    ]


def test_process_without_any_aws_setup_plans_offline(zik_process, tmp_path, monkeypatch):
    # No AWS variables point anywhere: boto3 looks in $HOME/.aws, which is empty. The instance
    # metadata probe stays off so that a CI runner's own instance role cannot leak in.
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    empty_home = tmp_path / "empty-home"
    empty_home.mkdir()
    result = zik_process(
        "quest", "new", "Learn Spanish", "--target", "+10w", "--json", env={"HOME": str(empty_home)}
    )
    data = assert_json_document(result)
    assert data["ai"]["provider"] == "offline"
    assert data["ai"]["reason"] == "no AWS credentials found"
    assert 3 <= len(data["milestones"]) <= 7
    assert sum(m["durationInDays"] for m in data["milestones"]) == 70


# --- secrets --------------------------------------------------------------------------------------


def test_no_aws_secret_lands_under_zik_home(zik, zik_process, fake_bedrock, zik_home):
    assert zik("init", "--capacity", "600").code == 0  # room for every quest's first day
    script_plan(fake_bedrock)
    assert zik("quest", "new", "Run a half marathon", "--target", "+16w").code == 0
    fake_bedrock.reply_text("ok")
    fake_bedrock.stream([text_events("ok"), stop(), metadata()])
    assert zik("doctor", "--check-model").code == 0
    script_roadmap(fake_bedrock, 10, 10)
    script_roadmap(fake_bedrock, 10, 10)
    assert zik("quest", "new", "Learn to swim", "--target", "+8w").code == 6
    script_plan(fake_bedrock)
    assert zik_process("quest", "new", "Ride 100 km", "--target", "+16w").code == 0
    assert len(fake_bedrock.requests) == 8
    assert len(ai_call_rows(zik_home)) == 8
    files = [p for p in zik_home.rglob("*") if p.is_file()]
    assert any(p.name == "zik.db" for p in files)
    for path in files:
        content = path.read_bytes()
        assert FAKE_SECRET.encode() not in content, path
        assert FAKE_ACCESS_KEY.encode() not in content, path
    for path in files:
        if path.name.startswith("zik.db"):  # the database (with ai_calls) and its WAL files
            assert path.stat().st_mode & 0o777 == 0o600, path


def test_ai_call_bodies_are_json_without_credentials(zik, bedrock_plan, zik_home):
    for row in ai_call_rows(zik_home):
        request = json.loads(row["request"])
        assert request["modelId"] == MODEL
        assert "Authorization" not in row["request"] and FAKE_ACCESS_KEY not in row["request"]


def test_quest_new_without_credentials_for_bedrock_exits_5_and_creates_nothing(zik, monkeypatch):
    monkeypatch.setenv("ZIK_AI_PROVIDER", "bedrock")
    result = zik("quest", "new", "Learn Go", "--json")
    assert result.code == 5
    assert "AWS_PROFILE" in result.error["hint"]
    assert zik("quest", "list", "--status", "all", "--json").data == []


def test_a_day_plan_still_invalid_after_repair_exits_6_as_daily_does(zik, fake_bedrock):
    """Issue 19: quest new exited 0 here while zik daily exits 6 for the same failure."""
    script_roadmap(fake_bedrock, 30, 40, 42)
    for _ in range(2):  # the reply and its repair: both without tasks
        fake_bedrock.reply_tool("submit_day_plan", {"tasks": []})
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w")
    assert result.code == 6, result
    assert "Today's tasks could not be planned" in result.err
    (quest,) = zik("--json", "quest", "list").data
    assert quest["roadmapStatus"] == "ready"  # the roadmap stands


def test_quest_new_with_a_bad_target_fails_before_asking_the_ai(zik, fake_bedrock):
    result = zik("quest", "new", "Learn Go", "--target", "2020-01-01")
    assert result.code == 2
    assert fake_bedrock.requests == []
    assert zik("quest", "list", "--status", "all", "--json").data == []


def test_a_failed_day_plan_keeps_the_roadmap_and_quest_plan_finishes_it(zik, fake_bedrock):
    script_roadmap(fake_bedrock, 30, 40, 42)
    fake_bedrock.error(429, "ThrottlingException")
    fake_bedrock.error(429, "ThrottlingException")  # ZIK_AI_MAX_ATTEMPTS=2
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w", "--json")
    assert result.code == 75, result  # as zik daily exits for the same failure
    data = result.data  # the result is printed all the same
    assert len(data["milestones"]) == 3 and data["tasks"] == []
    assert data["dayPlanError"]["code"] == "temporary"

    script_day_plan(fake_bedrock, 30, 15)
    again = zik("quest", "plan", data["goalId"][:8], "--json")
    assert again.code == 0, again
    assert [t["taskName"] for t in again.data["tasks"]] == list(TASKS[:2])
    assert again.data["ai"]["roadmapCallId"] is None  # the roadmap was not planned twice
    assert fake_bedrock.requests[-1].body["toolConfig"]["toolChoice"]["tool"]["name"] == (
        "submit_day_plan"
    )
    refused = zik("quest", "plan", data["goalId"][:8])
    assert refused.code == 2 and "today's tasks" in refused.err


def test_a_failed_roadmap_in_quest_new_says_how_to_retry(zik, fake_bedrock):
    fake_bedrock.always.error(429, "ThrottlingException")
    result = zik("quest", "new", "Run a half marathon", "--json")
    assert result.code == 75
    quest = only_quest_id(zik)[:8]
    assert f"planning resumes with zik daily or zik quest plan {quest}" in result.error["hint"]

    fake_bedrock.always.error(403, "AccessDeniedException")
    result = zik("quest", "new", "Learn Go", "--json")
    assert result.code == 5
    [quest] = [q for q in zik("quest", "list", "--json").data if q["goalName"] == "Learn Go"]
    assert f"zik quest plan {quest['goalId'][:8]} retries the planning" in result.error["hint"]


def test_a_rejected_reply_is_kept_even_when_no_bodies_are_kept(zik, fake_bedrock, monkeypatch):
    monkeypatch.setenv("ZIK_AI_KEEP_BODIES", "0")
    script_roadmap(fake_bedrock, 10, 10)
    script_roadmap(fake_bedrock, 10, 10)
    result = zik("quest", "new", "Run a half marathon", "--json")
    call_id = hinted_call_id(assert_json_error(result, 6, "ai_output_invalid"))
    story = zik("why", call_id, "--json").data
    assert story["aiCalls"][0]["response"]["toolUses"][0]["input"] == roadmap_input(10, 10)


def test_doctor_reports_an_invalid_region_and_an_unreadable_aws_config(zik, tmp_path, monkeypatch):
    monkeypatch.setenv("ZIK_AI_REGION", "us_east-1")
    result = zik("doctor", "--json")
    assert result.code == 1
    checks = {c["name"]: c for c in result.data["checks"]}
    assert checks["aws region"]["status"] == "fail"

    monkeypatch.delenv("ZIK_AI_REGION")
    config = tmp_path / "config"
    config.write_text("[default\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    result = zik("doctor", "--json")
    assert result.code == 1
    checks = {c["name"]: c for c in result.data["checks"]}
    assert "cannot be read" in checks["ai provider"]["detail"]


def test_usage_days_are_the_users_local_days(zik, monkeypatch):
    assert zik("profile", "set", "timezone", "Pacific/Auckland").code == 0
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T12:00:00Z")  # 01:00 on the 26th in Auckland
    assert zik("quest", "new", "Learn Spanish", "--target", "+10w").code == 0
    [day] = zik("usage", "--by", "day", "--json").data["groups"]
    assert day["key"] == "2026-11-26" and day["calls"] == 2
    monkeypatch.setenv("ZIK_NOW", "2026-11-26T10:00:00Z")  # 23:00 on the 26th in Auckland
    assert zik("usage", "--days", "1", "--json").data["total"]["calls"] == 2
    monkeypatch.setenv("ZIK_NOW", "2026-11-26T11:30:00Z")  # 00:30 on the 27th
    assert zik("usage", "--days", "1", "--json").data["total"]["calls"] == 0


# --- doctor: daily runs, hooks, cloud ---------------------------------------------------------------


def _checks(zik) -> dict:
    return {c["name"]: c for c in zik("doctor", "--json").data["checks"]}


def test_doctor_says_when_nothing_runs_zik_daily(zik, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))  # no crontab on PATH
    check = _checks(zik)["daily runs"]
    assert check["status"] == "warn" and "zik scheduler install" in check["fix"]
    units = tmp_path / "xdg" / "systemd" / "user"
    units.mkdir(parents=True)
    (units / "zik-daily.timer").write_text("[Timer]\n")
    assert _checks(zik)["daily runs"]["status"] == "ok"


def test_doctor_lists_hooks_and_flags_ones_that_cannot_run(zik, zik_home):
    assert _checks(zik)["hooks"]["status"] == "ok"
    folder = zik_home / "hooks"
    folder.mkdir()
    (folder / "on-task-completed").write_text("#!/bin/sh\n")
    (folder / "on-task-completed").chmod(0o755)
    assert _checks(zik)["hooks"]["detail"] == "on-task-completed"
    (folder / "on-quest-completed").write_text("#!/bin/sh\n")
    check = _checks(zik)["hooks"]
    assert check["status"] == "warn" and "on-quest-completed" in check["detail"]


def test_doctor_reports_the_cloud_state(zik, zik_home):
    assert _checks(zik)["cloud"]["detail"].startswith("not set up")
    assert zik("cloud", "setup", "--user-pool-id", "us-east-1_Abc", "--client-id", "c1").code == 0
    check = _checks(zik)["cloud"]  # no table names: the api remote, which needs its URL
    assert check["status"] == "fail" and check["fix"] == "zik cloud setup --api-url URL"
    assert zik("cloud", "setup", "--user-pool-id", "us-east-1_Abc", "--client-id", "c1",
               "--api-url", "https://api.example.com").code == 0  # fmt: skip
    check = _checks(zik)["cloud"]
    assert check["status"] == "warn" and check["fix"] == "zik cloud login"
    (zik_home / "cloud-tokens.json").write_text("{}")
    result = zik("doctor", "--json")
    assert result.code == 1
    assert {c["name"]: c for c in result.data["checks"]}["cloud"]["status"] == "fail"


def test_a_plan_cut_at_its_length_limit_is_asked_again_with_twice_the_room(
    zik, fake_bedrock, zik_home
):
    """Issue 19: it was "repaired" with "Field required" and the same maxTokens."""
    fake_bedrock.reply_tool("submit_roadmap", {"milestones": []}, stop_reason="max_tokens")
    script_roadmap(fake_bedrock, 30, 40, 42)
    script_day_plan(fake_bedrock, 30, 15)
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w", "--json")
    assert result.code == 0, result
    first, second = fake_bedrock.requests[:2]
    assert first.body["inferenceConfig"]["maxTokens"] == 4096
    assert second.body["inferenceConfig"]["maxTokens"] == 8192
    assert second.body["messages"] == first.body["messages"]  # the same question, not a repair
    why = [r for r in ai_call_rows(zik_home) if r["purpose"] == "roadmap"]
    assert why[0]["error"] == "cut off at 4096 tokens; asked again with 8192"


def test_a_second_submit_in_one_reply_goes_to_the_repair_round(zik, fake_bedrock):
    """Issue 19: a second submit_day_plan in one reply was silently dropped."""
    script_roadmap(fake_bedrock, 30, 40, 42)
    plan = {"tasks": [{"taskName": TASKS[0], "estimatedMinutes": 30}]}
    fake_bedrock.reply_tools([("submit_day_plan", plan), ("submit_day_plan", plan)])
    script_day_plan(fake_bedrock, 30, 15)
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w", "--json")
    assert result.code == 0, result
    repair = fake_bedrock.requests[2].body["messages"][-1]["content"]
    said = [block["toolResult"]["content"][0]["text"] for block in repair]
    assert "exactly once" in said[0] and len(said) == 2
    assert [t["taskName"] for t in result.data["tasks"]] == list(TASKS[:2])


def test_a_slow_model_that_keeps_writing_is_not_abandoned_at_the_timeout(
    zik, fake_bedrock, monkeypatch
):
    """Issue 19: planning used Converse with a 60 s read timeout that botocore retried, so a
    model writing a long roadmap was abandoned and re-invoked (each try may be billed). It is
    streamed now: the timeout bounds the silence between two events, not the whole answer."""
    monkeypatch.setenv("ZIK_AI_TIMEOUT", "1")
    tool = tool_events("submit_roadmap", roadmap_input(30, 40, 42), index=0, piece=40)
    slow = [message_start(), tool[0]]
    for event in tool[1:-1]:
        slow += [delay(0.3), event]  # ~2.5 s in all, never more than 0.3 s of silence
    fake_bedrock.stream([*slow, tool[-1], stop("tool_use"), metadata()])
    script_day_plan(fake_bedrock, 30, 15)
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w", "--json")
    assert result.code == 0, result
    assert len(result.data["milestones"]) == 3
    assert len(fake_bedrock.requests) == 2  # one roadmap request, one day plan: no retry


def test_a_model_that_only_trickles_is_stopped_at_ten_times_the_timeout(
    zik, fake_bedrock, monkeypatch
):
    """No silence is long enough for the idle limit, yet the answer never ends: the call ends
    at 10 × ai.timeout, exit 75, and is not sent again."""
    monkeypatch.setenv("ZIK_AI_TIMEOUT", "1")
    tool = tool_events("submit_roadmap", roadmap_input(30, 40, 42), index=0, piece=4)
    slow = [message_start(), tool[0]]
    for event in tool[1:-1]:
        slow += [delay(0.4), event]  # far more than 10 s in all
    fake_bedrock.stream([*slow, tool[-1], stop("tool_use"), metadata()])
    result = zik("quest", "new", "Run a half marathon", "--target", "+16w")
    assert result.code == 75, result
    assert "still coming after 10 s" in result.err
    assert len(fake_bedrock.requests) == 1


def test_usage_says_what_the_prompt_cache_saved(zik, fake_bedrock):
    """Cache reads priced as the plain input they replaced, less their own price: Haiku 4.5
    reads 2,000 tokens at $0.10 instead of $1.00 a million."""
    fake_bedrock.stream([text_events("Hi."), stop(), metadata(cache_read=2000)])
    chatted = zik("chat", "hi")
    assert chatted.code == 0, chatted
    report = zik("usage", "--json").data
    assert report["total"]["cacheReadTokens"] == 2000
    assert report["cacheSavedUsd"] == pytest.approx(2000 * (1.0 - 0.1) / 1e6)
    assert "The prompt cache saved about $0.0018" in zik("usage").err
