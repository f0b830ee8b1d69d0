"""A sealed value is bound to its exact place (issue 13): record, field and list item — a person by
their id, any other item by its index. Swapping sealed values between people or entries is refused by
every read, format 1 values (bound to the field only) still open and are re-sealed in format 2, and the
identifying dates (births, deaths, the incident) are sealed wherever they are recorded."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, ROOT, copy_example, git
from wbcr.core.yamlio import parse_yaml
from wbcr.security.sealing import (SEALED_PREFIX, CaseSeal, ItemId, SealError, is_sealed, iter_slots, place_text,
                                   plaintext_of, seal_record_text, sealed_format, unseal_record_text)

SEAL_KEY_HEX = ("3903165790769ef6e698aff58d5fcf03538597dd5e40f13d2b8fc5ddf3e789d2"
                "12e1cb5a2b668b7e7f28064cb29c8b720f3d4040445a5a07497af7de2abec3ea")  # as in test_sealing
SEAL = CaseSeal("WBCR-2026-004", bytes.fromhex(SEAL_KEY_HEX))
DEMO_KEY = (ROOT / "examples" / "DEMO-board-key.txt").read_text().strip()
KEY = {"WBCR_BOARD_KEY": DEMO_KEY}


def _raw(sealed: str) -> bytes:
    body = sealed[len(SEALED_PREFIX):]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))


def _seal_format_1(text: str, *, kind: str, record: str, seal: CaseSeal) -> str:
    """A record sealed as wbcr sealed it before issue 13: every value in format 1 (bound to its field)."""
    data = parse_yaml(text, record)
    for slot in iter_slots(kind, data):
        plain = plaintext_of(slot.value)
        if plain is not None and not is_sealed(slot.value):
            target = data
            for step in slot.path[:-1]:
                target = target[step]
            target[slot.path[-1]] = seal.seal(plain, record, slot.field)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


# --- the format ------------------------------------------------------------------------------------


def test_format_2_known_answer_and_documented_construction():
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV

    place = ("people", ItemId("child-h"), "name")
    assert place_text(place) == '["people",{"id":"child-h"},"name"]'
    assert place_text(("key_dates", 2, "date")) == '["key_dates",2,"date"]'
    sealed = SEAL.seal_at("Harper", "people.yaml", place)
    assert sealed == "wbcr:sealed:v1:AlP9gPDlrJUugW958tUjRMj26Eg3AE4pDKpbmc8F5RXx"
    raw = _raw(sealed)
    assert raw[:1] == b"\x02" and len(raw) % 16 == 1
    padded = AESSIV(bytes.fromhex(SEAL_KEY_HEX)).decrypt(
        raw[1:], [b"wbcr seal v2", b"WBCR-2026-004", b"people.yaml", b'["people",{"id":"child-h"},"name"]'])
    assert padded == b"Harper\x80" + b"\0" * 9
    assert sealed_format(sealed) == 2
    assert sealed_format(SEAL.seal("Harper", "people.yaml", "people.*.name")) == 1
    for other in ("Harper", SEALED_PREFIX + "short", sealed[:-1], None, 7):
        assert sealed_format(other) is None


PLACES = [("people", ItemId("child-h"), "name"), ("people", ItemId("mother"), "name"), ("people", 0, "name"),
          ("people", ItemId("child-h"), "other_names", 0), ("key_dates", 0, "date"), ("key_dates", 1, "date")]


@given(st.text(), st.sampled_from(PLACES))
@settings(max_examples=200, deadline=None)
def test_format_2_round_trip_and_no_other_place_opens_it(text, place):
    sealed = SEAL.seal_at(text, "people.yaml", place)
    assert SEAL.seal_at(text, "people.yaml", place) == sealed  # deterministic
    assert SEAL.open(sealed, "people.yaml", "any.field", place) == text
    assert len(text) < 3 or text not in sealed[len(SEALED_PREFIX):]
    for other in PLACES:
        if other != place:
            with pytest.raises(SealError):
                SEAL.open(sealed, "people.yaml", "any.field", other)
    with pytest.raises(SealError):
        SEAL.open(sealed, "referral.yaml", "any.field", place)  # another record
    with pytest.raises(SealError):
        SEAL.open(sealed, "people.yaml", "people.*.name")  # no place: never read as format 1
    with pytest.raises(SealError):
        CaseSeal("WBCR-2025-001", bytes.fromhex(SEAL_KEY_HEX)).open(sealed, "people.yaml", "x", place)


@given(st.text())
@settings(max_examples=100, deadline=None)
def test_the_two_formats_cannot_be_confused(text):
    v1, v2 = SEAL.seal(text, "people.yaml", "people.*.name"), SEAL.seal_at(text, "people.yaml", PLACES[0])
    assert (sealed_format(v1), sealed_format(v2)) == (1, 2)
    assert len(_raw(v1)) % 16 == 0 and len(_raw(v2)) % 16 == 1
    stripped = SEALED_PREFIX + base64.urlsafe_b64encode(_raw(v2)[1:]).decode().rstrip("=")
    with pytest.raises(SealError):  # format 2 without its marker byte is not a format 1 value
        SEAL.open(stripped, "people.yaml", "people.*.name", PLACES[0])


# --- records ---------------------------------------------------------------------------------------

PEOPLE = """\
schema_version: 1
people:
  - id: child-h
    pseudonym: Child H
    role: subject
    name: Harper Grace Lindqvist
    date_of_birth: 2010-08-19
    date_of_death: 2017-02-08
    address: 4 Invented Row
  - id: mother
    pseudonym: Mother
    role: parent
    name: Sophie Lindqvist
    date_of_birth: 1991-03-02
    address: 4 Invented Row
