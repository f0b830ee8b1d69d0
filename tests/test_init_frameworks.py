"""`wbcr init` for today's framework (issue 11, point 6): Working Together 2023 by default, asked on a
terminal, and the starting wbcr.yaml that follows the framework chosen (the partnership starter for
wt2023, the 2015 tool kit's LSCBs, CRG and Independent Chair for wt2015)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, WBCR, git

STARTERS = ROOT / "case_templates" / "register"
ABOLISHED = ("Local Safeguarding Children Board", "National Panel of Independent Experts", "Serious Case Review")
# the 2015 bodies' other names: kept as wbcr.yaml's keys (lscbs, lscb, crg), never in a value a letter prints
ABOLISHED_IN_VALUES = (*ABOLISHED, "LSCB", "Independent Chair", "Case Review Group")


def _config(register: Path) -> dict:
    return yaml.safe_load((register / "wbcr.yaml").read_text(encoding="utf-8"))


def _without_key_settings(text: str) -> str:
    """wbcr.yaml as the starter wrote it: init adds the board key's fingerprint and seal_records."""
    return "".join(line for line in text.splitlines(keepends=True)
                   if not line.lstrip().startswith(("key_fingerprint:", "seal_records:")))


def _strings(value, *, keys: bool = True) -> list[str]:
    """Every string value (and key) of a loaded YAML document: what is left once comments are gone."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in ([str(k)] if keys else []) + _strings(v, keys=keys)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item, keys=keys)]
    return [value] if isinstance(value, str) else []


def test_init_off_a_terminal_follows_working_together_2023_without_asking(wbcr, tmp_path):
    reg = tmp_path / "new"
    result = wbcr("init", str(reg))
    assert result.code == 0, result.err
    assert "Which framework" not in result.err
    assert "procedure wt2023: Working Together 2023" in result.err
    assert "safeguarding partners, local authority areas, rapid review group" in result.err
    config = _config(reg)
    assert config["procedure"] == "wt2023"
    assert config["board"]["name"] == "Berkshire West Safeguarding Children Partnership"
    assert {p["kind"] for p in config["safeguarding_partners"]} == {"local_authority", "integrated_care_board",
                                                                    "police"}
    assert config["crg"]["name"] == "Rapid Review Group" and "independent_chair" not in config
    assert config["external_bodies"]["national_panel"]["name"] == "Child Safeguarding Practice Review Panel"
    starter = (STARTERS / "wbcr-wt2023.yaml").read_text(encoding="utf-8")
    assert _without_key_settings((reg / "wbcr.yaml").read_text(encoding="utf-8")) == starter
    assert git(reg, "log", "--format=%s").splitlines() == ["Register created"]


def test_init_procedure_wt2015_writes_the_2015_starter(wbcr, tmp_path):
    reg = tmp_path / "new"
    result = wbcr("init", str(reg), "--procedure", "wt2015")
    assert result.code == 0, result.err
    assert "procedure wt2015: the 2015 tool kit" in result.err
    assert "your board, LSCBs, CRG members and agencies" in result.err
    config = _config(reg)
    assert config["procedure"] == "wt2015"
    assert config["board"]["name"] == "West of Berkshire Local Safeguarding Children Boards"
    assert config["independent_chair"]["name"] == "Independent Chair" and "safeguarding_partners" not in config
    starter = (STARTERS / "wbcr.yaml").read_text(encoding="utf-8")
    assert _without_key_settings((reg / "wbcr.yaml").read_text(encoding="utf-8")) == starter


def test_init_refuses_an_unknown_procedure(wbcr, tmp_path):
    result = wbcr("init", str(tmp_path / "new"), "--procedure", "wt1999")
    assert result.code == 2
    assert 'unknown procedure "wt1999"' in result.err and "wt2015, wt2023" in result.err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("procedure", ["wt2023", "wt2015"])
def test_each_starter_validates_clean_right_after_init(wbcr, tmp_path, procedure):
    reg = tmp_path / "new"
    assert wbcr("init", str(reg), "--procedure", procedure).code == 0
    result = wbcr("validate", "--strict", "--format", "json", cwd=reg)
    assert result.code == 0, result.out + result.err
    data = json.loads(result.out)
    assert (data["errors"], data["warnings"], data["findings"]) == (0, 0, [])


def test_the_2023_starter_has_none_of_the_abolished_words_outside_comments():
    text = (STARTERS / "wbcr-wt2023.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    found = [(word, s) for s in _strings(data) for word in ABOLISHED if word.lower() in s.lower()]
    assert found == []
    printed = [(word, s) for s in _strings(data, keys=False) for word in ABOLISHED_IN_VALUES
               if word.lower() in s.lower()]
    assert printed == []
    # and no line that is not a comment says them either (a value yaml folded, a key)
    lines = [line.split(" #")[0] for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert [line for line in lines for word in ABOLISHED if word.lower() in line.lower()] == []


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("answers", "procedure", "board"), [
    ("\n", "wt2023", "Berkshire West Safeguarding Children Partnership"),
    ("wt1999\nwt2015\n", "wt2015", "West of Berkshire Local Safeguarding Children Boards"),
], ids=["enter-takes-wt2023", "asked-again-then-wt2015"])
def test_init_on_a_terminal_asks_which_framework(env, tmp_path, answers, procedure, board):
    """A real process whose standard input is a terminal (a pseudo-terminal), as a user at a shell."""
    import pty

    reg = tmp_path / "new"
    terminal, process_side = pty.openpty()
    try:
        proc = subprocess.Popen([*WBCR, "init", str(reg)], stdin=process_side, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, cwd=tmp_path, text=True)
        os.close(process_side)
        os.write(terminal, answers.encode())
        out, err = proc.communicate(timeout=120)
    finally:
        os.close(terminal)
    assert proc.returncode == 0, err
    assert "Which framework does the register follow?" in err
    assert "wt2023: Working Together 2023: safeguarding partners, serious incident notifications" in err
    assert "wt2015: the 2015 tool kit: LSCBs, Case Review Group, Independent Chair" in err
    assert "Framework (wt2023, wt2015) [wt2023]:" in err
    assert ("please type one of: wt2023, wt2015" in err) == ("wt1999" in answers)
    assert f"Created register in {reg}" in out
    config = _config(reg)
    assert (config["procedure"], config["board"]["name"]) == (procedure, board)
