"""The workflow of a case: guards, deadlines, what happens next, and moving a case on.

Everything here is computed from the procedure's data and the case's records; nothing about a
particular stage is written in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping

from wbcr.core.calendar import Calendar, parse_offset
from wbcr.core.dates import as_date
from wbcr.model.procedure import Deadline, Evaluator, Procedure, _fill, is_recorded, load_procedure, resolve
from wbcr.core.errors import WbcrError


@dataclass
class DeadlineStatus:
    """One deadline of one case, as of a day."""

    id: str
    title: str
    owner: str
    anchor: dt.date
    due: dt.date
    met_on: dt.date | None
    stage: str | None
    extended: bool = False
    due_on_non_working_day: bool = False
    after_closing: bool = False  # still owed after the case closes
    decision: bool = False  # a timescale of the decision on the referral

    def state(self, today: dt.date) -> str:
        if self.met_on is not None:
            return "met" if self.met_on <= self.due else "missed"
        return "overdue" if today > self.due else "pending"

    def days_left(self, today: dt.date) -> int | None:
        return None if self.met_on is not None else (self.due - today).days

    def as_dict(self, today: dt.date) -> dict:
        return {"id": self.id, "title": self.title, "owner": self.owner, "anchor": self.anchor.isoformat(),
                "due": self.due.isoformat(), "met_on": self.met_on.isoformat() if self.met_on else None,
                "state": self.state(today), "days_left": self.days_left(today), "stage": self.stage,
                "extended": self.extended, "due_on_non_working_day": self.due_on_non_working_day}


def _field(case, name: str):
    """A field of case.yaml, from the typed record (`wbcr.model.case.CaseRecord`) or its plain mapping."""
    if isinstance(case, Mapping):
        return case.get(name)
    value = getattr(case, name, None)
    return value.value if isinstance(value, Enum) else value


def procedure_for(case, register) -> Procedure:
    """The procedure a case follows (`case`: its typed CaseRecord or case.yaml's mapping): its own
    `procedure:`, else the register's default; the register's own `procedures/` folder first."""
    default = register if isinstance(register, str) else register.default_procedure
    chosen = _field(case, "procedure") or default
    if not isinstance(chosen, str):
        raise WbcrError(f"procedure must be a name such as wt2015, not {type(chosen).__name__}",
                        code="procedure.unknown", hint="run `wbcr validate`")
    return load_procedure(chosen) if isinstance(register, str) else register.procedure(chosen)


def compute_deadlines(procedure: Procedure, records: dict, calendar: Calendar) -> list[DeadlineStatus]:
    """Every deadline that has started (its anchor is recorded) for this case."""
    out: list[DeadlineStatus] = []
    evaluator = Evaluator(records)
    for d in procedure.deadlines:
        if d.when and not evaluator.holds(d.when):
            continue
        if d.each:
            for item in resolve(records, d.each) or []:
                if not isinstance(item, dict):
                    continue
                status = _one(d, calendar, anchor=_anchor(d, {"x": item}, "x#"), met=_met(d, {"x": item}, "x#"),
                              own_due=item.get(d.due) if d.due else None, item=item)
                if status:
                    out.append(status)
            continue
        extended_to = None
        if d.extended_to and (not d.extension_requires or is_recorded(resolve(records, d.extension_requires))):
            start = as_date(_anchor(d, records))
            # an extension counts only when its letter went before the deadline it extends had passed
            extended_to = _earlier_extension(records, d, calendar, start) if start else None
        status = _one(d, calendar, anchor=_anchor(d, records), met=_met(d, records),
                      own_due=extended_to, extended=extended_to is not None)
        if status:
            out.append(status)
    return out


def _first_recorded(paths: str | tuple, records: dict, prefix: str) -> Any:
    for path in ([paths] if isinstance(paths, str) else list(paths)):
        value = resolve(records, prefix + path)
        if is_recorded(value):
            return value
    return None


def _anchor(d: Deadline, records: dict, prefix: str = "") -> Any:
    """The date the deadline runs from: its `anchor`, or the first recorded of its anchors."""
    return _first_recorded(d.anchor, records, prefix)


def _met(d: Deadline, records: dict, prefix: str = "") -> Any:
    """The date that met the deadline: its `met` field, or the first recorded of its `met` fields."""
    return _first_recorded(d.met, records, prefix)


def _earlier_extension(records: dict, d: Deadline, calendar: Calendar, start: dt.date):
    """The latest extension whose letter went before the due date then in force, or None: an extension
    asked for after the deadline passed does not undo the miss."""
    base, _, field_name = d.extended_to.partition("[-1].")
    letter_field = d.extension_requires.partition("[-1].")[2] if d.extension_requires else ""
    due = calendar.add(start, parse_offset(d.offset))
    honoured = None
    for item in resolve(records, base) or []:
        if not isinstance(item, dict):
            continue
        sent = as_date(item.get(letter_field)) if letter_field else None
        new_date = as_date(item.get(field_name))
        if new_date is None or (sent is not None and sent > due):
            continue
        honoured, due = new_date, new_date
    return honoured


def _one(d: Deadline, calendar: Calendar, *, anchor, met, own_due=None, item=None, extended=False):
    start = as_date(anchor)
    if start is None:
        return None
    due = as_date(own_due) or calendar.add(start, parse_offset(d.offset))
    title = _fill(d.title, item) if item is not None else d.title
    owner = _fill(d.owner, item) if item is not None else d.owner
    ident = d.id if item is None else f"{d.id}:{item.get('id') or item.get('agency') or ''}"
    unit = parse_offset(d.offset).unit
    return DeadlineStatus(ident, title, owner, start, due, as_date(met), d.stage, extended,
                          due_on_non_working_day=unit != "wd" and not calendar.is_working_day(due),
                          after_closing=d.after_closing, decision=d.decision)


@dataclass
class GuardResult:
    target: str
    missing: list[str] = field(default_factory=list)
    late: list[DeadlineStatus] = field(default_factory=list)
    paths: list[str | None] = field(default_factory=list)  # for each missing item, the record path it asks for
    warnings: list[str] = field(default_factory=list)  # `warn: true` requirements unmet: said, not blocking

    @property
    def ok(self) -> bool:
        return not self.missing


def guard(procedure: Procedure, records: dict, target: str, calendar: Calendar, on: dt.date,
          from_stage: str | None = None) -> GuardResult:
    """What stops the case moving to `target` on `on` (guard of the stage, or of the exit used)."""
    deadlines = compute_deadlines(procedure, records, calendar)
    by_id = {}
    for d in deadlines:
        by_id.setdefault(d.id.split(":")[0], d)

    def past(ident: str) -> bool:
        status = by_id.get(ident)
        return bool(status and status.met_on is None and on > status.due)

    evaluator = Evaluator(records, past_deadline=past)
    conditions = procedure.requirements(target)
    if from_stage is not None:
        for exit_ in procedure.exits(from_stage):
            if exit_["to"] == target:
                conditions = exit_["requires"]
    unmet = [item for cond in conditions if not cond.get("warn") for item in evaluator.unmet(cond)]
    warnings = [message for cond in conditions if cond.get("warn") for message in evaluator.missing(cond)]
    missing = [message for message, _path in unmet]
    late = [d for d in deadlines if d.stage == target and (d.state(on) in ("missed", "overdue"))]
    return GuardResult(target=target, missing=missing, late=late, paths=[path for _message, path in unmet],
                       warnings=warnings)


def next_stage(procedure: Procedure, case) -> list[str]:
    """The stages the case may move to next: the next on its path, and any exits (`case`: the typed
    CaseRecord or case.yaml's mapping)."""
    path = procedure.path(_field(case, "intake"), _field(case, "review_kind"))
    stage = _field(case, "stage")
    options = []
    if stage in path and path.index(stage) + 1 < len(path):
        options.append(path[path.index(stage) + 1])
    options += [e["to"] for e in procedure.exits(stage) if e["to"] not in options]
    return options
