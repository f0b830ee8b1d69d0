"""Registering a referral as a new case: the next reference, the case's first records, through the case
store (sealed by policy, validated whole, written whole or not at all, committed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wbcr.core.dates import parse_iso_date
from wbcr.core.errors import FindingsError
from wbcr.core.findings import ERROR, Finding
from wbcr.core.resources import case_templates_dir
from wbcr.core.yamlio import _rt, read_record
from wbcr.model import schemas
from wbcr.model.reference import next_reference
from wbcr.model.referral import Referral, read_referral_file  # noqa: F401 - read_referral_file: the CLI reads it from here
from wbcr.model.register import Register
from wbcr.store.case import CaseEdit, plain as _plain
from wbcr.store.lock import register_lock


def _skeleton(name: str):
    return _rt().load(read_record(case_templates_dir() / "case" / name))


def _flags(referral: dict) -> dict:
    criteria = referral.get("criteria") or {}
    must = set(criteria.get("must_notify") or [])
    parallel = referral.get("parallel_processes") or {}
    flags = {
        "death": bool(must & {"death_abuse_neglect", "death_in_custody", "suspected_suicide"})
                 or referral.get("child_died") is True,
        "death_in_custody": "death_in_custody" in must,
        "criminal_proceedings": bool(parallel.get("criminal_proceedings")),
        "coroner": bool(parallel.get("coroner")),
    }
    if referral.get("child_looked_after") is True:
        flags["looked_after"] = True  # a looked-after child's death is notified to the Secretary of State and Ofsted
    return flags


def register_referral(register: Register, incoming: Referral, *, actor: str, today: dt.date,
                      commit: bool = True) -> str:
    """Allocate the next reference and register the case through the case store (sealed by the
    register's policy, validated whole, written whole or not at all, committed)."""

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
    # the case names its procedure from the start, so a later change of the register's default never
    # reinterprets it
    procedure = register.procedure(str(referral["procedure"]) if referral.get("procedure") else None)
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
        case.insert(list(case).index("lead_lscb") + 1, "procedure", procedure.id)
        case["intake"] = str(referral["intake"])
        case["stage"] = first_stage
        case["opened"] = received
        case["pseudonym"] = subject_pseudonym
        for key, value in _flags(_plain(referral)).items():
            case["flags"][key] = value
        case["stage_history"][0]["stage"] = first_stage
        case["stage_history"][0]["date"] = received
        case["stage_history"][0]["by"] = actor
        with CaseEdit(register, reference, new=True, commit=commit) as edit:
            for kind, data in (("case", case), ("referral", referral), ("people", people)):
                edit.put(kind, data)
            try:
                edit.save(action="refer", summary="referral registered", today=today, actor=actor,
                          stage_change=("(new)", first_stage), event_date=received)
            except FindingsError as exc:
                exc.message = f"{incoming.source}: the referral would make an invalid case; nothing was registered"
                raise
    return reference


def _subject_pseudonym(people: Any, referral: Any) -> str:
    subjects = list(referral.get("subjects") or [])
    for person in (people or {}).get("people") or []:
        if person.get("id") in subjects or (not subjects and person.get("role") == "subject"):
            return str(person.get("pseudonym") or "Child A")
    return "Child A"
