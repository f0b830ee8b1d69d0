"""Light commands stay light: `wbcr --help` and `wbcr status` import no heavy library."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import AT_EXAMPLE

HEAVY = ("docx", "jinja2", "jsonschema", "cryptography", "fastjsonschema", "ruamel")
PROBE = """
import sys, runpy
sys.argv = ["wbcr", *sys.argv[1:]]
try:
    runpy.run_module("wbcr", run_name="__main__")
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy})
sys.stderr.write("HEAVY=" + ",".join(heavy) + "\\n")
sys.exit(code)
""".replace("{heavy}", repr(set(HEAVY)))


@pytest.mark.parametrize("args", [["--help"], [*AT_EXAMPLE, "status"],
                                  [*AT_EXAMPLE, "status", "--format", "json"]])
def test_light_commands_import_no_heavy_library(args, env):
    result = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    line = [l for l in result.stderr.splitlines() if l.startswith("HEAVY=")][-1]
    assert line == "HEAVY=", line
