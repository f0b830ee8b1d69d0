"""Sealed case records: known answers, round trips, tamper detection, git history without names, a
keyless clone that validates, the pre-commit check, and no secret in any message."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, git
from wbcr.core.errors import WbcrError
from wbcr.model.schemas import check_record
from wbcr.security.sealing import (SEALED_PREFIX, CaseSeal, SealError, derive_seal_key, seal_record_text,
                          unseal_record_text)
from wbcr.core.yamlio import parse_yaml

PASSWORD = "RARN-H4R8-VM6P-5MU3"  # test_passwords: the case password of WBCR-2026-004 under bytes(range(32))
SEAL_KEY_HEX = ("3903165790769ef6e698aff58d5fcf03538597dd5e40f13d2b8fc5ddf3e789d2"
                "12e1cb5a2b668b7e7f28064cb29c8b720f3d4040445a5a07497af7de2abec3ea")
SEAL = CaseSeal("WBCR-2026-004", bytes.fromhex(SEAL_KEY_HEX))
OTHER_CASE = CaseSeal("WBCR-2025-001", bytes.fromhex(SEAL_KEY_HEX))  # same key bytes, another case


def _names(register: Path) -> dict[str, list[str]]:
    """Every person's name (and other names) in each case's people.yaml."""
    out = {}
    for path in sorted(register.glob("cases/*/people.yaml")):
        people = yaml.safe_load(path.read_text())["people"]
        out[path.parent.name] = [n for p in people for n in [p["name"], *p.get("other_names", [])]]
    return out


EXAMPLE_NAMES = _names(EXAMPLE)


# --- known answers ---------------------------------------------------------------------------------


def test_known_answers():
    assert derive_seal_key(PASSWORD, "WBCR-2026-004").hex() == SEAL_KEY_HEX
    # the documented derivation, computed independently with the standard library's scrypt
    assert hashlib.scrypt(PASSWORD.encode(), salt=b"wbcr seal v1\0WBCR-2026-004", n=2**15, r=8, p=1,
                          maxmem=64 * 1024 * 1024, dklen=64).hex() == SEAL_KEY_HEX
    assert (SEAL.seal("Harper Grace Lindqvist", "people.yaml", "people.*.name")
            == "wbcr:sealed:v1:oPMApgb6oO5TCETxgjTReqnqhZdKX21oQAoSmz-MWVeRAnyNHvoDKu1UTbu1lVMh")


def test_the_documented_construction_opens_a_sealed_value():
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV

    sealed = SEAL.seal("Harper", "people.yaml", "people.*.name")
    body = sealed[len(SEALED_PREFIX):]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    padded = AESSIV(bytes.fromhex(SEAL_KEY_HEX)).decrypt(
        raw, [b"wbcr seal v1", b"WBCR-2026-004", b"people.yaml", b"people.*.name"])
    assert padded == b"Harper\x80" + b"\0" * 9


# --- values ----------------------------------------------------------------------------------------


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_seal_open_round_trip(text):
    sealed = SEAL.seal(text, "people.yaml", "people.*.name")
    assert sealed.startswith(SEALED_PREFIX)
    assert SEAL.seal(text, "people.yaml", "people.*.name") == sealed  # deterministic
    assert SEAL.open(sealed, "people.yaml", "people.*.name") == text
    assert len(text) < 3 or text not in sealed[len(SEALED_PREFIX):]


@given(st.text(min_size=1), st.data())
@settings(max_examples=200, deadline=None)
def test_any_changed_byte_is_detected(text, data):
    sealed = SEAL.seal(text, "referral.yaml", "summary")
    body = sealed[len(SEALED_PREFIX):]
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    i = data.draw(st.integers(0, len(raw) - 1))
    raw[i] ^= data.draw(st.integers(1, 255))
    tampered = SEALED_PREFIX + base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    with pytest.raises(SealError) as info:
        SEAL.open(tampered, "referral.yaml", "summary")
    assert text not in str(info.value) or len(text) < 4


@given(st.text(min_size=1))
@settings(max_examples=100, deadline=None)
def test_a_value_moved_to_another_field_record_or_case_does_not_open(text):
    sealed = SEAL.seal(text, "people.yaml", "people.*.name")
    for opener, record, field in [(SEAL, "people.yaml", "people.*.address"),
                                  (SEAL, "chronology/tvp.yaml", "people.*.name"),
                                  (OTHER_CASE, "people.yaml", "people.*.name")]:
        with pytest.raises(SealError):
            opener.open(sealed, record, field)


def test_a_non_canonical_or_truncated_text_does_not_open():
    sealed = SEAL.seal("Sophie", "people.yaml", "people.*.name")
    for bad in (sealed[:-1], sealed + "A", sealed[:20], SEALED_PREFIX + "!!!!" + sealed[19:]):
        with pytest.raises(SealError):
            SEAL.open(bad, "people.yaml", "people.*.name")


def test_the_key_never_shows_in_a_repr():
    assert repr(SEAL) == "CaseSeal('WBCR-2026-004')"


# --- records ---------------------------------------------------------------------------------------

PEOPLE = """\
schema_version: 1
# The subject child first.
people:
  - id: child-h
    pseudonym: Child H   # as in every document
    role: subject
    name: {name}
    other_names: [{other}]
    date_of_birth: 2010-08-19
    gender: Female
    address: {address}
    interpreter_needed: false
  - id: mother
    pseudonym: Mother
    role: parent
    name: Sophie Lindqvist
