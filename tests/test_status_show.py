"""`wbcr status` and `wbcr show`: every case listed, filters, JSON, no personal data on screen."""

from __future__ import annotations

import json

import yaml

from conftest import AT_EXAMPLE, EXAMPLE


def _case_dirs():
    return sorted(p for p in (EXAMPLE / "cases").iterdir() if p.is_dir())


def test_status_json_lists_every_case(wbcr):
    result = wbcr(*AT_EXAMPLE, "status", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["today"] == "2017-11-23"
    assert [c["reference"] for c in data["cases"]] == [p.name for p in _case_dirs()]
    for row in data["cases"]:
        case = yaml.safe_load((EXAMPLE / "cases" / row["reference"] / "case.yaml").read_text())
        assert row["stage"] == case["stage"] and row["lead_lscb"] == case["lead_lscb"]
        assert row["days_open"] >= 0 and row["problem"] is None


def test_status_filters(wbcr):
    all_rows = json.loads(wbcr(*AT_EXAMPLE, "status", "--format", "json").out)["cases"]
    reading = json.loads(wbcr(*AT_EXAMPLE, "status", "--lscb", "reading", "--format", "json").out)["cases"]
    assert reading == [r for r in all_rows if r["lead_lscb"] == "reading"]
    closed = json.loads(wbcr(*AT_EXAMPLE, "status", "--cases", "closed", "--format", "json").out)["cases"]
    assert closed and all(r["stage"] == "closed" for r in closed)
    open_ = json.loads(wbcr(*AT_EXAMPLE, "status", "--cases", "open", "--format", "json").out)["cases"]
    assert len(open_) + len(closed) == len(all_rows)
    stage = all_rows[0]["stage"]
    by_stage = json.loads(wbcr(*AT_EXAMPLE, "status", "--stage", stage, "--format", "json").out)["cases"]
    assert by_stage == [r for r in all_rows if r["stage"] == stage]


def test_status_unknown_lscb_is_a_usage_error(wbcr):
    result = wbcr(*AT_EXAMPLE, "status", "--lscb", "slough")
    assert result.code == 2 and 'unknown LSCB "slough"' in result.err


def test_status_table_shows_every_reference(wbcr):
    result = wbcr(*AT_EXAMPLE, "status")
    assert result.code == 0
    for case in _case_dirs():
        assert case.name in result.out


def test_status_shows_every_case_and_names_an_unreadable_one_with_its_findings(wbcr, example):
    case = sorted((example / "cases").iterdir())[0]
    (case / "case.yaml").write_text("stage: [broken\n")
    result = wbcr("status", "--format", "json", cwd=example)
    assert result.code == 1  # the board is printed; the exit says one case could not be read
    assert f"cases/{case.name}/case.yaml:1:" in result.err and "do not validate" in result.err
    row = next(r for r in json.loads(result.out)["cases"] if r["reference"] == case.name)
    assert row["problem"].startswith(f"cases/{case.name}/case.yaml:")


def test_show_json_and_text_never_print_names(wbcr):
    for case in _case_dirs():
        people = yaml.safe_load((case / "people.yaml").read_text())["people"] if (case / "people.yaml").exists() else []
        for fmt in ("json", "text"):
            result = wbcr(*AT_EXAMPLE, "show", case.name, "--format", fmt)
            assert result.code == 0, result.err
            for person in people:
                assert person["name"] not in result.out
        data = json.loads(wbcr(*AT_EXAMPLE, "show", case.name, "--format", "json").out)
        record = yaml.safe_load((case / "case.yaml").read_text())
        assert data["reference"] == case.name and data["stage"] == record["stage"]
        assert data["stage"] in data["path"]


def test_show_unknown_case(wbcr):
    result = wbcr(*AT_EXAMPLE, "show", "WBCR-1900-001")
    assert result.code == 2 and 'no case "WBCR-1900-001"' in result.err
    traversal = wbcr(*AT_EXAMPLE, "show", "../../etc")
    assert traversal.code == 2
