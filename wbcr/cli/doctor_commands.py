"""`wbcr doctor`: is this computer (and the register, when there is one) ready for wbcr to work?

Each check is a small function of one shape — the context in, one `Check` out (its id, "ok",
"warning" or "problem", what was found and what to do) — run in the order of `CHECKS`. A problem
means an edit would be refused or something would fail (exit 1); a warning is something that works now
and will bite later, or is missing only for some work (exit 0). Nothing is changed.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Callable

import typer

from wbcr.cli import console
from wbcr.cli.app import app, options
from wbcr.cli.register_commands import ReportFormat
from wbcr.core.errors import EXIT_FINDINGS, WbcrError

OK, WARNING, PROBLEM = "ok", "warning", "problem"
#: the oldest git wbcr is known to work with (`%(trailers:only,unfold)` in `git log`: 2.22)
MIN_GIT = (2, 22)


@dataclass
class Check:
    id: str
    status: str
    message: str
    fix: str | None = None


@dataclass
class Context:
    """What the checks look at: the register (None: a machine check only) and what one check found that
    a later one needs."""

    register: object | None = None
    register_problem: Check | None = None
    git: str | None = None
    repository: bool = False
    found: dict = field(default_factory=dict)


# --- the machine -----------------------------------------------------------------------------------


def check_git(ctx: Context) -> Check:
    from wbcr.core import gitrepo  # noqa: PLC0415 - lazy: keeps --help fast

    chosen = os.environ.get(gitrepo.GIT_VARIABLE)
    found = gitrepo.git_program()
    if found is None:
        if chosen:
            return Check("git", PROBLEM, f"{gitrepo.GIT_VARIABLE} is set to {chosen!r}, which is not a program",
                         f"set {gitrepo.GIT_VARIABLE} to git's full path (e.g. C:\\Program Files\\Git\\cmd\\git.exe), "
                         "or unset it to use the git on PATH")
        return Check("git", PROBLEM, "git was not found: every change to a register in git would be refused",
                     f"install git (Git for Windows: https://git-scm.com/download/win), or set {gitrepo.GIT_VARIABLE} "
                     "to git's full path")
    version = gitrepo.git_version()
    if version is None:
        return Check("git", PROBLEM, f"{found} does not run as git (`git --version` failed)",
                     f"reinstall git, or set {gitrepo.GIT_VARIABLE} to a working git")
    ctx.git = found
    numbers = tuple(int(part) for part in version.split(".")[:2] if part.isdigit())
    if numbers < MIN_GIT:
        return Check("git", PROBLEM, f"git {version} ({found}) is older than wbcr needs "
                     f"({'.'.join(map(str, MIN_GIT))} or later)", "install a current git")
    return Check("git", OK, f"git {version} ({found}{', from ' + gitrepo.GIT_VARIABLE if chosen else ''})")


def check_identity(ctx: Context) -> Check:
    from wbcr.core import gitrepo  # noqa: PLC0415 - lazy: keeps --help fast

    if ctx.git is None:
        return Check("git.identity", PROBLEM, "not checked: no git", "see the git check")
    where = ctx.register.root if ctx.register is not None else Path.cwd()
    found = gitrepo.identity(where)
    if found is None:
        return Check("git.identity", PROBLEM, "git has no name and email to commit with, so every change would "
                     "be refused", 'run: git config --global user.name "Your Name" && '
                     "git config --global user.email you@example.org")
    return Check("git.identity", OK, f"commits are made as {found}")


def check_libreoffice(ctx: Context) -> Check:
    names = ("soffice", "libreoffice")
    found = next((shutil.which(name) for name in names if shutil.which(name)), None)
    if found is None and os.name == "nt":
        for base in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)")):
            candidate = Path(base or "") / "LibreOffice" / "program" / "soffice.exe"
            if base and candidate.is_file():
                found = str(candidate)
                break
    if found is None:
        return Check("libreoffice", WARNING, "LibreOffice was not found: the forms and letters wbcr writes open "
                     "in Word too; without either, this computer cannot open or fill them in",
                     "install LibreOffice (https://www.libreoffice.org) where there is no Word")
    return Check("libreoffice", OK, f"LibreOffice: {found}")


# --- the register ----------------------------------------------------------------------------------


def check_register(ctx: Context) -> Check:
    if ctx.register_problem is not None:
        return ctx.register_problem
    if ctx.register is None:
        return Check("register", OK, "no register here: the computer only was checked (run `wbcr doctor` in "
                     "a register, or with --register PATH, to check one)")
    return Check("register", OK, f"the register at {ctx.register.root}")


def check_repository(ctx: Context) -> Check | None:
    from wbcr.core import gitrepo  # noqa: PLC0415 - lazy: keeps --help fast

    if ctx.register is None:
        return None
    root = ctx.register.root
    top = gitrepo.repository_top(root)
    if top is None:
        return Check("git.repository", WARNING, "the register is not a git repository: changes are written "
                     "without an audit trail (as `wbcr init --no-git` makes it)",
                     "to keep a history from now on: `git init`, `git add -A` and `git commit` in the register")
    try:
        gitrepo.is_repo(root)
        ctx.repository = True  # git works there: the checks of its settings can run
        gitrepo.ensure_can_commit(root)
    except WbcrError as exc:
        return Check("git.repository", PROBLEM, exc.message.removesuffix("; nothing was changed"), exc.hint)
    return Check("git.repository", OK, f"git works in {top} and can commit there")


def check_filter(ctx: Context) -> Check | None:
    """The wbcr filter: configured where the register routes case records through it, and runnable."""
    from wbcr.core import gitrepo  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.security.passwords import fingerprint_of  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.security.sealing import FILTER_COMMAND_VARIABLE  # noqa: PLC0415 - lazy: keeps --help fast

    if ctx.register is None or not ctx.repository:
        return None
    root = ctx.register.root
    routed = gitrepo.filtered_paths(root, ["cases/X/people.yaml"])
    config = gitrepo.filter_config(root)
    if not routed:
        if fingerprint_of(ctx.register.config):
            return Check("filter", WARNING, ".gitattributes does not send case records through the wbcr filter",
                         "run `wbcr key filters` (it adds the lines and sets the filter up)")
        return Check("filter", OK, "no board key and no filter: case records are not sealed by git")
    command = config.get("process") or config.get("clean")
    if not command:
        return Check("filter", PROBLEM, "case records go through the wbcr filter (.gitattributes), but it is not "
                     "configured in this clone: git add of a case record fails", "run `wbcr key filters`")
    prefix = command.removesuffix(" filter process").removesuffix(" filter clean %f")
    program = gitrepo.program_of(prefix)
    if program is None:
        return Check("filter", PROBLEM, f"the filter runs `{command}`, and that program is not there any more",
                     "run `wbcr key filters` (it sets the filter to run `wbcr` as found on PATH)")
    try:
        ran = subprocess.run([*shlex.split(prefix), "--version"], capture_output=True, text=True,
                             encoding="utf-8", errors="replace", timeout=120, cwd=root)
        said = (ran.stdout.strip() or ran.stderr.strip()).splitlines()
    except (OSError, subprocess.SubprocessError) as exc:
        ran, said = None, [str(exc)]
    if ran is None or ran.returncode != 0 or not said or not said[0].startswith("wbcr "):
        return Check("filter", PROBLEM, f"the filter runs `{command}`, which does not start wbcr"
                     + (f" (it said: {said[-1]})" if said else ""),
                     "run `wbcr key filters` (it sets the filter to run `wbcr` as found on PATH)")
    words = shlex.split(prefix)
    if os.environ.get(FILTER_COMMAND_VARIABLE) is None and Path(words[0]).name.lower().startswith("python"):
        return Check("filter", WARNING, f"the filter runs this Python by its path ({prefix}): a Python upgrade "
                     "or a new virtual environment will break every git add of a case record",
                     f"put wbcr on PATH (or set {FILTER_COMMAND_VARIABLE}), then run `wbcr key filters`")
    return Check("filter", OK, f"the filter runs `{prefix}` ({said[0]}, {program})")


def check_key(ctx: Context) -> Check | None:
    from wbcr.security.passwords import fingerprint_of, load_board_key, scheme_of  # noqa: PLC0415 - lazy

    if ctx.register is None:
        return None
    if scheme_of(ctx.register.config) == "literal":
        return Check("key", WARNING, "the register uses the literal password scheme: anyone who knows a reference "
                     "knows its password", "set passwords.scheme: keyed in wbcr.yaml (and `wbcr key init`)")
    if not fingerprint_of(ctx.register.config):
        return Check("key", WARNING, "the register has no board key: documents cannot be password-protected and "
                     "records cannot be sealed", "run `wbcr key init` (or `wbcr key import` the board's key)")
    try:
        key = load_board_key(ctx.register)
    except WbcrError as exc:
        return Check("key", PROBLEM, exc.message, exc.hint)
    where = key.source
    private = "" if where == "WBCR_BOARD_KEY" or os.name == "nt" else ", readable by you only (0600)"
    return Check("key", OK, f"board key {key.fingerprint} from {where}{private}")


def check_line_endings(ctx: Context) -> Check | None:
    from wbcr.core import gitrepo  # noqa: PLC0415 - lazy: keeps --help fast

    if ctx.register is None:
        return None
    attributes = ctx.register.root / ".gitattributes"
    lines = attributes.read_text(encoding="utf-8", errors="replace").splitlines() if attributes.is_file() else []
    pinned = any(line.split() == ["*.yaml", "text", "eol=lf"] for line in lines)
    autocrlf = gitrepo.config_in_force(ctx.register.root, "core.autocrlf") if ctx.repository else None
    if not pinned:
        return Check("line-endings", WARNING, ".gitattributes does not pin case records to LF line endings"
                     + (f" (core.autocrlf is {autocrlf})" if autocrlf else "")
                     + ": a Windows checkout can turn a small edit into a whole-file diff",
                     "add the line `*.yaml text eol=lf` to .gitattributes and commit it (wbcr init writes it)")
    return Check("line-endings", OK, "case records are kept with LF line endings (.gitattributes: *.yaml text "
                 f"eol=lf{'; core.autocrlf ' + autocrlf if autocrlf else ''})")


CHECKS: list[Callable[[Context], Check | None]] = [
    check_git, check_identity, check_libreoffice, check_register, check_repository, check_filter, check_key,
    check_line_endings,
]


def run_checks(ctx: Context) -> list[Check]:
    return [found for check in CHECKS if (found := check(ctx)) is not None]


def _context() -> Context:
    from wbcr.model.register import open_register  # noqa: PLC0415 - lazy: keeps --help fast

    explicit = options.register or os.environ.get("WBCR_REGISTER")
    try:
        return Context(register=open_register(options.register, validated=False))
    except WbcrError as exc:
        if explicit or (Path.cwd() / "wbcr.yaml").exists():
            return Context(register_problem=Check("register", PROBLEM, exc.message, exc.hint))
        return Context()


@app.command()
def doctor(
    fmt: Annotated[ReportFormat, typer.Option("--format", help="text or json.")] = ReportFormat.text,
) -> None:
    """Check this computer and the register for what wbcr needs: git (its version, your name and email,
    a repository git accepts), the git filter that seals case records, the board key (present, private),
    LibreOffice for the forms, line endings. Each check says what to do; nothing is changed.

    Exit 0 when nothing is a problem (warnings allowed), 1 when something is.

    Example: wbcr doctor
    """
    checks = run_checks(_context())
    failed = any(c.status == PROBLEM for c in checks)
    if fmt is ReportFormat.json:
        console.print_json({"ok": not failed, "checks": [asdict(c) for c in checks]})
    else:
        for c in checks:
            console.print_line(f"{c.status:<8} {c.id}: {c.message}")
            if c.fix and c.status != OK:
                console.print_line(f"{'':<8} what to do: {c.fix}")
        console.print_line("all fine" if not any(c.status != OK for c in checks) else
                           "problems found: see what to do above" if failed else "no problem (see the warnings)")
    if failed:
        raise typer.Exit(EXIT_FINDINGS)

