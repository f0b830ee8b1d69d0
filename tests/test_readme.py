"""The README's promises: its two opening commands, and the example commands it shows, work."""

from __future__ import annotations

import re
import shlex

from conftest import ROOT

README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```sh\n(.*?)```", README, re.S)


def test_readme_opens_with_run_and_test_commands():
    run, test = BLOCKS[0].strip(), BLOCKS[1].strip()
    assert README.index(run) < README.index(test) < README.index("## ")
    assert run.startswith("python3 -m venv .venv && .venv/bin/pip install -e . && ")
    assert "examples/west-of-berkshire" in run and "status" in run and "validate" in run
    assert test == "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert BLOCKS[1].strip() in ci
    assert "-eq 5" in ci  # pytest's "no tests collected" is a failure


def test_readme_example_commands_run_on_the_example_register(wbcr, tmp_path):
    import shutil

    copy = tmp_path / "examples" / "west-of-berkshire"
    shutil.copytree(ROOT / "examples" / "west-of-berkshire", copy)
    key = (ROOT / "examples" / "DEMO-board-key.txt").read_text().strip()
    commands = [line.split("#")[0].strip() for block in BLOCKS for line in block.splitlines()
                if line.startswith(".venv/bin/wbcr ")]
    commands += [c.strip() for c in BLOCKS[0].split("&&") if c.strip().startswith(".venv/bin/wbcr")]
    assert len(commands) >= 6
    for command in commands:
        args = [str(copy) if a == "examples/west-of-berkshire" else a for a in shlex.split(command)[1:]]
        result = wbcr(*args, cwd=tmp_path, extra_env={"WBCR_BOARD_KEY": key})
        assert result.code == 0, f"{command}\n{result.out}\n{result.err}"
