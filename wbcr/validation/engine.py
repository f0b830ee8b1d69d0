"""Validating a register: every record against its schema, then the checks across records.

`validate_register` returns every finding at once; it raises only when it cannot go on at all (not a
register). File-level results (YAML and schema) are cached by content; cross-record checks in
`wbcr.validation.checks` run on the small per-file summaries that the file-level pass keeps.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from wbcr import __version__
from wbcr.core import cache
from wbcr.core.findings import ERROR, WARNING, Finding
from wbcr.model.register import CONFIG_NAME, Register
from wbcr.validation.config_checks import check_config
from wbcr.model.schemas import CASE_RECORDS, check_record, record_kind, schemas_fingerprint, type_problems
from wbcr.core.yamlio import MAX_RECORD_BYTES, YamlError, decode_record, parse_yaml, read_record_bytes

from wbcr.validation import checks
from wbcr.validation.files import SEALED_PREFIX_BYTES, SUMMARY_VERSION, CaseFiles, check_file_bytes
from wbcr.core.calendar import Calendar
from wbcr.core.errors import UsageError
from wbcr.core.resources import procedures_dir
from wbcr.model.procedure import REGISTER_FOLDER


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


# --- the register ----------------------------------------------------------------------------------


#: with more files than this to check afresh, both cores check them (fork: workers share the code)
PARALLEL_FROM = 400


@dataclass
class _CaseScan:
    """One case folder as found on disk: its record files (with digests) and anything else in it."""

    folder: Path
    relroot: str
    files: list[tuple[str, str, str]] = field(default_factory=list)   # (path, relpath, kind)
    unknown: list[str] = field(default_factory=list)
    key: str = ""


class _Files:
    """Reads files through the cache; records what it checked.

    Every file is read and its digest taken. A file whose digest the cache knows is not parsed again;
    the others are checked together at the end of the scan, on every core when there are many. A case
    whose files, wbcr.yaml, procedures and date are all as the cache saw them reuses its cross-record
    findings; the others are checked again from the files' summaries.
    """

    def __init__(self, root: Path, use_cache: bool) -> None:
        self.root = root
        self.key = (__version__, schemas_fingerprint(), SUMMARY_VERSION, _code_fingerprint())
        self.use_cache = use_cache
        self.old, self.old_cases = cache.load(root, self.key) if use_cache else ({}, {})
        self._old_summaries: dict | None = None if use_cache else {}
        self.new: dict[str, tuple] = {}
        self.new_cases: dict[str, tuple] = {}
        self.summaries: dict[str, tuple] = {}        # relpath -> (digest, summary) known this run
        self.digests: dict[str, str] = {}
        self.results: dict[str, list[Finding]] = {}  # relpath -> file-level findings
        self.pending: list[tuple[str, str, str]] = []
        self.summaries_changed = False
        self.files = 0
        self.cached = 0

    def read(self, path: str, relpath: str, kind: str) -> None:
        """Read and digest one file; answer from the cache or queue it for checking."""
        self.files += 1
        try:
            raw = read_record_bytes(path, relpath)
        except YamlError as exc:
            self.results[relpath] = [Finding(exc.code, ERROR, exc.message, relpath, exc.line, exc.col, exc.hint)]
            self.digests[relpath] = f"unreadable:{exc.code}"
            self.summaries[relpath] = (self.digests[relpath], None)
            return
        digest = cache.digest(raw)
        self.digests[relpath] = digest
        hit = self.old.get(relpath)
        if hit is not None and hit[0] == digest:
            self.cached += 1
            self.new[relpath] = hit
            self.results[relpath] = [Finding(*f) for f in hit[1]]
        else:
            self.pending.append((path, relpath, kind))

    def check_pending(self, progress: Progress | None = None) -> None:
        """Check the files the cache could not answer, on every core when there are many; `progress`
        is told ("reading records", files done, files to do) as they are done."""
        jobs, self.pending = self.pending, []
        if not jobs:
            return
        self.summaries_changed = True
        workers = min(os.cpu_count() or 1, 4)
        results = []
        if len(jobs) >= PARALLEL_FROM and workers > 1 and _can_fork():
            import multiprocessing

            chunk = max(1, len(jobs) // (workers * 8))
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for result in pool.imap(_check_job, jobs, chunksize=chunk):  # in order, as map gives them
                    results.append(result)
                    if progress is not None:
                        progress("reading records", len(results), len(jobs))
        else:
            for job in jobs:
                results.append(_check_job(job))
                if progress is not None:
                    progress("reading records", len(results), len(jobs))
        for (_path, relpath, _kind), (digest, found, summary) in zip(jobs, results):
            digest = digest or self.digests.get(relpath, "")
            self.new[relpath] = (digest, found)
            self.summaries[relpath] = (digest, summary)
            self.results[relpath] = [Finding(*f) for f in found]

    def summary(self, relpath: str) -> Any:
        """The summary of a file (None when it is broken), from this run or from the cache."""
        if relpath not in self.summaries:
            if self._old_summaries is None:
                self._old_summaries = cache.load_summaries(self.root, self.key)
            known = self._old_summaries.get(relpath)
            if known is not None and known[0] == self.digests.get(relpath):
                self.summaries[relpath] = known
            else:  # the summaries file was lost or is stale: check the file again
                self.pending.append((str(self.root / relpath), relpath, _kind_of(relpath)))
                self.check_pending()
        return self.summaries[relpath][1]

    def save(self) -> None:
        if not self.use_cache:
            return
        changed = self.new != self.old or self.new_cases != self.old_cases
        if not changed and not self.summaries_changed:
            return
        summaries = None
        if self.summaries_changed:
            if self._old_summaries is None:
                self._old_summaries = cache.load_summaries(self.root, self.key)
            summaries = {rel: entry for rel, entry in self._old_summaries.items() if rel in self.new}
            summaries.update({rel: entry for rel, entry in self.summaries.items() if rel in self.new})
        cache.save(self.root, self.key, self.new, self.new_cases, summaries)


def _kind_of(relpath: str) -> str:
    parts = relpath.split("/")
    if parts[-2:-1] == ["chronology"]:
        return "chronology"
    return record_kind(parts[-1]) or "case"


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


def check_files_cached(root: Path, files: dict[str, tuple[str, bytes]]) -> dict[str, tuple[list[Finding], Any]]:
    """`{relpath: (findings, summary)}` for record contents (`{relpath: (kind, bytes)}`), each exactly as
    `check_file_bytes` finds it: from the validation cache where it knows that content, else checked
    (and kept in the cache for next time, best effort). The case store checks a whole case on every
    change this way, so only the files the change touches are parsed and checked against their schema."""
    key = (__version__, schemas_fingerprint(), SUMMARY_VERSION, _code_fingerprint())
    old, old_cases = cache.load(root, key)
    old_summaries: dict | None = None
    out: dict[str, tuple[list[Finding], Any]] = {}
    new_files: dict[str, tuple] = {}
    new_summaries: dict[str, tuple] = {}
    for relpath, (kind, raw) in files.items():
        digest = cache.digest(raw)
        hit = old.get(relpath)
        if hit is not None and hit[0] == digest:
            if old_summaries is None:
                old_summaries = cache.load_summaries(root, key)
            known = old_summaries.get(relpath)
            if known is not None and known[0] == digest:
                out[relpath] = ([Finding(*f) for f in hit[1]], known[1])
                continue
        findings, summary = check_file_bytes(kind, raw, relpath)
        out[relpath] = (findings, summary)
        new_files[relpath] = (digest, [tuple(vars(f).values()) for f in findings])
        new_summaries[relpath] = (digest, summary)
    if new_files:
        if old_summaries is None:
            old_summaries = cache.load_summaries(root, key)
        cache.save(root, key, {**old, **new_files}, old_cases, {**old_summaries, **new_summaries})
    return out


def _scan_case(register: Register, folder: Path) -> _CaseScan:
    relroot = register.relpath(folder)
    scan = _CaseScan(folder=folder, relroot=relroot)
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
                    if sub.is_file() and sub.name.endswith(".yaml"):
                        scan.files.append((sub.path, rel, "chronology"))
                    else:
                        scan.unknown.append(rel)
            else:
                scan.unknown.append(f"{relroot}/{name}/")
            continue
        kind = CASE_RECORDS.get(name)
        if kind is None:
            scan.unknown.append(f"{relroot}/{name}")
        else:
            scan.files.append((entry.path, f"{relroot}/{name}", kind))
    return scan


def _case_files(files: _Files, scan: _CaseScan) -> CaseFiles:
    case = CaseFiles(folder=scan.folder.name, relroot=scan.relroot, unknown=list(scan.unknown))
    for _path, relpath, kind in scan.files:
        case.add(relpath, kind, files.summary(relpath))
    return case


def _code_fingerprint() -> str:
    """Changes with wbcr's own code (an editable install, a pull): a changed check is never skipped."""
    package = Path(__file__).resolve().parents[1]  # the whole wbcr package
    return cache.digest(b"".join(p.read_bytes() for p in sorted(package.rglob("*.py"))))


