"""Chronologies: each agency's record of what it knew and did, and the integrated (merged) chronology.

This module owns the rules, as plain data in and plain data out:

* the **merge order**: date, then time (entries without a time after the timed ones of that day), then
  sequence number (entries without one last), then agency order (the order of `agencies` in
  `wbcr.yaml`), then the agency's own order;
* the **flags** (`Flag`), computed by small functions that `wbcr validate` shares (`wbcr.validation.checks`):
  `chronology.scope` (an entry dated outside the review's scope period), `chronology.gap` (an agency
  recorded no contact for more than N days of the scope and declared no period of no contact over them),
  `chronology.same-day` (one day recorded by two or more agencies: a possible duplicate or an
  information-sharing point), `chronology.missing` (an agency asked for a chronology has not supplied one);
* the child's **age** at each entry and the **interval** since the previous entry;
* the **pseudonymised view**: every name in `people.yaml` replaced by that person's pseudonym.

Reading agency files is `wbcr.chronology_import`; Word and CSV output is `wbcr.chronology_output`.
Records are read on the fast path (`yamlio`, libyaml), never through the round-trip loader.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from wbcr.core.dates import parse_iso_date
from wbcr.core.errors import FindingsError, UsageError, WbcrError
from wbcr.core.findings import ERROR, Finding
from wbcr.core.yamlio import locate, parse_yaml, read_record
from wbcr.model import schemas
from wbcr.model.schemas import SEALED_PREFIX
from wbcr.security.passwords import case_password
from wbcr.security.sealing import CaseSeal, open_case_records

#: The columns of an agency chronology (Appendix 4), in order: (record field, heading).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("date", "Date"),
    ("time", "Time"),
    ("seq", "Seq"),
    ("source", "Source"),
    ("people", "People involved"),
    ("event", "Event / contact"),
    ("action", "Action / outcome"),
    ("practitioner", "Practitioner (role)"),
    ("significance", "Significance"),
)
TEXT_FIELDS = ("source", "event", "action", "practitioner", "significance")
DEFAULT_GAP_DAYS = 90

SCOPE, GAP, SAME_DAY, MISSING = "chronology.scope", "chronology.gap", "chronology.same-day", "chronology.missing"


# --- dates -----------------------------------------------------------------------------------------


def entry_date(text: Any) -> tuple[dt.date, bool] | None:
    """`(date, uncertain)` of an entry's date (`2025-03-01`, `?2025-03-01`); None when unreadable."""
    if not isinstance(text, str):
        return None
    uncertain = text.startswith("?")
    try:
        return parse_iso_date(text[1:] if uncertain else text), uncertain
    except ValueError:
        return None


def _iso(value: Any) -> dt.date | None:
    try:
        return parse_iso_date(value)
    except (ValueError, TypeError):
        return None


def scope_of(review: Any) -> tuple[dt.date, dt.date] | None:
    """The review's scope period (terms_of_reference.scope), or None when it is not recorded."""
    scope = ((review or {}).get("terms_of_reference") or {}).get("scope") if isinstance(review, dict) else None
    if not isinstance(scope, dict):
        return None
    start, end = _iso(scope.get("from")), _iso(scope.get("to"))
    return (start, end) if start and end and start <= end else None


def gap_days_of(config: dict) -> int:
    """`chronology.gap_days` in wbcr.yaml, else 90."""
    value = ((config or {}).get("chronology") or {}).get("gap_days")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else DEFAULT_GAP_DAYS


def format_uk_date(day: dt.date, uncertain: bool = False) -> str:
    return ("?" if uncertain else "") + f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_age(dob: dt.date | None, on: dt.date, died: dt.date | None = None) -> str:
    """The child's age on a day, as a reviewer reads it: `unborn`, `9 days`, `11 weeks`, `14 months`,
    `3 years 2 months`; `after death` once the child has died."""
    if dob is None:
        return ""
    if on < dob:
        return "unborn"
    if died is not None and on > died:
        return "after death"
    days = (on - dob).days
    if days < 14:
        return "1 day" if days == 1 else f"{days} days"
    if days < 91:
        return f"{days // 7} weeks"
    months = (on.year - dob.year) * 12 + on.month - dob.month - (1 if on.day < dob.day else 0)
    if months < 24:
        return f"{months} months"
    years, rest = divmod(months, 12)
    return f"{years} years" + (f" {rest} month{'s' if rest != 1 else ''}" if rest else "")


