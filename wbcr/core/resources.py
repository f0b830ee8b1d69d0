"""Where the packaged data lives: `schemas/` and `case_templates/` in a checkout, or inside an
installed wheel (`wbcr/_data/…`), and the procedures shipped in the package."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # the wbcr package (this file is wbcr/core/resources.py)


@cache
def data_dir(name: str) -> Path:
    """The folder `schemas` or `case_templates`, from a wheel or from the source checkout."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"wbcr's {name}/ folder is missing from this installation; reinstall wbcr")


def schemas_dir() -> Path:
    return data_dir("schemas")


def case_templates_dir() -> Path:
    return data_dir("case_templates")


def procedures_dir() -> Path:
    return _PACKAGE / "procedures"
