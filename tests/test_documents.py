"""The tool kit's documents (letters, forms and reports rendered from the Jinja templates).

Every document renders for every example case without a template error, even for a case that has not
reached the stage the document belongs to; each carries the house style (the reference, the protective
marking in header and footer, page X of Y, clean document properties); the richest case matches its
golden text; hostile text typed by users survives byte for byte and is never evaluated; the executive
summary identifies nobody; and every document of the richest case opens in LibreOffice.

Golden files: `tests/golden/<name>.txt` is the plain text (header, body, footer) of the document for
WBCR-2016-004 on 23 November 2017. After a deliberate wording change, regenerate them with
`WBCR_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_documents.py -k golden` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest
import yaml
from lxml import etree

from conftest import AT_EXAMPLE, EXAMPLE
from wbcr.documents.render import catalogue, document_purpose, render_bytes
from wbcr.model.register import open_register

TODAY = dt.date(2017, 11, 23)
RICH = "WBCR-2016-004"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("WBCR_UPDATE_GOLDEN") == "1"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARKING = "OFFICIAL-SENSITIVE"

# Forms that wbcr reads back when an agency returns them are tested with the read-back (test_forms.py).
READ_BACK = {"referral-form", "information-request", "chronology-template"}

# The documents of this file's templates: each has golden text for the richest case.
TOOLKIT = ["outcome-letter", "agency-report-template", "action-plan", "process-flow-chart",
           "decision-notification", "notifier-notice", "initiation-letter", "family-letter", "extension-letter",
           "terms-of-reference", "panel-membership", "rag-progress-report", "decision-audit-report",
           "executive-summary"]


def _documents() -> list[str]:
    """Every catalogue document of the example register's framework without a form read-back (new ones
    are picked up automatically)."""
    procedure = _register().procedure()
    return [name for name, spec in catalogue().items() if name not in READ_BACK and spec.applies_to(procedure)]


def test_a_document_of_another_framework_is_refused_with_the_one_to_use(wbcr):
    out = wbcr(*AT_EXAMPLE, "render", "WBCR-2016-004", "rapid-review-report", "--to", "national_panel",
               "--out", "/nonexistent")
    assert out.code == 2
    assert '"rapid-review-report" is a document of wt2023; WBCR-2016-004 follows' in out.err
    assert "use decision-notification for the same purpose" in out.err


def _cases() -> list[str]:
    return sorted(p.name for p in (EXAMPLE / "cases").iterdir() if p.is_dir())


@cache
def _register():
    return open_register(EXAMPLE)


def _case_agencies(reference: str) -> list[str]:
    """The agencies a case's records name, in order of appearance (for per-agency documents)."""
    folder = EXAMPLE / "cases" / reference
    found: list[str] = []

    def load(name):
        path = folder / name
        return yaml.safe_load(path.read_text()) if path.exists() else {}

    for item in (load("review.yaml") or {}).get("agency_reports") or []:
        found.append(item["agency"])
    for item in (load("decisions.yaml") or {}).get("information_requests") or []:
        found.append(item["agency"])
    for item in (load("referral.yaml") or {}).get("agencies_involved") or []:
        found.append(item["agency"])
    return list(dict.fromkeys(found))


def _variants(name: str, reference: str | None, every_agency: bool = False) -> list[tuple[str | None, str | None]]:
    """(agency, to) pairs to render a document with: each allowed recipient; for a per-agency
    document an agency from the case's records (every one of them when asked) or tvp."""
    spec = catalogue()[name]
    if spec.per_agency:
        agencies = _case_agencies(reference) if reference else []
        chosen = agencies if every_agency else agencies[:1]
        return [(agency, None) for agency in (chosen or ["tvp"])]
    if spec.recipients:
        return [(None, to) for to in spec.recipients]
    return [(None, None)]


#: the family member a letter to the family goes to, in a case whose records arrange a visit with her
FAMILY_MEMBER = {RICH: "mother"}


def _render(name: str, reference: str | None, agency: str | None = None, to: str | None = None,
            register=None) -> bytes:
    if register is None:
        return _render_example(name, reference, agency, to)
    person = FAMILY_MEMBER.get(reference) if to == "family" else None
    data, _markdown, _spec = render_bytes(register, name, reference, TODAY, agency=agency, to=to, person=person)
    return data


