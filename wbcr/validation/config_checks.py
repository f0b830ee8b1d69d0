"""Checks of wbcr.yaml that its schema cannot make: the register's own wording (`labels:`) names words
and label groups that exist, `deadline_anchors:` names a deadline and a starting point one of the
register's procedures offers, the national bodies the procedure sends notices to have the details
the notices' templates read without a fallback (`config.document-field`), and each learning theme of
`themes:` has an id of its own (`config.theme`)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Iterator

from wbcr.core.errors import WbcrError
from wbcr.core.findings import ERROR, WARNING, Finding
from wbcr.core.resources import case_templates_dir
from wbcr.core.yamlio import load_record
from wbcr.model.procedure import available, load_procedure
from wbcr.model.reference import format_problem
from wbcr.model.register import CONFIG_NAME
from wbcr.model.vocabulary import base_labels


def check_config(ctx) -> Iterator[Finding]:
    config = ctx.register.config
    references = config.get("references")
    if isinstance(references, dict) and isinstance(references.get("format"), str):
        problem = format_problem(references["format"])
        if problem is not None:
            yield ctx.at("reference.format", CONFIG_NAME, ("references", "format"),
                         f'references: format "{references["format"]}" {problem}; `wbcr refer` cannot use it',
                         'e.g. "{prefix}-{year}-{seq:03d}": {seq} once, in decimal digits, and only letters, '
                         "digits, '-', '_' and '.' around the fields", severity=ERROR)
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
    yield from _document_fields(ctx, procedures)
    yield from _themes(ctx)
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


def _themes(ctx) -> Iterator[Finding]:
    """Each learning theme once: findings and recommendations name a theme by its id."""
    themes = ctx.register.config.get("themes")
    seen: dict[str, int] = {}
    for i, theme in enumerate(themes if isinstance(themes, list) else []):
        ident = theme.get("id") if isinstance(theme, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in seen:
            yield ctx.at("config.theme", CONFIG_NAME, ("themes", i, "id"),
                         f'themes: "{ident}" is listed twice (entries {seen[ident] + 1} and {i + 1})',
                         "give each theme its own id, or merge the two entries", severity=ERROR)
        seen.setdefault(ident, i)


# --- what the notices to the national bodies read from wbcr.yaml ---------------------------------------

#: the bodies wbcr.yaml describes under external_bodies that a procedure sends notices to
NATIONAL_BODIES = ("ofsted", "dfe", "national_panel", "secretary_of_state")


def _document_fields(ctx, procedures) -> Iterator[Finding]:
    """A body the register's procedure must notify, a document written to it (the catalogue's
    `recipients`), and a detail of it the document's template (the board's override, or wbcr's) reads
    with no `is defined` or `| default` to fall back on: without it in wbcr.yaml the notice cannot render."""
    config = ctx.register.config
    external = config.get("external_bodies") if isinstance(config.get("external_bodies"), dict) else {}
    procedure = next((p for p in procedures if p.id == config.get("procedure")), None)
    if procedure is None:
        return
    notified = set(re.findall(r"recipient=(\w+)", repr(procedure.stages) + repr([d.met for d in procedure.deadlines])))
    documents_dir = case_templates_dir() / "documents"
    try:
        documents = load_record(documents_dir / "catalogue.yaml", "case_templates/documents/catalogue.yaml")["documents"]
    except (WbcrError, KeyError, TypeError):
        return
    needs: dict[tuple[str, str], list[str]] = {}  # (body, field) -> the documents that read it
    for doc in documents:
        frameworks = doc.get("frameworks") or []
        if frameworks and procedure.framework not in frameworks:
            continue
        own = ctx.register.root / "templates" / doc["template"]
        path = own if own.is_file() else documents_dir / doc["template"]
        for body in doc.get("recipients") or []:
            if body not in NATIONAL_BODIES or body not in notified:
                continue
            for field in sorted(_unguarded_reads(str(path), *_stamp(path), body)):
                if field not in ("id", "name") or body not in external:
                    needs.setdefault((body, field), []).append(doc["name"])
    for (body, field), names in sorted(needs.items()):
        entry = external.get(body)
        if isinstance(entry, dict) and field in entry:
            continue
        if not isinstance(entry, dict) and field in ("id", "name", "role"):
            continue  # wbcr addresses a body wbcr.yaml does not list by its label: name and role it has
        what = f"external_bodies.{body}" if isinstance(entry, dict) else "external_bodies"
        path = ("external_bodies", body) if isinstance(entry, dict) else ("external_bodies",)
        yield ctx.at("config.document-field", CONFIG_NAME, path,
                     f"{what}{'' if isinstance(entry, dict) else '.' + body}.{field} is not recorded, and "
                     f"{', '.join(names)} (--to {body}) cannot render without it",
                     f"add {field}: under external_bodies: {body}: in wbcr.yaml, or guard it in the template "
                     f"with {{% if … is defined %}}", severity=WARNING, key=True)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return 0, 0
    return stat.st_mtime_ns, stat.st_size


@cache
def _unguarded_reads(path: str, _mtime: int, _size: int, body: str) -> frozenset[str]:
    """The details of `body` the template reads as `recipient.X` (rendered --to body) or
    `external.body.X` with no `… is defined` test or `| default` anywhere in it to fall back on. Read
    as text, not parsed: validate runs often, and the templates' own fallbacks are written so."""
    try:
        source = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)  # comments
    unguarded = set()
    for prefix in ("recipient", rf"external\.{re.escape(body)}"):
        for field in set(re.findall(rf"\b{prefix}\.(\w+)\b", source)):
            chain = rf"\b{prefix}\.{field}\b"
            if not re.search(chain + r"\s+is\s+defined|" + chain + r"\s*\|\s*default\b", source):
                unguarded.add(field)
    return frozenset(unguarded)
