"""Commands that record the review phase (`wbcr review …`) and the action plan (`wbcr plan …`).

Each records one thing through the case store (sealed, validated, written and committed with its
trailers) and echoes the case's pseudonym and stage, so a mistyped reference shows at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Callable, Optional

import typer

from wbcr.cli import console
from wbcr.cli.app import app, open_register, today
from wbcr.cli.refs import REF_ARGUMENT, complete_agency
from wbcr.cli.workflow_commands import _actor, _date, _need, _renamed
from wbcr.core.errors import UsageError

review_app = typer.Typer(help="Record the review: terms of reference, reviewers, panel, agency reports, meetings, "
                              "milestones and extensions (review.yaml; what each field means: `wbcr fields review`).",
                         no_args_is_help=True)
plan_app = typer.Typer(help="Record the findings and recommendations (with their learning themes) and the action "
                            "plan: actions, RAG updates, sign-off "
                            "(recommendations.yaml; what each field means: `wbcr fields recommendations`).",
                       no_args_is_help=True)
app.add_typer(review_app, name="review")
app.add_typer(plan_app, name="plan")

Ref = Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)]
On = Annotated[Optional[str], typer.Option("--on", help="The date (default today).", metavar="DATE")]


def _record(reference: str, action: str, on: dt.date | None, change: Callable) -> None:
    """Open the case through the store, apply `change(edit, register)` (which returns what was recorded),
    save it with the event's date, and say so with the case's pseudonym and stage."""
    from wbcr.store.case import CaseEdit  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    edit = CaseEdit(register, reference, command=action)
    try:
        what = change(edit, register)
        case = edit.load("case")
        where = f"{edit.reference} ({case.get('pseudonym') or 'no pseudonym'}, at {case.get('stage')})"
        written = edit.save(action=action, summary=what, today=today(), actor=_actor(register), event_date=on)
    finally:
        edit.close()
    if written:
        console.print_line(f"{where}: {what}")
    else:
        console.print_note(f"{where}: {what} (already recorded; nothing changed)")


def _agency(register, agency: str | None, option: str = "--agency") -> str | None:
    if agency is not None and agency not in register.agency_ids() | register.lscb_ids():
        raise UsageError(f'{option}: unknown agency "{agency}"',
                         hint=f"agencies in wbcr.yaml: {', '.join(sorted(register.agency_ids()))}")
    return agency


# --- wbcr review -----------------------------------------------------------------------------------


@review_app.command("terms")
def terms(
    reference: Ref,
    scope_from: Annotated[Optional[str], typer.Option("--scope-from", help="Start of the scope period.", metavar="DATE")] = None,
    scope_to: Annotated[Optional[str], typer.Option("--scope-to", help="End of the scope period.", metavar="DATE")] = None,
    line: Annotated[Optional[list[str]], typer.Option("--line", help="A line of enquiry (repeat for each).", metavar="TEXT")] = None,
    methodology: Annotated[Optional[str], typer.Option(help="traditional, silp, systems, blended, audit or agency_method.")] = None,
    family_reference: Annotated[Optional[str], typer.Option(help="How the family is referred to in the report.", metavar="TEXT")] = None,
    approved: Annotated[Optional[str], typer.Option(help="Date the panel approved the terms.", metavar="DATE")] = None,
) -> None:
    """Record the terms of reference: scope period, lines of enquiry, methodology, approval.

    Example: wbcr review terms WBCR-2026-002 --scope-from 2024-01-01 --scope-to 2026-02-11 --line "Information sharing between health and school" --approved 2026-04-01
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    when = _date(approved, "--approved")

    def change(edit, _register):
        review.record_terms(edit, scope_from=_date(scope_from, "--scope-from"), scope_to=_date(scope_to, "--scope-to"),
                            lines_of_enquiry=list(line or []), methodology=methodology,
                            family_reference=family_reference, approved=when)
        return "terms of reference recorded"

    _record(reference, "review-terms", when, change)


