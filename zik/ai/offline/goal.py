"""What a quest is about, read once for the roadmap (planner.py) and the day plan (coach.py).

Owns the word matching (`_Text`), `detect_kind` and the plan variant, the goal's subject and the
placeholders its texts fill (`Goal`), the phases a number of milestones picks (`pick_phases`),
and the small text helpers both planners use (`fill`, `clip`).
"""

from __future__ import annotations

import re
from typing import Any

from zik.ai.offline import fields
from zik.ai.offline.handbook import shared as plans

TITLE_SUBJECT = 80  # a subject longer than this is clipped inside titles and task names


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

_VARIANT_WORDS = {name: _matcher(v.words) for name, v in plans.VARIANTS.items()}
_MONEY = re.compile(r"[$€£¥]|\b\d[\d,]*\s?(?:dollars|euros|pounds)\b", re.IGNORECASE)


def detect_kind(goal_name: str, description: str | None, category: str | None) -> str:
    """The quest's kind: the category when it names one, else the best-scoring words."""
    return _choose(goal_name, description, category)[0]


def _choose(goal_name: str, description: str | None, category: str | None) -> tuple[str, str]:
    """(kind, plan): the best score of the name's words (double) and the description's.

    The plans of the handbook's own modules (an exam, a shop, a trip…) compete with the broad
    kinds and win a tie; a category that names kinds keeps only the plans of those kinds.
    Nothing matched: the category's first kind, else "general".
    """
    name, rest = _Text(goal_name), _Text(description or "")
    both = f"{goal_name} {description or ''}"
    money = 2 if _MONEY.search(both) else 0
    candidates: list[tuple[int, int, str, tuple[str, ...]]] = []  # score, order, plan, kinds
    for order, (plan, words) in enumerate(_VARIANT_WORDS.items()):
        score = 2 * name.score(words) + rest.score(words)
        if score and plan.startswith("finance"):
            score += money
        candidates.append((score, -order, plan, plans.VARIANTS[plan].kinds))
    for order, kind in enumerate(plans.KIND_ORDER):
        words = _KIND_WORDS.get(kind, ())
        score = 2 * name.score(words) + rest.score(words) if words else 0
        if kind == "finance":
            score += money
        candidates.append((score, -order - 100, kind, (kind,)))
    named = _category_kinds(category)
    if named:
        candidates = [c for c in candidates if set(c[3]) & set(named)] or candidates
    score, _, plan, kinds = max(candidates)
    if score <= 0:
        kind = named[0] if named else "general"
        return kind, kind
    kind = next((k for k in named if k in kinds), kinds[0])
    return kind, plan


def _category_kinds(category: str | None) -> list[str]:
    """The kinds a category names, in order ("Health & Fitness" -> fitness)."""
    kinds: list[str] = []
    for token in _Text(category or "").tokens:
        for kind in plans.CATEGORY_KINDS.get(token, ()):
            if kind not in kinds:
                kinds.append(kind)
    return kinds


class Goal:
    """A quest read once: its kind, plan variant, subject, and the placeholders of its texts."""

    __slots__ = ("kind", "variant", "subject", "fields", "race")

    def __init__(self, goal_name: str, description: str | None, category: str | None):
        self.kind, plan = _choose(goal_name, description, category)
        text = _Text(f"{goal_name} {description or ''} {category or ''}")
        self.variant = plan if plan in plans.VARIANTS else _variant(self.kind, text)
        subject, the_subject = _subject(goal_name, self.variant)
        if subject is None:  # no subject to name (“Get fit”): a plan that never needs one
            self.variant = self.variant if self.variant in _NAMELESS else "general"
            subject, the_subject = "your goal", "your goal"
        self.subject = subject
        self.race = next(r for r in plans.RACES if text.has_any(r["words"]) or not r["words"])
        sport, activity = _sport(text)
        nutrition = "lose" if text.has_any(plans.LOSE_WORDS) else "default"
        if nutrition == "default" and text.has_any(plans.GAIN_WORDS):
            nutrition = "gain"
        subject = clip(_mid_sentence(self.subject), TITLE_SUBJECT)
        found = fields.extract(goal_name, description)
        if self.variant == "finance_debt":
            found["amount"] = found["balance"]
        self.fields = {
            **found,
            "goal": clip(" ".join(goal_name.split()), TITLE_SUBJECT),
            "subject": subject,
            "Subject": subject[:1].upper() + subject[1:],
            "the_subject": clip(the_subject, TITLE_SUBJECT),
            "action": _action(self.subject, text),
            "sport": sport,
            "activity": activity,
            "base_long": self.race["base_long"],
            "peak_long": self.race["peak_long"],
            "intervals": self.race["intervals"],
            "nutrition": plans.NUTRITION[nutrition],
        }
        if self.variant in plans.VARIANTS:
            named = fill(plans.VARIANTS[self.variant].the_subject, self.fields)
            self.fields["the_subject"] = clip(named, TITLE_SUBJECT)


