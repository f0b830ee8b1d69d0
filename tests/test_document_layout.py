"""Proof by looking: every document of a rich case of each procedure, as LibreOffice lays it out.

Each document of the 2015 example's richest case (WBCR-2016-004, as of 2017-11-23) and of the Working
Together 2023 example's (WBCR-2024-001, as of 2026-11-26) is rendered to Word and converted to PDF by
LibreOffice, one `soffice` run per procedure. From the PDF's text: no word of the document's own text
is broken across lines (a name, a date, "No.", "Recommendation" stay whole), and every page carries the
protective marking and the case reference (a document for publication or for the family neither, as
the catalogue says). The Word files are read
too: tables of fixed layout, rows kept whole, header rows repeated, headings kept with what follows, RAG
ratings shaded in their colour, the house font and UK English in every style and the theme, and no
python-docx template leftovers in the properties.

`tests/bench/contact_sheet.py` renders the same documents to one picture per case, to look at.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest
import yaml
from lxml import etree

from conftest import EXAMPLE, EXAMPLE_TODAY, ROOT
from wbcr.core.errors import FindingsError
from wbcr.documents.render import catalogue, render_bytes
from wbcr.model.register import open_register

PARTNERSHIP = ROOT / "examples" / "berkshire-west-partnership"
MARKING = "OFFICIAL-SENSITIVE"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: (procedure, register, case, as of): a rich case of each procedure
CASES = {
    "wt2015": (EXAMPLE, "WBCR-2016-004", dt.date.fromisoformat(EXAMPLE_TODAY)),
    "wt2023": (PARTNERSHIP, "WBCR-2024-001", dt.date(2026, 11, 26)),
}


def _family_member(register_path: Path, reference: str) -> str | None:
    """A parent of the case (people.yaml), to address a letter to the family to."""
    path = register_path / "cases" / reference / "people.yaml"
    people = (yaml.safe_load(path.read_text()) or {}).get("people") or [] if path.exists() else []
    parents = [p["id"] for p in people if p.get("role") == "parent"] or [p["id"] for p in people[1:2]]
    return parents[0] if parents else None


def render_case(register_path: Path, reference: str, today: dt.date) -> list[tuple[str, bytes, object]]:
    """(file stem, Word bytes, catalogue entry) for every document of the case's procedure: each
    recipient it is written to, one agency of the case for a per-agency document; a letter the
    records do not support yet as the watermarked draft."""
    register = open_register(register_path)
    procedure = register.procedure()
    agencies = sorted(register.agency_ids())
    out = []
    for name, spec in catalogue().items():
        if not spec.applies_to(procedure):
            continue
        if spec.per_agency:
            variants = [("tvp" if "tvp" in agencies else agencies[0], None)]
        else:
            variants = [(None, to) for to in spec.recipients] or [(None, None)]
        for agency, to in variants:
            extra = {"person": _family_member(register_path, reference)} if to == "family" else {}
            try:
                data, _markdown, _spec = render_bytes(register, name, reference, today, agency=agency, to=to, **extra)
            except FindingsError:
                data, _markdown, _spec = render_bytes(register, name, reference, today, agency=agency, to=to,
                                                      draft=True, **extra)
            out.append(("-".join(x for x in (name, agency, to) if x), data, spec))
    return out


def convert_to_pdf(docx_files: list[Path], outdir: Path, profile: Path) -> None:
    """Every file to PDF in one LibreOffice run (its start-up is the slow part), with its own profile."""
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, docx_files)],
                   check=True, capture_output=True, timeout=600)


# --- the Word file's own text -----------------------------------------------------------------------


def _xml(data: bytes, part: str):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(part))


def _paragraphs(root) -> list[str]:
    out = []
    for p in root.iter(f"{W}p"):
        out.append("".join(t.text or "" if t.tag == f"{W}t" else "\n"
                           for t in p.iter(f"{W}t", f"{W}br", f"{W}cr")))
    return out


_DATE = re.compile(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November"
                   r"|December) \d{4}\b")


def source_words(data: bytes) -> set[str]:
    """The words of four letters or more in the document's body text, as a reader would read them, and
    the dates that open a line of a table cell ("23 November 2017"): a column is made wide enough for
    each, so it must come out on one line. (A date after other words may wrap at one of its spaces,
    as in running text: keeping it whole there would take no-break spaces in the text itself.)"""
    root = _xml(data, "word/document.xml")
    words = set()
    for tc in root.iter(f"{W}tc"):
        for para in _paragraphs(tc):
            for line in para.split("\n"):
                found = _DATE.match(" ".join(line.split()))
                if found:
                    words.add(found.group(0))
    for para in _paragraphs(root):
        for token in para.split():
            token = token.strip(".,;:!?()[]\"'‘’“”…*")
            # a hyphenated or slashed compound may be broken after its hyphen or slash: its parts count
            for piece in re.split(r"[-‐–—/]", token):
                piece = piece.strip(".,;:!?()[]\"'‘’“”…*")
                if len(piece) >= 4 and re.fullmatch(r"[\w'’.&@+]+", piece):
                    words.add(piece)
    return words


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def broken_words(words: set[str], pages: list[str]) -> list[str]:
    """Words of the document that the PDF's text does not hold whole (broken across lines)."""
    tokens = set()
    lines = []
    for page in pages:
        for token in page.split():
            tokens.add(token)
            for piece in re.split(r"[-‐–—/]", token):
                tokens.add(piece)
        lines += [" ".join(line.split()) for line in page.split("\n")]
    flat = " ".join(tokens)
    text = "\n".join(lines)  # a date is whole when it is on one line
    return sorted(w for w in words if (w not in text) if " " in w or w not in flat)


