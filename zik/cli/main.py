"""The entry point, and the one place where errors become messages and exit codes.

`zik --version` answers before Typer is imported (budget: 40 ms). Everything else runs the Typer
app with standalone_mode off, so every failure passes through `main()`: ZikError subclasses carry
their exit code (DESIGN.md §9), usage errors exit 2, Ctrl-C 130, and anything unexpected prints
one line, never a traceback, unless `--debug` or ZIK_DEBUG=1 asks for it.
"""

from __future__ import annotations

import os
import sqlite3
import sys

from zik import __version__
from zik.errors import (
    Interrupted,
    StoreError,
    TemporaryError,
    UsageError,
    ZikError,
    disk_full,
)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["--version"], ["-V"]):
        sys.stdout.write(f"zik {__version__}\n")
        sys.exit(0)
    sys.exit(run(args))


def _refuse_undecodable(args: list[str]) -> None:
    """An argument that is not UTF-8 (bytes the shell passed that Python can keep only as lone
    surrogates) is refused before anything reads it: stored, it could never be exported, synced
    or printed on a strict UTF-8 terminal."""
    for arg in args:
        if not arg.isascii() and any("\udc80" <= c <= "\udcff" for c in arg):
            from zik.text import visible

            raise UsageError(
                f"the argument '{visible(arg)}' is not valid UTF-8 text",
                hint="zik stores text as UTF-8; check the terminal's or the script's encoding",
            )


def run(args: list[str]) -> int:
    """Run one command line and return its exit code."""
    options = args[: args.index("--")] if "--" in args else args
    debug = "--debug" in options or bool(os.environ.get("ZIK_DEBUG"))
    import typer
    from typer._click import exceptions as click_errors  # typer's vendored click (pinned <0.29)

    from zik import config
    from zik.cli import io as io_module
    from zik.cli.app import create_app

    fresh = not config.db_path().exists()  # (a refused command must not leave one behind)

    def fail(error: ZikError) -> int:
        # --json anywhere on the line asks for a JSON error, even when parsing failed before
        # the command could switch the IO object to JSON itself.
        if debug:
            import traceback

            traceback.print_exc()
        io = io_module.current("--json" in options)
        io.error(error.code, error.message, error.hint)
        if error.exit_code in (1, 2, 3) and fresh:
            from zik.core import workspace

            workspace.discard_if_unused()  # a refused command leaves no new, empty database
        return error.exit_code

    try:
        _refuse_undecodable(args)
        if os.environ.get("ZIK_NOW"):  # a bad pinned clock fails before anything is opened
            from zik.core import clock

            clock.now()
        app = create_app(args)
        result = app(args=args, prog_name="zik", standalone_mode=False)
        if result == Interrupted.exit_code:
            # Typer turns Ctrl-C into a silent Exit(130) before the handler below can see it
            return fail(Interrupted("interrupted"))
        return result if isinstance(result, int) else 0
    except ZikError as e:
        return fail(e)
    except sqlite3.OperationalError as e:
        if disk_full(e):
            return fail(
                StoreError(f"the disk is full: {e}", hint="free some space; nothing was changed")
            )
        busy = "locked" in str(e) or "busy" in str(e)
        return fail((TemporaryError if busy else StoreError)(f"database error: {e}"))
    except sqlite3.DatabaseError as e:
        return fail(StoreError(f"database error: {e}"))
    except click_errors.NoArgsIsHelpError as e:
        # A group run bare: show its help. With rich, Typer has already printed it to stdout and
        # the message is empty; writing it anyway would leave a stray blank line on stderr.
        if e.format_message().strip():
            sys.stderr.write(e.format_message() + "\n")
        return 2
    except click_errors.UsageError as e:
        return fail(UsageError(e.format_message().replace("\n", " ")))
    except (typer.Abort, KeyboardInterrupt, EOFError):
        return fail(Interrupted("interrupted"))
    except click_errors.ClickException as e:
        return fail(ZikError(e.format_message()))
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `zik task list | head`): not an error
        return 0
    except SystemExit as e:
        if isinstance(e.__context__, BrokenPipeError):
            return 0  # the same, caught first by Typer, which exits 1 for it
        raise
    except Exception as e:
        if debug:
            raise
        return fail(
            ZikError(
                f"unexpected error: {type(e).__name__}: {e}", hint="run with --debug for details"
            )
        )
