"""The offline coach: today's tasks for the active milestone (`plan_day`).

Owns the day plan: picking tasks from the `handbook` banks by the milestone's phase and the
weekday, bringing back one missed task, and sizing the tasks to the daily capacity. How it
decides is described in `planner.py`.
"""

from __future__ import annotations

import re
from typing import Any

from zik.ai.offline.goal import TITLE_SUBJECT, Goal, clip, fill, pick_phases
from zik.ai.offline.handbook import shared as plans
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
    """One to three tasks for today's step of the active milestone, within the quest's share.

    What it remembers: a step from a "start" bank (a placement test, a set-up) is done once per
    quest; any other main task done before comes back as its next round, a little bigger
    (`_progressed`). What it reads off the day (`req.on_day`): a reflection task is added only
    when the day has none yet, and a fitness quest never rests on a day another quest trains,
    nor trains on a day another quest rests.
    """
    goal = Goal(req.goal_name, req.quest_description, req.category)
    phase = _phase_of(goal, req)
    weekday = _weekday(req.weekday, req.day_number)
    fields = {
        **goal.fields,
        "milestone": clip(" ".join(req.milestone_title.split()), TITLE_SUBJECT),
        "done_when": _done_when(req.milestone_description),
        "n": req.day_number,
    }
    memory = _Memory(req)
    budget = _budget(req.capacity_minutes)
    day = _Day(req.on_day)
    if goal.variant in plans.TRAINING_PLANS:
        main, support = _fitness(goal, phase, weekday, req, budget, day)
    else:
        main, support = _practice(goal, phase, req, fields, memory)
    main.description += " Moves “{milestone}” forward."
    slots = [main] + ([support] if support else [])
    review = None if day.has_reflection else _review(goal, weekday, req, fields, memory)
    if review:
        slots.append(review)
    missed = _rescheduled(req, budget)
    if missed and goal.variant in plans.TRAINING_PLANS and missed.pref > 15:
        if missed.pref >= main.pref and not day.rests:  # a missed session as long as today's
            slots[0] = missed  # replaces it; a shorter one is let go: two sessions a day is how
            # injuries start
    elif missed and missed.low + main.low <= budget:
        if support:
            slots.remove(support)  # any other missed task takes the supporting slot
        slots.insert(0, missed)  # and goes first
    return {"tasks": _tasks(_fit(_unique_slots(slots, fields), req.capacity_minutes), fields)}


class _Memory:
    """What the quest has done: recently (a week, for rotation) and ever (for one-off steps)."""

    def __init__(self, req: DayRequest):
        names = [" ".join(str(n).split()).casefold() for n in req.recent_done]
        self.recent = {_ROUND.sub("", n) for n in names}  # a round of a task is that task
        self.ever = {" ".join(str(n).split()).casefold() for n in req.done_before} | set(names)

    def rounds(self, name: str) -> int:
        """How many times a main task was done before: itself, or as a later round of it."""
        key = name.casefold()
        found = [
            int(m.group(1))
            for n in self.ever
            if n.startswith(key) and (m := _ROUND.fullmatch(n[len(key) :]))
        ]
        return max(found, default=1 if key in self.ever else 0)


_ROUND = re.compile(r" \(round (\d+)\)$")


class _Day:
    """What the day already holds (other quests, routines, the person's own tasks)."""

    def __init__(self, on_day: list[dict[str, Any]]):
        names = [str(t.get("taskName") or "") for t in on_day]
        self.has_reflection = any(_matches(plans.REFLECTION_PATTERNS, n) for n in names)
        self.rests = any(_matches(plans.REST_PATTERNS, n) for n in names)
        self.trains = any(_matches(plans.TRAINING_PATTERNS, n) for n in names)


