"""The offline coach in conversation: short requests about the plan, understood by their words.

It answers a chat request the way the Bedrock coach does, so `core/coach/chat.py` runs both the
same way: given the messages and the person's situation as data (`facts`), a reply either asks
for tools (`stop_reason` "tool_use": the same tools, confirmations and undo as Bedrock) or is
text. When the tool results come back, it writes the reply from them.

What it understands: done ("I did my run"), move ("push Spanish to friday"), add ("add a task to
buy shoes on friday for the marathon"), a day off ("I'm sick today": today's tasks move to
tomorrow), status ("how am I doing?", "what's next?", "what's on tomorrow?"), pause and resume a
quest, a new quest ("I want to learn guitar by June"), and undo. Names are matched by words
(`words.py`); when several things match equally it asks which one, numbered, and reads the
answer ("2", "the long run") against the request before it. Anything else gets an honest
answer: what it can do offline, and how to turn on Bedrock for open conversation.

Stateless like a model: everything it knows is in the request.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from zik.ai.offline import words as w
from zik.ai.reply import Reply, ToolUse

ASK = "Which one do you mean?"
_CHOICE = re.compile(r"^\s*(\d+)\. (.+?)(?: \((?:[^()]*)\))?$", re.MULTILINE)

HELP = (
    "I'm the offline coach, so I understand short requests about your plan:\n"
    "- “I did my run”, “done with the flashcards”\n"
    "- “move my run to tomorrow”, “push Spanish to friday”\n"
    "- “add a task to buy shoes on friday for the marathon”\n"
    "- “I'm sick today” (today's tasks move to tomorrow)\n"
    "- “how am I doing?”, “what's next?”, “what's on tomorrow?”\n"
    "- “pause my guitar quest”, “resume guitar”\n"
    "- “I want to learn guitar by June” (a new quest, planned)\n"
    "- “undo that”\n\n"
    "For open conversation, turn on Amazon Bedrock: set AWS credentials (AWS_PROFILE after "
    "`aws sso login`, or access keys) and AWS_REGION, then `zik config set ai.provider auto`; "
    "`zik doctor` checks the setup."
)


def respond(messages: list[dict[str, Any]], facts: dict[str, Any]) -> Reply:
    """The next reply: tool calls for a request, or text (an answer, a question, the results)."""
    last = messages[-1] if messages else {"content": []}
    results = [b["toolResult"] for b in last.get("content", []) if "toolResult" in b]
    if results:
        asked = messages[-2]["content"] if len(messages) > 1 else []
        uses = [b["toolUse"] for b in asked if "toolUse" in b]
        return _text(_after_tools(uses, results, facts))
    said = [b["text"] for b in last.get("content", []) if "text" in b]
    text = said[-1] if said else ""
    return _understand(text, facts, _earlier(messages))


def _earlier(messages: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The request and the question before the answer just given, when the coach asked one."""
    texts = []
    for message in messages[:-1]:
        blocks = [b["text"] for b in message.get("content", []) if "text" in b]
        texts.append((message["role"], blocks[-1] if blocks else ""))
    asked = len(texts) >= 2 and texts[-1][0] == "assistant" and texts[-1][1].startswith(ASK)
    if asked and texts[-2][0] == "user":
        return texts[-2][1], texts[-1][1]
    return None


def _text(text: str) -> Reply:
    return Reply(text=text, stop_reason="end_turn")


def _tools(*calls: tuple[str, dict[str, Any]]) -> Reply:
    uses = [ToolUse(f"offline-{n}", name, body, "") for n, (name, body) in enumerate(calls, 1)]
    return Reply(tool_uses=uses, stop_reason="tool_use")


# ---- Understanding a request ------------------------------------------------------------------