@review_app.command("reviewer")
def reviewer(
    reference: Ref,
    role: Annotated[str, typer.Option(help="chair, overview_author, facilitator or lead_reviewer.")],
    name: Annotated[str, typer.Option(help="The reviewer's name.", metavar="TEXT")],
    organisation: Annotated[Optional[str], typer.Option(help="Their organisation.", metavar="TEXT")] = None,
    qualifications: Annotated[Optional[str], typer.Option(help="Qualifications and experience.", metavar="TEXT")] = None,
    independence: Annotated[Optional[str], typer.Option(help="Their statement of independence.", metavar="TEXT")] = None,
    appointed: Annotated[Optional[str], typer.Option(help="Date appointed (default today).", metavar="DATE")] = None,
) -> None:
    """Appoint a reviewer: the review's independent chair, overview author, facilitator or lead reviewer.

    Example: wbcr review reviewer WBCR-2026-002 --role lead_reviewer --name "Dr R. Example" --independence "No role in services to the family"
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    when = _date(appointed, "--appointed") or today()

    def change(edit, _register):
        review.record_reviewer(edit, role=role, name=name, organisation=organisation, qualifications=qualifications,
                               independence_statement=independence, appointed=when)
        return f"{role.replace('_', ' ')} appointed"

    _record(reference, "review-reviewer", when, change)


@review_app.command("names-sent")
def names_sent(reference: Ref, on: On = None) -> None:
    """Record that the reviewers' names and qualifications went to the National Panel.

    Example: wbcr review names-sent WBCR-2026-002 --on 2026-04-03
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    when = _date(on, "--on") or today()

    def change(edit, _register):
        review.record_names_sent(edit, on=when)
        return "reviewers' names sent to the National Panel"

    _record(reference, "review-names-sent", when, change)


@review_app.command("panel")
def panel(
    reference: Ref,
    name: Annotated[str, typer.Option(help="The member's name.", metavar="TEXT")],
    role: Annotated[str, typer.Option(help="Their role (e.g. Designated Nurse).", metavar="TEXT")],
    agency: Annotated[Optional[str], typer.Option(autocompletion=complete_agency, help="Their agency id from wbcr.yaml.", metavar="ID")] = None,
    discipline: Annotated[Optional[str], typer.Option(help="Their discipline.", metavar="TEXT")] = None,
) -> None:
    """Add a member of the review panel (or update one already recorded).

    Example: wbcr review panel WBCR-2026-002 --name "A. Member" --role "Detective Inspector" --agency tvp
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    def change(edit, register):
        added = review.record_panel_member(edit, name=name, role=role, agency=_agency(register, agency),
                                           discipline=discipline)
        return f"panel member {name} {'added' if added else 'updated'}"

    _record(reference, "review-panel", None, change)


@review_app.command("agency-report")
def agency_report(
    reference: Ref,
    agency: Annotated[str, typer.Option(autocompletion=complete_agency, help="The agency id from wbcr.yaml.", metavar="ID")],
    requested: Annotated[Optional[str], typer.Option(help="Date the report and chronology were asked for.", metavar="DATE")] = None,
    due: Annotated[Optional[str], typer.Option(help="Date the report is due.", metavar="DATE")] = None,
    chronology_due: Annotated[Optional[str], typer.Option(help="Date the chronology is due.", metavar="DATE")] = None,
    chronology_received: Annotated[Optional[str], typer.Option(help="Date the chronology came in.", metavar="DATE")] = None,
    received: Annotated[Optional[str], typer.Option(help="Date the report came in.", metavar="DATE")] = None,
    quality_assured: Annotated[Optional[str], typer.Option(help="Date it was quality assured.", metavar="DATE")] = None,
    signed_off: Annotated[Optional[str], typer.Option(help="Date the designated senior manager signed it off.", metavar="DATE")] = None,
    signed_off_by: Annotated[Optional[str], typer.Option(help="Who signed it off.", metavar="TEXT")] = None,
    author: Annotated[Optional[str], typer.Option(help="The report's author.", metavar="TEXT")] = None,
    author_role: Annotated[Optional[str], typer.Option(help="The author's role.", metavar="TEXT")] = None,
) -> None:
    """Ask an agency for its report and chronology, then record each step as it happens.

    Example: wbcr review agency-report WBCR-2026-002 --agency tvp --requested 2026-04-06 --chronology-due 2026-05-04 --due 2026-06-01
             wbcr review agency-report WBCR-2026-002 --agency tvp --received 2026-05-29
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    given = {"requested": requested, "chronology_due": chronology_due, "chronology_received": chronology_received,
             "due": due, "received": received, "quality_assured": quality_assured, "signed_off": signed_off}
    dates = {key: _date(value, f"--{key.replace('_', '-')}") for key, value in given.items()}
    if not any(dates.values()) and not (author or author_role or signed_off_by):
        raise UsageError("nothing to record", hint="give --requested DATE, or a later date such as --received DATE")
    latest = max((d for d in dates.values() if d is not None), default=None)

    def change(edit, register):
        _agency(register, agency)
        new = review.record_agency_report(edit, agency=agency, dates=dates, author=author, author_role=author_role,
                                          signed_off_by=signed_off_by)
        done = ", ".join(k.replace("_", " ") for k, v in dates.items() if v is not None) or "details"
        return f"agency report of {agency}: " + ("requested" if new else done)

    _record(reference, "review-agency-report", latest, change)