@cache
def _render_example(name: str, reference: str | None, agency: str | None, to: str | None) -> bytes:
    """Renderings of the (unchanging) example register, shared by the tests that read them; a letter the
    records do not support yet ("must not be sent") as the watermarked draft `--draft` gives."""
    from wbcr.core.errors import FindingsError

    person = FAMILY_MEMBER.get(reference) if to == "family" else None
    try:
        data, _markdown, _spec = render_bytes(_register(), name, reference, TODAY, agency=agency, to=to, person=person)
    except FindingsError as exc:
        assert "must not be sent yet" in exc.message
        data, _markdown, _spec = render_bytes(_register(), name, reference, TODAY, agency=agency, to=to, draft=True,
                                              person=person)
    return data


# --- reading a rendered document back -------------------------------------------------------------


def _part(data: bytes, prefix: str) -> str:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith(prefix))


def _xml(data: bytes, part: str):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(part))


def _para_text(element) -> str:
    parts = []
    for node in element.iter():
        if node.tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif node.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif node.tag == f"{W}tab":
            parts.append("\t")
    return "".join(parts)


def _block_text(root) -> str:
    """Paragraphs one per line, table rows as cells joined by " | ", content controls included."""
    body = root.find(f"{W}body")
    container = body if body is not None else root
    lines: list[str] = []
    for element in container:
        if element.tag == f"{W}tbl":
            for row in element.iter(f"{W}tr"):
                cells = ["\n".join(_para_text(p) for p in cell.iter(f"{W}p")) for cell in row.iter(f"{W}tc")]
                lines.append(" | ".join(cells))
        elif element.tag in (f"{W}p", f"{W}sdt"):
            lines.append(_para_text(element))
    return "\n".join(lines)


def _parts(data: bytes, pattern: str) -> list[str]:
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    return sorted(n for n in names if re.fullmatch(pattern, n))


def body_text(data: bytes) -> str:
    return _block_text(_xml(data, "word/document.xml"))


def header_text(data: bytes) -> str:
    return "\n".join(_block_text(_xml(data, part)) for part in _parts(data, r"word/header\d*\.xml"))


def footer_text(data: bytes) -> str:
    return "\n".join(_block_text(_xml(data, part)) for part in _parts(data, r"word/footer\d*\.xml"))


def plain_text(data: bytes) -> str:
    """What a reader sees: header, body and footer, with trailing spaces and blank runs tidied."""
    text = "\n".join(["[header]", header_text(data), "[body]", body_text(data), "[footer]", footer_text(data)])
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def field_instructions(data: bytes, pattern: str) -> list[str]:
    out = []
    for part in _parts(data, pattern):
        out += [(node.text or "").strip() for node in _xml(data, part).iter(f"{W}instrText")]
    return out


# --- every document renders for every case --------------------------------------------------------


def test_the_toolkit_documents_are_in_the_catalogue():
    names = set(catalogue())
    assert set(TOOLKIT) <= names
    assert set(TOOLKIT) <= set(_documents())


@pytest.mark.parametrize("reference", _cases())
def test_every_document_renders_for_every_case(reference):
    """No template error for any case, at any stage: what is not recorded yet is said in words."""
    board = _register().config["board"]["name"]
    for name in _documents():
        spec = catalogue()[name]
        for agency, to in _variants(name, reference):
            data = _render(name, reference, agency, to)
            text = body_text(data)
            shown = f"{name} ({agency or to or 'no recipient'}) for {reference}"
            assert len(text) > 200, shown
            assert "\ue000" not in text and "\ue001" not in text, f"{shown}: a value marker was left in the text"
            header, footer = header_text(data), footer_text(data)
            if spec.publication or spec.plain:  # for the public or the family: no reference, no marking
                assert reference not in header + footer, shown
                assert MARKING not in header + footer + text, shown
                assert not re.search(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September"
                                     r"|October|November|December) \d{4}\b", footer), shown
            else:
                assert reference in header and reference in footer, shown
                assert MARKING in header and MARKING in footer, shown
            assert {"PAGE", "NUMPAGES"} <= set(field_instructions(data, r"word/footer\d*\.xml")), shown
            core = _xml(data, "docProps/core.xml")
            assert core.findtext("{http://purl.org/dc/elements/1.1/}creator") == board, shown
            title = core.findtext("{http://purl.org/dc/elements/1.1/}title")
            assert title in (spec.title, "DRAFT: " + spec.title), shown
            if title.startswith("DRAFT: "):  # not ready to send: watermarked, and said so on every page
                assert "DRAFT — NOT TO BE SENT" in header and "PowerPlusWaterMarkObject" in _part(data, "word/header"), shown


