"""The documents of the Working Together 2023 process: the serious incident notification, the rapid
review report to the Child Safeguarding Practice Review Panel, the safeguarding partners' decision
letter, the final report sent before publication and the letter saying publication is delayed.

One case is made with wbcr commands in a new register (`wbcr init --procedure wt2023`), and each
document is rendered on the day it would be sent, as a business manager would: the notification when
the local authority notifies, the rapid review report and the decision letter the day after the
partners decide, the delay letter when the delay is agreed, the copies before publication seven
working days ahead. Each is read as its reader sees it (the Word file's text, header and footer), for
the facts it must give and for the words of the 2015 tool kit it must never use.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import WORDS_OF_2015, WT2023_REFERRAL, module_environment, referred_case, wbcr_ok
from test_documents import plain_text
from wbcr.core.errors import FindingsError
from wbcr.documents.render import catalogue, render_bytes
from wbcr.model.register import open_register

DOCUMENTS_2023 = ["serious-incident-notification", "rapid-review-report", "partners-decision-letter",
                  "pre-publication-letter", "delay-letter", "reviewer-appointment-letter"]


# (date, wbcr arguments, or a rendering: (name, to)), in the order a business manager would go
STEPS = [
    ("2027-01-12", ["request", "{ref}", "--agency", "tvp", "--sent", "2027-01-12", "--due", "2027-01-19"]),
    ("2027-01-12", ["request", "{ref}", "--agency", "bffc", "--sent", "2027-01-12", "--due", "2027-01-19"]),
    ("2027-01-13", ("serious-incident-notification", None)),
    ("2027-01-13", ["notify", "{ref}", "--recipient", "national_panel", "--purpose", "serious_incident_notification"]),
    ("2027-01-13", ["notify", "{ref}", "--recipient", "ofsted", "--purpose", "serious_incident_notification"]),
    ("2027-01-13", ["advance", "{ref}"]),
    ("2027-01-19", ["request", "{ref}", "--agency", "tvp", "--received", "2027-01-19", "--involved"]),
    ("2027-01-19", ["request", "{ref}", "--agency", "bffc", "--received", "2027-01-19", "--involved"]),
    ("2027-01-26", ["crg", "meeting", "{ref}", "--on", "2027-01-26", "--present", "Police member",
                    "--present", "Designated Nurse"]),
    ("2027-01-26", ["crg", "recommend", "{ref}", "--member", "Police member", "--recommendation", "lcspr",
                    "--reason", "Serious harm; the police call-outs were not shared"]),
    ("2027-01-26", ["crg", "recommend", "{ref}", "--member", "Designated Nurse", "--recommendation", "lcspr",
                    "--reason", "A bruise on a non-mobile baby was not referred"]),
    ("2027-01-26", ["crg", "conclude", "{ref}", "--criteria-met", "--abuse-or-neglect", "suspected",
                    "--outcome-for-child", "seriously_harmed", "--recommendation", "lcspr", "--sent-to-chair",
                    "2027-01-26", "--rationale", "Health and social care did not share what each knew",
                    "--went-well", "The hospital recognised the injuries at once and referred the same night",
                    "--learning", "A bruise on a non-mobile baby was seen and not referred under the protocol",
                    "--in-hand", "Health visiting has re-briefed every visitor on the bruising protocol",
                    "--no-national-review", "--national-review-reason", "The learning is local and already known nationally"]),
    ("2027-01-26", ["advance", "{ref}"]),
    ("2027-01-27", ("rapid-review-report:before-decision", "national_panel")),
    ("2027-01-28", ["decide", "{ref}", "--decision", "lcspr", "--by", "Reading safeguarding partners",
                    "--consideration", "improvements_needed", "--consideration", "agencies_working_together",
                    "--rationale", "The learning about information sharing needs a local review to bring it out"]),
    ("2027-01-29", ("rapid-review-report", "national_panel")),
    ("2027-01-29", ("partners-decision-letter", "national_panel")),
    ("2027-01-29", ["notify", "{ref}", "--recipient", "national_panel", "--purpose", "rapid_review_report"]),
    ("2027-02-03", ["advance", "{ref}"]),
    ("2027-02-03", ["review", "reviewer", "{ref}", "--role", "lead_reviewer", "--name", "Senara Invented-Reviewer",
                    "--organisation", "Independent", "--qualifications", "Registered social worker",
                    "--independence", "No role with any agency involved"]),
    ("2027-02-03", ["review", "terms", "{ref}", "--scope-from", "2026-09-01", "--scope-to", "2027-01-11",
                    "--methodology", "systems", "--line", "How agencies responded to a bruise on a baby",
                    "--approved", "2027-02-03"]),
    ("2027-02-03", ("reviewer-appointment-letter", None)),
    ("2027-06-10", ["review", "extension", "{ref}", "--requested", "2027-06-10", "--new-date", "2027-10-29",
                    "--reason", "The criminal trial is listed for September 2027"]),
    ("2027-06-10", ("delay-letter", "national_panel")),
    ("2027-06-10", ("delay-letter", "secretary_of_state")),
    ("2027-06-14", ["review", "milestone", "{ref}", "--milestone", "lscb_approved"]),
    ("2027-06-14", ["review", "milestone", "{ref}", "--milestone", "publication_planned", "--on", "2027-11-10"]),
    ("2027-11-01", ("pre-publication-letter", "national_panel")),
    ("2027-11-01", ("pre-publication-letter", "secretary_of_state")),
]


def _render(register, name: str, reference: str, today: str, to: str | None) -> str:
    data, _markdown, _spec = render_bytes(register, name, reference, dt.date.fromisoformat(today), to=to)
    return plain_text(data)


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> dict[tuple[str, str | None], str]:
    """{(document, to): its text on the day it is sent}; a rendering refused as not ready holds the
    refusal's message."""
    out: dict[tuple[str, str | None], str] = {}
    with module_environment(tmp_path_factory):
        root, reference = referred_case(tmp_path_factory.mktemp("wt2023"), WT2023_REFERRAL, procedure="wt2023",
                                        today="2027-01-11")
        out[("reference", None)] = reference
        for today, step in STEPS:
            if isinstance(step, tuple):
                name, to = step
                try:
                    out[(name, to)] = _render(open_register(root), name.split(":")[0], reference, today, to)
                except FindingsError as exc:
                    out[(name, to)] = exc.message
            else:
                wbcr_ok(today, *[a.format(ref=reference) for a in step], cwd=root)
    return out


