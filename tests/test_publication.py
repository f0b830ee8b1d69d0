"""The publication check, the flow chart, and the document commands on the command line."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
import yaml

from conftest import AT_EXAMPLE, EXAMPLE

REF = "WBCR-2016-004"


def _people():
    return yaml.safe_load((EXAMPLE / "cases" / REF / "people.yaml").read_text())["people"]


def _doc(tmp_path: Path, paragraphs: list[str], author: str = "") -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.core_properties.author = author
    document.core_properties.last_modified_by = author
    document.core_properties.comments = ""
    path = tmp_path / "summary.docx"
    document.save(path)
    return path


def test_a_clean_summary_passes(wbcr, tmp_path):
    path = _doc(tmp_path, ["Child A died in 2016. Mother and Mother's partner were known to agencies.",
                           "Health Visitor 1 made a referral."])
    result = wbcr(*AT_EXAMPLE, "check-publication", str(path), "--case", REF)
    assert result.code == 0, result.out + result.err


def test_names_dates_of_birth_postcodes_and_metadata_are_refused_naming_each_place(wbcr, tmp_path):
    child = next(p for p in _people() if p["role"] == "subject")
    first = child["name"].split()[0]
    dob = yaml.safe_load((EXAMPLE / "cases" / REF / "people.yaml").read_text())["people"][0]["date_of_birth"]
    postcode = next(p["postcode"] for p in _people() if p.get("postcode"))
    path = _doc(tmp_path, ["Introduction.", f"{first} was born on {dob.strftime('%d/%m/%Y')}.",
                           f"The family lived at {postcode.lower()}."], author="Dr Jane Overview-Author")
    result = wbcr(*AT_EXAMPLE, "check-publication", str(path), "--case", REF)
    assert result.code == 1
    out = result.out
    assert f'document, paragraph 2: contains part of the name of {child["pseudonym"]} ("{first}")' in out
    assert "the date of birth of" in out and "paragraph 2" in out
    assert "the postcode of" in out and "paragraph 3" in out
    assert 'the document properties record the author as "Dr Jane Overview-Author"' in out
    assert "not fit for publication" in result.err


def test_comments_and_tracked_changes_are_refused(wbcr, tmp_path):
    path = _doc(tmp_path, ["Child A."])
    data = path.read_bytes()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "word/document.xml":
                body = body.replace(b"<w:r>", b'<w:ins w:id="1" w:author="x" w:date="2016-12-29T00:00:00Z"><w:r>', 1)
                body = body.replace(b"</w:r>", b"</w:r></w:ins>", 1)
            dst.writestr(item, body)
        dst.writestr("word/comments.xml", '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                     '2006/main"><w:comment w:id="0" w:author="A"><w:p><w:r><w:t>check this</w:t></w:r></w:p>'
                     "</w:comment></w:comments>")
    path.write_bytes(out.getvalue())
    result = wbcr(*AT_EXAMPLE, "check-publication", str(path), "--case", REF)
    assert result.code == 1
    assert "error[publication.comments]" in result.out and "error[publication.tracked-changes]" in result.out


def test_check_publication_on_a_corrupt_file(wbcr, tmp_path):
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    result = wbcr(*AT_EXAMPLE, "check-publication", str(bad), "--case", REF)
    assert result.code == 3 and "Traceback" not in result.err


def test_rendering_a_publication_document_runs_the_check(wbcr, example):
    templates = example / "templates"
    templates.mkdir()
    (templates / "executive-summary.md.j2").write_text("# Executive summary\n\n{{ subjects[0].name }} was harmed.\n")
    result = wbcr("render", REF, "executive-summary", "--no-protect", cwd=example)
    assert result.code == 1
    assert "would identify the child or family: nothing was written" in result.err
    assert not (example / "output" / REF / f"{REF}-executive-summary.docx").exists()


def test_documents_lists_at_least_fifteen(wbcr):
    data = json.loads(wbcr(*AT_EXAMPLE, "documents", "--format", "json").out)["documents"]
    assert len(data) >= 15
    for item in data:
        assert item["name"] and item["title"] and item["purpose"] and "stages" in item
    assert {d["appendix"] for d in data} >= {1, 2, 3, 4, 5, 6, 7}


def test_render_usage_errors(wbcr):
    assert wbcr(*AT_EXAMPLE, "render", REF, "no-such-letter").code == 2
    per_agency = wbcr(*AT_EXAMPLE, "render", REF, "information-request", "--no-protect")
    assert per_agency.code == 2 and "--agency" in per_agency.err
    wrong_to = wbcr(*AT_EXAMPLE, "render", REF, "decision-notification", "--to", "family")
    assert wrong_to.code == 2


def test_a_template_error_names_template_line_and_field(wbcr, example):
    templates = example / "templates"
    templates.mkdir()
    (templates / "family-letter.md.j2").write_text("# Letter\n\nDear family,\n\n{{ case.no_such_field }}\n")
    result = wbcr("render", REF, "family-letter", "--to", "family", "--no-protect", cwd=example)
    assert result.code == 3
    assert "template family-letter.md.j2 line 5" in result.err and "no_such_field" in result.err
    (templates / "family-letter.md.j2").write_text("# Letter\n\n{% if %}\n")
    broken = wbcr("render", REF, "family-letter", "--to", "family", "--no-protect", cwd=example)
    assert broken.code == 3 and "line 3" in broken.err
    (templates / "family-letter.md.j2").write_text("{{ ''.__class__.__mro__ }}\n")
    unsafe = wbcr("render", REF, "family-letter", "--to", "family", "--no-protect", cwd=example)
    assert unsafe.code == 3 and "Traceback" not in unsafe.err


def test_flowchart_mermaid_and_dot(wbcr, tmp_path):
    mermaid = wbcr("flowchart", "--procedure", "wt2015", "--format", "mermaid", cwd=tmp_path)
    assert mermaid.code == 0 and mermaid.out.startswith("flowchart TD")
    assert 'chair_decision["Independent Chair\'s decision"]' in mermaid.out
    assert "notifications -->|SCR / SILP / Multi-agency review| initiation" in mermaid.out
    dot = wbcr("flowchart", "--procedure", "wt2023", "--format", "dot", cwd=tmp_path)
    assert dot.code == 0 and dot.out.startswith("digraph procedure {") and "rapid_review" in dot.out


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
def test_flowchart_png_and_svg(wbcr, tmp_path):
    png = tmp_path / "f.png"
    assert wbcr("flowchart", "--format", "png", "--out", str(png), cwd=tmp_path).code == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    svg = wbcr("flowchart", "--format", "svg", cwd=tmp_path)
    assert svg.code == 0 and "<svg" in svg.out


def test_flowchart_without_graphviz_says_so(wbcr, tmp_path):
    result = wbcr("flowchart", "--format", "svg", cwd=tmp_path, extra_env={"PATH": "/nonexistent"})
    assert result.code == 3 and "needs Graphviz" in result.err


def test_a_sent_document_is_recorded_with_its_sha256(wbcr, example):
    import hashlib

    ref = "WBCR-2017-007"
    rendered = wbcr("render", ref, "information-request", "--agency", "tvp", "--no-protect", cwd=example)
    assert rendered.code == 0, rendered.err
    path = Path(rendered.out.strip())
    result = wbcr("notify", ref, "--recipient", "agency:tvp", "--document", str(path), "--method", "secure_email",
                  cwd=example)
    assert result.code == 0, result.err
    items = yaml.safe_load((example / "cases" / ref / "notifications.yaml").read_text())["notifications"]
    last = items[-1]
    assert last["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert last["purpose"] == "information_request" and last["document"] == path.name
    referral_form = wbcr("render", ref, "referral-form", "--no-protect", cwd=example)
    refused = wbcr("notify", ref, "--recipient", "agency:tvp", "--purpose", "outcome_letter", "--document",
                   referral_form.out.strip(), cwd=example)
    assert refused.code == 2 and "never circulated" in refused.err


def test_evasions_of_the_publication_check_are_caught(wbcr, tmp_path):
    person = next(p for p in _people() if p.get("address") and p.get("date_of_birth"))
    surname = person["name"].split()[-1]
    dob = person["date_of_birth"]
    street = [part.strip() for part in person["address"].split(",")
              if any(c.isdigit() for c in part) and len(part.strip()) >= 8][0]
    day = dob.day
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    path = _doc(tmp_path, [f"The family name was {surname[:3]}\u00ad{surname[3:]}.",
                           f"Born on the {day}{suffix} {dob.strftime('%B %Y')}.",
                           f"They lived at {street}."])
    document = docx.Document(path)
    document.core_properties.title = f"Summary about {person['name']}"
    document.save(path)
    result = wbcr(*AT_EXAMPLE, "check-publication", str(path), "--case", REF)
    assert result.code == 1
    assert "paragraph 1" in result.out and "paragraph 2" in result.out and "paragraph 3" in result.out
    assert "docProps/core.xml" in result.out


# --- hidden places: each attack is a clean document with an identifier in that one place -------------

_DOCUMENT = "word/document.xml"
_RELS = "word/_rels/document.xml.rels"
_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _child() -> dict:
    return next(p for p in _people() if p["role"] == "subject")


def _hidden(tmp_path: Path, parts: dict) -> Path:
    """A clean summary with parts changed or added: name -> bytes or str, or a function of the old text."""
    path = _doc(tmp_path, ["Child A died in 2016.", "Health Visitor 1 made a referral."])
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    parts = dict(parts)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            change = parts.pop(item.filename, None)
            if callable(change):
                body = change(body.decode("utf-8")).encode("utf-8")
            elif change is not None:
                body = change.encode("utf-8") if isinstance(change, str) else change
            dst.writestr(item, body)
        for name, body in parts.items():
            dst.writestr(name, body)
    path.write_bytes(out.getvalue())
    return path


def _in_body(xml: str):
    """A change to document.xml: `xml` (a paragraph) added before the section properties."""
    return lambda text: text.replace("<w:sectPr", xml + "<w:sectPr", 1)


def _check(wbcr, path: Path):
    result = wbcr(*AT_EXAMPLE, "check-publication", str(path), "--case", REF)
    assert result.code == 1, result.out + result.err
    return result.out


def test_a_name_in_a_pictures_alt_text_is_refused(wbcr, tmp_path):
    name = _child()["name"]
    drawing = (f'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="10" cy="10"/><wp:docPr id="1" name="Picture 1" '
               f'descr="Photograph of {name} at home"/></wp:inline></w:drawing></w:r></w:p>')
    out = _check(wbcr, _hidden(tmp_path, {_DOCUMENT: _in_body(drawing)}))
    assert f'document, paragraph 3, picture alt text: contains the name of Child A ("{name}")' in out


def test_a_name_or_date_of_birth_in_a_field_code_is_refused(wbcr, tmp_path):
    child = _child()
    field = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
             f'MERGEFIELD "{child["name"]}" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             '<w:r><w:t>Child A</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
             f'<w:p><w:fldSimple w:instr=" QUOTE {child["date_of_birth"].strftime("%d/%m/%Y")} "><w:r><w:t>a date'
             '</w:t></w:r></w:fldSimple></w:p>')
    out = _check(wbcr, _hidden(tmp_path, {_DOCUMENT: _in_body(field)}))
    assert "document, paragraph 3, field code: contains the name of Child A" in out
    assert "document, paragraph 4, field code: contains the date of birth of Child A" in out


def test_a_name_in_custom_xml_is_refused(wbcr, tmp_path):
    name = _child()["name"]
    out = _check(wbcr, _hidden(tmp_path, {"customXml/item2.xml": f"<case><child>{name}</child></case>"}))
    assert f'custom XML data (customXml/item2.xml): contains the name of Child A ("{name}")' in out


def test_a_name_in_the_glossary_of_building_blocks_is_refused(wbcr, tmp_path):
    name = _child()["name"]
    glossary = (f'<w:glossaryDocument {_W_NS}><w:docParts><w:docPart><w:docPartBody><w:p><w:r><w:t>{name}</w:t>'
                "</w:r></w:p></w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>")
    out = _check(wbcr, _hidden(tmp_path, {"word/glossary/document.xml": glossary}))
    assert f'glossary/document, paragraph 1: contains the name of Child A ("{name}")' in out
    assert "Building Blocks Organizer" in out


def test_a_name_or_address_in_a_hyperlink_is_refused(wbcr, tmp_path):
    child = _child()
    first, last = child["name"].split()[0], child["name"].split()[-1]
    link = (f'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'hyperlink" Target="mailto:{first.lower()}.{last.lower()}@example.org?subject='
            f'{child["postcode"].replace(" ", "%20")}" TargetMode="External"/>')
    body = '<w:p><w:hyperlink r:id="rId99"><w:r><w:t>the family</w:t></w:r></w:hyperlink></w:p>'
    out = _check(wbcr, _hidden(tmp_path, {_RELS: lambda t: t.replace("</Relationships>", link + "</Relationships>"),
                                          _DOCUMENT: _in_body(body)}))
    assert f"a hyperlink in {_RELS}" in out
    assert f'contains part of the name of Child A ("{last}")' in out and "the postcode of Child A" in out


def test_identifiers_in_document_properties_variables_and_bookmarks_are_refused(wbcr, tmp_path):
    child = _child()
    app = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           f'<Company>{child["address"]}</Company></Properties>')
    custom = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property '
              'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Subject"><vt:lpwstr>'
              f'{child["nhs_number"]}</vt:lpwstr></property></Properties>')
    variables = f'<w:docVars><w:docVar w:name="child" w:val="{child["name"]}"/></w:docVars>'
    bookmark = (f'<w:p><w:bookmarkStart w:id="0" w:name="{child["name"].replace(" ", "_")}"/><w:r><w:t>Child A'
                '</w:t></w:r><w:bookmarkEnd w:id="0"/></w:p>')
    out = _check(wbcr, _hidden(tmp_path, {
        "docProps/app.xml": app, "docProps/custom.xml": custom, _DOCUMENT: _in_body(bookmark),
        "word/settings.xml": lambda t: t.replace("</w:settings>", variables + "</w:settings>")}))
    assert "the document properties (docProps/app.xml): contains the address of Child A" in out
    assert "the custom document properties (docProps/custom.xml): contains the NHS number of Child A" in out
    assert "the document settings (word/settings.xml: document variables): contains the name of Child A" in out
    assert "document (word/document.xml), outside the text" in out and "contains the name of Child A" in out


def test_an_embedded_file_is_refused_as_unreadable(wbcr, tmp_path):
    out = _check(wbcr, _hidden(tmp_path, {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 64}))
    assert "error[publication.hidden-part]: the document holds word/embeddings/oleObject1.bin" in out


def test_dates_written_any_way_a_reader_reads_them_are_refused(wbcr, tmp_path):
    dob = _child()["date_of_birth"]
    month, mon = dob.strftime("%B"), dob.strftime("%b")
    day = dob.day
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    written = [dob.strftime("%d/%m/%y"), f"{day}/{dob.month}/{dob.strftime('%y')}", f"{day}.{dob.month}.{dob.year}",
               f"{day}{suffix} of {month} {dob.year}", f"{day} {mon} {dob.strftime('%y')}",
               f"{day}-{mon}-{dob.year}", f"{month} {day}{suffix}, {dob.year}", dob.isoformat()]
    path = _doc(tmp_path, [f"Born on {w}." for w in written])
    out = _check(wbcr, path)
    for n, w in enumerate(written, start=1):
        assert f'document, paragraph {n}: contains the date of birth of Child A ("{w.lower()}")' in out, w
    clean = _doc(tmp_path, [f"Seen on {(dob.replace(day=day % 27 + 1)).strftime('%d/%m/%y')}, in {month} {dob.year}."])
    assert wbcr(*AT_EXAMPLE, "check-publication", str(clean), "--case", REF).code == 0


def test_nhs_numbers_and_names_split_or_disguised_are_refused(wbcr, tmp_path):
    child = _child()
    digits = "".join(c for c in child["nhs_number"] if c.isdigit())
    first, middle, last = child["name"].split()
    written = [f"NHS {digits[:3]}-{digits[3:6]}-{digits[6:]}",                         # dashes
               f"NHS {digits[:3]}\u2011{digits[3:6]}\u2011{digits[6:]}",               # non-breaking hyphens
               f"The {last[:3]}-{last[3:]} family",                                   # a hyphen inside a name
               f"The {last[:3]}\u00a0{last[3:]} family",                              # a no-break space inside it
               f"{first}\u00a0{middle}\u00a0{last}",                                  # no-break spaces between
               f"{first}-{middle}-{last.upper()}",                                    # hyphens, capitals
               f"{last[:2]}\u200b{last[2:]}'s mother"]                                # a zero-width space
    out = _check(wbcr, _doc(tmp_path, written))
    for n in range(1, len(written) + 1):
        assert f"document, paragraph {n}: contains" in out, written[n - 1]
    assert "paragraph 1: contains the NHS number of Child A" in out and "paragraph 2: contains the NHS number" in out
    assert f'paragraph 5: contains the name of Child A ("{child["name"]}")' in out
