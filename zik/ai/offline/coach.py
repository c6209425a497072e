"""The offline coach: today's tasks for the active milestone (`plan_day`).

Owns the day plan: picking tasks from the `handbook` banks by the milestone's phase and the
weekday, bringing back one missed task, and sizing the tasks to the daily capacity. How it
decides is described in `planner.py`.
"""

from __future__ import annotations

import re
from typing import Any

from zik.ai.offline import handbook as plans
from zik.ai.offline.goal import TITLE_SUBJECT, Goal, clip, fill, pick_phases
from zik.ai.requests import DayRequest
from zik.models import MAX_TITLE

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_STEP = 5  # task minutes are multiples of 5


class _Slot:
    """A task before it is sized: templates, priority, and its minutes (least, usual, most)."""

    __slots__ = ("name", "description", "priority", "low", "pref", "high", "minutes")

    def __init__(self, name: str, description: str, priority: str, pref: int, high: int = 0):
        pref = max(_STEP, _round5(pref))
        self.name, self.description, self.priority = name, description, priority
        self.pref, self.low = pref, max(_STEP, _round5(pref // 2))
        self.high = max(pref, _round5(high))
        self.minutes = self.low
        if re.search(r"\d+\s*min", name):  # "Foam-roll for 10 minutes" means 10 minutes
            self.fixed()

    def fixed(self) -> _Slot:
        """A task whose length is part of it (a named session, an explicit duration)."""
        self.low = self.high = self.pref
        return self


def plan_day(req: DayRequest) -> dict[str, Any]:
    """One to three tasks for today's step of the active milestone, within the daily capacity."""
    goal = Goal(req.goal_name, req.quest_description, req.category)
    phase = _phase_of(goal, req)
    weekday = _weekday(req.weekday, req.day_number)
    fields = {
        **goal.fields,
        "milestone": clip(" ".join(req.milestone_title.split()), TITLE_SUBJECT),
        "done_when": _done_when(req.milestone_description),
        "n": req.day_number,
    }
    avoid = {name.casefold() for name in req.recent_done}
    budget = _budget(req.capacity_minutes)
    if goal.variant.startswith("fitness"):
        main, support = _fitness(goal, phase, weekday, req, budget)
    else:
        main, support = _practice(goal, phase, req, fields, avoid)
    main.description += " Moves “{milestone}” forward."
    slots = [main, support, _review(goal, weekday, req, fields, avoid)]
    missed = _rescheduled(req, budget)
    if missed and goal.variant.startswith("fitness") and missed.pref > 15:
        if missed.pref >= main.pref:  # a missed session as long as today's replaces it; a
            slots[0] = missed  # shorter one is let go: two sessions a day is how injuries start
    elif missed and missed.low + main.low <= budget:
        slots[1:2] = []  # any other missed task takes the supporting slot, and goes first
        slots.insert(0, missed)
    return {"tasks": _tasks(_fit(slots, req.capacity_minutes), fields)}


def _phase_of(goal: Goal, req: DayRequest) -> int:
    """Which of the 7 phases the milestone is: our own title, a telling word, or its position."""
    title = " ".join(req.milestone_title.split()).casefold()
    fields = {**goal.fields, "by_target": "", "span": "", "minutes": ""}
    for index, (_, template, _) in enumerate(plans.PHASES[goal.variant]):
        if fill(template, fields).casefold() == title:
            return index
    for word, index in plans.PHASE_HINTS:
        if word in title:
            return index
    total = min(max(req.milestones_total, 1), 7)
    return pick_phases(total)[min(max(req.milestone_sequence, 1), total) - 1]


def _weekday(name: str, day_number: int) -> int:
    """0 for Monday .. 6 for Sunday; without a readable weekday, count from the day number."""
    key = (name or "").strip().lower()[:3]
    return WEEKDAYS.index(key) if key in WEEKDAYS else (day_number - 1) % 7


def _done_when(description: str | None) -> str:
    found = re.search(r"Done when:\s*(.+)", description or "", flags=re.DOTALL)
    return f" Finish line: {clip(found.group(1).strip(), 300)}" if found else ""


def _practice(
    goal: Goal, phase: int, req: DayRequest, fields: dict[str, Any], avoid: set[str]
) -> tuple[_Slot, _Slot]:
    """The main task and a supporting one from the variant's banks, rotating with the day."""
    bank = plans.BANKS[goal.variant]
    stage = plans.STAGES_BY_VARIANT.get(goal.variant, plans.STAGES)[phase]
    if goal.variant == "habit":
        pref, name, description = plans.HABIT_REPS[stage]
        main = _Slot(name, description, "high", pref, pref if stage == "start" else 2 * pref)
    elif goal.variant == "habit_quit":
        pref, name, description = plans.QUIT_REPS[phase]
        main = _Slot(name, description, "high", pref, 2 * pref)
    else:
        pref, name, description = _pick(bank[stage], req, "main", fields, avoid)
        main = _Slot(name, description, "high", pref, min(pref * (3 if pref >= 40 else 2), 150))
    pref, name, description = _pick(bank["support"], req, "support", fields, avoid)
    return main, _Slot(name, description, "medium", pref, min(2 * pref, pref + 10))


def _pick(
    rows: tuple[tuple[int, str, str], ...],
    req: DayRequest,
    salt: str,
    fields: dict[str, Any],
    avoid: set[str],
) -> tuple[int, str, str]:
    """The day's row of a bank: day N takes row N (from a per-goal start), skipping recent ones.

    The quest's first milestone starts at the bank's first row, which is written to be the
    natural first step (a placement test, a baseline): order matters most at the very start.
    """
    first = req.milestone_sequence == 1
    start = (0 if first else _offset(salt, req.goal_name, req.milestone_title)) + req.day_number - 1
    for step in range(len(rows)):
        row = rows[(start + step) % len(rows)]
        if fill(row[1], {**fields, "m": ""}).casefold() not in avoid:
            return row
    return rows[start % len(rows)]


def _offset(*parts: str) -> int:
    """A stable number from text: SHA-256, never the salted built-in `hash()`."""
    import hashlib  # here, not at the top: it costs ~3 ms and only day plans need it

    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big")


def _fitness(
    goal: Goal, phase: int, weekday: int, req: DayRequest, budget: int
) -> tuple[_Slot, _Slot]:
    """The weekday's training session for the phase, plus the weekday's supporting task."""
    race = goal.variant == "fitness_race"
    support = (plans.RACE_SUPPORT if race else plans.BODY_SUPPORT)[weekday]
    support_slot = _Slot(support[1], support[2], "medium", support[0])
    special = _special_session(goal, phase, req)
    if special:
        return special, support_slot
    week = plans.RACE_FIRST_WEEK if race and phase == 0 else plans.RACE_WEEK
    session = (week if race else plans.BODY_WEEK)[weekday]
    if race and session == "quality":
        name, description = plans.RACE_QUALITY[phase]
    else:
        name, description = (plans.RACE_SESSIONS if race else plans.BODY_SESSIONS)[session]
    if race and session == "long":
        pref, least = int(goal.race["peak_minutes"] * plans.LONG_SHARE[phase]), 25
        description = description.replace("{long_note}", plans.LONG_NOTES[phase])
    else:
        minutes, least = plans.SESSION_MINUTES[session]
        pref = minutes[phase] + (
            goal.race["extra_minutes"] if race and session in ("easy", "quality") else 0
        )
    description = description.replace("{sets}", plans.BODY_SETS[phase])
    if least > budget and session != "rest":
        name, description = plans.SHORT_SESSIONS[goal.variant]
        pref, least = budget, _STEP
    main = _Slot(name, description, "high", pref, pref)
    main.low = min(main.pref, max(_STEP, least))
    return main, support_slot


def _special_session(goal: Goal, phase: int, req: DayRequest) -> _Slot | None:
    """The days that break the weekly pattern: the first baseline, the retest, the race."""
    last = req.duration_in_days
    if goal.variant == "fitness_race":
        if phase == 0 and req.day_number == 1:
            return _Slot(*plans.RACE_BASELINE[:2], "high", plans.RACE_BASELINE[2]).fixed()
        if phase == 6 and last and req.day_number == last:
            return _Slot(*plans.RACE_DAY, "high", goal.race["race_minutes"])
        if phase == 6 and last and req.day_number == last - 1:
            return _Slot(*plans.RACE_EVE[:2], "high", plans.RACE_EVE[2])
        return None
    if phase == 0 and req.day_number == 1:
        return _Slot(*plans.BODY_BASELINE[:2], "high", plans.BODY_BASELINE[2])
    if phase == 5 and last and req.day_number == last:
        return _Slot(*plans.BODY_RETEST[:2], "high", plans.BODY_RETEST[2])
    return None


def _review(
    goal: Goal, weekday: int, req: DayRequest, fields: dict[str, Any], avoid: set[str]
) -> _Slot:
    """A short reflection; on Sundays the weekly review (fitness has its own weekly rhythm)."""
    if weekday == 6 and not goal.variant.startswith("fitness"):
        pref, name, description = plans.WEEKLY_REVIEW
    else:
        pref, name, description = _pick(plans.REVIEW, req, "review", fields, avoid)
    return _Slot(name, description, "low", pref)


def _rescheduled(req: DayRequest, budget: int) -> _Slot | None:
    """The first missed task that fits and was not done since, at high priority; the others
    are let go (a plan that piles up every missed task is a plan nobody follows)."""
    done = {name.casefold() for name in req.recent_done}
    for name in req.recent_missed:
        name = " ".join(str(name).split())
        if not name or name.casefold() in done:
            continue
        stated = re.search(r"(\d+)\s*(?:min|mins|minutes)\b", name)
        slot = _Slot(_escape(clip(name, MAX_TITLE)), plans.RESCHEDULED, "high", 20, 30)
        if stated:
            slot.pref = max(_STEP, _round5(int(stated.group(1))))
            slot.fixed()
        if slot.low <= budget:
            return slot
    return None


def _fit(slots: list[_Slot], capacity: int) -> list[_Slot]:
    """Choose and size the tasks so their minutes, in multiples of 5, fit the capacity.

    In priority order each task gets its least minutes while they fit; then the room left
    raises every task toward its usual length, then toward its most. A day of 15 minutes or
    less gets a single task: the first that fits.
    """
    budget = _budget(capacity)
    if budget <= 15:
        chosen = [next((s for s in slots if s.low <= budget), slots[-1])][:1]
        chosen[0].low = min(chosen[0].low, budget)
    else:
        chosen, used = [], 0
        for slot in _unique_slots(slots):
            if used + slot.low <= budget:
                chosen.append(slot)
                used += slot.low
    for slot in chosen:
        slot.minutes = slot.low
    room = budget - sum(slot.minutes for slot in chosen)
    for level in ("pref", "high"):
        room = _raise(chosen, level, room)
    if not any(slot.priority == "high" for slot in chosen):
        chosen[0].priority = "high"
    return chosen


def _unique_slots(slots: list[_Slot]) -> list[_Slot]:
    """Drop a task whose name repeats an earlier one (a rescheduled task that is also today's)."""
    seen: set[str] = set()
    unique = []
    for slot in slots:
        key = slot.name.casefold()
        if key not in seen:
            seen.add(key)
            unique.append(slot)
    return unique


def _raise(slots: list[_Slot], level: str, room: int) -> int:
    """Share `room` minutes among the slots in proportion to how far each is from `level`."""
    gaps = [max(getattr(slot, level) - slot.minutes, 0) for slot in slots]
    if room < _STEP or not sum(gaps):
        return room
    if room >= sum(gaps):
        for slot, gap in zip(slots, gaps, strict=True):
            slot.minutes += gap
        return room - sum(gaps)
    adds = [_round5(room * gap // sum(gaps)) for gap in gaps]
    left = room - sum(adds)
    for i, gap in enumerate(gaps):  # the rounding leftovers go to the first in priority
        extra = min(gap - adds[i], left - left % _STEP)
        adds[i] += extra
        left -= extra
    for slot, add in zip(slots, adds, strict=True):
        slot.minutes += add
    return left


def _tasks(slots: list[_Slot], fields: dict[str, Any]) -> list[dict[str, Any]]:
    tasks = []
    for slot in slots:
        values = {**fields, "m": slot.minutes}
        tasks.append(
            {
                "taskName": clip(fill(slot.name, values), MAX_TITLE),
                "description": clip(fill(slot.description, values), 2000),
                "priority": slot.priority,
                "estimatedMinutes": slot.minutes,
            }
        )
    return tasks


def _budget(capacity: int) -> int:
    """The minutes a day may hold: the capacity in whole steps of 5 (at least 5)."""
    return max(_STEP, capacity - capacity % _STEP)


def _round5(minutes: int) -> int:
    return int(minutes) - int(minutes) % _STEP


def _escape(text: str) -> str:
    """A literal text used as a template (a missed task's name may contain braces)."""
    return text.replace("{", "{{").replace("}", "}}")
