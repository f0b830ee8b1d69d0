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
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from wbcr.documents.ooxml import read_docx_xml

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_MARKER = re.compile("\ue000([VF]):([0-9]+)\ue001")
FIELD_PLACEHOLDER = "…………………………"  # the dotted line of forms made before fields had prompts: read as empty
FONT = "Arial"
LANGUAGE = "en-GB"  # UK English proofing
TABLE_TEXT, TABLE_TEXT_ID = "Table Text", "TableText"  # paragraphs in tables: 10 pt, tight
TABLE_PT = 10


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
    reference_label: str = "Reference"  # what the header and footer call `reference` ("" for none)

    @property
    def reference_text(self) -> str:
        """`reference` as the header, footer and properties show it: "Reference WBCR-2026-004"."""
        return f"{self.reference_label} {self.reference}" if self.reference_label else self.reference


FIELD_KINDS = ("text", "date", "check", "choice", "yesno")
YES_NO = (("yes", "Yes"), ("no", "No"))


@dataclass
class FormField:
    """A Word content control: plain text (multiline or not), a date picker, a checkbox, or a drop-down
    list of (value, shown) options ("yesno": Yes / No). Empty, it shows a grey prompt that Word replaces
    when the field is filled in; a checkbox shows an empty box."""

    name: str
    value: Any = ""
    label: str = ""
    multiline: bool = False
    kind: str = "text"
    options: tuple[tuple[str, str], ...] = ()


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
    _house_fonts(doc)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for level, size in ((1, 16), (2, 13), (3, 12), (4, 11)):
        heading = doc.styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
        heading.paragraph_format.keep_with_next = True  # never stranded at a page foot
        heading.paragraph_format.keep_together = True
    cell_text = doc.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    cell_text.base_style = normal
    cell_text.font.size = Pt(TABLE_PT)
    cell_text.paragraph_format.space_after = Pt(2)
    marking = style.marking + (" (when completed)" if style.blank_form and style.marking else "")
    if style.draft:
        marking = "DRAFT — NOT TO BE SENT" + (f"  ·  {marking}" if marking else "")
    _header(section, style, marking)
    if style.draft:
        _watermark(section, "DRAFT")
    _footer(section, style, marking)
    _properties(doc, style)
    _clean_package(doc, style)
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
    small = line.add_run(f"{style.board}  ·  {style.reference_text}")
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
    info = para.add_run(f"{style.reference_text}  ·  Produced {format_date(style.produced)}  ·  Page ")
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
    props.subject = style.reference_text
    props.author = style.board
    props.last_modified_by = style.board
    props.comments = ""
    props.keywords = style.reference
    props.category = style.marking
    props.content_status = "DRAFT" if style.draft else style.marking
    props.identifier = style.reference
    props.language = LANGUAGE
    props.version = ""
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _house_fonts(doc) -> None:
    """The house font in every slot Word or LibreOffice may read: the document defaults and every style
    name it explicitly (python-docx's template gives headings the theme's Calibri/Cambria, which win over
    a plain font name), and the theme's own fonts; UK English proofing throughout."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for element in [rpr] + [s.get_or_add_rPr() for s in styles.iterchildren(qn("w:style"))
                            if s.get(qn("w:type")) in ("paragraph", "character", "table")]:
        if element.find(qn("w:rFonts")) is None:
            element.insert(0, OxmlElement("w:rFonts"))
    for fonts in styles.iter(qn("w:rFonts")):  # table styles' conditional formats included
        for attr in _THEME_ATTRS:
            fonts.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{attr}"), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.attrib.pop(qn("w:bidi"), None)
    for style in styles.iterchildren(qn("w:style")):  # a style that names its own language names ours
        for el in style.iter(qn("w:lang")):
            el.set(qn("w:val"), LANGUAGE)
    settings = doc.settings.element
    for el in settings.iter(qn("w:themeFontLang")):
        el.set(qn("w:val"), LANGUAGE)
        el.attrib.pop(qn("w:eastAsia"), None)
    for el in list(settings.iter(qn("w:proofState"), qn("w:attachedTemplate"), qn("w:savePreviewPicture"))):
        el.getparent().remove(el)  # "already proofed", a template and a thumbnail are not ours to claim
    for part in doc.part.package.iter_parts():
        if part.partname == "/word/theme/theme1.xml":
            part._blob = re.sub(rb'(<a:(?:latin|ea|cs) typeface=")[^"]*(")', rb"\g<1>" + FONT.encode() + rb"\g<2>",
                                part.blob)


_APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
            '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>{app}'
            '</Application><Company>{company}</Company><DocSecurity>0</DocSecurity></Properties>')


def _clean_package(doc, style: HouseStyle) -> None:
    """No python-docx template leftovers: its thumbnail, its custom XML and Word 2010 style copy, and
    an app.xml naming "Microsoft Macintosh Word" and Normal.dotm."""
    from xml.sax.saxutils import escape

    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rid)
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/customXml", "/stylesWithEffects")):
            doc.part.rels.pop(rid)
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = _APP_XML.format(app="wbcr", company=escape(style.board)).encode("utf-8")
        elif part.partname == "/word/fontTable.xml":
            part._blob = _FONT_TABLE.encode("utf-8")


# The fonts the document uses, and only those: the house font, Symbol for the list bullets, and the
# font Word draws its checkbox glyphs in (not python-docx's Calibri, Cambria and Japanese fonts).
_FONT_TABLE = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    f'<w:font w:name="{FONT}"><w:panose1 w:val="020B0604020202020204"/><w:charset w:val="00"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    '<w:font w:name="Symbol"><w:panose1 w:val="05050102010706020507"/><w:charset w:val="02"/>'
    '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    '<w:font w:name="MS Gothic"><w:altName w:val="ＭＳ ゴシック"/><w:panose1 w:val="020B0609070205080204"/>'
    '<w:charset w:val="80"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
    "</w:fonts>")


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
                if self._writing_box(para):
                    i += 3
                    continue
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
            else:
                rating = _rag_of(_element_text(cell._tc, W))
                if rating:
                    _shade(cell, RAG_FILLS[rating])
        if header:
            _repeat_header(row)

    def _writing_box(self, para) -> bool:
        """A paragraph that is one multi-line form field alone becomes a box to write in: a one-cell
        table at least 3 cm tall that grows with what is written (a bare field has no room on paper)."""
        p = para._p
        sdts = list(p.iter(qn("w:sdt")))
        if len(sdts) != 1 or _element_text(p, W).strip() != _element_text(sdts[0], W).strip():
            return False
        kind = sdts[0].find(f"{qn('w:sdtPr')}/{qn('w:text')}")
        if kind is None or kind.get(qn("w:multiLine")) != "1":
            return False
        section = self.doc.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        box = self.doc.add_table(rows=1, cols=1)
        box.style = "Table Grid"
        box.autofit = False
        tr_pr = box.rows[0]._tr.get_or_add_trPr()
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(int(Mm(30).pt * 20)))
        height.set(qn("w:hRule"), "atLeast")
        tr_pr.append(height)
        twips = str(int(Emu(width).pt * 20))
        cell = box.rows[0].cells[0]
        tc_w = cell._tc.get_or_add_tcPr().get_or_add_tcW()
        tc_w.set(qn("w:type"), "dxa")
        tc_w.set(qn("w:w"), twips)
        box._tbl.tblGrid.find(qn("w:gridCol")).set(qn("w:w"), twips)
        tr_pr.append(OxmlElement("w:tblHeader"))  # one row: nothing repeats, but it is marked as every table is
        previous = p.getprevious()
        if previous is not None and previous.tag == qn("w:p") and 0 < len(_element_text(previous, W)) <= 200:
            previous.get_or_add_pPr().get_or_add_keepNext()  # the question stays with its box
        target = cell.paragraphs[0]._p
        target.get_or_add_pPr().append(_style_ref(TABLE_TEXT_ID))
        target.append(sdts[0])
        p.getparent().remove(p)
        self.doc.add_paragraph()
        return True

    def _finish_table(self) -> None:
        section = self.doc.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        if not self.table.columns:
            return
        fit_table(self.table, width, section.page_height - section.top_margin - section.bottom_margin)
        previous = self.table._tbl.getprevious()
        if previous is not None and previous.tag == qn("w:p") and 0 < len(_element_text(previous, W)) <= 200:
            previous.get_or_add_pPr().get_or_add_keepNext()  # a table's caption stays with it
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
        """A picture at its own size (by its dpi), or smaller to fit the text area, keeping its
        proportions (a tall flow chart is fitted to the page height rather than running off the page)."""
        from docx.image.image import Image

        section = self.doc.sections[0]
        max_w = (section.page_width - section.left_margin - section.right_margin) * 0.98
        max_h = (section.page_height - section.top_margin - section.bottom_margin) * 0.9  # a page of its own
        image = Image.from_file(str(path))
        scale = min(max_w / image.width, max_h / image.height, 1.0)  # fitted, never enlarged
        para.add_run().add_picture(str(path), width=int(image.width * scale), height=int(image.height * scale))
        para.paragraph_format.widow_control = False  # pictures side by side or one under the other, each
        # where it fits: widow control would push a first picture that fits to the next page with the rest

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
        para._p.append(content_control(item, self.sdt_id))


def content_control(item: FormField, ident: int):
    """The `w:sdt` of a form field: a content control of its kind, tagged with the field's name and
    titled with its label. An empty field shows a grey prompt (w:showingPlcHdr: Word selects it whole
    and replaces it as the field is filled in); an empty checkbox an empty box."""
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    alias = OxmlElement("w:alias")
    alias.set(qn("w:val"), item.label or item.name)
    tag = OxmlElement("w:tag")
    tag.set(qn("w:val"), item.name)
    sdt_id = OxmlElement("w:id")
    sdt_id.set(qn("w:val"), str(ident))
    pr.extend([alias, tag, sdt_id])
    shown, prompt = _field_text(item), None
    if item.kind != "check" and not shown:
        pr.append(OxmlElement("w:showingPlcHdr"))  # before the control's type (CT_SdtPr's order)
    if item.kind == "check":
        ticked = bool(item.value) and str(item.value).strip().lower() not in ("no", "false", "0")
        box = OxmlElement("w14:checkbox")
        checked = OxmlElement("w14:checked")
        checked.set(qn("w14:val"), "1" if ticked else "0")
        box.append(checked)
        for state, code in (("checkedState", "2612"), ("uncheckedState", "2610")):
            element = OxmlElement(f"w14:{state}")
            element.set(qn("w14:val"), code)
            element.set(qn("w14:font"), CHECKBOX_FONT)
            box.append(element)
        pr.append(box)
        shown = CHECKED if ticked else UNCHECKED
    elif item.kind in ("choice", "yesno"):
        listing = OxmlElement("w:dropDownList")
        if shown:
            listing.set(qn("w:lastValue"), _choice_value(item))
        for value, words in item.options:
            entry = OxmlElement("w:listItem")
            entry.set(qn("w:displayText"), words)
            entry.set(qn("w:value"), value)
            listing.append(entry)
        pr.append(listing)
        prompt = "Choose an item"
    elif item.kind == "date":
        picker = OxmlElement("w:date")
        day = _field_date(item.value)
        if day is not None:
            picker.set(qn("w:fullDate"), f"{day.isoformat()}T00:00:00Z")
        for name, val in (("dateFormat", DATE_FORMAT), ("lid", LANGUAGE), ("storeMappedDataAs", "dateTime"),
                          ("calendar", "gregorian")):
            element = OxmlElement(f"w:{name}")
            element.set(qn("w:val"), val)
            picker.append(element)
        pr.append(picker)
        prompt = "Enter a date"
    else:
        text = OxmlElement("w:text")
        if item.multiline:
            text.set(qn("w:multiLine"), "1")
        pr.append(text)
        prompt = "Enter text"
    content = OxmlElement("w:sdtContent")
    run = OxmlElement("w:r")
    if item.kind == "check":
        run.append(_run_fonts(CHECKBOX_FONT))
    elif not shown:
        run.append(_placeholder_properties())
        shown = prompt or "Enter text"
    for n, line in enumerate(shown.split("\n")):
        if n:
            run.append(OxmlElement("w:br"))
        _add_text(run, line)
    content.append(run)
    sdt.extend([pr, content])
    return sdt


W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
CHECKED, UNCHECKED = "\u2612", "\u2610"  # ☒ ☐, as Word draws its checkboxes
CHECKBOX_FONT = "MS Gothic"  # Word's own font for the checkbox glyphs
DATE_FORMAT = "d MMMM yyyy"  # 23 November 2017
PLACEHOLDER_COLOUR = "767676"  # grey that still reads (4.5:1 on white)
PROMPTS = ("Enter text", "Enter a date", "Choose an item")


def _field_text(item: FormField) -> str:
    """What a field shows when filled in: its text, its date (23 November 2017), its option's words."""
    if item.kind in ("choice", "yesno"):
        value = _choice_value(item)
        return next((words for v, words in item.options if v == value), value)
    if item.kind == "date":
        day = _field_date(item.value)
        return format_date(day) if day is not None else _text_of(item.value)
    return _text_of(item.value)


