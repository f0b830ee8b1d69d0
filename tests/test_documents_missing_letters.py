"""The letters the guidance names beyond the tool kit's appendices (issue 12, point 6): the request for a
single-agency review, the request for an audit, the independent reviewers' names to the National Panel,
the final reports to Ofsted and the National Panel, and the two letters of a contribution to another
area's review (the acknowledgement and the covering letter of the agency reports).

Each is read as its recipient reads it (the Word file's text): the addressee, the child's pseudonym, the
dates from the records and what the guidance asks. Each is refused (exit 1, "must not be sent yet") while
a fact it needs is not recorded. The 2015 letters are rendered from the example register, as it stands
or in a copy whose records are edited; the letters both frameworks use are also rendered for Working
Together 2023 cases made with wbcr commands, which name none of the words of the 2015 tool kit.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from conftest import EXAMPLE, WORDS_OF_2015, WT2023_REFERRAL, module_environment, referred_case, wbcr_ok
from test_documents import body_text, plain_text
from test_documents_words import STEPS_2023
from wbcr.core.errors import FindingsError, UsageError
from wbcr.documents.render import catalogue, render_bytes
from wbcr.model.register import open_register

TODAY = dt.date(2017, 11, 23)
RICH = "WBCR-2016-004"          # the SCR awaiting LSCB approval
SAR = "WBCR-2017-005"           # a single-agency review by the ambulance service
MULTI_AUDIT = "WBCR-2017-006"   # a multi-agency audit
SINGLE_AUDIT = "WBCR-2016-001"  # a single-agency audit by BHFT
OUT_OF_AREA = "WBCR-2017-004"   # reports for Hampshire's review, two not yet signed off

NEW_LETTERS = ["single-agency-review-request", "audit-request", "reviewer-names-letter", "final-reports-letter",
               "out-of-area-acknowledgement", "out-of-area-reports-letter"]


def _text(register, name, reference, *, agency=None, to=None, today=TODAY) -> str:
    data, _markdown, _spec = render_bytes(register, name, reference, today, agency=agency, to=to)
    return body_text(data)


def _refusal(register, name, reference, *, agency=None, to=None, today=TODAY) -> str:
    with pytest.raises(FindingsError) as caught:
        render_bytes(register, name, reference, today, agency=agency, to=to)
    assert "must not be sent yet" in caught.value.message
    return caught.value.message


def _edit(path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def example():
    return open_register(EXAMPLE)


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """The example register with what the example does not yet record: Hampshire's last two reports
    signed off and quality-assured, the SCR approved by the LSCB with a publication date planned, and
    the single-agency review asked of the ambulance service in review.yaml."""
    root = tmp_path_factory.mktemp("missing-letters") / "register"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("output"))

    def sign_off(review):
        for report in review["agency_reports"]:
            report.setdefault("signed_off", "2017-11-08")
            report.setdefault("signed_off_by", "Designated Senior Manager")
            report.setdefault("quality_assured", "2017-11-16")

    def approve(review):
        review["milestones"]["lscb_approved"] = "2017-12-06"
        review["milestones"]["publication_planned"] = "2018-02-15"

    _edit(root / "cases" / OUT_OF_AREA / "review.yaml", sign_off)
    _edit(root / "cases" / RICH / "review.yaml", approve)
    (root / "cases" / SAR / "review.yaml").write_text(yaml.safe_dump({
        "schema_version": 1,
        "agency_reports": [{"agency": "scas", "requested": "2017-09-04", "due": "2017-11-30",
                            "records_secured": "2017-08-25"}]}), encoding="utf-8")
    return open_register(root)


@pytest.fixture(scope="module")
def unqualified(tmp_path_factory):
    """The example register with the overview author's qualifications not recorded."""
    root = tmp_path_factory.mktemp("unqualified") / "register"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("output"))
    _edit(root / "cases" / RICH / "review.yaml", lambda r: r["reviewers"]["overview_author"].pop("qualifications"))
    return open_register(root)


def test_the_letters_are_in_the_catalogue_for_their_frameworks_and_recipients():
    specs = catalogue()
    assert set(NEW_LETTERS) <= set(specs)
    assert specs["single-agency-review-request"].per_agency and not specs["single-agency-review-request"].frameworks
    assert not specs["audit-request"].per_agency and not specs["audit-request"].recipients
    assert specs["reviewer-names-letter"].frameworks == ("wt2015",)
    assert specs["reviewer-names-letter"].recipients == ("national_panel",)
    assert specs["final-reports-letter"].frameworks == ("wt2015",)
    assert specs["final-reports-letter"].instead == "pre-publication-letter"
    assert set(specs["final-reports-letter"].recipients) == {"ofsted", "national_panel", "dfe"}
    assert specs["out-of-area-acknowledgement"].recipients == ("requesting_board",)
    assert specs["out-of-area-reports-letter"].recipients == ("requesting_board", "notifier")


