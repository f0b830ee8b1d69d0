"""Setting a register up: creating one (`wbcr init`, from the starting wbcr.yaml of its framework) and
giving it its board key (`wbcr key init`, `wbcr key import`), through the store's transaction and lock."""

from __future__ import annotations

import re

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from wbcr.core import gitrepo
from wbcr.core.errors import UsageError, WbcrError
from wbcr.core.resources import case_templates_dir
from wbcr.core.yamlio import atomic_write
from wbcr.model.register import CONFIG_NAME, load_config
from wbcr.security.passwords import (BoardKey, BoardKeyError, fingerprint_of, generate_key, key_from_environment,
                                     key_path, password_settings_text, seal_required, set_password_settings,
                                     store_key)
from wbcr.security.sealing import ensure_gitattributes, gitattributes_text, install_filters
from wbcr.store.lock import register_lock
from wbcr.store.transaction import Transaction


@dataclass
class KeySetup:
    """What giving a register its key did (for the command to report and to undo on failure)."""

    fingerprint: str
    key_file: Path | None = None          # where the key is stored (None: it came from WBCR_BOARD_KEY)
    key_file_created: bool = False
    changed: list[str] = field(default_factory=list)   # register files written, relative to the root
    filters: bool = False                 # the wbcr git filter is configured in this clone
    sealing_required: bool = False        # `passwords.seal_records: true` written by this setup
    committed: str | None = None


def _store(key: BoardKey, setup: KeySetup) -> None:
    if key.source == "WBCR_BOARD_KEY":
        return
    path = key_path(key.fingerprint)
    setup.key_file_created = not path.exists()
    setup.key_file = store_key(key)


#: The fingerprints of the DEMO board key of the example registers (examples/DEMO-board-key.txt): it is
#: published, so a register holding it protects nothing. Someone who tried the examples may still have
#: it in WBCR_BOARD_KEY when they create their own register.
DEMO_KEY_FINGERPRINTS = frozenset({"9dab3a1ee882ce1a"})


def key_for_new_register() -> BoardKey:
    """The board key `wbcr init` gives a new register: a new one, or the one in `WBCR_BOARD_KEY` (a
    register set up by a script or CI with its key); never the public DEMO key of the examples."""
    key = key_from_environment()
    if key is None:
        return generate_key()
    if key.fingerprint in DEMO_KEY_FINGERPRINTS:
        raise BoardKeyError("WBCR_BOARD_KEY holds the DEMO key of the example registers, which is published: "
                            "a register with it protects nothing; nothing was created",
                            hint="`unset WBCR_BOARD_KEY` and run `wbcr init` again: it creates a key of the "
                                 "register's own")
    return key


def setup_new_register(root: Path, *, seal_records: bool = True, key: BoardKey | None = None) -> KeySetup:
    """For `wbcr init`: a new board key (or `WBCR_BOARD_KEY`, see `key_for_new_register`) stored
    outside the register, its fingerprint and `seal_records` recorded in wbcr.yaml, `.gitattributes`
    routing case records through the wbcr filter. Git is left to the caller (filters with
    `install_filters` once the repo exists)."""

    key = key or key_for_new_register()
    setup = KeySetup(key.fingerprint)
    _store(key, setup)
    set_password_settings(root, key_fingerprint=key.fingerprint, seal_records=seal_records)
    setup.changed.append("wbcr.yaml")
    if ensure_gitattributes(root):
        setup.changed.append(".gitattributes")
    return setup


