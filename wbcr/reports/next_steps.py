"""What happens next: a case's next stages with what each still needs, and the register's open
deadlines (as a list or an iCalendar file). Read only."""

from __future__ import annotations

from typing import Iterable

import datetime as dt

from wbcr.model.case import build_case, case_record_of
from wbcr.model.procedure import command_for
from wbcr.store.case import load_case
from wbcr.core.calendar import Calendar
from wbcr.workflow.deadlines import compute_deadlines, guard, next_stage, procedure_for
from wbcr.core.yamlio import YamlError
from wbcr.validation.engine import DailyViews


def case_next(register, reference: str, today: dt.date) -> dict:
    """The case's stage, each next stage with what it still needs, and its open deadlines."""
    records = load_case(register, reference)
    case = build_case(records).case
    reference = case.reference or reference
    procedure = procedure_for(case, register)
    calendar = Calendar.from_config(register.config)
    stage = case.stage
    moves = []
    path = procedure.path(_value(case.intake), _value(case.review_kind))
    for target in next_stage(procedure, case):
        result = guard(procedure, records, target, calendar, today, from_stage=stage)
        on_path = stage in path and path.index(stage) + 1 < len(path) and path[path.index(stage) + 1] == target
        advance = f"wbcr advance {reference}" + ("" if on_path else f" --stage {target}")
        if result.late:
            advance += ' --late-reason "…"'
        moves.append({"stage": target, "title": procedure.title_of(target), "ready": result.ok,
                      "exit": not on_path,  # a move off the path (an alternative), not a to-do
                      "missing": result.missing,
                      "checklist": [{"missing": message, "command": command_for(procedure, item_path, reference)}
                                    for message, item_path in zip(result.missing, result.paths)],
                      "advance": advance if result.ok else None,
                      "warnings": result.warnings,
                      "late": [d.as_dict(today) for d in result.late]})
    deadlines = sorted(compute_deadlines(procedure, records, calendar), key=lambda d: d.due)
    open_deadlines = [d.as_dict(today) for d in deadlines if d.met_on is None]
    return {
        "reference": reference, "today": today.isoformat(), "stage": stage, "stage_title": procedure.title_of(stage),
        "owner": procedure.owner_of(stage), "action": procedure.action_of(stage), "next": moves,
        "deadlines": open_deadlines,
    }


def _value(member) -> str | None:
    return member.value if member is not None else None


def register_deadlines(register, today: dt.date, left_out: dict | None = None) -> list[dict]:
    """Every open deadline of every open case, soonest first (a case whose records have not changed
    since the last run is answered from the cache). A case whose records do not validate has no rows;
    it goes into `left_out` (reference -> record kinds) when one is given."""
    calendar = Calendar.from_config(register.config)
    views = DailyViews(register, today)
    rows = []
    for case in views.cases():
        if not views.usable(case):
            continue
        rows += case.view("deadlines", lambda: _open_deadline_rows(register, case, today, calendar),
                          valid=lambda value: isinstance(value, list))
    views.save()
    if left_out is not None:
        left_out.update(views.left_out)
    rows.sort(key=lambda r: (r["due"], r["reference"], r["id"]))
    return rows


def _open_deadline_rows(register, case, today: dt.date, calendar: Calendar) -> list[dict]:
    """One case's open deadlines as rows (`case`: a validation.DailyCase). A closed case keeps only
    what is still owed after closing (actions not signed off); when its procedure owes nothing after
    closing, no more than its case.yaml is read."""
    closed = False
    if case.exists("case"):
        try:
            record = case.load("case")
        except YamlError:
            record = None
        if isinstance(record, dict):
            typed = case_record_of(record)
            closed = typed.is_closed
            if closed:
                try:
                    if not any(d.after_closing for d in procedure_for(typed, register).deadlines):
                        return []
                except Exception:  # noqa: BLE001 - an unknown procedure is a validation finding
                    return []
    records = case.records_for_deadlines()
    if records is None:
        return []
    try:
        procedure = procedure_for(case_record_of(records["case"]), register)
    except Exception:  # noqa: BLE001 - an unknown procedure is a validation finding, not a crash here
        return []
    return [{"reference": case.name, **d.as_dict(today)}
            for d in compute_deadlines(procedure, records, calendar)
            if d.met_on is None and (d.after_closing or not closed)]


#: the calendar's product identifier: an earlier file at the same path is read back only when it is ours
ICS_PRODID = "-//wbcr//case review deadlines//EN"
#: what makes an event "changed" (its SEQUENCE goes up): its day and its words
_ICS_CONTENT = ("DTSTART", "DTEND", "SUMMARY")
#: an earlier calendar larger than this is not read back (a deadline calendar is a few hundred kB)
MAX_PREVIOUS_ICS = 20 * 1024 * 1024


