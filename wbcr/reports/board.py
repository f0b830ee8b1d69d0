"""The board's annual report: a year of the register in figures (issue 14).

`board_report` reads every case's records as the case loader does (`wbcr.core.yamlio.load_record`),
checks each against its schema (a case that does not validate is listed as not counted, never a crash),
builds the typed case (`build_case`) and returns plain data: the referrals and notifications received in the period by intake, route, criterion and lead area;
the decisions made by kind and the time they took; the reviews opened, in progress (by stage and age),
completed and published; every timescale of each procedure that fell due in the period with the share
met on time, the median and worst delay and the cases that missed it with their recorded reasons;
extensions; out-of-area contributions; good-practice notifications; and the action plans (RAG now, over
time, overdue, signed off). `BoardReport.as_dict()` is the documented JSON layout (`SCHEMA_VERSION`).

Cases are named by reference and pseudonym only. People's names, dates of birth and addresses stay in
people.yaml: every free text the report carries (a late reason, an extension's reason, a pseudonym) is
checked against the identifying values of every case's people.yaml and withheld if it holds one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from wbcr.core.calendar import Calendar
from wbcr.core.dates import parse_uk_date
from wbcr.core.errors import UsageError, WbcrError
from wbcr.model.case import Case, Intake, ReviewKind, as_date, build_case
from wbcr.model.register import Register
from wbcr.core.yamlio import load_record
from wbcr.model.schemas import CASE_RECORDS, SEALED_PREFIX, is_valid
from wbcr.workflow.deadlines import compute_deadlines, procedure_for

SCHEMA_VERSION = 1
REDACTED = "[withheld: holds an identifying detail]"
RAGS = ("RED", "AMBER", "GREEN", "BLUE")
#: the bands of a review's age (days since the decision to hold it), as the board reads them
AGE_BANDS = ((0, 91, "under 3 months"), (91, 183, "3 to 6 months"), (183, 366, "6 to 12 months"),
             (366, None, "over 12 months"))
#: stages at which a review's report is complete (the review's work done; actions are monitored after)
_COMPLETED_STAGES = ("publication", "action_monitoring", "closed")


# --- the result ------------------------------------------------------------------------------------


@dataclass
class Count:
    key: str
    label: str
    count: int


@dataclass
class CaseRef:
    reference: str
    pseudonym: str | None


@dataclass
class Missed:
    reference: str
    pseudonym: str | None
    due: str
    met_on: str | None  # None: still outstanding on the report's day
    days_late: int
    reason: str | None


@dataclass
class Timescale:
    procedure: str
    id: str
    title: str
    owner: str
    due: int = 0  # fell due in the period
    met: int = 0
    late: int = 0  # met late, or not met and overdue
    pending: int = 0  # due in the period but not yet due on the report's day
    share_met: float | None = None  # met / (met + late), None when nothing was decided
    median_days_late: float | None = None  # of those late
    worst_days_late: int | None = None
    missed: list[Missed] = field(default_factory=list)


@dataclass
class BoardReport:
    """The whole report. Dates are ISO text; every list is in a stable order."""

    board: str
    today: str
    period: dict
    procedures: list[str]
    cases: dict
    intake: dict
    decisions: dict
    reviews: dict
    timescales: list[Timescale]
    extensions: list[dict]
    out_of_area: list[dict]
    good_practice: list[dict]
    actions: dict

    def as_dict(self) -> dict:
        return {"schema_version": SCHEMA_VERSION, "report": "board", **asdict(self)}


# --- periods ---------------------------------------------------------------------------------------


def financial_year(year: str) -> tuple[dt.date, dt.date]:
    """`2025/26` (or `2025-26`, `2025`) as 1 April 2025 to 31 March 2026; ValueError if it is not one."""
    match = re.fullmatch(r"(\d{4})(?:[/-](\d{2}|\d{4}))?", year.strip())
    if not match:
        raise ValueError(f'"{year}" is not a financial year such as 2025/26')
    start = int(match.group(1))
    if match.group(2):
        end = int(match.group(2))
        if (end if end >= 100 else start // 100 * 100 + end) != start + 1:
            raise ValueError(f'"{year}" is not a financial year: the second year must follow the first')
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def last_financial_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last complete financial year (April to March) before `today`."""
    start = today.year - 1 if today.month >= 4 else today.year - 2
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def board_period(today: dt.date, start: str | None, end: str | None, year: str | None) -> tuple[dt.date, dt.date]:
    """The period a command asked for: `--year`, or `--from`/`--to` (either may be left out: the
    financial year it falls in fills the gap), else the last complete financial year before today."""
    if year and (start or end):
        raise UsageError("give --year or --from/--to, not both")
    if year:
        try:
            return financial_year(year)
        except ValueError as exc:
            raise UsageError(str(exc), hint="e.g. --year 2025/26 (1 April 2025 to 31 March 2026)") from None
    if not (start or end):
        return last_financial_year(today)
    days = []
    for text, option in ((start, "--from"), (end, "--to")):
        try:
            days.append(parse_uk_date(text) if text else None)
        except ValueError as exc:
            raise UsageError(f"{option}: {exc}", hint="write a date as 2026-02-03, 03/02/2026 or 3 Feb 2026") from None
    first, last = days
    first = first or financial_year(str(last.year - (last.month < 4)))[0]
    last = last or financial_year(str(first.year - (first.month < 4)))[1]
    if last < first:
        raise UsageError(f"--to {last.isoformat()} is before --from {first.isoformat()}")
    return first, last


