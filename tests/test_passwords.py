"""The board key and case passwords: known answers, key storage and permissions, key commands."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import warnings
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import git
from wbcr.security import passwords
from wbcr.core.errors import WbcrError
from wbcr.model.register import Register

KEY = bytes(range(32))
KEY_TEXT = "wbcr-board-key-v1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
OTHER_KEY_TEXT = passwords.format_key(bytes(range(100, 132)))


@pytest.fixture
def keys(env, tmp_path_factory, monkeypatch) -> Path:
    """A key folder of the test's own (never the real ~/.config)."""
    folder = tmp_path_factory.mktemp("keys") / "wbcr-keys"
    monkeypatch.setenv("WBCR_KEY_DIR", str(folder))
    env["WBCR_KEY_DIR"] = str(folder)
    return folder


# --- known answers ---------------------------------------------------------------------------------


def test_known_answers():
    assert passwords.format_key(KEY) == KEY_TEXT
    assert passwords.key_fingerprint(KEY) == "3cc6b1b5d326acf0"
    assert passwords.derive_case_password(KEY, "WBCR-2026-004") == "RARN-H4R8-VM6P-5MU3"
    assert passwords.derive_case_password(KEY, "WBCR-2025-001") == "SG7P-PKTK-9CL3-VM2J"


