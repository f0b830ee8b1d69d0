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
    def __init__(self, register: Register, reference: str) -> None:
        folder = register.case_dir(reference)
        if "/" in reference or "\\" in reference or reference.startswith(".") or not folder.is_dir():
            raise UsageError(f'no case "{reference}" in this register', hint="`wbcr status` lists the cases")
        self.register = register
        self.reference = reference
        self.folder = folder
        self._data: dict[str, Any] = {}
        self._original: dict[str, bytes | None] = {}

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
