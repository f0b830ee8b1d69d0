"""Procedures as data: stages, paths, guards and deadlines, and the small language they are written in.

A procedure is a YAML file in `wbcr/procedures/`, checked against `schemas/procedure.json`. Adding a
stage, a guard or a deadline is a data change. Conditions and paths are documented at the top of
`wbcr/procedures/wt2015.yaml`; this module evaluates them against a case's records, given as
`{"case": {...}, "referral": {...}, ..., "chronology": {agency: {...}}}`.
"""

from __future__ import annotations

import re
from pathlib import Path
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, Callable

from wbcr.core.calendar import parse_offset
from wbcr.core.errors import WbcrError
from wbcr.core.resources import procedures_dir
from wbcr.core.yamlio import load_record
from wbcr.model.schemas import check_procedure

_MISSING = object()
_TOKEN = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


# --- paths -----------------------------------------------------------------------------------------


def _select(value: Any, steps: list[tuple[str | None, str | None]]) -> Any:
    for i, (name, bracket) in enumerate(steps):
        if value is _MISSING or value is None:
            return _MISSING
        if name is not None:
            if not isinstance(value, dict) or name not in value:
                return _MISSING
            value = value[name]
            continue
        if not isinstance(value, list):
            return _MISSING
        if bracket == "*":
            rest = steps[i + 1:]
            out = []
            for item in value:
                got = _select(item, rest)
                if got is _MISSING:
                    continue
                out.extend(got if isinstance(got, list) else [got])
            return out
        if re.fullmatch(r"-?\d+", bracket or ""):
            index = int(bracket)
            if not -len(value) <= index < len(value):
                return _MISSING
            value = value[index]
            continue
        filters = [part.split("=", 1) for part in (bracket or "").split(",") if "=" in part]
        for item in value:
            if isinstance(item, dict) and all(str(item.get(k.strip())) == v.strip() for k, v in filters):
                value = item
                break
        else:
            return _MISSING
    return value


def resolve(records: dict, path: str) -> Any:
    """The value at `file.yaml#a.b[k=v].c` (or `chronology`), or None when absent."""
    if path == "chronology":
        return records.get("chronology") or None
    file, _, inner = path.partition("#")
    kind = file.removesuffix(".yaml")
    data = records.get(kind, _MISSING)
    if not inner:
        return None if data is _MISSING else data
    steps = [(m.group(1), m.group(2)) for m in _TOKEN.finditer(inner)]
    got = _select(data, steps)
    return None if got is _MISSING else got


def is_recorded(value: Any) -> bool:
    return value not in (None, "", [], {})


def _fill(template: str, item: Any) -> str:
    def sub(match: re.Match) -> str:
        expr = match.group(1)
        if expr == "item":
            return str(item)
        if expr.startswith("item.") and isinstance(item, dict):
            return str(item.get(expr[5:], ""))
        return match.group(0)

    return re.sub(r"\{(item(?:\.[a-z_]+)?)\}", sub, template)


def _substitute(cond: Any, item: Any) -> Any:
    if isinstance(cond, str):
        return _fill(cond, item)
    if isinstance(cond, list):
        return [_substitute(c, item) for c in cond]
    if isinstance(cond, dict):
        return {k: _substitute(v, item) for k, v in cond.items()}
    return cond


# --- conditions ------------------------------------------------------------------------------------


