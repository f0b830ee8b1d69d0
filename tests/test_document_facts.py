"""Documents their recipients can act on (issue 12): every fact a letter states comes from the records.

An agency's form names the child and family so it can find its records; the decision notice names the
referrer the referral records; a letter carries the date it was (or will be) sent, never the day it was
rendered; a letter whose facts are missing is refused (exit 1, nothing written) unless drafted; a
publication document carries no reference and no exact date; the family's letter carries no marking or
reference, and is addressed to the family member it goes to, with the visit the records arrange.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import AT_EXAMPLE, EXAMPLE
from test_documents import body_text, footer_text, header_text, plain_text
from wbcr.core.errors import FindingsError
from wbcr.documents.render import render_bytes
from wbcr.model.register import open_register

RICH = "WBCR-2016-004"
TODAY = dt.date(2017, 11, 23)
CASE = EXAMPLE / "cases" / RICH
EXACT = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November"
                   r"|December) \d{4}\b")


def _records(name: str):
    return yaml.safe_load((CASE / f"{name}.yaml").read_text())


def _text(name: str, **options) -> str:
    data, _md, _spec = render_bytes(open_register(EXAMPLE), name, RICH, TODAY, **options)
    return plain_text(data)


def _long(value) -> str:
    return f"{value.day} {value:%B %Y}"


def test_the_information_request_identifies_the_child_and_lists_the_people_by_name():
    text = _text("information-request", agency="tvp")
    child = next(p for p in _records("people")["people"] if p["id"] == "child-a")
    assert child["name"] in text and _long(child["date_of_birth"]) in text
    assert child["address"] in text and child["postcode"] in text
    assert "Deano Farrow" in text  # other names, for the agency's search
    question = next(line for line in text.splitlines() if line.startswith("Which of these people"))
    for person in _records("people")["people"]:
        assert person["name"] in question, person["id"]
    assert "when completed" not in text  # filled in for a case, it is OFFICIAL-SENSITIVE as it stands


@pytest.mark.parametrize("name", ["chronology-template", "agency-report-template", "initiation-letter"])
def test_the_agency_documents_carry_the_childs_identifying_details(name):
    text = _text(name, agency="bhft")
    assert "Riley James Hatton" in text and "7 January 2016" in text and "Flat 3, 17 Larkspur Walk" in text


def test_the_decision_notice_names_the_referrer_the_referral_records_and_the_day_it_was_sent():
    referral = _records("referral")
    agency = next(a for a in yaml.safe_load((EXAMPLE / "wbcr.yaml").read_text())["agencies"]
                  if a["id"] == referral["referrer"]["agency"])
    text = body_text(render_bytes(open_register(EXAMPLE), "decision-notification", RICH, TODAY, to="ofsted")[0])
    assert f"by {agency['name']}; route: Rapid Response Team" in text
    assert "by the Reading Local Safeguarding Children Board" not in text
    sent = next(n for n in _records("notifications")["notifications"]
                if n["recipient"] == "ofsted" and n["purpose"] == "decision_notification")
    assert _long(sent["date"]) in text.splitlines()[text.splitlines().index("By secure email: "
                                                                             "serious.incidents@ofsted.example.org") + 1]
    assert "23 November 2017" not in text  # the day it was rendered is no fact of the letter


def test_a_letter_not_yet_sent_is_dated_today_and_date_sets_it():
    register = open_register(EXAMPLE)
    # no notice records an outcome letter to an agency the case never wrote to: dated the day it goes
    data = render_bytes(register, "decision-notification", RICH, TODAY, to="ofsted", date=dt.date(2016, 9, 15))[0]
    assert "15 September 2016" in body_text(data) and "15 September 2016" in footer_text(data)
    assert "14 September 2016" not in body_text(data)


def test_notify_records_the_date_and_a_re_render_carries_it(wbcr, example):
    ref = "WBCR-2017-002"
    first = wbcr("render", ref, "outcome-letter", "--agency", "tvp", "--no-protect", "--date", "2017-11-20",
                 cwd=example)
    if first.code != 0:
        pytest.skip(f"{ref} cannot send an outcome letter: {first.err}")
    notices = yaml.safe_load((example / "cases" / ref / "notifications.yaml").read_text())["notifications"]
    already = [n for n in notices if n["recipient"] == "agency:tvp" and n["purpose"] == "outcome_letter"]
    recorded = wbcr("notify", ref, "--recipient", "agency:tvp", "--purpose", "outcome_letter", "--date", "2017-11-21",
                    cwd=example)
    assert recorded.code == 0, recorded.err
    notices = yaml.safe_load((example / "cases" / ref / "notifications.yaml").read_text())["notifications"]
    assert str(notices[-1]["date"]) == "2017-11-21"
    again = wbcr("render", ref, "outcome-letter", "--agency", "tvp", "--no-protect", cwd=example)
    assert again.code == 0, again.err
    text = body_text(Path(again.out.strip()).read_bytes())
    assert "21 November 2017" in text and (already or "23 November 2017" not in text)


def test_a_letter_with_missing_facts_is_refused_and_writes_nothing_unless_drafted(wbcr, example):
    ref = "WBCR-2016-004"
    out = example / "out"
    # a family letter to nobody in particular: refused (it must name its addressee)
    refused = wbcr("render", ref, "family-letter", "--to", "family",
                   "--no-protect", "--out", str(out / "letter.docx"), cwd=example)
    assert refused.code != 0 and "--person" in refused.err
    assert not (out / "letter.docx").exists()
    # a letter whose decision is not recorded yet: refused, and drafted on request
    refused = wbcr("render", "WBCR-2017-010", "decision-notification", "--to", "ofsted",
                   "--no-protect", "--out", str(out / "notice.docx"), cwd=example)
    assert refused.code == 1 and "must not be sent yet" in refused.err
    assert not (out / "notice.docx").exists()
    drafted = wbcr("render", "WBCR-2017-010", "decision-notification", "--to", "ofsted",
                   "--no-protect", "--draft", cwd=example)
    assert drafted.code == 0, drafted.err
    path = Path(drafted.out.strip())
    assert path.name.endswith("-DRAFT.docx") and "DRAFT — NOT TO BE SENT" in header_text(path.read_bytes())


def test_the_refusal_lists_everything_missing_with_the_command_to_record_it():
    register = open_register(EXAMPLE)
    with pytest.raises(FindingsError) as refused:
        render_bytes(register, "decision-notification", "WBCR-2017-010", TODAY, to="ofsted")
    assert "decision is not recorded: record it with `wbcr decide WBCR-2017-010" in refused.value.message


def test_the_executive_summary_carries_no_reference_and_no_exact_date():
    data = render_bytes(open_register(EXAMPLE), "executive-summary", RICH, TODAY)[0]
    text = plain_text(data)
    assert RICH not in text and not EXACT.search(text), EXACT.search(text)
    assert "November 2017" in footer_text(data)
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    assert RICH not in core


def test_the_family_letter_names_its_addressee_and_carries_no_marking_or_reference():
    data = render_bytes(open_register(EXAMPLE), "family-letter", RICH, TODAY, to="family", person="mother")[0]
    text = plain_text(data)
    assert "OFFICIAL" not in text and RICH not in header_text(data) + footer_text(data) + body_text(data)
    body = body_text(data)
    assert "Chloe Anne Hatton" in body and "Dear Chloe Hatton," in body and "RG2 9ZX" in body
    assert "……" not in body  # no blank to fill in by hand
    assert "17 October 2016" in body  # the day the records say it went
    assert "visit you at home on 1 November 2016" in body and "Michael Deverell" in body


def test_no_internal_id_is_printed_where_words_belong():
    for name, options in [("decision-notification", {"to": "ofsted"}), ("information-request", {"agency": "bffc"}),
                          ("notifier-notice", {"to": "notifier"}), ("initiation-letter", {"agency": "bffc"})]:
        text = body_text(render_bytes(open_register(EXAMPLE), name, RICH, TODAY, **options)[0])
        for word in ("rapid_response", "reading", "agency:"):
            assert not re.search(rf"(?<![\w.@-]){word}(?![\w.@-])", text), (name, word)


def test_render_refuses_a_date_that_is_not_one(wbcr):
    out = wbcr(*AT_EXAMPLE, "render", RICH, "decision-notification", "--to", "ofsted", "--date", "2016-02-30")
    assert out.code == 2 and '--date: "2016-02-30" is not a real date' in out.err


def test_a_family_letter_recorded_without_a_name_is_dated_from_that_notice(wbcr):
    """The partnership's letter to the family names nobody in notifications.yaml: it may be hers."""
    partnership = EXAMPLE.parent / "berkshire-west-partnership"
    data = render_bytes(open_register(partnership), "family-letter", "WBCR-2024-001", dt.date(2026, 11, 26),
                        to="family", person="mother")[0]
    body = body_text(data)
    assert "9 December 2024" in body and "Dear Stacey Dunmore," in body
    assert "local child safeguarding practice review" in body and "Serious Case Review" not in body


