"""A board's templates cannot reach outside: a symbolic link committed in templates/ (to a key file, to
anything) is refused, never read, and what it points at never reaches a document (issue 13, critical)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SECRET = "wbcr-board-key-v1:THIS-IS-A-FICTIONAL-TEST-SECRET"


@pytest.fixture
def outside(tmp_path) -> Path:
    key = tmp_path / "keys" / "fingerprint.key"
    key.parent.mkdir()
    key.write_text(SECRET + "\n")
    return key


def _render(wbcr, example, tmp_path):
    return wbcr("render", "WBCR-2016-004", "outcome-letter", "--agency", "tvp", "--no-protect",
                "--out", str(tmp_path / "letter.docx"), cwd=example)


def test_a_template_that_includes_a_symlink_to_a_key_file_is_refused(wbcr, example, tmp_path, outside):
    templates = example / "templates"
    templates.mkdir()
    os.symlink(outside, templates / "signature.md.j2")
    builtin = (Path(__file__).parents[1] / "case_templates" / "documents" / "outcome-letter.md.j2").read_text()
    (templates / "outcome-letter.md.j2").write_text(builtin + '\n{% include "signature.md.j2" %}\n')
    result = _render(wbcr, example, tmp_path)
    assert result.code != 0 and "Traceback" not in result.err
    assert "symbolic link" in result.err
    assert SECRET not in result.out + result.err
    assert not (tmp_path / "letter.docx").exists()


def test_an_override_that_is_itself_a_symlink_is_refused(wbcr, example, tmp_path, outside):
    templates = example / "templates"
    templates.mkdir()
    os.symlink(outside, templates / "outcome-letter.md.j2")
    result = _render(wbcr, example, tmp_path)
    assert result.code != 0 and SECRET not in result.out + result.err
    assert not (tmp_path / "letter.docx").exists()


def test_a_symlinked_folder_inside_templates_is_refused(wbcr, example, tmp_path, outside):
    templates = example / "templates"
    templates.mkdir()
    os.symlink(outside.parent, templates / "parts")
    builtin = (Path(__file__).parents[1] / "case_templates" / "documents" / "outcome-letter.md.j2").read_text()
    (templates / "outcome-letter.md.j2").write_text(builtin + '\n{% include "parts/fingerprint.key" %}\n')
    result = _render(wbcr, example, tmp_path)
    assert result.code != 0 and SECRET not in result.out + result.err


def test_a_plain_override_still_renders(wbcr, example, tmp_path):
    templates = example / "templates"
    templates.mkdir()
    builtin = (Path(__file__).parents[1] / "case_templates" / "documents" / "outcome-letter.md.j2").read_text()
    (templates / "outcome-letter.md.j2").write_text(builtin)
    result = _render(wbcr, example, tmp_path)
    assert result.code == 0, result.err
