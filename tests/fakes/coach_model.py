"""A stand-in for the model behind the fake Bedrock server: answers each request from what it says.

Why: a 90-day run (bench/simulate.py) makes hundreds of planner and coach calls, too many to script,
and a scripted reply cannot react to the day. `respond` is a `FakeBedrock.always.respond` callback:
it reads the forced tool (submit_roadmap or submit_day_plan) and the user message, line by line
by prefix, and builds what a decent model would: a roadmap of 3–7 milestones titled from the goal
whose durations add up to the days the request states, or 1–3 concrete tasks that fit the minutes
stated, progressing with the milestone and the day number (longer runs, more words), never resting
and training on one day, rescheduling at most one missed task, not repeating what the request lists
as done, and one small step when told the quest stalled. Lines it does not know are ignored; any
line whose label mentions "done" or "completed" adds to what it will not repeat, one mentioning
"already" or "on the day" to what the day already holds (so context zik adds is used without
changing this file).

It is deliberately stateless, like a model: it knows only what the request tells it. It never
imports zik's offline planner, so the two providers are independent tests of zik's loop.
"""

from __future__ import annotations

import re
from typing import Any

from tests.fakes import bedrock

_NOTHING = {"", "nothing", "nothing yet", "none", "none given", "none yet"}

# kind: (words that identify it, milestone stages, practice tasks, one-off tasks).
# Practice: (name template, minutes at level 0, minutes added per level); {n} is the amount.
# One-offs: (name, minutes). Stage and task texts use {goal}.
_KINDS: dict[str, tuple[str, list[str], list[tuple[str, int, int]], list[tuple[str, int]]]] = {
    "fitness": (
        "run marathon km fitness swim cycle race triathlon",
        [
            "Run 20 minutes without stopping",
            "Easy base: three runs a week",
            "Long run of 10 km",
            "Tempo runs and strides",
            "Peak long run of 18 km",
            "Taper and arrive fresh",
            "Race day: {goal}",
        ],
        [
            ("Run {n} minutes at an easy, conversational pace", 20, 5),
            ("Strength circuit: {n} minutes of squats, lunges and planks", 15, 2),
            ("Run {n} minutes with 4 strides at the end", 25, 5),
        ],
        [
            ("Time an easy 2 km as your baseline", 20),
            ("Pick a 12-week race calendar and mark the long runs", 15),
            ("Get fitted for running shoes at a running shop", 40),
            ("Map a flat 5 km loop near home", 15),
        ],
    ),
    "language": (
        "spanish french german italian language learning speak conversation",
        [
            "Set up a daily routine and find your level",
            "Everyday basics: greetings, numbers, the present tense",
            "Talk about your day in short sentences",
            "Past tense and simple stories",
            "A 10-minute conversation with a tutor",
            "Hold a 30-minute conversation: {goal}",
        ],
        [
            ("Learn {n} new words with spaced repetition", 10, 5),
            ("Shadow a {n}-minute podcast episode aloud", 10, 5),
            ("Write {n} sentences about your day and check them", 5, 2),
        ],
        [
            ("Take a free online placement test", 30),
            ("Book a first trial lesson with a tutor", 15),
            ("Set up a flashcard deck of the 500 most common words", 20),
            ("Change your phone's language for a week", 5),
        ],
    ),
    "finance": (
        "save saving money budget euros debt invest finance",
        [
            "Know where the money goes",
            "A budget you can keep",
            "Automate the savings",
            "Cut the three biggest leaks",
            "Reach the savings goal: {goal}",
        ],
        [
            ("Log today's spending and review {n} days of receipts", 10, 1),
            ("Check prices for {n} items on the shopping list", 10, 1),
        ],
        [
            ("Export three months of bank statements", 20),
            ("List every subscription and cancel one", 20),
            ("Set up an automatic transfer on payday", 15),
            ("Open a separate savings account", 30),
        ],
    ),
    "habit": (
        "meditate meditation habit daily sleep journal mindful breath",
        [
            "Five minutes every morning",
            "Ten minutes, same time and place",
            "Fifteen minutes without a timer app",
            "Twenty minutes, even on busy days",
            "Make it stick: {goal}",
        ],
        [
            ("Meditate for {n} minutes, eyes closed, counting breaths", 5, 2),
            ("Walk mindfully for {n} minutes, no phone", 10, 2),
        ],
        [
            ("Choose a fixed spot and time for practice", 10),
            ("Try one guided body-scan recording", 15),
            ("Write down why this habit matters to you", 10),
        ],
    ),
    "making": (
        "build make bookshelf shelf furniture woodwork garden paint repair renovate project",
        [
            "Measure, design and list the materials",
            "Buy and prepare the materials",
            "Cut and assemble the frame",
            "Sand, finish and install",
            "Done and in use: {goal}",
        ],
        [("Work {n} minutes on the current build step and photograph it", 25, 5)],
        [
            ("Measure the wall and sketch the design with dimensions", 30),
            ("Write the cut list and materials list", 25),
            ("Buy the boards, screws and finish at the hardware store", 45),
            ("Mark and cut the side panels", 40),
            ("Dry-fit the frame and check it is square", 30),
        ],
    ),
    "reading": (
        "read books reading novel library pages",
        [
            "Choose the books and a reading slot",
            "Read the first three books",
            "Halfway through the list",
            "The last books on the list",
            "All read: {goal}",
        ],
        [
            ("Read {n} pages of the current book", 15, 5),
            ("Write {n} lines of notes on what you read", 5, 1),
        ],
        [
            ("Pick the next three books and borrow or buy them", 20),
            ("Set up a simple reading log", 10),
            ("Join an online reading group for one of the books", 15),
        ],
    ),
}
_GENERIC = (
    "",
    [
        "First steps toward {goal}",
        "Build the habit",
        "Halfway there",
        "The hardest part",
        "Finish: {goal}",
    ],
    [("Work {n} focused minutes toward the goal", 20, 5)],
    [("Write down what done looks like for this quest", 15), ("List the first five steps", 15)],
)
_TRAINING = re.compile(r"\b(run|runs|long run|strides|tempo|intervals|strength|circuit)\b", re.I)
_WEIGHTS = (1.0, 1.4, 1.7, 1.7, 1.5, 1.2, 0.8)


