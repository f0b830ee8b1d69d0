"""Whole lives by commands (issue 9's check, the start of issue 10): the example register's SCR, SILP and
multi-agency review are taken stage by stage to `closed` with wbcr commands only — no hand edit of any
record — with time moving on through `--today`. After every step a clean clone of the register
validates exactly as the work tree does, and every commit carries its Wbcr-Action trailer."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import git


@pytest.fixture
def life(wbcr, example, env, tmp_path):
    """`step(today, *command)`: run one wbcr command as of `today`, require success, then check that a
    fresh clone validates identically and that the work tree holds nothing uncommitted."""
    clones = iter(range(1000))

    def step(today: str, *args: str, expect: int = 0):
        result = wbcr("--today", today, *args, cwd=example)
        assert result.code == expect, f"wbcr {' '.join(args)}\n{result.out}\n{result.err}"
        if expect:
            return result
        assert git(example, "status", "--porcelain") == "", f"after wbcr {' '.join(args)}: uncommitted files"
        clone = tmp_path / f"clone-{next(clones)}"
        git(tmp_path, "clone", "-q", str(example), str(clone), env=env)
        here = wbcr("--today", today, "validate", "--format", "json", cwd=example)
        there = wbcr("--today", today, "validate", "--format", "json", cwd=clone)
        assert json.loads(here.out)["errors"] == 0, here.out
        assert here.out == there.out, f"a clean clone validates differently after wbcr {' '.join(args)}"
        return result

    step.register = example
    return step


def _stage(register, reference: str) -> str:
    return yaml.safe_load((register / "cases" / reference / "case.yaml").read_text())["stage"]


def _open_actions(register, reference: str) -> list[str]:
    data = yaml.safe_load((register / "cases" / reference / "recommendations.yaml").read_text())
    return [a["id"] for r in data["recommendations"] for a in r["actions"] if not a.get("signed_off")]


def _trailers_on_every_commit_since(register, start: str) -> None:
    log = git(register, "log", "--format=%H %(trailers:key=Wbcr-Action,valueonly,separator=%x2C)", f"{start}..HEAD")
    missing = [line for line in log.splitlines() if len(line.split()) < 2]
    assert not missing, f"commits without a Wbcr-Action trailer: {missing}"


def test_a_multi_agency_review_from_evidence_to_closed(life):
    reg, ref = life.register, "WBCR-2017-002"
    start = git(reg, "rev-parse", "HEAD").strip()
    life("2017-11-24", "advance", ref)
    life("2017-11-24", "review", "agency-report", ref, "--agency", "gp", "--received", "2017-11-24",
         "--quality-assured", "2017-11-24")
    life("2017-12-01", "review", "meeting", ref, "--kind", "panel", "--note", "Analysis of the agency reports")
    life("2017-12-01", "advance", ref)
    life("2017-12-15", "plan", "recommendation", ref, "--id", "R1", "--scope", "multi_agency", "--agency",
         "wbc-education", "--adopted", "2017-12-15",
         "--text", "Schools share attendance concerns with the GP and health visitor within five working days")
    life("2017-12-15", "plan", "action", ref, "--recommendation", "R1", "--id", "R1-A1", "--action",
         "Agree an information-sharing protocol", "--lead-agency", "wbc-education", "--target", "2018-03-28")
    life("2018-01-12", "review", "milestone", ref, "--milestone", "overview_final")
    life("2018-01-12", "advance", ref)
    life("2018-01-29", "review", "milestone", ref, "--milestone", "lscb_approved")
    # the family sees the report before it is published: without it the plan cannot be monitored yet
    refused = life("2018-01-29", "advance", ref, expect=1)
    assert "sharing the report with the family before publication is not recorded" in refused.out
    life("2018-01-29", "review", "milestone", ref, "--milestone", "shared_with_family")
    life("2018-01-29", "advance", ref)
    assert _stage(reg, ref) == "action_monitoring"
    life("2018-02-26", "plan", "rag", ref, "--action", "R1-A1", "--rag", "GREEN", "--note", "Protocol drafted")
    # `closed` means finished: not with an action open
    refused = life("2018-03-22", "advance", ref, expect=1)
    assert "action R1-A1 is not signed off" in refused.out + refused.err
    life("2018-03-22", "plan", "sign-off", ref, "--action", "R1-A1", "--by", "CRG chair",
         "--evidence", "Protocol signed by every agency")
    life("2018-03-22", "advance", ref)
    assert _stage(reg, ref) == "closed"
    _trailers_on_every_commit_since(reg, start)


def test_a_silp_from_reporting_to_closed(life):
    reg, ref = life.register, "WBCR-2017-003"
    start = git(reg, "rev-parse", "HEAD").strip()
    life("2017-11-27", "plan", "recommendation", ref, "--id", "R1", "--scope", "single_agency", "--agency", "rbft",
         "--text", "Midwives ask about the father's history at booking", "--adopted", "2017-11-27")
    life("2017-11-27", "plan", "action", ref, "--recommendation", "R1", "--id", "R1-A1", "--action",
         "Add the question to the booking template", "--lead-agency", "rbft", "--target", "2018-02-25")
    life("2017-12-04", "review", "milestone", ref, "--milestone", "overview_final")
    life("2017-12-04", "advance", ref, "--late-reason", "Recall event moved by the practitioners' availability")
    life("2017-12-11", "review", "milestone", ref, "--milestone", "lscb_approved")
    life("2017-12-11", "review", "milestone", ref, "--milestone", "shared_with_family")
    life("2017-12-11", "advance", ref)
    life("2018-02-17", "plan", "sign-off", ref, "--action", "R1-A1", "--by", "Head of Midwifery",
         "--evidence", "Template live since 29 January 2018")
    life("2018-02-17", "advance", ref)
    assert _stage(reg, ref) == "closed"
    _trailers_on_every_commit_since(reg, start)


def test_a_serious_case_review_from_approval_to_closed(life):
    reg, ref = life.register, "WBCR-2016-004"
    start = git(reg, "rev-parse", "HEAD").strip()
    life("2017-11-24", "review", "milestone", ref, "--milestone", "lscb_approved")
    life("2017-11-24", "advance", ref)
    assert _stage(reg, ref) == "publication"
    for body in ("ofsted", "dfe", "national_panel"):
        life("2017-11-28", "notify", ref, "--recipient", body, "--purpose", "pre_publication_copy")
    life("2017-11-30", "review", "milestone", ref, "--milestone", "shared_with_family")
    life("2017-12-07", "review", "milestone", ref, "--milestone", "published", "--mode", "full")
    life("2017-12-07", "advance", ref)
    open_actions = _open_actions(reg, ref)
    assert open_actions, "the example SCR has actions to finish"
    for action in open_actions:
        life("2018-03-29", "plan", "sign-off", ref, "--action", action, "--by", "CRG chair",
             "--evidence", f"Evidence of {action} seen by the CRG")
    life("2018-03-29", "advance", ref)
    assert _stage(reg, ref) == "closed"
    _trailers_on_every_commit_since(reg, start)


@pytest.mark.parametrize("args, message", [
    (("review", "reviewer", "WBCR-2017-002", "--role", "author", "--name", "X"), "--role must be one of"),
    (("review", "agency-report", "WBCR-2017-002", "--agency", "scas", "--received", "2017-11-17"),
     'no report has been asked of "scas" yet'),
    (("review", "agency-report", "WBCR-2017-002", "--agency", "atlantis", "--requested", "2017-11-17"),
     'unknown agency "atlantis"'),
    (("review", "milestone", "WBCR-2017-002", "--milestone", "published", "--mode", "not_published"),
     "needs the reason"),
    (("plan", "action", "WBCR-2017-002", "--recommendation", "R9", "--id", "R9-A1"), 'no recommendation "R9"'),
    (("plan", "rag", "WBCR-2017-002", "--action", "R9-A1", "--rag", "RED", "--note", "x"), 'no action "R9-A1"'),
])
def test_review_commands_refuse_what_the_records_cannot_hold(wbcr, example, args, message):
    head = git(example, "rev-parse", "HEAD").strip()
    result = wbcr("--today", "2017-11-23", *args, cwd=example)
    assert result.code == 2, result.out + result.err
    assert message in result.err
    assert "Traceback" not in result.err
    assert git(example, "rev-parse", "HEAD").strip() == head
    assert git(example, "status", "--porcelain") == ""


def test_an_action_carried_to_another_plan_lets_the_review_close(life, wbcr):
    """`closed` means finished: each action signed off, or carried to another plan with a reason."""
    reg, ref = life.register, "WBCR-2016-001"
    refused = life("2017-11-28", "advance", ref, expect=1)
    assert "action R1-A2 is not signed off (or carried to another plan with a reason)" in refused.out + refused.err
    life("2017-11-28", "plan", "sign-off", ref, "--action", "R1-A2", "--by", "CRG chair",
         "--evidence", "Audit repeated: 92% of records complete")
    life("2017-11-28", "plan", "carry", ref, "--action", "R3-A1", "--into", "Neglect strategy action plan 2018-20",
         "--reason", "Becomes part of the partnership's neglect strategy from April", "--by", "CRG chair")
    life("2017-11-28", "advance", ref)
    assert _stage(reg, ref) == "closed"
    rows = json.loads(wbcr("--today", "2018-01-29", "actions", ref, "--format", "json", cwd=reg).out)["actions"]
    carried = [r for r in rows if r["action"] == "R3-A1"]
    assert carried[0]["carried_to"] == "Neglect strategy action plan 2018-20" and not carried[0]["overdue"]
    deadlines = json.loads(wbcr("--today", "2018-01-29", "deadlines", "--format", "json", cwd=reg).out)["deadlines"]
    assert not [d for d in deadlines if d["reference"] == ref]


def test_an_audit_that_agrees_no_actions_closes_from_its_findings(life):
    """The guidance's "agree any actions": none agreed is an outcome, so the case closes from its findings
    (an exit), and a clean clone still validates it."""
    reg, ref = life.register, "WBCR-2017-006"  # a multi-agency audit under way
    life("2017-11-24", "advance", ref)
    assert _stage(reg, ref) == "findings_reported"
    life("2017-11-27", "advance", ref, "--stage", "closed")
    assert _stage(reg, ref) == "closed"


def test_a_notifier_notice_is_recorded_under_its_own_purpose(wbcr, example):
    """The notice to the person who referred answers them wherever the case ends (here: screened out),
    so the purpose taken from its file name is its own, not "decision_notification"."""
    ref = "WBCR-2017-010"  # at screening
    screened = wbcr("--today", "2017-11-24", "screen", ref, "--outcome", "not_for_review",
                    "--rationale", "The criteria for a review are not met", cwd=example)
    assert screened.code == 0, screened.err
    final = wbcr("--today", "2017-11-24", "render", ref, "notifier-notice", "--to", "notifier", "--no-protect",
                 cwd=example)
    assert final.code == 0, final.err
    path = final.out.strip().splitlines()[0]
    recorded = wbcr("--today", "2017-11-24", "notify", ref, "--recipient", "notifier", "--document", path,
                    cwd=example)
    assert recorded.code == 0, recorded.err
    notices = yaml.safe_load((example / "cases" / ref / "notifications.yaml").read_text())["notifications"]
    assert notices[-1]["purpose"] == "notifier_notice"


def test_family_involvement_and_the_working_together_concern_are_recorded_by_commands(wbcr, example):
    ref = "WBCR-2017-002"
    done = wbcr("--today", "2017-11-24", "review", "family", ref, "--plan", "The lead reviewer meets the mother",
                "--letter-sent", "2017-11-17", cwd=example)
    assert done.code == 0, done.err
    people = yaml.safe_load((example / "cases" / ref / "people.yaml").read_text())["people"]
    person = people[0]["id"]
    done = wbcr("--today", "2017-11-24", "review", "family", ref, "--contact-on", "2017-11-23", "--person", person,
                "--method", "home visit", cwd=example)
    assert done.code == 0, done.err
    family = yaml.safe_load((example / "cases" / ref / "review.yaml").read_text())["family_involvement"]
    assert family["letter_sent"] and family["contacts"][-1]["method"] == "home visit"
    met = wbcr("--today", "2017-11-24", "review", "meeting", ref, "--kind", "family", "--on", "2017-11-23",
               cwd=example)
    assert met.code == 0, met.err
    ref = "WBCR-2017-007"  # at chair_decision: the CRG has met; its conclusion is corrected
    # "criteria not met" against facts that meet regulation 5(2) (abuse suspected, seriously harmed, a
    # concern about working together) is refused, naming both
    contradicted = wbcr("--today", "2017-11-24", "crg", "conclude", ref, "--criteria-not-met",
                        "--concern-about-working-together", "--alternative-considered", "--alternative-outcome", "A SILP",
                        "--recommendation", "silp", "--rationale", "Learning about joint working", cwd=example)
    assert contradicted.code == 1 and "criteria.contradiction" in contradicted.out
    assert "regulation 5(2)" in contradicted.out and "nothing was written" in contradicted.err
    concluded = wbcr("--today", "2017-11-24", "crg", "conclude", ref, "--criteria-met",
                     "--concern-about-working-together", "--recommendation", "scr",
                     "--rationale", "Learning about joint working", cwd=example)
    assert concluded.code == 0, concluded.err
    decisions = yaml.safe_load((example / "cases" / ref / "decisions.yaml").read_text())
    assert decisions["crg_consideration"]["criteria_assessment"]["concern_about_working_together"] is True