"""
SECRETS = ("Harper", "Sophie", "2010-08-19", "1991-03-02", "2017-02-08", "Invented")


def _swap(text: str, a: str, b: str) -> str:
    return text.replace(a, "\0").replace(b, a).replace("\0", b)


def _swap_people(text: str, *fields: str) -> str:
    """The attack of issue 13: the child's and the mother's lines of `fields` swapped, without the key."""
    people = parse_yaml(text, "p")["people"]
    for key in fields:
        text = _swap(text, people[0][key], people[1][key])
    return text


def test_values_swapped_between_people_are_refused_naming_both_places():
    sealed, count = seal_record_text(PEOPLE, kind="people", record="people.yaml", display="people.yaml", seal=SEAL)
    assert count == 7 and all(s not in sealed for s in SECRETS)
    assert {sealed_format(v) for v in sealed.split() if v.startswith(SEALED_PREFIX)} == {2}
    swapped = _swap_people(sealed, "name", "date_of_birth")
    assert parse_yaml(swapped, "p") != parse_yaml(sealed, "p")
    with pytest.raises(SealError) as info:
        unseal_record_text(swapped, kind="people", record="people.yaml", display="cases/X/people.yaml", seal=SEAL)
    error = info.value
    assert error.exit_code == 3 and error.path == "cases/X/people.yaml" and error.line == 6
    assert "people[0].name (id child-h)" in error.message and "sealed as people[1].name (id mother)" in error.message
    assert "4 of 7" in error.message
    assert not any(s in str(error) + (error.hint or "") for s in SECRETS)
    # writing the record with the key refuses too: a moved value is never sealed again where it was put
    with pytest.raises(SealError, match="people\\[0\\].name"):
        seal_record_text(swapped + "  - {id: visitor, pseudonym: Visitor, role: other, name: New Person}\n",
                         kind="people", record="people.yaml", display="people.yaml", seal=SEAL)


def test_a_value_moved_along_a_list_without_ids_is_refused():
    text = ("schema_version: 1\nkey_dates:\n  - date: 2016-01-07\n    event: Child A born.\n"
            "  - date: 2016-08-13\n    event: Child A died.\n")
    sealed, count = seal_record_text(text, kind="referral", record="referral.yaml", display="r", seal=SEAL)
    assert count == 4 and "2016-01-07" not in sealed and "2016-08-13" not in sealed
    data = parse_yaml(sealed, "r")
    swapped = _swap(sealed, data["key_dates"][0]["date"], data["key_dates"][1]["date"])
    with pytest.raises(SealError, match=r"key_dates\[0\].date: .*sealed as key_dates\[1\].date"):
        unseal_record_text(swapped, kind="referral", record="referral.yaml", display="r", seal=SEAL)
    # the whole entries moved together do not open either: each value is bound to its position
    lines = sealed.splitlines(keepends=True)
    reordered = "".join(lines[:2] + lines[4:6] + lines[2:4])
    with pytest.raises(SealError, match="sealed as key_dates"):
        unseal_record_text(reordered, kind="referral", record="referral.yaml", display="r", seal=SEAL)


def test_a_person_is_bound_by_id_so_people_may_be_reordered():
    sealed, _ = seal_record_text(PEOPLE, kind="people", record="people.yaml", display="p", seal=SEAL)
    lines = sealed.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if "id: mother" in line)
    reordered = "".join(lines[:2] + lines[start:] + lines[2:start])
    opened, _ = unseal_record_text(reordered, kind="people", record="people.yaml", display="p", seal=SEAL)
    assert [p["name"] for p in parse_yaml(opened, "p")["people"]] == ["Sophie Lindqvist", "Harper Grace Lindqvist"]
    relabelled = sealed.replace("id: mother", "id: child-h-mother")  # the id is what the values are bound to
    with pytest.raises(SealError, match=r"people\[1\].name \(id child-h-mother\)"):
        unseal_record_text(relabelled, kind="people", record="people.yaml", display="p", seal=SEAL)


def test_format_1_values_still_open_and_any_write_reseals_them_in_format_2():
    old = _seal_format_1(PEOPLE, kind="people", record="people.yaml", seal=SEAL)
    values = [v for v in old.split() if v.startswith(SEALED_PREFIX)]
    assert len(values) == 7 and {sealed_format(v) for v in values} == {1}
    opened, n = unseal_record_text(old, kind="people", record="people.yaml", display="p", seal=SEAL)
    assert n == 7 and parse_yaml(opened, "p") == parse_yaml(PEOPLE, "p")
    # the weakness format 2 removes: format 1 values swapped between people still open
    weak, _ = unseal_record_text(_swap_people(old, "name"), kind="people", record="people.yaml", display="p",
                                 seal=SEAL)
    assert parse_yaml(weak, "p")["people"][0]["name"] == "Sophie Lindqvist"
    # without the key nothing changes; with it, every value is re-sealed in its place
    assert seal_record_text(old, kind="people", record="people.yaml", display="p", seal=None) == (old, 0)
    new, n = seal_record_text(old, kind="people", record="people.yaml", display="p", seal=SEAL)
    assert n == 7 and {sealed_format(v) for v in new.split() if v.startswith(SEALED_PREFIX)} == {2}
    assert new == seal_record_text(PEOPLE, kind="people", record="people.yaml", display="p", seal=SEAL)[0]
    assert seal_record_text(new, kind="people", record="people.yaml", display="p", seal=SEAL) == (new, 0)
    mixed = old.replace(parse_yaml(old, "p")["people"][0]["name"], parse_yaml(new, "p")["people"][0]["name"])
    reopened, _ = unseal_record_text(mixed, kind="people", record="people.yaml", display="p", seal=SEAL)
    assert parse_yaml(reopened, "p") == parse_yaml(PEOPLE, "p")  # a record may hold both formats


def test_nothing_opens_with_another_key_is_still_a_wrong_password():
    sealed, _ = seal_record_text(PEOPLE, kind="people", record="people.yaml", display="p", seal=SEAL)
    other = CaseSeal("WBCR-2026-004", bytes(64))
    with pytest.raises(SealError, match="wrong password for WBCR-2026-004"):
        unseal_record_text(sealed, kind="people", record="people.yaml", display="p", seal=other)


# --- on a real register, with the example's DEMO key -----------------------------------------------

REF = "WBCR-2017-001"  # Child D, who died: dates of birth and death, the incident and key dates


@pytest.fixture
def demo(tmp_path, env):
    return copy_example(tmp_path / "register", env, demo_key=True)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(root).parts}


def _document_text(path: Path) -> str:
    return zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("word/document.xml").decode()


def test_the_swap_attack_on_disk_is_refused_by_every_read_and_nothing_is_written(wbcr, demo):
    plain = yaml.safe_load((demo / "cases" / REF / "people.yaml").read_text())["people"]
    secrets = [str(p[k]) for p in plain for k in ("name", "date_of_birth") if k in p]
    sealed = wbcr("seal", REF, cwd=demo, extra_env=KEY)
    assert sealed.code == 0, sealed.err
    people = demo / "cases" / REF / "people.yaml"
    people.write_text(_swap_people(people.read_text(), "name", "date_of_birth"))  # no key needed
    before, head = _files(demo), git(demo, "rev-parse", "HEAD")
    for args in (["unseal", REF], ["render", REF, "referral-form", "--no-protect"], ["seal", REF]):
        result = wbcr(*args, cwd=demo, extra_env=KEY)
        assert result.code == 3, (args, result.out, result.err)
        assert f"cases/{REF}/people.yaml" in result.err and "people[0].name (id child-d)" in result.err, args
        assert "sealed as people[1].name (id mother)" in result.err, args
        assert "Traceback" not in result.err
        assert not any(s in result.out + result.err for s in secrets), args
        assert _files(demo) == before and git(demo, "rev-parse", "HEAD") == head, args
    # `show` never opens a sealed value (people by pseudonym and role only) and the decisions report
    # opens no people.yaml: neither has anything to refuse, and neither shows a swapped value
    for args in (["show", REF], ["report", "decisions", "--format", "json"]):
        result = wbcr(*args, cwd=demo, extra_env=KEY)
        assert result.code == 0 and not any(s in result.out for s in secrets), args
    assert _files(demo) == before


def test_a_case_sealed_in_format_1_opens_and_wbcr_seal_upgrades_it(wbcr, demo, env):
    password = wbcr("password", REF, cwd=demo, extra_env=KEY).out.strip()
    seal = CaseSeal.from_password(REF, password)
    folder = demo / "cases" / REF
    plain = {path: path.read_text() for path in sorted(folder.glob("*.yaml"))}
    kinds = {"people.yaml": "people", "referral.yaml": "referral", "decisions.yaml": "decisions",
             "case.yaml": "case", "notifications.yaml": "notifications"}
    for path, text in plain.items():
        if path.name in kinds:
            path.write_text(_seal_format_1(text, kind=kinds[path.name], record=path.name, seal=seal))
    git(demo, "commit", "-qam", "sealed by an earlier wbcr", env=env)
    child = yaml.safe_load(plain[folder / "people.yaml"])["people"][0]
    assert child["name"] not in (folder / "people.yaml").read_text()
    rendered = wbcr("render", REF, "referral-form", "--no-protect", cwd=demo, extra_env=KEY)
    assert rendered.code == 0, rendered.err
    assert child["name"] in _document_text(Path(rendered.out.strip()))  # format 1 opens
    result = wbcr("seal", REF, cwd=demo, extra_env=KEY)
    assert result.code == 0, result.err
    assert result.out.startswith(f"{REF}: sealed ") and "committed" in result.out
    for path, text in plain.items():
        if path.name not in kinds:
            continue
        committed = git(demo, "show", f"HEAD:cases/{REF}/{path.name}")
        data = parse_yaml(committed, path.name)
        formats = {sealed_format(s.value) for s in iter_slots(kinds[path.name], data) if is_sealed(s.value)}
        assert formats <= {2}, path.name
        opened, _ = unseal_record_text(committed, kind=kinds[path.name], record=path.name, display=path.name,
                                       seal=seal)
        assert parse_yaml(opened, path.name) == parse_yaml(text, path.name), path.name
    assert wbcr("seal", REF, cwd=demo, extra_env=KEY).out.strip() == f"{REF}: already sealed"
    assert wbcr("validate", REF, cwd=demo).code == 0


#: where a date of birth or death may still be read in a sealed register, by decision (see the
#: "Identifying dates" section of wbcr.security.sealing): dates the workflow and CI compute with
PLAIN_BY_DECISION = [("review.yaml", ("terms_of_reference", "scope")),
                     ("review.yaml", ("chronology_review", "same_days")),
                     ("chronology/", ("entries", "*", "date")), ("chronology/", ("no_contact_periods",))]


def _plain_dates_at(record: str, data, date: str, path=()) -> list[tuple]:
    """The paths in `data` whose (plain) value is or contains `date`."""
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _plain_dates_at(record, v, date, path + (k,))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _plain_dates_at(record, v, date, path + (i,))]
    return [path] if date in str(data) else []


def _allowed(record: str, path: tuple) -> bool:
    for where, prefix in PLAIN_BY_DECISION:
        if record.startswith(where) and len(path) >= len(prefix) and all(
                p == "*" and isinstance(step, int) or p == step for p, step in zip(prefix, path)):
            return True
    return False


def test_no_date_of_birth_or_death_is_left_readable_in_git_after_seal(wbcr, demo):
    plain = json.loads(wbcr("validate", "--format", "json", cwd=demo).out)
    result = wbcr("seal", "--all", cwd=demo, extra_env=KEY)
    assert result.code == 0, result.err
    keyless = wbcr("validate", "--format", "json", cwd=demo)  # sealed dates validate as sealed, without a key
    assert keyless.code == 0, keyless.out
    assert json.loads(keyless.out)["findings"] == plain["findings"]
    residue = {}
    for people in sorted(EXAMPLE.glob("cases/*/people.yaml")):
        ref = people.parent.name
        dates = {str(p[k]) for p in yaml.safe_load(people.read_text())["people"]
                 for k in ("date_of_birth", "date_of_death") if k in p}
        assert dates, ref
        for rel in git(demo, "ls-tree", "-r", "--name-only", "HEAD", f"cases/{ref}").split():
            text = git(demo, "show", f"HEAD:{rel}")
            record = rel.split("/", 2)[2]
            for date in dates:
                if date not in text:
                    continue
                found = _plain_dates_at(record, parse_yaml(text, rel), date)
                assert len(found) == text.count(date), (rel, date)  # none in a comment, none sealed-over
                assert all(_allowed(record, p) for p in found), (rel, date, found)
                residue.setdefault(ref, []).extend(found)
    # the documented residue: one reviewed case, whose scope ends and whose chronology has entries on
    # the day of the death (the entries' text is sealed); every case without a review leaves none
    assert set(residue) == {"WBCR-2016-004"}, residue
    for ref in ("WBCR-2017-001", "WBCR-2017-004", "WBCR-2017-010"):
        head = git(demo, "show", f"HEAD:cases/{ref}/referral.yaml")
        data = parse_yaml(head, "referral.yaml")
        assert is_sealed(data["incident"]["date"]) and all(is_sealed(k["date"]) for k in data["key_dates"])
    oa = parse_yaml(git(demo, "show", "HEAD:cases/WBCR-2017-004/referral.yaml"), "r")["out_of_area"]["scope"]
    assert is_sealed(oa["from"]) and is_sealed(oa["to"])


def test_sealed_dates_still_show_in_documents_with_the_key(wbcr, demo):
    assert wbcr("seal", REF, cwd=demo, extra_env=KEY).code == 0
    rendered = wbcr("render", REF, "referral-form", "--no-protect", cwd=demo, extra_env=KEY)
    assert rendered.code == 0, rendered.err
    text = _document_text(Path(rendered.out.strip()))
    assert "wbcr:sealed:" not in text
    for day in ("24 November 2014", "28 January 2017"):  # Child D's birth; death and incident
        assert day in text, day
    keyless = wbcr("render", REF, "referral-form", "--no-protect", cwd=demo)
    assert keyless.code == 3 and "Traceback" not in keyless.err
    assert wbcr("status", cwd=demo).code == 0  # the workflow needs no key
