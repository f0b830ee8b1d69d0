"""Validating a register: every record against its schema, then the checks across records.

`validate_register` returns every finding at once; it raises only when it cannot go on at all (not a
register). File-level results (YAML and schema) are cached by content; cross-record checks in
`wbcr.checks` run every time on the small per-file summaries that the file-level pass keeps.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from wbcr import __version__, cache
from wbcr.findings import ERROR, WARNING, Finding
from wbcr.register import CONFIG_NAME, Register
from wbcr.schemas import SEALED_PREFIX, CASE_RECORDS, check_record, iter_sensitive_paths, record_kind, schemas_fingerprint
from wbcr.yamlio import YamlError, decode_record, locate, parse_yaml, read_record_bytes

SEALED_PREFIX_BYTES = SEALED_PREFIX.encode()
#: bump when what a summary holds changes, so cached summaries are rebuilt
SUMMARY_VERSION = 2
_PRESENT = True  # what a redacted sensitive value is replaced by in a summary


@dataclass
class ValidationResult:
    findings: list[Finding]
    cases: int = 0
    files: int = 0
    cached: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def as_dict(self) -> dict:
        return {"ok": not self.errors, "cases": self.cases, "files": self.files, "errors": len(self.errors),
                "warnings": len(self.warnings), "findings": [f.as_dict() for f in self.findings]}


@dataclass
class CaseFiles:
    """What the checks see of one case folder: summaries per record kind, chronologies per file stem."""

    folder: str
    relroot: str                                   # cases/<folder>
    records: dict[str, Any] = field(default_factory=dict)
    chronologies: dict[str, Any] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # relpaths that failed YAML or schema
    unknown: list[str] = field(default_factory=list)

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
        return {"agency": data.get("agency"), "entries": len(dates), "first": dates[0] if dates else None,
                "last": dates[-1] if dates else None, "submitted": data.get("submitted"), "dates": in_order,
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


# --- the register ----------------------------------------------------------------------------------


#: with more files than this to check afresh, both cores check them (fork: workers share the code)
PARALLEL_FROM = 400


class _Files:
    """Reads files through the cache; records what it checked.

    `deferring` is the first of two passes over the register: files the cache cannot answer are
    noted instead of checked, then checked together (on every core when there are many), and the
    second pass finds every answer ready.
    """

    def __init__(self, register: Register, use_cache: bool) -> None:
        self.register = register
        self.key = (__version__, schemas_fingerprint(), SUMMARY_VERSION)
        self.use_cache = use_cache
        self.old = cache.load(register.root, self.key) if use_cache else {}
        self.new: dict[str, tuple] = {}
        self.ready: dict[str, tuple[list[Finding], Any]] = {}
        self.pending: list[tuple[str, str, str]] = []
        self.deferring = False
        self.files = 0
        self.cached = 0

    def check(self, path: Path, relpath: str, kind: str) -> tuple[list[Finding], Any]:
        if not self.deferring:
            self.files += 1
        if relpath in self.ready:
            return self.ready[relpath]
        try:
            raw = read_record_bytes(path, relpath)
        except YamlError as exc:
            result = [Finding(exc.code, ERROR, exc.message, relpath, exc.line, exc.col, exc.hint)], None
            self.ready[relpath] = result
            return result
        digest = cache.digest(raw)
        hit = self.old.get(relpath)
        if hit is not None and hit[0] == digest:
            self.cached += 1
            self.new[relpath] = hit
            result = [Finding(*f) for f in hit[1]], hit[2]
        elif self.deferring:
            self.pending.append((str(path), relpath, kind))
            return [], None
        else:
            findings, summary = check_file_bytes(kind, raw, relpath)
            self.new[relpath] = (digest, [tuple(vars(f).values()) for f in findings], summary)
            result = findings, summary
        self.ready[relpath] = result
        return result

    def check_pending(self) -> None:
        """Check the files the first pass deferred, on every core when there are many."""
        jobs, self.pending = self.pending, []
        if not jobs:
            return
        workers = min(os.cpu_count() or 1, 4)
        if len(jobs) >= PARALLEL_FROM and workers > 1 and _can_fork():
            import multiprocessing

            chunk = max(1, len(jobs) // (workers * 8))
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_check_job, jobs, chunksize=chunk)
        else:
            results = [_check_job(job) for job in jobs]
        for (_path, relpath, _kind), (digest, found, summary) in zip(jobs, results):
            if digest is not None:
                self.new[relpath] = (digest, found, summary)
            self.ready[relpath] = [Finding(*f) for f in found], summary

    def save(self) -> None:
        if self.use_cache and self.new != self.old:
            cache.save(self.register.root, self.key, self.new)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _check_job(job: tuple[str, str, str]) -> tuple[str | None, list[tuple], Any]:
    path, relpath, kind = job
    try:
        raw = read_record_bytes(Path(path), relpath)
    except YamlError as exc:
        return None, [(exc.code, ERROR, exc.message, relpath, exc.line, exc.col, exc.hint)], None
    findings, summary = check_file_bytes(kind, raw, relpath)
    return cache.digest(raw), [tuple(vars(f).values()) for f in findings], summary


def _read_case(files: _Files, register: Register, folder: Path) -> tuple[CaseFiles, list[Finding]]:
    relroot = register.relpath(folder)
    case = CaseFiles(folder=folder.name, relroot=relroot)
    findings: list[Finding] = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_dir():
            if name == "chronology":
                for sub in sorted(os.scandir(entry.path), key=lambda e: e.name):
                    rel = f"{relroot}/chronology/{sub.name}"
                    if sub.name.startswith("."):
                        continue
                    if not (sub.is_file() and sub.name.endswith(".yaml")):
                        case.unknown.append(rel)
                        continue
                    found, summary = files.check(Path(sub.path), rel, "chronology")
                    findings += found
                    if summary is None:
                        case.broken.add(rel)
                    else:
                        case.chronologies[sub.name[:-5]] = summary
            else:
                case.unknown.append(f"{relroot}/{name}/")
            continue
        kind = CASE_RECORDS.get(name)
        if kind is None:
            case.unknown.append(f"{relroot}/{name}")
            continue
        found, summary = files.check(Path(entry.path), f"{relroot}/{name}", kind)
        findings += found
        if summary is None:
            case.broken.add(f"{relroot}/{name}")
        else:
            case.records[kind] = summary
    return case, findings


def select_case_dirs(register: Register, targets: Iterable[str]) -> list[Path]:
    """Case folders named by reference or by a path inside them; all of them when none are named."""
    from wbcr.errors import UsageError

    targets = list(targets)
    if not targets:
        return list(register.iter_case_dirs())
    chosen: list[Path] = []
    for target in targets:
        candidate = register.case_dir(target)
        if candidate.is_dir() and "/" not in target:
            chosen.append(candidate)
            continue
        path = Path(target).resolve()
        try:
            rel = path.relative_to(register.cases_dir.resolve())
        except ValueError:
            raise UsageError(f"{target}: not a case reference or a path inside {register.cases_dir}",
                             hint="name a case by its reference (e.g. WBCR-2026-004) or its folder") from None
        if not rel.parts or not (register.cases_dir / rel.parts[0]).is_dir():
            raise UsageError(f"{target}: no such case folder", hint="`wbcr status` lists the cases")
        chosen.append(register.cases_dir / rel.parts[0])
    return sorted(set(chosen))


def validate_register(register_root: Path, targets: Iterable[str] = (), *, today: dt.date,
                      strict: bool = False, use_cache: bool = True) -> ValidationResult:
    """Every finding in the register (or in the named cases), errors and warnings together."""
    from wbcr import checks
    from wbcr.register import Register as _Register

    probe = _Register(root=register_root, config={})
    files = _Files(probe, use_cache)
    findings, config = files.check(register_root / CONFIG_NAME, CONFIG_NAME, "register")
    if config is None:
        # Fall back to whatever parses, so case checks can still run; its own errors are reported.
        try:
            config = parse_yaml(decode_record(read_record_bytes(register_root / CONFIG_NAME, CONFIG_NAME),
                                              CONFIG_NAME), CONFIG_NAME)
        except YamlError:
            config = None
    register = _Register(root=register_root, config=config if isinstance(config, dict) else {})
    files.register = register
    folders = select_case_dirs(register, targets)
    files.deferring = True
    for folder in folders:
        _read_case(files, register, folder)
    files.deferring = False
    files.check_pending()
    cases: list[CaseFiles] = []
    for folder in folders:
        case, found = _read_case(files, register, folder)
        findings += found
        cases.append(case)
    context = checks.Context(register=register, today=today, config_ok=config is not None)
    findings += checks.run_case_checks(context, cases)
    if not list(targets):
        findings += checks.run_register_checks(context, cases)
    else:
        # a duplicate reference involves other folders too: compare against every case's case.yaml
        findings += checks.run_register_checks(context, cases, all_cases=_all_case_refs(files, register))
    files.save()
    if strict:
        findings = [f.with_severity(ERROR) for f in findings]
    findings.sort(key=Finding.sort_key)
    return ValidationResult(findings=findings, cases=len(cases), files=files.files, cached=files.cached)


def _all_case_refs(files: _Files, register: Register) -> dict[str, str]:
    refs = {}
    for folder in register.iter_case_dirs():
        path = folder / "case.yaml"
        if path.is_file():
            _, summary = files.check(path, register.relpath(path), "case")
            if isinstance(summary, dict) and isinstance(summary.get("reference"), str):
                refs[register.relpath(folder)] = summary["reference"]
    return refs


def locate_in(register: Register, relpath: str, json_path: tuple, key: bool = False) -> tuple[int | None, int | None]:
    """Position of a value for a cross-record finding (reads the file again: findings are rare)."""
    try:
        text = decode_record(read_record_bytes(register.root / relpath, relpath), relpath)
    except YamlError:
        return None, None
    return locate(text, json_path, key=key)
