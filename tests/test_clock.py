"""One clock: `--today` / `WBCR_TODAY` / the system date are read in `wbcr.core.dates.today` and nowhere
else, so every report, deadline and recorded date is reproducible (issue 9, point 5)."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "wbcr"
CLOCK = re.compile(r"\b(?:date|datetime)\s*\.\s*(?:today|now|utcnow)\s*\(|\btime\s*\.\s*(?:time|localtime|gmtime)\s*\(")
#: the one place the real date is read
ALLOWED = {"core/dates.py"}


def test_only_one_module_reads_the_system_clock():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).as_posix() in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if CLOCK.search(line.split("#", 1)[0]):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert not offenders, "read the date through wbcr.core.dates.today (the --today option):\n" + "\n".join(offenders)


def test_the_clock_honours_the_option_then_the_environment(monkeypatch):
    import datetime as dt

    from wbcr.core.dates import today

    monkeypatch.setenv("WBCR_TODAY", "2019-05-02")
    assert today() == dt.date(2019, 5, 2)
    assert today("2020-01-31") == dt.date(2020, 1, 31)
    monkeypatch.delenv("WBCR_TODAY")
    assert today() == dt.date.today()


def test_an_example_register_stands_at_its_as_of_day_unless_told_otherwise(tmp_path):
    """wbcr.yaml `as_of:` (an example or an archived register): commands take it as today; --today and
    WBCR_TODAY still win; a register without it runs to the real date."""
    import json
    import os
    import shutil
    import subprocess
    import sys

    register = tmp_path / "register"
    shutil.copytree(PACKAGE.parent / "examples" / "west-of-berkshire", register, ignore=shutil.ignore_patterns("output"))
    env = {k: v for k, v in os.environ.items() if k != "WBCR_TODAY"}
    env["WBCR_CACHE_DIR"] = str(tmp_path / "cache")

    def today_of(*args: str, extra: dict | None = None) -> str:
        proc = subprocess.run([sys.executable, "-m", "wbcr", "--register", str(register), *args, "status",
                               "--format", "json"], env={**env, **(extra or {})}, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)["today"]

    assert "as_of: 2017-11-23" in (register / "wbcr.yaml").read_text(encoding="utf-8")
    assert today_of() == "2017-11-23"
    assert today_of("--today", "2018-01-05") == "2018-01-05"
    assert today_of(extra={"WBCR_TODAY": "2018-02-01"}) == "2018-02-01"
    config = register / "wbcr.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("as_of: 2017-11-23\n", ""), encoding="utf-8")
    assert today_of() != "2017-11-23"  # the real date, whatever it is
