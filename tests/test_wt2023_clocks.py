"""The statutory clocks of Working Together 2023, worked by hand and checked through `wbcr deadlines`.

Held-back examples: each date below was counted on a calendar with the England and Wales bank holidays,
not taken from wbcr's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wbcr.core.calendar import Calendar
from wbcr.core.errors import WbcrError
from wbcr.model.procedure import load_procedure, with_anchors
from wbcr.workflow.deadlines import compute_deadlines

REFERRAL = """\
schema_version: 1
reference: NEW
received: 2023-04-26
became_aware: 2023-04-18
lead_lscb: reading
intake: review_referral
route: agency
referrer: {{name: Ffion Invented-Referrer, agency: bffc, role: Team Manager, date: 2023-04-26}}
dsl_consulted: {{consulted: true, name: Talwyn Invented-Lead, role: Principal Social Worker, agency: bffc}}
subjects: [child-c]
criteria: {{must_notify: [serious_harm_concern]}}
incident: {{date: 2023-04-18, description: Child C (fictional) was admitted with unexplained bruising.}}
summary: Child C, aged 2, was admitted with unexplained bruising; abuse is suspected.
immediate_actions: Strategy discussion; section 47 enquiry.
other_children_at_risk: false
agencies_involved: [{{agency: tvp}}, {{agency: bffc}}]
records_secured: true
{extra}people:
  - {{id: child-c, pseudonym: Child C, role: subject, name: Morwenna Invented-Kitto, date_of_birth: 2021-03-02}}
