"""The audit trail: a case's history from git, and the Board's audit of review decisions.

`decisions_report` answers the National Panel's question "how and why was this decision made, and
was it on time?" for every referral: the criteria, each CRG member's recommendation, the Chair's
decision and rationale, the alternative review considered, and each decision timescale met or missed.
"""

from __future__ import annotations

import datetime as dt

from wbcr.core import gitrepo
from wbcr.core.calendar import Calendar
from wbcr.core.errors import UsageError, WbcrError
from wbcr.workflow.deadlines import compute_deadlines, procedure_for
from wbcr.core.yamlio import YamlError, load_record
from wbcr.model.case import action_rows, as_date, case_record_of, recommendations_of, stale_after_days
from wbcr.model.schemas import SEALED_PREFIX, has_sealed
from wbcr.store.case import open_sealed
from wbcr.validation.engine import DailyViews

def case_history(register, reference: str) -> dict:
    folder = register.case_dir(reference)
    if "/" in reference or reference.startswith(".") or not folder.is_dir():
        raise UsageError(f'no case "{reference}" in this register', hint="`wbcr status` lists the cases")
    if not gitrepo.is_repo(register.root):
        raise UsageError("the register is not a git repository, so it has no history",
                         hint="run `git init` in the register and commit it")
    commits = gitrepo.log_path(register.root, f"cases/{reference}")
    return {"reference": reference, "shallow": gitrepo.is_shallow(register.root),
            "commits": [{**c, "action": c["trailers"].get("Wbcr-Action"),
                         "event_date": c["trailers"].get("Wbcr-Date"),
                         "stage": c["trailers"].get("Wbcr-Stage"),
                         "actor": c["trailers"].get("Wbcr-Actor") or c["author"]} for c in commits]}


def _readable(register, reference: str, records: dict) -> dict:
    """Sealed values opened with the board key where it is here; shown as "(sealed)" where it is not."""
    if not has_sealed(records):
        return records

    try:
        return open_sealed(register, reference, records)
    except WbcrError:
        def hide(value):
            if isinstance(value, str) and value.startswith(SEALED_PREFIX):
                return "(sealed)"
            if isinstance(value, dict):
                return {k: hide(v) for k, v in value.items()}
            if isinstance(value, list):
                return [hide(v) for v in value]
            return value

        return hide(records)


