"""Commands on agency chronologies: `wbcr chronology template | import | merge | reviewed`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from wbcr.cli import console
from wbcr.cli.app import app, open_register, today
from wbcr.cli.refs import REF_ARGUMENT
from wbcr.cli.register_commands import ReportFormat
from wbcr.core.errors import UsageError
from wbcr.core import gitrepo

chronology_app = typer.Typer(
    help="Agency chronologies: the template an agency fills in, importing what it returns, the merged "
         "chronology.", no_args_is_help=True)
app.add_typer(chronology_app, name="chronology")

REF = Annotated[str, typer.Argument(help="The case reference, e.g. WBCR-2025-004.", metavar="REF", **REF_ARGUMENT)]
AGENCY = Annotated[str, typer.Option("--agency", help="The agency's id in wbcr.yaml, e.g. tvp.", metavar="ID")]
NO_PROTECT = Annotated[bool, typer.Option("--no-protect", help="Do NOT password-protect (an internal draft only).")]
PASSWORD = Annotated[Optional[str], typer.Option(
    help="Protect with this case password instead of the board key's; `-` reads it from standard input "
         "(keeps it out of the process list).")]


def _password(given: Optional[str]) -> Optional[str]:
    """--password as every command takes it: `-` reads it from standard input (asked for on a terminal)."""
    from wbcr.cli.security_commands import _given_password  # noqa: PLC0415 - lazy: keeps --help fast

    return _given_password(given)


def _warn_unprotected() -> None:
    console.print_warning("--no-protect: this document is NOT password-protected. Keep it as an internal draft; "
                          "never send it outside the LSCB office.")


@chronology_app.command("template")
def template(
    reference: REF,
    agency: AGENCY,
    out: Annotated[Optional[Path], typer.Option(help="Where to write it (default: output/<REF>/).")] = None,
    no_protect: NO_PROTECT = False,
    password: PASSWORD = None,
) -> None:
    """The agency's chronology template (Appendix 4) in Word, pre-filled with the reference, the scope period
    and the pseudonyms to use, protected with the case password.

    Example: wbcr chronology template WBCR-2025-004 --agency tvp
    """
    from wbcr.documents.render import render_document  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    password = _password(password)
    if no_protect:
        _warn_unprotected()
    result = render_document(register, "chronology-template", reference, today(), agency=agency, out=out,
                             protect=not no_protect, password=password)
    console.print_line(str(result.path))
    note = "protected with the case password" if result.protected else "not protected"
    console.print_note(f"chronology template for {agency}: {note}; sha256 {result.sha256}")


@chronology_app.command("import")
def import_(
    reference: REF,
    file: Annotated[Path, typer.Argument(help="The agency's chronology: .docx, .xlsx or .csv.", metavar="FILE")],
    agency: AGENCY,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the agency's chronology already imported.")] = False,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json.")] = ReportFormat.text,
) -> None:
    """Read an agency's returned chronology into cases/REF/chronology/<agency>.yaml and commit it. Every bad
    row is reported by its row number, and nothing is written unless the whole file is good.

    Example: wbcr chronology import WBCR-2025-004 --agency tvp tvp-chronology.xlsx
    """
    from wbcr.operations.chronology_import import import_chronology  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.store.lock import register_lock  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    # the lock from the first read (is there a chronology to replace?) to the commit, so two imports
    # never interleave and a commit's Wbcr-Source-Sha256 is always its own file's
    with register_lock(register.root):
        result = import_chronology(register, reference, agency, file, today=today(),
                                   actor=gitrepo.actor(register.root), replace=replace, display=str(file))
    if fmt is ReportFormat.json:
        console.print_json(result.as_dict())
        return
    for warning in result.warnings:
        console.print_warning(warning)
    if not result.changed:
        console.print_line(f"{result.path}: unchanged ({result.entries} entries, the same as the file)")
        return
    verb = "replaced with" if result.replaced else "written:"
    committed = f" (commit {result.commit[:10]})" if result.commit else ""
    console.print_line(f"{result.path} {verb} {result.entries} entries from {file}{committed}")


class MergeFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"
    docx = "docx"


_SUFFIXES = {".docx": MergeFormat.docx, ".csv": MergeFormat.csv, ".json": MergeFormat.json, ".txt": MergeFormat.text}


@chronology_app.command("merge")
def merge(
    reference: REF,
    out: Annotated[Optional[Path], typer.Option(
        help="Write to this file; its suffix picks the format (.docx, .csv, .json). A folder: the Word "
             "document in it.")] = None,
    pseudonymised: Annotated[bool, typer.Option(
        "--pseudonymised", help="Replace every name in people.yaml with the person's pseudonym.")] = False,
    gap_days: Annotated[Optional[int], typer.Option(
        "--gap-days", help="Flag gaps longer than N days (default: chronology.gap_days in wbcr.yaml, else 90).",
        metavar="N", min=1)] = None,
    fmt: Annotated[Optional[MergeFormat], typer.Option(
        "--format", help="text (the terminal view, default), json, csv or docx (Word; to output/<REF>/ "
                         "unless --out).")] = None,
    no_protect: NO_PROTECT = False,
    password: PASSWORD = None,
) -> None:
    """The integrated chronology: every agency's entries in date order, with the child's age, the interval
    since the previous entry, and flags (outside the scope period, gaps, the same day recorded by several
    agencies, chronologies not supplied). Word documents are protected with the case password.

    Example: wbcr chronology merge WBCR-2025-004 --pseudonymised --out merged.docx
    """
    from wbcr.chronology.merge import merge_case  # noqa: PLC0415 - lazy: keeps --help fast

    if out is not None and out.is_dir():
        out = out / f"{reference}-merged-chronology{'-pseudonymised' if pseudonymised else ''}.docx"
    if fmt is None:
        fmt = MergeFormat.text
        if out is not None:
            fmt = _SUFFIXES.get(out.suffix.lower())
            if fmt is None:
                raise UsageError(f"--out {out}: say which format with --format (or name a .docx, .csv or .json file)")
    elif out is not None and _SUFFIXES.get(out.suffix.lower(), fmt) is not fmt:
        raise UsageError(f"--out {out} does not look like {fmt.value} output",
                         hint=f"name the file .{fmt.value}, or leave out --format")
    register = open_register()
    if fmt is MergeFormat.docx:
        password = _password(password)
    from wbcr.cli.progress import ProgressDisplay  # noqa: PLC0415 - lazy: keeps --help fast

    with ProgressDisplay() as progress:  # on a terminal, after a second; never on stdout
        merged = merge_case(register, reference, today=today(), gap_days=gap_days, pseudonymised=pseudonymised,
                            progress=progress)
        if fmt is MergeFormat.docx:
            _write_docx(register, merged, out, protect=not no_protect, password=password, progress=progress)
            return
    if fmt is MergeFormat.csv:
        from wbcr.documents.chronology_docx import format_csv  # noqa: PLC0415 - lazy: keeps --help fast

        text = format_csv(merged)
        if out is None:
            # escaped like every line printed (an agency's text may hold terminal escapes); --out writes it exact
            console.print_line(text.rstrip("\r\n"))
        else:
            from wbcr.core.exports import write_export  # noqa: PLC0415 - lazy: keeps --help fast

            write_export(out, "\ufeff" + text)
            console.print_line(str(out))
            console.print_note(f"{len(merged.rows)} entries; a CSV file cannot be password-protected: keep it in "
                               "the LSCB office")
        return
    if fmt is MergeFormat.json:
        if out is None:
            console.print_json(merged.as_dict())
        else:
            import json

            from wbcr.core.exports import write_export  # noqa: PLC0415 - lazy: keeps --help fast

            write_export(out, json.dumps(merged.as_dict(), indent=2, ensure_ascii=False) + "\n")
            console.print_line(str(out))
        return
    if out is not None:
        raise UsageError("the terminal view is not written to a file", hint="use --out FILE.docx, .csv or .json")
    _print_view(merged)


def _write_docx(register, merged, out: Optional[Path], *, protect: bool, password: Optional[str],
                progress=None) -> None:
    import hashlib

    from wbcr.documents.chronology_docx import build_docx  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.core.exports import check_export_target, write_export  # noqa: PLC0415 - lazy: keeps --help fast

    suffix = "-pseudonymised" if merged.pseudonymised else ""
    path = out or register.root / "output" / merged.reference / f"{merged.reference}-merged-chronology{suffix}.docx"
    check_export_target(path)  # before the work of building and protecting it
    data = build_docx(register, merged, today(), progress)
    if progress is not None:
        progress.close()  # the bar gone before the lines below
    if protect:
        from wbcr.security.passwords import case_password  # noqa: PLC0415 - lazy: keeps --help fast
        from wbcr.security.protection import protect_bytes  # noqa: PLC0415 - lazy: keeps --help fast

        data = protect_bytes(data, password or case_password(register, merged.reference))
    else:
        _warn_unprotected()
    write_export(path, data)
    console.print_line(str(path))
    note = "protected with the case password" if protect else "not protected"
    console.print_note(f"integrated chronology, {len(merged.rows)} entries, {len(merged.flags)} flag(s): {note}; "
                       f"sha256 {hashlib.sha256(data).hexdigest()}")


def _print_view(merged) -> None:
    from wbcr.chronology.merge import format_interval, format_uk_date  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.documents.chronology_docx import flag_lines  # noqa: PLC0415 - lazy: keeps --help fast

    scope = (f"{format_uk_date(merged.scope[0])} to {format_uk_date(merged.scope[1])}" if merged.scope
             else "no scope period recorded")
    view = "pseudonymised" if merged.pseudonymised else "named"
    console.print_line(f"{merged.reference} integrated chronology — {merged.pseudonym or 'the child'} — scope {scope} — "
                       f"{len(merged.rows)} entries from {', '.join(merged.agencies) or 'no agency'} ({view} view)")
    for r in merged.rows:
        e = r.entry
        head = [format_uk_date(r.day, r.uncertain) + (f" {r.time}" if r.time else ""), r.agency]
        since = {None: "", 0: "same day as the last"}.get(r.interval, f"{format_interval(r.interval)} since the last")
        head += [x for x in (r.age, since) if x]
        flags = f"  [{'; '.join(r.flags)}]" if r.flags else ""
        console.print_line("")
        console.print_line(" · ".join(head) + flags)
        people = r.people()
        if people:
            console.print_line(f"    People: {people}")
        for label, key in (("", "event"), ("→ ", "action"), ("Significance: ", "significance")):
            if e.get(key):
                console.print_line("    " + label + e[key].replace("\n", "\n    "))
    console.print_line("")
    for title, lines in flag_lines(merged, names=False):
        console.print_line(f"{title}:")
        for line in lines:
            console.print_line(f"  - {line}")


@chronology_app.command("reviewed")
def reviewed(
    reference: REF,
    on: Annotated[Optional[str], typer.Option("--on", help="Date the entries were compared (default today).",
                                              metavar="DATE")] = None,
) -> None:
    """Record that the days two or more agencies recorded have been compared (in the merged chronology):
    validate stops flagging those days, and flags any a later chronology adds.

    Example: wbcr chronology reviewed WBCR-2025-004 --on 2025-11-27
    """
    from wbcr.chronology.merge import days_recorded_by_several  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.cli.workflow_commands import _date  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.operations.review import record_chronology_review  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.store.case import CaseEdit  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    when = _date(on, "--on") or today()
    with CaseEdit(register, reference) as edit:
        days = days_recorded_by_several(edit.plain()["chronology"])
        added = record_chronology_review(edit, on=when, days=days)
        what = f"{len(days)} day(s) recorded by several agencies reviewed ({added} new)"
        written = edit.save(action="chronology-reviewed", summary=what, today=today(),
                            actor=gitrepo.actor(register.root), event_date=when)
    if written:
        console.print_line(f"{edit.reference}: {what}")
    else:
        console.print_note(f"{edit.reference}: {what} (already recorded; nothing changed)")
