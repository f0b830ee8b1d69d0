"""Reading an agency's chronology from the file it sent back: `.docx`, `.xlsx` or `.csv`.

An agency returns either the wbcr template (Appendix 4) filled in, or its own table. Either way the
table is found by its header row, whose headings are matched flexibly ("Date of contact", "Contact/Event",
"Action taken", "Outcome", "Source of information", …, see `classify_heading`), anywhere in the first
rows of a sheet or in any table of a document.

Every row is checked and every problem reported at once, one finding per problem, located by the row
number a person sees (the spreadsheet's row number; the CSV record counted as a spreadsheet shows it,
header included; the row of the Word table, header included). Blank rows are skipped. A file with any
bad row yields no record at all.

The agency's wording is kept exactly: a text cell loses only its leading and trailing whitespace
(spaces, tabs and line breaks around the text, which are layout, not wording); nothing inside a cell
is changed — not quotes, dashes, double spaces or line breaks.

Files come from outside the partnership: each is read with limits, and anything unreadable or over a
limit is one `WbcrError`, never a traceback: a .docx or .xlsx through the bounded opener of
`wbcr.documents.ooxml` (entries, each part's and the total unpacked size, checked before anything is
unpacked; no DTDs or entities), a CSV as at most 16 MB of text with at most 4,096 delimiters a line;
then at most 100,000 rows of 64 columns.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from wbcr.core.dates import parse_uk_date
from wbcr.core.errors import FindingsError, UsageError, WbcrError
from wbcr.core.findings import ERROR, Finding
from wbcr.core.yamlio import dump_text, load_record, parse_yaml
from wbcr.documents.docx_writer import _element_text
from wbcr.documents.forms import _Reader, form_layout, read_form_fields
from wbcr.documents.ooxml import MAX_PART_BYTES, Limits, Package, open_package
from wbcr.model import schemas
from wbcr.security.protection import open_returned
from wbcr.store.case import CaseEdit

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_MEMBERS = 5000
#: a Word table is parsed whole (lxml, ~10x the XML in memory): 16 MB is ~6,000 rows as Word writes them
MAX_XML_PART_BYTES = MAX_PART_BYTES
#: openpyxl streams a sheet row by row (read-only mode); only the shared strings are held whole
MAX_SHEET_PART_BYTES = 64 * 1024 * 1024
#: a CSV is held as text and then as rows of cells: 16 MB is ~15,000 rows of 1 KB
MAX_CSV_BYTES = 16 * 1024 * 1024
#: a physical line with more delimiters than this is not a chronology row (the CSV reader would build
#: a list of millions of empty cells from one line of commas before any row limit could stop it)
MAX_DELIMITERS_PER_LINE = 4096
MAX_ROWS = 100_000
MAX_COLUMNS = 64
HEADER_SEARCH_ROWS = 25
ROW = "chronology.row"

#: Cell values that mean "no time recorded".
_NO_TIME = {"", "-", "–", "—", "n/a", "na", "n/k", "nk", "not known", "unknown", "not recorded", "none", "?"}


class ImportFileError(WbcrError):
    """A file that cannot be read as a chronology at all (exit 3): corrupt, hostile, no table in it."""

    def __init__(self, message: str, **kwargs) -> None:
        kwargs.setdefault("code", "chronology.file")
        super().__init__(message, **kwargs)


# --- headings --------------------------------------------------------------------------------------

_DERIVED = {"age", "interval", "since", "flags", "flag", "days"}  # columns wbcr's own merge adds


def classify_heading(text: Any) -> str | None:
    """The chronology field a column heading names, `"datetime"` for a combined date and time,
    `"agency"`, `"derived"` (a column a merged chronology adds), or None."""
    if text is None:
        return None
    words = re.findall(r"[a-z]+", str(text).casefold())
    if not words:
        return None
    w = set(words)
    if "date" in w and "time" in w:
        return "datetime"
    if "date" in w or "when" in w:
        return "date"
    if "time" in w:
        return "time"
    if w & {"seq", "sequence"} or words in (["no"], ["number"], ["entry", "no"], ["entry", "number"], ["order"]):
        return "seq"
    if words in (["agency"], ["agency", "name"], ["organisation"], ["organization"]):
        return "agency"
    if "source" in w:
        return "source"
    if w & {"significance", "significant", "analysis", "comment", "comments", "commentary", "relevance",
            "reflection", "reflections"}:
        return "significance"
    if w & {"action", "actions", "outcome", "outcomes", "response", "decision", "decisions", "taken"}:
        return "action"
    if "whom" in w or w & {"practitioner", "practitioners", "role", "worker", "staff", "professional",
                            "professionals", "officer", "designation", "author"}:
        return "practitioner"
    if w & {"people", "person", "persons", "involved", "individuals", "individual", "subject", "subjects", "who",
            "present", "attendees", "family"}:
        return "people"
    if w & {"event", "events", "contact", "contacts", "details", "detail", "description", "happened",
            "information", "narrative", "summary", "note", "notes", "entry", "incident"}:
        return "event"
    if w & _DERIVED or words in (["child", "s", "age"],):
        return "derived"
    return None


@dataclass
class Columns:
    """Which cell holds which field (text fields may come from two columns, e.g. Action taken + Outcome)."""

    fields: dict[str, list[int]]
    headings: list[str]
    ignored: list[str]

    @classmethod
    def of(cls, header: list[Any]) -> "Columns":
        fields: dict[str, list[int]] = {}
        ignored = []
        headings = ["" if h is None else " ".join(str(h).split()) for h in header]
        for j, heading in enumerate(headings):
            kind = classify_heading(heading)
            if kind is None:
                if heading:
                    ignored.append(heading)
                continue
            if kind == "derived":
                continue
            fields.setdefault(kind, []).append(j)
        return cls(fields, headings, ignored)

    @property
    def usable(self) -> bool:
        return ("date" in self.fields or "datetime" in self.fields) and "event" in self.fields


# --- tables read from a file -----------------------------------------------------------------------


@dataclass
class Table:
    rows: list[tuple[int, list[Any]]]           # (row number as a person counts it, cells)
    label: str = ""                             # "table 2" in a document with several tables
    headings_rows: set[int] = field(default_factory=set)  # rows spanning the whole table (docx headings)


@dataclass
class SourceFile:
    """What was read from the agency's file: tables, form fields (a wbcr template), notes."""

    display: str
    kind: str                                   # docx, xlsx, csv
    tables: list[Table]
    sha256: str
    warnings: list[str] = field(default_factory=list)
    data: bytes = b""


