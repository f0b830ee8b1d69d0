"""The board's annual report as files: a Word document in the house style with charts, and an Excel
workbook with one sheet per table. Both are drawn from the plain data of `wbcr.reports.board`
(`BoardReport.as_dict()`), so every figure in them is one the JSON gives too.

Charts are drawn by matplotlib (the Agg backend, imported here only) and read in black and white: each
series has its own hatching and every bar its figure written beside it; each picture carries alt text
(`wp:docPr descr`) saying what it shows.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from wbcr.documents.docx_writer import RAG_FILLS, HouseStyle, add_fast_table, format_date, new_document, save

#: the hatching of a chart's series, in order: tell them apart without colour
HATCHES = ("", "///", "...", "xxx", "\\\\\\", "ooo", "---", "+++")
GREYS = ("#ffffff", "#bfbfbf", "#7f7f7f", "#e0e0e0", "#404040", "#f2f2f2", "#a6a6a6", "#d0d0d0")
RAG_LETTER = {"RED": "R", "AMBER": "A", "GREEN": "G", "BLUE": "B"}
RAG_HATCH = {"RED": "xxx", "AMBER": "///", "GREEN": "...", "BLUE": "", "not_rated": "---", "carried": "ooo"}
TEXT_WIDTH_MM = 170


def _d(value: Any) -> str:
    return format_date(value) if value else ""


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _days(value) -> str:
    return "—" if value is None else f"{value:g}"


def _who(row: dict) -> str:
    return row["reference"] + (f" ({row['pseudonym']})" if row.get("pseudonym") else "")


def _rag(key: str) -> str:
    if key in RAG_LETTER:
        return f"{key} ({RAG_LETTER[key]})"
    return {"not_rated": "Not yet rated", "carried": "Carried to another plan"}.get(key, key)


# --- the tables: one list, for the Word document and the workbook alike --------------------------------


def report_tables(data: dict) -> list[dict]:
    """Every table of the report: `{"id", "title", "columns", "rows", "widths"}` (widths in mm)."""
    intake, decisions, reviews, actions = data["intake"], data["decisions"], data["reviews"], data["actions"]
    days = decisions["days_to_decision"]
    as_at = _d(data["period"]["as_at"])
    tables = [
        {"id": "summary", "title": "The year in figures", "columns": ["Measure", "Figure"], "widths": [130, 40],
         "rows": [
             ["Referrals and notifications received", intake["total"]],
             ["Decisions made", decisions["total"]],
             ["Days from referral to decision: median", _days(days["median"])],
             ["Days from referral to decision: longest", _days(days["longest"])],
             ["Reviews opened", len(reviews["opened"])],
             [f"Reviews in progress on {as_at}", len(reviews["in_progress"])],
             ["Reviews completed", len(reviews["completed"])],
             ["Reviews published", len(reviews["published"])],
             ["Timescales that fell due", sum(t["due"] for t in data["timescales"])],
             ["Timescales met on time", sum(t["met"] for t in data["timescales"])],
             ["Timescales missed or overdue", sum(t["late"] for t in data["timescales"])],
             ["Extensions", len(data["extensions"])],
             ["Out-of-area contributions", len(data["out_of_area"])],
             ["Good-practice notifications", len(data["good_practice"])],
             ["Actions overdue now", len(actions["overdue"])],
             ["Actions signed off in the year", len(actions["signed_off_in_period"])],
             ["Cases not counted (do not validate)", len(data["cases"]["not_counted"])],
         ]},
        {"id": "by_route", "title": "Referrals and notifications by route", "columns": ["Route", "Number"],
         "widths": [130, 40], "rows": [[c["label"], c["count"]] for c in intake["by_route"]]},
        {"id": "by_intake", "title": "Referrals and notifications by kind", "columns": ["Kind", "Number"],
         "widths": [130, 40], "rows": [[c["label"], c["count"]] for c in intake["by_intake"]]},
        {"id": "by_lead", "title": "Referrals and notifications by lead board or partner", "columns": ["Lead", "Number"],
         "widths": [130, 40], "rows": [[c["label"], c["count"]] for c in intake["by_lead"]]},
        {"id": "by_criterion", "title": "Criteria ticked on the referrals", "columns": ["Criterion", "Number"],
         "widths": [150, 20], "rows": [[c["label"], c["count"]] for c in intake["by_criterion"]]},
        {"id": "decisions", "title": "Decisions by kind", "columns": ["Decision", "Number"], "widths": [130, 40],
         "rows": [[c["label"], c["count"]] for c in decisions["by_kind"]]},
        {"id": "decision_cases", "title": "Decisions made in the year", "widths": [42, 50, 28, 28, 22],
         "columns": ["Case", "Decision", "Received", "Decided", "Days"],
         "rows": [[_who(r), r["label"], _d(r["received"]), _d(r["decided"]), r["days"]] for r in decisions["cases"]]},
        {"id": "reviews_opened", "title": "Reviews opened in the year", "columns": ["Case", "Review", "Decided"],
         "widths": [50, 85, 35], "rows": [[_who(r), r["label"], _d(r["decided"])] for r in reviews["opened"]]},
        {"id": "reviews_in_progress", "title": f"Reviews in progress on {as_at}", "widths": [42, 48, 40, 20, 20],
         "columns": ["Case", "Review", "Stage", "Decided", "Age (days)"],
         "rows": [[_who(r), r["label"], r["stage_title"], _d(r["decided"]), r["age_days"]] for r in reviews["in_progress"]]},
        {"id": "reviews_completed", "title": "Reviews completed in the year", "widths": [45, 65, 35, 25],
         "columns": ["Case", "Review", "Completed", "Days taken"],
         "rows": [[_who(r), r["label"], _d(r["completed"]), r["days"]] for r in reviews["completed"]]},
        {"id": "reviews_published", "title": "Reviews published in the year", "widths": [45, 65, 35, 25],
         "columns": ["Case", "Review", "Published", "How"],
         "rows": [[_who(r), r["label"], _d(r["published"]), r.get("mode") or ""] for r in reviews["published"]]},
        {"id": "timescales", "title": "Statutory and procedural timescales that fell due in the year",
         "widths": [70, 14, 16, 14, 16, 20, 20],
         "columns": ["Timescale", "Due", "On time", "Late", "Share on time", "Median days late", "Worst days late"],
         "rows": [[f"{t['title']} [{t['procedure']}]", t["due"], t["met"], t["late"], _pct(t["share_met"]),
                   _days(t["median_days_late"]), _days(t["worst_days_late"])] for t in data["timescales"]]},
        {"id": "timescales_missed", "title": "Timescales missed, with the reasons recorded",
         "widths": [38, 32, 22, 22, 12, 44], "columns": ["Timescale", "Case", "Due", "Met", "Days late", "Reason recorded"],
         "rows": [[t["title"], _who(m), _d(m["due"]), _d(m["met_on"]) or "not yet", m["days_late"],
                   m["reason"] or "none recorded"] for t in data["timescales"] for m in t["missed"]]},
        {"id": "extensions", "title": "Extensions asked for in the year", "widths": [36, 22, 22, 22, 68],
         "columns": ["Case", "Requested", "Letter sent", "New date", "Reason"],
         "rows": [[_who(e), _d(e["requested"]), _d(e["letter_sent"]), _d(e["new_date"]), e["reason"] or ""]
                  for e in data["extensions"]]},
        {"id": "out_of_area", "title": "Contributions to reviews of other areas", "widths": [42, 26, 54, 48],
         "columns": ["Case", "Received", "Lead", "Stage"],
         "rows": [[_who(r), _d(r["received"]), r["lead_name"], r["stage_title"] + (" (closed)" if r["closed"] else "")]
                  for r in data["out_of_area"]]},
        {"id": "good_practice", "title": "Good-practice notifications", "widths": [42, 26, 54, 48],
         "columns": ["Case", "Received", "Lead", "Stage"],
         "rows": [[_who(r), _d(r["received"]), r["lead_name"], r["stage_title"]] for r in data["good_practice"]]},
        {"id": "actions_rag", "title": "Actions by RAG rating now", "columns": ["Rating", "Actions"], "widths": [130, 40],
         "rows": [[_rag(r["rag"]), r["count"]] for r in actions["by_rag_now"]]},
        {"id": "actions_rag_over_time", "title": "Actions by RAG rating at the end of each quarter",
         "columns": ["Quarter", *[_rag(k) for k in ("RED", "AMBER", "GREEN", "BLUE", "not_rated")]],
         "widths": [40, 26, 26, 26, 26, 26],
         "rows": [[q["label"], *[q["counts"].get(k, 0) for k in ("RED", "AMBER", "GREEN", "BLUE", "not_rated")]]
                  for q in actions["rag_over_time"]]},
        {"id": "actions_overdue", "title": f"Actions overdue on {_d(data['today'])}", "widths": [40, 20, 50, 26, 14, 20],
         "columns": ["Case", "Action", "Lead agency", "Target date", "Days overdue", "RAG"],
         "rows": [[_who(a), a["action"], a["lead_agency_name"], _d(a["target_date"]), a["days_overdue"],
                   _rag(a["rag"]) if a["rag"] else ""] for a in actions["overdue"]]},
        {"id": "actions_signed_off", "title": "Actions signed off in the year", "widths": [45, 25, 35, 35, 30],
         "columns": ["Case", "Action", "Target date", "Signed off", "By the target"],
         "rows": [[_who(a), a["action"], _d(a["target_date"]), _d(a["signed_off"]), "Yes" if a["on_time"] else "No"]
                  for a in actions["signed_off_in_period"]]},
        {"id": "not_counted", "title": "Cases not counted", "columns": ["Case", "Why"], "widths": [45, 125],
         "rows": [[s["reference"], s["reason"]] for s in data["cases"]["not_counted"]]},
    ]
    return tables


#: each table's sheet in the workbook (Excel allows 31 characters)
SHEETS = {"summary": "Summary", "by_route": "By route", "by_intake": "By kind", "by_lead": "By lead",
          "by_criterion": "By criterion", "decisions": "Decisions", "decision_cases": "Decision cases",
          "reviews_opened": "Reviews opened", "reviews_in_progress": "Reviews in progress",
          "reviews_completed": "Reviews completed", "reviews_published": "Reviews published",
          "timescales": "Timescales", "timescales_missed": "Timescales missed", "extensions": "Extensions",
          "out_of_area": "Out of area", "good_practice": "Good practice", "actions_rag": "Actions RAG now",
          "actions_rag_over_time": "Actions RAG by quarter", "actions_overdue": "Actions overdue",
          "actions_signed_off": "Actions signed off", "not_counted": "Not counted"}


# --- charts ------------------------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "hatch.linewidth": 0.8,
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    _pyplot().close(fig)
    return buf.getvalue()


def _stacked(ax, labels: list[str], series: list[tuple[str, list[int], str, str]], horizontal: bool = False):
    """Stacked bars: each series (name, values, hatch, fill) with its figure written inside its part
    and each bar's total at its end."""
    bottoms = [0] * len(labels)
    positions = list(range(len(labels)))
    parts = [sum(1 for _n, values, _h, _f in series if values[i]) for i in positions]
    for name, values, hatch, fill in series:
        draw = ax.barh if horizontal else ax.bar
        kwargs = {"left": bottoms} if horizontal else {"bottom": bottoms}
        bars = draw(positions, values, 0.6, label=name, hatch=hatch, color=fill, edgecolor="black", linewidth=0.8, **kwargs)
        for bar, value, shared in zip(bars, values, parts):
            if value and shared > 1:  # a bar of one part: its total says it
                x, y = bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2
                ax.text(x, y, str(value), ha="center", va="center", fontsize=8,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})
        bottoms = [b + v for b, v in zip(bottoms, values)]
    for pos, total in zip(positions, bottoms):
        if horizontal:
            ax.text(total, pos, f"  {total}", va="center", fontsize=8, fontweight="bold")
        else:
            ax.text(pos, total, str(total), ha="center", va="bottom", fontsize=8, fontweight="bold")
    if horizontal:
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
    else:
        ax.set_xticks(positions, labels)
        if len(labels) > 4:  # more quarters than fit side by side: slanted, so none runs into the next
            ax.tick_params(axis="x", labelsize=7)
            for tick in ax.get_xticklabels():
                tick.set_rotation(40)
                tick.set_horizontalalignment("right")
    return max(bottoms, default=0)