def format_interval(days: int | None) -> str:
    if days is None:
        return ""
    if days == 0:
        return "same day"
    return "1 day" if days == 1 else f"{days} days"


# --- flags -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """One thing the merge points out. `index` is the entry's position in its agency's file."""

    code: str
    message: str
    agency: str | None = None
    start: str | None = None      # ISO: the entry's date, or the first day of a gap
    end: str | None = None        # ISO: the last day of a gap
    days: int | None = None
    index: int | None = None
    agencies: tuple[str, ...] = ()
    state: str | None = None      # chronology.missing: "due", "overdue" or "received"

    def as_dict(self) -> dict:
        out = {"code": self.code, "message": self.message, "agency": self.agency, "start": self.start,
               "end": self.end, "days": self.days, "index": self.index, "agencies": list(self.agencies),
               "state": self.state}
        return {k: v for k, v in out.items() if v not in (None, [])}


def find_outside_scope(agency: str, dates: Iterable[Any], scope: tuple[dt.date, dt.date] | None) -> list[Flag]:
    """An entry dated before or after the review's scope period (dates in the agency's file order)."""
    if scope is None:
        return []
    start, end = scope
    out = []
    for i, text in enumerate(dates):
        parsed = entry_date(text)
        if parsed is None:
            continue
        day, uncertain = parsed
        if day < start or day > end:
            side = "before" if day < start else "after"
            out.append(Flag(SCOPE, f"{agency}: entry {i + 1} ({text}) is {side} the scope period "
                                   f"{start} to {end}", agency=agency, start=day.isoformat(), index=i))
    return out


def _periods(no_contact: Iterable[Any]) -> list[tuple[dt.date, dt.date]]:
    out = []
    for item in no_contact or []:
        if isinstance(item, dict):
            start, end = _iso(item.get("from")), _iso(item.get("to"))
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            start, end = _iso(item[0]), _iso(item[1])
        else:
            continue
        if start and end and start <= end:
            out.append((start, end))
    return sorted(out)