def check_source_path(path: Path, display: str | None = None) -> None:
    """Refuse, before anything else, a file wbcr cannot read as a chronology (by its kind) or that is not there."""
    shown = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".xlsx", ".xlsm", ".csv", ".txt"):
        hint = "save it as .xlsx" if suffix == ".xls" else ("save it as .docx" if suffix == ".doc" else
                                                             "send a .docx, .xlsx or .csv file")
        raise UsageError(f"{shown}: wbcr reads chronologies from .docx, .xlsx and .csv files, not {suffix or 'this file'}",
                         hint=hint)
    if not path.exists():
        raise UsageError(f"{shown}: no such file")


def read_source(path: Path, display: str | None = None, opener=None) -> SourceFile:
    """The agency's file, read within limits; `opener` opens a password-protected one (bytes -> bytes)."""
    shown = display or str(path)
    check_source_path(path, shown)
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{shown} is a folder, not a file") from None
    except OSError as exc:
        raise ImportFileError(f"{shown}: cannot read the file: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"{shown} is larger than {MAX_FILE_BYTES // 1048576} MB; no chronology is that large",
                              hint="check that this is the right file")
    digest = hashlib.sha256(data).hexdigest()
    if opener is not None and suffix in (".docx", ".xlsx", ".xlsm"):
        data = opener(data)
    if suffix == ".docx":
        tables, warnings = _docx_tables(data, shown)
        kind = "docx"
    elif suffix in (".xlsx", ".xlsm"):
        tables, warnings = _xlsx_tables(data, shown)
        kind = "xlsx"
    else:
        tables, warnings = _csv_tables(data, shown)
        kind = "csv"
    return SourceFile(shown, kind, tables, digest, warnings, data)


def _open_package(data: bytes, display: str, what: str, hint: str, part_bytes: int) -> Package:
    """A zip (docx/xlsx) opened by the one bounded opener (`wbcr.documents.ooxml`) with the import's limits
    on members, total and part size, with no DTD in any XML part (openpyxl parses with a parser of its own)."""
    limits = Limits(entries=MAX_MEMBERS, total_bytes=MAX_UNZIPPED_BYTES, part_bytes=part_bytes,
                    file_bytes=MAX_FILE_BYTES)
    try:
        package = open_package(data, display, what=what, hint=hint, limits=limits)
        for name in package.names:
            if name.endswith((".xml", ".rels")) and _has_dtd(package, name):
                raise ImportFileError(f"{display} contains a DTD or entity declarations ({name}), which "
                                      f"no genuine {what} file has; wbcr does not read it", hint=hint)
    except ImportFileError:
        raise
    except WbcrError as exc:
        raise ImportFileError(exc.message, hint=exc.hint) from None
    return package


def _has_dtd(package: Package, name: str) -> bool:
    tail = b""
    for chunk in package.iter_chunks(name):
        block = tail + chunk
        if b"<!DOCTYPE" in block or b"<!ENTITY" in block:
            return True
        tail = block[-16:]
    return False


# --- Word ------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WRAPPERS = {f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag"}


def _children(element, tag: str):
    """Direct children with `tag`, looking through content-control and custom-XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _docx_tables(data: bytes, display: str) -> tuple[list[Table], list[str]]:
    hint = "open it in Word or LibreOffice, save it as .docx, and try again"
    package = _open_package(data, display, "Word .docx", hint, MAX_XML_PART_BYTES)
    if "word/document.xml" not in package:
        raise ImportFileError(f"{display} is not a Word .docx file (or it is damaged)", hint=hint)
    try:
        root = package.xml("word/document.xml")
    except WbcrError as exc:
        raise ImportFileError(exc.message, hint=exc.hint or hint) from None
    body = root.find(f"{W}body")
    if body is None:
        raise ImportFileError(f"{display} has no document body", hint=hint)
    tables = []
    number = 0
    for tbl in body.iter(f"{W}tbl"):
        if any(a.tag == f"{W}tc" for a in tbl.iterancestors()):
            continue  # a table inside a cell is part of that cell's text
        number += 1
        grid = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
        rows = []
        spanning = set()
        for r, tr in enumerate(_children(tbl, f"{W}tr"), start=1):
            if r > MAX_ROWS:
                raise ImportFileError(f"{display}: table {number} has more than {MAX_ROWS} rows")
            cells: list[Any] = []
            before = tr.find(f"{W}trPr/{W}gridBefore")
            if before is not None:
                cells += [""] * _int(before.get(f"{W}val"))
            tcs = list(_children(tr, f"{W}tc"))
            for tc in tcs:
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                cells.append(_element_text(tc, W))
                cells += [""] * (max(_int(span.get(f"{W}val")) if span is not None else 1, 1) - 1)
                if len(cells) > MAX_COLUMNS * 4:
                    break
            if len(tcs) == 1 and grid > 1 and len(cells) >= grid:
                spanning.add(r)
            rows.append((r, cells[: MAX_COLUMNS]))
        tables.append(Table(rows, f"table {number}", spanning))
    return tables, []


def _int(value: Any) -> int:
    try:
        return max(0, min(int(value), MAX_COLUMNS))
    except (TypeError, ValueError):
        return 0


# --- Excel -----------------------------------------------------------------------------------------


def _xlsx_tables(data: bytes, display: str) -> tuple[list[Table], list[str]]:
    hint = "open it in Excel or LibreOffice, save it as .xlsx, and try again"
    _open_package(data, display, "Excel .xlsx", hint, MAX_SHEET_PART_BYTES)
    import warnings

    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a declared dependency
        raise ImportFileError("reading .xlsx needs openpyxl, which is not installed",
                              hint="pip install openpyxl, or save the sheet as .csv") from None
    tables = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            epoch = book.epoch
            for sheet in book.worksheets:
                if getattr(sheet, "sheet_state", "visible") != "visible" and len(book.worksheets) > 1:
                    continue
                rows = []
                for r, values in enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True),
                                           start=1):
                    if r > MAX_ROWS:
                        raise ImportFileError(f"{display}: sheet \"{sheet.title}\" has more than {MAX_ROWS} rows",
                                              hint="delete the empty rows below the table, or split the file")
                    rows.append((r, [_XlsxCell(v, epoch) if isinstance(v, (int, float)) and not isinstance(v, bool)
                                     else v for v in values]))
                tables.append(Table(rows, f'sheet "{sheet.title}"'))
            book.close()
    except WbcrError:
        raise
    except Exception:  # noqa: BLE001 - hostile or damaged input may fail anywhere inside openpyxl
        raise ImportFileError(f"{display} is not a readable Excel workbook (or it is damaged)", hint=hint) from None
    return tables, []


@dataclass(frozen=True)
class _XlsxCell:
    """A number from a sheet, with the workbook's date system (an Excel date serial needs it)."""

    value: float
    epoch: Any

    def __str__(self) -> str:
        v = self.value
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


# --- CSV -------------------------------------------------------------------------------------------

_DELIMITERS = (",", ";", "\t", "|")


def _decode(data: bytes, display: str) -> tuple[str, list[str]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise ImportFileError(f"{display} is damaged UTF-16 text", hint="save it again as CSV UTF-8") from None
    with contextlib.suppress(UnicodeDecodeError):  # not UTF-8: try Windows-1252 below
        return data.decode("utf-8"), []
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(f"{display} is neither UTF-8 nor Windows-1252 text",
                              hint='save it from Excel as "CSV UTF-8 (comma delimited)"') from None
    return text, [f"{display} is not UTF-8: read as Windows-1252 (Excel's older CSV); check that characters "
                  "such as £, é and curly quotes came through, or save it as \"CSV UTF-8\""]


def _csv_tables(data: bytes, display: str) -> tuple[list[Table], list[str]]:
    if len(data) > MAX_CSV_BYTES:
        raise ImportFileError(f"{display} is {len(data) // (1024 * 1024)} MB of text; wbcr reads at most "
                              f"{MAX_CSV_BYTES // (1024 * 1024)} MB of CSV (about 15,000 rows), so nothing was read",
                              hint="check that this is the right file; a longer chronology can be sent as .xlsx")
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(f"{display} is not a text (CSV) file", hint="export the chronology as CSV or .xlsx")
    text, warnings = _decode(data, display)
    best, best_score = ",", -1
    for delimiter in _DELIMITERS:
        score = _header_score(text, delimiter)
        if score > best_score:
            best, best_score = delimiter, score
    wide = re.compile(rf"(?m)^(?:[^\n{re.escape(best)}]*{re.escape(best)}){{{MAX_DELIMITERS_PER_LINE}}}")
    if text.count(best) > MAX_DELIMITERS_PER_LINE and (match := wide.search(text)):
        line = text.count("\n", 0, match.start()) + 1
        raise ImportFileError(f"{display}:{line}: this line has more than {MAX_DELIMITERS_PER_LINE} "
                              f"{'tabs' if best == chr(9) else repr(best)} in it; a chronology has a few columns, "
                              "so the file was not read", hint="check that this is the right file")
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best, strict=True)
    r = 0
    try:
        for r, cells in enumerate(reader, start=1):
            if r > MAX_ROWS:
                raise ImportFileError(f"{display} has more than {MAX_ROWS} rows")
            rows.append((r, cells[:MAX_COLUMNS]))
    except csv.Error as exc:
        raise ImportFileError(f"{display}:{r + 1}: the CSV is malformed here ({exc})",
                              hint="a cell holding the delimiter, a quote or a line break must be in double quotes; "
                                   "save the file again from Excel") from None
    return [Table(rows, "")], warnings


def _header_score(text: str, delimiter: str) -> int:
    """How well the first rows, split by `delimiter`, look like a chronology header (recognised columns)."""
    reader = csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter)
    best = 0
    try:
        for n, cells in enumerate(reader):
            if n >= HEADER_SEARCH_ROWS:
                break
            columns = Columns.of(cells)
            score = sum(len(v) for v in columns.fields.values()) + (100 if columns.usable else 0)
            best = max(best, score)
    except csv.Error:
        return best  # a delimiter that breaks the CSV reader scores what it reached
    return best