def period_label(start: dt.date, end: dt.date) -> str:
    if (start.month, start.day, end.month, end.day) == (4, 1, 3, 31) and end.year == start.year + 1:
        return f"{start.year}/{str(end.year)[2:]}"
    return f"{_uk(start)} to {_uk(end)}"


def quarters(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The period in three-month blocks from its first day (a financial year: its four quarters)."""
    out = []
    first, blocks = start, 1
    while first <= end:
        nxt = _months_on(start, 3 * blocks)
        blocks += 1
        last = min(nxt - dt.timedelta(days=1), end)
        out.append((first, last))
        first = nxt
    return out


def _months_on(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` calendar months later (the month's last day where it is shorter)."""
    month = day.month + months
    year, month = day.year + (month - 1) // 12, (month - 1) % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _quarter_label(start: dt.date, end: dt.date) -> str:
    if start.year == end.year:
        return f"{start.strftime('%b')}–{end.strftime('%b')} {end.year}"
    return f"{start.strftime('%b %Y')}–{end.strftime('%b %Y')}"


def _uk(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


# --- identifying details ---------------------------------------------------------------------------


class _Identifiers:
    """Every identifying value of every people.yaml the report read: names (and each part of a name),
    dates of birth, addresses and postcodes. Free text holding one is withheld."""

    FIELDS = ("name", "address", "postcode", "nhs_number", "school", "gp_practice")

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.phrases: set[str] = set()
        self.dates: set[dt.date] = set()

    def add(self, people: Any) -> None:
        items = people.get("people") if isinstance(people, dict) else None
        for person in items if isinstance(items, list) else []:
            if not isinstance(person, dict):
                continue
            names = [person.get(k) for k in self.FIELDS]
            names += person.get("other_names") if isinstance(person.get("other_names"), list) else []
            for value in names:
                if isinstance(value, str) and value.strip() and not value.startswith(SEALED_PREFIX):
                    self.phrases.add(value.strip().casefold())
                    if value is person.get("name") or value in (person.get("other_names") or []):
                        self.words.update(w.casefold() for w in re.findall(r"[^\W\d_]{2,}", value))
            born = as_date(person.get("date_of_birth"))
            if born:
                self.dates.add(born)

    def holds(self, text: str) -> bool:
        folded = text.casefold()
        if any(p in folded for p in self.phrases):
            return True
        if self.words and any(w in self.words for w in re.findall(r"[^\W\d_]{2,}", folded)):
            return True
        return any(day in self.dates for day in _dates_in(text))

    def safe(self, text: str | None) -> str | None:
        if text is None:
            return None
        text = " ".join(str(text).split())
        return REDACTED if self.holds(text) else text


_MONTHS = {m.casefold(): n for n, m in enumerate(
    ("January February March April May June July August September October November December").split(), 1)}
_DATE_FORMS = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})"
                         r"|(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")


