"""Sealing and opening a case's records (`wbcr seal`, `wbcr unseal`) through the case store, each under
the register lock from its first read to its commit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wbcr.core import gitrepo
from wbcr.security.sealing import (CaseSeal, CaseSealing, SealError, _rewrite_case, _verify_seal,
                                   check_sealed_text, iter_case_record_files, refresh_work_tree, seal_record_text,
                                   unseal_record_text)
from wbcr.store.case import CaseEdit
from wbcr.store.lock import register_lock


def seal_case(register, reference: str, seal: CaseSeal, *, password_given: bool, commit: bool,
              actor: str, today: dt.date) -> CaseSealing:
    """Seal every plain sensitive value of a case in the working tree, then commit the files changed,
    through the case store (under the register lock, validated, whole or not at all).

    A seal is not done until git holds it: files the work tree holds sealed while git's last commit
    holds them plain (a seal stopped before its commit, or made with `--no-commit`) are committed too.

    A password typed by hand is accepted only when the case already holds a sealed value that opens
    with it: a mistyped password must not seal a case under a key nobody has.
    """
    with register_lock(register.root):
        with CaseEdit(register, reference, commit=commit, seal=seal, rewrites_work_tree=True) as edit:
            verified = _verify_seal(register, reference, seal)
            if password_given and not verified:
                raise SealError(f"{reference} holds no sealed value yet, so the password given cannot be checked; "
                                "nothing was sealed",
                                hint="seal the case for the first time where the board key is (without --password)")
            changed, count = _rewrite_case(register, reference, seal, seal_record_text)
            for path, (_old, new) in changed.items():
                edit.put_text(_record_key(register, path), new)
            if commit:
                for path in _sealed_here_plain_in_git(register, reference, set(changed)):
                    edit.commit_as_is(_record_key(register, path))
            written = edit.save(action="seal", summary="sensitive values sealed", today=today, actor=actor)
        result = CaseSealing(reference, written, count)
        result.committed = edit.commit_id
        if written and edit.commit_id is None:
            refresh_work_tree(register, written)
    return result


def _sealed_here_plain_in_git(register, reference: str, rewritten: set[Path]) -> list[Path]:
    """Record files of the case that hold no plain sensitive value in the work tree (sealing them changed
    nothing) but differ from git's last commit, which holds plain ones."""
    root = register.root
    if not gitrepo.is_repo(root):
        return []
    files = {register.relpath(path): (path, kind) for path, _record, kind in iter_case_record_files(register, reference)
             if path not in rewritten}
    found = []
    for relpath in gitrepo.changed_among(root, list(files)):
        committed = gitrepo.read_head(root, relpath)
        if committed is None:
            continue
        path, kind = files[relpath]
        try:
            findings = check_sealed_text(committed.decode("utf-8"), kind=kind, display=relpath)
        except UnicodeDecodeError:
            continue
        if any(f.code == "seal.plaintext" for f in findings):
            found.append(path)
    return found


def _record_key(register, path: Path) -> str:
    """The case store's name of a record file: `people`, `chronology/<agency>`."""
    parts = register.relpath(path).split("/")
    return "/".join(parts[2:])[: -len(".yaml")]


def unseal_case(register, reference: str, seal: CaseSeal, *, refresh: bool = True) -> CaseSealing:
    """Open every sealed value of a case in the working tree (never committed: with the wbcr git
    filter installed git still stores them sealed; without it the plain text stays uncommitted).

    With `refresh`, git is told that files it still stores the same are unchanged (see
    `refresh_work_tree`; when opening many cases, refresh once at the end instead, under the lock)."""
    with register_lock(register.root):
        with CaseEdit(register, reference, seal=seal) as edit:
            changed, count = _rewrite_case(register, reference, seal, unseal_record_text)
            for path, (_old, new) in changed.items():
                edit.put_text(_record_key(register, path), new)
            written = edit.write_work_tree()
        result = CaseSealing(reference, written, count)
        if refresh:
            refresh_work_tree(register, result.files)
    return result