def _integer_axis(ax, top: int, horizontal: bool = False) -> None:
    from matplotlib.ticker import MaxNLocator

    axis = ax.xaxis if horizontal else ax.yaxis
    axis.set_major_locator(MaxNLocator(integer=True))
    (ax.set_xlim if horizontal else ax.set_ylim)(0, max(top, 1) * 1.15)


def _wrap(text: str, width: int = 38) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def charts(data: dict) -> list[dict]:
    """The report's charts: `{"id", "title", "png", "alt"}`."""
    plt = _pyplot()
    out = []
    intake, decisions = data["intake"], data["decisions"]

    routes = {c["key"]: c["label"] for c in intake["by_route"]}
    quarters = [q["label"] for q in intake["by_quarter"]]
    fig, ax = plt.subplots(figsize=(6.6, 3.0))
    series = [(routes[k], [q["by_route"].get(k, 0) for q in intake["by_quarter"]], HATCHES[n % 8], GREYS[n % 8])
              for n, k in enumerate(routes)]
    top = _stacked(ax, quarters, series)
    _integer_axis(ax, top)
    ax.set_ylabel("Referrals and notifications")
    if series:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    per_quarter = "; ".join(f"{label}: {sum(q['by_route'].values())}" for label, q in zip(quarters, intake["by_quarter"]))
    out.append({"id": "referrals", "empty": not series, "title": "Referrals and notifications per quarter, by route", "png": _png(fig),
                "alt": f"Stacked bar chart of referrals and notifications per quarter by route. {per_quarter}. "
                       + "; ".join(f"{c['label']}: {c['count']}" for c in intake["by_route"]) + "."})

    kinds = decisions["by_kind"]
    fig, ax = plt.subplots(figsize=(6.6, 0.5 + 0.45 * max(len(kinds), 1)))
    top = _stacked(ax, [_wrap(k["label"]) for k in kinds], [("Decisions", [k["count"] for k in kinds], "///", "#bfbfbf")],
                   horizontal=True)
    _integer_axis(ax, top, horizontal=True)
    ax.set_xlabel("Decisions")
    out.append({"id": "decisions", "empty": not kinds, "title": "Decisions by kind", "png": _png(fig),
                "alt": "Bar chart of the decisions made in the year by kind. "
                       + ("; ".join(f"{k['label']}: {k['count']}" for k in kinds) or "No decisions.") + "."})

    due = [t for t in data["timescales"] if t["met"] + t["late"]]
    fig, ax = plt.subplots(figsize=(6.6, 0.7 + 0.5 * max(len(due), 1)))
    top = _stacked(ax, [_wrap(t["title"], 46) for t in due],
                   [("Met on time", [t["met"] for t in due], "", "#ffffff"),
                    ("Late or overdue", [t["late"] for t in due], "xxx", "#7f7f7f")], horizontal=True)
    _integer_axis(ax, top, horizontal=True)
    ax.set_xlabel("Timescales that fell due")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=8)
    out.append({"id": "timeliness", "empty": not due, "title": "Timeliness of each statutory step", "png": _png(fig),
                "alt": "Stacked bar chart of each timescale that fell due: met on time (plain) and late (cross-hatched). "
                       + ("; ".join(f"{t['title']}: {t['met']} on time, {t['late']} late" for t in due)
                          or "No timescale fell due.") + "."})

    ages = data["reviews"]["in_progress_by_age"]
    fig, ax = plt.subplots(figsize=(6.6, 2.6))
    top = _stacked(ax, [a["band"] for a in ages], [("Reviews", [a["count"] for a in ages], "///", "#bfbfbf")])
    _integer_axis(ax, top)
    ax.set_ylabel("Reviews in progress")
    ax.set_xlabel("Time since the decision to hold the review")
    out.append({"id": "review_ages", "empty": not any(a["count"] for a in ages), "title": f"Reviews in progress on {_d(data['period']['as_at'])}, by age",
                "png": _png(fig),
                "alt": "Bar chart of the reviews in progress at the end of the period by time since the decision. "
                       + "; ".join(f"{a['band']}: {a['count']}" for a in ages) + "."})

    over = data["actions"]["rag_over_time"]
    keys = [k for k in ("RED", "AMBER", "GREEN", "BLUE", "not_rated") if any(q["counts"].get(k) for q in over)]
    fig, ax = plt.subplots(figsize=(6.6, 3.0))
    fills = {"RED": "#404040", "AMBER": "#a6a6a6", "GREEN": "#e0e0e0", "BLUE": "#ffffff", "not_rated": "#f2f2f2"}
    top = _stacked(ax, [q["label"] for q in over],
                   [(_rag(k), [q["counts"].get(k, 0) for q in over], RAG_HATCH[k], fills[k]) for k in keys])
    _integer_axis(ax, top)
    ax.set_ylabel("Actions")
    if keys:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    out.append({"id": "rag", "empty": not keys, "title": "Action plans: RAG ratings at the end of each quarter", "png": _png(fig),
                "alt": "Stacked bar chart of the actions of every action plan by RAG rating at the end of each quarter. "
                       + "; ".join(f"{q['label']}: " + (", ".join(f"{_rag(k)} {q['counts'].get(k, 0)}" for k in keys) or "none")
                                   for q in over) + "."})
    return out


