"""Reference numbers: the register's format, parsing, and safe allocation of the next one.

Allocation runs under the register lock (`wbcr.store.lock`, the `filelock` library: one lock on Linux,
macOS and Windows alike) while it picks the next sequence number and creates the case folder, so two
`wbcr refer` processes at once never take the same number.
"""

from __future__ import annotations

import os
import re
import string
from pathlib import Path

from wbcr.core.errors import WbcrError

_FIELDS = {"prefix", "year", "seq"}
#: what a reference may be made of besides its fields: it names a folder, so no separator, no space
_LITERAL = re.compile(r"[A-Za-z0-9_.-]*\Z")
#: the forms of {seq} that write the number in decimal digits only, so it can be read back: {seq},
#: {seq:d}, {seq:03d}, {seq:03}
_SEQ_SPEC = re.compile(r"(0[1-9][0-9]?)?d?\Z")
_EXAMPLE = 'e.g. "{prefix}-{year}-{seq:03d}"'


def _refuse(fmt: str, why: str) -> WbcrError:
    return WbcrError(f'reference format "{fmt}" {why}; no reference can be made with it', path="wbcr.yaml",
                     code="reference.format", hint=f"{_EXAMPLE} (references.format in wbcr.yaml)")


def format_problem(fmt: object) -> str | None:
    """Why `fmt` cannot make references that are unique and can be read back (None when it can)."""
    if not isinstance(fmt, str):
        return "is not text"
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError as exc:
        return f"is not a valid format ({exc})"
    seen: list[str] = []
    for literal, name, spec, conversion in parsed:
        if not _LITERAL.match(literal):
            return ("may hold only letters, digits, '-', '_' and '.' besides its fields (a reference names "
                    "a folder)")
        if name is None:
            continue
        if name not in _FIELDS:
            return f"uses {{{name}}}; only {{prefix}}, {{year}} and {{seq}} are available"
        if name in seen:
            return f"uses {{{name}}} twice"
        seen.append(name)
        if conversion:
            return f"converts {{{name}}} with !{conversion}, which the next allocation could not read back"
        if name == "seq" and not _SEQ_SPEC.match(spec or ""):
            return (f'writes the number as {{seq:{spec}}}, which the next allocation could not read back, so a '
                    "number could be given twice; only decimal digits are allowed ({seq} or {seq:03d})")
        if name == "year" and spec not in ("", "d"):
            return f"writes the year as {{year:{spec}}}; write {{year}}"
        if name == "prefix" and spec:
            return f"writes the prefix as {{prefix:{spec}}}; write {{prefix}}"
    if "seq" not in seen:
        return "has no {seq}, so references could repeat"
    if fmt.startswith("."):
        return "starts with '.', which would hide the case folder"
    return None


def format_to_regex(fmt: str, prefix: str) -> re.Pattern:
    """A regex matching references of `fmt`, with groups `year` and `seq`; a format that cannot make
    unique references read back by that regex is refused (`reference.format`)."""
    problem = format_problem(fmt)
    if problem is not None:
        raise _refuse(str(fmt), problem)
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(fmt):
        out.append(re.escape(literal))
        if name is not None:
            out.append(re.escape(prefix) if name == "prefix" else ("(?P<year>[0-9]{4})" if name == "year"
                                                                   else "(?P<seq>[0-9]+)"))
    return re.compile("".join(out) + r"\Z")


def format_reference(fmt: str, prefix: str, year: int, seq: int) -> str:
    return fmt.format(prefix=prefix, year=year, seq=seq)


def next_reference(cases_dir: Path, fmt: str, prefix: str, year: int) -> str:
    """The next free reference for `year`: one more than the highest sequence already used, and never
    one a folder already has in any letter case (a number is never given twice)."""
    pattern = format_to_regex(fmt, prefix)
    if not isinstance(prefix, str) or not re.fullmatch(r"[A-Za-z0-9]+", prefix):
        raise WbcrError(f'reference prefix "{prefix}" may hold only letters and digits; no reference can be made',
                        path="wbcr.yaml", code="reference.format", hint="e.g. WBCR (references.prefix in wbcr.yaml)")
    highest = 0
    yearly = "year" in pattern.groupindex
    taken: set[str] = set()
    if cases_dir.is_dir():
        for entry in os.scandir(cases_dir):
            taken.add(entry.name.casefold())
            match = pattern.match(entry.name)
            if match and (not yearly or int(match["year"]) == year):
                highest = max(highest, int(match["seq"]))
    seq = highest + 1
    while True:
        reference = format_reference(fmt, prefix, year, seq)
        match = pattern.match(reference)
        if match is None or int(match["seq"]) != seq:  # cannot happen with a format that passed the checks
            raise _refuse(fmt, f"makes {reference!r}, which does not read back as number {seq}")
        if reference.casefold() not in taken:
            return reference
        seq += 1
