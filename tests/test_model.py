"""The typed domain model (issue 9, point 2): built once from validated records, dates as dates,
enums as enums, and the enums agree with the schemas."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import EXAMPLE

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def _enum_at(schema: dict, path: tuple[str, ...]) -> list[str]:
    node = schema
    for step in path:
        node = node["items"] if step == "*" else node["properties"][step]
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node["enum"]


def test_the_model_enums_are_the_schemas_enums():
    from wbcr.model.case import SCHEMA_ENUMS

    for (record, path), kind in SCHEMA_ENUMS.items():
        schema = json.loads((SCHEMAS / f"{record}.json").read_text())
        assert [m.value for m in kind] == _enum_at(schema, path), (record, path)


@pytest.mark.parametrize("folder", sorted(p.name for p in (EXAMPLE / "cases").iterdir()))
def test_every_example_case_builds_with_typed_values(folder):
    from wbcr.model.case import Case, Intake, build_case
    from wbcr.model.register import open_register
    from wbcr.store.case import load_case

    case = build_case(load_case(open_register(str(EXAMPLE)), folder))
    assert isinstance(case, Case)
    assert case.reference == folder
    assert isinstance(case.case.intake, Intake)
    assert isinstance(case.case.opened, dt.date)
    assert all(isinstance(h.date, dt.date) for h in case.case.history)
    assert case.case.history[-1].stage == case.case.stage
    for action in case.actions:
        assert action.target_date is None or isinstance(action.target_date, dt.date)
        assert all(u.rag is not None for u in action.updates)


def test_an_actions_latest_rating_and_overdue_state():
    from wbcr.model.case import Rag, build_case

    records = {"case": {"reference": "X-1", "stage": "action_monitoring", "intake": "review_referral",
                        "stage_history": [{"stage": "action_monitoring", "date": "2016-12-29"}]},
               "recommendations": {"recommendations": [{"id": "R1", "actions": [{
                   "id": "R1-A1", "action": "Train staff", "target_date": "2017-03-28",
                   "updates": [{"date": "2017-01-29", "rag": "GREEN", "note": "on track"},
                               {"date": "2017-03-30", "rag": "RED", "note": "slipped"}]}]}]}}
    case = build_case(records)
    (action,) = case.actions
    assert action.rag is Rag.RED and action.latest.date == dt.date(2017, 3, 30)
    assert action.overdue_on(dt.date(2017, 3, 29)) and not action.overdue_on(dt.date(2017, 3, 28))
    assert case.open_actions() == (action,)


def test_the_example_scr_reads_whole_in_the_model():
    """The parts `show` reads come typed: referral, CRG, review, people (pseudonyms only), chronologies."""
    from wbcr.model.case import ReviewKind, build_case
    from wbcr.model.register import open_register
    from wbcr.store.case import load_case

    case = build_case(load_case(open_register(str(EXAMPLE)), "WBCR-2016-004"))
    assert isinstance(case.referral.received, dt.date)
    assert case.crg is not None and isinstance(case.crg.recommendation, ReviewKind)
    assert case.review is not None and isinstance(case.review.scope_from, dt.date)
    assert case.people and all(not hasattr(p, "name") for p in case.people)
    assert sum(case.chronology_entries.values()) > 0
    assert set(case.chronology_entries) == set(case.chronology_agencies)


def test_the_read_views_take_the_model_not_dict_lookups_of_case_yaml():
    """status, actions, deadlines, decisions and show read case.yaml and the action plan through the
    model; a `.get("stage")`-style lookup coming back into them fails here."""
    import re

    root = Path(__file__).resolve().parents[1] / "wbcr" / "reports"
    for name in ("status.py", "overview.py", "next_steps.py", "audit.py"):
        text = (root / name).read_text(encoding="utf-8")
        found = re.findall(r'(?:record|case|action|case_record)\.get\("(?:stage|intake|review_kind|procedure|'
                           r'opened|lead_lscb|target_date|updates|signed_off)"\)', text)
        assert not found, (name, found)
