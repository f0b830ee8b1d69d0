"""Every document speaks its case's procedure: a Working Together 2023 case never reads of Local
Safeguarding Children Boards, an Independent Chair, the National Panel of Independent Experts, a Case
Review Group or a Serious Case Review under the 2006 Regulations; a 2015 case still does (its exact
text is pinned by the golden files of test_documents.py).

The 2023 cases are made with wbcr commands in a new register (`wbcr init --procedure wt2023`): one taken
through the rapid review and the partners' decision on an LCSPR to a review with a reviewer, terms of
reference, agency reports, a panel, an extension and an action plan, so that every document has
something of its own to say; one where the partners decide on other learning instead. The 2015 case is
the example register's richest case, WBCR-2016-004. Each document is read as its reader sees it: the
text of the Word file, header and footer included; a document of one framework only (the catalogue's
`frameworks:`) is skipped for a case of the other.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from conftest import EXAMPLE, WORDS_OF_2015, WT2023_REFERRAL, module_environment, referred_case, wbcr_ok
from test_documents import plain_text
from wbcr.core.errors import FindingsError
from wbcr.documents.render import catalogue, documents_dir, render_bytes
from wbcr.model.register import open_register

# The words of the 2015 tool kit that Working Together 2018 abolished (LSCBs, their Independent Chairs
# and Case Review Groups, SCRs, the National Panel, the LSCB Regulations 2006).

TODAY_2023 = dt.date(2027, 4, 20)
TODAY_2015 = dt.date(2017, 11, 23)
RICH_2015 = "WBCR-2016-004"


# (date, wbcr arguments after the reference): the case from the notification to an action plan
STEPS_2023 = [
    ("2027-01-12", ["request", "{ref}", "--agency", "tvp", "--sent", "2027-01-12", "--due", "2027-01-19"]),
    ("2027-01-12", ["request", "{ref}", "--agency", "bffc", "--sent", "2027-01-12", "--due", "2027-01-19"]),
    ("2027-01-13", ["notify", "{ref}", "--recipient", "national_panel", "--purpose", "serious_incident_notification"]),
    ("2027-01-13", ["notify", "{ref}", "--recipient", "ofsted", "--purpose", "serious_incident_notification"]),
    ("2027-01-13", ["notify", "{ref}", "--recipient", "safeguarding_partners", "--purpose",
                    "serious_incident_notification"]),
    ("2027-01-13", ["advance", "{ref}"]),
    ("2027-01-19", ["request", "{ref}", "--agency", "tvp", "--received", "2027-01-19", "--involved"]),
    ("2027-01-19", ["request", "{ref}", "--agency", "bffc", "--received", "2027-01-19", "--involved"]),
    ("2027-01-26", ["crg", "meeting", "{ref}", "--on", "2027-01-26", "--present", "Police member",
                    "--present", "Designated Nurse"]),
    ("2027-01-26", ["crg", "recommend", "{ref}", "--member", "Police member", "--recommendation", "lcspr",
                    "--reason", "Serious harm; information was not shared"]),
    ("2027-01-26", ["crg", "recommend", "{ref}", "--member", "Designated Nurse", "--recommendation",
                    "multi_agency_review", "--reason", "Learning about health and social care"]),
    ("2027-01-26", ["crg", "conclude", "{ref}", "--criteria-met", "--abuse-or-neglect", "suspected",
                    "--outcome-for-child", "seriously_harmed", "--recommendation", "lcspr", "--sent-to-chair",
                    "2027-01-26", "--rationale", "Serious harm with abuse suspected"]),
    ("2027-01-26", ["advance", "{ref}"]),
    ("2027-01-28", ["decide", "{ref}", "--decision", "lcspr", "--by", "Reading safeguarding partners",
                    "--consideration", "improvements_needed", "--consideration", "agencies_working_together",
                    "--rationale", "Learning about how health and social care shared information"]),
    ("2027-01-29", ["notify", "{ref}", "--recipient", "national_panel", "--purpose", "rapid_review_report"]),
    ("2027-01-29", ["notify", "{ref}", "--recipient", "notifier", "--purpose", "decision_notification"]),
    ("2027-02-03", ["advance", "{ref}"]),
    ("2027-02-03", ["review", "reviewer", "{ref}", "--role", "lead_reviewer", "--name", "Senara Invented-Reviewer",
                    "--organisation", "Independent", "--qualifications", "Registered social worker",
                    "--independence", "No role with any agency involved"]),
    ("2027-02-03", ["review", "terms", "{ref}", "--scope-from", "2026-09-01", "--scope-to", "2027-01-11",
                    "--methodology", "systems", "--line", "How agencies responded to a bruise on a baby",
                    "--approved", "2027-02-03"]),
    ("2027-02-03", ["review", "agency-report", "{ref}", "--agency", "tvp", "--requested", "2027-02-03",
                    "--chronology-due", "2027-03-03", "--due", "2027-03-31"]),
    ("2027-02-03", ["review", "agency-report", "{ref}", "--agency", "bffc", "--requested", "2027-02-03",
                    "--chronology-due", "2027-03-03", "--due", "2027-03-31"]),
    ("2027-02-19", ["panel-response", "{ref}", "--outcome", "agrees", "--on", "2027-02-19"]),
    ("2027-02-19", ["review", "panel", "{ref}", "--name", "Police panel member", "--role", "Detective Inspector",
                    "--agency", "tvp", "--discipline", "Policing"]),
    ("2027-02-19", ["review", "meeting", "{ref}", "--kind", "panel", "--on", "2027-02-19"]),
    ("2027-03-01", ["review", "extension", "{ref}", "--requested", "2027-03-01", "--new-date", "2027-10-29",
                    "--reason", "The criminal trial is listed for September", "--letter-sent", "2027-03-02"]),
    ("2027-03-10", ["plan", "recommendation", "{ref}", "--id", "R1", "--scope", "multi_agency", "--agency", "tvp",
                    "--adopted", "2027-03-10", "--text", "Every bruise on a non-mobile baby is referred"]),
    ("2027-03-10", ["plan", "action", "{ref}", "--recommendation", "R1", "--id", "R1-A1", "--lead-agency", "tvp",
                    "--target", "2027-09-30", "--action", "Brief every officer on the bruising protocol"]),
    ("2027-03-11", ["plan", "rag", "{ref}", "--action", "R1-A1", "--rag", "GREEN", "--note", "Briefings booked"]),
]


@pytest.fixture(scope="module")
def env_2023(tmp_path_factory):
    """conftest's `env` for the registers this module makes (one home, so one key store, for both)."""
    with module_environment(tmp_path_factory):
        yield


