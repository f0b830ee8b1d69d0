"""Commands on the register as a whole: init, refer, validate, status, show."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from wbcr.cli import console
from wbcr.cli.app import app, open_register, options, today
from wbcr.cli.refs import REF_ARGUMENT, complete_lscb
from wbcr.cli.office import FORMAT_HELP, OUT_HELP, TableFormat, table_format, write_workbook
from wbcr.core.errors import EXIT_FINDINGS, UsageError, WbcrError
from wbcr.core import gitrepo
from wbcr.core.findings import Finding
from wbcr.model.register import find_root


class ReportFormat(str, Enum):
    text = "text"
    json = "json"


class FindingsFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


def _ask_framework(choices: list[str], default: str) -> str:
    """On a terminal: which framework the new register follows, each described, `default` on Enter; a
    wrong answer is asked again. The questions go to stderr, as every diagnostic does."""
    from wbcr.operations.setup import FRAMEWORKS  # noqa: PLC0415 - lazy: keeps --help fast

    typer.echo("Which framework does the register follow?", err=True)
    for name in choices:
        typer.echo(f"  {name}: {FRAMEWORKS.get(name, name)}", err=True)
    while True:
        value = typer.prompt(f"Framework ({', '.join(choices)})", default=default, err=True).strip()
        if value in choices:
            return value
        typer.echo(f"  please type one of: {', '.join(choices)}", err=True)


#: what to edit first in a new register, by its framework (a framework not named here: the 2015 words)
_NEXT_EDIT = {
    "wt2023": "your partnership, its safeguarding partners, local authority areas, rapid review group and agencies",
    "wt2015": "your board, LSCBs, CRG members and agencies",
}


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new register (created if absent).")] = Path("."),
    no_git: Annotated[bool, typer.Option("--no-git", help="Do not make the register a git repository.")] = False,
    procedure: Annotated[Optional[str], typer.Option(
        help="The framework new cases follow, and the starting wbcr.yaml written for it: wt2023 (Working "
             "Together 2023: safeguarding partners, serious incident notifications, rapid reviews, LCSPRs) or "
             "wt2015 (the 2015 tool kit: LSCBs, Case Review Group, Independent Chair, Serious Case Reviews). "
             "Default wt2023; on a terminal, wbcr asks.")] = None,
) -> None:
    """Create a register: wbcr.yaml for its framework, cases/, .gitignore, and a git repository with a
    first commit.

    Without --procedure, wbcr asks which framework on a terminal; off a terminal (a script, CI) it takes
    wt2023, Working Together 2023.

    Example: wbcr init ~/registers/berkshire-west --procedure wt2023
    """
    from wbcr.model.procedure import available  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.operations import setup  # noqa: PLC0415 - lazy: keeps --help fast

    choices = available()
    if procedure is None:
        default = setup.DEFAULT_PROCEDURE
        offered = [default, *(name for name in choices if name != default)]
        procedure = _ask_framework(offered, default) if sys.stdin.isatty() else default
    elif procedure not in choices:
        raise UsageError(f'--procedure: unknown procedure "{procedure}"', hint=f"one of: {', '.join(choices)}")
    result = setup.create_register(directory, use_git=not no_git, procedure=procedure)
    console.print_line(f"Created register in {result.root}")
    console.print_note(f"procedure {result.procedure}: {setup.FRAMEWORKS.get(result.procedure, result.procedure)}")
    for note in result.notes:
        console.print_note(note)
    for warning in result.warnings:
        console.print_warning(warning)
    what = _NEXT_EDIT.get(result.procedure, _NEXT_EDIT["wt2015"])
    console.print_note(f"Next: edit wbcr.yaml ({what}), then `wbcr validate`.")


@app.command()
def refer(
    from_file: Annotated[Optional[Path], typer.Option(
        "--from", help="A referral record (YAML, as case_templates/case/referral.yaml) or a completed referral form (.docx).",
        metavar="FILE")] = None,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="Write the case but do not commit it.")] = False,
) -> None:
    """Register a referral: allocate the next reference, create cases/<REF>/, commit, print the reference.

    Example: wbcr refer --from incoming/referral-tvp.yaml
    """
    from wbcr.operations import intake  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    if from_file is None:
        if not sys.stdin.isatty():
            raise UsageError("no referral given: use --from FILE.yaml, or run on a terminal to be asked",
                             hint="wbcr refer --from referral.yaml")
        from wbcr.cli.prompts import prompt_referral  # noqa: PLC0415 - lazy: keeps --help fast

        incoming = prompt_referral(register, today())
    elif from_file.suffix.lower() == ".docx":
        from wbcr.documents.forms import referral_from_form  # noqa: PLC0415 - lazy: keeps --help fast
        from wbcr.documents.ooxml import load_package_bytes  # noqa: PLC0415 - lazy: keeps --help fast

        data = load_package_bytes(from_file, str(from_file))  # never more than the size limit read into memory
        incoming = referral_from_form(register, data, str(from_file), today())
    else:
        incoming = intake.read_referral_file(from_file)
    reference = intake.register_referral(register, incoming, actor=gitrepo.actor(register.root), today=today(),
                                         commit=not no_commit)
    console.print_line(reference)


@app.command()
def validate(
    targets: Annotated[Optional[list[str]], typer.Argument(
        help="Cases to check, by reference or path (default: the whole register).", metavar="[REF|PATH]...", **REF_ARGUMENT)] = None,
    fmt: Annotated[FindingsFormat, typer.Option("--format", help=(
        "text, json, github (annotations), or junit (JUnit XML for GitLab and Azure DevOps: a test suite for "
        "wbcr.yaml and one per case folder, a test case per file, a failure per error; warnings are listed "
        "in the file's system-out and fail nothing unless --strict)."))] = FindingsFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Check every file again, ignoring the cache.")] = False,
) -> None:
    """Check every record against its schema and against the other records.

    Prints one line per finding (path:line:col: severity[code]: message) and exits 1 when there are errors.

    Example: wbcr validate --format github
    """
    from wbcr.reports.daily import validate_with_views  # noqa: PLC0415 - lazy: keeps --help fast

    from wbcr.cli.progress import ProgressDisplay  # noqa: PLC0415 - lazy: keeps --help fast

    root = find_root(explicit=options.register)
    with ProgressDisplay() as progress:  # on a terminal, after a second; never on stdout
        result = validate_with_views(root, targets or [], today=today(), strict=strict, use_cache=not no_cache,
                                     progress=progress)
    display = _display_findings(root, result.findings)
    if fmt is FindingsFormat.json:
        data = result.as_dict()
        data["findings"] = [f.as_dict() for f in display]
        console.print_json(data)
    elif fmt is FindingsFormat.junit:
        from wbcr.cli import junit  # noqa: PLC0415 - lazy: keeps --help fast
        from wbcr.model.register import Register  # noqa: PLC0415 - lazy: keeps --help fast
        from wbcr.validation.engine import select_case_dirs  # noqa: PLC0415 - lazy: keeps --help fast

        case_dirs = select_case_dirs(Register(root=root, config={}), targets or [])
        junit.print_junit(junit.register_suites(root, case_dirs, result.findings, display), "wbcr validate")
    else:
        console.print_findings(display, fmt.value)
        if fmt is FindingsFormat.text:
            summary = (f"{result.cases} case(s), {result.files} file(s): {len(result.errors)} error(s), "
                       f"{len(result.warnings)} warning(s)")
            console.print_note(summary)
    if result.errors:
        raise typer.Exit(EXIT_FINDINGS)


def _display_findings(root: Path, findings):
    """Findings with paths relative to the current folder, so editors and CI can open them."""
    import os


    cwd = Path.cwd()
    shown = []
    for f in findings:
        full = root / f.path
        try:
            rel = os.path.relpath(full, cwd)
        except ValueError:
            rel = str(full)
        if f.path.endswith("/") and not rel.endswith("/"):
            rel += "/"
        shown.append(Finding(f.code, f.severity, f.message, rel.replace(os.sep, "/"), f.line, f.col, f.hint))
    return shown


class Which(str, Enum):
    open = "open"
    closed = "closed"
    all = "all"


@app.command()
def status(
    lscb: Annotated[Optional[str], typer.Option(autocompletion=complete_lscb, help="Only cases led by this LSCB (id).")] = None,
    stage: Annotated[Optional[str], typer.Option(help="Only cases at this stage.")] = None,
    which: Annotated[Which, typer.Option("--cases", help="open, closed or all.")] = Which.all,
    fmt: Annotated[Optional[TableFormat], typer.Option("--format", help=FORMAT_HELP, show_default="text")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help=OUT_HELP, metavar="FILE")] = None,
) -> None:
    """The status board: one row per case (reference, lead LSCB, kind, stage, days open).

    Example: wbcr status --lscb reading --cases open
             wbcr status --format xlsx --out status.xlsx   (an Excel workbook: filters, dates, RAG)
    """
    from wbcr.reports.status import iter_case_rows  # noqa: PLC0415 - lazy: keeps --help fast

    fmt = table_format(fmt, out)
    register = open_register(validated=False)
    rows = [r for r in iter_case_rows(register, today())
            if (lscb is None or r.lead_lscb == lscb) and (stage is None or r.stage == stage)
            and (which is Which.all or (which is Which.closed) == r.is_closed)]
    if lscb is not None and lscb not in register.lscb_ids():
        raise UsageError(f'unknown LSCB "{lscb}"', hint=f"LSCBs: {', '.join(sorted(register.lscb_ids()))}")
    from wbcr.cli.left_out import refuse_left_out  # noqa: PLC0415 - lazy: keeps --help fast

    # a case that cannot be read is shown with what is wrong, then named with its findings (exit 1)
    broken = {r.reference: [] for r in rows if r.problem}
    try:
        area = register.vocabulary().word("lead_area")  # the register's default procedure's word
    except WbcrError:
        area = "Lead LSCB"
    if fmt is TableFormat.json:
        console.print_json({"today": today().isoformat(), "cases": [r.as_dict() for r in rows]})
        refuse_left_out(register, broken, "shown without their stage and deadlines")
        return
    if fmt is TableFormat.xlsx:
        from wbcr.documents.register_tables import status_sheets  # noqa: PLC0415 - lazy: keeps --help fast

        write_workbook(register, status_sheets([r.as_dict() for r in rows], area), out,
                       f"status-{today().isoformat()}.xlsx", "Status board")
        refuse_left_out(register, broken, "shown without their stage and deadlines")
        return
    if not rows:
        console.print_note("no cases match")
        return
    def deadline(r):
        d = r.next_deadline
        if not d:
            return ""
        when = f'{-d["days_left"]}d overdue' if d["state"] == "overdue" else f'{d["days_left"]}d'
        return f'{d["due"]} ({when}) {d["title"]}'

    console.print_table(
        ["Reference", area, "Kind", "Stage", "Opened", "Days open", "Next deadline"],
        [[r.reference, r.lead_lscb, (r.kind or "").replace("_", " "), r.stage or r.problem, r.opened,
          r.days_open, deadline(r)] for r in rows],
        styles=["dim" if r.is_closed else ("red" if r.problem or (r.next_deadline or {}).get("state") == "overdue"
                                           else None) for r in rows],
        title=f"{register.config.get('board', {}).get('short_name') or 'Register'}: {len(rows)} case(s)",
    )
    refuse_left_out(register, broken, "shown without their stage and deadlines")


@app.command()
def show(
    reference: Annotated[str, typer.Argument(help="The case reference, e.g. WBCR-2026-004.", metavar="REF", **REF_ARGUMENT)],
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json.")] = ReportFormat.text,
) -> None:
    """The case on one screen: stage and history, referral, decisions, review, chronologies, actions.

    Names from people.yaml are not shown: the case is referred to by pseudonym.

    Example: wbcr show WBCR-2026-004
    """
    from wbcr.reports.overview import case_overview  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register(validated=False)
    overview = case_overview(register, reference, today())
    if fmt is ReportFormat.json:
        console.print_json(overview)
        return
    from wbcr.cli.show_view import print_overview  # noqa: PLC0415 - lazy: keeps --help fast

    print_overview(overview)


RECORDS = ["case", "referral", "people", "decisions", "notifications", "review", "recommendations", "chronology",
           "register"]


@app.command()
def fields(
    record: Annotated[str, typer.Argument(help="The record: " + ", ".join(RECORDS) + " (register is wbcr.yaml).",
                                          metavar="RECORD")],
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json.")] = ReportFormat.text,
) -> None:
    """What every field of a record means, from its schema: the form of its value and the command that
    records it. A skeleton of each record is in case_templates/case/.

    Example: wbcr fields review
    """
    from wbcr.model.schemas import describe_fields  # noqa: PLC0415 - lazy: keeps --help fast

    kind = record.removesuffix(".yaml").removesuffix(".json")
    kind = "register" if kind == "wbcr" else kind
    if kind not in RECORDS:
        raise UsageError(f'no record "{record}"', hint="one of: " + ", ".join(RECORDS))
    rows = describe_fields(kind)
    if fmt is ReportFormat.json:
        console.print_json({"record": kind, "fields": [{"field": path, "description": text, "required": required}
                                                        for path, text, required in rows]})
        return
    for path, text, required in rows:
        depth = path.count(".")
        console.print_line(f"{'  ' * depth}{path.rsplit('.', 1)[-1]}{' (required)' if required else ''}")
        if text:
            console.print_line(f"{'  ' * depth}    {text}")
