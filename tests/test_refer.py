"""`wbcr refer` and `wbcr init`: allocation, atomic creation, validation before writing, git commits."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from conftest import WBCR, git


def _cases(register):
    return sorted(p.name for p in (register / "cases").iterdir() if not p.name.startswith("."))


def _a_referral(example):
    case = sorted((example / "cases").iterdir())[0]
    return case / "referral.yaml"


def test_refer_from_an_existing_referral_adds_exactly_one_valid_case(wbcr, example):
    before = _cases(example)
    head = git(example, "rev-parse", "HEAD").strip()
    source = _a_referral(example)
    result = wbcr("refer", "--from", str(source.relative_to(example)), cwd=example)
    assert result.code == 0, result.err
    reference = result.out.strip()
    after = _cases(example)
    assert sorted(set(after) - set(before)) == [reference]
    received = yaml.safe_load(source.read_text())["received"]
    assert reference.startswith(f"WBCR-{received.year}-")
    assert wbcr("validate", cwd=example).code == 0
    new = yaml.safe_load((example / "cases" / reference / "referral.yaml").read_text())
    assert new["reference"] == reference
    case = yaml.safe_load((example / "cases" / reference / "case.yaml").read_text())
    assert case["stage"] == "referral" and case["stage_history"][0]["by"] == "Test Coordinator"
    # exactly one commit, holding exactly the new case's files
    log = git(example, "log", "--format=%s", f"{head}..HEAD").splitlines()
    # the subject carries the event's own date (the referral's receipt), not only the commit's
    assert log == [f"{reference}: referral registered ({received.day} {received:%b %Y})"]
    files = git(example, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(files) == sorted(f"cases/{reference}/{n}" for n in ("case.yaml", "people.yaml", "referral.yaml"))
    body = git(example, "log", "-1", "--format=%b")
    assert "Wbcr-Action: refer" in body and f"Wbcr-Reference: {reference}" in body
    assert "Wbcr-Stage: (new) -> referral" in body and "Wbcr-Actor: Test Coordinator" in body
    assert git(example, "status", "--porcelain") == ""


def test_referral_comments_are_kept(wbcr, example, tmp_path):
    source = _a_referral(example)
    text = "# Referral from the hospital, typed in by the coordinator\n" + source.read_text()
    (tmp_path / "incoming").mkdir()
    target = tmp_path / "incoming" / "referral.yaml"
    target.write_text(text)
    (tmp_path / "incoming" / "people.yaml").write_text((source.parent / "people.yaml").read_text())
    result = wbcr("refer", "--from", str(target), cwd=example)
    assert result.code == 0, result.err
    written = (example / "cases" / result.out.strip() / "referral.yaml").read_text()
    assert written.startswith("# Referral from the hospital, typed in by the coordinator\n")


def test_four_refers_at_once_give_four_distinct_references(example, env):
    source = _a_referral(example)
    before = set(_cases(example))
    procs = [subprocess.Popen([*WBCR, "refer", "--from", str(source)], cwd=example, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [o[1] for o in outs]
    refs = [o[0].strip() for o in outs]
    assert len(set(refs)) == 4
    assert set(_cases(example)) - before == set(refs)
    check = subprocess.run([*WBCR, "validate"], cwd=example, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert len(git(example, "log", "--format=%s").splitlines()) == 5
    assert git(example, "status", "--porcelain") == ""


def test_invalid_referral_writes_nothing(wbcr, example, tmp_path):
    source = _a_referral(example)
    bad = tmp_path / "referral.yaml"
    bad.write_text(source.read_text().replace("route:", "rout:", 1))
    (tmp_path / "people.yaml").write_text((source.parent / "people.yaml").read_text())
    before = _cases(example)
    result = wbcr("refer", "--from", str(bad), cwd=example)
    assert result.code == 1
    assert 'unknown field "rout"' in result.out + result.err and 'did you mean "route"?' in result.out + result.err
    assert _cases(example) == before
    assert git(example, "status", "--porcelain") == ""


def test_referral_naming_an_unknown_agency_writes_nothing(wbcr, example, tmp_path):
    source = _a_referral(example)
    data = yaml.safe_load(source.read_text())
    bad = tmp_path / "referral.yaml"
    bad.write_text(source.read_text().replace(f"agency: {data['referrer']['agency']}", "agency: no-such-agency", 1))
    (tmp_path / "people.yaml").write_text((source.parent / "people.yaml").read_text())
    before = _cases(example)
    result = wbcr("refer", "--from", str(bad), cwd=example)
    assert result.code == 1
    assert 'unknown agency "no-such-agency"' in result.out
    assert _cases(example) == before


def test_referral_without_people_is_refused(wbcr, example, tmp_path):
    lone = tmp_path / "referral.yaml"
    lone.write_text(_a_referral(example).read_text())
    result = wbcr("refer", "--from", str(lone), cwd=example)
    assert result.code == 2
    assert "no people are given" in result.err


def test_refer_refuses_without_git_identity_and_changes_nothing(wbcr, example):
    before = _cases(example)
    extra = {k: "" for k in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")}
    extra["GIT_CONFIG_GLOBAL"] = "/dev/null"
    extra["EMAIL"] = ""
    result = wbcr("refer", "--from", str(_a_referral(example)), cwd=example, extra_env=extra)
    assert result.code == 3, result.err
    assert "git has no identity" in result.err
    assert _cases(example) == before


def test_refer_refuses_during_a_merge(wbcr, example):
    gitdir = example / ".git"
    (gitdir / "MERGE_HEAD").write_text(git(example, "rev-parse", "HEAD"))
    before = _cases(example)
    result = wbcr("refer", "--from", str(_a_referral(example)), cwd=example)
    assert result.code == 3
    assert "a merge is in progress" in result.err
    assert _cases(example) == before


def test_refer_without_input_off_a_terminal_is_a_usage_error(wbcr_process, example):
    # a real process on purpose: standard input a pipe, as a script or CI gives it
    result = wbcr_process("refer", cwd=example, input="")
    assert result.code == 2
    assert "--from" in result.err


def test_init_creates_a_valid_register_with_a_first_commit(wbcr, tmp_path):
    result = wbcr("init", str(tmp_path / "new"))
    assert result.code == 0, result.err
    reg = tmp_path / "new"
    assert (reg / "wbcr.yaml").is_file() and (reg / "cases").is_dir()
    assert "output/" in (reg / ".gitignore").read_text()
    assert git(reg, "log", "--format=%s").splitlines() == ["Register created"]
    assert wbcr("validate", cwd=reg).code == 0
    again = wbcr("init", str(reg))
    assert again.code == 2 and "already a register" in again.err


def test_init_then_refer_in_a_new_register(wbcr, tmp_path, example):
    reg = tmp_path / "new"
    assert wbcr("init", str(reg)).code == 0
    source = tmp_path / "referral.yaml"
    source.write_text("""schema_version: 1
