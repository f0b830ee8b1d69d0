"""Checks across records: small registered functions, each with a stable dotted code.

Each case check takes the `Context` and one `CaseFiles` (summaries of valid records) and yields
findings. A record that failed its schema is absent from the summaries, so checks never trip over
malformed data; its schema errors are already reported.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Callable, Iterator

from wbcr.core.dates import parse_iso_date
from wbcr.core.findings import ERROR, WARNING, Finding
from wbcr.model.procedure import Evaluator
from wbcr.core.errors import WbcrError
from wbcr.model.register import Register, recipient_ids
from wbcr.chronology import merge as chronology
from wbcr.validation import criteria
from wbcr.validation.files import CaseFiles, locate_in
from wbcr.core.calendar import Calendar
from wbcr.core.yamlio import YamlError, load_record
from wbcr.model.reference import format_to_regex
from wbcr.model.themes import iter_case_themes, known_themes_hint, theme_ids
from wbcr.workflow.deadlines import compute_deadlines

CaseCheck = Callable[["Context", CaseFiles], Iterator[Finding]]
CASE_CHECKS: list[tuple[str, CaseCheck]] = []


def case_check(code: str):
    def register(func: CaseCheck) -> CaseCheck:
        CASE_CHECKS.append((code, func))
        return func

    return register


@dataclass
class Context:
    register: Register
    today: dt.date
    config_ok: bool = True
    locate: bool = True  # False when checking records not yet written to disk

    def at(self, code: str, relpath: str, path: tuple, message: str, hint: str | None = None,
           severity: str = ERROR, key: bool = False) -> Finding:
        line, col = (None, None)
        if self.locate and path is not None:
            line, col = locate_in(self.register, relpath, path, key=key)
        return Finding(code, severity, message, relpath, line, col, hint)


def run_case_checks(ctx: Context, cases: list[CaseFiles]) -> list[Finding]:
    found: list[Finding] = []
    for case in cases:
        for _code, check in CASE_CHECKS:
            found.extend(check(ctx, case))
    return found


def run_register_checks(ctx: Context, refs: dict[str, str], checked: set[str]) -> list[Finding]:
    """Checks across cases: no two case folders may carry one reference. `refs`: case folder ->
    reference of every case known; `checked`: the folders being validated."""
    by_ref: dict[str, list[str]] = {}
    for relroot, ref in refs.items():
        by_ref.setdefault(ref.casefold(), []).append(relroot)
    found = []
    for ref_key, folders in sorted(by_ref.items()):
        if len(folders) < 2:
            continue
        for relroot in sorted(folders):
            if relroot not in checked:
                continue
            others = ", ".join(f for f in sorted(folders) if f != relroot)
            found.append(ctx.at("reference.duplicate", f"{relroot}/case.yaml", ("reference",),
                                f'reference "{refs[relroot]}" is also used by {others}',
                                "two clones allocated the same number: give one case the next free "
                                "reference and rename its folder"))
    return found


# --- references ------------------------------------------------------------------------------------


def reference_pattern(config: dict) -> re.Pattern | None:
    refs = config.get("references") or {}
    fmt, prefix = refs.get("format"), refs.get("prefix")
    if not isinstance(fmt, str) or not isinstance(prefix, str):
        return None

    try:
        return format_to_regex(fmt, prefix)
    except WbcrError:
        return None


@case_check("reference")
def check_reference(ctx: Context, case: CaseFiles) -> Iterator[Finding]:
    record = case.records.get("case")
    if record is None:
        if f"{case.relroot}/case.yaml" not in case.broken:
            yield Finding("case.missing-record", ERROR, "case folder has no case.yaml", case.relroot + "/",
                          hint="every case folder needs a case.yaml; `wbcr refer` creates one")
        return
    for kind in ("case", "referral"):
        data = case.records.get(kind)
        if data and data.get("reference") != case.folder:
            yield ctx.at("reference.folder", case.relpath(kind), ("reference",),
                         f'reference "{data.get("reference")}" does not match the folder name "{case.folder}"',
                         "the folder, case.yaml and referral.yaml must carry the same reference")
    pattern = reference_pattern(ctx.register.config)
    if pattern is not None and not pattern.match(case.folder):
        yield ctx.at("reference.format", case.relpath("case"), ("reference",),
                     f'reference "{case.folder}" does not follow the register\'s format '
                     f'"{ctx.register.config["references"]["format"]}"', severity=WARNING)


# --- the directory: LSCBs, agencies, people --------------------------------------------------------


def _agency_refs(case: CaseFiles) -> Iterator[tuple[str, tuple, str]]:
    """(record kind, json path, agency id) for every agency a case's records name."""
    ref = case.records.get("referral") or {}
    for key in ("referrer", "dsl_consulted"):
        if isinstance(ref.get(key), dict) and ref[key].get("agency"):
            yield "referral", (key, "agency"), ref[key]["agency"]
    for i, item in enumerate(ref.get("agencies_involved") or []):
        yield "referral", ("agencies_involved", i, "agency"), item["agency"]
    dec = case.records.get("decisions") or {}
    for i, item in enumerate(dec.get("information_requests") or []):
        yield "decisions", ("information_requests", i, "agency"), item["agency"]
    for i, item in enumerate((dec.get("crg_consideration") or {}).get("recommendations") or []):
        if item.get("agency"):
            yield "decisions", ("crg_consideration", "recommendations", i, "agency"), item["agency"]
    rev = case.records.get("review") or {}
    for i, item in enumerate(rev.get("panel") or []):
        if item.get("agency"):
            yield "review", ("panel", i, "agency"), item["agency"]
    for i, item in enumerate(rev.get("agency_reports") or []):
        yield "review", ("agency_reports", i, "agency"), item["agency"]
    recs = case.records.get("recommendations") or {}
    for i, rec in enumerate(recs.get("recommendations") or []):
        for j, agency in enumerate(rec.get("agencies") or []):
            yield "recommendations", ("recommendations", i, "agencies", j), agency
        for j, action in enumerate(rec.get("actions") or []):
            yield "recommendations", ("recommendations", i, "actions", j, "lead_agency"), action["lead_agency"]


