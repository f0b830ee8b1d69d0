"""The Typer application, the global options (`--register`, `--today`) and the helpers every command
uses to read them. Command modules add their commands to `app`; `wbcr.cli` imports them and runs it."""

from __future__ import annotations

import re
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
    add_completion=True,  # --install-completion / --show-completion: references, agencies, documents
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
        "--today", help="Take this date (2026-02-03, 03/02/2026 or 3 Feb 2026) as today, for reproducible reports (or $WBCR_TODAY).",
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
    """`--today`, else `WBCR_TODAY`, else the day the register stands at (wbcr.yaml `as_of:`, for an
    example or an archived register), else the system date."""
    import os

    from wbcr.core.dates import today as _today  # noqa: PLC0415 - lazy: keeps --help fast

    if options.today or os.environ.get("WBCR_TODAY"):
        return _today(options.today)
    return _register_as_of() or _today(None)


_AS_OF: dict = {}


def _register_as_of():
    """The register's `as_of:` day, read once per command; None where there is no register or no such
    day (or one that is not a date: `validate` reports it against the schema)."""
    import datetime as dt

    from wbcr.core.errors import WbcrError  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.model.register import find_root, load_config  # noqa: PLC0415 - lazy: keeps --help fast

    try:
        root = find_root(explicit=options.register)
    except (WbcrError, OSError):
        return None
    if root not in _AS_OF:
        try:
            config = load_config(root)
        except (WbcrError, OSError):
            config = None
        value = config.get("as_of") if isinstance(config, dict) else None
        day = None
        if isinstance(value, dt.date):
            day = value
        elif isinstance(value, str):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                day = None
        _AS_OF[root] = day
    return _AS_OF[root]


def open_register(validated: bool = True):
    from wbcr.model.register import open_register as _open  # noqa: PLC0415 - lazy: keeps --help fast

    return _open(options.register, validated=validated)



# ---- help at any width: value names, not Python types; option names never cut ------------------------

#: choices longer than this are named (e.g. DECISION) and listed in the help text instead
_CHOICES_SHOWN = 24
_DATE_HELP = re.compile(r"\bdates?\b|YYYY-MM-DD", re.IGNORECASE)
#: help that lists the words an option takes ("known, suspected or not_known."): named after the option
_WORDS_HELP = re.compile(r"^(\w+ \w+: )?[\w-]+(, [\w-]+(\s*\([^)]*\))?)*,? or [\w-]+\b")
_BY_NAME = {"reference": "REF", "references": "REF", "case": "REF", "ref": "REF", "lscb": "LSCB", "stage": "STAGE",
            "procedure": "PROCEDURE", "year": "YEAR", "by": "NAME", "member": "NAME", "name": "NAME",
            "present": "NAME", "password": "PASSWORD", "directory": "DIR", "folder": "DIR"}


def _choices(param) -> list[str]:
    desc = getattr(param, "type_descriptor", None)
    if desc is None or not getattr(desc, "is_choice", False):
        return []
    return [str(getattr(c, "value", c)) for c in desc.choices or ()]


