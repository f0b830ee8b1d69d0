"""The JSON Schemas (draft 2020-12) in `schemas/`: loading, validating records, sensitive fields.

Validation is two-speed. A compiled fastjsonschema validator answers "valid?" for the great majority
of files; only a file it rejects goes through jsonschema, which lists every error with its path, so a
user sees all problems at once. Both use the same format checks (real calendar dates).
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Iterator

from wbcr.core.dates import is_chronology_date, is_iso_date
from wbcr.core.resources import schemas_dir

#: record kind -> schema file
SCHEMA_FILES = {
    "register": "register.json",
    "case": "case.json",
    "people": "people.json",
    "referral": "referral.json",
    "decisions": "decisions.json",
    "notifications": "notifications.json",
    "review": "review.json",
    "chronology": "chronology.json",
    "recommendations": "recommendations.json",
}
#: case folder file name -> record kind
CASE_RECORDS = {f"{kind}.yaml": kind for kind in SCHEMA_FILES if kind not in ("register", "chronology")}

FORMATS = {"date": is_iso_date, "wbcr-chronology-date": is_chronology_date}


def record_kind(relpath: str) -> str | None:
    """The record kind of a file by its path inside a case folder (or `wbcr.yaml`)."""
    parts = relpath.replace("\\", "/").split("/")
    if parts == ["wbcr.yaml"]:
        return "register"
    if len(parts) == 2 and parts[0] == "chronology" and parts[1].endswith(".yaml"):
        return "chronology"
    if len(parts) == 1:
        return CASE_RECORDS.get(parts[0])
    return None


#: A value sealed at rest (see `wbcr.security.sealing`): kept in sync with `wbcr.security.sealing.SEALED_PATTERN`.
SEALED_PREFIX = "wbcr:sealed:v1:"
SEALED_PATTERN = "^wbcr:sealed:v1:[A-Za-z0-9_-]{43,}$"


@cache
def load_schema(kind: str) -> dict:
    """A record's schema, as written in schemas/."""
    return json.loads((schemas_dir() / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))


@cache
def load_schema_sealed(kind: str) -> dict:
    """The schema for a record holding sealed values: every `x-sensitive` field also accepts one.

    Kept apart from the plain schema because the if/then/else costs an exception per sensitive value
    in fastjsonschema: a record with no sealed value (a chronology of thousands of entries, typically)
    is checked against the plain schema, which is the same rules without the alternative.
    """
    return allow_sealed(load_schema(kind))


def has_sealed(data: Any) -> bool:
    """Whether any string in the record is a sealed value."""
    if isinstance(data, str):
        return data.startswith(SEALED_PREFIX)
    if isinstance(data, dict):
        return any(has_sealed(v) for v in data.values())
    if isinstance(data, list):
        return any(has_sealed(v) for v in data)
    return False