def _choice_value(item: FormField) -> str:
    value = item.value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _field_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    """A field's date from a date, an ISO date or a UK date ("23 November 2017"); None for anything else
    (the field then shows the text as it is)."""
    text = str(value or "").strip().lstrip("?")
    for parse in (dt.date.fromisoformat, lambda t: dt.datetime.strptime(t, "%d %B %Y").date()):
        try:
            return parse(text) if text else None
        except ValueError:
            continue
    return None


def _run_fonts(font: str):
    r_pr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), font)
    r_pr.append(fonts)
    return r_pr


def _placeholder_properties():
    r_pr = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), PLACEHOLDER_COLOUR)
    r_pr.append(colour)
    return r_pr


def _style_ref(style_id: str):
    ref = OxmlElement("w:pStyle")
    ref.set(qn("w:val"), style_id)
    return ref


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


# --- table layout ----------------------------------------------------------------------------------
#
# Tables have a fixed layout with column widths computed from their content, so that Word and
# LibreOffice draw the same table and no word or date is broken inside itself: each column is at least
# as wide as its longest word (a date such as "23 November 2017" counts as one word), and the width left
# over goes to the columns with the most to say. Text is measured with the widths of DejaVu Sans, wider
# than Arial, the font LibreOffice falls back on where Arial is not installed: what fits there fits in Word.

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RAG_FILLS = {"RED": "F4A09C", "AMBER": "FFD27F", "GREEN": "A9D18E", "BLUE": "9DC3E6"}
_RAG = re.compile(r"^(?:Latest: )?(RED|AMBER|GREEN|BLUE) \([RAGB]\)", re.MULTILINE)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_UNBREAKABLE = re.compile(rf"\b\d{{1,2}} (?:{_MONTHS}) \d{{4}}\b|\bNo\. \d+|\b(?:RED|AMBER|GREEN|BLUE) \([RAGB]\)")
_EM = dict(zip("abcdefghijklmnopqrstuvwxyz", (.613, .635, .55, .635, .615, .352, .635, .634, .278, .278, .579, .278,
                                             .974, .634, .612, .635, .635, .411, .521, .392, .634, .592, .818, .592,
                                             .592, .525)))