def _uncovered(first: dt.date, last: dt.date, periods: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """The runs of days from `first` to `last` (inclusive) that no declared period covers."""
    runs = []
    cursor = first
    for start, end in periods:
        if end < cursor or start > last:
            continue
        if start > cursor:
            runs.append((cursor, start - dt.timedelta(days=1)))
        cursor = max(cursor, end + dt.timedelta(days=1))
        if cursor > last:
            break
    if cursor <= last:
        runs.append((cursor, last))
    return runs


def find_gaps(agency: str, dates: Iterable[Any], no_contact: Iterable[Any], scope: tuple[dt.date, dt.date] | None,
              gap_days: int) -> list[Flag]:
    """Runs of more than `gap_days` days with no entry from the agency and no declared period of no contact.

    Within the scope period the runs before the first entry and after the last count too (an agency
    should say when it had no contact); without a scope, only the runs between entries. `index` is the
    entry that ends the gap (the last entry for a gap at the end of the scope, None without entries).
    """
    one = dt.timedelta(days=1)
    days: dict[dt.date, int] = {}
    for i, text in enumerate(dates):
        parsed = entry_date(text)
        if parsed is not None:
            days.setdefault(parsed[0], i)
    if scope is not None:
        start, end = scope
        days = {d: i for d, i in days.items() if start <= d <= end}
    elif not days:
        return []
    contacts = sorted(days)
    periods = _periods(no_contact)
    spans: list[tuple[dt.date, dt.date, int | None]] = []  # (first day without contact, last, entry after)
    if scope is not None:
        if not contacts:
            spans.append((scope[0], scope[1], None))
        else:
            spans.append((scope[0], contacts[0] - one, days[contacts[0]]))
    for before, after in zip(contacts, contacts[1:]):
        spans.append((before + one, after - one, days[after]))
    if scope is not None and contacts:
        last_index = max(days.values())
        spans.append((contacts[-1] + one, scope[1], last_index))
    out = []
    for first, last, index in spans:
        if first > last:
            continue
        for run_start, run_end in _uncovered(first, last, periods):
            length = (run_end - run_start).days + 1
            if length > gap_days:
                declared = " outside the periods of no contact it declared" if periods else ""
                out.append(Flag(GAP, f"{agency}: no contact recorded from {run_start} to {run_end} ({length} days)"
                                     f"{declared}; longer than {gap_days} days",
                                agency=agency, start=run_start.isoformat(), end=run_end.isoformat(), days=length,
                                index=index))
    return out


def find_missing(agency_reports: Iterable[Any], supplied: Iterable[str], today: dt.date) -> list[Flag]:
    """Agencies asked for a chronology (an `agency_reports` item with `chronology_due` or
    `chronology_received`) that have none in `chronology/`. `state`: due (not yet due), overdue, received
    (recorded as received but not imported). `index` is the item's position in `agency_reports`."""
    have = set(supplied)
    out = []
    for i, item in enumerate(agency_reports or []):
        if not isinstance(item, dict) or not isinstance(item.get("agency"), str):
            continue
        agency = item["agency"]
        due, received = _iso(item.get("chronology_due")), _iso(item.get("chronology_received"))
        if agency in have or (due is None and received is None):
            continue
        if received is not None:
            state = "received"
            message = (f"{agency}: chronology recorded as received on {received} but not imported "
                       f"(no chronology/{agency}.yaml)")
        elif due is not None and due < today:
            state = "overdue"
            message = f"{agency}: chronology asked for by {due} and not supplied ({(today - due).days} days overdue)"
        else:
            state = "due"
            message = f"{agency}: chronology asked for by {due} and not supplied yet"
        out.append(Flag(MISSING, message, agency=agency, start=(received or due).isoformat(), index=i, state=state))
    return out


# --- reading a case's chronologies -----------------------------------------------------------------


@dataclass
class CaseChronologies:
    """What the merge needs of one case, read on the fast path."""

    reference: str
    config: dict
    chronologies: dict[str, dict]           # agency id -> record, in agency order
    people: list[dict] = field(default_factory=list)
    review: dict = field(default_factory=dict)
    case: dict = field(default_factory=dict)
    subject: dict | None = None

    @property
    def scope(self) -> tuple[dt.date, dt.date] | None:
        return scope_of(self.review)


def reviewed_same_days(review: Any) -> set[dt.date]:
    """The days several agencies recorded that review.yaml says were already looked at."""
    recorded = (review or {}).get("chronology_review") if isinstance(review, dict) else None
    days = recorded.get("same_days") if isinstance(recorded, dict) else None
    return {day for day in (_iso(d) for d in days or []) if day is not None}


def days_recorded_by_several(chronologies: dict[str, Any]) -> list[dt.date]:
    """Every day that two or more agencies' chronologies (`{agency: record}`) hold an entry for."""
    seen: dict[dt.date, set[str]] = {}
    for agency, record in chronologies.items():
        for entry in (record or {}).get("entries") or []:
            found = entry_date(entry.get("date")) if isinstance(entry, dict) else None
            if found is not None:
                seen.setdefault(found[0], set()).add(agency)
    return sorted(day for day, agencies in seen.items() if len(agencies) > 1)


def agency_order(config: dict) -> dict[str, int]:
    """Agency id -> rank: the order of `agencies` in wbcr.yaml, then LSCBs."""
    order: dict[str, int] = {}
    for item in (config.get("agencies") or []) + (config.get("lscbs") or []):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            order.setdefault(item["id"], len(order))
    return order


def load_case_chronologies(register, reference: str, progress=None) -> CaseChronologies:
    """The chronologies of a case with its people, review and case records (sealed values opened with
    the case password when the case holds any). Refuses records that break their schema. `progress`,
    when given, is told ("reading chronologies", files read, files) as each is read."""
    folder = register.case_folder(reference)
    reference = folder.name
    records: dict[str, Any] = {"chronology": {}}
    sealed = False
    problems: list[Finding] = []

    def take(kind: str, path, key: str | None = None) -> None:
        nonlocal sealed
        display = register.relpath(path)
        text = read_record(path, display)
        holds_sealed = SEALED_PREFIX in text
        sealed = sealed or holds_sealed
        data = parse_yaml(text, display)
        for problem in schemas.check_record(kind, data, sealed=holds_sealed):
            line, col = locate(text, problem.path, key=problem.at_key)  # where validate puts it
            problems.append(Finding("schema", ERROR, problem.message, display, line, col, problem.hint))
        if key is None:
            records[kind] = data
        else:
            records["chronology"][key] = data

    for kind in ("case", "people", "review", "referral"):
        path = folder / f"{kind}.yaml"
        if path.is_file():
            take(kind, path)
    chron_dir = folder / "chronology"
    if chron_dir.is_dir():
        paths = [p for p in sorted(chron_dir.glob("*.yaml")) if not p.name.startswith(".")]
        for done, path in enumerate(paths, 1):
            take("chronology", path, path.stem)
            if progress is not None:
                progress("reading chronologies", done, len(paths))
    if problems:
        raise FindingsError(f"{reference}: some records are not valid, so the chronology cannot be merged",
                            findings=problems, hint="fix them first (`wbcr validate` lists every problem)")
    if sealed:
        records = _open_sealed(register, reference, records)
    config = register.config
    rank = agency_order(config)
    ordered = dict(sorted(records["chronology"].items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))
    for stem, data in ordered.items():
        if data.get("agency") != stem:
            raise WbcrError(f'cases/{reference}/chronology/{stem}.yaml holds agency "{data.get("agency")}"',
                            hint="name the file after its agency (`wbcr validate` reports this too)")
    people = (records.get("people") or {}).get("people") or []
    subjects = set((records.get("referral") or {}).get("subjects") or [])
    subject = next((p for p in people if p.get("id") in subjects), None) or \
        next((p for p in people if p.get("role") == "subject"), None)
    return CaseChronologies(reference=reference, config=config, chronologies=ordered, people=people,
                            review=records.get("review") or {}, case=records.get("case") or {}, subject=subject)


def _open_sealed(register, reference: str, records: dict) -> dict:
    """Sealed values opened in memory with the case password (never written anywhere)."""
    seal = CaseSeal.from_password(reference, case_password(register, reference))
    return open_case_records(records, reference, seal)


# --- the pseudonymised view ------------------------------------------------------------------------


_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev"}


class Pseudonymiser:
    """Replaces the names in people.yaml with the person's pseudonym, whole words only.

    A full name or an other name is matched case-insensitively, however its words are spaced or broken
    across lines ("chloe  HATTON" → "Mother"). A single part of a name (a forename or surname alone) is
    matched as it is usually written — capitalised or in capitals ("Chloe", "HATTON") — so that a name
    that is also an ordinary word ("Will", "Rose") is not replaced inside a sentence. A part shared by
    people with different pseudonyms (a family surname) becomes "[name]".
    """

    def __init__(self, people: Iterable[dict]) -> None:
        full: dict[str, str] = {}
        parts: dict[str, set[str]] = {}
        for person in people:
            if not isinstance(person, dict):
                continue
            pseudonym = str(person.get("pseudonym") or person.get("relationship") or "[name]")
            names = [person.get("name")] + list(person.get("other_names") or [])
            for name in names:
                if not isinstance(name, str) or not name.strip():
                    continue
                words = name.split()
                full.setdefault(" ".join(words).casefold(), pseudonym)
                for word in words:
                    for piece in {word, *word.split("-")}:
                        piece = piece.strip(".,'’()")
                        if len(piece) >= 2 and piece.casefold() not in _TITLES:
                            parts.setdefault(piece.casefold(), set()).add(pseudonym)
        self.full = full
        self.parts = {k: (next(iter(v)) if len(v) == 1 else "[name]") for k, v in parts.items()}
        # one pass over the text, full names before their parts, so a pseudonym put in is never read
        # again as a name ("Child" of "Invented-Child" inside the "Child E" just written)
        alternatives = []
        # a pseudonym already in the text stays as it is, though a word of it may be a name part
        pseudonyms = sorted({v for v in full.values()} | {v for vs in parts.values() for v in vs}, key=len, reverse=True)
        if pseudonyms:
            alternatives.append("(?P<keep>" + "|".join(re.escape(p) for p in pseudonyms) + ")")
        if full:
            names = sorted(full, key=len, reverse=True)
            alternatives.append("(?P<full>(?i:" + "|".join(r"\s+".join(re.escape(w) for w in name.split())
                                                         for name in names) + "))")
        if self.parts:
            variants = set()
            for part in self.parts:
                variants.update({part[:1].upper() + part[1:], part.upper(), part.title()})
            alternatives.append("(?P<part>" + "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
                                + ")")
        self._re = re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)") if alternatives else None

    def __bool__(self) -> bool:
        return bool(self.full)

    def _replace(self, match: re.Match) -> str:
        groups = match.groupdict()
        if groups.get("keep") is not None:
            return match.group(0)
        if groups.get("full") is not None:
            return self.full[" ".join(match.group(0).split()).casefold()]
        return self.parts[match.group(0).casefold()]

    def text(self, value: str) -> str:
        if not value or self._re is None:
            return value
        return self._re.sub(self._replace, value)


