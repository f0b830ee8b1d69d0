"""Recording the review phase in review.yaml and recommendations.yaml: terms of reference, reviewers,
panel, agency reports and chronologies, meetings and learning events, milestones, extensions,
findings and recommendations with their learning themes, actions, RAG updates and sign-off.

Each function edits a `CaseEdit` in memory (comments and layout of hand-written records kept) and
refuses, with a UsageError saying what to do, what the records cannot hold; the caller saves the edit
(sealed, validated, written and committed by the case store).
"""

from __future__ import annotations

import datetime as dt

from wbcr.core.errors import UsageError
from wbcr.store.case import CaseEdit
from wbcr.model.themes import known_themes_hint, theme_ids
from wbcr.store.records import entries, new_map, new_seq, section, set_given

REVIEWER_ROLES = ("chair", "overview_author", "facilitator", "lead_reviewer")
MEETING_KINDS = ("scoping", "panel", "authors_briefing", "practitioner_event", "recall_event", "learning_event",
                 "crg", "family", "other")
METHODOLOGIES = ("traditional", "silp", "systems", "blended", "audit", "agency_method")
MILESTONES = ("overview_first_draft", "overview_final", "executive_summary", "panel_signed_off", "lscb_approved",
              "sent_to_ofsted_and_panel", "shared_with_family", "publication_planned", "published",
              "removed_from_website")
PUBLICATION_MODES = ("full", "summary", "anonymous", "not_published")
RAGS = ("BLUE", "GREEN", "AMBER", "RED")
SCOPES = ("single_agency", "multi_agency")
#: the agency report's dates, in the order they happen
REPORT_DATES = ("requested", "records_secured", "chronology_due", "chronology_received", "due", "received",
                "quality_assured", "signed_off")


def _one_of(value: str | None, allowed: tuple[str, ...], option: str) -> None:
    if value is not None and value not in allowed:
        raise UsageError(f'{option} must be one of {", ".join(allowed)}, not "{value}"')


# --- review.yaml -----------------------------------------------------------------------------------


def record_terms(edit: CaseEdit, *, scope_from: dt.date | None, scope_to: dt.date | None,
                 lines_of_enquiry: list[str], methodology: str | None, family_reference: str | None,
                 approved: dt.date | None) -> None:
    """The terms of reference: scope period, lines of enquiry (added to those recorded), methodology."""
    _one_of(methodology, METHODOLOGIES, "--methodology")
    terms = section(edit.load("review"), "terms_of_reference")
    if scope_from is not None or scope_to is not None:
        scope = section(terms, "scope")
        set_given(scope, **{"from": scope_from, "to": scope_to})
        if "from" not in scope or "to" not in scope:
            raise UsageError("the scope period needs both --scope-from and --scope-to")
        if scope["to"] < scope["from"]:
            raise UsageError(f"--scope-to {scope['to']} is before --scope-from {scope['from']}")
    if lines_of_enquiry:
        lines = entries(terms, "lines_of_enquiry")
        for line in lines_of_enquiry:
            if line not in lines:
                lines.append(line)
    set_given(terms, methodology=methodology, family_reference=family_reference, approved=approved)
    if "scope" not in terms or not terms.get("lines_of_enquiry"):
        raise UsageError("terms of reference need a scope period and at least one line of enquiry",
                         hint="give --scope-from, --scope-to and --line (repeat --line for each)")


def record_reviewer(edit: CaseEdit, *, role: str, name: str, organisation: str | None, qualifications: str | None,
                    independence_statement: str | None, appointed: dt.date | None) -> None:
    _one_of(role, REVIEWER_ROLES, "--role")
    reviewers = section(edit.load("review"), "reviewers")
    person = section(reviewers, role)
    set_given(person, name=name, organisation=organisation, qualifications=qualifications,
         independence_statement=independence_statement, appointed=appointed)


def record_names_sent(edit: CaseEdit, *, on: dt.date) -> None:
    """The reviewers' names and qualifications sent to the National Panel."""
    reviewers = section(edit.load("review"), "reviewers")
    if not any(role in reviewers for role in REVIEWER_ROLES):
        raise UsageError("no reviewer is recorded yet", hint="record them first: wbcr review reviewer REF --role …")
    reviewers["names_sent_to_national_panel"] = on