reference: NEW
received: 2017-11-17
lead_lscb: wokingham
intake: review_referral
route: agency
referrer: {name: Pat Invented, agency: rbft, role: Named Nurse}
subjects: [child-a]
criteria: {must_notify: [serious_harm_concern]}
summary: 'Child A (aged 2) seen at A&E with a fracture; Mother said she "fell" <again>.'
people:
  - {id: child-a, pseudonym: Child A, role: subject, name: Invented Child, date_of_birth: 2015-04-29}
""")
    first = wbcr("refer", "--from", str(source), cwd=reg)
    second = wbcr("refer", "--from", str(source), cwd=reg)
    assert (first.out.strip(), second.out.strip()) == ("WBCR-2017-001", "WBCR-2017-002")
    assert wbcr("validate", cwd=reg).code == 0
    summary = yaml.safe_load((reg / "cases" / "WBCR-2017-001" / "referral.yaml").read_text())["summary"]
    assert summary == 'Child A (aged 2) seen at A&E with a fracture; Mother said she "fell" <again>.'


def test_a_case_names_its_procedure_from_referral(wbcr, example, tmp_path):
    """Issue 11, point 6: refer records the procedure in case.yaml (the referral may choose one), so a
    later change of the register's default never reinterprets the case."""
    import yaml as _yaml

    from test_workflow import REFERRAL

    source = tmp_path / "referral.yaml"
    source.write_text(REFERRAL.replace("intake: review_referral\n", "intake: review_referral\nprocedure: wt2023\n"))
    result = wbcr("--today", "2017-11-23", "refer", "--from", str(source), cwd=example)
    assert result.code == 0, result.err
    ref = result.out.strip().splitlines()[-1]
    case = _yaml.safe_load((example / "cases" / ref / "case.yaml").read_text())
    assert case["procedure"] == "wt2023" and case["stage"] == "notification"
    source.write_text(REFERRAL)
    second = wbcr("--today", "2017-11-23", "refer", "--from", str(source), cwd=example)
    ref2 = second.out.strip().splitlines()[-1]
    assert _yaml.safe_load((example / "cases" / ref2 / "case.yaml").read_text())["procedure"] == "wt2015"
