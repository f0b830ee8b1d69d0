"""The console: the only place that prints. Data goes to stdout, diagnostics to stderr.

Text from records is never parsed as rich markup (cells are `Text` objects), so a narrative holding
`[redacted]` or `[bold]` prints as typed.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Iterable

_out = None
_err = None


def out():
    global _out
    if _out is None:
        from rich.console import Console

        _out = Console(highlight=False, soft_wrap=True)
    return _out


def err():
    global _err
    if _err is None:
        from rich.console import Console

        _err = Console(stderr=True, highlight=False, soft_wrap=True)
    return _err


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def print_line(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def print_error(message: str, hint: str | None = None) -> None:
    from rich.text import Text

    line = Text("error: ", style="bold red")
    line.append(message)
    err().print(line)
    if hint:
        err().print(Text("  hint: ", style="cyan") + Text(hint))


def print_warning(message: str) -> None:
    from rich.text import Text

    err().print(Text("warning: ", style="bold yellow") + Text(message))


def print_note(message: str) -> None:
    from rich.text import Text

    err().print(Text(message, style="dim"))


def format_finding(f) -> str:
    text = f"{f.location}: {f.severity}[{f.code}]: {f.message}"
    return f"{text} (hint: {f.hint})" if f.hint else text


def print_findings(findings: Iterable, fmt: str = "text") -> None:
    """Findings one per line: `path:line:col: severity[code]: message (hint: …)`."""
    if fmt == "github":
        for f in findings:
            level = "error" if f.severity == "error" else "warning"
            props = f"file={_gh(f.path, True)}"
            if f.line:
                props += f",line={f.line}"
                if f.col:
                    props += f",col={f.col}"
            props += f",title={_gh(f.code, True)}"
            message = f.message + (f" (hint: {f.hint})" if f.hint else "")
            sys.stdout.write(f"::{level} {props}::{_gh(message)}\n")
        return
    for f in findings:
        sys.stdout.write(format_finding(f) + "\n")


def _gh(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def print_table(columns: list[str], rows: list[list[Any]], styles: list[str | None] | None = None,
                title: str | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False, header_style="bold")
    for i, name in enumerate(columns):
        table.add_column(name, no_wrap=i == 0)
    for i, row in enumerate(rows):
        style = styles[i] if styles else None
        table.add_row(*[Text("" if v is None else str(v)) for v in row], style=style)
    out().print(table)


def print_text(renderable) -> None:
    out().print(renderable)
