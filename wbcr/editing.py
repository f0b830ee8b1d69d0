"""Changing a case: edit records in memory, check them, write them all or none, commit exactly them.

Records are edited through ruamel.yaml's round-trip mode, so comments and layout of hand-edited
files survive. Before anything is written, the new content is parsed back by the fast reader and
checked against its schema and the cross-record checks; a change that would make the case invalid is
refused with the findings. When git cannot commit (no identity, a merge under way) nothing is written.
If the commit itself fails, the files are put back as they were.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from wbcr import gitrepo
from wbcr.errors import FindingsError, UsageError
from wbcr.findings import ERROR, Finding
from wbcr.register import Register
from wbcr.yamlio import _rt, atomic_write, dump_text, load_roundtrip, parse_yaml

CASE_KINDS = ("case", "people", "referral", "decisions", "notifications", "review", "recommendations")


class CaseEdit:
    """One change to one case. It holds the register's lock (the one reference allocation takes) from
    the first read to the commit, so two commands at once never overwrite each other's edits."""

    def __init__(self, register: Register, reference: str) -> None:
        folder = register.case_dir(reference)
        if "/" in reference or "\\" in reference or reference.startswith(".") or not folder.is_dir():
            raise UsageError(f'no case "{reference}" in this register', hint="`wbcr status` lists the cases")
        self.register = register
        self.reference = reference
        self.folder = folder
        self._data: dict[str, Any] = {}
        self._original: dict[str, bytes | None] = {}
        self._lock = _lock(register.cases_dir)

    def path(self, kind: str) -> Path:
        return self.folder / f"{kind}.yaml"

    def relpath(self, kind: str) -> str:
        return f"cases/{self.reference}/{kind}.yaml"

    def exists(self, kind: str) -> bool:
        return self.path(kind).is_file()

    def load(self, kind: str) -> Any:
        """The record for editing; a new `{schema_version: 1}` mapping when the case has none yet."""
        if kind not in self._data:
            path = self.path(kind)
            if path.is_file():
                self._original[kind] = path.read_bytes()
                data = load_roundtrip(path, self.relpath(kind))
            else:
                self._original[kind] = None
                data = _rt().load("schema_version: 1\n")
            self._data[kind] = data
        return self._data[kind]

    def plain(self) -> dict:
        """Every record of the case as plain data, with the edits applied (for guards and deadlines)."""
        from wbcr.cases import _plain
        from wbcr.yamlio import load_record

        out: dict[str, Any] = {"chronology": {}}
        for kind in CASE_KINDS:
            if kind in self._data:
                out[kind] = _plain(self._data[kind])
            elif self.exists(kind):
                out[kind] = load_record(self.path(kind), self.relpath(kind))
        chron = self.folder / "chronology"
        if chron.is_dir():
            for path in sorted(chron.glob("*.yaml")):
                out["chronology"][path.stem] = {"agency": path.stem}
        return out

    def save(self, *, action: str, summary: str, today: dt.date, actor: str,
             stage_change: tuple[str, str] | None = None, extra: dict[str, str] | None = None) -> list[str]:
        """Check, write and commit the edited records; returns the paths written."""
        from wbcr import checks, schemas
        from wbcr.validation import CaseFiles, summarise

        texts = {kind: dump_text(data) for kind, data in self._data.items()}
        changed = {k: t for k, t in texts.items() if self._original.get(k) != t.encode("utf-8")}
        if not changed:
            return []
        found: list[Finding] = []
        summaries: dict[str, Any] = {}
        for kind in CASE_KINDS:
            if kind in texts:
                data = parse_yaml(texts[kind], self.relpath(kind))
                found += [Finding("schema", ERROR, p.message, self.relpath(kind), hint=p.hint)
                          for p in schemas.check_record(kind, data)]
            elif self.exists(kind):
                from wbcr.yamlio import load_record

                data = load_record(self.path(kind), self.relpath(kind))
            else:
                continue
            summaries[kind] = summarise(kind, data)
        if not found:
            files = CaseFiles(folder=self.reference, relroot=f"cases/{self.reference}", records=summaries)
            ctx = checks.Context(register=self.register, today=today, locate=False)
            found = [f for f in checks.run_case_checks(ctx, [files])
                     if f.severity == ERROR and f.path in {self.relpath(k) for k in changed}]
        if found:
            raise FindingsError(f"{self.reference}: the change would make the records invalid; nothing was written",
                                findings=found)
        changed = {kind: self._sealed(kind, text) for kind, text in changed.items()}
        root = self.register.root
        use_git = gitrepo.is_repo(root)
        if use_git:
            gitrepo.ensure_can_commit(root)
        written: list[str] = []
        try:
            for kind, text in changed.items():
                atomic_write(self.path(kind), text)
                written.append(self.relpath(kind))
            if use_git:
                trailers = {"Wbcr-Action": action, "Wbcr-Reference": self.reference}
                if stage_change:
                    trailers["Wbcr-Stage"] = f"{stage_change[0]} -> {stage_change[1]}"
                trailers.update(extra or {})
                trailers["Wbcr-Actor"] = actor
                gitrepo.commit(root, written, f"{self.reference}: {summary}", trailers)
        except BaseException:
            if use_git:
                gitrepo.unstage(root, written)
            for kind in changed:
                original = self._original.get(kind)
                if original is None:
                    self.path(kind).unlink(missing_ok=True)
                else:
                    atomic_write(self.path(kind), original)
            raise
        return written

    def _sealed(self, kind: str, text: str) -> str:
        """A case sealed in the working tree stays sealed, and a register that seals its records never
        writes a sensitive value where git would take it in plain text (no clean filter here)."""
        from wbcr.schemas import SEALED_PREFIX

        holds_sealed = any(SEALED_PREFIX in p.read_text("utf-8", errors="replace")
                           for p in [*self.folder.glob("*.yaml"), *(self.folder / "chronology").glob("*.yaml")]
                           if p.is_file())
        from wbcr.passwords import seal_required

        filtered = gitrepo.is_repo(self.register.root) and gitrepo.get_config(self.register.root,
                                                                               "filter.wbcr.clean")
        if not holds_sealed and not (seal_required(self.register.config) and not filtered):
            return text
        from wbcr.passwords import case_password
        from wbcr.sealing import CaseSeal, seal_record_text

        seal = CaseSeal.from_password(self.reference, case_password(self.register, self.reference))
        sealed, _ = seal_record_text(text, kind=kind, record=f"{kind}.yaml", display=self.relpath(kind), seal=seal)
        return sealed


def _lock(cases_dir: Path):
    """An exclusive lock on the register's cases folder, held until the process ends or the edit is dropped."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    import os

    fd = os.open(cases_dir, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return _Held(fd)


class _Held:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __del__(self) -> None:
        import contextlib
        import os

        with contextlib.suppress(OSError):  # already closed at interpreter exit
            os.close(self.fd)
