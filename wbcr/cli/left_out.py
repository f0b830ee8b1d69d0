"""The rule of the commands that report across the register (`status`, `deadlines`, `actions`, `report
decisions`): a case whose records do not validate is never left out silently. The report of the other
cases is printed as usual, then the command names each case it left out with validate's findings for it
and exits 1 (a script or CI job sees that the report is incomplete)."""

from __future__ import annotations

import sys

from wbcr.core.errors import FindingsError


def refuse_left_out(register, left_out: dict[str, list[str]], consequence: str) -> None:
    """Raise `FindingsError` (exit 1) with the findings of every case in `left_out` (reference -> the
    record kinds that do not validate; `consequence`: what that meant for the report, e.g. "not counted
    in the deadlines"); nothing when it is empty."""
    if not left_out:
        return
    from wbcr.cli.console import format_finding  # noqa: PLC0415 - only when a case is left out
    from wbcr.store.case import record_errors  # noqa: PLC0415 - only when a case is left out

    # the findings go to stderr with the message: stdout holds the report (JSON a script reads)
    for reference in sorted(left_out):
        for finding in record_errors(register, reference):
            sys.stderr.write(format_finding(finding) + "\n")
    named = "; ".join(f"{reference} ({', '.join(kind + '.yaml' for kind in kinds)})" if kinds else reference
                      for reference, kinds in sorted(left_out.items()))
    raise FindingsError(f"{len(left_out)} case(s) whose records do not validate, {consequence}: {named}",
                        code="case.invalid",
                        hint="correct the records (`wbcr validate REF` shows the same findings) and run the "
                             "command again")
