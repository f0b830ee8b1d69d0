"""Asking for a referral on a terminal, field by field, for `wbcr refer` without --from.

Every question is answered before the register lock is taken: a person thinking over an answer must
never keep every other command of the register waiting (`refer` asks first, then registers)."""

from __future__ import annotations

import datetime as dt

import typer

from wbcr.model.referral import Referral
from wbcr.core.dates import parse_uk_date
from wbcr.model.register import Register

INTAKES = ["review_referral", "out_of_area", "good_practice"]
ROUTES = ["agency", "rapid_response", "coroner", "cdop", "other_lscb"]


def _choice(label: str, options: list[str], default: str | None = None) -> str:
    shown = ", ".join(options)
    while True:
        value = typer.prompt(f"{label} [{shown}]", default=default or options[0]).strip()
        if value in options:
            return value
        typer.echo(f"  please type one of: {shown}", err=True)


def _date(label: str, default: dt.date | None = None, optional: bool = False) -> str | None:
    while True:
        value = typer.prompt(label, default=default.isoformat() if default else ("" if optional else None),
                             show_default=bool(default)).strip()
        if optional and not value:
            return None
        try:
            return parse_uk_date(value).isoformat()
        except ValueError as exc:
            typer.echo(f"  {exc}", err=True)


def _list(label: str, options: list[str]) -> list[str]:
    while True:
        value = typer.prompt(f"{label} (comma-separated, blank for none) [{', '.join(options)}]",
                             default="", show_default=False)
        items = [v.strip() for v in value.split(",") if v.strip()]
        bad = [v for v in items if v not in options]
        if not bad:
            return items
        typer.echo(f"  not recognised: {', '.join(bad)}", err=True)


def _not_locked() -> None:
    from wbcr.core.errors import WbcrError  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.store.lock import held_any  # noqa: PLC0415 - lazy: keeps --help fast

    if held_any():
        raise WbcrError("wbcr was about to ask a question while holding the register lock; nothing was changed",
                        code="lock.prompt", hint="this is a bug in wbcr: please report the command you ran")


def prompt_referral(register: Register, today: dt.date) -> Referral:
    from wbcr.model.schemas import load_schema  # noqa: PLC0415 - lazy: keeps --help fast

    _not_locked()

    criteria = load_schema("referral")["properties"]["criteria"]["properties"]
    agencies = sorted(register.agency_ids())
    typer.echo("New referral (Appendix 1). Press Enter to accept a default shown in brackets.", err=True)
    referral = {
        "schema_version": 1,
        "reference": "PENDING",
        "received": _date("Date received", today),
        "lead_lscb": _choice("Lead LSCB or local authority area (where the child normally lives)", sorted(register.lscb_ids())),
        "intake": _choice("Intake", INTAKES),
        "route": _choice("Route", ROUTES),
        "referrer": {
            "name": typer.prompt("Referrer's name"),
            "agency": _choice("Referrer's agency", agencies),
            "role": typer.prompt("Referrer's role"),
        },
        "dsl_consulted": {"consulted": typer.confirm("Designated safeguarding lead consulted?", default=True)},
        "subjects": ["child-a"],
        "criteria": {
            "must_notify": _list("Criteria that must be notified", criteria["must_notify"]["items"]["enum"]),
            "wider": _list("Wider criteria", criteria["wider"]["items"]["enum"]),
        },
        "summary": typer.prompt("Summary of the incident and reasons for referral"),
        "records_secured": typer.confirm("Have agencies been asked to secure their records?", default=True),
    }
    child = {"id": "child-a", "pseudonym": typer.prompt("Child's pseudonym", default="Child A"),
             "role": "subject", "relationship": "Subject child", "name": typer.prompt("Child's full name")}
    dob = _date("Child's date of birth (blank if unknown)", optional=True)
    if dob:
        child["date_of_birth"] = dob
    return Referral(referral=referral, people={"schema_version": 1, "people": [child]}, source="the referral")
