"""The status board: one row a case with its next open deadline, answered from the daily views cache."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wbcr.core.errors import WbcrError
from wbcr.core.yamlio import YamlError
from wbcr.model.case import case_record_of
from wbcr.model.register import Register
from wbcr.core.calendar import Calendar
from wbcr.validation.engine import DailyViews
from wbcr.workflow.deadlines import compute_deadlines, procedure_for



@dataclass
class CaseRow:
    reference: str
    lead_lscb: str | None
    kind: str | None
    stage: str | None
    opened: str | None
    closed: str | None
    days_open: int | None
    problem: str | None = None
    next_deadline: dict | None = None

    @property
    def is_closed(self) -> bool:
        return self.stage == "closed"

    def as_dict(self) -> dict:
        return {"reference": self.reference, "lead_lscb": self.lead_lscb, "kind": self.kind, "stage": self.stage,
                "opened": self.opened, "closed": self.closed, "days_open": self.days_open,
                "next_deadline": self.next_deadline, "problem": self.problem}


def _days(opened: dt.date | None, closed: dt.date | None, today: dt.date) -> int | None:
    return None if opened is None else ((closed or today) - opened).days


def iter_case_rows(register: Register, today: dt.date):
    """One row per case folder with its next open deadline (fast: no schema work; a case whose records
    have not changed since the last run is answered from the cache)."""
    calendar = Calendar.from_config(register.config)
    views = DailyViews(register, today)
    for case in views.cases():
        fields = case.view("status", lambda: _status_fields(register, case, today, calendar),
                           valid=lambda value: isinstance(value, tuple) and len(value) == 9)
        yield CaseRow(*fields)
    views.save()


def _status_fields(register: Register, case, today: dt.date, calendar) -> tuple:
    """The fields of one case's CaseRow, from its records (`case`: a validation.DailyCase)."""
    name = case.name
    if not case.exists("case"):
        return (name, None, None, None, None, None, None, "no case.yaml", None)
    try:
        record = case.load("case")
    except YamlError as exc:
        return (name, None, None, None, None, None, None, str(exc).splitlines()[0], None)
    if not isinstance(record, dict):
        return (name, None, None, None, None, None, None, "case.yaml is not a mapping", None)
    if not case.valid("case"):
        return (name, None, None, None, None, None, None, "case.yaml does not validate", None)
    typed = case_record_of(record)
    upcoming = None
    records = case.records_for_deadlines() if not typed.is_closed else None
    broken = case.invalid() if records is None and not typed.is_closed else []
    if broken:
        problem = ", ".join(f"{kind}.yaml" for kind in broken) + " do not validate"
        return (name, typed.lead_lscb, typed.kind, None, _day(typed.opened), _day(typed.closed),
                _days(typed.opened, typed.closed, today), problem, None)
    if records is not None:
        try:
            open_ = [d for d in compute_deadlines(procedure_for(typed, register), records,
                                                  calendar) if d.met_on is None]
        except WbcrError:
            open_ = []
        if open_:
            upcoming = min(open_, key=lambda d: d.due).as_dict(today)
    return (name, typed.lead_lscb, typed.kind, typed.stage or None, _day(typed.opened), _day(typed.closed),
            _days(typed.opened, typed.closed, today), None, upcoming)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()
