"""Cases: registering a referral as a new case, and reading cases for the status board and `show`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wbcr import gitrepo
from wbcr.dates import parse_iso_date
from wbcr.errors import FindingsError, UsageError, WbcrError
from wbcr.findings import ERROR, Finding
from wbcr.register import Register
from wbcr.yamlio import YamlError, dump_text, load_record, parse_yaml, read_record

# --- registering a referral ------------------------------------------------------------------------


@dataclass
class Referral:
    """A referral to register: the referral record, the people it names, and where it came from."""

    referral: Any            # ruamel round-trip mapping (keeps the sender's comments) or a plain dict
    people: Any
    source: str              # shown in messages


def read_referral_file(path: Path) -> Referral:
    """A referral record (`referral.yaml` form) with its people: a `people:` list inside it, or a
    `people.yaml` beside it (as in an existing case folder)."""
    from wbcr.yamlio import load_roundtrip

    shown = str(path)
    if not path.is_file():
        raise UsageError(f"{shown}: no such file", hint="give the path of a referral record (YAML)")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"{shown}: wbcr reads referral records as YAML (.yaml)",
                         hint="see case_templates/case/referral.yaml for the form")
    referral = load_roundtrip(path, shown)
    if not isinstance(referral, dict):
        raise YamlError("a referral record must be a mapping of fields", path=shown, line=1, col=1, code="schema")
    people = None
    if "people" in referral:
        people = {"schema_version": 1, "people": referral.pop("people")}
    else:
        beside = path.parent / "people.yaml"
        if beside.is_file():
            people = load_roundtrip(beside, str(beside))
    if people is None:
        raise UsageError(f"{shown}: no people are given for the referral",
                         hint="add a `people:` list to the referral record (subject child first), "
                              "or put its people.yaml beside it")
    return Referral(referral=referral, people=people, source=shown)


def _skeleton(name: str):
    from wbcr.resources import case_templates_dir
    from wbcr.yamlio import _rt

    return _rt().load(read_record(case_templates_dir() / "case" / name))


def _flags(referral: dict) -> dict:
    criteria = referral.get("criteria") or {}
    must = set(criteria.get("must_notify") or [])
    parallel = referral.get("parallel_processes") or {}
    return {
        "death": bool(must & {"death_abuse_neglect", "death_in_custody", "suspected_suicide"}),
        "death_in_custody": "death_in_custody" in must,
        "criminal_proceedings": bool(parallel.get("criminal_proceedings")),
        "coroner": bool(parallel.get("coroner")),
    }


def register_referral(register: Register, incoming: Referral, *, actor: str, today: dt.date,
                      commit: bool = True) -> str:
    """Allocate the next reference and register the case through the case store (sealed by the
    register's policy, validated whole, written whole or not at all, committed)."""
    from wbcr import schemas
    from wbcr.reference import next_reference
    from wbcr.store.case import CaseEdit
    from wbcr.store.lock import register_lock

    referral = incoming.referral
    refs = register.config.get("references") or {}
    problems = schemas.check_record("referral", {**_plain(referral), "reference": "PENDING"})
    if problems:
        raise FindingsError(f"{incoming.source}: the referral is not valid; nothing was registered",
                            findings=[Finding("schema", ERROR, p.message, incoming.source, hint=p.hint)
                                      for p in problems])
    received = parse_iso_date(str(referral["received"]))
    if received > today:
        raise FindingsError(f"{incoming.source}: received date {received} is after today ({today})",
                            hint="check the date the referral was received")
    procedure = register.procedure()
    first_stage = procedure.path(str(referral["intake"]), None)[0]
    people = incoming.people
    subject_pseudonym = _subject_pseudonym(people, referral)

    with register_lock(register.root):
        register.cases_dir.mkdir(parents=True, exist_ok=True)
        reference = next_reference(register.cases_dir, refs["format"], refs["prefix"], received.year)
        referral["reference"] = reference
        case = _skeleton("case.yaml")
        case["reference"] = reference
        case["lead_lscb"] = str(referral["lead_lscb"])
        case["intake"] = str(referral["intake"])
        case["stage"] = first_stage
        case["opened"] = received
        case["pseudonym"] = subject_pseudonym
        for key, value in _flags(_plain(referral)).items():
            case["flags"][key] = value
        case["stage_history"][0]["stage"] = first_stage
        case["stage_history"][0]["date"] = received
        case["stage_history"][0]["by"] = actor
        edit = CaseEdit(register, reference, new=True, commit=commit)
        for kind, data in (("case", case), ("referral", referral), ("people", people)):
            edit.put(kind, data)
        try:
            edit.save(action="refer", summary="referral registered", today=today, actor=actor,
                      stage_change=("(new)", first_stage), event_date=received)
        except FindingsError as exc:
            exc.message = f"{incoming.source}: the referral would make an invalid case; nothing was registered"
            raise
    return reference


def _plain(data: Any) -> Any:
    """A ruamel round-trip structure as plain dicts, lists and strings (dates as ISO text)."""
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    if isinstance(data, (dt.date, dt.datetime)):
        return data.isoformat()[:10]
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, int):
        return int(data)
    if isinstance(data, float):
        return float(data)
    return str(data)