# --- the single-agency review ---------------------------------------------------------------------------


def test_single_agency_review_request_goes_to_the_agencys_safeguarding_lead(example):
    text = _text(example, "single-agency-review-request", SAR, agency="scas")
    assert text.index("Nathan Blythe") < text.index("Head of Safeguarding") < text.index("South Central Ambulance")
    assert "Dear Nathan Blythe," in text
    assert "Single-Agency Review concerning Child B: request to South Central Ambulance Service" in text
    assert "at its meeting on 24 August 2017" in text and "on 31 August 2017 I decided" in text
    assert "I will write to the SCAS Head of Safeguarding to commission a single-agency review" in text
    assert "A single-agency review by SCAS is proportionate." in text      # the CRG's alternatives
    assert "may choose the method" in text and "root cause analysis" in text
    assert "which method you will use and the timescale" in text
    assert "shared with the CRG and the Independent Chair" in text
    tail = text[text.index("Yours sincerely"):]
    assert "Frances Whitlock" in tail and "Philippa Rowe" in tail        # the designated senior manager copied
    assert "Lucy" not in text and "Invented" not in text


def test_single_agency_review_request_gives_the_dates_recorded_for_the_agency(edited):
    text = _text(edited, "single-agency-review-request", SAR, agency="scas")
    assert "We have noted 30 November 2017 as the date for your findings" in text
    assert "secured on 25 August 2017" in text


def test_single_agency_review_request_is_refused_without_the_decision_or_to_another_agency(example, edited):
    assert "no decision for a single-agency review is recorded" in _refusal(
        example, "single-agency-review-request", RICH, agency="tvp")
    assert "no decision for a single-agency review is recorded" in _refusal(
        example, "single-agency-review-request", "WBCR-2017-007", agency="tvp")   # awaiting the Chair
    assert "the review is recorded as asked of scas, not of tvp" in _refusal(
        edited, "single-agency-review-request", SAR, agency="tvp")


# --- the audit ------------------------------------------------------------------------------------------


def test_multi_agency_audit_request_goes_to_the_qa_sub_group_with_the_signs_of_safety_approach(example):
    text = _text(example, "audit-request", MULTI_AUDIT)
    assert text.index("Quality Assurance sub-group") < text.index("Reading Local Safeguarding Children Board")
    assert "Multi-agency audit concerning Child E: request to the Quality Assurance sub-group" in text
    assert "at its meeting on 21 September 2017" in text and "On 27 September 2017 I decided" in text
    assert "conduct an audit of practice in the agencies involved in this case: Reading Borough Council " \
           "Housing Services, Brighter Futures for Children" in text
    assert "what was working well in this case, what agencies were worried about, and what needs to happen now" in text
    assert "the voice of Child E and the voice of the practitioners" in text
    assert "all correspondence is managed through the Reading Local Safeguarding Children Board team" in text


def test_multi_agency_audit_request_to_an_agency_asks_it_to_take_part(example):
    text = _text(example, "audit-request", MULTI_AUDIT, agency="tvp")
    assert "Dear Mark Sutherland," in text and "Thames Valley Police is one of them" in text


def test_single_agency_audit_request_asks_the_agency_to_audit_an_area_of_its_practice(example):
    text = _text(example, "audit-request", SINGLE_AUDIT, agency="bhft")
    assert "Dear Kieran Doyle," in text
    assert "Single-agency audit concerning Child W: request to Berkshire Healthcare NHS Foundation Trust" in text
    assert "On 3 May 2016 I decided" in text
    assert ("to audit a particular area of its practice and to report its findings to the CRG and the Quality "
            "Assurance (QA) sub-group of the Wokingham Local Safeguarding Children Board") in text
    assert "children who are not brought to health appointments" in text       # the Chair's reasons


def test_audit_request_is_refused_without_an_audit_decision_or_without_the_agency(example):
    assert "no decision for an audit is recorded" in _refusal(example, "audit-request", SAR)
    assert "a single-agency audit is asked of one agency: give --agency" in _refusal(
        example, "audit-request", SINGLE_AUDIT)