class Prompt:
    """The user message as labelled lines ("Label: value"), read by prefix."""

    def __init__(self, text: str):
        self.lines = [line.strip() for line in text.splitlines() if line.strip()]

    def value(self, prefix: str) -> str | None:
        for line in self.lines:
            if line.casefold().startswith(prefix.casefold()):
                return line[len(prefix) :].strip().rstrip(".")
        return None

    def search(self, pattern: str) -> re.Match[str] | None:
        for line in self.lines:
            found = re.search(pattern, line, re.IGNORECASE)
            if found:
                return found
        return None

    def names(self, *words: str) -> list[str]:
        """Task names from every "Label: a; b" line whose label holds one of the words."""
        found = []
        for line in self.lines:
            label, sep, rest = line.partition(":")
            if sep and any(w in label.casefold() for w in words):
                for item in rest.split(";"):
                    name = re.sub(r"\s*\([^)]*\)\s*\.?$", "", item.strip()).strip().rstrip(".")
                    if name.casefold() not in _NOTHING:
                        found.append(name)
        return found


def respond(recorded: bedrock.Recorded, reply: bedrock.Script) -> None:
    """Answer one Converse request the way a decent model would (see the module docstring)."""
    body = recorded.body
    choice = (body.get("toolConfig") or {}).get("toolChoice") or {}
    tool = (choice.get("tool") or {}).get("name")
    messages = body.get("messages") or []
    first = next((c["text"] for c in messages[0]["content"] if "text" in c), "") if messages else ""
    prompt = Prompt(first)
    if tool and "roadmap" in tool:
        reply.reply_tool(tool, roadmap(prompt))
    elif tool and "day" in tool:
        reply.reply_tool(tool, day_plan(prompt, _repair_minutes(messages)))
    elif recorded.operation == "ConverseStream":
        reply.stream([bedrock.text_events("Noted."), bedrock.stop(), bedrock.metadata()])
    else:
        reply.reply_text("ok")