# --- the merge -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One entry of the integrated chronology."""

    day: dt.date
    uncertain: bool
    time: str | None
    seq: int | None
    agency: str
    index: int                   # position in the agency's file
    entry: dict                  # the entry as recorded (or pseudonymised)
    age: str = ""
    interval: int | None = None  # days since the previous entry
    flags: list = field(default_factory=list)   # short labels: "outside scope", "same day: tvp, bffc"
    shade: str | None = None     # "scope" or "same-day"

    @property
    def date_text(self) -> str:
        return ("?" if self.uncertain else "") + self.day.isoformat()

    def people(self) -> str:
        value = self.entry.get("people")
        return ", ".join(str(p) for p in value) if isinstance(value, list) else ("" if value is None else str(value))

    def as_dict(self) -> dict:
        out = {"date": self.date_text, "time": self.time, "seq": self.seq, "agency": self.agency,
               "age": self.age or None, "days_since_previous": self.interval}
        for name in ("source", "people", "event", "action", "practitioner", "significance"):
            out[name] = self.entry.get(name)
        out["flags"] = list(self.flags)
        return out


@dataclass
class Merged:
    reference: str
    pseudonym: str | None
    rows: list[Row]
    flags: list[Flag]
    agencies: list[str]                         # agencies that supplied a chronology, in agency order
    agency_names: dict[str, str]
    scope: tuple[dt.date, dt.date] | None
    gap_days: int
    pseudonymised: bool
    subject: str | None = None                  # the subject's pseudonym (ages are theirs)
    no_contact: dict[str, list] = field(default_factory=dict)

    def flags_of(self, code: str) -> list[Flag]:
        return [f for f in self.flags if f.code == code]

    def as_dict(self) -> dict:
        return {
            "reference": self.reference, "child": self.pseudonym, "view": "pseudonymised" if self.pseudonymised else "named",
            "scope": {"from": self.scope[0].isoformat(), "to": self.scope[1].isoformat()} if self.scope else None,
            "gap_days": self.gap_days, "agencies": self.agencies, "entries": len(self.rows),
            "flags": [f.as_dict() for f in self.flags], "rows": [r.as_dict() for r in self.rows],
        }


