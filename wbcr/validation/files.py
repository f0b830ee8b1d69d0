"""One record file checked on its own: YAML and schema findings, and the summary the checks across a
case's records read (personal data redacted). Also where a cross-record finding sits in its file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wbcr.core.dates import parse_iso_date
from wbcr.core.findings import ERROR, Finding
from wbcr.core.yamlio import YamlError, decode_record, locate, parse_yaml, read_record_bytes
from wbcr.model.register import Register
from wbcr.model.schemas import SEALED_PREFIX, check_record, iter_sensitive_paths

SEALED_PREFIX_BYTES = SEALED_PREFIX.encode()
#: bump when what a summary holds changes, so cached summaries are rebuilt
SUMMARY_VERSION = 4
_PRESENT = True  # what a redacted sensitive value is replaced by in a summary


@dataclass
class CaseFiles:
    """What the checks see of one case folder: summaries per record kind, chronologies per file stem."""

    folder: str
    relroot: str                                   # cases/<folder>
    records: dict[str, Any] = field(default_factory=dict)
    chronologies: dict[str, Any] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # relpaths that failed YAML or schema
    unknown: list[str] = field(default_factory=list)

    def add(self, relpath: str, kind: str, summary: Any) -> None:
        """Take in one file's summary (None: the file is broken, already reported)."""
        if summary is None:
            self.broken.add(relpath)
        elif kind == "chronology":
            self.chronologies[relpath.rsplit("/", 1)[-1][:-5]] = summary
        else:
            self.records[kind] = summary

    def relpath(self, kind: str, stem: str | None = None) -> str:
        if kind == "chronology":
            return f"{self.relroot}/chronology/{stem}.yaml"
        return f"{self.relroot}/{kind}.yaml"


# --- file level ------------------------------------------------------------------------------------


def _redact(data: Any, paths: list[tuple]) -> Any:
    """A copy of `data` with the values at sensitive paths replaced by a marker."""
    if not paths or not isinstance(data, (dict, list)):
        return data

    def walk(node, path_list):
        heads: dict[Any, list] = {}
        for p in path_list:
            heads.setdefault(p[0], []).append(p[1:])
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                subs = heads.get(key)
                if subs is None:
                    out[key] = value
                elif any(len(s) == 0 for s in subs):
                    out[key] = _PRESENT if value not in (None, "", []) else value
                else:
                    out[key] = walk(value, subs)
            return out
        if isinstance(node, list) and "*" in heads:
            subs = heads["*"]
            if any(len(s) == 0 for s in subs):
                return [_PRESENT for _ in node]
            return [walk(item, subs) for item in node]
        return node

    return walk(data, paths)


_SENSITIVE: dict[str, list[tuple]] = {}


def summarise(kind: str, data: Any) -> Any:
    """What the cross-record checks need of a valid record, without personal data."""
    if kind == "chronology":
        # entry dates in file order (a leading ? kept) and the declared periods of no contact: what the
        # chronology checks (scope, gaps) need, without any narrative
        in_order = [e["date"] for e in data.get("entries", [])]
        dates = sorted(d.lstrip("?") for d in in_order)
        # distinct days as ordinals, sorted: lets the chronology checks rule out gaps and out-of-scope
        # entries with integer arithmetic on every run, parsing dates only when there is something to say
        days = sorted({parse_iso_date(d).toordinal() for d in set(dates)})
        return {"agency": data.get("agency"), "entries": len(dates), "first": dates[0] if dates else None,
                "last": dates[-1] if dates else None, "submitted": data.get("submitted"),
                "days": days,
                "no_contact": [[p["from"], p["to"]] for p in data.get("no_contact_periods") or []]}
    if kind not in _SENSITIVE:
        _SENSITIVE[kind] = list(iter_sensitive_paths(kind))
    return _redact(data, _SENSITIVE[kind])


def check_file_bytes(kind: str, raw: bytes, relpath: str) -> tuple[list[Finding], Any]:
    """YAML and schema findings of one file's content, and its summary (None when unusable)."""
    try:
        text = decode_record(raw, relpath)
        data = parse_yaml(text, relpath)
    except YamlError as exc:
        return [Finding(exc.code, ERROR, exc.message, relpath, exc.line, exc.col, exc.hint)], None
    if data is None:
        return [Finding("schema", ERROR, "the file is empty", relpath, 1, 1,
                        "fill it in, or delete it if the case has not reached this record")], None
    problems = check_record(kind, data, sealed=SEALED_PREFIX_BYTES in raw)
    if not problems:
        return [], summarise(kind, data)
    findings = []
    for problem in problems:
        line, col = locate(text, problem.path, key=problem.at_key)
        findings.append(Finding("schema", ERROR, problem.message, relpath, line, col, problem.hint))
    return findings, None



def locate_in(register: Register, relpath: str, json_path: tuple, key: bool = False) -> tuple[int | None, int | None]:
    """Position of a value for a cross-record finding (reads the file again: findings are rare)."""
    try:
        text = decode_record(read_record_bytes(register.root / relpath, relpath), relpath)
    except YamlError:
        return None, None
    return locate(text, json_path, key=key)
