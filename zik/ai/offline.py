"""The offline provider: a deterministic planner and coach that needs no network and no model.

Why it exists: zik must be useful the moment it is installed, without AWS credentials, on a
plane, and in tests. So when Bedrock is unavailable (or `ai.provider=offline`), roadmaps and day
plans come from here, in the same shapes (`ai/schemas.py`) and through the same validation.

How it decides:

- **Kind.** `detect_kind` reads the quest's category when it names a kind, else scores the words
  of the name (double) and the description against word lists (`offline_plans.KIND_WORDS`); ties
  go to the kind listed first in `KIND_ORDER`. A kind may narrow to a variant with its own plan: a
  race or a body goal, a language, an instrument, breaking a habit.
- **Roadmap.** Every variant has 7 phases written like a coaching handbook (`offline_plans.PHASES`),
  each with a weight. The number of milestones follows the days available (3 up to 14 days, 4 up
  to 45, 5 up to 90, 6 up to 180, else 7); picking n phases keeps the first and the last and
  spreads the rest. Each milestone gets 1 day, and the remaining days are shared by weight with
  largest-remainder rounding (a few phases have a cap: a taper is at most 3 weeks), so the
  durations add up exactly to the days available. A target 1–2 days out still gets 3
  milestones of 1 day: a roadmap has at least 3, so the sum then exceeds the days by design.
- **Day plan.** The milestone's phase (its title if this module wrote it, else words such as
  "taper", else its position) picks a bank of tasks; the day number rotates through the bank, so
  a week never repeats a name. Fitness follows a weekly schedule by weekday (long session at the
  weekend, one rest day), and a habit's main task is the daily repetition itself. Tasks shrink to
  half or stretch to fit the daily capacity. One missed task comes back at high priority in
  place of the supporting task; the rest are let go (a missed training session only ever
  replaces a shorter one, never doubles the day's load).

No randomness and no clock: variety comes from SHA-256 of the goal's name, so the same MODEL
version and the same request always give the same output. Plain Python on purpose (no pydantic,
no boto3): it is imported on the offline path only and must cost almost nothing.
"""

from __future__ import annotations

import re
from typing import Any

from zik.ai import offline_plans as plans
from zik.ai.requests import DayRequest, RoadmapRequest
from zik.models import MAX_TITLE

MODEL = "zik-offline-1"

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_STEP = 5  # task minutes are multiples of 5
_TITLE_SUBJECT = 80  # a subject longer than this is clipped inside titles and task names


def _matcher(spec: str) -> tuple[tuple[str, int], ...]:
    """Parse "word, prefix*, two words, word:3" into (pattern, weight) pairs."""
    entries = []
    for item in spec.split(","):
        word, _, weight = item.strip().partition(":")
        entries.append((word, int(weight or 1)))
    return tuple(entries)


_KIND_WORDS = {kind: _matcher(spec) for kind, spec in plans.KIND_WORDS.items()}
_RACE_WORDS = _matcher(plans.RACE_WORDS)
_QUIT_WORDS = _matcher(plans.QUIT_WORDS)


class _Text:
    """The words of a text, lowercased, with "10 km" read as "10k", ready for matching."""

    __slots__ = ("tokens", "token_set", "padded")

    def __init__(self, text: str):
        text = re.sub(r"(\d+)\s*(?:k|km)\b", r"\1k", text.lower())
        self.tokens = re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text)
        self.token_set = frozenset(self.tokens)
        self.padded = f" {' '.join(self.tokens)} "

    def score(self, entries: tuple[tuple[str, int], ...]) -> int:
        """The summed weight of the entries present (each counted once)."""
        return sum(weight for word, weight in entries if self.has(word))

    def has(self, word: str) -> bool:
        if " " in word:
            return f" {word} " in self.padded
        if word.endswith("*"):
            return any(token.startswith(word[:-1]) for token in self.tokens)
        return word in self.token_set

    def has_any(self, words: list[str] | tuple[str, ...]) -> bool:
        return any(self.has(word) for word in words)


# ---- What kind of goal ------------------------------------------------------------------------


