"""Commands that move cases through the procedure: due, screen, request, crg, decide, notify,
advance, next, deadlines, history, report."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from wbcr.cli import console
from wbcr.cli.app import app, open_register, today
from wbcr.cli.refs import REF_ARGUMENT, complete_agency
from wbcr.cli.register_commands import ReportFormat
from wbcr.cli.office import FORMAT_HELP, OUT_HELP, TableFormat, table_format, write_workbook
from wbcr.core.errors import UsageError, WbcrError
from wbcr.model.case import Method, ReviewKind, ScreeningOutcome  # light: enums and dataclasses only
from wbcr.core import gitrepo
from wbcr.core.dates import parse_uk_date

crg_app = typer.Typer(help="Record the group that considers a referral: the Case Review Group (wt2015) or the rapid review (wt2023).", no_args_is_help=True)
report_app = typer.Typer(help="Reports for the board or partnership, Ofsted and the national panel.", no_args_is_help=True)
app.add_typer(crg_app, name="crg")
app.add_typer(report_app, name="report")


REVIEW_KINDS = tuple(kind.value for kind in ReviewKind)
#: the Independent Chair's decision: a review kind
Kind = ReviewKind
#: a CRG member's or the CRG's recommendation: a review kind, or more information first
Recommendation = Enum("Recommendation", {k: k for k in (*REVIEW_KINDS, "more_information")}, type=str)
#: the CRG chair's screening outcome
Outcome = ScreeningOutcome


def _date(value: Optional[str], option: str):
    if value is None:
        return None
    try:
        return parse_uk_date(value)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}", hint="write a date as 2026-02-03, 03/02/2026 or 3 Feb 2026") from None


def _renamed(value, old: str, new: str, why: str) -> None:
    """A usage error for an option given by its old name: one option name has one meaning in wbcr."""
    if value is not None:
        import shlex

        raise UsageError(f"{old} is now {new} here ({why})", hint=f"write {new} {shlex.quote(value)}")


def _need(value, option: str, label: str):
    """A required value: given, or asked for on a terminal, or a usage error."""
    if value not in (None, ""):
        return value
    if sys.stdin.isatty():
        return typer.prompt(label)
    raise UsageError(f"{option} is required", hint=f"give {option} (or run on a terminal to be asked)")


def _actor(register, by: Optional[str] = None) -> str:
    return by or gitrepo.actor(register.root)


def _edit(register, reference: str, command: str):
    """The case opened through the store for `command`, which refuses (exit 1, saying why and what the
    case needs first) when the case's intake, stage or records do not allow it."""
    from wbcr.store.case import CaseEdit  # noqa: PLC0415 - lazy: keeps --help fast

    return CaseEdit(register, reference, command=command)


def _allowed(register, reference: str, command: str) -> None:
    """Refuse before asking anything on a terminal (the lock is not held while someone types)."""
    _edit(register, reference, command).close()


def _words(edit, register):
    """The vocabulary of the case's procedure under the register's own wording."""
    from wbcr.model.vocabulary import vocabulary  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.workflow.deadlines import procedure_for  # noqa: PLC0415 - lazy: keeps --help fast

    try:
        return register.vocabulary(procedure_for(dict(edit.load("case")), register))
    except WbcrError:  # an unknown procedure is a validation finding: the shipped words only
        return vocabulary(None, register.config)


def _saved(edit, what: str, written: list[str]) -> None:
    """Say what was recorded with the case's pseudonym and stage, so a mistyped reference shows at once."""
    case = edit.load("case")
    where = f"{edit.reference} ({case.get('pseudonym') or 'no pseudonym'}, at {case.get('stage')})"
    if written:
        console.print_line(f"{where}: {what}")
    else:
        console.print_note(f"{where}: {what} (already recorded; nothing changed)")