def value_name(param) -> str | None:
    """What a parameter takes, as help shows it: its metavar when it has one; nothing for a flag; the
    choices when they are few and short (`[text|json]`); else a word for the kind of value (DATE, REF,
    AGENCY, FILE, N, TEXT…), never a Python type (`<str>`, `<list[Path]>`, `<bool>`)."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    if param.metavar is not None:
        return param.metavar
    name = (param.name or "").lower()
    choices = _choices(param)
    if choices:
        shown = "[" + "|".join(choices) + "]"
        return shown if len(shown) <= _CHOICES_SHOWN else name.upper().replace("_", "-")
    try:
        kind = param.bare_type()
    except Exception:  # noqa: BLE001 - a Typer without it: the kind from the name and help alone
        kind = "str"
    kind = kind.removeprefix("list[").removesuffix("]")
    if _WORDS_HELP.match(param.help or ""):
        option = next((o for o in getattr(param, "opts", ()) if o.startswith("--")), "--" + name).lstrip("-")
        return option.upper() if len(option) <= 12 else "WORD"
    if name in _BY_NAME:
        return _BY_NAME[name]
    if "agency" in name:
        return "AGENCY"
    if kind in ("int",):
        return "N"
    if kind in ("float",):
        return "NUMBER"
    if kind in ("Path", "path"):
        return "FILE"
    if _DATE_HELP.search(param.help or ""):
        return "DATE"
    return "TEXT"


def _display_type(self, ctx=None):
    shown = value_name(self)
    if shown is None or getattr(self, "param_type_name", "") != "argument":
        return shown
    # an argument's name is shown already: its kind only when that says more ("start DATE")
    return None if shown.strip("[]. ").lower() == self._rich_display_name().strip("[]{}. ").lower() else shown


def _options_panel(*, name: str, params: list, ctx, markup_mode, console) -> None:
    """Typer's panel of options (or arguments), laid out for a narrow terminal too: an option's names and
    value on one line (its --no- form on the next), never cut, and its help wrapped beside them."""
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text
    from typer import rich_utils as ru

    if not params:
        return
    table = Table(highlight=True, show_header=False, expand=True, box=None, padding=(0, 1), pad_edge=False)
    required = any(getattr(p, "required", False) for p in params)
    if required:
        table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, overflow="ignore")
    table.add_column(ratio=1, overflow="fold")
    for param in params:
        shown = _display_type(param, ctx)
        if param.param_type_name == "argument":
            label = Text(param._rich_display_name(), style=ru.STYLE_OPTION)
        else:
            label = ru.highlighter(", ".join([*[o for o in param.opts if o.startswith("--")],
                                              *[o for o in param.opts if not o.startswith("--")]]))
        if shown:
            label.append(" " + shown, style=ru.STYLE_TYPES)
        secondary = getattr(param, "secondary_opts", None)
        if secondary:
            label.append("\n")
            label.append(ru.negative_highlighter(", ".join(secondary)))
        help_ = ru._get_parameter_help(param=param, ctx=ctx, markup_mode=markup_mode)
        choices = _choices(param)
        if choices and shown and not shown.startswith("[") and not all(c in (param.help or "") for c in choices):
            help_ = Group(help_, Text("one of: " + ", ".join(choices), style="dim"))
        row = [label, help_]
        if required:
            row.insert(0, Text(ru.REQUIRED_SHORT_STRING, style=ru.STYLE_REQUIRED_SHORT)
                       if getattr(param, "required", False) else "")
        table.add_row(*row)
    console.print(Panel(table, border_style=ru.STYLE_OPTIONS_PANEL_BORDER, title=name,
                        title_align=ru.ALIGN_OPTIONS_PANEL))


def _install_help_layout() -> None:
    """Typer's help shows Python types as metavars (`<bool>` on a flag, `<list[Path]>`) and, in a
    terminal 80 columns wide, cuts long option names (`--abuse-or-negl…`): its value names and its
    options panel are replaced here, once for every command. On a Typer without these hooks (older or
    newer than wbcr knows), its own help is left as it is."""
    from typer import core

    for cls in (getattr(core, "TyperOption", None), getattr(core, "TyperArgument", None)):
        if cls is not None and hasattr(cls, "display_type_rich") and hasattr(cls, "bare_type"):
            cls.display_type_rich = _display_type
    for cls in (getattr(core, "TyperCommand", None), getattr(core, "TyperGroup", None)):
        if cls is None or getattr(cls.format_help, "_wbcr", False):
            continue
        original = cls.format_help

        def format_help(self, ctx, formatter, _original=original):
            from typer import rich_utils  # noqa: PLC0415 - lazy: only when help is shown

            if hasattr(rich_utils, "_print_options_panel") and hasattr(core.TyperArgument, "_rich_display_name"):
                rich_utils._print_options_panel = _options_panel
            return _original(self, ctx, formatter)

        format_help._wbcr = True
        cls.format_help = format_help


_install_help_layout()

# `wbcr templates …` (its module reads the global options from the command line, so it need not import this one)
from wbcr.cli.template_commands import templates_app  # noqa: E402 - after `app`, which it is added to

app.add_typer(templates_app, name="templates")
