"""Building blocks for editing a record in place: mappings and lists of ruamel.yaml's round-trip kind,
so the comments and layout of hand-written records survive an edit. Used by the operations that fill a
`CaseEdit`'s records."""

from __future__ import annotations

from typing import Any


def new_map():
    """An empty mapping that keeps its order and comments when written."""
    from ruamel.yaml.comments import CommentedMap  # noqa: PLC0415 - ruamel stays off --help

    return CommentedMap()


def new_seq(values: list | None = None):
    """A list that keeps its comments when written."""
    from ruamel.yaml.comments import CommentedSeq  # noqa: PLC0415 - ruamel stays off --help

    return CommentedSeq(values or [])


def section(data: Any, key: str):
    """`data[key]` as a mapping, created empty when absent or null."""
    if key not in data or data[key] is None:
        data[key] = new_map()
    return data[key]


def entries(data: Any, key: str):
    """`data[key]` as a list, created empty when absent or null."""
    if key not in data or data[key] is None:
        data[key] = new_seq()
    return data[key]


def set_given(target: Any, **values) -> None:
    """Set the values given; None leaves a field as recorded."""
    for key, value in values.items():
        if value is not None:
            target[key] = value
