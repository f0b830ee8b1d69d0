"""The `wbcr` command line: a thin layer over the core modules.

Each command parses its arguments, calls one core function, hands the result to the console and picks
the exit code. Every WbcrError is turned into one message and its exit code here, in `main`.

The top layer: may import every other package of wbcr (heavy ones inside the command functions, so
`wbcr --help` stays fast).
"""

from __future__ import annotations

import sys

import typer

from wbcr.cli.app import app, open_register, options, today  # noqa: F401 - the package's interface
from wbcr.core.errors import EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE, WbcrError

# Command modules register themselves on `app` when imported; their heavy imports are inside the
# command functions, so `wbcr --help` stays fast.
from wbcr.cli import chronology_commands, document_commands, register_commands, security_commands, workflow_commands  # noqa: E402,F401,E501
from wbcr.cli import review_commands  # noqa: E402,F401 - after workflow_commands, whose helpers it uses
from wbcr.cli import board_commands  # noqa: E402,F401 - `wbcr report board`, on workflow_commands' report group
from wbcr.cli import themes_commands  # noqa: E402,F401 - `wbcr report themes`, on the report group too
from wbcr.cli import doctor_commands  # noqa: E402,F401 - `wbcr doctor`
from wbcr.cli import actions_commands  # noqa: E402,F401 - `wbcr actions`


#: what wbcr can say of a register after a command stopped by surprise. Files are written whole or not
#: at all, and the case store rolls back its own unfinished change (or the next command does, from its
#: journal); but a command stopped by an error nobody foresaw cannot know what else it had done.
_LEFT = ("files are written whole or not at all and the case store rolls back its own unfinished changes, "
         "but what else the command had done is not known")
_CHECK_HINT = "run `git status` (and `wbcr validate`) in the register to check what changed"


def main() -> None:
    from wbcr.cli import console  # noqa: PLC0415 - lazy: keeps --help fast

    console.safe_streams()
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
        console.print_error(f"interrupted: {_LEFT}", _CHECK_HINT)
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
        console.print_error(f"internal error ({type(exc).__name__}): {_LEFT}",
                            f"{_CHECK_HINT}. This is a bug in wbcr: please report the command you ran "
                            "(run again with WBCR_DEBUG=1 to see the traceback)")
        sys.exit(EXIT_FAILURE)
    if code == EXIT_INTERRUPTED:  # Ctrl-C in a command: Typer returns 130 in place of the KeyboardInterrupt
        console.print_error(f"interrupted: {_LEFT}", _CHECK_HINT)
    sys.exit(code if isinstance(code, int) else 0)


def _quiet_stdout() -> None:
    """After the reader of a pipe went away (`wbcr … | head`), exit without a second error."""
    import os

    import contextlib

    with contextlib.suppress(OSError):  # nothing more to do if even that fails
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
