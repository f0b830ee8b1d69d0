"""How `wbcr next` and `wbcr report decisions` look on a terminal."""

from __future__ import annotations

from wbcr.cli import console


def print_next(data: dict) -> None:
    from rich.text import Text

    head = Text(f'{data["reference"]} is at "{data["stage"]}" — {data["stage_title"]}\n', style="bold")
    head.append(f'Who: {data["owner"]}\nWhat: {data["action"]}\n')
    console.print_text(head)
    for move in data["next"]:
        line = Text(f'Next stage: {move["stage"]} ({move["title"]}): ')
        line.append("ready to advance" if move["ready"] else "not yet", style="green" if move["ready"] else "yellow")
        console.print_text(line)
        for item in move["missing"]:
            console.print_text(Text("  [ ] ") + Text(item))
        for late in move["late"]:
            console.print_text(Text(f'  ! {late["title"]} was due {late["due"]}: record --late-reason when advancing',
                                    style="red"))
    if data["deadlines"]:
        rows = [[d["due"], d["days_left"], d["title"], d["owner"]] for d in data["deadlines"]]
        styles = ["bold red" if d["state"] == "overdue" else None for d in data["deadlines"]]
        console.print_table(["Due", "Days left", "Deadline", "Owner"], rows, styles=styles, title="Open deadlines")


def print_decisions(data: dict) -> None:
    rows, styles = [], []
    for case in data["cases"]:
        crg = case["crg"] or {}
        chair = case["chair_decision"] or {}
        members = "; ".join(f'{r["member"]}: {r["recommendation"]}' for r in crg.get("recommendations", []))
        missed = [t["title"] for t in case["timescales"] if t["state"] in ("missed", "overdue")]
        rows.append([case["reference"], case["received"], crg.get("recommendation") or "", members,
                     chair.get("decision") or "", "yes" if (crg.get("alternative_review") or {}).get("considered") else "",
                     "all met" if not missed else "missed: " + "; ".join(missed)])
        styles.append("red" if missed else None)
    console.print_table(["Reference", "Received", "CRG", "Members", "Chair", "Alternative", "Timescales"], rows,
                        styles=styles, title=f"Review decisions ({len(rows)})")
