"""`wbcr actions`: every action plan's actions for the board meeting's RAG report (issue 14, point 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from wbcr.cli import console
from wbcr.cli.app import app, open_register, today
from wbcr.cli.refs import REF_ARGUMENT, complete_agency, complete_lscb
from wbcr.cli.office import FORMAT_HELP, OUT_HELP, TableFormat, table_format, write_workbook
from wbcr.cli.register_commands import ReportFormat


#: the order of the summary line and of the RAG counts
_RAG_ORDER = ("RED", "AMBER", "GREEN", "BLUE")
_RAG_STYLE = {"RED": "bold red", "AMBER": "yellow", "GREEN": "green", "BLUE": "blue"}


@app.command()
def actions(
    reference: Annotated[Optional[str], typer.Argument(help="Only this case's actions.", metavar="[REF]", **REF_ARGUMENT)] = None,
    lscb: Annotated[Optional[str], typer.Option("--lscb", "--board", metavar="ID", autocompletion=complete_lscb,
                                                help="Only the cases led by this LSCB or local authority area (an id of wbcr.yaml's lscbs).")] = None,
    agency: Annotated[Optional[str], typer.Option("--agency", metavar="ID", autocompletion=complete_agency, help="Only the actions this agency leads (an id of wbcr.yaml's agencies).")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only actions past their target date and not signed off.")] = False,
    stale: Annotated[bool, typer.Option("--stale", help="Only open actions with no update for more than actions.stale_after_days days (wbcr.yaml; 90 by default).")] = False,
    fmt: Annotated[Optional[TableFormat], typer.Option("--format", help=FORMAT_HELP, show_default="text")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help=OUT_HELP, metavar="FILE")] = None,
) -> None:
    """The board meeting's RAG report: every action plan's actions, RED first, with the action's wording,
    lead, target, latest update and how long it has held its rating; updates older than
    actions.stale_after_days (wbcr.yaml, default 90) are flagged as stale.

    Example: wbcr actions --lscb reading --overdue
             wbcr actions --format xlsx --out actions.xlsx
    """
    from wbcr.reports.audit import register_actions  # noqa: PLC0415 - lazy: keeps --help fast

    from wbcr.cli.left_out import refuse_left_out  # noqa: PLC0415 - lazy: keeps --help fast

    fmt = table_format(fmt, out)
    register = open_register()
    _known(register, "lscbs", lscb, "--lscb")
    _known(register, "agencies", agency, "--agency")
    left_out: dict[str, list[str]] = {}
    rows = register_actions(register, today(), reference, left_out)
    rows = [r for r in rows if (lscb is None or r.get("lead_lscb") == lscb)
            and (agency is None or r.get("lead_agency") == agency)
            and (not overdue or r["overdue"]) and (not stale or r.get("stale"))]
    if fmt is TableFormat.json:
        console.print_json({"today": today().isoformat(), "actions": rows, "left_out": sorted(left_out)})
    elif fmt is TableFormat.xlsx:
        from wbcr.documents.register_tables import action_sheets  # noqa: PLC0415 - lazy: keeps --help fast

        write_workbook(register, action_sheets(rows, left_out), out, f"actions-{today().isoformat()}.xlsx",
                       "Action plans: RAG report")
    elif not rows:
        console.print_note("no actions match")
    else:
        _print_actions(rows)
    refuse_left_out(register, left_out, "their actions not listed")


def _known(register, section: str, value: Optional[str], option: str) -> None:
    """A usage error when `value` is not an id of wbcr.yaml's `section`, naming the ids there are."""
    if value is None:
        return
    ids = [e.get("id") for e in register.config.get(section) or [] if isinstance(e, dict) and isinstance(e.get("id"), str)]
    if value not in ids:
        from wbcr.core.errors import UsageError  # noqa: PLC0415 - lazy: keeps --help fast

        raise UsageError(f'{option} {value}: no such id in wbcr.yaml\'s {section}',
                         hint=f"use one of: {', '.join(ids)}" if ids else f"wbcr.yaml lists no {section}")


def _print_actions(rows: list[dict]) -> None:
    """One block per action, wrapped to the terminal's width (80 in a log): the headline (reference,
    action, rating and how long it has held it), the wording, the lead and target, the latest update."""
    from wbcr.documents.register_tables import action_rag  # noqa: PLC0415 - lazy: keeps --help fast

    counts = {rag: sum(action_rag(r) == rag for r in rows) for rag in _RAG_ORDER}
    stale_after = rows[0].get("stale_after_days")
    summary = (f"Actions as at {today().isoformat()}: {len(rows)} "
               f"({', '.join(f'{k} {v}' for k, v in counts.items() if v)}"
               f"{', not rated ' + str(len(rows) - sum(counts.values())) if len(rows) > sum(counts.values()) else ''}); "
               f"{sum(bool(r['overdue']) for r in rows)} overdue; "
               f"{sum(bool(r.get('stale')) for r in rows)} with no update for over {stale_after} days")
    console.print_wrapped(summary, "bold", max_width=100)

    def say(text: str, style: str | None = None, indent: str = "    ") -> None:
        console.print_wrapped(text, style, indent=indent, max_width=100)

    for r in rows:
        rag = action_rag(r)
        console.print_line()
        where = ", ".join(x for x in (r.get("pseudonym"), r.get("lead_lscb")) if x)
        headline = f"{r['reference']}{f' ({where})' if where else ''}  {r['action']}  {rag or 'not rated'}"
        if r.get("carried_to"):
            headline += f" (carried to {r['carried_to']})"
        elif r.get("signed_off"):
            headline += f" (signed off {r['signed_off']})"
        elif r["rag"] and r["rag"] != rag:  # RED by its dates: say the rating it was last given
            held = f" since {r['rated_since']} ({_days(r['days_at_rating'])})" if r.get("rated_since") else ""
            headline += f" (target passed); rated {r['rag']}{held}"
        elif r.get("days_at_rating") is not None:
            headline += f" for {_days(r['days_at_rating'])} (since {r['rated_since']})"
        elif r["overdue"]:
            headline += " (target passed)"
        say(headline, _RAG_STYLE.get(rag or "", "bold"), indent="")
        if r.get("text"):
            say(r["text"])
        lead = ", ".join(x for x in (r.get("lead_agency"), r.get("lead_officer")) if x) or "no lead recorded"
        target = f"target {r['target_date']}" if r.get("target_date") else "no target date"
        if r.get("days_overdue"):
            target += f", overdue by {_days(r['days_overdue'])}"
        say(f"Lead: {lead}; {target}.", "red" if r["overdue"] else None)
        latest = r.get("latest_update")
        if latest:
            by = f" by {latest['by']}" if latest.get("by") else ""
            ago = r.get("days_since_update")
            flag = f", STALE: over {r['stale_after_days']} days" if r.get("stale") else ""
            say(f"Latest update {latest['date']}{by} ({_days(ago)} ago{flag}): {latest.get('note') or '(no note)'}",
                "yellow" if r.get("stale") else "dim")
        elif not (r.get("signed_off") or r.get("carried_to")):
            say("No progress update recorded" + (f" (STALE: over {r['stale_after_days']} days since the plan was adopted)"
                                                 if r.get("stale") else "") + ".", "yellow" if r.get("stale") else None)


def _days(n: int | None) -> str:
    return "" if n is None else f"{n} day{'' if n == 1 else 's'}"