def _matches(patterns: tuple[re.Pattern[str], ...], name: str) -> bool:
    return any(p.fullmatch(name) for p in patterns)


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
    goal: Goal, phase: int, req: DayRequest, fields: dict[str, Any], memory: _Memory
) -> tuple[_Slot, _Slot | None]:
    """The main task and a supporting one from the variant's banks, rotating with the day."""
    bank = plans.BANKS[goal.variant]
    stage = plans.STAGES_BY_VARIANT.get(goal.variant, plans.STAGES)[phase]
    if goal.variant == "habit":
        pref, name, description = plans.HABIT_REPS[stage]
        main = _Slot(name, description, "high", pref, pref if stage == "start" else 2 * pref)
    elif goal.variant == "habit_quit":
        pref, name, description = plans.QUIT_REPS[phase]
        main = _Slot(name, description, "high", pref, 2 * pref)
    elif goal.variant == "habit_reading":  # the reading, and a step of the stage beside it
        pref, name, description = plans.READING_REPS[stage]
        main = _Slot(name, description, "high", pref, 2 * pref)
        avoid = memory.ever if stage == "start" else memory.recent
        row = _pick(bank[stage], req, "support", fields, avoid)
        if row is not None and stage != "start":
            row = _progressed(row, fields, memory)  # done before: its next round, as practice
        row = row or _pick(bank["support"], req, "support", fields, memory.ever)
        if row is None:
            return main, None
        return main, _Slot(row[1], row[2], "medium", row[0], min(2 * row[0], row[0] + 10))
    else:
        row = _pick(bank[stage], req, "main", fields, memory.ever) if stage == "start" else None
        if row is None:  # every first step is done (or not a start stage): practice
            rows = bank["core" if stage == "start" else stage]
            row = _pick(rows, req, "main", fields, memory.recent) or _first(rows, req, "main")
            row = _progressed(row, fields, memory)
        pref, name, description = row
        main = _Slot(name, description, "high", pref, min(pref * (3 if pref >= 40 else 2), 150))
    row = _pick(bank["support"], req, "support", fields, memory.ever)
    if row is None:  # every supporting step was done once: the main task carries the day
        return main, None
    pref, name, description = row
    return main, _Slot(name, description, "medium", pref, min(2 * pref, pref + 10))


def _pick(
    rows: tuple[tuple[int, str, str], ...],
    req: DayRequest,
    salt: str,
    fields: dict[str, Any],
    avoid: set[str],
) -> tuple[int, str, str] | None:
    """The day's row of a bank: day N takes row N (from a per-goal start), skipping the ones to
    avoid; None when every row is to be avoided.

    The quest's first milestone starts at the bank's first row, which is written to be the
    natural first step (a placement test, a baseline): order matters most at the very start.
    """
    start = _start(req, salt)
    for step in range(len(rows)):
        row = rows[(start + step) % len(rows)]
        if fill(row[1], {**fields, "m": ""}).casefold() not in avoid:
            return row
    return None


def _start(req: DayRequest, salt: str) -> int:
    first = req.milestone_sequence == 1
    return (0 if first else _offset(salt, req.goal_name, req.milestone_title)) + req.day_number - 1


def _first(rows: tuple[tuple[int, str, str], ...], req: DayRequest, salt: str):
    return rows[_start(req, salt) % len(rows)]


def _progressed(
    row: tuple[int, str, str], fields: dict[str, Any], memory: _Memory
) -> tuple[int, str, str]:
    """Practice done before comes back as its next round, about a fifth longer each time (up
    to double): repeating is the point of practice, standing still is not."""
    pref, name, description = row
    rounds = memory.rounds(fill(name, {**fields, "m": ""}))
    if not rounds:
        return row
    bigger = min(_round5(pref * (1 + 0.2 * rounds)), 2 * pref)
    return (
        max(bigger, pref),
        f"{name} (round {rounds + 1})",
        f"{description} Round {rounds + 1}: a little more than last time — longer, harder or"
        " one more of it.",
    )


def _offset(*parts: str) -> int:
    """A stable number from text: SHA-256, never the salted built-in `hash()`."""
    import hashlib  # here, not at the top: it costs ~3 ms and only day plans need it

    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big")


