"""The workflow of a case: guards, deadlines, what happens next, and moving a case on.

Everything here is computed from the procedure's data and the case's records; nothing about a
particular stage is written in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from wbcr.calendar import Calendar, parse_offset
from wbcr.dates import parse_iso_date
from wbcr.procedure import Deadline, Evaluator, Procedure, _fill, is_recorded, load_procedure, resolve


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_iso_date(str(value).lstrip("?")) if value is not None else None
    except ValueError:
        return None


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


def procedure_for(case: dict, register) -> Procedure:
    """The procedure a case follows: its own `procedure:`, else the register's default; the register's
    own `procedures/` folder first."""
    default = register if isinstance(register, str) else register.default_procedure
    chosen = case.get("procedure") or default
    if not isinstance(chosen, str):
        from wbcr.errors import WbcrError

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
                status = _one(d, calendar, anchor=item.get(d.anchor), met=resolve({"x": item}, f"x#{d.met}"),
                              own_due=item.get(d.due) if d.due else None, item=item)
                if status:
                    out.append(status)
            continue
        extended_to = None
        if d.extended_to and (not d.extension_requires or is_recorded(resolve(records, d.extension_requires))):
            start = _as_date(resolve(records, d.anchor))
            # an extension counts only when its letter went before the deadline it extends had passed
            extended_to = _earlier_extension(records, d, calendar, start) if start else None
        status = _one(d, calendar, anchor=resolve(records, d.anchor), met=resolve(records, d.met),
                      own_due=extended_to, extended=extended_to is not None)
        if status:
            out.append(status)
    return out


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
        sent = _as_date(item.get(letter_field)) if letter_field else None
        new_date = _as_date(item.get(field_name))
        if new_date is None or (sent is not None and sent > due):
            continue
        honoured, due = new_date, new_date
    return honoured


def _one(d: Deadline, calendar: Calendar, *, anchor, met, own_due=None, item=None, extended=False):
    start = _as_date(anchor)
    if start is None:
        return None
    due = _as_date(own_due) or calendar.add(start, parse_offset(d.offset))
    title = _fill(d.title, item) if item is not None else d.title
    owner = _fill(d.owner, item) if item is not None else d.owner
    ident = d.id if item is None else f"{d.id}:{item.get('id') or item.get('agency') or ''}"
    unit = parse_offset(d.offset).unit
    return DeadlineStatus(ident, title, owner, start, due, _as_date(met), d.stage, extended,
                          due_on_non_working_day=unit != "wd" and not calendar.is_working_day(due))


@dataclass
class GuardResult:
    target: str
    missing: list[str] = field(default_factory=list)
    late: list[DeadlineStatus] = field(default_factory=list)

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
    missing = [m for cond in conditions for m in evaluator.missing(cond)]
    late = [d for d in deadlines if d.stage == target and (d.state(on) in ("missed", "overdue"))]
    return GuardResult(target=target, missing=missing, late=late)


def next_stage(procedure: Procedure, case: dict) -> list[str]:
    """The stages the case may move to next: the next on its path, and any exits."""
    path = procedure.path(case.get("intake"), case.get("review_kind"))
    stage = case.get("stage")
    options = []
    if stage in path and path.index(stage) + 1 < len(path):
        options.append(path[path.index(stage) + 1])
    options += [e["to"] for e in procedure.exits(stage) if e["to"] not in options]
    return options


# --- moving a case on ------------------------------------------------------------------------------


@dataclass
class Advanced:
    reference: str
    from_stage: str
    to_stage: str
    on: dt.date
    late: list[DeadlineStatus]


def advance(register, reference: str, *, to: str | None, on: dt.date | None, note: str | None,
            late_reason: str | None, actor: str, today: dt.date) -> Advanced:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from wbcr.store.case import CaseEdit
    from wbcr.errors import FindingsError, UsageError
    from wbcr.findings import ERROR, Finding

    edit = CaseEdit(register, reference)
    case = edit.load("case")
    records = edit.plain()
    plain_case = records["case"]
    procedure = procedure_for(plain_case, register)
    current = plain_case["stage"]
    options = next_stage(procedure, plain_case)
    if not options:
        if current != "closed" and plain_case.get("intake") == "review_referral" and not plain_case.get("review_kind"):
            raise FindingsError(f'{reference}: the case is at "{current}" and cannot move on until the Independent '
                                "Chair's decision is recorded", hint="record it with `wbcr decide`")
        raise UsageError(f'{reference} is at "{current}", the end of its path', hint="nothing further to advance")
    target = to or options[0]
    if target not in options:
        path = procedure.path(plain_case.get("intake"), plain_case.get("review_kind"))
        where = "behind" if target in path and path.index(target) <= path.index(current) else "not next"
        raise UsageError(f'{reference} cannot move from "{current}" to "{target}" ({where})',
                         hint=f"possible next stage(s): {', '.join(options)}")
    on = on or today
    if on > today:
        raise UsageError(f"--on {on} is after today ({today})", hint="a stage is recorded when it is reached")
    history = plain_case.get("stage_history") or []
    last = _as_date(history[-1].get("date")) if history else None
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
    if "stage_history" not in case or case["stage_history"] is None:
        case["stage_history"] = CommentedSeq()
    case["stage_history"].append(entry)
    case["stage"] = target
    if target == "closed":
        case["closed"] = on
    edit.save(action="advance", summary=f"advanced from {current} to {target}", today=today, actor=actor,
              stage_change=(current, target), event_date=on)
    return Advanced(reference, current, target, on, result.late)


# --- what happens next -----------------------------------------------------------------------------


def case_next(register, reference: str, today: dt.date) -> dict:
    from wbcr.store.case import CaseEdit

    records = CaseEdit(register, reference).plain()
    case = records["case"]
    procedure = procedure_for(case, register)
    calendar = Calendar.from_config(register.config)
    stage = case["stage"]
    moves = []
    for target in next_stage(procedure, case):
        result = guard(procedure, records, target, calendar, today, from_stage=stage)
        moves.append({"stage": target, "title": procedure.title_of(target), "ready": result.ok,
                      "missing": result.missing,
                      "late": [d.as_dict(today) for d in result.late]})
    deadlines = sorted(compute_deadlines(procedure, records, calendar), key=lambda d: d.due)
    open_deadlines = [d.as_dict(today) for d in deadlines if d.met_on is None]
    return {
        "reference": reference, "today": today.isoformat(), "stage": stage, "stage_title": procedure.title_of(stage),
        "owner": procedure.owner_of(stage), "action": procedure.action_of(stage), "next": moves,
        "deadlines": open_deadlines,
    }


def case_records_for_deadlines(register, folder) -> dict | None:
    """The records deadlines read, parsed fast (no chronologies, no people); None if unreadable."""
    from wbcr.yamlio import YamlError, load_record

    records: dict[str, Any] = {}
    for kind in ("case", "referral", "decisions", "notifications", "review", "recommendations"):
        path = folder / f"{kind}.yaml"
        if path.is_file():
            try:
                data = load_record(path, register.relpath(path))
            except YamlError:
                return None
            if not isinstance(data, dict):
                return None
            records[kind] = data
    return records if isinstance(records.get("case"), dict) else None


def register_deadlines(register, today: dt.date) -> list[dict]:
    """Every open deadline of every open case, soonest first (a case whose records have not changed
    since the last run is answered from the cache)."""
    from wbcr.validation import DailyViews

    calendar = Calendar.from_config(register.config)
    views = DailyViews(register, today)
    rows = []
    for case in views.cases():
        rows += case.view("deadlines", lambda: _open_deadline_rows(register, case, today, calendar),
                          valid=lambda value: isinstance(value, list))
    views.save()
    rows.sort(key=lambda r: (r["due"], r["reference"], r["id"]))
    return rows


def _open_deadline_rows(register, case, today: dt.date, calendar: Calendar) -> list[dict]:
    """One case's open deadlines as rows (`case`: a validation.DailyCase)."""
    from wbcr.yamlio import YamlError

    if case.exists("case"):  # a closed case has none, whatever its other records say: read no more
        try:
            record = case.load("case")
        except YamlError:
            record = None
        if isinstance(record, dict) and record.get("stage") == "closed":
            return []
    records = case.records_for_deadlines()
    if records is None or records["case"].get("stage") == "closed":
        return []
    try:
        procedure = procedure_for(records["case"], register)
    except Exception:  # noqa: BLE001 - an unknown procedure is a validation finding, not a crash here
        return []
    return [{"reference": case.name, **d.as_dict(today)}
            for d in compute_deadlines(procedure, records, calendar) if d.met_on is None]


def format_ics(rows: list[dict], board: str, stamp: dt.datetime) -> str:
    """An iCalendar file of all-day events: reference and deadline only, never a person's name."""
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//wbcr//case review deadlines//EN",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{esc(board + ' case review deadlines')}"]
    for row in rows:
        due = dt.date.fromisoformat(row["due"])
        uid = f"{row['reference']}-{row['id'].replace(':', '-')}@wbcr"
        lines += ["BEGIN:VEVENT", f"UID:{esc(uid)}", f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
                  f"DTSTART;VALUE=DATE:{due.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{(due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
                  f"SUMMARY:{esc(row['reference'] + ': ' + row['title'])}",
                  "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _fold(line: str) -> str:
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)
