"""Commands know where a case is (issue 10, point 2): a recording command refuses, with exit 1, what the
case's intake, stage or records do not allow, says why and what the case needs first, and changes
nothing; a command that records echoes the case's pseudonym and stage."""

from __future__ import annotations

import pytest

from conftest import git


def _refused(wbcr, register, *args):
    head = git(register, "rev-parse", "HEAD")
    result = wbcr("--today", "2017-11-24", *args, cwd=register)
    assert result.code == 1, f"wbcr {' '.join(args)} was not refused:\n{result.out}{result.err}"
    assert "nothing was changed" in result.err and "hint:" in result.err
    assert "Traceback" not in result.err
    assert git(register, "rev-parse", "HEAD") == head and git(register, "status", "--porcelain") == ""
    return result.err


@pytest.mark.parametrize("args", [
    ("screen", "--outcome", "sufficient", "--rationale", "enough detail"),
    ("request", "--agency", "tvp", "--sent", "2017-11-24"),
    ("extraordinary", "--outcome", "the Chair's decision stands"),
    ("notify", "--recipient", "ofsted", "--purpose", "decision_notification"),
    ("crg", "meeting", "--present", "A. Member"),
    ("decide", "--decision", "scr", "--rationale", "x"),
    ("review", "panel", "--name", "A. Member", "--agency", "tvp", "--role", "Panel member"),
])
def test_the_out_of_area_contribution_refuses_what_its_intake_has_no_place_for(wbcr, example, args):
    """The issue's misuse: on WBCR-2017-004 (a contribution to another area's review, no Chair's
    decision) screen, request, extraordinary and a decision notification to Ofsted all committed."""
    command, rest = (args[:2], args[2:]) if args[0] in ("crg", "review") else (args[:1], args[1:])
    err = _refused(wbcr, example, *command, "WBCR-2017-004", *rest)
    assert "Contribution to a review commissioned by another area" in err
    assert "wbcr next WBCR-2017-004" in err


def test_an_extraordinary_meeting_needs_a_decision_that_differs(wbcr, example):
    ref = "WBCR-2017-007"  # at chair_decision: the CRG has recommended, the Chair has not decided
    err = _refused(wbcr, example, "extraordinary", ref, "--outcome", "x")
    assert "the Independent Chair's decision is not recorded" in err and "wbcr decide" in err
    decisions = (example / "cases" / ref / "decisions.yaml").read_text()
    recommended = next(line.split(":", 1)[1].strip() for line in decisions.splitlines()
                       if line.startswith("  recommendation:"))
    decided = wbcr("--today", "2017-11-24", "decide", ref, "--decision", recommended, "--rationale", "agreed",
                   cwd=example)
    assert decided.code == 0, decided.err
    err = _refused(wbcr, example, "extraordinary", ref, "--outcome", "x")
    assert "only when they differ" in err


def test_a_decision_notification_waits_for_the_decision(wbcr, example):
    err = _refused(wbcr, example, "notify", "WBCR-2017-008", "--recipient", "ofsted",
                   "--purpose", "decision_notification")
    assert "the Independent Chair's decision is not recorded" in err


def test_a_decision_is_not_recorded_after_the_case_moved_on(wbcr, example):
    err = _refused(wbcr, example, "decide", "WBCR-2017-003", "--decision", "scr", "--rationale", "x")
    assert 'is at the stage "' in err and "(reporting)" in err


def test_recording_echoes_the_pseudonym_and_stage(wbcr, example):
    result = wbcr("--today", "2017-11-24", "screen", "WBCR-2017-010", "--outcome", "sufficient",
                  "--rationale", "Enough detail to request information", "--on", "2017-11-24", cwd=example)
    assert result.code == 0, result.err
    assert result.out.startswith("WBCR-2017-010 (Child ") and ", at screening)" in result.out
    subject = git(example, "log", "-1", "--format=%s").strip()
    assert subject.endswith("(24 Nov 2017)") and git(example, "log", "-1", "--format=%(trailers:key=Wbcr-Date,valueonly)").strip() == "2017-11-24"


def test_an_overdue_action_of_a_closed_case_stays_on_deadlines_and_validate(wbcr, example, env):
    """Issue 10, point 3: a case closed (by an older wbcr, or by hand) with an action open keeps the
    action on `deadlines` and in validate's warnings until it is signed off."""
    import json

    ref = "WBCR-2017-001"  # closed (no review): give it an action plan left open, as a hand edit would
    (example / "cases" / ref / "recommendations.yaml").write_text(
        "schema_version: 1\nrecommendations:\n  - id: R1\n    text: Share the learning on bruising in babies.\n"
        "    scope: multi_agency\n    actions:\n      - id: R1-A1\n        action: Brief health visitors.\n"
        "        lead_agency: bhft\n        target_date: 2017-10-27\n")
    git(example, "add", "-A", env=env)
    git(example, "commit", "-qm", "hand edit: an action left open on a closed case", env=env)
    rows = json.loads(wbcr("--today", "2017-11-24", "deadlines", "--format", "json", cwd=example).out)["deadlines"]
    assert [(r["reference"], r["id"], r["state"]) for r in rows if r["reference"] == ref] == \
        [(ref, "action:R1-A1", "overdue")]
    found = json.loads(wbcr("--today", "2017-11-24", "validate", "--format", "json", cwd=example).out)
    assert any(f["code"] == "deadline.overdue" and ref in f["path"] and "R1-A1" in f["message"]
               for f in found["findings"]), found["findings"]
