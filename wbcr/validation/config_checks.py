"""Checks of wbcr.yaml that its schema cannot make: the register's own wording (`labels:`) names words
and label groups that exist, and `deadline_anchors:` names a deadline and a starting point one of the
register's procedures offers."""

from __future__ import annotations

from typing import Iterator

from wbcr.core.errors import WbcrError
from wbcr.core.findings import ERROR, WARNING, Finding
from wbcr.model.procedure import available, load_procedure
from wbcr.model.register import CONFIG_NAME
from wbcr.model.vocabulary import base_labels


def check_config(ctx) -> Iterator[Finding]:
    config = ctx.register.config
    procedures = []
    for procedure_id in available(ctx.register.root):
        try:
            procedures.append(load_procedure(procedure_id, ctx.register.root))  # as shipped: anchors unchosen
        except WbcrError:
            continue  # a broken procedure is reported by the case checks that use it
    labels = config.get("labels")
    if isinstance(labels, dict):
        words = {key for p in procedures for key in p.words}
        groups = set(base_labels()) | {g for p in procedures for g in p.labels}
        for group, items in labels.items():
            if group == "words":
                for key in items or {}:
                    if key not in words:
                        yield ctx.at("config.labels", CONFIG_NAME, ("labels", "words", key),
                                     f'labels: words: "{key}" is not a word any procedure uses',
                                     "`wbcr labels` lists them: " + ", ".join(sorted(words)), severity=WARNING, key=True)
            elif group not in groups:
                yield ctx.at("config.labels", CONFIG_NAME, ("labels", group),
                             f'labels: "{group}" is not a label group', "`wbcr labels` lists them: "
                             + ", ".join(sorted(groups)), severity=WARNING, key=True)
    anchors = config.get("deadline_anchors")
    if isinstance(anchors, dict):
        offered = {}
        for p in procedures:
            for d in p.deadlines:
                offered.setdefault(d.id, set()).update(d.anchors)
        for deadline_id, name in anchors.items():
            if deadline_id not in offered:
                yield ctx.at("config.deadline_anchor", CONFIG_NAME, ("deadline_anchors", deadline_id),
                             f'deadline_anchors: no procedure of this register has a deadline "{deadline_id}"',
                             "deadlines with other starting points: "
                             + (", ".join(sorted(k for k, v in offered.items() if v)) or "none"), severity=ERROR, key=True)
            elif name not in offered[deadline_id]:
                yield ctx.at("config.deadline_anchor", CONFIG_NAME, ("deadline_anchors", deadline_id),
                             f'deadline_anchors: {deadline_id} has no starting point "{name}"',
                             "its starting points: " + (", ".join(sorted(offered[deadline_id])) or "none besides its own"))