def _procedures_fingerprint(register_root: Path | None = None) -> str:
    """Changes with the procedures wbcr ships and, given a register, with the register's own."""
    files = sorted(procedures_dir().glob("*.yaml"))
    own = sorted((register_root / REGISTER_FOLDER).glob("*.yaml")) if register_root is not None else []
    return cache.digest(b"".join([*(p.read_bytes() for p in files),
                                  *(p.name.encode() + b"\0" + p.read_bytes() + b"\0" for p in own)]))


def select_case_dirs(register: Register, targets: Iterable[str]) -> list[Path]:
    """Case folders named by reference or by a path inside them; all of them when none are named."""
    targets = list(targets)
    if not targets:
        return list(register.iter_case_dirs())
    chosen: list[Path] = []
    for target in targets:
        candidate = register.case_dir(target)
        if target in (".", "..", "") or target.startswith("."):
            raise UsageError(f"{target}: not a case reference", hint="`wbcr status` lists the cases")
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
                      strict: bool = False, use_cache: bool = True, daily_views=None,
                      progress: Progress | None = None) -> ValidationResult:
    """Every finding in the register (or in the named cases), errors and warnings together.

    `daily_views(register, daily_case, today, calendar)`, when given, names the daily views of a case
    (`[(name, compute)]`) to make from the summaries at hand for each case checked again, so the first
    daily command after a validate answers from the cache (`wbcr.reports.daily` gives them: the views
    belong to the reports layer above this one). `progress(what, done, total)`, when given, is told how
    far the reading of records and the checking of cases have got (the command line shows it)."""

    files = _Files(register_root, use_cache)
    files.read(str(register_root / CONFIG_NAME), CONFIG_NAME, "register")
    files.check_pending()
    findings = list(files.results[CONFIG_NAME])
    # wbcr.yaml is small and every check reads it: parse it here rather than keep it in the cache. When
    # it breaks its schema, whatever parses is used so the case checks can still run.
    try:
        config = parse_yaml(decode_record(read_record_bytes(register_root / CONFIG_NAME, CONFIG_NAME),
                                          CONFIG_NAME), CONFIG_NAME)
    except YamlError:
        config = None
    config = config if isinstance(config, dict) else None
    config_ok = config is not None and not any(f.severity == ERROR for f in files.results[CONFIG_NAME])
    # a wbcr.yaml that breaks its schema is reported above; the checks read only its settings that
    # pass (every check may then rely on the types the schema promises)
    usable = config if config_ok or config is None else _usable_settings(config)
    register = Register(root=register_root, config=usable if usable is not None else {})
    context = checks.Context(register=register, today=today, config_ok=config_ok)
    if config is not None:
        findings += list(check_config(context))
    shared = "|".join([files.digests.get(CONFIG_NAME, ""), _procedures_fingerprint(register_root), today.isoformat(),
                       str(context.config_ok)])
    scans = [_scan_case(register, folder) for folder in select_case_dirs(register, targets)]
    views = None  # the daily views of the cases checked again, made from the summaries at hand
    for scan in scans:
        for path, relpath, kind in scan.files:
            files.read(path, relpath, kind)
    files.check_pending(progress)
    references: dict[str, str] = {}
    for done, scan in enumerate(scans, 1):
        if progress is not None:
            progress("checking cases", done, len(scans))
        for _path, relpath, _kind in scan.files:
            findings += files.results[relpath]
        scan.key = cache.digest("\n".join([shared, *scan.unknown, *(f"{rel}={files.digests[rel]}"
                                                                     for _p, rel, _k in scan.files)]).encode())
        hit = files.old_cases.get(scan.relroot)
        if hit is not None and hit[0] == scan.key:
            found, reference = [Finding(*f) for f in hit[1]], hit[2]
        else:
            case = _case_files(files, scan)
            found = checks.run_case_checks(context, [case])
            if use_cache and context.config_ok and daily_views is not None:
                views = views or DailyViews(register, today)
                _compute_views(views, scan, files, case, today, daily_views)
            reference = (case.records.get("case") or {}).get("reference")
            reference = reference if isinstance(reference, str) else None
        files.new_cases[scan.relroot] = (scan.key, [tuple(vars(f).values()) for f in found], reference)
        findings += found
        if reference is not None:
            references[scan.relroot] = reference
    if list(targets):
        # a duplicate reference involves other folders too: compare against every case's case.yaml
        for folder in register.iter_case_dirs():
            relroot = register.relpath(folder)
            if relroot not in references:
                _, summary = check_file_bytes("case", _bytes_or_empty(folder / "case.yaml"), f"{relroot}/case.yaml")
                if isinstance(summary, dict) and isinstance(summary.get("reference"), str):
                    references[relroot] = summary["reference"]
        files.new_cases.update({k: v for k, v in files.old_cases.items() if k not in files.new_cases})
        files.new.update({k: v for k, v in files.old.items() if k not in files.new})
    checked = {scan.relroot for scan in scans}
    findings += checks.run_register_checks(context, references, checked)
    files.save()
    if views is not None:
        views.save()
    if strict:
        findings = [f.with_severity(ERROR) for f in findings]
    findings.sort(key=Finding.sort_key)
    return ValidationResult(findings=findings, cases=len(scans), files=files.files, cached=files.cached)