def _dates_in(text: str) -> Iterable[dt.date]:
    for m in _DATE_FORMS.finditer(text):
        try:
            if m.group(1):
                yield dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            elif m.group(4):
                year = int(m.group(6))
                yield dt.date(year + 2000 if year < 100 else year, int(m.group(5)), int(m.group(4)))
            else:
                name = m.group(8).casefold()
                month = next((n for full, n in _MONTHS.items() if full.startswith(name) and len(name) >= 3), None)
                if month:
                    yield dt.date(int(m.group(9)), month, int(m.group(7)))
        except ValueError:
            continue


# --- reading the register --------------------------------------------------------------------------


@dataclass
class _Read:
    reference: str  # the case folder's name
    case: Case
    procedure: Any
    vocab: Any
    deadlines: list


def _load_records(register: Register, folder) -> dict[str, Any] | None:
    """A case's records as `load_case` reads them, but not its chronologies (the report counts none of
    their entries, and they are most of a register's bytes: 200,000 entries take seconds to parse).
    None when a record does not validate against its schema."""
    records: dict[str, Any] = {"chronology": {}}
    with os.scandir(folder) as entries:
        files = sorted((e.name, e.path) for e in entries if e.name in CASE_RECORDS and e.is_file())
    for name, path in files:
        kind = CASE_RECORDS[name]
        data = load_record(Path(path), register.relpath(Path(path)))
        if not is_valid(kind, data):
            return None
        records[kind] = data
    return records if isinstance(records.get("case"), dict) else None


def _read_cases(register: Register, calendar: Calendar) -> tuple[list[_Read], list[dict], _Identifiers]:
    read, skipped, identifiers = [], [], _Identifiers()
    for folder in register.iter_case_dirs():
        reference = folder.name
        try:
            records = _load_records(register, folder)
            if records is None:
                raise WbcrError("does not validate")
            identifiers.add(records.get("people"))
            model = build_case(records)
            procedure = procedure_for(model.case, register)
            deadlines = compute_deadlines(procedure, records, calendar)
        except WbcrError:
            skipped.append({"reference": reference, "reason": "does not validate (run `wbcr validate` on it)"})
            continue
        read.append(_Read(reference, model, procedure, register.vocabulary(procedure), deadlines))
    return read, skipped, identifiers


def _within(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def _pseudonym(case: Case) -> str | None:
    value = case.case.pseudonym
    return None if value is None or value.startswith(SEALED_PREFIX) else value


def _counts(found: dict[str, int], labels: dict[str, str]) -> list[Count]:
    return [Count(k, labels.get(k, k), n) for k, n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))]


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _stage_on(case: Case, day: dt.date) -> str | None:
    """The stage the case had reached by `day` (its stage history)."""
    reached = [h for h in case.case.history if h.date is not None and h.date <= day]
    return reached[-1].stage if reached else None


def _first_reached(case: Case, stages: tuple[str, ...]) -> dt.date | None:
    days = [h.date for h in case.case.history if h.stage in stages and h.date is not None]
    return min(days) if days else None


def _milestone(case: Case, name: str) -> dt.date | None:
    review = case.records.get("review")
    milestones = review.get("milestones") if isinstance(review, dict) else None
    return as_date(milestones.get(name)) if isinstance(milestones, dict) else None