# --- the reviewers' names to the National Panel (2015) --------------------------------------------------


def test_reviewer_names_go_to_the_national_panel_with_their_qualifications(example):
    text = _text(example, "reviewer-names-letter", RICH, to="national_panel")
    assert "Dear Jennifer Osei," in text
    assert "Serious Case Review concerning Child A (WBCR-2016-004): the independent reviewers appointed" in text
    assert "names and qualifications of the independent reviewers" in text
    assert "decided that a Serious Case Review is to be held concerning Child A" in text
    assert "notified to you with its rationale on 14 September 2016" in text
    for fact in ("Independent chair of the review panel: Dr Alison Trent",
                 "Qualifications | PhD, MA Social Work; former Director of Children's Services",
                 "Overview author: Michael Deverell",
                 "Qualifications | BA (Hons), DipSW, Practice Educator; author of eleven published case reviews",
                 "Appointed | 21 September 2016", "I last worked for a Berkshire agency in 2011"):
        assert fact in text, fact


def test_reviewer_names_are_refused_without_an_scr_or_a_qualification(example, unqualified):
    assert "is not a Serious Case Review" in _refusal(example, "reviewer-names-letter", "WBCR-2017-002",
                                                     to="national_panel")
    assert "the qualifications of Michael Deverell are not recorded" in _refusal(
        unqualified, "reviewer-names-letter", RICH, to="national_panel")


# --- the final reports to Ofsted and the National Panel (2015) ------------------------------------------


def test_final_reports_go_to_ofsted_and_the_national_panel_once_approved(edited):
    text = _text(edited, "final-reports-letter", RICH, to="ofsted", today=dt.date(2017, 12, 8))
    assert "Dear Natalie Ferris," in text
    assert "the final reports before publication" in text
    assert "On 6 December 2017 the Reading Local Safeguarding Children Board approved the overview report, " \
           "the executive summary and the action plan of the Serious Case Review concerning Child A" in text
    assert "Final overview report | 3 November 2017" in text and "Executive summary | 3 November 2017" in text
    assert "Signed off by the review panel | 9 November 2017" in text
    assert "The individual agency reports (7)" in text and "South Central Ambulance Service" in text
    assert "We plan to publish the executive summary on 15 February 2018" in text
    assert "R1" in text and "completed action plan" in text
    panel = _text(edited, "final-reports-letter", RICH, to="national_panel", today=dt.date(2017, 12, 8))
    assert "Dear Jennifer Osei," in panel and "for the National Panel before they are published" in panel


def test_final_reports_are_refused_before_the_lscb_approves_them(example):
    assert "LSCB approval of the reports is not recorded" in _refusal(example, "final-reports-letter", RICH,
                                                                        to="ofsted")
    assert "is not a Serious Case Review" in _refusal(example, "final-reports-letter", "WBCR-2017-003",
                                                     to="national_panel")


# --- a contribution to another area's review ------------------------------------------------------------


def test_out_of_area_acknowledgement_confirms_the_request_and_how_the_reports_will_come(example):
    text = _text(example, "out-of-area-acknowledgement", OUT_OF_AREA, to="requesting_board")
    assert "Dear Joanna Whitby," in text
    assert "Child Safeguarding Practice Review – Child H: your request for information" in text
    assert "Thank you for your request of 30 June 2017, which we received on 3 July 2017" in text
    assert "commissioned by the Hampshire Safeguarding Children Partnership" in text
    assert "from 29 March 2014 to 8 February 2017" in text and "Reports wanted by | 1 December 2017" in text
    assert "Thames Valley Police | 7 July 2017 | 13 October 2017" in text
    assert "before submitting it to the West of Berkshire Case Review Group, which makes a final quality " \
           "assurance check" in text
    assert "send the reports on to you by 1 December 2017" in text
    assert "Sinead Corrigan" in text[text.index("Yours sincerely"):]


def test_out_of_area_reports_are_sent_once_every_one_is_signed_off_and_quality_assured(example, edited):
    reason = _refusal(example, "out-of-area-reports-letter", OUT_OF_AREA, to="requesting_board")
    assert "Berkshire Healthcare NHS Foundation Trust (not signed off by the agency)" in reason
    text = _text(edited, "out-of-area-reports-letter", OUT_OF_AREA, to="requesting_board")
    assert "Dear Joanna Whitby," in text and "I enclose the individual agency reports" in text
    assert "Graham Oduya, Independent Reviewing Officer | 6 November 2017 (Martin Okafor) | 2 November 2017" in text
    assert "Berkshire Healthcare NHS Foundation Trust | Lorraine Achebe" in text
    assert "You asked for the reports by 1 December 2017." in text
    assert "Enclosures: 4 individual agency reports." in text
    late = _text(edited, "out-of-area-reports-letter", OUT_OF_AREA, to="notifier", today=dt.date(2017, 12, 4))
    assert "they reach you after that date" in late


