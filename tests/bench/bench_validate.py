"""Benchmark: `wbcr validate` on 1,000 cases with 200,000 chronology entries (issue 2, point 9).

    .venv/bin/pip install -e '.[test,bench]'
    .venv/bin/python tests/bench/bench_validate.py [--cases 1000] [--entries 25] [--keep DIR]

Measures in one run, on the same files:
  1. parsing every record with PyYAML's libyaml C loader (the baseline),
  2. a cold `wbcr validate` (empty cache), as a whole process,
  3. a warm `wbcr validate` (nothing changed),
  4. `check-jsonschema` validating the chronology files against schemas/chronology.json,
and prints the ratios against the targets: cold <= 1.5x the C parse, warm <= 1 s, check-jsonschema
>= 4x slower than the cold run. Exits 1 when a target is missed. Not part of the default test run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def c_parse(register: Path) -> float:
    code = (
        "import os, sys, yaml\n"
        "for dp, dn, fn in os.walk(sys.argv[1]):\n"
        "    for f in fn:\n"
        "        if f.endswith('.yaml'):\n"
        "            with open(os.path.join(dp, f), 'rb') as fh:\n"
        "                yaml.load(fh, Loader=yaml.CSafeLoader)\n"
    )
    return timed([sys.executable, "-c", code, str(register)])


def timed(cmd: list[str], env: dict | None = None, expect: int = 0) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != expect:
        sys.exit(f"{' '.join(cmd[:3])}… exited {result.returncode}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=25, help="entries per agency (8 agencies a case)")
    parser.add_argument("--keep", type=Path, help="generate the register here and keep it")
    parser.add_argument("--skip-check-jsonschema", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wbcr-bench-"))
    register = args.keep or work / "register"
    try:
        count = generate(register, args.cases, args.entries)
        files = sum(1 for _ in register.rglob("*.yaml"))
        size = sum(p.stat().st_size for p in register.rglob("*.yaml")) / 1e6
        print(f"register: {args.cases} cases, {count} chronology entries, {files} files, {size:.0f} MB")
        env = {**os.environ, "WBCR_CACHE_DIR": str(work / "cache"), "WBCR_TODAY": "2026-11-26"}
        wbcr = [str(BIN / "wbcr"), "--register", str(register), "validate"]
        # Warm the OS file cache so both sides read from memory.
        c_parse(register)
        base = c_parse(register)
        cold = timed(wbcr, env)
        warm = timed(wbcr, env)
        print(f"libyaml C parse         {base:7.2f} s")
        print(f"wbcr validate (cold)    {cold:7.2f} s   {cold / base:5.2f}x the C parse   (target <= 1.50x)")
        print(f"wbcr validate (warm)    {warm:7.2f} s                          (target <= 1.00 s)")
        ok = cold <= 1.5 * base and warm <= 1.0
        if not args.skip_check_jsonschema:
            chronologies = sorted(str(p) for p in (register / "cases").glob("*/chronology/*.yaml"))
            cj = [str(BIN / "check-jsonschema"), "--schemafile", str(ROOT / "schemas" / "chronology.json"), *chronologies]
            other = timed(cj)
            print(f"check-jsonschema        {other:7.2f} s   {other / cold:5.2f}x wbcr's cold run  (target >= 4x)")
            ok = ok and other >= 4 * cold
        print("all targets met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
