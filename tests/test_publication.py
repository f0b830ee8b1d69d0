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
