"""References typed in any letter case (issue 15, point 5): the command line reads `wbcr-2017-010` as the
case whose folder is `cases/WBCR-2017-010/`, once, so everything after (the case password, the seal key,
commit messages, file names) sees the folder's spelling; the store below still refuses any other
spelling (test_store). Shell completion offers references, agencies and document names."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import git

REF = "WBCR-2017-010"


def test_show_next_and_validate_take_a_reference_in_any_letter_case(wbcr, example):
    for typed in ("wbcr-2017-010", "Wbcr-2017-010", REF):
        shown = wbcr("show", typed, "--format", "json", cwd=example)
        assert shown.code == 0, shown.err
        assert json.loads(shown.out)["reference"] == REF
        nxt = wbcr("next", typed, "--format", "json", cwd=example)
        assert nxt.code == 0 and json.loads(nxt.out)["reference"] == REF, nxt.err
    checked = wbcr("validate", "wbcr-2016-004", "--format", "json", cwd=example)
    assert json.loads(checked.out)["cases"] == 1


def test_an_edit_with_a_lower_case_reference_changes_the_case_as_it_is_spelt(wbcr, example):
    before = sorted(p.name for p in (example / "cases").iterdir())
    result = wbcr("screen", "wbcr-2017-010", "--outcome", "sufficient", "--by", "Angela Hartley",
                  "--on", "2017-11-22", "--rationale", "Enough detail to decide", cwd=example)
    assert result.code == 0, result.err
    assert sorted(p.name for p in (example / "cases").iterdir()) == before  # no second folder
    message = git(example, "log", "-1", "--format=%B")
    assert REF in message and "wbcr-2017-010" not in message
    assert "sufficient" in (example / "cases" / REF / "decisions.yaml").read_text(encoding="utf-8")


def test_the_password_and_documents_of_a_lower_case_reference_are_its_cases(wbcr, example, tmp_path):
    assert wbcr("key", "init", cwd=example).code == 0
    lower, upper = wbcr("password", "wbcr-2017-010", cwd=example), wbcr("password", REF, cwd=example)
    assert lower.code == upper.code == 0 and lower.out == upper.out and lower.out.strip()
    rendered = wbcr("render", "wbcr-2017-010", "referral-form", cwd=example)
    assert rendered.code == 0, rendered.err
    written = Path(rendered.out.strip().splitlines()[-1])
    assert written.is_file() and REF in str(written.relative_to(example)) and "wbcr-2017-010" not in str(written)
    from wbcr.security.protection import unprotect_bytes

    assert unprotect_bytes(written.read_bytes(), upper.out.strip())[:2] == b"PK"  # the case's own password


def test_an_unknown_reference_is_still_no_case(wbcr, example):
    result = wbcr("show", "wbcr-2099-001", cwd=example)
    assert result.code != 0 and 'no case "wbcr-2099-001"' in result.err and "Traceback" not in result.err


def test_two_folders_differing_only_in_letter_case_are_never_guessed_between(wbcr, example):
    twin = example / "cases" / "wbcr-2017-010"
    try:
        shutil.copytree(example / "cases" / REF, twin)
    except FileExistsError:
        pytest.skip("this file system does not tell letter cases apart")
    if not twin.is_dir() or not (example / "cases" / REF).is_dir() or os.path.samefile(twin, example / "cases" / REF):
        pytest.skip("this file system does not tell letter cases apart")
    result = wbcr("show", "Wbcr-2017-010", "--format", "json", cwd=example)
    assert result.code != 0 and "no case" in result.err


def _completion_program() -> Path | None:
    folder = Path(sys.executable).parent
    for name in ("wbcr", "wbcr.exe"):
        if (folder / name).is_file():
            return folder / name
    return None


def _complete(example: Path, words: str) -> list[str]:
    """What zsh would be offered for `words` (the last one being completed)."""
    import re

    program = _completion_program()
    if program is None:
        pytest.skip("the wbcr console script is not installed beside this Python (pip install -e .)")
    env = {**os.environ, "_WBCR_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words}
    proc = subprocess.run([str(program)], cwd=example, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [item.split(":", 1)[0] for item in re.findall(r'"([^"]+)"', proc.stdout)]


def test_completion_offers_references_agencies_and_documents(example):
    cases = sorted(p.name for p in (example / "cases").iterdir() if p.is_dir() and p.name.startswith("WBCR-2017"))
    offered = _complete(example, "wbcr show WBCR-2017")
    assert set(cases) <= set(offered), offered
    agencies = _complete(example, "wbcr actions --agency b")
    assert {"bhft", "bob-icb"} <= set(agencies), agencies
    documents = _complete(example, f"wbcr render {REF} rag")
    assert "rag-progress-report" in documents, documents


def test_on_a_file_system_that_ignores_letter_case_the_folders_spelling_still_wins(example, monkeypatch):
    """Windows and macOS open `cases/wbcr-2017-010` as `cases/WBCR-2017-010`: the typed spelling must still
    never reach the password (the store refuses it; the command line turns it into the folder's)."""
    from wbcr.cli.refs import case_reference
    from wbcr.core.errors import UsageError
    from wbcr.model.register import open_register

    cases = example / "cases"
    spelt = {p.name.casefold(): p.name for p in cases.iterdir()}
    real_is_dir = Path.is_dir

    def is_dir(self):  # a case-insensitive file system, for the case folders
        if self.parent == cases and self.name.casefold() in spelt:
            return True
        return real_is_dir(self)

    monkeypatch.setattr(Path, "is_dir", is_dir)
    monkeypatch.chdir(example)
    register = open_register(str(example))
    assert register.case_folder(REF).name == REF
    with pytest.raises(UsageError, match=f"did you mean {REF}"):
        register.case_folder("wbcr-2017-010")
    assert case_reference("wbcr-2017-010") == REF and case_reference(REF) == REF


def test_case_options_take_a_reference_in_any_letter_case(wbcr, example, tmp_path):
    assert wbcr("key", "init", cwd=example).code == 0
    plain = tmp_path / "note.docx"
    from docx import Document

    Document().save(plain)
    protected = wbcr("protect", str(plain), "--case", "wbcr-2017-010", cwd=example)
    assert protected.code == 0, protected.err
    opened = wbcr("unprotect", str(plain), "--case", "Wbcr-2017-010", "--out", str(tmp_path / "open.docx"),
                  cwd=example)
    assert opened.code == 0, opened.err
