"""Commands on passwords, keys, protected documents and sealed records: password, protect, unprotect,
seal, unseal, check-sealed, key, filter."""

from __future__ import annotations

import os
import sys
import warnings
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from wbcr.cli import console
from wbcr.cli.app import app, open_register, today
from wbcr.cli.refs import REF_ARGUMENT
from wbcr.core.errors import EXIT_FINDINGS, UsageError, WbcrError
from wbcr.core import gitrepo

key_app = typer.Typer(help="The board key: create, export, import, fingerprint, git filters.", no_args_is_help=True)
filter_app = typer.Typer(help="The git filter that seals case records on their way into git (run by git).",
                         no_args_is_help=True)
app.add_typer(key_app, name="key")
app.add_typer(filter_app, name="filter")


# Core modules warn (a `LiteralSchemeWarning` on every use of the literal password scheme, the store's
# notices); the console prints those warnings as wbcr's own, for every command, documents included.
_show_warning = warnings.showwarning


def _print_wbcr_warning(message, category, filename, lineno, file=None, line=None):
    # LiteralSchemeWarning; the store's notices (waiting for the register lock, a killed command undone)
    if category.__name__ == "LiteralSchemeWarning" or getattr(category, "wbcr_notice", False):
        console.print_warning(str(message))
    else:
        _show_warning(message, category, filename, lineno, file, line)


warnings.showwarning = _print_wbcr_warning


PASSWORD_HELP = ("The case password itself instead of deriving it from the board key; `-` reads it from "
                 "standard input (keeps it out of the process list).")


def _given_password(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    from wbcr.security.passwords import normalise_password  # noqa: PLC0415 - lazy: keeps --help fast

    if value == "-":
        if sys.stdin.isatty():
            import getpass

            value = getpass.getpass("Case password: ", stream=sys.stderr)
        else:
            value = sys.stdin.readline()
    value = normalise_password(value)
    if not value:
        raise UsageError("the password given is empty")
    return value


def _password(register, reference: str, given: Optional[str]) -> str:
    from wbcr.security.passwords import case_password  # noqa: PLC0415 - lazy: keeps --help fast

    return given if given is not None else case_password(register, reference)


# --- passwords and documents -----------------------------------------------------------------------


@app.command()
def password(
    reference: Annotated[str, typer.Argument(help="The case reference, e.g. WBCR-2026-004.", metavar="REF", **REF_ARGUMENT)],
) -> None:
    """Print a case's password, to phone through once per case (derived from the board key).

    Example: wbcr password WBCR-2026-004
    """
    from wbcr.security.passwords import case_password  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.security.sealing import case_folder  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register(validated=False)
    case_folder(register, reference)
    console.print_line(case_password(register, reference))


def _read_document(path: Path) -> bytes:
    from wbcr.security.protection import MAX_DOCUMENT_BYTES  # noqa: PLC0415 - lazy: keeps --help fast

    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise WbcrError(f"larger than {MAX_DOCUMENT_BYTES // 1048576} MB", path=str(path), code="protection")
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, not a document") from None
    except OSError as exc:
        raise WbcrError(f"cannot read the file: {exc.strerror}", path=str(path)) from None


def _document_password(case: Optional[str], given: Optional[str]) -> tuple[str, str]:
    """(password, what it is) for protect/unprotect."""
    given = _given_password(given)
    if given is not None:
        return given, "the password given"
    if not case:
        raise UsageError("say which case the document belongs to: --case REF (or give --password)")
    from wbcr.security.sealing import case_folder  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register(validated=False)
    case_folder(register, case)
    return _password(register, case, None), f"the case password of {case}"


def _write_document(source: Path, out: Optional[Path], data: bytes, *, export: bool = False) -> Path:
    """Write the document over `source` or to `out`. `export` (a document without its password): written
    as every export is, readable by its owner only and refused where git would commit it (`write_export`)."""
    from wbcr.core.yamlio import atomic_write  # noqa: PLC0415 - lazy: keeps --help fast

    target = out or source
    if export:
        from wbcr.core.exports import write_export  # noqa: PLC0415 - lazy: keeps --help fast

        write_export(target, data)
        return target
    try:
        atomic_write(target, data)
    except OSError as exc:
        raise WbcrError(f"cannot write the file: {exc.strerror}; nothing was changed", path=str(target)) from None
    return target


@app.command()
def protect(
    file: Annotated[Path, typer.Argument(help="A .docx, .xlsx or .pptx written elsewhere.", metavar="FILE")],
    case: Annotated[Optional[str], typer.Option("--case", **REF_ARGUMENT, help="The case it belongs to (its password is used).",
                                                metavar="REF")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write here instead of replacing FILE.",
                                                metavar="PATH")] = None,
    password_: Annotated[Optional[str], typer.Option("--password", help=PASSWORD_HELP, metavar="TEXT")] = None,
) -> None:
    """Password-protect an Office document with the case password (the encryption Word opens).

    The file is replaced only after the encrypted copy has been decrypted again and matched.

    Example: wbcr protect output/WBCR-2026-004-minutes.docx --case WBCR-2026-004
    """
    from wbcr.security.protection import protect_bytes  # noqa: PLC0415 - lazy: keeps --help fast

    secret, what = _document_password(case, password_)
    plain = _read_document(file)
    try:
        data = protect_bytes(plain, secret)
    except WbcrError as exc:
        exc.path = exc.path or str(file)
        raise
    target = _write_document(file, out, data)
    console.print_line(str(target))
    console.print_note(f"protected with {what}; checked by decrypting it again")


