"""The schemas explain themselves and the case skeletons show every record's shape.

* Every property of every schema in `schemas/` (at any depth: `$defs`, `items`, `additionalProperties`,
  …) has a plain-English `description`, for a board business manager reading the schema or an editor
  showing it as a tooltip.
* Each skeleton in `case_templates/case/` is a valid record of its kind, and every kind of case record
  has one.
* Describing the schemas changed nothing else: each schema with its `description` keys taken out has
  the structural digest it had before the descriptions were written (frozen below). A deliberate change
  to a schema's rules must update its digest here, in the same commit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from wbcr.core.yamlio import _rt, load_record, read_record
from wbcr.model import schemas
from wbcr.store.case import plain

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
SKELETONS = ROOT / "case_templates" / "case"

#: keywords whose value maps names (property names, definition names) to subschemas
NAMED_SUBSCHEMAS = ("properties", "$defs", "definitions", "patternProperties", "dependentSchemas")
#: keywords whose value is data, not a subschema (a `description` inside is not an annotation)
DATA_KEYWORDS = ("enum", "const", "default", "examples", "required", "dependentRequired")

#: sha256 of each schema with its descriptions removed (`_structure`), taken at 4c3b91e before the
#: descriptions were added
STRUCTURE = {
    "case.json": "503264528ef64ac750da7eda2dca8d3991896e9732579fb75951722009970d30",
    "chronology.json": "ce8e8d0ef3c6adc7d05fb0d0154ad6905586c95cdee875b0985e024c2000ee60",
    "decisions.json": "049749c445ddf4d1d40eb52399be6f99a6dec361df5a6bc97e48c0de3b15f099",
    "notifications.json": "91110d219c2456362d0f2f3ebea54c2e8f7fbeb680efb571215ccf58a31e9021",
    "people.json": "08bd2786c9fbf8b07080bd0ab2983c4a78f536bc5ecbd4817950b69aa0eb7de2",
    "procedure.json": "79dc5ea69d514c3b156fc9c5b51fac1081c44da30b4aec7774fc082b989f9e27",
    "recommendations.json": "fd0f797dd9b60a7df0de98084ae525d572503bf14d8910a6accaebb37b79f037",
    "referral.json": "900575b9fc25845ed232c19635df76da8a6bc241bbf13a6e2241a4fafad03d94",
    "register.json": "b9974bbcd1994350a28801cb7253a10a5aa43d4ce03ada40dc8dca5750d19d79",
    "review.json": "22c161e63ae5667e5d5422fb08fec3134c7a7acabbdde5eaf8238ac27e9bbfd4",
}

#: skeleton file -> record kind, where the kind is not the file's stem
SKELETON_KINDS = {"chronology-agency.yaml": "chronology"}
#: placeholders that stand for ids in the skeletons `wbcr refer` fills in (case.yaml: lead_lscb comes
#: from the referral) or that a referrer types over (referral.yaml): ids are lower case, so the
#: placeholders are replaced by an id before the check
ID_PLACEHOLDERS = {"LSCB": "lscb-id", "AGENCY": "agency-id"}


def _schema_files() -> list[Path]:
    return sorted(SCHEMAS.glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _undescribed(node: Any, path: str = "#") -> Iterator[str]:
    """JSON pointers of the properties (entries of a `properties` mapping, at any depth) with no
    non-empty description."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _undescribed(item, f"{path}/{i}")
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in NAMED_SUBSCHEMAS and isinstance(value, dict):
            for name, sub in value.items():
                where = f"{path}/{key}/{name}"
                text = sub.get("description") if isinstance(sub, dict) else None
                if key == "properties" and not (isinstance(text, str) and text.strip()):
                    yield where
                yield from _undescribed(sub, where)
        elif key in DATA_KEYWORDS or key.startswith("x-") or key == "description":
            continue
        else:
            yield from _undescribed(value, f"{path}/{key}")


