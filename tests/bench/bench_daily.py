"""Benchmark: the daily commands against a warm `wbcr validate` (issue 9, point 6).

    .venv/bin/python tests/bench/bench_daily.py [--cases 1000] [--entries 25] [--keep DIR [--reuse]]

On the benchmark register (1,000 cases, 200,000 chronology entries) it runs one `wbcr validate` to fill
the cache, then in each round, every one a whole process: a warm `wbcr validate`, then `wbcr status`,
`wbcr deadlines`, `wbcr actions` and `wbcr report decisions` (text output, as the business manager
runs them). It prints each figure and its ratio to that round's warm validate, and exits 1 when any ratio
in any round exceeds 1.5. Round 1 is the first run of each command after validate (nothing of the daily
views cached yet); the later rounds are the same commands run again. Not part of the default test run.
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

DAILY = (("status",), ("deadlines",), ("actions",), ("report", "decisions"))
LIMIT = 1.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=25, help="entries per agency (8 agencies a case)")
    parser.add_argument("--keep", type=Path, help="generate the register here and keep it")
    parser.add_argument("--reuse", action="store_true", help="use the register already in --keep")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wbcr-bench-daily-"))
    register = args.keep or work / "register"
    try:
        if not (args.reuse and (register / "wbcr.yaml").is_file()):
            generate(register, args.cases, args.entries)
        files = sum(1 for _ in register.rglob("*.yaml"))
        print(f"register: {register} ({files} files)")
        env = {**os.environ, "WBCR_CACHE_DIR": str(work / "cache"), "WBCR_TODAY": "2026-11-26"}
        base = [str(BIN / "wbcr"), "--register", str(register)]
        cold = timed([*base, "validate"], env)
        print(f"wbcr validate (cold)        {cold:7.2f} s   (fills the cache)")
        worst = 0.0
        for round_ in range(1, args.rounds + 1):
            warm = timed([*base, "validate"], env)
            print(f"round {round_}: wbcr validate (warm) {warm:7.2f} s")
            for command in DAILY:
                took = timed([*base, *command], env)
                ratio = took / warm
                worst = max(worst, ratio)
                flag = "" if ratio <= LIMIT else "   OVER"
                print(f"         wbcr {' '.join(command):<21}{took:7.2f} s   {ratio:5.2f}x the warm validate{flag}")
        ok = worst <= LIMIT
        print(f"worst ratio {worst:.2f}x (target <= {LIMIT:.2f}x): " + ("all targets met" if ok else "TARGET MISSED"))
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