"""


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar for any text (what YAML cannot hold raw is escaped)."""
    import re

    def escape(match):
        return f"\\U{ord(match.group()):08x}"

    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", escape, body) + '"'


@given(st.text(min_size=1, max_size=200), st.text(min_size=1, max_size=50), st.text(min_size=1, max_size=500))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_record_round_trip_keeps_values_comments_and_structure(name, other, address):
    name, other, address = "§" + name, "§" + other, "§" + address
    text = PEOPLE.format(name=_quoted(name), other=_quoted(other), address=_quoted(address))
    original = parse_yaml(text, "people.yaml")
    sealed, count = seal_record_text(text, kind="people", record="people.yaml", display="people.yaml", seal=SEAL)
    assert count == 6
    assert "§" not in sealed and "Sophie" not in sealed and "2010-08-19" not in sealed and "Female" not in sealed
    assert "# The subject child first." in sealed and "# as in every document" in sealed
    data = parse_yaml(sealed, "people.yaml")
    assert [p["pseudonym"] for p in data["people"]] == ["Child H", "Mother"]  # structure stays readable
    assert data["people"][0]["interpreter_needed"] is False
    assert check_record("people", data) == []  # sealed values validate
    again, n = seal_record_text(sealed, kind="people", record="people.yaml", display="people.yaml", seal=SEAL)
    assert (again, n) == (sealed, 0)  # idempotent: nothing left to seal
    opened, n = unseal_record_text(sealed, kind="people", record="people.yaml", display="people.yaml", seal=SEAL)
    assert n == 6
    assert parse_yaml(opened, "people.yaml") == original
    assert "# The subject child first." in opened
    resealed, _ = seal_record_text(opened, kind="people", record="people.yaml", display="people.yaml", seal=SEAL)
    assert resealed == sealed  # deterministic: re-sealing an opened record changes nothing in git


def test_multi_line_narratives_open_as_blocks():
    text = "schema_version: 1\nsummary: |\n  First line.\n  Second line.\n"
    sealed, _ = seal_record_text(text, kind="referral", record="referral.yaml", display="r", seal=SEAL)
    opened, _ = unseal_record_text(sealed, kind="referral", record="referral.yaml", display="r", seal=SEAL)
    assert opened == text


def test_without_a_key_plain_values_cannot_be_sealed_but_sealed_records_pass():
    text = PEOPLE.format(name="Harper", other="H", address="Somewhere")
    with pytest.raises(SealError, match="no key"):
        seal_record_text(text, kind="people", record="people.yaml", display="people.yaml", seal=None)
    sealed, _ = seal_record_text(text, kind="people", record="people.yaml", display="people.yaml", seal=SEAL)
    assert seal_record_text(sealed, kind="people", record="people.yaml", display="p", seal=None) == (sealed, 0)