def allow_sealed(node: Any) -> Any:
    """Wrap each `x-sensitive` subschema so that a sealed value passes and plain text is checked as before.

    `if` (text starting with the sealed prefix) `then` (a whole sealed value) `else` (the original
    field schema): errors of the original come out unchanged, with their own paths and messages, so a
    keyless clone validates sealed records and a plain record is held to the same rules as ever.
    """
    if isinstance(node, list):
        return [allow_sealed(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: allow_sealed(value) for key, value in node.items()}
    if node.get("x-sensitive") is True:
        notes = {k: node[k] for k in ("x-sensitive", "title", "description") if k in node}
        original = {k: v for k, v in node.items() if k not in notes}
        return {**notes, "if": {"type": "string", "pattern": "^" + SEALED_PREFIX},
                "then": {"pattern": SEALED_PATTERN}, "else": original}
    return node


@cache
def schemas_fingerprint() -> str:
    """Changes whenever any schema changes: part of the validation cache key."""
    digest = hashlib.sha256()
    digest.update(SEALED_PATTERN.encode())  # sealed values validate: results before that are stale
    for name in sorted(SCHEMA_FILES.values()):
        digest.update(name.encode())
        digest.update((schemas_dir() / name).read_bytes())
    return digest.hexdigest()[:16]


@cache
def _fast(kind: str, sealed: bool = False):
    import fastjsonschema

    return fastjsonschema.compile(load_schema_sealed(kind) if sealed else load_schema(kind), formats=FORMATS)


@cache
def _full(kind: str, sealed: bool = False):
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker(formats=())
    for name, func in FORMATS.items():
        checker.checks(name)(func)
    return Draft202012Validator(load_schema_sealed(kind) if sealed else load_schema(kind), format_checker=checker)


@dataclass(frozen=True)
class SchemaProblem:
    """One schema error: where (JSON path), what, and whether it points at a key rather than a value."""

    path: tuple
    message: str
    hint: str | None = None
    at_key: bool = False


_TYPES = {"string": lambda v: isinstance(v, str), "object": lambda v: isinstance(v, dict),
          "array": lambda v: isinstance(v, list), "boolean": lambda v: isinstance(v, bool),
          "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
          "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
          "null": lambda v: v is None}


def type_problems(kind: str, data: Any) -> list[tuple]:
    """The paths where a record holds a value of another type than its schema says (a sealed value
    stands for any type): the light check of the commands that must not load a schema validator (the
    status board). `check_record` says everything else."""
    schema = load_schema(kind)
    defs = schema.get("$defs", {})
    found: list[tuple] = []

    def walk(node: Any, value: Any, path: tuple) -> None:
        while isinstance(node, dict) and "$ref" in node:
            node = defs.get(node["$ref"].rsplit("/", 1)[-1], {})
        if not isinstance(node, dict) or (isinstance(value, str) and value.startswith(SEALED_PREFIX)):
            return
        expected = node.get("type")
        if expected is not None:
            names = expected if isinstance(expected, list) else [expected]
            if not any(_TYPES.get(name, lambda v: True)(value) for name in names):
                found.append(path)
                return
        if isinstance(value, dict):
            properties = node.get("properties") or {}
            extra = node.get("additionalProperties")
            for key, item in value.items():
                sub = properties.get(key, extra if isinstance(extra, dict) else None)
                if sub is not None:
                    walk(sub, item, (*path, key))
        elif isinstance(value, list) and isinstance(node.get("items"), dict):
            for index, item in enumerate(value):
                walk(node["items"], item, (*path, index))

    walk(schema, data, ())
    return found


def is_valid(kind: str, data: Any, sealed: bool | None = None) -> bool:
    import fastjsonschema

    try:
        _fast(kind, has_sealed(data) if sealed is None else sealed)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def check_record(kind: str, data: Any, sealed: bool | None = None) -> list[SchemaProblem]:
    """Every schema problem of one record (an empty list when it is valid). `sealed` says whether the
    record may hold sealed values (None: look)."""
    sealed = has_sealed(data) if sealed is None else sealed
    if is_valid(kind, data, sealed):
        return []
    sensitive = _sensitive_patterns(kind)
    problems = [p for error in _full(kind, sealed).iter_errors(data)
                for p in _explain(error, _is_sensitive(tuple(error.absolute_path), sensitive))]
    return sorted(set(problems), key=lambda p: [str(x) for x in p.path])


def dotted(path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(top level)"


_TYPE_NAMES = {"string": "text", "object": "a mapping of fields", "array": "a list", "integer": "a whole number",
               "boolean": "true or false", "number": "a number", "null": "empty"}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _quote(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + '…"'


@cache
def _sensitive_patterns(kind: str) -> tuple[tuple, ...]:
    return tuple(iter_sensitive_paths(kind))


def _is_sensitive(path: tuple, patterns: tuple[tuple, ...]) -> bool:
    """Whether a value's path is (inside) a field the schema marks as personal data."""
    for pattern in patterns:
        if len(path) >= len(pattern) and all(p == "*" and isinstance(step, int) or p == step
                                             for p, step in zip(pattern, path)):
            return True
    return False


def _explain(error, withhold: bool = False) -> Iterator[SchemaProblem]:
    """Friendly problems for one jsonschema error. With `withhold`, the value is personal data and is
    not repeated in the message (messages reach terminals, CI logs and the validation cache)."""
    def _short(value: Any) -> str:
        return "the value (not shown: personal data)" if withhold else _quote(value)

    path = tuple(error.absolute_path)
    where = dotted(path)
    validator, value, schema = error.validator, error.instance, error.schema
    if validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        for key in sorted(k for k in value if k not in schema.get("properties", {})):
            near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = (f'did you mean "{near[0]}"?' + _meaning(schema.get("properties", {}).get(near[0]))) if near \
                else f"allowed here: {', '.join(allowed)}"
            yield SchemaProblem(path + (key,), f'{dotted(path + (key,))}: unknown field "{key}"', hint, True)
    elif validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        yield SchemaProblem(path, f'{where}: required field "{missing}" is missing',
                            f'add "{missing}:" to this mapping' + _meaning(schema.get("properties", {}).get(missing)))
    elif validator == "type":
        expected = error.validator_value
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in (expected if isinstance(expected, list) else [expected]))
        hint = None
        if expected == "string" and isinstance(value, (int, float, bool)):
            hint = "put the value in quotes so it is read as text"
        elif expected == "string" and value is None:
            hint = "give a value, or remove the field"
        yield SchemaProblem(path, f"{where}: expected {names}, found {_describe(value)}",
                            ((hint or "") + _meaning(schema)).lstrip(" —") or None)
    elif validator == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        near = difflib.get_close_matches(str(value), [str(v) for v in error.validator_value], n=1)
        hint = f'did you mean "{near[0]}"?' if near else f"one of: {options}"
        yield SchemaProblem(path, f"{where}: {_short(value)} is not one of the allowed values", hint + _meaning(schema))
    elif validator == "format" or (validator == "pattern" and schema.get("format") in FORMATS):
        if schema.get("format") == "wbcr-chronology-date":
            yield SchemaProblem(path, f"{where}: {_short(value)} is not a real date",
                                "write YYYY-MM-DD; put ? in front for an uncertain date (?2026-03-04)")
        else:
            yield SchemaProblem(path, f"{where}: {_short(value)} is not a real date", "write the date as YYYY-MM-DD")
    elif validator == "pattern" and error.validator_value == SEALED_PATTERN:
        yield SchemaProblem(path, f"{where}: a sealed value is damaged (it starts with {SEALED_PREFIX} "
                                  "but is not a whole sealed value)",
                            "restore it from the git history, or type the value again and seal the case")
    elif validator == "pattern":
        yield SchemaProblem(path, f"{where}: {_short(value)} is not in the expected form",
                            f"expected to match {error.validator_value}")
    elif validator == "const":
        yield SchemaProblem(path, f"{where}: must be {json.dumps(error.validator_value)}, found {_short(value)}",
                            "this version of wbcr reads record format 1")
    elif validator == "minItems":
        yield SchemaProblem(path, f"{where}: must list at least {error.validator_value} item(s)")
    elif validator == "minLength":
        yield SchemaProblem(path, f"{where}: must not be empty", "give a value, or remove the field")
    elif validator == "maxLength":
        yield SchemaProblem(path, f"{where}: longer than {error.validator_value} characters")
    elif validator == "uniqueItems":
        yield SchemaProblem(path, f"{where}: lists the same item twice")
    else:
        yield SchemaProblem(path, f"{where}: {error.message}")


def _meaning(node) -> str:
    """` — what the field records` (its schema description), for a hint; empty when it has none."""
    text = node.get("description") if isinstance(node, dict) else None
    return f" — {text}" if isinstance(text, str) and text else ""


def describe_fields(kind: str) -> list[tuple[str, str, bool]]:
    """`(dotted path, description, required)` of every field of a record's schema, in schema order
    (`[]` marks a list's items): what `wbcr fields` prints."""
    schema = load_schema(kind)
    defs = schema.get("$defs", {})
    out: list[tuple[str, str, bool]] = []

    def resolve(node: dict) -> dict:
        while isinstance(node, dict) and "$ref" in node:
            node = {**defs.get(node["$ref"].rsplit("/", 1)[-1], {}), **{k: v for k, v in node.items() if k != "$ref"}}
        return node

    def walk(node: dict, prefix: str) -> None:
        node = resolve(node)
        required = set(node.get("required") or [])
        for key, sub in (node.get("properties") or {}).items():
            sub = resolve(sub) if isinstance(sub, dict) else {}
            path = f"{prefix}.{key}" if prefix else key
            out.append((path, str(sub.get("description") or ""), key in required))
            walk(sub, path)
            items = sub.get("items")
            if isinstance(items, dict):
                walk(items, path + "[]")
        additional = node.get("additionalProperties")
        if isinstance(additional, dict) and (additional.get("properties") or "$ref" in additional):
            walk(additional, (prefix + "." if prefix else "") + "<name>")

    walk(schema, "")
    return out


def iter_sensitive_paths(kind: str) -> Iterator[tuple]:
    """JSON paths (with `*` for list items) of the fields a schema marks `x-sensitive`."""
    schema = load_schema(kind)
    defs = schema.get("$defs", {})

    def walk(node: dict, path: tuple):
        if node.get("x-sensitive"):
            yield path
            return
        if "$ref" in node:
            target = defs.get(node["$ref"].rsplit("/", 1)[-1], {})
            if target.get("x-sensitive"):
                yield path
            return
        for key, sub in node.get("properties", {}).items():
            yield from walk(sub, path + (key,))
        if isinstance(node.get("items"), dict):
            yield from walk(node["items"], path + ("*",))

    yield from walk(schema, ())


def check_procedure(data: Any) -> list[str]:
    """Problems of a procedure definition against `schemas/procedure.json` (messages with paths)."""
    from jsonschema import Draft202012Validator

    schema = json.loads((schemas_dir() / "procedure.json").read_text(encoding="utf-8"))
    return [f"{dotted(tuple(e.absolute_path))}: {e.message}" for e in Draft202012Validator(schema).iter_errors(data)]