def record_panel_member(edit: CaseEdit, *, name: str, role: str, agency: str | None,
                        discipline: str | None) -> bool:
    """Add a panel member (or update the one of that name); True when added."""
    panel = entries(edit.load("review"), "panel")
    for member in panel:
        if member.get("name") == name:
            set_given(member, role=role, agency=agency, discipline=discipline)
            return False
    member = new_map()
    set_given(member, name=name, agency=agency, role=role, discipline=discipline)
    panel.append(member)
    return True


def record_agency_report(edit: CaseEdit, *, agency: str, dates: dict[str, dt.date | None], author: str | None,
                         author_role: str | None, signed_off_by: str | None) -> bool:
    """An agency's report and chronology: asked for (`requested`, with its due dates), then each date as it
    happens. True when the request is new."""
    reports = entries(edit.load("review"), "agency_reports")
    for report in reports:
        if report.get("agency") == agency:
            set_given(report, author=author, author_role=author_role, signed_off_by=signed_off_by,
                 **{k: v for k, v in dates.items() if v is not None})
            _check_order(report, agency)
            return False
    if dates.get("requested") is None:
        raise UsageError(f'no report has been asked of "{agency}" yet',
                         hint="record the request first with --requested DATE (and --due, --chronology-due)")
    report = new_map()
    report["agency"] = agency
    set_given(report, author=author, author_role=author_role, signed_off_by=signed_off_by)
    for key in REPORT_DATES:
        if dates.get(key) is not None:
            report[key] = dates[key]
    _check_order(report, agency)
    reports.append(report)
    return True


def _check_order(report, agency: str) -> None:
    requested = report.get("requested")
    for key in ("chronology_received", "received", "quality_assured", "signed_off"):
        value = report.get(key)
        if value is not None and requested is not None and value < requested:
            raise UsageError(f'"{agency}": {key.replace("_", " ")} {value} is before the request ({requested})')


def record_meeting(edit: CaseEdit, *, on: dt.date, kind: str, note: str | None) -> None:
    _one_of(kind, MEETING_KINDS, "--kind")
    meetings = entries(edit.load("review"), "meetings")
    if any(m.get("date") == on and m.get("kind") == kind for m in meetings):
        return
    meeting = new_map()
    set_given(meeting, date=on, kind=kind, note=note)
    meetings.append(meeting)


def record_milestone(edit: CaseEdit, *, milestone: str, on: dt.date | None, publication_mode: str | None,
                     not_published_reason: str | None) -> None:
    _one_of(milestone, MILESTONES, "--milestone")
    _one_of(publication_mode, PUBLICATION_MODES, "--mode")
    milestones = section(edit.load("review"), "milestones")
    if milestone == "published" and publication_mode == "not_published":
        if not not_published_reason:
            raise UsageError("a report that is not published needs the reason", hint='give --reason "…"')
        set_given(milestones, publication_mode=publication_mode, not_published_reason=not_published_reason,
                  not_published_decided=on)
        return
    if on is None:
        raise UsageError("give the date of the milestone with --on DATE")
    milestones[milestone] = on
    set_given(milestones, publication_mode=publication_mode)


def record_extension(edit: CaseEdit, *, requested: dt.date, new_date: dt.date | None, reason: str | None,
                     letter_sent: dt.date | None) -> None:
    """An extension asked for (new date and reason), or its letter to Ofsted and the National Panel sent."""
    extensions = entries(edit.load("review"), "extensions")
    for item in extensions:
        if item.get("requested") == requested:
            set_given(item, new_date=new_date, reason=reason, letter_sent=letter_sent)
            return
    if new_date is None or not reason:
        raise UsageError("an extension needs its new date and the reason", hint='give --new-date DATE --reason "…"')
    item = new_map()
    set_given(item, requested=requested, new_date=new_date, reason=reason, letter_sent=letter_sent)
    extensions.append(item)