# --- the renderings, once per procedure ------------------------------------------------------------


@cache
def _rendered(procedure: str) -> tuple[Path, list[tuple[str, bytes, object]]]:
    register_path, reference, today = CASES[procedure]
    return Path(register_path), render_case(register_path, reference, today)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    """{procedure: {stem: (pdf path, docx bytes, spec)}}, one LibreOffice run per procedure."""
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) and poppler's pdftotext are needed to lay the documents out")
    out = {}
    for procedure in CASES:
        folder = tmp_path_factory.mktemp(f"layout-{procedure}")
        docs = []
        _register, renderings = _rendered(procedure)
        for stem, data, _spec in renderings:
            path = folder / f"{stem}.docx"
            path.write_bytes(data)
            docs.append(path)
        convert_to_pdf(docs, folder, folder / "profile")
        out[procedure] = {stem: (folder / f"{stem}.pdf", data, spec) for stem, data, spec in renderings}
        missing = [stem for stem, (pdf, _d, _s) in out[procedure].items() if not pdf.exists()]
        assert not missing, f"LibreOffice did not convert: {missing}"
    return out


def _stems(procedure: str) -> list[str]:
    return [stem for stem, _data, _spec in _rendered(procedure)[1]]


ALL = [(procedure, stem) for procedure in CASES for stem in _stems(procedure)]


@pytest.mark.parametrize("procedure,stem", ALL)
def test_no_word_is_broken_across_lines(pdfs, procedure, stem):
    pdf, data, _spec = pdfs[procedure][stem]
    broken = broken_words(source_words(data), pdf_pages(pdf))
    assert not broken, f"{stem}: broken across lines in LibreOffice: {broken[:20]}"