def detect_kind(goal_name: str, description: str | None, category: str | None) -> str:
    """The quest's kind: the category when it names one, else the best-scoring words."""
    name, rest = _Text(goal_name), _Text(description or "")
    scores = {
        kind: 2 * name.score(words) + rest.score(words) for kind, words in _KIND_WORDS.items()
    }
    if re.search(r"[$€£¥]", f"{goal_name} {description or ''}"):
        scores["finance"] += 2
    both = _Text(f"{goal_name} {description or ''}")
    if both.has_any(("read", "reading")) and both.has_any(("book", "books", "pages", "novels")):
        scores["habit"] += 5  # reading N books is a habit of reading, not a course
    named = _category_kinds(category)
    if named:
        return max(named, key=lambda kind: (scores.get(kind, 0), -named.index(kind)))
    best = max(
        plans.KIND_ORDER, key=lambda kind: (scores.get(kind, 0), -plans.KIND_ORDER.index(kind))
    )
    return best if scores.get(best, 0) > 0 else "general"


def _category_kinds(category: str | None) -> list[str]:
    """The kinds a category names, in order ("Health & Fitness" -> fitness)."""
    kinds: list[str] = []
    for token in _Text(category or "").tokens:
        for kind in plans.CATEGORY_KINDS.get(token, ()):
            if kind not in kinds:
                kinds.append(kind)
    return kinds


def default_days(kind: str) -> int:
    """The horizon of a quest without a target date: long enough for the kind to show results."""
    return plans.DEFAULT_DAYS.get(kind, plans.DEFAULT_DAYS["general"])


class _Goal:
    """A quest read once: its kind, plan variant, subject, and the placeholders of its texts."""

    __slots__ = ("kind", "variant", "subject", "fields", "race")

    def __init__(self, goal_name: str, description: str | None, category: str | None):
        self.kind = detect_kind(goal_name, description, category)
        text = _Text(f"{goal_name} {description or ''} {category or ''}")
        self.variant = _variant(self.kind, text)
        self.subject, the_subject = _subject(goal_name, self.variant)
        self.race = next(r for r in plans.RACES if text.has_any(r["words"]) or not r["words"])
        sport, activity = _sport(text)
        nutrition = "lose" if text.has_any(plans.LOSE_WORDS) else "default"
        if nutrition == "default" and text.has_any(plans.GAIN_WORDS):
            nutrition = "gain"
        subject = _clip(_mid_sentence(self.subject), _TITLE_SUBJECT)
        self.fields = {
            "goal": _clip(" ".join(goal_name.split()), _TITLE_SUBJECT),
            "subject": subject,
            "Subject": subject[:1].upper() + subject[1:],
            "the_subject": _clip(the_subject, _TITLE_SUBJECT),
            "action": _action(self.subject, text),
            "sport": sport,
            "activity": activity,
            "base_long": self.race["base_long"],
            "peak_long": self.race["peak_long"],
            "intervals": self.race["intervals"],
            "nutrition": plans.NUTRITION[nutrition],
        }


def _variant(kind: str, text: _Text) -> str:
    """The plan a kind narrows to: race or body, language, instrument, breaking a habit."""
    if kind == "fitness":
        return "fitness_race" if text.score(_RACE_WORDS) else "fitness_body"
    if kind in ("learning", "creative") and text.has_any(plans.INSTRUMENTS):
        return "creative_practice"
    if kind == "learning" and text.has_any(plans.LANGUAGES):
        return "learning_language"
    if kind == "habit" and text.score(_QUIT_WORDS):
        return "habit_quit"
    return kind


def _subject(goal_name: str, variant: str) -> tuple[str, str]:
    """What the goal is about, bare and as the object of a sentence.

    The name loses its leading verbs and articles and a trailing deadline: "Learn Spanish" ->
    "Spanish", "Run a half marathon" -> "half marathon" ("the half marathon" in a sentence). A
    habit keeps its whole name (the verb is the habit); a general goal, or a name with no known
    verb to strip ("Organize my garage"), is quoted whole, which reads well in any sentence.
    """
    name = " ".join(goal_name.split()).strip(" .!")
    name = re.sub(plans.DEADLINE_TAIL, "", name, flags=re.IGNORECASE) or name
    quoted = f"“{name[:1].upper()}{name[1:]}”"
    if variant == "habit":
        return name, quoted
    lead = plans.LEAD_WORDS | plans.QUIT_LEAD_WORDS if variant == "habit_quit" else plans.LEAD_WORDS
    words, dropped = name.split(), []
    while words and _bare(words[0]) in lead:
        dropped.append(_bare(words.pop(0)))
    rest = " ".join(words).strip(" .,;:!")
    whole = not dropped and len(words) > 1
    if variant == "general" or whole or not rest or _bare(rest) in plans.WEAK_SUBJECTS:
        return quoted, quoted
    things = ("fitness_race", "creative", "project")  # goals about one thing: "the novel"
    if (
        variant in things
        and dropped
        and dropped[-1] in ("a", "an", "the", "my", "our", "your", "own")
    ):
        return rest, f"the {rest}"
    return rest, quoted


