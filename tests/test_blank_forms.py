"""The four forms of the tool kit (referral form, information request, chronology template, agency report
template) are real forms: blank, without a case, every one renders with fields of the right kind — Word
date pickers, checkboxes, drop-downs that show words, plain text with Word's grey prompt instead of dots
to delete — and no internal id, "None" or invented "Child A"; for a case they come pre-filled. The
referral form's Part 9 records the Case Review Group's consideration and the Independent Chair's decision.

The example register stands at 2017-11-23 (the `example` fixture); nothing here depends on the real date.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from formfill import fill_form

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
FORMS = ["referral-form", "information-request", "chronology-template", "agency-report-template"]
RICH = "WBCR-2016-004"  # the example's richest case: a CRG meeting on 8 September 2016, the Chair's SCR decision
#: ids of the records that must never stand where words belong
IDS = ["rapid_response", "review_referral", "out_of_area", "good_practice", "other_lscb", "bffc", "wbc-cs",
       "must_notify", "serious_harm_concern", "multi_agency_review", "no_review", "more_information"]


def _render(wbcr, register: Path, *args: str) -> bytes:
    result = wbcr("render", *args, "--no-protect", cwd=register)
    assert result.code == 0, result.err
    path = Path(result.out.strip().splitlines()[-1])
    assert path.suffix == ".docx" and path.is_file()
    return path.read_bytes()


def _body(data: bytes):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))


def _text(data: bytes) -> str:
    """The body's text as Word shows it, paragraph by paragraph."""
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in _body(data).iter(f"{W}p"))


def _controls(data: bytes) -> dict[str, dict]:
    """tag -> {kind, text, items (words of a drop-down), value (chosen item), date (fullDate), empty,
    checked, alias} of each content control of the body."""
    out = {}
    for sdt in _body(data).iter(f"{W}sdt"):
        pr = sdt.find(f"{W}sdtPr")
        listing, picker, box = pr.find(f"{W}dropDownList"), pr.find(f"{W}date"), pr.find(f"{W14}checkbox")
        kind = "check" if box is not None else "date" if picker is not None else "list" if listing is not None else "text"
        out[pr.find(f"{W}tag").get(f"{W}val")] = {
            "kind": kind, "alias": pr.find(f"{W}alias").get(f"{W}val"),
            "text": "".join(t.text or "" for t in sdt.find(f"{W}sdtContent").iter(f"{W}t")),
            "items": [i.get(f"{W}displayText") for i in listing.iter(f"{W}listItem")] if listing is not None else [],
            "values": [i.get(f"{W}value") for i in listing.iter(f"{W}listItem")] if listing is not None else [],
            "value": listing.get(f"{W}lastValue") if listing is not None else None,
            "date": picker.get(f"{W}fullDate") if picker is not None else None,
            "empty": pr.find(f"{W}showingPlcHdr") is not None,
            "checked": box.find(f"{W14}checked").get(f"{W14}val") == "1" if box is not None else None,
        }
    return out


@pytest.fixture
def blanks(wbcr, example) -> dict[str, bytes]:
    return {name: _render(wbcr, example, name) for name in FORMS}


# --- every form renders blank -------------------------------------------------------------------------