@pytest.mark.parametrize("procedure,stem", ALL)
def test_every_page_carries_the_marking_and_the_reference(pdfs, procedure, stem):
    pdf, _data, spec = pdfs[procedure][stem]
    reference = CASES[procedure][1]
    pages = pdf_pages(pdf)
    assert pages, stem
    # the catalogue says which documents go to the public (publication) or a family member (plain):
    # those carry neither marking nor reference on their pages; every other page carries both
    public = spec.publication or getattr(spec, "plain", False)
    for number, page in enumerate(pages, start=1):
        if public:
            assert MARKING not in page, f"{stem}: a document for the public carries no marking (page {number})"
            assert re.search(r"Page \d+ of \d+", page), f"{stem}: page {number} is not numbered"
        else:
            assert reference in page, f"{stem}: page {number} lacks the reference {reference}"
            assert page.count(MARKING) >= 2, f"{stem}: page {number} lacks the marking in header and footer"


def test_the_breakage_check_sees_a_broken_word():
    """The check above can fail: a name broken over lines, as narrow columns used to set it, is found."""
    words = {"Michael", "Deverell", "Recommendation", "November", "23 November 2017", "1 May 2016"}
    pages = ["Mich\nael Deve-\nrell Recommendatio\nn 23 November\n2017 on 1   May 2016"]
    assert broken_words(words, pages) == ["23 November 2017", "Deverell", "Michael", "Recommendation"]


# --- the Word files themselves --------------------------------------------------------------------


@pytest.mark.parametrize("procedure", list(CASES))
def test_tables_are_fixed_with_whole_rows_and_repeated_headers(procedure):
    for stem, data, _spec in _rendered(procedure)[1]:
        root = _xml(data, "word/document.xml")
        for tbl in root.iter(f"{W}tbl"):
            layout = tbl.find(f"{W}tblPr/{W}tblLayout")
            assert layout is not None and layout.get(f"{W}type") == "fixed", stem
            grid = [int(c.get(f"{W}w")) for c in tbl.iter(f"{W}gridCol")]
            assert all(w > 0 for w in grid), stem
            rows = tbl.findall(f"{W}tr")
            assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None, f"{stem}: header row not repeated"
            for tr in rows:
                cells = tr.findall(f"{W}tc")
                widths = [int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for tc in cells]
                assert widths == grid[:len(widths)], stem
            caption = tbl.getprevious()  # a short paragraph just before a table stays with it
            if caption is not None and caption.tag == f"{W}p" and 0 < len("".join(_paragraphs(caption))) <= 200:
                assert caption.find(f"{W}pPr/{W}keepNext") is not None, f"{stem}: caption not kept with its table"


def test_a_row_that_fits_a_page_is_kept_whole_and_headings_keep_with_next():
    _register, renderings = _rendered("wt2015")
    data = dict((stem, data) for stem, data, _spec in renderings)["panel-membership"]
    root = _xml(data, "word/document.xml")
    rows = list(root.iter(f"{W}tr"))
    assert rows and all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
    styles = _xml(data, "word/styles.xml")
    for level in range(1, 5):
        style = styles.find(f"{W}style[@{W}styleId='Heading{level}']")
        assert style.find(f"{W}pPr/{W}keepNext") is not None, level


def _rag_fills(data: bytes) -> dict[str, set[str]]:
    root = _xml(data, "word/document.xml")
    found: dict[str, set[str]] = {}
    for tc in root.iter(f"{W}tc"):
        text = "\n".join(_paragraphs(tc))
        shd = tc.find(f"{W}tcPr/{W}shd")
        ratings = set(re.findall(r"^(?:Latest: )?(RED|AMBER|GREEN|BLUE) \([RAGB]\)", text, re.MULTILINE))
        if len(ratings) == 1:
            found.setdefault(ratings.pop(), set()).add(shd.get(f"{W}fill") if shd is not None else None)
    return found


@pytest.mark.parametrize("procedure", list(CASES))
def test_rag_cells_are_shaded_in_their_colour_and_say_the_rating(procedure):
    from wbcr.documents.docx_writer import RAG_FILLS

    renderings = {stem: data for stem, data, _spec in _rendered(procedure)[1]}
    for stem in ("action-plan", "rag-progress-report"):
        fills = _rag_fills(renderings[stem])
        assert set(fills) == {"RED", "AMBER", "GREEN", "BLUE"}, (stem, fills)  # the key at least
        for rating, colours in fills.items():
            assert colours == {RAG_FILLS[rating]}, (stem, rating, colours)
    assert len(set(RAG_FILLS.values())) == 4


