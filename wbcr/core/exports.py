"""Files a command writes for a person to take away: a merged chronology (Word, CSV, JSON), a rendered
document, a calendar of deadlines. The one writer of them, `write_export`.

An export holds what the records hold (names, dates of birth, narratives), in the plain or behind a
case password, and is made to leave the register by hand, never through git. So it is written:

- atomically (`atomic_write`: whole or not at all, its temporary file never where `git add` looks);
- owner-only (0600 on POSIX), whatever the umask: another account on the computer cannot read it;
- never where git would take it: inside a git work tree (the register's or any other), the path must
  be ignored by git (`.gitignore`, `.git/info/exclude`) and not tracked, else nothing is written and
  the message says where to write it instead. A refusal, not a silent `.gitignore` edit: an edit would
  itself be a change to commit, and a file left where `git add -A` takes it is how a child's name
  reaches a shared remote.
"""

from __future__ import annotations

import os
from pathlib import Path

from wbcr.core import gitrepo
from wbcr.core.errors import UsageError, WbcrError
from wbcr.core.yamlio import atomic_write

#: an export's permissions: the owner reads and writes, nobody else anything
EXPORT_MODE = 0o600


def check_export_target(path: Path) -> None:
    """Refuse `path` when it lies inside a git work tree and git would not ignore it."""
    target = Path(os.path.abspath(path))
    folder = target.parent
    while not folder.is_dir() and folder != folder.parent:  # `atomic_write` makes the missing folders
        folder = folder.parent
    root = gitrepo.work_tree_of(folder)
    if root is None or gitrepo.is_ignored(root, target):
        return
    try:
        shown = target.relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = str(target)
    if gitrepo.is_tracked(root, target):
        raise UsageError(f"{path}: a file git tracks in {root}, where git would commit it; an export holds "
                         "personal data and is never committed, so nothing was written",
                         hint="write it under output/ or outside the repository, under a name of its own")
    raise UsageError(f"{path}: inside the git work tree {root}, where git would commit it; an export holds "
                     "personal data and is never committed, so nothing was written",
                     hint=f"write it under output/ or outside the repository, or add {shown} to {root}/.gitignore")


def write_export(path: Path, data: str | bytes) -> Path:
    """Write an export: refused inside a git work tree unless git ignores it; atomically; mode 0600."""
    path = Path(path)
    check_export_target(path)
    try:
        atomic_write(path, data, mode=EXPORT_MODE)
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder: give a file name") from None
    except PermissionError:
        # Windows refuses to replace a file another program holds open: a letter open in Word
        raise WbcrError("cannot replace the file: it is open in another program (Word?) or read-only; "
                        "nothing was written", path=str(path),
                        hint="close it in Word (or the program that has it open) and run the command again") from None
    except OSError as exc:
        raise WbcrError(f"cannot write the file: {exc.strerror}; nothing was written", path=str(path)) from None
    return path