@pytest.mark.parametrize("name", FORMS)
def test_each_form_renders_blank_without_a_case_or_an_agency(wbcr, example, name):
    result = wbcr("render", name, cwd=example)
    assert result.code == 0, result.err
    path = Path(result.out.strip().splitlines()[-1])
    assert path.name == f"register-{name}.docx" and path.is_file()
    data = path.read_bytes()
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None  # a Word file, not protected: no case password
    headers = "".join(zipfile.ZipFile(io.BytesIO(data)).read(n).decode() for n in
                      zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/header"))
    assert "OFFICIAL-SENSITIVE (when completed)" in headers


@pytest.mark.parametrize("name", FORMS)
def test_a_blank_form_has_no_dots_no_none_and_no_invented_child(blanks, name):
    text, controls = _text(blanks[name]), _controls(blanks[name])
    assert "……" not in text and "...." not in text  # nothing to delete before writing
    assert not re.search(r"\bNone\b", text)
    assert controls["reference"]["empty"] if "reference" in controls else True
    if name == "referral-form":  # the label gives an example; the field itself is empty
        assert controls["child.pseudonym"]["empty"] and "Child A" not in controls["child.pseudonym"]["text"]
    else:
        assert "Child A" not in text
    filled = [tag for tag, c in controls.items() if c["kind"] != "check" and not c["empty"]]
    assert not filled, f"{name}: fields filled in on a blank form: {filled}"
    assert not [tag for tag, c in controls.items() if c["checked"]]


@pytest.mark.parametrize("name", FORMS)
def test_a_blank_form_has_date_pickers_and_the_agency_as_a_drop_down_of_names(blanks, name):
    controls = _controls(blanks[name])
    dates = [tag for tag, c in controls.items() if c["kind"] == "date"]
    assert dates and all(controls[tag]["date"] is None for tag in dates)  # empty date pickers
    agency = controls["referrer.agency" if name == "referral-form" else
                      "report.agency" if name == "agency-report-template" else "agency"]
    assert agency["kind"] == "list" and "Thames Valley Police" in agency["items"]
    assert "tvp" in agency["values"] and "tvp" not in agency["items"]  # the id is the value, the words are shown
    xml = zipfile.ZipFile(io.BytesIO(blanks[name])).read("word/document.xml").decode()
    assert "<w:date" in xml and "<w:dropDownList" in xml


def test_the_date_fields_of_each_form_are_date_pickers(blanks):
    kinds = {name: {tag: c["kind"] for tag, c in _controls(data).items()} for name, data in blanks.items()}
    for tag in ("received", "referrer.date", "child.date_of_birth", "child.date_of_death", "family.1.date_of_birth",
                "incident.date", "part9.considered", "part9.decision_date", "part9.sent", "part9.returned"):
        assert kinds["referral-form"][tag] == "date", tag
    for tag in ("period.from", "period.to", "records_secured", "returned", "person.1.date_of_birth"):
        assert kinds["information-request"][tag] == "date", tag
    for tag in ("submitted", "signed_off.date", "scope.from", "scope.to"):
        assert kinds["chronology-template"][tag] == "date", tag
    for tag in ("report.requested", "report.records_secured", "report.submitted", "report.signoff.quality_assured",
                "report.signoff.date", "report.recommendations.1.target_date", "report.scope.from"):
        assert kinds["agency-report-template"][tag] == "date", tag


def test_the_yes_no_questions_are_yes_no_drop_downs_and_the_criteria_checkboxes(blanks):
    referral, request = _controls(blanks["referral-form"]), _controls(blanks["information-request"])
    for tag in ("dsl_consulted.consulted", "other_children_at_risk", "parallel_processes.coroner",
                "agencies.1.still_involved", "records_secured", "part9.criteria_met", "part9.peer_challenge.sought",
                "part9.extraordinary.held"):
        assert (referral[tag]["kind"], referral[tag]["items"], referral[tag]["values"]) == \
            ("list", ["Yes", "No"], ["yes", "no"]), tag
    assert request["involved"]["items"] == ["Yes", "No"]
    ticks = [tag for tag, c in referral.items() if c["kind"] == "check"]
    assert "criteria.must_notify.serious_harm_concern" in ticks and "criteria.wider.risk_not_shared" in ticks
    assert all(tag.startswith("criteria.") for tag in ticks)
    assert [tag for tag, c in request.items() if c["kind"] == "check"] == [
        "risk_factors.domestic_abuse", "risk_factors.substance_misuse", "risk_factors.mental_ill_health",
        "risk_factors.neglect"]
    for data in (blanks["referral-form"], blanks["information-request"]):
        assert "<w14:checkbox" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def test_the_referral_forms_drop_downs_show_words_and_are_read_back_by_their_ids(blanks):
    controls = _controls(blanks["referral-form"])
    route = controls["route"]
    assert route["values"] == ["agency", "rapid_response", "coroner", "cdop", "other_lscb"]
    assert route["items"] == ["An agency", "Rapid response", "The Coroner", "The Child Death Overview Panel",
                              "Another LSCB"]
    assert controls["intake"]["values"] == ["review_referral", "out_of_area", "good_practice"]
    assert "Good-practice notification" in controls["intake"]["items"]
    assert dict(zip(controls["lead_lscb"]["values"], controls["lead_lscb"]["items"]))["reading"] == \
        "Reading Local Safeguarding Children Board"
    assert controls["child.child_protection_plan"]["values"] == ["current", "previous", "never", "unknown"]
    assert controls["agencies.8.agency"]["kind"] == "list"


@pytest.mark.parametrize("name", FORMS)
def test_no_internal_id_stands_where_words_belong(blanks, name):
    shown = [_text(blanks[name])]
    for control in _controls(blanks[name]).values():
        shown += [control["alias"], *control["items"]]
    for text in shown:
        found = [ident for ident in IDS if re.search(rf"(?<![\w.-]){re.escape(ident)}(?![\w-])", text)]
        assert not found, f"{name}: {found} in {text!r}"
    assert "Put an X" not in shown[0] and "(yes / no)" not in shown[0]


# --- Part 9 of the referral form ---------------------------------------------------------------------


def test_part_9_holds_the_consideration_and_the_decision_as_empty_fields(blanks):
    text, controls = _text(blanks["referral-form"]), _controls(blanks["referral-form"])
    assert "Part 9: for the Case Review Group and the Independent Chair" in text
    part9 = {tag: c for tag, c in controls.items() if tag.startswith("part9.")}
    for tag in ("part9.considered", "part9.members.1.member", "part9.members.1.recommendation",
                "part9.members.1.reason", "part9.members.8.reason", "part9.criteria_met",
                "part9.alternative.considered", "part9.alternative.outcome", "part9.recommendation",
                "part9.rationale", "part9.checked.name", "part9.checked.date", "part9.sent", "part9.decision",
                "part9.decision_date", "part9.decision_rationale", "part9.peer_challenge.sought",
                "part9.peer_challenge.from", "part9.returned", "part9.extraordinary.held",
                "part9.extraordinary.date", "part9.signature.signed", "part9.signature.name",
                "part9.signature.role", "part9.signature.date"):
        assert tag in part9 and part9[tag]["empty"], tag
    assert "Serious Case Review" in part9["part9.decision"]["items"]
    assert "More information needed before a decision" in part9["part9.members.1.recommendation"]["items"]
    assert "More information needed before a decision" not in part9["part9.decision"]["items"]
    for words in ("checked by the CRG chair", "Date sent to the Independent Chair", "extraordinary meeting",
                  "Peer challenge sought from another LSCB chair", "Each member's recommendation and reason"):
        assert words in text, words


def test_part_9_of_a_case_is_pre_filled_from_its_decisions(wbcr, example):
    controls = _controls(_render(wbcr, example, RICH, "referral-form"))
    assert controls["part9.considered"]["date"].startswith("2016-09-08")
    assert controls["part9.considered"]["text"] == "8 September 2016"
    assert (controls["part9.decision"]["value"], controls["part9.decision"]["text"]) == ("scr", "Serious Case Review")
    assert controls["part9.decision_date"]["text"] == "13 September 2016"
    assert controls["part9.sent"]["text"] == "9 September 2016"
    assert controls["part9.members.1.member"]["text"] == "Mark Sutherland, Thames Valley Police"
    assert controls["part9.members.1.recommendation"]["value"] == "scr"
    assert controls["part9.members.1.reason"]["text"].startswith("Death of a baby")
    assert controls["part9.members.7.member"]["empty"]  # six members recommended: the rest are rows to fill
    assert controls["part9.criteria_met"]["text"] == "Yes" and controls["part9.peer_challenge.sought"]["text"] == "No"
    assert controls["part9.decision_rationale"]["text"].startswith("I agree with the unanimous recommendation")
    assert controls["part9.signature.name"]["text"] == "Frances Whitlock"
    # not recorded by wbcr: left to fill in
    for tag in ("part9.checked.name", "part9.checked.date", "part9.returned", "part9.signature.signed"):
        assert controls[tag]["empty"], tag
    # the rest of the form as recorded: route and agency by their words
    assert (controls["route"]["value"], controls["route"]["text"]) == ("rapid_response", "Rapid response")
    assert controls["received"]["text"] == "17 August 2016"


def test_part_9_is_not_read_back_by_refer(wbcr, example, tmp_path):
    blank = _render(wbcr, example, "referral-form")
    filled = tmp_path / "referral.docx"
    filled.write_bytes(fill_form(blank, {
        "lead_lscb": "reading", "referrer.name": "Pat Invented", "referrer.role": "Named Nurse",
        "child.name": "Ash Invented-Child", "summary": "A summary.", "route": "Rapid response",
        "criteria.must_notify.serious_harm_concern": "X", "part9.decision": "scr", "part9.considered": "01/11/2017"}))
    result = wbcr("refer", "--from", str(filled), cwd=example)
    assert result.code == 0, result.out + result.err
    case = example / "cases" / result.out.strip()
    referral = yaml.safe_load((case / "referral.yaml").read_text())
    assert referral["route"] == "rapid_response" and referral["lead_lscb"] == "reading"
    assert not (case / "decisions.yaml").exists() or "chair_decision" not in yaml.safe_load(
        (case / "decisions.yaml").read_text())


# --- the per-agency forms: blank or for a case ---------------------------------------------------------


def test_a_blank_information_request_filled_in_is_read_into_a_case(wbcr, example, tmp_path):
    ref = "WBCR-2017-009"
    decisions = yaml.safe_load((example / "cases" / ref / "decisions.yaml").read_text())
    agency = next(r["agency"] for r in decisions["information_requests"] if "received" not in r)
    blank = _render(wbcr, example, "information-request")
    filled = tmp_path / "returned.docx"
    filled.write_bytes(fill_form(blank, {
        "reference": ref, "agency": agency, "author": "Sam Invented", "involved": "No",
        "risk_factors.neglect": "", "returned": "22/11/2017"}))
    result = wbcr("request", ref, "--agency", agency, "--from-form", str(filled), cwd=example)
    assert result.code == 0, result.out + result.err
    item = next(r for r in yaml.safe_load((example / "cases" / ref / "decisions.yaml").read_text())
                ["information_requests"] if r["agency"] == agency)
    assert item["involved"] is False and str(item["received"]) == "2017-11-22"


@pytest.mark.parametrize("name", FORMS[1:])
def test_a_per_agency_form_for_a_case_is_pre_filled_and_still_needs_its_agency(wbcr, example, name):
    refused = wbcr("render", RICH, name, "--no-protect", cwd=example)
    assert refused.code == 2 and "--agency" in refused.err
    data = _render(wbcr, example, RICH, name, "--agency", "tvp")
    text = _text(data)
    assert "Thames Valley Police" in text and "Riley James Hatton" in text and "Child A" in text
    assert "when completed" not in "".join(zipfile.ZipFile(io.BytesIO(data)).read(n).decode() for n in
                                            zipfile.ZipFile(io.BytesIO(data)).namelist()
                                            if n.startswith("word/header"))
    if name == "information-request":
        assert _controls(data)["agency"]["value"] == "tvp" and _controls(data)["reference"]["text"] == RICH


def test_documents_lists_the_forms_as_blank_without_a_case(wbcr, example):
    listing = wbcr("documents", cwd=example)
    assert listing.code == 0
    for name in FORMS:
        line = listing.lines[listing.lines.index(next(l for l in listing.lines if l.startswith(f"{name} "))) + 1]
        assert "blank without a case" in line, line
    data = {d["name"]: d for d in json.loads(wbcr("documents", "--format", "json", cwd=example).out)["documents"]}
    assert all(data[name]["blank_form"] for name in FORMS)
    assert not data["outcome-letter"]["blank_form"]
    assert wbcr("render", "outcome-letter", cwd=example).code == 2  # a letter is never blank