def _fitness(
    goal: Goal, phase: int, weekday: int, req: DayRequest, budget: int, day: _Day
) -> tuple[_Slot, _Slot]:
    """The weekday's training session for the phase, plus the weekday's supporting task.

    One body does all the quests: on a day another quest already trains, this one's rest day
    becomes that day's gentle mobility; on a day another quest rests, this one rests too."""
    race = goal.variant == "fitness_race"
    support = (plans.RACE_SUPPORT if race else plans.BODY_SUPPORT)[weekday]
    support_slot = _Slot(support[1], support[2], "medium", support[0])
    special = _special_session(goal, phase, req)
    if special:
        return special, support_slot
    week = plans.RACE_FIRST_WEEK if race and phase == 0 else plans.RACE_WEEK
    session = (week if race else plans.BODY_WEEK)[weekday]
    if session == "rest" and day.trains:
        pref, name, description = plans.MOBILITY
        return _Slot(name, description, "high", pref).fixed(), support_slot
    if session != "rest" and day.rests:
        session = "rest"
    if race and session == "quality":
        name, description = plans.RACE_QUALITY[phase]
    else:
        name, description = (plans.RACE_SESSIONS if race else plans.BODY_SESSIONS)[session]
    if race and session == "long":
        pref, least = _long_minutes(goal, phase, req), 25
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


def _long_minutes(goal: Goal, phase: int, req: DayRequest) -> int:
    """The long session grows week by week through a building phase (about 10 minutes a week,
    from the last phase's length to this one's), so it never repeats while the plan says build;
    a taper (a phase shorter than the last) holds its shorter length."""
    peak = goal.race["peak_minutes"]
    goal_minutes = peak * plans.LONG_SHARE[phase]
    before = peak * plans.LONG_SHARE[phase - 1] if phase else goal_minutes * 0.8
    if before >= goal_minutes:
        return int(goal_minutes)
    weeks = max(1, -(-(req.duration_in_days or 7) // 7))
    week = min((max(req.day_number, 1) - 1) // 7 + 1, weeks)
    return int(before + (goal_minutes - before) * week / weeks)


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
    goal: Goal, weekday: int, req: DayRequest, fields: dict[str, Any], memory: _Memory
) -> _Slot | None:
    """A short reflection, each kind once per quest; on Sundays the weekly review (fitness has
    its own weekly rhythm). None once every reflection was done: no filler for its own sake."""
    if weekday == 6 and goal.variant not in plans.TRAINING_PLANS:
        pref, name, description = plans.WEEKLY_REVIEW
        return _Slot(name, description, "low", pref)
    row = _pick(plans.REVIEW, req, "review", fields, memory.ever)
    if row is None:
        return None
    pref, name, description = row
    return _Slot(name, description, "low", pref)


def _rescheduled(req: DayRequest, budget: int) -> _Slot | None:
    """The first missed task that fits and was not done since, at high priority; the others
    are let go (a plan that piles up every missed task is a plan nobody follows)."""
    done = {name.casefold() for name in req.recent_done}
    for name in req.recent_missed:
        name = " ".join(str(name).split())
        if not name or name.casefold() in done or _matches(plans.REST_PATTERNS, name):
            continue  # a missed rest day is not work to catch up
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
        slots[0].low = min(slots[0].low, budget)  # the main task always fits, if only shorter
        chosen, used = [], 0
        for slot in slots:
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


def _unique_slots(slots: list[_Slot], fields: dict[str, Any]) -> list[_Slot]:
    """Drop a task whose name repeats an earlier one once written out (a missed task brought
    back that is also today's; the name templates differ, the names would not)."""
    seen: set[str] = set()
    unique = []
    for slot in slots:
        key = _DIGITS.sub("#", " ".join(fill(slot.name, {**fields, "m": 0}).split()).casefold())
        if key not in seen:
            seen.add(key)
            unique.append(slot)
    return unique


_DIGITS = re.compile(r"\d+")  # names that differ only in their minutes are the same task


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
    tasks, names = [], set()
    for slot in slots:
        values = {**fields, "m": slot.minutes}
        name = clip(fill(slot.name, values), MAX_TITLE)
        if slot.minutes != slot.pref:  # "for 10 minutes" squeezed into 5 says so
            name = re.sub(rf"\b{slot.pref}(?=\s*-?\s*min)", str(slot.minutes), name)
        if name.casefold() in names:  # never two tasks of one name (DayPlan refuses them)
            continue
        names.add(name.casefold())
        tasks.append(
            {
                "taskName": name,
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