def test_a_damaged_sealed_value_is_a_schema_finding():
    data = {"schema_version": 1, "people": [{"id": "a", "pseudonym": "A", "role": "subject",
                                              "name": SEALED_PREFIX + "short"}]}
    [problem] = check_record("people", data)
    assert problem.path == ("people", 0, "name") and "sealed value is damaged" in problem.message
    data["people"][0]["name"] = SEAL.seal("x", "people.yaml", "people.*.name")
    data["people"][0]["nhs_number"] = "12345"
    [problem] = check_record("people", data)  # a plain value is held to the field's own rules
    assert problem.path == ("people", 0, "nhs_number") and "expected form" in problem.message


def test_swapped_values_are_refused_with_their_location():
    text = PEOPLE.format(name="Harper", other="H", address="Somewhere")
    sealed, _ = seal_record_text(text, kind="people", record="people.yaml", display="people.yaml", seal=SEAL)
    data = parse_yaml(sealed, "p")
    name, address = data["people"][0]["name"], data["people"][0]["address"]
    swapped = sealed.replace(name, "@@").replace(address, name).replace("@@", address)
    with pytest.raises(SealError) as info:
        unseal_record_text(swapped, kind="people", record="people.yaml", display="cases/X/people.yaml", seal=SEAL)
    error = info.value
    assert error.exit_code == 3 and error.path == "cases/X/people.yaml" and error.line == 7
    assert "altered, or moved" in error.message and "Harper" not in str(error)
    with pytest.raises(SealError, match="wrong password"):
        unseal_record_text(sealed, kind="people", record="people.yaml", display="p", seal=OTHER_CASE)


# --- the commands on a real register ---------------------------------------------------------------

WBCR_CMD = f"{sys.executable} -m wbcr"


@pytest.fixture
def keys(env, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "keys"
    env["WBCR_KEY_DIR"] = str(folder)
    monkeypatch.setenv("WBCR_KEY_DIR", str(folder))
    return folder


@pytest.fixture
def sealed_register(wbcr, env, keys, tmp_path) -> Path:
    """The example register committed for the first time through the wbcr filter: git holds no name."""
    reg = tmp_path / "sealed"
    shutil.copytree(EXAMPLE, reg, ignore=shutil.ignore_patterns("output"))
    config = reg / "wbcr.yaml"  # start without the example's DEMO key: this register makes its own
    config.write_text("".join(l for l in config.read_text().splitlines(keepends=True) if "key_fingerprint:" not in l))
    git(reg, "init", "-q", env=env)
    result = wbcr("key", "init", cwd=reg)  # records the key, adds .gitattributes, installs the filter
    assert result.code == 0, result.err
    git(reg, "add", "-A", env=env)
    git(reg, "commit", "-q", "-m", "the register", env=env)
    return reg


def _all_git_objects(repo: Path) -> bytes:
    return subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=repo, capture_output=True,
                          check=True).stdout


def test_git_holds_no_name_while_the_work_tree_stays_plain(wbcr, env, sealed_register):
    reg = sealed_register
    objects = _all_git_objects(reg)
    everything = [n for names in EXAMPLE_NAMES.values() for n in names]
    assert len(everything) > 20
    for name in everything:
        assert name.encode() not in objects, name
        assert subprocess.run(["git", "grep", "-q", "-F", name, *git(reg, "rev-list", "--all").split()],
                              cwd=reg).returncode == 1
    assert b"2010-08-19" not in objects  # a date of birth
    assert (reg / "cases/WBCR-2017-004/people.yaml").read_text() == \
        (EXAMPLE / "cases/WBCR-2017-004/people.yaml").read_text()  # the work tree was not rewritten
    assert git(reg, "status", "--porcelain") == ""
    head = git(reg, "show", "HEAD:cases/WBCR-2017-004/people.yaml")
    assert SEALED_PREFIX in head and "pseudonym: Child H" in head and "role: subject" in head