# --- rows to entries -------------------------------------------------------------------------------


_TIME_HM = re.compile(r"(\d{1,2})\s*[:.]\s*(\d{2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?)?\s*(?:hrs?|h)?\Z", re.I)
_TIME_COMPACT = re.compile(r"(\d{3,4})\s*(?:hrs?|h)?\Z", re.I)
_TIME_HOUR = re.compile(r"(\d{1,2})\s*(am|pm|a\.m\.?|p\.m\.?)\Z", re.I)
_DATE_AND_TIME = re.compile(r"(.+?)(?:\s+|T|,\s*)(\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*(?:am|pm))?|\d{1,2}\s*(?:am|pm))\Z", re.I)
_WEEKDAY = re.compile(r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.I)


def parse_time(value: Any) -> str | None:
    """`HH:MM` from 09:30, 9.30, 0930, 9:30am, 2pm, 14:30:00, noon, midnight or an Excel time; None for a
    blank or "not known"; ValueError when it is not a time of day."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, _XlsxCell):
        number = value.value
        if isinstance(number, float) and 0 <= number < 1:
            minutes = round(number * 1440)
            if minutes >= 1440:
                raise ValueError(f'"{value}" is not a time of day')
            return f"{minutes // 60:02d}:{minutes % 60:02d}"
        value = str(value)
    text = " ".join(str(value).split()).strip()
    low = text.casefold()
    if low in _NO_TIME:
        return None
    if low in ("noon", "midday", "12 noon"):
        return "12:00"
    if low in ("midnight", "12 midnight"):
        return "00:00"
    hour = minute = None
    suffix = None
    if m := _TIME_HM.match(text):
        hour, minute, suffix = int(m.group(1)), int(m.group(2)), m.group(4)
        if m.group(3) is not None and int(m.group(3)) > 59:
            raise ValueError(f'"{text}" is not a real time')
    elif m := _TIME_COMPACT.match(text):
        digits = m.group(1)
        hour, minute = int(digits[:-2]), int(digits[-2:])
    elif m := _TIME_HOUR.match(text):
        hour, minute, suffix = int(m.group(1)), 0, m.group(2)
    else:
        raise ValueError(f'"{text}" is not a time (write it as 09:30, or leave it blank)')
    if suffix:
        if not 1 <= hour <= 12:
            raise ValueError(f'"{text}" is not a real time')
        pm = suffix.lower().startswith("p")
        hour = (hour % 12) + (12 if pm else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f'"{text}" is not a real time (hours 00–23, minutes 00–59)')
    return f"{hour:02d}:{minute:02d}"


def parse_date_cell(value: Any) -> tuple[dt.date, bool, str | None]:
    """`(date, uncertain, time or None)` of a date cell: UK forms, ISO, a leading `?`, an Excel date or
    date serial, optionally followed by a time. ValueError with the reason."""
    if isinstance(value, dt.datetime):
        t = f"{value.hour:02d}:{value.minute:02d}" if (value.hour, value.minute) != (0, 0) else None
        return value.date(), False, t
    if isinstance(value, dt.date):
        return value, False, None
    if isinstance(value, _XlsxCell):
        from openpyxl.utils.datetime import from_excel

        number = value.value
        if not 1 <= number < 2958466:
            raise ValueError(f'"{value}" is not a date')
        when = from_excel(number, value.epoch)
        day = when.date() if isinstance(when, dt.datetime) else when
        t = f"{when.hour:02d}:{when.minute:02d}" if isinstance(when, dt.datetime) and (when.hour, when.minute) != (0, 0) else None
        return day, False, t
    text = " ".join(str(value).split())
    uncertain = text.startswith("?")
    if uncertain:
        text = text[1:].strip()
    text = _WEEKDAY.sub("", text, count=1) if _WEEKDAY.match(text) else text
    time = None
    try:
        return parse_uk_date(text), uncertain, None
    except ValueError as first:
        m = _DATE_AND_TIME.match(text)
        if not m:
            raise first
        try:
            day = parse_uk_date(m.group(1).strip().rstrip(","))
        except ValueError:
            raise first from None
        time = parse_time(m.group(2))
        return day, uncertain, time


def _text(value: Any) -> str | None:
    """A text cell as the agency wrote it, outer whitespace removed; None when empty."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.isoformat(sep=" ", timespec="minutes") if (value.hour, value.minute) != (0, 0) \
            else value.date().isoformat()
    elif isinstance(value, (dt.date, dt.time)):
        value = value.isoformat()
    elif isinstance(value, bool):
        value = "TRUE" if value else "FALSE"
    text = str(value).strip()
    return text or None


