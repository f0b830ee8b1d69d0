"""No crash on any input (issue 13): hostile records and a hostile wbcr.yaml give findings, never an
internal error.

The fuzzer copies the example register, breaks one value of one record (or of wbcr.yaml) — another
type, a 4,301-digit integer, a mapping, a list, null, a date, a boolean, a long string, control
characters — or deletes a key, or adds one, commits the change (as a hand edit would be), and runs
every read command and a recording command on it. No run may end in "internal error" or a traceback,
and a command that refuses leaves the work tree and HEAD exactly as they were.

The budget is fixed for CI (`derandomize=True`, a fixed number of examples); `WBCR_FUZZ_EXAMPLES=5000`
runs a longer one. The held-back inputs of the issue are explicit regression tests below.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, EXAMPLE_TODAY, _run_in_process, copy_example, git, module_environment
from formfill import fill_form

#: examples in CI (about two minutes on two cores); WBCR_FUZZ_EXAMPLES for a longer run
EXAMPLES = int(os.environ.get("WBCR_FUZZ_EXAMPLES", "60"))

HUGE = "9" * 4301  # one digit past Python's int-to-text limit (sys.int_info.default_max_str_digits)

#: what a value is replaced with, as YAML text
VALUES = [
    "17", "-1", "0", HUGE, "-" + HUGE, "1.5", ".inf", ".nan", "{fuzz: 1}", "{id: tvp, name: x}", "[1, 2]", "[]",
    "{}", "null", "2017-01-01", "2017-02-30", "1999-12-31", "true", "false", '""', '"x"',
    '"' + "x" * 5000 + '"', '"\\e[31m\\a\\0\\u202e\\x9b"', '"WBCR-2017-002"', '"tvp"', '"evidence"', '"closed"',
    '"2017-06-01"', '"../../etc/passwd"', '"{seq}"', '"%s%n"', '"{{ 7*7 }}"', "2017-05-09T10:00:00",
]

#: the files the recording commands read (a filled referral form, an agency's chronology), made once
INPUTS: dict[str, Path] = {"form": Path("referral.docx"), "chronology": Path(__file__).parent / "chronology_files"
                           / "gp-export.csv"}

#: the cases mutated: one ready to advance (with chronologies and a review), one with an action plan, one
#: gathering information from agencies
CASES = ("WBCR-2017-002", "WBCR-2016-004", "WBCR-2017-009")
TODAY = EXAMPLE_TODAY


def _record_files() -> list[str]:
    out = ["wbcr.yaml"]
    for ref in CASES:
        folder = EXAMPLE / "cases" / ref
        out += sorted(p.relative_to(EXAMPLE).as_posix() for p in folder.rglob("*.yaml"))
    return out


FILES = _record_files()
#: wbcr.yaml is read by every command: it is broken in about one example in four
WEIGHTED = ["wbcr.yaml"] * (len(FILES) // 3) + FILES


def commands(ref: str) -> list[list[str]]:
    """Every read command (from `wbcr --help`), then the recording commands, on the case `ref`."""
    return [
        ["validate"], ["validate", ref, "--format", "json"], ["status"], ["status", "--format", "json"],
        ["show", ref], ["show", ref, "--format", "json"], ["next", ref], ["next", ref, "--format", "json"],
        ["deadlines"], ["deadlines", "--format", "json"], ["report", "decisions"],
        ["report", "decisions", "--format", "json"], ["actions"], ["actions", ref, "--format", "json"],
        ["history", ref], ["chronology", "merge", ref, "--format", "json"],
        ["render", ref, "terms-of-reference", "--no-protect", "--draft"],
        ["check-sealed"], ["labels"], ["documents"], ["templates", "check"],
        # recording commands
        ["refer", "--from", str(INPUTS["form"])],
        ["screen", ref, "--outcome", "sufficient", "--rationale", "fuzz", "--on", "2017-11-20"],
        ["decide", ref, "--decision", "scr", "--rationale", "fuzz", "--on", "2017-11-20"],
        ["review", "meeting", ref, "--kind", "panel", "--on", "2017-11-20"],
        ["chronology", "import", ref, "--agency", "gp", "--replace", str(INPUTS["chronology"])],
        ["request", ref, "--agency", "tvp", "--sent", "2017-11-20"],
        ["notify", ref, "--recipient", "ofsted", "--purpose", "decision_notification", "--on", "2017-11-21"],
        ["plan", "rag", ref, "--action", "R1-A1", "--rag", "AMBER", "--note", "fuzz", "--on", "2017-11-22"],
        ["advance", ref, "--on", "2017-11-23"],
    ]


# --- mutating YAML -----------------------------------------------------------------------------------

PLACEHOLDER = "fuzz-placeholder-value"


def _paths(node, path=()):
    """Every place in a record: `(path, container kind)`; the root is `()`."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def mutate_text(text: str, where: int, how: str, value: str) -> str:
    """`text` (a record) with the value at the `where`-th place changed: replaced by the YAML `value`,
    its key deleted, or an unknown key added beside it."""
    from wbcr.core.yamlio import _rt, dump_text

    data = _rt().load(text)
    places = list(_paths(data))
    path = places[where % len(places)]
    if not path:
        if how == "delete":
            return ""
        if how == "add" and isinstance(data, dict):
            data["fuzz_unknown"] = PLACEHOLDER
            return dump_text(data).replace(PLACEHOLDER, value)
        return f"{value}\n"
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "add":
        target = parent[last]
        if isinstance(target, dict):
            target["fuzz_unknown"] = PLACEHOLDER
        elif isinstance(parent, dict):
            parent["fuzz_unknown"] = PLACEHOLDER
        else:
            parent.append(PLACEHOLDER)
    else:
        parent[last] = PLACEHOLDER
    return dump_text(data).replace(PLACEHOLDER, value)