def _action(subject: str, text: _Text) -> str:
    """A habit's daily action, without its frequency ("Meditate every day" -> "meditate")."""
    action = re.sub(plans.FREQUENCY_TAIL, "", subject, flags=re.IGNORECASE) or subject
    if _bare(action.split()[0]) == "read" and text.has_any(("book", "books", "pages")):
        action = "read"
    return _clip(_mid_sentence(action), _TITLE_SUBJECT)


def _sport(text: _Text) -> tuple[str, str]:
    if text.has_any(("swim*",)) and not text.has_any(("triathlon", "run*")):
        return "swim", "swimming"
    if text.has_any(("cycl*", "bike", "ride", "riding")) and not text.has_any(
        ("triathlon", "run*")
    ):
        return "ride", "cycling"
    return "run", "running"


def _bare(word: str) -> str:
    return word.strip(" .,;:!?\"'()").lower()


def _mid_sentence(text: str) -> str:
    """Lowercase a leading common verb so the text reads inside a sentence; keep "Spanish"."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower() and first.lower() in plans.COMMON_VERBS:
        return first.lower() + text[len(first) :]
    return text


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _fill(template: str, fields: dict[str, Any]) -> str:
    return template.format_map(fields).strip()


def _offset(*parts: str) -> int:
    """A stable number from text: SHA-256, never the salted built-in `hash()`."""
    import hashlib  # here, not at the top: it costs ~3 ms and only day plans need it

    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big")


# ---- Roadmap ----------------------------------------------------------------------------------


def plan_roadmap(req: RoadmapRequest) -> dict[str, Any]:
    """Milestones sized to the days available, from the variant's phase template.

    With `req.keep` (completed milestones a replan keeps) only the remaining milestones are
    returned: they continue the arc after the kept ones, keep the total within 3–7 where the
    number kept allows, and their durations add up to the days that remain.
    """
    goal = _Goal(req.goal_name, req.description, req.category)
    kept = list(req.keep or [])
    days = _days_available(req, goal.kind, kept)
    count = _milestone_count(days, len(kept))
    phases = _pick_phases(min(7, len(kept) + count))[-count:]
    template = plans.PHASES[goal.variant]
    caps = plans.PHASE_CAPS.get(goal.variant, {})
    durations = _split_days(days, [template[p][0] for p in phases], [caps.get(p) for p in phases])
    fields = {**goal.fields, "minutes": req.daily_capacity, "by_target": ""}
    taken = {str(m.get("title", "")).casefold() for m in kept}
    milestones = []
    for position, (phase, duration) in enumerate(zip(phases, durations, strict=True)):
        last = position == count - 1
        target = req.target_date if last else None
        milestone = _milestone(template[phase], duration, fields, target)
        milestone["title"] = _unique(milestone["title"], taken)
        milestones.append(milestone)
    return {"milestones": milestones}


def _days_available(req: RoadmapRequest, kind: str, kept: list[dict[str, Any]]) -> int:
    """The days to plan: to the target date, else the kind's horizon less what was kept."""
    if req.available_days is not None:
        return max(int(req.available_days), 0)
    done = sum(int(m.get("durationInDays") or 0) for m in kept)
    return max(default_days(kind) - done, 14) if kept else default_days(kind)


def _milestone_count(days: int, kept: int) -> int:
    """3 up to 14 days, 4 up to 45, 5 up to 90, 6 up to 180, else 7; never more than the days."""
    by_days = 3 if days <= 14 else 4 if days <= 45 else 5 if days <= 90 else 6 if days <= 180 else 7
    floor = max(1, 3 - kept)  # a roadmap has at least 3 milestones, kept ones included
    return max(min(by_days, 7 - kept, max(days, floor)), floor)


def _pick_phases(n: int) -> tuple[int, ...]:
    """n of the 7 phases: the first and the last, the rest spread evenly between."""
    if n <= 1:
        return (6,)
    spots = [i * 6 / (n - 1) for i in range(n)]
    # A spot halfway between two phases goes to the nearer end (5 of 7 -> 0 1 3 5 6): the
    # phases next to the start and the end (foundations, taper) matter most.
    return tuple(int(x + 0.5) if x > 3 else int(x + 0.499) for x in spots)