def test_every_agency_of_the_richest_case_gets_its_per_agency_documents():
    agencies = _case_agencies(RICH)
    assert len(agencies) >= 7
    register = _register()
    for name in _documents():
        if not catalogue()[name].per_agency:
            continue
        for agency in agencies:
            text = body_text(_render(name, RICH, agency))
            agency_name = next(a["name"] for a in register.config["agencies"] if a["id"] == agency)
            assert agency_name in text, f"{name} for {agency} does not name the agency"


def test_case_optional_documents_render_without_a_case():
    for name in _documents():
        if catalogue()[name].case == "optional":
            data = _render(name, None)
            assert "register" in header_text(data)
            assert len(body_text(data)) > 200


# --- the house style --------------------------------------------------------------------------------


def _rich_renderings() -> list[tuple[str, str | None, str | None]]:
    return [(name, agency, to) for name in _documents() for agency, to in _variants(name, RICH)]


@pytest.mark.parametrize("name,agency,to", _rich_renderings())
def test_house_style_reference_marking_page_numbers_and_properties(name, agency, to):
    data = _render(name, RICH, agency, to)
    spec = catalogue()[name]
    header, footer, body = header_text(data), footer_text(data), body_text(data)
    if spec.publication or spec.plain:  # for the public, or a letter to the family
        assert RICH not in header + footer
        assert MARKING not in header + footer + body, "a document for the public or the family carries no marking"
    else:
        assert RICH in header and RICH in footer
        assert MARKING in header and MARKING in footer
    instructions = field_instructions(data, r"word/footer\d*\.xml")
    assert "PAGE" in instructions and "NUMPAGES" in instructions
    sent = _sent_on(name, agency, to) if spec.kind == "letter" else TODAY
    if spec.plain:  # the family's letter: its date in the letter, none in the footer
        assert f"{sent.day} {sent:%B %Y}" in body and not re.search(r"\d{4}", footer)
    else:
        assert ("November 2017" if spec.publication else f"{sent.day} {sent:%B %Y}") in footer
    core = _xml(data, "docProps/core.xml")
    board = _register().config["board"]["name"]
    assert core.findtext("{http://purl.org/dc/elements/1.1/}creator") == board
    assert core.findtext("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
                         "lastModifiedBy") == board
    title = core.findtext("{http://purl.org/dc/elements/1.1/}title")
    assert title in (spec.title, "DRAFT: " + spec.title)
    if title != spec.title:  # the records do not support it yet: the draft says so on every page
        assert "DRAFT — NOT TO BE SENT" in header
    archive = zipfile.ZipFile(io.BytesIO(data))
    for part in archive.namelist():
        if part.startswith("docProps/"):
            assert b"python-docx" not in archive.read(part), part


def _sent_on(name: str, agency: str | None, to: str | None) -> dt.date:
    """The date notifications.yaml records the rich case's letter as sent (the latest), or TODAY."""
    notices = yaml.safe_load((EXAMPLE / "cases" / RICH / "notifications.yaml").read_text())["notifications"]
    recipient = f"agency:{agency}" if agency else to
    found = [n["date"] for n in notices if n["recipient"] == recipient
             and (n["purpose"] == document_purpose(name) or f"-{name}" in str(n.get("document")))
             and (to != "family" or str(n.get("document", "")).endswith("-mother.docx"))]
    return max(found) if found else TODAY