def test_out_of_area_letters_are_refused_for_a_case_of_our_own(example):
    for name in ("out-of-area-acknowledgement", "out-of-area-reports-letter"):
        assert "not a contribution to another area's review" in _refusal(example, name, RICH, to="requesting_board")


def test_the_2015_letters_are_refused_for_a_register_of_another_framework(case_2023):
    register, reference = case_2023
    for name, to in (("reviewer-names-letter", "national_panel"), ("final-reports-letter", "national_panel")):
        with pytest.raises(UsageError, match="is a document of wt2015"):
            render_bytes(register, name, reference, dt.date(2027, 4, 20), to=to)


# --- Working Together 2023 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def env_2023(tmp_path_factory):
    with module_environment(tmp_path_factory):
        yield


def _decided(tmp_path_factory, decision: str, *more) -> tuple:
    """A 2023 case taken by wbcr commands through the rapid review to the partners' `decision`."""
    register, reference = referred_case(tmp_path_factory.mktemp("wt2023"), WT2023_REFERRAL, procedure="wt2023",
                                        today="2027-01-11")
    steps = STEPS_2023[:next(i for i, step in enumerate(STEPS_2023) if step[1][0] == "decide")]
    steps += [("2027-01-28", ["decide", "{ref}", "--decision", decision, "--by", "Reading safeguarding partners",
                              "--rationale", "The learning is for one part of the system; no LCSPR is needed"]),
              *more]
    for today, args in steps:
        wbcr_ok(today, *[a.format(ref=reference) for a in args], cwd=register)
    return open_register(register), reference


@pytest.fixture(scope="module")
def case_2023(tmp_path_factory, env_2023):
    return _decided(tmp_path_factory, "single_agency_review",
                    ("2027-02-03", ["review", "agency-report", "{ref}", "--agency", "bffc", "--requested",
                                    "2027-02-03", "--due", "2027-03-31"]))


@pytest.fixture(scope="module")
def audit_2023(tmp_path_factory, env_2023):
    return _decided(tmp_path_factory, "multi_agency_audit")


def _found(text: str) -> list[str]:
    return [w for w in WORDS_OF_2015 if (w in text if w.isupper() else w.casefold() in text.casefold())]


def test_a_2023_single_agency_review_request_speaks_of_the_safeguarding_partners(case_2023):
    register, reference = case_2023
    data, _markdown, _spec = render_bytes(register, "single-agency-review-request", reference, dt.date(2027, 2, 3),
                                          agency="bffc")
    text = plain_text(data)
    assert not _found(text), _found(text)
    assert "Single-agency learning review concerning Child B" in text
    assert "on behalf of the safeguarding partners" in text and "decided on 28 January 2027, after the rapid review" in text
    assert "Please tell the safeguarding partners which method you will use and the timescale" in text
    assert "We have noted 31 March 2027 as the date for your findings" in text
    assert "the review is recorded as asked of bffc, not of tvp" in _refusal(
        register, "single-agency-review-request", reference, agency="tvp", today=dt.date(2027, 2, 3))


def test_a_2023_audit_request_speaks_of_the_safeguarding_partners(audit_2023):
    register, reference = audit_2023
    data, _markdown, _spec = render_bytes(register, "audit-request", reference, dt.date(2027, 2, 3))
    text = plain_text(data)
    assert not _found(text), _found(text)
    assert "Multi-agency audit concerning Child B" in text and "Quality Assurance (QA) sub-group" in text
    assert "decided on 28 January 2027 that a local child safeguarding practice review is not needed" in text
    assert "what was working well" in text and "On behalf of the safeguarding partners" in text


def test_a_2023_refusal_speaks_the_words_of_2023_too(audit_2023):
    register, reference = audit_2023
    for name, agency, to in (("single-agency-review-request", "tvp", None), ("out-of-area-acknowledgement", None,
                             "requesting_board"), ("out-of-area-reports-letter", None, "notifier")):
        data, _markdown, _spec = render_bytes(register, name, reference, dt.date(2027, 2, 3), agency=agency, to=to,
                                              draft=True)
        text = plain_text(data)
        assert "DRAFT" in text and not _found(text), (name, _found(text))


