"""Whether a recording command may record on a case where it is now: its intake, its stage, and what
must be on record first, all from the procedure's `commands` rules (data, like the stages' guards)."""

from __future__ import annotations

from dataclasses import dataclass

from wbcr.model.procedure import Evaluator, Procedure


@dataclass(frozen=True)
class Refusal:
    """Why a command may not record on this case now, and what the case needs first."""

    message: str
    hint: str


def refusal(procedure: Procedure, records: dict, command: str, reference: str) -> Refusal | None:
    """None when `command` may record on the case (`records`: its plain records), else why not."""
    rule = procedure.command_rule(command)
    if rule is None:
        return None
    case = records.get("case") or {}
    intake, stage, kind = case.get("intake"), case.get("stage"), case.get("review_kind")
    what = rule.get("title") or command
    shown = f"`wbcr {command.replace(':', ' --purpose ')}`" if command.startswith("notify:") else f"`wbcr {command.replace('-', ' ', 1)}`"
    next_hint = f"`wbcr next {reference}` lists what the case needs next"
    if rule.get("intakes") is not None and intake not in rule["intakes"]:
        intake_title = (procedure.intakes.get(intake) or {}).get("title", str(intake))
        return Refusal(f"{reference} is a case of the intake \"{intake_title}\" ({intake}): {what} is not part of "
                       f"its procedure, so {shown} records nothing for it; nothing was changed",
                       f"its stages are {', '.join(procedure.path(intake, kind)) or 'not defined'}; {next_hint}")
    if rule.get("stages") and stage not in rule["stages"]:
        return Refusal(f"{reference} is at the stage \"{procedure.title_of(stage)}\" ({stage}): {what} is recorded "
                       f"at {', '.join(rule['stages'])}; nothing was changed",
                       f"a record made earlier can be corrected by hand and committed with `wbcr seal`; {next_hint}")
    evaluator = Evaluator(records)
    missing = [m for cond in rule.get("requires") or () for m in evaluator.missing(cond)]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        return Refusal(f"{reference}: {what} cannot be recorded yet: {missing[0]}{more}; nothing was changed",
                       next_hint)
    return None