def decisions_report(register, today: dt.date, start: dt.date | None = None, end: dt.date | None = None,
                     left_out: dict | None = None) -> dict:
    """Every referral received in the period with its decisions and their timescales.

    The timescales of a case whose records have not changed since the last run come from the cache; the
    decisions themselves (CRG members' reasons, the Chair's rationale: personal data the cache never
    holds) are read from decisions.yaml every time."""
    calendar = Calendar.from_config(register.config)
    views = DailyViews(register, today)
    cases = []
    for case in views.cases():
        if not views.usable(case):
            continue
        if case.sealed:  # sealed values: opened with the board key where it is here, as they always were
            row = _sealed_decision_row(register, case, calendar, today, start, end)
            if row is not None:
                cases.append(row)
            continue
        base = case.view("decision", lambda: _decision_base(register, case, calendar, today),
                         valid=lambda value: value is None or isinstance(value, dict))
        if base is None:
            continue
        received = dt.date.fromisoformat(base["received"])
        if (start and received < start) or (end and received > end):
            continue
        cases.append(_decision_row(case.name, base, case.load_full("decisions") if case.exists("decisions") else {}))
    views.save()
    if left_out is not None:
        left_out.update(views.left_out)
    return {"today": today.isoformat(), "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None, "cases": cases}


#: the words of the case's procedure the decisions report uses
_REPORT_WORDS = ("decision_maker_title", "decision_maker", "decision_group", "decision_group_short", "national_body",
                 "statutory_review", "statutory_review_short")


def _decision_base(register, case, calendar: Calendar, today: dt.date, records: dict | None = None) -> dict | None:
    """What the decisions report shows of a case apart from the decisions themselves: no personal data,
    so it can be cached. None when the case is not in the report at all."""
    if records is None:
        records = case.records_for_deadlines()
    if records is None:
        return None
    typed = case_record_of(records["case"])
    referral = records.get("referral") or {}
    received = as_date(referral.get("received")) or typed.opened
    if received is None:
        return None
    try:
        procedure = procedure_for(typed, register)
        deadlines = compute_deadlines(procedure, records, calendar)
    except Exception:  # noqa: BLE001 - an unknown procedure is reported by validate
        procedure, deadlines = None, []
    vocab = register.vocabulary(procedure) if procedure is not None else None
    words = {k: vocab.word(k) for k in _REPORT_WORDS} if vocab else {}
    kinds = dict(vocab.labels.get("review_kind") or {}) if vocab else {}
    return {"lead_lscb": typed.lead_lscb, "intake": typed.intake.value if typed.intake else None,
            "procedure": procedure.id if procedure else typed.procedure, "words": words, "kind_labels": kinds,
            "stage": typed.stage, "received": received.isoformat(),
            "criteria": referral.get("criteria") or {},
            "timescales": [d.as_dict(today) for d in deadlines if d.decision]}


def _sealed_decision_row(register, case, calendar: Calendar, today: dt.date, start, end) -> dict | None:
    """A case holding sealed values, read whole from its files and opened (never cached)."""
    if case.invalid():
        return None  # records that do not validate: validate and status say so
    records = {}
    for kind in ("case", "referral", "decisions", "notifications", "review", "recommendations"):
        if case.exists(kind):
            try:
                data = case.load_full(kind)
            except YamlError:
                return None
            if not isinstance(data, dict):
                return None
            records[kind] = data
    if not isinstance(records.get("case"), dict):
        return None
    referral = records.get("referral") or {}
    received = as_date(referral.get("received")) or case_record_of(records["case"]).opened
    if received is None or (start and received < start) or (end and received > end):
        return None
    readable = _readable(register, case.name, records)
    base = _decision_base(register, case, calendar, today, records=readable)
    # the case, referral and criteria as recorded (before opening), as the report has always shown them
    recorded = case_record_of(records["case"])
    base.update({"lead_lscb": recorded.lead_lscb, "intake": recorded.intake.value if recorded.intake else None,
                 "stage": recorded.stage, "criteria": referral.get("criteria") or {}})
    return _decision_row(case.name, base, readable.get("decisions") or {})


def _decision_row(reference: str, base: dict, decisions: dict) -> dict:
    crg = decisions.get("crg_consideration") or {}
    chair = decisions.get("chair_decision") or {}
    timescales = base["timescales"]
    return {
        "reference": reference,
        "lead_lscb": base["lead_lscb"],
        "intake": base["intake"],
        "stage": base["stage"],
        "procedure": base.get("procedure"),
        "words": base.get("words") or {},
        "received": base["received"],
        "criteria": base["criteria"],
        "screening": decisions.get("screening"),
        "crg": {
            "meeting_date": crg.get("meeting_date"),
            "outside_meeting": bool(crg.get("outside_meeting")),
            "members_present": crg.get("members_present") or [],
            "recommendations": [{"member": r.get("member"), "recommendation": r.get("recommendation"),
                                 "reason": r.get("reason")} for r in crg.get("recommendations") or []],
            "criteria_assessment": crg.get("criteria_assessment"),
            "alternative_review": crg.get("alternative_review"),
            "recommendation": crg.get("recommendation"),
            "rationale": crg.get("rationale"),
        } if crg else None,
        "chair_decision": {
            "date": chair.get("date"), "by": chair.get("by"), "decision": chair.get("decision"),
            "decision_label": (base.get("kind_labels") or {}).get(chair.get("decision")) or chair.get("decision"),
            "considerations": chair.get("considerations") or [],
            "rationale": chair.get("rationale"), "peer_challenge": chair.get("peer_challenge"),
            "override_rationale": chair.get("override_rationale"),
            "differs_from_recommendation": bool(crg.get("recommendation") and chair.get("decision")
                                                and crg.get("recommendation") != chair.get("decision")),
        } if chair else None,
        "extraordinary_meeting": decisions.get("extraordinary_meeting"),
        "timescales": timescales,
        # met only when every timescale is met; a pending one is not (yet) met
        "all_timescales_met": bool(timescales) and all(t["state"] == "met" for t in timescales),
        "timescales_missed": sum(1 for t in timescales if t["state"] in ("missed", "overdue")),
    }


RAG_ORDER = {"RED": 0, "AMBER": 1, "GREEN": 2, "BLUE": 3}


def register_actions(register, today: dt.date, reference: str | None = None,
                     left_out: dict | None = None) -> list[dict]:
    """Every action of every recommendation (or one case's), with its latest RAG rating and the one the
    dates suggest: RED when the target date has passed and it is not signed off, BLUE once signed off;
    its wording, lead, latest update, how long it has held its rating and whether its updates are stale
    (`Action.progress`, as the rag-progress-report document reads them). A case whose records have not
    changed since the last run is answered from the cache (keyed by wbcr.yaml too, for the stale days)."""
    folders = [register.case_dir(reference)] if reference else None
    if reference and not folders[0].is_dir():
        raise UsageError(f'no case "{reference}" in this register', hint="`wbcr status` lists the cases")
    views = DailyViews(register, today)
    stale_days = stale_after_days(register.config)
    rows = []
    for case in views.cases(folders):
        if not views.usable(case):
            continue
        rows += case.view("actions", lambda: _action_rows(case, today, stale_days),
                          valid=lambda value: isinstance(value, list))
    views.save()
    if left_out is not None:
        left_out.update(views.left_out)
    rows = _withhold_identifying(register, rows)
    rows.sort(key=lambda r: (RAG_ORDER.get(r["derived_rag"] or r["rag"] or "", 9), str(r["target_date"]),
                             r["reference"], str(r["action"])))
    return rows


def _withhold_identifying(register, rows: list[dict]) -> list[dict]:
    """The rows with an action's wording or update note withheld where it holds an identifying value of
    any listed case's people.yaml (a name or part of one, a date of birth, an address), as the board
    report does: the RAG report goes to a board meeting as it is."""
    from wbcr.reports.board import _Identifiers

    ids = _Identifiers()
    for reference in sorted({r["reference"] for r in rows}):
        path = register.case_dir(reference) / "people.yaml"
        if path.is_file():
            try:
                ids.add(load_record(path, register.relpath(path)))
            except YamlError:
                continue  # a people.yaml that does not read: validate says so
    if not (ids.words or ids.phrases or ids.dates):
        return rows
    out = []
    for row in rows:
        latest = row.get("latest_update")
        if latest and latest.get("note"):
            latest = {**latest, "note": ids.safe(latest["note"])}
        out.append({**row, "text": ids.safe(row.get("text")), "latest_update": latest})
    return out


def _action_rows(case, today: dt.date, stale_days: int) -> list[dict]:
    """One case's actions as rows (`case`: a validation.DailyCase)."""
    if not case.exists("recommendations") or not case.valid("recommendations"):
        return []  # a plan that does not validate: validate and status say so
    data = case.load("recommendations") or {}
    if not isinstance(data, dict):
        return []
    record = case.load("case") if case.exists("case") else {}
    return action_rows(case.name, record if isinstance(record, dict) else {}, data, today, stale_days)


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None