def test_a_keyless_clone_validates_and_reports_without_the_key(wbcr, env, sealed_register, tmp_path):
    clone = tmp_path / "keyless"
    git(tmp_path, "clone", "-q", str(sealed_register), str(clone), env=env)
    nokey = {"WBCR_KEY_DIR": str(tmp_path / "no-keys")}
    people = (clone / "cases/WBCR-2017-004/people.yaml").read_text()
    assert SEALED_PREFIX in people and "Lindqvist" not in people
    plain = wbcr("validate", "--format", "json", cwd=sealed_register)
    keyless = wbcr("validate", "--format", "json", cwd=clone, extra_env=nokey)
    assert keyless.code == 0, keyless.out
    import json

    assert json.loads(keyless.out)["findings"] == json.loads(plain.out)["findings"]
    assert json.loads(keyless.out)["files"] == json.loads(plain.out)["files"]
    for args in (["status"], ["next", "WBCR-2017-004"], ["deadlines"]):
        a = wbcr(*args, cwd=clone, extra_env=nokey)
        b = wbcr(*args, cwd=sealed_register)
        assert a.code == b.code == 0, a.err
        assert a.out == b.out
        assert SEALED_PREFIX not in a.out
    # `show` prints the stage history's notes (personal data, sealed): without the key it says "sealed"
    shown = wbcr("show", "WBCR-2017-004", cwd=clone, extra_env=nokey)
    assert shown.code == 0 and SEALED_PREFIX not in shown.out and "(sealed)" in shown.out
    checked = wbcr("check-sealed", "--always", cwd=clone, extra_env=nokey)
    assert checked.code == 0 and "every sensitive value is sealed" in checked.err
    denied = wbcr("unseal", "WBCR-2017-004", cwd=clone, extra_env=nokey)
    assert denied.code == 3 and "not on this computer" in denied.err
    assert (clone / "cases/WBCR-2017-004/people.yaml").read_text() == people


def test_a_clone_where_the_key_is_opens_through_the_filter(wbcr, env, sealed_register, tmp_path):
    clone = tmp_path / "with-key"
    git(tmp_path, "clone", "-q", str(sealed_register), str(clone), env=env)
    result = wbcr("key", "filters", cwd=clone)
    assert result.code == 0, result.err
    opened = wbcr("unseal", "--all", cwd=clone)
    assert opened.code == 0, opened.err
    for path in sorted(EXAMPLE.glob("cases/**/*.yaml")):
        rel = path.relative_to(EXAMPLE)
        assert parse_yaml((clone / rel).read_text(), str(rel)) == parse_yaml(path.read_text(), str(rel)), rel
    assert git(clone, "status", "--porcelain") == ""  # git still stores them sealed
    # a fresh checkout goes through the smudge side of the filter (one process for all files)
    for path in clone.glob("cases/*/people.yaml"):
        path.unlink()
    git(clone, "checkout", "--", "cases", env=env)
    assert "Harper Grace Lindqvist" in (clone / "cases/WBCR-2017-004/people.yaml").read_text()
    # an edit is sealed on its way into git
    people = clone / "cases/WBCR-2017-004/people.yaml"
    people.write_text(people.read_text().replace("Harper Grace Lindqvist", "Harper Grace Changed"))
    git(clone, "add", "cases", env=env)
    staged = git(clone, "show", ":cases/WBCR-2017-004/people.yaml")
    assert "Changed" not in staged and "Lindqvist" not in staged
    diff = git(clone, "diff", "--cached", "--stat")
    assert "people.yaml | 2 +-" in diff  # one value changed: one line in git


