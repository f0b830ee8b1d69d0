"""The integrated chronology as the panel reads it: a landscape Word document and a CSV file.

The Word document carries the house style (letterhead, marking, page X of Y, properties) and splits the
entries into one table per year, or per month for a busy year, so that no table has more than
`MAX_ROWS_PER_TABLE` rows: LibreOffice takes minutes over one long table and seconds over many short ones
(MEASURED.md). Rows are built as XML (`docx_writer.add_fast_table`). Flagged rows are shaded.

The CSV file is UTF-8 with a byte-order mark (so Excel shows £, é and curly quotes correctly), one row
per entry, dates as ISO `YYYY-MM-DD` (a leading ? kept); a cell that Excel would run as a formula
(starting with =, +, @, or - followed by a non-space) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from typing import Iterable

from wbcr.chronology.merge import GAP, MISSING, SAME_DAY, SCOPE, Merged, Row, format_interval, format_uk_date
from wbcr.documents.docx_writer import HouseStyle, add_fast_table, new_document, save

MAX_ROWS_PER_TABLE = 250

#: The merged table's columns: heading, width in mm (landscape A4 less margins is 257 mm).
WORD_COLUMNS = (
    ("Date", 21), ("Time", 12), ("Agency", 18), ("Age", 16), ("Since last", 13), ("Source", 21),
    ("People involved", 22), ("Event / contact", 45), ("Action / outcome", 35), ("Practitioner (role)", 24),
    ("Significance", 30),
)
SHADES = {"scope": "F8D7DA", "same-day": "FFF2CC"}

CSV_COLUMNS = ("Date", "Time", "Seq", "Agency", "Age", "Days since previous", "Source", "People involved",
               "Event / contact", "Action / outcome", "Practitioner (role)", "Significance", "Flags")


def _cells(row: Row) -> list[str]:
    e = row.entry
    return [format_uk_date(row.day, row.uncertain), row.time or "", row.agency, row.age,
            format_interval(row.interval), e.get("source") or "", row.people(), e.get("event") or "",
            e.get("action") or "", e.get("practitioner") or "", e.get("significance") or ""]


def group_rows(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    """(heading, rows) per year. A year with more rows than a table should hold is split into runs of
    whole months ("March – May 2019"), and a single month still too long into parts."""
    years: dict[int, list[Row]] = {}
    for row in rows:
        years.setdefault(row.day.year, []).append(row)
    out = []
    for year, items in years.items():
        if len(items) <= MAX_ROWS_PER_TABLE:
            out.append((str(year), items))
            continue
        months: dict[int, list[Row]] = {}
        for row in items:
            months.setdefault(row.day.month, []).append(row)
        run: list[int] = []
        for month in list(months) + [None]:
            if run and (month is None or sum(len(months[m]) for m in run) + len(months[month]) > MAX_ROWS_PER_TABLE):
                first, last = dt.date(year, run[0], 1).strftime("%B"), dt.date(year, run[-1], 1).strftime("%B")
                title = f"{first} {year}" if first == last else f"{first} – {last} {year}"
                chunk = [r for m in run for r in months[m]]
                parts = [chunk[i:i + MAX_ROWS_PER_TABLE] for i in range(0, len(chunk), MAX_ROWS_PER_TABLE)]
                for n, part in enumerate(parts, start=1):
                    out.append((title if len(parts) == 1 else f"{title} ({n} of {len(parts)})", part))
                run = []
            if month is not None:
                run.append(month)
    return out


def flag_lines(merged: Merged, names: bool = True) -> list[tuple[str, list[str]]]:
    """The flags as (section title, lines) for the document (agency names) and the terminal (ids)."""
    names = merged.agency_names if names else {}
    sections = []
    missing = merged.flags_of(MISSING)
    if missing:
        sections.append(("Chronologies asked for and not supplied", [f.message for f in missing]))
    scope = merged.flags_of(SCOPE)
    if scope:
        lines = []
        for f in scope:
            lines.append(f"{names.get(f.agency, f.agency)}: entry dated {f.start} (entry {f.index + 1} of its chronology)")
        sections.append(("Entries outside the scope period", lines))
    gaps = merged.flags_of(GAP)
    if gaps:
        lines = []
        for f in gaps:
            if f.agency:
                lines.append(f"{names.get(f.agency, f.agency)}: no contact recorded from {f.start} to {f.end} "
                             f"({f.days} days), no period of no contact declared")
            else:
                lines.append(f"No agency recorded any contact from {f.start} to {f.end} ({f.days} days)")
        sections.append((f"Gaps of more than {merged.gap_days} days", lines))
    same = merged.flags_of(SAME_DAY)
    if same:
        lines = [f"{f.start}: {', '.join(names.get(a, a) for a in f.agencies)}" for f in same]
        sections.append(("The same day recorded by two or more agencies (possible duplicates or "
                         "information-sharing points)", lines))
    return sections


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPECIAL = re.compile("[&<>\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CELL_STYLE = "Chronology cell"


def _xml_text(text: str) -> str:
    """Text for a `w:t` element: escaped, and control characters XML cannot hold shown as U+FFFD."""
    return _XML_BAD.sub("\ufffd", text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _runs(text: str) -> str:
    """The `w:t` elements of a run holding `text` (line breaks as `w:br`)."""
    if not text:
        return ""
    if _SPECIAL.search(text) is None:  # the usual case: plain text, one element
        return f'<w:t xml:space="preserve">{text}</w:t>'
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<w:br/>".join(f'<w:t xml:space="preserve">{_xml_text(line)}</w:t>' for line in lines)


def _cell_style(doc) -> str:
    """A paragraph style for table cells (8 pt, no space after): set once, not on every cell."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    styles = doc.styles
    try:
        return styles[CELL_STYLE].style_id
    except KeyError:
        style = styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = Pt(8)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.space_before = Pt(0)
        return style.style_id