def test_the_documented_algorithm_gives_the_known_answers():
    """An independent implementation of the README's description, from the standard library only."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

    def documented(key: bytes, reference: str) -> str:
        mac = hmac.new(key, b"wbcr case password v1\0" + reference.encode(), hashlib.sha256).digest()
        bits = "".join(f"{byte:08b}" for byte in mac)[:80]
        chars = "".join(alphabet[int(bits[i:i + 5], 2)] for i in range(0, 80, 5))
        return "-".join(chars[i:i + 4] for i in range(0, 16, 4))

    for reference in ("WBCR-2017-004", "WBCR-2016-001", "LSCB/2010/77", "Ünïcode-ref"):
        assert passwords.derive_case_password(KEY, reference) == documented(KEY, reference)
    assert hashlib.sha256(b"wbcr key fingerprint v1\0" + KEY).hexdigest()[:16] == passwords.key_fingerprint(KEY)


@given(st.text(min_size=1, max_size=40))
@settings(max_examples=200, deadline=None)
def test_any_reference_gets_an_80_bit_unambiguous_password(reference):
    pw = passwords.derive_case_password(KEY, reference)
    groups = pw.split("-")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert all(ch in passwords.ALPHABET for ch in "".join(groups))
    assert not set(pw) & set("01IO")
    assert pw != reference
    assert passwords.derive_case_password(KEY, reference) == pw  # deterministic
    assert passwords.normalise_password(pw.lower().replace("-", " ")) == pw


def test_passwords_differ_per_case_and_per_key():
    refs = [f"WBCR-2026-{n:03d}" for n in range(1, 200)]
    assert len({passwords.derive_case_password(KEY, r) for r in refs}) == len(refs)
    other = bytes(range(1, 33))
    assert passwords.derive_case_password(KEY, refs[0]) != passwords.derive_case_password(other, refs[0])


def test_normalise_password_keeps_anything_that_is_not_a_keyed_password():
    assert passwords.normalise_password(" rarn h4r8 vm6p 5mu3\n") == "RARN-H4R8-VM6P-5MU3"
    assert passwords.normalise_password("WBCR-2017-004") == "WBCR-2017-004"
    assert passwords.normalise_password("Secret from Word\n") == "Secret from Word"


def test_key_text_form_round_trips_and_errors_never_echo_it():
    assert passwords.parse_key(KEY_TEXT + "\n", "x") == KEY
    for bad in ("not a key at all secret-ish", KEY_TEXT[:-3], KEY_TEXT + "AA", KEY_TEXT.replace("A", "*", 1)):
        with pytest.raises(WbcrError) as info:
            passwords.parse_key(bad, "WBCR_BOARD_KEY")
        assert bad not in str(info.value) and "WBCR_BOARD_KEY" in str(info.value)
    assert "AAECAw" not in repr(passwords.BoardKey(KEY, "test"))


# --- where the key lives ---------------------------------------------------------------------------


def test_key_folder_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("WBCR_KEY_DIR", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    assert passwords.key_dir() == tmp_path / "home" / ".config" / "wbcr" / "keys"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert passwords.key_dir() == tmp_path / "xdg" / "wbcr" / "keys"
    monkeypatch.setenv("WBCR_KEY_DIR", str(tmp_path / "explicit"))
    assert passwords.key_dir() == tmp_path / "explicit"


def test_stored_key_is_owner_only_and_named_by_fingerprint(keys):
    path = passwords.store_key(passwords.BoardKey(KEY, "test"))
    assert path == keys / "3cc6b1b5d326acf0.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert path.read_text() == KEY_TEXT + "\n"
    assert passwords.store_key(passwords.BoardKey(KEY, "again")) == path  # storing twice is harmless
    assert [p.name for p in keys.iterdir()] == [path.name]  # no temporary files left


def _register(config: dict, root: Path | None = None) -> Register:
    return Register(root=root or Path("/nonexistent"), config=config)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644])
def test_a_key_file_others_can_read_is_refused(keys, mode):
    path = passwords.store_key(passwords.BoardKey(KEY, "test"))
    path.chmod(mode)
    register = _register({"passwords": {"key_fingerprint": "3cc6b1b5d326acf0"}})
    with pytest.raises(WbcrError) as info:
        passwords.load_board_key(register)
    assert info.value.exit_code == 3
    assert "other users" in info.value.message and "chmod 600" in info.value.hint
    assert KEY_TEXT not in str(info.value)


def test_environment_key_wins_and_must_match(keys, monkeypatch):
    register = _register({"passwords": {"key_fingerprint": "3cc6b1b5d326acf0"}})
    monkeypatch.setenv("WBCR_BOARD_KEY", KEY_TEXT)
    assert passwords.load_board_key(register).secret == KEY
    assert passwords.case_password(register, "WBCR-2026-004") == "RARN-H4R8-VM6P-5MU3"
    monkeypatch.setenv("WBCR_BOARD_KEY", OTHER_KEY_TEXT)
    with pytest.raises(WbcrError) as info:
        passwords.case_password(register, "WBCR-2026-004")
    assert "another board's key" in info.value.message and OTHER_KEY_TEXT not in str(info.value)


def test_missing_key_and_missing_fingerprint_are_clear_failures(keys):
    with pytest.raises(WbcrError, match="no board key yet"):
        passwords.case_password(_register({"passwords": {"scheme": "keyed"}}), "WBCR-2017-004")
    with pytest.raises(WbcrError, match="not on this computer") as info:
        passwords.case_password(_register({"passwords": {"key_fingerprint": "0123456789abcdef"}}), "WBCR-2017-004")
    assert "wbcr key import" in info.value.hint


def test_literal_scheme_warns_on_every_use():
    register = _register({"passwords": {"scheme": "literal"}})
    with warnings.catch_warnings(record=True) as caught:
        assert passwords.case_password(register, "WBCR-2017-004") == "WBCR-2017-004"
        assert passwords.case_password(register, "WBCR-2017-004") == "WBCR-2017-004"
    assert [w.category for w in caught] == [passwords.LiteralSchemeWarning] * 2


# --- the commands ----------------------------------------------------------------------------------


def _config(register: Path) -> dict:
    return yaml.safe_load((register / "wbcr.yaml").read_text())


def test_init_creates_the_board_key_outside_the_register(wbcr, keys, tmp_path):
    reg = tmp_path / "new"
    result = wbcr("init", str(reg))
    assert result.code == 0, result.err
    config = _config(reg)["passwords"]
    fingerprint = config["key_fingerprint"]
    assert config["scheme"] == "keyed" and config["seal_records"] is True
    key_file = keys / f"{fingerprint}.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not list(reg.rglob("*.key"))
    assert fingerprint in result.err
    assert "cases/*/*.yaml filter=wbcr" in (reg / ".gitattributes").read_text()
    assert "filter process" in git(reg, "config", "--get", "filter.wbcr.process")
    assert git(reg, "config", "--get", "filter.wbcr.required").strip() == "true"
    assert ".gitattributes" in git(reg, "show", "--name-only", "--format=", "HEAD")
    assert wbcr("validate", cwd=reg).code == 0
    assert wbcr("key", "fingerprint", cwd=reg).out.strip() == fingerprint


def test_password_is_stable_per_case_and_never_the_reference(wbcr, keys, example):
    assert wbcr("key", "init", cwd=example).code == 0
    first = wbcr("password", "WBCR-2017-004", cwd=example)
    again = wbcr("password", "WBCR-2017-004", cwd=example)
    other = wbcr("password", "WBCR-2016-001", cwd=example)
    assert first.code == again.code == other.code == 0
    assert first.out == again.out != other.out
    assert first.out.strip() != "WBCR-2017-004" and len(first.out.strip()) == 19
    assert first.err == ""
    missing = wbcr("password", "WBCR-2090-001", cwd=example)
    assert missing.code == 2 and "no case" in missing.err


def test_key_init_records_the_fingerprint_and_commits(wbcr, keys, example):
    result = wbcr("key", "init", cwd=example)
    assert result.code == 0, result.err
    fingerprint = result.out.strip()
    assert _config(example)["passwords"]["key_fingerprint"] == fingerprint
    assert "# West of Berkshire case-review register" in (example / "wbcr.yaml").read_text()  # comments kept
    assert git(example, "status", "--porcelain").strip() == ""
    log = git(example, "log", "-1", "--format=%s%n%b")
    assert "Board key created" in log and f"Wbcr-Key-Fingerprint: {fingerprint}" in log
    again = wbcr("key", "init", cwd=example)
    assert again.code == 2 and "already has a board key" in again.err


def test_a_second_business_manager_joins_with_export_and_import(wbcr, keys, example, tmp_path):
    assert wbcr("key", "init", cwd=example).code == 0
    exported = wbcr("key", "export", cwd=example)
    assert exported.code == 0 and exported.out.startswith("wbcr-board-key-v1:")
    assert "secure channel" in exported.err
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(example), str(clone))
    elsewhere = {"WBCR_KEY_DIR": str(tmp_path / "second-manager-keys")}
    assert wbcr("password", "WBCR-2017-004", cwd=clone, extra_env=elsewhere).code == 3
    imported = wbcr("key", "import", cwd=clone, input=exported.out, extra_env=elsewhere)
    assert imported.code == 0, imported.err
    key_file = tmp_path / "second-manager-keys" / f"{imported.out.strip()}.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert git(clone, "config", "--get", "filter.wbcr.clean")
    assert (wbcr("password", "WBCR-2017-004", cwd=clone, extra_env=elsewhere).out
            == wbcr("password", "WBCR-2017-004", cwd=example).out)
    assert exported.out.strip() not in imported.out + imported.err


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_key_hand_over_through_a_file_in_any_windows_encoding(wbcr, keys, example, tmp_path, encoding):
    """`key export --out` writes a plain UTF-8 file, owner-only; `key import FILE` reads it as Notepad or
    Windows PowerShell 5.1 (`wbcr key export > key.txt` writes UTF-16 with a byte-order mark) saved it."""
    assert wbcr("key", "init", cwd=example).code == 0
    stick = tmp_path / "stick"
    written = wbcr("key", "export", "--out", str(stick / "board-key.txt"), cwd=example)
    assert written.code == 0, written.err
    text = (stick / "board-key.txt").read_bytes()
    assert text.startswith(b"wbcr-board-key-v1:") and text.endswith(b"\n") and text.count(b"\n") == 1
    if os.name != "nt":
        assert stat.S_IMODE((stick / "board-key.txt").stat().st_mode) == 0o600
    again = wbcr("key", "export", "--out", str(stick / "board-key.txt"), cwd=example)
    assert again.code == 2 and "exists" in again.err and "--force" in again.err
    inside = wbcr("key", "export", "--out", str(example / "output" / "key.txt"), cwd=example)
    assert inside.code == 2 and "inside the register" in inside.err and not (example / "output" / "key.txt").exists()

    saved = tmp_path / f"key-{encoding}.txt"
    saved.write_bytes(text.decode("ascii").replace("\n", "\r\n").encode(encoding))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(example), str(clone))
    elsewhere = {"WBCR_KEY_DIR": str(tmp_path / "second-manager-keys")}
    imported = wbcr("key", "import", str(saved), cwd=clone, extra_env=elsewhere)
    assert imported.code == 0, imported.err
    assert (wbcr("password", "WBCR-2017-004", cwd=clone, extra_env=elsewhere).out
            == wbcr("password", "WBCR-2017-004", cwd=example).out)


def test_importing_another_registers_key_is_refused_and_changes_nothing(wbcr, keys, example, tmp_path):
    assert wbcr("key", "init", cwd=example).code == 0
    before = (example / "wbcr.yaml").read_bytes()
    result = wbcr("key", "import", cwd=example, input=OTHER_KEY_TEXT + "\n",
                  extra_env={"WBCR_KEY_DIR": str(tmp_path / "k2")})
    assert result.code == 3 and "not this register's board key" in result.err
    assert OTHER_KEY_TEXT not in result.out + result.err
    assert (example / "wbcr.yaml").read_bytes() == before
    assert not (tmp_path / "k2").exists() or not list((tmp_path / "k2").iterdir())
    damaged = wbcr("key", "import", cwd=example, input="wbcr-board-key-v1:short\n")
    assert damaged.code == 3 and "damaged" in damaged.err and "short" not in damaged.err


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_readable_key_file_is_refused_by_the_command(wbcr, keys, example):
    fingerprint = wbcr("key", "init", cwd=example).out.strip()
    (keys / f"{fingerprint}.key").chmod(0o644)
    result = wbcr("password", "WBCR-2017-004", cwd=example)
    assert result.code == 3 and "other users" in result.err and "Traceback" not in result.err
    assert result.out == ""


def test_ci_supplies_the_key_in_the_environment(wbcr, keys, example):
    fingerprint = wbcr("key", "init", cwd=example).out.strip()
    text = (keys / f"{fingerprint}.key").read_text().strip()
    expected = wbcr("password", "WBCR-2017-004", cwd=example).out
    ci = {"WBCR_KEY_DIR": str(keys.parent / "empty"), "WBCR_BOARD_KEY": text}
    assert wbcr("password", "WBCR-2017-004", cwd=example, extra_env=ci).out == expected
    wrong = wbcr("password", "WBCR-2017-004", cwd=example, extra_env={**ci, "WBCR_BOARD_KEY": OTHER_KEY_TEXT})
    assert wrong.code == 3 and "another board's key" in wrong.err and OTHER_KEY_TEXT not in wrong.err


def test_literal_scheme_prints_the_reference_and_warns_every_time(wbcr_process, example):
    # real processes on purpose: the warning goes through Python's own warning machinery of each run
    config = (example / "wbcr.yaml").read_text().replace("scheme: keyed", "scheme: literal")
    (example / "wbcr.yaml").write_text(config)
    for _ in range(2):
        result = wbcr_process("password", "WBCR-2017-004", cwd=example)
        assert result.code == 0 and result.out.strip() == "WBCR-2017-004"
        assert "warning:" in result.err and "literal password scheme" in result.err
