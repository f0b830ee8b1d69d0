"""Shared fixtures: an isolated environment (no $HOME, fixed git identity, fixed today), the `wbcr`
command run as a real process, and copies of the example register in real git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "west-of-berkshire"
TODAY = "2026-11-26"
WBCR = [sys.executable, "-m", "wbcr"]


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def env(tmp_path_factory, monkeypatch) -> dict:
    home = tmp_path_factory.mktemp("home")
    values = {
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "WBCR_CACHE_DIR": str(home / "wbcr-cache"),
        "WBCR_TODAY": TODAY,
        "GIT_AUTHOR_NAME": "Test Coordinator",
        "GIT_AUTHOR_EMAIL": "coordinator@example.org",
        "GIT_COMMITTER_NAME": "Test Coordinator",
        "GIT_COMMITTER_EMAIL": "coordinator@example.org",
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "COLUMNS": "200",
        "NO_COLOR": "1",
        "TERM": "dumb",
    }
    for key in ("WBCR_REGISTER", "WBCR_ACTOR", "WBCR_BOARD_KEY"):
        monkeypatch.delenv(key, raising=False)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return {**os.environ}


@pytest.fixture
def wbcr(env):
    """Run `wbcr` as a process: wbcr("validate", cwd=path) -> Result."""

    def run(*args: str, cwd: Path | None = None, input: str | None = None, extra_env: dict | None = None) -> Result:
        proc = subprocess.run([*WBCR, *args], cwd=cwd or ROOT, env={**env, **(extra_env or {})},
                              capture_output=True, text=True, input=input, timeout=120)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


def git(cwd: Path, *args: str, env: dict | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def copy_example(dest: Path, env: dict, *, demo_key: bool = False) -> Path:
    """The example register copied to `dest` as a git repository with one commit. Without `demo_key`
    the DEMO key's fingerprint is taken out of wbcr.yaml, so tests start from a register with no key."""
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("output"))
    if not demo_key:
        config = dest / "wbcr.yaml"
        config.write_text("".join(line for line in config.read_text().splitlines(keepends=True)
                                  if "key_fingerprint:" not in line))
    git(dest, "init", "-q", env=env)
    git(dest, "add", "-A", env=env)
    git(dest, "commit", "-q", "-m", "example register", env=env)
    return dest


@pytest.fixture
def example(tmp_path, env) -> Path:
    """A copy of the example register (without its DEMO key), as a git repository with one commit."""
    return copy_example(tmp_path / "register", env)