def _completed_on(case: Case) -> dt.date | None:
    """When the review's report was complete: approved by the board (or partners), else the day the
    case first reached publication, action monitoring or closed."""
    days = [d for d in (_milestone(case, "lscb_approved"), _first_reached(case, _COMPLETED_STAGES)) if d]
    return min(days) if days else None


def _is_review(case: Case) -> bool:
    kind = case.case.review_kind
    return kind is not None and kind is not ReviewKind.no_review and case.chair_decision is not None \
        and case.chair_decision.date is not None


# --- the report ------------------------------------------------------------------------------------


def board_report(register: Register, today: dt.date, start: dt.date, end: dt.date) -> BoardReport:
    """The board's report of the period `start`..`end` (inclusive) as it stands on `today`."""
    calendar = Calendar.from_config(register.config)
    read, skipped, ids = _read_cases(register, calendar)
    as_at = min(end, today)
    procedures = sorted({r.procedure.id for r in read} | ({register.default_procedure} if not read else set()))
    board = (register.config.get("board") or {}).get("name") or "Safeguarding Children Board"

    def ref(r: _Read) -> CaseRef:
        return CaseRef(r.reference, ids.safe(_pseudonym(r.case)))

    return BoardReport(
        board=board, today=today.isoformat(),
        period={"from": start.isoformat(), "to": end.isoformat(), "label": period_label(start, end),
                "as_at": as_at.isoformat(),
                "quarters": [{"from": a.isoformat(), "to": b.isoformat(), "label": _quarter_label(a, b)}
                             for a, b in quarters(start, end)]},
        procedures=procedures,
        cases={"in_register": len(read) + len(skipped), "counted": len(read), "not_counted": skipped},
        intake=_intake(read, register, start, end, ref),
        decisions=_decisions(read, start, end, ref),
        reviews=_reviews(read, start, end, as_at, ref),
        timescales=_timescales(read, register, start, end, today, ids),
        extensions=_extensions(read, start, end, ref, ids),
        out_of_area=_intake_list(read, Intake.out_of_area, register, start, end, as_at, ref),
        good_practice=_intake_list(read, Intake.good_practice, register, start, end, as_at, ref),
        actions=_actions(read, register, start, end, today, ref),
    )


def _intake(read: list[_Read], register: Register, start, end, ref) -> dict:
    received = [r for r in read if _within(r.case.received or r.case.case.opened, start, end)]
    routes: dict[str, int] = {}
    intakes: dict[str, int] = {}
    leads: dict[str, int] = {}
    criteria: dict[tuple[str, str], int] = {}
    route_labels, intake_labels, lead_labels, criterion_labels = {}, {}, {}, {}
    per_quarter = [{} for _ in quarters(start, end)]
    spans = quarters(start, end)
    for r in received:
        route = (r.case.referral.route if r.case.referral else None) or "not_recorded"
        intake = r.case.case.intake.value if r.case.case.intake else "not_recorded"
        lead = r.case.case.lead_lscb or "not_recorded"
        routes[route] = routes.get(route, 0) + 1
        intakes[intake] = intakes.get(intake, 0) + 1
        leads[lead] = leads.get(lead, 0) + 1
        route_labels[route] = r.vocab.label("route", route) if route != "not_recorded" else "Not recorded"
        intake_labels[intake] = r.vocab.label("intake", intake) if intake != "not_recorded" else "Not recorded"
        lead_labels[lead] = register.lscb_name(lead) if lead != "not_recorded" else "Not recorded"
        for group, keys in sorted((r.case.referral.criteria if r.case.referral else {}).items()):
            for key in keys if isinstance(keys, list) else []:
                criteria[(group, str(key))] = criteria.get((group, str(key)), 0) + 1
                criterion_labels[(group, str(key))] = r.vocab.label(group, key)
        day = r.case.received or r.case.case.opened
        for n, (a, b) in enumerate(spans):
            if a <= day <= b:
                per_quarter[n][route] = per_quarter[n].get(route, 0) + 1
    return {
        "total": len(received),
        "by_intake": [asdict(c) for c in _counts(intakes, intake_labels)],
        "by_route": [asdict(c) for c in _counts(routes, route_labels)],
        "by_lead": [asdict(c) for c in _counts(leads, lead_labels)],
        "by_criterion": [{"group": g, "key": k, "label": criterion_labels[(g, k)], "count": n}
                         for (g, k), n in sorted(criteria.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))],
        "by_quarter": [{"label": _quarter_label(a, b), "by_route": dict(sorted(q.items()))}
                       for (a, b), q in zip(spans, per_quarter)],
        "cases": [{**asdict(ref(r)), "received": (r.case.received or r.case.case.opened).isoformat(),
                   "intake": r.case.case.intake.value if r.case.case.intake else None,
                   "route": r.case.referral.route if r.case.referral else None, "lead": r.case.case.lead_lscb}
                  for r in sorted(received, key=lambda r: (r.case.received or r.case.case.opened, r.reference))],
    }