def _sort_key(rank: dict[str, int]):
    far = len(rank)

    def key(row: Row):
        return (row.day, row.time is None, row.time or "", row.seq is None, row.seq or 0,
                rank.get(row.agency, far), row.agency, row.index)

    return key


def merge(cc: CaseChronologies, *, today: dt.date, gap_days: int | None = None,
          pseudonymised: bool = False) -> Merged:
    """The integrated chronology of a case, sorted, with ages, intervals and flags."""
    gap = gap_days if gap_days is not None else gap_days_of(cc.config)
    if gap < 1:
        raise UsageError("--gap-days must be 1 or more")
    scope = cc.scope
    rank = agency_order(cc.config)
    pseudo = Pseudonymiser(cc.people) if pseudonymised else None
    rows: list[Row] = []
    flags: list[Flag] = []
    for agency, record in cc.chronologies.items():
        entries = record.get("entries") or []
        dates = [e.get("date") for e in entries]
        for i, entry in enumerate(entries):
            parsed = entry_date(entry.get("date"))
            if parsed is None:
                continue
            if pseudo:
                entry = _pseudonymise(entry, pseudo)
            seq = entry.get("seq")
            rows.append(Row(parsed[0], parsed[1], entry.get("time"), seq if isinstance(seq, int) else None,
                            agency, i, entry))
        flags += find_outside_scope(agency, dates, scope)
        flags += find_gaps(agency, dates, record.get("no_contact_periods") or [], scope, gap)
    rows.sort(key=_sort_key(rank))
    flags += find_missing(cc.review.get("agency_reports") or [], cc.chronologies, today)
    flags += _same_day(rows, rank)
    flags += _partnership_gaps(rows, cc, scope, gap)
    _annotate(rows, flags, cc.subject)
    names = {a.get("id"): a.get("name", a.get("id")) for a in (cc.config.get("agencies") or [])
             if isinstance(a, dict)}
    order = {SCOPE: 0, GAP: 1, SAME_DAY: 2, MISSING: 3}
    flags.sort(key=lambda f: (order.get(f.code, 9), f.start or "", rank.get(f.agency or "", -1), f.index or 0))
    return Merged(reference=cc.reference, pseudonym=cc.case.get("pseudonym"), rows=rows, flags=flags,
                  agencies=list(cc.chronologies), agency_names={k: names.get(k, k) for k in cc.chronologies},
                  scope=scope, gap_days=gap, pseudonymised=pseudonymised,
                  subject=(cc.subject or {}).get("pseudonym"),
                  no_contact={a: r.get("no_contact_periods") or [] for a, r in cc.chronologies.items()})