@case_check("agency")
def check_directory(ctx: Context, case: CaseFiles) -> Iterator[Finding]:
    if not ctx.config_ok:
        return
    lscbs = ctx.register.lscb_ids()
    agencies = ctx.register.agency_ids()
    for kind in ("case", "referral"):
        data = case.records.get(kind) or {}
        lscb = data.get("lead_lscb")
        if lscb and lscb not in lscbs:
            yield ctx.at("lscb.unknown", case.relpath(kind), ("lead_lscb",), f'unknown LSCB "{lscb}"',
                         f"LSCBs in wbcr.yaml: {', '.join(sorted(lscbs))}")
    known = agencies | lscbs
    for kind, path, agency in _agency_refs(case):
        if agency not in known:
            yield ctx.at("agency.unknown", case.relpath(kind), path, f'unknown agency "{agency}"',
                         "add it to the agencies directory in wbcr.yaml, or correct the id")
    for stem, chron in sorted(case.chronologies.items()):
        agency = chron.get("agency")
        if agency != stem:
            yield ctx.at("chronology.agency", case.relpath("chronology", stem), ("agency",),
                         f'chronology file "{stem}.yaml" holds agency "{agency}"',
                         f"name the file after its agency: chronology/{agency}.yaml")
        elif agency not in known:
            yield ctx.at("agency.unknown", case.relpath("chronology", stem), ("agency",),
                         f'unknown agency "{agency}"', "add it to the agencies directory in wbcr.yaml")


@case_check("plan")
def check_plan_ids(ctx: Context, case: CaseFiles) -> Iterator[Finding]:
    """Each recommendation and each action has an id of its own in the case: reports, documents and
    `plan rag --action` find an action by its id alone."""
    recs = case.records.get("recommendations") or {}
    seen: dict[str, tuple] = {}
    for i, rec in enumerate((recs.get("recommendations") or []) if isinstance(recs, dict) else []):
        if not isinstance(rec, dict):
            continue
        items = [(("recommendations", i, "id"), rec.get("id"), "recommendation")]
        items += [(("recommendations", i, "actions", j, "id"), a.get("id"), "action")
                  for j, a in enumerate(rec.get("actions") or []) if isinstance(a, dict)]
        for path, ident, what in items:
            if not isinstance(ident, str):
                continue
            if ident in seen:
                yield ctx.at("plan.duplicate_id", case.relpath("recommendations"), path,
                             f'{what} id "{ident}" is used twice in the plan',
                             "give each recommendation and action an id of its own (e.g. R2-A1 for the second "
                             "recommendation's first action)")
            else:
                seen[ident] = path


