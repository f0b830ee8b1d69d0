"""Recording the steps of the guidance in decisions.yaml and notifications.yaml.

Each function edits a `CaseEdit` in memory; the caller saves it (checks, write, commit). Dates are
written as dates, text as typed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from wbcr.core.calendar import Calendar, parse_offset
from wbcr.model.register import recipient_ids
from wbcr.store.case import CaseEdit
from wbcr.core.errors import UsageError
from wbcr.documents.forms import is_referral_form
from wbcr.documents.render import is_draft_name
from wbcr.store.records import entries, new_map, new_seq, section



def record_screening(edit: CaseEdit, *, on: dt.date, by: str, outcome: str, rationale: str,
                     outside_meeting: bool = False) -> None:
    decisions = edit.load("decisions")
    screening = section(decisions, "screening")
    screening["date"] = on
    screening["by"] = by
    screening["outcome"] = outcome
    screening["rationale"] = rationale
    if outside_meeting:
        screening["outside_meeting"] = True


def information_request_offset(procedure) -> str:
    """The period an agency has to answer an information request, from the procedure's deadline over
    `decisions.yaml#information_requests` (the guidance's 10 working days in wt2015)."""
    for deadline in procedure.deadlines:
        if deadline.each == "decisions.yaml#information_requests":
            return deadline.offset
    raise UsageError(f"the procedure {procedure.id} sets no time for answering an information request",
                     hint="give the date it is due with --due DATE")


def record_request_sent(edit: CaseEdit, *, agency: str, sent: dt.date, due: dt.date | None,
                        calendar: Calendar, procedure) -> dt.date:
    requests = entries(edit.load("decisions"), "information_requests")
    if any(r.get("agency") == agency for r in requests):
        raise UsageError(f'an information request to "{agency}" is already recorded',
                         hint="record its answer with --received DATE")
    due = due or calendar.add(sent, parse_offset(information_request_offset(procedure)))
    item = new_map()
    item["agency"] = agency
    item["sent"] = sent
    item["due"] = due
    requests.append(item)
    return due


def record_request_received(edit: CaseEdit, *, agency: str, received: dt.date, involved: bool | None,
                            summary: str | None = None, answers: dict | None = None) -> None:
    """The agency's answer; `answers` holds the fields of a returned form (wbcr.documents.forms)."""
    requests = entries(edit.load("decisions"), "information_requests")
    for item in requests:
        if item.get("agency") == agency:
            item["received"] = received
            if involved is not None:
                item["involved"] = involved
            if summary:
                item["summary"] = summary
            for key, value in (answers or {}).items():
                if key not in ("received", "involved", "summary") or key not in item:
                    item[key] = value
            return
    raise UsageError(f'no information request to "{agency}" is recorded', hint="record it first with --sent DATE")


def record_crg_meeting(edit: CaseEdit, *, on: dt.date, present: list[str], outside_meeting: bool = False,
                       replace: bool = False) -> list[str]:
    """Records the meeting; members are added to those already recorded unless `replace`. Returns
    the names that are not CRG members in wbcr.yaml (a guest, or a typing mistake)."""
    crg = section(edit.load("decisions"), "crg_consideration")
    crg["meeting_date"] = on
    if outside_meeting:
        crg["outside_meeting"] = True
    names = [] if replace else [str(n) for n in crg.get("members_present") or []]
    names += [n for n in present if n not in names]
    crg["members_present"] = new_seq(names)
    members = {m.get("name") for m in (edit.register.config.get("crg") or {}).get("members") or []
               if isinstance(m, dict)}
    return [n for n in present if members and n not in members]


def record_member_recommendation(edit: CaseEdit, *, member: str, recommendation: str, reason: str | None,
                                 agency: str | None) -> None:
    crg = section(edit.load("decisions"), "crg_consideration")
    present = list(crg.get("members_present") or [])
    if member not in present:
        raise UsageError(f'"{member}" is not recorded as present at the CRG meeting',
                         hint=f"members present: {', '.join(present) or 'none recorded (use `wbcr crg meeting`)'}")
    recs = entries(crg, "recommendations")
    for item in recs:
        if item.get("member") == member:
            break
    else:
        item = new_map()
        item["member"] = member
        recs.append(item)
    if agency:
        item["agency"] = agency
    item["recommendation"] = recommendation
    if reason:
        item["reason"] = reason


def record_crg_conclusion(edit: CaseEdit, *, criteria_met: bool, abuse_or_neglect: str | None,
                          outcome_for_child: str | None, alternative_considered: bool | None,
                          alternative_outcome: str | None, recommendation: str, rationale: str,
                          sent_to_chair: dt.date | None, working_together: bool | None = None,
                          analysis: dict | None = None) -> None:
    crg = section(edit.load("decisions"), "crg_consideration")
    given = {k: v for k, v in (analysis or {}).items() if v is not None and v != ""}
    if given:
        rapid = section(crg, "rapid_review")
        for key, value in given.items():
            rapid[key] = value
    assessment = section(crg, "criteria_assessment")
    if abuse_or_neglect:
        assessment["abuse_or_neglect"] = abuse_or_neglect
    if outcome_for_child:
        assessment["outcome_for_child"] = outcome_for_child
    if working_together is not None:
        assessment["concern_about_working_together"] = working_together
    assessment["scr_criteria_met"] = criteria_met
    if alternative_considered is not None or alternative_outcome:
        alt = section(crg, "alternative_review")
        alt["considered"] = bool(alternative_considered) if alternative_considered is not None else True
        if alternative_outcome:
            alt["outcome"] = alternative_outcome
    crg["recommendation"] = recommendation
    crg["rationale"] = rationale
    if sent_to_chair:
        crg["sent_to_chair"] = sent_to_chair


def record_chair_decision(edit: CaseEdit, *, on: dt.date, by: str, decision: str, rationale: str,
                          peer_from: str | None, peer_outcome: str | None, override: str | None,
                          considerations: list[str] | None = None) -> str | None:
    """Records the decision and the case's review kind; returns the CRG recommendation when they differ."""
    decisions = edit.load("decisions")
    chair = section(decisions, "chair_decision")
    chair["date"] = on
    chair["by"] = by
    chair["decision"] = decision
    chair["rationale"] = rationale
    if considerations:
        chair["considerations"] = list(considerations)
    if peer_from or peer_outcome:
        peer = section(chair, "peer_challenge")
        peer["sought"] = True
        if peer_from:
            peer["from"] = peer_from
        peer["date"] = on
        if peer_outcome:
            peer["outcome"] = peer_outcome
    if override:
        chair["override_rationale"] = override
    edit.load("case")["review_kind"] = decision
    recommended = (decisions.get("crg_consideration") or {}).get("recommendation")
    return recommended if recommended and recommended != decision else None


def record_extraordinary_meeting(edit: CaseEdit, *, on: dt.date, outcome: str, chair_attended: bool,
                                 held: bool = True) -> None:
    meeting = section(edit.load("decisions"), "extraordinary_meeting")
    meeting["date"] = on
    if held:
        meeting.pop("held", None)
        meeting["chair_attended"] = chair_attended
    else:
        meeting["held"] = False
        meeting.pop("chair_attended", None)
    meeting["outcome"] = outcome


def record_panel_response(edit: CaseEdit, *, on: dt.date, outcome: str, note: str | None) -> None:
    """The Child Safeguarding Practice Review Panel's response to the rapid review report."""
    response = section(edit.load("decisions"), "panel_response")
    response["date"] = on
    response["outcome"] = outcome
    if note:
        response["note"] = note


def check_recipient(config: dict, recipient: str, purpose: str) -> None:
    """Refuse a recipient the register does not know (a deadline names its body by id: a typo would
    meet nothing, silently) and a purpose that is not an id."""
    import difflib  # noqa: PLC0415

    known = recipient_ids(config)
    if recipient not in known:
        near = difflib.get_close_matches(recipient, known, n=1)
        raise UsageError(f'unknown recipient "{recipient}"',
                         hint=(f'did you mean "{near[0]}"? ' if near else "")
                         + "one of: " + ", ".join(k for k in known if not k.startswith(("agency:", "lscb:", "partner:")))
                         + ", agency:<id>, lscb:<id>; add other bodies to wbcr.yaml external_bodies")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", purpose or ""):
        raise UsageError(f'--purpose "{purpose}" is not a purpose id',
                         hint="lower case with underscores, e.g. decision_notification, serious_incident_notification, "
                              "rapid_review_report, pre_publication_copy, looked_after_death")


def check_attachment(recipient: str, purpose: str, document: Path | None, *, register=None,
                     reference: str | None = None) -> None:
    """Refuse the referral form itself as what went to an agency or with the decision, and a draft
    (asked first, whatever the case's state: neither is ever sent). The referral form is recognised by
    its content (`is_referral_form`: its fields), not by its file name, so a renamed copy is refused too."""
    if document is not None and is_draft_name(document.name):
        raise UsageError(f"{document.name} is a draft (rendered with --draft): a draft is never sent, so it is "
                         "not recorded as sent", hint="render the document without --draft once the records "
                                                      "support it, and record that one")
    circulated = purpose in ("outcome_letter", "decision_notification") or recipient.startswith("agency:")
    if document is not None and circulated and document.is_file() and is_referral_form(register, reference, document):
        raise UsageError("the referral form itself is never circulated with the outcome letters",
                         hint="send the outcome letter or decision notification instead")


def record_notification(edit: CaseEdit, *, recipient: str, purpose: str, method: str, on: dt.date,
                        name: str | None, document: Path | None, note: str | None) -> str | None:
    """Adds a notification; returns the document's SHA-256 when one is given."""
    check_attachment(recipient, purpose, document, register=edit.register, reference=edit.reference)
    items = entries(edit.load("notifications"), "notifications")
    item = new_map()
    item["recipient"] = recipient
    if name:
        item["recipient_name"] = name
    item["date"] = on
    item["method"] = method
    item["purpose"] = purpose
    digest = None
    if document is not None:
        if not document.is_file():
            raise UsageError(f"{document}: no such file")
        digest = hashlib.sha256(document.read_bytes()).hexdigest()
        item["document"] = document.name
        item["sha256"] = digest
    if note:
        item["note"] = note
    items.append(item)
    return digest