def _usable_settings(config: dict) -> dict:
    """wbcr.yaml without the top-level settings its schema finds a problem in."""
    broken = {problem.path[0] for problem in check_record("register", config) if problem.path}
    return {key: value for key, value in config.items() if key not in broken}


def _bytes_or_empty(path: Path) -> bytes:
    try:
        return read_record_bytes(path, str(path))
    except YamlError:
        return b""


# --- the daily views -------------------------------------------------------------------------------

#: the records the daily views (status, deadlines, actions, the decisions report) read of a case
#: a progress callback: (what is being done, how many done, how many in all)
Progress = Callable[[str, int, int], None]

DAILY_KINDS = ("case", "referral", "decisions", "notifications", "review", "recommendations")
#: bump when what the views file holds changes
VIEWS_VERSION = 2


class DailyCase:
    """One case folder as the daily views read it. A view is cached with the records it read (or asked
    for) and their digests, so checking it again reads only those files: a closed case's status row,
    only its case.yaml. `load` gives what `load_record` would; only when validate hands over the summaries
    it has just made (`known`) does it give those instead, for views that never read what a summary
    leaves out."""

    def __init__(self, views: "DailyViews", folder: Path, digests: dict[str, str] | None = None,
                 known: dict[str, Any] | None = None) -> None:
        self.views = views
        self.folder = folder
        self.name = folder.name
        self.relroot = views.register.relpath(folder)
        self._raw: dict[str, Any] = {}       # kind -> bytes, or the YamlError reading it raised
        self._parsed: dict[str, Any] = {}
        self._valid: dict[str, bool] = {}
        self._known = known or {}
        self._scanned = digests is None
        self._digests: dict[str, str] = dict(digests or {})
        self.used: set[str] | None = None    # the kinds a view being computed has read or asked for
        if digests is None:
            try:
                names = {e.name for e in os.scandir(folder) if e.is_file()}
            except OSError:
                names = set()
            self._present = {kind for kind in DAILY_KINDS if f"{kind}.yaml" in names}
        else:
            self._present = set(digests)

    def digest(self, kind: str) -> str:
        if kind not in self._present:
            return "-"
        if kind not in self._digests:
            raw = self._bytes(kind)
            self._digests[kind] = f"unreadable:{raw.code}" if isinstance(raw, YamlError) else cache.digest(raw)
        return self._digests[kind]

    def key(self, kinds: Iterable[str]) -> str:
        """The cache key of a view that read `kinds` of this case's records."""
        kinds = set(kinds)
        return cache.digest("\n".join([self.views.shared, *(f"{k}={self.digest(k)}" for k in DAILY_KINDS
                                                              if k in kinds)]).encode())

    def _touch(self, kind: str) -> None:
        if self.used is not None:
            self.used.add(kind)

    def _bytes(self, kind: str) -> Any:
        if kind not in self._raw:
            path = os.path.join(self.folder, f"{kind}.yaml")
            raw = None
            if self._scanned:  # a regular file (scandir said so): read it without read_record_bytes' checks
                try:
                    with open(path, "rb") as fh:
                        raw = fh.read(MAX_RECORD_BYTES + 1)
                except OSError:
                    raw = None
            if raw is None or len(raw) > MAX_RECORD_BYTES:
                try:
                    raw = read_record_bytes(path, f"{self.relroot}/{kind}.yaml")
                except YamlError as exc:
                    raw = exc
            self._raw[kind] = raw
        return self._raw[kind]

    @property
    def sealed(self) -> bool:
        """Whether a sealed value may be in these records (views showing personal data open them)."""
        return any(SEALED_PREFIX_BYTES in raw for raw in map(self._bytes, sorted(self._present))
                   if isinstance(raw, bytes))

    def exists(self, kind: str) -> bool:
        self._touch(kind)
        return kind in self._present

    def load_full(self, kind: str) -> Any:
        """The record parsed from its file (raises YamlError as `load_record` does)."""
        self._touch(kind)
        if kind not in self._parsed:
            raw = self._bytes(kind)
            if isinstance(raw, YamlError):
                raise raw
            rel = f"{self.relroot}/{kind}.yaml"
            self._parsed[kind] = parse_yaml(decode_record(raw, rel), rel)
        return self._parsed[kind]

    def load(self, kind: str) -> Any:
        self._touch(kind)
        known = self._known.get(kind)
        return known if known is not None else self.load_full(kind)

    def valid(self, kind: str) -> bool:
        """Whether the record (when there is one) reads and holds values of the types its schema says: the
        views read only records that do, so they can rely on those types."""
        self._touch(kind)
        if kind not in self._present or kind in self._known:  # validate made a summary: the file is valid
            return True
        if kind not in self._valid:
            try:
                data = self.load_full(kind)
            except YamlError:
                data = None
            # the light check (no schema validator: the daily commands stay light): the types the views
            # rely on; validate reports everything else
            self._valid[kind] = isinstance(data, dict) and not type_problems(kind, data)
        return self._valid[kind]

    def invalid(self, kinds: Iterable[str] = DAILY_KINDS) -> list[str]:
        """The record kinds of `kinds` the case has that do not validate."""
        return [kind for kind in kinds if not self.valid(kind)]

    def records_for_deadlines(self) -> dict | None:
        """The records deadlines read (no chronologies, no people); None when any is unreadable or does
        not validate."""
        records: dict[str, Any] = {}
        for kind in DAILY_KINDS:
            if self.exists(kind):
                if not self.valid(kind):
                    return None
                data = self.load(kind)
                if not isinstance(data, dict):
                    return None
                records[kind] = data
        return records if isinstance(records.get("case"), dict) else None

    def view(self, name: str, compute, valid=lambda value: True) -> Any:
        """The named view of this case: from the cache when the records it read are as the cache saw them."""
        return self.views.view(self, name, compute, valid)