def test_letters_carry_date_reference_salutation_and_sign_off():
    chair = _register().config["independent_chair"]["name"]
    crg_chair = _register().config["crg"]["chair"]["name"]
    manager = next(l for l in _register().config["lscbs"] if l["id"] == "reading")["business_manager"]["name"]
    signers = {"outcome-letter": crg_chair, "decision-notification": chair, "notifier-notice": chair,
               "initiation-letter": manager, "family-letter": manager, "extension-letter": manager}
    for name, signer in signers.items():
        for agency, to in _variants(name, RICH):
            text = body_text(_render(name, RICH, agency, to))
            sent = _sent_on(name, agency, to)
            assert f"{sent.day} {sent:%B %Y}" in text, (name, sent)
            assert (RICH in text) == (name != "family-letter"), name  # the family's letter: no reference
            assert re.search(r"^Dear ", text, re.M), name
            tail = text[text.rindex("Yours sincerely" if "Yours sincerely" in text else "kind regards"):]
            assert signer in tail, f"{name} is not signed by {signer}"
            if name not in ("family-letter", "initiation-letter"):  # these two name who they concern
                assert "Riley" not in text and "Hatton" not in text, f"{name} uses the child's real name"
            assert "Child A" in text or name == "family-letter", name


def test_outcome_letter_never_encloses_the_referral_form_and_asks_for_practitioners_to_be_told():
    text = body_text(_render("outcome-letter", RICH, "bhft"))
    assert "The referral form is not enclosed" in text
    assert "front-line practitioners" in text and "support and supervision" in text
    assert "Serious Case Review" in text and "13 September 2016" in text


def test_initiation_letter_gives_the_agency_its_own_dates_and_copies():
    text = body_text(_render("initiation-letter", RICH, "bhft"))
    assert "4 November 2016" in text and "6 January 2017" in text     # bhft's chronology and report dates
    for copy in ("Tom Redfern", "Sarah Quinlan", "Elaine Marsh"):      # coroner: death and criminal proceedings
        assert copy in text
    no_coroner = body_text(_render("initiation-letter", "WBCR-2017-002", "wbc-cs"))
    assert "Elaine Marsh" not in no_coroner and "Tom Redfern" in no_coroner


def test_family_letter_names_only_its_addressee_and_the_child_and_says_it_is_not_about_blame():
    text = body_text(_render("family-letter", RICH, to="family"))
    people = yaml.safe_load((EXAMPLE / "cases" / RICH / "people.yaml").read_text())["people"]
    for person in people:
        if person["id"] in ("mother", "child-a"):
            continue
        parts = person["name"].split()
        for value in (person["name"], parts[0], *(person.get("other_names") or [])):
            assert not re.search(rf"\b{re.escape(value)}\b", text), value
    assert "Chloe Anne Hatton" in text and "Dear Chloe Hatton," in text
    assert "not about who is to blame" in text


def test_extension_letter_gives_the_latest_proposed_date_and_reason():
    text = body_text(_render("extension-letter", RICH, to="ofsted"))
    assert "15 December 2017" in text and "adjourned to September 2017" in text
    assert "good outcomes for children" in text


def test_rag_report_flags_red_and_overdue_actions():
    text = body_text(_render("rag-progress-report", "WBCR-2016-001"))
    assert "R3-A1" in text[text.index("Needing attention"):text.index("Every action")]
    assert "RED (R)" in text and "BLUE (B)" in text


def test_rag_report_flags_an_action_whose_target_date_has_passed():
    data, _md, _spec = render_bytes(_register(), "rag-progress-report", RICH, dt.date(2018, 5, 29))
    text = body_text(data)
    attention = text[text.index("Needing attention"):text.index("Every action")]
    assert "R1-A2" in attention and "OVERDUE" in attention     # target 28 December 2017, not signed off
    assert "R1-A1" not in attention                              # signed off before its target date


@pytest.fixture(scope="module")
def edited_register(tmp_path_factory):
    """The example register with records the examples do not have: a referral screened out, a Chair's
    decision that differs from the CRG's recommendation, and an SCR panel below the minimum size."""
    root = tmp_path_factory.mktemp("edited") / "register"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("output"))
    (root / "cases" / "WBCR-2017-010" / "decisions.yaml").write_text(yaml.safe_dump({
        "schema_version": 1,
        "screening": {"date": "2017-11-21", "by": "Angela Hartley", "outcome": "not_for_review",
                      "rationale": "The child was not harmed and no agency was involved; there is nothing to review."},
    }), encoding="utf-8")

    def decisions(d):
        d["chair_decision"]["decision"] = "silp"
        d["extraordinary_meeting"] = {"date": "2016-09-15", "chair_attended": True,
                                      "outcome": "The Group accepted the Chair's decision."}

    def review(d):
        d["panel"] = d["panel"][:4]

    _edit(root / "cases" / RICH / "decisions.yaml", decisions)
    _edit(root / "cases" / RICH / "review.yaml", review)
    return open_register(root)