@dataclass
class Evaluator:
    """Evaluates conditions against one case's records. `past_deadline(id)` answers `past_deadline`."""

    records: dict
    past_deadline: Callable[[str], bool] = lambda _id: False

    def holds(self, cond: dict) -> bool:
        if "when" in cond and not self.holds(cond["when"]):
            return True
        if "all" in cond:
            return all(self.holds(c) for c in cond["all"])
        if "any" in cond:
            return any(self.holds(c) for c in cond["any"])
        if "not" in cond:
            return not self.holds(cond["not"])
        if "differs" in cond:
            a, b = (resolve(self.records, p) for p in cond["differs"])
            return a != b
        if "past_deadline" in cond:
            return self.past_deadline(cond["past_deadline"])
        if "each" in cond:
            items = resolve(self.records, cond["each"]) or []
            return all(self.holds(_substitute(cond["check"], item)) for item in items)
        if "exists" in cond:
            return is_recorded(resolve(self.records, cond["exists"]))
        value = resolve(self.records, cond["path"])
        if "equals" in cond:
            return value == cond["equals"]
        if "in" in cond:
            return value in cond["in"]
        if "includes" in cond:  # the list at `path` holds at least one of these
            return isinstance(value, list) and any(v in value for v in cond["includes"])
        if "min_items" in cond:
            return isinstance(value, list) and len(value) >= cond["min_items"]
        return is_recorded(value)

    def missing(self, cond: dict) -> list[str]:
        """What is missing for `cond` to hold, one message per item (empty when it holds)."""
        return [message for message, _path in self.unmet(cond)]

    def unmet(self, cond: dict) -> list[tuple[str, str | None]]:
        """`missing`, each message with the record path that would satisfy it (for naming the command
        that records it), or None when the condition names none."""
        if "when" in cond and not self.holds(cond["when"]):
            return []
        if "each" in cond and "message" in cond:
            items = resolve(self.records, cond["each"]) or []
            out = []
            for item in items:
                check = _substitute(cond["check"], item)
                if not self.holds(check):
                    out.append((_fill(cond["message"], item), condition_path(check)))
            return out
        if self.holds(cond):
            return []
        return [(cond["message"] if "message" in cond else describe(cond), condition_path(cond))]


def condition_path(cond: Any) -> str | None:
    """The record path a condition asks to be recorded (the first one it names), or None."""
    if not isinstance(cond, dict):
        return None
    for key in ("exists", "path"):
        if isinstance(cond.get(key), str):
            return cond[key]
    for key in ("any", "all"):
        for inner in cond.get(key) or ():
            found = condition_path(inner)
            if found:
                return found
    if isinstance(cond.get("not"), dict):
        return None  # something recorded that should not be: no command records its absence
    if isinstance(cond.get("check"), dict):
        return condition_path(cond["check"])
    return None


_FILTER = re.compile(r"\[([^\]]*)\]")


def command_for(procedure: "Procedure", path: str | None, reference: str) -> str | None:
    """The command that records what `path` names, from the procedure's `recorded_by` table (the
    longest matching start wins), with the path's filter values filled in: {reference}, {agency},
    {recipient}, {purpose}, {member}, {id}, {kind}, and {field} (the path's last field)."""
    if not path:
        return None
    values: dict[str, str] = {}
    for group in _FILTER.findall(path):
        for pair in group.split(","):
            key, sep, value = pair.partition("=")
            if sep and not value.startswith("{"):
                values.setdefault(key.strip(), value.strip())
    bare = _FILTER.sub("", path)
    best = None
    for start, command in procedure.recorded_by.items():
        if (bare == start or bare.startswith(start + ".") or bare.startswith(start + "#")
                or (start.endswith("#") and bare.startswith(start))) and (best is None or len(start) > len(best)):
            best = start
    if best is None:
        return None
    values["field"] = bare.rsplit("#", 1)[-1].rsplit(".", 1)[-1] if "#" in bare else ""
    if bare.startswith("chronology#"):
        values.setdefault("agency", values["field"])
    values["reference"] = reference

    def fill(match: re.Match) -> str:
        return values.get(match.group(1)) or match.group(1).upper()

    return re.sub(r"\{([a-z_]+)\}", fill, procedure.recorded_by[best])


def describe(cond: dict) -> str:
    path = cond.get("exists") or cond.get("path") or cond.get("each") or "?"
    file, _, field = str(path).partition("#")
    where = f"{file}: {field}" if field else file
    if "equals" in cond:
        return f"{where}: is not {cond['equals']}"
    if "min_items" in cond:
        return f"{where}: needs at least {cond['min_items']}"
    return f"{where}: not recorded"