def _decisions(read: list[_Read], start, end, ref) -> dict:
    rows = []
    for r in read:
        chair, screening = r.case.chair_decision, r.case.screening
        if chair is not None and chair.decision is not None and _within(chair.date, start, end):
            kind, label, day = chair.decision.value, r.vocab.label("review_kind", chair.decision.value), chair.date
        elif screening is not None and screening.outcome is not None and screening.outcome.value == "not_for_review" \
                and _within(screening.date, start, end):
            kind, label, day = "not_for_review", r.vocab.label("screening", "not_for_review"), screening.date
        else:
            continue
        received = r.case.received or r.case.case.opened
        rows.append({**asdict(ref(r)), "procedure": r.procedure.id, "kind": kind, "label": label,
                     "received": received.isoformat() if received else None, "decided": day.isoformat(),
                     "days": (day - received).days if received else None})
    rows.sort(key=lambda x: (x["decided"], x["reference"]))
    kinds: dict[tuple[str, str], list] = {}
    for row in rows:
        kinds.setdefault((row["procedure"], row["kind"]), []).append(row)
    days = [row["days"] for row in rows if row["days"] is not None]
    return {
        "total": len(rows),
        "by_kind": [{"procedure": p, "key": k, "label": items[0]["label"], "count": len(items)}
                    for (p, k), items in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0]))],
        "days_to_decision": {"count": len(days), "median": _median(days), "shortest": min(days, default=None),
                             "longest": max(days, default=None)},
        "cases": rows,
    }


def _reviews(read: list[_Read], start, end, as_at, ref) -> dict:
    opened, progress, completed, published = [], [], [], []
    for r in read:
        if not _is_review(r.case):
            continue
        began = r.case.chair_decision.date
        done = _completed_on(r.case)
        kind = r.case.case.review_kind.value
        base = {**asdict(ref(r)), "kind": kind, "label": r.vocab.label("review_kind", kind),
                "decided": began.isoformat()}
        if _within(began, start, end):
            opened.append(base)
        if began <= as_at and (done is None or done > as_at):
            stage = _stage_on(r.case, as_at) or r.case.case.stage
            progress.append({**base, "stage": stage, "stage_title": r.procedure.title_of(stage),
                             "age_days": (as_at - began).days, "age_band": _band((as_at - began).days)})
        if _within(done, start, end):
            completed.append({**base, "completed": done.isoformat(), "days": (done - began).days})
        day = _milestone(r.case, "published")
        if _within(day, start, end):
            mode = ((r.case.records.get("review") or {}).get("milestones") or {}).get("publication_mode")
            published.append({**base, "published": day.isoformat(), "mode": mode})
    by_stage: dict[str, int] = {}
    titles = {}
    for p in progress:
        by_stage[p["stage"]] = by_stage.get(p["stage"], 0) + 1
        titles[p["stage"]] = p["stage_title"]
    order = [label for _lo, _hi, label in AGE_BANDS]
    return {
        "opened": sorted(opened, key=lambda x: (x["decided"], x["reference"])),
        "in_progress": sorted(progress, key=lambda x: (-x["age_days"], x["reference"])),
        "in_progress_by_stage": [asdict(c) for c in _counts(by_stage, titles)],
        "in_progress_by_age": [{"band": b, "count": sum(1 for p in progress if p["age_band"] == b)} for b in order],
        "completed": sorted(completed, key=lambda x: (x["completed"], x["reference"])),
        "published": sorted(published, key=lambda x: (x["published"], x["reference"])),
    }