_EM.update(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (.684, .686, .698, .77, .632, .575, .775, .752, .295, .295, .656, .557,
                                             .863, .748, .787, .603, .787, .695, .635, .611, .732, .684, .989, .685,
                                             .611, .685)))
_EM.update({d: .636 for d in "0123456789"})
_EM.update({" ": .318, "\u00a0": .318, ".": .318, ",": .318, ":": .337, ";": .337, "-": .361, "(": .39, ")": .39, "'": .275,
            "/": .337, "…": 1.0, "—": 1.0, "–": .5, "·": .318})
_CELL_PADDING_PT = 14  # the Table Grid style's cell margins (2 × 5.4 pt), borders and a little to spare
_PLACEHOLDER_PT = 104  # room to write in an empty form field (a date at 10 pt fits on one line)


def rag_fill(text: str) -> str | None:
    """The fill colour of a cell that states a RAG rating ("AMBER (A)", "Latest: RED (R)"), else None."""
    rating = _rag_of(text)
    return RAG_FILLS[rating] if rating else None


def _rag_of(text: str) -> str | None:
    found = {m.group(1) for m in _RAG.finditer(text)}
    return found.pop() if len(found) == 1 else None


def text_width_pt(text: str, size: float, bold: bool = False) -> float:
    """How wide `text` is set on one line, in points (DejaVu Sans metrics; East Asian characters 1 em)."""
    em = sum(_EM.get(ch, 1.0 if ord(ch) >= 0x2E80 else .65) for ch in text)
    return em * size * (1.1 if bold else 1.0)