_UNDO = re.compile(r"\b(undo|revert|take (that|it) back|put it back|changed my mind)\b")
_NEW_QUEST = re.compile(
    r"^(?:(?:so|ok|okay|well|hey),? )?(?:i (?:really )?(?:want|would like|wanna|plan|am going)"
    r" to|my (?:new )?goal is to|new (?:quest|goal):?|start a (?:new )?(?:quest|goal)"
    r"(?: to| for)?:?|help me to|i have a new goal:?) (?P<what>.{3,})$"
)
_ADD = re.compile(
    r"^(?:please |can you |could you )?(?:add|create|put|schedule|remind me to|new task:?)"
    r"(?: (?:a |an |one more )?(?:task|todo|reminder|item))?(?: to| for| that)?:? (?P<what>.+)$"
)
_MOVE = re.compile(
    r"\b(move|push|postpone|reschedule|shift|delay|put off|bump|defer)\b|\binstead\b"
    r"|\bcannot (do|make)\b|\bdo (it|that|this|them) (on|next|tomorrow|in|later)\b"
)
_DONE = re.compile(
    r"^(?:yes,? )?(?:i )?(?:have |just |already |finally )*(?:did|done|finished|completed|"
    r"complete|ticked off|nailed)\b|\b(?:is|are|was|were) (?:done|finished|complete|completed)\b"
    r"|\bmark .+ (?:as )?(?:done|complete|completed)\b|^(?:i )?(?:went for|went to|ran)\b"
    r"|\b(?:i|just) (?:did|finished|completed)\b"
)
_UNWELL = re.compile(
    r"\b(sick|ill|unwell|not (?:feeling )?(?:well|great|good)|flu|a cold|fever|migraine|"
    r"covid|injured|exhausted|burn(?:ed|t)? out|no energy|day off|rest day|skip (?:today|the day)"
    r"|(?:cannot|too tired to) do (?:anything|it all|everything) today|feel(?:ing)? (?:awful|"
    r"terrible|rough|bad))\b"
)
_PAUSE = re.compile(r"\b(pause|on hold|hold off|freeze|stop working on|take a break from)\b")
_RESUME = re.compile(r"\b(resume|unpause|un-pause|restart|reactivate|pick up|get back to|back on)")
_NEXT = re.compile(
    r"\b(what is next|what next|whats next|what should i do|what now|what do i do|next task|"
    r"where do i start|what first)\b"
)
_STATUS = re.compile(
    r"\b(how am i doing|how is it going|how are things|how did i do|progress|status|on track|"
    r"am i behind|how far|overview|summary)\b"
)
_DAY_LIST = re.compile(
    r"\b(what is|what do i have|have i got|what have i got|anything|show|list|what are)\b.*"
    r"\b(today|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"weekend|next week|\d{4}-\d{2}-\d{2})\b|\b(my )?(plan|tasks|agenda|schedule)( for)? "
    r"(today|tomorrow)\b|^(today|tomorrow)\??$"
)
_HELLO = re.compile(r"^(hi|hello|hey|good (morning|afternoon|evening)|yo)\b")
_THANKS = re.compile(r"^(thanks|thank you|cheers|great|perfect|nice|awesome|ok|okay)\b")
_HELP = re.compile(r"^(help|\?|what can you do|commands)\b")


def _understand(text: str, facts: dict[str, Any], earlier: tuple[str, str] | None) -> Reply:
    said = w.normalise(text).strip(" .!?")
    today = date.fromisoformat(facts["today"])
    if earlier is not None:  # an answer to "which one?": the request again, with its choice
        request, question = earlier
        chosen = _chosen(said, question)
        if chosen:
            return _request(request, facts, today, chosen)
    return _request(text, facts, today, None)


def _as_typed(part: str, text: str) -> str:
    """`part` of the normalised message as the person typed it ("June", not "june")."""
    typed = " ".join(text.replace("’", "'").split())
    at = typed.lower().find(part)
    return typed[at : at + len(part)] if at >= 0 else part


def _request(text: str, facts: dict[str, Any], today: date, chosen: list[str] | None) -> Reply:
    said = w.normalise(text).strip(" .!?")
    if _UNDO.search(said):
        return _tools(("undo_last_change", {}))
    if _HELP.search(said):
        return _text(HELP)
    found = _NEW_QUEST.match(said)
    if found and not _MOVE.search(said) and not _DONE.search(said):
        return _new_quest(_as_typed(found.group("what"), text))
    found = _ADD.match(said)
    if found:
        return _add(_as_typed(found.group("what"), text), facts, today)
    if _PAUSE.search(said):
        return _quest_status(said, facts, "paused", chosen)
    if _RESUME.search(said):
        return _quest_status(said, facts, "active", chosen)
    if _MOVE.search(said) and not _UNWELL.search(said.split(",")[0]):
        return _move(said, facts, today, chosen)
    if _DONE.search(said):
        return _done(said, facts, chosen)
    if _UNWELL.search(said):
        return _unwell(facts, today)
    if _NEXT.search(said):
        return _text(_next(facts))
    if _DAY_LIST.search(said):
        day = w.day_named(said, today)
        return _tools(("list_tasks", {"due": (day[0] if day else today).isoformat()}))
    if _STATUS.search(said):
        return _text(_status(facts))
    if _HELLO.match(said):
        return _text(f"Hello{_name(facts)}! {_next(facts)}")
    if _THANKS.match(said):
        return _text("Glad to help. Say “what's next?” when you're ready for the next task.")
    return _text(HELP)