# --- the register under test -------------------------------------------------------------------------


def snapshot(root: Path) -> tuple[str, str]:
    """A digest of every file of the work tree (git's own folder aside) and HEAD."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] == ".git" or not path.is_file():
            continue
        digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
    return digest.hexdigest(), head


CRASH = re.compile(r"internal error|Traceback \(most recent call last\)")


def run_all(root: Path, ref: str, cache: Path) -> list[str]:
    """Run every command on the register; the problems found (crashes, changes made by a refusal)."""
    problems = []
    before = snapshot(root)
    for args in commands(ref):
        result = _run_in_process(("--register", str(root), "--today", TODAY, *args), root, None,
                                 {"WBCR_CACHE_DIR": str(cache)})
        if CRASH.search(result.err) or CRASH.search(result.out):
            problems.append(f"wbcr {' '.join(args)}: exit {result.code}\n{result.err[-3000:]}")
            continue
        after = snapshot(root)
        if result.code != 0 and after != before:
            problems.append(f"wbcr {' '.join(args)}: exit {result.code} but the register changed\n{result.err}")
        before = after
    return problems


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """The example register as a git repository, copied for each example."""
    with module_environment(tmp_path_factory):
        env = {**os.environ}
        root = copy_example(tmp_path_factory.mktemp("pristine") / "register", env)
        blank = _run_in_process(("--register", str(root), "--today", TODAY, "render", "referral-form", "--no-protect",
                                 "--out", str(root.parent / "blank.docx")), root, None, {})
        assert blank.code == 0, blank.err
        INPUTS["form"] = root.parent / "referral.docx"
        INPUTS["form"].write_bytes(fill_form((root.parent / "blank.docx").read_bytes(), {
            "lead_lscb": "Wokingham", "referrer.name": "Pat Invented", "referrer.role": "Nurse",
            "child.name": "Zennor Invented-Child", "child.date_of_birth": "29/01/2014",
            "summary": "Seen at A&E.", "incident.date": "01/11/2017"}))
        yield root, env
    if STATS["examples"]:  # the figures the README quotes (seen with `pytest -s`)
        print(f"\nfuzz: {STATS['examples']} examples, {STATS['runs']} command runs, {STATS['crashes']} internal "
              f"errors, {STATS['seconds']:.0f} s")


def fresh_copy(pristine: Path, work: Path) -> Path:
    root = work / "register"
    shutil.copytree(pristine, root, symlinks=True)
    return root


def break_and_commit(root: Path, relpath: str, text: str, env: dict) -> None:
    (root / relpath).write_text(text, encoding="utf-8")
    git(root, "commit", "-q", "-a", "-m", "a hand edit", "--allow-empty", env=env)


STATS = {"examples": 0, "runs": 0, "crashes": 0, "seconds": 0.0}


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(relpath=st.sampled_from(WEIGHTED), where=st.integers(0, 10**6),
       how=st.sampled_from(["replace", "replace", "replace", "delete", "add"]), value=st.sampled_from(VALUES))
def test_no_command_crashes_on_a_mutated_record(pristine, tmp_path_factory, relpath, where, how, value):
    started = time.perf_counter()
    source, env = pristine
    work = tmp_path_factory.mktemp("fuzz")
    try:
        root = fresh_copy(source, work)
        text = mutate_text((root / relpath).read_text("utf-8"), where, how, value)
        break_and_commit(root, relpath, text, env)
        ref = relpath.split("/")[1] if relpath.startswith("cases/") else CASES[where % len(CASES)]
        with pytest.MonkeyPatch.context() as mp:
            for key, val in env.items():
                mp.setenv(key, val)
            problems = run_all(root, ref, work / "cache")
        STATS["crashes"] += sum(1 for p in problems if CRASH.search(p))
        assert not problems, f"{relpath} ({how} at place {where}: {value[:60]!r}):\n" + "\n".join(problems)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        STATS["examples"] += 1
        STATS["runs"] += len(commands("X"))
        STATS["seconds"] += time.perf_counter() - started


# --- the held-back inputs of the issue, kept as regression tests ---------------------------------------


def _break(root: Path, relpath: str, key: str, value: str, env: dict) -> None:
    """Set the top-level `key` of a record to the YAML `value` and commit it, as a hand edit."""
    from wbcr.core.yamlio import _rt, dump_text

    data = _rt().load((root / relpath).read_text("utf-8"))
    data[key] = PLACEHOLDER
    break_and_commit(root, relpath, dump_text(data).replace(PLACEHOLDER, value), env)


def _no_crash(result) -> None:
    assert not CRASH.search(result.err + result.out), result.err


def test_a_4301_digit_integer_in_a_record_is_a_located_finding_and_no_command_crashes(example, env, wbcr):
    _break(example, "cases/WBCR-2017-002/case.yaml", "opened", HUGE, env)
    result = wbcr("validate", cwd=example)
    assert result.code == 1
    assert "cases/WBCR-2017-002/case.yaml:11:9: error[yaml.too-large]: a number of 4,301 characters" in result.out
    for args in (["status"], ["deadlines"], ["actions"], ["report", "decisions"]):
        result = wbcr(*args, cwd=example)
        _no_crash(result)
        # the other cases are shown; the case that does not validate is named with its findings (exit 1)
        assert result.code == 1, result.err
        assert "WBCR-2017-002" in result.err and "case.yaml:11:9: error[yaml.too-large]" in result.err
        assert result.out.strip(), args
    status = wbcr("status", "--format", "json", cwd=example)
    row = next(r for r in json.loads(status.out)["cases"] if r["reference"] == "WBCR-2017-002")
    assert row["problem"]
    before = snapshot(example)
    for args in (["show", "WBCR-2017-002"], ["next", "WBCR-2017-002"], ["advance", "WBCR-2017-002"],
                 ["request", "WBCR-2017-002", "--agency", "tvp", "--sent", "2017-11-20"]):
        result = wbcr(*args, cwd=example)
        _no_crash(result)
        assert result.code == 1, (args, result.err)
        assert "WBCR-2017-002: the case's records do not validate" in result.err
        assert "case.yaml:11:9: error[yaml.too-large]" in result.out  # the findings, as validate prints them
        assert "wbcr validate WBCR-2017-002" in result.err
    assert snapshot(example) == before


def test_a_4301_digit_integer_in_wbcr_yaml_is_a_located_finding(example, env, wbcr):
    _break(example, "wbcr.yaml", "schema_version", HUGE, env)
    result = wbcr("validate", cwd=example)
    assert result.code == 1
    assert "wbcr.yaml:5:17: error[yaml.too-large]" in result.out
    for args in (["status"], ["deadlines"], ["show", "WBCR-2017-002"], ["advance", "WBCR-2017-002"]):
        result = wbcr(*args, cwd=example)
        _no_crash(result)
        assert result.code != 0 and "wbcr.yaml:5:17" in result.err, (args, result.err)


def test_an_agency_id_written_as_a_mapping_in_wbcr_yaml_is_a_finding(example, env, wbcr):
    text = (example / "wbcr.yaml").read_text("utf-8")
    broken = re.sub(r"(agencies:\n  - id:) (\S+)", r"\1 {id: \2}", text, count=1)
    assert broken != text
    break_and_commit(example, "wbcr.yaml", broken, env)
    result = wbcr("validate", cwd=example)
    assert result.code == 1 and "wbcr.yaml:" in result.out and "error[schema]" in result.out, result.out
    _no_crash(result)
    before = snapshot(example)
    for args in (["status"], ["deadlines"], ["actions"], ["report", "decisions"], ["show", "WBCR-2017-002"],
                 ["next", "WBCR-2017-002"], ["advance", "WBCR-2017-002"]):
        _no_crash(wbcr(*args, cwd=example))
    assert snapshot(example) == before


HOSTILE_FORMATS = ["{prefix}-{year}-{seq:x}", "{prefix}-{year}", "{prefix}-{seq}-{seq}", "{prefix}-{year}{year}-{seq}",
                   "{prefix}-{seq:>5}", "{prefix}-{seq!r}", "{prefix}/{year}/{seq}", "../{seq}", "{prefix}-{seq:,}",
                   "{prefix}-{seq.real}", "{prefix}-{", "{prefix}-{seq:s}", "{prefix}-{year:x}-{seq}", ".{seq}",
                   "{prefix} {seq}", "{prefix}-{seq:b}"]


@pytest.mark.parametrize("fmt", HOSTILE_FORMATS)
def test_a_reference_format_that_cannot_make_unique_references_is_refused(example, env, wbcr, fmt):
    text = (example / "wbcr.yaml").read_text("utf-8")
    broken = re.sub(r"(\n  format:) .*", lambda m: f"{m[1]} '{fmt}'", text, count=1)
    assert broken != text
    break_and_commit(example, "wbcr.yaml", broken, env)
    result = wbcr("validate", cwd=example)
    assert result.code == 1 and "error[reference.format]" in result.out, result.out
    form = example.parent / "referral.yaml"
    form.write_text((example / "cases/WBCR-2017-010/referral.yaml").read_text("utf-8"), encoding="utf-8")
    before = snapshot(example)
    result = wbcr("refer", "--from", str(form), cwd=example)
    _no_crash(result)
    assert result.code != 0 and "format" in result.err, result.err
    assert snapshot(example) == before


def test_allocation_never_gives_a_number_twice(tmp_path):
    from wbcr.core.errors import WbcrError
    from wbcr.model.reference import next_reference

    for name in ("WBCR-2017-001", "wbcr-2017-002", "WBCR-2016-009"):
        (tmp_path / name).mkdir()
    # the highest is 001 in this letter case; 002 is taken in another: the next free number is 003
    assert next_reference(tmp_path, "{prefix}-{year}-{seq:03d}", "WBCR", 2017) == "WBCR-2017-003"
    assert next_reference(tmp_path, "{prefix}-{year}-{seq:03d}", "WBCR", 2018) == "WBCR-2018-001"
    (tmp_path / "WBCR-2017-999").mkdir()
    assert next_reference(tmp_path, "{prefix}-{year}-{seq:03d}", "WBCR", 2017) == "WBCR-2017-1000"
    with pytest.raises(WbcrError, match="could not read back"):
        next_reference(tmp_path, "{prefix}-{year}-{seq:x}", "WBCR", 2017)


@pytest.mark.parametrize("value", ["17", "[1, 2]", "{extra_holidays: 17}", HUGE])
def test_a_setting_of_another_type_in_wbcr_yaml_crashes_no_light_command(example, env, wbcr, value):
    """Found by the fuzzer: `calendar: 17` crashed the status board, which reads wbcr.yaml unvalidated."""
    _break(example, "wbcr.yaml", "calendar", value, env)
    result = wbcr("validate", cwd=example)
    assert result.code == 1 and "wbcr.yaml:" in result.out, result.out
    for args in (["status"], ["status", "--format", "json"], ["deadlines"], ["show", "WBCR-2017-002"]):
        _no_crash(wbcr(*args, cwd=example))
    if value != HUGE:  # the status board shows the cases, reading the settings that pass
        assert wbcr("status", cwd=example).code == 0


def test_the_light_type_check_finds_what_the_schema_finds_about_types():
    from wbcr.model.schemas import type_problems

    assert type_problems("case", {"reference": "X", "stage": "evidence", "flags": {"death": False}}) == []
    assert type_problems("case", {"reference": 17, "flags": [], "stage_history": [{"date": {"a": 1}}]}) == [
        ("reference",), ("flags",), ("stage_history", 0, "date")]
    assert type_problems("people", {"people": [{"name": "wbcr:sealed:v1:" + "A" * 43}]}) == []


def test_an_impossible_date_where_text_is_expected_crashes_no_recording_command(example, env, wbcr):
    """Found by the fuzzer (300 examples): `reference: 2017-02-30` read as text by the fast reader but as a
    timestamp by the round-trip one, which failed with "day is out of range" in every recording command."""
    _break(example, "cases/WBCR-2017-002/case.yaml", "reference", "2017-02-30", env)
    result = wbcr("validate", "WBCR-2017-002", cwd=example)
    assert result.code == 1 and "error[reference.folder]" in result.out, result.out
    for args in (["review", "meeting", "WBCR-2017-002", "--kind", "panel", "--on", "2017-11-20"],
                 ["notify", "WBCR-2017-002", "--recipient", "ofsted", "--purpose", "decision_notification",
                  "--on", "2017-11-21"],
                 ["advance", "WBCR-2017-002", "--on", "2017-11-23"]):
        _no_crash(wbcr(*args, cwd=example))
    assert "reference: '2017-02-30'" in (example / "cases/WBCR-2017-002/case.yaml").read_text()