def split_people(text: str) -> list[str]:
    """"Mother, Mother's partner; Child A" → three people. Line breaks, semicolons and commas separate;
    a comma inside brackets does not ("Health Visitor 1 (Team 2, North)")."""
    out, depth, current = [], 0, []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}" and depth:
            depth -= 1
        if (ch in ";\n\r" or (ch == "," and depth == 0)):
            out.append("".join(current))
            current = []
            continue
        current.append(ch)
    out.append("".join(current))
    return [p.strip() for p in out if p.strip()]


@dataclass
class Parsed:
    entries: list[dict]
    problems: list[Finding]
    warnings: list[str]
    skipped: int = 0


def _cell(cells: list[Any], j: int) -> Any:
    return cells[j] if j < len(cells) else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_tables(source: SourceFile, *, agency: str, agency_names: Iterable[str], today: dt.date) -> Parsed:
    """Entries from every chronology table of the file, and every problem, located by row."""
    found = []
    for table in source.tables:
        for position, (r, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
            columns = Columns.of(cells)
            if columns.usable:
                found.append((table, position, columns))
                break
    if not found:
        raise ImportFileError(f"{source.display}: no chronology table found",
                              hint="the table's header row must name at least the Date and the Event columns "
                                   "(e.g. Date | Time | Source | People involved | Event / contact | "
                                   "Action / outcome | Practitioner (role) | Significance)")
    several = len(found) > 1
    entries: list[dict] = []
    problems: list[Finding] = []
    warnings: list[str] = []
    skipped = 0
    own = {agency.casefold(), *(n.casefold() for n in agency_names if n)}
    for table, position, columns in found:
        where = f"{table.label}: " if several or source.kind == "xlsx" and len(source.tables) > 1 else ""
        if columns.ignored:
            warnings.append(f"{source.display}: {where}column(s) not part of a chronology, not imported: "
                            + ", ".join(f'"{h}"' for h in columns.ignored))
        for kind in ("date", "datetime", "time", "seq"):
            if len(columns.fields.get(kind, [])) > 1:
                headings = ", ".join(f'"{columns.headings[j]}"' for j in columns.fields[kind])
                raise ImportFileError(f"{source.display}: {where}more than one column holds the {kind}: {headings}",
                                      hint="keep one of them (rename or delete the other) and import again")
        if "date" in columns.fields and "datetime" in columns.fields:
            raise ImportFileError(f"{source.display}: {where}both a Date and a Date/time column",
                                  hint="keep one of them and import again")
        header_cells = [h.casefold() for h in columns.headings]
        for r, cells in table.rows[position + 1:]:
            if all(_blank(c) for c in cells):
                continue
            if [" ".join(str(c or "").split()).casefold() for c in cells[:len(header_cells)]] == header_cells:
                continue  # the header repeated (a table pasted in twice, or one per page)
            if r in table.headings_rows:
                skipped += 1
                warnings.append(f"{source.display}:{r}: {where}a row spanning the whole table was taken as a heading "
                                f"and skipped: \"{_text(cells[0]) or ''}\"")
                continue
            entry, row_problems = _entry(cells, columns, today=today, own=own)
            for message in row_problems:
                problems.append(Finding(ROW, ERROR, where + message, source.display, r))
            if not row_problems:
                entries.append(entry)
    return Parsed(entries, problems, warnings, skipped)


def _entry(cells: list[Any], columns: Columns, *, today: dt.date, own: set[str]) -> tuple[dict, list[str]]:
    f = columns.fields
    problems: list[str] = []
    entry: dict[str, Any] = {}
    date_col = (f.get("date") or f.get("datetime"))[0]
    raw_date = _cell(cells, date_col)
    time_from_date = None
    if _blank(raw_date):
        problems.append("no date: every entry needs the date the agency knew of it (put ? before an uncertain date)")
    else:
        try:
            day, uncertain, time_from_date = parse_date_cell(raw_date)
        except ValueError as exc:
            problems.append(f"date {_quote(raw_date)} {_reason(exc)}")
        else:
            if day > today:
                problems.append(f"date {_quote(raw_date)} is after today ({today.isoformat()}): a chronology records "
                                "what the agency knew, so no entry can be in the future")
            elif day.year < 1900:
                problems.append(f"date {_quote(raw_date)} is before 1900: check the year")
            else:
                entry["date"] = ("?" if uncertain else "") + day.isoformat()
    if "time" in f:
        raw_time = _cell(cells, f["time"][0])
        try:
            time = parse_time(raw_time)
        except ValueError as exc:
            problems.append(f"time {_quote(raw_time)} {_reason(exc)}")
            time = None
        if time is not None:
            entry["time"] = time
        elif time_from_date is not None:
            entry["time"] = time_from_date
    elif time_from_date is not None:
        entry["time"] = time_from_date
    if "seq" in f:
        raw = _cell(cells, f["seq"][0])
        if not _blank(raw):
            number = raw.value if isinstance(raw, _XlsxCell) else raw
            text = str(number).strip()
            if isinstance(number, float) and number.is_integer():
                text = str(int(number))
            if re.fullmatch(r"[0-9]+", text) and int(text) >= 1:
                entry["seq"] = int(text)
            else:
                problems.append(f"sequence {_quote(raw)} is not a whole number from 1")
    if "agency" in f:
        raw = _text(_cell(cells, f["agency"][0]))
        if raw is not None and raw.casefold() not in own:
            problems.append(f'agency "{raw}" is not this chronology\'s agency: import each agency\'s rows separately')
    for name in ("source", "event", "action", "practitioner", "significance"):
        parts = [t for j in f.get(name, []) if (t := _text(_cell(cells, j))) is not None]
        if parts:
            entry[name] = "\n".join(parts)
    people = [p for j in f.get("people", []) if (t := _text(_cell(cells, j))) is not None for p in split_people(t)]
    if people:
        entry["people"] = people
    if "event" not in entry:
        problems.append("no event: say what the agency learned or did (the Event / contact column is empty)")
    for name in ("event", "action", "significance"):
        if len(entry.get(name, "")) > 100000:
            problems.append(f"the {name} text is longer than 100,000 characters; split it over several entries")
    order = ("date", "time", "seq", "source", "people", "event", "action", "practitioner", "significance")
    return {k: entry[k] for k in order if k in entry}, problems


def _quote(value: Any) -> str:
    text = str(value)
    text = text if len(text) <= 40 else text[:37] + "…"
    return '"' + " ".join(text.split()) + '"'


def _reason(exc: ValueError) -> str:
    """The reason of a parse error, to follow the value it is about ("is not a real date")."""
    text = str(exc)
    # parse_uk_date and parse_time quote the value themselves: keep only the reason
    m = re.match(r'"[^"]*" (is .*)', text)
    return m.group(1) if m else f"is not valid: {text}"


# --- the wbcr template's own fields ----------------------------------------------------------------


def template_details(register, reference: str, agency: str, source: SourceFile, today: dt.date
                     ) -> tuple[dict, list[Finding]]:
    """Author, dates, sign-off and periods of no contact from a filled-in wbcr template (Appendix 4).
    An agency's own document has none of these: an empty result, no problems."""
    layout = form_layout(register, "chronology-template", today, reference, agency)
    fields = read_form_fields(source.data, source.display, layout)
    r = _Reader(fields, layout.labels, source.display)
    out: dict[str, Any] = {}
    author = {"name": r.text("author.name"), "role": r.text("author.role")}
    if author["name"] and not author["role"]:
        r.problem("author.role", "is empty: give the author's role as well as the name")
    if author["role"]:
        out["author"] = {k: v for k, v in author.items() if v}
    submitted = r.date("submitted")
    if submitted:
        out["submitted"] = submitted
    signed = {"by": r.text("signed_off.by"), "role": r.text("signed_off.role"), "date": r.date("signed_off.date")}
    if any(signed.values()):
        if not signed["by"] or not signed["date"]:
            r.problem("signed_off.by" if not signed["by"] else "signed_off.date",
                      "is empty: a sign-off needs who signed it off and the date")
        else:
            out["signed_off"] = {k: v for k, v in signed.items() if v}
    problems = list(r.problems)
    periods, period_problems = _no_contact_periods(source, today)
    problems += period_problems
    if periods:
        out["no_contact_periods"] = periods
    return out, problems


def _no_contact_periods(source: SourceFile, today: dt.date) -> tuple[list[dict], list[Finding]]:
    """The template's "Periods of no contact" table: From | To | Note."""
    periods, problems = [], []
    for table in source.tables:
        if not table.rows:
            continue
        header = [re.findall(r"[a-z]+", str(c or "").casefold()) for c in table.rows[0][1]]
        if len(header) < 2 or "from" not in header[0] or "to" not in header[1]:
            continue
        for r, cells in table.rows[1:]:
            if all(_blank(c) for c in cells):
                continue
            item: dict[str, Any] = {}
            for key, j in (("from", 0), ("to", 1)):
                raw = _cell(cells, j)
                if _blank(raw):
                    problems.append(Finding(ROW, ERROR, f"{table.label}: period of no contact: no \"{key}\" date",
                                            source.display, r))
                    continue
                try:
                    day, uncertain, _ = parse_date_cell(raw)
                    if uncertain:
                        raise ValueError("a period of no contact needs exact dates")
                    item[key] = day.isoformat()
                except ValueError as exc:
                    problems.append(Finding(ROW, ERROR, f"{table.label}: period of no contact: {key} date "
                                                        f"{_quote(raw)} {_reason(exc)}", source.display, r))
            if "from" in item and "to" in item and item["from"] > item["to"]:
                problems.append(Finding(ROW, ERROR, f"{table.label}: period of no contact ends ({item['to']}) before "
                                                    f"it starts ({item['from']})", source.display, r))
                continue
            note = _text(_cell(cells, 2))
            if note:
                item["note"] = note
            if "from" in item and "to" in item:
                periods.append(item)
    return periods, problems


# --- the import ------------------------------------------------------------------------------------


@dataclass
class Imported:
    reference: str
    agency: str
    path: str                 # register-relative
    entries: int
    replaced: bool
    changed: bool
    commit: str | None
    warnings: list[str]
    source_sha256: str

    def as_dict(self) -> dict:
        return {"reference": self.reference, "agency": self.agency, "path": self.path, "entries": self.entries,
                "replaced": self.replaced, "changed": self.changed, "commit": self.commit,
                "warnings": self.warnings, "source_sha256": self.source_sha256}


def build_record(register, reference: str, agency: str, file: Path, *, today: dt.date,
                 existing: dict | None = None, display: str | None = None) -> tuple[dict, SourceFile, Parsed]:
    """The chronology record from the agency's file; FindingsError listing every bad row when any is bad."""
    shown = display or str(file)
    source = read_source(file, display, opener=lambda data: open_returned(register, reference, data, shown))
    names = [register.agency_name(agency)]
    parsed = parse_tables(source, agency=agency, agency_names=names, today=today)
    parsed.warnings[:0] = source.warnings
    details: dict = {}
    problems = list(parsed.problems)
    if source.kind == "docx":
        details, detail_problems = template_details(register, reference, agency, source, today)
        problems += detail_problems
    if problems:
        raise FindingsError(f"{source.display}: {len(problems)} problem(s); nothing was imported",
                            findings=problems, hint="correct the rows named above (or ask the agency to) and "
                                                    "import the whole file again")
    if not parsed.entries:
        raise FindingsError(f"{source.display}: the chronology table has no entries; nothing was imported",
                            hint="check that this is the completed chronology")
    record: dict[str, Any] = {"schema_version": 1, "agency": agency}
    for key in ("author", "submitted", "signed_off", "no_contact_periods"):
        value = details.get(key, (existing or {}).get(key))
        if value:
            record[key] = value
    record["entries"] = parsed.entries
    return record, source, parsed


def dump_chronology(record: dict) -> str:
    """YAML text of a chronology record laid out as people write one by hand: dates plain, times and
    uncertain dates in quotes, text of several lines as a `|` block where a block holds it exactly.
    The caller checks that the text reads back as the record."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString


    def day(value):
        return dt.date.fromisoformat(value) if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) \
            else value

    def text(value):
        if isinstance(value, str) and "\n" in value and _block_ok(value):
            return LiteralScalarString(value)
        return value

    def styled(entry: dict) -> dict:
        out = {k: text(v) for k, v in entry.items()}
        if "time" in out:
            out["time"] = DoubleQuotedScalarString(out["time"])
        date = out.get("date", "")
        out["date"] = DoubleQuotedScalarString(date) if str(date).startswith("?") else day(date)
        return out

    out: dict[str, Any] = {}
    for key, value in record.items():
        if key == "entries":
            out[key] = [styled(e) for e in value]
        elif key == "submitted":
            out[key] = day(value)
        elif key == "signed_off":
            out[key] = {k: (day(v) if k == "date" else v) for k, v in value.items()}
        elif key == "no_contact_periods":
            out[key] = [{k: (day(v) if k in ("from", "to") else text(v)) for k, v in p.items()} for p in value]
        else:
            out[key] = value
    return dump_text(out)


def _block_ok(text: str) -> bool:
    """Whether a `|` block can hold `text` exactly (no edge whitespace a block would lose or misread)."""
    return (not text.startswith((" ", "\t", "\n")) and not text.endswith(("\n", " ", "\t")) and "\r" not in text
            and all(ch == "\n" or ch.isprintable() for ch in text)
            and not any(line.endswith((" ", "\t")) for line in text.split("\n")))


def import_chronology(register, reference: str, agency: str, file: Path, *, today: dt.date, actor: str,
                      replace: bool = False, display: str | None = None) -> Imported:
    """Read the agency's file, check every row, and write `cases/REF/chronology/<agency>.yaml` and commit
    it, or write nothing at all."""
    folder = register.case_folder(reference)
    reference = folder.name
    known = register.agency_ids() | register.lscb_ids()
    if agency not in known:
        import difflib

        near = difflib.get_close_matches(agency, sorted(known), n=1)
        raise UsageError(f'unknown agency "{agency}"', hint=(f'did you mean "{near[0]}"? ' if near else "")
                         + f"agencies in wbcr.yaml: {', '.join(sorted(register.agency_ids()))}")
    check_source_path(file, display)
    relpath = f"cases/{reference}/chronology/{agency}.yaml"
    target = folder / "chronology" / f"{agency}.yaml"
    existing = None
    if target.exists():
        if not replace:
            raise UsageError(f"{relpath} already exists; nothing was imported",
                             hint="give --replace to replace it with this file (the old one stays in the git history)")
        notes = []
        try:
            existing = load_record(target, relpath)
        except WbcrError as exc:  # replacing a damaged record is what --replace is for
            notes.append(f"{relpath} could not be read ({exc.message}); nothing is kept from it")
        existing = existing if isinstance(existing, dict) else None
    else:
        notes = []
    record, source, parsed = build_record(register, reference, agency, file, today=today, existing=existing,
                                          display=display)
    parsed.warnings += notes
    text = dump_chronology(record)
    # what is written must read back exactly as imported: the agency's wording, byte for byte
    if parse_yaml(text, relpath) != record:
        raise WbcrError("the chronology would not read back exactly as imported; nothing was written",
                        hint="this is a bug in wbcr: please report it (without the file)")
    problems = schemas.check_record("chronology", record)
    if problems:
        raise FindingsError(f"{source.display}: the chronology would not be valid; nothing was imported",
                            findings=[Finding("schema", ERROR, p.message, relpath, hint=p.hint) for p in problems])
    imported = Imported(reference, agency, relpath, len(record["entries"]), existing is not None, True, None,
                        parsed.warnings, source.sha256)
    verb = "replaced" if target.exists() else "imported"
    with CaseEdit(register, reference) as edit:
        edit.put_text(f"chronology/{agency}", text)
        written = edit.save(action="chronology-import",
                            summary=f"chronology of {agency} {verb} ({len(record['entries'])} entries)",
                            today=today, actor=actor,
                            extra={"Wbcr-Agency": agency, "Wbcr-Source-Sha256": source.sha256})
    imported.changed = bool(written)
    imported.commit = edit.commit_id
    return imported