# --- Word ----------------------------------------------------------------------------------------------


def _picture(doc, chart: dict) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm

    if chart.get("empty"):
        return  # nothing to draw: the table under it says "None in the year"
    para = doc.add_paragraph()
    para.paragraph_format.keep_with_next = True
    run = para.add_run()
    run.add_picture(io.BytesIO(chart["png"]), width=Mm(TEXT_WIDTH_MM * 0.95))
    for pr in run._r.iter(qn("wp:docPr")):
        pr.set("descr", chart["alt"])
        pr.set("title", chart["title"])
    caption = doc.add_paragraph(chart["title"])
    caption.runs[0].italic = True


def _table(doc, table: dict, empty: str = "None in the year.") -> None:
    from docx.shared import Pt

    doc.add_paragraph(table["title"], style="Heading 3").paragraph_format.keep_with_next = True
    if not table["rows"]:
        doc.add_paragraph(empty)
        return
    shade = [RAG_FILLS.get(str(row[0]).split(" ")[0]) if table["id"] == "actions_rag" else None for row in table["rows"]]
    add_fast_table(doc, table["columns"], table["rows"], widths_mm=table["widths"], shade=shade)
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def build_docx(register, data: dict) -> bytes:
    """The report as a Word document in the house style (unprotected: it holds no personal data)."""
    import datetime as dt

    config = register.config
    board = config.get("board") or {}
    logo = Path(register.root / board["logo"]) if board.get("logo") else None
    label = data["period"]["label"]
    # a financial year is an annual report; any other period a report for those dates
    title = f"Case reviews: annual report {label}" if " " not in label else f"Case reviews: report for {label}"
    style = HouseStyle(board=board.get("name", data["board"]), reference=title,
                       reference_label="", title=title,
                       marking=config.get("protective_marking", "OFFICIAL-SENSITIVE"),
                       produced=dt.date.fromisoformat(data["today"]), address=list(board.get("address") or []), logo=logo)
    doc = new_document(style)
    tables = {t["id"]: t for t in report_tables(data)}
    pictures = {c["id"]: c for c in charts(data)}
    period = data["period"]
    doc.add_paragraph(title, style="Heading 1")
    doc.add_paragraph(
        f"This report covers {_d(period['from'])} to {_d(period['to'])}. Cases in progress are shown as they stood on "
        f"{_d(period['as_at'])}; action plans as they stand on {_d(data['today'])}, the day the report was produced. "
        f"It counts {data['cases']['counted']} of the {data['cases']['in_register']} cases in the register. Cases are "
        "named by reference and pseudonym only.")
    _table(doc, tables["summary"])
    if tables["not_counted"]["rows"]:
        _table(doc, tables["not_counted"])

    doc.add_paragraph("1. Referrals and notifications", style="Heading 2")
    _picture(doc, pictures["referrals"])
    for key in ("by_route", "by_intake", "by_lead", "by_criterion"):
        _table(doc, tables[key])

    doc.add_paragraph("2. Decisions", style="Heading 2")
    days = data["decisions"]["days_to_decision"]
    if days["count"]:
        doc.add_paragraph(f"{data['decisions']['total']} decisions were made. From referral to decision took a median "
                          f"of {days['median']:g} days (shortest {days['shortest']}, longest {days['longest']}).")
    _picture(doc, pictures["decisions"])
    _table(doc, tables["decisions"])
    _table(doc, tables["decision_cases"])

    doc.add_paragraph("3. Reviews", style="Heading 2")
    _table(doc, tables["reviews_opened"])
    _picture(doc, pictures["review_ages"])
    _table(doc, tables["reviews_in_progress"])
    _table(doc, tables["reviews_completed"])
    _table(doc, tables["reviews_published"])

    doc.add_paragraph("4. Timescales", style="Heading 2")
    doc.add_paragraph("Each timescale of the procedure that fell due in the year: met on time when the step was "
                      "recorded on or before its due date; late when it was recorded after it, or is still outstanding "
                      "(days late counted to the day the report was produced). Days are calendar days.")
    _picture(doc, pictures["timeliness"])
    _table(doc, {**tables["timescales"], "rows": [r for r, t in zip(tables["timescales"]["rows"], data["timescales"])
                                                  if t["due"]]}, "No timescale fell due in the year.")
    _table(doc, tables["timescales_missed"], "No timescale was missed.")
    _table(doc, tables["extensions"])

    doc.add_paragraph("5. Other work", style="Heading 2")
    _table(doc, tables["out_of_area"])
    _table(doc, tables["good_practice"])

    doc.add_paragraph("6. Action plans", style="Heading 2")
    doc.add_paragraph("RAG: BLUE (B) complete, evidenced and signed off; GREEN (G) on track; AMBER (A) slippage or "
                      "risk; RED (R) target date passed or at serious risk.")
    _table(doc, tables["actions_rag"])
    _picture(doc, pictures["rag"])
    _table(doc, tables["actions_rag_over_time"])
    _table(doc, tables["actions_overdue"], "No action is overdue.")
    _table(doc, tables["actions_signed_off"])
    return save(doc)


