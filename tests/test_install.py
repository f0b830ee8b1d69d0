"""A wheel installs cleanly in a fresh virtualenv and finds its schemas and templates from anywhere."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_runs_from_another_directory(tmp_path, env):
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                           capture_output=True, text=True, env=env, timeout=600)
    if build.returncode != 0 and "Could not find a version that satisfies the requirement hatchling" in build.stderr:
        pytest.skip("cannot build a wheel: the build backend (hatchling) is not reachable from here")
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("wbcr-*.whl")
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    py = target / "bin" / "python"
    install = subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True,
                             env=env, timeout=900)
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    register = elsewhere / "register"
    shutil.copytree(EXAMPLE, register)
    run = subprocess.run([str(target / "bin" / "wbcr"), "--register", str(register), "validate", "--no-cache"],
                         cwd=elsewhere, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    init = subprocess.run([str(target / "bin" / "wbcr"), "init", "--no-git", str(elsewhere / "new")],
                          cwd=elsewhere, capture_output=True, text=True, env=env)
    assert init.returncode == 0, init.stderr
    where = subprocess.run([str(py), "-c", "import wbcr.core.resources as r; print(r.schemas_dir()); "
                            "print(r.case_templates_dir())"], cwd=elsewhere, capture_output=True, text=True)
    assert str(target) in where.stdout and str(ROOT) not in where.stdout
