"""Procedures are data, all of it (issue 9, point 4): a register can override a shipped procedure or
add its own in `procedures/`, checked against schemas/procedure.json, and every period comes from it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from conftest import git

PACKAGE = Path(__file__).resolve().parents[1] / "wbcr"
SHIPPED = PACKAGE / "procedures" / "wt2015.yaml"


def _override(register: Path, text: str) -> None:
    (register / "procedures").mkdir(exist_ok=True)
    (register / "procedures" / "wt2015.yaml").write_text(text)


def test_a_register_procedure_sets_the_information_request_period(wbcr, example, env):
    # 15 working days instead of the guidance's 10: the due date and the title follow the file
    text = SHIPPED.read_text()
    assert "    offset: 10 wd\n    met: \"received\"" in text
    _override(example, text.replace("    offset: 10 wd\n    met: \"received\"", "    offset: 15 wd\n    met: \"received\""))
    git(example, "add", "procedures", env=env)
    git(example, "commit", "-q", "-m", "our own periods", env=env)
    screened = wbcr("--today", "2017-11-20", "screen", "WBCR-2017-010", "--outcome", "sufficient", "--rationale",
                    "Enough detail to ask the agencies", cwd=example)
    assert screened.code == 0, screened.err
    result = wbcr("--today", "2017-11-20", "request", "WBCR-2017-010", "--agency", "tvp", "--sent", "2017-11-20",
                  cwd=example)
    assert result.code == 0, result.err
    # 20 November 2017 + 15 working days (no bank holiday between) = 11 December 2017
    assert "due 2017-12-11" in result.out
    deadlines = wbcr("--today", "2017-11-20", "deadlines", "--format", "json", cwd=example)
    assert "Information from tvp (15 working days)" in deadlines.out


def test_a_broken_register_procedure_is_refused_with_its_path(wbcr, example):
    _override(example, SHIPPED.read_text().replace("title: ", "titel: ", 1))
    result = wbcr("next", "WBCR-2017-010", cwd=example)
    assert result.code != 0
    assert "procedures/wt2015.yaml" in result.err
    assert "Traceback" not in result.err


def test_no_number_of_days_is_written_in_python():
    """Periods live in the procedure files: no `parse_offset("N …")` literal and no timedelta of a
    fixed number of days outside the calendar arithmetic itself."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if re.search(r'parse_offset\(\s*["\']', code) or re.search(r"timedelta\(\s*days\s*=\s*[2-9]", code):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_the_shipped_information_request_offset_is_read_from_the_file():
    from wbcr.operations.decisions import information_request_offset
    from wbcr.model.procedure import load_procedure

    assert information_request_offset(load_procedure("wt2015")) == "10 wd"
    assert dt.date  # the module is imported for the doc's sake