@case_check("theme")
def check_themes(ctx: Context, case: CaseFiles) -> Iterator[Finding]:
    """A finding or recommendation names only themes of the register's list in wbcr.yaml."""
    if not ctx.config_ok:
        return
    known = set(theme_ids(ctx.register.config))
    for path, theme, owner in iter_case_themes(case.records.get("recommendations")):
        if theme not in known:
            yield ctx.at("theme.unknown", case.relpath("recommendations"), path,
                         f'{owner}: unknown theme "{theme}"', known_themes_hint(ctx.register.config))


@case_check("person")
def check_people(ctx: Context, case: CaseFiles) -> Iterator[Finding]:
    people = case.records.get("people")
    if people is None:
        return
    ids: dict[str, int] = {}
    for i, person in enumerate(people.get("people") or []):
        if person["id"] in ids:
            yield ctx.at("person.duplicate", case.relpath("people"), ("people", i, "id"),
                         f'person id "{person["id"]}" is used twice', "give each person a unique id")
        ids.setdefault(person["id"], i)
    referral = case.records.get("referral") or {}
    for i, subject in enumerate(referral.get("subjects") or []):
        if subject not in ids:
            yield ctx.at("person.unknown", case.relpath("referral"), ("subjects", i),
                         f'subject "{subject}" is not in people.yaml', f"people.yaml ids: {', '.join(ids)}")
    review = case.records.get("review") or {}
    for i, contact in enumerate((review.get("family_involvement") or {}).get("contacts") or []):
        person = contact.get("person")
        if person and person not in ids:
            yield ctx.at("person.unknown", case.relpath("review"), ("family_involvement", "contacts", i, "person"),
                         f'"{person}" is not in people.yaml', f"people.yaml ids: {', '.join(ids)}")


@case_check("case.agree")
def check_case_agrees(ctx: Context, case: CaseFiles) -> Iterator[Finding]:
    record, referral = case.records.get("case"), case.records.get("referral")
    if record and referral:
        for key in ("lead_lscb", "intake"):
            if record.get(key) != referral.get(key):
                yield ctx.at("case.disagree", case.relpath("referral"), (key,),
                             f'{key} "{referral.get(key)}" disagrees with case.yaml ("{record.get(key)}")',
                             "correct whichever is wrong")
        if record.get("opened") != referral.get("received"):
            yield ctx.at("case.disagree", case.relpath("case"), ("opened",),
                         f'opened {record.get("opened")} is not the referral\'s received date {referral.get("received")}',
                         "a case opens on the day its referral was received")
    decisions = case.records.get("decisions") or {}
    decided = (decisions.get("chair_decision") or {}).get("decision")
    if record and decided and record.get("review_kind") != decided:
        yield ctx.at("case.disagree", case.relpath("case"), ("review_kind",),
                     f'review_kind "{record.get("review_kind")}" is not the decision recorded "{decided}"',
                     "review_kind records the decision in decisions.yaml: chair_decision.decision")
    for name in case.unknown:
        yield Finding("case.unknown-file", WARNING, "not a wbcr record; wbcr ignores it", name,
                      hint="documents belong in output/ (not committed); remove or rename the file")


# --- dates -----------------------------------------------------------------------------------------


def _date(value):
    try:
        return parse_iso_date(value)
    except (ValueError, TypeError):
        return None