def test_the_documents_are_in_the_catalogue_with_their_stages():
    specs = catalogue()
    assert set(DOCUMENTS_2023) <= set(specs)
    assert "notification" in specs["serious-incident-notification"].stages
    assert specs["rapid-review-report"].recipients == ("national_panel",)
    assert "decision" in specs["partners-decision-letter"].stages
    assert "publication" in specs["pre-publication-letter"].stages
    assert "evidence" in specs["delay-letter"].stages


@pytest.mark.parametrize("key", [step for _day, step in STEPS if isinstance(step, tuple) and ":" not in step[0]])
def test_a_2023_document_never_uses_the_words_of_the_2015_tool_kit(texts, key):
    text = texts[key]
    assert "must not be sent yet" not in text, text
    found = [word for word in WORDS_OF_2015 if word.casefold() in text.casefold()]
    assert not found, f"{key[0]} says {found}:\n" + "\n".join(
        line for line in text.splitlines() if any(w.casefold() in line.casefold() for w in found))
    assert "Child B" in text and texts[("reference", None)] in text
    assert "[insert" not in text.casefold() and "todo" not in text.casefold()


def test_the_serious_incident_notification_gives_the_child_and_the_local_authoritys_dates(texts):
    text = texts[("serious-incident-notification", None)]
    for fact in ("Lowen Invented-Trevaskis", "2 April 2026 (aged 9 months at the date of the incident)", "Male",
                 "White British", "postcode district RG1", "Reading Borough Council",
                 "10 January 2027",                     # the incident
                 "11 January 2027",                     # the local authority became aware
                 "18 January 2027",                     # 5 working days later: the notification is due
                 "section 16C(1) of the Children Act 2004", "Child Safeguarding Practice Review Panel", "Ofsted",
                 "skull fracture", "Strategy discussion on 11 January 2027", "Thames Valley Police",
                 "A police investigation.", "Criminal proceedings"):
        assert fact in text, fact
    assert "RG1 7ZZ" not in text                        # the area, not the address


