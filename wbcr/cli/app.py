"""The Typer application, the global options (`--register`, `--today`) and the helpers every command
uses to read them. Command modules add their commands to `app`; `wbcr.cli` imports them and runs it."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

app = typer.Typer(
    name="wbcr",
    help="The case-review register of a safeguarding children partnership (Working Together 2023) or of "
         "Local Safeguarding Children Boards (the 2015 tool kit).\n\n"
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
        from wbcr import __version__  # noqa: PLC0415 - lazy: keeps --help fast

        sys.stdout.write(f"wbcr {__version__}\n")
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        sys.stdout.write(ctx.get_help() + "\n")
        raise typer.Exit(2)
    options.register = register
    options.today = today


def today():
    from wbcr.core.dates import today as _today  # noqa: PLC0415 - lazy: keeps --help fast

    return _today(options.today)


def open_register(validated: bool = True):
    from wbcr.model.register import open_register as _open  # noqa: PLC0415 - lazy: keeps --help fast

    return _open(options.register, validated=validated)


# `wbcr templates …` (its module reads the global options from the command line, so it need not import this one)
from wbcr.cli.template_commands import templates_app  # noqa: E402 - after `app`, which it is added to

app.add_typer(templates_app, name="templates")