@case_check("dates")
def check_dates(ctx: Context, case: CaseFiles) -> Iterator[Finding]:
    record = case.records.get("case") or {}
    referral = case.records.get("referral") or {}
    decisions = case.records.get("decisions") or {}
    received = _date(referral.get("received")) or _date(record.get("opened"))
    today = ctx.today

    def past(kind, path, value, what):
        when = _date(value)
        if when and when > today:
            return ctx.at("dates.future", case.relpath(kind), path, f"{what} {value} is after today ({today})",
                          "a record of something that has happened cannot be dated in the future")
        return None

    def order(kind, path, value, after, after_what, what):
        when = _date(value)
        if when and after and when < after:
            return ctx.at("dates.order", case.relpath(kind), path,
                          f"{what} {value} is before {after_what} {after.isoformat()}",
                          "check both dates: one of them is wrong")
        return None

    checks = [past("referral", ("received",), referral.get("received"), "received"),
              past("referral", ("became_aware",), referral.get("became_aware"), "became_aware")]
    screening = decisions.get("screening") or {}
    crg = decisions.get("crg_consideration") or {}
    chair = decisions.get("chair_decision") or {}
    checks += [
        order("decisions", ("screening", "date"), screening.get("date"), received, "the referral, received",
              "screening"),
        past("decisions", ("screening", "date"), screening.get("date"), "screening"),
        order("decisions", ("crg_consideration", "meeting_date"), crg.get("meeting_date"), received,
              "the referral, received", "the meeting that considered the case"),
        order("decisions", ("crg_consideration", "meeting_date"), crg.get("meeting_date"),
              _date(screening.get("date")), "screening", "the meeting that considered the case"),
        past("decisions", ("crg_consideration", "meeting_date"), crg.get("meeting_date"),
             "the meeting that considered the case"),
        order("decisions", ("chair_decision", "date"), chair.get("date"), received, "the referral, received",
              "the decision"),
        order("decisions", ("chair_decision", "date"), chair.get("date"), _date(crg.get("meeting_date")),
              "the meeting that considered the case", "the decision"),
        past("decisions", ("chair_decision", "date"), chair.get("date"), "the decision"),
    ]
    for i, req in enumerate(decisions.get("information_requests") or []):
        checks.append(order("decisions", ("information_requests", i, "sent"), req.get("sent"), received,
                            "the referral, received", "information request sent"))
        checks.append(order("decisions", ("information_requests", i, "received"), req.get("received"),
                            _date(req.get("sent")), "its request, sent", "information received"))
        checks.append(past("decisions", ("information_requests", i, "received"), req.get("received"),
                           "information received"))
    previous = None
    for i, step in enumerate(record.get("stage_history") or []):
        when = _date(step.get("date"))
        checks.append(past("case", ("stage_history", i, "date"), step.get("date"), "stage date"))
        if when and previous and when < previous:
            checks.append(ctx.at("dates.order", case.relpath("case"), ("stage_history", i, "date"),
                                 f"stage {step.get('stage')} dated {when} is before the previous stage ({previous})",
                                 "stage history runs forward in time"))
        if when and received and when < received:
            checks.append(order("case", ("stage_history", i, "date"), step.get("date"), received,
                                "the referral, received", f"stage {step.get('stage')}"))
        previous = when or previous
    checks.append(order("case", ("closed",), record.get("closed"), _date(record.get("opened")), "opened", "closed"))
    for i, item in enumerate((case.records.get("notifications") or {}).get("notifications") or []):
        # the local authority's own notices run from the day it became aware, which may be before the
        # referral reached the register
        first = _date(referral.get("became_aware")) if item.get("purpose") in LOCAL_AUTHORITY_NOTICES else received
        checks.append(order("notifications", ("notifications", i, "date"), item.get("date"), first,
                            "the local authority became aware," if first is not received else "the referral, received",
                            "notification"))
        checks.append(past("notifications", ("notifications", i, "date"), item.get("date"), "notification"))
    review = case.records.get("review") or {}
    scope = (review.get("terms_of_reference") or {}).get("scope") or {}
    checks.append(order("review", ("terms_of_reference", "scope", "to"), scope.get("to"), _date(scope.get("from")),
                        "the scope's start", "the scope's end"))
    plan = case.records.get("recommendations") or {}
    for i, rec in enumerate(plan.get("recommendations") or [] if isinstance(plan, dict) else []):
        for j, action in enumerate((rec.get("actions") or []) if isinstance(rec, dict) else []):
            if not isinstance(action, dict):
                continue
            before = None
            for k, update in enumerate(action.get("updates") or []):
                if not isinstance(update, dict):
                    continue
                where = ("recommendations", i, "actions", j, "updates", k, "date")
                checks.append(past("recommendations", where, update.get("date"), "a progress update"))
                when = _date(update.get("date"))
                if when and before and when < before:
                    checks.append(ctx.at("dates.order", case.relpath("recommendations"), where,
                                         f"action {action.get('id')}'s update of {when} is listed after one of {before}",
                                         "list an action's updates oldest first: its rating is read from the latest"))
                before = max(filter(None, (before, when)), default=None)
            signed = action.get("signed_off") if isinstance(action.get("signed_off"), dict) else {}
            checks.append(past("recommendations", ("recommendations", i, "actions", j, "signed_off", "date"),
                               signed.get("date"), "the sign-off"))
    for stem, chron in sorted(case.chronologies.items()):
        last = _date(chron.get("last"))
        if last and last > today:
            yield Finding("dates.future", ERROR, f"an entry is dated {chron['last']}, after today ({today})",
                          case.relpath("chronology", stem), hint="chronology entries record what an agency knew: "
                          "they cannot be in the future")
    yield from (f for f in checks if f is not None)


