"""Learning themes across reviews (issue 14): which of the register's themes recur in which reviews and
years, and which agencies' actions address them.

`themes_report` reads every case's records as the board report does (`wbcr.reports.board`: each record
checked against its schema; a case that does not validate is listed as not counted, never a crash) and
returns plain data: for each theme of wbcr.yaml's `themes:` list, the reviews whose findings or
recommendations carry it, counted per financial year of the review (a theme × year matrix), and the
actions of the recommendations carrying it, by lead agency with their RAG rating now.
`ThemesReport.as_dict()` is the documented JSON layout (`SCHEMA_VERSION`).

A review's year is the financial year (April to March) of the decision to hold it (the Chair's or the
safeguarding partners' decision), or, for a case with no such decision (an out-of-area contribution),
of the day the referral was received. `--from`/`--to` select reviews by that same day.

Cases are named by reference and pseudonym only; every free text the report carries (a pseudonym, an
action's wording) is checked against the identifying values of every case's people.yaml and withheld if
it holds one (`wbcr.reports.board`'s `_Identifiers`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from wbcr.core.dates import parse_uk_date
from wbcr.core.errors import UsageError, WbcrError
from wbcr.model.case import Case, build_case
from wbcr.model.register import Register
from wbcr.model.themes import iter_case_themes, register_themes
from wbcr.reports.board import _Identifiers, _load_records, _pseudonym
from wbcr.workflow.deadlines import procedure_for

SCHEMA_VERSION = 1
#: the order ratings are listed in: worst first, then the actions finished or handed on
RATINGS = ("RED", "AMBER", "GREEN", "BLUE", "not_rated", "carried")


# --- the result ------------------------------------------------------------------------------------


@dataclass
class ThemeCase:
    """One review carrying a theme: which of its findings and recommendations carry it."""

    reference: str
    pseudonym: str | None
    year: str
    review_kind: str | None  # None: no review of its own (an out-of-area contribution)
    review_label: str | None  # the review kind's label, else the intake's
    findings: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)


@dataclass
class ThemeAction:
    reference: str
    pseudonym: str | None
    recommendation: str
    action: str
    text: str | None
    lead_agency: str | None
    lead_agency_name: str | None
    target_date: str | None
    rag: str  # RED, AMBER, GREEN, BLUE (signed off), not_rated or carried (to another plan)
    overdue: bool


@dataclass
class ThemeRow:
    id: str
    label: str
    description: str | None
    listed: bool  # False: a record names it but wbcr.yaml does not list it (`wbcr validate` says so)
    reviews: int = 0
    findings: int = 0
    recommendations: int = 0
    recurring: bool = False  # carried by two reviews or more
    by_year: list[dict] = field(default_factory=list)  # [{year, reviews, cases: [{reference, pseudonym}]}]
    cases: list[ThemeCase] = field(default_factory=list)
    actions: list[ThemeAction] = field(default_factory=list)
    by_agency: list[dict] = field(default_factory=list)  # [{agency, name, actions, by_rag: {rating: n}}]


@dataclass
class ThemesReport:
    board: str
    today: str
    period: dict
    cases: dict
    years: list[str]
    themes: list[ThemeRow]
    untagged: dict

    def as_dict(self) -> dict:
        return {"schema_version": SCHEMA_VERSION, "report": "themes", **asdict(self)}


# --- periods and years -----------------------------------------------------------------------------


def themes_period(start: str | None, end: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The days `--from` and `--to` give, written as any date option may be (2026-02-03, 03/02/2026, 3 Feb
    2026); either may be left out: no limit on that side."""
    days = []
    for text, option in ((start, "--from"), (end, "--to")):
        try:
            days.append(parse_uk_date(text) if text else None)
        except ValueError as exc:
            raise UsageError(f"{option}: {exc}", hint="write a date as 2026-02-03, 03/02/2026 or 3 Feb 2026") from None
    if days[0] and days[1] and days[1] < days[0]:
        raise UsageError(f"--to {days[1].isoformat()} is before --from {days[0].isoformat()}")
    return days[0], days[1]


def financial_year_of(day: dt.date) -> str:
    """`2016/17` for any day from 1 April 2016 to 31 March 2017."""
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{str(first + 1)[2:]}"


def review_day(case: Case) -> dt.date | None:
    """The day a review counts from: the decision to hold it, else the day the referral was received."""
    chair = case.chair_decision
    if chair is not None and chair.date is not None:
        return chair.date
    return case.received or case.case.opened


# --- the report ------------------------------------------------------------------------------------


@dataclass
class _Read:
    reference: str
    case: Case
    day: dt.date
    kind: str | None
    kind_label: str | None