@app.command()
def unprotect(
    file: Annotated[Path, typer.Argument(help="A password-protected Office document.", metavar="FILE")],
    case: Annotated[Optional[str], typer.Option("--case", **REF_ARGUMENT, help="The case it belongs to (its password is used).",
                                                metavar="REF")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write here instead of replacing FILE.",
                                                metavar="PATH")] = None,
    password_: Annotated[Optional[str], typer.Option("--password", help=PASSWORD_HELP, metavar="TEXT")] = None,
) -> None:
    """Remove the password from a protected Office document (wrong password: exit 3, nothing written).

    Example: wbcr unprotect returned/tvp-report.docx --case WBCR-2026-004 --out tvp-report-open.docx
    """
    from wbcr.security.protection import unprotect_bytes  # noqa: PLC0415 - lazy: keeps --help fast

    secret, _what = _document_password(case, password_)
    data = _read_document(file)
    try:
        plain = unprotect_bytes(data, secret)
    except WbcrError as exc:
        exc.path = exc.path or str(file)
        raise
    target = _write_document(file, out, plain, export=True)
    console.print_line(str(target))


# --- sealed records --------------------------------------------------------------------------------


def _chosen_cases(register, references: Optional[list[str]], every: bool, given: Optional[str]) -> list[str]:
    refs = list(references or [])
    if every:
        if refs:
            raise UsageError("give case references or --all, not both")
        refs = [folder.name for folder in register.iter_case_dirs()]
    if not refs:
        raise UsageError("name the case(s), or --all", hint="wbcr seal WBCR-2026-004")
    if given is not None and len(refs) > 1:
        raise UsageError("a case password opens one case: give one reference with --password")
    return refs