def _pseudonymise(entry: dict, pseudo: Pseudonymiser) -> dict:
    out = dict(entry)
    for name in TEXT_FIELDS:
        if isinstance(out.get(name), str):
            out[name] = pseudo.text(out[name])
    if isinstance(out.get("people"), list):
        out["people"] = [pseudo.text(p) if isinstance(p, str) else p for p in out["people"]]
    return out


def _same_day(rows: list[Row], rank: dict[str, int]) -> list[Flag]:
    """Days recorded by two or more agencies (rows are sorted, so one pass finds them)."""
    out = []
    far = len(rank)
    start = 0
    while start < len(rows):
        end = start
        while end < len(rows) and rows[end].day == rows[start].day:
            end += 1
        agencies = tuple(sorted(dict.fromkeys(r.agency for r in rows[start:end]),
                                key=lambda a: (rank.get(a, far), a)))
        if len(agencies) >= 2:
            uncertain = any(r.uncertain for r in rows[start:end])
            for r in rows[start:end]:
                others = [a for a in agencies if a != r.agency]
                r.flags.append("same day: " + ", ".join(others))
                r.shade = r.shade or "same-day"
            out.append(Flag(SAME_DAY, f"{rows[start].day}: recorded by {', '.join(agencies)} ({end - start} entries"
                                      f"{', a date uncertain' if uncertain else ''}): possible duplicates or an "
                                      "information-sharing point", start=rows[start].day.isoformat(),
                            agencies=agencies))
        start = end
    return out


def _partnership_gaps(rows: list[Row], cc: CaseChronologies, scope, gap: int) -> list[Flag]:
    """Runs of more than `gap` days in which no agency recorded any contact (whether or not declared:
    a child unseen by every agency is itself something the panel should see)."""
    if not rows or len(cc.chronologies) < 2:
        return []
    days = sorted({r.day for r in rows if scope is None or scope[0] <= r.day <= scope[1]})
    spans = list(zip(days, days[1:]))
    one = dt.timedelta(days=1)
    out = []
    for before, after in spans:
        length = (after - before).days - 1
        if length > gap:
            out.append(Flag(GAP, f"no agency recorded any contact from {before + one} to {after - one} "
                                 f"({length} days)", start=(before + one).isoformat(), end=(after - one).isoformat(),
                            days=length))
    return out


def _annotate(rows: list[Row], flags: list[Flag], subject: dict | None) -> None:
    dob = _iso((subject or {}).get("date_of_birth"))
    died = _iso((subject or {}).get("date_of_death"))
    outside = {(f.agency, f.index) for f in flags if f.code == SCOPE}
    previous = None
    for row in rows:
        row.age = format_age(dob, row.day, died)
        row.interval = None if previous is None else (row.day - previous).days
        previous = row.day
        if (row.agency, row.index) in outside:
            row.flags.insert(0, "outside scope")
            row.shade = "scope"
        if row.uncertain:
            row.flags.append("date uncertain")


def merge_case(register, reference: str, *, today: dt.date, gap_days: int | None = None,
               pseudonymised: bool = False, progress=None) -> Merged:
    """Load and merge a case's chronologies; a case with none is a usage error."""
    cc = load_case_chronologies(register, reference, progress)
    if not cc.chronologies and not (cc.review.get("agency_reports") or []):
        raise UsageError(f"{reference} has no chronologies yet",
                         hint=f"import an agency's with `wbcr chronology import {reference} --agency ID FILE`")
    return merge(cc, today=today, gap_days=gap_days, pseudonymised=pseudonymised)