class _Spliced:
    """Large runs of XML (table rows, flag paragraphs) kept as text and put into `word/document.xml` after
    python-docx has saved the rest: parsing 20,000 rows into the tree only to serialise them again
    costs more than building, escaping and compressing them together. Each run's place is an XML
    comment, which python-docx keeps as it is."""

    def __init__(self) -> None:
        self.parts: dict[str, str] = {}

    def mark(self, parent, xml: str, before=None) -> None:
        from lxml import etree

        key = f"wbcr-splice-{len(self.parts)}"
        self.parts[key] = xml
        comment = etree.Comment(key)
        if before is not None:
            before.addprevious(comment)
        else:
            parent.append(comment)

    def apply(self, docx: bytes) -> bytes:
        if not self.parts:
            return docx
        source = zipfile.ZipFile(io.BytesIO(docx))
        xml = source.read("word/document.xml").decode("utf-8")
        pieces = re.split(r"<!--(wbcr-splice-[0-9]+)-->", xml)
        for i in range(1, len(pieces), 2):
            pieces[i] = self.parts[pieces[i]]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = "".join(pieces).encode("utf-8") if item.filename == "word/document.xml" \
                    else source.read(item.filename)
                target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
        return out.getvalue()


def _body_end(doc):
    """(body, the element new content goes before: the section properties)."""
    body = doc.element.body
    return body, body.find(f"{{{_W_NS}}}sectPr")


def _paragraphs(doc, spliced: _Spliced, style_id: str, lines: Iterable[str]) -> None:
    body, sect = _body_end(doc)
    spliced.mark(body, "".join(f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr><w:r>{_runs(line)}</w:r></w:p>'
                               for line in lines), before=sect)