# --- the procedure ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    id: str
    title: str
    owner: str
    anchor: str | tuple[str, ...]  # a path, or paths of which the first recorded counts
    offset: str
    met: str | tuple[str, ...]
    stage: str | None = None
    when: dict | None = None
    each: str | None = None
    due: str | None = None
    extended_to: str | None = None
    extension_requires: str | None = None
    after_closing: bool = False  # still owed after the case closes (an action of the plan)
    decision: bool = False  # a timescale of the decision on the referral (`wbcr report decisions`)
    anchors: dict = field(default_factory=dict)  # other starting points a register may choose by name


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    intakes: dict
    review_paths: dict
    stages: dict
    deadlines: tuple[Deadline, ...] = ()
    commands: tuple[dict, ...] = ()
    recorded_by: dict = field(default_factory=dict)
    framework: str = ""  # the statutory framework: wt2015 or wt2023
    words: dict = field(default_factory=dict)  # the procedure's vocabulary (see wbcr.model.vocabulary)
    labels: dict = field(default_factory=dict)  # label groups over case_templates/documents/labels.yaml
    decisions: tuple[str, ...] = ()  # the review kinds a decision may choose
    decision_considerations: tuple[str, ...] = ()  # what the decision maker records considering

    def command_rule(self, command: str) -> dict | None:
        """Where a recording command (`screen`, `notify:decision_notification`, …) may record, or None
        when the procedure sets no rule for it."""
        for rule in self.commands:
            if command in rule.get("for", ()):
                return rule
        return None

    def path(self, intake: str, review_kind: str | None) -> list[str]:
        """The stages a case walks: its intake's, then its review kind's."""
        stages = list(self.intakes.get(intake, {}).get("stages", []))
        if intake == "review_referral" and review_kind:
            stages += [s for s in self.review_paths.get(review_kind, []) if s not in stages]
        return stages

    def exits(self, stage: str) -> list[dict]:
        return list(self.stages.get(stage, {}).get("exits") or [])

    def allowed_stages(self, intake: str, review_kind: str | None) -> list[str]:
        path = self.path(intake, review_kind)
        extra = [e["to"] for s in path for e in self.exits(s) if e["to"] not in path]
        return path + extra

    def title_of(self, stage: str) -> str:
        return self.stages.get(stage, {}).get("title", stage)

    def owner_of(self, stage: str) -> str:
        return self.stages.get(stage, {}).get("owner", "")

    def action_of(self, stage: str) -> str:
        return self.stages.get(stage, {}).get("action", "")

    def requirements(self, stage: str) -> list[dict]:
        return list(self.stages.get(stage, {}).get("requires") or [])


def _deadline(data: dict) -> Deadline:
    """A deadline of the procedure file; `{offset}` in its title is the offset in words, so a register
    that changes the period changes the title with it."""
    fields = dict(data)
    for key in ("met", "anchor"):
        if isinstance(fields.get(key), list):
            fields[key] = tuple(fields[key])
    fields["anchors"] = {k: tuple(v) if isinstance(v, list) else v for k, v in (fields.get("anchors") or {}).items()}
    if "{offset}" in str(fields.get("title", "")):
        fields["title"] = fields["title"].replace("{offset}", parse_offset(fields["offset"]).describe())
    return Deadline(**fields)


def with_anchors(procedure: Procedure, chosen: dict | None, shown: str = "wbcr.yaml") -> Procedure:
    """The procedure with the starting points a register chose (`deadline_anchors: {DEADLINE: NAME}`).
    A deadline this procedure does not have is left to the register's other procedures (`wbcr validate`
    reports one that no procedure has); a starting point the deadline does not offer is refused."""
    if not chosen:
        return procedure
    by_id = {d.id: d for d in procedure.deadlines}
    for deadline_id, name in chosen.items():
        d = by_id.get(deadline_id)
        if d is not None and name not in d.anchors:
            raise WbcrError(f"deadline_anchors: {deadline_id} of {procedure.id} has no starting point {name!r}",
                            path=shown, code="config.deadline_anchor",
                            hint=f"its starting points: {', '.join(d.anchors) or 'none besides its own'}")
    return replace(procedure, deadlines=tuple(replace(d, anchor=d.anchors[chosen[d.id]]) if d.id in chosen else d
                                              for d in procedure.deadlines))


