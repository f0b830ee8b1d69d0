"""A referral as received: the referral record and the people it names, before it becomes a case."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wbcr.core.errors import UsageError
from wbcr.core.yamlio import YamlError, load_roundtrip


@dataclass
class Referral:
    """A referral to register: the referral record, the people it names, and where it came from."""

    referral: Any            # ruamel round-trip mapping (keeps the sender's comments) or a plain dict
    people: Any
    source: str              # shown in messages


def read_referral_file(path: Path) -> Referral:
    """A referral record (`referral.yaml` form) with its people: a `people:` list inside it, or a
    `people.yaml` beside it (as in an existing case folder)."""
    shown = str(path)
    if not path.is_file():
        raise UsageError(f"{shown}: no such file", hint="give the path of a referral record (YAML)")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"{shown}: wbcr reads referral records as YAML (.yaml)",
                         hint="see case_templates/case/referral.yaml for the form")
    referral = load_roundtrip(path, shown)
    if not isinstance(referral, dict):
        raise YamlError("a referral record must be a mapping of fields", path=shown, line=1, col=1, code="schema")
    people = None
    if "people" in referral:
        people = {"schema_version": 1, "people": referral.pop("people")}
    else:
        beside = path.parent / "people.yaml"
        if beside.is_file():
            people = load_roundtrip(beside, str(beside))
    if people is None:
        raise UsageError(f"{shown}: no people are given for the referral",
                         hint="add a `people:` list to the referral record (subject child first), "
                              "or put its people.yaml beside it")
    return Referral(referral=referral, people=people, source=shown)