def _name(facts: dict[str, Any]) -> str:
    return f", {facts['name']}" if facts.get("name") else ""


def _chosen(answer: str, question: str) -> list[str]:
    """The names an answer picks from a numbered question: by number, "both"/"all", or words."""
    options = [(int(n), name) for n, name in _CHOICE.findall(question)]
    if not options:
        return []
    if re.search(r"\b(both|all|each|every one|all of them)\b", answer):
        return [name for _, name in options]
    ordinals = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": len(options)}
    picked = {int(n) for n in re.findall(r"\b(\d+)\b", answer)}
    picked |= {n for word, n in ordinals.items() if re.search(rf"\b{word}\b", answer)}
    if picked:
        return [name for n, name in options if n in picked]
    said = w.content(answer)
    scored = [(len(said & w.name_stems(name)), name) for _, name in options]
    best = max((score for score, _ in scored), default=0)
    top = [name for score, name in scored if score == best and score]
    return top if len(top) == 1 else []


def _ask(things: list[dict[str, Any]], today: date, what: str = "name") -> Reply:
    lines = [ASK, ""]
    for n, thing in enumerate(things[:6], 1):
        due = thing.get("due")
        where = f" ({w.spoken_day(date.fromisoformat(due), today)})" if due else ""
        lines.append(f"{n}. {thing[what]}{where}")
    lines.append("\nAnswer with its number or a word from its name.")
    return _text("\n".join(lines))


