"""The daily commands (status, deadlines, actions, report decisions) answer from the cache validate
keeps, and never from a stale one: an edited record shows at once; an absent, corrupt or tampered
cache changes nothing but speed; no personal data goes into it."""

from __future__ import annotations

import json
import marshal
import os
import re
from pathlib import Path

import yaml

COMMANDS = (("status",), ("deadlines",), ("actions",), ("report", "decisions"))


def _json(wbcr, register: Path, *command: str) -> dict:
    result = wbcr("--register", str(register), *command, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def _views_file() -> Path:
    found = list(Path(os.environ["WBCR_CACHE_DIR"]).glob("*.views.marshal"))
    assert len(found) == 1, found
    return found[0]


def _set_stage(register: Path, reference: str, stage: str) -> None:
    path = register / "cases" / reference / "case.yaml"
    text, count = re.subn(r"(?m)^stage: .*$", f"stage: {stage}", path.read_text())
    assert count == 1
    path.write_text(text)


def test_status_shows_an_edited_record_at_once(wbcr, example):
    wbcr("--register", str(example), "validate")
    before = _json(wbcr, example, "status")
    closed = next(r for r in before["cases"] if r["stage"] == "closed")
    row = next(r for r in before["cases"] if r["stage"] != "closed" and r["next_deadline"])
    assert _views_file().is_file()
    assert _json(wbcr, example, "status") == before  # from the cache
    _set_stage(example, row["reference"], "closed")
    after = next(r for r in _json(wbcr, example, "status")["cases"] if r["reference"] == row["reference"])
    assert after["stage"] == "closed" and after["next_deadline"] is None
    others = [r for r in _json(wbcr, example, "status")["cases"] if r["reference"] != row["reference"]]
    assert others == [r for r in before["cases"] if r["reference"] != row["reference"]]
    # a closed case's row is checked against its case.yaml alone; reopening it shows at once
    _set_stage(example, closed["reference"], row["stage"])
    reopened = next(r for r in _json(wbcr, example, "status")["cases"] if r["reference"] == closed["reference"])
    assert reopened["stage"] == row["stage"]


def test_deadlines_show_an_edited_record_at_once(wbcr, example):
    before = _json(wbcr, example, "deadlines")["deadlines"]
    reference = before[0]["reference"]
    assert _json(wbcr, example, "deadlines")["deadlines"] == before  # from the cache
    _set_stage(example, reference, "closed")
    after = _json(wbcr, example, "deadlines")["deadlines"]
    assert after == [d for d in before if d["reference"] != reference]


def test_actions_and_decisions_show_an_edited_record_at_once(wbcr, example):
    actions = _json(wbcr, example, "actions")["actions"]
    first = actions[0]
    path = example / "cases" / first["reference"] / "recommendations.yaml"
    text = path.read_text()
    assert text.count(f"target_date: {first['target_date']}") >= 1
    path.write_text(text.replace(f"target_date: {first['target_date']}", "target_date: 2022-01-28"))
    changed = [a for a in _json(wbcr, example, "actions")["actions"] if a["reference"] == first["reference"]]
    assert "2022-01-28" in [a["target_date"] for a in changed]

    report = _json(wbcr, example, "report", "decisions")["cases"]
    case = next(c for c in report if c["chair_decision"] and c["chair_decision"]["rationale"])
    path = example / "cases" / case["reference"] / "decisions.yaml"
    data = yaml.safe_load(path.read_text())
    assert data["chair_decision"]["rationale"] == case["chair_decision"]["rationale"]
    text = path.read_text()
    first_words = case["chair_decision"]["rationale"].split()[0]
    path.write_text(text.replace(f"rationale: {first_words}", f"rationale: Revised. {first_words}", 1)
                    if f"rationale: {first_words}" in text else text)
    again = next(c for c in _json(wbcr, example, "report", "decisions")["cases"] if c["reference"] == case["reference"])
    assert again["chair_decision"]["rationale"] == yaml.safe_load(path.read_text())["chair_decision"]["rationale"]


def test_absent_corrupt_and_tampered_caches_change_nothing(wbcr, example):
    fresh = {command: _json(wbcr, example, *command) for command in COMMANDS}
    assert {command: _json(wbcr, example, *command) for command in COMMANDS} == fresh
    views = _views_file()
    views.write_bytes(b"\x00not a cache")
    assert {command: _json(wbcr, example, *command) for command in COMMANDS} == fresh
    views.unlink()
    assert {command: _json(wbcr, example, *command) for command in COMMANDS} == fresh
    # well-formed but wrong inside: every cached view of every case the wrong shape
    stored = marshal.loads(views.read_bytes())
    garbage = {"status": ("x",), "deadlines": "x", "actions": None, "decision": 1, "invalid": ["not a kind"]}
    stored["views"] = {folder: {name: (read, key, garbage[name]) for name, (read, key, _value) in named.items()}
                       for folder, named in stored["views"].items()}
    views.write_bytes(marshal.dumps(stored))
    assert {command: _json(wbcr, example, *command) for command in COMMANDS} == fresh


def test_text_output_is_the_same_from_the_cache(wbcr, example):
    first = [wbcr("--register", str(example), *command).out for command in COMMANDS]
    assert [wbcr("--register", str(example), *command).out for command in COMMANDS] == first


def test_no_personal_data_in_the_cache(wbcr, example):
    wbcr("--register", str(example), "validate")
    for command in COMMANDS:
        _json(wbcr, example, *command)
    stored = _views_file().read_bytes()
    secrets = set()
    for case in (example / "cases").iterdir():
        people = yaml.safe_load((case / "people.yaml").read_text()) or {}
        for person in people.get("people") or []:
            for field in ("name", "address", "nhs_number"):
                if isinstance(person.get(field), str) and len(person[field]) > 3:
                    secrets.add(person[field])
        decisions = case / "decisions.yaml"
        if decisions.is_file():
            data = yaml.safe_load(decisions.read_text()) or {}
            for part in ("chair_decision", "crg_consideration"):
                if isinstance((data.get(part) or {}).get("rationale"), str):
                    secrets.add(data[part]["rationale"][:40])
    assert secrets
    leaked = [s for s in secrets if s.encode() in stored]
    assert not leaked, leaked


def test_a_registers_own_procedure_changes_what_the_views_show(wbcr, example):
    from wbcr.core.resources import procedures_dir

    before = _json(wbcr, example, "deadlines")["deadlines"]
    packaged = (procedures_dir() / "wt2015.yaml").read_text()
    ids = {d["id"] for d in yaml.safe_load(packaged)["deadlines"]}
    row = next(d for d in before if d["id"] in ids)
    assert packaged.count(f"title: {row['title']}\n") == 1
    (example / "procedures").mkdir()
    (example / "procedures" / "wt2015.yaml").write_text(
        packaged.replace(f"title: {row['title']}\n", "title: Renamed by this register\n"))
    after = _json(wbcr, example, "deadlines")["deadlines"]
    assert [d["title"] for d in after if d["id"] == row["id"]] == ["Renamed by this register"] * sum(
        1 for d in before if d["id"] == row["id"])
    status = _json(wbcr, example, "status")["cases"]
    assert any((r["next_deadline"] or {}).get("title") == "Renamed by this register" for r in status) or all(
        (r["next_deadline"] or {}).get("id") != row["id"] for r in status)


def test_validate_makes_the_views_the_daily_commands_use(wbcr, example):
    wbcr("--register", str(example), "validate")
    stored = _views_file().read_bytes()
    views = marshal.loads(stored)["views"]
    assert len(views) == sum(1 for p in (example / "cases").iterdir() if p.is_dir())
    assert all(set(named) == {"status", "deadlines", "actions", "decision", "invalid"} for named in views.values())
    from_validate = {command: _json(wbcr, example, *command) for command in COMMANDS}
    assert _views_file().read_bytes() == stored  # every view was found there: nothing to save
    _views_file().unlink()
    assert {command: _json(wbcr, example, *command) for command in COMMANDS} == from_validate
