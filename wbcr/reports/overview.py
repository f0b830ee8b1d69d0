"""One case at a glance, as plain data: what `wbcr show` prints and `--format json` returns.

People appear by pseudonym and role only; names, dates of birth and addresses stay in people.yaml.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wbcr.reports.status import _days, case_kind
from wbcr.store.case import load_case
from wbcr.core.errors import WbcrError
from wbcr.model.register import Register


def _latest_rag(action: dict) -> str | None:
    updates = action.get("updates") or []
    dated = [u for u in updates if isinstance(u, dict)]
    return str(dated[-1].get("rag")) if dated else None


def case_overview(register: Register, reference: str, today: dt.date) -> dict[str, Any]:
    records = load_case(register, reference)
    case = records["case"]
    referral = records.get("referral") or {}
    decisions = records.get("decisions") or {}
    review = records.get("review") or {}
    people = (records.get("people") or {}).get("people") or []
    proc_id = case.get("procedure") or register.default_procedure
    try:
        procedure = register.procedure(proc_id)
        path = procedure.path(case.get("intake"), case.get("review_kind"))
        stage_title = procedure.title_of(case.get("stage"))
    except WbcrError:
        path, stage_title = [], case.get("stage")
    crg = decisions.get("crg_consideration") or {}
    chair = decisions.get("chair_decision") or {}
    screening = decisions.get("screening") or {}
    recs = (records.get("recommendations") or {}).get("recommendations") or []
    actions = [a for r in recs if isinstance(r, dict) for a in (r.get("actions") or []) if isinstance(a, dict)]
    rag_counts: dict[str, int] = {}
    for action in actions:
        rag = _latest_rag(action) or "none"
        rag_counts[rag] = rag_counts.get(rag, 0) + 1
    chronologies = {
        agency: len((data or {}).get("entries") or []) if isinstance(data, dict) else 0
        for agency, data in records["chronology"].items()
    }
    return {
        "reference": reference,
        "pseudonym": case.get("pseudonym"),
        "lead_lscb": case.get("lead_lscb"),
        "lead_lscb_name": register.lscb_name(str(case.get("lead_lscb"))),
        "procedure": proc_id,
        "intake": case.get("intake"),
        "kind": case_kind(case),
        "stage": case.get("stage"),
        "stage_title": stage_title,
        "path": path,
        "opened": _iso(case.get("opened")),
        "closed": _iso(case.get("closed")),
        "days_open": _days(_iso(case.get("opened")), _iso(case.get("closed")), today),
        "flags": {k: v for k, v in (case.get("flags") or {}).items() if v},
        "stage_history": [{k: _iso(v) for k, v in step.items()} for step in case.get("stage_history") or []
                          if isinstance(step, dict)],
        "people": [{"pseudonym": p.get("pseudonym"), "role": p.get("role")} for p in people if isinstance(p, dict)],
        "referral": {
            "received": _iso(referral.get("received")),
            "route": referral.get("route"),
            "referrer_agency": (referral.get("referrer") or {}).get("agency"),
            "criteria": referral.get("criteria") or {},
            "agencies_involved": [a.get("agency") for a in referral.get("agencies_involved") or [] if isinstance(a, dict)],
        },
        "decisions": {
            "screening": {"date": _iso(screening.get("date")), "outcome": screening.get("outcome")} if screening else None,
            "information_requests": {
                "sent": len(decisions.get("information_requests") or []),
                "received": sum(1 for r in decisions.get("information_requests") or [] if isinstance(r, dict) and r.get("received")),
            },
            "crg": {"meeting_date": _iso(crg.get("meeting_date")), "recommendation": crg.get("recommendation"),
                    "members_present": len(crg.get("members_present") or []),
                    "recommendations_recorded": len(crg.get("recommendations") or [])} if crg else None,
            "chair": {"date": _iso(chair.get("date")), "decision": chair.get("decision")} if chair else None,
        },
        "review": {
            "scope": {k: _iso(v) for k, v in ((review.get("terms_of_reference") or {}).get("scope") or {}).items()},
            "panel_members": len(review.get("panel") or []),
            "agency_reports": len(review.get("agency_reports") or []),
            "agency_reports_received": sum(1 for r in review.get("agency_reports") or [] if isinstance(r, dict) and r.get("received")),
            "extensions": len(review.get("extensions") or []),
        } if review else None,
        "chronologies": chronologies,
        "actions": {"recommendations": len(recs), "actions": len(actions), "latest_rag": rag_counts},
        "notifications": len((records.get("notifications") or {}).get("notifications") or []),
        "records": sorted(k for k in records if k != "chronology") + (["chronology"] if chronologies else []),
    }


def _iso(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, str) and value.startswith("wbcr:sealed:"):
        return "(sealed)"  # personal data sealed at rest; this clone has no key to show it
    return value