# --- stage and records -----------------------------------------------------------------------------


@case_check("stage")
def check_stage(ctx: Context, case: CaseFiles) -> Iterator[Finding]:
    record = case.records.get("case")
    if not record:
        return
    proc_id = record.get("procedure") or ctx.register.default_procedure
    try:
        procedure = ctx.register.procedure(proc_id)
    except WbcrError as exc:
        yield ctx.at("procedure.unknown", case.relpath("case"), ("procedure",), exc.message, exc.hint)
        return
    stage, kind, intake = record["stage"], record.get("review_kind"), record["intake"]
    path = procedure.path(intake, kind)
    allowed = procedure.allowed_stages(intake, kind)
    relcase = case.relpath("case")
    if stage not in allowed:
        if stage not in procedure.stages:
            yield ctx.at("stage.unknown", relcase, ("stage",), f'unknown stage "{stage}"',
                         f"stages of {proc_id}: {', '.join(path)}")
        elif kind is None and intake == "review_referral":
            yield ctx.at("stage.path", relcase, ("review_kind",),
                         f'stage "{stage}" follows a decision, but no review_kind is recorded',
                         "record the decision (`wbcr decide`)")
        else:
            yield ctx.at("stage.path", relcase, ("stage",),
                         f'stage "{stage}" is not on the path of this case ({", ".join(path)})')
        return
    history = record.get("stage_history") or []
    if history and history[-1].get("stage") != stage:
        yield ctx.at("stage.history", relcase, ("stage_history", len(history) - 1, "stage"),
                     f'the last stage in stage_history is "{history[-1].get("stage")}", but the case is at "{stage}"',
                     "each move appends its stage to stage_history")
    for i, step in enumerate(history):
        if step.get("stage") not in allowed:
            yield ctx.at("stage.history", relcase, ("stage_history", i, "stage"),
                         f'stage_history names "{step.get("stage")}", which is not on this case\'s path')
    if record.get("closed") and stage != "closed":
        yield ctx.at("stage.disagree", relcase, ("closed",), f'a closed date is recorded but the case is at "{stage}"')
    if stage == "closed" and not record.get("closed"):
        yield ctx.at("stage.disagree", relcase, ("stage",), "the case is closed but has no closed date",
                     "add closed: YYYY-MM-DD")
    records = {**case.records, "chronology": case.chronologies}
    evaluator = Evaluator(records)
    # The guard of every stage the case has reached must hold on its records now (records only grow).
    reached = _reached(procedure, path, history, stage)
    # A file that failed to parse is reported already; do not report its fields as missing too.
    broken = {rel.rsplit("/", 1)[-1] for rel in case.broken}
    reported: set[str] = set()
    for target, conditions in reached:
        for cond in conditions:
            for message in evaluator.missing(cond):
                if message in reported or message.split(":", 1)[0] in broken:
                    continue
                reported.add(message)
                if cond.get("warn"):  # the procedure asks for it from this stage but does not block on it
                    yield ctx.at("stage.warning", relcase, ("stage",), f"{message} (expected from stage \"{target}\")",
                                 "record it when it is done", severity=WARNING)
                    continue
                yield ctx.at("stage.missing", relcase, ("stage",),
                             f'the case is at "{stage}" but {message} (needed from stage "{target}")',
                             "record it, or correct the stage")
    # A record first needed two or more stages ahead suggests the stage was not moved on.
    if stage in path:
        position = path.index(stage)
        known = {f for s in path[: position + 2] for f in _files(procedure.requirements(s))}
        for ahead in path[position + 2:]:
            for file in sorted(_files(procedure.requirements(ahead), evaluator) - known):
                known.add(file)
                kind_name = file.removesuffix(".yaml")
                if kind_name in case.records or (file == "chronology" and case.chronologies):
                    yield ctx.at("stage.behind", relcase, ("stage",),
                                 f'{file} is recorded, which belongs to stage "{ahead}", but the case is only '
                                 f'at "{stage}"', "advance the case, or check the record", severity=WARNING)
    yield from _check_deadlines(ctx, case, procedure, records, history)