@app.command()
def due(
    start: Annotated[str, typer.Argument(help="The anchor date (day 0): 2026-02-03, 03/02/2026 or 3 Feb 2026.", metavar="DATE")],
    period: Annotated[str, typer.Argument(help='"N wd" (working days), "N cd", "N weeks" or "N months".', metavar="PERIOD")],
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json.")] = ReportFormat.text,
) -> None:
    """When is it due? Working days skip weekends and England and Wales bank holidays.

    Example: wbcr due 2019-05-02 "15 wd"   (prints 2019-05-24)
    """
    from wbcr.core.calendar import Calendar, parse_offset  # noqa: PLC0415 - lazy: keeps --help fast

    anchor = _date(start, "DATE")
    offset = parse_offset(period, typed=True)
    try:
        register = open_register(validated=False)
        calendar = Calendar.from_config(register.config)
    except UsageError:
        calendar = Calendar()
    result = calendar.add(anchor, offset)
    working = calendar.is_working_day(result)
    holiday = calendar.holiday_name(result)
    if fmt is ReportFormat.json:
        console.print_json({"anchor": anchor.isoformat(), "period": str(offset), "due": result.isoformat(),
                            "weekday": result.strftime("%A"), "working_day": working, "holiday": holiday})
        return
    console.print_line(result.isoformat())
    if not working:
        console.print_warning(f"{result.isoformat()} is a {result.strftime('%A')}"
                              + (f" ({holiday})" if holiday else "") + ", not a working day; the date is not moved")


@app.command()
def screen(
    reference: Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)],
    outcome: Annotated[Optional[Outcome], typer.Option(help="sufficient, more_information or not_for_review.")] = None,
    rationale: Annotated[Optional[str], typer.Option(help="Why (recorded for the audit trail).")] = None,
    on: Annotated[Optional[str], typer.Option(help="Date of the screening (default today).")] = None,
    by: Annotated[Optional[str], typer.Option(help="The CRG chair (default: wbcr.yaml's CRG chair).")] = None,
    outside_meeting: Annotated[bool, typer.Option("--outside-meeting", help="Exceptionally urgent: decided outside a meeting.")] = False,
) -> None:
    """Record the CRG chair's screening of a referral.

    Example: wbcr screen WBCR-2026-004 --outcome sufficient --rationale "Enough detail to request information"
    """
    from wbcr.operations import decisions  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    _allowed(register, reference, "screen")
    outcome_value = _need(outcome.value if outcome else None, "--outcome", "Outcome (sufficient / more_information / not_for_review)")
    if outcome_value not in Outcome.__members__:
        raise UsageError(f'--outcome must be one of {", ".join(Outcome.__members__)}')
    why = _need(rationale, "--rationale", "Rationale")
    when = _date(on, "--on") or today()
    with _edit(register, reference, "screen") as edit:
        chair = (register.config.get("crg") or {}).get("chair", {}).get("name")
        decisions.record_screening(edit, on=when, by=by or chair or _actor(register),
                                   outcome=outcome_value, rationale=why, outside_meeting=outside_meeting)
        written = edit.save(action="screen", summary=f"screening recorded ({outcome_value})", today=today(),
                            actor=_actor(register), event_date=when)
        _saved(edit, f"screening recorded: {outcome_value}", written)


@app.command()
def request(
    reference: Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)],
    agency: Annotated[str, typer.Option(autocompletion=complete_agency, help="Agency id from wbcr.yaml.")],
    sent: Annotated[Optional[str], typer.Option(help="Date the request was sent.")] = None,
    due_on: Annotated[Optional[str], typer.Option("--due", help="Date due (default: 10 working days after sending).")] = None,
    received: Annotated[Optional[str], typer.Option(help="Date the answer was received.")] = None,
    involved: Annotated[Optional[bool], typer.Option("--involved/--not-involved", help="Whether the agency knew the family.")] = None,
    from_form: Annotated[Optional[Path], typer.Option("--from-form", help="The returned information request form (.docx).")] = None,
) -> None:
    """Record an additional information request (Appendix 2) sent to an agency, or its answer.

    Example: wbcr request WBCR-2026-004 --agency tvp --sent 2026-11-20
             wbcr request WBCR-2026-004 --agency tvp --received 2026-11-27 --involved
             wbcr request WBCR-2026-004 --agency tvp --from-form returned/tvp.docx
    """
    from wbcr.operations import decisions  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.core.calendar import Calendar  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    if agency not in register.agency_ids():
        raise UsageError(f'unknown agency "{agency}"', hint=f"agencies: {', '.join(sorted(register.agency_ids()))}")
    if from_form is not None:  # read before the case is opened (and locked); never more than the size limit
        from wbcr.documents.ooxml import load_package_bytes  # noqa: PLC0415 - lazy: keeps --help fast

        data = load_package_bytes(from_form, str(from_form))
    with _edit(register, reference, "request") as edit:
        if from_form is not None:
            from wbcr.documents.forms import information_from_form  # noqa: PLC0415 - lazy: keeps --help fast

            answers = information_from_form(register, reference, agency, data, str(from_form), today())
            when = _date(received, "--received") or _date(answers.pop("received", None), "Date returned") or today()
            decisions.record_request_received(edit, agency=agency, received=when, involved=answers.pop("involved", None),
                                              summary=answers.pop("summary", None), answers=answers)
            what = f"information from {agency} received (read from the returned form)"  # file names can name people
            event = when
        elif received:
            event = _date(received, "--received")
            decisions.record_request_received(edit, agency=agency, received=event, involved=involved)
            what = f"information from {agency} received"
        else:
            from wbcr.workflow.deadlines import procedure_for  # noqa: PLC0415 - lazy: keeps --help fast

            procedure = procedure_for(dict(edit.load("case")), register)
            event = _date(sent, "--sent") or today()
            due_date = decisions.record_request_sent(edit, agency=agency, sent=event,
                                                     due=_date(due_on, "--due"), calendar=Calendar.from_config(register.config),
                                                     procedure=procedure)
            what = f"information requested from {agency}, due {due_date}"
        written = edit.save(action="request", summary=what, today=today(), actor=_actor(register), event_date=event)
        _saved(edit, what, written)


