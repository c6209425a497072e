"""`zik chat`: talk with Zik, the coach; it can read and change your plan.

    zik chat "move my run to tomorrow"     one turn (also: echo "…" | zik chat)
    zik chat                               a conversation (a terminal is needed)
    zik chat history|clear|search TEXT     the stored conversation

The words `history`, `clear` and `search` as the first argument name those commands; quote a
message that starts with one (`zik chat "history of my runs?"`).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zik.cli import io as io_module
from zik.cli.io import IO
from zik.core.workspace import db
from zik.errors import UsageError, ZikError
from zik.text import visible

if TYPE_CHECKING:
    from zik.models import ChatMessage

COMMANDS = ("history", "clear", "search")


def chat(
    words: Annotated[
        list[str] | None, typer.Argument(help="Your message (or: history, clear, search TEXT).")
    ] = None,
    new: Annotated[bool, typer.Option("--new", help="Start a new conversation.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Allow deletions and bulk changes without asking.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Messages to show.", min=1)] = 20,
    json_: io_module.JsonOpt = False,
) -> None:
    """Chat with Zik, your coach: ask about your plan, or have it changed.

    Example: zik chat "I'm sick today, move my run to tomorrow"
    """
    io = io_module.current(json_)
    words = list(words or [])
    single = len(words) == 1 or (words and words[0] == "search")
    if words and words[0] in COMMANDS and single:
        _manage(io, words, limit, yes)
        return
    from zik.core.coach import chat as core

    conn = db()
    message = " ".join(words)
    if not message and not io.stdin.isatty():
        message = io.stdin.read()
    if new and not message and not io.can_prompt:
        core.new_conversation(conn)  # `zik chat --new` alone just starts afresh
        io.emit({"newConversation": True}, lambda data, io: io.success("New conversation"))
        return
    planner = core.planner_for_chat(conn)  # fails (exit 5) before anything is stored
    if new:
        core.new_conversation(conn)
    if message:
        _turn(io, conn, planner, message, yes)
        return
    if io.json or not io.can_prompt:
        raise UsageError("give a message", hint='zik chat "your message", or run it in a terminal')
    _repl(io, conn, planner, yes)


def _turn(io: IO, conn: Any, planner: Any, message: str, yes: bool) -> None:
    from zik.core.coach import chat as core

    stream = Stream(io)

    def confirm(question: str) -> bool:
        if yes:
            return True
        if not io.can_prompt:
            return False
        with stream.paused():
            return typer.confirm(visible(question), default=False, err=True)

    with stream:
        turn = core.send(
            conn,
            message,
            planner=planner,
            on_text=None if io.json else stream.write,
            confirm=confirm,
            on_change=stream.note,
            say=stream.note_dim,
        )
    io.emit(turn)
    if turn.cut_off:
        io.status("(the reply was cut off at its length limit: ask the coach to go on)", "yellow")
    if turn.stopped_at_limit:
        io.status(f"(stopped after {core.CHAIN_LIMIT} rounds of tool calls)", "yellow")


def _repl(io: IO, conn: Any, planner: Any, yes: bool) -> None:
    from zik.core import undo
    from zik.core.coach import chat as core

    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (line editing and history for input())
    io.status("Chat with Zik. End a line with \\ to go on; /new /history /undo /quit.", "dim")
    while True:
        try:
            message = _read(io)
        except EOFError:
            io.err.write("\n")
            return
        except KeyboardInterrupt:
            io.err.write("\n")
            continue
        command = message.strip().lower()
        if not command:
            continue
        if command in ("/quit", "/exit", "/q"):
            return
        try:
            if command == "/new":
                core.new_conversation(conn)
                io.status("New conversation.", "dim")
            elif command == "/history":
                _print_messages(core.recent(conn, 10), io)
            elif command == "/undo":
                io.success(f"Undid: {undo.undo(conn).summary}")
            else:
                _turn(io, conn, planner, message, yes)
        except ZikError as e:  # say it and carry on: one failed turn does not end the chat
            io.error(e.code, e.message, e.hint)
        except (KeyboardInterrupt, typer.Abort):
            io.status("(interrupted)", "dim")


def _read(io: IO) -> str:
    lines = []
    prompt = io.paint("you› ", "cyan bold")
    while True:
        line = input(prompt)
        if line.endswith("\\"):
            lines.append(line[:-1])
            prompt = "   … "
            continue
        lines.append(line)
        return "\n".join(lines)


def _manage(io: IO, words: list[str], limit: int, yes: bool) -> None:
    from zik.core.coach import chat as core

    conn = db()
    if words[0] == "history":
        io.emit(core.recent(conn, limit), _print_messages)
    elif words[0] == "search":
        io.emit(core.search(conn, " ".join(words[1:]), limit), _print_messages)
    else:
        if not yes and not (
            io.can_prompt and typer.confirm("Delete the whole chat history?", err=True)
        ):
            raise UsageError("not cleared", hint="zik chat clear --yes deletes it without asking")
        removed = core.clear(conn)
        io.emit({"deleted": removed}, lambda data, io: io.success(f"Deleted {removed} messages"))


def _print_messages(messages: list[ChatMessage], io: IO) -> None:
    if not messages:
        io.status("No messages.", "dim")
        return
    for m in messages:
        who = io.paint("you", "cyan bold") if m.role == "user" else io.paint("zik", "green bold")
        io.print(f"{io.paint(m.timestamp[:16].replace('T', ' '), 'dim')}  {who}  {m.content}")
        for call in m.tool_calls:
            if call.get("summary"):
                io.print(io.paint(f"                    ✓ {call['summary']}", "dim"))


class Stream:
    """The reply as it arrives: Markdown redrawn live on a terminal, raw text when piped."""

    def __init__(self, io: IO):
        self.io, self.text, self.live = io, "", None

    def __enter__(self) -> Stream:
        if self.io.is_tty and not self.io.json:
            from rich.console import Console
            from rich.live import Live

            console = Console(file=self.io.out, no_color=not self.io.color, highlight=False)
            self.live = Live(console=console, refresh_per_second=12, vertical_overflow="ellipsis")
            self.live.start()
        return self

    def write(self, chunk: str) -> None:
        chunk = visible(chunk, block=True)  # the model's words are shown, never obeyed
        self.text += chunk
        if self.live is not None:
            from rich.markdown import Markdown

            self.live.update(
                Markdown(self.text, hyperlinks=False)
            )  # no OSC 8: a link shows its URL
        else:
            self.io.out.write(chunk)
            self.io.out.flush()

    def note(self, line: str) -> None:
        """A change the coach made, as one line above the reply."""
        if self.live is not None:
            self.live.console.print(
                f"✓ {visible(line)}", style="green", highlight=False, markup=False
            )
        else:
            self.io.success(line)

    def note_dim(self, line: str) -> None:
        if self.live is not None:
            self.live.console.print(visible(line), style="dim", highlight=False, markup=False)
        else:
            self.io.status(line, "dim")

    @contextlib.contextmanager
    def paused(self) -> Any:
        """Stop the live view for a question; what was shown stays, and the rest of the reply
        goes on in a new view (restarting the old one would print the text again)."""
        if self.live is None:
            yield
            return
        self.live.stop()
        try:
            yield
        finally:
            self.text = ""
            self.__enter__()

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.stop()
        elif self.text and not self.text.endswith("\n"):
            self.io.out.write("\n")
