"""The walkthroughs (issue 10, point 5): each script in examples/walkthroughs/ takes a fresh register
from `wbcr init` to `closed` with wbcr commands only. After each: every commit carries its Wbcr-Action
trailer, `validate --strict` is clean, and a clean clone validates identically.

They start a real process per command (as a user's shell does), so they are the slowest tests in the
suite; run one with `pytest tests/test_walkthroughs.py -k scr`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import git

WALKTHROUGHS = Path(__file__).resolve().parents[1] / "examples" / "walkthroughs"
SCRIPTS = sorted(p for p in WALKTHROUGHS.glob("*.sh") if p.name != "lib.sh")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="the walkthroughs are bash scripts; no bash here")


def _shim(folder: Path) -> Path:
    """A `wbcr` on PATH that is this Python's wbcr (the scripts call `wbcr` as a user would)."""
    folder.mkdir()
    shim = folder / "wbcr"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m wbcr "$@"\n')
    shim.chmod(0o755)
    return folder


def test_there_is_a_walkthrough_for_every_path():
    names = {p.stem for p in SCRIPTS}
    assert names >= {"wt2015-scr", "wt2015-silp", "wt2015-multi-agency-review", "wt2015-single-agency-review",
                     "wt2015-multi-agency-audit", "wt2015-no-review", "wt2015-out-of-area", "wt2015-good-practice",
                     "wt2023-rapid-review-lcspr", "wt2023-rapid-review-no-lcspr"}, names


@pytest.fixture(scope="session")
def walkthrough_runs(tmp_path_factory, request):
    """Every selected walkthrough run once, as many at a time as there are cores (each is a chain of
    single-core processes): `{script name: (completed process, register, environment, work folder)}`."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    selected = [p for p in SCRIPTS if any(getattr(item, "callspec", None) is not None
                                          and item.callspec.params.get("script") == p for item in request.session.items)]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WBCR_", "GIT_"))}
    base.update({"GIT_AUTHOR_NAME": "Business Manager", "GIT_AUTHOR_EMAIL": "bm@example.org",
                 "GIT_COMMITTER_NAME": "Business Manager", "GIT_COMMITTER_EMAIL": "bm@example.org",
                 "GIT_CONFIG_NOSYSTEM": "1", "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})

    def run(script: Path):
        work = tmp_path_factory.mktemp(script.stem)
        env = {**base, "HOME": str(work / "home"), "XDG_CACHE_HOME": str(work / "home" / ".cache"),
               "XDG_CONFIG_HOME": str(work / "home" / ".config"), "WBCR_CACHE_DIR": str(work / "cache"),
               "GIT_CONFIG_GLOBAL": str(work / "home" / ".gitconfig"), "TMPDIR": str(work)}
        (work / "home").mkdir()
        env["PATH"] = f"{_shim(work / 'bin')}:{base.get('PATH', '')}"
        register = work / "register"
        proc = subprocess.run(["bash", str(script), str(register)], env=env, capture_output=True, text=True,
                              timeout=2400)
        return script.name, (proc, register, env, work)

    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        return dict(pool.map(run, selected or SCRIPTS))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_a_walkthrough_takes_a_fresh_register_to_closed(script, walkthrough_runs):
    proc, register, run_env, work = walkthrough_runs[script.name]
    assert proc.returncode == 0, f"{script.name} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    assert "Traceback" not in proc.stdout + proc.stderr
    final = re.findall(r"^# (\d{4}-\d{2}-\d{2})$", proc.stdout, re.M)[-1]

    # every commit of the register's history carries the trailer
    log = git(register, "log", "--format=%H %(trailers:key=Wbcr-Action,valueonly,separator=%x2C)")
    assert log.strip() and all(len(line.split()) == 2 for line in log.splitlines()), log

    # every case closed; validate --strict clean; a clean clone identical
    def validate(where: Path) -> dict:
        result = subprocess.run([sys.executable, "-m", "wbcr", "--today", final, "validate", "--strict",
                                 "--format", "json"], cwd=where, env=run_env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        return json.loads(result.stdout)

    here = validate(register)
    assert here["errors"] == 0 and here["warnings"] == 0, here
    clone = work / "clone"
    git(work, "clone", "-q", str(register), str(clone), env=run_env)
    assert validate(clone) == here
    status = subprocess.run([sys.executable, "-m", "wbcr", "--today", final, "status", "--format", "json"],
                            cwd=register, env=run_env, capture_output=True, text=True)
    rows = json.loads(status.stdout)["cases"]
    assert rows and all(row["stage"] == "closed" for row in rows), rows
    assert git(register, "status", "--porcelain", "--untracked-files=no", env=run_env) == ""