def _structure(node: Any) -> Any:
    """The schema without its `description` annotations: a property *named* description (referral.json's
    incident.description) is kept, and so is anything inside data keywords."""
    if isinstance(node, list):
        return [_structure(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "description":
            continue
        if key in NAMED_SUBSCHEMAS and isinstance(value, dict):
            out[key] = {name: _structure(sub) for name, sub in value.items()}
        elif key in DATA_KEYWORDS or key.startswith("x-"):
            out[key] = value
        else:
            out[key] = _structure(value)
    return out


def _digest(schema: dict) -> str:
    return hashlib.sha256(json.dumps(_structure(schema), sort_keys=True).encode()).hexdigest()


# --- (1) every property is described -------------------------------------------------------------


def test_every_property_of_every_schema_has_a_description():
    missing = [f"{path.name} {pointer}" for path in _schema_files() for pointer in _undescribed(_load(path))]
    assert not missing, f"{len(missing)} properties have no description:\n" + "\n".join(missing)


def test_the_walk_finds_an_undescribed_property_at_any_depth():
    schema = {"properties": {
        "a": {"type": "string", "description": "Described."},
        "b": {"type": "array", "items": {"properties": {"c": {"type": "string"}}}},
        "d": {"description": " ", "additionalProperties": {"properties": {"e": {"$ref": "#/$defs/x"}}}},
    }, "$defs": {"x": {"properties": {"f": {}}}, "y": {"enum": [{"properties": {"g": {}}}]}}}
    assert sorted(_undescribed(schema)) == [
        "#/$defs/x/properties/f",
        "#/properties/b",
        "#/properties/b/items/properties/c",
        "#/properties/d",
        "#/properties/d/additionalProperties/properties/e",
    ]


# --- (2) the skeletons are valid records -----------------------------------------------------------


def _skeletons() -> list[Path]:
    return sorted(SKELETONS.glob("*.yaml"))


def _kind(path: Path) -> str:
    return SKELETON_KINDS.get(path.name, path.stem)


def _fill_ids(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _fill_ids(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_fill_ids(value) for value in data]
    return ID_PLACEHOLDERS.get(data, data) if isinstance(data, str) else data


def test_every_case_record_kind_has_a_skeleton():
    kinds = {_kind(path) for path in _skeletons()}
    unknown = sorted(f"{path.name} ({_kind(path)})" for path in _skeletons() if _kind(path) not in schemas.SCHEMA_FILES)
    assert not unknown, f"skeletons of no known record kind: {unknown}"
    wanted = set(schemas.SCHEMA_FILES) - {"register"}
    assert sorted(wanted - kinds) == []


@pytest.mark.parametrize("path", _skeletons(), ids=lambda p: p.name)
def test_each_skeleton_is_a_valid_record_of_its_kind(path):
    display = f"case_templates/case/{path.name}"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# "), f"{display}: starts with a comment saying what the record is"
    data = load_record(path, display)                      # as `wbcr validate` reads it
    assert plain(_rt().load(read_record(path, display))) == data  # as `wbcr refer` reads its skeletons
    problems = schemas.check_record(_kind(path), _fill_ids(data))
    assert not problems, f"{display}:\n" + "\n".join(f"{p.message} ({p.hint})" for p in problems)


# --- (3) only descriptions changed --------------------------------------------------------------------


def test_every_schema_has_a_frozen_structure():
    assert sorted(p.name for p in _schema_files()) == sorted(STRUCTURE)


@pytest.mark.parametrize("name", sorted(STRUCTURE))
def test_the_schema_without_descriptions_is_unchanged(name):
    assert _digest(_load(SCHEMAS / name)) == STRUCTURE[name], (
        f"schemas/{name}: something other than a description changed; if the rules changed on purpose, "
        "update its digest in STRUCTURE")


def test_the_digest_ignores_descriptions_only():
    schema = _load(SCHEMAS / "referral.json")
    described = json.loads(json.dumps(schema))
    described["properties"]["summary"]["description"] = "Another wording."
    assert _digest(described) == _digest(schema)
    # the referral's incident has a property *named* description: dropping it is a change
    del described["properties"]["incident"]["properties"]["description"]
    assert _digest(described) != _digest(schema)
    described = json.loads(json.dumps(schema))
    described["properties"]["summary"]["maxLength"] = 10
    assert _digest(described) != _digest(schema)


def test_wbcr_fields_shows_every_fields_description(wbcr):
    """The descriptions reach users: `wbcr fields RECORD` lists each field with what it means."""
    import json as _json

    for record in ("case", "referral", "people", "decisions", "notifications", "review", "recommendations",
                   "chronology", "register"):
        result = wbcr("fields", record, "--format", "json")
        assert result.code == 0, result.err
        rows = _json.loads(result.out)["fields"]
        assert rows and all(row["description"] for row in rows), [r["field"] for r in rows if not r["description"]]
    text = wbcr("fields", "review").out
    assert "lines_of_enquiry (required)" in text and "wbcr review terms --line" in text
    assert "wbcr fields review" in wbcr("review", "--help").out


def test_validate_hints_say_what_the_field_means(wbcr, example):
    case = example / "cases" / "WBCR-2017-002" / "review.yaml"
    case.write_text(case.read_text().replace("terms_of_reference:", "terms_of_refrence:", 1))
    result = wbcr("validate", "cases/WBCR-2017-002", cwd=example)
    assert result.code == 1
    assert 'did you mean "terms_of_reference"? — The review\'s terms of reference' in result.out
