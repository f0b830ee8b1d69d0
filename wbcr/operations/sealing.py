"""Sealing and opening a case's records (`wbcr seal`, `wbcr unseal`) through the case store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wbcr.security.sealing import (CaseSeal, CaseSealing, SealError, _rewrite_case, _verify_seal,
                                   refresh_work_tree, seal_record_text, unseal_record_text)
from wbcr.store.case import CaseEdit


def seal_case(register, reference: str, seal: CaseSeal, *, password_given: bool, commit: bool,
              actor: str, today: dt.date) -> CaseSealing:
    """Seal every plain sensitive value of a case in the working tree, then commit the files changed,
    through the case store (under the register lock, validated, whole or not at all).

    A password typed by hand is accepted only when the case already holds a sealed value that opens
    with it: a mistyped password must not seal a case under a key nobody has.
    """
    with CaseEdit(register, reference, commit=commit, seal=seal, rewrites_work_tree=True) as edit:
        verified = _verify_seal(register, reference, seal)
        if password_given and not verified:
            raise SealError(f"{reference} holds no sealed value yet, so the password given cannot be checked; "
                            "nothing was sealed",
                            hint="seal the case for the first time where the board key is (without --password)")
        changed, count = _rewrite_case(register, reference, seal, seal_record_text)
        for path, (_old, new) in changed.items():
            edit.put_text(_record_key(register, path), new)
        written = edit.save(action="seal", summary="sensitive values sealed", today=today, actor=actor)
    result = CaseSealing(reference, written, count)
    result.committed = edit.commit_id
    if written and edit.commit_id is None:
        refresh_work_tree(register, written)
    return result


def _record_key(register, path: Path) -> str:
    """The case store's name of a record file: `people`, `chronology/<agency>`."""
    parts = register.relpath(path).split("/")
    return "/".join(parts[2:])[: -len(".yaml")]


def unseal_case(register, reference: str, seal: CaseSeal, *, refresh: bool = True) -> CaseSealing:
    """Open every sealed value of a case in the working tree (never committed: with the wbcr git
    filter installed git still stores them sealed; without it the plain text stays uncommitted).

    With `refresh`, git is told that files it still stores the same are unchanged (see
    `refresh_work_tree`; when opening many cases, refresh once at the end instead)."""
    with CaseEdit(register, reference, seal=seal) as edit:
        changed, count = _rewrite_case(register, reference, seal, unseal_record_text)
        for path, (_old, new) in changed.items():
            edit.put_text(_record_key(register, path), new)
        written = edit.write_work_tree()
    result = CaseSealing(reference, written, count)
    if refresh:
        refresh_work_tree(register, result.files)
    return result
