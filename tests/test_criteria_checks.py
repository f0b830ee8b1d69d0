"""The review criteria against the recorded facts (issue 11, point 4): under wt2015 regulation 5(2) of
the LSCB Regulations 2006, under wt2023 section 16C(1) of the Children Act 2004. A conclusion the
facts contradict is an error (`criteria.contradiction`), a conclusion the facts do not support a
warning (`criteria.unsupported`), and the child's recovery given as a reason while the harm is recorded
as not serious a warning (`criteria.recovery-reason`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import EXAMPLE
from wbcr.core.dates import parse_iso_date
from wbcr.validation.criteria import CRITERIA, find_recovery_reason, met_on_facts
from wbcr.validation.engine import validate_register

CASE = "WBCR-2017-006"  # decided (multi-agency audit): known abuse, outcome neither, concern, not met
CODES = {"criteria.contradiction", "criteria.unsupported", "criteria.recovery-reason"}


def _assess(register: Path, case: str = CASE, **values) -> Path:
    """Set fields of decisions.yaml crg_consideration.criteria_assessment, line by line (comments and
    positions elsewhere kept)."""
    path = register / "cases" / case / "decisions.yaml"
    text = path.read_text()
    head, block = text.split("  criteria_assessment:\n", 1)
    for key, value in values.items():
        shown = str(value).lower() if isinstance(value, bool) else value
        block, found = re.subn(rf"^    {key}: .*$", f"    {key}: {shown}", block, count=1, flags=re.M)
        if not found:
            block = f"    {key}: {shown}\n" + block
    path.write_text(head + "  criteria_assessment:\n" + block)
    return path


def _procedure(register: Path, procedure: str, case: str = CASE) -> None:
    path = register / "cases" / case / "case.yaml"
    path.write_text(path.read_text().replace("procedure: wt2015", f"procedure: {procedure}", 1))


def _line_of(path: Path, prefix: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if line.lstrip().startswith(prefix))


def _criteria_findings(wbcr, register: Path, case: str = CASE) -> list[dict]:
    result = wbcr("validate", case, "--format", "json", cwd=register)
    return [f for f in json.loads(result.out)["findings"] if f["code"] in CODES]


# --- the rule, as data -----------------------------------------------------------------------------


@pytest.mark.parametrize(("framework", "facts", "met"), [
    ("wt2015", dict(abuse_or_neglect="known", outcome_for_child="died"), True),
    ("wt2015", dict(abuse_or_neglect="suspected", outcome_for_child="died", concern_about_working_together=False),
     True),
    ("wt2015", dict(abuse_or_neglect="suspected", outcome_for_child="seriously_harmed",
                    concern_about_working_together=True), True),
    ("wt2015", dict(abuse_or_neglect="known", outcome_for_child="seriously_harmed",
                    concern_about_working_together=False), False),
    ("wt2015", dict(abuse_or_neglect="known", outcome_for_child="seriously_harmed"), None),  # concern not recorded
    ("wt2015", dict(abuse_or_neglect="not_known", outcome_for_child="died"), False),
    ("wt2015", dict(abuse_or_neglect="known", outcome_for_child="neither", concern_about_working_together=True),
     False),
    ("wt2015", dict(outcome_for_child="died"), None),
    ("wt2015", dict(), None),
    ("wt2023", dict(abuse_or_neglect="known", outcome_for_child="seriously_harmed",
                    concern_about_working_together=False), True),
    ("wt2023", dict(abuse_or_neglect="suspected", outcome_for_child="seriously_harmed"), True),
    ("wt2023", dict(abuse_or_neglect="suspected", outcome_for_child="died"), True),
    ("wt2023", dict(abuse_or_neglect="not_known", outcome_for_child="seriously_harmed"), False),
    ("wt2023", dict(abuse_or_neglect="known", outcome_for_child="neither"), False),
])
def test_the_criteria_on_the_facts(framework, facts, met):
    assert met_on_facts({**facts, "scr_criteria_met": True}, CRITERIA[framework])[0] is met


@pytest.mark.parametrize(("text", "words"), [
    ("Harm was significant but Child M has made a full recovery; multi-agency learning is clear.",
     "made a full recovery"),
    ("Neglect is known, but Child B has recovered well.", "recovered"),
    ("The child HAS RECOVERED.", "RECOVERED"),
    ("Child T fully recovered within a fortnight of discharge.", "recovered"),
    ("The consultant expects a full recovery.", "full recovery"),
    ("Child A made a good recovery after surgery.", "made a good recovery"),
    ("She is recovering well at home.", "recovering well"),
    # not the child's recovery given as a reason
    ("A recovery plan is in place with the family.", None),
    ("The child was placed in the recovery position by a neighbour.", None),
    ("Police recovered the phone and a knife from the address.", None),
    ("The phone was recovered from the scene.", None),
    ("Cash and drugs were recovered.", None),
    ("Child C has not recovered and needs continuing care.", None),
    ("Child C is not expected to make a full recovery.", None),
    ("Child C has yet to make a good recovery.", None),
    ("Mother is in recovery from alcohol misuse.", None),
    ("Even if a child recovers, serious harm may still have occurred.", None),
    ("Serious harm; the recovery of records took weeks.", None),
])
def test_the_recovery_matcher_is_modest(text, words):
    assert find_recovery_reason(text) == words


# --- through wbcr validate ------------------------------------------------------------------------


def test_false_against_facts_that_meet_regulation_5_2_is_an_error_at_scr_criteria_met(wbcr, example):
    path = _assess(example, outcome_for_child="died")
    result = wbcr("validate", CASE, cwd=example)
    assert result.code == 1
    line = _line_of(path, "scr_criteria_met:")
    (found,) = [l for l in result.lines if "criteria." in l]
    assert found == (
        f"cases/{CASE}/decisions.yaml:{line}:23: error[criteria.contradiction]: scr_criteria_met is false, but the "
        "recorded facts meet the Serious Case Review criteria of regulation 5(2) of the Local Safeguarding Children "
        "Boards Regulations 2006: abuse or neglect is known and the child died (hint: correct the facts or the "
        f"conclusion with `wbcr crg conclude {CASE}` (--criteria-met or --criteria-not-met, --abuse-or-neglect, "
        "--outcome-for-child, --concern-about-working-together))"), found


def test_serious_harm_meets_regulation_5_2_only_with_concern_about_working_together(wbcr, example):
    _assess(example, abuse_or_neglect="suspected", outcome_for_child="seriously_harmed",
            concern_about_working_together=True)
    (found,) = _criteria_findings(wbcr, example)
    assert (found["code"], found["severity"]) == ("criteria.contradiction", "error")
    assert found["message"].endswith("abuse or neglect is suspected, the child was seriously harmed and there is "
                                     "cause for concern about how agencies worked together")
    _assess(example, concern_about_working_together=False)
    assert _criteria_findings(wbcr, example) == []
    assert wbcr("validate", CASE, cwd=example).code == 0


@pytest.mark.parametrize("facts", [
    dict(abuse_or_neglect="known", outcome_for_child="died", scr_criteria_met=True),
    dict(abuse_or_neglect="not_known", outcome_for_child="died", scr_criteria_met=False),
    dict(abuse_or_neglect="known", outcome_for_child="neither", scr_criteria_met=False),
    dict(abuse_or_neglect="suspected", outcome_for_child="seriously_harmed", concern_about_working_together=True,
         scr_criteria_met=True),
])
def test_consistent_records_pass(wbcr, example, facts):
    _assess(example, **facts)
    result = wbcr("validate", CASE, "--strict", cwd=example)
    assert result.code == 0, result.out


def test_true_against_facts_that_do_not_meet_the_criteria_is_a_warning(wbcr, example):
    path = _assess(example, abuse_or_neglect="not_known", outcome_for_child="died", scr_criteria_met=True)
    result = wbcr("validate", CASE, cwd=example)
    assert result.code == 0, result.out
    (found,) = [l for l in result.lines if "criteria." in l]
    assert found.startswith(f"cases/{CASE}/decisions.yaml:{_line_of(path, 'scr_criteria_met:')}:23: "
                            "warning[criteria.unsupported]: scr_criteria_met is true, but on the recorded facts "
                            "the Serious Case Review criteria of regulation 5(2) of the Local Safeguarding "
                            "Children Boards Regulations 2006 are not met: abuse or neglect is not known or "
                            "suspected (hint: "), found
    assert wbcr("validate", CASE, "--strict", cwd=example).code == 1
    _assess(example, abuse_or_neglect="known", outcome_for_child="neither")
    (found,) = _criteria_findings(wbcr, example)
    assert found["code"] == "criteria.unsupported"
    assert found["message"].endswith("are not met: the child neither died nor was seriously harmed")


def test_the_childs_recovery_given_as_a_reason_is_a_warning(wbcr, example):
    path = _assess(example, notes="Neglect is known, but Child E has made a full recovery.")
    result = wbcr("validate", CASE, cwd=example)
    assert result.code == 0, result.out
    (found,) = [l for l in result.lines if "criteria." in l]
    assert found == (
        f"cases/{CASE}/decisions.yaml:{_line_of(path, 'notes:')}:12: warning[criteria.recovery-reason]: "
        "crg_consideration.criteria_assessment.notes gives the child's recovery (\"made a full recovery\") as a "
        "reason while the harm is recorded as not serious (outcome_for_child is \"neither\"); Working Together to "
        "Safeguard Children 2015 says a child's recovery does not on its own mean the harm was not serious: even "
        "if a child recovers, serious harm may still have occurred (hint: judge the harm by its impact on the "
        f"child, not by the recovery; if it was serious, correct the assessment with `wbcr crg conclude {CASE}`)")


def test_recovery_is_looked_for_in_every_reason(wbcr, example):
    path = example / "cases" / CASE / "decisions.yaml"
    text = path.read_text()
    text = text.replace("reason: Agrees with an audit.", "reason: Agrees; Child E has recovered.")
    text = text.replace("rationale: Five of six members", "rationale: Child E has fully recovered. Five of six members")
    path.write_text(text)
    found = _criteria_findings(wbcr, example)
    assert sorted((f["line"], f["message"].split(" gives ")[0]) for f in found) == sorted([
        (_line_of(path, "reason: Agrees; Child E"), "crg_consideration.recommendations[5].reason"),
        (_line_of(path, "rationale: Child E has fully"), "crg_consideration.rationale")]), found
    assert {(f["code"], f["severity"]) for f in found} == {("criteria.recovery-reason", "warning")}


def test_no_recovery_warning_when_the_harm_is_recorded_as_serious_or_for_a_recovery_plan(wbcr, example):
    _assess(example, notes="A recovery plan is in place; the phone was recovered by police.")
    assert _criteria_findings(wbcr, example) == []
    _assess(example, abuse_or_neglect="suspected", outcome_for_child="seriously_harmed", scr_criteria_met=True,
            notes="Child E has made a full recovery, but the harm was serious.")
    assert _criteria_findings(wbcr, example) == []


def test_wt2023_uses_section_16C_without_the_working_together_condition(wbcr, example):
    """The same facts: not a contradiction under regulation 5(2) (no concern about working together), a
    contradiction of the serious incident notification criteria under Working Together 2023."""
    path = _assess(example, abuse_or_neglect="suspected", outcome_for_child="seriously_harmed",
                   concern_about_working_together=False)
    assert _criteria_findings(wbcr, example) == []
    _procedure(example, "wt2023")
    result = wbcr("validate", CASE, cwd=example)
    assert result.code == 1
    (found,) = [l for l in result.lines if "criteria." in l]
    assert found == (
        f"cases/{CASE}/decisions.yaml:{_line_of(path, 'scr_criteria_met:')}:23: error[criteria.contradiction]: "
        "scr_criteria_met is false, but the recorded facts meet the criteria for a serious incident notification "
        "(a serious child safeguarding case) of section 16C(1) of the Children Act 2004: abuse or neglect is "
        "suspected and the child was seriously harmed (hint: correct the facts or the conclusion with "
        f"`wbcr crg conclude {CASE}` (--criteria-met or --criteria-not-met, --abuse-or-neglect, "
        "--outcome-for-child))"), found
    _assess(example, scr_criteria_met=True)
    assert _criteria_findings(wbcr, example) == []
    _assess(example, outcome_for_child="neither", notes="Child E recovered well.")
    assert [(f["code"], f["severity"]) for f in _criteria_findings(wbcr, example)] == [
        ("criteria.unsupported", "warning"), ("criteria.recovery-reason", "warning")]
    assert "Working Together to Safeguard Children 2023" in _criteria_findings(wbcr, example)[1]["message"]


def test_crg_conclude_refuses_a_conclusion_the_facts_contradict(wbcr, example):
    case = "WBCR-2017-008"  # at crg_consideration, no assessment yet
    assert wbcr("crg", "meeting", case, "--on", "2017-11-17", "--present", "A. Member", cwd=example).code == 0
    before = (example / "cases" / case / "decisions.yaml").read_text()
    refused = wbcr("crg", "conclude", case, "--criteria-not-met", "--abuse-or-neglect", "known",
                   "--outcome-for-child", "died", "--recommendation", "silp", "--rationale", "Learning", cwd=example)
    assert refused.code == 1
    assert "error[criteria.contradiction]" in refused.out + refused.err
    assert (example / "cases" / case / "decisions.yaml").read_text() == before
    done = wbcr("crg", "conclude", case, "--criteria-met", "--abuse-or-neglect", "known",
                "--outcome-for-child", "died", "--recommendation", "scr", "--rationale", "Learning", cwd=example)
    assert done.code == 0, done.out + done.err


def test_the_example_register_holds_no_contradiction(env):
    result = validate_register(EXAMPLE, today=parse_iso_date("2017-11-23"), use_cache=False)
    assert [f for f in result.findings if f.code in ("criteria.contradiction", "criteria.unsupported")] == []
