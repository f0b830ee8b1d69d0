"""Tables as an Excel workbook: the one writer behind every `--format xlsx` (status board, deadlines,
actions, the decisions audit). A command builds plain `Sheet`s — a title, typed columns, rows of values —
and `tables_xlsx` turns them into the bytes of an `.xlsx`; `wbcr.core.exports.write_export` writes them.

What every sheet gets, so a business manager can sort and filter at once:

- the header row bold and frozen, and an autofilter over the table;
- dates as real dates (a date number format, `dd/mm/yyyy`), so Excel sorts and filters them as dates; a
  value that is not a whole date (an uncertain `?2026-03`) stays text, as written;
- whole numbers as numbers; RAG cells filled in the house colours with the word kept (`RED`), so the
  rating reads on a black-and-white print and to a screen reader;
- column widths from the content (capped, long text wrapped), the protective marking in the printed
  header and footer, landscape pages;
- text written as text, never as a formula: a value that starts with `=`, `+`, `-` or `@` is stored as a
  string cell with Excel's quote prefix, so neither opening the file nor editing the cell runs it
  (formula injection: a narrative typed as `=HYPERLINK(...)` stays words). The value is kept exactly as
  typed — no apostrophe added to the text itself.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

#: the kinds of column a sheet may have
KINDS = ("text", "date", "int", "rag")
#: the house RAG fills (as the Word documents' tables): light enough for black text on them
RAG_FILLS = {"RED": "F4A09C", "AMBER": "FFD27F", "GREEN": "A9D18E", "BLUE": "9DC3E6"}
DATE_FORMAT = "dd/mm/yyyy"
#: Excel's limits: a cell holds at most 32,767 characters; a sheet name 31, without []:*?/\
MAX_CELL = 32767
MAX_TITLE = 31
_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
#: characters XML 1.0 cannot carry (openpyxl refuses them)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Column:
    """One column: its heading and its kind (text, date, int or rag)."""

    name: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: kind {self.kind!r} is not one of {', '.join(KINDS)}")


@dataclass
class Sheet:
    """One sheet: a title (the tab's name), its columns and rows (one value per column, None for none)."""

    title: str
    columns: Sequence[Column]
    rows: list[Sequence[Any]] = field(default_factory=list)


def is_formula_like(text: str) -> bool:
    """Whether Excel (or a CSV reader) would take `text` as the start of a formula."""
    return text[:1] in _FORMULA_START


def sheet_title(title: str, taken: set[str]) -> str:
    """A tab name Excel accepts: no []:*?/\\, at most 31 characters, unique in the workbook."""
    base = _TITLE_BAD.sub("-", title).strip("' ") or "Sheet"
    base = base[:MAX_TITLE]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: MAX_TITLE - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,15}", value.strip()):
        return int(value.strip())
    return None


def _text(value: Any) -> str:
    text = _ILLEGAL.sub("", str(value))
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text


def _shown_width(value: Any, kind: str) -> int:
    if value is None or value == "":
        return 0
    if kind == "date" and _as_date(value) is not None:
        return 10
    return max(len(line) for line in str(value).splitlines() or [""])


def tables_xlsx(sheets: Sequence[Sheet], *, marking: str | None = None, title: str | None = None) -> bytes:
    """The workbook of `sheets`, as the bytes of an `.xlsx`.

    `marking` (e.g. OFFICIAL-SENSITIVE) is printed in each page's header and footer; `title` is the
    workbook's document title (File > Info)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    book = Workbook()
    book.remove(book.active)
    if title:
        book.properties.title = title
    taken: set[str] = set()
    bold = Font(bold=True)
    fills = {word: PatternFill("solid", start_color=colour, end_color=colour) for word, colour in RAG_FILLS.items()}
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for spec in sheets:
        ws = book.create_sheet(sheet_title(spec.title, taken))
        columns = list(spec.columns)
        ws.append([c.name for c in columns])
        for cell in ws[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        widths = [len(c.name) for c in columns]
        for r, row in enumerate(spec.rows, start=2):
            if len(row) != len(columns):
                raise ValueError(f"sheet {spec.title!r} row {r - 1}: {len(row)} values for {len(columns)} columns")
            for c, (column, value) in enumerate(zip(columns, row), start=1):
                widths[c - 1] = max(widths[c - 1], _shown_width(value, column.kind))
                if value is None or value == "":
                    continue
                cell = ws.cell(row=r, column=c)
                kind = column.kind
                if kind == "date" and (day := _as_date(value)) is not None:
                    cell.value = day
                    cell.number_format = DATE_FORMAT
                    cell.alignment = top
                    continue
                if kind == "int" and (number := _as_int(value)) is not None:
                    cell.value = number
                    cell.alignment = top
                    continue
                text = _text(value)
                cell.value = text
                cell.data_type = "s"  # openpyxl makes "=…" a formula: never here
                if is_formula_like(text):
                    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
                if kind == "rag" and text.split(" ")[0].upper() in fills:
                    cell.fill = fills[text.split(" ")[0].upper()]
                    cell.font = bold
                cell.alignment = wrap if ("\n" in text or len(text) > 60) else top
        last_row = max(1, len(spec.rows) + 1)
        last_col = get_column_letter(len(columns))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{last_col}{last_row}"
        for c, (column, width) in enumerate(zip(columns, widths), start=1):
            # +3 leaves room for the filter button; long text is wrapped at 60
            shown = 12 if column.kind == "date" else min(max(width, 6), 60) + 3
            ws.column_dimensions[get_column_letter(c)].width = max(shown, min(len(column.name), 30) + 4)
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        if marking:
            shown_marking = marking.replace("&", "&&")  # & starts a header code in Excel
            ws.oddHeader.center.text = shown_marking
            ws.oddFooter.center.text = shown_marking
            ws.oddFooter.right.text = "Page &P of &N"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
