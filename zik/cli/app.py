"""The root `zik` command: global options and the command table.

Command modules are imported lazily: a run registers only the command it was asked for (or all
of them for `--help`, completing a command name, or an unknown name; completing the rest of a
line registers the command it names), so `zik task done` never pays for
importing the quest, milestone or settings modules, nor Typer for inspecting the signatures of
the task group's other commands. This keeps the hot commands within their 90 ms budget
(DESIGN.md §9).
"""

from __future__ import annotations

import copy
import importlib
import os
from typing import Annotated

import typer

from zik import __version__
from zik.cli import io

# name: (module, attribute, is a group), in the order `zik --help` lists them
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "init": ("zik.cli.settings", "init", False),
    "today": ("zik.cli.today", "today", False),
    "quest": ("zik.cli.quests", "app", True),
    "milestone": ("zik.cli.milestones", "app", True),
    "task": ("zik.cli.tasks", "app", True),
    "routine": ("zik.cli.routines", "app", True),
    "daily": ("zik.cli.daily", "daily", False),
    "chat": ("zik.cli.chat", "chat", False),
    "scheduler": ("zik.cli.scheduler", "app", True),
    "cloud": ("zik.cli.cloud", "app", True),
    "sync": ("zik.cli.sync", "sync", False),
    "undo": ("zik.cli.undo", "undo", False),
    "reset": ("zik.cli.reset", "reset", False),
    "why": ("zik.cli.provenance", "why", False),
    "usage": ("zik.cli.provenance", "usage", False),
    "stats": ("zik.cli.stats", "stats", False),
    "search": ("zik.cli.search", "search", False),
    "export": ("zik.cli.data", "export", False),
    "import": ("zik.cli.data", "import_", False),
    "backup": ("zik.cli.data", "backup", False),
    "restore": ("zik.cli.data", "restore", False),
    "doctor": ("zik.cli.doctor", "doctor", False),
    "profile": ("zik.cli.settings", "profile_app", True),
    "config": ("zik.cli.settings", "config_app", True),
}


def _version(value: bool) -> None:
    if value:
        io.current().print(f"zik {__version__}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    json_: io.JsonOpt = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Plain text, no colours.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    no_hooks: Annotated[
        bool, typer.Option("--no-hooks", help="Do not run the hooks/ executables this time.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """zik: your goals, planned into milestones, with a few concrete tasks every day.

    With no command, shows today's view.
    """
    io.configure(json_mode=json_ or bool(os.environ.get("ZIK_JSON")), no_color=no_color)
    from zik.core import hooks

    hooks.disabled = no_hooks
    hooks.report = lambda text: io.current().status(text, "yellow")
    if ctx.invoked_subcommand is None:
        from zik.cli.today import show_today

        show_today(date=None)


def wanted_commands(args: list[str]) -> tuple[list[str], str | None]:
    """Which commands this command line needs registered, and the subcommand of a group.

    When a shell asks for completions, the line being completed comes from the environment
    instead of `args`; its words typed so far (the one under the cursor left out) choose the
    same way, so `zik task done <TAB>` loads only the task group. Completing the command name
    itself registers every command.
    """
    completing = os.environ.get("_ZIK_COMPLETE", "").startswith("complete_")
    if completing:
        args = _completed_words()
    words = [a for a in args if not a.startswith("-")]
    if words and words[0] in COMMANDS:
        return [words[0]], words[1] if len(words) > 1 else None
    if not words and not completing and not {"-h", "--help"} & set(args):
        return ["today"], None
    return list(COMMANDS), None


def _completed_words() -> list[str]:
    """The words before the one being completed, read as Typer's shell classes read them (bash:
    COMP_WORDS and COMP_CWORD; zsh, fish, powershell: _TYPER_COMPLETE_ARGS). Empty when unsure."""
    from typer._click.shell_completion import split_arg_string

    shell = os.environ["_ZIK_COMPLETE"].partition("_")[2]
    try:
        if shell == "bash":
            words = split_arg_string(os.environ.get("COMP_WORDS", ""))
            return words[1 : int(os.environ.get("COMP_CWORD", "0"))]
        line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = split_arg_string(line)[1:]
        if shell in ("powershell", "pwsh"):
            return words[:-1] if os.environ.get("_TYPER_COMPLETE_WORD_TO_COMPLETE") else words
        return words if line.endswith(" ") else words[:-1]
    except ValueError:
        return []


def _only(group: typer.Typer, name: str | None, json_mode: bool) -> typer.Typer:
    """A copy of a group holding just the named subcommand (the group itself if none matches).

    In JSON mode a group run bare fails with a usage error instead of printing its help, so that
    stdout never carries anything but the JSON document.
    """
    chosen = [
        c
        for c in group.registered_commands
        if (c.name or c.callback.__name__.lower().replace("_", "-")) == name  # type: ignore[union-attr]
    ]
    if name is None and json_mode:
        quiet = copy.copy(group)
        quiet.info = copy.copy(group.info)
        quiet.info.no_args_is_help = False
        return quiet
    if not chosen:
        return group
    narrowed = copy.copy(group)
    narrowed.registered_commands = chosen
    return narrowed


def create_app(args: list[str]) -> typer.Typer:
    app = typer.Typer(
        name="zik",
        help="Plan long-term goals into milestones and get a few concrete tasks every day.",
        epilog="Every command accepts --json. Exit codes and more: see the README.",
        invoke_without_command=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root)
    names, subcommand = wanted_commands(args)
    json_mode = "--json" in args or bool(os.environ.get("ZIK_JSON"))
    for name in names:
        module, attribute, is_group = COMMANDS[name]
        target = getattr(importlib.import_module(module), attribute)
        if is_group:
            app.add_typer(_only(target, subcommand, json_mode), name=name)
        else:
            app.command(name)(target)
    return app