# --- Excel ---------------------------------------------------------------------------------------------


def build_xlsx(data: dict) -> bytes:
    """The report as an Excel workbook: a sheet about the report, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    about = book.active
    about.title = "Report"
    period = data["period"]
    for row in (["Report", f"Case reviews: annual report {period['label']}"], ["Board", data["board"]],
                ["From", period["from"]], ["To", period["to"]], ["As at", period["as_at"]],
                ["Produced", data["today"]], ["Schema version", data["schema_version"]],
                ["Cases counted", data["cases"]["counted"]], ["Cases in the register", data["cases"]["in_register"]]):
        about.append(row)
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 60
    for table in report_tables(data):
        sheet = book.create_sheet(SHEETS[table["id"]])
        sheet.append([table["title"]])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(table["columns"])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table["rows"]:
            sheet.append(["" if v is None else v for v in row])
        sheet.freeze_panes = "A3"
        for i, width in enumerate(table["widths"], 1):
            sheet.column_dimensions[get_column_letter(i)].width = max(10, width * 0.55)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write_board_report(register, data: dict, fmt: str, out: Path | None) -> Path:
    """Write the report as `fmt` (docx or xlsx) to `out`, else to the register's output/ folder."""
    from wbcr.core.exports import write_export

    path = out or register.root / "output" / f"board-report-{data['period']['label'].replace('/', '-').replace(' ', '-')}.{fmt}"
    payload = build_docx(register, data) if fmt == "docx" else build_xlsx(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_export(path, payload)  # 0600, and never where git would commit it
