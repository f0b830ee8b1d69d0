"""`wbcr actions`: every action plan's actions for the board meeting's RAG report (issue 14, point 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from wbcr.cli import console
from wbcr.cli.app import app, open_register, today
from wbcr.cli.office import FORMAT_HELP, OUT_HELP, TableFormat, table_format, write_workbook
from wbcr.cli.register_commands import ReportFormat


@app.command()
def actions(
    reference: Annotated[Optional[str], typer.Argument(help="Only this case's actions.", metavar="[REF]")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only actions past their target date and not signed off.")] = False,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json.")] = ReportFormat.text,
) -> None:
    """Every action plan's actions with their RAG rating, RED first: what to report to the LSCB meeting.

    Example: wbcr actions --overdue
    """
    from wbcr.reports.audit import register_actions  # noqa: PLC0415 - lazy: keeps --help fast

    from wbcr.cli.left_out import refuse_left_out  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    left_out: dict[str, list[str]] = {}
    rows = register_actions(register, today(), reference, left_out)
    if overdue:
        rows = [r for r in rows if r["overdue"]]
    if fmt is ReportFormat.json:
        console.print_json({"today": today().isoformat(), "actions": rows, "left_out": sorted(left_out)})
        refuse_left_out(register, left_out, "their actions not listed")
        return
    if not rows:
        console.print_note("no actions match")
        refuse_left_out(register, left_out, "their actions not listed")
        return

    def rag(r: dict) -> str:
        shown = r["rag"] or "—"
        if r.get("carried_to"):
            return shown + f' (carried to {r["carried_to"]})'
        if r["derived_rag"] and r["derived_rag"] != r["rag"]:
            shown += f' (dates say {r["derived_rag"]})'
        return shown

    console.print_table(["Reference", "Action", "Lead", "Target", "RAG"],
                        [[r["reference"], r["action"], r["lead_agency"], r["target_date"], rag(r)] for r in rows],
                        styles=["bold red" if r["overdue"] else None for r in rows])
    refuse_left_out(register, left_out, "their actions not listed")
