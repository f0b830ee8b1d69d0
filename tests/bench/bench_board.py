"""Benchmark: `wbcr report board` on a 1,000-case register (issue 14, point 6).

    .venv/bin/python tests/bench/bench_board.py [--cases 1000] [--entries 25] [--keep DIR [--reuse]] [--rounds 3]

Generates the benchmark register (`generate.py`: 1,000 cases, 200,000 chronology entries), then in each
round runs, each as a whole process as a business manager would, `wbcr report board --format json` and
`wbcr report board --format docx` (the Word report with its five charts) for the last complete financial
year, and prints each time against its target: under 5 s to JSON, under 15 s to Word. Exits 1 when any
round misses a target. Not part of the default test run (pytest collects only test_*.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import BIN, timed  # noqa: E402
from generate import generate  # noqa: E402

TARGETS = (("json", 5.0), ("docx", 15.0))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=25, help="entries per agency (8 agencies a case)")
    parser.add_argument("--keep", type=Path, help="generate the register here and keep it")
    parser.add_argument("--reuse", action="store_true", help="use the register already in --keep")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wbcr-bench-board-"))
    register = args.keep or work / "register"
    try:
        if not (args.reuse and (register / "wbcr.yaml").is_file()):
            generate(register, args.cases, args.entries)
        cases = sum(1 for p in (register / "cases").iterdir() if p.is_dir())
        print(f"register: {register} ({cases} cases)")
        env = {**os.environ, "WBCR_CACHE_DIR": str(work / "cache"), "WBCR_TODAY": "2026-11-26"}
        base = [str(BIN / "wbcr"), "--register", str(register), "report", "board"]
        ok = True
        for round_ in range(1, args.rounds + 1):
            for fmt, limit in TARGETS:
                extra = ["--out", str(work / "board.docx")] if fmt == "docx" else []
                took = timed([*base, "--format", fmt, *extra], env)
                flag = "" if took < limit else "   OVER"
                ok = ok and took < limit
                print(f"round {round_}: wbcr report board --format {fmt:<5}{took:7.2f} s   (target < {limit:.0f} s){flag}")
        print("all targets met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
