"""Every prompt zik sends, in one place.

The system prompts are fixed text (so Bedrock can cache them, with the tool specs, behind a
cachePoint); everything about the person and the day goes in the user message. The backend asked
for the same shapes (reference/backend-contract.md §6.6–6.7) but without the date, the
timezone, the capacity or what happened recently; these prompts carry all four.
"""

from __future__ import annotations

from zik.ai.requests import DayRequest, RoadmapRequest

PLANNER_SYSTEM = """\
You are the planner of Zik, a goal coach. You turn one person's long-term goal (a "quest") into a \
roadmap: an ordered list of 3 to 7 milestones that takes them from where they are today to the goal.

What makes a good roadmap:
- Each milestone is a stage with an observable result, not a topic: "Run 5 km without stopping", \
not "Running basics". Its description says in one to three sentences what the person does during \
the stage and how they will know it is done.
- Milestones build on each other. The first one is small and gives an early win within its first \
days; the last one is the goal itself, met by the target date.
- Durations are whole days, realistic for someone with the stated minutes per day, and they add up \
EXACTLY to the number of days available. Harder stages get more days.
- Titles are short (under 60 characters), specific to this goal, distinct, and not numbered \
("Week 1:" is wrong, because stages have different lengths).
- Write for this person and this goal; never give generic advice, and never invent facts about \
the person.

Answer only by calling the tool you are given, once."""

COACH_SYSTEM = """\
You are the coach of Zik, a goal coach. Each morning you plan one person's tasks for the day for \
one milestone of their quest.

What makes a good day plan:
- 1 to 4 tasks whose estimated minutes add up to no more than the person's minutes for the day.
- Each task is one concrete action that starts with a verb and names its amount or result: \
"Run 3 km at an easy, conversational pace", not "Work on running". Its description says how to do \
it and what done looks like, in one or two sentences.
- Today's tasks move the milestone forward from where the recent days left it: build on what was \
done, and do not repeat it unless repetition is the point (practice, training).
- Missed tasks are not piled up: reschedule at most one of them (the one that matters most) or \
replace it with a smaller step.
- The single task that moves the milestone most has priority high; the others medium or low.
- Respect the day: lighter or restful work where the milestone calls for recovery. The day may already hold other things (routines, the person's own tasks, other quests' tasks): never plan rest where the day already trains, nor training where it already rests, and add a reflection or planning task only if the day has none yet.
- Never plan again a one-off step that was done before in this quest (a placement test, a set-up); practice may repeat, but each repetition progresses a little (longer, harder or more) as the milestone says.

Answer only by calling the tool you are given, once."""


def _or(value: object, fallback: str) -> str:
    return str(value) if value not in (None, "", []) else fallback


def roadmap(req: RoadmapRequest) -> str:
    """The planner's user message."""
    if req.available_days is not None:
        days = (
            f"Target date: {req.target_date}, which leaves {req.available_days} days from today. "
            f"The durations must add up to exactly {req.available_days}."
        )
    else:
        days = "Target date: none given. Choose a realistic total length for this goal."
    lines = [
        f"Today is {req.today} (timezone {req.timezone}).",
        f"Goal: {req.goal_name}",
        f"Description: {_or(req.description, 'none given')}",
        f"Category: {_or(req.category, 'none given')}",
        days,
        f"Time the person has for their quests: about {req.daily_capacity} minutes a day.",
    ]
    if req.keep:
        done = "; ".join(f"{m['title']} ({m['durationInDays']} days)" for m in req.keep)
        lines.append(
            f"Already completed milestones, which stay in the roadmap: {done}. Plan only the "
            f"milestones that follow them ({max(1, 3 - len(req.keep))} to {7 - len(req.keep)})."
        )
    lines.append("Plan the roadmap.")
    return "\n".join(lines)


def day_plan(req: DayRequest) -> str:
    """The coach's user message."""
    length = f" of {req.duration_in_days}" if req.duration_in_days else ""
    lines = [
        f"Today is {req.weekday} {req.date} (timezone {req.timezone}).",
        f"Quest: {req.goal_name}"
        + (f" — {req.quest_description}" if req.quest_description else ""),
        f"Category: {_or(req.category, 'none given')}",
        f"Milestone {req.milestone_sequence} of {req.milestones_total}: {req.milestone_title}",
        f"Milestone description: {_or(req.milestone_description, 'none given')}",
        f"This is day {req.day_number}{length} of the milestone.",
        f"Minutes available today: {req.capacity_minutes}"
        + (
            f" (this quest's share of the person's {req.day_capacity} minutes for the day)."
            if req.day_capacity != req.capacity_minutes
            else "."
        ),
        f"Already on the day: {_or('; '.join(_on_day(t) for t in req.on_day), 'nothing')}",
        f"Done in the last days: {_or('; '.join(req.recent_done), 'nothing yet')}",
        f"Missed in the last days: {_or('; '.join(req.recent_missed), 'nothing')}",
        f"Done earlier in this quest: {_or('; '.join(req.done_before[:DONE_SHOWN]), 'nothing yet')}",
        "Plan today's tasks.",
    ]
    return "\n".join(lines)


DONE_SHOWN = 60  # the newest done names the coach sees; enough to not repeat any one-off step


def _on_day(task: dict) -> str:
    minutes = task.get("estimatedMinutes")
    owner = {"routine": "routine", "own": "the person's own"}.get(task.get("kind"), "quest")
    if task.get("quest"):
        owner += f", {task['quest']}"
    return f"{task['taskName']} ({f'{minutes} min, ' if minutes else ''}{owner})"


def repair(errors: list[str], tool: str) -> str:
    """The one repair round: what was wrong with the last call, and the same tool again."""
    listed = "\n".join(f"- {e}" for e in errors)
    return (
        f"That {tool} call did not pass validation:\n{listed}\n"
        f"Fix these problems and call {tool} again with the complete, corrected input."
    )


CHAT_SYSTEM = """\
You are Zik, a warm, direct coach who helps one person reach their long-term goals ("quests").
Each quest has a roadmap of milestones, and each day brings a few concrete tasks.

How you work:
- You see the person's current quests, today's and overdue tasks (with short ids) below, and the
  conversation so far. Use the tools to read more or to change their plan; never invent data.
- When they ask you to do something (add, move, complete, delete, create a goal), do it with a
  tool right away, then say in one short sentence what you did. Ask a question first only when
  the request is too vague to act on.
- Refer to tasks and quests by name; use the ids only in tool calls.
- A tool may answer with an error (a refusal, an unknown id): explain it plainly, do not retry
  blindly.
- Keep replies short: two or three sentences, a short list when it helps. Plain, friendly
  language; at most one emoji.
"""

SUMMARY_SYSTEM = """\
You keep a short running summary of a coaching conversation, so that the coach remembers what
matters when older messages no longer fit: facts about the person, their goals and constraints,
decisions taken, preferences, and open questions. At most 200 words, plain sentences, no
greetings. Answer with the summary only."""


def summary_update(previous: str | None, transcript: str) -> str:
    """The user message asking for an updated running summary."""
    return (
        f"Summary so far: {previous or 'none yet'}\n\n"
        f"Messages to fold in:\n{transcript}\n\n"
        "Write the updated summary."
    )