def test_notifier_is_told_when_a_referral_is_screened_out(edited_register):
    text = body_text(_render("notifier-notice", "WBCR-2017-010", to="notifier", register=edited_register))
    assert "not for review" in text
    assert "The child was not harmed and no agency was involved; there is nothing to review." in text


def test_a_decision_that_differs_from_the_crg_is_explained(edited_register):
    outcome = body_text(_render("outcome-letter", RICH, "tvp", register=edited_register))
    assert "This decision differs from the CRG's recommendation" in outcome
    assert "The Group accepted the Chair's decision." in outcome
    assert "Significant Incident Learning Process" in outcome
    notice = body_text(_render("decision-notification", RICH, to="national_panel", register=edited_register))
    assert "decision not to hold a Serious Case Review" in notice and "Extraordinary meeting" in notice
    audit = body_text(_render("decision-audit-report", RICH, register=edited_register))
    assert "The decision differs from the Case Review Group's recommendation" in audit


def test_an_scr_panel_below_six_members_is_flagged(edited_register):
    text = body_text(_render("panel-membership", RICH, register=edited_register))
    assert "The panel is below the minimum size" in text and "minimum panel size of six" in text
    assert "This meets the guidance's minimum panel size" in body_text(_render("panel-membership", RICH))


# --- golden text --------------------------------------------------------------------------------------


def _golden_cases() -> list[tuple[str, str, str | None, str | None]]:
    out = []
    for name in TOOLKIT:
        for n, (agency, to) in enumerate(_variants(name, RICH)):
            out.append((name if n == 0 else f"{name}-{to}", name, agency, to))
    return out


def _normalise_for_golden(text: str) -> str:
    # The flow chart's picture needs Graphviz; where it is missing a sentence says so instead (its
    # paragraph holds the picture, which has no text, where Graphviz is installed).
    return "\n".join("" if line.startswith("The picture of the flow chart could not be drawn") else line
                     for line in text.split("\n"))


@pytest.mark.parametrize("golden,name,agency,to", _golden_cases())
def test_golden_text(golden, name, agency, to):
    text = _normalise_for_golden(plain_text(_render(name, RICH, agency, to)))
    path = GOLDEN / f"{golden}.txt"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with WBCR_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "\n".join(difflib.unified_diff(expected.splitlines(), text.splitlines(), "golden", "rendered",
                                              lineterm="", n=1))
        pytest.fail(f"{name} differs from tests/golden/{path.name} (WBCR_UPDATE_GOLDEN=1 to accept):\n{diff}")