def _scope(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Today's and overdue open tasks: what a person most likely means by "my run"."""
    return [
        t
        for t in facts.get("tasks", [])
        if t["status"] != "completed" and t["when"] in ("today", "overdue")
    ]


def _find(
    said: str, facts: dict[str, Any], chosen: list[str] | None
) -> tuple[list[dict[str, Any]], bool]:
    """The open tasks a request names (today's first, then the coming week), and whether the
    words left a choice. A request with no naming words means the only open task of today."""
    words = w.content(said)
    near = _scope(facts)
    upcoming = [t for t in facts.get("tasks", []) if t["when"] == "upcoming"]
    if chosen:
        picked = [t for t in near + upcoming if t["name"] in chosen]
        if picked:
            return _unique_names(picked), False
    if not words or re.search(r"\b(everything|all of them|all my tasks|all today)\b", said):
        if re.search(r"\b(everything|all)\b", said):
            return near, False
        return near, len(near) > 1
    match = w.match_tasks(words, near)
    later = w.match_tasks(words, near + upcoming)
    if later.score > match.score:  # "my long run" is Saturday's, not today's easy run
        match = w.match_tasks(words, upcoming)
    return match.found, match.ambiguous


def _unique_names(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, kept = set(), []
    for task in tasks:
        if task["name"] not in seen:
            seen.add(task["name"])
            kept.append(task)
    return kept


def _done(said: str, facts: dict[str, Any], chosen: list[str] | None) -> Reply:
    found, ambiguous = _find(said, facts, chosen)
    today = date.fromisoformat(facts["today"])
    if ambiguous:
        return _ask(found, today)
    if not found:
        done_today = [t for t in facts.get("tasks", []) if t["status"] == "completed"]
        if done_today and w.match_tasks(w.content(said), done_today).found:
            return _text("That one is already ticked off. Nice work!")
        return _text(_not_found(said, facts, "done"))
    return _tools(("complete_tasks", {"task_ids": [t["id"] for t in found]}))


def _move(said: str, facts: dict[str, Any], today: date, chosen: list[str] | None) -> Reply:
    named = w.day_named(said, today)
    day = named[0] if named else today + timedelta(days=1)
    if day < today:
        return _text("I can only move tasks to today or a later day.")
    rest = said.replace(named[1], " ") if named else said
    found, ambiguous = _find(rest, facts, chosen)
    if ambiguous:
        return _ask(found, today)
    if not found:
        return _text(_not_found(rest, facts, "move"))
    calls = [("update_task", {"task_id": t["id"], "due": day.isoformat()}) for t in found]
    return _tools(*calls)


def _add(what: str, facts: dict[str, Any], today: date) -> Reply:
    named = w.day_named(what, today)
    if named:
        what = re.sub(rf"\s*\b(?:on |for |by |due )?{re.escape(named[1])}\b", " ", what, flags=re.I)
    quest_id = None
    tail = re.search(
        r"\s+(?:for|on|to|in) (?:the |my |our )?(?P<q>[\w' -]+?)(?: quest)?$", what, re.I
    )
    if tail:
        match = w.match_quests(w.content(tail.group("q")), _quests(facts, "active"))
        if match.one:
            quest_id = match.one["id"]
            what = what[: tail.start()]
    title = " ".join(what.split()).strip(" .,!?:")
    title = re.sub(r"^(?:to|that i|i need to|i have to|i should) ", "", title)
    if not title:
        return _text("What should the task say? For example: “add a task to call the dentist”.")
    body: dict[str, Any] = {"title": title[:1].upper() + title[1:]}
    body["due"] = (named[0] if named else today).isoformat()
    if quest_id:
        body["quest_id"] = quest_id
    return _tools(("add_task", body))


def _unwell(facts: dict[str, Any], today: date) -> Reply:
    """A day off: today's open tasks move to tomorrow (routine ones are let go, as a missed
    routine day is), so rest costs nothing and tomorrow's plan makes room for them."""
    moving = [t for t in _scope(facts) if t["when"] == "today" and not t.get("routine")]
    if not moving:
        return _text(
            "Rest and get well: there is nothing left on today's plan, so nothing needs to move."
        )
    tomorrow = (today + timedelta(days=1)).isoformat()
    reply = _tools(*(("update_task", {"task_id": t["id"], "due": tomorrow}) for t in moving))
    reply.text = "Rest and get well: today's tasks can wait a day."
    return reply


def _quests(facts: dict[str, Any], status: str | None = None) -> list[dict[str, Any]]:
    return [q for q in facts.get("quests", []) if status is None or q["status"] == status]


def _quest_status(said: str, facts: dict[str, Any], status: str, chosen: list[str] | None) -> Reply:
    pool = _quests(facts, "active" if status == "paused" else "paused")
    if chosen:
        pool = [q for q in pool if q["name"] in chosen] or pool
    match = w.match_quests(w.content(said), pool)
    if chosen and len(pool) == 1:
        match = w.Match(pool)
    if not match.found and len(pool) == 1 and not w.content(said) - {"quest"}:
        match = w.Match(pool)
    if match.ambiguous:
        return _ask(match.found, date.fromisoformat(facts["today"]))
    if not match.one:
        verb = "pause" if status == "paused" else "resume"
        names = ", ".join(q["name"] for q in pool) or "none"
        state = "active" if status == "paused" else "paused"
        return _text(f"I couldn't tell which quest to {verb}. Your {state} quests: {names}.")
    return _tools(("update_quest", {"quest_id": match.one["id"], "status": status}))


def _new_quest(what: str) -> Reply:
    title = " ".join(what.split()).strip(" .!?")
    if len(title) < 3:
        return _text("What is the goal? For example: “I want to learn guitar by June”.")
    return _tools(("create_quest", {"title": title[:1].upper() + title[1:]}))


def _not_found(said: str, facts: dict[str, Any], verb: str) -> str:
    today = [t for t in _scope(facts) if t["when"] == "today"]
    if not today:
        return (
            f"I couldn't find a task to {'mark done' if verb == 'done' else verb} in that:"
            " nothing is open today. “what's on tomorrow?” shows what comes next."
        )
    names = "; ".join(t["name"] for t in today[:5])
    action = "mark done" if verb == "done" else verb
    return f"I couldn't tell which task to {action}. Open today: {names}. Name one of them."


# ---- Answers from the situation ----------------------------------------------------------------


def _status(facts: dict[str, Any]) -> str:
    active = _quests(facts, "active")
    if not active:
        return (
            "You have no active quest yet. Tell me a goal (“I want to run a 10k by May”), or"
            " run `zik quest new`."
        )
    lines = []
    for quest in active:
        line = f"- {quest['name']}: {quest['progress']}% done"
        if quest.get("health") and quest["health"] not in ("not started", "done"):
            line += f", {quest['health']}"
        if quest.get("milestone"):
            line += f"; now: {quest['milestone']}"
        lines.append(line)
    today = [t for t in facts.get("tasks", []) if t["when"] == "today"]
    done = sum(t["status"] == "completed" for t in today)
    if today:
        left = len(today) - done
        lines.append(
            f"\nToday: {done} of {len(today)} done"
            + (f", {left} to go." if left else ". The day is done, well done!")
        )
    tips = [q["suggestion"] for q in active if q.get("suggestion")]
    if tips:
        lines.append(f"\nTip: {tips[0]}")
    return "\n".join(lines)


def _next(facts: dict[str, Any]) -> str:
    near = _scope(facts)
    if not near:
        return "Nothing is left for today. Rest, or say “what's on tomorrow?”."
    order = {"high": 0, "medium": 1, "low": 2}
    first = min(near, key=lambda t: (t["when"] != "overdue", order.get(t["priority"], 1)))
    minutes = f" (about {first['minutes']} min)" if first.get("minutes") else ""
    quest = f", for {first['questName']}" if first.get("questName") else ""
    more = len(near) - 1
    after = f" Then {more} more." if more else " It's the last one today."
    return f"Next: {first['name']}{minutes}{quest}.{after}"


# ---- Saying what the tools did ----------------------------------------------------------------


def _after_tools(
    uses: list[dict[str, Any]], results: list[dict[str, Any]], facts: dict[str, Any]
) -> str:
    today = date.fromisoformat(facts["today"])
    by_id = {r.get("toolUseId"): r for r in results}
    lines, failed, changed = [], [], False
    moved: dict[str, list[str]] = {}
    for use in uses:
        result = by_id.get(use.get("toolUseId"), {})
        payload = _payload(result)
        if result.get("status") == "error":
            failed.append(str(payload.get("message") or payload))
            continue
        name = use.get("name")
        if name == "update_task":
            moved.setdefault(str(payload.get("due")), []).append(str(payload.get("name")))
        elif name == "list_tasks":
            lines.append(_day_list(payload, use.get("input", {}), today))
        else:
            lines.append(_said(name, payload, today, facts.get("quests", [])))
        changed = changed or name not in ("list_tasks", "get_overview", "undo_last_change")
    for due, names in moved.items():
        day = w.spoken_day(date.fromisoformat(due), today) if _is_date(due) else due
        lines.append(f"Moved {_listed(names)} to {day}.")
        changed = True
    if failed:
        lines.append("I couldn't do " + ("that" if not lines else "all of it") + ": " + failed[0])
    text = "\n\n".join(line for line in lines if line)
    if changed and not failed:
        text += " (`zik undo` reverts it.)"
    return text


def _payload(result: dict[str, Any]) -> dict[str, Any]:
    for block in result.get("content", []):
        if "json" in block and isinstance(block["json"], dict):
            return block["json"]
        if "text" in block:
            return {"message": block["text"]}
    return {}


def _is_date(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))


def _listed(names: list[str]) -> str:
    quoted = [f"“{n}”" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _said(
    name: str | None, payload: dict[str, Any], today: date, facts_quests: list[dict[str, Any]]
) -> str:
    if name == "complete_tasks":
        names = [t["name"] for t in payload.get("completed", [])]
        follow = payload.get("alsoHappened") or []
        line = f"Well done: {_listed(names)} {'is' if len(names) == 1 else 'are'} done."
        if "milestone.completed" in follow:
            line += " That finished a milestone: the next one starts now."
        if "quest.completed" in follow:
            line += " And the quest is complete. Congratulations!"
        return line
    if name == "add_task":
        due = str(payload.get("due") or "")
        when = f" for {w.spoken_day(date.fromisoformat(due), today)}" if _is_date(due) else ""
        names = {q["id"]: q["name"] for q in facts_quests}
        quest = f", on {names[payload['quest']]}" if payload.get("quest") in names else ""
        return f"Added “{payload.get('name')}”{when}{quest}."
    if name == "update_quest":
        status = payload.get("status")
        if status == "paused":
            return (
                f"Paused “{payload.get('name')}”: it gets no new tasks until you resume it"
                " (say “resume” and its name)."
            )
        return f"Resumed “{payload.get('name')}”: zik daily plans it again from the next run."
    if name == "create_quest":
        roadmap = payload.get("roadmap") or []
        first = f" First: {roadmap[0]}." if roadmap else ""
        tasks = [t["name"] for t in payload.get("todaysTasks") or []]
        todays = f" Today: {'; '.join(tasks)}." if tasks else ""
        return (
            f"Started the quest “{payload.get('name')}” with {len(roadmap)} milestones.{first}"
            f"{todays}"
        )
    if name == "undo_last_change":
        return f"Undone: {payload.get('undone')}."
    return str(payload.get("message") or "Done.")


def _day_list(payload: dict[str, Any], asked: dict[str, Any], today: date) -> str:
    due = str(asked.get("due") or today.isoformat())
    day = w.spoken_day(date.fromisoformat(due), today) if _is_date(due) else due
    tasks = payload.get("tasks") or []
    if not tasks:
        later = " zik daily plans each day's quest tasks on the morning itself." if due else ""
        return f"Nothing is planned for {day} yet.{later}"
    lines = [f"For {day}:"]
    for task in tasks[:10]:
        mark = "✓ " if task.get("status") == "completed" else ""
        lines.append(f"- {mark}{task['name']}")
    if len(tasks) > 10:
        lines.append(f"- … and {len(tasks) - 10} more")
    return "\n".join(lines)
