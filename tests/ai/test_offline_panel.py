"""A panel of goals of every kind, planned offline: each plan must read as written for its goal.

For every goal (a title, some with a description, category or target): the kind of plan chosen
is the expected one; the roadmap has 3–7 milestones whose days add up to the days available; no
text pastes the goal's title back in quotes; no known grammar break appears; and no day holds
the same task twice. The days are lived: three days of every milestone, each remembering what
the days before it did, as zik's daily loop tells the coach.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from zik.ai.offline.goal import Goal
from zik.ai.offline.planner import default_days, plan_day, plan_roadmap
from zik.ai.requests import DayRequest, RoadmapRequest
from zik.ai.schemas import DayPlan, Roadmap

TODAY = date(2026, 11, 25)

# (title, description, category, days to the target or None, expected plan)
PANEL = [
    ("Sell handmade ceramic mugs", "An Etsy shop for the mugs I make", None, None, "project_shop"),
    ("Start a dog walking business", None, "Business", 60, "project_shop"),
    ("Open a small bakery", "Sell cakes and bread to neighbours", None, 200, "project_shop"),
    ("Renovate the bathroom", None, "Home", 150, "project_home"),
    ("Turn the spare room into a home office", None, None, None, "project_home"),
    ("Plant a vegetable garden", None, None, 40, "project_home"),
    ("Build a shed", "8×6 ft, on a paving-slab base", None, None, "project_make"),
    ("Knit a sweater", None, "Hobbies", 30, "project_make"),
    ("Lose 10 kg", None, None, None, "fitness_lose"),
    ("Eat healthier", "less takeaway, more vegetables", "Health", 90, "fitness_lose"),
    ("Write a fantasy novel", None, None, None, "creative_book"),
    ("Write a children's book", "A picture book about a shy hedgehog", None, 120, "creative_book"),
    ("Finish my memoir", None, None, 365, "creative_book"),
    ("Read 24 books this year", None, None, 36, "habit_reading"),
    ("Read 12 books", "One a month, mostly non-fiction", None, None, "habit_reading"),
    ("Pass the driving test", None, None, 96, "learning_exam"),
    ("Pass the AWS Solutions Architect Associate exam", None, "Career", None, "learning_exam"),
    ("Get my PMP certification", None, None, 70, "learning_exam"),
    ("Learn to swim", None, None, None, "learning_skill"),
    ("Learn to bake sourdough bread", None, None, 45, "learning_skill"),
    ("Learn to cook", "10 dinners without a recipe", None, None, "learning_skill"),
    ("Save $5,000 for a trip", None, None, None, "finance_save"),
    ("Build an emergency fund", "3 months of expenses", "Finance", 365, "finance_save"),
    ("Pay off my credit card debt", None, None, None, "finance_debt"),
    ("Become debt-free", "two cards and a car loan, about £8,000", None, 730, "finance_debt"),
    ("Become a better father", None, None, None, "relationships"),
    ("Improve my marriage", "we argue about money", None, 60, "relationships"),
    ("Reconnect with old friends", None, None, 14, "relationships"),
    ("Plan a trip to Japan", None, None, 157, "travel"),
    ("Travel through South America for 3 months", None, "Travel", None, "travel"),
    ("Become a better person", None, None, None, "general"),
    ("Get my life together", "work, home, health all slipping", None, 100, "general"),
    ("Be more confident", None, "Personal growth", 21, "general"),
    ("Organize my garage", None, None, 10, "general"),
    ("Learn Spanish", None, None, None, "learning_language"),
    ("Run a half marathon", None, None, 138, "fitness_race"),
    ("Get fit", None, None, None, "fitness_body"),
    ("Quit smoking", None, None, None, "habit_quit"),
    ("Meditate every day", None, None, 30, "habit"),
    ("Learn guitar", None, None, None, "creative_practice"),
    ("Get promoted to senior engineer", None, None, None, "career"),
    ("Launch a mobile app", None, None, 60, "project"),
    ("Learn the piano", None, None, 20 * 365, "creative_practice"),
    ("Start investing", "index funds for retirement", None, None, "finance"),
    ("Learn Python", None, None, 50, "learning"),
    ("Paint a series of landscapes", None, "Art", None, "creative"),
]

# Known ways a template fails a goal: doubled words and articles, a verb where a noun must be
# ("progress on learn to…"), the person's own "my" pasted into advice, a study task around a
# practical skill, leftovers of a placeholder or punctuation.
GRAMMAR_BREAKS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\b(a|an|the|your|my) (a|an|the|your|my)\b",
        r"\b(\w{3,}) \1\b",
        r"\b(on|for|of|toward|about) (learn|run|write|save|pay|lose|build|become|get|start|"
        r"read|pass|be|make|plan|quit|meditate|launch|renovate|knit|sell|organize)\b",
        r"\b(flashcards?|deck|baseline test) (on|for) (learn|bake|swim|cook)",
        r"\bdue (learn|bake|swim|cook|sew|drive)\b",
        r"\bmy\b(?![^“]*”)",
        r"[{}]",
        r" [,.;:]",
        r"\.\.(?!\.)",
        r"\bthe (your|my)\b",
    )
]
QUOTED = re.compile(r"“([^”]*)”|\"([^\"]*)\"")


def roadmap(title, description, category, days):
    target = (TODAY + timedelta(days=days)).isoformat() if days else None
    request = RoadmapRequest(
        goal_name=title,
        description=description,
        category=category,
        target_date=target,
        today=TODAY.isoformat(),
        available_days=days,
        timezone="UTC",
        daily_capacity=60,
    )
    out = plan_roadmap(request)
    Roadmap.model_validate(out)
    return out["milestones"]


def lived_days(title, description, category, milestones):
    """Three days of every milestone, each remembering the tasks done before it."""
    done: list[str] = []
    start = TODAY
    for sequence, milestone in enumerate(milestones, 1):
        for day in range(1, min(3, milestone["durationInDays"]) + 1):
            when = start + timedelta(days=day - 1)
            request = DayRequest(
                goal_name=title,
                quest_description=description,
                category=category,
                milestone_title=milestone["title"],
                milestone_description=milestone["description"],
                milestone_sequence=sequence,
                milestones_total=len(milestones),
                duration_in_days=milestone["durationInDays"],
                day_number=day,
                date=when.isoformat(),
                weekday=when.strftime("%A"),
                timezone="UTC",
                capacity_minutes=60,
                recent_done=done[-12:],
                done_before=list(done),
            )
            out = plan_day(request)
            DayPlan.model_validate(out, context={"capacity_minutes": 60})
            done += [t["taskName"] for t in out["tasks"]]
            yield milestone, out["tasks"]
        start += timedelta(days=milestone["durationInDays"])


def texts(milestones, days):
    for m in milestones:
        yield m["title"]
        yield m["description"]
    for _, tasks in days:
        for t in tasks:
            yield t["taskName"]
            yield t["description"]


@pytest.mark.parametrize(
    ("title", "description", "category", "days", "plan"), PANEL, ids=[p[0] for p in PANEL]
)
def test_a_goal_gets_a_plan_written_for_it(title, description, category, days, plan):
    assert Goal(title, description, category).variant == plan

    milestones = roadmap(title, description, category, days)
    assert 3 <= len(milestones) <= 7
    available = days or default_days(Goal(title, description, category).variant)
    planned = sum(m["durationInDays"] for m in milestones)
    assert planned == min(available, 7 * 730)  # a roadmap covers at most 7 × 2 years
    days_lived = list(lived_days(title, description, category, milestones))

    milestone_titles = {m["title"].casefold() for m in milestones}
    title_words = re.findall(r"[a-z0-9']+", title.casefold())
    for text in texts(milestones, days_lived):
        for found in QUOTED.finditer(text):
            quoted = (found.group(1) or found.group(2) or "").casefold()
            if quoted in milestone_titles:
                continue  # a milestone named by its title (“Aerobic base”) is not the goal's
            words = re.findall(r"[a-z0-9']+", quoted)
            pasted = any(
                words[i : i + 2] == title_words[j : j + 2]
                for i in range(len(words) - 1)
                for j in range(len(title_words) - 1)
            )
            assert not pasted and quoted != title.casefold(), (quoted, text)
        for pattern in GRAMMAR_BREAKS:
            assert not pattern.search(text), (pattern.pattern, text)

    for _, tasks in days_lived:
        day_names = [t["taskName"].casefold() for t in tasks]
        assert len(day_names) == len(set(day_names)), day_names


def test_the_panel_covers_every_plan_of_the_handbook():
    from zik.ai.offline.handbook import shared as handbook

    assert {p[-1] for p in PANEL} == set(handbook.PHASES)
    assert len(PANEL) >= 30