@review_app.command("meeting")
def meeting(
    reference: Ref,
    kind: Annotated[str, typer.Option(help="scoping, panel, authors_briefing, practitioner_event, recall_event, learning_event, crg, family or other.")],
    on: On = None,
    note: Annotated[Optional[str], typer.Option(help="A note.", metavar="TEXT")] = None,
) -> None:
    """Record a panel meeting or a learning event.

    Example: wbcr review meeting WBCR-2026-003 --kind learning_event --on 2026-06-10
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    when = _date(on, "--on") or today()

    def change(edit, _register):
        review.record_meeting(edit, on=when, kind=kind, note=note)
        return f"{kind.replace('_', ' ')} recorded"

    _record(reference, "review-meeting", when, change)


@review_app.command("milestone")
def milestone(
    reference: Ref,
    name: Annotated[str, typer.Option("--milestone", help="overview_first_draft, overview_final, executive_summary, "
                                      "panel_signed_off, lscb_approved (the LSCB's or the safeguarding partners' approval), sent_to_ofsted_and_panel, "
                                      "shared_with_family, publication_planned (the copies before publication are counted back from it), "
                                      "published or removed_from_website.")],
    on: On = None,
    mode: Annotated[Optional[str], typer.Option(help="With published: full, summary, anonymous or not_published (--on is then the date it was decided not to publish).")] = None,
    reason: Annotated[Optional[str], typer.Option(help="With --mode not_published: why.", metavar="TEXT")] = None,
) -> None:
    """Record a milestone of the report: drafts, sign-off, approval, sent, shared with the family, published.

    Example: wbcr review milestone WBCR-2025-004 --milestone lscb_approved --on 2026-11-20
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    when = _date(on, "--on") or today()

    def change(edit, _register):
        review.record_milestone(edit, milestone=name, on=when, publication_mode=mode, not_published_reason=reason)
        return (f"{name.replace('_', ' ')}" + (f" ({mode})" if mode else "") + " recorded")

    _record(reference, "review-milestone", when, change)


@review_app.command("extension")
def extension(
    reference: Ref,
    requested: Annotated[str, typer.Option(help="Date the extension was asked for.", metavar="DATE")],
    new_date: Annotated[Optional[str], typer.Option(help="The new completion date.", metavar="DATE")] = None,
    reason: Annotated[Optional[str], typer.Option(help="Why.", metavar="TEXT")] = None,
    letter_sent: Annotated[Optional[str], typer.Option(help="Date the letter went (2015: to Ofsted and the National Panel; 2023: to the Panel and the Secretary of State).", metavar="DATE")] = None,
) -> None:
    """Record an extension of the review's timescale and the letter telling Ofsted and the National Panel
    (under Working Together 2023, the delay letter to the Panel and the Secretary of State).

    Example: wbcr review extension WBCR-2025-004 --requested 2026-01-15 --new-date 2026-12-18 --reason "Criminal trial" --letter-sent 2026-01-16
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    asked = _date(requested, "--requested")

    def change(edit, _register):
        review.record_extension(edit, requested=asked, new_date=_date(new_date, "--new-date"), reason=reason,
                                letter_sent=_date(letter_sent, "--letter-sent"))
        return "extension recorded" + (", letter sent" if letter_sent else "")

    _record(reference, "review-extension", _date(letter_sent, "--letter-sent") or asked, change)


# --- wbcr plan -------------------------------------------------------------------------------------


@plan_app.command("recommendation")
def recommendation(
    reference: Ref,
    ident: Annotated[str, typer.Option("--id", help="Its number, e.g. R1.", metavar="ID")],
    text: Annotated[Optional[str], typer.Option(help="The recommendation.", metavar="TEXT")] = None,
    scope: Annotated[Optional[str], typer.Option(help="single_agency or multi_agency.")] = None,
    agency: Annotated[Optional[list[str]], typer.Option(autocompletion=complete_agency, help="An agency it is for (repeat).", metavar="ID")] = None,
    adopted: Annotated[Optional[str], typer.Option(help="Date the panel adopted it.", metavar="DATE")] = None,
    theme: Annotated[Optional[list[str]], typer.Option(
        help="A learning theme it addresses, by its id in wbcr.yaml's themes (repeat; replaces its themes).",
        metavar="ID")] = None,
) -> None:
    """Record a recommendation of the review (or change one).

    Example: wbcr plan recommendation WBCR-2026-002 --id R1 --scope multi_agency --text "…" --adopted 2026-09-01
    --theme information-sharing --theme think-family
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    when = _date(adopted, "--adopted")

    def change(edit, register):
        for item in agency or []:
            _agency(register, item)
        new = review.record_recommendation(edit, ident=ident, text=text, scope=scope, agencies=list(agency or []),
                                           adopted=when, themes=list(theme or []))
        return f"recommendation {ident} {'recorded' if new else 'updated'}" + _themes_said(theme)

    _record(reference, "plan-recommendation", when, change)