@app.command()
def seal(
    references: Annotated[Optional[list[str]], typer.Argument(help="Cases to seal.", metavar="[REF]...", **REF_ARGUMENT)] = None,
    every: Annotated[bool, typer.Option("--all", help="Every case in the register.")] = False,
    password_: Annotated[Optional[str], typer.Option("--password", help=PASSWORD_HELP, metavar="TEXT")] = None,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="Write the files but do not commit them.")] = False,
    history: Annotated[bool, typer.Option("--history", help="Also take the case's plain values out of every "
                                                            "earlier commit of the current branch: rewrites its "
                                                            "history (says what, and asks first).")] = False,
    yes_rewrite: Annotated[bool, typer.Option("--yes-rewrite-history", help="Confirm --history's rewrite without "
                                                                            "a question (scripts).")] = False,
) -> None:
    """Seal a case's sensitive values in place (names, dates of birth, narratives); commit the files.

    Structure, stages, dates and agencies stay readable, so `validate` and `status` need no key. With
    --history, the branch's earlier commits are rewritten too, after a statement of what that means for
    every clone and remote.

    Example: wbcr seal WBCR-2026-004 (then, if it says so: wbcr seal --history WBCR-2026-004)
    """
    from wbcr.operations.history import plain_history, prepare_history_seal, require_rewritable  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.operations.sealing import seal_case  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.security.sealing import CaseSeal, case_folder  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.store.lock import register_lock  # noqa: PLC0415 - lazy: keeps --help fast

    if yes_rewrite and not history:
        raise UsageError("--yes-rewrite-history confirms --history; give both")
    if history and no_commit:
        raise UsageError("--history needs the seal committed first; leave out --no-commit")
    register = open_register(validated=False)
    given = _given_password(password_)  # asked before the lock: nobody waits while someone types
    seals: dict[str, CaseSeal] = {}
    with register_lock(register.root):  # from the first read to the last commit
        chosen = _chosen_cases(register, references, every, given)
        if history:
            require_rewritable(register.root)  # before anything is sealed
        for reference in chosen:
            case_folder(register, reference)
            case_seal = seals[reference] = CaseSeal.from_password(reference, _password(register, reference, given))
            result = seal_case(register, reference, case_seal, password_given=given is not None,
                               commit=not no_commit, actor=gitrepo.actor(register.root), today=today())
            if result.values:
                done = f"sealed {result.values} value(s) in {len(result.files)} file(s)"
            elif result.committed:
                done = f"already sealed in the work tree; the seal's commit was missing, now made ({len(result.files)} file(s))"
            else:
                done = "already sealed"
            if result.committed:
                done += f"; committed {result.committed[:10]}"
            console.print_line(f"{reference}: {done}")
        plan = prepare_history_seal(register, seals) if history else None
        earlier = {} if history else plain_history(register, chosen)
    from wbcr.security.sealing import filters_installed  # noqa: PLC0415 - lazy: keeps --help fast

    if gitrepo.is_repo(register.root) and not filters_installed(register.root):
        console.print_warning("the wbcr git filter is not installed in this clone: values that commands record "
                              "later would be committed in plain text; run `wbcr key filters`")
    for reference, commits in earlier.items():
        console.print_warning(_plain_history_warning(register, reference, commits))
    if plan is not None:
        _rewrite_history(register, plan, yes_rewrite)


def _plain_history_warning(register, reference: str, commits: list[str]) -> str:
    date, subject = gitrepo.commit_dates(register.root, commits[:1]).get(commits[0], ("", ""))
    branch = gitrepo.current_branch(register.root) or "HEAD"
    return (f"{reference}: {len(commits)} earlier commit(s) of branch {branch} hold plain values of the case (the "
            f"first {commits[0][:10]}, {date}: \"{subject}\"); they stay in git's history, and in every clone and "
            f"remote that has it, until it is rewritten: `wbcr seal --history {reference}` says what that "
            "rewrites and asks first")


def _rewrite_history(register, plan, confirmed: bool) -> None:
    from wbcr.operations.history import apply_history_seal, format_history_statement  # noqa: PLC0415 - lazy: keeps --help fast

    cases = " ".join(plan.references)
    if not plan.rewritten:
        console.print_line(f"{cases}: no earlier commit of branch {plan.branch} holds a plain value of the case; "
                           "nothing to rewrite")
        return
    for line in format_history_statement(plan):
        console.print_note(line)
    if not confirmed:
        if not sys.stdin.isatty():
            raise UsageError("the history was not rewritten: confirm it with --yes-rewrite-history, or run the "
                             "command in a terminal to be asked", hint=f"wbcr seal --history {cases} "
                             "--yes-rewrite-history")
        if not typer.confirm(f"Rewrite {len(plan.rewritten)} commit(s) of branch {plan.branch}?", default=False,
                             err=True):
            raise UsageError("the history was not rewritten (not confirmed)")
    apply_history_seal(register, plan)
    console.print_line(f"{cases}: history sealed: {len(plan.rewritten)} commit(s) of branch {plan.branch} "
                       f"rewritten, now at {plan.new_tip[:10]}; the old branch is {plan.backup}")
    console.print_note(f"now: git push --force-with-lease origin {plan.branch}; every other clone cloned again; "
                       f"then git update-ref -d {plan.backup} && git reflog expire --expire=now --all && "
                       "git gc --prune=now")