def test_flow_chart_without_graphviz_says_so_and_keeps_every_table(monkeypatch):
    import wbcr.documents.flowchart

    monkeypatch.setattr(wbcr.documents.flowchart, "have_graphviz", lambda: False)
    data, _md, _spec = render_bytes(_register(), "process-flow-chart", RICH, TODAY)
    text = plain_text(data)
    assert "needs Graphviz" in text
    assert "word/media/" not in " ".join(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert _normalise_for_golden(text) == (GOLDEN / "process-flow-chart.txt").read_text(encoding="utf-8")


# --- hostile input --------------------------------------------------------------------------------------

KERNEL = ("Tom & Jerry <b>bold</b> </w:t> \"double\" 'single' {{ 7*7 }} {% if %} {# note #} [redacted] "
          "*stars* **strong** _under_ `tick` | pipe | # hash \\back 😀👶🏽 مرحبا بكم")


def _hostile(label: str) -> str:
    return f"{label}: {KERNEL}"


def _narrative() -> str:
    paragraph = ("The family was seen at home & the worker noted <concerns> about \"Dad's\" {{ partner }} "
                 "[redacted] *twice*; مرحبا. ")
    text = ""
    n = 0
    while len(text) < 20000:
        n += 1
        text += f"{n}. {paragraph}" + ("\n" if n % 10 == 0 else "")
    return "Narrative " + text[:20000 - len("Narrative ")]


HOSTILE = {
    "pseudonym": _hostile("Pseudonym"),
    "child_pseudonym": _hostile("Child pseudonym"),
    "incident": _hostile("Incident"),
    "summary": _narrative(),
    "rationale": _hostile("Rationale"),
    "recommendation": _hostile("Recommendation"),
    "line_of_enquiry": _hostile("Line of enquiry"),
    "panel_role": _hostile("Panel role"),
    "extension_reason": _hostile("Extension reason"),
}

# Which hostile values each document shows.
SHOWN = {
    "outcome-letter": ["pseudonym", "rationale"],
    "notifier-notice": ["pseudonym", "rationale"],
    "decision-notification": ["pseudonym", "rationale", "incident"],
    "initiation-letter": ["pseudonym", "line_of_enquiry"],
    "extension-letter": ["pseudonym", "extension_reason", "recommendation"],
    "terms-of-reference": ["pseudonym", "line_of_enquiry"],
    "panel-membership": ["pseudonym", "panel_role"],
    "action-plan": ["pseudonym", "recommendation"],
    "rag-progress-report": ["pseudonym", "recommendation"],
    "decision-audit-report": ["pseudonym", "rationale", "incident", "summary"],
    "executive-summary": ["pseudonym", "child_pseudonym", "recommendation", "line_of_enquiry", "panel_role"],
    "agency-report-template": ["pseudonym", "line_of_enquiry"],
    "process-flow-chart": ["pseudonym"],
}


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_register(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "register"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("output"))
    case = root / "cases" / RICH

    def case_yaml(d):
        d["pseudonym"] = HOSTILE["pseudonym"]

    def people(d):
        d["people"][0]["pseudonym"] = HOSTILE["child_pseudonym"]

    def referral(d):
        d["summary"] = HOSTILE["summary"]
        d["incident"]["description"] = HOSTILE["incident"]

    def decisions(d):
        d["chair_decision"]["rationale"] = HOSTILE["rationale"]

    def recommendations(d):
        d["recommendations"][0]["text"] = HOSTILE["recommendation"]

    def review(d):
        d["terms_of_reference"]["lines_of_enquiry"][0] = HOSTILE["line_of_enquiry"]
        d["panel"][1]["role"] = HOSTILE["panel_role"]
        d["extensions"][-1]["reason"] = HOSTILE["extension_reason"]

    for name, change in (("case", case_yaml), ("people", people), ("referral", referral),
                         ("decisions", decisions), ("recommendations", recommendations), ("review", review)):
        _edit(case / f"{name}.yaml", change)
    return open_register(root)


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_hostile_text_survives_byte_for_byte_and_is_never_evaluated(name, hostile_register):
    for agency, to in _variants(name, RICH):
        data = _render(name, RICH, agency, to, register=hostile_register)
        text = body_text(data)
        for key in SHOWN[name]:
            assert HOSTILE[key] in text, f"{name}: the {key} did not survive exactly"
        assert "\ue000" not in text
        # Jinja never evaluated what the user typed, and Markdown never read it as markup.
        assert "{{ 7*7 }}" in text and "Tom & Jerry <b>bold</b>" in text
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
        assert "<b>bold</b>" not in xml, "markup from a record reached the XML unescaped"


def test_hostile_narrative_of_twenty_thousand_characters_keeps_its_line_breaks(hostile_register):
    text = body_text(_render("decision-audit-report", RICH, register=hostile_register))
    assert len(HOSTILE["summary"]) == 20000
    assert HOSTILE["summary"] in text
    assert HOSTILE["summary"].count("\n") >= 10


# --- the executive summary identifies nobody ----------------------------------------------------------


def _identifiers(reference: str) -> list[str]:
    people = yaml.safe_load((EXAMPLE / "cases" / reference / "people.yaml").read_text())["people"]
    values: list[str] = []
    for person in people:
        values.append(person["name"])
        values += [part for part in re.split(r"[\s\-']+", person["name"]) if len(part) >= 3]
        values += person.get("other_names") or []
        for key in ("address", "postcode", "school", "nhs_number", "gp_practice"):
            if person.get(key):
                values.append(str(person[key]))
        for key in ("date_of_birth", "date_of_death"):
            if person.get(key):
                day = dt.date.fromisoformat(str(person[key]))
                values += [day.isoformat(), f"{day.day} {day:%B %Y}", f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}"]
    return values


@pytest.mark.parametrize("reference", _cases())
def test_executive_summary_uses_pseudonyms_and_roles_only(reference):
    from wbcr.documents.publication import check_publication_bytes

    data = _render("executive-summary", reference)
    text = plain_text(data)
    for value in _identifiers(reference):
        assert not re.search(rf"(?<!\w){re.escape(value.casefold())}(?!\w)", text.casefold()), \
            f"the executive summary of {reference} contains {value!r}"
    findings = check_publication_bytes(_register(), reference, data, "executive-summary")
    assert [f.message for f in findings] == []


def test_executive_summary_of_the_richest_case_has_the_sections_the_guidance_asks_for():
    text = body_text(_render("executive-summary", RICH))
    for heading in ("Introduction", "The review process", "Composition of the panel", "Brief overview of events",
                    "Key issues arising from the review", "Recommendations"):
        assert heading in text
    for rec in ("R1", "R2", "R3"):                       # every multi-agency recommendation
        assert f"Recommendation {rec}." in text
    assert "To be written by the overview author" in text
    people = yaml.safe_load((EXAMPLE / "cases" / RICH / "people.yaml").read_text())["people"]
    assert all(p["pseudonym"] in text for p in people)


# --- every document opens in LibreOffice --------------------------------------------------------------


def test_every_document_of_the_richest_case_converts_to_pdf_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed, so the documents cannot be converted to PDF")
    sources = []
    for name, agency, to in _rich_renderings():
        path = tmp_path / f"{name}-{agency or to or 'case'}.docx"
        path.write_bytes(_render(name, RICH, agency, to))
        sources.append(path)
    out = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    result = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                             "--convert-to", "pdf", "--outdir", str(out), *map(str, sources)],
                            capture_output=True, text=True, timeout=300)
    # soffice exits 0 even when a file fails to convert: check every PDF.
    missing = [p.name for p in sources if not (out / f"{p.stem}.pdf").is_file()
               or (out / f"{p.stem}.pdf").stat().st_size == 0]
    assert not missing, f"LibreOffice did not convert: {missing}\n{result.stdout}\n{result.stderr}"
    pdftotext = shutil.which("pdftotext")
    for path in sources:
        pdf = out / f"{path.stem}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        if pdftotext:
            text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True,
                                  timeout=60).stdout
            spec = catalogue()[max((n for n in catalogue() if path.stem.startswith(f"{n}-")), key=len)]
            if spec.publication or spec.plain:  # for the public or the family: no reference in view
                assert RICH not in text and "Page 1 of" in text, pdf.name
            else:
                assert RICH in text, f"{pdf.name}: the reference is not in the PDF text"