def _split_days(days: int, weights: list[float], caps: list[int | None]) -> list[int]:
    """Integer durations, each at least 1, that add up to `days` (largest remainder).

    A phase whose share passes its cap gets the cap, and the others share the rest. With fewer
    days than milestones every milestone gets 1 day (the sum then exceeds `days`).
    """
    n = len(weights)
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        extra = max(days - sum(fixed.values()) - len(free), 0)
        total = sum(weights[i] for i in free)
        shares = {i: extra * weights[i] / total for i in free}
        over = [i for i in free if caps[i] is not None and 1 + shares[i] > caps[i]]
        if not over or len(over) == len(free):
            break
        fixed.update({i: caps[i] or 1 for i in over})
    parts = {i: int(share) for i, share in shares.items()}
    order = sorted(free, key=lambda i: (-(shares[i] - parts[i]), -weights[i], i))
    for i in order[: extra - sum(parts.values())]:
        parts[i] += 1
    return [fixed[i] if i in fixed else 1 + parts[i] for i in range(n)]


def _milestone(
    phase: tuple[float, str, str], days: int, fields: dict[str, Any], target: str | None
) -> dict[str, Any]:
    _, title, description = phase
    fields = {**fields, "span": _span(days), "by_target": f" by {target}" if target else ""}
    text = _fill(description, fields)
    if target and target not in text:
        text += f" Target date: {target}."
    return {
        "title": _clip(_fill(title, fields), MAX_TITLE),
        "description": _clip(text, 2000),
        "durationInDays": days,
    }


def _span(days: int) -> str:
    if days < 14:
        return "1 day" if days == 1 else f"{days} days"
    weeks = days / 7
    return f"{days // 7} weeks" if days % 7 == 0 else f"about {round(weeks)} weeks"


def _unique(title: str, taken: set[str]) -> str:
    """The title, numbered if an earlier (or kept) milestone already has it."""
    candidate, number = title, 2
    while candidate.casefold() in taken:
        candidate, number = f"{_clip(title, MAX_TITLE - 10)} (part {number})", number + 1
    taken.add(candidate.casefold())
    return candidate


# ---- Day plan ---------------------------------------------------------------------------------


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
    goal = _Goal(req.goal_name, req.quest_description, req.category)
    phase = _phase_of(goal, req)
    weekday = _weekday(req.weekday, req.day_number)
    fields = {
        **goal.fields,
        "milestone": _clip(" ".join(req.milestone_title.split()), _TITLE_SUBJECT),
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


def _phase_of(goal: _Goal, req: DayRequest) -> int:
    """Which of the 7 phases the milestone is: our own title, a telling word, or its position."""
    title = " ".join(req.milestone_title.split()).casefold()
    fields = {**goal.fields, "by_target": "", "span": "", "minutes": ""}
    for index, (_, template, _) in enumerate(plans.PHASES[goal.variant]):
        if _fill(template, fields).casefold() == title:
            return index
    for word, index in plans.PHASE_HINTS:
        if word in title:
            return index
    total = min(max(req.milestones_total, 1), 7)
    return _pick_phases(total)[min(max(req.milestone_sequence, 1), total) - 1]


def _weekday(name: str, day_number: int) -> int:
    """0 for Monday .. 6 for Sunday; without a readable weekday, count from the day number."""
    key = (name or "").strip().lower()[:3]
    return WEEKDAYS.index(key) if key in WEEKDAYS else (day_number - 1) % 7


def _done_when(description: str | None) -> str:
    found = re.search(r"Done when:\s*(.+)", description or "", flags=re.DOTALL)
    return f" Finish line: {_clip(found.group(1).strip(), 300)}" if found else ""


def _practice(
    goal: _Goal, phase: int, req: DayRequest, fields: dict[str, Any], avoid: set[str]
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
    """The day's row of a bank: day N takes row N (from a per-goal start), skipping recent ones."""
    start = _offset(salt, req.goal_name, req.milestone_title) + req.day_number - 1
    for step in range(len(rows)):
        row = rows[(start + step) % len(rows)]
        if _fill(row[1], {**fields, "m": ""}).casefold() not in avoid:
            return row
    return rows[start % len(rows)]


def _fitness(
    goal: _Goal, phase: int, weekday: int, req: DayRequest, budget: int
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


def _special_session(goal: _Goal, phase: int, req: DayRequest) -> _Slot | None:
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
    goal: _Goal, weekday: int, req: DayRequest, fields: dict[str, Any], avoid: set[str]
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
        slot = _Slot(_escape(_clip(name, MAX_TITLE)), plans.RESCHEDULED, "high", 20, 30)
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
                "taskName": _clip(_fill(slot.name, values), MAX_TITLE),
                "description": _clip(_fill(slot.description, values), 2000),
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