def test_seal_and_unseal_commands(wbcr, env, keys, example):
    assert wbcr("key", "init", cwd=example).code == 0
    before = {p: p.read_text() for p in example.glob("cases/WBCR-2017-004/**/*.yaml")}
    result = wbcr("seal", "WBCR-2017-004", cwd=example)
    assert result.code == 0, result.err
    assert result.out.startswith("WBCR-2017-004: sealed ") and "committed" in result.out
    log = git(example, "log", "-1", "--format=%s%n%b")
    assert "WBCR-2017-004: sensitive values sealed" in log and "Wbcr-Action: seal" in log
    for name in EXAMPLE_NAMES["WBCR-2017-004"]:
        assert name not in (example / "cases/WBCR-2017-004/people.yaml").read_text()
        assert name not in git(example, "show", "HEAD:cases/WBCR-2017-004/people.yaml")
    assert wbcr("validate", cwd=example).code == 0
    assert wbcr("seal", "WBCR-2017-004", cwd=example).out.strip() == "WBCR-2017-004: already sealed"
    opened = wbcr("unseal", "WBCR-2017-004", cwd=example)
    assert opened.code == 0, opened.err
    for path, text in before.items():
        assert parse_yaml(path.read_text(), "x") == parse_yaml(text, "x"), path
    assert git(example, "status", "--porcelain") == ""  # the filter keeps git's copy sealed


def test_one_case_password_opens_that_case_and_no_other(wbcr, env, keys, sealed_register, tmp_path):
    reg = sealed_register
    assert wbcr("seal", "WBCR-2017-004", "WBCR-2016-004", cwd=reg).code == 0
    password = wbcr("password", "WBCR-2017-004", cwd=reg).out.strip()
    outsider = {"WBCR_KEY_DIR": str(tmp_path / "outsider-keys")}  # a reviewer without the board key
    other = reg / "cases/WBCR-2016-004"
    other_before = {p: p.read_bytes() for p in other.rglob("*.yaml")}
    denied = wbcr("unseal", "WBCR-2016-004", "--password", password, cwd=reg, extra_env=outsider)
    assert denied.code == 3 and "wrong password for WBCR-2016-004" in denied.err
    assert "Traceback" not in denied.err and password not in denied.out + denied.err
    assert {p: p.read_bytes() for p in other.rglob("*.yaml")} == other_before
    opened = wbcr("unseal", "WBCR-2017-004", "--password", "-", cwd=reg, extra_env=outsider,
                  input=password.lower() + "\n")
    assert opened.code == 0, opened.err
    assert "Harper Grace Lindqvist" in (reg / "cases/WBCR-2017-004/people.yaml").read_text()
    two = wbcr("unseal", "WBCR-2017-004", "WBCR-2016-004", "--password", password, cwd=reg, extra_env=outsider)
    assert two.code == 2 and "one case" in two.err


def test_seal_refuses_an_unverifiable_password(wbcr, env, keys, example):
    assert wbcr("key", "init", cwd=example).code == 0
    before = (example / "cases/WBCR-2017-004/people.yaml").read_bytes()
    result = wbcr("seal", "WBCR-2017-004", "--password", "AAAA-BBBB-CCCC-DDDD", cwd=example)
    assert result.code == 3 and "cannot be checked" in result.err
    assert (example / "cases/WBCR-2017-004/people.yaml").read_bytes() == before


def test_tampered_records_are_refused_and_left_as_they_were(wbcr, env, keys, example):
    assert wbcr("key", "init", cwd=example).code == 0
    assert wbcr("seal", "WBCR-2017-004", "WBCR-2016-004", cwd=example).code == 0
    people = example / "cases/WBCR-2017-004/people.yaml"
    text = people.read_text()
    data = parse_yaml(text, "p")
    name, school = data["people"][0]["name"], data["people"][0]["school"]
    swapped = text.replace(name, "@@").replace(school, name).replace("@@", school)
    people.write_text(swapped)
    result = wbcr("unseal", "WBCR-2017-004", cwd=example)
    assert result.code == 3 and "Traceback" not in result.err
    assert "cases/WBCR-2017-004/people.yaml:" in result.err and "altered, or moved" in result.err
    assert people.read_text() == swapped
    for n in EXAMPLE_NAMES["WBCR-2017-004"]:
        assert n not in result.out + result.err
    # a value copied from another case does not open either
    other = parse_yaml((example / "cases/WBCR-2016-004/people.yaml").read_text(), "o")["people"][0]["name"]
    people.write_text(text.replace(name, other))
    moved = wbcr("unseal", "WBCR-2017-004", cwd=example)
    assert moved.code == 3 and "people[0].name" in moved.err