@app.command()
def unseal(
    references: Annotated[Optional[list[str]], typer.Argument(help="Cases to open.", metavar="[REF]...", **REF_ARGUMENT)] = None,
    every: Annotated[bool, typer.Option("--all", help="Every case in the register.")] = False,
    password_: Annotated[Optional[str], typer.Option("--password", help=PASSWORD_HELP, metavar="TEXT")] = None,
) -> None:
    """Open a case's sealed values in the working tree, to read and edit it as plain YAML.

    Never commits. With the wbcr git filter installed (`wbcr key filters`) git goes on storing the values
    sealed; without it, seal the case again before committing.

    Example: wbcr unseal WBCR-2026-004
    """
    from wbcr.operations.sealing import unseal_case  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.security.sealing import CaseSeal, case_folder, filters_installed, refresh_work_tree  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.store.lock import register_lock  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register(validated=False)
    given = _given_password(password_)  # asked before the lock: nobody waits while someone types
    opened: list[str] = []
    with register_lock(register.root):  # from the first read to telling git what changed
        for reference in _chosen_cases(register, references, every, given):
            case_folder(register, reference)
            case_seal = CaseSeal.from_password(reference, _password(register, reference, given))
            result = unseal_case(register, reference, case_seal, refresh=False)
            opened += result.files
            done = f"opened {result.values} value(s) in {len(result.files)} file(s)" if result.values else "nothing sealed"
            console.print_line(f"{reference}: {done}")
        refresh_work_tree(register, opened)
    if opened and not filters_installed(register.root):
        console.print_warning("the wbcr git filter is not installed in this clone: the plain text would be committed "
                              "as it is; run `wbcr key filters`, or `wbcr seal` the case before committing")


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


@app.command("check-sealed")
def check_sealed(
    files: Annotated[Optional[list[Path]], typer.Argument(help="Case record files (default: every case record, "
                                                                "or with --staged every staged one).",
                                                           metavar="[FILE]...")] = None,
    staged: Annotated[bool, typer.Option("--staged", help="Check what the next commit would store (the "
                                                          "pre-commit hook).")] = False,
    always: Annotated[bool, typer.Option("--always", help="Check even if wbcr.yaml does not set "
                                                          "passwords.seal_records.")] = False,
    fmt: Annotated[CheckFormat, typer.Option("--format", help=(
        "text, json, github (annotations), or junit (JUnit XML for GitLab and Azure DevOps: a test suite "
        "per case folder, a failure per sensitive value not sealed)."))] = CheckFormat.text,
) -> None:
    """Refuse sensitive values in plain text (exit 1): the pre-commit hook and CI check of a sealed register.

    Needs no key. Does nothing unless wbcr.yaml sets `passwords.seal_records: true` (or --always).

    Example: wbcr check-sealed --staged
    """
    from wbcr.security.passwords import seal_required  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.security.sealing import check_sealed as run_check  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register(validated=False)
    if not (always or seal_required(register.config)):
        console.print_note("wbcr.yaml does not set passwords.seal_records: true; nothing to check")
        if fmt is CheckFormat.junit:  # a report all the same, for the CI server that expects one
            from wbcr.cli import junit  # noqa: PLC0415 - lazy: keeps --help fast

            junit.print_junit(junit.findings_suites([], 0, "wbcr.yaml does not set passwords.seal_records"),
                              "wbcr check-sealed")
        return
    relpaths = None
    if files:
        relpaths = []
        for file in files:
            try:
                relpaths.append(file.resolve().relative_to(register.root).as_posix())
            except ValueError:
                raise UsageError(f"{file}: not inside the register {register.root}") from None
    findings, checked = run_check(register, relpaths, staged=staged)
    if not staged and relpaths is None:  # the files as CI sees them: and the branch's history behind them
        from wbcr.operations.history import plain_history  # noqa: PLC0415 - lazy: keeps --help fast

        for reference, commits in plain_history(register).items():
            console.print_warning(_plain_history_warning(register, reference, commits))
    if fmt is CheckFormat.json:
        console.print_json({"ok": not findings, "files": checked, "findings": [f.as_dict() for f in findings]})
    elif fmt is CheckFormat.junit:
        from wbcr.cli import junit  # noqa: PLC0415 - lazy: keeps --help fast

        junit.print_junit(junit.findings_suites(findings, checked, "every sensitive value is sealed"),
                          "wbcr check-sealed")
    else:
        console.print_findings(findings, fmt.value)
        if fmt is CheckFormat.text:
            console.print_note(f"{checked} file(s) checked: {len(findings)} sensitive value(s) not sealed"
                               if findings else f"{checked} file(s) checked: every sensitive value is sealed")
    if findings:
        raise typer.Exit(EXIT_FINDINGS)


# --- the board key ---------------------------------------------------------------------------------