@crg_app.command("meeting")
def crg_meeting(
    reference: Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)],
    on: Annotated[Optional[str], typer.Option(help="Date of the CRG meeting (wt2023: the rapid review meeting).")] = None,
    present: Annotated[Optional[list[str]], typer.Option(help="A member present (repeat for each).")] = None,
    outside_meeting: Annotated[bool, typer.Option("--outside-meeting", help="Exceptionally urgent: the CRG chair decided outside a meeting.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the members already recorded instead of adding to them.")] = False,
) -> None:
    """Record the meeting that considered the case — the CRG meeting, or under Working Together 2023 the
    rapid review meeting — and who was present (added to those recorded).

    Example: wbcr crg meeting WBCR-2026-004 --on 2026-12-03 --present "A. Chair" --present "B. Member"
    """
    from wbcr.operations import decisions  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    _allowed(register, reference, "crg-meeting")
    members = present or [m.strip() for m in _need(None, "--present", "Members present (comma-separated)").split(",") if m.strip()]
    when = _date(on, "--on") or today()
    with _edit(register, reference, "crg-meeting") as edit:
        strangers = decisions.record_crg_meeting(edit, on=when, present=members,
                                                 outside_meeting=outside_meeting, replace=replace)
        meeting = _words(edit, register).word("decision_meeting")
        written = edit.save(action="crg-meeting", summary=f"{meeting} recorded", today=today(), actor=_actor(register),
                            event_date=when)
        total = len(edit.load("decisions")["crg_consideration"]["members_present"])
        _saved(edit, f"{meeting} recorded ({total} present)", written)
        for name in strangers:
            console.print_warning(f'"{name}" is not a CRG member in wbcr.yaml: a guest, or a typing mistake? '
                                  "Each member present must give a recommendation.")


@crg_app.command("recommend")
def crg_recommend(
    reference: Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)],
    member: Annotated[str, typer.Option(help="The member, as recorded present.")],
    recommendation: Annotated[Recommendation, typer.Option(help="What the member recommends.")],
    reason: Annotated[Optional[str], typer.Option(help="The member's reason.")] = None,
    agency: Annotated[Optional[str], typer.Option(autocompletion=complete_agency, help="The member's agency id.")] = None,
) -> None:
    """Record one member's recommendation (a CRG member, or under Working Together 2023 a member of the
    rapid review).

    Example: wbcr crg recommend WBCR-2026-004 --member "B. Member" --recommendation silp --reason "…"
    """
    from wbcr.operations import decisions  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    with _edit(register, reference, "crg-recommend") as edit:
        decisions.record_member_recommendation(edit, member=member, recommendation=recommendation.value, reason=reason,
                                               agency=agency)
        written = edit.save(action="crg-recommend", summary=f"recommendation of {member} recorded", today=today(),
                            actor=_actor(register))
        _saved(edit, f"{member} recommends {recommendation.value}", written)


