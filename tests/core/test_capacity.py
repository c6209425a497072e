"""The day's budget shared across quests (core/plan/capacity.py, issue 15)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from zik.core import milestones, profile, quests, routines
from zik.core import tasks as core_tasks
from zik.core.plan import capacity
from zik.core.plan.capacity import MIN_SHARE, SLACK, STEP, fit, share
from zik.core.plan.planning import budget_for

TODAY = date(2026, 11, 25)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    free=st.integers(min_value=-60, max_value=600),
    weights=st.lists(st.sampled_from([0.5, 1.0, 2.0]), min_size=1, max_size=8),
    own=st.lists(st.integers(min_value=0, max_value=90), min_size=8, max_size=8),
    rotate=st.integers(min_value=0, max_value=1000),
)
def test_shares_never_overflow_the_day_and_give_light_days_first(free, weights, own, rotate):
    to_plan = [(f"q{i}", w) for i, w in enumerate(weights)]
    own_minutes = {f"q{i}": m for i, m in enumerate(own[: len(weights)]) if m}
    shares = share(free, to_plan, own_minutes, rotate=rotate)
    assert set(shares) == {g for g, _ in to_plan}
    assert all(s >= 0 and s % STEP == 0 for s in shares.values())
    pool = free - sum(own_minutes.values())
    # the whole day (own tasks included) stays within the capacity, or within the slack when
    # the slack buys a light day for one more quest
    assert sum(shares.values()) <= max(pool, 0) + SLACK
    if sum(shares.values()) > max(pool, 0):
        assert all(s == MIN_SHARE for s in shares.values() if s)
    if pool >= MIN_SHARE * len(to_plan):  # room for all: every quest gets at least a light day
        assert all(s >= MIN_SHARE for s in shares.values())


def test_a_quest_with_its_own_task_gives_way_on_a_full_day():
    to_plan = [("run", 1.0), ("spanish", 1.0), ("read", 1.0)]
    shares = share(20, to_plan, {"run": 15})
    assert shares["run"] == 0 and shares["spanish"] == shares["read"] == 5  # 5 + 5 of 5 + slack


def test_a_day_too_full_leaves_out_a_different_quest_each_time():
    to_plan = [(f"q{i}", 1.0) for i in range(4)]
    left_out = {
        next(g for g, s in share(10, to_plan, {}, rotate=day).items() if not s) for day in range(8)
    }
    assert len(left_out) > 1


def test_the_quests_that_went_without_come_first():
    to_plan = [(f"q{i}", 1.0) for i in range(4)]
    shares = share(10, to_plan, {}, days_without={"q3": 2, "q2": 1})
    assert shares["q3"] and shares["q2"]


def test_fit_keeps_the_most_important_tasks_within_the_share():
    tasks = [
        {"taskName": "a", "priority": "low", "estimatedMinutes": 10},
        {"taskName": "b", "priority": "high", "estimatedMinutes": 30},
        {"taskName": "c", "priority": "medium", "estimatedMinutes": 15},
    ]
    assert [t["taskName"] for t in fit(tasks, 40)] == ["a", "b"]
    assert [t["taskName"] for t in fit(tasks, 20)] == ["c"]  # what fits, in priority order
    [only] = fit(tasks[1:2], 20)  # nothing fits whole: the most important one, shortened
    assert only["taskName"] == "b" and only["estimatedMinutes"] == 20


def test_the_budget_counts_routines_not_made_yet_and_own_tasks(conn):
    profile.update(conn, daily_capacity=60)
    run = quests.create(conn, "Run a half marathon", today=TODAY)
    milestones.add(conn, run.goal_id, "Base", days=14)
    read = quests.create(conn, "Read 12 books", today=TODAY)
    milestones.add(conn, read.goal_id, "Start", days=14)
    routines.add(conn, "Stretch", every="daily", estimate=10)
    core_tasks.add(conn, "Buy shoes", today=TODAY, quest_ref=run.goal_id, estimate=20)
    plan = budget_for(conn, TODAY, [])
    kinds = sorted(t["kind"] for t in plan.held)
    assert kinds == ["own", "routine"]  # the routine's task is not made yet, and still counts
    assert plan.own == {run.goal_id: 20}
    # 60 - 10 (routine) = 50 for the two quests; the run's own 20 minutes come out of its half
    assert plan.shares == {run.goal_id: 5, read.goal_id: 25}
    assert plan.held_minutes + sum(plan.shares.values()) <= 60
    assert capacity.DEFAULT_MINUTES == 15
