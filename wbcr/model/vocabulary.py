"""The words a case is written in: its procedure's vocabulary, over the shipped labels, under the
register's own wording.

A procedure file names its body ("Local Safeguarding Children Board" / "safeguarding partnership"),
decision maker, national body, statutory review and legal bases in `words:`, and may relabel ids
(`labels:`, e.g. review_kind `no_review` → "No LCSPR"). A register's `wbcr.yaml` `labels:` overrides
both: `labels: {words: {body: …}, review_kind: {…}}`. Documents, `show`, `next`, the reports and
`decide` read the merged result, so a case under Working Together 2023 never speaks of LSCBs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from wbcr.core.resources import case_templates_dir
from wbcr.core.yamlio import load_record

if TYPE_CHECKING:
    from wbcr.model.procedure import Procedure


@cache
def base_labels() -> dict:
    """case_templates/documents/labels.yaml: words for the record ids, as shipped."""
    data = load_record(case_templates_dir() / "documents" / "labels.yaml", "case_templates/documents/labels.yaml")
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class Vocabulary:
    words: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)

    def word(self, key: str) -> str:
        """A word of the vocabulary; an unknown key is shown as itself (never a crash in a letter)."""
        return str(self.words.get(key) or key.replace("_", " "))

    def label(self, group: str, value: object) -> str:
        if value is None:
            return ""
        found = (self.labels.get(group) or {}).get(str(value))
        return str(found) if found else str(value).replace("_", " ")


def _merge(*layers: dict) -> dict:
    out: dict = {}
    for layer in layers:
        for group, items in (layer or {}).items():
            if isinstance(items, dict):
                out[group] = {**out.get(group, {}), **{str(k): v for k, v in items.items()}}
    return out


def vocabulary(procedure: "Procedure | None", config: dict | None) -> Vocabulary:
    """The merged vocabulary of a procedure under a register's configuration."""
    own = (config or {}).get("labels") if isinstance(config, dict) else None
    own = own if isinstance(own, dict) else {}
    words = {**(procedure.words if procedure else {}), **(own.get("words") or {})}
    groups = {k: v for k, v in own.items() if k != "words"}
    labels = _merge(base_labels(), procedure.labels if procedure else {}, groups)
    return Vocabulary(words=words, labels=labels)
