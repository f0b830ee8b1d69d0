"""One case at a glance, as plain data: what `wbcr show` prints and `--format json` returns.

People appear by pseudonym and role only; names, dates of birth and addresses stay in people.yaml.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wbcr.model.case import build_case
from wbcr.store.case import load_case
from wbcr.core.errors import WbcrError
from wbcr.model.register import Register


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def case_overview(register: Register, reference: str, today: dt.date) -> dict[str, Any]:
    records = load_case(register, reference)
    model = build_case(records)
    case = model.case
    proc_id = case.procedure or register.default_procedure
    try:
        procedure = register.procedure(proc_id)
        path = procedure.path(_value(case.intake), _value(case.review_kind))
        stage_title = procedure.title_of(case.stage)
    except WbcrError:
        procedure, path, stage_title = None, [], case.stage
    vocab = register.vocabulary(procedure) if procedure is not None else None
    rag_counts: dict[str, int] = {}
    for action in model.actions:
        rag = action.updates[-1].rag if action.updates else None
        key = rag.value if rag is not None else ("none" if not action.updates else "None")
        rag_counts[key] = rag_counts.get(key, 0) + 1
    referral, crg, chair, screening, review = (model.referral, model.crg, model.chair_decision, model.screening,
                                               model.review)
    return {
        "reference": reference,
        "pseudonym": _iso(records["case"].get("pseudonym")),
        "lead_lscb": case.lead_lscb,
        "lead_lscb_name": register.lscb_name(str(case.lead_lscb)),
        "procedure": proc_id,
        "intake": _value(case.intake),
        "kind": case.kind,
        "kind_label": vocab.label("review_kind", case.kind) if vocab and case.kind else None,
        "words": {k: vocab.word(k) for k in ("lead_area", "decision_group_short", "decision_maker_title")} if vocab else {},
        "stage": case.stage,
        "stage_title": stage_title,
        "path": path,
        "opened": _day(case.opened),
        "closed": _day(case.closed),
        "days_open": None if case.opened is None else ((case.closed or today) - case.opened).days,
        "flags": {k: v for k, v in case.flags.items() if v},
        "stage_history": [{k: v for k, v in (("stage", step.stage), ("date", _day(step.date)), ("by", step.by),
                                             ("note", step.note), ("late_reason", step.late_reason))
                           if v is not None} for step in case.history],
        "people": [{"pseudonym": p.pseudonym, "role": p.role} for p in model.people],
        "referral": {
            "received": _day(referral.received) if referral else None,
            "route": referral.route if referral else None,
            "referrer_agency": referral.referrer_agency if referral else None,
            "criteria": dict(referral.criteria) if referral else {},
            "agencies_involved": list(referral.agencies_involved) if referral else [],
        },
        "decisions": {
            "screening": {"date": _day(screening.date), "outcome": _value(screening.outcome)} if screening else None,
            "information_requests": {
                "sent": len(model.information_requests),
                "received": sum(1 for r in model.information_requests if r.received is not None),
            },
            "crg": {"meeting_date": _day(crg.meeting_date), "recommendation": _value(crg.recommendation),
                    "members_present": len(crg.members_present),
                    "recommendations_recorded": crg.member_recommendations} if crg else None,
            "chair": {"date": _day(chair.date), "decision": _value(chair.decision)} if chair else None,
        },
        "review": {
            "scope": {k: _day(v) for k, v in (("from", review.scope_from), ("to", review.scope_to)) if v},
            "panel_members": review.panel_members,
            "agency_reports": len(model.agency_reports),
            "agency_reports_received": sum(1 for r in model.agency_reports if r.received is not None),
            "extensions": review.extensions,
        } if review else None,
        "chronologies": dict(model.chronology_entries),
        "actions": {"recommendations": len(model.recommendations), "actions": len(model.actions),
                    "latest_rag": rag_counts},
        "notifications": len(model.notifications),
        "records": sorted(k for k in records if k != "chronology") + (["chronology"] if model.chronology_entries else []),
    }


def _value(member) -> str | None:
    return member.value if member is not None else None


def _iso(value):
    if isinstance(value, str) and value.startswith("wbcr:sealed:"):
        return "(sealed)"  # personal data sealed at rest; this clone has no key to show it
    return value