def _make_case(tmp_path_factory, steps) -> tuple:
    """(register, reference): a Working Together 2023 case made by wbcr commands in a new register."""
    register, reference = referred_case(tmp_path_factory.mktemp("wt2023"), WT2023_REFERRAL, procedure="wt2023",
                                        today="2027-01-11")
    for today, args in steps:
        wbcr_ok(today, *[a.format(ref=reference) for a in args], cwd=register)
    return open_register(register), reference


@pytest.fixture(scope="module")
def case_2023(tmp_path_factory, env_2023):
    """An LCSPR at the evidence stage, with an extension and an action plan."""
    return _make_case(tmp_path_factory, STEPS_2023)


@pytest.fixture(scope="module")
def other_learning_2023(tmp_path_factory, env_2023):
    """After the same rapid review, the partners decide on other learning (a multi-agency review)."""
    decided = STEPS_2023.index(next(step for step in STEPS_2023 if step[1][0] == "decide"))
    return _make_case(tmp_path_factory, [*STEPS_2023[:decided],
        ("2027-01-28", ["decide", "{ref}", "--decision", "multi_agency_review", "--by", "Reading safeguarding partners",
                        "--rationale", "Learning for two agencies; no LCSPR needed"]),
        ("2027-01-29", ["notify", "{ref}", "--recipient", "national_panel", "--purpose", "rapid_review_report"])])


def _variants(name: str) -> list[tuple[str | None, str | None]]:
    """(agency, to) for each rendering of a document: every recipient it is written to, tvp for a
    document written to one agency, once for the others."""
    spec = catalogue()[name]
    if spec.per_agency:
        return [("tvp", None)]
    if spec.recipients:
        return [(None, to) for to in spec.recipients]
    return [(None, None)]


def _renderings() -> list[tuple[str, str | None, str | None]]:
    return [(name, agency, to) for name in catalogue() for agency, to in _variants(name)]