@crg_app.command("conclude")
def crg_conclude(
    reference: Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)],
    criteria_met: Annotated[Optional[bool], typer.Option("--criteria-met/--criteria-not-met", help="Are the criteria met? wt2015: the SCR criteria of reg. 5(2); wt2023: a serious child safeguarding case under s16C(1). Checked against the facts recorded.")] = None,
    recommendation: Annotated[Optional[Recommendation], typer.Option(help="The recommendation to the decision maker (the Independent Chair, or the safeguarding partners).")] = None,
    rationale: Annotated[Optional[str], typer.Option(help="The CRG's rationale.")] = None,
    alternative_considered: Annotated[Optional[bool], typer.Option("--alternative-considered/--no-alternative-considered", help="Was an alternative review considered?")] = None,
    alternative_outcome: Annotated[Optional[str], typer.Option(help="The outcome of considering an alternative review.")] = None,
    abuse_or_neglect: Annotated[Optional[str], typer.Option(help="known, suspected or not_known.", metavar="WORD")] = None,
    outcome_for_child: Annotated[Optional[str], typer.Option(help="died, seriously_harmed or neither.", metavar="OUTCOME")] = None,
    working_together: Annotated[Optional[bool], typer.Option(
        "--concern-about-working-together/--no-concern-about-working-together",
        help="Is there cause for concern about how agencies worked together to safeguard the child?")] = None,
    sent_to_chair: Annotated[Optional[str], typer.Option(help="Date the recommendation went to the decision maker.")] = None,
    went_well: Annotated[Optional[str], typer.Option(help="wt2023 rapid review: what went well.")] = None,
    learning: Annotated[Optional[str], typer.Option(help="wt2023 rapid review: what the learning is.")] = None,
    in_hand: Annotated[Optional[str], typer.Option(help="wt2023 rapid review: the learning already being acted on.")] = None,
    national_review: Annotated[Optional[bool], typer.Option(
        "--national-review/--no-national-review",
        help="wt2023 rapid review: may the case be suitable for a national review by the Panel?")] = None,
    national_review_reason: Annotated[Optional[str], typer.Option(help="wt2023 rapid review: why (or why not) a national review.")] = None,
) -> None:
    """Record the criteria assessment, alternative review considered, and recommendation of the CRG (or
    of the rapid review).

    Example: wbcr crg conclude WBCR-2026-004 --criteria-not-met --alternative-considered \\
               --alternative-outcome "A SILP will bring out the learning" --recommendation silp \\
               --rationale "…" --sent-to-chair 2026-12-05
    """
    from wbcr.operations import decisions  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    _allowed(register, reference, "crg-conclude")
    if criteria_met is None:
        if not sys.stdin.isatty():
            raise UsageError("--criteria-met or --criteria-not-met is required")
        criteria_met = typer.confirm("Are the criteria met?")
    rec = _need(recommendation.value if recommendation else None, "--recommendation", "Recommendation")
    why = _need(rationale, "--rationale", "Rationale")
    sent = _date(sent_to_chair, "--sent-to-chair")
    with _edit(register, reference, "crg-conclude") as edit:
        decisions.record_crg_conclusion(edit, criteria_met=criteria_met, abuse_or_neglect=abuse_or_neglect,
                                        outcome_for_child=outcome_for_child, alternative_considered=alternative_considered,
                                        alternative_outcome=alternative_outcome, recommendation=rec,
                                        rationale=why, sent_to_chair=sent, working_together=working_together,
                                        analysis={"went_well": went_well, "learning": learning, "in_hand": in_hand,
                                                  "national_review": national_review,
                                                  "national_review_reason": national_review_reason})
        vocab = _words(edit, register)
        group = vocab.word("decision_group_short")
        written = edit.save(action="crg-conclude", summary=f"{group} recommends {vocab.label('review_kind', rec)}",
                            today=today(), actor=_actor(register), event_date=sent)
        _saved(edit, f"{group} recommendation recorded: {vocab.label('review_kind', rec)}", written)


