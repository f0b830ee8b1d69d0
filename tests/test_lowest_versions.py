"""wbcr works with the lowest version of every dependency that pyproject.toml allows.

A fresh virtualenv gets this project installed with every [project] dependency pinned to its lower
bound (a constraints file made from pyproject.toml itself, so it never drifts), and the installed
`wbcr` runs a smoke test on a copy of the example register: help, validate, status, show, and a
document rendered (python-docx, lxml, jinja2 and markupsafe) and protected (msoffcrypto-tool,
cryptography), and the status workbook (openpyxl). A bound that is too low fails here, not at a board.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import venv

import pytest

from conftest import ROOT, copy_example

TODAY = "2026-11-29"
#: what pip prints when it cannot reach a package index at all (no network): the test is skipped
NO_NETWORK = ("NewConnectionError", "Temporary failure in name resolution", "Network is unreachable",
              "Max retries exceeded", "ConnectTimeoutError", "ProxyError", "Name or service not known")


def lower_bounds() -> dict[str, str]:
    """{name: lower bound} of every dependency in pyproject.toml's [project] dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = {}
    for requirement in project["dependencies"]:
        match = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*>=\s*([^,;\s]+)\s*(?:,.*)?", requirement)
        assert match, f"{requirement!r}: every dependency needs a lower bound (name>=version)"
        bounds[match.group(1)] = match.group(2)
    return bounds


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _release(version: str) -> str:
    """A version without its trailing zeros: 42 and 42.0.0 are the same release."""
    return re.sub(r"(\.0)+$", "", version.strip())


def test_every_dependency_has_a_lower_bound():
    bounds = lower_bounds()
    assert {"typer", "lxml", "markupsafe"} <= set(bounds)
    major, minor, patch = (int(p) for p in bounds["typer"].split("."))
    assert (major, minor, patch) >= (0, 15, 4), "every command fails with typer below 0.15.4 and a current click"


@pytest.mark.slow
def test_lowest_versions_install_and_run(tmp_path, env):
    constraints = tmp_path / "lowest.txt"
    constraints.write_text("".join(f"{name}=={bound}\n" for name, bound in lower_bounds().items()))
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    py, wbcr = target / "bin" / "python", target / "bin" / "wbcr"
    install = subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                              "-c", str(constraints), str(ROOT)],
                             capture_output=True, text=True, env=env, timeout=1200)
    if install.returncode != 0 and any(marker in install.stderr for marker in NO_NETWORK):
        pytest.skip(f"no package index reachable from here: {install.stderr.strip().splitlines()[-1]}")
    assert install.returncode == 0, f"the lower bounds do not install:\n{install.stdout}\n{install.stderr}"
    frozen = subprocess.run([str(py), "-m", "pip", "freeze"], capture_output=True, text=True, env=env).stdout
    installed = {_canonical(line.split("==")[0]): _release(line.split("==")[1])
                 for line in frozen.splitlines() if "==" in line}
    for name, bound in lower_bounds().items():
        assert installed.get(_canonical(name)) == _release(bound), f"{name}=={bound} not installed:\n{frozen}"

    register = copy_example(tmp_path / "register", env)

    def run(*args: str) -> str:
        result = subprocess.run([str(wbcr), "--today", TODAY, *args], cwd=register, capture_output=True,
                                text=True, env=env, timeout=300)
        assert result.returncode == 0, f"wbcr {' '.join(args)} (lowest versions):\n{result.stdout}\n{result.stderr}"
        return result.stdout

    assert "validate" in run("--help")
    run("validate", "--no-cache")
    cases = json.loads(run("status", "--format", "json"))["cases"]
    reference = cases[0]["reference"]
    assert reference in run("show", reference)
    assert run("render", "referral-form").strip().endswith(".docx")
    letter = run("render", reference, "outcome-letter", "--agency", "tvp", "--password", "Lowest-versions-1")
    assert letter.strip().endswith(".docx")
    run("status", "--out", str(tmp_path / "status.xlsx"))
    assert (tmp_path / "status.xlsx").stat().st_size > 0