def _reached(procedure, path: list[str], history: list[dict], stage: str) -> list[tuple[str, list]]:
    """(stage, guard conditions) for every stage reached, using an exit's guard where one was taken (a
    move to a stage other than the next on the path, along an exit of the stage it left)."""
    steps = [h.get("stage") for h in history]
    if not steps:
        steps = path[: path.index(stage) + 1] if stage in path else [stage]
    out = []
    previous = None
    left_by_exit = None  # the stage the case left along an exit to reach where it is now
    for target in steps:
        conditions = procedure.requirements(target)
        left_by_exit = None
        if previous is not None:
            on_path = previous in path and path.index(previous) + 1 < len(path)
            if not (on_path and path[path.index(previous) + 1] == target):
                for exit_ in procedure.exits(previous):
                    if exit_["to"] == target:
                        conditions, left_by_exit = exit_["requires"], previous
        out.append((target, conditions))
        previous = target
    upto = left_by_exit if left_by_exit in path else stage
    if upto in path:
        # stages of the path before the current one (or before the exit taken) that the history skipped
        # are still required
        for target in path[: path.index(upto) + 1]:
            if target not in steps:
                out.append((target, procedure.requirements(target)))
    return out


def _files(conditions: list, evaluator: Evaluator | None = None) -> set[str]:
    """The record files the conditions name. With `evaluator`, only the files they demand of this case:
    a condition whose `when` does not hold demands nothing, nor does `each` (it checks the items that
    are recorded, and holds when there are none)."""
    found: set[str] = set()
    for cond in conditions:
        if evaluator is not None and "when" in cond and not evaluator.holds(cond["when"]):
            continue
        for key in ("exists", "path") if evaluator is not None else ("exists", "path", "each"):
            if isinstance(cond.get(key), str):
                found.add(cond[key].split("#")[0])
        for key in ("all", "any"):
            found |= _files(cond.get(key) or [], evaluator)
    return found


#: notices the local authority sends from the day it became aware (the referral may reach the register later)
LOCAL_AUTHORITY_NOTICES = ("notifiable_incident", "serious_incident_notification", "looked_after_death")


def _check_deadlines(ctx: Context, case: CaseFiles, procedure, records: dict, history: list[dict]) -> Iterator[Finding]:
    calendar = Calendar.from_config(ctx.register.config)
    relcase = case.relpath("case")
    try:
        deadlines = compute_deadlines(procedure, records, calendar)
    except Exception as exc:  # noqa: BLE001 - a record shape the deadline rules cannot read is a finding
        yield ctx.at("deadline.unreadable", relcase, ("stage",), f"deadlines could not be computed: {exc}")
        return
    closed = records.get("case", {}).get("stage") == "closed"
    for d in deadlines:
        state = d.state(ctx.today)
        reason = None
        if d.stage:
            for i, step in enumerate(history):
                when = _date(step.get("date"))
                if step.get("stage") != d.stage or not when:
                    continue
                reason = step.get("late_reason")
                late_event = d.met_on > d.due if d.met_on else when > d.due
                if late_event and when > d.due and not reason:
                    yield ctx.at("stage.late", relcase, ("stage_history", i),
                                 f'stage "{d.stage}" was reached on {when}, after "{d.title}" was due ({d.due}), '
                                 "and no late_reason is recorded", "add late_reason to this stage_history entry",
                                 severity=WARNING)
        if closed and not d.after_closing:
            continue
        if state == "overdue":
            yield ctx.at("deadline.overdue", relcase, ("stage",),
                         f'"{d.title}" was due {d.due} and is {(ctx.today - d.due).days} day(s) overdue',
                         f"owner: {d.owner}", severity=WARNING)
        elif state == "missed" and not reason:
            # with the reason recorded the lateness is accounted for: `show` and the decision audit
            # report it, and it no longer fails a --strict run for as long as the case is open
            late = (d.met_on - d.due).days
            yield ctx.at("deadline.missed", relcase, ("stage",),
                         f'"{d.title}" was due {d.due} and met {late} day(s) late, on {d.met_on}',
                         f"owner: {d.owner}; record why with `wbcr advance --late-reason` when the stage it "
                         "belongs to is reached", severity=WARNING)


