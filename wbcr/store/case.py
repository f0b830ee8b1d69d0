"""The case store: the one owner of every change to a case.

`CaseEdit` takes the register lock, loads the case's records for editing (comments and layout kept),
lets the caller change them, and `save` then

1. seals the records by the register's policy (a sealed case stays sealed; a register that seals its
   records never lets a plain sensitive value reach git when this clone has no clean filter),
2. validates the whole case — every record and every chronology, as `wbcr validate` would — and
   refuses a change that adds an error,
3. refuses, naming them, when the case folder holds uncommitted or untracked changes the commit would
   rest on,
4. writes each changed file atomically and commits exactly those files with the audit trailers,

and on any failure leaves the register as it was. `refer`, every recording command, `advance`,
`chronology import` and anything later go through here; no other code writes a case file or commits
one. `case_folder` is the one place a typed reference becomes a case folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

from wbcr.core import gitrepo
from wbcr.core.errors import FindingsError, WbcrError
from wbcr.core.findings import ERROR, Finding
from wbcr.model.register import Register
from wbcr.model.schemas import CASE_RECORDS, SEALED_PREFIX, has_sealed
from wbcr.store.lock import register_lock
from wbcr.store.transaction import Transaction
from wbcr.core.yamlio import YamlError, _rt, dump_text, load_record, load_roundtrip, parse_yaml, read_record_bytes
from wbcr.security.passwords import case_password, seal_required
from wbcr.security.sealing import CaseSeal, case_record_of, open_case_records, seal_record_text, unseal_record_text
from wbcr.validation import checks
from wbcr.workflow.deadlines import procedure_for
from wbcr.workflow.permits import refusal
from wbcr.validation.engine import check_files_cached
from wbcr.validation.files import CaseFiles

CASE_KINDS = ("case", "people", "referral", "decisions", "notifications", "review", "recommendations")


# --- references ------------------------------------------------------------------------------------


def case_folder(register: Register, reference: str, *, must_exist: bool = True) -> Path:
    """The folder of the case `reference` names (see `Register.case_folder`)."""
    return register.case_folder(reference, must_exist=must_exist)


def canonical_reference(register: Register, reference: str) -> str:
    return case_folder(register, reference).name


# --- loading ---------------------------------------------------------------------------------------


def iter_record_files(folder: Path) -> list[tuple[Path, str]]:
    """`(path, kind)` of every record file of a case folder, chronologies included, in a stable order."""
    out: list[tuple[Path, str]] = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.yaml")):
        kind = CASE_RECORDS.get(path.name)
        if kind is not None and path.is_file():
            out.append((path, kind))
    for path in sorted((folder / "chronology").glob("*.yaml")):
        if path.is_file() and not path.name.startswith("."):
            out.append((path, "chronology"))
    return out


def load_case(register: Register, reference: str) -> dict[str, Any]:
    """Every record of one case as plain data, chronologies under "chronology" by agency: the one case
    loader of read commands. The records are checked first, each against its schema (cached by content,
    as `wbcr validate` checks them): a case whose records do not validate is refused with their findings
    (`FindingsError`), so what reads them can rely on the types the schemas promise."""
    folder = case_folder(register, reference)
    refuse_invalid_records(register, folder.name)
    out: dict[str, Any] = {"chronology": {}}
    for path, kind in iter_record_files(folder):
        data = load_record(path, register.relpath(path))
        if kind == "chronology":
            out["chronology"][path.stem] = data
        else:
            out[kind] = data
    return out


def plain(data: Any) -> Any:
    """A ruamel round-trip structure as plain dicts, lists and strings (dates as ISO text)."""
    if isinstance(data, dict):
        return {str(k): plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    if isinstance(data, (dt.date, dt.datetime)):
        return data.isoformat()[:10]
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, int):
        return int(data)
    if isinstance(data, float):
        return float(data)
    return str(data)


def open_sealed(register: Register, reference: str, records: dict, password: str | None = None) -> dict:
    """The case's records with sealed values opened in memory (with `password`, else the board key's)."""
    if not has_sealed({k: v for k, v in records.items()}):
        return records

    seal = CaseSeal.from_password(reference, password or case_password(register, reference))
    return open_case_records(records, reference, seal)


# --- validating a case as `wbcr validate` would ------------------------------------------------------


def record_errors(register: Register, reference: str) -> list[Finding]:
    """The errors of the case's record files each on its own — YAML and schema, as `wbcr validate`
    reports them (from its cache where it knows the content) — and a missing case.yaml. What the
    model, the views and the guards rely on; the checks across records come on top."""
    folder = register.case_dir(reference)
    relroot = f"cases/{reference}"
    findings: list[Finding] = []
    files: dict[str, tuple[str, bytes]] = {}
    for path, kind in iter_record_files(folder):
        relpath = register.relpath(path)
        try:
            files[relpath] = (kind, read_record_bytes(path, relpath))
        except YamlError as exc:
            findings.append(Finding(exc.code, ERROR, exc.message, relpath, exc.line, exc.col, exc.hint))
    for found, _summary in check_files_cached(register.root, files).values():
        findings += [f for f in found if f.severity == ERROR]
    if f"{relroot}/case.yaml" not in files and not any(f.path == f"{relroot}/case.yaml" for f in findings):
        findings.append(Finding("case.missing-record", ERROR, "case folder has no case.yaml", relroot + "/",
                                hint="every case folder needs a case.yaml; `wbcr refer` creates one"))
    return sorted(findings, key=Finding.sort_key)


def refuse_invalid_records(register: Register, reference: str, doing: str = "nothing was done") -> None:
    """Raise `FindingsError` (exit 1) with the findings when a record of the case does not validate."""
    findings = record_errors(register, reference)
    if findings:
        raise FindingsError(f"{reference}: the case's records do not validate; {doing}", findings=findings,
                            hint=f"run `wbcr validate {reference}`, correct the records and try again",
                            code="case.invalid")


def check_case(register: Register, reference: str, overlay: dict[str, bytes], today: dt.date) -> list[Finding]:
    """Every finding of one case — each file against its schema, then the checks across its records —
    with `overlay` (register-relative path -> content) standing in for the files on disk."""
    relroot = f"cases/{reference}"
    files: dict[str, tuple[str, bytes]] = {}
    for path, kind in iter_record_files(register.case_dir(reference)):
        relpath = register.relpath(path)
        files[relpath] = (kind, read_record_bytes(path, relpath))  # an unreadable file: its located error
    for relpath, raw in overlay.items():
        files[relpath] = ("chronology" if "/chronology/" in relpath else CASE_RECORDS[relpath.rsplit("/", 1)[-1]], raw)
    case = CaseFiles(folder=reference, relroot=relroot)
    findings: list[Finding] = []
    checked = check_files_cached(register.root, files)
    for relpath, (kind, _raw) in sorted(files.items()):
        found, summary = checked[relpath]
        findings += found
        case.add(relpath, kind, summary)
    context = checks.Context(register=register, today=today, locate=False)
    return findings + checks.run_case_checks(context, [case])


def _key(finding: Finding) -> tuple:
    return finding.code, finding.path, finding.message


# --- sealing by policy -----------------------------------------------------------------------------


def _case_holds_sealed(register: Register, folder: Path, use_git: bool) -> bool:
    for path, _kind in iter_record_files(folder):
        with contextlib.suppress(OSError):
            if SEALED_PREFIX.encode() in path.read_bytes():
                return True
    if use_git:
        return gitrepo.head_holds(register.root, SEALED_PREFIX, register.relpath(folder))
    return False


def seal_for_writing(register: Register, reference: str, folder: Path, use_git: bool):
    """The case's seal when what is written must be sealed, else None.

    A case that holds a sealed value (in the work tree or in git) stays sealed; a register with
    `passwords.seal_records: true` seals every case whenever this clone has no wbcr clean filter to do
    it on the way into git. Sealing needs the board key: without it the change is refused."""
    filtered = (use_git and bool(gitrepo.get_config(register.root, "filter.wbcr.clean"))
                and gitrepo.filter_of(register.root, f"{register.relpath(folder)}/people.yaml") == "wbcr")
    if not _case_holds_sealed(register, folder, use_git) and not (seal_required(register.config) and not filtered):
        return None

    return CaseSeal.from_password(reference, case_password(register, reference))


# --- the edit --------------------------------------------------------------------------------------


class CaseEdit:
    """One change to one case, holding the register lock from the first read to the commit.

    Use it as a context manager (the lock is released at the end of the block), or call `save`, which
    releases it too. `new=True` starts a case that does not exist yet (its folder is created by `save`).
    """

    def __init__(self, register: Register, reference: str, *, new: bool = False, commit: bool = True,
                 seal=None, rewrites_work_tree: bool = False, command: str | None = None) -> None:
        self.register = register
        self.folder = case_folder(register, reference, must_exist=not new)
        self.reference = self.folder.name
        self.seal = seal  # the case's seal when the caller has it already (a password typed by hand)
        if seal is not None and getattr(seal, "reference", None) != self.reference:
            raise WbcrError(f"the seal given is for {getattr(seal, 'reference', '?')}, not {self.reference}; "
                            "nothing was changed", code="seal.reference")
        # `wbcr seal`: the files it rewrites are the work tree's own (opened and perhaps edited by hand
        # after `wbcr unseal`); sealing and committing them is the point, so they are not "uncommitted"
        self.rewrites_work_tree = rewrites_work_tree
        self.commit_id: str | None = None
        if new and self.folder.exists():
            raise WbcrError(f"cases/{self.reference} already exists; nothing was registered", code="reference.taken",
                            hint="run the command again: the next free reference will be taken")
        self.new = new
        self.commit = commit
        self._data: dict[str, Any] = {}
        self._original: dict[str, bytes | None] = {}
        self._as_is: list[str] = []
        self._stack = contextlib.ExitStack()
        self._stack.enter_context(register_lock(register.root))
        try:
            # a change reads the records (guards, deadlines, the model): a case whose records do not
            # validate is refused before anything is read or written. Sealing and opening sealed
            # values only rewrite the values in place, so they stay possible on such a case.
            if not new and not rewrites_work_tree and seal is None:
                refuse_invalid_records(register, self.reference, "nothing was written")
            if command is not None:
                self.check_command(command)
        except BaseException:
            self.close()
            raise

    def check_command(self, command: str) -> None:
        """Refuse (exit 1, saying why and what the case needs first) a recording command that the case's
        intake, stage or records do not allow, by the procedure's `commands` rules."""
        records = self.plain()
        found = refusal(procedure_for(records.get("case") or {}, self.register), records, command, self.reference)
        if found is not None:
            raise FindingsError(found.message, hint=found.hint, code="command.not_allowed")

    # context manager: the lock is held for the block
    def __enter__(self) -> "CaseEdit":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._stack.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # interpreter shutdown: the OS releases the lock anyway
            self._stack.close()

    # paths
    def path(self, kind: str, agency: str | None = None) -> Path:
        return self.register.root / self.relpath(kind, agency)

    def relpath(self, kind: str, agency: str | None = None) -> str:
        if kind == "chronology":
            return f"cases/{self.reference}/chronology/{agency}.yaml"
        return f"cases/{self.reference}/{kind}.yaml"

    def exists(self, kind: str) -> bool:
        return self.path(kind).is_file()

    # records
    def load(self, kind: str) -> Any:
        """The record for editing; a new `{schema_version: 1}` mapping when the case has none yet."""
        if kind not in self._data:
            path = self.path(kind)
            if path.is_file():
                self._original[kind] = read_record_bytes(path, self.relpath(kind))
                data = load_roundtrip(path, self.relpath(kind))
            else:
                self._original[kind] = None
                data = _rt().load("schema_version: 1\n")
            self._data[kind] = data
        return self._data[kind]

    def put(self, kind: str, data: Any) -> None:
        """Replace a whole record (a new case's records, an imported chronology as `chronology/<agency>`)."""
        if kind not in self._original:
            path = self._path_of(kind)
            self._original[kind] = read_record_bytes(path, self._relpath_of(kind)) if path.is_file() else None
        self._data[kind] = data

    def put_text(self, kind: str, text: str) -> None:
        """Replace a whole record by its YAML text (written as given)."""
        self.put(kind, _Text(text))

    def commit_as_is(self, kind: str) -> None:
        """Commit the record as the work tree holds it, although this edit does not change it: `wbcr seal`
        finishing the commit of a seal that was stopped after writing its files."""
        self.put_text(kind, self._path_of(kind).read_text("utf-8"))
        self._as_is.append(kind)

    def _path_of(self, kind: str) -> Path:
        if kind.startswith("chronology/"):
            return self.path("chronology", kind.split("/", 1)[1])
        return self.path(kind)

    def _relpath_of(self, kind: str) -> str:
        if kind.startswith("chronology/"):
            return self.relpath("chronology", kind.split("/", 1)[1])
        return self.relpath(kind)

    def plain(self) -> dict:
        """Every record of the case as plain data with the edits applied (for guards and deadlines),
        chronologies included by agency."""
        out: dict[str, Any] = {"chronology": {}}
        for path, kind in iter_record_files(self.folder):
            if kind == "chronology":
                out["chronology"][path.stem] = load_record(path, self.register.relpath(path))
            elif kind not in self._data:
                out[kind] = load_record(path, self.register.relpath(path))
        for kind, data in self._data.items():
            value = plain(data) if not isinstance(data, _Text) else None
            if value is None:
                value = parse_yaml(data.text, self._relpath_of(kind))
            if kind.startswith("chronology/"):
                out["chronology"][kind.split("/", 1)[1]] = value
            else:
                out[kind] = value
        return out

    # saving
    def texts(self) -> dict[str, str]:
        return {kind: data.text if isinstance(data, _Text) else dump_text(data) for kind, data in self._data.items()}

    def save(self, *, action: str, summary: str, today: dt.date, actor: str,
             stage_change: tuple[str, str] | None = None, extra: dict[str, str] | None = None,
             event_date: dt.date | None = None) -> list[str]:
        """Seal, check, write and commit the edited records; the register paths written ([] when the
        records already said this). The lock is released whatever happens."""
        try:
            return self._save(action=action, summary=summary, today=today, actor=actor,
                              stage_change=stage_change, extra=extra, event_date=event_date)
        finally:
            self.close()

    def _save(self, *, action, summary, today, actor, stage_change, extra, event_date) -> list[str]:
        changed = {kind: text for kind, text in self.texts().items()
                   if self._original.get(kind) != text.encode("utf-8") or kind in self._as_is}
        if not changed:
            return []
        transaction = Transaction(self.register.root, commit=self.commit)
        transaction.check_can_commit()
        seal = self.seal or seal_for_writing(self.register, self.reference, self.folder, transaction.use_git)
        final: dict[str, bytes] = {}
        for kind, text in changed.items():
            if seal is not None:
                record = kind + ".yaml"
                record_kind = "chronology" if kind.startswith("chronology/") else kind
                text, _ = seal_record_text(text, kind=record_kind, record=record, display=self._relpath_of(kind),
                                           seal=seal)
            final[self._relpath_of(kind)] = text.encode("utf-8")
        self._refuse_new_errors(final, today)
        if transaction.use_git and not self.new:
            self._refuse_uncommitted(seal)
        transaction.may_differ = set(final)  # what may differ from git was decided just above
        for relpath, content in final.items():
            transaction.write(relpath, content)
        for kind in self._as_is:
            transaction.commit_as_is(self._relpath_of(kind))
        trailers = {"Wbcr-Action": action, "Wbcr-Reference": self.reference}
        if stage_change:
            trailers["Wbcr-Stage"] = f"{stage_change[0]} -> {stage_change[1]}"
        if event_date is not None:
            trailers["Wbcr-Date"] = event_date.isoformat()
        trailers.update(extra or {})
        trailers["Wbcr-Actor"] = actor
        subject = f"{self.reference}: {summary}" + (f" ({event_date.day} {event_date:%b %Y})" if event_date else "")
        applied = transaction.apply(subject, trailers)
        self.commit_id = applied.commit
        return applied.written

    def write_work_tree(self) -> list[str]:
        """Write the edited records to the work tree only: no sealing, no commit. For `wbcr unseal`,
        which opens sealed values where the user works (git keeps them sealed through the filter, and
        without it the open text stays uncommitted). Whole or not at all, like a commit. The lock is
        released."""
        try:
            transaction = Transaction(self.register.root, commit=False)
            for kind, text in self.texts().items():
                transaction.write(self._relpath_of(kind), text)
            return transaction.apply("open sealed values", {}).written
        finally:
            self.close()

    def _refuse_new_errors(self, final: dict[str, bytes], today: dt.date) -> None:
        after = [f for f in check_case(self.register, self.reference, final, today) if f.severity == ERROR]
        if not after:
            return
        before = set() if self.new else {_key(f) for f in check_case(self.register, self.reference, {}, today)
                                         if f.severity == ERROR}
        added = [f for f in after if _key(f) not in before]
        if added:
            raise FindingsError(f"{self.reference}: the change would make the records invalid; nothing was written",
                                findings=added)

    def _refuse_uncommitted(self, seal) -> None:
        """The commit records exactly the files changed, so every other file of the case must be as
        committed: otherwise the change would rest on something the audit trail does not hold."""
        relroot = f"cases/{self.reference}"
        rewritten = {self._relpath_of(kind) for kind in self._data} if self.rewrites_work_tree else set()
        root = self.register.root
        # the case's files, and what its checks and guards read: wbcr.yaml and the register's procedures
        candidates = [*gitrepo.dirty_paths(root, relroot), *gitrepo.dirty_paths(root, "wbcr.yaml"),
                      *gitrepo.dirty_paths(root, "procedures")]
        dirty = [p for p in candidates if p not in rewritten and not self._only_opened(p, seal)]
        if dirty:
            shown = ", ".join(dirty[:6]) + (f" and {len(dirty) - 6} more" if len(dirty) > 6 else "")
            if seal is not None and not gitrepo.get_config(root, "filter.wbcr.clean"):
                hint = (f"seal them first (wbcr seal {self.reference}), which commits them sealed, or undo them "
                        f"(git checkout -- {relroot}); never commit this case's files by hand in this clone")
            else:
                hint = ("commit them (git add PATH && git commit) or undo them (git checkout -- PATH), then run "
                        "the command again")
            raise WbcrError(f"{self.reference}: the change would rest on files that are not committed ({shown}); "
                            "nothing was written", code="git.dirty", hint=hint)

    def _only_opened(self, relpath: str, seal) -> bool:
        """A file that differs from git only because its sealed values are open in the work tree (a
        clone without the filter after `wbcr unseal`) is not an uncommitted change."""
        committed = gitrepo.read_head(self.register.root, relpath)
        if committed is None or SEALED_PREFIX.encode() not in committed:
            return False
        if seal is None:
            return False

        located = case_record_of(relpath)
        if located is None:
            return False
        _ref, record, kind = located
        try:
            opened, _ = unseal_record_text(committed.decode("utf-8"), kind=kind, record=record, display=relpath,
                                           seal=seal)
            current = (self.register.root / relpath).read_text("utf-8")
            here, _ = unseal_record_text(current, kind=kind, record=record, display=relpath, seal=seal)
        except (WbcrError, OSError, UnicodeDecodeError):
            return False
        return opened == here


class _Text:
    """A record given as finished YAML text (an imported chronology, written as dumped)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text
