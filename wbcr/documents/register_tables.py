"""The register's reports as Excel sheets: the status board, the open deadlines and the audit of review
decisions, each drawn from the same plain data their `--format json` prints (so every cell of the
workbook is a value the JSON gives too), as `tables_xlsx.Sheet`s for `tables_xlsx.tables_xlsx`.

RAG in these sheets follows the house convention (BLUE complete, GREEN on track, AMBER at risk, RED
target passed), applied to a deadline as `deadline_rag` says; the terminal's colours are the same rule
(red overdue, yellow within a week).
"""

from __future__ import annotations

from typing import Any

from wbcr.documents.tables_xlsx import Column, Sheet

#: a deadline due within this many days is AMBER (the terminal shows it yellow)
AMBER_WITHIN_DAYS = 7


def deadline_rag(row: dict | None) -> str | None:
    """A deadline's RAG: BLUE met on time, RED missed or overdue, AMBER due within a week, else GREEN."""
    if not row:
        return None
    state = row.get("state")
    if state == "met":
        return "BLUE"
    if state in ("missed", "overdue"):
        return "RED"
    left = row.get("days_left")
    return "AMBER" if left is not None and left <= AMBER_WITHIN_DAYS else "GREEN"


def _plain(value: Any) -> str:
    """A record value as one cell of text: lists joined with "; ", yes/no for true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (list, tuple)):
        return "; ".join(_plain(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_plain(v)}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def _words(value: str | None) -> str:
    return (value or "").replace("_", " ")


def left_out_sheet(left_out: dict[str, list[str]]) -> list[Sheet]:
    """The cases a report did not count (their records do not validate): a sheet, or none."""
    if not left_out:
        return []
    return [Sheet("Not counted", [Column("Reference"), Column("Records that do not validate")],
                  [[ref, ", ".join(f"{kind}.yaml" for kind in kinds) or "see wbcr validate"]
                   for ref, kinds in sorted(left_out.items())])]


def status_sheets(rows: list[dict], area: str = "Lead LSCB") -> list[Sheet]:
    """The status board (`CaseRow.as_dict()` rows): one row per case."""
    columns = [Column("Reference"), Column(area), Column("Kind"), Column("Stage"), Column("Opened", "date"),
               Column("Closed", "date"), Column("Days open", "int"), Column("Next deadline"),
               Column("Due", "date"), Column("Days left", "int"), Column("RAG", "rag"), Column("Problem")]
    body = []
    for r in rows:
        d = r.get("next_deadline") or {}
        body.append([r["reference"], r.get("lead_lscb"), _words(r.get("kind")), r.get("stage"), r.get("opened"),
                     r.get("closed"), r.get("days_open"), d.get("title"), d.get("due"), d.get("days_left"),
                     deadline_rag(d), r.get("problem")])
    return [Sheet("Status", columns, body)]


def deadline_sheets(rows: list[dict], left_out: dict[str, list[str]] | None = None) -> list[Sheet]:
    """The open deadlines (`register_deadlines` rows), soonest first, and the cases not counted."""
    columns = [Column("Reference"), Column("Deadline"), Column("Owner"), Column("Stage"), Column("Counted from", "date"),
               Column("Due", "date"), Column("Days left", "int"), Column("State"), Column("RAG", "rag"),
               Column("Extended"), Column("Note")]
    body = [[r["reference"], r["title"], r.get("owner"), r.get("stage"), r.get("anchor"), r["due"], r.get("days_left"),
             r.get("state"), deadline_rag(r), "Yes" if r.get("extended") else "No",
             "due on a non-working day (not moved)" if r.get("due_on_non_working_day") else None] for r in rows]
    return [Sheet("Deadlines", columns, body), *left_out_sheet(left_out or {})]


def action_rag(row: dict) -> str | None:
    """An action's RAG as the board reads it: BLUE signed off (or carried to another plan), RED past its
    target date and not signed off, else its latest rating."""
    if row.get("signed_off") or row.get("carried_to"):
        return "BLUE"
    return row.get("derived_rag") or row.get("rag")


def action_sheets(rows: list[dict], left_out: dict[str, list[str]] | None = None) -> list[Sheet]:
    """The board meeting's RAG report (`register_actions` rows): one row per action, RED first."""
    columns = [Column("Reference"), Column("Pseudonym"), Column("Lead LSCB"), Column("Action"), Column("Wording"),
               Column("Lead agency"), Column("Lead officer"), Column("Target", "date"), Column("RAG", "rag"),
               Column("Latest rating"), Column("Rated since", "date"), Column("Days at rating", "int"),
               Column("Latest update", "date"), Column("Update by"), Column("Update"),
               Column("Days since update", "int"), Column("Stale"), Column("Days overdue", "int"),
               Column("Signed off", "date"), Column("Carried to")]
    body = []
    for r in rows:
        latest = r.get("latest_update") or {}
        body.append([r["reference"], r.get("pseudonym"), r.get("lead_lscb"), r["action"], r.get("text"),
                     r.get("lead_agency"), r.get("lead_officer"), r.get("target_date"), action_rag(r), r.get("rag"),
                     r.get("rated_since"), r.get("days_at_rating"), latest.get("date"), latest.get("by"),
                     latest.get("note"), r.get("days_since_update"), "Yes" if r.get("stale") else "No",
                     r.get("days_overdue"), r.get("signed_off"), r.get("carried_to")])
    return [Sheet("Actions", columns, body), *left_out_sheet(left_out or {})]


