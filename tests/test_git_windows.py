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
    """HEAD, the index and a digest of every file of the work tree: what "nothing was changed" means.
    Read without running the clone's filter (`git status` may run it on a file it cannot trust by its
    timestamp, and some tests break the filter on purpose)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if ".git" not in path.relative_to(root).parts and path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return (git(root, "rev-parse", "HEAD"), git(root, "ls-files", "--stage"), digest.hexdigest())


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


# --- a register kept without git -------------------------------------------------------------------


def test_a_register_that_is_no_repository_is_written_and_says_it_has_no_history(wbcr, example, tmp_path, monkeypatch):
    """`wbcr init --no-git` makes a register without history on purpose: its edits are written, never
    refused for want of git (git need not even be installed), and each says it was not committed."""
    __import__("shutil").rmtree(example / ".git")
    empty = tmp_path / "no-git"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = wbcr(*SCREEN, cwd=example)
    monkeypatch.undo()
    assert result.code == 0, result.err
    assert "screening recorded" in result.out
    assert "not committed: the register is not a git repository" in result.err and "git init" in result.err
    assert "sufficient" in (example / "cases" / REF / "decisions.yaml").read_text()


# --- the git filter: run as found on PATH, and failing in words that name the fix ------------------

VENV_BIN = str(Path(sys.executable).parent)


@pytest.fixture
def keys(env, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "keys"
    env["WBCR_KEY_DIR"] = str(folder)
    monkeypatch.setenv("WBCR_KEY_DIR", str(folder))
    return folder


def _filter(root: Path) -> dict[str, str]:
    out = git(root, "config", "--get-regexp", r"^filter\.wbcr\.")
    return dict(line.split(" ", 1) for line in out.splitlines())


def test_the_filter_runs_wbcr_as_found_on_path(wbcr, keys, example, monkeypatch):
    if not (Path(VENV_BIN) / ("wbcr.exe" if os.name == "nt" else "wbcr")).exists():
        pytest.skip("wbcr is not installed as a script beside this Python")
    monkeypatch.setenv("PATH", VENV_BIN + os.pathsep + os.environ["PATH"])
    result = wbcr("key", "init", cwd=example)
    assert result.code == 0, result.err
    assert _filter(example) == {"filter.wbcr.clean": "wbcr filter clean %f", "filter.wbcr.smudge": "wbcr filter smudge %f",
                                "filter.wbcr.process": "wbcr filter process", "filter.wbcr.required": "true"}
    assert "not on PATH" not in result.err
    # git runs it: an edit of an unsealed case is committed with its names sealed
    assert wbcr(*SCREEN, cwd=example).code == 0
    from wbcr.model.schemas import SEALED_PREFIX

    stored = git(example, "show", f"HEAD:cases/{REF}/decisions.yaml")
    assert SEALED_PREFIX in stored and "Enough to ask the agencies" not in stored
    assert "Enough to ask the agencies" in (example / "cases" / REF / "decisions.yaml").read_text()


def test_without_wbcr_on_path_the_filter_is_this_python_and_the_user_is_told(wbcr, keys, example, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                                               if not (Path(p) / "wbcr").exists()))
    result = wbcr("key", "init", cwd=example)
    assert result.code == 0, result.err
    assert _filter(example)["filter.wbcr.process"].endswith(" -m wbcr filter process")
    assert "`wbcr` is not on PATH" in result.err and "wbcr key filters" in result.err
    # a documented setting instead: WBCR_FILTER_COMMAND, written as given
    result = wbcr("key", "filters", cwd=example, extra_env={"WBCR_FILTER_COMMAND": f"{Path(sys.executable).as_posix()} -m wbcr"})
    assert result.code == 0, result.err
    assert _filter(example)["filter.wbcr.clean"] == f"{Path(sys.executable).as_posix()} -m wbcr filter clean %f"
    assert "not on PATH" not in result.err


def test_a_stale_filter_is_refused_before_anything_is_written_and_key_filters_puts_it_right(wbcr, keys, example,
                                                                                          monkeypatch):
    """The issue's "remote end hung up unexpectedly": the filter names a Python that is gone."""
    assert wbcr("key", "init", cwd=example).code == 0
    git(example, "config", "filter.wbcr.process", "/gone/python3.11 -m wbcr filter process")
    git(example, "config", "filter.wbcr.clean", "/gone/python3.11 -m wbcr filter clean %f")
    before = _state(example)
    result = wbcr(*SCREEN, cwd=example)
    assert result.code == 3, result.err
    assert "the wbcr git filter of this clone runs `/gone/python3.11 -m wbcr filter process`" in result.err
    assert "not there any more" in result.err and "wbcr key filters" in result.err
    assert "nothing was changed" in result.err and "hung up" not in result.err
    assert _state(example) == before
    # `wbcr key filters` is not stopped by the filter it repairs
    monkeypatch.setenv("PATH", VENV_BIN + os.pathsep + os.environ["PATH"])
    assert wbcr("key", "filters", cwd=example).code == 0
    assert "/gone/" not in git(example, "config", "--get-regexp", "filter")
    result = wbcr(*SCREEN, cwd=example)
    assert result.code == 0, result.err


