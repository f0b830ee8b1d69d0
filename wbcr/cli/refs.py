"""Typed case references, read as people type them, and shell completion of references, agencies and
document names.

A reference is matched regardless of letter case: `wbcr show wbcr-2026-004` is the case whose folder is
`cases/WBCR-2026-004/`. The reference is turned into its folder's spelling here, once, as the command
line is read, so everything after (the case password and the seal key derive from the reference, commit
messages and file names carry it) sees exactly one spelling. A word that matches no folder is passed on
unchanged, so the command says "no case" (or reads it as a document name, for `render`) in its own words;
two folders that differ only in letter case (possible on Linux) are never guessed between.

Completion (bash, zsh, fish, PowerShell: `wbcr --install-completion`) offers the register's case
references, wbcr.yaml's agency and LSCB ids, and the tool kit's document names. It reads folder names
and wbcr.yaml only, never a case record, and says nothing when it cannot (outside a register).
"""

from __future__ import annotations

import os
from pathlib import Path

from wbcr.cli.app import options


def _root(ctx=None) -> Path | None:
    """The register folder, as the command would find it; None when there is none (no error here)."""
    from wbcr.core.errors import WbcrError  # noqa: PLC0415 - lazy: keeps --help fast
    from wbcr.model.register import find_root  # noqa: PLC0415 - lazy: keeps --help fast

    explicit = options.register
    if explicit is None and ctx is not None:  # completing: the global options are not applied yet
        explicit = (ctx.find_root().params or {}).get("register")
    try:
        return find_root(explicit=explicit)
    except (WbcrError, OSError):
        return None


def _case_names(root: Path) -> list[str]:
    try:
        with os.scandir(root / "cases") as entries:
            return sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))
    except OSError:
        return []


def case_reference(value: str) -> str:
    """`value` spelt as its case folder is when exactly one folder matches it regardless of letter
    case; otherwise `value` unchanged (the command reports an unknown case in its own words)."""
    if not isinstance(value, str) or not value or any(ch in value for ch in "/\\\0:") or value.startswith("."):
        return value
    root = _root()
    if root is None:
        return value
    names = _case_names(root)  # the spellings on disk (a file system may ignore letter case)
    if value in names:
        return value
    wanted = value.casefold()
    matches = [name for name in names if name.casefold() == wanted]
    return matches[0] if len(matches) == 1 else value


def complete_reference(ctx, incomplete: str) -> list[str]:
    root = _root(ctx)
    if root is None:
        return []
    start = incomplete.casefold()
    return [name for name in _case_names(root) if name.casefold().startswith(start)]


def _config_ids(ctx, section: str) -> list[str]:
    root = _root(ctx)
    if root is None:
        return []
    try:
        import yaml  # noqa: PLC0415 - lazy: only when completing

        data = yaml.safe_load((root / "wbcr.yaml").read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, yaml.YAMLError):
        return []
    entries = data.get(section) if isinstance(data, dict) else None
    return sorted(e["id"] for e in entries or [] if isinstance(e, dict) and isinstance(e.get("id"), str))


def complete_agency(ctx, incomplete: str) -> list[str]:
    return [i for i in _config_ids(ctx, "agencies") if i.startswith(incomplete)]


def complete_lscb(ctx, incomplete: str) -> list[str]:
    return [i for i in _config_ids(ctx, "lscbs") if i.startswith(incomplete)]


def complete_document(ctx, incomplete: str) -> list[str]:
    try:
        from wbcr.documents.render import catalogue  # noqa: PLC0415 - lazy: only when completing

        names = sorted(catalogue())
    except Exception:  # noqa: BLE001 - completion must never fail the shell
        return []
    return [n for n in names if n.startswith(incomplete)]


def complete_reference_or_document(ctx, incomplete: str) -> list[str]:
    """`render`'s first word: a case reference, or a document name for a blank form."""
    return complete_reference(ctx, incomplete) + complete_document(ctx, incomplete)


#: the keyword arguments of every case-reference argument: `typer.Argument(help=…, **REF_ARGUMENT)`
REF_ARGUMENT = {"parser": case_reference, "autocompletion": complete_reference}