class DailyViews:
    """What the daily commands show of each case, through the cache validate keeps.

    Every case's records are read and digested (cheap); a view of a case whose records, wbcr.yaml,
    procedures, date and wbcr itself are all as the cache saw them comes from the cache, any other is
    computed from the files and cached; validate computes them too for the cases it checks again, from
    the summaries it has just made. Views hold no personal data: the decisions report reads the
    narratives it shows from the files every time.
    """

    def __init__(self, register: Register, today: dt.date, use_cache: bool = True) -> None:
        self.register = register
        self.root = register.root
        self.use_cache = use_cache
        self.key = (__version__, schemas_fingerprint(), SUMMARY_VERSION, _code_fingerprint(), VIEWS_VERSION)
        try:
            config = cache.digest(read_record_bytes(self.root / CONFIG_NAME, CONFIG_NAME))
        except YamlError as exc:
            config = f"unreadable:{exc.code}"
        self.shared = "|".join(["views", config, _procedures_fingerprint(self.root), today.isoformat()])
        self.old = cache.load_views(self.root, self.key) if use_cache else {}
        self.new: dict[str, tuple] = {}
        self.changed = False
        self.complete = False
        #: reference -> the record kinds that do not validate, of the cases `usable` turned away
        self.left_out: dict[str, list[str]] = {}

    def usable(self, case: "DailyCase") -> bool:
        """Whether every record of `case` the daily views read validates (the light type check, from the
        cache when the records are as it saw them); a case that does not is noted in `left_out`, so the
        command can name it instead of leaving it out silently."""
        bad = self.view(case, "invalid", lambda: case.invalid(),
                        valid=lambda value: isinstance(value, list) and all(k in DAILY_KINDS for k in value))
        if bad:
            self.left_out[case.name] = list(bad)
        return not bad

    def cases(self, folders: Iterable[Path] | None = None):
        """Each case folder (all of them when none are given) as a DailyCase."""
        for folder in (self.register.iter_case_dirs() if folders is None else folders):
            yield DailyCase(self, folder)
        self.complete = folders is None  # every folder seen: cached views of others can go

    def view(self, case: DailyCase, name: str, compute, valid) -> Any:
        entry = self.new.get(case.relroot)
        if entry is None:
            old = self.old.get(case.relroot)
            entry = self.new[case.relroot] = dict(old) if isinstance(old, dict) else {}
        hit = entry.get(name)
        if (isinstance(hit, tuple) and len(hit) == 3 and isinstance(hit[0], tuple)
                and all(kind in DAILY_KINDS for kind in hit[0]) and hit[1] == case.key(hit[0]) and valid(hit[2])):
            return hit[2]
        case.used = set()
        try:
            value = compute()
            read = tuple(kind for kind in DAILY_KINDS if kind in case.used)
        finally:
            case.used = None
        entry[name] = (read, case.key(read), value)
        self.changed = True
        return value

    def save(self) -> None:
        """Keep what changed (best effort); folders no longer in the register are dropped."""
        if not self.use_cache:
            return
        if not self.changed and (not self.complete or set(self.old) == set(self.new)):
            return
        kept = dict(self.new) if self.complete else {**self.old, **self.new}
        cache.save_views(self.root, self.key, kept)


def _compute_views(views: DailyViews, scan: _CaseScan, files: _Files, case: CaseFiles, today: dt.date,
                   daily_views) -> None:
    """The daily views of a case validate has just checked, from its summaries: what the daily commands
    would compute from the files (they read nothing a summary leaves out)."""
    register = views.register
    calendar = Calendar.from_config(register.config)
    digests = {kind: files.digests[rel] for _p, rel, kind in scan.files if kind in DAILY_KINDS}
    daily = DailyCase(views, scan.folder, digests=digests,
                      known={kind: summary for kind, summary in case.records.items() if kind in DAILY_KINDS})
    for name, compute in daily_views(register, daily, today, calendar):
        try:
            daily.view(name, compute)
        except Exception:  # noqa: BLE001 - left to the view's own command, which computes it and reports
            continue
