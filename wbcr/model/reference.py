"""Reference numbers: the register's format, parsing, and safe allocation of the next one.

Allocation holds an exclusive lock on the `cases/` folder while it picks the next sequence number
and creates the case folder, so two `wbcr refer` processes at once never take the same number.
"""

from __future__ import annotations

import contextlib
import os
import re
import string
from pathlib import Path
from typing import Iterator

from wbcr.core.errors import WbcrError

_FIELDS = {"prefix", "year", "seq"}


def format_to_regex(fmt: str, prefix: str) -> re.Pattern:
    """A regex matching references of `fmt`, with groups `year` and `seq`."""
    out = []
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError as exc:
        raise WbcrError(f'reference format "{fmt}" is not valid: {exc}', path="wbcr.yaml",
                        hint='e.g. "{prefix}-{year}-{seq:03d}"') from None
    names = set()
    for literal, name, spec, _conv in parsed:
        out.append(re.escape(literal))
        if name is None:
            continue
        if name not in _FIELDS:
            raise WbcrError(f'reference format "{fmt}" uses {{{name}}}; only {{prefix}}, {{year}} and {{seq}} '
                            "are available", path="wbcr.yaml", hint='e.g. "{prefix}-{year}-{seq:03d}"')
        names.add(name)
        out.append(re.escape(prefix) if name == "prefix" else ("(?P<year>[0-9]{4})" if name == "year"
                                                               else "(?P<seq>[0-9]+)"))
    if "seq" not in names:
        raise WbcrError(f'reference format "{fmt}" has no {{seq}}, so references could repeat',
                        path="wbcr.yaml", hint='e.g. "{prefix}-{year}-{seq:03d}"')
    return re.compile("".join(out) + r"\Z")


def format_reference(fmt: str, prefix: str, year: int, seq: int) -> str:
    return fmt.format(prefix=prefix, year=year, seq=seq)


def next_reference(cases_dir: Path, fmt: str, prefix: str, year: int) -> str:
    """The next free reference for `year`: one more than the highest sequence already used."""
    pattern = format_to_regex(fmt, prefix)
    highest = 0
    yearly = "year" in pattern.groupindex
    if cases_dir.is_dir():
        for entry in os.scandir(cases_dir):
            match = pattern.match(entry.name)
            if match and (not yearly or int(match["year"]) == year):
                highest = max(highest, int(match["seq"]))
    return format_reference(fmt, prefix, year, highest + 1)


@contextlib.contextmanager
def allocation_lock(cases_dir: Path) -> Iterator[None]:
    """Exclusive lock on the cases folder for the time it takes to allocate and write a case."""
    cases_dir.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no concurrent allocation guarantee
        yield
        return
    fd = os.open(cases_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
