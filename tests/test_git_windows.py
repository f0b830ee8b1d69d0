"""Git, always or not at all (issue 15): where a managed Windows laptop differs from a developer's machine.

A register that is a git repository gets every edit committed, or the edit is refused before anything is
written (exit 3) with the reason and the fix: git missing (install it or set WBCR_GIT), git refusing a
repository it thinks another user owns ("dubious ownership": the exact `safe.directory` command). git's
output is read as UTF-8 whatever the code page, and wbcr's output never fails on a character the console
cannot show.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import WBCR, git

REF = "WBCR-2017-009"
SCREEN = ("screen", REF, "--outcome", "sufficient", "--rationale", "Enough to ask the agencies", "--on", "2017-11-20")


def _state(root: Path) -> tuple[str, str, str]:
    """HEAD, `git status` and a digest of every file of the work tree: what "nothing was changed" means."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if ".git" not in path.relative_to(root).parts and path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return (git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain", "--untracked-files=all"),
            digest.hexdigest())


def test_an_edit_with_git_missing_is_refused_before_anything_is_written(wbcr, example, tmp_path, monkeypatch):
    before = _state(example)
    # git not on PATH: a PATH holding only an empty folder
    empty = tmp_path / "no-git"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = wbcr(*SCREEN, cwd=example)
    monkeypatch.undo()
    assert result.code == 3, result.out + result.err
    assert "git was not found" in result.err and "nothing was changed" in result.err
    assert "install git" in result.err and "WBCR_GIT" in result.err
    assert "recorded" not in result.out and "Traceback" not in result.err
    assert _state(example) == before

    result = wbcr(*SCREEN, cwd=example, extra_env={"WBCR_GIT": str(tmp_path / "nowhere" / "git.exe")})
    assert result.code == 3, result.err
    assert "WBCR_GIT is set to" in result.err and "nothing was changed" in result.err
    assert _state(example) == before


def test_wbcr_git_names_the_git_to_run(wbcr, example, tmp_path):
    """A laptop where git is not on PATH: WBCR_GIT gives its full path, and every edit is committed."""
    real = subprocess.run(["git", "--exec-path"], capture_output=True, text=True, check=True)
    assert real.returncode == 0
    found = __import__("shutil").which("git")
    result = wbcr(*SCREEN, cwd=example, extra_env={"WBCR_GIT": found})
    assert result.code == 0, result.err
    assert "screening recorded" in git(example, "log", "-1", "--format=%s")


def test_git_refusing_the_repository_is_reported_with_the_command_that_fixes_it(wbcr, example, tmp_path):
    """git refuses a repository owned by another user (a network drive, a USB stick). That needs another
    owner, which a test cannot make without root; the refusal is reproduced by a git that answers as
    git does (its exact message), set through WBCR_GIT."""
    fake = tmp_path / "git"
    fake.write_text("#!/bin/sh\n"
                    "echo \"fatal: detected dubious ownership in repository at '$PWD'\" >&2\n"
                    "echo 'To add an exception for this directory, call:' >&2\n"
                    "echo '' >&2\n"
                    "echo \"	git config --global --add safe.directory $PWD\" >&2\n"
                    "exit 128\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    if sys.platform == "win32":
        pytest.skip("a shell script stands in for git")
    before = _state(example)
    result = wbcr(*SCREEN, cwd=example, extra_env={"WBCR_GIT": str(fake)})
    assert result.code == 3, result.err
    assert "git refuses to work in" in result.err and "belongs to another user" in result.err
    assert f'git config --global --add safe.directory "{example.resolve().as_posix()}"' in result.err \
        or f'git config --global --add safe.directory "{example.as_posix()}"' in result.err, result.err
    assert "nothing was changed" in result.err
    assert _state(example) == before


def test_init_without_git_is_refused_unless_no_git_is_asked_for(wbcr, tmp_path, monkeypatch):
    empty = tmp_path / "no-git"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = wbcr("init", str(tmp_path / "reg"), cwd=tmp_path)
    assert result.code == 3, result.err
    assert "git was not found" in result.err and "wbcr init --no-git" in result.err
    assert not (tmp_path / "reg").exists()
    result = wbcr("init", str(tmp_path / "plain"), "--no-git", cwd=tmp_path)
    assert result.code == 0, result.err
    assert (tmp_path / "plain" / "wbcr.yaml").is_file() and not (tmp_path / "plain" / ".git").exists()


ZOE = {"GIT_AUTHOR_NAME": "Zoë Łukasz", "GIT_COMMITTER_NAME": "Zoë Łukasz"}


def test_a_non_ascii_git_identity_reaches_the_records_and_history_exactly(wbcr, example):
    result = wbcr(*SCREEN, cwd=example, extra_env=ZOE)
    assert result.code == 0, result.err
    assert git(example, "log", "-1", "--format=%an").strip() == "Zoë Łukasz"
    assert "Wbcr-Actor: Zoë Łukasz" in git(example, "log", "-1", "--format=%b")
    history = json.loads(wbcr("history", REF, "--format", "json", cwd=example).out)
    assert any(c["actor"] == "Zoë Łukasz" for c in history["commits"]), history["commits"][-1]


@pytest.mark.parametrize("args", [("show", REF), ("status",), ("history", REF), ("show", REF, "--format", "json"),
                                  ("history", REF, "--format", "json"), ("status", "--format", "json"),
                                  ("chronology", "merge", "WBCR-2017-002")])
def test_a_cp1252_console_never_makes_a_command_crash(wbcr_process, example, args):
    """A Windows console or pipe in cp1252: a name like "Łukasz" and wbcr's own "→" cannot be encoded.
    Text is written with a replacement character; JSON escapes them, so its data stays exact."""
    assert wbcr_process(*SCREEN, cwd=example, extra_env=ZOE).code == 0
    result = subprocess.run([*WBCR, *args], cwd=example, capture_output=True,
                            env={**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0",
                                 "WBCR_TODAY": "2017-11-23"}, timeout=120)
    err = result.stderr.decode("cp1252", errors="replace")
    assert result.returncode == 0, err
    assert b"internal error" not in result.stderr and b"Traceback" not in result.stderr
    out = result.stdout.decode("cp1252")  # whatever it wrote is cp1252
    if "json" in args:
        data = json.loads(out)
        if args[0] == "history":
            assert any(c["actor"] == "Zoë Łukasz" for c in data["commits"])
