"""`zik cloud …`: where the Zik backend is, signing in and out, status, account deletion."""

from __future__ import annotations

from typing import Annotated

import typer

from zik.cli import io as io_module
from zik.cli.io import IO
from zik.errors import UsageError

app = typer.Typer(
    help="The Zik cloud backend: set up, log in, log out, status.", no_args_is_help=True
)


@app.command()
def setup(
    user_pool_id: Annotated[
        str | None, typer.Option("--user-pool-id", help="Cognito user pool id.")
    ] = None,
    client_id: Annotated[
        str | None, typer.Option("--client-id", help="Cognito app client id.")
    ] = None,
    region: Annotated[str | None, typer.Option("--region", help="AWS region.")] = None,
    api_url: Annotated[str | None, typer.Option("--api-url", help="The backend's API URL.")] = None,
    stack: Annotated[
        str | None,
        typer.Option(
            "--stack", help="Read it all from this CloudFormation stack (AWS credentials)."
        ),
    ] = None,
    remote: Annotated[
        str | None,
        typer.Option("--remote", help="Sync through the api or the dynamodb tables (or auto)."),
    ] = None,
    table: Annotated[
        list[str] | None,
        typer.Option("--table", help="A backend table, as NAME=PHYSICAL (goals=ZikBackend-…)."),
    ] = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Tell zik where your Zik backend is (or read it from its CloudFormation stack).

    Example: zik cloud setup --user-pool-id us-east-1_AbC123 --client-id 1h2j3k4l
    """
    from zik.core import cloud

    io = io_module.current(json_)
    if remote is not None and remote not in ("auto", "api", "dynamodb"):
        raise UsageError(f"no remote called {remote!r}", hint="use api, dynamodb or auto")
    tables: dict[str, str] = {}
    for text in table or []:
        name, sep, physical = text.partition("=")
        if not sep or not name or not physical:
            raise UsageError(f"--table {text!r} is not NAME=PHYSICAL", hint="e.g. goals=Zik-Goals")
        tables[name.strip()] = physical.strip()
    settings = cloud.setup(
        user_pool_id=user_pool_id,
        client_id=client_id,
        region=region,
        api_url=api_url,
        stack=stack,
        remote=remote,
        tables=tables,
    )
    io.emit(
        settings,
        lambda data, io: io.success(f"Cloud set up: pool {data['userPoolId']} in {data['region']}"),
    )


@app.command()
def login(
    email: Annotated[str | None, typer.Option("--email", help="Your account's email.")] = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Log in with your Zik account (the password is asked, or read from stdin).

    Example: zik cloud login --email ada@example.com
    """
    from zik.core import cloud

    io = io_module.current(json_)
    if email is None:
        if not io.can_prompt:
            raise UsageError("give --email (and the password on stdin)")
        email = typer.prompt("Email", err=True)
    if io.can_prompt:
        password = typer.prompt("Password", hide_input=True, err=True)
    else:
        password = io.stdin.readline().rstrip("\n")
    session = cloud.login(email, password)
    io.emit(session, lambda s, io: io.success(f"Logged in as {s.email}"))


@app.command()
def logout(json_: io_module.JsonOpt = False) -> None:
    """Log out everywhere and forget this machine's tokens.

    Example: zik cloud logout
    """
    from zik.core import cloud

    io = io_module.current(json_)
    io.emit(
        cloud.logout(),
        lambda data, io: (
            io.success(f"Logged out {data['email']}")
            if data["loggedOut"]
            else io.status("Not logged in.", "dim")
        ),
    )


@app.command()
def status(json_: io_module.JsonOpt = False) -> None:
    """Show who is logged in and where the backend is.

    Example: zik cloud status --json
    """
    from zik.core import cloud
    from zik.core.workspace import db

    io = io_module.current(json_)
    io.emit(cloud.status(db()), _render_status)


def _render_status(data: dict, io: IO) -> None:
    if not data["configured"]:
        io.print("Cloud      not set up (zik cloud setup …)")
        return
    io.print(f"Backend    pool {data['userPoolId']} in {data['region']}")
    if data["apiUrl"]:
        io.print(f"API        {data['apiUrl']}")
    session = data["session"]
    io.print(
        f"Account    {session['email']} (user {session['userId']})"
        if session
        else "Account    not logged in"
    )
    sync = data["sync"]
    io.print(f"Remote     {data['remote']}")
    io.print(f"Last sync  {sync['lastSync'] or 'never'}")
    io.print(f"Pending    {sync['pending']} change(s) to push")
    if sync["stuck"]:
        n = len(sync["stuck"])
        io.print(
            f"Stuck      {n} change{'' if n == 1 else 's'} could not be written the last time"
            f" ({sync['stuck'][0]['why']}): zik sync again"
        )
    if sync["skipped"]:
        io.print(f"Skipped    {len(sync['skipped'])} remote item(s) zik cannot read, left alone")
    if sync["conflicts"]:
        io.print(f"Conflicts  {sync['conflicts']} (zik sync --json lists them)")
    limits = data["limits"]
    if limits["pull"] or limits["push"]:
        from zik.cli.sync import limits as lines

        io.print(f"The {limits['remote']} remote cannot carry everything:")
        for line in lines(limits["pull"], limits["push"], limits["hereOnly"]):
            io.print(line)


@app.command("delete-account")
def delete_account(
    yes: Annotated[
        str | None,
        typer.Option("--yes", metavar="EMAIL", help="Delete without asking: your account's email."),
    ] = None,
    json_: io_module.JsonOpt = False,
) -> None:
    """Delete your Zik cloud account: every item in every table, then the account itself.

    This machine's data stays (zik reset wipes it).

    Example: zik cloud delete-account --yes ada@example.com
    """
    from zik.core import sync as sync_core
    from zik.core.workspace import db

    io = io_module.current(json_)
    if yes is None:
        if not io.can_prompt:
            raise UsageError("give --yes EMAIL to delete the account without a prompt")
        io.status("This deletes your goals, tasks, chat and profile in the Zik cloud, and the")
        io.status("account itself. It cannot be undone.")
        yes = typer.prompt("Type your account's email to confirm", err=True)
    result = sync_core.delete_account(db(), yes)
    io.emit(result, _render_deleted)


def _render_deleted(result, io: IO) -> None:
    from zik.cli.sync import _counts

    gone = {entity: n for entity, n in result.deleted.items() if n}
    io.success(f"Deleted the Zik cloud account {result.email}: {_counts(gone)}")
    if result.left:
        io.status("Not deleted (the remote could not reach them):", "yellow")
        for why in result.left.values():
            io.status(f"  {why}", "yellow")
