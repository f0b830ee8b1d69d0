"""Commands for the tool kit's documents: documents, labels, render, check-publication, flowchart."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from wbcr.cli import console
from wbcr.cli.app import app, open_register, today
from wbcr.cli.refs import (case_reference, complete_agency, complete_document, complete_reference,
                            complete_reference_or_document)
from wbcr.cli.register_commands import ReportFormat
from wbcr.core.errors import EXIT_FINDINGS, UsageError, WbcrError


@app.command()
def documents(
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json.")] = ReportFormat.text,
) -> None:
    """The documents wbcr can render: what each is for and at which stage it is used.

    Example: wbcr documents --format json
    """
    from wbcr.documents.render import catalogue  # noqa: PLC0415 - lazy: keeps --help fast

    specs = list(catalogue().values())
    if fmt is ReportFormat.json:
        console.print_json({"documents": [s.as_dict() for s in specs]})
        return
    for s in specs:
        title = (f"Appendix {s.appendix}: " if s.appendix else "") + s.title
        to = "each agency (--agency)" if s.per_agency else (", ".join(s.recipients) or "—")
        if s.blank_form and s.case == "optional":
            to += "   blank without a case" + (" (the agency chosen on the form)" if s.per_agency else "")
        console.print_line(f"{s.name} — {title}")
        only = f"   {' and '.join(s.frameworks)} only" if s.frameworks else ""
        console.print_line(f"    stages: {', '.join(s.stages) or 'any'}   addressed to: {to}{only}")
        console.print_line(f"    {s.purpose}")


@app.command()
def labels(
    procedure: Annotated[Optional[str], typer.Option(help="The procedure (default: the register's), e.g. wt2023.")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json.")] = ReportFormat.text,
) -> None:
    """The words documents, `show`, `next` and the reports use: the procedure's vocabulary and labels,
    with the register's own overrides (wbcr.yaml `labels:`), marked "(register)".

    Example: wbcr labels --procedure wt2023
    """
    register = open_register()
    chosen = register.procedure(procedure)
    vocab = register.vocabulary(chosen)
    own = register.config.get("labels") if isinstance(register.config.get("labels"), dict) else {}
    if fmt is ReportFormat.json:
        console.print_json({"procedure": chosen.id, "framework": chosen.framework, "words": vocab.words,
                            "labels": vocab.labels, "register_overrides": own})
        return
    console.print_line(f"{chosen.id}: {chosen.title}")
    console.print_line("words (wbcr.yaml labels: {words: {KEY: TEXT}}):")
    for key, text in vocab.words.items():
        mark = " (register)" if key in (own.get("words") or {}) else ""
        console.print_line(f"  {key}: {text}{mark}")
    for group, items in vocab.labels.items():
        console.print_line(f"{group} (wbcr.yaml labels: {{{group}: {{ID: TEXT}}}}):")
        for key, text in items.items():
            mark = " (register)" if key in (own.get(group) or {}) else ""
            console.print_line(f"  {key}: {text}{mark}")


@app.command()
def render(
    first: Annotated[str, typer.Argument(help="The case reference (or the document name, for a blank form).", metavar="REF",
                                      parser=case_reference, autocompletion=complete_reference_or_document)],
    name: Annotated[Optional[str], typer.Argument(help="The document (see `wbcr documents`).", metavar="NAME",
                                                   autocompletion=complete_document)] = None,
    agency: Annotated[Optional[str], typer.Option(autocompletion=complete_agency, help="The agency a per-agency document is for (a blank form may leave it to be chosen on the form).")] = None,
    to: Annotated[Optional[str], typer.Option("--to", "--recipient", help="The recipient (e.g. ofsted, dfe, national_panel, notifier, family).", metavar="RECIPIENT")] = None,
    person: Annotated[Optional[str], typer.Option(help="For --to family: the family member it goes to (their id in people.yaml).", metavar="ID")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="The letter's date (2027-01-10 or 10/01/2027; default: the date `notify` recorded it was sent, or today).", metavar="DATE")] = None,
    out: Annotated[Optional[Path], typer.Option(help="Where to write it (default: output/<REF>/).")] = None,
    no_protect: Annotated[bool, typer.Option("--no-protect", help="Do NOT password-protect (an internal draft only).")] = False,
    password: Annotated[Optional[str], typer.Option(help="Protect with this case password instead of the board key's.")] = None,
    draft: Annotated[bool, typer.Option("--draft", help="A draft of a document not ready to send: every page "
                                                        "watermarked DRAFT, the file named …-DRAFT.docx; "
                                                        "`wbcr notify` refuses it.")] = False,
    email: Annotated[bool, typer.Option("--email", help="Also write an e-mail draft (.eml) beside the document, for "
                                                        "Outlook to open and send: To the recipient when wbcr.yaml "
                                                        "has their address, the reference and title as subject, "
                                                        "the protected document attached. Never the password.")] = False,
) -> None:
    """Render a tool-kit document to Word, protected with the case password.

    A letter or notice the records do not yet support (a decision notification before the decision) is
    refused, saying what it needs; --draft renders it watermarked DRAFT for internal review.

    A letter is dated with --date; without it, a letter already sent (a notice `wbcr notify` recorded for
    that recipient and purpose) carries the date it went, and any other is dated today, the day it goes.

    Example: wbcr render WBCR-2026-004 outcome-letter --agency tvp
             wbcr render WBCR-2026-004 decision-notification --to ofsted --draft
             wbcr render WBCR-2026-004 family-letter --to family --person mother --date 2027-01-10
             wbcr render referral-form          (a blank referral form)
             wbcr render information-request    (a blank form: the agency is chosen on it)
             wbcr render WBCR-2026-004 outcome-letter --agency tvp --email   (and an Outlook draft)
    """
    from wbcr.documents.render import catalogue, render_document  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    reference: Optional[str] = first
    if name is None:
        if first not in catalogue():
            raise UsageError(f'"{first}" is not a document', hint="give REF NAME, or a document name for a blank form")
        reference, name = None, first
    if email and no_protect and reference is not None:
        raise UsageError("--email with --no-protect: a document that goes out by e-mail is password-protected",
                         hint="leave out --no-protect (the password is phoned through, never e-mailed)")
    if no_protect:
        console.print_warning("--no-protect: this document is NOT password-protected. Keep it as an internal "
                              "draft; never send it outside the business office.")
    if password is not None:
        from wbcr.cli.security_commands import _given_password  # noqa: PLC0415 - lazy: keeps --help fast

        password = _given_password(password)
    if reference is not None:
        _warn_if_early(register, reference, name)
    from wbcr.core.dates import parse_uk_date  # noqa: PLC0415 - lazy: keeps --help fast

    dated = None
    if date is not None:
        try:
            dated = parse_uk_date(date)
        except ValueError as exc:
            raise UsageError(f"--date: {exc}", hint="write a date as 2026-02-03, 03/02/2026 or 3 Feb 2026") from None
    result = render_document(register, name, reference, today(), agency=agency, to=to, out=out,
                             protect=not no_protect, password=password, draft=draft, date=dated, person=person)
    console.print_line(str(result.path))
    note = "protected with the case password" if result.protected else "not protected"
    console.print_note(f"{name}: {note}; sha256 {result.sha256}")
    if email:
        from wbcr.documents.email_draft import write_email_draft  # noqa: PLC0415 - lazy: keeps --help fast
        from wbcr.documents.render import get_spec  # noqa: PLC0415 - lazy: keeps --help fast

        draft_mail = write_email_draft(register, result, get_spec(name), reference, today(), agency=agency, to=to,
                                       person=person, password=password)
        console.print_line(str(draft_mail.path))
        if draft_mail.to_address:
            console.print_note(f"e-mail draft to {draft_mail.to_address}: open it in Outlook, check it and send it"
                               + (f"; give the password separately (wbcr password {reference})" if result.protected else ""))
        else:
            console.print_warning(f"e-mail draft without a recipient: {draft_mail.missing}; fill in To in Outlook "
                                  "before sending")


def _warn_if_early(register, reference: str, name: str) -> None:
    """Say so when a document is rendered before the stage at which the guidance uses it."""
    from wbcr.store.case import load_case  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.documents.render import get_spec  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.workflow.deadlines import procedure_for  # noqa: PLC0415 - lazy: keeps --help fast

    spec = get_spec(name)
    try:
        case = load_case(register, reference)["case"]
        path = procedure_for(case, register).allowed_stages(case.get("intake"),
                                                                               case.get("review_kind"))
    except WbcrError:
        return
    stage = case.get("stage")
    used = [s for s in spec.stages if s in path]
    if stage in path and used and path.index(stage) < min(path.index(s) for s in used):
        console.print_warning(f'{reference} is at "{stage}"; {name} is used from "{used[0]}". Check before sending it.')


@app.command("check-publication")
def check_publication(
    file: Annotated[Path, typer.Argument(help="The Word document (.docx) meant for publication.", metavar="FILE")],
    case: Annotated[str, typer.Option("--case", parser=case_reference, autocompletion=complete_reference, help="The case reference whose people must not be identifiable.")],
) -> None:
    """Refuse a document for publication that names the family or carries hidden metadata.

    Example: wbcr check-publication executive-summary.docx --case WBCR-2025-004
    """
    from wbcr.documents.publication import check_publication_file  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    findings = check_publication_file(register, case, file, str(file))
    if findings:
        console.print_findings(findings)
        console.print_error(f"{file}: not fit for publication ({len(findings)} problem(s))",
                            "use pseudonyms and roles only; remove comments, tracked changes and author details")
        raise typer.Exit(EXIT_FINDINGS)
    console.print_line(f"{file}: no identifying details or hidden metadata found")


class ChartFormat(str, Enum):
    mermaid = "mermaid"
    dot = "dot"
    svg = "svg"
    png = "png"


@app.command()
def flowchart(
    procedure: Annotated[Optional[str], typer.Option(help="wt2015 or wt2023 (default: the register's).")] = None,
    fmt: Annotated[ChartFormat, typer.Option("--format", help="mermaid, dot, svg or png.")] = ChartFormat.mermaid,
    out: Annotated[Optional[Path], typer.Option(help="Write to this file (needed for png).")] = None,
) -> None:
    """The process flow chart (Appendix 7), drawn from the procedure's data.

    Example: wbcr flowchart --format png --out flowchart.png
    """
    from wbcr.documents.flowchart import format_dot, format_mermaid, render_image  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.model.procedure import load_procedure  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.core.yamlio import atomic_write  # noqa: PLC0415 - lazy: keeps --help fast

    try:
        register = open_register(validated=False)
    except UsageError:
        register = None
    if register is not None:
        proc = register.procedure(procedure)
    else:
        proc = load_procedure(procedure or "wt2015")
    if fmt in (ChartFormat.mermaid, ChartFormat.dot):
        text = format_mermaid(proc) if fmt is ChartFormat.mermaid else format_dot(proc)
        if out:
            atomic_write(out, text)
            console.print_note(f"wrote {out}")
        else:
            console.print_line(text.rstrip("\n"))
        return
    if out is None and fmt is ChartFormat.png:
        raise UsageError("--format png needs --out FILE", hint="wbcr flowchart --format png --out flowchart.png")
    data = render_image(proc, fmt.value)
    if out:
        atomic_write(out, data)
        console.print_note(f"wrote {out}")
    else:
        console.print_line(data.decode("utf-8"))