@plan_app.command("finding")
def finding(
    reference: Ref,
    ident: Annotated[str, typer.Option("--id", help="Its number, e.g. F1.", metavar="ID")],
    text: Annotated[Optional[str], typer.Option(help="The finding as worded in the report.", metavar="TEXT")] = None,
    theme: Annotated[Optional[list[str]], typer.Option(
        help="A learning theme of the finding, by its id in wbcr.yaml's themes (repeat; replaces its themes).",
        metavar="ID")] = None,
) -> None:
    """Record a finding of the review with its learning themes (or change one).

    Example: wbcr plan finding WBCR-2026-002 --id F1 --text "…" --theme professional-curiosity
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    if ident[:1] != "F" or not (ident[1:].isascii() and ident[1:].isdigit()):
        raise UsageError(f'--id "{ident}" is not a finding\'s number', hint="F and digits, e.g. F1")

    def change(edit, _register):
        new = review.record_finding(edit, ident=ident, text=text, themes=list(theme or []))
        return f"finding {ident} {'recorded' if new else 'updated'}" + _themes_said(theme)

    _record(reference, "plan-finding", None, change)


def _themes_said(themes: list[str] | None) -> str:
    return f" (themes: {', '.join(dict.fromkeys(themes))})" if themes else ""


@plan_app.command("action")
def action(
    reference: Ref,
    recommendation_id: Annotated[str, typer.Option("--recommendation", help="The recommendation's id.", metavar="ID")],
    ident: Annotated[str, typer.Option("--id", help="The action's id, e.g. R1-A1.", metavar="ID")],
    text: Annotated[Optional[str], typer.Option("--action", help="What will be done.", metavar="TEXT")] = None,
    lead_agency: Annotated[Optional[str], typer.Option(autocompletion=complete_agency, help="The lead agency's id.", metavar="ID")] = None,
    lead_officer: Annotated[Optional[str], typer.Option(help="The lead officer.", metavar="TEXT")] = None,
    target: Annotated[Optional[str], typer.Option(help="Target date.", metavar="DATE")] = None,
    measure: Annotated[Optional[str], typer.Option(help="How success will be measured.", metavar="TEXT")] = None,
) -> None:
    """Add an action to a recommendation's action plan (or change one).

    Example: wbcr plan action WBCR-2026-002 --recommendation R1 --id R1-A1 --action "…" --lead-agency bffc --target 2027-03-31
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    def change(edit, register):
        new = review.record_action(edit, recommendation=recommendation_id, ident=ident, action=text,
                                   lead_agency=_agency(register, lead_agency, "--lead-agency"),
                                   lead_officer=lead_officer, target_date=_date(target, "--target"),
                                   outcome_measure=measure)
        return f"action {ident} {'added' if new else 'updated'}"

    _record(reference, "plan-action", None, change)


