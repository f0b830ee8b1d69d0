"""The validation cache: per file, the content digest and what checking that content found.

Keyed on the file's bytes (SHA-1 of the content, not its timestamp) together with the wbcr version
and the schemas' fingerprint, so an edited file, a new schema or a new wbcr is always re-checked.
Cross-record checks are never cached. The cache lives outside the register (`$WBCR_CACHE_DIR`, else
`$XDG_CACHE_HOME/wbcr`, else `~/.cache/wbcr`) and holds no record values beyond what the checks need. It is
stored with `marshal` (plain values only, nothing executable) and owner-only permissions.
"""

from __future__ import annotations

import hashlib
import os
import marshal
from pathlib import Path

from wbcr.yamlio import atomic_write


def cache_dir() -> Path:
    explicit = os.environ.get("WBCR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wbcr"


def _file_for(root: Path) -> Path:
    tag = hashlib.sha1(str(root.resolve()).encode(), usedforsecurity=False).hexdigest()[:16]
    return cache_dir() / f"validate-{tag}.marshal"


def load(root: Path, key: tuple) -> dict:
    """The cached `{relpath: entry}` for this register, or `{}` when absent, stale or unreadable."""
    try:
        with open(_file_for(root), "rb") as fh:
            stored = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(stored, dict) or stored.get("key") != key:
        return {}
    files = stored.get("files")
    return files if isinstance(files, dict) else {}


def save(root: Path, key: tuple, files: dict) -> None:
    """Best effort: a cache that cannot be written only costs speed next time."""
    try:
        path = _file_for(root)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(path, marshal.dumps({"key": key, "files": files}))
        os.chmod(path, 0o600)
    except OSError:
        pass


def digest(raw: bytes) -> str:
    return hashlib.sha1(raw, usedforsecurity=False).hexdigest()
