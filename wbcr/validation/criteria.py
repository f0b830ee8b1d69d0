"""The review criteria checked against the facts recorded beside them.

decisions.yaml `crg_consideration.criteria_assessment` records the facts (abuse or neglect known,
suspected or not_known; the child died, was seriously_harmed or neither; cause for concern about how
agencies worked together) and the conclusion (`scr_criteria_met`). Which criteria the conclusion is
about depends on the case's procedure framework:

- wt2015: regulation 5(2) of the LSCB Regulations 2006 (a Serious Case Review): abuse or neglect known
  or suspected, and either the child died, or the child was seriously harmed and there is cause for
  concern about the way agencies worked together to safeguard the child;
- wt2023: section 16C(1) of the Children Act 2004 (a serious incident notification; a serious child
  safeguarding case): abuse or neglect known or suspected, and the child died or was seriously harmed.

Findings: `criteria.contradiction` (error) when the facts meet the criteria but the conclusion says
not met; `criteria.unsupported` (warning) when the conclusion says met but the facts do not meet them;
`criteria.recovery-reason` (warning) when a reason recorded for a decision gives the child's recovery
while the harm is not recorded as serious: Working Together says that even if a child recovers,
serious harm may still have occurred.

Imports nothing from `wbcr.validation.checks` (which registers `check_criteria`), so there is no cycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from wbcr.core.errors import WbcrError
from wbcr.core.findings import WARNING, Finding
from wbcr.core.yamlio import YamlError, load_record
from wbcr.model.schemas import SEALED_PREFIX
from wbcr.validation.files import CaseFiles

ASSESSMENT = ("crg_consideration", "criteria_assessment")
CONCLUSION = (*ASSESSMENT, "scr_criteria_met")

#: the free-text reasons in decisions.yaml that may give the child's recovery as a reason
REASONS = (
    ("screening", "rationale"),
    ("crg_consideration", "rationale"),
    (*ASSESSMENT, "notes"),
    ("crg_consideration", "recommendations", "*", "reason"),
    ("chair_decision", "rationale"),
)


@dataclass(frozen=True)
class Criteria:
    """The criteria `scr_criteria_met` is about under one framework."""

    name: str                      # what the criteria are, as a finding names them
    basis: str                     # the law that sets them
    needs_working_together: bool   # serious harm counts only with cause for concern about joint working
    guidance: str                  # the guidance that says recovery does not rule out serious harm


CRITERIA = {
    "wt2015": Criteria("the Serious Case Review criteria",
                       "regulation 5(2) of the Local Safeguarding Children Boards Regulations 2006", True,
                       "Working Together to Safeguard Children 2015"),
    "wt2023": Criteria("the criteria for a serious incident notification (a serious child safeguarding case)",
                       "section 16C(1) of the Children Act 2004", False,
                       "Working Together to Safeguard Children 2023"),
}

_ABUSE = {"known": "abuse or neglect is known", "suspected": "abuse or neglect is suspected",
          "not_known": "abuse or neglect is not known or suspected"}
_OUTCOME = {"died": "the child died", "seriously_harmed": "the child was seriously harmed",
            "neither": "the child neither died nor was seriously harmed"}
_CONCERN = {True: "there is cause for concern about how agencies worked together",
            False: "there is no cause for concern about how agencies worked together"}


def criteria_of(framework: str | None) -> Criteria | None:
    """The criteria of a procedure framework (`wt2015`, `wt2023`), None for one wbcr has no rule for."""
    return CRITERIA.get(framework or "")


def met_on_facts(assessment: dict, criteria: Criteria) -> tuple[bool | None, list[str]]:
    """Whether the recorded facts meet the criteria (None: the facts recorded do not settle it), and the
    facts that settle it, in words."""
    abuse = assessment.get("abuse_or_neglect")
    outcome = assessment.get("outcome_for_child")
    concern = assessment.get("concern_about_working_together")
    if abuse == "not_known":
        return False, [_ABUSE[abuse]]
    if outcome == "neither":
        return False, [_OUTCOME[outcome]]
    if abuse not in ("known", "suspected") or outcome not in ("died", "seriously_harmed"):
        return None, []
    if outcome == "died" or not criteria.needs_working_together:
        return True, [_ABUSE[abuse], _OUTCOME[outcome]]
    if isinstance(concern, bool):
        return concern, [_ABUSE[abuse], _OUTCOME[outcome], _CONCERN[concern]]
    return None, []


# --- the child's recovery given as a reason --------------------------------------------------------

_ADJECTIVE = r"(?:full|complete|good|quick|rapid|swift|excellent|remarkable|total|very|fast)"
#: recovery words in a sense other than the child's: a plan, a ward, police recovering evidence…
_NOT_THE_CHILD = (r"plans?|position|ward|room|unit|team|services?|programmes?|programs?|period|time|worker|"
                  r"support|order|operation|action|the|a|an|his|her|their|its|some|items?|evidence|phones?|"
                  r"devices?|property|cash|money|weapons?|knife|knives|drugs|cctv|footage|data|records?|files?")
# Only fixed words are matched (no word of the record's own), so a finding may quote what matched.
_RECOVERY = re.compile(
    rf"\b(?:(?:made|make|makes|making)\s+a\s+(?:{_ADJECTIVE}\s+)*recovery"   # made a (full) recovery
    rf"|{_ADJECTIVE}\s+recovery"                                              # expected full recovery
    r"|recovering\s+well"
    r"|recovered)\b"                                                          # has recovered, recovered well
    rf"(?!\s+(?:{_NOT_THE_CHILD})\b)",
    re.IGNORECASE)
#: "the phone was recovered", "items were recovered": something recovered, not someone
_PASSIVE = re.compile(r"\b(?:was|were|been|being|be|is|are|get|got)\s*$", re.IGNORECASE)
#: "has not recovered", "is not expected to make a full recovery", "has yet to make a good recovery"
_NEGATED = re.compile(r"\b(?:not|no|never|unlikely|yet|cannot|without|nor|\w+n['’]t)\b", re.IGNORECASE)
_NEGATION_WORDS = 5


def find_recovery_reason(text: str) -> str | None:
    """The words in `text` that give a child's recovery as a reason ("has recovered", "made a full
    recovery", "recovered well"), or None. Modest on purpose: a recovery plan, evidence the police
    recovered, and a recovery that has not happened are not reasons of this kind."""
    for match in _RECOVERY.finditer(text):
        before = re.split(r"[.;!?]", text[: match.start()])[-1]
        if match.group(0).lower() == "recovered" and _PASSIVE.search(before):
            continue
        if _NEGATED.search(" ".join(before.split()[-_NEGATION_WORDS:])):
            continue
        return " ".join(match.group(0).split())
    return None


def _texts(decisions: dict) -> Iterator[tuple[tuple, str]]:
    """(json path, text) of every reason recorded in decisions.yaml (sealed ones skipped: unreadable)."""
    for path in REASONS:
        nodes: list[tuple[tuple, object]] = [((), decisions)]
        for key in path:
            nxt: list[tuple[tuple, object]] = []
            for at, node in nodes:
                if key == "*" and isinstance(node, list):
                    nxt += [((*at, i), item) for i, item in enumerate(node)]
                elif isinstance(node, dict) and key in node:
                    nxt.append(((*at, key), node[key]))
            nodes = nxt
        for at, value in nodes:
            if isinstance(value, str) and not value.startswith(SEALED_PREFIX):
                yield at, value


def _and(facts: list[str]) -> str:
    return facts[0] if len(facts) == 1 else ", ".join(facts[:-1]) + " and " + facts[-1]


def _dotted(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


# --- the check -------------------------------------------------------------------------------------


def check_criteria(ctx, case: CaseFiles) -> Iterator[Finding]:
    """The conclusion on the criteria against the recorded facts, and recovery given as a reason.
    `ctx` is the checks' `Context` (not imported here: checks imports this module)."""
    record = case.records.get("case")
    decisions = case.records.get("decisions")
    if not record or not decisions:
        return
    try:
        procedure = ctx.register.procedure(record.get("procedure") or ctx.register.default_procedure)
    except WbcrError:
        return  # reported as procedure.unknown
    criteria = criteria_of(getattr(procedure, "framework", None) or procedure.id)
    assessment = (decisions.get("crg_consideration") or {}).get("criteria_assessment")
    if criteria is None or not isinstance(assessment, dict):
        return
    relpath = case.relpath("decisions")
    recorded = assessment.get("scr_criteria_met")
    met, facts = met_on_facts(assessment, criteria)
    hint = (f"correct the facts or the conclusion with `wbcr crg conclude {case.folder}` (--criteria-met or "
            "--criteria-not-met, --abuse-or-neglect, --outcome-for-child"
            + (", --concern-about-working-together" if criteria.needs_working_together else "") + ")")
    if recorded is False and met is True:
        yield ctx.at("criteria.contradiction", relpath, CONCLUSION,
                     f"scr_criteria_met is false, but the recorded facts meet {criteria.name} of {criteria.basis}: "
                     f"{_and(facts)}", hint)
    elif recorded is True and met is False:
        yield ctx.at("criteria.unsupported", relpath, CONCLUSION,
                     f"scr_criteria_met is true, but on the recorded facts {criteria.name} of {criteria.basis} "
                     f"are not met: {_and(facts)}", hint, severity=WARNING)
    outcome = assessment.get("outcome_for_child")
    harm_not_serious = outcome == "neither" or (recorded is False and outcome not in ("died", "seriously_harmed"))
    # The reasons are personal data, kept out of the summaries the checks see: read them from the file,
    # which holds what is checked only when the check runs on files on disk.
    if not harm_not_serious or not ctx.locate:
        return
    try:
        full = load_record(ctx.register.root / relpath, relpath)
    except YamlError:
        return
    if not isinstance(full, dict):
        return
    state = ('outcome_for_child is "neither"' if outcome == "neither" else "scr_criteria_met is false")
    for path, text in _texts(full):
        words = find_recovery_reason(text)
        if words is not None:
            yield ctx.at("criteria.recovery-reason", relpath, path,
                         f'{_dotted(path)} gives the child\'s recovery ("{words}") as a reason while the harm is '
                         f"recorded as not serious ({state}); {criteria.guidance} says a child's recovery does "
                         "not on its own mean the harm was not serious: even if a child recovers, serious harm "
                         "may still have occurred",
                         "judge the harm by its impact on the child, not by the recovery; if it was serious, "
                         f"correct the assessment with `wbcr crg conclude {case.folder}`", severity=WARNING)