def available(register_root: Path | None = None) -> list[str]:
    """The procedures a register can name: the packaged ones and its own `procedures/*.yaml`."""
    names = {p.stem for p in procedures_dir().glob("*.yaml")}
    if register_root is not None:
        names |= {p.stem for p in (register_root / REGISTER_FOLDER).glob("*.yaml")}
    return sorted(names)


#: a register's own procedures (overriding or adding to the packaged ones)
REGISTER_FOLDER = "procedures"


def procedure_file(procedure_id: str, register_root: Path | None = None) -> tuple[Path, str, bool]:
    """`(path, shown name, the register's own)` of a procedure: the register's `procedures/ID.yaml`
    when there is one, else the packaged file."""
    if not isinstance(procedure_id, str) or not re.fullmatch(r"[a-z0-9_-]+", procedure_id):
        raise WbcrError(f'unknown procedure "{procedure_id}"', code="procedure.unknown",
                        hint=f"available procedures: {', '.join(available(register_root))}")
    if register_root is not None:
        own = register_root / REGISTER_FOLDER / f"{procedure_id}.yaml"
        if own.is_file():
            return own, f"{REGISTER_FOLDER}/{procedure_id}.yaml", True
    path = procedures_dir() / f"{procedure_id}.yaml"
    if not path.is_file():
        raise WbcrError(f'unknown procedure "{procedure_id}"', code="procedure.unknown",
                        hint=f"available procedures: {', '.join(available(register_root))}")
    return path, f"wbcr/procedures/{procedure_id}.yaml", False


def load_procedure(procedure_id: str, register_root: Path | None = None) -> Procedure:
    """A procedure by id: the register's own `procedures/ID.yaml` (checked against
    schemas/procedure.json) when it has one, else the one shipped with wbcr."""
    path, shown, own = procedure_file(procedure_id, register_root)
    stat = path.stat()
    return _load(str(path), shown, own, stat.st_mtime_ns, stat.st_size)


@cache
def _load(path: str, shown: str, own: bool, _mtime: int, _size: int) -> Procedure:
    data = load_record(Path(path), shown)
    if own:
        # a register's procedure is checked against its schema here; the shipped ones are checked by
        # the test suite, which keeps jsonschema off the start-up path of light commands

        problems = check_procedure(data)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise WbcrError(f"{problems[0]}{more}", path=shown, code="procedure.invalid",
                            hint="see schemas/procedure.json and wbcr's own procedures for the form")
    elif not isinstance(data, dict):
        raise WbcrError("a procedure must be a mapping", path=shown, code="procedure.invalid")
    deadlines = tuple(_deadline(d) for d in data.get("deadlines") or [])
    procedure = Procedure(id=data["id"], title=data["title"], intakes=data["intakes"],
                          review_paths=data["review_paths"], stages=data["stages"], deadlines=deadlines,
                          commands=tuple(data.get("commands") or ()), recorded_by=dict(data.get("recorded_by") or {}),
                          framework=str(data.get("framework") or data["id"]), words=dict(data.get("words") or {}),
                          labels=dict(data.get("labels") or {}),
                          decisions=tuple(data.get("decisions") or data["review_paths"]),
                          decision_considerations=tuple(data.get("decision_considerations") or ()))
    _check_references(procedure, shown)
    return procedure


def _check_references(procedure: Procedure, shown: str) -> None:
    """Every stage a path, exit or deadline names must be defined."""
    named = [s for i in procedure.intakes.values() for s in i["stages"]]
    named += [s for p in procedure.review_paths.values() for s in p]
    named += [e["to"] for s in procedure.stages.values() for e in s.get("exits") or []]
    named += [d.stage for d in procedure.deadlines if d.stage]
    named += [s for rule in procedure.commands for s in rule.get("stages") or ()]
    undefined = sorted(set(named) - set(procedure.stages))
    if undefined:
        raise WbcrError(f"{shown} names stages it does not define: {', '.join(undefined)}", code="procedure.invalid")
