"""Every git call wbcr makes. The register's audit trail is its git history."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from wbcr.errors import WbcrError


def have_git() -> bool:
    return shutil.which("git") is not None


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env)
    except FileNotFoundError:
        raise WbcrError("git is not installed", hint="install git, or work in a register that is not a repository") from None
    if check and result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise WbcrError(f"git {args[0]} failed: {detail[-1] if detail else 'no message'}", code="git")
    return result


def is_repo(root: Path) -> bool:
    if not have_git():
        return False
    result = _git(root, "rev-parse", "--show-toplevel", check=False)
    return result.returncode == 0


def init(root: Path) -> None:
    _git(root, "init", "-q")


def actor(root: Path | None = None) -> str:
    """Who is acting: `WBCR_ACTOR`, else git's user.name, else the login name."""
    explicit = os.environ.get("WBCR_ACTOR")
    if explicit:
        return explicit
    if root is not None and have_git():
        name = _git(root, "config", "user.name", check=False).stdout.strip()
        if name:
            return name
    try:
        return os.getlogin()
    except OSError:
        return os.environ.get("USER", "unknown")


def ensure_can_commit(root: Path) -> None:
    """Refuse before anything is written when a commit would fail: no identity, a merge under way."""
    ident = _git(root, "var", "GIT_COMMITTER_IDENT", check=False)
    if ident.returncode != 0:
        raise WbcrError("git has no identity to commit with, so the change could not be recorded",
                        code="git.identity", hint='run: git config user.name "Your Name" && '
                        'git config user.email you@example.org')
    gitdir = Path(_git(root, "rev-parse", "--absolute-git-dir").stdout.strip())
    for marker, what in (("MERGE_HEAD", "a merge"), ("REBASE_HEAD", "a rebase"), ("rebase-merge", "a rebase"),
                         ("rebase-apply", "a rebase"), ("CHERRY_PICK_HEAD", "a cherry-pick")):
        if (gitdir / marker).exists():
            raise WbcrError(f"{what} is in progress in the register's repository; nothing was changed",
                            code="git.busy", hint="finish it (or abort it) first, then run the command again")


def commit(root: Path, paths: list[str], subject: str, trailers: dict[str, str]) -> str:
    """Commit exactly `paths` (relative to root) with the trailers; returns the commit id."""
    body = "\n".join(f"{key}: {value}" for key, value in trailers.items())
    _git(root, "add", "--", *paths)
    _git(root, "commit", "-q", "-m", subject, "-m", body, "--", *paths)
    return _git(root, "rev-parse", "HEAD").stdout.strip()


def unstage(root: Path, paths: list[str]) -> None:
    _git(root, "reset", "-q", "--", *paths, check=False)


def is_shallow(root: Path) -> bool:
    return _git(root, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == "true"


def log_path(root: Path, path: str) -> list[dict]:
    """Commits touching `path`, newest first: id, author, email, date, subject, trailers, files."""
    sep, end = "\x1f", "\x1e"
    fmt = sep.join(["%H", "%an", "%ae", "%aI", "%s", "%(trailers:only,unfold)"]) + end
    result = _git(root, "log", f"--format={fmt}", "--name-only", "--", path, check=False)
    if result.returncode != 0:
        return []
    commits = []
    for chunk in result.stdout.split(end):
        chunk = chunk.strip("\n")
        if not chunk:
            continue
        if sep not in chunk:
            if commits:
                commits[-1]["files"] += [l for l in chunk.splitlines() if l.strip()]
            continue
        head, _, files = chunk.partition(end)
        fields = head.split(sep)
        if len(fields) < 6:
            continue
        trailers = {}
        lines = fields[5].splitlines()
        for line in lines:
            key, _, value = line.partition(": ")
            if key and value:
                trailers[key] = value
        commits.append({"commit": fields[0], "author": fields[1], "email": fields[2], "date": fields[3],
                        "subject": fields[4], "trailers": trailers, "files": []})
    return commits
