"""Learning themes across reviews (issue 14, point 3): `themes:` in wbcr.yaml, on findings and
recommendations, `validate`'s finding for an unknown one, `--theme` on `wbcr plan recommendation` and
`wbcr plan finding`, the starter list of `wbcr init`, and `wbcr report themes`.

The report's figures are recomputed here straight from the example registers' YAML, never through
wbcr's own code; and no identifying value of any people.yaml reaches its JSON or its terminal view.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE, ROOT, git
from test_board_report import _assert_no_identifier
from test_imports import PROBE

PARTNERSHIP = ROOT / "examples" / "berkshire-west-partnership"
REGISTERS = [(EXAMPLE, "2017-11-23"), (PARTNERSHIP, "2026-11-26")]
IDS = [r.name for r, _t in REGISTERS]
#: the themes the starter list must hold (the guidance's and the Panel's recurring themes)
STARTER = {"information-sharing", "professional-curiosity", "voice-of-the-child", "risk-assessment", "think-family",
           "escalation", "supervision", "multi-agency-working", "recording", "neglect", "domestic-abuse",
           "parental-mental-health", "substance-misuse", "hidden-men", "transitions"}


def _report(wbcr, register: Path, today: str, *args: str) -> dict:
    result = wbcr("--register", str(register), "--today", today, "report", "themes", "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


# --- the records, read here without wbcr ---------------------------------------------------------------


def _load(path: Path) -> dict:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def _day(value) -> dt.date | None:
    return value if isinstance(value, dt.date) else (dt.date.fromisoformat(value) if value else None)


def _fy(day: dt.date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}/{str(first + 1)[2:]}"


def _expected(register: Path, start: dt.date | None = None, end: dt.date | None = None) -> dict:
    """theme id -> {cases: {reference: (year, [ids])}, findings, recommendations, actions: {agency: {rag: n}}}."""
    listed = [t["id"] for t in _load(register / "wbcr.yaml")["themes"]]
    out = {t: {"cases": {}, "findings": 0, "recommendations": 0, "actions": {}} for t in listed}
    for folder in sorted(p for p in (register / "cases").iterdir() if p.is_dir()):
        recs = _load(folder / "recommendations.yaml")
        if not recs:
            continue
        chair = (_load(folder / "decisions.yaml").get("chair_decision") or {}).get("date")
        day = _day(chair) or _day(_load(folder / "referral.yaml").get("received"))
        if (start and day < start) or (end and day > end):
            continue
        for key in ("findings", "recommendations"):
            for item in recs.get(key) or []:
                for theme in item.get("themes") or []:
                    out[theme][key] += 1
                    out[theme]["cases"].setdefault(folder.name, (_fy(day), []))[1].append(item["id"])
        for rec in recs.get("recommendations") or []:
            for theme in rec.get("themes") or []:
                for action in rec.get("actions") or []:
                    updates = sorted((u for u in action.get("updates") or []), key=lambda u: _day(u["date"]))
                    rag = ("carried" if action.get("carried_forward") else "BLUE" if action.get("signed_off")
                           else updates[-1]["rag"] if updates else "not_rated")
                    agency = out[theme]["actions"].setdefault(action["lead_agency"], {})
                    agency[rag] = agency.get(rag, 0) + 1
    return out


# --- the report's figures ------------------------------------------------------------------------------


@pytest.mark.parametrize(("register", "today"), REGISTERS, ids=IDS)
def test_theme_figures_match_the_records(wbcr, register, today):
    data = _report(wbcr, register, today)
    expected = _expected(register)
    assert {t["id"] for t in data["themes"]} == set(expected)
    assert all(t["listed"] for t in data["themes"])
    years = sorted({year for e in expected.values() for year, _ids in e["cases"].values()})
    assert data["years"] == years and years
    for theme in data["themes"]:
        want = expected[theme["id"]]
        assert theme["reviews"] == len(want["cases"]), theme["id"]
        assert (theme["findings"], theme["recommendations"]) == (want["findings"], want["recommendations"]), theme["id"]
        assert theme["recurring"] == (len(want["cases"]) >= 2)
        assert {c["reference"]: (c["year"], c["findings"] + c["recommendations"]) for c in theme["cases"]} == want["cases"]
        # the theme × year matrix: every year, the reviews of that year carrying the theme
        assert [y["year"] for y in theme["by_year"]] == years
        for cell in theme["by_year"]:
            refs = sorted(ref for ref, (year, _ids) in want["cases"].items() if year == cell["year"])
            assert cell["reviews"] == len(refs) and sorted(c["reference"] for c in cell["cases"]) == refs
        assert {a["agency"]: a["by_rag"] for a in theme["by_agency"]} == want["actions"], theme["id"]
        assert sum(a["actions"] for a in theme["by_agency"]) == len(theme["actions"])
    # the themes that recur come first
    assert [t["reviews"] for t in data["themes"]] == sorted((t["reviews"] for t in data["themes"]), reverse=True)
    assert any(t["recurring"] for t in data["themes"]), "the example shows a theme that recurs"


def test_the_partnership_shows_a_theme_recurring_across_years(wbcr):
    data = _report(wbcr, PARTNERSHIP, "2026-11-26")
    sharing = next(t for t in data["themes"] if t["id"] == "information-sharing")
    assert [(y["year"], y["reviews"]) for y in sharing["by_year"]] == [("2024/25", 1), ("2025/26", 1), ("2026/27", 1)]
    assert {c["reference"]: c["pseudonym"] for c in sharing["cases"]} == {
        "WBCR-2024-001": "Child H24", "WBCR-2025-002": "Child W25", "WBCR-2026-001": "Child T26"}
    out = wbcr("--register", str(PARTNERSHIP), "--today", "2026-11-26", "report", "themes")
    assert out.code == 0, out.err
    assert "Information sharing" in out.out and "WBCR-2024-001 Child H24 (2024/25: F2)" in out.out
    assert "Recurring (two reviews or more): Information sharing" in out.out


def test_period_selects_reviews_by_the_day_of_their_decision(wbcr):
    start, end = dt.date(2024, 4, 1), dt.date(2026, 3, 31)
    data = _report(wbcr, PARTNERSHIP, "2026-11-26", "--from", start.isoformat(), "--to", end.isoformat())
    assert data["period"] == {"from": "2024-04-01", "to": "2026-03-31"}
    expected = _expected(PARTNERSHIP, start, end)
    assert {t["id"]: t["reviews"] for t in data["themes"]} == {k: len(v["cases"]) for k, v in expected.items()}
    assert data["years"] == ["2024/25", "2025/26"]
    assert "WBCR-2026-001" not in json.dumps(data["themes"])


def test_json_shape(wbcr):
    data = _report(wbcr, EXAMPLE, "2017-11-23")
    assert list(data) == ["schema_version", "report", "board", "today", "period", "cases", "years", "themes", "untagged"]
    assert data["schema_version"] == 1 and data["report"] == "themes" and data["today"] == "2017-11-23"
    assert data["cases"] == {"in_register": 13, "counted": 13, "not_counted": [], "with_learning": 2, "with_themes": 2}
    theme = data["themes"][0]
    assert list(theme) == ["id", "label", "description", "listed", "reviews", "findings", "recommendations",
                           "recurring", "by_year", "cases", "actions", "by_agency"]
    assert list(theme["cases"][0]) == ["reference", "pseudonym", "year", "review_kind", "review_label", "findings",
                                       "recommendations"]
    assert list(theme["actions"][0]) == ["reference", "pseudonym", "recommendation", "action", "text", "lead_agency",
                                         "lead_agency_name", "target_date", "rag", "overdue"]
    assert list(theme["by_agency"][0]) == ["agency", "name", "actions", "by_rag"]
    # R4 of WBCR-2016-004 carries no theme: the board sees it
    assert data["untagged"] == {"findings": [], "recommendations": [
        {"reference": "WBCR-2016-004", "pseudonym": "Child A", "id": "R4"}]}


@pytest.mark.parametrize("args", [["--from", "last April"], ["--to", "2017-02-30"],
                                  ["--from", "2017-04-01", "--to", "2017-03-01"], ["--format", "docx"]])
def test_bad_options_are_a_usage_error(wbcr, args):
    result = wbcr("--register", str(EXAMPLE), "--today", "2017-11-23", "report", "themes", *args)
    assert result.code == 2, result.out
    assert "Traceback" not in result.err and result.err.strip()


def test_dates_may_be_written_the_uk_way(wbcr):
    iso = _report(wbcr, PARTNERSHIP, "2026-11-26", "--from", "2024-04-01", "--to", "2026-03-31")
    assert _report(wbcr, PARTNERSHIP, "2026-11-26", "--from", "1 April 2024", "--to", "31/03/2026") == iso


def test_a_case_that_does_not_validate_is_not_counted(wbcr, example):
    (example / "cases" / "WBCR-2016-001" / "recommendations.yaml").write_text("recommendations: [broken\n")
    result = wbcr("--register", str(example), "report", "themes", "--format", "json")
    assert result.code == 1, result.err
    assert "cases/WBCR-2016-001/recommendations.yaml:1:" in result.err
    data = json.loads(result.out)
    assert [s["reference"] for s in data["cases"]["not_counted"]] == ["WBCR-2016-001"]
    assert "WBCR-2016-001" not in json.dumps(data["themes"])


# --- pseudonyms only ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("register", "today"), REGISTERS, ids=IDS)
def test_report_holds_no_identifying_value(wbcr, register, today):
    text = json.dumps(_report(wbcr, register, today), ensure_ascii=False)
    assert "Child " in text  # cases are named, by pseudonym
    _assert_no_identifier(text, "the JSON")
    result = wbcr("--register", str(register), "--today", today, "report", "themes")
    assert result.code == 0, result.err
    _assert_no_identifier(result.out, "the terminal view")


def test_an_action_naming_a_person_is_withheld(wbcr, example):
    people = yaml.safe_load((example / "cases" / "WBCR-2016-004" / "people.yaml").read_text())["people"]
    path = example / "cases" / "WBCR-2016-001" / "recommendations.yaml"
    path.write_text(path.read_text().replace(
        'Revise the "Was Not Brought" policy', f"Ask {people[0]['name']} to revise the \"Was Not Brought\" policy"))
    data = json.loads(wbcr("--register", str(example), "report", "themes", "--format", "json").out)
    action = next(a for t in data["themes"] for a in t["actions"] if (a["reference"], a["action"]) == ("WBCR-2016-001", "R1-A1"))
    assert action["text"].startswith("[withheld")
    assert people[0]["name"] not in json.dumps(data)


# --- validation ----------------------------------------------------------------------------------------


def test_an_unknown_theme_is_a_finding_at_its_place(wbcr, example):
    path = example / "cases" / "WBCR-2016-001" / "recommendations.yaml"
    text = path.read_text().replace("themes: [neglect, professional-curiosity]", "themes: [neglect, lessons-learnt]", 1)
    path.write_text(text)
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "lessons-learnt" in l)
    col = text.splitlines()[line - 1].index("lessons-learnt") + 1
    result = wbcr("--register", str(example), "validate", "--format", "json")
    assert result.code == 1
    findings = [f for f in json.loads(result.out)["findings"] if f["code"] == "theme.unknown"]
    assert len(findings) == 1
    found = findings[0]
    assert (found["path"].endswith("cases/WBCR-2016-001/recommendations.yaml"), found["line"], found["col"]) == (True, line, col)
    assert found["message"] == 'recommendation R1: unknown theme "lessons-learnt"'
    assert "information-sharing" in found["hint"] and "safer-sleep" in found["hint"]
    text_out = wbcr("--register", str(example), "validate").out
    assert f"recommendations.yaml:{line}:{col}: error[theme.unknown]" in text_out


def test_a_theme_on_a_finding_is_checked_too_and_a_register_without_a_list_says_so(wbcr, example):
    config = example / "wbcr.yaml"
    data = config.read_text()
    start = data.index("# Learning themes")
    end = data.index("\ncalendar:")
    config.write_text(data[:start] + data[end + 1:])
    result = wbcr("--register", str(example), "validate", "--format", "json")
    assert result.code == 1
    findings = [f for f in json.loads(result.out)["findings"] if f["code"] == "theme.unknown"]
    assert {f["path"].rsplit("/", 2)[-2] for f in findings} == {"WBCR-2016-001", "WBCR-2016-004"}
    assert any(f["message"].startswith("finding F") for f in findings)
    assert all("wbcr.yaml lists no themes" in f["hint"] for f in findings)
    # the report still shows the themes the records carry, marked as not listed
    data = json.loads(wbcr("--register", str(example), "report", "themes", "--format", "json").out)
    assert data["themes"] and not any(t["listed"] for t in data["themes"])
    assert {t["id"] for t in data["themes"]} == {"neglect", "professional-curiosity", "supervision", "information-sharing",
                                                 "voice-of-the-child", "risk-assessment", "domestic-abuse", "hidden-men",
                                                 "think-family"}
    assert "Neglect" not in json.dumps(data) and "neglect (not in wbcr.yaml)" in wbcr(
        "--register", str(example), "report", "themes").out


def test_a_theme_listed_twice_in_wbcr_yaml_is_a_finding(wbcr, example):
    config = example / "wbcr.yaml"
    config.write_text(config.read_text().replace("  - id: recording\n", "  - id: neglect\n", 1))
    result = wbcr("--register", str(example), "validate", "--format", "json")
    assert result.code == 1
    found = [f for f in json.loads(result.out)["findings"] if f["code"] == "config.theme"]
    assert len(found) == 1 and found[0]["path"].endswith("register/wbcr.yaml") and '"neglect" is listed twice' in found[0]["message"]
    lines = [n for n, l in enumerate(config.read_text().splitlines(), 1) if l == "  - id: neglect"]
    assert len(lines) == 2 and found[0]["line"] == lines[1]  # the second entry is the one to correct


# --- recording themes --------------------------------------------------------------------------------


def test_plan_recommendation_records_its_themes(wbcr, example):
    result = wbcr("--register", str(example), "plan", "recommendation", "WBCR-2016-004", "--id", "R4",
                  "--theme", "supervision", "--theme", "multi-agency-working")
    assert result.code == 0, result.err
    assert "recommendation R4 updated (themes: supervision, multi-agency-working)" in result.out
    recs = yaml.safe_load((example / "cases" / "WBCR-2016-004" / "recommendations.yaml").read_text())
    r4 = next(r for r in recs["recommendations"] if r["id"] == "R4")
    assert r4["themes"] == ["supervision", "multi-agency-working"] and r4["text"].startswith("Brighter Futures")
    assert git(example, "status", "--porcelain").strip() == ""  # recorded and committed
    assert "plan-recommendation" in git(example, "log", "-1", "--format=%B")
    data = json.loads(wbcr("--register", str(example), "report", "themes", "--format", "json").out)
    supervision = next(t for t in data["themes"] if t["id"] == "supervision")
    assert supervision["recurring"] and {c["reference"] for c in supervision["cases"]} == {"WBCR-2016-001", "WBCR-2016-004"}
    assert data["untagged"]["recommendations"] == []


def test_a_new_recommendation_with_themes(wbcr, example):
    result = wbcr("--register", str(example), "plan", "recommendation", "WBCR-2016-004", "--id", "R5", "--scope",
                  "multi_agency", "--text", "Agencies escalate when a strategy discussion is not held.", "--theme", "escalation")
    assert result.code == 0, result.err
    recs = yaml.safe_load((example / "cases" / "WBCR-2016-004" / "recommendations.yaml").read_text())
    assert next(r for r in recs["recommendations"] if r["id"] == "R5")["themes"] == ["escalation"]


def test_an_unknown_theme_on_the_command_line_is_refused(wbcr, example):
    path = example / "cases" / "WBCR-2016-004" / "recommendations.yaml"
    before = path.read_bytes()
    result = wbcr("--register", str(example), "plan", "recommendation", "WBCR-2016-004", "--id", "R4",
                  "--theme", "lessons-learnt")
    assert result.code == 2
    assert 'unknown theme "lessons-learnt"' in result.err and "information-sharing" in result.err
    assert "Traceback" not in result.err
    assert path.read_bytes() == before


def test_plan_finding_records_a_finding_and_changes_its_themes(wbcr, example):
    ok = wbcr("--register", str(example), "plan", "finding", "WBCR-2016-004", "--id", "F4",
              "--text", "Leave cover for the social worker was not arranged.", "--theme", "supervision")
    assert ok.code == 0, ok.err
    assert "finding F4 recorded (themes: supervision)" in ok.out
    again = wbcr("--register", str(example), "plan", "finding", "WBCR-2016-004", "--id", "F4", "--theme", "recording",
                 "--theme", "supervision")
    assert again.code == 0, again.err
    recs = yaml.safe_load((example / "cases" / "WBCR-2016-004" / "recommendations.yaml").read_text())
    f4 = next(f for f in recs["findings"] if f["id"] == "F4")
    assert f4 == {"id": "F4", "text": "Leave cover for the social worker was not arranged.", "themes": ["recording", "supervision"]}
    assert wbcr("--register", str(example), "validate").code == 0


@pytest.mark.parametrize(("args", "says"), [
    (["--id", "X1", "--text", "t"], "not a finding's number"),
    (["--id", "F9"], "is new: give its --text"),
    (["--id", "F9", "--text", "t", "--theme", "nope"], 'unknown theme "nope"'),
])
def test_plan_finding_refuses_bad_input(wbcr, example, args, says):
    result = wbcr("--register", str(example), "plan", "finding", "WBCR-2016-004", *args)
    assert result.code == 2 and says in result.err, result.err
    assert git(example, "status", "--porcelain").strip() == ""


def test_the_first_finding_of_a_case_with_no_plan_makes_a_valid_record(wbcr, example):
    result = wbcr("--register", str(example), "plan", "finding", "WBCR-2017-003", "--id", "F1",
                  "--text", "Nobody asked who else lived in the home.", "--theme", "hidden-men")
    assert result.code == 0, result.err
    recs = yaml.safe_load((example / "cases" / "WBCR-2017-003" / "recommendations.yaml").read_text())
    assert recs["recommendations"] == [] and recs["findings"][0]["themes"] == ["hidden-men"]
    data = json.loads(wbcr("--register", str(example), "report", "themes", "--format", "json").out)
    hidden = next(t for t in data["themes"] if t["id"] == "hidden-men")
    assert [(c["reference"], c["year"]) for c in hidden["cases"]] == [("WBCR-2016-004", "2016/17"), ("WBCR-2017-003", "2017/18")]


# --- the starter list ----------------------------------------------------------------------------------


@pytest.mark.parametrize("procedure", ["wt2015", "wt2023"])
def test_init_writes_the_starter_themes(wbcr, tmp_path, procedure):
    root = tmp_path / "register"
    result = wbcr("init", str(root), "--procedure", procedure, cwd=tmp_path)
    assert result.code == 0, result.err
    themes = yaml.safe_load((root / "wbcr.yaml").read_text())["themes"]
    assert STARTER <= {t["id"] for t in themes}
    assert all(t["label"] and t["description"] for t in themes)
    assert wbcr("--register", str(root), "validate").code == 0


@pytest.mark.parametrize("register", [EXAMPLE, PARTNERSHIP], ids=IDS)
def test_examples_list_the_starter_themes(register):
    assert STARTER <= {t["id"] for t in _load(register / "wbcr.yaml")["themes"]}


def test_help_imports_no_heavy_library(env):
    result = subprocess.run([sys.executable, "-c", PROBE, "report", "themes", "--help"], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("HEAVY=")][-1] == "HEAVY="