def _band(days: int) -> str:
    for lo, hi, label in AGE_BANDS:
        if days >= lo and (hi is None or days < hi):
            return label
    return AGE_BANDS[0][2]


def _timescales(read: list[_Read], register: Register, start, end, today, ids: _Identifiers) -> list[Timescale]:
    rows: dict[tuple[str, str], Timescale] = {}
    procedures = {r.procedure.id: r.procedure for r in read}
    if not procedures:
        procedures = {register.default_procedure: register.procedure()}
    for pid, procedure in sorted(procedures.items()):
        for d in procedure.deadlines:
            if d.id == "action":  # the action plans have their own section
                continue
            title = re.sub(r"\s*\(\{offset\}\)", "", d.title).replace("{item.agency}", "each agency") \
                .replace("{item.id}", "each")
            owner = "Each agency" if "{item" in d.owner else d.owner
            rows[(pid, d.id)] = Timescale(pid, d.id, title, owner)
    late_days: dict[tuple[str, str], list[int]] = {}
    for r in read:
        for status in r.deadlines:
            base = status.id.split(":")[0]
            row = rows.get((r.procedure.id, base))
            if row is None or not _within(status.due, start, end):
                continue
            row.due += 1
            state = status.state(today)
            if state == "met":
                row.met += 1
                continue
            if state == "pending":
                row.pending += 1
                continue
            row.late += 1
            days = ((status.met_on or today) - status.due).days
            late_days.setdefault((r.procedure.id, base), []).append(days)
            row.missed.append(Missed(r.reference, ids.safe(_pseudonym(r.case)), status.due.isoformat(),
                                     status.met_on.isoformat() if status.met_on else None, days,
                                     ids.safe(_late_reason(r, status))))
    for key, row in rows.items():
        decided = row.met + row.late
        row.share_met = round(row.met / decided, 4) if decided else None
        row.median_days_late = _median(late_days.get(key, []))
        row.worst_days_late = max(late_days.get(key, []), default=None)
        row.missed.sort(key=lambda m: (m.due, m.reference))
    return list(rows.values())


def _late_reason(r: _Read, status) -> str | None:
    """The reason recorded for the miss: the late reason of the stage the deadline guards, or, for a
    review's completion, the reasons given for its extensions."""
    reasons = [h.late_reason for h in r.case.case.history if h.late_reason and status.stage and h.stage == status.stage]
    if not reasons and status.extended:
        review = r.case.records.get("review") or {}
        reasons = [str(e.get("reason")) for e in review.get("extensions") or [] if isinstance(e, dict) and e.get("reason")]
    return " ".join(reasons) if reasons else None


def _extensions(read: list[_Read], start, end, ref, ids: _Identifiers) -> list[dict]:
    out = []
    for r in read:
        review = r.case.records.get("review")
        for n, ext in enumerate(review.get("extensions") or [] if isinstance(review, dict) else [], 1):
            if not isinstance(ext, dict):
                continue
            asked = as_date(ext.get("requested")) or as_date(ext.get("letter_sent"))
            if not _within(asked, start, end):
                continue
            letter, new = as_date(ext.get("letter_sent")), as_date(ext.get("new_date"))
            out.append({**asdict(ref(r)), "number": n, "requested": asked.isoformat(),
                        "letter_sent": letter.isoformat() if letter else None,
                        "new_date": new.isoformat() if new else None, "reason": ids.safe(ext.get("reason"))})
    return sorted(out, key=lambda x: (x["requested"], x["reference"]))