"""


def _due(records: dict, procedure=None) -> dict[str, tuple[str, str | None]]:
    procedure = procedure or load_procedure("wt2023")
    return {d.id: (d.due.isoformat(), d.met_on.isoformat() if d.met_on else None)
            for d in compute_deadlines(procedure, records, Calendar())}


def _records(**extra) -> dict:
    records = {"case": {"intake": "review_referral"},
               "referral": {"received": "2023-04-26", "became_aware": "2023-04-18",
                            "criteria": {"must_notify": ["serious_harm_concern"]}},
               "notifications": {"notifications": []}}
    for key, value in extra.items():
        records.setdefault(key, {}).update(value)
    return records


def _sent(records: dict, recipient: str, purpose: str, date: str) -> dict:
    records["notifications"]["notifications"].append({"recipient": recipient, "purpose": purpose, "date": date})
    return records


def test_the_notice_runs_from_the_day_the_local_authority_became_aware():
    # aware Tuesday 18 April 2023: 19, 20, 21, 24, 25 April -> due Tuesday 25 April (not 4 May from receipt)
    due = _due(_records())
    assert due["serious_incident_notification"] == ("2023-04-25", None)
    assert due["serious_incident_notification_ofsted"] == ("2023-04-25", None)
    assert due["notice_to_partners"] == ("2023-04-25", None)


def test_without_the_awareness_date_the_day_of_receipt_counts():
    records = _records()
    del records["referral"]["became_aware"]
    # received Wednesday 26 April 2023: 27, 28 April, 2 May (1 May is the early May bank holiday), 3, 4
    assert _due(records)["serious_incident_notification"] == ("2023-05-04", None)


def test_the_rapid_review_runs_from_the_notification_or_from_awareness_where_the_register_says_so():
    records = _sent(_records(), "national_panel", "serious_incident_notification", "2023-04-24")
    # notified Monday 24 April: 15 working days, skipping Monday 1 May and Monday 8 May 2023 (the
    # coronation bank holiday) -> Wednesday 17 May
    assert _due(records)["rapid_review"] == ("2023-05-17", None)
    procedure = with_anchors(load_procedure("wt2023"), {"rapid_review": "awareness"})
    # from awareness (Tuesday 18 April): 19 Apr .. -> Thursday 11 May
    assert _due(records, procedure)["rapid_review"] == ("2023-05-11", None)
    with pytest.raises(WbcrError, match="no starting point 'referral'"):
        with_anchors(load_procedure("wt2023"), {"rapid_review": "referral"})
    # a register with cases of both procedures: the 2015 procedure has no rapid review to re-anchor
    assert with_anchors(load_procedure("wt2015"), {"rapid_review": "awareness"}) == load_procedure("wt2015")


def test_a_notice_to_the_wrong_body_meets_nothing():
    records = _sent(_records(), "coroner", "serious_incident_notification", "2023-04-20")
    _sent(records, "dfe", "rapid_review_report", "2023-04-21")
    _sent(records, "coroner", "pre_publication_copy", "2023-04-21")
    due = _due(records)
    assert due["serious_incident_notification"][1] is None
    assert due["serious_incident_notification_ofsted"][1] is None
    assert "rapid_review" not in due  # its clock starts with the notification to the Panel, not to the coroner
    _sent(records, "ofsted", "serious_incident_notification", "2023-04-21")
    assert _due(records)["serious_incident_notification_ofsted"] == ("2023-04-25", "2023-04-21")
    assert _due(records)["serious_incident_notification"][1] is None


def test_a_looked_after_childs_death_goes_to_the_secretary_of_state_and_ofsted():
    records = _records(case={"flags": {"looked_after": True, "death": True}})
    records["referral"]["criteria"] = {}
    due = _due(records)
    assert due["looked_after_death_secretary_of_state"] == ("2023-04-25", None)
    assert due["looked_after_death_ofsted"] == ("2023-04-25", None)
    assert "serious_incident_notification" not in due  # no abuse or neglect known or suspected
    _sent(records, "secretary_of_state", "looked_after_death", "2023-04-19")
    assert _due(records)["looked_after_death_secretary_of_state"][1] == "2023-04-19"


def test_the_copies_before_publication_are_warned_about_from_the_planned_date():
    records = _records(case={"review_kind": "lcspr"},
                       decisions={"chair_decision": {"date": "2023-05-16", "decision": "lcspr"}},
                       review={"milestones": {"publication_planned": "2023-11-15"}})
    # planned Wednesday 15 November 2023: 7 working days back -> Monday 6 November
    due = _due(records)
    assert due["pre_publication_copy_national_panel"] == ("2023-11-06", None)
    assert due["pre_publication_copy_secretary_of_state"] == ("2023-11-06", None)
    assert due["lcspr_publication"] == ("2023-11-16", None)  # 6 months after the decision
    records["review"]["milestones"]["published"] = "2023-11-20"  # once published, the real date counts
    assert _due(records)["pre_publication_copy_national_panel"] == ("2023-11-09", None)
    assert _due(records)["lcspr_publication"] == ("2023-11-16", "2023-11-20")


def test_a_recorded_decision_not_to_publish_meets_the_publication_deadline():
    records = _records(case={"review_kind": "lcspr"},
                       decisions={"chair_decision": {"date": "2023-05-16", "decision": "lcspr"}},
                       review={"milestones": {"publication_mode": "not_published", "not_published_reason": "criminal trial",
                                              "not_published_decided": "2023-10-02"}})
    assert _due(records)["lcspr_publication"] == ("2023-11-16", "2023-10-02")


def _register(tmp_path: Path, wbcr, extra: str = "") -> tuple[Path, str]:
    reg = tmp_path / "reg"
    assert wbcr("--today", "2023-04-26", "init", str(reg), "--procedure", "wt2023", cwd=tmp_path).code == 0
    form = tmp_path / "referral.yaml"
    form.write_text(REFERRAL.format(extra=extra))
    out = wbcr("--today", "2023-04-26", "refer", "--from", str(form), cwd=reg)
    assert out.code == 0, out.err
    ref = next(p.name for p in (reg / "cases").iterdir() if not p.name.startswith("."))
    return reg, ref


def _deadlines(wbcr, reg: Path, ref: str, today: str) -> dict:
    out = wbcr("--today", today, "deadlines", "--format", "json", cwd=reg)
    assert out.code == 0, out.err
    return {row["id"]: row for row in json.loads(out.out)["deadlines"] if row["reference"] == ref}


def test_the_worked_example_through_wbcr_deadlines(tmp_path, wbcr):
    """The issue's case: incident 2023-04-18, referral received 2023-04-26. The notice was due on the
    25th and is already late, not "8 days left"."""
    reg, ref = _register(tmp_path, wbcr)
    rows = _deadlines(wbcr, reg, ref, "2023-04-26")
    notice = rows["serious_incident_notification"]
    assert notice["due"] == "2023-04-25" and notice["state"] == "overdue"
    assert rows["serious_incident_notification_ofsted"]["due"] == "2023-04-25"
    # the notice sent to the coroner by mistake does not meet the Panel's deadline
    assert wbcr("--today", "2023-04-26", "notify", ref, "--recipient", "coroner", "--purpose",
                "serious_incident_notification", "--on", "2023-04-26", cwd=reg).code == 0
    assert _deadlines(wbcr, reg, ref, "2023-04-26")["serious_incident_notification"]["state"] == "overdue"
    assert wbcr("--today", "2023-04-27", "notify", ref, "--recipient", "national_panel", "--purpose",
                "serious_incident_notification", "--on", "2023-04-27", cwd=reg).code == 0
    rows = _deadlines(wbcr, reg, ref, "2023-04-27")
    assert "serious_incident_notification" not in rows  # met (late), so no longer open
    # 15 working days from Thursday 27 April 2023, skipping 1 and 8 May -> Monday 22 May
    assert rows["rapid_review"]["due"] == "2023-05-22"


def test_a_referral_of_a_looked_after_childs_death_starts_the_notices(tmp_path, wbcr):
    reg, ref = _register(tmp_path, wbcr, extra="child_died: true\nchild_looked_after: true\n")
    case = (reg / "cases" / ref / "case.yaml").read_text()
    assert "looked_after: true" in case and "death: true" in case
    rows = _deadlines(wbcr, reg, ref, "2023-04-26")
    assert rows["looked_after_death_secretary_of_state"]["due"] == "2023-04-25"
    assert rows["looked_after_death_ofsted"]["due"] == "2023-04-25"