def _kind(text: str) -> str:
    """The kind whose words the text shares most (the first listed on a tie), else "generic"."""
    words = set(re.findall(r"[a-z]+", text.casefold()))
    best = max(_KINDS, key=lambda k: len(words & set(_KINDS[k][0].split())))
    return best if words & set(_KINDS[best][0].split()) else "generic"


def _parts(kind: str) -> tuple[str, list[str], list[tuple[str, int, int]], list[tuple[str, int]]]:
    return _KINDS.get(kind, _GENERIC)


def _goal(prompt: Prompt) -> str:
    goal = prompt.value("Goal:") or prompt.value("Quest:") or "your goal"
    return goal.split(" — ")[0].strip()


def roadmap(prompt: Prompt) -> dict[str, Any]:
    """3–7 milestones whose durations add up to the days available (or a sensible length)."""
    goal = _goal(prompt)
    _, stages, _, _ = _parts(_kind(" ".join([goal, prompt.value("Category:") or ""])))
    days_match = prompt.search(r"leaves (\d+) days")
    days = int(days_match[1]) if days_match else 90
    kept_line = prompt.value("Already completed milestones, which stay in the roadmap:") or ""
    kept = {re.sub(r"\s*\(\d+ days\).*", "", k).strip().casefold() for k in kept_line.split(";")}
    span = prompt.search(r"\((\d+) to (\d+)\)")
    low, high = (int(span[1]), int(span[2])) if span else (3, 7)
    wanted = 3 if days <= 14 else 4 if days <= 45 else 5 if days <= 100 else 6
    count = max(low, min(high, wanted, len(stages)))
    titles = [s.format(goal=goal)[:120] for s in stages if s.casefold() not in kept]
    picks = [round(i * (len(titles) - 1) / max(1, count - 1)) for i in range(count)]
    chosen = [titles[i] for i in dict.fromkeys(picks)]
    durations = _split_days(days, len(chosen))
    return {
        "milestones": [
            {
                "title": title,
                "description": f"Work toward “{title}” a little every day, building on the "
                f"previous stage. Done when you can honestly say: {title.lower()}.",
                "durationInDays": length,
            }
            for title, length in zip(chosen, durations, strict=True)
        ]
    }


