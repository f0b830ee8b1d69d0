"""Working Together 2023 in its own words: the partners' decision, the procedure's vocabulary in the
views and documents a register can reword, recipients checked, the warnings that do not block."""

from __future__ import annotations

import json

import yaml

from conftest import git
from test_wt2023_clocks import _register


def _decisions(reg, ref) -> dict:
    return yaml.safe_load((reg / "cases" / ref / "decisions.yaml").read_text())


def _ready_to_decide(wbcr, reg, ref):
    run = lambda *a: wbcr("--today", "2023-05-10", *a, cwd=reg)  # noqa: E731
    for body in ("national_panel", "ofsted", "safeguarding_partners"):
        assert run("notify", ref, "--recipient", body, "--purpose", "serious_incident_notification",
                   "--on", "2023-04-24").code == 0
    assert run("advance", ref, "--on", "2023-04-26").code == 0
    met = run("crg", "meeting", ref, "--on", "2023-05-09", "--present", "Police member")
    assert met.code == 0, met.err
    assert run("crg", "recommend", ref, "--member", "Police member", "--recommendation", "lcspr",
               "--reason", "Learning about information sharing").code == 0
    return run


def test_the_partners_decide_an_lcspr_with_the_regulation_11_considerations(tmp_path, wbcr):
    reg, ref = _register(tmp_path, wbcr)
    run = _ready_to_decide(wbcr, reg, ref)
    refused = run("decide", ref, "--decision", "scr", "--rationale", "x", "--on", "2023-05-10")
    assert refused.code == 2 and '"scr" is not a decision of' in refused.err and "lcspr (Local child" in refused.err
    unknown = run("decide", ref, "--decision", "lcspr", "--rationale", "x", "--consideration", "gut_feeling")
    assert unknown.code == 2 and "improvements_needed" in unknown.err
    done = run("decide", ref, "--decision", "lcspr", "--on", "2023-05-10", "--consideration", "improvements_needed",
               "--consideration", "agencies_working_together", "--rationale", "Serious harm; learning about sharing")
    assert done.code == 0, done.err
    assert "Local child safeguarding practice review (LCSPR)" in done.out
    chair = _decisions(reg, ref)["chair_decision"]
    assert chair["by"] == "Safeguarding partners"  # not the Independent Chair of the 2015 starter
    assert chair["considerations"] == ["improvements_needed", "agencies_working_together"]
    log = run("history", ref, "--format", "json")
    assert "Safeguarding partners decided: Local child safeguarding practice review (LCSPR)" in log.out
    shown = run("show", ref)
    assert "Safeguarding partners" in shown.out and "Rapid review" in shown.out
    assert "Independent Chair" not in shown.out and "CRG" not in shown.out and "Lead LSCB" not in shown.out
    report = json.loads(run("report", "decisions", "--format", "json").out)
    row = next(c for c in report["cases"] if c["reference"] == ref)
    assert row["words"]["decision_maker_title"] == "Safeguarding partners"
    assert row["chair_decision"]["decision_label"].startswith("Local child safeguarding practice review")


def test_a_register_rewords_the_procedure(tmp_path, wbcr):
    reg, ref = _register(tmp_path, wbcr)
    config = reg / "wbcr.yaml"
    config.write_text(config.read_text() + "labels:\n  words:\n    decision_maker_title: Berkshire West partners\n"
                      "  review_kind:\n    lcspr: Child safeguarding practice review (local)\n")
    git(reg, "commit", "-qam", "our own words")
    run = _ready_to_decide(wbcr, reg, ref)
    assert run("decide", ref, "--decision", "lcspr", "--rationale", "Learning", "--on", "2023-05-10").code == 0
    listed = run("labels")
    assert "decision_maker_title: Berkshire West partners (register)" in listed.out
    shown = run("show", ref)
    assert "Berkshire West partners" in shown.out and "Child safeguarding practice review (local)" in shown.out
    assert _decisions(reg, ref)["chair_decision"]["by"] == "Berkshire West partners"
    config.write_text(config.read_text() + "deadline_anchors:\n  rapid_review: awareness\n")
    git(reg, "commit", "-qam", "count the rapid review from awareness")
    rows = json.loads(run("deadlines", "--format", "json").out)["deadlines"]
    # 15 working days from awareness (Tuesday 18 April 2023), not from the notification on the 24th
    assert {r["id"]: r["due"] for r in rows if r["reference"] == ref}["rapid_review"] == "2023-05-11"


