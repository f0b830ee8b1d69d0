"""The example register is realistic, covers every kind of case, and always validates."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import EXAMPLE
from wbcr.validation.engine import validate_register
from wbcr.core.dates import parse_iso_date


def _load(path: Path):
    return yaml.safe_load(path.read_text()) if path.exists() else None


def _cases():
    return [p for p in sorted((EXAMPLE / "cases").iterdir()) if p.is_dir()]


def test_example_register_validates_with_no_findings(env):
    """Not even a warning: the days several agencies recorded are recorded as reviewed (`wbcr chronology
    reviewed`), so the example passes `validate --strict` as a register's CI would require."""
    result = validate_register(EXAMPLE, today=parse_iso_date("2017-11-23"), use_cache=False)
    assert [f"{f.location}: {f.code}: {f.message}" for f in result.findings] == []
    assert result.cases == len(_cases())


def test_example_register_covers_every_kind_at_different_stages():
    cases = _cases()
    assert len(cases) >= 10
    records = [_load(c / "case.yaml") for c in cases]
    kinds = {r.get("review_kind") for r in records} - {None}
    assert kinds >= {"scr", "silp", "multi_agency_review", "single_agency_review", "multi_agency_audit",
                     "single_agency_audit", "no_review"}
    assert {r["intake"] for r in records} == {"review_referral", "out_of_area", "good_practice"}
    stages = {r["stage"] for r in records}
    assert len(stages) >= 8
    assert {"screening", "crg_consideration", "chair_decision", "closed"} <= stages


def test_example_register_has_rich_chronologies_and_rag_history():
    with_three = [c for c in _cases() if len(list((c / "chronology").glob("*.yaml"))) >= 3]
    assert len(with_three) >= 2
    rag_histories = []
    for case in _cases():
        recs = _load(case / "recommendations.yaml") or {}
        for rec in recs.get("recommendations", []):
            for action in rec.get("actions", []):
                rags = [u["rag"] for u in action.get("updates", [])]
                if len(set(rags)) >= 2:
                    rag_histories.append(rags)
    assert rag_histories, "no action carries a RAG history"


def test_example_people_are_fictional_and_pseudonymised():
    for case in _cases():
        people = _load(case / "people.yaml")
        if not people:
            continue
        for person in people["people"]:
            assert person["pseudonym"] and person["name"] != person["pseudonym"]
