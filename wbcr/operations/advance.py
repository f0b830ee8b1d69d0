"""Moving a case on: `wbcr advance` checks the guard of the next stage (or of the exit taken) on the
case's records and records the move through the case store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from wbcr.core.errors import FindingsError, UsageError
from wbcr.core.findings import ERROR, Finding
from wbcr.model.case import build_case
from wbcr.store.case import CaseEdit
from wbcr.core.calendar import Calendar
from wbcr.workflow.deadlines import DeadlineStatus, guard, next_stage, procedure_for


@dataclass
class Advanced:
    reference: str
    from_stage: str
    to_stage: str
    on: dt.date
    late: list[DeadlineStatus]
    warnings: list[str] = field(default_factory=list)  # what the procedure warns about but does not block


def advance(register, reference: str, *, to: str | None, on: dt.date | None, note: str | None,
            late_reason: str | None, actor: str, today: dt.date) -> Advanced:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq  # noqa: PLC0415 - ruamel off --help

    with CaseEdit(register, reference) as edit:
        reference = edit.reference
        record = edit.load("case")
        records = edit.plain()
        state = build_case(records).case
        procedure = procedure_for(state, register)
        current = state.stage
        options = next_stage(procedure, state)
        if not options:
            if not state.is_closed and state.kind == "referral":
                raise FindingsError(f'{reference}: the case is at "{current}" and cannot move on until the decision '
                                    "is recorded", hint="record it with `wbcr decide`")
            raise UsageError(f'{reference} is at "{current}", the end of its path', hint="nothing further to advance")
        target = to or options[0]
        if target not in options:
            path = procedure.path(state.intake.value if state.intake else None,
                                  state.review_kind.value if state.review_kind else None)
            where = "behind" if target in path and current in path and path.index(target) <= path.index(current) \
                else "not next"
            raise UsageError(f'{reference} cannot move from "{current}" to "{target}" ({where})',
                             hint=f"possible next stage(s): {', '.join(options)}")
        on = on or today
        if on > today:
            raise UsageError(f"--on {on} is after today ({today})", hint="a stage is recorded when it is reached")
        last = state.reached
        if last and on < last:
            raise UsageError(f"--on {on} is before the case reached \"{current}\" ({last})")
        calendar = Calendar.from_config(register.config)
        result = guard(procedure, records, target, calendar, on, from_stage=current)
        if result.missing:
            findings = [Finding("workflow.guard", ERROR, m, f"cases/{reference}/") for m in result.missing]
            raise FindingsError(f'{reference} cannot move to "{target}": {len(result.missing)} thing(s) missing',
                                findings=findings)
        if result.late and not late_reason:
            findings = [Finding("workflow.late", ERROR, f'"{d.title}" was due {d.due}'
                                + (f", met {d.met_on}" if d.met_on else ", not yet met"), f"cases/{reference}/")
                        for d in result.late]
            raise FindingsError(f'{reference} reaches "{target}" after its deadline: a reason must be recorded',
                                findings=findings, hint='give it with --late-reason "…"')
        entry = CommentedMap()
        entry["stage"] = target
        entry["date"] = on
        entry["by"] = actor
        if note:
            entry["note"] = note
        if result.late:
            entry["late_reason"] = late_reason
        if "stage_history" not in record or record["stage_history"] is None:
            record["stage_history"] = CommentedSeq()
        record["stage_history"].append(entry)
        record["stage"] = target
        if target == "closed":
            record["closed"] = on
        edit.save(action="advance", summary=f"advanced from {current} to {target}", today=today, actor=actor,
                  stage_change=(current, target), event_date=on)
        return Advanced(reference, current, target, on, result.late, result.warnings)