def _report_setup(setup, verb: str) -> None:
    console.print_line(setup.fingerprint)
    if setup.key_file:
        console.print_note(f"board key {verb}: {setup.key_file} (readable by you only)")
    if setup.committed:
        console.print_note(f"recorded in {', '.join(setup.changed)}; committed {setup.committed[:10]}")
    elif setup.changed:
        console.print_note(f"recorded in {', '.join(setup.changed)}")
    if setup.filters:
        console.print_note("git filter installed in this clone: case records are sealed on their way into git")
        _report_filter_program()


def _report_filter_program() -> None:
    """Say what the filter runs when it is tied to this Python (wbcr not on PATH): it breaks on upgrade."""
    from wbcr.security.sealing import FILTER_COMMAND_VARIABLE, filter_program  # noqa: PLC0415 - lazy: keeps --help fast

    program, lasting = filter_program()
    if not lasting:
        console.print_warning(f"`wbcr` is not on PATH, so the git filter runs this Python by its path ({program}): "
                              "after a Python upgrade or a new virtual environment, git add of case records "
                              "fails until you run `wbcr key filters` again; put wbcr's folder on PATH (or set "
                              f"{FILTER_COMMAND_VARIABLE} to the command that starts wbcr) and run it now")


@key_app.command("init")
def key_init() -> None:
    """Create the register's board key (for a register that has none), record its fingerprint in
    wbcr.yaml, commit, and install the git filter. `wbcr init` does this for a new register.

    Example: wbcr key init
    """
    from wbcr.operations.setup import adopt_key  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.security.passwords import fingerprint_of, generate_key, key_from_environment  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register(validated=False)
    recorded = fingerprint_of(register.config)
    if recorded:
        raise UsageError(f"this register already has a board key (fingerprint {recorded})",
                         hint="to use it on this computer: `wbcr key import` the text `wbcr key export` printed")
    key = key_from_environment() or generate_key()
    actor = gitrepo.actor(register.root)
    # as `wbcr init` does for a new register: case records are sealed on their way into git, a policy
    # written with the key's fingerprint in one write and one commit (never a key without the policy)
    setup = adopt_key(register, key, action="key-init", actor=actor, seal_records=True)
    _report_setup(setup, "created")
    if setup.sealing_required:
        console.print_note("wbcr.yaml now requires sealed case records (passwords.seal_records: true)")
    if any(True for _ in register.iter_case_dirs()):
        console.print_note("the register's cases were recorded before: seal them now with `wbcr seal --all` "
                           "(their earlier commits keep the plain values)")
    console.print_note("back it up, and pass it to other business managers, with `wbcr key export`")


