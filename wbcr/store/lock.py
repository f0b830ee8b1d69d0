"""The register lock: one lock for every command that changes a register.

A file lock (the `filelock` library: `fcntl` on Unix, `msvcrt` on Windows) on a file git never sees:
inside `.git/` in a repository, else `.wbcr-lock` at the register's root (ignored by the `.gitignore`
that `wbcr init` writes). The operating system releases it when the process ends, however it ends, so a
killed command never leaves a lock that blocks for ever.

Beside the lock, `<lock>.holder` says who holds it (process id, command, since when), so a command that
has to wait says for whom after `NOTICE_SECONDS` (a `LockWaitWarning`, which the command line prints)
and, when it gives up after `WAIT_SECONDS`, names the holder instead of blocking silently.

Taking the lock (the outermost time in a process) first undoes whatever a killed command left half-done
(`wbcr.store.transaction.recover`), so every command starts from a whole register.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Iterator

from wbcr.core.dates import wall_clock
from wbcr.core.errors import WbcrError
from wbcr.store.transaction import alive, pause, recover

#: how long a command waits for another one changing the same register
WAIT_SECONDS = 60.0
#: how long it waits before saying for whom it is waiting
NOTICE_SECONDS = 2.0


class LockWaitWarning(UserWarning):
    """A command is waiting for another one holding the register lock (printed by the command line)."""

    wbcr_notice = True


def lock_path(root: Path) -> Path:
    gitdir = root / ".git"
    return gitdir / "wbcr.lock" if gitdir.is_dir() else root / ".wbcr-lock"


def holder_path(root: Path) -> Path:
    path = lock_path(root)
    return path.with_name(path.name + ".holder")


def command_line(argv: list[str] | None = None) -> str:
    """The command a process runs, as far as it is safe to show: `wbcr` and its command words (no
    options, no values: a password or a file name naming a person must not reach a file or a message)."""
    args = list(sys.argv[1:] if argv is None else argv)
    words: list[str] = []
    skip_value = False
    for arg in args:
        if skip_value:
            skip_value = False
            continue
        if arg in ("--register", "-R", "--today"):
            skip_value = True
            continue
        if arg.startswith("-"):
            if words:
                break
            continue
        words.append(arg)
        if len(words) == 3:
            break
    return " ".join(["wbcr", *words])


def read_holder(root: Path) -> dict | None:
    """Who says they hold the register's lock: {"pid", "command", "since"}; None when nobody says."""
    try:
        data = json.loads(holder_path(root).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("pid"), int) or not alive(data["pid"]):
        return None  # a killed holder's note: the operating system has released its lock
    return data


def describe_holder(holder: dict | None) -> str:
    if not holder:
        return "a process that does not say which"
    since = str(holder.get("since") or "")[11:19]
    return f"`{holder.get('command') or 'wbcr'}`, process {holder['pid']}" + (f", since {since}" if since else "")


def _write_holder(root: Path, command: str | None) -> None:
    record = {"pid": os.getpid(), "command": command or command_line(),
              "since": wall_clock().isoformat(timespec="seconds")}
    path = holder_path(root)
    with contextlib.suppress(OSError):  # who holds it is a courtesy to others; the lock is what counts
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(record) + "\n")


def _remove_holder(root: Path) -> None:
    holder = read_holder(root)
    if holder is None or holder.get("pid") == os.getpid():
        with contextlib.suppress(OSError):
            holder_path(root).unlink()


@contextlib.contextmanager
def register_lock(root: Path, *, wait: float | None = None, command: str | None = None) -> Iterator[None]:
    """Hold the register's lock for the duration of the block (re-entrant within one process).

    `command`: what to tell a command that has to wait (default: this process's command words)."""
    from filelock import FileLock, Timeout  # noqa: PLC0415 - only commands that write need it

    path = lock_path(root)
    lock = _locks.get(path)
    if lock is None:
        lock = _locks[path] = FileLock(str(path), mode=0o600)
    limit = WAIT_SECONDS if wait is None else wait
    outermost = _depth.get(path, 0) == 0
    try:
        try:
            lock.acquire(timeout=min(limit, NOTICE_SECONDS) if outermost else -1)
        except Timeout:
            if limit <= NOTICE_SECONDS:
                raise
            warnings.warn(LockWaitWarning(f"waiting for {describe_holder(read_holder(root))} to finish changing "
                                          f"this register (up to {limit:.0f} seconds)"), stacklevel=3)
            lock.acquire(timeout=limit - NOTICE_SECONDS)
    except Timeout:
        holder = read_holder(root)
        raise WbcrError(f"another wbcr command is changing this register ({describe_holder(holder)}); "
                        "nothing was changed", code="lock.busy", path=str(path),
                        hint="wait for it to finish, then run the command again"
                             + (f" (if it hangs waiting for an answer, answer it or stop it: kill {holder['pid']})"
                                if holder else "")) from None
    except OSError as exc:
        raise WbcrError(f"cannot take the register's lock: {exc.strerror or exc}; nothing was changed",
                        code="lock", path=str(path),
                        hint="check that you may write to the register folder and its .git folder") from None
    _depth[path] = _depth.get(path, 0) + 1
    try:
        if outermost:
            _write_holder(root, command)
            recover(root)
            pause("locked")
        yield
    finally:
        _depth[path] -= 1
        if _depth[path] == 0:
            _remove_holder(root)
        lock.release()


#: one FileLock object per lock file, so nested use in one process is re-entrant rather than a deadlock
_locks: dict[Path, object] = {}
#: how deeply this process holds each lock (the holder file is written and removed at the outermost)
_depth: dict[Path, int] = {}


def held(root: Path) -> bool:
    """Whether this process holds the register's lock."""
    return _depth.get(lock_path(root), 0) > 0


def held_any() -> bool:
    """Whether this process holds any register's lock (nothing may wait for a person while it does)."""
    return any(depth > 0 for depth in _depth.values())