@app.command()
def decide(
    reference: Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)],
    decision: Annotated[Optional[Kind], typer.Option(
        help="The decision: a kind of review the case's procedure offers (wt2015: the Independent Chair's, "
             "scr, silp…; wt2023: the safeguarding partners', lcspr, other learning such as single_agency_review, "
             "or no_review).")] = None,
    rationale: Annotated[Optional[str], typer.Option(help="The reasons for the decision.")] = None,
    on: Annotated[Optional[str], typer.Option(help="Date of the decision (default today).")] = None,
    by: Annotated[Optional[str], typer.Option(
        help="Who decided (default: the Independent Chair in wbcr.yaml under wt2015, the safeguarding partners "
             "under wt2023).")] = None,
    consideration: Annotated[Optional[list[str]], typer.Option(
        help="wt2023: a regulation 11 criterion the partners found met (improvements_needed, recurrent_themes, "
             "agencies_working_together, panel_advised_local_review); repeat for each.")] = None,
    peer_challenge_from: Annotated[Optional[str], typer.Option(help="wt2015: another LSCB chair who gave peer challenge.")] = None,
    peer_challenge_outcome: Annotated[Optional[str], typer.Option(help="wt2015: what the peer challenge concluded.")] = None,
    override_rationale: Annotated[Optional[str], typer.Option(help="wt2015: why no SCR although a mandatory criterion applies.")] = None,
) -> None:
    """Record the decision on a review (the Independent Chair's, or the safeguarding partners') and the
    case's review kind.

    Example: wbcr decide WBCR-2026-004 --decision silp --rationale "…" --on 2026-12-10
    """
    from wbcr.operations import decisions  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.workflow.deadlines import procedure_for  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    _allowed(register, reference, "decide")
    kind = _need(decision.value if decision else None, "--decision", "Decision")
    why = _need(rationale, "--rationale", "Rationale")
    when = _date(on, "--on") or today()
    with _edit(register, reference, "decide") as edit:
        procedure = procedure_for(dict(edit.load("case")), register)
        vocab = register.vocabulary(procedure)
        if kind not in procedure.decisions:
            edit.close()
            raise UsageError(f'"{kind}" is not a decision of {procedure.title}',
                             hint="one of: " + ", ".join(f"{k} ({vocab.label('review_kind', k)})" for k in procedure.decisions))
        considered = list(dict.fromkeys(consideration or []))
        unknown = [c for c in considered if c not in procedure.decision_considerations]
        if unknown:
            edit.close()
            offered = ", ".join(procedure.decision_considerations) or "none under this procedure"
            raise UsageError(f'--consideration "{unknown[0]}" is not one {procedure.title} records', hint=f"one of: {offered}")
        if procedure.framework == "wt2015":
            default_by = (register.config.get("independent_chair") or {}).get("name")
        else:
            default_by = vocab.word("decision_maker_title")
        differs = decisions.record_chair_decision(
            edit, on=when, by=by or default_by or _actor(register), decision=kind,
            rationale=why, peer_from=peer_challenge_from,
            peer_outcome=peer_challenge_outcome, override=override_rationale, considerations=considered)
        label = vocab.label("review_kind", kind)
        written = edit.save(action="decide", summary=f"{vocab.word('decision_maker_title')} decided: {label}",
                            today=today(), actor=_actor(register), event_date=when)
        _saved(edit, f"decision recorded: {label}", written)
        if differs and (procedure.command_rule("extraordinary") or {}).get("intakes"):  # the procedure has the meeting
            console.print_warning(f"the decision differs from the CRG's recommendation ({differs}): the CRG should "
                                  f"consider an extraordinary meeting; record it with `wbcr extraordinary {reference}`")
        elif differs:
            console.print_note(f"the decision differs from {vocab.word('decision_group')}'s recommendation "
                               f"({vocab.label('review_kind', differs)}): the rationale should say why")


@app.command()
def extraordinary(
    reference: Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)],
    outcome: Annotated[Optional[str], typer.Option(help="What the extraordinary CRG meeting concluded (with --declined: why none was held).")] = None,
    on: Annotated[Optional[str], typer.Option(help="Date of the meeting, or of the decision not to hold one (default today).")] = None,
    chair_attended: Annotated[bool, typer.Option("--chair-attended", help="The Independent Chair attended.")] = False,
    declined: Annotated[bool, typer.Option("--declined", help="The CRG considered a meeting and decided not to hold one.")] = False,
) -> None:
    """Record the extraordinary CRG meeting the CRG considers when the Chair's decision differs from its
    recommendation: held, or declined with the reason. It never delays the notifications."""
    from wbcr.operations import decisions  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    _allowed(register, reference, "extraordinary")
    what = _need(outcome, "--outcome", "Why no meeting is held" if declined else "Outcome")
    when = _date(on, "--on") or today()
    if declined and chair_attended:
        raise UsageError("--chair-attended and --declined contradict each other", hint="give one of them")
    with _edit(register, reference, "extraordinary") as edit:
        decisions.record_extraordinary_meeting(edit, on=when, outcome=what, chair_attended=chair_attended, held=not declined)
        summary = "extraordinary CRG meeting declined" if declined else "extraordinary CRG meeting recorded"
        written = edit.save(action="extraordinary", summary=summary, today=today(), actor=_actor(register), event_date=when)
        _saved(edit, "no extraordinary meeting: reason recorded" if declined else "extraordinary meeting recorded", written)