# --- chronologies ----------------------------------------------------------------------------------


def _same_days(chronologies: dict) -> list[tuple[int, list[str]]]:
    """(day ordinal, agencies) for every day that two or more agencies' chronologies record."""
    seen: dict[int, list[str]] = {}
    for stem, summary in sorted(chronologies.items()):
        for day in summary.get("days") or []:
            seen.setdefault(day, []).append(stem)
    return sorted((day, agencies) for day, agencies in seen.items() if len(agencies) > 1)


def _entry_dates(ctx: Context, relpath: str) -> list | None:
    """The entries' dates in file order, read again from the file (only when there is a flag to place)."""
    try:
        data = load_record(ctx.register.root / relpath, relpath)
    except YamlError:
        return None
    return [e.get("date") for e in (data or {}).get("entries") or [] if isinstance(e, dict)]


def _chronology_quiet(days: list[int] | None, scope, gap_days: int) -> bool:
    """True when the entry days (sorted ordinals) can have no out-of-scope entry and no gap: the
    common case, decided without parsing a date. Declared periods of no contact only shorten gaps."""
    if days is None:
        return False
    if scope is None:
        points = days
    else:
        start, end = scope[0].toordinal(), scope[1].toordinal()
        if days and (days[0] < start or days[-1] > end):
            return False
        points = [start - 1, *days, end + 1]
    return all(b - a - 1 <= gap_days for a, b in zip(points, points[1:]))


@case_check("notification")
def check_notification_recipients(ctx: Context, case: CaseFiles) -> Iterator[Finding]:
    """A notice names a body the register knows: a deadline names its body by id, so a notice to an
    unknown one meets nothing (written by hand, or by an older wbcr that took any text)."""
    if not ctx.config_ok:
        return
    known = set(recipient_ids(ctx.register.config))
    notices = (case.records.get("notifications") or {}).get("notifications")
    for i, item in enumerate(notices if isinstance(notices, list) else []):
        recipient = item.get("recipient") if isinstance(item, dict) else None
        if isinstance(recipient, str) and recipient not in known:
            near = difflib.get_close_matches(recipient, sorted(known), n=1)
            yield ctx.at("notification.recipient", case.relpath("notifications"), ("notifications", i, "recipient"),
                         f'notice {i + 1} is to "{recipient}", a recipient this register does not know, so it meets '
                         "no deadline", (f'did you mean "{near[0]}"? ' if near else "")
                         + "use an id `wbcr notify --help` lists, or add the body to wbcr.yaml external_bodies",
                         severity=WARNING)


@case_check("publication")
def check_publication_kept(ctx: Context, case: CaseFiles) -> Iterator[Finding]:
    """A published report stays on the website for at least a year (Working Together; the 2015 tool
    kit says 12 months); one taken down sooner is a warning, and a report published while a decision not
    to publish is recorded is an error."""
    review = case.records.get("review") or {}
    milestones = review.get("milestones") if isinstance(review.get("milestones"), dict) else {}
    published, removed = _date(milestones.get("published")), _date(milestones.get("removed_from_website"))
    relreview = case.relpath("review")
    if removed and published and removed < _add_year(published):
        yield ctx.at("publication.online", relreview, ("milestones", "removed_from_website"),
                     f"the report was taken off the website on {removed}, less than a year after it was published "
                     f"({published})", "keep a published report online for at least a year, or record why it was "
                     "taken down in a note", severity=WARNING)
    if removed and not published:
        yield ctx.at("publication.online", relreview, ("milestones", "removed_from_website"),
                     "the report is recorded as taken off the website but not as published",
                     "record the publication date (`wbcr review milestone --milestone published`)")
    if published and milestones.get("publication_mode") == "not_published":
        yield ctx.at("publication.online", relreview, ("milestones", "publication_mode"),
                     f"the report is recorded as published on {published} and as not published",
                     "correct one of them")


