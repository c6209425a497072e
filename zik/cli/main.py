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
from zik.errors import StoreError, TemporaryError, ZikError

EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["--version"], ["-V"]):
        sys.stdout.write(f"zik {__version__}\n")
        sys.exit(0)
    sys.exit(run(args))


def run(args: list[str]) -> int:
    """Run one command line and return its exit code."""
    debug = "--debug" in args or bool(os.environ.get("ZIK_DEBUG"))
    import typer
    from typer._click import exceptions as click_errors  # typer's vendored click (pinned <0.29)

    from zik.cli import io as io_module
    from zik.cli.app import create_app

    try:
        app = create_app(args)
        result = app(args=args, prog_name="zik", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except ZikError as e:
        return _fail(io_module.current(), e, debug)
    except sqlite3.OperationalError as e:
        code = TemporaryError if "locked" in str(e) or "busy" in str(e) else StoreError
        return _fail(io_module.current(), code(f"database error: {e}"), debug)
    except sqlite3.DatabaseError as e:
        return _fail(io_module.current(), StoreError(f"database error: {e}"), debug)
    except click_errors.NoArgsIsHelpError as e:
        sys.stderr.write(e.format_message() + "\n")  # a group run bare: show its help
        return 2
    except click_errors.UsageError as e:
        io_module.current().error("usage", e.format_message().replace("\n", " "))
        return 2
    except (typer.Abort, KeyboardInterrupt, EOFError):
        io_module.current().error("interrupted", "interrupted")
        return EXIT_INTERRUPTED
    except click_errors.ClickException as e:
        io_module.current().error("error", e.format_message())
        return e.exit_code
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `zik task list | head`): not an error
        return 0
    except Exception as e:
        if debug:
            raise
        io_module.current().error(
            "internal", f"unexpected error: {type(e).__name__}: {e}", "run with --debug for details"
        )
        return 1


def _fail(io, error: ZikError, debug: bool) -> int:
    if debug:
        import traceback

        traceback.print_exc()
    io.error(error.code, error.message, error.hint)
    return error.exit_code