OUT_OF_AREA_2023 = """\
schema_version: 1
reference: NEW
received: 2027-03-01
lead_lscb: reading
intake: out_of_area
route: other_lscb
referrer: {name: Tamsin Invented-Manager, role: "Business Manager, Westmarch Safeguarding Children Partnership",
           email: tamsin.manager@westmarch-scp.example.org, date: 2027-02-26}
subjects: [child-f]
criteria: {must_notify: [serious_harm_concern]}
incident: {date: 2027-01-20, description: Child F was admitted to hospital in Westmarch with fractures.}
summary: Westmarch asks for reports from the Reading agencies that knew Child F before the family moved.
parallel_processes: {police_investigation: true}
agencies_involved: [{agency: tvp, still_involved: false}, {agency: bffc, still_involved: false}]
records_secured: true
out_of_area:
  requesting_board: Westmarch Safeguarding Children Partnership
  review_title: Local child safeguarding practice review – Child F
  contact: {name: Tamsin Invented-Manager, role: "Business Manager, Westmarch Safeguarding Children Partnership",
            email: tamsin.manager@westmarch-scp.example.org}
  scope: {from: 2025-03-01, to: 2027-01-20}
  due: 2027-06-30
people:
  - {id: child-f, pseudonym: Child F, role: subject, name: Morwenna Invented-Penrose, date_of_birth: 2021-05-05}
"""


@pytest.fixture(scope="module")
def out_of_area_2023(tmp_path_factory, env_2023):
    """A contribution to another partnership's review under Working Together 2023, two reports asked for."""
    root, reference = referred_case(tmp_path_factory.mktemp("oa2023"), OUT_OF_AREA_2023, procedure="wt2023",
                                    today="2027-03-01")
    for agency in ("tvp", "bffc"):
        wbcr_ok("2027-03-02", "review", "agency-report", reference, "--agency", agency, "--requested", "2027-03-02",
                "--due", "2027-05-28", cwd=root)
    return open_register(root), reference, root


def test_2023_out_of_area_letters_speak_of_the_partnership(out_of_area_2023):
    register, reference, root = out_of_area_2023
    ack = plain_text(render_bytes(register, "out-of-area-acknowledgement", reference, dt.date(2027, 3, 2),
                                  to="requesting_board")[0])
    assert not _found(ack), _found(ack)
    assert "Dear Tamsin Invented-Manager," in ack and "Local child safeguarding practice review – Child F" in ack
    assert "coordinated through the partnership business office" in ack
    assert "Thames Valley Police | 2 March 2027 | 28 May 2027" in ack
    assert "not every agency report is ready to send" in _refusal(register, "out-of-area-reports-letter", reference,
                                                                  to="requesting_board", today=dt.date(2027, 6, 1))
    for agency in ("tvp", "bffc"):
        wbcr_ok("2027-06-02", "review", "agency-report", reference, "--agency", agency, "--received", "2027-05-27",
                "--signed-off", "2027-05-28", "--signed-off-by", "Designated Senior Manager", "--quality-assured",
                "2027-06-02", cwd=root)
    sent = plain_text(render_bytes(register, "out-of-area-reports-letter", reference, dt.date(2027, 6, 3),
                                   to="requesting_board")[0])
    assert not _found(sent), _found(sent)
    assert "passed the final quality assurance check of the partnership business office" in sent
    assert "Thames Valley Police | Not recorded | 28 May 2027 (Designated Senior Manager) | 2 June 2027" in sent
    assert "You asked for the reports by 30 June 2027." in sent


@pytest.mark.parametrize(("document", "purpose"), [
    ("final-reports-letter", "pre_publication_copy"), ("reviewer-names-letter", "reviewer_names"),
    ("single-agency-review-request", "commissioning_letter"), ("audit-request", "commissioning_letter"),
    ("out-of-area-reports-letter", "agency_reports"), ("out-of-area-acknowledgement", "out_of_area_acknowledgement")])
def test_a_new_letter_recorded_as_sent_meets_the_purpose_the_procedures_name(document, purpose):
    """`notify --document` takes the purpose from the file's name: the final reports meet the 2015
    pre-publication copies, the out-of-area covering letter the `submitted` guard's agency_reports."""
    from wbcr.cli.workflow_commands import _purpose_from_document

    assert _purpose_from_document(f"WBCR-2016-004-{document}-ofsted.docx") == purpose
