"""Reading a chat message offline: its words, the days it names, and what in the plan it means.

Used by `talk.py`. Matching is by words, not ids: "my run" finds "Easy run 30 min", "Spanish"
finds the tasks of "Learn Spanish". Words are lowercased and lightly stemmed (runs, running ->
run), and a few everyday words stand for the names zik's plans use (a workout is a session).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SHORT_DAYS = {day[:3]: i for i, day in enumerate(WEEKDAYS)} | {"tues": 1, "thur": 3, "thurs": 3}

_CONTRACTIONS = (
    (r"\bi'm\b", "i am"),
    (r"\b(what|how|that|it|there|who|where)'s\b", r"\1 is"),
    (r"\bi've\b", "i have"),
    (r"\bi'd\b", "i would"),
    (r"\bi'll\b", "i will"),
    (r"\bcan't\b", "cannot"),
    (r"\bdon't\b", "do not"),
    (r"\bdidn't\b", "did not"),
    (r"\bwon't\b", "will not"),
    (r"\blet's\b", "let us"),
)

# Words that say what to do, when, or nothing at all: never used to find a task or a quest.
STOP = frozenset(
    """
    a an the my our your me i you it its this that these those to for on of in at by with and or
    but is am are was be been do did does done doing have has had just already also please pls
    can could would will should shall may might must so then now today tonight tomorrow
    yesterday day days week weeks next this coming instead again some any all every one ones
    thing things stuff task tasks todo todos quest quests goal goals plan about up off out
    finish finished finishing complete completed completing mark marked tick ticked check
    checked move moved push pushed postpone postponed reschedule rescheduled shift delay put
    add create new remind want like to pause paused resume restart unpause continue hold
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
    sat sun weekend until till later what which is how going there here time let us get got
    as well really very much bit little yes no ok okay thanks thank
    """.split()  # noqa: SIM905 (a word list reads better as prose)
)

# Everyday words for the names plans use: "my workout" is today's training session.
SYNONYMS = {
    "workout": ("session", "run", "strength", "ride", "swim", "walk", "training", "mobility"),
    "training": ("session", "run", "strength", "ride", "swim", "walk", "workout"),
    "exercise": ("session", "run", "strength", "ride", "swim", "walk", "workout", "training"),
    "jog": ("run",),
    "gym": ("strength", "session", "workout"),
    "cards": ("flashcard",),
    "flashcard": ("card", "deck"),
    "vocab": ("word", "vocabulary", "flashcard"),
    "practice": ("practise",),
    "practise": ("practice",),
}


def normalise(text: str) -> str:
    """Lowercase, contractions spelled out, curly quotes straightened, spaces collapsed."""
    text = text.lower().replace("’", "'").replace("‘", "'")
    for pattern, spelled in _CONTRACTIONS:
        text = re.sub(pattern, spelled, text)
    return " ".join(text.split())


def stem(word: str) -> str:
    """A light stem: runs, running, runner -> run; flashcards -> flashcard; studied stays."""
    for suffix in ("ing", "ed", "er", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
                word = word[:-1]  # running -> runn -> run
            break
    return word


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", normalise(text))


def content(text: str) -> set[str]:
    """The stems of the words that can name something (not the request's own words)."""
    found = set()
    for word in tokens(text):
        if word in STOP or word.isdigit() or len(word) < 2:
            continue
        found.add(stem(word))
        found.update(stem(s) for s in SYNONYMS.get(word, ()))
    return found


def name_stems(name: str) -> set[str]:
    return {stem(w) for w in tokens(name) if w not in STOP}


# ---- Days -------------------------------------------------------------------------------------

_IN_N = re.compile(r"\bin (\d{1,3}|a|one|two|three|four|five|six|seven) (day|days|week|weeks)\b")
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_DAY_WORDS = (
    (r"\bday after tomorrow\b", lambda today: today + timedelta(days=2)),
    (r"\btomorrow\b|\btmrw\b|\btmr\b", lambda today: today + timedelta(days=1)),
    (r"\bnext week\b", lambda today: today + timedelta(days=7 - today.weekday())),
    (r"\b(this |the )?weekend\b", lambda today: _next_weekday(today, 5, same_day=True)),
    (r"\btoday\b|\btonight\b|\bthis (morning|afternoon|evening)\b", lambda today: today),
)


def _next_weekday(today: date, weekday: int, *, same_day: bool = False) -> date:
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=ahead if ahead or same_day else 7)


def day_named(text: str, today: date) -> tuple[date, str] | None:
    """The day a message names, and the words that named it ("friday" means the next one)."""
    said = normalise(text)
    found = re.search(r"\b(\d{4}-\d{2}-\d{2})\b", said)
    if found:
        try:
            return date.fromisoformat(found.group(1)), found.group(0)
        except ValueError:
            pass
    found = _IN_N.search(said)
    if found:
        count = int(found.group(1)) if found.group(1).isdigit() else _NUMBERS[found.group(1)]
        days = count * (7 if found.group(2).startswith("week") else 1)
        return today + timedelta(days=days), found.group(0)
    for pattern, day in _DAY_WORDS:
        found = re.search(pattern, said)
        if found:
            return day(today), found.group(0)
    for word in tokens(said):
        key = word if word in WEEKDAYS else None
        index = WEEKDAYS.index(key) if key else _SHORT_DAYS.get(word)
        if index is not None:
            return _next_weekday(today, index), word
    return None


def spoken_day(day: date, today: date) -> str:
    """How a person says a day: today, tomorrow, Friday 4 December."""
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    name = f"{WEEKDAYS[day.weekday()].capitalize()} {day.day} {day:%B}"
    return name if day.year == today.year else f"{name} {day.year}"


# ---- What a message points at -----------------------------------------------------------------


class Match:
    """The records a message's words point at: one, several that belong together, or a choice."""

    def __init__(self, found: list[dict[str, Any]], *, ambiguous: bool = False, score: int = 0):
        self.found, self.ambiguous, self.score = found, ambiguous, score

    @property
    def one(self) -> dict[str, Any] | None:
        return self.found[0] if len(self.found) == 1 and not self.ambiguous else None


def match_tasks(words: set[str], tasks: list[dict[str, Any]]) -> Match:
    """Tasks named by the words: words in a task's name count double, its quest's name counts
    only when its own name says nothing ("my run": "Easy run" and "Run errands" tie, a
    stretch of the running quest comes after). The best score wins. A tie within one quest
    whose name holds every word ("push Spanish to friday") means all of that quest's tasks;
    any other tie is a choice to ask about."""
    scored = []
    for task in tasks:
        by_name = len(words & name_stems(task["name"]))
        score = 2 * by_name or len(words & name_stems(task.get("questName") or ""))
        if score:
            scored.append((score, task))
    if not scored:
        return Match([])
    best = max(score for score, _ in scored)
    top = [task for score, task in scored if score == best]
    if len(top) == 1:
        return Match(top, score=best)
    quests = {task.get("questId") for task in top}
    quest_words = name_stems(top[0].get("questName") or "")
    if len(quests) == 1 and None not in quests and words <= quest_words:
        whole = [t for t in tasks if t.get("questId") == top[0].get("questId")]
        return Match(whole, score=best)
    return Match(top, ambiguous=True, score=best)


def match_quests(words: set[str], quests: list[dict[str, Any]]) -> Match:
    scored = [(len(words & name_stems(q["name"])), q) for q in quests]
    scored = [(score, q) for score, q in scored if score]
    if not scored:
        return Match([])
    best = max(score for score, _ in scored)
    top = [q for score, q in scored if score == best]
    return Match(top, ambiguous=len(top) > 1, score=best)