def _words(line: str) -> list[str]:
    """The pieces a line may not be broken inside: its words, with each date, "No. 3" and a RAG
    rating ("AMBER (A)") as one."""
    joined = _UNBREAKABLE.sub(lambda m: m.group(0).replace(" ", "\u00a0"), line)
    return [w for w in re.split(r"[ \t]+", joined) if w]  # str.split() would split at the no-break space


def _cell_lines(tc) -> list[tuple[str, bool, tuple[float, float] | None]]:
    """(line, bold, room) for each line of a cell's text; `room` is, for a line that is a form field, the
    width (least, wanted) in points it needs to be filled in: an empty field room to write, a
    drop-down its longest option (see `_field_room`)."""
    out = []
    for p in tc.iter(qn("w:p")):
        bold = p.find(f".//{qn('w:b')}") is not None
        fields = [_field_room(sdt) for sdt in p.iter(qn("w:sdt"))]
        room = (max(f[0] for f in fields), max(f[1] for f in fields)) if fields else None
        for line in _element_text(p, W).split("\n"):
            out.append((line, bold, room))
    return out


def _field_room(sdt) -> tuple[float, float]:
    pr = sdt.find(qn("w:sdtPr"))
    listing = pr.find(qn("w:dropDownList")) if pr is not None else None
    if listing is not None:
        shown = [item.get(qn("w:displayText")) or "" for item in listing.iter(qn("w:listItem"))] or [""]
        word = max(text_width_pt(w, TABLE_PT) for text in shown for w in (_words(text) or [""]))
        return word, max(text_width_pt(text, TABLE_PT) for text in shown)
    if pr is not None and pr.find(f"{W14}checkbox") is not None:
        return text_width_pt(CHECKED, TABLE_PT), text_width_pt(CHECKED, TABLE_PT)
    if pr is not None and pr.find(qn("w:showingPlcHdr")) is not None:
        wide = pr.find(qn("w:text")) is not None and pr.find(qn("w:text")).get(qn("w:multiLine")) == "1"
        return _PLACEHOLDER_PT, _PLACEHOLDER_PT * (2.5 if wide else 1)
    return 0.0, 0.0  # filled in: measured by its text


