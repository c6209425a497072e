"""Issue 15, Acceptance 1: the daily loop holds up over a month lived through the real CLI.

One 30-day run of bench/simulate.py per provider (the offline planner, and the fake Bedrock server
answered by tests/fakes/coach_model.py) is shared by every test of the module; each invariant is
its own test, so a failure names the one that broke, with the figures that broke it (the rules
behind each figure are in bench/simlib/report.py). 30 days hold every event of the behaviour
model: the sick week, the three ignored weeks, the quest finished early.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # bench/ is not a package zik installs
from bench import simulate  # noqa: E402
from bench.simlib.report import health, is_practice  # noqa: E402
from bench.simlib.table import render  # noqa: E402
from tests.fakes import coach_model  # noqa: E402
from tests.fakes.bedrock import FakeBedrock  # noqa: E402

DAYS = 30


@pytest.fixture(scope="module", params=["offline", "bedrock"])
def report(request: pytest.FixtureRequest) -> simulate.Report:
    return simulate.run(days=DAYS, seed=1, provider=request.param)


def holds(report: simulate.Report, name: str) -> None:
    check = report.check(name)
    if not check.applies:
        pytest.skip(f"the run is too short for {name}: {check.detail}")
    assert check.ok, f"{report.log.provider}: {check.detail}"


# --- the run itself -------------------------------------------------------------------------------


def test_the_run_lives_every_day_it_claims(report):
    """Guards the simulation, not zik: a broken setup would make every invariant vacuous."""
    log = report.log
    assert log.setup_errors == []
    assert len(log.day_logs) == DAYS and len(log.quests) == len(simulate.QUESTS)
    modes = {d.mode for d in log.day_logs}
    assert modes == {"active", "away", "absent", "sick"}
    assert all(d.processes == 0 for d in log.day_logs if d.mode == "absent")
    assert max(d.processes for d in log.day_logs) <= 5  # daily, today, quest list, task done (+1)
    assert report.planned > 0 and report.done > 0 and report.stats_due is not None
    text = render(report)
    assert all(q.name[:30] in text for q in log.quests) and "Invariants" in text
    json.dumps(report.to_json())  # --json must always serialise


# --- Acceptance 1, one invariant each ------------------------------------------------------------


def test_no_failed_daily_runs(report):
    holds(report, "no_failed_daily_runs")


def test_every_active_quest_has_tasks_on_95_percent_of_its_days(report):
    holds(report, "quests_have_tasks_every_day")


def test_the_largest_day_fits_the_capacity(report):
    holds(report, "day_fits_capacity")


def test_no_one_off_task_is_planned_again_after_done(report):
    holds(report, "no_one_off_planned_again")


def test_stats_completion_rate_equals_the_simulations_own_count(report):
    holds(report, "stats_rate_matches_log")


def test_the_ignored_quest_is_reported_stalled_within_8_days(report):
    holds(report, "ignored_quest_reported_stalled")


def test_no_overdue_pile_up_after_the_sick_week(report):
    holds(report, "no_overdue_pileup_after_sick_week")


# --- the rules, the fake model and the fake's callback hook (fast) ------------------------------


@pytest.mark.parametrize(
    ("name", "practice"),
    [
        ("Take a free Spanish placement test", False),  # the one-off, planned again
        ("Set up a Spanish flashcard deck", False),
        ("Baseline run: 20 minutes, timed", False),  # a one-off word wins over "20 minutes"
        ("Long run: 40 minutes easy", True),  # the practice (which should progress)
        ("Plan tomorrow's first step", True),  # filler recurs by its words
        ("Day 3: meditate, tiny version", True),
    ],
)
def test_which_names_may_repeat(name, practice):
    assert is_practice(name) is practice


def test_plan_health_is_read_whatever_its_shape():
    """The sim must notice a stalled quest however zik spells it, or the check means nothing."""
    marked = health({"health": {"state": "stalled", "forecast": "2027-05-01"}})
    assert marked["stalled"] and marked["forecast"] == "2027-05-01"
    assert health({"health": "stalled"})["stalled"]
    assert not health({"health": {"status": "on_track"}})["stalled"]
    assert health({"goalId": "q"}) == {
        "present": False,
        "state": None,
        "stalled": False,
        "forecast": None,
    }


DAY_PROMPT = """Today is Wednesday 2026-12-02 (timezone Europe/Paris).
Quest: Learn Spanish to hold a conversation
Category: learning
Milestone 1 of 5: Set up a daily routine and find your level
This is day 3 of 20 of the milestone.
Minutes available today: 25 (this quest's share of the person's 60 minutes for the day).
Already on the day: Spanish flashcards (10 min, routine, Learn Spanish)
Done in the last days: Learn 10 new words with spaced repetition
Missed in the last days: nothing
Done earlier in this quest: Take a free online placement test
A line the fake has never seen: it must not matter
Plan today's tasks."""


def test_coach_model_plans_within_the_minutes_and_never_repeats_what_was_done():
    tasks = coach_model.day_plan(coach_model.Prompt(DAY_PROMPT))["tasks"]
    names = [t["taskName"] for t in tasks]
    assert 1 <= len(tasks) <= 3 and sum(t["estimatedMinutes"] for t in tasks) <= 25
    assert "Take a free online placement test" not in names
    assert "Spanish flashcards" not in names
    assert len({n.casefold() for n in names}) == len(names)


def test_coach_model_roadmap_adds_up_to_the_days_the_request_states():
    prompt = coach_model.Prompt(
        "Goal: Run a half marathon\nCategory: fitness\n"
        "Target date: 2027-03-30, which leaves 120 days from today. The durations must add up "
        "to exactly 120."
    )
    milestones = coach_model.roadmap(prompt)["milestones"]
    assert 3 <= len(milestones) <= 7
    assert sum(m["durationInDays"] for m in milestones) == 120
    assert len({m["title"] for m in milestones}) == len(milestones)


def test_the_fake_answers_by_callback_when_nothing_is_scripted():
    with FakeBedrock() as fake:
        fake.always.respond(coach_model.respond)
        client = boto3.Session().client(
            "bedrock-runtime",
            region_name="us-east-1",
            endpoint_url=fake.url,
            aws_access_key_id="AKIDFAKE",
            aws_secret_access_key="fake",
            config=Config(retries={"total_max_attempts": 1}),
        )
        reply = client.converse(
            modelId="m",
            messages=[{"role": "user", "content": [{"text": DAY_PROMPT}]}],
            toolConfig={
                "tools": [{"toolSpec": {"name": "submit_day_plan", "inputSchema": {"json": {}}}}],
                "toolChoice": {"tool": {"name": "submit_day_plan"}},
            },
        )
        use = reply["output"]["message"]["content"][0]["toolUse"]
        assert use["name"] == "submit_day_plan" and use["input"]["tasks"]
        fake.always.respond(lambda recorded, answer: None)  # scripts nothing: a loud 500
        with pytest.raises(client.exceptions.InternalServerException, match="responder"):
            client.converse(modelId="m", messages=[{"role": "user", "content": [{"text": "x"}]}])
