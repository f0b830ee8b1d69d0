"""Every git call wbcr makes. The register's audit trail is its git history."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from wbcr.core.errors import WbcrError


#: the environment variable naming the git program to run (a managed laptop may not have git on PATH)
GIT_VARIABLE = "WBCR_GIT"


def git_program() -> str | None:
    """The git wbcr runs: `WBCR_GIT` when set (None when it names no program), else git on PATH."""
    chosen = os.environ.get(GIT_VARIABLE)
    if chosen:
        found = shutil.which(chosen)
        return found
    return shutil.which("git")


def _exe() -> str:
    found = git_program()
    if found is not None:
        return found
    chosen = os.environ.get(GIT_VARIABLE)
    if chosen:
        raise WbcrError(f"{GIT_VARIABLE} is set to {chosen!r}, which is not a program git can be run from; "
                        "nothing was changed", code="git.missing",
                        hint=f"set {GIT_VARIABLE} to git's full path (e.g. C:\\Program Files\\Git\\cmd\\git.exe), "
                             "or unset it to use the git on PATH")
    raise WbcrError("git was not found, and the register's history (its audit trail) is kept by git; "
                    "nothing was changed", code="git.missing",
                    hint=f"install git (Git for Windows: https://git-scm.com/download/win) or set {GIT_VARIABLE} "
                         "to git's full path, then run the command again")


def have_git() -> bool:
    return git_program() is not None


def git_version() -> str | None:
    """The version of the git wbcr runs (`2.43.0`, or Git for Windows' `2.45.1.windows.1`); None
    when there is no git, or it does not run."""
    found = git_program()
    if found is None:
        return None
    try:
        result = subprocess.run([found, "--version"], capture_output=True, text=True, encoding="utf-8",
                                errors="replace", env=_env(), timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    words = result.stdout.split()
    return words[2] if result.returncode == 0 and len(words) >= 3 and words[:2] == ["git", "version"] else None


def _env(extra: dict | None = None) -> dict:
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **(extra or {})}


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    # git writes names, subjects and paths as UTF-8 whatever the system's code page (on Windows cp1252)
    result = subprocess.run([_exe(), *args], cwd=root, capture_output=True, text=True, encoding="utf-8",
                            errors="replace", env=_env())
    if check and result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise WbcrError(f"git {args[0]} failed: {detail[-1] if detail else 'no message'}", code="git")
    return result


def repository_top(root: Path) -> Path | None:
    """The folder holding the `.git` of the repository `root` is in, found without running git; None
    when `root` is in no repository (a register kept without git)."""
    folder = Path(os.path.abspath(root))
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def is_repo(root: Path) -> bool:
    """Whether `root` is in a git repository. A folder with a `.git` is one even when git cannot work in
    it: then this refuses (exit 3) with the reason and the fix — git missing, or git refusing a
    repository owned by another user — rather than let an edit go unrecorded in the audit trail."""
    top = repository_top(root)
    if top is None:
        return False
    result = _git(root, "rev-parse", "--show-toplevel", check=False)
    if result.returncode == 0:
        return True
    raise refusal(top, (result.stderr or result.stdout).strip())


def refusal(top: Path, said: str) -> WbcrError:
    """The error for git refusing to work in the repository at `top`, having said `said`: for "dubious
    ownership" (a folder another user owns: a network drive, a USB stick) the exact command that
    tells git to trust it."""
    if "dubious ownership" in said or "safe.directory" in said:
        shown = top.as_posix()
        return WbcrError(f"git refuses to work in {shown}: the folder belongs to another user (as on a network "
                         "drive or a USB stick), so nothing could be recorded in its history; nothing was changed",
                         code="git.dubious-ownership",
                         hint=f"if you trust this folder, run: git config --global --add safe.directory \"{shown}\" "
                              "and then the command again")
    last = said.splitlines()[-1] if said else "no message"
    return WbcrError(f"git cannot work in the register's repository: {last}; nothing was changed", code="git",
                     path=str(top), hint="run `git status` in the register to see what git says, and put it right")


def init(root: Path) -> None:
    _git(root, "init", "-q")


def actor(root: Path | None = None) -> str:
    """Who is acting: `WBCR_ACTOR`, else git's author name (environment or config), else the login name."""
    explicit = os.environ.get("WBCR_ACTOR")
    if explicit:
        return explicit
    if root is not None and have_git():
        ident = _git(root, "var", "GIT_AUTHOR_IDENT", check=False).stdout.strip()
        name = ident.split(" <")[0].strip() if ident else ""
        if name:
            return name
    try:
        return os.getlogin()
    except OSError:
        return os.environ.get("USER", "unknown")


def ensure_identity(where: Path) -> None:
    """Refuse before anything is created when git has no identity to commit with."""
    while not where.exists():
        where = where.parent
    ident = _git(where, "var", "GIT_COMMITTER_IDENT", check=False)
    if ident.returncode != 0:
        raise WbcrError("git has no identity to commit with, so the register's audit trail could not start; "
                        "nothing was created", code="git.identity",
                        hint='run: git config --global user.name "Your Name" && '
                             "git config --global user.email you@example.org")


def ensure_can_commit(root: Path) -> None:
    """Refuse before anything is written when a commit would fail: no identity, a merge under way."""
    ident = _git(root, "var", "GIT_COMMITTER_IDENT", check=False)
    if ident.returncode != 0:
        raise WbcrError("git has no identity to commit with, so the change could not be recorded",
                        code="git.identity", hint=f'run: git -C {root} config user.name "Your Name" && '
                        f"git -C {root} config user.email you@example.org (or --global for every repository)")
    gitdir = Path(_git(root, "rev-parse", "--absolute-git-dir").stdout.strip())
    for marker, what in (("MERGE_HEAD", "a merge"), ("REBASE_HEAD", "a rebase"), ("rebase-merge", "a rebase"),
                         ("rebase-apply", "a rebase"), ("CHERRY_PICK_HEAD", "a cherry-pick")):
        if (gitdir / marker).exists():
            raise WbcrError(f"{what} is in progress in the register's repository; nothing was changed",
                            code="git.busy", hint="finish it (or abort it) first, then run the command again")
    if _git(root, "symbolic-ref", "-q", "HEAD", check=False).returncode != 0:
        at = _git(root, "rev-parse", "--short", "HEAD", check=False).stdout.strip()
        raise WbcrError(f"the register's repository has a detached HEAD{f' (at {at})' if at else ''}: a commit "
                        "made now would belong to no branch; nothing was changed", code="git.detached",
                        hint="switch to the register's branch first (`git switch main`, or the branch you work "
                             "on), then run the command again")


def commit(root: Path, paths: list[str], subject: str, trailers: dict[str, str]) -> str:
    """Commit exactly `paths` (relative to root, staged with `add` first) with the trailers; returns the
    commit id. When nothing else is staged the index is committed as it stands, so git does not read
    the files (and run the sealing filter on them) again; otherwise only `paths` are committed and
    what the user staged stays staged."""
    body = "\n".join(f"{key}: {value}" for key, value in trailers.items())
    staged = _git(root, "diff", "--cached", "--name-only", "-z", check=False).stdout.split("\0")
    if any(name and name not in paths for name in staged):
        result = _git(root, "commit", "-q", "-m", subject, "-m", body, "--", *paths, check=False)
    else:
        result = _git(root, "commit", "-q", "-m", subject, "-m", body, check=False)
    if result.returncode != 0:
        filtered = filter_failure(root, result.stderr)
        if filtered is not None:
            raise filtered
        said = [line.strip() for line in (result.stderr or result.stdout).strip().splitlines() if line.strip()]
        raise WbcrError(f"git refused the commit: {said[-1] if said else 'no message'}", code="git.commit",
                        hint="a pre-commit hook or the wbcr git filter stopped it"
                             + (f" (it said: {' / '.join(said[-4:-1])})" if len(said) > 1 else "")
                             + "; put right what it says, then run the command again")
    return _git(root, "rev-parse", "HEAD").stdout.strip()


def head_commit(root: Path) -> tuple[str, str, str] | None:
    """(id, parent ids separated by spaces, subject) of HEAD; None before the first commit."""
    result = _git(root, "log", "-1", "--format=%H%x00%P%x00%s", "HEAD", check=False)
    if result.returncode != 0 or not result.stdout.strip():
        return None
    commit, parents, subject = (result.stdout.rstrip("\n").split("\0") + ["", ""])[:3]
    return commit, parents, subject


def git_path(root: Path, name: str) -> Path:
    """A file of the repository's git directory (`git rev-parse --git-path`), e.g. its index."""
    found = _git(root, "rev-parse", "--git-path", name).stdout.strip()
    return (root / found) if not Path(found).is_absolute() else Path(found)


def changed_among(root: Path, paths: list[str]) -> list[str]:
    """Which of `paths` (relative to root) differ from HEAD in the work tree or the index, or are
    untracked and not ignored: uncommitted changes a commit of them would sweep in."""
    if not paths:
        return []
    changed = _git(root, "diff", "HEAD", "--name-only", "--relative", "-z", "--", *paths, check=False)
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", *paths, check=False)
    found = {p for p in changed.stdout.split("\0") + untracked.stdout.split("\0") if p}
    return [p for p in paths if p in found]


def listed_paths(root: Path, folder: str) -> list[str]:
    """Files under `folder` (relative to root) that git tracks or would add (untracked, not ignored)."""
    result = _git(root, "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", folder, check=False)
    return sorted({p for p in result.stdout.split("\0") if p})


def unstage(root: Path, paths: list[str]) -> None:
    _git(root, "reset", "-q", "--", *paths, check=False)


def is_shallow(root: Path) -> bool:
    return _git(root, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == "true"


def log_path(root: Path, path: str) -> list[dict]:
    """Commits touching `path`, newest first: id, author, email, date, subject, trailers, files."""
    start, sep = "\x1e", "\x1f"
    fmt = start + sep.join(["%H", "%an", "%ae", "%aI", "%s", "%(trailers:only,unfold)"]) + sep
    result = _git(root, "log", f"--format={fmt}", "--name-only", "--", path, check=False)
    if result.returncode != 0:
        return []
    commits = []
    for chunk in result.stdout.split(start):
        fields = chunk.split(sep)
        if len(fields) < 7:
            continue
        trailers = {}
        for line in fields[5].splitlines():
            key, _, value = line.partition(": ")
            if key and value:
                trailers[key] = value
        commits.append({"commit": fields[0], "author": fields[1], "email": fields[2], "date": fields[3],
                        "subject": fields[4], "trailers": trailers,
                        "files": [line for line in fields[6].splitlines() if line.strip()]})
    return commits


def set_config(root: Path, key: str, value: str) -> None:
    """Set a value in this clone's own configuration (`.git/config`)."""
    _git(root, "config", "--local", key, value)


def get_config(root: Path, key: str) -> str | None:
    result = _git(root, "config", "--local", "--get", key, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def config_in_force(root: Path, key: str) -> str | None:
    """A setting as git applies it in `root` (this clone's, else the user's, else the system's); None
    when it is not set."""
    result = _git(root, "config", "--get", key, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def identity(where: Path) -> str | None:
    """`Name <email>` that git would commit with in `where`; None when it has none (git refuses to guess)."""
    result = _git(where, "var", "GIT_COMMITTER_IDENT", check=False)
    if result.returncode != 0 or not result.stdout.strip():
        return None
    return result.stdout.strip().rsplit(">", 1)[0] + ">"


def add(root: Path, paths: list[str]) -> None:
    """Stage `paths` (through any filters git has for them); a filter that fails is reported in its own
    words (`filter_failure`)."""
    result = _git(root, "add", "--", *paths, check=False)
    if result.returncode != 0:
        filtered = filter_failure(root, result.stderr)
        if filtered is not None:
            raise filtered
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise WbcrError(f"git add failed: {detail[-1] if detail else 'no message'}", code="git")


# --- the wbcr filter driver, as git runs it -------------------------------------------------------

#: the name of wbcr's git filter driver (`filter=wbcr` in `.gitattributes`, `filter.wbcr.*` in the config)
FILTER = "wbcr"
#: what tells the user how to set the filter again (see `wbcr.security.sealing.filter_commands`)
_FILTER_FIX = ("run `wbcr key filters` in the register: it sets the filter again to run `wbcr` as found on "
               "PATH (or the command in WBCR_FILTER_COMMAND)")
#: what git says when a filter failed or could not be started (not "cannot run", which a broken hook
#: also makes git say)
_FILTER_SIGNS = (f"filter '{FILTER}' failed", "the remote end hung up unexpectedly", "external filter")


def filter_config(root: Path) -> dict[str, str]:
    """This clone's `filter.wbcr.*` settings (`clean`, `smudge`, `process`, `required`); empty when the
    wbcr filter is not configured here."""
    result = _git(root, "config", "--get-regexp", rf"^filter\.{FILTER}\.", check=False)
    found = {}
    for line in result.stdout.splitlines():
        key, _, value = line.partition(" ")
        found[key.rsplit(".", 1)[-1]] = value
    return found


def program_of(command: str) -> str | None:
    """The program a filter command line starts (its first word, as git's shell reads it), found on PATH
    or at its path; None when there is none to run (a deleted virtual environment, an old Python)."""
    import shlex  # noqa: PLC0415 - only here

    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if not words:
        return None
    return shutil.which(words[0])


def filtered_paths(root: Path, paths: list[str]) -> list[str]:
    """Which of `paths` (relative to root) git passes through the wbcr filter, by the attributes in force."""
    if not paths:
        return []
    result = _git(root, "check-attr", "-z", "filter", "--", *paths, check=False)
    fields = result.stdout.split("\0") if result.returncode == 0 else []
    return [fields[i] for i in range(0, len(fields) - 2, 3) if fields[i + 2] == FILTER]


def check_filter_runs(root: Path, paths: list[str]) -> None:
    """Refuse, before anything is written, when `paths` (relative to root) go through this clone's wbcr
    filter and it starts a program that is not there (the absolute path of a Python since upgraded or
    removed): their `git add` would fail."""
    config = filter_config(root)
    if not config or not filtered_paths(root, paths):
        return
    for side in ("process", "clean"):
        command = config.get(side)
        if command and program_of(command) is None:
            raise WbcrError(f"the wbcr git filter of this clone runs `{command}`, and that program is not there "
                            "any more (a Python upgraded or removed, a deleted virtual environment), so git "
                            "could not record the change; nothing was changed", code="git.filter-stale",
                            hint=_FILTER_FIX + ", then run the command again")


def filter_failure(root: Path, said: str) -> WbcrError | None:
    """What a failed `git add` or `git commit` means when the wbcr filter stopped it, in words that name
    the fix; None when the filter had no part in it. The filter says why itself (on git's stderr, as
    `error: …` and `hint: …`: a board key not on this computer, a file under cases/ that is not a
    record); a filter that could not start says nothing, and git only that "the remote end hung up"."""
    if not any(sign in said for sign in _FILTER_SIGNS):
        return None
    lines = [line.strip() for line in said.splitlines() if line.strip()]
    errors = [line[len("error: "):] for line in lines if line.startswith("error: ")]
    hints = [line[len("hint: "):] for line in lines if line.startswith("hint: ")]
    if errors:
        return WbcrError(f"the wbcr git filter stopped git: {errors[0]}", code="git.filter",
                         hint=hints[0] if hints else _FILTER_FIX)
    command = filter_config(root).get("process") or filter_config(root).get("clean") or "?"
    reason = next((line for line in lines if not line.startswith(("fatal:", "error:", "warning:"))), "")
    return WbcrError(f"the wbcr git filter of this clone could not run (git runs `{command}`"
                     + (f", which said: {reason}" if reason else "") + ")", code="git.filter-stale",
                     hint=_FILTER_FIX + ", then run the command again")


def staged_changes(root: Path, paths: list[str]) -> bool:
    """Whether the index differs from HEAD for `paths`: whether a commit of them would record anything."""
    return _git(root, "diff", "--cached", "--quiet", "--", *paths, check=False).returncode == 1


def staged_paths(root: Path) -> list[str]:
    """Files added, copied, modified or renamed in the index, relative to `root`."""
    result = _git(root, "diff", "--cached", "--name-only", "--relative", "--diff-filter=ACMR", "-z")
    return [p for p in result.stdout.split("\0") if p]


def read_staged(root: Path, path: str) -> bytes | None:
    """The content the next commit would store for `path` (relative to `root`); None when not in the index."""
    result = subprocess.run([_exe(), "cat-file", "blob", f":./{path}"], cwd=root, capture_output=True, env=_env())
    return result.stdout if result.returncode == 0 else None


def refresh(root: Path, paths: list[str]) -> None:
    """Tell git that `paths` are unchanged when only their work-tree form changed.

    Through a clean filter a file can change on disk (opened or sealed) while git's copy stays the same;
    git then judges it modified by its size alone. Paths whose content, as git would store it, equals
    the index are staged again (which changes nothing but git's stat record); really changed ones are
    left alone.
    """
    if not paths:
        return
    changed = set(_git(root, "diff", "--name-only", "--relative", "-z", "--", *paths, check=False).stdout.split("\0"))
    same = [p for p in paths if p not in changed]
    if same:
        _git(root, "add", "--", *same, check=False)


def dirty_paths(root: Path, folder: str) -> list[str]:
    """Files under `folder` (relative to root) that differ from HEAD, staged or not, and untracked
    files there that git does not ignore: what a commit of other files would leave out."""
    changed = _git(root, "diff", "HEAD", "--name-only", "--relative", "-z", "--", folder, check=False)
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", folder, check=False)
    paths = [p for p in changed.stdout.split("\0") if p] + [p for p in untracked.stdout.split("\0") if p]
    return sorted(set(paths))


def read_head(root: Path, path: str) -> bytes | None:
    """The content HEAD stores for `path` (relative to root), as git holds it; None when absent."""
    result = subprocess.run([_exe(), "cat-file", "blob", f"HEAD:./{path}"], cwd=root, capture_output=True,
                            env=_env())
    return result.stdout if result.returncode == 0 else None


def head_holds(root: Path, text: str, folder: str) -> bool:
    """Whether any file under `folder` as HEAD stores it contains `text`."""
    result = _git(root, "grep", "-q", "-F", "-e", text, "HEAD", "--", folder, check=False)
    return result.returncode == 0


# --- rewriting a branch's history (`wbcr seal --history`): plumbing only, no work tree or index ------


def _git_bytes(root: Path, *args: str, data: bytes | None = None, env: dict | None = None) -> bytes:
    """A git command on bytes (objects hold arbitrary bytes); WbcrError when it fails."""
    result = subprocess.run([_exe(), *args], cwd=root, input=data, capture_output=True, env=_env(env))
    if result.returncode != 0:
        said = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise WbcrError(f"git {args[0]} failed: {said[-1] if said else 'no message'}", code="git")
    return result.stdout


def current_branch(root: Path) -> str | None:
    """The branch HEAD is on (`main`); None when HEAD is detached."""
    result = _git(root, "symbolic-ref", "-q", "--short", "HEAD", check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None


def resolve(root: Path, rev: str) -> str | None:
    """The commit id `rev` names; None when it names none (an unborn branch, a missing ref)."""
    result = _git(root, "rev-parse", "-q", "--verify", f"{rev}^{{commit}}", check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None


def ref_exists(root: Path, ref: str) -> bool:
    return _git(root, "show-ref", "-q", "--verify", ref, check=False).returncode == 0


def rev_list(root: Path, rev: str) -> list[str]:
    """Every commit reachable from `rev`, parents before children (`--reverse --topo-order`)."""
    return _git(root, "rev-list", "--reverse", "--topo-order", rev).stdout.split()


def repo_prefix(root: Path) -> str:
    """Where `root` is inside its repository's top folder (`""`, or `registers/ours/`)."""
    return _git(root, "rev-parse", "--show-prefix").stdout.strip()


def work_tree_clean(root: Path) -> bool:
    """Nothing staged, nothing changed and no untracked file git would add, in the whole work tree."""
    return _git(root, "status", "--porcelain", "-z", "--untracked-files=normal").stdout == ""


def commit_dates(root: Path, commits: list[str]) -> dict[str, tuple[str, str]]:
    """`{commit: (author date as YYYY-MM-DD, subject)}`."""
    if not commits:
        return {}
    out = _git(root, "show", "-s", "--no-walk=unsorted", "--format=%H%x00%ad%x00%s", "--date=short",
               *commits).stdout
    found = {}
    for line in out.splitlines():
        commit, date, subject = (line.split("\0") + ["", ""])[:3]
        found[commit] = (date, subject)
    return found


def blobs_in_history(root: Path, rev: str, *folders: str) -> list[tuple[str, str, str]]:
    """`(commit, path, blob)` for every version of every file under `folders` (relative to root; the
    paths come back from the repository's top) that a commit reachable from `rev` introduced — merges
    included, renames as additions — so every version any commit ever held is listed at least once."""
    out = _git(root, "log", "-m", "--root", "--raw", "--no-abbrev", "--no-renames", "-z", "--format=%x01%H",
               rev, "--", *folders).stdout
    found, commit, tokens = [], "", out.split("\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        if token.startswith("\x01"):
            commit = token[1:].strip()
            token = ""
        if token.startswith(":"):
            fields = token[1:].split()
            path = tokens[i + 1] if i + 1 < len(tokens) else ""
            i += 1
            if len(fields) >= 5 and fields[4] != "D" and set(fields[3]) != {"0"}:
                found.append((commit, path, fields[3]))
        i += 1
    return found


class ObjectReader:
    """Objects read from one `git cat-file --batch` process: `read(id) -> (type, bytes)`.

    A context manager; the process ends with it."""

    def __init__(self, root: Path) -> None:
        self._proc = subprocess.Popen([_exe(), "cat-file", "--batch"], cwd=root, stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env())

    def __enter__(self) -> "ObjectReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.wait()
        self._proc.stdout.close()

    def read(self, object_id: str) -> tuple[str, bytes]:
        self._proc.stdin.write(object_id.encode("ascii") + b"\n")
        self._proc.stdin.flush()
        header = self._proc.stdout.readline().decode("ascii", "replace").split()
        if len(header) != 3:
            raise WbcrError(f"git cat-file: object {object_id} is missing", code="git")
        size = int(header[2])
        data = self._proc.stdout.read(size)
        self._proc.stdout.read(1)  # the newline after the content
        return header[1], data


def write_object(root: Path, kind: str, data: bytes) -> str:
    """Store `data` as a git object of `kind` (blob, tree, commit) as it is, no filter; its id."""
    return _git_bytes(root, "hash-object", "-w", "--no-filters", "-t", kind, "--stdin", data=data).decode().strip()


def refs_containing(root: Path, commits: list[str]) -> list[str]:
    """Every ref (branches, tags, remote-tracking branches, others) that reaches any of `commits`."""
    if not commits:
        return []
    args = [f"--contains={c}" for c in commits]
    result = _git(root, "for-each-ref", "--format=%(refname)", *args, check=False)
    return sorted({line for line in result.stdout.splitlines() if line})


def update_ref(root: Path, ref: str, new: str, old: str | None, message: str) -> None:
    """Point `ref` at `new` if it still points at `old` (None: only if it does not exist yet)."""
    _git(root, "update-ref", "-m", message, ref, new, old if old is not None else "0" * 40)


def filter_of(root: Path, path: str) -> str | None:
    """The git filter that applies to `path` (relative to root) by the attributes in force, or None."""
    result = _git(root, "check-attr", "filter", "--", path, check=False)
    value = result.stdout.strip().rsplit(": ", 1)[-1] if result.returncode == 0 else ""
    return None if value in ("", "unspecified", "unset", "set") else value


def work_tree_of(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder` (an existing folder), or None: not in one, or no git."""
    if not have_git():
        return None
    result = _git(folder, "rev-parse", "--is-inside-work-tree", "--show-toplevel", check=False)
    lines = result.stdout.splitlines()
    if result.returncode != 0 or not lines or lines[0].strip() != "true" or len(lines) < 2:
        return None
    return Path(lines[1].strip())


def is_ignored(root: Path, path: Path) -> bool:
    """Whether git would leave `path` (inside the work tree at `root`) out of `git add`: ignored by a
    .gitignore or info/exclude rule, and not already tracked."""
    result = _git(root, "check-ignore", "-q", "--", str(path), check=False)
    return result.returncode == 0


def is_tracked(root: Path, path: Path) -> bool:
    """Whether `path` (inside the work tree at `root`) is in git's index."""
    return _git(root, "ls-files", "--error-unmatch", "--", str(path), check=False).returncode == 0