def fit_table(table, width, page_height=None, size: float = TABLE_PT) -> None:
    """Give `table` a fixed layout whose column widths come from its content (see above); rows that fit
    on a page are kept whole (cantSplit), and every paragraph is set in the table text style."""
    rows = list(table._tbl.iterchildren(qn("w:tr")))
    n = len(table.columns)
    avail = Emu(width).pt
    cells = [[tc for tc in tr.iterchildren(qn("w:tc"))] for tr in rows]
    lines = [[_cell_lines(tc) for tc in row] for row in cells]
    for attempt_size in (size, size - 1):
        low, high, bulk = [0.0] * n, [0.0] * n, [0.0] * n
        for row in lines:
            for col, cell in enumerate(row[:n]):
                amount = 0.0
                for line, bold, room in cell:
                    least, wanted = room or (0.0, 0.0)
                    if room and least == _PLACEHOLDER_PT:  # an empty field: room to write, not its prompt
                        low[col] = max(low[col], least + _CELL_PADDING_PT)
                        high[col] = max(high[col], min(wanted, avail) + _CELL_PADDING_PT)
                        amount += wanted
                        continue
                    word = max([least] + [text_width_pt(w, attempt_size, bold) for w in _words(line)])
                    low[col] = max(low[col], min(word, avail * .45) + _CELL_PADDING_PT)
                    line_pt = max(text_width_pt(line, attempt_size, bold), wanted)
                    high[col] = max(high[col], min(line_pt, avail) + _CELL_PADDING_PT)
                    amount += line_pt
                bulk[col] = max(bulk[col], amount)
        if sum(low) <= avail:
            break
    size = attempt_size
    high = [max(h, lo) for h, lo in zip(high, low)]
    if sum(high) <= avail:  # every line fits whole: share the rest by what each column holds
        widths = [h + (avail - sum(high)) * h / sum(high) for h in high]
    elif sum(low) <= avail:
        # every word whole; the space over goes to the columns with the most text in a cell, in
        # proportion, so that the cells of a row come out of about the same height
        need = [max(b - lo, 0.0) if h > lo else 0.0 for b, h, lo in zip(bulk, high, low)]
        spare = sum(need) or 1.0
        widths = [lo + (avail - sum(low)) * x / spare for lo, x in zip(low, need)]
    else:  # a word wider than the page allows: scale down (it is the only thing that breaks)
        widths = [lo * avail / sum(low) for lo in low]
    twips = [int(w * 20) for w in widths]
    table.autofit = False  # w:tblLayout fixed: the widths below hold in Word and LibreOffice alike
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(twips)))
    for grid_col, tw in zip(table._tbl.tblGrid.iterchildren(qn("w:gridCol")), twips):
        grid_col.set(qn("w:w"), str(tw))
    limit = (Emu(page_height).pt * .85) if page_height else None  # taller rows must break
    for tr, row, row_lines in zip(rows, cells, lines):
        tall = 0.0
        for tc, tw, cell in zip(row, twips, row_lines):
            tc_w = tc.get_or_add_tcPr().get_or_add_tcW()
            tc_w.set(qn("w:type"), "dxa")
            tc_w.set(qn("w:w"), str(tw))
            inner = max(tw / 20 - _CELL_PADDING_PT, 10)
            height = sum(max(1, -(-text_width_pt(line, size, bold) // inner)) for line, bold, _f in cell) * size * 1.25
            tall = max(tall, height)
            for p in tc.iter(qn("w:p")):
                p_pr = p.get_or_add_pPr()
                p_pr.style = TABLE_TEXT_ID
                if size != TABLE_PT:
                    for r in p.iter(qn("w:r")):
                        r.get_or_add_rPr().sz_val = Pt(size)
        if limit is None or tall < limit:
            # a row that fits on a page is never split (LibreOffice leaves an empty continuation row)
            tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))
        if tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None:
            for p in tr.iter(qn("w:p")):  # a header row stays with the first row under it
                p.get_or_add_pPr().get_or_add_keepNext()


# --- fast tables -----------------------------------------------------------------------------------


_SHORT_ROW_CHARS = 1500


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
        table.autofit = False  # fixed layout: the given widths hold in Word and LibreOffice alike
        for grid_col, width in zip(table._tbl.tblGrid.iterchildren(qn("w:gridCol")), widths_mm):
            grid_col.set(qn("w:w"), str(int(Mm(width).twips)))
        for row in (header, proto):
            for cell, width in zip(row.cells, widths_mm):
                cell.width = Mm(width)
    for p in header._tr.iter(qn("w:p")):
        p.get_or_add_pPr().get_or_add_keepNext()  # the header row stays with the first row under it
    for cell in proto.cells:
        cell.paragraphs[0].add_run("x").font.size = Pt(8)
    proto_tr = proto._tr
    tbl = table._tbl
    tbl.remove(proto_tr)
    shades = iter(shade) if shade is not None else None
    t_tag = qn("w:t")
    for values in rows:
        tr = copy.deepcopy(proto_tr)
        if sum(len(_text_of(v)) for v in values) < _SHORT_ROW_CHARS:
            # a row that surely fits on a page is never split (LibreOffice leaves an empty continuation
            # row); a very long one must be allowed to break
            tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))
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
    tag an editor dropped (LibreOffice keeps only the alias) is given as ("alias:" + alias, text).
    A control still showing its prompt gives ""; a checkbox "X" when ticked, else ""; a drop-down the
    value of the option shown (its words, where they match none)."""
    root = read_docx_xml(docx_bytes, "word/document.xml")
    w = W
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
        text = _element_text(sdt.find(f"{w}sdtContent"), w)
        box = pr.find(f"{W14}checkbox")
        if box is not None:
            checked = box.find(f"{W14}checked")
            if checked is not None:
                text = "X" if checked.get(f"{W14}val") in ("1", "true", "on") else ""
            else:
                text = "X" if text.strip() == CHECKED else ("" if text.strip() == UNCHECKED else text)
        elif pr.find(f"{w}showingPlcHdr") is not None and text.strip() in PROMPTS + ("",):
            text = ""
        else:
            listing = pr.find(f"{w}dropDownList")
            if listing is None:
                listing = pr.find(f"{w}comboBox")
            if listing is not None:
                for item in listing.iter(f"{w}listItem"):
                    if _same_words(item.get(f"{w}displayText") or item.get(f"{w}value") or "", text):
                        text = item.get(f"{w}value") or text
                        break
        yield name, text


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


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
