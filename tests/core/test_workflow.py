"""The durable roadmap job: kill -9 at every step, leases, and failures that stop or pause it."""

from __future__ import annotations

import socket
import subprocess
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from tests.cli.test_ai_commands import MODEL, script_day_plan, script_plan, script_roadmap
from tests.killpoints import (
    AFTER_KILL,
    POINTS,
    ai_calls,
    assert_one_set_per_milestone,
    assert_planned_once,
    integrity,
    jobs,
    milestones,
    quest,
    quest_ids,
    rows,
    run_killed,
    tasks,
)
from zik.core.plan import workflow
from zik.models import Quest
from zik.store import jobs as job_store
from zik.store import records

TODAY = "2026-11-25"
NEW = ("quest", "new", "Run a half marathon", "--target", "+16w")


def created_events(home, entity: str) -> Counter:
    found = rows(home, "SELECT entity_id FROM events WHERE type = ?", f"{entity}.created")
    return Counter(r["entity_id"] for r in found)


# --- kill -9 at each step, then resume in a fresh process -----------------------------------------


@pytest.mark.parametrize("resume", ["quest plan", "daily"])
@pytest.mark.parametrize("point", POINTS)
def test_killed_at_each_step_resumes_to_exactly_one_roadmap(point, resume, zik_process, zik_home):
    run_killed(point, *NEW)
    [goal_id] = quest_ids(zik_home)
    step, committed = AFTER_KILL[point]
    [job] = jobs(zik_home, goal_id)
    assert (job["state"], job["step"]) == ("running", step)
    assert job["lease_owner"] and job["lease_until"] > "2026-11-25T10:00:00.000Z"
    assert bool(milestones(zik_home, goal_id)) is committed
    assert tasks(zik_home) == []  # today's tasks are never committed at these points
    assert quest(zik_home, goal_id)["roadmap_status"] == ("ready" if committed else "generating")
    assert integrity(zik_home) == "ok"

    # The lease of the dead process is taken over at once (the clock is frozen: it never expires).
    if resume == "quest plan":
        result = zik_process("quest", "plan", goal_id[:8], "--json")
        assert result.code == 0, result
        assert result.data["job"]["state"] == "done"
        assert result.data["roadmapStatus"] == "ready"
    else:
        result = zik_process("daily", "--json")
        assert result.code == 0, result
        [resumed] = result.data["jobs"]
        assert resumed["goalId"] == goal_id and resumed["job"]["state"] == "done"
        [planned] = result.data["milestones"]
        assert planned["reason"] == "already has tasks that day"  # the job planned the day

    found = assert_planned_once(zik_home, goal_id, TODAY)
    assert len(found) == 6  # the offline roadmap for 112 days
    assert sum(m["duration_in_days"] for m in found) == 112
    # A committed step never runs again; an uncommitted one is redone once.
    calls = Counter(c["purpose"] for c in ai_calls(zik_home) if c["outcome"] == "ok")
    assert calls["roadmap"] == (2 if point == "plan" else 1)
    assert calls["day_plan"] == (2 if point.startswith("day-") else 1)
    roadmap_calls = [c["id"] for c in ai_calls(zik_home) if c["purpose"] == "roadmap"]
    assert {m["ai_call_id"] for m in found} == {roadmap_calls[-1]}
    # Nothing half-saved by the dead process left an event behind.
    assert created_events(zik_home, "milestone") == Counter(m["milestone_id"] for m in found)
    assert created_events(zik_home, "task") == Counter(t["task_id"] for t in tasks(zik_home))


def test_quest_new_killed_before_its_job_leaves_no_quest_and_a_rerun_makes_one(
    zik_process, zik_home
):
    """Issue 18: the quest used to commit alone; killed before its planning job existed, it was
    a quest `zik daily` never planned, and running `quest new` again made a second one."""
    run_killed("quest-created", *NEW)
    assert quest_ids(zik_home) == []
    assert integrity(zik_home) == "ok"
    assert zik_process(*NEW).code == 0
    [goal_id] = quest_ids(zik_home)
    assert quest(zik_home, goal_id)["roadmap_status"] == "ready"