def _worst(timescales: list[dict]) -> str | None:
    rags = {deadline_rag(t) for t in timescales}
    for rag in ("RED", "AMBER", "GREEN", "BLUE"):
        if rag in rags:
            return rag
    return None


def decisions_sheets(data: dict, left_out: dict[str, list[str]] | None = None) -> list[Sheet]:
    """The audit of review decisions (`decisions_report`): a row per referral, its members'
    recommendations, and every timescale with whether it was met on time."""
    decisions = [Column("Reference"), Column("Lead"), Column("Intake"), Column("Procedure"), Column("Stage"),
                 Column("Received", "date"), Column("Criteria ticked"), Column("Screened", "date"),
                 Column("Screening outcome"), Column("Group met", "date"), Column("Outside a meeting"),
                 Column("Group recommends"), Column("Group rationale"), Column("Alternative review considered"),
                 Column("Alternative review: outcome"), Column("Decided", "date"), Column("Decided by"),
                 Column("Decision"), Column("Differs from the recommendation"), Column("Decision rationale"),
                 Column("Peer challenge"), Column("Timescales met on time", "int"),
                 Column("Timescales missed or overdue", "int"), Column("Timeliness", "rag")]
    members = [Column("Reference"), Column("Member"), Column("Recommendation"), Column("Reason")]
    timescales = [Column("Reference"), Column("Timescale"), Column("Owner"), Column("Counted from", "date"),
                  Column("Due", "date"), Column("Met", "date"), Column("State"), Column("RAG", "rag"),
                  Column("Extended")]
    rows, member_rows, timescale_rows = [], [], []
    for case in data["cases"]:
        crg = case.get("crg") or {}
        chair = case.get("chair_decision") or {}
        screening = case.get("screening") or {}
        alternative = crg.get("alternative_review") or {}
        criteria = case.get("criteria") or {}
        ticked = [_words(c) for group in criteria.values() if isinstance(group, list) for c in group] \
            if isinstance(criteria, dict) else []
        times = case.get("timescales") or []
        met = sum(1 for t in times if t.get("state") == "met")
        late = sum(1 for t in times if t.get("state") in ("missed", "overdue"))
        peer = chair.get("peer_challenge")
        rows.append([
            case["reference"], case.get("lead_lscb"), _words(case.get("intake")), case.get("procedure"),
            case.get("stage"), case.get("received"), "; ".join(ticked), screening.get("date"),
            _words(screening.get("outcome")), crg.get("meeting_date"),
            _plain(crg.get("outside_meeting")) if crg else None, _words(crg.get("recommendation")),
            crg.get("rationale"), _plain(alternative.get("considered")) if alternative else None,
            alternative.get("outcome"), chair.get("date"), chair.get("by"),
            chair.get("decision_label") or _words(chair.get("decision")),
            _plain(chair.get("differs_from_recommendation")) if chair else None, chair.get("rationale"),
            _plain(peer) if peer else None, met, late, _worst(times)])
        for rec in crg.get("recommendations") or []:
            member_rows.append([case["reference"], rec.get("member"), _words(rec.get("recommendation")), rec.get("reason")])
        for t in times:
            timescale_rows.append([case["reference"], t.get("title"), t.get("owner"), t.get("anchor"), t.get("due"),
                                   t.get("met_on"), t.get("state"), deadline_rag(t), "Yes" if t.get("extended") else "No"])
    return [Sheet("Decisions", decisions, rows), Sheet("Recommendations", members, member_rows),
            Sheet("Timescales", timescales, timescale_rows), *left_out_sheet(left_out or {})]
