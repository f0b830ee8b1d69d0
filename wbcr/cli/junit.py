"""Findings as JUnit XML, the test report GitLab (`artifacts: reports: junit:`), Azure DevOps
(`PublishTestResults@2`) and most other CI servers show beside a pipeline.

The report has one <testsuite> for the register's own settings (wbcr.yaml and anything outside a case
folder) and one per case folder checked. Inside a suite, a file with no error is one passing <testcase>
named by its path; a file with errors is one failing <testcase> per error (named `path:line:col
[code]`), each with one <failure> whose message is `path:line:col: message` and whose text adds the
hint, because GitLab and Azure DevOps show only one failure per test case. Warnings never fail a test
case: they are listed in its <system-out> (with --strict they are errors, so failures). Every text is
escaped by ElementTree, and control characters XML cannot hold are written as visible escapes.
"""

from __future__ import annotations

import os
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from wbcr.cli.console import format_finding, format_visible
from wbcr.core.findings import ERROR

#: the register's own suite: wbcr.yaml, and findings outside every case folder
REGISTER_SUITE = "register"
#: characters XML 1.0 cannot hold at all, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Suite:
    name: str
    files: list[str] = field(default_factory=list)          # display paths checked, in order
    findings: dict[str, list] = field(default_factory=dict)  # display path -> its findings

    def add_file(self, path: str) -> None:
        if path not in self.findings:
            self.files.append(path)
            self.findings[path] = []

    def add(self, path: str, finding) -> None:
        self.add_file(path)
        self.findings[path].append(finding)


def display_path(root: Path, relpath: str) -> str:
    """A register-relative path as `wbcr validate` shows it: relative to the current folder."""
    full = root / relpath
    try:
        rel = os.path.relpath(full, Path.cwd())
    except ValueError:
        rel = str(full)
    if relpath.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel.replace(os.sep, "/")


def case_record_files(root: Path, folder: Path) -> list[str]:
    """The register-relative paths of a case folder's records, as validation reads them."""
    from wbcr.model.schemas import CASE_RECORDS  # noqa: PLC0415 - lazy: keeps --help fast

    rel = folder.relative_to(root).as_posix()
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name in CASE_RECORDS)
    chronology = folder / "chronology"
    chronologies = sorted(p.name for p in chronology.glob("*.yaml")) if chronology.is_dir() else []
    return [f"{rel}/{name}" for name in names] + [f"{rel}/chronology/{name}" for name in chronologies
                                                    if not name.startswith(".")]


def register_suites(root: Path, case_dirs: Iterable[Path], findings: Iterable, shown: Iterable,
                    config_name: str = "wbcr.yaml") -> list[Suite]:
    """The suites of a validated register: `findings` with register-relative paths (to place them) and
    `shown`, the same findings as printed (paths relative to the current folder)."""
    suites: dict[str, Suite] = {REGISTER_SUITE: Suite(REGISTER_SUITE)}
    suites[REGISTER_SUITE].add_file(display_path(root, config_name))
    folders: dict[str, str] = {}
    for folder in case_dirs:
        rel = folder.relative_to(root).as_posix()
        name = folder.name
        folders[rel + "/"] = name
        suite = suites.setdefault(name, Suite(name))
        for path in case_record_files(root, folder):
            suite.add_file(display_path(root, path))
    for finding, display in zip(findings, shown):
        name = next((n for prefix, n in folders.items() if finding.path.startswith(prefix)), None)
        if name is None:
            parts = finding.path.split("/")
            name = parts[1] if len(parts) > 2 and parts[0] == "cases" else REGISTER_SUITE
        suites.setdefault(name, Suite(name)).add(display.path, display)
    return list(suites.values())


def _text(value) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", format_visible(str(value)))


def junit_xml(suites: list[Suite], name: str) -> str:
    """The JUnit XML document (a string, with its XML declaration) of `suites`."""
    top = ET.Element("testsuites", name=_text(name))
    total = failures = 0
    for suite in suites:
        element = ET.SubElement(top, "testsuite", name=_text(suite.name))
        tests = failed = 0
        for path in suite.files:
            found = suite.findings[path]
            errors = [f for f in found if f.severity == ERROR]
            others = [f for f in found if f.severity != ERROR]
            out = "\n".join(format_finding(f) for f in others)
            if not errors:
                case = ET.SubElement(element, "testcase", name=_text(path), classname=_text(suite.name))
                tests += 1
                if out:
                    ET.SubElement(case, "system-out").text = _text(out)
                continue
            for i, f in enumerate(errors):
                case = ET.SubElement(element, "testcase", name=_text(f"{f.location} [{f.code}]"),
                                     classname=_text(suite.name))
                failure = ET.SubElement(case, "failure", message=_text(f"{f.location}: {f.message}"),
                                        type=_text(f.code))
                failure.text = _text(format_finding(f))
                if i == 0 and out:
                    ET.SubElement(case, "system-out").text = _text(out)
                tests += 1
                failed += 1
        element.set("tests", str(tests))
        element.set("failures", str(failed))
        element.set("errors", "0")
        element.set("skipped", "0")
        total += tests
        failures += failed
    top.set("tests", str(total))
    top.set("failures", str(failures))
    top.set("errors", "0")
    ET.indent(top)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(top, encoding="unicode") + "\n"


def print_junit(suites: list[Suite], name: str) -> None:
    sys.stdout.write(junit_xml(suites, name))
    sys.stdout.flush()


def findings_suites(findings: Iterable, checked: int, what: str) -> list[Suite]:
    """Suites for a check that reports findings but not the files it read (`wbcr check-sealed`): one
    per case folder with findings, each file with findings a test case; with none, one passing test
    case saying how many files were checked (`what`)."""
    suites: dict[str, Suite] = {}
    for finding in findings:
        parts = finding.path.split("/")
        name = parts[1] if len(parts) > 2 and parts[0] == "cases" else REGISTER_SUITE
        suites.setdefault(name, Suite(name)).add(finding.path, finding)
    if not suites:
        suites[REGISTER_SUITE] = Suite(REGISTER_SUITE)
        suites[REGISTER_SUITE].add_file(f"{checked} file(s) checked: {what}")
    return list(suites.values())
