"""How `wbcr next` and `wbcr report decisions` look on a terminal."""

from __future__ import annotations

from wbcr.cli import console


_wrapped = console.print_wrapped


def print_next(data: dict) -> None:
    from rich.text import Text

    _wrapped(f'{data["reference"]} is at "{data["stage"]}" — {data["stage_title"]}', "bold")
    _wrapped(f'Who: {data["owner"]}', indent="     ", first="")
    _wrapped(f'What: {data["action"]}', indent="      ", first="")
    console.print_line()
    moves = [m for m in data["next"] if not m.get("exit")]
    exits = [m for m in data["next"] if m.get("exit")]
    for move in moves:
        said = f'Next stage: {move["stage"]} ({move["title"]}): '
        state = "ready" if move["ready"] else "not yet"
        if len(said) + len(state) <= max(40, console.out().width):
            line = Text(said)
            line.append(state, style="green" if move["ready"] else "yellow")
            console.print_text(line)
        else:
            _wrapped(said + state, "green" if move["ready"] else "yellow", indent="  ", first="")
        for item in move.get("checklist") or [{"missing": m, "command": None} for m in move["missing"]]:
            _wrapped(item["missing"], indent="      ", first="  [ ] ")
            if item.get("command"):
                console.print_text(Text("        " + item["command"], style="cyan"))
        for warning in move.get("warnings") or []:
            _wrapped(warning, "yellow", indent="    ", first="  ! ")
        for late in move["late"]:
            _wrapped(f'{late["title"]} was due {late["due"]}: record --late-reason when advancing', "red",
                     indent="    ", first="  ! ")
        if move.get("advance"):
            console.print_text(Text("  Move it on: ") + Text(move["advance"], style="bold cyan"))
    if exits:
        console.print_text(Text("Alternatives (off the usual path, only if they apply):", style="dim"))
        for move in exits:
            state = "possible now" if move["ready"] else "would need: " + "; ".join(move["missing"])
            _wrapped(f'or {move["stage"]} ({move["title"]}): {state}', "dim", indent="     ", first="  ")
            if move.get("advance"):
                console.print_text(Text("     " + move["advance"], style="dim cyan"))
    if data["deadlines"]:
        rows = [[_due(d), _left(d), d["title"], d["owner"]] for d in data["deadlines"]]
        styles = ["bold red" if d["state"] == "overdue" else None for d in data["deadlines"]]
        console.print_table(["Due", "Days left", "Deadline", "Owner"], rows, styles=styles, title="Open deadlines")


def print_decisions(data: dict) -> None:
    """One block a case: readable in an 80-column terminal and in a saved file."""
    from rich.text import Text

    console.print_text(Text(f'Review decisions ({len(data["cases"])})', style="bold"))
    for case in data["cases"]:
        crg = case["crg"] or {}
        chair = case["chair_decision"] or {}
        words = case.get("words") or {}
        missed = [t for t in case["timescales"] if t["state"] in ("missed", "overdue")]
        pending = [t for t in case["timescales"] if t["state"] == "pending"]
        head = Text(f'\n{case["reference"]}', style="bold")
        head.append(f'  received {case["received"]}, lead {case["lead_lscb"]}, at {case["stage"]}')
        console.print_text(head)
        if crg:
            console.print_text(Text(f'  {words.get("decision_group_short", "CRG")} ({crg.get("meeting_date") or "?"}): recommends '
                                    f'{crg.get("recommendation") or "not yet recorded"}'))
            for rec in crg.get("recommendations") or []:
                console.print_text(Text(f'    {rec["member"]}: {rec["recommendation"]}'))
            alternative = crg.get("alternative_review") or {}
            if alternative:
                console.print_text(Text(f'  Alternative review considered: {"yes" if alternative.get("considered") else "no"}'
                                        + (f' — {alternative["outcome"]}' if alternative.get("outcome") else "")))
        if chair:
            group = words.get("decision_group", "the CRG")
            differs = f" (differs from {group}'s recommendation)" if chair.get("differs_from_recommendation") else ""
            console.print_text(Text(f'  {words.get("decision_maker_title", "Independent Chair")} ({chair.get("date")}): '
                                    f'{chair.get("decision_label") or chair.get("decision")}{differs}'))
            if chair.get("rationale"):
                console.print_text(Text(f'    {chair["rationale"]}'))
        for t in case["timescales"]:
            style = "red" if t in missed else ("" if t["state"] == "met" else "yellow")
            console.print_text(Text(f'  [{t["state"]}] {t["title"]}: due {t["due"]}'
                                    + (f', met {t["met_on"]}' if t["met_on"] else ""), style=style))
        if not case["timescales"]:
            console.print_text(Text("  No decision timescale has started yet."))
        elif not missed and not pending:
            console.print_text(Text("  All timescales met.", style="green"))


def _due(d: dict) -> str:
    """The due date, marked when it falls on a weekend or bank holiday (shown as such, not moved)."""
    import datetime as dt

    if d.get("due_on_non_working_day"):
        return f'{d["due"]} ({dt.date.fromisoformat(d["due"]).strftime("%a")}, not a working day)'
    return d["due"]


def _left(d: dict) -> str:
    left = d.get("days_left")
    if left is None:
        return ""
    return f"{-left} overdue" if left < 0 else str(left)