class PanelOutcome(str, Enum):
    agrees = "agrees"
    disagrees = "disagrees"
    national_review = "national_review"
    further_information = "further_information"


@app.command("panel-response")
def panel_response(
    reference: Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)],
    outcome: Annotated[Optional[PanelOutcome], typer.Option(
        help="What the Panel said: agrees with the partners' decision, disagrees, will carry out a national "
             "review, or asks for further information.")] = None,
    on: Annotated[Optional[str], typer.Option(help="Date the Panel's response was received (default today).")] = None,
    note: Annotated[Optional[str], typer.Option(help="What the Panel's letter said, in brief.")] = None,
) -> None:
    """Record the Child Safeguarding Practice Review Panel's response to the rapid review (Working
    Together 2023).

    Example: wbcr panel-response WBCR-2027-001 --outcome agrees --on 2027-02-25
    """
    from wbcr.operations import decisions  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    _allowed(register, reference, "panel-response")
    said = _need(outcome.value if outcome else None, "--outcome", "Outcome")
    if said not in {o.value for o in PanelOutcome}:
        raise UsageError(f'--outcome "{said}" is not one the Panel gives', hint="agrees, disagrees, national_review or further_information")
    when = _date(on, "--on") or today()
    with _edit(register, reference, "panel-response") as edit:
        decisions.record_panel_response(edit, on=when, outcome=said, note=note)
        written = edit.save(action="panel-response", summary=f"Panel's response to the rapid review: {said}", today=today(),
                            actor=_actor(register), event_date=when)
        _saved(edit, f"the Panel's response recorded: {said.replace('_', ' ')}", written)


@app.command()
def notify(
    reference: Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)],
    recipient: Annotated[Optional[str], typer.Option("--recipient", "--to", help="ofsted, dfe, national_panel, secretary_of_state, safeguarding_partners, notifier, family, requesting_board, agency:<id>, lscb:<id>, crg_chair, business_manager, head_of_safeguarding, or an external body of wbcr.yaml; a deadline is met only by a notice to the body it names.", metavar="RECIPIENT")] = None,
    purpose: Annotated[Optional[str], typer.Option(help="decision_notification, outcome_letter, initiation_letter, family_letter, extension_letter, pre_publication_copy, serious_incident_notification, looked_after_death, notifiable_incident, rapid_review_report, agency_reports, …", metavar="PURPOSE")] = None,
    method: Annotated[Method, typer.Option(help="How it was sent.")] = Method.secure_email,
    on: Annotated[Optional[str], typer.Option("--on", "--date", help="Date sent (default today); a letter re-rendered later carries this date.")] = None,
    name: Annotated[Optional[str], typer.Option(help="Recipient's name.")] = None,
    person: Annotated[Optional[str], typer.Option(help="For --recipient family: the family member it went to (their id in people.yaml); their name is recorded, so their letter re-rendered carries this date.", metavar="ID")] = None,
    document: Annotated[Optional[Path], typer.Option(help="The document as sent (its SHA-256 is recorded).")] = None,
    note: Annotated[Optional[str], typer.Option(help="A note.")] = None,
) -> None:
    """Record a notice or letter sent (the decision to Ofsted, DfE, the National Panel, the notifier, agencies).

    With --document, the SHA-256 of the file as sent is recorded, and the purpose is taken from the name
    of a document wbcr rendered.

    Example: wbcr notify WBCR-2026-004 --recipient ofsted --purpose decision_notification --on 2026-12-11
             wbcr notify WBCR-2026-004 --recipient ofsted --document output/WBCR-2026-004/WBCR-2026-004-decision-notification-ofsted.docx
    """
    from wbcr.operations import decisions  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    who = _need(recipient, "--recipient", "Recipient")
    if purpose is None and document is not None:
        purpose = _purpose_from_document(document.name)
    why = _need(purpose, "--purpose", "Purpose")
    when = _date(on, "--on") or today()
    decisions.check_recipient(register.config, who, why)
    decisions.check_attachment(who, why, document, register=register, reference=reference)
    if person is not None and who != "family":
        raise UsageError("--person names the family member a letter to the family went to: give --recipient family")
    with _edit(register, reference, f"notify:{why}") as edit:
        if person is not None:
            people = {p.get("id"): p for p in (edit.load("people") or {}).get("people") or [] if isinstance(p, dict)}
            if person not in people:
                edit.close()
                raise UsageError(f'no person "{person}" in people.yaml',
                                 hint="people: " + ", ".join(str(k) for k in people if k))
            name = name or people[person].get("name")
        digest = decisions.record_notification(edit, recipient=who, purpose=why, method=method.value,
                                               on=when, name=name, document=document, note=note)
        written = edit.save(action="notify", summary=f"{why} sent to {who}", today=today(), actor=_actor(register),
                            event_date=when)
        _saved(edit, f"{why} to {who} recorded" + (f" (sha256 {digest[:12]}…)" if digest else ""), written)