def test_the_pre_commit_hook_refuses_plain_sensitive_values(wbcr, env, sealed_register, tmp_path):
    clone = tmp_path / "keyless"
    git(tmp_path, "clone", "-q", str(sealed_register), str(clone), env=env)
    config = clone / "wbcr.yaml"
    assert "seal_records: true" in config.read_text()  # `wbcr key init` requires sealing (issue 13)
    config.write_text(config.read_text().replace("scheme: keyed\n", "scheme: keyed  # sealed\n"))
    hook = clone / ".git" / "hooks" / "pre-commit"
    shutil.copyfile(EXAMPLE.parent / "pre-commit-hook", hook)
    hook.chmod(0o755)
    hook_env = {**env, "WBCR": WBCR_CMD, "WBCR_KEY_DIR": str(tmp_path / "no-keys")}
    git(clone, "commit", "-q", "-am", "sealing required", env=hook_env)  # nothing sensitive: allowed
    people = clone / "cases/WBCR-2017-004/people.yaml"
    people.write_text(people.read_text() + "  - {id: visitor, pseudonym: Visitor, role: other, "
                                           "name: Plain Text Person}\n")
    git(clone, "add", "cases", env=hook_env)
    refused = subprocess.run(["git", "commit", "-q", "-m", "a visitor"], cwd=clone, env=hook_env,
                             capture_output=True, text=True)
    assert refused.returncode != 0
    said = refused.stdout + refused.stderr  # git passes a hook's output on to its own stderr
    assert "cases/WBCR-2017-004/people.yaml:" in said and "seal.plaintext" in said
    assert "Plain Text Person" not in refused.stdout + refused.stderr
    assert git(clone, "log", "-1", "--format=%s") == "sealing required\n"
    listed = wbcr("check-sealed", "--staged", "cases/WBCR-2017-004/people.yaml", cwd=clone,
                  extra_env={"WBCR_KEY_DIR": str(tmp_path / "no-keys")})
    assert listed.code == 1 and "people[" in listed.out


def test_check_sealed_is_quiet_where_sealing_is_not_required(wbcr, example):
    result = wbcr("check-sealed", cwd=example)
    assert result.code == 0 and "does not set passwords.seal_records" in result.err
    plain = wbcr("check-sealed", "--always", "--format", "json", cwd=example)
    assert plain.code == 1
    import json

    report = json.loads(plain.out)
    assert report["ok"] is False and {f["code"] for f in report["findings"]} == {"seal.plaintext"}
    names = [n for ns in EXAMPLE_NAMES.values() for n in ns]
    assert not any(n in plain.out for n in names)


def test_the_filter_commands(wbcr, env, keys, example, tmp_path):
    assert wbcr("key", "init", cwd=example).code == 0
    rel = "cases/WBCR-2017-004/people.yaml"
    plain = (example / rel).read_text()
    cleaned = wbcr("filter", "clean", rel, cwd=example, input=plain)
    assert cleaned.code == 0 and SEALED_PREFIX in cleaned.out and "Lindqvist" not in cleaned.out
    smudged = wbcr("filter", "smudge", rel, cwd=example, input=cleaned.out)
    assert parse_yaml(smudged.out, rel) == parse_yaml(plain, rel)
    nokey = {"WBCR_KEY_DIR": str(tmp_path / "none")}
    refused = wbcr("filter", "clean", rel, cwd=example, input=plain, extra_env=nokey)
    assert refused.code == 3 and refused.out == "" and "cannot seal" in refused.err
    assert "Lindqvist" not in refused.err
    passed = wbcr("filter", "smudge", rel, cwd=example, input=cleaned.out, extra_env=nokey)
    assert passed.code == 0 and passed.out == cleaned.out and "left sealed" in passed.err
    other = wbcr("filter", "clean", "wbcr.yaml", cwd=example, input="anything: at all\n")
    assert other.out == "anything: at all\n"