def record_chronology_review(edit: CaseEdit, *, on: dt.date, days: list[dt.date]) -> int:
    """The days several agencies recorded, compared on `on`: added to those already looked at. Returns
    how many days are new to the list."""
    if not days:
        raise UsageError("no day is recorded by two or more agencies' chronologies; nothing to review")
    review = section(edit.load("review"), "chronology_review")
    known = [d for d in review.get("same_days") or []]
    new = [d for d in days if d not in known and d.isoformat() not in map(str, known)]
    review["reviewed"] = on
    review["same_days"] = new_seq(sorted([*known, *new], key=str))
    return len(new)


# --- recommendations.yaml ---------------------------------------------------------------------------


def _recommendations(edit: CaseEdit):
    return entries(edit.load("recommendations"), "recommendations")


def _check_themes(edit: CaseEdit, themes: list[str]) -> None:
    """Refuse a theme the register's list in wbcr.yaml does not hold (the case store would refuse the
    record it makes; this says so before anything is done, with the ids it knows)."""
    known = theme_ids(edit.register.config)
    for theme in themes:
        if theme not in known:
            raise UsageError(f'--theme: unknown theme "{theme}"', hint=known_themes_hint(edit.register.config))


def _set_themes(item, themes: list[str]) -> None:
    if themes:
        item["themes"] = new_seq(list(dict.fromkeys(themes)))


def record_recommendation(edit: CaseEdit, *, ident: str, text: str | None, scope: str | None,
                          agencies: list[str], adopted: dt.date | None, themes: list[str] | None = None) -> bool:
    """Record a recommendation, or change the fields given of one recorded (`themes` given replace its
    themes); True when it is new."""
    _one_of(scope, SCOPES, "--scope")
    themes = list(themes or [])
    _check_themes(edit, themes)
    items = _recommendations(edit)
    for item in items:
        if item.get("id") == ident:
            set_given(item, text=text, scope=scope, adopted_by_panel=adopted)
            if agencies:
                item["agencies"] = list(agencies)
            _set_themes(item, themes)
            return False
    if not text or not scope:
        raise UsageError(f'recommendation "{ident}" is new: give its --text and --scope')
    item = new_map()
    set_given(item, id=ident, text=text, scope=scope)
    if agencies:
        item["agencies"] = list(agencies)
    _set_themes(item, themes)
    set_given(item, adopted_by_panel=adopted)
    item["actions"] = new_seq()
    items.append(item)
    return True


def record_finding(edit: CaseEdit, *, ident: str, text: str | None, themes: list[str]) -> bool:
    """Record a finding of the review with its learning themes, or change one recorded (`themes` given
    replace its themes); True when it is new."""
    themes = list(themes)
    _check_themes(edit, themes)
    record = edit.load("recommendations")
    entries(record, "recommendations")  # the record's own list, required even before the first one
    items = entries(record, "findings")
    for item in items:
        if item.get("id") == ident:
            set_given(item, text=text)
            _set_themes(item, themes)
            return False
    if not text:
        raise UsageError(f'finding "{ident}" is new: give its --text')
    item = new_map()
    set_given(item, id=ident, text=text)
    _set_themes(item, themes)
    items.append(item)
    return True


def _find_action(edit: CaseEdit, ident: str):
    for rec in _recommendations(edit):
        for action in rec.get("actions") or []:
            if action.get("id") == ident:
                return action
    known = [a.get("id") for r in _recommendations(edit) for a in r.get("actions") or []]
    raise UsageError(f'no action "{ident}" in the action plan',
                     hint=f"actions: {', '.join(map(str, known))}" if known else "add it with `wbcr plan action`")


