"""The validation cache: per file, the content digest and what checking that content found.

Keyed on the file's bytes (SHA-1 of the content, not its timestamp) together with the wbcr version
and the schemas' fingerprint, so an edited file, a new schema or a new wbcr is always re-checked.
The checks across one case's records are cached too, keyed on the digests of every file of the case,
of wbcr.yaml and of the procedures, and on today's date: they are a function of exactly those, so a
change to any of them runs them again. Checks across cases (duplicate references) always run.
Per-file summaries (what the case checks read) sit in a second file, read only when a case must be
checked again. What the daily commands show of each case (its status row, open deadlines, actions and
the timescales of its review decisions, none of them personal data) sits in a third, keyed per case on
the digests of the records those views read, of wbcr.yaml and of the procedures, and on today's date. The cache lives outside the register (`$WBCR_CACHE_DIR`, else
`$XDG_CACHE_HOME/wbcr`, else `~/.cache/wbcr`) and holds no record values beyond what the checks need. It is
stored with `marshal` (plain values only, nothing executable) and owner-only permissions.
"""

from __future__ import annotations

import hashlib
import os
import marshal
from pathlib import Path

from wbcr.core.yamlio import atomic_write


def cache_dir() -> Path:
    explicit = os.environ.get("WBCR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wbcr"


def _file_for(root: Path) -> Path:
    tag = hashlib.sha1(str(root.resolve()).encode(), usedforsecurity=False).hexdigest()[:16]
    return cache_dir() / f"validate-{tag}.marshal"


def _load(path: Path, key: tuple) -> dict:
    try:
        with open(path, "rb") as fh:
            stored = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(stored, dict) or stored.get("key") != key:
        return {}
    return stored


def load(root: Path, key: tuple) -> tuple[dict, dict]:
    """`({relpath: (digest, findings)}, {case folder: (case key, findings, reference)})`, empty when
    absent, stale or unreadable."""
    stored = _load(_file_for(root), key)
    files, cases = stored.get("files"), stored.get("cases")
    return (files if isinstance(files, dict) else {}), (cases if isinstance(cases, dict) else {})


def load_summaries(root: Path, key: tuple) -> dict:
    """`{relpath: (digest, summary)}`: read only when some case has to be checked again."""
    summaries = _load(_summaries_file(root), key).get("summaries")
    return summaries if isinstance(summaries, dict) else {}


def _summaries_file(root: Path) -> Path:
    return _file_for(root).with_suffix(".summaries.marshal")


def _views_file(root: Path) -> Path:
    return _file_for(root).with_suffix(".views.marshal")


def load_views(root: Path, key: tuple) -> dict:
    """`{case folder: (views key, {view name: value})}`, empty when absent, stale or unreadable."""
    views = _load(_views_file(root), key).get("views")
    return views if isinstance(views, dict) else {}


def save_views(root: Path, key: tuple, views: dict) -> None:
    """Best effort, like `save`."""
    try:
        path = _views_file(root)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, marshal.dumps({"key": key, "views": views}), mode=0o600)
        os.chmod(path, 0o600)
    except (OSError, ValueError):
        return  # a cache that cannot be written only costs speed next time


def save(root: Path, key: tuple, files: dict, cases: dict, summaries: dict | None) -> None:
    """Best effort: a cache that cannot be written only costs speed next time. `summaries` None:
    the summaries file is left as it is (nothing in it changed)."""
    try:
        path = _file_for(root)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if summaries is not None:
            atomic_write(_summaries_file(root), marshal.dumps({"key": key, "summaries": summaries}), mode=0o600)
            os.chmod(_summaries_file(root), 0o600)
        atomic_write(path, marshal.dumps({"key": key, "files": files, "cases": cases}), mode=0o600)
        os.chmod(path, 0o600)
    except (OSError, ValueError):
        return  # a cache that cannot be written only costs speed next time


def digest(raw: bytes) -> str:
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()
