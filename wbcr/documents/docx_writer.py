"""Word documents in the house style: Markdown-subset text in, a `.docx` out.

The Markdown comes from a Jinja template (see `wbcr.documents.render`); every value from the records reaches
this module as an opaque marker, never as Markdown, so text a user typed (`&`, `<`, `*`, `[redacted]`,
`{{ }}`, emoji, right-to-left script, 20,000-character narratives) is written exactly as typed.

Supported markup: `#`–`####` headings, paragraphs, `*emphasis*`, `**strong**`, bullet and numbered
lists, pipe tables, `> notes`, images (by name, from the render's assets), and a paragraph holding only
`\\newpage` for a page break. Form fields are content controls tagged with the field name, so a form
filled in by an agency can be read back (`wbcr.forms`).

Large tables (the merged chronology) are built as XML from a template row: python-docx's per-cell API
is twenty times slower (MEASURED.md).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from wbcr.documents.ooxml import read_docx_xml

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_MARKER = re.compile("\ue000([VF]):([0-9]+)\ue001")
FIELD_PLACEHOLDER = "…………………………"
FONT = "Arial"


@dataclass
class HouseStyle:
    """What every page carries: the board, the reference, the marking, the date, page X of Y."""

    board: str
    reference: str
    title: str
    produced: dt.date
    marking: str = "OFFICIAL-SENSITIVE"
    address: list[str] = field(default_factory=list)
    logo: Path | None = None
    landscape: bool = False
    blank_form: bool = False
    letterhead: bool = True
    draft: bool = False  # watermarked DRAFT on every page; not to be sent


@dataclass
class FormField:
    name: str
    value: str = ""
    label: str = ""
    multiline: bool = False


@dataclass
class Values:
    """The values and form fields a rendering refers to by marker."""

    values: list[Any] = field(default_factory=list)
    fields: list[FormField] = field(default_factory=list)
    images: dict[str, Path] = field(default_factory=dict)
    not_ready: list[str] = field(default_factory=list)  # why the document must not be sent yet

    def value_marker(self, value: Any) -> str:
        self.values.append(value)
        return f"{MARK_OPEN}V:{len(self.values) - 1}{MARK_CLOSE}"

    def field_marker(self, item: FormField) -> str:
        self.fields.append(item)
        return f"{MARK_OPEN}F:{len(self.fields) - 1}{MARK_CLOSE}"


def format_date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.lstrip("?"))
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.day} {value.strftime('%B %Y')}"
    return "" if value is None else str(value)


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (dt.date, dt.datetime)):
        return format_date(value)
    return str(value)


# --- the document shell ----------------------------------------------------------------------------


def new_document(style: HouseStyle):
    doc = Document()
    section = doc.sections[0]
    if style.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.header_distance = section.footer_distance = Mm(8)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    for level, size in ((1, 16), (2, 13), (3, 12), (4, 11)):
        heading = doc.styles[f"Heading {level}"]
        heading.font.name = FONT
        heading.font.size = Pt(size)
        heading.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    marking = style.marking + (" (when completed)" if style.blank_form and style.marking else "")
    if style.draft:
        marking = "DRAFT — NOT TO BE SENT" + (f"  ·  {marking}" if marking else "")
    _header(section, style, marking)
    if style.draft:
        _watermark(section, "DRAFT")
    _footer(section, style, marking)
    _properties(doc, style)
    if style.letterhead:
        _letterhead(doc, style)
    return doc


def _header(section, style: HouseStyle, marking: str) -> None:
    header = section.header
    para = header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if marking:
        run = para.add_run(marking)
        run.bold = True
        run.font.size = Pt(10)
    line = header.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    small = line.add_run(f"{style.board}  ·  Reference {style.reference}")
    small.font.size = Pt(8)
    small.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _watermark(section, text: str) -> None:
    """Word's own text watermark (a grey diagonal word behind the text of every page), as Word's
    Design > Watermark writes it; Word and LibreOffice both show it."""
    from docx.oxml import parse_xml

    xml = (
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w10="urn:schemas-microsoft-com:office:word"><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:pict>'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
        '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
        '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:468pt;height:117pt;rotation:315;'
        'z-index:-251655168;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        'fillcolor="#c8c8c8" stroked="f"><v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;{FONT}&quot;;font-size:1pt" string="{text}"/>'
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r></w:p>')
    section.header._element.append(parse_xml(xml))


def _footer(section, style: HouseStyle, marking: str) -> None:
    footer = section.footer
    para = footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    info = para.add_run(f"Reference {style.reference}  ·  Produced {format_date(style.produced)}  ·  Page ")
    info.font.size = Pt(8)
    _field(para, "PAGE")
    of = para.add_run(" of ")
    of.font.size = Pt(8)
    _field(para, "NUMPAGES")
    if marking:
        mark = footer.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = mark.add_run(marking)
        run.bold = True
        run.font.size = Pt(10)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice update when the page is laid out."""
    run = paragraph.add_run()
    run.font.size = Pt(8)
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text.strip() == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _properties(doc, style: HouseStyle) -> None:
    """Document properties: title and author = board; no stray template metadata."""
    stamp = dt.datetime.combine(style.produced, dt.time(9, 0), tzinfo=dt.timezone.utc)
    props = doc.core_properties
    props.title = ("DRAFT: " if style.draft else "") + style.title
    props.subject = f"Reference {style.reference}"
    props.author = style.board
    props.last_modified_by = style.board
    props.comments = ""
    props.keywords = style.reference
    props.category = style.marking
    props.content_status = "DRAFT" if style.draft else style.marking
    props.identifier = style.reference
    props.language = "en-GB"
    props.version = ""
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