def adopt_key(register, key: BoardKey, *, action: str, actor: str, seal_records: bool = False) -> KeySetup:
    """Give an existing register `key` (`wbcr key init` / `wbcr key import`): store it, record its
    fingerprint if the register has none, add the `.gitattributes` lines, commit those files (through
    the store's transaction, under the register lock), and configure the git filter in this clone. A
    register with another key's fingerprint refuses it. On any failure the register and the key folder
    are left as they were.

    `seal_records` (`wbcr key init`, as `wbcr init` does for a new register): `passwords.seal_records:
    true` is written into wbcr.yaml in the same write and the same commit as the fingerprint, so the
    register never has a commit with a key and no sealing policy (`setup.sealing_required` says whether
    it changed)."""

    root = register.root
    recorded = fingerprint_of(register.config)
    if recorded is not None and recorded != key.fingerprint:
        raise BoardKeyError(f"this key (fingerprint {key.fingerprint}) is not this register's board key "
                            f"(fingerprint {recorded}); nothing was changed",
                            hint="check that you were given the key of this register")
    setup = KeySetup(key.fingerprint)
    with register_lock(root):
        transaction = Transaction(root)
        settings = {} if recorded is not None else {"key_fingerprint": key.fingerprint}
        config = load_config(root) if seal_records else None  # as it is now, under the lock
        if seal_records and not (isinstance(config, dict) and seal_required(config)):
            settings["seal_records"] = True
            setup.sealing_required = True
        if settings:
            transaction.write(CONFIG_NAME, password_settings_text(root, **settings))
        attributes = gitattributes_text(root)
        if attributes is not None:
            transaction.write(".gitattributes", attributes)
        if transaction.paths:
            transaction.check_can_commit()
        try:
            _store(key, setup)
            subject = "Board key created" if action == "key-init" else "Board key recorded"
            applied = transaction.apply(subject, {"Wbcr-Action": action, "Wbcr-Key-Fingerprint": key.fingerprint,
                                                  "Wbcr-Actor": actor})
        except BaseException:
            if setup.key_file_created and setup.key_file is not None:
                setup.key_file.unlink(missing_ok=True)
            raise
        setup.changed = applied.written
        setup.committed = applied.commit
    setup.filters = install_filters(root)
    return setup


# --- creating a register ---------------------------------------------------------------------------

#: the .gitattributes a new register starts with (the wbcr filter lines are added with the key)
GITATTRIBUTES_EOL = ("# Case records are text with LF line endings on every computer (Windows included)\n"
                     "*.yaml text eol=lf\n")

GITIGNORE = """\
# Rendered documents are never committed: they carry the case password and personal data. Records are
# YAML; a merged chronology (Word, CSV, JSON), a calendar or a form written anywhere else in the register
# stays out of git too (wbcr refuses to write one where git would take it).
output/
*.docx
*.xlsx
*.csv
*.json
*.pdf
*.ics
*.eml
# wbcr's lock and scratch files
.wbcr-*
"""


#: The framework a new register follows unless told otherwise: partnerships today work under Working
#: Together 2023.
DEFAULT_PROCEDURE = "wt2023"

#: The frameworks `wbcr init` offers, default first, as it describes them when it asks.
FRAMEWORKS = {
    "wt2023": "Working Together 2023: safeguarding partners, serious incident notifications, rapid reviews, LCSPRs",
    "wt2015": "the 2015 tool kit: LSCBs, Case Review Group, Independent Chair, Serious Case Reviews",
}


def starting_point_path(procedure: str) -> Path:
    """The packaged wbcr.yaml a new register following `procedure` starts from:
    case_templates/register/wbcr-<procedure>.yaml when there is one (the 2023 partnership starter), else
    case_templates/register/wbcr.yaml (the 2015 tool kit's LSCBs, CRG and Independent Chair), whose
    `procedure:` line `create_register` sets."""
    folder = case_templates_dir() / "register"
    own = folder / f"{Path(CONFIG_NAME).stem}-{procedure}.yaml"
    return own if own.is_file() else folder / CONFIG_NAME


@dataclass
class Created:
    root: Path
    notes: list[str]
    procedure: str = DEFAULT_PROCEDURE
    warnings: list[str] = field(default_factory=list)


