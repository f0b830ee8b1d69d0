"""`wbcr report themes`: the learning themes of the reviews — which recur across which reviews and years,
and which agencies' actions address them. The figures come from `wbcr.reports.themes`."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from wbcr.cli import console
from wbcr.cli.app import open_register, today
from wbcr.cli.workflow_commands import report_app


class ThemesFormat(str, Enum):
    text = "text"
    json = "json"


@report_app.command("themes")
def report_themes(
    start: Annotated[Optional[str], typer.Option("--from", help="Reviews decided on or after this date (a date: 2026-04-01, 01/04/2026 or 1 Apr 2026).")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Reviews decided on or before this date (a date: 2026-04-01, 01/04/2026 or 1 Apr 2026).")] = None,
    fmt: Annotated[ThemesFormat, typer.Option("--format", help="text or json.")] = ThemesFormat.text,
) -> None:
    """Learning themes across reviews: each theme of wbcr.yaml by financial year, the reviews whose
    findings or recommendations carry it, and the actions that address it by lead agency and RAG.

    A review counts in the year of the decision to hold it (or, with no such decision, of its referral).
    Cases are named by reference and pseudonym only.

    Example: wbcr report themes --from 2024-04-01 --format json
    """
    from wbcr.cli.left_out import refuse_left_out  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.reports.themes import themes_period, themes_report  # noqa: PLC0415 - lazy: keeps --help fast

    first, last = themes_period(start, end)
    register = open_register()
    data = themes_report(register, today(), first, last).as_dict()
    if fmt is ThemesFormat.json:
        console.print_json(data)
    else:
        print_themes(data)
    refuse_left_out(register, {s["reference"]: [] for s in data["cases"]["not_counted"]},
                    "not counted in the themes report (it lists them)")


def print_themes(data: dict) -> None:
    """The theme × year matrix, the reviews carrying each theme, then the actions addressing each theme
    by lead agency and RAG."""
    period = data["period"]
    span = ("all reviews" if not (period["from"] or period["to"])
            else f'reviews decided {period["from"] or "any time"} to {period["to"] or "now"}')
    console.print_line(f'{data["board"]}: learning themes, {span}, as at {data["today"]}')
    cases = data["cases"]
    console.print_line(f'{cases["with_learning"]} review(s) with findings or recommendations recorded; '
                       f'{cases["with_themes"]} carry a theme')
    raised = [t for t in data["themes"] if t["reviews"]]
    if not raised:
        console.print_note("no finding or recommendation carries a theme yet "
                           "(`wbcr plan finding` / `wbcr plan recommendation … --theme ID`)")
    else:
        console.print_table(
            ["Theme", *data["years"], "Reviews"],
            [[_label(t), *[y["reviews"] or "" for y in t["by_year"]], t["reviews"]] for t in raised],
            styles=["bold" if t["recurring"] else None for t in raised],
            title="Reviews carrying each theme, by financial year of the review")
        console.print_table(
            ["Theme", "Reviews (findings and recommendations carrying it)"],
            [[_label(t), "; ".join(_named(c) for c in t["cases"])] for t in raised])
        rows = [[_label(t) if n == 0 else "", a["agency"] or "not recorded", a["actions"], _ratings(a["by_rag"])]
                for t in raised for n, a in enumerate(t["by_agency"])]
        if rows:
            console.print_table(["Theme", "Lead agency", "Actions", "RAG now"], rows,
                                title="Actions addressing each theme (actions of the recommendations carrying it)")
    recurring = [t["label"] for t in raised if t["recurring"]]
    if recurring:
        console.print_line("Recurring (two reviews or more): " + ", ".join(recurring))
    quiet = [t["label"] for t in data["themes"] if not t["reviews"]]
    if quiet:
        console.print_line("Not raised: " + ", ".join(quiet))
    for key, noun in (("findings", "finding"), ("recommendations", "recommendation")):
        items = data["untagged"][key]
        if items:
            console.print_note(f"{len(items)} {noun}(s) carry no theme: "
                               + ", ".join(f'{i["reference"]} {i["id"]}' for i in items))


def _label(theme: dict) -> str:
    return theme["label"] + ("" if theme["listed"] else " (not in wbcr.yaml)")


def _named(case: dict) -> str:
    items = ", ".join(case["findings"] + case["recommendations"])
    return f'{case["reference"]} {case["pseudonym"] or "(no pseudonym)"} ({case["year"]}: {items})'


def _ratings(by_rag: dict) -> str:
    return ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in by_rag.items())