def _read_cases(register: Register) -> tuple[list[_Read], list[dict], int, _Identifiers]:
    """The cases that carry a recommendations.yaml (only they can carry themes), read and typed; the
    cases that do not validate; how many cases the register holds; the people of every case."""
    read, skipped, total, ids = [], [], 0, _Identifiers()
    for folder in register.iter_case_dirs():
        total += 1
        try:
            records = _load_records(register, folder)
            if records is None:
                raise WbcrError("does not validate")
            ids.add(records.get("people"))
            if "recommendations" not in records:
                continue
            model = build_case(records)
            day = review_day(model)
            kind = model.case.review_kind.value if model.case.review_kind else None
            vocab = register.vocabulary(procedure_for(model.case, register))
            intake = model.case.intake.value if model.case.intake else None
            # a case with no review of its own (an out-of-area contribution) is named by its intake
            label = vocab.label("review_kind", kind) if kind else (vocab.label("intake", intake) if intake else None)
        except WbcrError:
            skipped.append({"reference": folder.name, "reason": "does not validate (run `wbcr validate` on it)"})
            continue
        if day is not None:
            read.append(_Read(folder.name, model, day, kind, label))
    return read, skipped, total, ids


def _rating(action) -> str:
    if action.carried_to:
        return "carried"
    if action.signed_off:
        return "BLUE"
    return action.rag.value if action.rag else "not_rated"


def themes_report(register: Register, today: dt.date, start: dt.date | None = None,
                  end: dt.date | None = None) -> ThemesReport:
    """The themes of the reviews whose day (`review_day`) falls in `start`..`end` (inclusive; None: no
    limit), their actions rated as they stand on `today`."""
    read, skipped, total, ids = _read_cases(register)
    chosen = [r for r in read if (start is None or r.day >= start) and (end is None or r.day <= end)]
    rows: dict[str, ThemeRow] = {t.id: ThemeRow(t.id, t.label, t.description, True) for t in register_themes(register.config)}
    untagged: dict[str, list] = {"findings": [], "recommendations": []}
    for r in sorted(chosen, key=lambda r: (r.day, r.reference)):
        pseudonym = ids.safe(_pseudonym(r.case))
        year = financial_year_of(r.day)
        record = r.case.records.get("recommendations") or {}
        carried: dict[str, ThemeCase] = {}
        for path, theme, _owner in iter_case_themes(record):
            row = rows.setdefault(theme, ThemeRow(theme, theme, None, False))
            item = record[path[0]][path[1]]
            entry = carried.setdefault(theme, ThemeCase(r.reference, pseudonym, year, r.kind, r.kind_label))
            ident = str(item.get("id"))
            if path[0] == "findings":
                row.findings += 1
                entry.findings.append(ident)
            else:
                row.recommendations += 1
                entry.recommendations.append(ident)
        for key in ("findings", "recommendations"):
            for item in record.get(key) or []:
                if isinstance(item, dict) and not item.get("themes"):
                    untagged[key].append({"reference": r.reference, "pseudonym": pseudonym, "id": str(item.get("id"))})
        for theme, entry in carried.items():
            rows[theme].cases.append(entry)
        for rec in r.case.recommendations:
            for theme in dict.fromkeys(rec.themes):
                for action in rec.actions:
                    rows[theme].actions.append(ThemeAction(
                        r.reference, pseudonym, rec.id, action.id, ids.safe(action.text), action.lead_agency,
                        register.agency_name(action.lead_agency) if action.lead_agency else None,
                        action.target_date.isoformat() if action.target_date else None, _rating(action),
                        action.overdue_on(today)))
    years = sorted({c.year for row in rows.values() for c in row.cases})
    for row in rows.values():
        _summarise(row, years)
    order = list(rows)
    themes = sorted(rows.values(), key=lambda t: (-t.reviews, order.index(t.id)))
    return ThemesReport(
        board=(register.config.get("board") or {}).get("name") or "Safeguarding Children Board",
        today=today.isoformat(),
        period={"from": start.isoformat() if start else None, "to": end.isoformat() if end else None},
        cases={"in_register": total, "counted": total - len(skipped), "not_counted": skipped,
               "with_learning": len(chosen), "with_themes": len({c.reference for t in themes for c in t.cases})},
        years=years, themes=themes, untagged=untagged)


def _summarise(row: ThemeRow, years: list[str]) -> None:
    row.reviews = len(row.cases)
    row.recurring = row.reviews >= 2
    row.by_year = [{"year": year, "reviews": sum(1 for c in row.cases if c.year == year),
                    "cases": [{"reference": c.reference, "pseudonym": c.pseudonym} for c in row.cases if c.year == year]}
                   for year in years]
    row.actions.sort(key=lambda a: (a.lead_agency or "", a.reference, a.action))
    agencies: dict[str, dict] = {}
    for a in row.actions:
        key = a.lead_agency or "not_recorded"
        entry = agencies.setdefault(key, {"agency": a.lead_agency, "name": a.lead_agency_name or "Not recorded",
                                          "actions": 0, "by_rag": {}})
        entry["actions"] += 1
        entry["by_rag"][a.rag] = entry["by_rag"].get(a.rag, 0) + 1
    for entry in agencies.values():
        entry["by_rag"] = {k: entry["by_rag"][k] for k in RATINGS if k in entry["by_rag"]}
    row.by_agency = sorted(agencies.values(), key=lambda e: (-e["actions"], e["name"]))

