"""The workflow: a new referral taken through next and advance in a copy of the example register,
guards as data, late stages, deadlines, the calendar file, history and the decisions report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import AT_EXAMPLE, EXAMPLE, git
from wbcr.model.procedure import Evaluator, available, load_procedure
from wbcr.model.schemas import check_procedure
from wbcr.core.yamlio import load_record

REFERRAL = """schema_version: 1
reference: NEW
received: 2017-10-30
lead_lscb: reading
intake: review_referral
route: agency
referrer: {name: Pat Invented, agency: rbft, role: Named Nurse for Safeguarding}
subjects: [child-a]
criteria: {must_notify: [serious_harm_concern]}
summary: Child A, aged 3, admitted with a head injury; explanations inconsistent.
people:
  - {id: child-a, pseudonym: Child A, role: subject, name: Zennor Invented-Child, date_of_birth: 2014-01-29}
  - {id: mother, pseudonym: Mother, role: parent, name: Quilla Invented-Parent}
"""


@pytest.fixture
def new_case(wbcr, example, tmp_path):
    source = tmp_path / "referral.yaml"
    source.write_text(REFERRAL)
    result = wbcr("refer", "--from", str(source), cwd=example)
    assert result.code == 0, result.err
    return example, result.out.strip()


def _ok(result):
    assert result.code == 0, result.out + result.err
    return result


def test_a_referral_taken_through_next_and_advance(wbcr, new_case):
    reg, ref = new_case
    run = lambda *a, today="2017-11-23": wbcr("--today", today, *a, cwd=reg)  # noqa: E731
    nxt = json.loads(_ok(run("next", ref, "--format", "json")).out)
    assert nxt["stage"] == "referral" and nxt["next"][0] == {
        "stage": "screening", "title": "Screening by the CRG chair", "ready": True, "missing": [], "late": [], "warnings": [],
        "exit": False, "checklist": [], "advance": f"wbcr advance {ref}"}
    _ok(run("advance", ref, "--on", "2017-10-31"))
    blocked = run("advance", ref, "--on", "2017-11-01")
    assert blocked.code == 1
    assert blocked.out == (f'cases/{ref}/: error[workflow.guard]: decisions.yaml: screening: no screening outcome '
                           '"sufficient" recorded\n')
    _ok(run("screen", ref, "--outcome", "sufficient", "--rationale", "Enough to request information", "--on", "2017-11-01"))
    _ok(run("advance", ref, "--on", "2017-11-01"))
    for agency in ("tvp", "bhft"):
        _ok(run("request", ref, "--agency", agency, "--sent", "2017-11-01"))
    blocked = run("advance", ref)
    assert blocked.code == 1 and blocked.out.splitlines() == [
        f'cases/{ref}/: error[workflow.guard]: decisions.yaml: information_requests: no answer recorded from "tvp"',
        f'cases/{ref}/: error[workflow.guard]: decisions.yaml: information_requests: no answer recorded from "bhft"']
    _ok(run("request", ref, "--agency", "tvp", "--received", "2017-11-07", "--involved"))
    _ok(run("request", ref, "--agency", "bhft", "--received", "2017-11-09", "--not-involved"))
    _ok(run("advance", ref, "--on", "2017-11-09"))
    _ok(run("crg", "meeting", ref, "--on", "2017-11-14", "--present", "A. Member", "--present", "J. Smith"))
    _ok(run("crg", "recommend", ref, "--member", "A. Member", "--recommendation", "scr", "--reason", "Serious harm"))
    _ok(run("crg", "conclude", ref, "--criteria-met", "--recommendation", "scr", "--rationale", "Criteria met",
            "--sent-to-chair", "2017-11-16"))
    blocked = run("advance", ref)
    assert blocked.code == 1
    assert f'cases/{ref}/: error[workflow.guard]: decisions.yaml: crg_consideration: no recommendation recorded ' \
           'for member "J. Smith"' in blocked.lines
    _ok(run("crg", "recommend", ref, "--member", "J. Smith", "--recommendation", "scr"))
    _ok(run("advance", ref, "--on", "2017-11-16"))
    _ok(run("decide", ref, "--decision", "scr", "--rationale", "Criteria met; learning likely", "--on", "2017-11-21"))
    _ok(run("advance", ref, "--on", "2017-11-21"))
    blocked = run("advance", ref)
    assert blocked.code == 1 and len(blocked.lines) == 4
    assert f"cases/{ref}/: error[workflow.guard]: notifications.yaml: Ofsted has not been notified of the decision" in blocked.lines
    for who in ("ofsted", "dfe", "national_panel"):
        _ok(run("notify", ref, "--recipient", who, "--purpose", "decision_notification", "--on", "2017-11-22"))
    _ok(run("notify", ref, "--recipient", "notifier", "--purpose", "decision_notification", "--method", "email",
            "--on", "2017-11-22"))
    moved = _ok(run("advance", ref, "--on", "2017-11-23"))
    assert moved.out == f"{ref}: notifications -> initiation on 2017-11-23\n"
    case = yaml.safe_load((reg / "cases" / ref / "case.yaml").read_text())
    assert case["stage"] == "initiation" and case["review_kind"] == "scr"
    assert [h["stage"] for h in case["stage_history"]] == [
        "referral", "screening", "information_requests", "crg_consideration", "chair_decision", "notifications",
        "initiation"]
    assert wbcr("validate", cwd=reg).code == 0
    # the git log shows every step, each with its trailers, each touching only this case
    log = git(reg, "log", "--format=%s|%(trailers:key=Wbcr-Action,valueonly,separator=)", "--", f"cases/{ref}")
    actions = [line.split("|")[1] for line in reversed(log.strip().splitlines())]
    assert actions == ["refer", "advance", "screen", "advance", "request", "request", "request", "request",
                       "advance", "crg-meeting", "crg-recommend", "crg-conclude", "crg-recommend", "advance",
                       "decide", "advance", "notify", "notify", "notify", "notify", "advance"]
    stages = git(reg, "log", "--format=%(trailers:key=Wbcr-Stage,valueonly,separator=)", "--", f"cases/{ref}")
    assert "chair_decision -> notifications" in stages.splitlines()
    for commit in git(reg, "log", "--format=%H", "--", f"cases/{ref}").split():
        files = git(reg, "show", "--name-only", "--format=", commit).split()
        assert files and all(f.startswith(f"cases/{ref}/") for f in files)
    history = json.loads(_ok(wbcr("history", ref, "--format", "json", cwd=reg)).out)
    assert history["shallow"] is False
    assert [c["action"] for c in reversed(history["commits"])] == actions
    assert {c["actor"] for c in history["commits"]} == {"Test Coordinator"}


def test_a_late_decision_needs_a_recorded_reason(wbcr, new_case):
    reg, ref = new_case
    run = lambda *a: wbcr("--today", "2017-12-17", *a, cwd=reg)  # noqa: E731
    for args in (["advance", ref, "--on", "2017-10-31"],
                 ["screen", ref, "--outcome", "sufficient", "--rationale", "ok", "--on", "2017-10-31"],
                 ["advance", ref, "--on", "2017-10-31"], ["request", ref, "--agency", "tvp", "--sent", "2017-10-31"],
                 ["request", ref, "--agency", "tvp", "--received", "2017-11-02"], ["advance", ref, "--on", "2017-11-02"],
                 ["crg", "meeting", ref, "--on", "2017-11-07", "--present", "A. Member"],
                 ["crg", "recommend", ref, "--member", "A. Member", "--recommendation", "silp"],
                 ["crg", "conclude", ref, "--criteria-not-met", "--alternative-considered", "--alternative-outcome",
                  "A SILP suits", "--recommendation", "silp", "--rationale", "Learning", "--sent-to-chair", "2017-11-09"],
                 ["advance", ref, "--on", "2017-11-09"],
                 ["decide", ref, "--decision", "silp", "--rationale", "Agreed", "--on", "2017-12-07"]):
        _ok(run(*args))
    blocked = run("advance", ref, "--on", "2017-12-07")
    assert blocked.code == 1
    assert "a reason must be recorded" in blocked.err and "--late-reason" in blocked.err
    assert any("Independent Chair's decision (1 month after the referral)\" was due 2017-11-30, met 2017-12-07" in l
               for l in blocked.lines)
    _ok(run("advance", ref, "--on", "2017-12-07", "--late-reason", "Chair on leave; peer chair unavailable"))
    case = yaml.safe_load((reg / "cases" / ref / "case.yaml").read_text())
    assert case["stage_history"][-1]["late_reason"] == "Chair on leave; peer chair unavailable"
    # the lateness is accounted for: shown with its reason, and no longer a warning (not an error under
    # --strict either); the notices now due after the decision are what remains
    found = json.loads(wbcr("--today", "2017-12-17", "validate", ref, "--format", "json", cwd=reg).out)["findings"]
    assert "deadline.missed" not in {f["code"] for f in found}
    assert {f["code"] for f in found} == {"deadline.overdue"}
    assert "deadline.missed" not in wbcr("--today", "2017-12-17", "validate", ref, "--strict", cwd=reg).out
    assert "Chair on leave; peer chair unavailable" in wbcr("--today", "2017-12-17", "show", ref, cwd=reg).out


def test_advance_refuses_skips_and_future_dates(wbcr, new_case):
    reg, ref = new_case
    skip = wbcr("advance", ref, "--stage", "chair_decision", cwd=reg)
    assert skip.code == 2 and "possible next stage(s): screening" in skip.err
    future = wbcr("advance", ref, "--on", "2020-12-29", cwd=reg)
    assert future.code == 2 and "after today" in future.err


def test_advance_changes_nothing_when_git_cannot_commit(wbcr, new_case):
    reg, ref = new_case
    before = (reg / "cases" / ref / "case.yaml").read_bytes()
    extra = {k: "" for k in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")}
    extra.update({"GIT_CONFIG_GLOBAL": "/dev/null", "EMAIL": ""})
    result = wbcr("advance", ref, "--on", "2017-10-31", cwd=reg, extra_env=extra)
    assert result.code == 3 and "git has no identity" in result.err
    assert (reg / "cases" / ref / "case.yaml").read_bytes() == before
    assert git(reg, "status", "--porcelain") == ""


def test_recording_keeps_comments_of_a_hand_edited_file(wbcr, new_case):
    reg, ref = new_case
    wbcr("screen", ref, "--outcome", "sufficient", "--rationale", "ok", "--on", "2017-10-31", cwd=reg)
    path = reg / "cases" / ref / "decisions.yaml"
    path.write_text("# Typed in by the coordinator after the call with the CRG chair\n" + path.read_text()
                    .replace("outcome: sufficient", "outcome: sufficient   # confirmed by phone"))
    git(reg, "commit", "-qam", "hand edit")
    _ok(wbcr("request", ref, "--agency", "tvp", "--sent", "2017-11-01", cwd=reg))
    text = path.read_text()
    assert text.startswith("# Typed in by the coordinator after the call with the CRG chair\n")
    assert "outcome: sufficient   # confirmed by phone" in text


def test_a_change_that_would_break_the_records_is_refused(wbcr, new_case):
    reg, ref = new_case
    result = wbcr("screen", ref, "--outcome", "sufficient", "--rationale", "ok", "--on", "2017-09-28", cwd=reg)
    assert result.code == 1
    assert "dates.order" in result.out and "nothing was written" in result.err
    assert not (reg / "cases" / ref / "decisions.yaml").exists()


def test_next_on_every_example_case(wbcr):
    for case in sorted((EXAMPLE / "cases").iterdir()):
        result = wbcr(*AT_EXAMPLE, "next", case.name, "--format", "json")
        assert result.code == 0, result.err
        data = json.loads(result.out)
        assert data["stage"] and data["owner"] and data["action"]


def test_deadlines_json_and_ics_name_no_person(wbcr, tmp_path):
    icalendar = pytest.importorskip("icalendar")
    ics = tmp_path / "deadlines.ics"
    result = wbcr(*AT_EXAMPLE, "deadlines", "--format", "json", "--ics", str(ics))
    assert result.code == 0, result.err
    rows = json.loads(result.out)["deadlines"]
    assert rows and all({"reference", "id", "title", "due", "state", "days_left", "owner"} <= set(r) for r in rows)
    assert [r["due"] for r in rows] == sorted(r["due"] for r in rows)
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == len(rows)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        assert not hasattr(event["DTSTART"].dt, "hour")  # all-day
    again = tmp_path / "again.ics"
    wbcr(*AT_EXAMPLE, "deadlines", "--ics", str(again))
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(again.read_bytes()).walk("VEVENT")] == uids
    text = ics.read_text()
    for people_file in EXAMPLE.glob("cases/*/people.yaml"):
        for person in yaml.safe_load(people_file.read_text())["people"]:
            for part in person["name"].split():
                if len(part) > 3:
                    assert part not in text, f"{part} from {people_file} is in the calendar"
    overdue = json.loads(wbcr(*AT_EXAMPLE, "deadlines", "--overdue", "--format", "json").out)
    assert all(r["state"] == "overdue" for r in overdue["deadlines"])


def test_report_decisions_json(wbcr):
    result = wbcr(*AT_EXAMPLE, "report", "decisions", "--format", "json")
    assert result.code == 0, result.err
    cases = json.loads(result.out)["cases"]
    decided = [c for c in cases if c["chair_decision"]]
    assert decided
    for case in decided:
        assert case["crg"]["recommendations"] and case["chair_decision"]["rationale"]
        assert {t["id"] for t in case["timescales"]} >= {"chair_decision_after_referral", "notify_ofsted"}
    assert any(not c["all_timescales_met"] for c in cases)
    ranged = json.loads(wbcr(*AT_EXAMPLE, "report", "decisions", "--from", "2016-12-29",
                             "--format", "json").out)["cases"]
    assert all(c["received"] >= "2016-12-29" for c in ranged) and len(ranged) < len(cases)
    assert wbcr(*AT_EXAMPLE, "report", "decisions").code == 0


@pytest.mark.parametrize("procedure", available())
def test_shipped_procedures_match_their_schema(procedure):
    data = load_record(Path(__file__).resolve().parents[1] / "wbcr" / "procedures" / f"{procedure}.yaml")
    assert check_procedure(data) == []
    load_procedure(procedure)


def test_guards_of_the_guidance_are_data():
    proc = load_procedure("wt2015")
    records = {"case": {"flags": {"death_in_custody": True}, "review_kind": "silp"},
               "decisions": {"chair_decision": {"decision": "silp", "rationale": "x"}}}
    missing = [m for c in proc.requirements("notifications") for m in Evaluator(records).missing(c)]
    assert missing == ["decisions.yaml: chair_decision: a death in custody requires an SCR unless an override "
                       "rationale is recorded"]
    records["decisions"]["chair_decision"]["override_rationale"] = "Reviewed under the Prisons and Probation Ombudsman"
    assert [m for c in proc.requirements("notifications") for m in Evaluator(records).missing(c)] == []
    panel = {"case": {"review_kind": "scr"}, "review": {"panel": [{"name": f"P{i}"} for i in range(5)]},
             "chronology": {"tvp": {}}}
    assert [m for c in proc.requirements("analysis") for m in Evaluator(panel).missing(c)] == [
        "review.yaml: panel: an SCR panel needs at least six members"]
    panel["review"]["panel"].append({"name": "P6"})
    assert [m for c in proc.requirements("analysis") for m in Evaluator(panel).missing(c)] == []
    scr = {"case": {"review_kind": "scr"}, "review": {"meetings": [{"date": "2016-12-29"}]}}
    past = Evaluator(scr, past_deadline=lambda ident: ident == "scr_completion")
    assert [m for c in proc.requirements("reporting") for m in past.missing(c)] == [
        "review.yaml: extensions: the SCR is past six months and no extension letter to Ofsted and the National "
        "Panel is recorded"]
    scr["review"]["extensions"] = [{"requested": "2017-05-29", "new_date": "2017-08-29", "reason": "trial",
                                    "letter_sent": "2017-05-30"}]
    assert [m for c in proc.requirements("reporting") for m in past.missing(c)] == []


def test_wt2023_rapid_review_deadline():
    from wbcr.core.calendar import Calendar
    from wbcr.workflow.deadlines import compute_deadlines

    proc = load_procedure("wt2023")
    records = {"case": {"intake": "review_referral"}, "referral": {"received": "2019-04-25"},
               "notifications": {"notifications": [{"recipient": "national_panel", "purpose": "serious_incident_notification",
                                                     "date": "2019-05-02"}]}}
    due = {d.id: d.due.isoformat() for d in compute_deadlines(proc, records, Calendar())}
    # the worked example of REFERENCE §3: notified Thursday 2019-05-02, 15 working days skipping the
    # bank holiday of Monday 2019-05-06 -> Friday 2019-05-24; the three notices of the local authority
    # run from the day of the referral (no awareness date recorded): 5 working days from 2019-04-25
    assert due == {"serious_incident_notification": "2019-05-02", "serious_incident_notification_ofsted": "2019-05-02",
                   "notice_to_partners": "2019-05-02", "rapid_review": "2019-05-24"}


def test_history_warns_on_a_shallow_clone(wbcr, example, tmp_path, env):
    import subprocess

    ref = sorted(p.name for p in (example / "cases").iterdir())[0]
    git(example, "commit", "--allow-empty", "-qm", "second", env=env)
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{example}", str(clone)], check=True, env=env,
                   capture_output=True)
    result = wbcr("history", ref, cwd=clone)
    assert result.code == 0
    assert "shallow clone" in result.err


def test_prompted_referral(monkeypatch):
    """`wbcr refer` on a terminal asks field by field; a wrong answer is asked again."""
    import datetime as dt

    import typer

    from wbcr.cli.prompts import prompt_referral
    from wbcr.model.register import open_register

    answers = iter(["2026-02-30", "2017-11-17", "slough", "reading", "review_referral", "agency", "Pat Invented",
                    "tvp", "Detective Sergeant", "serious_harm_concern, nonsense", "serious_harm_concern", "",
                    "Child A seen at A&E", "Child A", "Invented Child", "2013-12-30"])
    monkeypatch.setattr(typer, "prompt", lambda *a, **k: next(answers))
    monkeypatch.setattr(typer, "confirm", lambda *a, **k: True)
    incoming = prompt_referral(open_register(str(EXAMPLE), validated=False), dt.date(2017, 11, 23))
    referral, people = incoming.referral, incoming.people["people"]
    assert referral["received"] == "2017-11-17" and referral["lead_lscb"] == "reading"
    assert referral["criteria"]["must_notify"] == ["serious_harm_concern"] and referral["criteria"]["wider"] == []
    assert people[0]["name"] == "Invented Child" and people[0]["date_of_birth"] == "2013-12-30"


def test_actions_lists_every_action_red_first(wbcr, example):
    data = json.loads(wbcr("actions", "--format", "json", cwd=example).out)["actions"]
    assert data and data[0]["rag"] == "RED"
    assert {a["reference"] for a in data} == {"WBCR-2016-001", "WBCR-2016-004"}
    later = json.loads(wbcr("--today", "2018-05-29", "actions", "--overdue", "--format", "json", cwd=example).out)
    assert later["actions"] and all(a["overdue"] and a["derived_rag"] == "RED" for a in later["actions"])
    one = json.loads(wbcr("actions", "WBCR-2016-004", "--format", "json", cwd=example).out)["actions"]
    assert {a["reference"] for a in one} == {"WBCR-2016-004"}
