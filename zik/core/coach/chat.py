"""A chat turn with the coach: context, memory within a token budget, tools, storage.

Each turn sends the coach's fixed instructions and tool specs (cached by Bedrock), then the
person's current situation (date and time in their timezone, profile, active quests, today's and
overdue tasks), a rolling summary of older conversation, and the newest messages that fit the
budget (`chat.budget_tokens`, with room kept for the summary). When messages fall out of the
window, the model folds the newest of them into the summary first, so a year of history never
makes a turn bigger than the budget.

The reply streams through ConverseStream. Tool calls run through `core/coach/tools.py` and go
back as real tool results, up to CHAIN_LIMIT rounds. The turn's two messages are stored only when
the turn completes: a reply cut off by an error is never kept as if it were whole.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from zik import config
from zik.ai import chat_tools as tool_specs
from zik.ai import prompts
from zik.ai.reply import Usage
from zik.ai.structured import logged
from zik.ai.tokens import estimate as estimate_tokens
from zik.core import changes, clock, profile, quests, routines
from zik.core import today as today_view
from zik.core.coach import situation
from zik.core.coach.tools import Executor, ToolRun
from zik.core.plan.planning import Planner
from zik.errors import UsageError, ZikError
from zik.models import ChatMessage, short_id
from zik.store import chat as chat_store
from zik.store import routines as routine_store

CHAIN_LIMIT = 5
WINDOW_MAX = 200  # messages looked at when filling the window
SUMMARY_BATCH = 200  # messages read when folding into the summary
SUMMARY_INPUT_TOKENS = 3000  # the most of them folded in one refresh (the newest)
SUMMARY_MESSAGE_CHARS = 2000  # of each message, in that input
SUMMARY_RESERVE = 600  # the summary's share of the budget
FOLD_SHARE = 0.4  # a refresh also folds this share of the window, so the next turns need none
REPLY_TOKENS = 1500
CONTEXT_TASKS = 20
TOOL_RESULT_CHARS = 4000
OFFLINE_WINDOW = 4  # messages the offline coach is sent


CUT_OFF_MARK = "[cut off: the reply reached its length limit]"


def tokens(text: str) -> int:
    """A slightly generous estimate (ai/tokens.py, plus a message's overhead)."""
    return estimate_tokens(text) + 4


class Turn:
    def __init__(self) -> None:
        self.text = ""
        self.tool_runs: list[ToolRun] = []
        self.usage = Usage()
        self.call_ids: list[str] = []
        self.stopped_at_limit = False
        self.cut_off = False  # the model stopped at its length limit, mid-answer
        self.used_summary = False
        self.window = 0  # history messages sent

    def add_usage(self, usage: Usage) -> None:
        u = self.usage
        u.input_tokens += usage.input_tokens
        u.output_tokens += usage.output_tokens
        u.cache_read_tokens += usage.cache_read_tokens
        u.cache_write_tokens += usage.cache_write_tokens

    def to_json(self) -> dict[str, Any]:
        return {
            "reply": self.text,
            "toolCalls": [r.to_json() for r in self.tool_runs],
            "usage": self.usage.to_json(),
            "aiCallIds": self.call_ids,
            "stoppedAtToolLimit": self.stopped_at_limit,
            "cutOff": self.cut_off,
            "historyMessages": self.window,
            "usedSummary": self.used_summary,
        }


def planner_for_chat(conn: sqlite3.Connection) -> Planner:
    """The provider the chat uses: Bedrock, or the offline coach (`ai/offline/talk.py`)."""
    return Planner(conn)


def context(conn: sqlite3.Connection) -> str:
    """The person's situation now, in their timezone, with short ids for the tools."""
    me = profile.load(conn)
    now = clock.now().astimezone(clock.zone(me.timezone))
    lines = [
        f"Now: {now:%A %d %B %Y, %H:%M} ({me.timezone}).",
        f"Today: {now:%Y-%m-%d} ({now:%A}); the tools take dates as YYYY-MM-DD.",
        f"Person: {me.name or 'not given'}; {me.daily_capacity} minutes a day for their quests.",
    ]
    summaries = quests.summaries(conn, "active")
    lines.append("Active quests:" if summaries else "Active quests: none yet.")
    for s in summaries:
        milestone = s.active_milestone.title if s.active_milestone else "no roadmap"
        target = f", target {s.quest.target_date}" if s.quest.target_date else ""
        lines.append(
            f"- [{short_id(s.quest.goal_id)}] {s.quest.goal_name}{target}:"
            f" {round(s.progress * 100)}% done; now: {milestone}"
        )
    paused = quests.summaries(conn, "paused")
    if paused:
        lines.append("Paused quests (update_quest with status active resumes one):")
        lines += [f"- [{short_id(s.quest.goal_id)}] {s.quest.goal_name}" for s in paused]
    kept = routine_store.list_where(conn)
    if kept:
        lines.append("Routines:")
        lines += [
            f"- [{short_id(r.recurrence_rule_id)}] {r.title} ({routines.schedule(r)}"
            + (", paused)" if r.status == "paused" else ")")
            for r in kept[:CONTEXT_TASKS]
        ]
    view = today_view.view(conn)
    todays = [t for g in view.groups for t in g.tasks]
    lines.append("Today's tasks:" if todays else "Today's tasks: none.")
    lines += [
        f"- [{short_id(t.task_id)}] {t.task_name} ({t.status}, {t.priority})"
        for t in todays[:CONTEXT_TASKS]
    ]
    if len(todays) > CONTEXT_TASKS:
        lines.append(f"- … and {len(todays) - CONTEXT_TASKS} more (list_tasks shows them)")
    if view.overdue:
        lines.append(f"Overdue ({view.overdue_total}):")
        lines += [
            f"- [{short_id(t.task_id)}] {t.task_name} (due {t.due_date})" for t in view.overdue
        ]
    return "\n".join(lines)


def _as_converse(message: ChatMessage) -> dict[str, Any]:
    text = (message.content or "").strip() or "(no text)"  # Bedrock refuses a blank text block
    if message.tool_calls:
        used = ", ".join(c.get("summary") or c.get("name", "") for c in message.tool_calls)
        text += f"\n[done with tools: {used}]"
    return {"role": message.role, "content": [{"text": text}]}


def _as_turn(message: ChatMessage) -> list[dict[str, Any]]:
    """A stored message as Converse messages. An assistant message whose turn called tools is
    sent as the model made it — its toolUse blocks, their results (what zik kept of each: ok,
    and the line the person saw), then its text — so the model sees tools being called rather
    than a description of calls in the text, which it would imitate instead of calling them."""
    calls = message.tool_calls if message.role == "assistant" else []
    known = set(tool_specs.TOOLS)
    if not calls or any(call.get("name") not in known for call in calls):
        return [_as_converse(message)]
    uses, results = [], []
    for n, call in enumerate(calls):
        ident = f"zik-{message.message_id[:12]}-{n}"
        given = call.get("input")
        uses.append(
            {
                "toolUse": {
                    "toolUseId": ident,
                    "name": call["name"],
                    "input": given if isinstance(given, dict) else {},
                }
            }
        )
        outcome = {"ok": bool(call.get("ok")), "summary": call.get("summary") or ""}
        results.append(
            {
                "toolResult": {
                    "toolUseId": ident,
                    "content": [{"json": outcome}],
                    "status": "success" if call.get("ok") else "error",
                }
            }
        )
    text = (message.content or "").strip() or "(no text)"
    return [
        {"role": "assistant", "content": uses},
        {"role": "user", "content": results},
        {"role": "assistant", "content": [{"text": text}]},
    ]


def history(
    conn: sqlite3.Connection, planner: Planner, budget: int, turn: Turn, say: Callable[[str], None]
) -> tuple[str | None, list[dict[str, Any]]]:
    """The summary and the newest messages that fit `budget` tokens, oldest first.

    Messages that no longer fit but are newer than what the summary covers are folded into it
    first (one model call; the newest SUMMARY_INPUT_TOKENS of them, older ones stay stored and
    searchable), together with the oldest part of the window, so that the next few turns fit
    without another refresh.
    """
    saved = chat_store.summary(conn)
    summary, covered = saved if saved else (None, "")
    room = budget - SUMMARY_RESERVE
    recent = [m for m in chat_store.recent(conn, WINDOW_MAX) if m.timestamp > covered]
    window: list[ChatMessage] = []
    for message in reversed(recent):
        cost = tokens(json.dumps(_as_turn(message), ensure_ascii=False))
        if cost > room:
            break
        window.insert(0, message)
        room -= cost
    oldest_kept = window[0].timestamp if window else clock.timestamp()
    dropped = chat_store.between(conn, covered, oldest_kept, SUMMARY_BATCH)
    if dropped:
        cut = int(len(window) * FOLD_SHARE)
        while cut < len(window) and window[cut].role != "user":
            cut += 1  # the window starts with the person: an assistant reply goes with the fold
        fold, window = window[:cut], window[cut:]
        say("Summarising older messages…")
        summary = _refresh_summary(conn, planner, summary, dropped + fold, turn)
    while window and window[0].role != "user":  # a tool result must follow its call
        window = window[1:]
    turn.used_summary = bool(summary)
    turn.window = len(window)
    return summary, [sent for m in window for sent in _as_turn(m)]


def alternate(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages as Converse wants them: starting with the person, roles alternating (two turns
    stored out of order, or a window cut mid-turn, are merged rather than sent as they are)."""
    out: list[dict[str, Any]] = []
    for message in messages:
        if not out and message["role"] != "user":
            continue
        if out and out[-1]["role"] == message["role"]:
            out[-1] = {"role": message["role"], "content": out[-1]["content"] + message["content"]}
        else:
            out.append(message)
    return out


def _refresh_summary(
    conn: sqlite3.Connection,
    planner: Planner,
    previous: str | None,
    dropped: list[ChatMessage],
    turn: Turn,
) -> str:
    picked: list[str] = []  # the newest that fit the summary call's input, each cut short
    room = SUMMARY_INPUT_TOKENS
    for message in reversed(dropped):
        content = message.content
        if len(content) > SUMMARY_MESSAGE_CHARS:  # one pasted essay must not fill the call
            content = content[:SUMMARY_MESSAGE_CHARS] + " …(cut)"
        room -= tokens(content)
        if room < 0 and picked:
            break
        picked.insert(0, f"[{message.role}] {content}")
    transcript = "\n".join(picked)
    body = planner.provider.request(
        system=prompts.SUMMARY_SYSTEM,
        messages=[
            {"role": "user", "content": [{"text": prompts.summary_update(previous, transcript)}]}
        ],
        max_tokens=600,
        temperature=0.2,
    )
    reply, call = logged(planner.provider, body, planner.log, purpose="chat_summary")
    turn.add_usage(reply.usage)
    text = reply.text.strip() or (previous or "")
    chat_store.set_summary(conn, text, dropped[-1].timestamp, call.id, clock.timestamp())
    return text


def send(
    conn: sqlite3.Connection,
    text: str,
    *,
    planner: Planner | None = None,
    on_text: Callable[[str], None] | None = None,
    confirm: Callable[[str], bool] = lambda question: False,
    on_change: Callable[[str], None] = lambda summary: None,
    say: Callable[[str], None] = lambda status: None,
) -> Turn:
    """One turn: the person's message in, the coach's reply (and any changes) out."""
    text = text.strip()
    if not text:
        raise UsageError("the message is empty")
    if len(text) > 5000:
        raise UsageError(f"the message is {len(text):,} characters; the limit is 5,000")
    planner = planner or planner_for_chat(conn)
    turn, executor = Turn(), Executor(conn, confirm)
    asked_at = clock.timestamp()
    newest = chat_store.recent(conn, 1)
    if newest and newest[0].timestamp >= asked_at:  # the chat table is keyed by the time
        asked_at = clock.just_after(newest[0].timestamp)
    if planner.provider.name == "offline":
        brief, facts = "", situation.facts(conn)
        messages = recent_window(conn, turn)
    else:
        budget = config.get_int("chat.budget_tokens")
        brief, facts = context(conn), None
        fixed = tokens(prompts.CHAT_SYSTEM) + tokens(brief) + tokens(json.dumps(tool_specs.specs()))
        summary, messages = history(conn, planner, budget - fixed - tokens(text), turn, say)
        if summary:
            brief += f"\n\nEarlier in your conversation (summary): {summary}"
    messages = alternate([*messages, {"role": "user", "content": [{"text": text}]}])
    parts: list[str] = []
    try:
        with changes.via(f"chat: {_who(planner)}"):  # the turn's changes: one undo step
            _rounds(planner, executor, brief, facts, messages, parts, turn, on_text, on_change)
    except (ZikError, KeyboardInterrupt) as e:
        made = [r.summary for r in turn.tool_runs if r.ok and r.summary]
        if not made:
            raise  # nothing happened: nothing to keep
        said = "\n\n".join(p.strip() for p in parts if p.strip())
        turn.text = f"{said}\n\n(interrupted)" if said else "(interrupted)"
        _store(conn, text, asked_at, turn)  # what was done must stay on record
        if isinstance(e, ZikError):
            done = "; ".join(made)
            note = f"already done: {done} (zik undo reverts the last)"
            e.hint = f"{e.hint}; {note}" if e.hint else note
        raise
    turn.text = "\n\n".join(p.strip() for p in parts if p.strip())
    if turn.cut_off:  # stored so: history, search and the app show it was cut short
        turn.text = f"{turn.text} {CUT_OFF_MARK}" if turn.text else CUT_OFF_MARK
    _store(conn, text, asked_at, turn)
    return turn


def _rounds(
    planner: Planner,
    executor: Executor,
    situation: str,
    facts: dict[str, Any] | None,
    messages: list[dict[str, Any]],
    parts: list[str],
    turn: Turn,
    on_text: Callable[[str], None] | None,
    on_change: Callable[[str], None],
) -> None:
    """Call the model, run the tools it asks for, and call it again with their results."""
    for round_number in range(CHAIN_LIMIT + 1):
        if on_text is not None and parts:
            on_text("\n\n")  # a new round's text starts a new paragraph
        body = planner.provider.request(
            system=prompts.CHAT_SYSTEM,
            context=situation,
            messages=messages,
            tools=tool_specs.specs(),
            max_tokens=REPLY_TOKENS,
            temperature=0.5,
            **({"facts": facts} if facts is not None else {}),
        )
        reply, call = logged(planner.provider, body, planner.log, purpose="chat", on_text=on_text)
        turn.add_usage(reply.usage)
        turn.call_ids.append(call.id)
        if reply.text:
            parts.append(reply.text)
        # Every complete tool call runs, whatever the stop reason (some models say end_turn);
        # one the reply stopped inside never runs, not even in part.
        reply.tool_uses = [use for use in reply.tool_uses if use.complete]
        if reply.cut_off:
            turn.cut_off = True
        if not reply.tool_uses:
            break
        if round_number == CHAIN_LIMIT:
            turn.stopped_at_limit = True
            break
        results = []
        for use in reply.tool_uses:
            run = executor.run(use.name, use.input)
            turn.tool_runs.append(run)
            if run.ok and run.summary:
                on_change(run.summary)
            payload = run.result if isinstance(run.result, dict) else {"message": run.result}
            if len(json.dumps(payload, ensure_ascii=False)) > TOOL_RESULT_CHARS:
                shown = json.dumps(payload, ensure_ascii=False)[:TOOL_RESULT_CHARS]
                payload = {"truncated": True, "partialJson": shown}
            results.append(
                {
                    "toolResult": {
                        "toolUseId": use.tool_use_id,
                        "content": [{"json": payload}],
                        "status": "success" if run.ok else "error",
                    }
                }
            )
        messages += [reply.message(), {"role": "user", "content": results}]


def _who(planner: Planner) -> str:
    provider = planner.provider
    return "offline coach" if provider.name == "offline" else f"{provider.name} {provider.model}"


def recent_window(conn: sqlite3.Connection, turn: Turn) -> list[dict[str, Any]]:
    """The last exchange of the current conversation: all the offline coach reads (an answer to
    its question needs the question and the request before it)."""
    saved = chat_store.summary(conn)
    covered = saved[1] if saved else ""
    window = [m for m in chat_store.recent(conn, OFFLINE_WINDOW) if m.timestamp > covered]
    turn.window = len(window)
    return [_as_converse(m) for m in window]


def _store(conn: sqlite3.Connection, text: str, asked_at: str, turn: Turn) -> None:
    now = clock.timestamp()
    chat_store.add(
        conn,
        [
            ChatMessage(
                message_id=str(uuid.uuid4()),
                timestamp=asked_at,
                role="user",
                content=text,
                created_at=now,
                updated_at=now,
            ),
            ChatMessage(
                message_id=str(uuid.uuid4()),
                timestamp=now if now > asked_at else clock.just_after(asked_at),  # own key
                role="assistant",
                content=turn.text,
                tool_calls=[r.to_json() for r in turn.tool_runs],
                usage=turn.usage.to_json(),
                ai_call_id=turn.call_ids[-1] if turn.call_ids else None,
                created_at=now,
                updated_at=now,
                source="ai",
            ),
        ],
    )
    apply_retention(conn)


def apply_retention(conn: sqlite3.Connection) -> int:
    """Delete messages older than `chat.retention_days` (0 keeps them all); returns how many."""
    days = config.get_int("chat.retention_days")
    if days <= 0:
        return 0
    return chat_store.clear(conn, before=clock.iso(clock.now() - timedelta(days=days)))


def new_conversation(conn: sqlite3.Connection) -> None:
    """Start afresh: earlier messages stay stored and searchable but leave the context.

    The cut is the newest stored message, not the clock: a message stamped in the same
    millisecond as the cut must still belong to the new conversation.
    """
    last = chat_store.recent(conn, 1)
    cut = last[0].timestamp if last else ""
    chat_store.set_summary(conn, "", cut, None, clock.timestamp())


def recent(conn: sqlite3.Connection, limit: int) -> list[ChatMessage]:
    return chat_store.recent(conn, limit)


def clear(conn: sqlite3.Connection) -> int:
    return chat_store.clear(conn)


def search(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[ChatMessage]:
    if not text.strip():
        raise UsageError("give words to search for")
    return chat_store.search(conn, text, limit)
