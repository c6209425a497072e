"""The one object that prints (STYLE.md §3): data to stdout, status and errors to stderr.

With `--json` (or ZIK_JSON=1) stdout carries exactly one `{"schema_version": 1, "data": …}`
document and stderr stays empty unless something fails, when it carries
`{"schema_version": 1, "error": {"code", "message", "hint"}}` (DESIGN.md §9).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable
from typing import Annotated, Any, TextIO

import typer

from zik.cli import term
from zik.text import dumps, scrub

SCHEMA_VERSION = 1

JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print one JSON document: {schema_version, data}.")
]


def _color_setting() -> str:
    """The `color` setting: ZIK_COLOR, else the config file, else auto.

    The file is parsed only when it mentions colour, so that the hot commands do not pay for
    importing tomllib just because some other setting is stored there.
    """
    choice = os.environ.get("ZIK_COLOR")
    if choice:
        return choice
    from zik import config
    from zik.errors import ZikError

    try:
        if "color" not in config.config_path().read_text(encoding="utf-8"):
            return "auto"
        return str(config.get("color"))
    except (OSError, UnicodeDecodeError, ZikError):
        return "auto"


def _color_wanted(stream: TextIO, no_color: bool, choice: str) -> bool:
    if no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if choice in ("always", "never"):
        return choice == "always"
    return stream.isatty()


class IO:
    def __init__(
        self,
        *,
        json_mode: bool = False,
        no_color: bool = False,
        out: TextIO | None = None,
        err: TextIO | None = None,
        stdin: TextIO | None = None,
    ):
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.stdin = stdin or sys.stdin
        self.json = json_mode
        self.is_tty = self.out.isatty()
        choice = _color_setting()
        self.color = _color_wanted(self.out, no_color, choice)
        self.err_color = _color_wanted(self.err, no_color, choice)
        self.can_prompt = self.stdin.isatty() and self.err.isatty() and not json_mode

    @property
    def width(self) -> int:
        return shutil.get_terminal_size((100, 24)).columns if self.is_tty else 100

    def paint(self, text: str, style: str) -> str:
        return term.paint(text, style, self.color)

    def emit(self, data: Any, render: Callable[[Any, IO], None] | None = None) -> None:
        """Print a command's result: the JSON envelope, or the human rendering."""
        if self.json:
            document = {"schema_version": SCHEMA_VERSION, "data": jsonable(data)}
            self.out.write(dumps(document) + "\n")
        elif render is not None:
            render(scrub(data, isinstance(data, str)), self)  # shown, never obeyed

    def print(self, line: str = "") -> None:
        self.out.write(term.guard(line) + "\n")

    def stream(self, chunks: Iterable[str]) -> None:
        """Raw output (an export) to stdout as it is made, never held whole in memory."""
        for chunk in chunks:
            self.out.write(chunk)

    def status(self, line: str, style: str = "") -> None:
        """A human status line on stderr (silent in JSON mode)."""
        if not self.json:
            self.err.write(term.paint(term.guard(line), style, self.err_color) + "\n")

    def success(self, line: str) -> None:
        self.status(f"✓ {line}", "green")

    def created(self, key: str, line: str) -> None:
        """Report a new record: a status line, plus its id on stdout when piped, so that
        `Q=$(zik quest new "Learn Spanish")` works (the GitHub CLI prints a new issue's URL so)."""
        self.success(line)
        if not self.is_tty:
            self.print(key)

    def progress(self) -> Progress:
        """Step-by-step progress of a slow command (model calls) on stderr."""
        return Progress(self)

    def error(self, code: str, message: str, hint: str | None = None) -> None:
        if self.json:
            body = {"code": code, "message": message, "hint": hint}
            self.err.write(dumps({"schema_version": SCHEMA_VERSION, "error": body}) + "\n")
            return
        line = f"zik: {message}" + (f" ({hint})" if hint else "")
        self.err.write(term.paint(term.guard(line), "red", self.err_color) + "\n")


class _NoLock:
    """Stands in for a lock when no spinner thread runs (threading is then never imported)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class Progress:
    """A spinner with the current step on a terminal; one status line per step otherwise.

    Use as a context manager and pass `step` as the callback that announces each step; the
    spinner line is erased when the block ends, so only the results remain on screen.
    """

    FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

    def __init__(self, io: IO):
        self.io = io
        self.live = io.err.isatty() and not io.json
        self.text = ""
        self._stop: Any = None
        self._lock = _NoLock()

    def __enter__(self) -> Progress:
        if self.live:
            import threading

            self._stop = threading.Event()
            self._lock = threading.Lock()
            self._thread = threading.Thread(target=self._spin, daemon=True)
            self._thread.start()
        return self

    def step(self, text: str) -> None:
        self.text = term.guard(text).replace("\n", "␤")  # one line: it may name a quest
        if not self.live:
            self.io.status(self.text)

    def status(self, line: str, style: str = "") -> None:
        """A lasting status line, printed above the spinner."""
        with self._lock:
            if self.live:
                self.io.err.write("\r\x1b[2K")
            self.io.status(line, style)

    def success(self, text: str) -> None:
        self.status(f"✓ {text}", "green")

    def created(self, key: str, text: str) -> None:
        self.success(text)
        if not self.io.is_tty:
            self.io.print(key)

    def _spin(self) -> None:
        n = 0
        while not self._stop.wait(0.08):
            frame = term.paint(self.FRAMES[n % len(self.FRAMES)], "cyan", self.io.err_color)
            with self._lock:
                self.io.err.write(f"\r\x1b[2K{frame} {self.text}")
                self.io.err.flush()
            n += 1

    def __exit__(self, *exc: object) -> None:
        if self._stop is not None:
            self._stop.set()
            self._thread.join()
            self.io.err.write("\r\x1b[2K")
            self.io.err.flush()


def jsonable(data: Any) -> Any:
    """Domain objects to plain JSON values (anything with `to_json()`, inside lists too)."""
    if hasattr(data, "to_json"):
        return data.to_json()
    if isinstance(data, list | tuple):
        return [jsonable(item) for item in data]
    return data


_current: IO | None = None


def configure(**options: Any) -> IO:
    """Build the process's IO object (the root callback calls this once)."""
    global _current
    _current = IO(**options)
    return _current


def current(json_flag: bool = False) -> IO:
    """The IO object; a command's own `--json` switches it to JSON mode."""
    global _current
    if _current is None:
        _current = IO(json_mode=bool(os.environ.get("ZIK_JSON")))
    if json_flag:
        _current.json = True
        _current.can_prompt = False
    return _current
