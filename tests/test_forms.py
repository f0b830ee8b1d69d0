"""Forms come back: a referral form and an information request filled in by an agency are read back
field by field; anything missing or malformed is reported and nothing is written."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import git
from formfill import fill_form

ANSWERS = {
    "lead_lscb": "Wokingham",
    "referrer.name": "Pat Invented",
    "referrer.agency": "Royal Berkshire NHS Foundation Trust",
    "referrer.role": "Named Nurse for Safeguarding",
    "referrer.date": "31 Oct 2017",
    "dsl_consulted.consulted": "yes",
    "child.name": "Zennor Invented-Child",
    "child.pseudonym": "Child Z",
    "child.date_of_birth": "29/01/2014",
    "child.address": "1 Nowhere Lane\nInvented Town",
    "family.1.name": "Quilla Invented-Parent",
    "family.1.relationship": "Mother",
    "criteria.must_notify.serious_harm_concern": "X",
    "criteria.wider.risk_not_shared": "x",
    "incident.date": "30 October 2017",
    "incident.description": "Admitted with a head injury; the explanation changed twice.",
    "summary": 'Child Z (aged 3) was seen at A&E with bruising <left side>; Mother said she "fell" — '
               "[redacted] by the ward {{ 7*7 }} 😟 مرحبا",
    "parallel_processes.police_investigation": "Yes",
    "agencies.1.agency": "tvp",
    "agencies.1.still_involved": "yes",
    "records_secured": "yes",
}


def _render(wbcr, register: Path, *args: str) -> bytes:
    result = wbcr("render", *args, "--no-protect", cwd=register)
    assert result.code == 0, result.err
    return Path(result.out.strip()).read_bytes()


def test_a_filled_in_referral_form_registers_a_case(wbcr, example, tmp_path):
    blank = _render(wbcr, example, "referral-form")
    filled = tmp_path / "referral.docx"
    filled.write_bytes(fill_form(blank, ANSWERS))
    result = wbcr("refer", "--from", str(filled), cwd=example)
    assert result.code == 0, result.out + result.err
    ref = result.out.strip()
    case = example / "cases" / ref
    referral = yaml.safe_load((case / "referral.yaml").read_text())
    people = yaml.safe_load((case / "people.yaml").read_text())["people"]
    assert referral["lead_lscb"] == "wokingham" and referral["referrer"]["agency"] == "rbft"
    assert referral["summary"] == ANSWERS["summary"]  # hostile text survives byte for byte
    assert referral["criteria"]["must_notify"] == ["serious_harm_concern"]
    assert referral["criteria"]["wider"] == ["risk_not_shared"]
    assert referral["incident"]["date"] == "2017-10-30"
    assert people[0]["name"] == "Zennor Invented-Child" and people[0]["date_of_birth"] == "2014-01-29"
    assert people[0]["address"] == "1 Nowhere Lane\nInvented Town"
    assert people[1]["pseudonym"] == "Mother" and people[1]["role"] == "parent"
    assert yaml.safe_load((case / "case.yaml").read_text())["pseudonym"] == "Child Z"
    assert wbcr("validate", cwd=example).code == 0


def test_a_form_with_mistakes_is_reported_whole_and_nothing_is_written(wbcr, example, tmp_path):
    blank = _render(wbcr, example, "referral-form")
    bad = dict(ANSWERS, **{"child.date_of_birth": "31/02/2023", "incident.date": "yesterday", "summary": "",
                           "lead_lscb": "Slough", "dsl_consulted.consulted": "perhaps"})
    filled = tmp_path / "referral.docx"
    filled.write_bytes(fill_form(blank, bad))
    before = sorted(p.name for p in (example / "cases").iterdir())
    result = wbcr("refer", "--from", str(filled), cwd=example)
    assert result.code == 1
    lines = result.out.splitlines()
    assert any('field "Date of birth" (child.date_of_birth): is not a real date' in l for l in lines)
    assert "31/02/2023" not in result.out + result.err  # a date of birth is never quoted back
    assert any('(incident.date): "yesterday" is not a date' in l for l in lines)
    assert any('field "Summary" (summary): is empty' in l for l in lines)
    assert any('"Slough" is not one of' in l for l in lines)
    assert any('"perhaps" is not yes or no' in l for l in lines)
    assert sorted(p.name for p in (example / "cases").iterdir()) == before
    assert git(example, "status", "--porcelain") == ""


@pytest.mark.parametrize("content", [b"", b"not a zip", b"PK\x03\x04garbage", b"\xd0\xcf\x11\xe0" + b"\0" * 100])
def test_a_corrupt_or_hostile_docx_is_one_clear_error(wbcr, example, tmp_path, content):
    bad = tmp_path / "form.docx"
    bad.write_bytes(content)
    result = wbcr("refer", "--from", str(bad), cwd=example)
    assert result.code in (1, 3)
    assert "Traceback" not in result.err and result.err.startswith("error: ")


def test_a_docx_with_an_xml_bomb_is_refused(wbcr, example, tmp_path):
    import io
    import zipfile

    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", bomb)
        z.writestr("[Content_Types].xml", "<Types/>")
    path = tmp_path / "bomb.docx"
    path.write_bytes(buf.getvalue())
    result = wbcr("refer", "--from", str(path), cwd=example)
    assert result.code in (1, 3) and "Traceback" not in result.err


def test_a_returned_information_request_is_read_into_decisions(wbcr, example, tmp_path):
    ref = "WBCR-2017-009"
    decisions = yaml.safe_load((example / "cases" / ref / "decisions.yaml").read_text())
    pending = [r["agency"] for r in decisions["information_requests"] if "received" not in r]
    agency = pending[0]
    blank = _render(wbcr, example, ref, "information-request", "--agency", agency)
    filled = tmp_path / f"{agency}.docx"
    filled.write_bytes(fill_form(blank, {
        "author": "Sam Invented", "author_role": "Safeguarding lead", "involved": "Yes",
        "period.from": "30/12/2015", "period.to": "17/11/2017", "summary": "Two contacts & one referral.",
        "key_contacts": "31/01/2017 home visit\n04/03/2017 strategy discussion", "risk_factors.neglect": "X",
        "records_secured": "18 Nov 2017", "signed_off_by": "Jo Invented, Head of Service", "returned": "22/11/2017"}))
    result = wbcr("request", ref, "--agency", agency, "--from-form", str(filled), cwd=example)
    assert result.code == 0, result.out + result.err
    item = next(r for r in yaml.safe_load((example / "cases" / ref / "decisions.yaml").read_text())["information_requests"]
                if r["agency"] == agency)
    assert str(item["received"]) == "2017-11-22" and item["involved"] is True
    assert item["summary"] == "Two contacts & one referral." and item["risk_factors"] == ["neglect"]
    assert item["period"] == {"from": "2015-12-30", "to": "2017-11-17"}
    assert wbcr("validate", ref, cwd=example).code == 0


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_form_saved_again_by_libreoffice_is_still_read(wbcr, example, tmp_path):
    blank = _render(wbcr, example, "referral-form")
    filled = tmp_path / "in" / "referral.docx"
    filled.parent.mkdir()
    filled.write_bytes(fill_form(blank, ANSWERS))
    out = tmp_path / "out"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(out), str(filled)], capture_output=True, timeout=180)
    saved = out / "referral.docx"
    assert saved.is_file(), "LibreOffice did not write the document"
    result = wbcr("refer", "--from", str(saved), cwd=example)
    assert result.code == 0, result.out + result.err
    referral = yaml.safe_load((example / "cases" / result.out.strip() / "referral.yaml").read_text())
    assert referral["summary"] == ANSWERS["summary"] and referral["lead_lscb"] == "wokingham"


def test_a_returned_form_is_refused_in_another_case(wbcr, example, tmp_path):
    blank = _render(wbcr, example, "WBCR-2017-008", "information-request", "--agency", "tvp")
    filled = tmp_path / "tvp.docx"
    filled.write_bytes(fill_form(blank, {"involved": "Yes", "summary": "Known to us.", "returned": "22/11/2017"}))
    result = wbcr("request", "WBCR-2017-009", "--agency", "tvp", "--from-form", str(filled), cwd=example)
    assert result.code == 1
    assert 'the form is for case "WBCR-2017-008", not "WBCR-2017-009"' in result.out


def _pending_request(example) -> tuple[str, str]:
    ref = "WBCR-2017-009"
    decisions = yaml.safe_load((example / "cases" / ref / "decisions.yaml").read_text())
    return ref, next(r["agency"] for r in decisions["information_requests"] if "received" not in r)


def _returned(wbcr, env, example, tmp_path, monkeypatch) -> tuple[str, str, Path]:
    """A register with a board key, and an information request filled in by the agency it went to."""
    env["WBCR_KEY_DIR"] = str(tmp_path / "keys")
    monkeypatch.setenv("WBCR_KEY_DIR", str(tmp_path / "keys"))
    assert wbcr("key", "init", cwd=example).code == 0
    ref, agency = _pending_request(example)
    blank = _render(wbcr, example, ref, "information-request", "--agency", agency)
    returned = tmp_path / f"{agency}.docx"
    returned.write_bytes(fill_form(blank, {"involved": "No", "returned": "22/11/2017"}))
    return ref, agency, returned


def test_a_returned_form_protected_with_the_case_password_is_read_without_a_manual_step(wbcr, env, example, tmp_path,
                                                                                        monkeypatch):
    ref, agency, returned = _returned(wbcr, env, example, tmp_path, monkeypatch)
    assert wbcr("protect", str(returned), "--case", ref, cwd=example).code == 0
    assert returned.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # as the agency sends it back
    result = wbcr("request", ref, "--agency", agency, "--from-form", str(returned), cwd=example)
    assert result.code == 0, result.out + result.err
    item = next(r for r in yaml.safe_load((example / "cases" / ref / "decisions.yaml").read_text())["information_requests"]
                if r["agency"] == agency)
    assert item["involved"] is False and str(item["received"]) == "2017-11-22"


def test_a_returned_form_with_another_password_is_one_clear_error_and_nothing_is_recorded(wbcr, env, example, tmp_path,
                                                                                         monkeypatch):
    ref, agency, returned = _returned(wbcr, env, example, tmp_path, monkeypatch)
    assert wbcr("protect", str(returned), "--password", "the agency's own password", cwd=example).code == 0
    before = (example / "cases" / ref / "decisions.yaml").read_bytes()
    result = wbcr("request", ref, "--agency", agency, "--from-form", str(returned), cwd=example)
    assert result.code != 0 and "Traceback" not in result.err
    assert f"{returned}: password-protected, but not with the case password of {ref}" in result.err
    assert "wbcr unprotect" in result.err
    assert (example / "cases" / ref / "decisions.yaml").read_bytes() == before


def _controls(data: bytes) -> dict:
    """tag -> (kind, the words of its drop-down items) of each content control in a document's body."""
    import io
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    w14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    out = {}
    for sdt in root.iter(f"{w}sdt"):
        pr = sdt.find(f"{w}sdtPr")
        kind = ("check" if pr.find(f"{w14}checkbox") is not None else "date" if pr.find(f"{w}date") is not None
                else "list" if pr.find(f"{w}dropDownList") is not None else "text")
        items = [i.get(f"{w}displayText") for i in pr.iter(f"{w}listItem")]
        out[pr.find(f"{w}tag").get(f"{w}val")] = (kind, items)
    return out