def test_the_rapid_review_report_is_not_sent_before_the_partners_decide(texts):
    message = texts[("rapid-review-report:before-decision", "national_panel")]
    assert "must not be sent yet" in message and "decision of the safeguarding partners is not recorded" in message


def test_the_rapid_review_report_has_the_panels_headings_and_the_partners_decision(texts):
    text = texts[("rapid-review-report", "national_panel")]
    headings = ["1. Case summary and key events", "2. The agencies' involvement",
                "3. Immediate safeguarding actions taken", "4. The rapid review's analysis",
                "What went well and what the learning is", "Whether the learning is already being acted on",
                "5. The safeguarding partners' decision", "6. A national review", "7. Timescale"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "To | Child Safeguarding Practice Review Panel" in text
    for fact in ("Local child safeguarding practice review (LCSPR)", "28 January 2027", "The Reading safeguarding partners",
                 "improvements needed to safeguard and promote the welfare of children",
                 "two or more agencies working together effectively",
                 "section 16F of the Children Act 2004 and regulation 11",
                 "The learning about information sharing needs a local review to bring it out",
                 "Health and social care did not share what each knew",
                 "26 January 2027",                     # the rapid review meeting
                 "3 February 2027",                     # 15 working days after the notification of 13 January
                 "The hospital recognised the injuries at once and referred the same night",   # the rapid review's
                 "A bruise on a non-mobile baby was seen and not referred under the protocol",  # own analysis
                 "Health visiting has re-briefed every visitor on the bruising protocol",
                 "The learning is local and already known nationally",
                 "do not ask the Panel to consider one"):
        assert fact in text, fact
    assert "Lowen" not in text and "Invented-Trevaskis" not in text   # the Panel has the name already


def test_the_partners_tell_the_panel_their_decision(texts):
    text = texts[("partners-decision-letter", "national_panel")]
    for fact in ("Child Safeguarding Practice Review Panel", "Dear colleagues,", "the Reading safeguarding partners",
                 "13 January 2027", "on 28 January 2027 we decided:", "Local child safeguarding practice review (LCSPR)",
                 "(reg 11(a))", "(reg 11(c))", "The learning about information sharing needs a local review",
                 "by 28 July 2027",                     # six months after the decision
                 "Our rapid review report is enclosed.", "Yours sincerely,"):
        assert fact in text, fact


def test_the_delay_letter_gives_the_reason_and_the_new_date_to_the_panel_and_the_secretary_of_state(texts):
    panel = texts[("delay-letter", "national_panel")]
    minister = texts[("delay-letter", "secretary_of_state")]
    for text in (panel, minister):
        for fact in ("publication delayed", "by 28 July 2027", "29 October 2027",
                     "The criminal trial is listed for September 2027", "Lead reviewer appointed: Senara Invented-Reviewer",
                     "Terms of reference agreed"):
            assert fact in text, fact
    assert "Dear colleagues," in panel and "Dear Secretary of State," in minister


def test_the_final_report_goes_to_the_panel_and_the_secretary_of_state_seven_working_days_ahead(texts):
    panel = texts[("pre-publication-letter", "national_panel")]
    minister = texts[("pre-publication-letter", "secretary_of_state")]
    for text in (panel, minister):
        for fact in ("the final report before publication", "10 November 2027", "1 November 2027",  # 7 working days before
                     "14 June 2027", "Senara Invented-Reviewer",
                     "the Child Safeguarding Practice Review Panel and the Secretary of State at least 7 working days"):
            assert fact in text, fact
    assert "due with the Panel by 1 November 2027" in panel
    assert "due with the Secretary of State by 1 November 2027" in minister


def test_the_lead_reviewer_is_appointed_by_letter(texts):
    text = texts[("reviewer-appointment-letter", None)]
    for fact in ("Senara Invented-Reviewer", "Appointment as lead reviewer", "local child safeguarding practice review",
                 "28 January 2027", "1 September 2026 to 11 January 2027", "How agencies responded to a bruise on a baby",
                 "28 July 2027",                         # six months after the decision
                 "the Child Safeguarding Practice Review Panel and the Secretary of State",
                 'You have told us: "No role with any agency involved."'):
        assert fact in text, fact
