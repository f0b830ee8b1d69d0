"""Exports: the files a command writes for a person to take away (a merged chronology in Word, CSV or
JSON, a rendered document, a calendar of deadlines). Each is written owner-only (0600) and never where
git would commit it; the `.gitignore` a register starts with covers each kind. `--password -` reads the
password from standard input on every command that takes one."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from conftest import git
from wbcr.security.protection import unprotect_bytes

REF = "WBCR-2016-004"
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@POSIX_ONLY
def test_every_export_is_owner_only_whatever_the_umask(wbcr, example, tmp_path):
    away = tmp_path / "away"
    away.mkdir()
    (away / "old.csv").write_text("an older export, readable by all")
    os.chmod(away / "old.csv", 0o644)
    old = os.umask(0o022)
    try:
        runs = {
            "merged.csv": wbcr("chronology", "merge", REF, "--out", str(away / "old.csv"), cwd=example),
            "merged.json": wbcr("chronology", "merge", REF, "--out", str(away / "merged.json"), cwd=example),
            "merged.docx": wbcr("chronology", "merge", REF, "--out", str(away / "merged.docx"), "--no-protect",
                                cwd=example),
            "template.docx": wbcr("chronology", "template", REF, "--agency", "tvp", "--out",
                                  str(away / "template.docx"), "--no-protect", cwd=example),
            "letter.docx": wbcr("render", REF, "information-request", "--agency", "tvp", "--no-protect", "--out",
                                str(away / "letter.docx"), cwd=example),
            "deadlines.ics": wbcr("deadlines", "--ics", str(away / "deadlines.ics"), cwd=example),
            "default": wbcr("chronology", "merge", REF, "--format", "docx", "--no-protect", cwd=example),
        }
    finally:
        os.umask(old)
    for name, result in runs.items():
        assert result.code == 0, f"{name}: {result.err}"
    written = [away / "old.csv", *(p for p in away.iterdir() if p.name != "old.csv"),
               Path(runs["default"].out.strip())]
    assert len(written) == 7
    for path in written:
        assert _mode(path) == 0o600, f"{path.name}: {oct(_mode(path))}"
    assert git(example, "status", "--porcelain") == ""  # output/ is ignored


def test_an_export_where_git_would_commit_it_is_refused_and_nothing_is_written(wbcr, example):
    ignore = example / ".gitignore"
    ignore.write_text(ignore.read_text().replace("*.json\n", ""))
    git(example, "commit", "-qam", "a register whose .gitignore misses JSON")
    tracked = (example / "wbcr.yaml").read_bytes()
    runs = [
        (example / "merged.json", wbcr("chronology", "merge", REF, "--out", str(example / "merged.json"), cwd=example)),
        (example / "notes" / "merged.json",
         wbcr("chronology", "merge", REF, "--format", "json", "--out", "notes/merged.json", cwd=example)),
        (example / "deadlines.ical", wbcr("deadlines", "--ics", str(example / "deadlines.ical"), cwd=example)),
        (None, wbcr("deadlines", "--ics", "wbcr.yaml", cwd=example)),  # a tracked file: never overwritten
    ]
    for path, result in runs:
        assert result.code == 2, result.out + result.err
        assert "where git would commit it" in result.err and "nothing was written" in result.err, result.err
        assert "hint: write it under output/ or outside the repository" in result.err
        assert ("a file git tracks" in result.err) == (path is None)
        assert "Traceback" not in result.err
        assert path is None or not path.exists()
    assert (example / "wbcr.yaml").read_bytes() == tracked
    assert git(example, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_new_registers_gitignore_covers_every_kind_of_export(wbcr, tmp_path):
    from wbcr.operations.setup import GITIGNORE

    root = tmp_path / "register"
    assert wbcr("init", str(root), "--procedure", "wt2015", cwd=tmp_path).code == 0
    assert (root / ".gitignore").read_text() == GITIGNORE
    for name in ("merged.json", "merged.csv", "merged.docx", "deadlines.ics", "returned.xlsx", "output/x.pdf",
                 "cases/WBCR-2026-001/merged.json"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("personal data")
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    examples = Path(__file__).resolve().parents[1] / "examples"
    for register in ("west-of-berkshire", "berkshire-west-partnership"):
        lines = (examples / register / ".gitignore").read_text().splitlines()
        assert {"output/", "*.docx", "*.xlsx", "*.csv", "*.json", "*.pdf", "*.ics"} <= set(lines), register


def test_outside_any_repository_an_export_is_written(wbcr, example, tmp_path):
    out = tmp_path / "elsewhere" / "deeper" / "merged.json"
    result = wbcr("chronology", "merge", REF, "--out", str(out), cwd=example)
    assert result.code == 0, result.err
    assert out.read_text().startswith("{")


# --- --password - ----------------------------------------------------------------------------------


def test_the_chronology_commands_read_password_dash_from_standard_input(wbcr, example, tmp_path):
    secret = "case-password-123"
    merged, template = tmp_path / "merged.docx", tmp_path / "template.docx"
    result = wbcr("chronology", "merge", REF, "--out", str(merged), "--password", "-", input=secret + "\n",
                  cwd=example)
    assert result.code == 0, result.err
    unprotect_bytes(merged.read_bytes(), secret)  # the password read, not "-"
    result = wbcr("chronology", "template", REF, "--agency", "tvp", "--out", str(template), "--password", "-",
                  input=secret + "\n", cwd=example)
    assert result.code == 0, result.err
    unprotect_bytes(template.read_bytes(), secret)
    empty = wbcr("chronology", "merge", REF, "--out", str(merged), "--password", "-", input="\n", cwd=example)
    assert empty.code == 2 and "the password given is empty" in empty.err



def test_an_unprotected_copy_and_the_board_report_are_exports_too(wbcr, example, tmp_path):
    """`unprotect` and `report board --out` write documents without a password: owner-only, and refused
    where git would commit them, as every export is."""
    ignore = example / ".gitignore"
    ignore.write_text(ignore.read_text().replace("*.docx\n", "").replace("*.xlsx\n", ""))
    git(example, "commit", "-qam", "a register whose .gitignore misses Word and Excel files")
    from wbcr.security.protection import protect_bytes

    plain = tmp_path / "letter.docx"
    letter = wbcr("render", REF, "information-request", "--agency", "tvp", "--no-protect", "--out", str(plain),
                  cwd=example)
    assert letter.code == 0, letter.err
    protected = tmp_path / "protected.docx"
    protected.write_bytes(protect_bytes(plain.read_bytes(), "Fictional-pass-42"))
    refused = [wbcr("unprotect", str(protected), "--password", "Fictional-pass-42", "--out", str(example / "plain.docx"),
                    cwd=example),
               wbcr("report", "board", "--year", "2016/17", "--format", "xlsx", "--out", str(example / "board.xlsx"),
                    cwd=example)]
    for result in refused:
        assert result.code == 2, result.out + result.err
        assert "where git would commit it" in result.err and "nothing was written" in result.err, result.err
    assert not (example / "plain.docx").exists() and not (example / "board.xlsx").exists()
    away = tmp_path / "plain-again.docx"
    done = wbcr("unprotect", str(protected), "--password", "Fictional-pass-42", "--out", str(away), cwd=example)
    assert done.code == 0, done.err
    if sys.platform != "win32":
        assert _mode(away) == 0o600
    assert git(example, "status", "--porcelain", "--untracked-files=all") == ""