def test_after_a_resumed_kill_nothing_more_is_planned(zik, zik_process, zik_home):
    run_killed("day-saving", *NEW)
    [goal_id] = quest_ids(zik_home)
    assert zik_process("quest", "plan", goal_id[:8]).code == 0
    made = tasks(zik_home)
    again = zik("quest", "plan", goal_id[:8])
    assert again.code == 2, again
    assert "already has a roadmap" in again.err
    daily = zik("daily", "--json")
    assert daily.code == 0, daily
    assert daily.data["tasksMade"] == 0 and daily.data["jobs"] == []
    assert tasks(zik_home) == made


def test_killed_quest_plan_of_a_queued_job_resumes(zik, zik_process, zik_home):
    goal_id = zik("quest", "new", "Learn Spanish", "--target", "+10w", "--no-wait").out.strip()
    run_killed("saving", "quest", "plan", goal_id[:8])
    assert milestones(zik_home, goal_id) == []
    result = zik_process("quest", "plan", goal_id[:8], "--json")
    assert result.code == 0, result
    found = assert_planned_once(zik_home, goal_id, TODAY)
    assert sum(m["duration_in_days"] for m in found) == 70


# --- leases ---------------------------------------------------------------------------------------


def lease_to(conn, goal_id: str, owner: str, until: str = "2026-11-25T10:10:00.000Z"):
    job = job_store.open_for(conn, workflow.KIND, goal_id)
    claimed = job_store.claim(conn, job.id, owner, until, "2026-11-25T10:00:00.000Z", None)
    assert claimed is not None
    return claimed


@pytest.fixture
def queued(zik) -> str:
    """A quest whose roadmap job is queued (`quest new --no-wait`), offline."""
    result = zik("quest", "new", "Learn Spanish", "--target", "+10w", "--no-wait")
    assert result.code == 0, result
    return result.out.strip()


def test_a_live_lease_blocks_a_second_run_until_its_process_dies(zik, conn, zik_home, queued):
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        owner = f"{socket.gethostname()}:{sleeper.pid}"
        held = lease_to(conn, queued, owner)
        blocked = zik("quest", "plan", queued[:8])
        assert blocked.code == 75, blocked
        assert "another zik process is planning" in blocked.err
        [job] = jobs(zik_home, queued)
        assert (job["state"], job["lease_owner"], job["attempts"]) == ("running", owner, 1)
        assert job["step"] == "plan" and milestones(zik_home, queued) == []
        assert ai_calls(zik_home) == []  # refused before asking the AI

        daily = zik("daily", "--json")  # zik daily leaves it to its owner, quietly
        assert daily.code == 0, daily
        assert daily.data["jobs"] == []
        assert jobs(zik_home, queued)[0]["lease_owner"] == owner
        assert milestones(zik_home, queued) == [] and ai_calls(zik_home) == []
    finally:
        sleeper.kill()
        sleeper.wait()
    assert held.lease_owner == owner
    taken = zik("quest", "plan", queued[:8], "--json")  # same frozen instant: no expiry needed
    assert taken.code == 0, taken
    assert taken.data["job"]["state"] == "done"
    assert_planned_once(zik_home, queued, TODAY)


def test_an_expired_lease_is_taken_over(zik, conn, zik_home, queued, monkeypatch):
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        lease_to(conn, queued, f"{socket.gethostname()}:{sleeper.pid}")
        monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:09:59Z")
        assert zik("quest", "plan", queued[:8]).code == 75
        monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:10:01Z")
        taken = zik("quest", "plan", queued[:8], "--json")
        assert taken.code == 0, taken
    finally:
        sleeper.kill()
        sleeper.wait()
    assert_planned_once(zik_home, queued, TODAY)


def test_a_lease_of_another_machine_waits_for_its_expiry(zik, conn, zik_home, queued):
    lease_to(conn, queued, "some-other-host:1")  # pid 1 exists here, but on another machine
    blocked = zik("quest", "plan", queued[:8])
    assert blocked.code == 75, blocked
    [job] = jobs(zik_home, queued)
    assert (job["state"], job["lease_owner"]) == ("running", "some-other-host:1")
    assert milestones(zik_home, queued) == []


def test_start_is_idempotent_one_open_job_per_quest(conn, zik_home, queued):
    first = job_store.open_for(conn, workflow.KIND, queued)
    again = workflow.start(conn, records.get(conn, Quest, queued))
    assert again.id == first.id
    assert [j["id"] for j in jobs(zik_home, queued)] == [first.id]


