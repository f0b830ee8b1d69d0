"""The register lock: one lock for every command that changes a register.

A file lock (the `filelock` library: `fcntl` on Unix, `msvcrt` on Windows) on a file git never sees:
inside `.git/` in a repository, else `.wbcr-lock` at the register's root (ignored by the `.gitignore`
that `wbcr init` writes). The operating system releases it when the process ends, however it ends, so a
killed command never leaves a lock that blocks for ever. A second command waits for the first
(reference allocation, an edit, a seal) and gives up with a clear message after `WAIT_SECONDS`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

from wbcr.core.errors import WbcrError

#: how long a command waits for another one changing the same register
WAIT_SECONDS = 60.0


def lock_path(root: Path) -> Path:
    gitdir = root / ".git"
    return gitdir / "wbcr.lock" if gitdir.is_dir() else root / ".wbcr-lock"


@contextlib.contextmanager
def register_lock(root: Path, *, wait: float | None = None) -> Iterator[None]:
    """Hold the register's lock for the duration of the block (re-entrant within one process)."""
    from filelock import FileLock, Timeout  # noqa: PLC0415 - only commands that write need it

    path = lock_path(root)
    lock = _locks.get(path)
    if lock is None:
        lock = _locks[path] = FileLock(str(path), mode=0o600)
    try:
        lock.acquire(timeout=WAIT_SECONDS if wait is None else wait)
    except Timeout:
        raise WbcrError(f"another wbcr command is changing this register (lock {path}); nothing was changed",
                        code="lock.busy", hint="wait for it to finish, then run the command again") from None
    except OSError as exc:
        raise WbcrError(f"{path}: cannot take the register's lock: {exc.strerror or exc}", code="lock",
                        hint="check that you may write to the register folder") from None
    try:
        yield
    finally:
        lock.release()


#: one FileLock object per lock file, so nested use in one process is re-entrant rather than a deadlock
_locks: dict[Path, object] = {}


def held(root: Path) -> bool:
    lock = _locks.get(lock_path(root))
    return bool(lock is not None and lock.is_locked)  # type: ignore[attr-defined]