def _subject_pseudonym(people: Any, referral: Any) -> str:
    subjects = list(referral.get("subjects") or [])
    for person in (people or {}).get("people") or []:
        if person.get("id") in subjects or (not subjects and person.get("role") == "subject"):
            return str(person.get("pseudonym") or "Child A")
    return "Child A"


# --- reading cases ---------------------------------------------------------------------------------


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


def case_kind(record: dict) -> str | None:
    return record.get("review_kind") or {"review_referral": "referral", "out_of_area": "out_of_area",
                                         "good_practice": "good_practice"}.get(record.get("intake"))


def _days(opened: str | None, closed: str | None, today: dt.date) -> int | None:
    try:
        start = parse_iso_date(opened)
    except (ValueError, TypeError):
        return None
    try:
        end = parse_iso_date(closed) if closed else today
    except (ValueError, TypeError):
        end = today
    return (end - start).days


def iter_case_rows(register: Register, today: dt.date):
    """One row per case folder with its next open deadline (fast: no schema work; a case whose records
    have not changed since the last run is answered from the cache)."""
    from wbcr.calendar import Calendar
    from wbcr.validation import DailyViews

    calendar = Calendar.from_config(register.config)
    views = DailyViews(register, today)
    for case in views.cases():
        fields = case.view("status", lambda: _status_fields(register, case, today, calendar),
                           valid=lambda value: isinstance(value, tuple) and len(value) == 9)
        yield CaseRow(*fields)
    views.save()


def _status_fields(register: Register, case, today: dt.date, calendar) -> tuple:
    """The fields of one case's CaseRow, from its records (`case`: a validation.DailyCase)."""
    from wbcr.workflow import compute_deadlines, procedure_for

    name = case.name
    if not case.exists("case"):
        return (name, None, None, None, None, None, None, "no case.yaml", None)
    try:
        record = case.load("case")
    except YamlError as exc:
        return (name, None, None, None, None, None, None, str(exc).splitlines()[0], None)
    if not isinstance(record, dict):
        return (name, None, None, None, None, None, None, "case.yaml is not a mapping", None)
    opened, closed = record.get("opened"), record.get("closed")
    upcoming = None
    records = case.records_for_deadlines() if record.get("stage") != "closed" else None
    if records is not None:
        try:
            open_ = [d for d in compute_deadlines(procedure_for(record, register), records,
                                                  calendar) if d.met_on is None]
        except WbcrError:
            open_ = []
        if open_:
            upcoming = min(open_, key=lambda d: d.due).as_dict(today)
    return (name, _text(record.get("lead_lscb")), _text(case_kind(record)), _text(record.get("stage")),
            _text(opened), _text(closed), _days(opened, closed, today), None, upcoming)


def _text(value) -> str | None:
    return None if value is None else str(value)


def load_case(register: Register, reference: str) -> dict[str, Any]:
    """Every record of one case, parsed (not schema-checked); chronologies under "chronology"."""
    folder = register.case_dir(reference)
    if "/" in reference or "\\" in reference or reference.startswith(".") or not folder.is_dir():
        raise UsageError(f'no case "{reference}" in this register', hint="`wbcr status` lists the cases")
    out: dict[str, Any] = {"chronology": {}}
    for path in sorted(folder.glob("*.yaml")):
        out[path.stem] = load_record(path, register.relpath(path))
    for path in sorted((folder / "chronology").glob("*.yaml")):
        out["chronology"][path.stem] = load_record(path, register.relpath(path))
    if not isinstance(out.get("case"), dict):
        raise WbcrError(f"cases/{reference}/case.yaml is missing or empty", hint="run `wbcr validate`")
    return out
