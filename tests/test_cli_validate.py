"""`wbcr validate` through the command line: exact lines, exit codes, formats, cross-record checks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import yaml

from conftest import AT_EXAMPLE, EXAMPLE, git


def test_example_register_validates_clean(wbcr_process):
    """No errors and no warnings: the days several agencies recorded (the example's chronologies hold
    strategy meetings that police, health and social care all recorded) are recorded as reviewed.
    A real `python -m wbcr` process on purpose: one of the few end-to-end tests of the entry point."""
    result = wbcr_process(*AT_EXAMPLE, "validate", "--no-cache")
    assert result.code == 0, result.out + result.err
    assert " 0 error(s), 0 warning(s)" in result.err
    assert result.out == ""


def test_the_example_register_passes_strict(wbcr):
    result = wbcr(*AT_EXAMPLE, "validate", "--strict")
    assert result.code == 0, result.out


def test_strict_turns_warnings_into_errors_and_a_new_shared_day_is_flagged_again(wbcr, example):
    """A day a later chronology adds to those several agencies recorded is flagged, and --strict fails."""
    tvp = example / "cases" / "WBCR-2016-004" / "chronology" / "tvp.yaml"
    bffc = (example / "cases" / "WBCR-2016-004" / "chronology" / "bffc.yaml").read_text()
    day = next(line.split("date:", 1)[1].strip().strip("'\"") for line in bffc.splitlines()
               if line.strip().startswith("- date:") and "2016-0" in line)
    text = tvp.read_text()
    first = next(line for line in text.splitlines() if line.strip().startswith("- date:"))
    tvp.write_text(text.replace(first, first.split("date:")[0] + "date: " + day, 1))
    warned = wbcr("validate", "WBCR-2016-004", cwd=example)
    strict = wbcr("validate", "WBCR-2016-004", "--strict", cwd=example)
    shared = [line for line in warned.lines if "warning[chronology.same-day]" in line]
    assert len(shared) == 1 and day in shared[0] and "wbcr chronology reviewed" in warned.out, warned.out
    assert strict.code == 1 and "error[chronology.same-day]" in strict.out


def _first_case(register: Path) -> Path:
    return sorted((register / "cases").iterdir())[0]


def test_syntax_error_is_reported_with_file_line_and_exit_1(wbcr, example):
    case = _first_case(example)
    path = case / "referral.yaml"
    lines = path.read_text().splitlines()
    lines.insert(3, "oops: [unclosed")
    path.write_text("\n".join(lines) + "\n")
    result = wbcr("validate", cwd=example)
    assert result.code == 1
    (line,) = [l for l in result.lines if "referral.yaml" in l]
    assert re.match(rf"cases/{case.name}/referral\.yaml:[45]:\d+: error\[yaml\.syntax\]: YAML syntax: "
                    r"did not find expected ',' or '\]'", line), line


def test_impossible_date_is_reported_on_its_line(wbcr, example):
    case = _first_case(example)
    path = case / "case.yaml"
    text = path.read_text()
    opened = yaml.safe_load(text)["opened"]
    new = text.replace(f"opened: {opened}", "opened: 2026-02-31", 1)
    assert new != text
    path.write_text(new)
    lineno = next(i for i, l in enumerate(new.splitlines(), 1) if l.startswith("opened:"))
    result = wbcr("validate", case.name, cwd=example)
    assert result.code == 1
    assert f"cases/{case.name}/case.yaml:{lineno}:9: error[schema]: opened: \"2026-02-31\" is not a real date " \
           "(hint: write the date as YYYY-MM-DD)" in result.lines


def test_unknown_key_gets_did_you_mean(wbcr, example):
    case = _first_case(example)
    path = case / "case.yaml"
    path.write_text(path.read_text() + "psuedonym: Child Z\n")
    result = wbcr("validate", cwd=example)
    assert result.code == 1
    (line,) = [l for l in result.lines if "psuedonym" in l]
    assert line.endswith('error[schema]: psuedonym: unknown field "psuedonym" (hint: did you mean "pseudonym"? '
                         '— How the child is referred to in documents, e.g. Child A.)')


def test_every_finding_at_once_across_files(wbcr, example):
    cases = sorted((example / "cases").iterdir())
    (cases[0] / "people.yaml").write_text("schema_version: 1\npeople:\n\t- id: x\n")
    (cases[1] / "case.yaml").write_bytes(b"schema_version: 1\nreference: \xa3\n")
    result = wbcr("validate", "--format", "json", cwd=example)
    assert result.code == 1
    data = json.loads(result.out)
    codes = {(f["path"], f["code"]) for f in data["findings"]}
    assert (f"cases/{cases[0].name}/people.yaml", "yaml.syntax") in codes
    assert (f"cases/{cases[1].name}/case.yaml", "yaml.encoding") in codes
    assert data["ok"] is False and data["errors"] >= 2


def test_folder_name_must_match_reference(wbcr, example):
    case = _first_case(example)
    case.rename(case.parent / "WBCR-2090-999")
    result = wbcr("validate", "WBCR-2090-999", cwd=example)
    assert result.code == 1
    assert any("error[reference.folder]" in l and "does not match the folder name \"WBCR-2090-999\"" in l
               for l in result.lines)


def test_duplicate_reference_after_merging_two_clones(wbcr, example):
    case = _first_case(example)
    copy = case.parent / (case.name + "-copy")
    shutil.copytree(case, copy)
    result = wbcr("validate", "--format", "json", cwd=example)
    assert result.code == 1
    dupes = [f for f in json.loads(result.out)["findings"] if f["code"] == "reference.duplicate"]
    assert {f["path"] for f in dupes} == {f"cases/{case.name}/case.yaml", f"cases/{copy.name}/case.yaml"}


def test_unknown_agency_and_person(wbcr, example):
    case = _first_case(example)
    path = case / "referral.yaml"
    data = yaml.safe_load(path.read_text())
    text = path.read_text().replace(f"agency: {data['referrer']['agency']}", "agency: thames-valley-plice", 1)
    text = text.replace(f"- {data['subjects'][0]}", "- nobody-here", 1) if f"- {data['subjects'][0]}" in text \
        else text.replace(data["subjects"][0], "nobody-here", 1)
    path.write_text(text)
    result = wbcr("validate", case.name, "--format", "json", cwd=example)
    codes = [f["code"] for f in json.loads(result.out)["findings"]]
    assert "agency.unknown" in codes and "person.unknown" in codes


def test_decision_before_referral_is_an_error(wbcr, example):
    decided = [c for c in sorted((example / "cases").iterdir())
               if "chair_decision" in (yaml.safe_load((c / "decisions.yaml").read_text()) if (c / "decisions.yaml").exists() else {})]
    case = decided[0]
    path = case / "decisions.yaml"
    text = path.read_text()
    when = yaml.safe_load(text)["chair_decision"]["date"]
    lines = text.splitlines()
    in_chair = False
    for i, line in enumerate(lines):
        if line.startswith("chair_decision:"):
            in_chair = True
        elif in_chair and line.strip().startswith("date:"):
            lines[i] = line.replace(str(when), "1991-12-30")
            break
    path.write_text("\n".join(lines) + "\n")
    result = wbcr("validate", case.name, cwd=example)
    assert result.code == 1
    assert any("error[dates.order]: the decision 1991-12-30 is before the referral" in l
               for l in result.lines)


def test_stage_must_agree_with_records(wbcr, example):
    case = next(c for c in sorted((example / "cases").iterdir()) if (c / "decisions.yaml").exists()
                and "chair_decision" in yaml.safe_load((c / "decisions.yaml").read_text()))
    (case / "decisions.yaml").unlink()
    result = wbcr("validate", case.name, "--format", "json", cwd=example)
    assert result.code == 1
    codes = {f["code"] for f in json.loads(result.out)["findings"]}
    assert "stage.missing" in codes


def test_github_annotations(wbcr, example):
    case = _first_case(example)
    (case / "case.yaml").write_text((case / "case.yaml").read_text() + "extra_field: 1\n")
    result = wbcr("validate", "--format", "github", cwd=example)
    assert result.code == 1
    assert any(l.startswith(f"::error file=cases/{case.name}/case.yaml,line=") and ",title=schema::" in l
               for l in result.lines)


def test_cache_never_hides_an_error(wbcr, example):
    first = wbcr("validate", cwd=example)
    assert first.code == 0, first.out
    case = _first_case(example)
    path = case / "case.yaml"
    original = path.read_text()
    path.write_text(original + "bogus: true\n")
    second = wbcr("validate", cwd=example)
    assert second.code == 1
    assert any("bogus" in l for l in second.lines)
    third = wbcr("validate", cwd=example)  # the cached result of the broken content
    assert third.lines == second.lines and third.code == 1
    path.write_text(original)
    assert wbcr("validate", cwd=example).code == 0


def test_cross_record_checks_run_even_when_files_are_cached(wbcr, example):
    assert wbcr("validate", cwd=example).code == 0
    config = example / "wbcr.yaml"
    text = config.read_text()
    agency = "tvp"
    assert f"id: {agency}" in text
    config.write_text(text.replace(f"id: {agency}", "id: tvp-renamed", 1))
    result = wbcr("validate", cwd=example)
    assert result.code == 1
    assert any('error[agency.unknown]: unknown agency "tvp"' in l for l in result.lines)


def test_not_a_register_is_a_usage_error(wbcr, tmp_path):
    result = wbcr("validate", cwd=tmp_path)
    assert result.code == 2
    assert "not inside a wbcr register" in result.err
    assert "Traceback" not in result.err


def test_unknown_case_is_a_usage_error(wbcr, example):
    result = wbcr("validate", "WBCR-1999-001", cwd=example)
    assert result.code == 2
    assert "Traceback" not in result.err


def test_hostile_files_never_traceback(wbcr, example):
    case = _first_case(example)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    (case / "review.yaml").write_text(bomb)
    (case / "notifications.yaml").write_bytes(b"\xef\xbb\xbfschema_version: 1\nnotifications: []\n")
    (case / "recommendations.yaml").write_text("schema_version: 1\nschema_version: 1\nrecommendations: []\n")
    chron = case / "chronology"
    chron.mkdir(exist_ok=True)
    (chron / "tvp.yaml").write_text("x" * (9 * 1024 * 1024))
    result = wbcr("validate", case.name, cwd=example)
    assert result.code == 1
    assert "Traceback" not in result.err + result.out
    text = result.out
    assert "error[yaml.alias]" in text and "error[yaml.duplicate-key]" in text and "error[yaml.too-large]" in text


def test_usage_errors_exit_2_without_a_traceback(wbcr_process):
    # a real process on purpose: the exit code and stderr a shell sees from click's usage errors
    for args in (["statsu"], ["validate", "--format", "xml"], ["due", "2016-12-29"], ["status", "--bogus"]):
        result = wbcr_process(*AT_EXAMPLE, *args)
        assert result.code == 2, (args, result.err)
        assert "Traceback" not in result.err and "internal error" not in result.err


def test_a_closed_pipe_is_not_an_error_message(env):
    import subprocess
    import sys

    proc = subprocess.run(f"{sys.executable} -m wbcr --register {EXAMPLE} show WBCR-2016-004 | head -1",
                          shell=True, env=env, capture_output=True, text=True)
    assert "Traceback" not in proc.stderr


def test_chronology_reviewed_records_the_shared_days_through_the_store(wbcr, example):
    from conftest import git

    tvp = example / "cases" / "WBCR-2016-004" / "chronology" / "tvp.yaml"
    text = tvp.read_text()
    first = next(line for line in text.splitlines() if line.strip().startswith("- date:"))
    import yaml

    reviewed = {str(d) for d in yaml.safe_load((tvp.parent.parent / "review.yaml").read_text())
                ["chronology_review"]["same_days"]}
    bffc = yaml.safe_load((tvp.parent / "bffc.yaml").read_text())
    day = next(str(e["date"]) for e in bffc["entries"] if str(e["date"]) not in reviewed)
    tvp.write_text(text.replace(first, first.split("date:")[0] + "date: " + day, 1))
    git(example, "commit", "-qam", "a later chronology")
    assert "chronology.same-day" in wbcr("validate", "WBCR-2016-004", cwd=example).out
    result = wbcr("--today", "2017-11-23", "chronology", "reviewed", "WBCR-2016-004", cwd=example)
    assert result.code == 0, result.err
    assert "chronology.same-day" not in wbcr("validate", "WBCR-2016-004", "--strict", cwd=example).out
    assert "Wbcr-Action: chronology-reviewed" in git(example, "log", "-1", "--format=%B")


def test_an_audit_under_way_with_its_terms_recorded_is_not_behind(wbcr, example):
    """review.yaml is asked for only by conditions of other kinds of review (the family's sight of an
    SCR, SILP or multi-agency report before publication): an audit in progress whose terms of reference
    are recorded is where it should be, and passes --strict."""
    case = example / "cases" / "WBCR-2016-001"
    text = (case / "case.yaml").read_text()
    text = text.replace("stage: action_monitoring\n", "stage: audit\n", 1)
    (case / "case.yaml").write_text(text[: text.index("  - stage: findings_reported")])
    (case / "recommendations.yaml").unlink()
    git(example, "commit", "-qam", "the audit is under way")
    done = wbcr("review", "terms", "WBCR-2016-001", "--scope-from", "2015-04-01", "--scope-to", "2016-03-31",
                "--methodology", "audit", "--line", "Were children not brought to health visiting contacts followed up?",
                "--approved", "2016-05-27", cwd=example)
    assert done.code == 0, done.err
    strict = wbcr("validate", "WBCR-2016-001", "--strict", cwd=example)
    assert strict.code == 0, strict.out + strict.err
    assert "stage.behind" not in strict.out