@plan_app.command("rag")
def rag(
    reference: Ref,
    action_id: Annotated[str, typer.Option("--action", help="The action's id.", metavar="ID")],
    rating: Annotated[str, typer.Option("--rag", help="BLUE, GREEN, AMBER or RED.")],
    note: Annotated[Optional[str], typer.Option(help="Progress since the last update.", metavar="TEXT")] = None,
    on: On = None,
    by: Annotated[Optional[str], typer.Option(help="Who reported it.", metavar="TEXT")] = None,
    evidence: Annotated[Optional[str], typer.Option(help="Evidence of progress.", metavar="TEXT")] = None,
) -> None:
    """Record a RAG update on an action, with what it rests on.

    Example: wbcr plan rag WBCR-2026-002 --action R1-A1 --rag AMBER --note "Training booked for March" --on 2026-12-01
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    when = _date(on, "--on") or today()
    text = _need(note, "--note", "Progress note")

    def change(edit, _register):
        review.record_rag(edit, action=action_id, on=when, rag=rating.upper(), note=text, by=by, evidence=evidence)
        return f"action {action_id} rated {rating.upper()}"

    _record(reference, "plan-rag", when, change)


@plan_app.command("sign-off")
def sign_off(
    reference: Ref,
    action_id: Annotated[str, typer.Option("--action", help="The action's id.", metavar="ID")],
    by: Annotated[str, typer.Option(help="Who signed it off.", metavar="TEXT")],
    on: On = None,
    evidence: Annotated[Optional[str], typer.Option(help="The evidence that it is done.", metavar="TEXT")] = None,
) -> None:
    """Sign an action off as complete (rated BLUE), with its evidence.

    Example: wbcr plan sign-off WBCR-2026-002 --action R1-A1 --by "CRG chair" --evidence "Audit of 20 cases" --on 2027-03-20
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    when = _date(on, "--on") or today()

    def change(edit, _register):
        review.record_sign_off(edit, action=action_id, by=by, on=when, evidence=evidence)
        return f"action {action_id} signed off"

    _record(reference, "plan-sign-off", when, change)


@plan_app.command("carry")
def carry(
    reference: Ref,
    action_id: Annotated[str, typer.Option("--action", help="The action's id.", metavar="ID")],
    into: Annotated[Optional[str], typer.Option("--into", help="The plan that now owns the action.", metavar="PLAN")] = None,
    reason: Annotated[Optional[str], typer.Option(help="Why it is carried rather than finished in this plan.", metavar="TEXT")] = None,
    by: Annotated[Optional[str], typer.Option(help="Who agreed to carry it.", metavar="TEXT")] = None,
    on: On = None,
    old_to: Annotated[Optional[str], typer.Option("--to", hidden=True)] = None,
) -> None:
    """Carry an action that is not finished to another plan, with the reason: the review can then close,
    and the action is followed in that plan.

    Example: wbcr plan carry WBCR-2025-004 --action R2-A1 --into "Neglect strategy action plan 2027-29" \\
               --reason "Part of the partnership's neglect strategy from April" --by "CRG chair"
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    _renamed(old_to, "--to", "--into", "in wbcr, --to names a recipient (render, notify) or a period's last day")
    into = _need(into, "--into", "The plan that now owns the action")
    reason = _need(reason, "--reason", "Why it is carried rather than finished in this plan")
    by = _need(by, "--by", "Who agreed to carry it")
    when = _date(on, "--on") or today()

    def change(edit, _register):
        review.record_carry(edit, action=action_id, to=into, reason=reason, by=by, on=when)
        return f"action {action_id} carried to {into}"

    _record(reference, "plan-carry", when, change)


@review_app.command("family")
def family(
    reference: Ref,
    plan: Annotated[Optional[str], typer.Option(help="The plan for involving the family.", metavar="TEXT")] = None,
    letter_sent: Annotated[Optional[str], typer.Option(help="Date the letter telling the family went.", metavar="DATE")] = None,
    contact_on: Annotated[Optional[str], typer.Option(help="Date of a contact with a family member.", metavar="DATE")] = None,
    person: Annotated[Optional[str], typer.Option(help="The family member, by their id in people.yaml.", metavar="ID")] = None,
    method: Annotated[Optional[str], typer.Option(help="How the contact was made (letter, telephone, home visit…).", metavar="TEXT")] = None,
    note: Annotated[Optional[str], typer.Option(help="What was said or agreed.", metavar="TEXT")] = None,
    declined: Annotated[Optional[bool], typer.Option("--declined/--taking-part", help="Whether the family declined to take part.")] = None,
) -> None:
    """Record how the family is told about and involved in the review: the plan, the letter, each contact.

    Example: wbcr review family WBCR-2026-004 --plan "The lead reviewer meets the mother at home" --letter-sent 2027-01-10
             wbcr review family WBCR-2026-004 --contact-on 2027-02-10 --person mother --method "home visit"
    """
    from wbcr.operations import review  # noqa: PLC0415 - lazy: keeps --help fast

    letter = _date(letter_sent, "--letter-sent")
    contact = _date(contact_on, "--contact-on")

    def change(edit, _register):
        return review.record_family(edit, plan=plan, letter_sent=letter, contact_on=contact, person=person,
                                    method=method, note=note, declined=declined)

    _record(reference, "review-family", contact or letter or today(), change)