def format_ics(rows: list[dict], board: str, stamp: dt.datetime, previous: str | None = None,
               still_open: list[dict] | None = None, unread: Iterable[str] = ()) -> str:
    """An iCalendar file (RFC 5545) of all-day events: reference and deadline only, never a person's name.

    Made to be imported again and again into Outlook or Google, each import updating the last:

    - `METHOD:PUBLISH`; one stable UID per deadline (`REF-deadline@wbcr`);
    - `SEQUENCE` from `previous`, the calendar this one replaces (the file at the same path): a deadline
      whose day or words changed goes up by one, an unchanged one keeps its number, a new one is 0;
    - a deadline that was in `previous` and is no longer open (met or removed) is carried as
      `STATUS:CANCELLED` with its SEQUENCE up by one, and then kept, unchanged, in every later file, so
      importing any later file cancels it too;
    - a deadline that was in `previous` and is still open but left out by the command's filters
      (`--within`, `--overdue`; `still_open` gives the open deadlines the filters left out) is not
      cancelled: it is written as it now stands, so a narrower calendar never removes an open deadline;
    - a deadline of a case whose records could not be read this time (`unread`: the references of the
      cases the command left out because they do not validate) is carried exactly as it was: nobody
      knows whether it is still open, so it is neither cancelled nor changed;
    - lines folded at 75 octets, CRLF line endings.
    """
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")

    before = parse_ics_events(previous) if previous and ICS_PRODID in previous else {}
    before = {uid: event for uid, event in before.items() if uid.endswith("@wbcr")}
    dtstamp = f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ICS_PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{esc(board + ' case review deadlines')}"]
    listed = set()
    uid_of = lambda row: esc(f"{row['reference']}-{row['id'].replace(':', '-')}@wbcr")  # noqa: E731
    carried = [row for row in still_open or [] if uid_of(row) in before]
    for row in [*rows, *carried]:
        due = dt.date.fromisoformat(row["due"])
        uid = uid_of(row)
        if uid in listed:
            continue
        listed.add(uid)
        content = {"DTSTART": f"DTSTART;VALUE=DATE:{due.strftime('%Y%m%d')}",
                   "DTEND": f"DTEND;VALUE=DATE:{(due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
                   "SUMMARY": f"SUMMARY:{esc(row['reference'] + ': ' + row['title'])}"}
        old = before.get(uid)
        if old is None:
            sequence = 0
        else:
            same = all(old.get(key) == content[key] for key in _ICS_CONTENT) and not _cancelled(old)
            sequence = _sequence(old) + (0 if same else 1)
        lines += ["BEGIN:VEVENT", f"UID:{uid}", dtstamp, f"SEQUENCE:{sequence}", *content.values(),
                  "STATUS:CONFIRMED", "TRANSP:TRANSPARENT", "END:VEVENT"]
    unread_prefixes = tuple(esc(f"{reference}-") for reference in unread)
    for uid, old in before.items():
        if uid in listed or "DTSTART" not in old:
            continue
        if unread_prefixes and uid.startswith(unread_prefixes):
            lines += ["BEGIN:VEVENT", f"UID:{uid}", dtstamp, f"SEQUENCE:{_sequence(old)}",
                      *[old[key] for key in _ICS_CONTENT if key in old],
                      "STATUS:CANCELLED" if _cancelled(old) else "STATUS:CONFIRMED", "TRANSP:TRANSPARENT",
                      "END:VEVENT"]
            continue
        sequence = _sequence(old) + (0 if _cancelled(old) else 1)
        lines += ["BEGIN:VEVENT", f"UID:{uid}", dtstamp, f"SEQUENCE:{sequence}",
                  *[old[key] for key in _ICS_CONTENT if key in old],
                  "STATUS:CANCELLED", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def parse_ics_events(text: str) -> dict[str, dict[str, str]]:
    """The events of an iCalendar text by UID (its value as written): each event's content lines,
    unfolded, by property name (`{"SUMMARY": "SUMMARY:…", …}`; the first of a name counts). Lenient:
    what it cannot read is skipped (the file is only a guide to what was published before)."""
    import re

    events: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in re.sub(r"\r?\n[ \t]", "", text).splitlines():
        if line.upper() == "BEGIN:VEVENT":
            current = {}
        elif line.upper() == "END:VEVENT":
            if current and "UID" in current:
                events.setdefault(current["UID"].split(":", 1)[1], current)
            current = None
        elif current is not None and ":" in line:
            current.setdefault(line.split(":", 1)[0].split(";", 1)[0].upper(), line)
    return events


def _sequence(event: dict[str, str]) -> int:
    value = event.get("SEQUENCE", "SEQUENCE:0").split(":", 1)[1].strip()
    return int(value) if value.isdigit() else 0


def _cancelled(event: dict[str, str]) -> bool:
    return event.get("STATUS", "").split(":", 1)[-1].strip().upper() == "CANCELLED"


def load_previous_ics(path) -> str | None:
    """The calendar at `path` that a new one will replace, as text; None when there is none to read."""
    from pathlib import Path

    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size > MAX_PREVIOUS_ICS:
            return None
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None


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