# --- Ctrl-C and deleted quests --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patched", "step"), [("propose_roadmap", "plan"), ("propose_day", "first_day")]
)
def test_ctrl_c_leaves_the_job_queued_at_its_step(
    zik, zik_home, queued, monkeypatch, patched, step
):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    real = getattr(workflow, patched)
    monkeypatch.setattr(workflow, patched, interrupted)
    result = zik("quest", "plan", queued[:8])
    assert result.code == 130, result
    [job] = jobs(zik_home, queued)
    assert (job["state"], job["step"], job["lease_owner"]) == ("queued", step, None)
    assert quest(zik_home, queued)["roadmap_status"] == (
        "generating" if step == "plan" else "ready"
    )
    monkeypatch.setattr(workflow, patched, real)
    resumed = zik("quest", "plan", queued[:8], "--json")
    assert resumed.code == 0, resumed
    assert_planned_once(zik_home, queued, TODAY)


def test_a_job_whose_quest_was_deleted_is_closed(zik, zik_home, queued):
    assert zik("quest", "rm", queued[:8]).code == 0
    first = zik("daily", "--json")
    assert first.code == 0, first
    [job] = jobs(zik_home, queued)
    assert (job["state"], job["last_error"]) == ("failed", "the quest was deleted")
    assert ai_calls(zik_home) == []
    second = zik("daily", "--json")
    assert second.code == 0, second
    assert second.data["jobs"] == []
    assert jobs(zik_home, queued) == [job]


def test_milestones_added_by_hand_while_queued_are_kept_and_the_roadmap_is_ready(
    zik, zik_home, queued
):
    assert zik("milestone", "add", queued[:8], "Mine", "--days", "5").code == 0
    result = zik("daily", "--json")
    assert result.code == 0, result
    [mine] = milestones(zik_home, queued)
    assert (mine["title"], mine["status"]) == ("Mine", "active")
    assert [j["state"] for j in jobs(zik_home, queued)] == ["done"]
    assert quest(zik_home, queued)["roadmap_status"] == "ready"
    assert [c["purpose"] for c in ai_calls(zik_home)] == ["day_plan"]  # no roadmap asked for
    assert_one_set_per_milestone(zik_home, TODAY)
    assert tasks(zik_home, milestone_id=mine["milestone_id"])


# --- failures -------------------------------------------------------------------------------------


def shown(zik, goal_id: str) -> dict:
    result = zik("quest", "show", goal_id[:8], "--json")
    assert result.code == 0, result
    return result.data


@pytest.mark.parametrize("failure", ["access denied", "invalid output"])
def test_a_permanent_failure_marks_the_quest_failed_and_quest_plan_recovers(
    zik, zik_home, fake_bedrock, failure
):
    if failure == "access denied":
        fake_bedrock.error(403, "AccessDeniedException")
        expected = 5
    else:
        script_roadmap(fake_bedrock, 10, 10)  # 2 milestones: invalid, and the repair too
        script_roadmap(fake_bedrock, 10, 10)
        expected = 6
    result = zik(*NEW)
    assert result.code == expected, result
    [goal_id] = quest_ids(zik_home)
    data = shown(zik, goal_id)
    assert data["roadmapStatus"] == "failed"
    assert data["roadmapError"]
    assert data["milestones"] == [] and data["openTasks"] == []
    [job] = jobs(zik_home, goal_id)
    assert (job["state"], job["last_error"]) == ("failed", data["roadmapError"])
    assert job["lease_owner"] is None

    requests = len(fake_bedrock.requests)
    daily = zik("daily", "--json")  # a failed job is not retried behind the person's back
    assert daily.code == 0, daily
    assert daily.data["jobs"] == [] and len(fake_bedrock.requests) == requests

    script_plan(fake_bedrock)
    planned = zik("quest", "plan", goal_id[:8], "--json")
    assert planned.code == 0, planned
    assert planned.data["roadmapStatus"] == "ready" and planned.data["roadmapError"] is None
    assert planned.data["job"]["state"] == "done"
    assert [j["state"] for j in jobs(zik_home, goal_id)] == ["failed", "done"]
    assert len(milestones(zik_home, goal_id)) == 3
    assert len(tasks(zik_home, due=TODAY)) == 2


