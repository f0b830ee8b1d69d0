"""Benchmark: load, merge and write 20,000 chronology entries from eight agencies to Word and CSV.

    .venv/bin/python tests/bench/bench_chronology.py [--entries 20000] [--agencies 8] [--keep DIR]

Not run by pytest. The target (issue #5): loading, merging and writing 20,000 entries to Word and CSV
in under 5 seconds. Prints the time of each step in-process, then the whole `wbcr chronology merge`
command as a user runs it (a new process: start-up, reading, merging, writing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "examples" / "west-of-berkshire"
REFERENCE = "WBCR-2016-004"
AGENCIES = ["tvp", "rbft", "bhft", "bob-icb", "scas", "probation", "cafcass", "bffc", "gp", "wbc-cs"]
EVENTS = [
    "Health visitor completed a new birth visit; Mother reported feeling low and isolated since the move.",
    "Police attended a report of a verbal argument between Chloe Hatton and Dean Farrow; no offences disclosed.",
    'Child A seen in the Emergency Department with a bruise to the left cheek; Mother said he "fell" from a sofa.',
    "Strategy discussion held by telephone between children's social care, police & health.",
    "School nurse received a referral about Riley's attendance and weight; Ms HATTON not contactable.",
    "GP appointment: Mother requested a review of her medication; Child A present and described as quiet.",
]
ACTIONS = [
    "Information shared with children's social care by secure email the same day.",
    "Safeguarding supervision arranged; plan to revisit within two weeks.",
    "Referral made to the Multi-Agency Safeguarding Hub; outcome letter received.",
    "No further action recorded; the record notes the family had moved address.",
]


def q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_register(out: Path, entries: int, agencies: int, seed: int = 5) -> Path:
    rng = random.Random(seed)
    shutil.copytree(EXAMPLE, out)
    case = out / "cases" / REFERENCE
    shutil.rmtree(case / "chronology")
    (case / "chronology").mkdir()
    review = (case / "review.yaml").read_text()
    review = review.replace("    from: 2015-09-29\n    to: 2016-08-13", "    from: 2000-12-29\n    to: 2016-08-13")
    (case / "review.yaml").write_text(review)
    start = dt.date(2000, 12, 29)
    span = (dt.date(2016, 8, 13) - start).days
    per = entries // agencies
    for a in AGENCIES[:agencies]:
        days = sorted(rng.randrange(span) for _ in range(per))
        lines = ["schema_version: 1", f"agency: {a}", "author:", "  role: Safeguarding lead", "no_contact_periods:",
                 "  - from: 2000-12-29", "    to: 2001-02-26", "    note: No contact.", "entries:"]
        for n, offset in enumerate(days):
            day = start + dt.timedelta(days=offset)
            date = ("?" if n % 97 == 0 else "") + day.isoformat()
            lines.append(f"  - date: {q(date)}")
            if n % 3:
                lines.append(f'    time: "{rng.randrange(24):02d}:{rng.randrange(60):02d}"')
            lines.append("    source: Case notes")
            lines.append("    people:\n      - Mother\n      - Child A")
            lines.append(f"    event: {q(rng.choice(EVENTS))}")
            lines.append(f"    action: {q(rng.choice(ACTIONS))}")
            lines.append("    practitioner: Practitioner 1")
            if n % 4 == 0:
                lines.append(f"    significance: {q('Learning point: ' + rng.choice(EVENTS))}")
        (case / "chronology" / f"{a}.yaml").write_text("\n".join(lines) + "\n")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--agencies", type=int, default=8)
    parser.add_argument("--keep", type=Path, help="build the register here and keep it")
    args = parser.parse_args()

    from wbcr.core.yamlio import HAVE_LIBYAML

    tmp = Path(tempfile.mkdtemp(prefix="wbcr-bench-chron-"))
    root = build_register(args.keep or tmp / "register", args.entries, args.agencies)
    out = tmp / "out"
    out.mkdir()
    print(f"register: {root}  ({args.entries} entries from {args.agencies} agencies; libyaml: {HAVE_LIBYAML})")

    from wbcr.chronology.merge import load_case_chronologies, merge
    from wbcr.documents.chronology_docx import build_docx, format_csv
    from wbcr.model.register import open_register
    from wbcr.core.yamlio import atomic_write

    today = dt.date(2017, 11, 23)
    figures = {}
    t0 = time.perf_counter()
    register = open_register(str(root))
    cc = load_case_chronologies(register, REFERENCE)
    t1 = time.perf_counter()
    merged = merge(cc, today=today)
    t2 = time.perf_counter()
    data = build_docx(register, merged, today)
    atomic_write(out / "merged.docx", data)
    t3 = time.perf_counter()
    atomic_write(out / "merged.csv", "\ufeff" + format_csv(merged))
    t4 = time.perf_counter()
    figures.update({"load (YAML + schema)": t1 - t0, "merge (sort, flags, ages)": t2 - t1,
                    "Word (build + save)": t3 - t2, "CSV": t4 - t3})
    total = t4 - t0
    t5 = time.perf_counter()
    pseudo = merge(cc, today=today, pseudonymised=True)
    t6 = time.perf_counter()
    figures["merge, pseudonymised"] = t6 - t5
    from wbcr.security.protection import protect_bytes

    t7 = time.perf_counter()
    protect_bytes(data, "bench-password-not-a-secret")
    figures["protect + verify the Word file"] = time.perf_counter() - t7

    tables = len([1 for _ in __import__("zipfile").ZipFile(out / "merged.docx").read("word/document.xml").split(b"<w:tbl>")]) - 1
    print(f"rows: {len(merged.rows)}  flags: {len(merged.flags)}  Word tables: {tables}  "
          f"Word file: {len(data) / 1048576:.1f} MB  pseudonymised rows: {len(pseudo.rows)}")
    for name, seconds in figures.items():
        print(f"  {name:34s} {seconds:6.2f} s")
    print(f"  {'TOTAL load + merge + Word + CSV':34s} {total:6.2f} s  (target < 5 s)")

    env = {**os.environ, "WBCR_TODAY": "2017-11-23", "WBCR_REGISTER": str(root)}
    for label, extra in (("docx", ["--out", str(out / "cli.docx"), "--no-protect"]),
                         ("csv", ["--out", str(out / "cli.csv")])):
        c0 = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "wbcr", "chronology", "merge", REFERENCE, *extra],
                                env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - c0
        status = "ok" if result.returncode == 0 else f"exit {result.returncode}: {result.stderr.strip()[-200:]}"
        print(f"  {'wbcr chronology merge --out *.' + label:34s} {elapsed:6.2f} s  (whole command; {status})")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if total < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