def test_a_letter_that_must_not_be_sent_is_refused_unless_drafted(wbcr, example):
    """Issue 10, point 2: the decision notification before the decision is refused (exit 1, saying why);
    --draft renders it watermarked DRAFT with a -DRAFT file name, and `notify` will not record it."""
    ref = "WBCR-2017-008"  # at crg_consideration: no decision yet
    refused = wbcr("render", ref, "decision-notification", "--to", "ofsted", cwd=example)
    assert refused.code == 1 and "must not be sent yet" in refused.err and "--draft" in refused.err
    assert not (example / "output" / ref).exists() or not any((example / "output" / ref).iterdir())
    drafted = wbcr("render", ref, "decision-notification", "--to", "ofsted", "--draft", "--no-protect", cwd=example)
    assert drafted.code == 0, drafted.err
    path = Path(drafted.out.strip())
    assert path.name.endswith("-DRAFT.docx")
    data = path.read_bytes()
    assert "DRAFT — NOT TO BE SENT" in header_text(data) and "PowerPlusWaterMarkObject" in _part(data, "word/header")
    recorded = wbcr("notify", ref, "--recipient", "ofsted", "--purpose", "decision_notification", "--document",
                    str(path), cwd=example)
    assert recorded.code == 2 and "is a draft" in recorded.err
