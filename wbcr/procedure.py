"""Procedures as data: the stages of each intake and review kind, and what each stage requires.

A procedure is a YAML file in `wbcr/procedures/`. Adding a stage or a requirement is a data change.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from wbcr.errors import WbcrError
from wbcr.resources import procedures_dir
from wbcr.yamlio import load_record


@dataclass(frozen=True)
class Requirement:
    record: str          # file name in the case folder, e.g. decisions.yaml
    field: str | None    # dotted path inside it that must hold a value

    def describe(self) -> str:
        return f"{self.record}: {self.field}" if self.field else self.record


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    intakes: dict       # intake -> {"title", "stages"}
    review_paths: dict  # review kind -> [stages]
    stages: dict        # stage -> {"title", "requires"}

    def path(self, intake: str, review_kind: str | None) -> list[str]:
        """The stages a case walks: its intake's, then its review kind's."""
        stages = list(self.intakes.get(intake, {}).get("stages", []))
        if intake == "review_referral" and review_kind:
            stages += [s for s in self.review_paths.get(review_kind, []) if s not in stages]
        return stages

    def all_stages(self) -> list[str]:
        return list(self.stages)

    def title_of(self, stage: str) -> str:
        return self.stages.get(stage, {}).get("title", stage)

    def requirements(self, stage: str) -> list[Requirement]:
        return [Requirement(r["record"], r.get("field")) for r in self.stages.get(stage, {}).get("requires", [])]


def available() -> list[str]:
    return sorted(p.stem for p in procedures_dir().glob("*.yaml"))


@cache
def load_procedure(procedure_id: str) -> Procedure:
    path = procedures_dir() / f"{procedure_id}.yaml"
    if not path.is_file():
        raise WbcrError(f'unknown procedure "{procedure_id}"', code="procedure.unknown",
                        hint=f"available procedures: {', '.join(available())}")
    data = load_record(path, f"procedures/{procedure_id}.yaml")
    return Procedure(id=data["id"], title=data["title"], intakes=data["intakes"],
                     review_paths=data["review_paths"], stages=data["stages"])


def field_value(data: Any, dotted: str | None) -> Any:
    """The value at a dotted path (`screening.outcome`), or None when any step is missing."""
    if dotted is None:
        return data
    for step in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data


def is_recorded(value: Any) -> bool:
    return value not in (None, "", [], {})