def _purpose_from_document(filename: str) -> str | None:
    """The purpose of a document wbcr rendered, from its file name (REF-<document>[-…].docx): the one
    `wbcr render` looks for when it dates a re-rendered letter (render.DOCUMENT_PURPOSES)."""
    from wbcr.documents.render import catalogue, document_purpose  # noqa: PLC0415 - lazy: keeps --help fast

    names = sorted(catalogue(), key=len, reverse=True)
    for name in names:
        if f"-{name}" in filename or filename.startswith(name):
            # the notifier notice answers the referrer at whatever point the case ends or is decided
            # (screened out, good practice shared, the Chair's decision): its own purpose
            return document_purpose(name)
    return None


@app.command()
def advance(
    reference: Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)],
    stage: Annotated[Optional[str], typer.Option("--stage", help="The stage to move to (default: the next on the path).", metavar="STAGE")] = None,
    on: Annotated[Optional[str], typer.Option(help="Date the stage was reached (default today).")] = None,
    note: Annotated[Optional[str], typer.Option(help="A note for the stage history.")] = None,
    late_reason: Annotated[Optional[str], typer.Option(help="Why the stage is reached after its deadline.")] = None,
    old_to: Annotated[Optional[str], typer.Option("--to", hidden=True)] = None,
) -> None:
    """Move a case to its next stage, only when the procedure's guard holds.

    Otherwise exits 1 listing every missing item by file and field.

    Example: wbcr advance WBCR-2026-004 --on 2026-12-10
    """
    from wbcr.operations.advance import advance as _advance  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    _renamed(old_to, "--to", "--stage", "in wbcr, --to names a recipient (render, notify) or a period's last day")
    moved = _advance(register, reference, to=stage, on=_date(on, "--on"), note=note, late_reason=late_reason,
                     actor=_actor(register), today=today())
    console.print_line(f"{reference}: {moved.from_stage} -> {moved.to_stage} on {moved.on}")
    for warning in moved.warnings:
        console.print_warning(warning)


@app.command("next")
def next_(
    reference: Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)],
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json.")] = ReportFormat.text,
) -> None:
    """What must happen next, by whom and by when: a checklist to work down.

    Example: wbcr next WBCR-2026-004
    """
    from wbcr.reports.next_steps import case_next  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    data = case_next(register, reference, today())
    if fmt is ReportFormat.json:
        console.print_json(data)
        return
    from wbcr.cli.workflow_view import print_next  # noqa: PLC0415 - lazy: keeps --help fast

    print_next(data)