def _letterhead(doc, style: HouseStyle) -> None:
    para = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    if style.draft:
        banner = para.add_run("DRAFT — NOT TO BE SENT")
        banner.bold = True
        banner.font.size = Pt(14)
        banner.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
        para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if style.logo and style.logo.is_file():
        para.add_run().add_picture(str(style.logo), height=Mm(18))
        para.add_run().add_break()
    name = para.add_run(style.board)
    name.bold = True
    name.font.size = Pt(13)
    for line in style.address:
        para.add_run().add_break()
        run = para.add_run(line)
        run.font.size = Pt(9)


# --- Markdown to Word ------------------------------------------------------------------------------


def markdown_to_docx(markdown: str, values: Values, style: HouseStyle) -> bytes:
    from markdown_it import MarkdownIt

    doc = new_document(style)
    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(markdown)
    _Builder(doc, values).run(tokens)
    return save(doc)


def save(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


class _Builder:
    def __init__(self, doc, values: Values) -> None:
        self.doc = doc
        self.values = values
        self.list_stack: list[str] = []
        self.quote = 0
        self.table = None
        self.row = None
        self.cell_index = 0
        self.header_row = False
        self.sdt_id = 1000

    def run(self, tokens) -> None:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            t = tok.type
            if t == "heading_open":
                level = min(int(tok.tag[1]), 4)
                para = self.doc.add_paragraph(style=f"Heading {level}")
                self.inline(para, tokens[i + 1])
                i += 3
                continue
            if t in ("bullet_list_open", "ordered_list_open"):
                self.list_stack.append("List Bullet" if t == "bullet_list_open" else "List Number")
            elif t in ("bullet_list_close", "ordered_list_close"):
                self.list_stack.pop()
            elif t == "blockquote_open":
                self.quote += 1
            elif t == "blockquote_close":
                self.quote -= 1
            elif t == "paragraph_open" and self.table is None:
                inline = tokens[i + 1]
                if inline.content.strip() == "\\newpage":
                    self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                    i += 3
                    continue
                if self.list_stack:
                    style = self.list_stack[-1] if len(self.list_stack) == 1 else f"{self.list_stack[-1]} 2"
                    para = self.doc.add_paragraph(style=style)
                else:
                    para = self.doc.add_paragraph()
                if self.quote:
                    para.paragraph_format.left_indent = Mm(8)
                    para.paragraph_format.right_indent = Mm(8)
                self.inline(para, inline)
                i += 3
                continue
            elif t == "table_open":
                self.table = self.doc.add_table(rows=0, cols=0)
                self.table.style = "Table Grid"
                self.table.alignment = WD_TABLE_ALIGNMENT.CENTER
                self.columns = 0
            elif t == "table_close":
                self._finish_table()
                self.table = None
            elif t == "thead_open":
                self.header_row = True
            elif t == "thead_close":
                self.header_row = False
            elif t == "tr_open":
                self.cells: list = []
            elif t == "tr_close":
                self._add_row(self.cells, header=self.header_row)
            elif t in ("th_open", "td_open"):
                self.cells.append(tokens[i + 1])
                i += 3
                continue
            elif t == "hr":
                self.doc.add_paragraph("—" * 20).alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif t in ("code_block", "fence"):
                para = self.doc.add_paragraph()
                self.text(para, tok.content.rstrip("\n"), {})
            i += 1

    def _add_row(self, inlines, header: bool) -> None:
        table = self.table
        if not table.columns:
            for _ in inlines:
                table.add_column(Mm(10))
        row = table.add_row()
        for cell, inline in zip(row.cells, inlines):
            para = cell.paragraphs[0]
            self.inline(para, inline, bold=header)
            if header:
                _shade(cell, "D9E2F3")
        if header:
            _repeat_header(row)

    def _finish_table(self) -> None:
        section = self.doc.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        columns = self.table.columns
        if not columns:
            return
        # Share the width by how much each column holds (capped), so label columns stay readable.
        weights = []
        for column in columns:
            w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
            texts = [_element_text(cell._tc, w) for cell in column.cells]
            longest = max((max((len(line) for line in t.split("\n")), default=0) for t in texts), default=0)
            word = max((len(x) for t in texts for x in t.split()), default=0)
            has_field = any(cell._tc.find(f".//{w}sdt") is not None for cell in column.cells)
            # as wide as its longest line (up to a point), never narrower than its longest word
            weights.append(max(min(max(longest, 24 if has_field else 6), 45), min(word + 1, 30)))
        total = sum(weights)
        for column, weight in zip(columns, weights):
            share = int(width * weight / total)
            column.width = share
            for cell in column.cells:
                cell.width = share
        self.doc.add_paragraph()

    def inline(self, para, inline, bold: bool = False) -> None:
        state = {"bold": bold, "italic": False}
        for child in inline.children or []:
            t = child.type
            if t == "text":
                self.text(para, child.content, state)
            elif t == "code_inline":
                self.text(para, child.content, state)
            elif t == "strong_open":
                state["bold"] = True
            elif t == "strong_close":
                state["bold"] = bold
            elif t == "em_open":
                state["italic"] = True
            elif t == "em_close":
                state["italic"] = False
            elif t == "softbreak":
                self.text(para, " ", state)
            elif t == "hardbreak":
                para.add_run().add_break()
            elif t == "image":
                name = child.attrGet("src") or ""
                path = self.values.images.get(name)
                if path and Path(path).is_file():
                    self._picture(para, Path(path))
                else:
                    self.text(para, f"[{child.content or name}]", state)

    def _picture(self, para, path: Path) -> None:
        """A picture as large as the text area allows, keeping its proportions (a tall flow chart
        is fitted to the page height rather than running off the page)."""
        from docx.image.image import Image

        section = self.doc.sections[0]
        max_w = (section.page_width - section.left_margin - section.right_margin) * 0.98
        max_h = (section.page_height - section.top_margin - section.bottom_margin) * 0.6
        image = Image.from_file(str(path))
        scale = min(max_w / image.width, max_h / image.height)
        para.add_run().add_picture(str(path), width=int(image.width * scale), height=int(image.height * scale))

    def text(self, para, text: str, state: dict) -> None:
        pos = 0
        for match in _MARKER.finditer(text):
            if match.start() > pos:
                self._run(para, text[pos:match.start()], state)
            kind, index = match.group(1), int(match.group(2))
            if kind == "V":
                self._run(para, _text_of(self.values.values[index]), state)
            else:
                self._content_control(para, self.values.fields[index])
            pos = match.end()
        if pos < len(text):
            self._run(para, text[pos:], state)

    def _run(self, para, text: str, state: dict) -> None:
        lines = text.replace("\r\n", "\n").split("\n")
        run = para.add_run()
        run.bold = state.get("bold") or None
        run.italic = state.get("italic") or None
        for n, line in enumerate(lines):
            if n:
                run.add_break()
            if line:
                _add_text(run._r, line)
        if _is_rtl(text):
            rpr = run._r.get_or_add_rPr()
            rpr.append(OxmlElement("w:rtl"))

    def _content_control(self, para, item: FormField) -> None:
        self.sdt_id += 1
        sdt = OxmlElement("w:sdt")
        pr = OxmlElement("w:sdtPr")
        alias = OxmlElement("w:alias")
        alias.set(qn("w:val"), item.label or item.name)
        tag = OxmlElement("w:tag")
        tag.set(qn("w:val"), item.name)
        ident = OxmlElement("w:id")
        ident.set(qn("w:val"), str(self.sdt_id))
        text = OxmlElement("w:text")
        if item.multiline:
            text.set(qn("w:multiLine"), "1")
        pr.extend([alias, tag, ident, text])
        content = OxmlElement("w:sdtContent")
        run = OxmlElement("w:r")
        value = _text_of(item.value)
        lines = value.split("\n") if value else [FIELD_PLACEHOLDER]
        for n, line in enumerate(lines):
            if n:
                run.append(OxmlElement("w:br"))
            _add_text(run, line)
        content.append(run)
        sdt.extend([pr, content])
        para._p.append(sdt)


def _add_text(r, text: str) -> None:
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = _xml_safe(text)
    r.append(t)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold control characters: show them as U+FFFD rather than write a broken file."""
    return _XML_BAD.sub("\ufffd", text)


def _is_rtl(text: str) -> bool:
    """Right-to-left text only (Arabic, Hebrew, Urdu…): mixed text is left to the bidi algorithm."""
    rtl = any("\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufefc" for ch in text)
    return rtl and not any(ch.isascii() and ch.isalpha() for ch in text)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


# --- fast tables -----------------------------------------------------------------------------------


def add_fast_table(doc, columns: list[str], rows: Iterable[list[Any]], widths_mm: list[float] | None = None,
                   shade: Iterable[str | None] | None = None) -> None:
    """A table of many rows, built by copying a prototype row's XML (20× faster than per-cell calls)."""
    table = doc.add_table(rows=2, cols=len(columns))
    table.style = "Table Grid"
    header, proto = table.rows[0], table.rows[1]
    for cell, name in zip(header.cells, columns):
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        run.font.size = Pt(8)
        _shade(cell, "D9E2F3")
    _repeat_header(header)
    if widths_mm:
        for row in (header, proto):
            for cell, width in zip(row.cells, widths_mm):
                cell.width = Mm(width)
    for cell in proto.cells:
        cell.paragraphs[0].add_run("x").font.size = Pt(8)
    proto_tr = proto._tr
    tbl = table._tbl
    tbl.remove(proto_tr)
    shades = iter(shade) if shade is not None else None
    t_tag = qn("w:t")
    for values in rows:
        tr = copy.deepcopy(proto_tr)
        fill = next(shades) if shades is not None else None
        for tc, value in zip(tr.iterchildren(qn("w:tc")), values):
            t = next(tc.iter(t_tag))
            text = _xml_safe(_text_of(value))
            if "\n" in text:
                r = t.getparent()
                r.remove(t)
                for n, line in enumerate(text.split("\n")):
                    if n:
                        r.append(OxmlElement("w:br"))
                    _add_text(r, line)
            else:
                t.text = text
                t.set(qn("xml:space"), "preserve")
            if fill:
                tc_pr = tc.find(qn("w:tcPr"))
                if tc_pr is None:
                    tc_pr = OxmlElement("w:tcPr")
                    tc.insert(0, tc_pr)
                shd = OxmlElement("w:shd")
                shd.set(qn("w:val"), "clear")
                shd.set(qn("w:color"), "auto")
                shd.set(qn("w:fill"), fill)
                tc_pr.append(shd)
        tbl.append(tr)


# --- reading Word documents back -------------------------------------------------------------------


def iter_content_controls(docx_bytes: bytes) -> Iterable[tuple[str, str]]:
    """(tag, text) of every content control in a document's body, headers excluded. A control whose
    tag an editor dropped (LibreOffice keeps only the alias) is given as ("alias:" + alias, text)."""
    root = read_docx_xml(docx_bytes, "word/document.xml")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for sdt in root.iter(f"{w}sdt"):
        pr = sdt.find(f"{w}sdtPr")
        tag = pr.find(f"{w}tag") if pr is not None else None
        alias = pr.find(f"{w}alias") if pr is not None else None
        if tag is not None:
            name = tag.get(f"{w}val")
        elif alias is not None:
            name = "alias:" + (alias.get(f"{w}val") or "")
        else:
            continue
        content = sdt.find(f"{w}sdtContent")
        yield name, _element_text(content, w)


def _element_text(element, w: str) -> str:
    if element is None:
        return ""
    parts: list[str] = []
    for node in element.iter():
        if node.tag == f"{w}t" and node.text:
            parts.append(node.text)
        elif node.tag in (f"{w}br", f"{w}cr"):
            parts.append("\n")
        elif node.tag == f"{w}tab":
            parts.append("\t")
        elif node.tag == f"{w}p" and parts and parts[-1] != "\n":
            parts.append("\n")
    return "".join(parts).strip("\n")
