"""`wbcr report board`: the board's (or partnership's) annual report — terminal summary, JSON, Excel
or Word with charts. The figures come from `wbcr.reports.board`; the files from `wbcr.documents.board_report`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from wbcr.cli import console
from wbcr.cli.app import open_register, today
from wbcr.cli.workflow_commands import report_app


class BoardFormat(str, Enum):
    text = "text"
    json = "json"
    xlsx = "xlsx"
    docx = "docx"


@report_app.command("board")
def report_board(
    start: Annotated[Optional[str], typer.Option("--from", help="First day of the period (a date: 2026-04-01, 01/04/2026 or 1 Apr 2026).")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Last day of the period (a date: 2026-04-01, 01/04/2026 or 1 Apr 2026).")] = None,
    year: Annotated[Optional[str], typer.Option("--year", help="A financial year, April to March, e.g. 2025/26.")] = None,
    fmt: Annotated[BoardFormat, typer.Option("--format", help="text (a summary), json, xlsx or docx.")] = BoardFormat.text,
    out: Annotated[Optional[Path], typer.Option("--out", help="Where to write xlsx or docx (default: output/).")] = None,
) -> None:
    """The year's report for the board: referrals, decisions, reviews, timescales, action plans.

    Default period: the last complete financial year (April to March) before today.

    Example: wbcr report board --year 2025/26 --format docx
    """
    from wbcr.reports.board import board_period, board_report  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register()
    data = board_report(register, today(), *board_period(today(), start, end, year)).as_dict()
    if fmt is BoardFormat.json:
        console.print_json(data)
    elif fmt is BoardFormat.text:
        print_board_summary(data)
    else:
        from wbcr.documents.board_report import write_board_report  # noqa: PLC0415 - lazy: matplotlib, docx, openpyxl

        path = write_board_report(register, data, fmt.value, out)
        console.print_line(str(path))
    from wbcr.cli.left_out import refuse_left_out  # noqa: PLC0415 - lazy: keeps --help fast

    refuse_left_out(register, {s["reference"]: [] for s in data["cases"]["not_counted"]},
                    "not counted in the report (it lists them)")


def print_board_summary(data: dict) -> None:
    """The report's headline figures on the terminal (the tables are in the Word and Excel files)."""
    period, intake, decisions, reviews = data["period"], data["intake"], data["decisions"], data["reviews"]
    console.print_line(f'{data["board"]}: {period["label"]} ({period["from"]} to {period["to"]}), '
                       f'as at {period["as_at"]}')
    days = decisions["days_to_decision"]
    console.print_table(["Measure", "Figure"], [
        ["Referrals and notifications received", intake["total"]],
        *[[f"  {c['label']}", c["count"]] for c in intake["by_route"]],
        ["Decisions made", decisions["total"]],
        *[[f"  {c['label']}", c["count"]] for c in decisions["by_kind"]],
        ["Days from referral to decision (median, longest)",
         "—" if days["median"] is None else f'{days["median"]:g}, {days["longest"]}'],
        ["Reviews opened", len(reviews["opened"])],
        [f'Reviews in progress on {period["as_at"]}', len(reviews["in_progress"])],
        ["Reviews completed", len(reviews["completed"])],
        ["Reviews published", len(reviews["published"])],
        ["Extensions", len(data["extensions"])],
        ["Out-of-area contributions", len(data["out_of_area"])],
        ["Good-practice notifications", len(data["good_practice"])],
        ["Actions overdue now", len(data["actions"]["overdue"])],
        ["Actions signed off", len(data["actions"]["signed_off_in_period"])],
    ])
    due = [t for t in data["timescales"] if t["due"]]
    if due:
        console.print_table(["On time", "Due", "Late", "Median late", "Worst", "Timescale"], [
            ["—" if t["share_met"] is None else f'{t["met"]} ({t["share_met"]:.0%})', t["due"], t["late"],
             "—" if t["median_days_late"] is None else f'{t["median_days_late"]:g} d',
             "—" if t["worst_days_late"] is None else f'{t["worst_days_late"]} d', t["title"]] for t in due],
            styles=["bold red" if t["late"] else None for t in due])