def test_a_filter_that_starts_but_is_not_wbcr_is_reported_with_the_fix(wbcr, keys, example):
    """A Python that is there without wbcr (a reinstall into a new environment): git only says that "the
    remote end hung up"; wbcr says the filter could not run, what it said, and the fix."""
    assert wbcr("key", "init", cwd=example).code == 0
    python = Path(sys.executable).as_posix()
    git(example, "config", "filter.wbcr.process", f"{python} -m wbcr_is_not_here filter process")
    before = _state(example)
    result = wbcr(*SCREEN, cwd=example)
    assert result.code == 3, result.err
    assert "the wbcr git filter of this clone could not run" in result.err
    assert "No module named wbcr_is_not_here" in result.err and "wbcr key filters" in result.err
    assert "nothing was changed" in result.err
    assert _state(example) == before


def test_a_missing_key_in_the_filter_is_named_with_its_fix(wbcr, keys, example, tmp_path):
    """Before: "clean filter 'wbcr' failed" and nothing about the key. The case is not sealed yet, so
    wbcr itself needs no key; the filter does, to seal it on its way into git."""
    assert wbcr("key", "init", cwd=example).code == 0
    before = _state(example)
    result = wbcr(*SCREEN, cwd=example, extra_env={"WBCR_KEY_DIR": str(tmp_path / "elsewhere")})
    assert result.code == 3, result.err
    assert "the wbcr git filter stopped git" in result.err
    assert "board key" in result.err and "is not on this computer" in result.err
    assert "wbcr key import" in result.err and "nothing was changed" in result.err
    # the files and HEAD as they were, nothing staged (`git status` itself would run the filter over the
    # case records committed in plain text before the key, and list them all, before and after alike)
    assert _state(example)[::2] == before[::2]
    assert git(example, "diff", "--cached", "--name-only") == ""


# --- wbcr doctor ------------------------------------------------------------------------------------


def _doctor(wbcr, root: Path, **kwargs) -> tuple[int, dict]:
    result = wbcr("doctor", "--format", "json", cwd=root, **kwargs)
    data = json.loads(result.out)
    assert data["ok"] is (result.code == 0), result.out
    return result.code, {c["id"]: c for c in data["checks"]}


def test_doctor_on_a_good_setup(wbcr, keys, example, monkeypatch):
    monkeypatch.setenv("PATH", VENV_BIN + os.pathsep + os.environ["PATH"])
    assert wbcr("key", "init", cwd=example).code == 0
    code, checks = _doctor(wbcr, example)
    assert code == 0
    for name in ("git", "git.identity", "register", "git.repository", "filter", "key", "line-endings"):
        assert checks[name]["status"] == "ok", checks[name]
    assert checks["git.identity"]["message"] == "commits are made as Test Coordinator <coordinator@example.org>"
    assert checks["filter"]["message"].startswith("the filter runs `wbcr` (wbcr ")
    if os.name != "nt":
        assert "(0600)" in checks["key"]["message"]
    text = wbcr("doctor", cwd=example)
    assert text.code == 0 and text.out.splitlines()[0].startswith("ok       git: git ")


def test_doctor_names_each_problem_and_what_to_do(wbcr, keys, example, env, tmp_path, monkeypatch):
    assert wbcr("key", "init", cwd=example).code == 0
    git(example, "config", "filter.wbcr.process", "/gone/python3.11 -m wbcr filter process")
    (example / ".gitattributes").write_text("cases/** filter=wbcr\n")
    key_file = next(keys.glob("*.key"))
    if os.name != "nt":
        key_file.chmod(0o644)
    Path(env["GIT_CONFIG_GLOBAL"]).write_text("[user]\n\tuseConfigOnly = true\n")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name)
    code, checks = _doctor(wbcr, example)
    assert code == 1
    assert checks["git"]["status"] == "ok"
    assert checks["git.identity"]["status"] == "problem" and "git config --global user.name" in checks["git.identity"]["fix"]
    assert checks["filter"]["status"] == "problem" and "/gone/python3.11" in checks["filter"]["message"]
    assert "wbcr key filters" in checks["filter"]["fix"]
    if os.name != "nt":
        assert checks["key"]["status"] == "problem" and "chmod 600" in checks["key"]["fix"]
    assert checks["line-endings"]["status"] == "warning" and "*.yaml text eol=lf" in checks["line-endings"]["fix"]
    text = wbcr("doctor", cwd=example)
    assert text.code == 1 and "what to do: run `wbcr key filters`" in text.out


def test_doctor_without_git_or_on_a_refusing_repository(wbcr, example, tmp_path, monkeypatch):
    result = wbcr("doctor", cwd=example, extra_env={"WBCR_GIT": str(tmp_path / "nowhere" / "git")})
    assert result.code == 1 and "problem  git: WBCR_GIT is set to" in result.out
    fake = tmp_path / "git"
    fake.write_text("#!/bin/sh\n"
                    "case \"$1\" in --version) exec git --version;; esac\n"
                    "echo \"fatal: detected dubious ownership in repository at '$PWD'\" >&2\n"
                    "exit 128\n")
    fake.chmod(0o755)
    if sys.platform == "win32":
        pytest.skip("a shell script stands in for git")
    code, checks = _doctor(wbcr, example, extra_env={"WBCR_GIT": str(fake)})
    assert code == 1
    assert checks["git.repository"]["status"] == "problem"
    assert "git config --global --add safe.directory" in checks["git.repository"]["fix"]
    assert wbcr("doctor", cwd=tmp_path).code in (0, 1)  # no register: the computer only
    assert "no register here" in wbcr("doctor", cwd=tmp_path).out