def create_register(directory: Path, *, use_git: bool = True, use_key: bool = True,
                    procedure: str = DEFAULT_PROCEDURE) -> Created:
    """A new register following `procedure`: wbcr.yaml from that framework's packaged starting point
    (`starting_point_path`), cases/, .gitignore, a board key (stored outside the register, its
    fingerprint in wbcr.yaml, records sealed in git through the wbcr filter), git and a first commit."""

    root = directory.expanduser().resolve()
    if (root / CONFIG_NAME).exists():
        raise UsageError(f"{root} is already a register ({CONFIG_NAME} exists)",
                         hint="use it as it is, or choose another folder")
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is a file, not a folder")
    notes: list[str] = []
    warnings: list[str] = []
    board_key = key_for_new_register() if use_key else None  # before anything is made: it may be refused
    if board_key is not None and board_key.source == "WBCR_BOARD_KEY":
        warnings.append(f"the board key was taken from WBCR_BOARD_KEY (fingerprint {board_key.fingerprint}), "
                        "not created: if you did not mean this, remove the new folder, `unset WBCR_BOARD_KEY` "
                        "and run `wbcr init` again")
    git_wanted = use_git
    if use_git and not gitrepo.have_git():
        # never a register without its audit trail by accident: git is found, or --no-git is asked for
        raise WbcrError("git was not found, and a register keeps its audit trail in git; nothing was created",
                        code="git.missing",
                        hint=f"install git or set {gitrepo.GIT_VARIABLE} to git's full path (or, for a register "
                             "without history, run `wbcr init --no-git`)")
    if git_wanted:
        gitrepo.ensure_identity(root.parent if not root.exists() else root)
    root.mkdir(parents=True, exist_ok=True)
    created = []
    outside: list[Path] = []  # the key file: removed on failure, never committed
    try:
        (root / "cases").mkdir(exist_ok=True)
        keep = root / "cases" / ".gitkeep"
        keep.touch()
        created.append(keep)
        gitignore = root / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text(GITIGNORE, encoding="utf-8")
            created.append(gitignore)
        attributes = root / ".gitattributes"
        if not attributes.exists():
            # records are stored with LF whatever the computer: a Windows checkout (core.autocrlf) or an
            # editor saving CRLF never makes an edit of four lines a rewrite of the whole file
            attributes.write_text(GITATTRIBUTES_EOL, encoding="utf-8")
            created.append(attributes)
        starting_point = starting_point_path(procedure).read_text(encoding="utf-8")
        # the procedure new cases follow, as its line in the starting point says
        starting_point = re.sub(r"(?m)^procedure: \S+", f"procedure: {procedure}", starting_point, count=1)
        atomic_write(root / CONFIG_NAME, starting_point.encode("utf-8"))
        created.append(root / CONFIG_NAME)
        if use_key:

            had_attributes = (root / ".gitattributes").exists()
            key = setup_new_register(root, key=board_key)
            if key.key_file_created and key.key_file is not None:
                outside.append(key.key_file)
            if ".gitattributes" in key.changed and not had_attributes:
                created.append(root / ".gitattributes")
            where = key.key_file or "WBCR_BOARD_KEY"
            notes.append(f"board key {key.fingerprint} in {where}: keep it safe, outside the register; "
                         "`wbcr key export` passes it to another business manager")
        if git_wanted:
            if not gitrepo.is_repo(root):
                gitrepo.init(root)
            if use_key:

                install_filters(root)
            gitrepo.ensure_can_commit(root)
            paths = [p.relative_to(root).as_posix() for p in created]
            gitrepo.add(root, paths)
            gitrepo.commit(root, paths, "Register created", {"Wbcr-Action": "init",
                                                             "Wbcr-Actor": gitrepo.actor(root)})
            notes.append("git repository ready; every wbcr change is committed as the audit trail")
    except BaseException:
        for path in created + outside:
            path.unlink(missing_ok=True)
        raise
    return Created(root=root, notes=notes, procedure=procedure, warnings=warnings)