@pytest.mark.parametrize("procedure", list(CASES))
def test_house_font_uk_english_and_clean_properties(procedure):
    for stem, data, spec in _rendered(procedure)[1]:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        assert not [n for n in names if "thumbnail" in n or n.startswith("customXml")], stem
        assert "word/stylesWithEffects.xml" not in names, stem
        styles = archive.read("word/styles.xml").decode()
        assert "Theme" not in re.findall(r"<w:rFonts[^>]*>", styles).__str__(), stem
        for fonts in re.findall(r"<w:rFonts[^>]*>", styles):
            for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                assert f'w:{slot}="Arial"' in fonts, (stem, fonts)
        assert set(re.findall(r'<w:lang w:val="([^"]+)"', styles)) == {"en-GB"}, stem
        theme = archive.read("word/theme/theme1.xml").decode()
        assert set(re.findall(r'<a:latin typeface="([^"]*)"', theme)) == {"Arial"}, stem
        settings = archive.read("word/settings.xml").decode()
        assert 'w:themeFontLang w:val="en-GB"' in settings and "attachedTemplate" not in settings, stem
        app = archive.read("docProps/app.xml").decode()
        for leftover in ("Macintosh", "Microsoft", "Normal.dotm", "<Template>"):
            assert leftover not in app, (stem, leftover)
        core = archive.read("docProps/core.xml").decode()
        for leftover in ("python-docx", "generated by", "Normal.dotm"):
            assert leftover not in core, (stem, leftover)
        assert f"<dc:title>{spec.title}" in core.replace("DRAFT: ", "") or "&" in spec.title, stem
        rels = archive.read("_rels/.rels").decode()
        assert "thumbnail" not in rels, stem
        fonts = set(re.findall(r'<w:font w:name="([^"]+)"', archive.read("word/fontTable.xml").decode()))
        assert fonts <= {"Arial", "Symbol", "MS Gothic"}, (stem, fonts)  # no Calibri or Cambria


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed: the chart has no picture")
@pytest.mark.parametrize("procedure", list(CASES))
def test_the_flow_chart_speaks_in_stages_not_commands_and_its_words_print_at_9_pt(procedure):
    """The chart's pictures are drawn at a known type size (in points at 72 dpi, Graphviz's PNG): as
    placed on the page, a word in them is at least MIN_PRINTED_PT high."""
    from docx.image.image import Image

    from wbcr.documents.flowchart import _PRINT_FONT_PT, MIN_PRINTED_PT

    data = {stem: data for stem, data, _spec in _rendered(procedure)[1]}["process-flow-chart"]
    text = "\n".join(_paragraphs(_xml(data, "word/document.xml")))
    assert not re.search(r"\bwbcr [a-z]", text), f"{procedure}: a tool command in the board's flow chart"
    archive = zipfile.ZipFile(io.BytesIO(data))
    root = _xml(data, "word/document.xml")
    rels = {r.get("Id"): r.get("Target") for r in _xml(data, "word/_rels/document.xml.rels")}
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    r_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    pictures = list(root.iter(f"{wp}inline"))
    assert len(pictures) >= 2, "the chart is drawn in parts"
    for inline in pictures:
        blip = next(inline.iter(f"{a}blip"))
        image = Image.from_blob(archive.read("word/" + rels[blip.get(f"{r_ns}embed")]))
        placed_pt = int(inline.find(f"{wp}extent").get("cx")) / 12700
        printed = (_PRINT_FONT_PT - 1) * placed_pt / (image.px_width * 72 / image.horz_dpi)
        assert printed >= MIN_PRINTED_PT, f"{procedure}: the chart's words print at {printed:.1f} pt"