def test_person_is_only_for_a_letter_to_the_family(wbcr):
    out = wbcr(*AT_EXAMPLE, "render", RICH, "decision-notification", "--to", "ofsted", "--person", "mother")
    assert out.code == 2 and "--to family" in out.err


def test_notify_to_a_family_member_records_her_name_and_her_letter_carries_its_date(wbcr, example):
    recorded = wbcr("notify", RICH, "--recipient", "family", "--person", "father", "--purpose", "family_letter",
                    "--method", "letter", "--date", "2016-11-07", cwd=example)
    assert recorded.code == 0, recorded.err
    notice = yaml.safe_load((example / "cases" / RICH / "notifications.yaml").read_text())["notifications"][-1]
    assert notice["recipient_name"] == "Jordan Lee Ellis" and str(notice["date"]) == "2016-11-07"
    # no visit with Father is recorded: the letter offers to arrange one, and carries the day it went
    rendered = wbcr("render", RICH, "family-letter", "--to", "family", "--person", "father", "--no-protect", cwd=example)
    assert rendered.code == 0, rendered.err
    body = body_text(Path(rendered.out.strip()).read_bytes())
    assert "7 November 2016" in body and "Dear Jordan Ellis," in body and "42 Copperbeech Court" in body
    assert "I would like to arrange a time to meet you" in body and "As we agreed" not in body
    wrong = wbcr("notify", RICH, "--recipient", "ofsted", "--person", "father", "--purpose", "family_letter",
                 cwd=example)
    assert wrong.code == 2 and "--recipient family" in wrong.err