def _intake_list(read: list[_Read], intake: Intake, register, start, end, as_at, ref) -> list[dict]:
    """The cases of an intake active in the period: received by its end and not closed before its start."""
    out = []
    for r in read:
        if r.case.case.intake is not intake:
            continue
        received = r.case.received or r.case.case.opened
        closed = r.case.case.closed or (_first_reached(r.case, ("closed",)) if r.case.case.is_closed else None)
        if received is None or received > end or (closed is not None and closed < start):
            continue
        stage = _stage_on(r.case, as_at) or r.case.case.stage
        out.append({**asdict(ref(r)), "received": received.isoformat(), "received_in_period": received >= start,
                    "lead": r.case.case.lead_lscb, "lead_name": register.lscb_name(r.case.case.lead_lscb or ""),
                    "stage": stage, "stage_title": r.procedure.title_of(stage),
                    "closed": closed.isoformat() if closed and closed <= as_at else None})
    return sorted(out, key=lambda x: (x["received"], x["reference"]))


def _rag_on(action, day: dt.date) -> str:
    """An action's rating as it stood on `day`: BLUE once signed off, else its latest dated update."""
    if action.signed_off is not None and action.signed_off <= day:
        return "BLUE"
    dated = [u for u in action.updates if u.date is not None and u.date <= day and u.rag is not None]
    return max(dated, key=lambda u: u.date).rag.value if dated else "not_rated"


def _actions(read: list[_Read], register, start, end, today, ref) -> dict:
    now: dict[str, int] = {}
    overdue, signed = [], []
    spans = quarters(start, end)
    over_time = [{"label": _quarter_label(a, b), "on": b.isoformat(), "counts": {}} for a, b in spans]
    for r in read:
        for rec in r.case.recommendations:
            for action in rec.actions:
                rating = "BLUE" if action.signed_off else (action.rag.value if action.rag else "not_rated")
                if action.carried_to:
                    rating = "carried"
                now[rating] = now.get(rating, 0) + 1
                if action.overdue_on(today):
                    overdue.append({**asdict(ref(r)), "action": action.id, "lead_agency": action.lead_agency,
                                    "lead_agency_name": register.agency_name(action.lead_agency or ""),
                                    "target_date": action.target_date.isoformat(),
                                    "days_overdue": (today - action.target_date).days,
                                    "rag": action.rag.value if action.rag else None})
                if _within(action.signed_off, start, end):
                    signed.append({**asdict(ref(r)), "action": action.id, "lead_agency": action.lead_agency,
                                   "signed_off": action.signed_off.isoformat(),
                                   "target_date": action.target_date.isoformat() if action.target_date else None,
                                   "on_time": action.target_date is None or action.signed_off <= action.target_date})
                started = [d for d in [rec.adopted_by_panel] + [u.date for u in action.updates] if d]
                for q, (_a, b) in zip(over_time, spans):
                    if started and min(started) <= b and not (action.carried_on and action.carried_on <= b):
                        key = _rag_on(action, b)
                        q["counts"][key] = q["counts"].get(key, 0) + 1
    order = {k: n for n, k in enumerate(RAGS + ("not_rated", "carried"))}
    return {
        "total": sum(now.values()),
        "by_rag_now": [{"rag": k, "count": now[k]} for k in sorted(now, key=lambda k: order.get(k, 9))],
        "rag_over_time": over_time,
        "overdue": sorted(overdue, key=lambda x: (-x["days_overdue"], x["reference"], x["action"])),
        "signed_off_in_period": sorted(signed, key=lambda x: (x["signed_off"], x["reference"], x["action"])),
    }