def _split_days(days: int, count: int) -> list[int]:
    """Whole days by weight, adding up exactly to `days` (largest remainder), each at least 1."""
    weights = _WEIGHTS[:count]
    raw = [days * w / sum(weights) for w in weights]
    whole = [max(1, int(r)) for r in raw]
    order = sorted(range(count), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[: max(0, days - sum(whole))]:
        whole[i] += 1
    while sum(whole) > days and max(whole) > 1:
        whole[whole.index(max(whole))] -= 1
    return whole


def day_plan(prompt: Prompt, repair_minutes: int | None = None) -> dict[str, Any]:
    """1–3 tasks within the stated minutes, progressing with the milestone and the day."""
    goal = _goal(prompt)
    milestone = prompt.search(r"Milestone (\d+) of (\d+): (.*)")
    sequence = int(milestone[1]) if milestone else 1
    title = milestone[3].strip() if milestone else goal
    day_match = prompt.search(r"This is day (\d+)")
    day = int(day_match[1]) if day_match else 1
    weekday_match = prompt.search(r"Today is (\w+day)\b")
    weekday = weekday_match[1] if weekday_match else ""
    minutes = repair_minutes or _minutes(prompt)
    kind = _kind(" ".join([goal, prompt.value("Category:") or "", title]))
    _, _, practice, one_offs = _parts(kind)
    done = {n.casefold() for n in prompt.names("done", "completed")}
    on_day = prompt.names("already", "on the day")
    taken = {n.casefold() for n in on_day}
    # Rest is not made up later: a missed rest day is never rescheduled.
    missed = [
        n
        for n in prompt.names("missed")
        if n.casefold() not in done | taken and not n.casefold().startswith("rest")
    ]
    level = (sequence - 1) * 2 + (day - 1) // 7
    if kind == "fitness":  # never rest and train on one day, whoever planned the other half
        trains = any(_TRAINING.search(n) for n in on_day)
        if any(n.casefold().startswith("rest") for n in on_day):
            light = max(5, min(10, minutes))
            stretch = f"Stretch and foam-roll for {light} minutes"
            return {"tasks": [_task(stretch, light, "medium", title)]}
        if day > 1 and not trains and (weekday == "Monday" or (not weekday and day % 7 == 0)):
            rest = "Rest day: walk 20 minutes and stretch"  # a rest day is only rest
            return {"tasks": [_task(rest, min(20, max(5, minutes)), "high", title)]}
    name, base, step = practice[(day + sequence) % len(practice)]
    if kind == "fitness" and weekday in ("Saturday", "Sunday"):
        name, base, step = "Long run: {n} minutes easy", 30, 10
    # (name or template, minutes wanted, the amount {n} at those minutes, may it shrink?)
    wanted: list[tuple[str, int, int, bool]] = [
        (name, base + step * level, base + step * level, True)
    ]
    if missed:  # reschedule the one missed task that matters most (the first), not all of them
        wanted.append((missed[0], 15, 0, False))
    if day % 3 == 1 or not missed:  # a new one-off step every few days
        start = (sequence - 1) % len(one_offs)
        for offset in range(len(one_offs)):
            one_off, length = one_offs[(start + offset) % len(one_offs)]
            if one_off.casefold() not in done | taken:
                wanted.append((one_off, length, 0, False))
                break
    tasks: list[dict[str, Any]] = []
    left = minutes
    for template, want, amount, shrinks in wanted:
        fit = max(5, min(want, left) // 5 * 5) if shrinks else want  # practice shrinks to fit
        if fit < 5 or fit > left or len(tasks) == 3:
            continue
        if "{n} minutes" in template or "{n}-minute" in template:
            amount = fit
        elif shrinks:
            amount = max(1, round(amount * fit / want))
        task_name = template.format(n=amount) if shrinks else template
        names = {t["taskName"].casefold() for t in tasks} | taken
        if task_name.casefold() in names:
            continue
        tasks.append(_task(task_name, fit, "high" if not tasks else "medium", title))
        left -= fit
    if prompt.search(r"\b(stalled|lighter day|light day)\b"):
        tasks = tasks[:1]  # told the quest stalled: one small step to restart, not a full day
    if not tasks:  # almost no time left: one small step still moves the milestone
        tasks.append(_task("Take one 5-minute step on today's milestone", 5, "medium", title))
    return {"tasks": tasks}


def _minutes(prompt: Prompt) -> int:
    stated = prompt.search(r"Minutes available today:\s*(\d+)")
    if stated is None:  # a reworded line: the first number on a line about minutes today
        stated = prompt.search(r"minutes[^\d]*today[^\d]*(\d+)|today[^\d]*minutes[^\d]*(\d+)")
    if stated is None:
        return 30
    return int(next(g for g in stated.groups() if g is not None))


def _repair_minutes(messages: list[dict[str, Any]]) -> int | None:
    """In a repair round, the minutes zik's validation error names ("the person has N minutes")."""
    if len(messages) < 2:
        return None
    text = str(messages[-1])
    found = re.search(r"has (\d+) minutes", text)
    return max(5, int(found[1])) if found else None


def _task(name: str, minutes: int, priority: str, milestone: str) -> dict[str, Any]:
    return {
        "taskName": name,
        "description": f"Toward “{milestone}”. Done when you have done exactly this and noted "
        "how it went in one line.",
        "priority": priority,
        "estimatedMinutes": minutes,
    }