def record_action(edit: CaseEdit, *, recommendation: str, ident: str, action: str | None, lead_agency: str | None,
                  lead_officer: str | None, target_date: dt.date | None, outcome_measure: str | None) -> bool:
    for rec in _recommendations(edit):
        if rec.get("id") == recommendation:
            break
    else:
        raise UsageError(f'no recommendation "{recommendation}" is recorded',
                         hint="record it first: wbcr plan recommendation REF --id … --text … --scope …")
    for existing in entries(rec, "actions"):
        if existing.get("id") == ident:
            set_given(existing, action=action, lead_agency=lead_agency, lead_officer=lead_officer,
                 target_date=target_date, outcome_measure=outcome_measure)
            return False
    if not action or not lead_agency or target_date is None:
        raise UsageError(f'action "{ident}" is new: give its --action, --lead-agency and --target')
    item = new_map()
    set_given(item, id=ident, action=action, lead_agency=lead_agency, lead_officer=lead_officer, target_date=target_date,
         outcome_measure=outcome_measure)
    rec["actions"].append(item)
    return True


def record_rag(edit: CaseEdit, *, action: str, on: dt.date, rag: str, note: str, by: str | None,
               evidence: str | None) -> None:
    _one_of(rag, RAGS, "--rag")
    item = _find_action(edit, action)
    if item.get("signed_off"):
        raise UsageError(f'action "{action}" is signed off; its rating no longer changes')
    updates = entries(item, "updates")
    update = new_map()
    set_given(update, date=on, rag=rag, note=note, by=by)
    # oldest first, as validate asks: an update reported late goes before the ones dated after it
    later = [i for i, u in enumerate(updates) if isinstance(u, dict) and str(u.get("date") or "") > on.isoformat()]
    if later:
        updates.insert(later[0], update)
    else:
        updates.append(update)
    set_given(item, evidence=evidence)


def record_family(edit: CaseEdit, *, plan: str | None, letter_sent: dt.date | None, contact_on: dt.date | None,
                  person: str | None, method: str | None, note: str | None, declined: bool | None) -> str:
    """How the family is told about and involved in the review: the plan, the letter, each contact."""
    family = section(edit.load("review"), "family_involvement")
    said = []
    if plan:
        family["plan"] = plan
        said.append("plan")
    if letter_sent:
        family["letter_sent"] = letter_sent
        said.append(f"letter sent {letter_sent}")
    if declined is not None:
        family["declined"] = declined
        said.append("declined to take part" if declined else "taking part")
    if contact_on or person or method or note:
        if not (contact_on and method):
            raise UsageError("a contact with the family needs --contact-on DATE and --method", hint='e.g. --contact-on 2027-02-10 --method "home visit" --person mother')
        people = {str(p.get("id")) for p in (edit.plain().get("people") or {}).get("people") or [] if isinstance(p, dict)}
        if person is not None and person not in people:
            raise UsageError(f'--person: no one with the id "{person}" in people.yaml', hint=f"ids: {', '.join(sorted(people))}")
        item = new_map()
        set_given(item, date=contact_on, person=person, method=method, note=note)
        entries(family, "contacts").append(item)
        said.append(f"contact on {contact_on}")
    if not said:
        raise UsageError("nothing to record", hint="give --plan, --letter-sent, --declined/--taking-part or a contact")
    return "family involvement: " + ", ".join(said)


def record_carry(edit: CaseEdit, *, action: str, to: str, reason: str, by: str, on: dt.date) -> None:
    """An action carried to another plan with a reason (the review can close with it open here)."""
    item = _find_action(edit, action)
    if item.get("signed_off"):
        raise UsageError(f'action "{action}" is signed off as complete; there is nothing to carry')
    carried = new_map()
    carried["date"] = on
    carried["to"] = to
    carried["reason"] = reason
    carried["by"] = by
    item["carried_forward"] = carried


def record_sign_off(edit: CaseEdit, *, action: str, by: str, on: dt.date, evidence: str | None) -> None:
    """An action signed off as complete: rated BLUE on that day, with its evidence."""
    item = _find_action(edit, action)
    set_given(item, evidence=evidence)
    if not item.get("evidence"):
        raise UsageError(f'action "{action}" has no evidence of completion recorded', hint='give --evidence "…"')
    signed = new_map()
    signed["by"] = by
    signed["date"] = on
    item["signed_off"] = signed
    latest = (item.get("updates") or [None])[-1]
    if latest is None or latest.get("rag") != "BLUE":
        record_update = new_map()
        set_given(record_update, date=on, rag="BLUE", note="Signed off as complete", by=by)
        entries(item, "updates").append(record_update)
