"""Writing register files whole or not at all, and committing exactly them.

A `Transaction` collects the new content of some files of the register (relative paths), then
`apply` writes each one atomically (temporary file, fsync, rename), stages and commits exactly those
paths with the audit trailers, and on any failure — a write, the commit, an interrupt — puts every file
back as it was (a new file removed, a new folder removed) and unstages them. It does not lock or
validate: `wbcr.store.case` does that around it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from wbcr.core import gitrepo
from wbcr.core.yamlio import atomic_write


@dataclass
class Applied:
    """What a transaction did: the files written (register-relative) and the commit made (None: none)."""

    written: list[str] = field(default_factory=list)
    commit: str | None = None


class Transaction:
    def __init__(self, root: Path, *, commit: bool = True) -> None:
        self.root = root
        self.use_git = commit and gitrepo.is_repo(root)
        self._new: dict[str, bytes] = {}

    def write(self, relpath: str, content: str | bytes) -> None:
        self._new[relpath] = content.encode("utf-8") if isinstance(content, str) else content

    @property
    def paths(self) -> list[str]:
        return list(self._new)

    def check_can_commit(self) -> None:
        """Refuse before anything is written when git could not record the change."""
        if self.use_git:
            gitrepo.ensure_can_commit(self.root)

    def apply(self, subject: str, trailers: dict[str, str]) -> Applied:
        """Write the files that change and commit them; nothing at all on failure."""
        self.check_can_commit()
        originals: dict[str, bytes | None] = {}
        for relpath, content in self._new.items():
            path = self.root / relpath
            old = path.read_bytes() if path.is_file() else None
            if old != content:
                originals[relpath] = old
        result = Applied()
        if not originals:
            return result
        created_dirs = self._missing_dirs(originals)
        try:
            for relpath in originals:
                atomic_write(self.root / relpath, self._new[relpath])
                result.written.append(relpath)
            if self.use_git:
                gitrepo.add(self.root, result.written)
                if gitrepo.staged_changes(self.root, result.written):
                    result.commit = gitrepo.commit(self.root, result.written, subject, trailers)
        except BaseException:
            if self.use_git:
                gitrepo.unstage(self.root, list(originals))
            for relpath, old in originals.items():
                path = self.root / relpath
                if old is None:
                    path.unlink(missing_ok=True)
                else:
                    atomic_write(path, old)
            for folder in reversed(created_dirs):
                shutil.rmtree(folder, ignore_errors=True)
            raise
        return result

    def _missing_dirs(self, relpaths) -> list[Path]:
        """Folders the transaction will create (outermost first), to remove again on failure."""
        missing: list[Path] = []
        for relpath in relpaths:
            folder = (self.root / relpath).parent
            chain = []
            while not folder.exists() and folder != self.root:
                chain.append(folder)
                folder = folder.parent
            for item in reversed(chain):
                if item not in missing:
                    missing.append(item)
        return missing
