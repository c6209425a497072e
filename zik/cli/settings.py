"""`zik init`, `zik profile` and `zik config`: who you are, and how zik behaves."""

from __future__ import annotations

from typing import Annotated

import typer

from zik import config
from zik.cli import io as io_module
from zik.cli.io import IO
from zik.core import profile as core
from zik.core.workspace import db
from zik.models import Profile

profile_app = typer.Typer(help="Your profile: name, timezone, daily time and capacity.")
config_app = typer.Typer(help="Settings: AI provider, model, hooks, colours.", no_args_is_help=True)


def init(
    name: Annotated[str | None, typer.Option("--name", help="What Zik calls you.")] = None,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="IANA zone, e.g. Europe/Paris.")
    ] = None,
    daily_time: Annotated[
        str | None, typer.Option("--daily-time", help="When the day's tasks are made (HH:MM).")
    ] = None,
    capacity: Annotated[
        int | None, typer.Option("--capacity", help="Minutes a day for your quests.")
    ] = None,
    focus: Annotated[
        str | None, typer.Option("--focus", help="Focus areas, comma-separated.")
    ] = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Set up your profile (asks on a terminal; flags for scripts).

    Example: zik init --name Ada --timezone Europe/London --daily-time 07:00 --capacity 60
    """
    io = io_module.current(json_)
    conn = db()
    current = core.load(conn)
    answers = {
        "name": name,
        "timezone": timezone,
        "daily_time": daily_time,
        "daily_capacity": capacity,
        "focus_areas": focus,
    }
    if io.can_prompt:
        answers = _ask(answers, current)
    io.emit(core.update(conn, onboarding=True, **answers), _render_saved)


def _ask(answers: dict, current: Profile) -> dict:
    questions = {
        "name": ("Your name", current.name or ""),
        "timezone": ("Timezone", current.timezone),
        "daily_time": ("Daily tasks at (HH:MM)", current.daily_time),
        "daily_capacity": ("Minutes a day for your quests", current.daily_capacity),
        "focus_areas": ("Focus areas (comma-separated)", ", ".join(current.focus_areas)),
    }
    for field, (question, default) in questions.items():
        if answers[field] is None:
            answers[field] = typer.prompt(question, default=default, show_default=True, err=True)
    return answers


@profile_app.callback(invoke_without_command=True)
def profile(ctx: typer.Context, json_: io_module.JsonOpt = False) -> None:
    """Show your profile.

    Example: zik profile --json
    """
    if ctx.invoked_subcommand is None:
        io = io_module.current(json_)
        io.emit(core.load(db()), _render_profile)


@profile_app.command("set")
def profile_set(
    field: Annotated[
        str, typer.Argument(help=f"One of: {', '.join(core.FIELDS)}.", show_default=False)
    ],
    value: Annotated[str, typer.Argument(help="The new value.", show_default=False)],
    json_: io_module.JsonOpt = False,
) -> None:
    """Change one profile field.

    Example: zik profile set timezone America/New_York
    """
    io = io_module.current(json_)
    io.emit(core.update(db(), **{field.replace("-", "_"): value}), _render_saved)


def _render_saved(p: Profile, io: IO) -> None:
    io.success(
        f"Saved profile ({p.timezone}, daily at {p.daily_time}, {p.daily_capacity} min a day)"
    )


def _render_profile(p: Profile, io: IO) -> None:
    rows = {
        "name": p.name or "—",
        "timezone": p.timezone,
        "daily time": p.daily_time,
        "daily capacity": f"{p.daily_capacity} minutes",
        "focus areas": ", ".join(p.focus_areas) or "—",
        "onboarded": "yes" if p.onboarding_completed else "no (run zik init)",
    }
    for label, value in rows.items():
        io.print(f"{io.paint(f'{label:>15}', 'dim')}  {value}")


@config_app.command("get")
def config_get(
    key: Annotated[str, typer.Argument(help="Setting name, e.g. ai.provider.", show_default=False)],
    json_: io_module.JsonOpt = False,
) -> None:
    """Print a setting's value.

    Example: zik config get ai.model
    """
    io = io_module.current(json_)
    value, origin = config.resolve(key)
    io.emit({"key": key, "value": value, "origin": origin}, lambda d, io: io.print(str(d["value"])))


@config_app.command("set")
def config_set(
    key: Annotated[str, typer.Argument(help="Setting name.", show_default=False)],
    value: Annotated[str, typer.Argument(help="New value.", show_default=False)],
    json_: io_module.JsonOpt = False,
) -> None:
    """Change a setting (stored in the config file).

    Example: zik config set ai.provider offline
    """
    io = io_module.current(json_)
    stored = config.set_value(key, value)
    io.emit({"key": key, "value": stored}, lambda d, io: io.success(f"{d['key']} = {d['value']}"))


@config_app.command("unset")
def config_unset(
    key: Annotated[str, typer.Argument(help="Setting name.", show_default=False)],
    json_: io_module.JsonOpt = False,
) -> None:
    """Return a setting to its default.

    Example: zik config unset ai.model
    """
    io = io_module.current(json_)
    config.unset_value(key)
    value, origin = config.resolve(key)
    io.emit(
        {"key": key, "value": value, "origin": origin},
        lambda d, io: io.success(f"{d['key']} = {d['value']} ({d['origin']})"),
    )


@config_app.command("list")
def config_list(json_: io_module.JsonOpt = False) -> None:
    """List every setting with its value and where it comes from (env, file or default).

    Example: zik config list
    """
    io = io_module.current(json_)
    items = [
        {"key": s.key, "value": value, "origin": origin, "help": s.help}
        for s, value, origin in config.all_settings()
    ]
    io.emit(items, _render_settings)


def _render_settings(items: list[dict], io: IO) -> None:
    for item in items:
        io.print(f"{item['key']:<20} {str(item['value']):<48} {io.paint(item['origin'], 'dim')}")


@config_app.command("path")
def config_path(json_: io_module.JsonOpt = False) -> None:
    """Print where zik keeps its config file (and, with --json, its database).

    Example: zik config path
    """
    io = io_module.current(json_)
    paths = {"config": str(config.config_path()), "database": str(config.db_path())}
    io.emit(paths, lambda d, io: io.print(d["config"]))