def test_the_referral_form_has_date_pickers_checkboxes_and_drop_downs_in_words(wbcr, example):
    blank = _render(wbcr, example, "referral-form")
    controls = _controls(blank)
    assert controls["received"][0] == controls["child.date_of_birth"][0] == "date"
    assert controls["criteria.must_notify.serious_harm_concern"][0] == "check"
    kind, items = controls["route"]
    assert kind == "list" and "rapid_response" not in items and any("apid response" in i for i in items)
    assert controls["referrer.agency"] == ("list", [a for a in controls["referrer.agency"][1]])
    assert "Thames Valley Police" in controls["referrer.agency"][1]
    assert controls["dsl_consulted.consulted"] == ("list", ["Yes", "No"])
    import io
    import zipfile

    text = zipfile.ZipFile(io.BytesIO(blank)).read("word/document.xml").decode("utf-8")
    assert "…………" not in text  # no dots to delete
    assert "w:showingPlcHdr" in text  # empty fields show Word's grey prompt, replaced as they are filled in


def test_a_form_filled_in_as_word_fills_it_is_read_back(wbcr, example, tmp_path):
    blank = _render(wbcr, example, "referral-form")
    answers = dict(ANSWERS, **{"route": "Rapid response", "dsl_consulted.consulted": "No",
                               "criteria.wider.risk_not_shared": "", "child.child_protection_plan": "previous"})
    filled = tmp_path / "referral.docx"
    filled.write_bytes(fill_form(blank, answers))
    result = wbcr("refer", "--from", str(filled), cwd=example)
    assert result.code == 0, result.out + result.err
    case = example / "cases" / result.out.strip()
    referral = yaml.safe_load((case / "referral.yaml").read_text())
    assert referral["route"] == "rapid_response" and referral["dsl_consulted"]["consulted"] is False
    assert referral["criteria"]["wider"] == [] and referral["criteria"]["must_notify"] == ["serious_harm_concern"]
    people = yaml.safe_load((case / "people.yaml").read_text())["people"]
    assert people[0]["child_protection_plan"] == "previous"