@key_app.command("export")
def key_export(
    out: Annotated[Optional[Path], typer.Option("--out", help="Write it to this file (owner-only, UTF-8) "
                                                "instead of printing it.", metavar="FILE")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Print the board key's text form (or write it to a file with --out), to pass to another business
    manager by a secure channel.

    Example: wbcr key export --out E:\\board-key.txt   (an encrypted USB stick)
    """
    from wbcr.security.passwords import format_key, load_board_key  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register(validated=False)
    key = load_board_key(register)
    console.print_warning("this is the board key: whoever holds it can open every case of this register. "
                          "Pass it only by a secure channel, never by e-mail or in the repository.")
    if out is None:
        console.print_line(format_key(key.secret))
        return
    from wbcr.core.yamlio import atomic_write  # noqa: PLC0415 - lazy: keeps --help fast

    target = Path(os.path.abspath(out))
    inside = gitrepo.repository_top(register.root)
    for folder in (register.root.resolve(), inside.resolve() if inside else None):
        if folder is not None and (target == folder or folder in target.parents):
            raise UsageError(f"{out}: inside the register's folder, where the key must never be: nothing was written",
                             hint="write it to the encrypted stick or folder you pass it on, outside the register")
    if target.exists() and not force:
        raise UsageError(f"{out} exists; nothing was written", hint="choose another name, or add --force to replace it")
    try:
        # plain UTF-8 without a byte-order mark, one line: what `wbcr key import` reads on any system
        atomic_write(target, (format_key(key.secret) + "\n").encode("ascii"), mode=0o600)
    except IsADirectoryError:
        raise UsageError(f"{out} is a folder: give a file name") from None
    except OSError as exc:
        raise WbcrError(f"cannot write the key file: {exc.strerror}; nothing was written", path=str(out)) from None
    console.print_note(f"board key written to {out} (readable by you only); `wbcr key import {out}` reads it")


@key_app.command("import")
def key_import(
    source: Annotated[str, typer.Argument(help="A file holding the text `wbcr key export` printed; - (the "
                                               "default) reads standard input.", metavar="FILE")] = "-",
) -> None:
    """Store the register's board key on this computer (owner-only) and install the git filter.

    The key is read from a file or standard input, never from the command line.

    Example: wbcr key import < /media/encrypted-usb/board-key.txt
    """
    from wbcr.operations.setup import adopt_key  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.security.passwords import BoardKey, decode_key_text, parse_key  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register(validated=False)
    if source == "-":
        if sys.stdin.isatty():
            import getpass

            text = getpass.getpass("Board key (as `wbcr key export` printed it): ", stream=sys.stderr)
        else:
            stream = getattr(sys.stdin, "buffer", None)
            text = decode_key_text(stream.read(8192)) if stream is not None else sys.stdin.read(4096)
        where = "standard input"
    else:
        try:
            with open(source, "rb") as fh:  # UTF-8 with or without BOM, or UTF-16 (PowerShell 5.1's `>`)
                text = decode_key_text(fh.read(8192))
        except OSError as exc:
            raise WbcrError(f"cannot read the key file: {exc.strerror}", path=source) from None
        where = source
    key = BoardKey(parse_key(text, where), where)
    setup = adopt_key(register, key, action="key-import", actor=gitrepo.actor(register.root))
    _report_setup(setup, "stored")
    console.print_note("to read sealed cases here as plain YAML: `wbcr unseal --all`")


@key_app.command("fingerprint")
def key_fingerprint() -> None:
    """Print the fingerprint of the board key in use, after checking it is this register's.

    Example: wbcr key fingerprint
    """
    from wbcr.security.passwords import load_board_key  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register(validated=False)
    key = load_board_key(register)
    console.print_line(key.fingerprint)
    console.print_note(f"from {key.source}")


@key_app.command("filters")
def key_filters() -> None:
    """Install the git filter in this clone (and the .gitattributes lines if missing), where the key is.

    The filter runs `wbcr` as found on PATH when git runs it (so a Python upgrade does not break it), or
    the command in WBCR_FILTER_COMMAND. Run it again after moving wbcr; `wbcr doctor` checks it.

    Example: git clone …/register && cd register && wbcr key filters && wbcr unseal --all
    """
    from wbcr.operations.setup import adopt_key  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.security.passwords import load_board_key  # noqa: PLC0415 - lazy: keeps --help fast

    register = open_register(validated=False)
    if not gitrepo.is_repo(register.root):
        raise UsageError("the register is not a git repository; there is nothing to filter")
    setup = adopt_key(register, load_board_key(register), action="key-filters", actor=gitrepo.actor(register.root))
    _report_setup(setup, "found")


# --- the git filter --------------------------------------------------------------------------------


class FilterSide(str, Enum):
    clean = "clean"
    smudge = "smudge"


def _run_filter(side: FilterSide, path: str) -> None:
    from wbcr.security.sealing import GitFilter  # noqa: PLC0415 - lazy: keeps --help fast

    data = sys.stdin.buffer.read()
    git_filter = GitFilter(cwd=Path.cwd())
    result = git_filter.clean(path, data) if side is FilterSide.clean else git_filter.smudge(path, data)
    for note in git_filter.notes:
        console.print_warning(note)
    sys.stdout.buffer.write(result)
    sys.stdout.buffer.flush()


@filter_app.command("clean")
def filter_clean(path: Annotated[str, typer.Argument(help="The file's path in the work tree (git's %f).", metavar="PATH")]) -> None:
    """Standard input to standard output with every sensitive value sealed (fails rather than let plain text
    through when there is no key)."""
    _run_filter(FilterSide.clean, path)


@filter_app.command("smudge")
def filter_smudge(path: Annotated[str, typer.Argument(help="The file's path in the work tree (git's %f).", metavar="PATH")]) -> None:
    """Standard input to standard output with sealed values opened (left sealed when there is no key)."""
    _run_filter(FilterSide.smudge, path)


@filter_app.command("process")
def filter_process() -> None:
    """Serve git's long-running filter protocol (filter.wbcr.process): one process per git command."""
    from wbcr.security.sealing import GitFilter, run_filter_process  # noqa: PLC0415 - lazy: keeps --help fast

    run_filter_process(GitFilter(cwd=Path.cwd()), sys.stdin.buffer, sys.stdout.buffer, console.print_error)