@app.command()
def deadlines(
    within: Annotated[Optional[int], typer.Option(help="Only deadlines due within N days (overdue ones included).")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue deadlines.")] = False,
    fmt: Annotated[Optional[TableFormat], typer.Option("--format", help=FORMAT_HELP, show_default="text")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help=OUT_HELP, metavar="FILE")] = None,
    ics: Annotated[Optional[Path], typer.Option(help="Also write an iCalendar file (Outlook, Google) of these deadlines; "
                                                     "write it to the same file each time, so a re-import updates "
                                                     "changed events and cancels met or removed ones.",
                                                metavar="FILE")] = None,
) -> None:
    """Open deadlines across the register, soonest first; overdue in red.

    Example: wbcr deadlines --within 14 --ics deadlines.ics
             wbcr deadlines --format xlsx   (an Excel workbook in output/)
    """
    import datetime as dt

    from wbcr.reports.next_steps import format_ics, load_previous_ics, register_deadlines  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.core.exports import write_export  # noqa: PLC0415 - lazy: keeps --help fast

    from wbcr.cli.left_out import refuse_left_out  # noqa: PLC0415 - lazy: keeps --help fast

    fmt = table_format(fmt, out)
    register = open_register()
    now = today()
    left_out: dict[str, list[str]] = {}
    rows = register_deadlines(register, now, left_out)
    every = rows
    if overdue:
        rows = [r for r in rows if r["state"] == "overdue"]
    if within is not None:
        rows = [r for r in rows if r["days_left"] is not None and r["days_left"] <= within]
    if ics is not None:
        board = (register.config.get("board") or {}).get("short_name") or "wbcr"
        # the calendar this one replaces: its events give each deadline's SEQUENCE and the ones to cancel
        text = format_ics(rows, board, dt.datetime.combine(now, dt.time(0, 0)), previous=load_previous_ics(ics),
                          still_open=[r for r in every if r not in rows], unread=left_out)
        write_export(ics, text)
        cancelled = text.count("STATUS:CANCELLED")
        console.print_note(f"wrote {len(rows)} deadline(s) to {ics}"
                           + (f" ({cancelled} no longer open, marked cancelled)" if cancelled else ""))
    if fmt is TableFormat.json:
        console.print_json({"today": now.isoformat(), "deadlines": rows, "left_out": sorted(left_out)})
    elif fmt is TableFormat.xlsx:
        from wbcr.documents.register_tables import deadline_sheets  # noqa: PLC0415 - lazy: keeps --help fast

        write_workbook(register, deadline_sheets(rows, left_out), out, f"deadlines-{now.isoformat()}.xlsx",
                       "Open deadlines")
    elif not rows:
        console.print_note("no open deadlines match")
    else:
        from wbcr.cli.workflow_view import _due, _left  # noqa: PLC0415 - lazy: keeps --help fast

        console.print_table(["Reference", "Due", "Days left", "Deadline", "Owner"],
                            [[r["reference"], _due(r), _left(r), r["title"], r["owner"]] for r in rows],
                            styles=["bold red" if r["state"] == "overdue" else ("yellow" if r["days_left"] <= 7 else None)
                                    for r in rows])
    refuse_left_out(register, left_out, "not counted in the deadlines")


@app.command()
def history(
    reference: Annotated[str, typer.Argument(help="The case reference.", metavar="REF", **REF_ARGUMENT)],
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json.")] = ReportFormat.text,
) -> None:
    """The case's audit trail from git: who did what, when it happened (the date recorded) and when it
    was recorded (the commit).

    Example: wbcr history WBCR-2026-004
    """
    from wbcr.reports.audit import case_history  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register(validated=False)
    data = case_history(register, reference)
    if data["shallow"]:
        console.print_warning("this is a shallow clone: older history is missing (git fetch --unshallow)")
    if fmt is ReportFormat.json:
        console.print_json(data)
        return
    console.print_table(["Happened", "Recorded", "Action", "Stage", "Actor", "Summary", "Commit"],
                        [[c["event_date"] or "", c["date"][:16].replace("T", " "), c["action"] or "edit",
                          c["stage"] or "", c["actor"], c["subject"], c["commit"][:10]]
                         for c in reversed(data["commits"])])


@report_app.command("decisions")
def report_decisions(
    start: Annotated[Optional[str], typer.Option("--from", help="Referrals received on or after this date.")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Referrals received on or before this date.")] = None,
    fmt: Annotated[Optional[TableFormat], typer.Option("--format", help=FORMAT_HELP, show_default="text")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help=OUT_HELP, metavar="FILE")] = None,
) -> None:
    """The audit of review decisions for the Board and the National Panel.

    Example: wbcr report decisions --from 2026-04-01 --to 2027-03-31 --format json
             wbcr report decisions --format xlsx --out decisions.xlsx
    """
    from wbcr.reports.audit import decisions_report  # noqa: PLC0415 - lazy: keeps --help fast

    from wbcr.cli.left_out import refuse_left_out  # noqa: PLC0415 - lazy: keeps --help fast

    fmt = table_format(fmt, out)
    register = open_register()
    left_out: dict[str, list[str]] = {}
    data = decisions_report(register, today(), _date(start, "--from"), _date(end, "--to"), left_out)
    data["left_out"] = sorted(left_out)
    if fmt is TableFormat.json:
        console.print_json(data)
    elif fmt is TableFormat.xlsx:
        from wbcr.documents.register_tables import decisions_sheets  # noqa: PLC0415 - lazy: keeps --help fast

        period = "-".join(p for p in (data.get("from"), data.get("to")) if p) or today().isoformat()
        write_workbook(register, decisions_sheets(data, left_out), out, f"decisions-{period}.xlsx",
                       "Audit of review decisions")
    else:
        from wbcr.cli.workflow_view import print_decisions  # noqa: PLC0415 - lazy: keeps --help fast

        print_decisions(data)
    refuse_left_out(register, left_out, "not counted in the decisions report")
