"""Dates as records hold them (ISO strings) and the date wbcr takes as today."""

from __future__ import annotations

import datetime as dt
import os
import re

from wbcr.errors import UsageError

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def parse_iso_date(text: str) -> dt.date:
    """`YYYY-MM-DD` to a date; raises ValueError for another form or an impossible date."""
    if not isinstance(text, str) or not _ISO.match(text):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))


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
        return parse_iso_date(value)
    except ValueError:
        source = "--today" if option else "WBCR_TODAY"
        raise UsageError(f"{source} must be a real date as YYYY-MM-DD, not {value!r}") from None
