"""Documents and reports of a sealed case: values are opened in memory with the board key, never
printed as ciphertext, and without the key a report says "(sealed)"."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import yaml

import pytest

from conftest import ROOT, copy_example

REF = "WBCR-2016-004"
DEMO_KEY = (ROOT / "examples" / "DEMO-board-key.txt").read_text().strip()


def _text(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


@pytest.fixture
def example(tmp_path, env):
    return copy_example(tmp_path / "register", env, demo_key=True)


def test_a_sealed_case_renders_with_its_values_opened(wbcr, example):
    key = {"WBCR_BOARD_KEY": DEMO_KEY}
    name = yaml.safe_load((example / "cases" / REF / "people.yaml").read_text())["people"][0]["name"]
    sealed = wbcr("seal", REF, cwd=example, extra_env=key)
    assert sealed.code == 0, sealed.err
    assert name not in (example / "cases" / REF / "people.yaml").read_text()
    rendered = wbcr("render", REF, "referral-form", "--no-protect", cwd=example, extra_env=key)
    assert rendered.code == 0, rendered.err
    text = _text(Path(rendered.out.strip()).read_bytes())
    assert name in text and "wbcr:sealed:" not in text
    report = json.loads(wbcr("report", "decisions", "--format", "json", cwd=example, extra_env=key).out)
    case = next(c for c in report["cases"] if c["reference"] == REF)
    assert "wbcr:sealed:" not in json.dumps(case)
    keyless = json.loads(wbcr("report", "decisions", "--format", "json", cwd=example).out)
    case = next(c for c in keyless["cases"] if c["reference"] == REF)
    assert "wbcr:sealed:" not in json.dumps(case) and "(sealed)" in json.dumps(case)
    refused = wbcr("render", REF, "referral-form", "--no-protect", cwd=example)
    assert refused.code == 3 and "Traceback" not in refused.err