# Plans whose texts never name the goal's subject: they keep their own plan without one.
_NAMELESS = frozenset(plans.VARIANTS) | {"general", "fitness_body", "habit", "habit_quit"}


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


def _subject(goal_name: str, variant: str) -> tuple[str | None, str]:
    """What the goal is about, bare and as the object of a sentence; None when it cannot be
    named without pasting the title.

    The name loses its leading verbs and articles and a trailing deadline: "Learn Spanish" ->
    "Spanish", "Run a half marathon" -> "half marathon" ("the half marathon" in a sentence). A
    habit keeps its whole name (the verb is the habit: "Meditate every day") and is "the habit"
    in a sentence. A name with no known verb to strip, or nothing left after it ("Get fit"), has
    no subject: quoting the title back reads as a form letter.
    """
    name = " ".join(goal_name.split()).strip(" .!")
    name = re.sub(plans.DEADLINE_TAIL, "", name, flags=re.IGNORECASE) or name
    if variant == "habit":
        return name, "the habit"
    quitting = plans.QUIT_LEAD_WORDS if variant == "habit_quit" else frozenset()
    lead = plans.LEAD_WORDS | quitting
    words, dropped = name.split(), []
    while words and _bare(words[0]) in lead:
        dropped.append(_bare(words.pop(0)))
    rest = " ".join(words).strip(" .,;:!")
    whole = not dropped and len(words) > 1
    if variant == "general" or whole or not rest or _bare(rest) in plans.WEAK_SUBJECTS:
        return None, "your goal"
    things = ("fitness_race", "creative", "project")  # goals about one thing: "the novel"
    if (
        variant in things
        and dropped
        and dropped[-1] in ("a", "an", "the", "my", "our", "your", "own")
    ):
        return rest, f"the {rest}"
    if variant == "habit_quit":
        return rest, "quitting"
    if variant == "career":
        return rest, "your career move"
    return rest, rest


def _action(subject: str, text: _Text) -> str:
    """A habit's daily action, without its frequency ("Meditate every day" -> "meditate")."""
    action = re.sub(plans.FREQUENCY_TAIL, "", subject, flags=re.IGNORECASE) or subject
    if _bare(action.split()[0]) == "read" and text.has_any(("book", "books", "pages")):
        action = "read"
    return clip(_mid_sentence(action), TITLE_SUBJECT)


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


def clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def fill(template: str, fields: dict[str, Any]) -> str:
    return template.format_map(fields).strip()


# ---- Phases -----------------------------------------------------------------------------------


def pick_phases(n: int) -> tuple[int, ...]:
    """n of the 7 phases: the first and the last, the rest spread evenly between."""
    if n <= 1:
        return (6,)
    spots = [i * 6 / (n - 1) for i in range(n)]
    # A spot halfway between two phases goes to the nearer end (5 of 7 -> 0 1 3 5 6): the
    # phases next to the start and the end (foundations, taper) matter most.
    return tuple(int(x + 0.5) if x > 3 else int(x + 0.499) for x in spots)


def too_soon(
    goal_name: str, description: str | None, category: str | None, days: int
) -> str | None:
    """A warning when `days` is too little for what the goal is (a marathon in 3 days), or None.

    Read with the same word lists as the offline planner, whichever provider plans: it is a
    rough check of what the goal takes, not a plan."""
    goal = Goal(goal_name, description, category)
    least = plans.MIN_DAYS.get(goal.variant) or plans.MIN_DAYS.get(goal.kind) or 7
    what = f"“{clip(' '.join(goal_name.split()), 60)}”"
    if goal.variant == "fitness_race" and goal.race.get("min_days"):
        least = goal.race["min_days"]
    if days >= least:
        return None
    weeks = f"{least // 7} weeks" if least >= 14 else f"{least} days"
    return (
        f"{days} day{'s' if days != 1 else ''} is very little for {what}: plans for a goal like"
        f" this usually take {weeks} or more, so the roadmap will be squeezed"
        " (a later target, or a smaller first goal, works better)"
    )
