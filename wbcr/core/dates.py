"""Dates as records hold them (ISO strings) and the date wbcr takes as today."""

from __future__ import annotations

import datetime as dt
import os
import re

from wbcr.core.errors import UsageError

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def parse_iso_date(text: str) -> dt.date:
    """`YYYY-MM-DD` to a date; raises ValueError for another form or an impossible date."""
    if not isinstance(text, str) or not _ISO.match(text):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))


def as_date(value) -> dt.date | None:
    """A recorded date (a date, a datetime, or its ISO text, an uncertain "?" before it allowed), or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_iso_date(str(value).lstrip("?")) if value is not None else None
    except ValueError:
        return None


def is_iso_date(text) -> bool:
    try:
        parse_iso_date(text)
    except (ValueError, TypeError):
        return False
    return True


def is_chronology_date(text) -> bool:
    """A chronology date: an ISO date, optionally with a leading `?` for an uncertain one."""
    if isinstance(text, str) and text.startswith("?"):
        text = text[1:]
    return is_iso_date(text)


def chronology_date(text: str) -> tuple[dt.date, bool]:
    """`(date, uncertain)` of a chronology date string."""
    uncertain = text.startswith("?")
    return parse_iso_date(text[1:] if uncertain else text), uncertain


def today(option: str | None = None) -> dt.date:
    """`--today`, else `WBCR_TODAY`, else the system date: reports are reproducible."""
    value = option or os.environ.get("WBCR_TODAY")
    if not value:
        return dt.date.today()
    try:
        return parse_uk_date(value)
    except ValueError as exc:
        source = "--today" if option else "WBCR_TODAY"
        raise UsageError(f"{source}: {exc}", hint="write a date as 2026-02-03, 03/02/2026 or 3 Feb 2026") from None


_MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for name in names}
_UK_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\Z")
_UK_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\Z")


def parse_uk_date(text: str) -> dt.date:
    """A date as people in England write it: `03/02/2026` (3 February), `3 Feb 2026`, `2 March 2026`,
    `3.2.26`, or ISO `2026-02-03`. Raises ValueError with the reason."""
    value = " ".join(str(text).strip().split())
    if _ISO.match(value):
        return _checked(int(value[:4]), int(value[5:7]), int(value[8:10]), value)
    match = _UK_NUMERIC.match(value)
    if match:
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if year < 100:
            year += 2000 if year < 70 else 1900
        return _checked(year, month, day, value)
    match = _UK_WORDS.match(value)
    if match:
        month = _MONTHS.get(match.group(2).lower())
        if month is None:
            raise ValueError(f'"{match.group(2)}" is not a month')
        return _checked(int(match.group(3)), month, int(match.group(1)), value)
    raise ValueError(f'"{value}" is not a date (write it as 03/02/2026, 3 Feb 2026 or 2026-02-03)')


def _checked(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f'"{text}" is not a real date') from None


def wall_clock() -> dt.datetime:
    """The real time of day, for what only a person watching needs (which process has held the register
    lock since when), never for a recorded date or a deadline: those come from `today`."""
    return dt.datetime.now()