def _table(doc, spliced: _Spliced, columns: list[str], rows: Iterable[list[str]], widths_mm: list[float],
           shade: Iterable[str | None] | None = None) -> None:
    """A table of many rows: the table, its properties and its header row from `docx_writer.add_fast_table`;
    the rows built as XML text (spliced in after saving). The grid carries the widths too: LibreOffice
    lays a table out by its grid, Word by its cells; the layout is fixed so both keep them."""
    from docx.shared import Mm


    add_fast_table(doc, columns, [], widths_mm=widths_mm)
    body, sect = _body_end(doc)
    tbl = sect.getprevious() if sect is not None else body[-1]
    tbl.tblPr.autofit = False
    for col, width in zip(tbl.tblGrid.gridCol_lst, widths_mm):
        col.w = Mm(width)
    # Data cells carry no width of their own: the fixed layout takes the grid's (and the header row's).
    style = _cell_style(doc)
    plain = f'<w:tc><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r>'
    shaded: dict[str, str] = {}
    end = "</w:r></w:p></w:tc>"
    shades = iter(shade) if shade is not None else None
    parts = []
    for values in rows:
        fill = next(shades) if shades is not None else None
        if fill:
            if fill not in shaded:
                shaded[fill] = (f'<w:tc><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr>'
                                f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r>')
            start = shaded[fill]
        else:
            start = plain
        parts.append("<w:tr>")
        for value in values:
            parts.append(start)
            parts.append(_runs(value))
            parts.append(end)
        parts.append("</w:tr>")
    if parts:
        spliced.mark(tbl, "".join(parts))


def build_docx(register, merged: Merged, today: dt.date, progress=None) -> bytes:
    """The integrated chronology as a landscape Word document in the house style (unprotected bytes).
    `progress`, when given, is told ("writing the Word document", tables written, tables)."""
    from pathlib import Path

    from docx.shared import Pt


    config = register.config
    board = config.get("board") or {}
    logo = Path(register.root / board["logo"]) if board.get("logo") else None
    style = HouseStyle(board=board.get("name", "Safeguarding Children Board"), reference=merged.reference,
                       title="Integrated chronology", marking=config.get("protective_marking", "OFFICIAL-SENSITIVE"),
                       produced=today, address=list(board.get("address") or []), logo=logo, landscape=True)
    doc = new_document(style)
    spliced = _Spliced()
    doc.add_paragraph("Integrated chronology", style="Heading 1")
    view = ("Pseudonymised view: every name recorded in people.yaml has been replaced by the person's pseudonym."
            if merged.pseudonymised else "Named view: entries are as the agencies recorded them.")
    facts = [
        ("Reference", merged.reference),
        ("The child is referred to as", merged.pseudonym or ""),
        ("Scope period", f"{format_uk_date(merged.scope[0])} to {format_uk_date(merged.scope[1])}"
         if merged.scope else "not recorded"),
        ("Chronologies merged", ", ".join(merged.agency_names[a] for a in merged.agencies) or "none"),
        ("Entries", str(len(merged.rows))),
        ("View", view),
    ]
    _table(doc, spliced, ["Detail", "Entry"], [[k, v] for k, v in facts], [55, 202])
    para = doc.add_paragraph()
    para.paragraph_format.space_before = Pt(6)
    para.add_run("Entries are in order of the date the agency knew of the event, then time, sequence and agency. "
                 "A date starting with ? is uncertain. Age is "
                 f"{merged.subject or 'the child'}'s on that date; \"Since last\" is the time since the previous "
                 "entry of any agency. Rows shaded red are outside the scope period; rows shaded yellow share "
                 "their date with another agency's entry.").font.size = Pt(9)
    bullet = doc.styles["List Bullet"].style_id
    for title, lines in flag_lines(merged):
        doc.add_paragraph(title, style="Heading 3")
        _paragraphs(doc, spliced, bullet, lines)
    periods = [(a, p) for a, items in merged.no_contact.items() for p in items]
    if periods:
        doc.add_paragraph("Periods of no contact declared by the agencies", style="Heading 3")
        _table(doc, spliced, ["Agency", "From", "To", "Note"],
               [[merged.agency_names.get(a, a), _uk(p.get("from")), _uk(p.get("to")), p.get("note") or ""]
                for a, p in periods], [45, 22, 22, 168])
    headings = [h for h, _ in WORD_COLUMNS]
    widths = [w for _, w in WORD_COLUMNS]
    heading = doc.styles["Heading 2"].style_id
    groups = group_rows(merged.rows)
    for done, (title, rows) in enumerate(groups, 1):
        _paragraphs(doc, spliced, heading, [title])
        _table(doc, spliced, headings, (_cells(r) for r in rows), widths,
               shade=(SHADES.get(r.shade) if r.shade else None for r in rows))
        if progress is not None:
            progress("writing the Word document", done, len(groups))
    return spliced.apply(save(doc))


def _uk(value) -> str:
    try:
        return format_uk_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def _safe(cell: str) -> str:
    """A cell Excel would run as a formula is kept as text with a leading apostrophe."""
    if cell[:1] in ("=", "+", "@", "\t", "\r") or (cell[:1] == "-" and len(cell) > 1 and not cell[1].isspace()):
        return "'" + cell
    return cell


def iter_csv_rows(merged: Merged) -> Iterable[list[str]]:
    yield list(CSV_COLUMNS)
    for r in merged.rows:
        e = r.entry
        yield [r.date_text, r.time or "", "" if r.seq is None else str(r.seq), r.agency, r.age,
               "" if r.interval is None else str(r.interval), e.get("source") or "", r.people(),
               e.get("event") or "", e.get("action") or "", e.get("practitioner") or "",
               e.get("significance") or "", "; ".join(r.flags)]


def format_csv(merged: Merged) -> str:
    """The integrated chronology as CSV text (the caller writes it with a UTF-8 byte-order mark)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    for row in iter_csv_rows(merged):
        writer.writerow([_safe(c) for c in row])
    return buf.getvalue()