def _text(register, name: str, reference: str, today: dt.date, agency: str | None, to: str | None) -> str:
    """The document as its reader sees it; a letter the records do not support yet as the draft
    `--draft` gives (its wording is what is checked, not whether it may be sent)."""
    spec = catalogue()[name]
    if not (documents_dir() / spec.template).exists():
        pytest.skip(f"{spec.template} is not written yet")
    if not spec.applies_to(register.procedure()):  # the catalogue's `frameworks:`
        pytest.skip(f"{name} is a document of {', '.join(spec.frameworks)} only")
    try:
        data, _markdown, _spec = render_bytes(register, name, reference, today, agency=agency, to=to)
    except FindingsError as exc:
        assert "must not be sent yet" in exc.message
        data, _markdown, _spec = render_bytes(register, name, reference, today, agency=agency, to=to, draft=True)
    return plain_text(data)


@cache
def _text_2015(name: str, agency: str | None, to: str | None) -> str:
    return _text(open_register(EXAMPLE), name, RICH_2015, TODAY_2015, agency, to)


def _found(text: str, words: list[str]) -> list[str]:
    """The words said, in any case; an abbreviation ("LSCB") only in capitals (the id `other_lscb` a
    form asks for is not a word of the text)."""
    folded = text.casefold()
    return [word for word in words if (word in text if word.isupper() else word.casefold() in folded)]


@pytest.mark.parametrize("case", ["case_2023", "other_learning_2023"])
@pytest.mark.parametrize("name,agency,to", _renderings())
def test_a_2023_case_never_reads_the_abolished_words(request, case, name, agency, to):
    register, reference = request.getfixturevalue(case)
    text = _text(register, name, reference, TODAY_2023, agency, to)
    found = _found(text, WORDS_OF_2015)
    lines = [line for line in text.splitlines() if _found(line, found)]
    assert not found, f"{name} under Working Together 2023 says {found}:\n" + "\n".join(lines)


# What the 2023 documents say instead, document by document (a phrase each, at least).
SAYS_2023 = {
    ("decision-notification", "national_panel"): ["Child Safeguarding Practice Review Panel", "safeguarding partners",
                                                  "section 16F of the Children Act 2004", "regulation 11",
                                                  "local child safeguarding practice review"],
    ("decision-notification", "ofsted"): ["safeguarding partners", "local child safeguarding practice review"],
    ("notifier-notice", "notifier"): ["safeguarding partners", "rapid review", "local child safeguarding practice review"],
    ("outcome-letter", None): ["safeguarding partners", "rapid review", "local child safeguarding practice review"],
    ("decision-audit-report", None): ["Rapid review", "safeguarding partners", "section 16C(1) of the Children Act 2004",
                                      "Child Safeguarding Practice Review Panel", "The Panel's response"],
    ("terms-of-reference", None): ["local child safeguarding practice review", "Local authority area"],
    ("extension-letter", "national_panel"): ["safeguarding partners", "local child safeguarding practice review"],
    ("initiation-letter", None): ["safeguarding partners"],
    ("panel-membership", None): ["local authority area: Reading"],
    ("executive-summary", None): ["safeguarding partners"],
    ("rag-progress-report", None): ["safeguarding partnership"],
    ("action-plan", None): ["safeguarding partners"],
}


@pytest.mark.parametrize("name,to", sorted(SAYS_2023, key=str))
def test_a_2023_case_reads_the_words_of_working_together_2023(case_2023, name, to):
    register, reference = case_2023
    agency = "tvp" if catalogue()[name].per_agency else None
    text = _text(register, name, reference, TODAY_2023, agency, to)
    assert not [phrase for phrase in SAYS_2023[(name, to)] if phrase not in text], text


# The 2015 documents that name the Board, its Chair, its group, the National Panel or the SCR.
SPEAKS_2015 = {"outcome-letter", "decision-notification", "notifier-notice", "initiation-letter", "family-letter",
               "extension-letter", "terms-of-reference", "panel-membership", "rag-progress-report",
               "decision-audit-report", "executive-summary", "action-plan", "referral-form", "information-request",
               "agency-report-template", "process-flow-chart"}


@pytest.mark.parametrize("name,agency,to", _renderings())
def test_a_2015_case_still_reads_the_words_of_the_2015_tool_kit(name, agency, to):
    text = _text_2015(name, agency, to)
    if name in SPEAKS_2015:
        assert _found(text, WORDS_OF_2015), f"{name} under the 2015 tool kit names none of {WORDS_OF_2015}"


def test_every_2015_word_is_still_said_somewhere():
    said = set()
    for name, agency, to in _renderings():
        if name in SPEAKS_2015:
            said.update(_found(_text_2015(name, agency, to), WORDS_OF_2015))
    assert said == set(WORDS_OF_2015)