def test_commands_editing_a_sealed_case_keep_it_valid(wbcr, env, keys, example):
    assert wbcr("key", "init", cwd=example).code == 0
    assert wbcr("seal", "WBCR-2017-010", cwd=example).code == 0
    result = wbcr("next", "WBCR-2017-010", cwd=example)
    assert result.code == 0, result.err
    assert wbcr("validate", "WBCR-2017-010", cwd=example).code == 0


def test_no_secret_in_any_output_of_failing_commands(wbcr, env, keys, example, tmp_path):
    scratch = tmp_path / "tmp"  # the temporary folder of every command here: must stay empty
    scratch.mkdir()
    env.update({"TMPDIR": str(scratch), "TEMP": str(scratch), "TMP": str(scratch)})
    fingerprint = wbcr("key", "init", cwd=example).out.strip()
    key_text = (keys / f"{fingerprint}.key").read_text().strip()
    password = wbcr("password", "WBCR-2017-004", cwd=example).out.strip()
    assert wbcr("seal", "WBCR-2017-004", cwd=example).code == 0
    outputs = []
    for args, extra in [
        (["unseal", "WBCR-2017-004", "--password", "ZZZZ-ZZZZ-ZZZZ-ZZZZ"], {}),
        (["unseal", "WBCR-2017-004"], {"WBCR_BOARD_KEY": key_text[:-2] + "AA"}),
        (["unseal", "WBCR-2017-004"], {"WBCR_DEBUG": ""}),
        (["seal", "WBCR-2017-004", "--password", password[:-1] + "2"], {}),
    ]:
        result = wbcr(*args, cwd=example, extra_env=extra)
        outputs.append(result.out + result.err)
    joined = "\n".join(outputs)
    assert "Traceback" not in joined
    assert key_text not in joined and key_text.split(":")[1] not in joined
    assert password not in joined
    for name in EXAMPLE_NAMES["WBCR-2017-004"]:
        assert name not in joined
    assert not [p for p in example.rglob("*.tmp")]
    assert git(example, "status", "--porcelain") == ""
    assert list(scratch.iterdir()) == []


def test_errors_are_wbcr_errors():
    assert issubclass(SealError, WbcrError)


def test_check_sealed_covers_every_file_a_commit_would_hold_under_cases(wbcr, env, example):
    """Issue 13: leftovers of a killed command (a `cases/.REF/` staging folder, a `.NAME.NNNN.tmp` file)
    and any other file under cases/ passed `check-sealed --staged` as "0 file(s) checked". Now each one
    that is not a case record wbcr knows is a finding (without its content); an empty `.gitkeep` is not."""
    import json

    config = example / "wbcr.yaml"
    config.write_text(config.read_text().replace("scheme: keyed\n", "scheme: keyed\n  seal_records: true\n"))
    git(example, "commit", "-q", "-am", "sealing required", env=env)
    people = (example / "cases/WBCR-2017-004/people.yaml").read_text()
    leftovers = {"cases/.WBCR-2017-011/people.yaml": people,
                 "cases/WBCR-2017-004/.people.yaml.4242.k2j4h5g6.tmp": people,
                 "cases/WBCR-2017-004/notes.txt": "Harper Grace Lindqvist rang the office\n",
                 "cases/WBCR-2017-004/chronology/.gitkeep": ""}
    for relpath, text in leftovers.items():
        (example / relpath).parent.mkdir(parents=True, exist_ok=True)
        (example / relpath).write_text(text)
    git(example, "add", "-A", "--", *leftovers, env=env)
    for args in (["--staged"], [], list(leftovers)):
        result = wbcr("check-sealed", "--format", "json", *args, cwd=example)
        assert result.code == 1, result.err
        report = json.loads(result.out)
        unknown = sorted(f["path"] for f in report["findings"] if f["code"] == "seal.unknown-file")
        assert unknown == sorted(p for p, text in leftovers.items() if text)
        assert "Harper" not in result.out + result.err
    staged = wbcr("check-sealed", "--staged", cwd=example)
    assert "3 file(s) checked" in staged.err and "git rm --cached" in staged.out
