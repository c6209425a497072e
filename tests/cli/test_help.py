"""Every command documents itself: help text, and an example in its docstring."""

from __future__ import annotations

import re

import pytest
import typer

from zik.cli.app import COMMANDS, create_app


def _walk(command, path):
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _walk(sub, (*path, name))


def _all_commands():
    root = typer.main.get_command(create_app(["--help"]))
    return list(_walk(root, ()))


ALL = _all_commands()
LEAVES = [(path, c) for path, c in ALL if path and not hasattr(c, "commands")]
GROUPS = [(path, c) for path, c in ALL if hasattr(c, "commands")]


def test_the_table_is_fully_registered():
    root = typer.main.get_command(create_app(["--help"]))
    assert set(root.commands) == set(COMMANDS)
    groups = {name for name, (_, _, is_group) in COMMANDS.items() if is_group}
    assert {name for name, c in root.commands.items() if hasattr(c, "commands")} == groups
    assert len(LEAVES) > 30


@pytest.mark.parametrize(
    ("path", "command"), ALL, ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_command_has_help(path, command):
    assert (command.help or "").strip(), f"zik {' '.join(path)} has no help"


@pytest.mark.parametrize(
    ("path", "command"), LEAVES, ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_command_docstring_has_an_example(path, command):
    examples = [
        line.strip() for line in command.help.splitlines() if line.strip().startswith("Example:")
    ]
    assert len(examples) == 1, f"zik {' '.join(path)} needs one 'Example:' line"
    assert f"zik {' '.join(path)}" in examples[0], examples[0]


@pytest.mark.parametrize(
    ("path", "command"), LEAVES, ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_option_has_help(path, command):
    for param in command.params:
        if param.param_type_name == "option":
            assert getattr(param, "help", None), f"zik {' '.join(path)} {param.opts[0]} has no help"


def test_group_callbacks_with_docstrings_have_examples():
    from zik.cli import settings

    doc = settings.profile.__doc__ or ""
    assert "Example: zik profile" in doc


def test_root_help_lists_every_command(zik):
    result = zik("--help")
    assert result.code == 0
    for name in COMMANDS:
        assert re.search(rf"^\W*{name}\b", result.out, re.MULTILINE), name
    assert "--json" in result.out


def test_short_help_flag(zik):
    result = zik("-h")
    assert result.code == 0
    assert "task" in result.out and "quest" in result.out


@pytest.mark.parametrize(
    ("path", "command"), GROUPS[1:], ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_group_help_lists_its_subcommands(zik, path, command):
    result = zik(*path, "--help")
    assert result.code == 0
    for name in command.commands:
        assert re.search(rf"^\W*{name}\b", result.out, re.MULTILINE), (name, result.out)


def test_task_help(zik):
    result = zik("task", "--help")
    assert result.code == 0
    for name in ("add", "list", "done", "start", "reopen", "edit", "rm"):
        assert re.search(rf"^\W*{name}\b", result.out, re.MULTILINE), name


def test_subcommand_help_shows_the_example(zik):
    result = zik("task", "add", "--help")
    assert result.code == 0
    assert "zik task add" in result.out
    assert "--due" in result.out and "--priority" in result.out


@pytest.mark.parametrize("group", ["task", "quest", "milestone", "routine", "config"])
def test_bare_group_prints_its_help(zik, group):
    result = zik(group)
    assert result.code == 2
    shown = result.out + result.err
    assert "Usage" in shown
    assert f"zik {group}" in shown
    assert "Traceback" not in shown
    assert "" not in result.err.splitlines()  # no stray blank lines


def test_bare_task_lists_its_subcommands(zik):
    shown = "".join((r := zik("task")).out + r.err)
    for name in ("add", "list", "done", "edit", "rm"):
        assert re.search(rf"^\W*{name}\b", shown, re.MULTILINE), name


def test_version(zik):
    from zik import __version__

    result = zik("--version")
    assert result.code == 0
    assert result.out == f"zik {__version__}\n"
