"""The `wbcr` command line: a thin layer over the core modules.

Each command parses its arguments, calls one core function, hands the result to the console and picks
the exit code. Every WbcrError is turned into one message and its exit code here, in `main`.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from wbcr.errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE, WbcrError

app = typer.Typer(
    name="wbcr",
    help="The case-review register of a Local Safeguarding Children Board partnership.\n\n"
         "Example: wbcr --register examples/west-of-berkshire status",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Options:
    register: Optional[str] = None
    today: Optional[str] = None


options = Options()


@app.callback(invoke_without_command=True)
def _global(
    ctx: typer.Context,
    register: Annotated[Optional[str], typer.Option(
        "--register", "-R", help="Register folder (default: the nearest wbcr.yaml upwards, or $WBCR_REGISTER).",
        metavar="PATH")] = None,
    today: Annotated[Optional[str], typer.Option(
        "--today", help="Take this date (YYYY-MM-DD) as today, for reproducible reports (or $WBCR_TODAY).",
        metavar="DATE")] = None,
    version: Annotated[bool, typer.Option("--version", help="Print wbcr's version and exit.",
                                          is_eager=True)] = False,
) -> None:
    if version:
        from wbcr import __version__

        sys.stdout.write(f"wbcr {__version__}\n")
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        sys.stdout.write(ctx.get_help() + "\n")
        raise typer.Exit(2)
    options.register = register
    options.today = today


def today():
    from wbcr.dates import today as _today

    return _today(options.today)


def open_register(validated: bool = True):
    from wbcr.register import open_register as _open

    return _open(options.register, validated=validated)


# Command modules register themselves on `app` when imported; their heavy imports are inside the
# command functions, so `wbcr --help` stays fast.
from wbcr.cli import document_commands, register_commands, workflow_commands, security_commands, chronology_commands  # noqa: E402,F401,E501


def main() -> None:
    from wbcr.cli import console

    try:
        code = app(standalone_mode=False)
    except WbcrError as exc:
        location = exc.location
        findings = getattr(exc, "findings", None)
        console.print_error(f"{location}: {exc.message}" if location else exc.message, exc.hint)
        if findings:
            console.print_findings(findings)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        console.print_error("interrupted; nothing was left half-written")
        sys.exit(EXIT_INTERRUPTED)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        console.print_error("aborted")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(EXIT_FAILURE)
    except Exception as exc:  # noqa: BLE001 - the last resort: a bug must not show a user a traceback
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()  # a usage error found by the command-line parser: its own message, exit 2
            sys.exit(EXIT_USAGE if exc.exit_code in (1, 2) else exc.exit_code)
        import os

        if os.environ.get("WBCR_DEBUG"):
            raise
        console.print_error(f"internal error ({type(exc).__name__}); nothing was left half-written",
                            "this is a bug in wbcr: please report the command you ran "
                            "(run again with WBCR_DEBUG=1 to see the traceback)")
        sys.exit(EXIT_FAILURE)
    sys.exit(code if isinstance(code, int) else 0)


def _quiet_stdout() -> None:
    """After the reader of a pipe went away (`wbcr … | head`), exit without a second error."""
    import os

    import contextlib

    with contextlib.suppress(OSError):  # nothing more to do if even that fails
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
