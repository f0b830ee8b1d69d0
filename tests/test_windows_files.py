"""Files as a Windows laptop leaves them (issue 15): records checked out with CRLF keep their line
endings when wbcr edits them, a new register stores records with LF, a letter open in Word gets a clear
error naming it, and the board key crosses over in whatever encoding Notepad or PowerShell wrote it."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest

from conftest import git
from wbcr.store.transaction import keep_line_endings

REF = "WBCR-2017-009"
SCREEN = ("screen", REF, "--outcome", "sufficient", "--rationale", "Enough to ask the agencies", "--on", "2017-11-20")


def _to_crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


# --- line endings ----------------------------------------------------------------------------------


def test_keep_line_endings():
    assert keep_line_endings(None, b"a\nb\n") == b"a\nb\n"
    assert keep_line_endings(b"x\ny\n", b"a\nb\n") == b"a\nb\n"
    assert keep_line_endings(b"x\r\ny\r\n", b"a\nb\n") == b"a\r\nb\r\n"
    assert keep_line_endings(b"x\r\n", b"a\r\nb\n") == b"a\r\nb\r\n"  # never \r\r\n
    assert keep_line_endings(b"\xef\xbb\xbfx\r\n", b"a\n") == b"\xef\xbb\xbfa\r\n"
    assert keep_line_endings(b"\xef\xbb\xbfx\n", b"a\n") == b"\xef\xbb\xbfa\n"


@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_an_edit_on_a_crlf_checkout_changes_only_its_lines(wbcr, example, bom):
    """autocrlf false and records with CRLF (a Windows editor, or a clone made before eol=lf): the commit
    of an edit holds the lines it changed, every line still ends CRLF (and a BOM stays)."""
    (example / ".gitattributes").unlink(missing_ok=True)
    git(example, "config", "core.autocrlf", "false")
    case = example / "cases" / REF
    for path in case.glob("*.yaml"):
        path.write_bytes(bom + _to_crlf(path.read_bytes()))
    git(example, "add", "-A")
    git(example, "commit", "-q", "-m", "records saved on Windows")
    before = {p.name: p.read_bytes() for p in case.glob("*.yaml")}

    result = wbcr(*SCREEN, cwd=example)
    assert result.code == 0, result.err

    changed = [p for p in case.glob("*.yaml") if p.read_bytes() != before[p.name]]
    assert changed, "the edit changed no record"
    for path in changed:
        data = path.read_bytes()
        assert data.startswith(bom) and data.count(b"\r\n") == data.count(b"\n"), path.name
    numstat = [line.split("\t") for line in git(example, "show", "--numstat", "--format=", "HEAD").splitlines()]
    assert numstat
    for added, removed, name in numstat:
        lines = len((example / name).read_bytes().splitlines())
        # the lines of the edit, not the file: a rewrite would remove every line it had
        assert int(removed) < 5 and int(added) < lines, (name, added, removed, lines)
    diff = git(example, "show", "--format=", "HEAD")
    edited = [line for line in diff.split("\n") if line[:1] in ("+", "-") and line[:3] not in ("+++", "---")]
    assert 0 < len(edited) <= 6, edited  # the date and rationale lines of the screening, old and new


def test_a_new_register_stores_yaml_with_lf(wbcr, tmp_path):
    result = wbcr("init", str(tmp_path / "reg"), cwd=tmp_path)
    assert result.code == 0, result.err
    assert "*.yaml text eol=lf" in (tmp_path / "reg" / ".gitattributes").read_text("utf-8").splitlines()
    assert git(tmp_path / "reg", "check-attr", "eol", "--", "cases/X/case.yaml").strip().endswith("eol: lf")
    assert git(tmp_path / "reg", "status", "--porcelain").strip() == ""  # committed with the register


@pytest.mark.parametrize("example_dir", ["west-of-berkshire", "berkshire-west-partnership"])
def test_the_examples_store_yaml_with_lf(example_dir):
    text = (Path(__file__).parent.parent / "examples" / example_dir / ".gitattributes").read_text("utf-8")
    assert "*.yaml text eol=lf" in text.splitlines()


# --- a letter open in Word -------------------------------------------------------------------------


def test_rerendering_a_letter_open_in_word_says_to_close_it(wbcr, example, monkeypatch):
    render = ("render", REF, "referral-form", "--no-protect")
    first = wbcr(*render, cwd=example)
    assert first.code == 0, first.err
    [target] = (example / "output").rglob("*.docx")
    before = target.read_bytes()
    real_replace = os.replace

    def word_holds_it(src, dst, *args, **kwargs):  # what Windows does to a file Word has open
        if Path(dst).name == target.name:
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", word_holds_it)
    again = wbcr(*render, cwd=example)
    assert again.code == 3, again.err
    assert target.name in again.err and "close it in Word" in again.err
    assert "internal error" not in again.err and "Traceback" not in again.err
    assert target.read_bytes() == before
    assert not [p for p in example.rglob("*.tmp")]


# --- the board key across Windows ------------------------------------------------------------------


@pytest.fixture
def keys(env, tmp_path_factory, monkeypatch) -> Path:
    folder = tmp_path_factory.mktemp("keys") / "wbcr-keys"
    monkeypatch.setenv("WBCR_KEY_DIR", str(folder))
    env["WBCR_KEY_DIR"] = str(folder)
    return folder


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                                           (codecs.BOM_UTF8, "utf-8")])
def test_key_export_out_then_import_through_a_windows_encoding(wbcr, keys, example, tmp_path, bom, encoding):
    assert wbcr("key", "init", cwd=example).code == 0
    out = tmp_path / "stick" / "board-key.txt"
    written = wbcr("key", "export", "--out", str(out), cwd=example)
    assert written.code == 0, written.err
    if os.name != "nt":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    # what PowerShell 5.1's `Get-Content key.txt > copy.txt` or Notepad's "Save as" leaves: a mark, CRLF, blanks
    saved = tmp_path / "copy.txt"
    saved.write_bytes(bom + ("  " + out.read_text("ascii").strip() + "  \r\n\r\n").encode(encoding))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(example), str(clone))
    elsewhere = {"WBCR_KEY_DIR": str(tmp_path / "second-manager-keys")}
    imported = wbcr("key", "import", str(saved), cwd=clone, extra_env=elsewhere)
    assert imported.code == 0, imported.err
    assert (wbcr("password", REF, cwd=clone, extra_env=elsewhere).out == wbcr("password", REF, cwd=example).out)


@pytest.mark.parametrize("content", [b"", b"\xff\xfe", b"not a key at all\r\n", codecs.BOM_UTF16_LE + "wbcr-board-key-v1:@@@".encode("utf-16-le"),
                                     b"\x00\x01\x02\xff" * 10])
def test_a_malformed_key_file_is_one_clear_error(wbcr, keys, example, tmp_path, content):
    assert wbcr("key", "init", cwd=example).code == 0
    bad = tmp_path / "bad-key.txt"
    bad.write_bytes(content)
    before = (example / "wbcr.yaml").read_bytes()
    result = wbcr("key", "import", str(bad), cwd=example, extra_env={"WBCR_KEY_DIR": str(tmp_path / "k2")})
    assert result.code in (2, 3), result.err
    assert "bad-key.txt" in result.err and "Traceback" not in result.err and "internal error" not in result.err
    assert (example / "wbcr.yaml").read_bytes() == before


def test_a_missing_key_file_is_one_clear_error(wbcr, keys, example, tmp_path):
    result = wbcr("key", "import", str(tmp_path / "nowhere.txt"), cwd=example)
    assert result.code == 3 and "nowhere.txt" in result.err and "Traceback" not in result.err


# --- one lock on every system ----------------------------------------------------------------------


def test_no_module_locks_with_fcntl_or_msvcrt_itself():
    """Locking goes through `wbcr.store.lock` (the filelock library): a module reaching for `fcntl` has a
    Windows branch that skips the lock, so two referrals at once could take one number."""
    package = Path(__file__).parent.parent / "wbcr"
    direct = [str(path.relative_to(package)) for path in package.rglob("*.py")
              if any(line.strip().startswith(("import fcntl", "import msvcrt", "from fcntl", "from msvcrt"))
                     for line in path.read_text("utf-8").splitlines())]
    assert direct == []
