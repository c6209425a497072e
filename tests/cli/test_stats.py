"""`zik stats` through the command line: the heat-map, the JSON document, and bad input."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.cli.helpers import assert_json_document, assert_json_error, assert_one_line_error
from zik.models import Task
from zik.store import records
from zik.store.db import atomic

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def done_on(conn):
    """Completed tasks on chosen UTC instants: done_on("2026-11-23T09:00", …)."""

    def save(*moments: str, goal_id: str | None = None) -> None:
        with atomic(conn):
            for moment in moments:
                records.insert(
                    conn,
                    Task(
                        task_id=str(uuid.uuid4()),
                        task_name=f"Done {moment}",
                        due_date=moment[:10],
                        status="completed",
                        completed_at=f"{moment}:00.000Z",
                        goal_id=goal_id,
                        created_at="2026-11-01T08:00:00.000Z",
                        updated_at="2026-11-01T08:00:00.000Z",
                    ),
                )

    return save


@pytest.fixture
def week_of_work(done_on):
    """Three on Monday the 23rd, one on Tuesday the 24th, two on Tuesday the 17th."""
    done_on("2026-11-23T08:00", "2026-11-23T12:00", "2026-11-23T20:00")
    done_on("2026-11-24T09:00")
    done_on("2026-11-17T09:00", "2026-11-17T10:00")


def _heatmap(out: str) -> list[str]:
    lines = out.splitlines()
    top = next(n for n, line in enumerate(lines) if line.startswith("Completions"))
    return lines[top + 1 : top + 10]


def test_the_heat_map_in_plain_text(zik, week_of_work):
    result = zik("stats", "--weeks", "2")  # captured: not a terminal, so no colour
    assert result.code == 0, result
    assert "\x1b[" not in result.out
    # today is Wednesday the 25th: the rest of this week is blank, not "none"
    assert _heatmap(result.out) == [
        "2026 Nov",
        "Mon  · ▓",
        "Tue  ▒ ░",
        "Wed  · ·",
        "Thu  ·",
        "Fri  ·",
        "Sat  ·",
        "Sun  ·",
        "     · none  less ░▒▓█ more",
    ]


def test_the_heat_map_labels_months_and_all_seven_days(zik, week_of_work):
    out = zik("stats").out
    month_line, *rows, legend = _heatmap(out)
    assert month_line.split() == ["2026", "Sep", "Oct", "Nov"]
    assert [row[:3] for row in rows] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert all(len(row) <= 5 + 2 * 12 for row in rows)
    assert "less ░▒▓█ more" in legend
    assert "07 Sep 2026 – 25 Nov 2026" in out


def test_colour_deepens_the_shades_but_the_characters_stay(zik, week_of_work, monkeypatch):
    monkeypatch.setenv("ZIK_COLOR", "always")
    coloured = zik("stats", "--weeks", "2").out
    assert "\x1b[" in coloured
    assert _heatmap(ANSI.sub("", coloured))[1] == "Mon  · ▓"

    monkeypatch.setenv("NO_COLOR", "1")
    plain = zik("stats", "--weeks", "2").out
    assert "\x1b[" not in plain
    assert _heatmap(plain)[1] == "Mon  · ▓"


def test_long_spans_fit_the_width(zik, week_of_work):
    out = zik("stats", "--weeks", "104").out
    lines = out.splitlines()
    mondays = [line for line in lines if line.startswith("Mon  ")]
    assert len(mondays) == 2  # split into two blocks of 52 weeks
    assert all(len(line) <= 100 for line in lines if not line.startswith("planned:"))
    assert [line[:4] for line in lines if re.match(r"^20\d\d ", line)] == ["2024", "2025"]


def test_the_summary_and_weeks(zik, week_of_work):
    out = zik("stats", "--weeks", "2").out
    assert "Done     100% of tasks due so far (6 of 6) · 0 overdue" in out
    assert "Streak   2 days (finish a task today to keep it) · longest 2" in out
    [this_week] = [line for line in out.splitlines() if "this week" in line]
    assert this_week.split()[:4] == ["23", "Nov", "4", "4"] and this_week.split()[-3] == "4"


def test_json_document(zik, week_of_work):
    data = assert_json_document(zik("stats", "--weeks", "2", "--json"))
    assert data["completion"] == {
        "due": 6,
        "completed": 6,
        "rate": 1.0,
        "percent": 100,
        "overdue": 0,
    }
    assert data["streak"] == {"current": 2, "longest": 2, "doneToday": False}
    assert [w["weekStart"] for w in data["weeks"]] == ["2026-11-16", "2026-11-23"]
    assert [w["completions"] for w in data["weeks"]] == [2, 4]
    counts = {d["date"]: (d["count"], d["level"]) for d in data["days"]["completions"]}
    assert len(counts) == 10
    assert counts["2026-11-23"] == (3, 3) and counts["2026-11-25"] == (0, 0)
    assert data["quests"] == [] and data["quest"] is None


def test_json_with_a_quest_has_its_roadmap(zik, roadmap, done_on):
    plan = roadmap("Base", "Speed", tasks_each=2)
    done_on("2026-11-24T09:00", goal_id=plan.quest.goal_id)
    data = assert_json_document(zik("--json", "stats", "--quest", plan.quest.goal_id[:8]))
    assert data["quest"] == plan.quest.goal_id
    [quest] = data["quests"]
    assert (quest["tasksCompleted"], quest["tasks"], quest["milestones"]) == (1, 5, 2)
    assert [(m["sequence"], m["title"], m["tasks"]) for m in quest["roadmap"]] == [
        (1, "Base", 2),
        (2, "Speed", 2),
    ]


def test_a_quest_shows_its_roadmap(zik, roadmap):
    plan = roadmap("Base", "Speed", tasks_each=2)
    out = zik("stats", "-q", plan.quest.goal_id[:8]).out
    assert out.startswith("Stats  Run a half marathon · last 12 weeks")
    [base] = [line for line in out.splitlines() if "Base" in line]
    assert "▶" in base and "0/2" in base and "active" in base
    [speed] = [line for line in out.splitlines() if "Speed" in line]
    assert "locked" in speed


def test_an_unknown_quest_is_not_found(zik):
    line = assert_one_line_error(zik("stats", "--quest", "abcdef12"), 3)
    assert "no quest matches 'abcdef12'" in line
    assert_json_error(zik("stats", "--quest", "abcdef12", "--json"), 3, "not_found")


@pytest.mark.parametrize("weeks", ["0", "105", "many"])
def test_weeks_out_of_range_is_a_usage_error(zik, weeks):
    assert_one_line_error(zik("stats", "--weeks", weeks), 2)
    assert_json_error(zik("stats", "--weeks", weeks, "--json"), 2, "usage")


def test_month_names_never_touch(zik):
    # five weeks from Monday 26 October: October's name would touch November's, so it goes
    month_line = _heatmap(zik("stats", "--weeks", "5").out)[0]
    assert month_line == "2026   Nov"