def _add_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@case_check("chronology")
def check_chronologies(ctx: Context, case: CaseFiles) -> Iterator[Finding]:
    """Warnings the merged chronology also shows: entries outside the scope period, gaps in an agency's
    contact it did not declare, days recorded by two or more agencies (one warning a case, listing the
    days: often an information-sharing point such as a strategy meeting, sometimes a duplicate), and
    chronologies asked for that are overdue or received but not imported."""

    review = case.records.get("review") or {}
    scope = chronology.scope_of(review)
    gap_days = chronology.gap_days_of(ctx.register.config)
    for stem, summary in sorted(case.chronologies.items()):
        if summary.get("agency") != stem or "days" not in summary:
            continue
        relpath = case.relpath("chronology", stem)
        if _chronology_quiet(summary["days"], scope, gap_days):
            continue
        dates = _entry_dates(ctx, relpath)
        if dates is None:
            continue
        outside = chronology.find_outside_scope(stem, dates, scope)
        if outside:
            first = outside[0]
            more = f" (and {len(outside) - 1} more)" if len(outside) > 1 else ""
            yield ctx.at(chronology.SCOPE, relpath, ("entries", first.index, "date"),
                         f"entry {first.index + 1} ({dates[first.index]}) is outside the review's scope period "
                         f"{scope[0]} to {scope[1]}{more}",
                         "check the date, or ask the panel whether the entry belongs in the review "
                         "(the scope is in review.yaml: terms_of_reference.scope)", severity=WARNING)
        for gap in chronology.find_gaps(stem, dates, summary.get("no_contact") or [], scope, gap_days):
            path = ("entries", gap.index, "date") if gap.index is not None else ("entries",)
            yield ctx.at(chronology.GAP, relpath, path,
                         f"no contact recorded from {gap.start} to {gap.end} ({gap.days} days, more than "
                         f"{gap_days}) and no period of no contact declared for it",
                         "ask the agency to confirm there was no contact and record it under no_contact_periods, "
                         "or to add the contacts it missed", severity=WARNING)
    looked_at = {day.toordinal() for day in chronology.reviewed_same_days(review)}
    shared = [(day, agencies) for day, agencies in _same_days(case.chronologies) if day not in looked_at]
    if shared:
        import datetime as _dt

        listed = "; ".join(f"{_dt.date.fromordinal(day)} ({', '.join(agencies)})" for day, agencies in shared[:5])
        more = f"; and {len(shared) - 5} more day(s)" if len(shared) > 5 else ""
        first_agency = shared[0][1][0]
        yield ctx.at(chronology.SAME_DAY, case.relpath("chronology", first_agency), ("entries",),
                     f"{len(shared)} day(s) recorded by two or more agencies: {listed}{more}",
                     "possible duplicates or information-sharing points: compare the entries in "
                     f"`wbcr chronology merge {case.folder}`, then record that you have with "
                     f"`wbcr chronology reviewed {case.folder}`", severity=WARNING)
    for flag in chronology.find_missing(review.get("agency_reports") or [], case.chronologies, ctx.today):
        if flag.state == "due":
            continue
        hint = (f"import it: wbcr chronology import {case.folder} --agency {flag.agency} FILE"
                if flag.state == "received" else "chase the agency's designated senior manager")
        yield ctx.at(chronology.MISSING, case.relpath("review"), ("agency_reports", flag.index, "agency"),
                     flag.message, hint, severity=WARNING)


case_check("criteria")(criteria.check_criteria)  # the review criteria against the facts: wbcr.validation.criteria
