"""`--format junit`: findings as JUnit XML for GitLab and Azure DevOps, counted as `--format json` counts
them, one suite per case folder (and one for wbcr.yaml), a failure per error, everything escaped."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter

from wbcr.cli.junit import REGISTER_SUITE, Suite, junit_xml
from wbcr.core.findings import Finding


def _break(register, case: str, pattern: str, replacement: str, name: str = "referral.yaml") -> None:
    path = register / "cases" / case / name
    text = path.read_text()
    changed = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert changed != text
    path.write_text(changed)


def _report(wbcr, register, *args):
    result = wbcr("validate", "--format", "junit", *args, cwd=register)
    root = ET.fromstring(result.out)  # valid XML, or this raises
    return result, root


def _json(wbcr, register, *args):
    result = wbcr("validate", "--format", "json", *args, cwd=register)
    return result, json.loads(result.out)


def test_counts_match_json_on_a_register_with_a_broken_date(wbcr, example):
    _break(example, "WBCR-2016-001", r"^received: .*$", "received: 2016-13-45")
    json_result, data = _json(wbcr, example)
    result, root = _report(wbcr, example)
    assert result.code == json_result.code == 1
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    assert data["errors"] == len(errors) >= 1
    assert root.tag == "testsuites"
    assert int(root.get("failures")) == len(errors)
    failures = root.findall(".//failure")
    assert len(failures) == len(errors)
    expected = Counter(f"{f['path']}:{f['line']}:{f['col']}: {f['message']}" if f["col"] else
                       f"{f['path']}:{f['line']}: {f['message']}" if f["line"] else f"{f['path']}: {f['message']}"
                       for f in errors)
    assert Counter(f.get("message") for f in failures) == expected
    texts = "\n".join(f.text for f in failures)
    assert all(f"{f['message']} (hint: {f['hint']})" in texts for f in errors if f["hint"])
    # one suite for wbcr.yaml and one per case folder, a test case per file checked
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites][0] == REGISTER_SUITE
    assert len(suites) == data["cases"] + 1
    broken = next(s for s in suites if s.get("name") == "WBCR-2016-001")
    assert int(broken.get("failures")) == sum(1 for f in errors if f["path"].startswith("cases/WBCR-2016-001/"))
    files_with_errors = {f["path"] for f in errors}
    assert int(root.get("tests")) == data["files"] - len(files_with_errors) + len(errors)
    assert sum(int(s.get("tests")) for s in suites) == int(root.get("tests"))
    assert sum(int(s.get("failures")) for s in suites) == len(errors)
    names = {c.get("name") for c in root.iter("testcase")}
    assert "wbcr.yaml" in names and "cases/WBCR-2016-001/people.yaml" in names


def test_warnings_are_output_not_failures_unless_strict(wbcr, example):
    # months after the day the example stands at, deadlines have passed: warnings, no error
    later = ["--today", "2018-06-01"]
    data = json.loads(wbcr(*later, "validate", "--format", "json", cwd=example).out)
    warnings = [f for f in data["findings"] if f["severity"] == "warning"]
    assert warnings and not data["errors"]
    result = wbcr(*later, "validate", "--format", "junit", cwd=example)
    root = ET.fromstring(result.out)
    assert result.code == 0 and root.get("failures") == "0"
    out = "\n".join(e.text for e in root.iter("system-out"))
    assert all(w["message"] in out for w in warnings)
    strict = wbcr(*later, "validate", "--format", "junit", "--strict", cwd=example)
    root = ET.fromstring(strict.out)
    assert strict.code == 1 and int(root.get("failures")) == len(warnings)


def test_a_message_with_markup_characters_is_escaped(wbcr, example):
    _break(example, "WBCR-2016-001", r"^lead_lscb: .*$", "lead_lscb: 'x<&\"y'")
    result, root = _report(wbcr, example)
    assert result.code == 1
    (failure,) = root.findall(".//failure")
    assert 'x<&"y' in failure.get("message") and 'x<&"y' in failure.text
    assert 'x<&"y' not in result.out  # only ever escaped in the document itself


def test_writer_escapes_everything_and_control_characters():
    finding = Finding("schema", "error", 'bad <value> & "quote" \x01 end', "cases/A/x.yaml", 3, 4, "hint <&>")
    warning = Finding("deadline.overdue", "warning", "late & <soon>", "cases/A/x.yaml", 1, None, None)
    suite = Suite("A")
    suite.add("cases/A/x.yaml", finding)
    suite.add("cases/A/x.yaml", warning)
    suite.add_file("cases/A/y.yaml")
    text = junit_xml([Suite(REGISTER_SUITE, ["wbcr.yaml"], {"wbcr.yaml": []}), suite], "wbcr <validate>")
    root = ET.fromstring(text)
    assert root.get("name") == "wbcr <validate>"
    (failure,) = root.findall(".//failure")
    assert failure.get("message") == 'cases/A/x.yaml:3:4: bad <value> & "quote" \\x01 end'
    assert failure.get("type") == "schema" and "(hint: hint <&>)" in failure.text
    assert "late & <soon>" in root.find(".//system-out").text
    assert root.get("tests") == "3" and root.get("failures") == "1"


def test_check_sealed_junit(wbcr, example):
    result = wbcr("check-sealed", "--always", "--format", "junit", cwd=example)
    as_json = json.loads(wbcr("check-sealed", "--always", "--format", "json", cwd=example).out)
    root = ET.fromstring(result.out)
    assert result.code == (1 if as_json["findings"] else 0)
    assert int(root.get("failures")) == len(as_json["findings"])
    nothing = wbcr("check-sealed", "--format", "junit", cwd=example)
    assert nothing.code == 0 and ET.fromstring(nothing.out).get("failures") == "0"
