"""How `wbcr show` lays a case out on one screen."""

from __future__ import annotations

from wbcr.cli import console


def print_overview(o: dict) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    words = o.get("words") or {}
    rows = [
        ("Reference", o["reference"]), ("Child", o["pseudonym"]), (words.get("lead_area", "Lead LSCB"), o["lead_lscb_name"]),
        ("Kind", o.get("kind_label") or (o["kind"] or "").replace("_", " ")), ("Procedure", o["procedure"]),
        ("Stage", f'{o["stage"]} — {o["stage_title"]}'),
        ("Opened", f'{o["opened"]} ({o["days_open"]} days{" to closure" if o["closed"] else " open"})'),
        ("Flags", ", ".join(k.replace("_", " ") for k in o["flags"]) or "none"),
        ("People", ", ".join(f'{p["pseudonym"]} ({p["role"]})' for p in o["people"]) or "—"),
    ]
    ref = o["referral"]
    if ref.get("received"):
        crit = ref["criteria"]
        rows.append(("Referral", f'received {ref["received"]} via {ref["route"]} from {ref["referrer_agency"] or "—"}'))
        rows.append(("Criteria", ", ".join(crit.get("must_notify", []) + crit.get("wider", []) +
                                           crit.get("good_practice", [])).replace("_", " ") or "—"))
    d = o["decisions"]
    if d["screening"]:
        rows.append(("Screening", f'{d["screening"]["date"]}: {d["screening"]["outcome"]}'))
    if d["information_requests"]["sent"]:
        rows.append(("Information", f'{d["information_requests"]["received"]} of {d["information_requests"]["sent"]} '
                                    "requests answered"))
    if d["crg"]:
        rows.append((_first_upper(words.get("decision_group_short", "CRG")), f'{d["crg"]["meeting_date"]}: recommends {d["crg"]["recommendation"] or "—"} '
                            f'({d["crg"]["recommendations_recorded"]} of {d["crg"]["members_present"]} members recorded)'))
    if d["chair"]:
        rows.append((words.get("decision_maker_title", "Chair"), f'{d["chair"]["date"]}: {d["chair"]["decision"]}'))
    if o["review"]:
        r = o["review"]
        scope = r["scope"]
        rows.append(("Review", f'scope {scope.get("from", "?")} to {scope.get("to", "?")}; panel of {r["panel_members"]}; '
                               f'agency reports {r["agency_reports_received"]}/{r["agency_reports"]}; '
                               f'extensions {r["extensions"]}'))
    if o["chronologies"]:
        rows.append(("Chronologies", ", ".join(f"{a} ({n})" for a, n in o["chronologies"].items())))
    if o["actions"]["recommendations"]:
        rag = ", ".join(f"{k} {v}" for k, v in sorted(o["actions"]["latest_rag"].items()))
        rows.append(("Actions", f'{o["actions"]["recommendations"]} recommendations, {o["actions"]["actions"]} '
                                f"actions; latest RAG: {rag}"))
    rows.append(("Notifications", str(o["notifications"])))
    for label, value in rows:
        head.add_row(Text(label), Text(str(value)))
    console.print_text(Panel(head, title=Text(f'{o["reference"]} — {o["pseudonym"]}'), expand=False))
    history = Table(title="Stage history", header_style="bold")
    for col in ("Stage", "Date", "By", "Note"):
        history.add_column(col)
    def readable(value) -> str:
        text = str(value or "")
        return "(sealed)" if text.startswith("wbcr:sealed:") else text

    for step in o["stage_history"]:
        note = readable(step.get("note"))
        if step.get("late_reason"):
            note = f'{note} (late: {readable(step["late_reason"])})'.strip()
        history.add_row(*(Text(str(step.get(k) or "")) for k in ("stage", "date", "by")), Text(note))
    console.print_text(history)
    path = o["path"]
    if path and o["stage"] in path:
        i = path.index(o["stage"])
        line = Text()
        for j, stage in enumerate(path):
            style = "bold green" if j == i else ("dim" if j > i else "")
            line.append(stage, style=style)
            if j < len(path) - 1:
                line.append(" → ", style="dim")
        console.print_text(line)


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]
