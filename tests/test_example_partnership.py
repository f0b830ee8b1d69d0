"""The second example register, examples/berkshire-west-partnership: a safeguarding partnership under
Working Together 2023 (built by examples/berkshire-west-partnership.sh), which must validate strictly
as of the suite's date and speak the 2023 framework's language in its records."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY, git

PARTNERSHIP = ROOT / "examples" / "berkshire-west-partnership"

#: the 2015 framework's bodies and review, which no record of a 2023 register should name
OLD_WORDS = ("Local Safeguarding Children Board", "Independent Chair", "National Panel of Independent Experts",
             "Serious Case Review")


def copy_partnership(dest: Path, env: dict) -> Path:
    """The partnership register copied to `dest` as a git repository with one commit."""
    shutil.copytree(PARTNERSHIP, dest, ignore=shutil.ignore_patterns("output", ".git"))
    git(dest, "init", "-q", env=env)
    git(dest, "add", "-A", env=env)
    git(dest, "commit", "-q", "-m", "example register", env=env)
    return dest


@pytest.fixture
def partnership(tmp_path, env) -> Path:
    return copy_partnership(tmp_path / "register", env)


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def _case_dirs() -> list[Path]:
    return sorted(p for p in (PARTNERSHIP / "cases").iterdir() if p.is_dir())


def _yaml_files() -> list[Path]:
    return [PARTNERSHIP / "wbcr.yaml", *sorted((PARTNERSHIP / "cases").rglob("*.yaml"))]


def _strings(value, where: str):
    """Every string in a YAML document, keys included, with where it is."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{where}.{key}", str(key)
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}[{i}]")
    elif isinstance(value, str):
        yield where, value


def test_partnership_validates_strictly(partnership, wbcr):
    result = wbcr("--today", TODAY, "validate", "--strict", cwd=partnership)
    assert result.code == 0, result.out + result.err
    assert "0 error(s), 0 warning(s)" in result.out + result.err


def test_every_case_follows_working_together_2023():
    assert _load(PARTNERSHIP / "wbcr.yaml")["procedure"] == "wt2023"
    cases = _case_dirs()
    assert len(cases) >= 6
    for case in cases:
        assert _load(case / "case.yaml")["procedure"] == "wt2023", case.name


def test_status_and_deadlines_show_the_open_rapid_review(partnership, wbcr):
    status = wbcr("--today", TODAY, "status", "--format", "json", cwd=partnership)
    assert status.code == 0, status.err
    cases = json.loads(status.out)["cases"]
    assert len(cases) == len(_case_dirs())
    assert not [c for c in cases if c.get("problem")]
    open_reviews = [c["reference"] for c in cases if c["stage"] == "rapid_review"]
    assert len(open_reviews) == 1

    deadlines = wbcr("--today", TODAY, "deadlines", "--format", "json", cwd=partnership)
    assert deadlines.code == 0, deadlines.err
    listed = json.loads(deadlines.out)["deadlines"]
    rapid = [d for d in listed if d["reference"] == open_reviews[0] and d["id"] == "rapid_review"]
    assert len(rapid) == 1
    assert rapid[0]["state"] == "pending" and rapid[0]["due"] > TODAY
    assert not [d for d in listed if d["state"] in ("overdue", "missed")]


def test_the_looked_after_childs_death_notices_are_deadlines_met_in_time():
    """The referral says the child died and was looked after, so the notices to the Secretary of State and
    Ofsted are deadlines of the case (five working days from the Saturday the local authority heard),
    each met by the notice to that body."""
    from wbcr.core.calendar import Calendar
    from wbcr.model.procedure import load_procedure
    from wbcr.workflow.deadlines import compute_deadlines

    case = PARTNERSHIP / "cases" / "WBCR-2026-002"
    records = {name: _load(case / f"{name}.yaml") or {} for name in ("case", "referral", "notifications", "decisions")}
    assert records["referral"]["child_looked_after"] is True and records["case"]["flags"]["looked_after"] is True
    due = {d.id: (d.due.isoformat(), d.met_on and d.met_on.isoformat())
           for d in compute_deadlines(load_procedure("wt2023"), records, Calendar())}
    # aware Saturday 2026-09-19: five working days -> Friday 2026-09-25; both notices sent 2026-09-22
    assert due["looked_after_death_secretary_of_state"] == ("2026-09-25", "2026-09-22")
    assert due["looked_after_death_ofsted"] == ("2026-09-25", "2026-09-22")


def test_no_record_names_the_2015_framework():
    found = []
    for path in _yaml_files():
        for where, text in _strings(_load(path), path.relative_to(PARTNERSHIP).as_posix()):
            found += [f"{where}: {word}" for word in OLD_WORDS if word.lower() in text.lower()]
    assert found == []


def test_partnership_has_the_cases_a_business_manager_would_expect():
    """An LCSPR published, a decision of no LCSPR the Panel answered, single-agency learning whose
    findings were shared, a looked-after child's death notified to the Secretary of State and Ofsted, a
    contribution to another partnership's review, and every referral with the day the local authority
    became aware."""
    cases = [(_load(c / "case.yaml"), _load(c / "notifications.yaml") or {}, _load(c / "decisions.yaml") or {},
              _load(c / "referral.yaml")) for c in _case_dirs()]

    def sent(notes, recipient, purpose):
        return any(n["recipient"] == recipient and n["purpose"] == purpose for n in notes.get("notifications") or [])

    def reached(case):
        return [step["stage"] for step in case["stage_history"]]

    kinds = {(case.get("review_kind"), case["stage"]) for case, *_ in cases}
    assert kinds & {("lcspr", "action_monitoring"), ("lcspr", "closed")}
    assert ("no_review", "closed") in kinds
    assert any(case.get("review_kind") == "single_agency_review" and "findings_shared" in reached(case)
               for case, *_ in cases)
    assert any(case["intake"] == "out_of_area" and sent(notes, "requesting_board", "agency_reports")
               for case, notes, *_ in cases)
    looked_after = [case for case, notes, _, referral in cases
                    if sent(notes, "secretary_of_state", "looked_after_death") and sent(notes, "ofsted", "looked_after_death")]
    assert looked_after and all(case["flags"]["looked_after"] and case["flags"]["death"] for case in looked_after)
    for case, notes, decisions, referral in cases:
        assert referral["became_aware"], case["reference"]
        if sent(notes, "national_panel", "rapid_review_report") and case["stage"] == "closed":
            assert decisions["panel_response"]["date"], case["reference"]