def test_a_temporary_failure_queues_the_job_with_a_backoff(
    zik, zik_home, fake_bedrock, monkeypatch
):
    monkeypatch.setenv("ZIK_AI_MAX_ATTEMPTS", "1")  # one request per attempt: no retry sleeps
    fake_bedrock.always.error(429, "ThrottlingException")
    result = zik(*NEW, "--json")
    assert result.code == 75, result
    [goal_id] = quest_ids(zik_home)
    assert shown(zik, goal_id)["roadmapStatus"] == "generating"
    [job] = jobs(zik_home, goal_id)
    assert (job["state"], job["step"], job["attempts"]) == ("queued", "plan", 1)
    assert job["next_attempt_at"] == "2026-11-25T10:01:00.000Z"  # the first backoff: 60 s
    assert "throttl" in job["last_error"].lower() and job["lease_owner"] is None
    assert len(fake_bedrock.requests) == 1

    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:00:59Z")
    early = zik("daily", "--json")
    assert early.code == 0, early
    assert early.data["jobs"] == []
    assert len(fake_bedrock.requests) == 1
    assert jobs(zik_home, goal_id) == [job]  # not even claimed

    # Still throttled when it is due: tried again, and the wait grows.
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:01:30Z")
    throttled = zik("daily", "--json")
    assert throttled.code == 75, throttled
    assert len(fake_bedrock.requests) == 2
    [job] = jobs(zik_home, goal_id)
    assert (job["state"], job["attempts"]) == ("queued", 2)
    assert job["next_attempt_at"] == "2026-11-25T10:06:30.000Z"  # the second backoff: 300 s
    assert shown(zik, goal_id)["roadmapStatus"] == "generating"

    fake_bedrock.always.clear()
    script_roadmap(fake_bedrock, 30, 40, 42)
    script_day_plan(fake_bedrock, 30, 20)
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:06:29Z")
    assert zik("daily", "--json").data["jobs"] == []
    monkeypatch.setenv("ZIK_NOW", "2026-11-25T10:07:00Z")
    resumed = zik("daily", "--json")
    assert resumed.code == 0, resumed
    [ran] = resumed.data["jobs"]
    assert ran["goalId"] == goal_id and ran["job"]["state"] == "done"
    assert len(fake_bedrock.requests) == 4
    data = shown(zik, goal_id)
    assert data["roadmapStatus"] == "ready" and len(data["milestones"]) == 3
    assert {m["aiCallId"] for m in data["milestones"]} != {None}
    assert len(tasks(zik_home, due=TODAY)) == 2
    [planned] = resumed.data["milestones"]
    assert planned["reason"] == "already has tasks that day"
    assert {r.model_id for r in fake_bedrock.requests} == {MODEL}


def test_temporary_failures_fail_the_job_after_the_last_attempt(
    zik, zik_home, fake_bedrock, monkeypatch
):
    monkeypatch.setenv("ZIK_AI_MAX_ATTEMPTS", "1")
    fake_bedrock.always.error(429, "ThrottlingException")
    assert zik(*NEW).code == 75
    [goal_id] = quest_ids(zik_home)
    for attempt in range(1, workflow.MAX_ATTEMPTS):
        if attempt > 1:
            assert zik("quest", "plan", goal_id[:8]).code == 75
        [job] = jobs(zik_home, goal_id)
        assert (job["state"], job["attempts"]) == ("queued", attempt)
        wait = workflow.BACKOFF_SECONDS[min(attempt, len(workflow.BACKOFF_SECONDS)) - 1]
        expected = datetime(2026, 11, 25, 10, tzinfo=UTC) + timedelta(seconds=wait)
        assert job["next_attempt_at"] == expected.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        assert shown(zik, goal_id)["roadmapStatus"] == "generating"

    last = zik("quest", "plan", goal_id[:8], "--json")
    assert last.code == 75, last
    [job] = jobs(zik_home, goal_id)
    assert (job["state"], job["attempts"]) == ("failed", workflow.MAX_ATTEMPTS)
    data = shown(zik, goal_id)
    assert data["roadmapStatus"] == "failed" and "throttl" in data["roadmapError"].lower()
    assert len(fake_bedrock.requests) == workflow.MAX_ATTEMPTS

    fake_bedrock.always.clear()
    script_plan(fake_bedrock)
    again = zik("quest", "plan", goal_id[:8], "--json")
    assert again.code == 0, again
    assert again.data["roadmapStatus"] == "ready" and again.data["job"]["state"] == "done"
