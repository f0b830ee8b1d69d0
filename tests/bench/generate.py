"""Generate a large fictional register for benchmarks: N cases, each with chronologies from 8 agencies.

    python tests/bench/generate.py OUT --cases 1000 --entries 25

All names are invented; the text is filler assembled from fixed phrases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AGENCIES = ["tvp", "rbft", "bhft", "bob-icb", "scas", "probation", "cafcass", "bffc"]
LSCBS = ["reading", "west-berkshire", "wokingham"]
EVENTS = [
    "Health visitor completed a new birth visit; Mother reported feeling low and isolated since the move.",
    "Police attended a report of a verbal argument between Mother and Mother's partner; no offences disclosed.",
    "Child A seen in the Emergency Department with a bruise to the left cheek; explanation of a fall from a sofa.",
    "Strategy discussion held by telephone between children's social care, police and health.",
    "School nurse received a referral from the school about Child A's attendance and weight.",
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


def generate(out: Path, cases: int, entries: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "cases").mkdir(parents=True)
    shutil.copyfile(ROOT / "case_templates" / "register" / "wbcr.yaml", out / "wbcr.yaml")
    total = 0
    for n in range(1, cases + 1):
        year = 2000 + n % 26
        ref = f"WBCR-{year}-{n:04d}"
        folder = out / "cases" / ref
        (folder / "chronology").mkdir(parents=True)
        received = dt.date(year, 1 + n % 12, 1 + n % 28)
        lscb = LSCBS[n % 3]
        # Like a real register over decades: old referrals closed (here: screened out, notifier told),
        # this year's still open.
        closed = year < 2026
        screened = received + dt.timedelta(days=3)
        history = (f"  - {{stage: screening, date: {received}, by: Case Review Group Coordinator}}\n"
                   + (f"  - {{stage: closed, date: {screened}, by: Case Review Group Coordinator}}\n" if closed else ""))
        (folder / "case.yaml").write_text(f"""schema_version: 1
reference: {ref}
lead_lscb: {lscb}
intake: review_referral
stage: {"closed" if closed else "screening"}
opened: {received}
{f"closed: {screened}" if closed else ""}
pseudonym: Child A
flags: {{death: false, coroner: false}}
stage_history:
  - {{stage: referral, date: {received}, by: Case Review Group Coordinator, note: Referral registered}}
{history}""")
        if closed:
            (folder / "decisions.yaml").write_text(f"""schema_version: 1
screening:
  date: {screened}
  by: Case Review Group Chair
  outcome: not_for_review
  rationale: {q("The circumstances do not meet the criteria; single-agency learning is under way.")}
""")
            (folder / "notifications.yaml").write_text(f"""schema_version: 1
notifications:
  - {{recipient: notifier, date: {screened}, method: email, purpose: screening_outcome}}
""")
        (folder / "people.yaml").write_text(f"""schema_version: 1
people:
  - id: child-a
    pseudonym: Child A
    role: subject
    name: Invented Child {n}
    date_of_birth: {received.replace(year=received.year - 5)}
  - id: mother
    pseudonym: Mother
    role: parent
    name: Invented Parent {n}
""")
        (folder / "referral.yaml").write_text(f"""schema_version: 1
reference: {ref}
received: {received}
lead_lscb: {lscb}
intake: review_referral
route: agency
referrer: {{name: Invented Referrer, agency: tvp, role: Detective Sergeant}}
subjects: [child-a]
criteria: {{must_notify: [serious_harm_concern]}}
summary: {q(EVENTS[n % len(EVENTS)] + " " + EVENTS[(n + 1) % len(EVENTS)])}
""")
        start = received - dt.timedelta(days=700)
        for agency in AGENCIES:
            lines = [f"schema_version: 1\nagency: {agency}\nauthor: {{name: Invented Author, role: Safeguarding lead}}\n"
                     f"submitted: {received}\nentries:\n"]
            day = start
            for seq in range(entries):
                day += dt.timedelta(days=rng.randint(1, 20))
                date = f"?{day}" if rng.random() < 0.02 else str(day)
                lines.append(
                    f"  - date: {q(date)}\n"
                    f"    time: \"{rng.randint(8, 19):02d}:{rng.choice(['00', '15', '30', '45'])}\"\n"
                    f"    seq: {seq + 1}\n"
                    f"    source: Case record\n"
                    f"    people: [Child A, Mother]\n"
                    f"    event: {q(rng.choice(EVENTS))}\n"
                    f"    action: {q(rng.choice(ACTIONS))}\n"
                    f"    practitioner: Practitioner {rng.randint(1, 9)}\n"
                    f"    significance: {q('Indicates continuing concern about home conditions and supervision.')}\n")
                total += 1
            (folder / "chronology" / f"{agency}.yaml").write_text("".join(lines))
    return total


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=25, help="entries per agency chronology")
    args = parser.parse_args()
    count = generate(args.out, args.cases, args.entries)
    print(f"{args.cases} cases, {count} chronology entries in {args.out}")
