"""Plan health: on track, behind by N days, stalled, with a forecast (core/plan/health.py)."""

from __future__ import annotations

from datetime import date, timedelta

from zik.core import milestones, quests
from zik.core import tasks as core_tasks
from zik.core.plan import health
from zik.models import Quest
from zik.store import records

START = date(2026, 11, 1)


def at(monkeypatch, day: date, time: str = "10:00:00") -> None:
    monkeypatch.setenv("ZIK_NOW", f"{day.isoformat()}T{time}Z")


def lived(conn, monkeypatch, days: int, done_share: float, *, target_days: int = 60) -> Quest:
    """A quest with a 60-day roadmap lived `days` days, 2 tasks a day, `done_share` of them done."""
    at(monkeypatch, START)
    quest = quests.create(
        conn,
        "Learn Spanish",
        today=START,
        target=(START + timedelta(days=target_days - 1)).isoformat(),
    )
    milestones.add(conn, quest.goal_id, "Basics", days=30)
    milestones.add(conn, quest.goal_id, "Talk", days=30)
    for n in range(days):
        day = START + timedelta(days=n)
        at(monkeypatch, day)
        made = [
            core_tasks.add(conn, f"Step {n}.{k}", today=day, quest_ref=quest.goal_id)
            for k in range(2)
        ]
        if (n * 2) % 10 < done_share * 10:
            core_tasks.complete(conn, [made[0].task_id])
        if (n * 2 + 1) % 10 < done_share * 10:
            core_tasks.complete(conn, [made[1].task_id])
    return records.get(conn, Quest, quest.goal_id)


def health_on(conn, quest: Quest, day: date) -> health.Health:
    return health.of_quests(conn, [quest], day, "UTC")[quest.goal_id]


def test_everything_done_is_on_track_with_the_target_as_forecast(conn, monkeypatch):
    quest = lived(conn, monkeypatch, 20, 1.0)
    found = health_on(conn, quest, START + timedelta(days=20))
    assert found.state == "on_track" and found.behind_days == 0 and found.pace == 1.0
    assert found.forecast is not None and found.late_days <= 1
    assert found.to_json()["label"] == "on track"


def test_seventy_percent_is_behind_by_about_four_days_and_late(conn, monkeypatch):
    quest = lived(conn, monkeypatch, 20, 0.7)
    found = health_on(conn, quest, START + timedelta(days=20))
    assert found.state == "behind" and found.behind_days == 4  # 14 days × 30%
    assert found.label == "behind by 4 days"
    assert found.late_days > 0 and found.forecast > found.target
    assert "--replan" in found.suggestion


def test_a_week_without_anything_done_is_stalled_with_a_suggestion(conn, monkeypatch):
    quest = lived(conn, monkeypatch, 10, 1.0)
    for n in range(10, 18):  # the tasks keep coming, nothing is done
        day = START + timedelta(days=n)
        at(monkeypatch, day)
        core_tasks.add(conn, f"Step {n}", today=day, quest_ref=quest.goal_id)
    assert health_on(conn, quest, START + timedelta(days=16)).state != "stalled"  # 6 days
    found = health_on(conn, quest, START + timedelta(days=17))
    assert found.state == "stalled"
    assert f"zik quest pause {quest.goal_id[:8]}" in found.suggestion


def test_a_new_quest_is_not_started_and_a_paused_one_is_paused(conn, monkeypatch):
    at(monkeypatch, START)
    quest = quests.create(conn, "Read 12 books", today=START)
    assert health_on(conn, quest, START).state == "not_started"
    paused = quests.set_status(conn, quest.goal_id, "paused")
    assert health_on(conn, paused, START).state == "paused"


def test_quest_list_and_show_carry_the_health(conn, monkeypatch):
    quest = lived(conn, monkeypatch, 20, 0.7)
    at(monkeypatch, START + timedelta(days=20))
    [summary] = quests.summaries(conn)
    assert summary.to_json()["health"]["state"] == "behind"
    detail = quests.detail(conn, quest.goal_id).to_json()
    assert detail["health"]["behindDays"] == 4
    active = detail["milestones"][0]["progress"]  # day 21 of 30: 21/30 of its tasks' 70%
    assert active["day"] == 21 and active["percent"] == round(21 / 30 * 0.7 * 100)


def test_a_duration_no_plan_has_gives_no_forecast_rather_than_a_crash(conn, monkeypatch):
    """A milestone of 5,000,000 days (an import or a remote item) overflowed the forecast date
    and broke quest list, stats and zik daily."""
    quest = lived(conn, monkeypatch, 10, 0.5)
    conn.execute(
        "UPDATE milestones SET duration_in_days = 5000000 WHERE goal_id = ?", (quest.goal_id,)
    )
    found = health_on(conn, quest, START + timedelta(days=10))
    assert found.forecast is None and found.state in ("behind", "on_track")
    at(monkeypatch, START + timedelta(days=10))
    assert quests.summaries(conn)[0].health is not None
    assert quests.detail(conn, quest.goal_id).to_json()["health"]["forecast"] is None
