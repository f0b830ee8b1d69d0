"""`--format xlsx` for the commands that report across the register (`status`, `deadlines`, `report
decisions`): the format choice those commands share (text, json or xlsx — a separate enum from
`ReportFormat`, so xlsx is offered only where it works) and the writing of the workbook.

Text and JSON go to standard output; the workbook goes to a file: `--out FILE.xlsx`, or by default a
file named after the report and the day under the register's `output/` folder (git-ignored), written by
`write_export` (owner-only, refused where git would commit it)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from wbcr.cli import console
from wbcr.core.errors import UsageError


class TableFormat(str, Enum):
    text = "text"
    json = "json"
    xlsx = "xlsx"


FORMAT_HELP = "text, json or xlsx (an Excel workbook: to --out, default output/)."
OUT_HELP = "Where to write the Excel workbook (a .xlsx file or a folder; default: output/). Implies --format xlsx."


def table_format(fmt: TableFormat | None, out: Path | None) -> TableFormat:
    """The format asked for: --format, or xlsx when only --out FILE.xlsx is given; text by default."""
    if out is not None and not out.is_dir() and out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out {out}: the Excel workbook is written as a .xlsx file",
                         hint="name a .xlsx file or a folder; text and json go to standard output")
    if fmt is None:
        return TableFormat.xlsx if out is not None else TableFormat.text
    if out is not None and fmt is not TableFormat.xlsx:
        raise UsageError(f"--out writes the Excel workbook, not {fmt.value}",
                         hint=f"give --format xlsx, or leave out --out ({fmt.value} goes to standard output)")
    return fmt


def write_workbook(register, sheets: list, out: Path | None, default_name: str, title: str) -> Path:
    """Write `sheets` as an Excel workbook to `out` (a file, or a folder to put `default_name` in) or to
    the register's output/ folder; print its path."""
    from wbcr.core.exports import write_export  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.documents.tables_xlsx import tables_xlsx  # noqa: PLC0415 - lazy: openpyxl

    if out is None:
        path = register.root / "output" / default_name
    elif out.is_dir():
        path = out / default_name
    else:
        path = out
    marking = register.config.get("protective_marking", "OFFICIAL-SENSITIVE")
    write_export(path, tables_xlsx(sheets, marking=marking, title=title))
    console.print_line(str(path))
    return path
