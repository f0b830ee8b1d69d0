"""Working days and deadlines: England and Wales bank holidays, and `anchor + N cd|wd|weeks|months`.

Conventions (domain REFERENCE §3): day 0 is the anchor; N working days is the Nth working day after
it (Monday to Friday, not a bank holiday); months are calendar months clamped to the month's end; a
calendar-day, week or month deadline that falls on a non-working day is shown as such, not moved.
Bank holidays come from the maintained `holidays` library (proclaimed one-off days included), plus
the days a register adds under `calendar.extra_holidays` in wbcr.yaml for days the library does not
know yet.
"""

from __future__ import annotations

import calendar as _cal
import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from wbcr.core.errors import UsageError
from wbcr.core.dates import parse_iso_date

_OFFSET = re.compile(r"^\s*([+-]?\d+)\s*(cd|wd|days?|working days?|weeks?|months?)\s*$", re.I)
_UNITS = {"cd": "cd", "day": "cd", "days": "cd", "wd": "wd", "working day": "wd", "working days": "wd",
          "week": "weeks", "weeks": "weeks", "month": "months", "months": "months"}


@dataclass(frozen=True)
class Offset:
    amount: int
    unit: str  # cd, wd, weeks, months

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"

    def describe(self) -> str:
        """In words, for titles and letters: "10 working days", "6 months", "1 week"."""
        words = {"cd": ("calendar day", "calendar days"), "wd": ("working day", "working days"),
                 "weeks": ("week", "weeks"), "months": ("month", "months")}[self.unit]
        amount = abs(self.amount)
        return f"{amount} {words[0] if amount == 1 else words[1]}"


def parse_offset(text: str, *, typed: bool = False) -> Offset:
    """`"15 wd"`, `"1 months"`, `"-7 wd"`, `"14 cd"`, `"2 weeks"` to an Offset, or UsageError.

    `typed` (a period a person typed on the command line): "5 days" is refused with the two choices, since
    the guidance counts both working and calendar days and a wrong guess moves a statutory date; procedure
    files keep "days" as calendar days, as they always have."""
    match = _OFFSET.match(str(text))
    if not match:
        raise UsageError(f'"{text}" is not a period', hint='write N wd (working days), N cd (calendar days), '
                                                         'N weeks or N months, e.g. "15 wd"')
    amount, unit = int(match.group(1)), match.group(2).lower()
    if typed and unit in ("day", "days"):
        raise UsageError(f'"{text.strip()}" could mean working days or calendar days',
                         hint=f'write "{amount} wd" (working days: no weekends or bank holidays) or "{amount} cd" '
                              '(calendar days)')
    return Offset(amount, _UNITS[unit])


@lru_cache(maxsize=8)
def _library_holidays(first: int, last: int) -> frozenset[dt.date]:
    """England and Wales bank holidays of the years, from the holidays library; the dates are kept in
    wbcr's cache folder (by the library's version) because building them costs a quarter of a second,
    which every command that counts working days would pay again."""
    import marshal
    from importlib.metadata import PackageNotFoundError, version

    from wbcr.core.cache import cache_dir  # lazy: the YAML library it brings is not needed to parse a period
    from wbcr.core.yamlio import atomic_write  # lazy: as above

    try:
        stored = cache_dir() / f"holidays-{version('holidays')}-ENG-{first}-{last}.marshal"
    except PackageNotFoundError:
        stored = None
    kept = _read_kept(stored) if stored is not None else None
    if kept is not None:
        return kept
    import holidays

    days = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=range(first, last + 1)))
    if stored is not None:
        with contextlib.suppress(OSError, ValueError):  # a cache that cannot be written only costs speed
            stored.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            atomic_write(stored, marshal.dumps(sorted(d.toordinal() for d in days)), mode=0o600)
    return days


def _read_kept(stored) -> frozenset[dt.date] | None:
    """The bank holidays kept in the cache, or None when absent or unreadable (then built again)."""
    import marshal

    try:
        return frozenset(dt.date.fromordinal(n) for n in marshal.loads(stored.read_bytes()))
    except (OSError, EOFError, ValueError, TypeError):
        return None


class Calendar:
    """England and Wales working days, with a register's extra proclaimed holidays."""

    def __init__(self, extra: dict[dt.date, str] | None = None) -> None:
        self.extra = dict(extra or {})
        self._names: dict[dt.date, str] = {}

    @classmethod
    def from_config(cls, config: dict) -> "Calendar":
        extra = {}
        for item in ((config.get("calendar") or {}).get("extra_holidays") or []):
            try:
                extra[parse_iso_date(str(item["date"]))] = str(item.get("name", "Bank holiday"))
            except (ValueError, KeyError, TypeError):
                continue
        return cls(extra)

    def holiday_name(self, day: dt.date) -> str | None:
        if day in self.extra:
            return self.extra[day]
        import holidays

        if day in _library_holidays(day.year - 1, day.year + 1):
            names = holidays.country_holidays("GB", subdiv="ENG", years=day.year)
            return names.get(day)
        return None

    def is_holiday(self, day: dt.date) -> bool:
        return day in self.extra or day in _library_holidays(day.year - 1, day.year + 1)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def add(self, anchor: dt.date, offset: Offset) -> dt.date:
        try:
            return self._add(anchor, offset)
        except (OverflowError, ValueError):
            raise UsageError(f"{anchor} + {offset} is outside the calendar", hint="check the date and the period") from None

    def _add(self, anchor: dt.date, offset: Offset) -> dt.date:
        if abs(offset.amount) > 100_000:
            raise ValueError("period too long")
        if offset.unit == "cd":
            return anchor + dt.timedelta(days=offset.amount)
        if offset.unit == "weeks":
            return anchor + dt.timedelta(weeks=offset.amount)
        if offset.unit == "months":
            return add_months(anchor, offset.amount)
        step = 1 if offset.amount >= 0 else -1
        day, left = anchor, abs(offset.amount)
        while left:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative when end is earlier)."""
        if end == start:
            return 0
        sign = 1 if end > start else -1
        lo, hi = (start, end) if sign > 0 else (end, start)
        count = 0
        day = lo
        while day < hi:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return sign * count


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped at the month's end (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _cal.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))
