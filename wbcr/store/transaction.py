"""Writing register files whole or not at all, and committing exactly them.

A `Transaction` collects the new content of some files of the register (relative paths); `apply` then

1. refuses before anything is written when git could not record the change (git missing or refusing
   the repository, no identity, a merge under way, a detached HEAD, a wbcr filter whose program is
   gone) or when a file it would replace holds changes that are not committed (they
   would be swept into wbcr's commit),
2. prepares everything where git never looks — the register's scratch folder, `.git/wbcr-tmp/` (or
   `.wbcr-tmp/`, ignored, in a register that is not a git repository): each new file written whole, a
   hard link to each file it replaces, a copy of git's index, and last a journal saying all that,
3. moves the new files into place (a new case folder as a whole, by one rename), stages and commits
   exactly those paths with the audit trailers,
4. and on any failure — a full disk, a read-only folder, a refused commit, an interrupt — puts every
   file and git's index back as they were, by renaming the kept originals back (which needs no free
   space), and says which file failed and why.

A command killed half-way (`kill -9`, a power cut) cannot clean up after itself: the next command that
takes the register lock does, from the journal (`recover`), and says so. Until then nothing of it is in
the work tree where git looks, except, for the moment between moving files into place and committing,
the new files themselves — written whole, sealed when the register seals its records.

It does not lock or validate: `wbcr.store.case` does that around it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
import stat
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from wbcr.core import gitrepo
from wbcr.core.errors import WbcrError
from wbcr.core.yamlio import SCRATCH_IN_REGISTER, atomic_write, scratch_dir, temporary_name_pid

JOURNAL = "journal.json"
#: the test seam: `WBCR_TEST_PAUSE=POINT[:GATE]` stops a command at POINT ("locked": the register lock
#: just taken; "staged": everything prepared in the scratch folder; "written": moved into place;
#: "added": staged in git, not committed) after saying so on stderr, until the file GATE exists (or for
#: good, to be killed). Unset, it costs one look at the environment.
PAUSE_ENV = "WBCR_TEST_PAUSE"


class RecoveredWarning(UserWarning):
    """What the register lock undid of a killed command (printed by the command line)."""

    wbcr_notice = True


def pause(point: str) -> None:
    """Stop here when the tests ask to (`PAUSE_ENV`): how they kill or race a command at a known moment."""
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted or wanted.split(":", 1)[0] != point:
        return
    gate = wanted.split(":", 1)[1] if ":" in wanted else None
    sys.stderr.write(f"wbcr-test-paused: {point} {os.getpid()}\n")
    sys.stderr.flush()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (gate and os.path.exists(gate)):
        time.sleep(0.02)


class NoHistoryWarning(UserWarning):
    """A change written to a register that is not a git repository: it has no audit trail (printed by
    the command line)."""

    wbcr_notice = True


@dataclass
class Applied:
    """What a transaction did: the files written (register-relative) and the commit made (None: none)."""

    written: list[str] = field(default_factory=list)
    commit: str | None = None


def _scratch(root: Path) -> Path:
    found = scratch_dir(root)
    if found is None:
        found = root / SCRATCH_IN_REGISTER
        found.mkdir(mode=0o700, exist_ok=True)
    return found


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _move(source: Path, target: Path) -> None:
    """Put a prepared file or folder in place, or a kept original back (a rename: whole, no space needed)."""
    os.replace(source, target)


def _keep(path: Path, copy: Path) -> None:
    """Keep the original of a file about to be replaced: a hard link (no space needed), else a copy."""
    try:
        os.link(path, copy)
    except OSError:
        shutil.copy2(path, copy)


def keep_line_endings(old: bytes | None, new: bytes) -> bytes:
    """`new` with the line endings (and the UTF-8 byte-order mark, if any) of the file it replaces: a
    record checked out with Windows line endings (CRLF, `core.autocrlf` false) or saved by Notepad with a
    mark keeps them, so an edit of four lines is a diff of four lines, not of the whole file. A new file,
    or one with Unix line endings and no mark, is written as `new` is."""
    if not old:
        return new
    bom = b"\xef\xbb\xbf"
    if old.startswith(bom) and not new.startswith(bom):
        new = bom + new
    first_line = old[: old.find(b"\n") + 1 or len(old)]
    if first_line.endswith(b"\r\n"):
        new = new.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return new


class Transaction:
    def __init__(self, root: Path, *, commit: bool = True) -> None:
        self.root = root
        self.wanted_commit = commit
        # a register in a repository is committed or refused (`gitrepo.is_repo` raises when git is
        # missing or refuses the repository); one in no repository at all (`wbcr init --no-git`) is
        # written without history, and each change says so (`NoHistoryWarning`)
        self.use_git = commit and gitrepo.is_repo(root)
        self._new: dict[str, bytes] = {}
        self._as_is: list[str] = []
        #: paths whose uncommitted changes in the work tree are meant to be committed (the caller checked)
        self.may_differ: set[str] = set()

    def write(self, relpath: str, content: str | bytes) -> None:
        self._new[relpath] = content.encode("utf-8") if isinstance(content, str) else content

    def commit_as_is(self, relpath: str) -> None:
        """Commit `relpath` as the work tree holds it even when this transaction does not change it
        (`wbcr seal` finishing the commit of a seal that was killed before committing)."""
        if relpath not in self._as_is:
            self._as_is.append(relpath)

    @property
    def paths(self) -> list[str]:
        return list(self._new) + [p for p in self._as_is if p not in self._new]

    def check_can_commit(self) -> None:
        """Refuse before anything is written when git could not record the change."""
        if self.use_git:
            gitrepo.ensure_can_commit(self.root)

    def apply(self, subject: str, trailers: dict[str, str]) -> Applied:
        """Write the files that change and commit them; nothing at all on failure."""
        self.check_can_commit()
        try:
            changes = {}
            for rel, data in self._new.items():
                old = _read(self.root / rel)
                if rel.endswith((".yaml", ".yml")):  # text records only: never touch a document's bytes
                    data = keep_line_endings(old, data)
                if old != data:
                    changes[rel] = data
        except OSError as exc:
            raise _failure(exc, None, []) from None
        as_is = [rel for rel in self._as_is if rel not in changes]
        result = Applied()
        if not changes and not (as_is and self.use_git):
            return result
        if self.use_git:
            gitrepo.check_filter_runs(self.root, list(changes) + as_is)
            self._refuse_uncommitted(list(changes))
        run = _Run(self.root, subject, self.use_git)
        try:
            run.prepare(changes)
            pause("staged")
            result.written = run.install()
            pause("written")
            if self.use_git:
                paths = result.written + as_is
                gitrepo.add(self.root, paths)
                pause("added")
                if gitrepo.staged_changes(self.root, paths):
                    result.commit = gitrepo.commit(self.root, paths, subject, trailers)
                    result.written += as_is
        except BaseException as exc:
            if result.commit is not None or run.committed():  # stopped after its commit: the change is whole
                run.finish()
                raise
            failure = _failure(exc, run.current, run.undo())
            if failure is exc:
                raise
            raise failure from None
        run.finish()
        if self.wanted_commit and not self.use_git and result.written:
            warnings.warn(NoHistoryWarning(
                "written, not committed: the register is not a git repository, so this change has no audit "
                "trail (to keep one from now on: `git init` in the register, then commit its files)"),
                stacklevel=2)
        return result

    def _refuse_uncommitted(self, relpaths: list[str]) -> None:
        """Refuse to replace a file whose changes are not committed (before the first commit there is
        nothing to compare with: a register's first files are committed as they are)."""
        if gitrepo.head_commit(self.root) is None:
            return
        dirty = [p for p in gitrepo.changed_among(self.root, relpaths) if p not in self.may_differ]
        if dirty:
            raise WbcrError(f"{', '.join(dirty)}: changed by hand and not committed; wbcr would sweep the change "
                            "into its own commit, so nothing was changed", code="git.dirty",
                            hint="commit the change yourself (git add PATH && git commit) or undo it "
                                 "(git checkout -- PATH), then run the command again")


def _failure(exc: BaseException, current: str | None, problems: list[str]) -> BaseException:
    """The error to show for a failed transaction, saying what was put back (or what was not)."""
    if problems:
        return WbcrError(f"the change failed ({_reason(exc)}) and the register could not be put back as it was: "
                         + "; ".join(problems), code="store.undo", path=current,
                         hint="put right the cause (free space, permissions), then run the command again: the "
                              "next wbcr command that changes the register first puts back the originals it kept "
                              "in its scratch folder (.git/wbcr-tmp)")
    if isinstance(exc, OSError):
        where = current or (exc.filename and str(exc.filename)) or "the register"
        space = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        return WbcrError(f"cannot write the file: {exc.strerror or exc}; nothing was changed", code="store.write",
                         path=where,
                         hint="free some space on the disk, then run the command again" if space else
                         "check that you may write to the register's folders (and its .git folder), then run "
                         "the command again")
    if isinstance(exc, WbcrError) and "nothing was changed" not in exc.message:
        exc.message += "; nothing was changed"
    return exc


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if isinstance(exc, WbcrError):
        return exc.message
    return type(exc).__name__


class _Run:
    """One transaction's files in the scratch folder and its journal (see the module docstring)."""

    def __init__(self, root: Path, subject: str, use_git: bool) -> None:
        self.root = root
        self.subject = subject
        self.use_git = use_git
        self.folder = _scratch(root) / f"txn-{os.getpid()}-{secrets.token_hex(4)}"
        self.journal: dict = {}
        self.current: str | None = None  # the register path being written when something failed

    def prepare(self, changes: dict[str, bytes]) -> None:
        self.folder.mkdir(mode=0o700)
        entries: list[dict] = []
        new_dirs: list[str] = []
        tops: list[str] = []
        for number, (relpath, content) in enumerate(changes.items()):
            self.current = relpath
            target = self.root / relpath
            missing = []
            folder = target.parent
            while not folder.exists() and folder != self.root:
                missing.append(folder.relative_to(self.root).as_posix())
                folder = folder.parent
            entry = {"path": relpath, "backup": None, "staged": None, "mode": None}
            if missing:  # a new folder: prepared whole, moved into place by one rename
                top = missing[-1]
                if top not in tops:
                    tops.append(top)
                entry["top"] = top
                for item in reversed(missing):
                    if item not in new_dirs:
                        new_dirs.append(item)
                staged = self.folder / "new" / relpath
                staged.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(staged, content, mode=_new_mode(None))
            else:
                original = target if target.is_file() else None
                staged = self.folder / f"file-{number}"
                atomic_write(staged, content, mode=_new_mode(original))
                entry["staged"] = staged.name
                if original is not None:
                    _keep(original, self.folder / f"old-{number}")
                    entry["backup"] = f"old-{number}"
            entries.append(entry)
        index = None
        if self.use_git:
            path = gitrepo.git_path(self.root, "index")
            self.current = str(path)
            index = path.is_file()
            if index:
                _keep(path, self.folder / "index")
        head = gitrepo.head_commit(self.root) if self.use_git else None
        journal = {"pid": os.getpid(), "subject": self.subject, "head": head[0] if head else None,
                   "entries": entries, "new_dirs": new_dirs, "tops": tops, "index": index}
        self.current = str(self.folder / JOURNAL)
        atomic_write(self.folder / JOURNAL, json.dumps(journal, indent=1))
        self.journal = journal  # from here on, what was done can be undone from the journal
        self.current = None

    def install(self) -> list[str]:
        written: list[str] = []
        moved: set[str] = set()
        for entry in self.journal["entries"]:
            self.current = entry["path"]
            top = entry.get("top")
            if top is not None:
                if top not in moved:
                    target = self.root / top
                    if target.exists():
                        raise FileExistsError(errno.EEXIST, "appeared meanwhile", str(target))
                    _move(self.folder / "new" / top, target)
                    moved.add(top)
            else:
                _move(self.folder / entry["staged"], self.root / entry["path"])
            written.append(entry["path"])
        self.current = None
        return written

    def committed(self) -> bool:
        return bool(self.journal) and self.use_git and _committed(self.root, self.journal)

    def undo(self) -> list[str]:
        if not self.journal:  # nothing was moved into place yet
            shutil.rmtree(self.folder, ignore_errors=True)
            return []
        problems = _undo(self.root, self.folder, self.journal)
        if not problems:
            shutil.rmtree(self.folder, ignore_errors=True)
        return problems

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            (self.folder / JOURNAL).unlink()  # first: from here on nothing is to be undone
        shutil.rmtree(self.folder, ignore_errors=True)


def _new_mode(original: Path | None) -> int:
    """The permissions of a file written: those of the file replaced, else the user's usual ones."""
    if original is not None:
        with contextlib.suppress(OSError):
            return stat.S_IMODE(os.stat(original).st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _committed(root: Path, journal: dict) -> bool:
    """Whether the journal's commit was made: HEAD is a new commit on the journal's HEAD, with its subject."""
    now = gitrepo.head_commit(root)
    if now is None or now[0] == journal.get("head"):
        return False
    parents = now[1].split()
    return (parents == [journal["head"]] if journal.get("head") else not parents) and now[2] == journal["subject"]


def _undo(root: Path, folder: Path, journal: dict) -> list[str]:
    """Put back what the journal's transaction changed; what could not be put back, as problems.
    Idempotent: a recovery killed half-way is finished by the next one."""
    problems: list[str] = []
    for entry in reversed(journal.get("entries") or []):
        target = root / entry["path"]
        try:
            backup = folder / entry["backup"] if entry.get("backup") else None
            if backup is not None:
                if backup.exists():
                    _move(backup, target)
            elif entry.get("top") is None:
                target.unlink(missing_ok=True)
            elif (root / entry["top"]).exists():
                target.unlink(missing_ok=True)
        except OSError as exc:
            problems.append(f"{entry['path']}: {exc.strerror or exc}")
    for relpath in reversed(journal.get("new_dirs") or []):
        path = root / relpath
        try:
            if path.is_dir():
                path.rmdir()
        except OSError as exc:
            problems.append(f"{relpath}/: {exc.strerror or exc} (files wbcr did not write are in it)")
    if journal.get("index") is not None:
        try:
            index = gitrepo.git_path(root, "index")
            kept = folder / "index"
            if kept.exists():
                _move(kept, index)
            elif journal["index"] is False:
                index.unlink(missing_ok=True)
        except (OSError, WbcrError) as exc:
            problems.append(f"git's index: {getattr(exc, 'strerror', None) or exc}")
    return problems


def alive(pid: int) -> bool:
    """Whether a process with this id exists (on this computer)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill would end the process there
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists, as another user's process (or this system cannot tell: assume it does)
    return True


def _alive_windows(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes  # noqa: PLC0415 - Windows only

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def recover(root: Path) -> None:
    """Undo what killed commands left half-done in the register (run under the register lock, before
    anything else), and remove their temporary files; say what was undone (a `RecoveredWarning`)."""
    items: list[Path] = []
    for scratch in dict.fromkeys(p for p in (scratch_dir(root), root / SCRATCH_IN_REGISTER) if p is not None):
        with contextlib.suppress(OSError):
            items += sorted(scratch.iterdir())
    for item in items:
        name = item.name
        if name.startswith("stale-"):
            continue  # reported once; the user deletes it
        if name.startswith("txn-") and item.is_dir():
            pid = name.split("-")[1]
            if pid.isdigit() and (int(pid) == os.getpid() or alive(int(pid))):
                continue
            _recover_one(root, item)
        else:
            pid = temporary_name_pid(name)
            if pid is not None and not alive(pid) and pid != os.getpid():
                with contextlib.suppress(OSError):
                    item.unlink()  # a killed command's half-written temporary file


def _recover_one(root: Path, folder: Path) -> None:
    try:
        journal = json.loads((folder / JOURNAL).read_text("utf-8"))
    except (OSError, ValueError):
        shutil.rmtree(folder, ignore_errors=True)  # killed before it had moved anything into place
        return
    use_git = journal.get("index") is not None
    if use_git and _committed(root, journal):
        shutil.rmtree(folder, ignore_errors=True)  # killed after its commit: the change is whole
        return
    if use_git and (gitrepo.head_commit(root) or ("",))[0] != (journal.get("head") or ""):
        # someone committed since (perhaps the stopped command's files, by hand): undoing could lose
        # their work, so wbcr leaves the files alone and says where its kept originals are
        stale = folder.with_name("stale-" + folder.name)
        with contextlib.suppress(OSError):
            folder.rename(stale)
        warnings.warn(RecoveredWarning(
            f"a wbcr command (process {journal.get('pid')}, \"{journal.get('subject')}\") was stopped before it "
            f"had committed, and the repository has had other commits since, so its changes were left as they "
            f"are ({', '.join(e['path'] for e in journal.get('entries') or [])}): check them with `git status` "
            f"and `git log`; the originals it replaced are kept in {stale} (delete the folder when done)"),
            stacklevel=2)
        return
    problems = _undo(root, folder, journal)
    shown = ", ".join(e["path"] for e in journal.get("entries") or [])
    if problems:
        warnings.warn(RecoveredWarning(
            f"a wbcr command (process {journal.get('pid')}, \"{journal.get('subject')}\") was stopped half-way "
            f"and its changes could not all be undone: {'; '.join(problems)}; what it kept is in {folder}"),
            stacklevel=2)
        return
    shutil.rmtree(folder, ignore_errors=True)
    warnings.warn(RecoveredWarning(
        f"a wbcr command (process {journal.get('pid')}, \"{journal.get('subject')}\") was stopped before it "
        f"had committed; its changes were undone ({shown}): run it again"), stacklevel=2)