def test_register_wording_and_anchors_are_checked(tmp_path, wbcr):
    reg, _ref = _register(tmp_path, wbcr)
    config = reg / "wbcr.yaml"
    config.write_text(config.read_text() + "labels:\n  words:\n    decison_maker: x\n  colours:\n    red: y\n"
                      "deadline_anchors:\n  rapid_review: whenever\n")
    out = wbcr("--today", "2023-05-10", "validate", cwd=reg)
    assert out.code == 1
    assert 'warning[config.labels]: labels: words: "decison_maker" is not a word any procedure uses' in out.out
    assert 'labels: "colours" is not a label group' in out.out
    assert 'error[config.deadline_anchor]: deadline_anchors: rapid_review has no starting point "whenever"' in out.out
    assert "wbcr.yaml:" in out.out


def test_a_notice_to_an_unknown_body_is_refused(tmp_path, wbcr):
    reg, ref = _register(tmp_path, wbcr)
    out = wbcr("--today", "2023-04-26", "notify", ref, "--recipient", "national_pannel", "--purpose",
               "serious_incident_notification", cwd=reg)
    assert out.code == 2 and 'unknown recipient "national_pannel"' in out.err and 'did you mean "national_panel"' in out.err
    out = wbcr("--today", "2023-04-26", "notify", ref, "--recipient", "agency:nobody", "--purpose", "x", cwd=reg)
    assert out.code == 2
    out = wbcr("--today", "2023-04-26", "notify", ref, "--recipient", "ofsted", "--purpose", "Decision letter", cwd=reg)
    assert out.code == 2 and "not a purpose id" in out.err
    assert not (reg / "cases" / ref / "notifications.yaml").exists()


def test_the_panels_response_is_recorded_after_the_rapid_review_report(tmp_path, wbcr):
    reg, ref = _register(tmp_path, wbcr)
    run = _ready_to_decide(wbcr, reg, ref)
    early = run("panel-response", ref, "--outcome", "agrees", "--on", "2023-05-10")
    assert early.code == 1 and "rapid review report to the Panel is not recorded" in (early.out + early.err)
    assert run("decide", ref, "--decision", "no_review", "--rationale", "Learning in hand", "--on", "2023-05-10").code == 0
    assert run("notify", ref, "--recipient", "dfe", "--purpose", "rapid_review_report", "--on", "2023-05-10").code == 0
    assert run("panel-response", ref, "--outcome", "agrees").code == 1  # sent to DfE: not the Panel's report
    assert run("notify", ref, "--recipient", "national_panel", "--purpose", "rapid_review_report",
               "--on", "2023-05-10").code == 0
    done = run("panel-response", ref, "--outcome", "agrees", "--on", "2023-05-10", "--note", "Agrees")
    assert done.code == 0, done.err
    assert _decisions(reg, ref)["panel_response"]["outcome"] == "agrees"


def test_a_report_taken_down_within_a_year_is_warned_about(example, wbcr):
    review = example / "cases" / "WBCR-2016-004" / "review.yaml"
    data = yaml.safe_load(review.read_text())
    data["milestones"].update({"published": "2016-11-28", "removed_from_website": "2017-06-27"})
    review.write_text(yaml.safe_dump(data, sort_keys=False))
    out = wbcr("validate", cwd=example)
    assert "warning[publication.online]: the report was taken off the website on 2017-06-27, less than a year " \
           "after it was published (2016-11-28)" in out.out
    data["milestones"]["removed_from_website"] = "2017-11-28"
    review.write_text(yaml.safe_dump(data, sort_keys=False))
    assert "publication.online" not in wbcr("validate", cwd=example).out


def test_a_notice_to_a_body_the_register_does_not_know_is_warned_about(example, wbcr):
    notices = example / "cases" / "WBCR-2017-001" / "notifications.yaml"
    notices.write_text(notices.read_text().replace("recipient: ofsted", "recipient: ofstead", 1))
    out = wbcr("validate", cwd=example)
    assert 'warning[notification.recipient]: notice 1 is to "ofstead", a recipient this register does not know' in out.out
    assert 'did you mean "ofsted"?' in out.out
