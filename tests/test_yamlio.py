"""wbcr.yamlio: the fast reader (YAML 1.2 core types, refusals, positions), the round-trip writer and
atomic writes. Property tests use hypothesis with small example counts so the file runs in seconds."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wbcr.core import yamlio
from wbcr.core.yamlio import (YamlError, atomic_write, decode_record, dump_record, dump_text, load_record,
                         load_roundtrip, locate, parse_yaml, resolve_plain)


def fast(examples: int):
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def value_of(text: str):
    return parse_yaml(f"k: {text}\n", "rec.yaml")["k"]


# --- type resolution: YAML 1.2 core, dates as strings ----------------------------------------------


@pytest.mark.parametrize("text, expected", [
    # YAML 1.1 booleans are plain text in 1.2
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"), ("N", "N"), ("Yes", "Yes"),
    # 1.2 booleans
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False),
    # nulls
    ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None),
    # sexagesimal (1.1) is text in 1.2: times stay as written
    ("10:30", "10:30"), ("09:05", "09:05"), ("1:20:00", "1:20:00"),
    # integers
    ("0", 0), ("12", 12), ("-3", -3), ("+7", 7), ("012", 12), ("0o17", 15), ("0x1F", 31), ("0xff", 255),
    # not integers in 1.2 core
    ("0b101", "0b101"), ("1_000", "1_000"), ("0o", "0o"), ("0x", "0x"), ("0o18", "0o18"),
    # floats
    ("1.5", 1.5), ("-0.25", -0.25), ("1e3", 1000.0), ("1.", 1.0), (".5", 0.5), ("+.5", 0.5),
    (".inf", math.inf), ("+.inf", math.inf), ("-.inf", -math.inf), (".Inf", math.inf), (".INF", math.inf),
    ("-.Inf", -math.inf), ("-.INF", -math.inf), ("+.Inf", math.inf), ("+.INF", math.inf),
    # dates and date-like text stay exactly as written
    ("2026-01-05", "2026-01-05"), ("2026-02-31", "2026-02-31"), ("2026-1-5", "2026-1-5"),
    ("2026-01-05T10:30:00Z", "2026-01-05T10:30:00Z"), ("31/02/2026", "31/02/2026"), ("?2026-01-05", "?2026-01-05"),
    # quoted scalars are always text
    ('"12"', "12"), ("'true'", "true"), ('"null"', "null"), ("''", ""), ('"~"', "~"), ("'2026-01-05'", "2026-01-05"),
    # other text
    ("Child K", "Child K"), ("nullable", "nullable"), ("true story", "true story"), ("-x", "-x"), ("1.2.3", "1.2.3"),
    ("NBCR-2026-001", "NBCR-2026-001"), ("+44 118 496 0000", "+44 118 496 0000"), ("R1-A1", "R1-A1"),
    # explicit core tags
    ("!!str 12", "12"), ("!!str true", "true"), ("!!int 12", 12), ("!!bool true", True), ("!!null ~", None),
])
def test_plain_scalar_resolution(text, expected):
    got = value_of(text)
    assert got == expected and type(got) is type(expected), (text, got)


def test_nan_and_bool_types():
    assert math.isnan(value_of(".nan")) and math.isnan(value_of(".NaN"))
    assert value_of("1") is not True and type(value_of("1")) is int
    assert type(value_of("true")) is bool


def test_keys_are_always_text():
    data = parse_yaml("1: a\ntrue: b\nnull: c\n2026-01-05: d\n'quoted': e\n", "rec.yaml")
    assert data == {"1": "a", "true": "b", "null": "c", "2026-01-05": "d", "quoted": "e"}
    assert list(data) == ["1", "true", "null", "2026-01-05", "quoted"]


def test_block_and_flow_structures():
    text = textwrap.dedent("""\
        # comment
        a:
          - 1
          - [x, "y", {z: ~}]
        b: |
          line one
          line two
        c: >-
          folded
          text
        d: {}
        e: []
        """)
    assert parse_yaml(text, "rec.yaml") == {"a": [1, ["x", "y", {"z": None}]], "b": "line one\nline two\n",
                                            "c": "folded text", "d": {}, "e": []}


def test_empty_documents_are_none():
    for text in ("", "\n", "# only a comment\n", "---\n", "---\n...\n"):
        assert parse_yaml(text, "rec.yaml") is None, repr(text)


def test_resolve_plain_is_the_reader_rule():
    for text in ("12", "yes", "~", "0o17", "1e3", "2026-01-05", "true"):
        assert resolve_plain(text) == value_of(text)


# --- refusals ---------------------------------------------------------------------------------------


REFUSALS = [
    # (id, text, code, line, col, message substring)
    ("alias-scalar", "a: &x 1\nb: *x\n", "yaml.alias", 1, 4, "anchors and aliases"),
    ("alias-mapping", "list:\n  - &p {n: 1}\n  - *p\n", "yaml.alias", 2, 5, "anchors and aliases"),
    ("billion-laughs", 'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: [*c,*c]\n', "yaml.alias", 1, 4,
     "anchors and aliases"),
    ("duplicate-top", "a: 1\nb: 2\na: 3\n", "yaml.duplicate-key", 3, 1, 'duplicate key "a"'),
    ("duplicate-nested", "a: 1\nb:\n  c: 1\n  c: 2\n", "yaml.duplicate-key", 4, 3, 'duplicate key "c"'),
    ("duplicate-quoted", "'a': 1\na: 2\n", "yaml.duplicate-key", 2, 1, 'duplicate key "a"'),
    ("duplicate-number-key", "1: a\n'1': b\n", "yaml.duplicate-key", 2, 1, 'duplicate key "1"'),
    ("duplicate-in-flow", "x: {a: 1, a: 2}\n", "yaml.duplicate-key", 1, 11, 'duplicate key "a"'),
    ("python-object-tag", "a: !!python/object:os.system x\n", "yaml.tag", 1, 4, "python/object:os.system"),
    ("python-apply-tag", "a: !!python/object/apply:os.system [ls]\n", "yaml.tag", 1, 4, "python/object/apply"),
    ("local-tag", "a: !Child x\n", "yaml.tag", 1, 4, '"!Child"'),
    ("binary-tag", "a: !!binary aGk=\n", "yaml.tag", 1, 4, "binary"),
    ("timestamp-tag", "a: !!timestamp 2026-01-01\n", "yaml.tag", 1, 4, "timestamp"),
    ("set-tag-top", "!!set {a}\n", "yaml.tag", 1, 1, "set"),
    ("omap-tag-nested", "a:\n  b: !!omap [x: 1]\n", "yaml.tag", 2, 6, "omap"),
    ("tab-indent", "a:\n\tb: 1\n", "yaml.syntax", 2, 1, "tab character"),
    ("tab-indent-in-mapping", "a:\n  b: 1\n\t c: 2\n", "yaml.syntax", 3, 1, "tab character"),
    # an unclosed bracket or quote is reported where it was opened, not past the end of the file
    ("unclosed-flow", "a: [1, 2\n", "yaml.syntax", 1, 4, "did not find expected ',' or ']'"),
    ("unclosed-flow-mapping", "a: {b: 1\n", "yaml.syntax", 1, 4, "did not find expected ',' or '}'"),
    ("unclosed-quote", "a: 1\nb: 'x\nc: 2\n", "yaml.syntax", 2, 4, "while scanning a quoted scalar"),
    ("colon-in-plain", "a: b: c\n", "yaml.syntax", 1, 5, "mapping values are not allowed"),
    ("bad-indent", "a: 1\n b: 2\n", "yaml.syntax", 2, 3, "mapping values are not allowed"),
    ("two-documents", "a: 1\n---\nb: 2\n", "yaml.syntax", 2, 1, "single document"),
    ("bad-escape", 'a: "\\q"\n', "yaml.syntax", 1, 5, "unknown escape"),
    ("reserved-indicator", "a: @x\n", "yaml.syntax", 1, 4, "cannot start any token"),
    ("list-as-key", "? [x]\n: 1\n", "yaml.syntax", 1, 3, "mapping key must be a plain value"),
    ("too-deep", "a: " + "[" * 70 + "]" * 70 + "\n", "yaml.depth", 1, 68, "nested more than 64 levels"),
    ("control-character", "a: 1\nb: tv\x01p\n", "yaml.encoding", 2, 6, "control character U+0001"),
    ("word-line-break", "a: one\x0btwo\n", "yaml.encoding", 1, 7, "control character U+000B"),
    ("nul", "a: 1\n\x00", "yaml.encoding", 2, 1, "control character U+0000"),
    ("tag-on-key", "!!python/name:os.system key: v\n", "yaml.tag", 1, 1, "python/name"),
    ("local-tag-on-nested-key", "a:\n  !Custom key: v\n", "yaml.tag", 2, 3, '"!Custom"'),
]


@pytest.mark.parametrize("name, text, code, line, col, message", [pytest.param(*r, id=r[0]) for r in REFUSALS])
def test_refusal(name, text, code, line, col, message):
    with pytest.raises(YamlError) as info:
        parse_yaml(text, "cases/X/rec.yaml")
    err = info.value
    assert (err.code, err.line, err.col) == (code, line, col), (err.code, err.line, err.col, err.message)
    assert message in err.message
    assert err.path == "cases/X/rec.yaml"
    assert "cases/X/rec.yaml:" in str(err)


def test_anchor_without_alias_is_harmless():
    # not refused: nothing is shared, so there is nothing to expand
    assert parse_yaml("a: &x 1\nb: 2\n", "rec.yaml") == {"a": 1, "b": 2}


def test_merge_key_is_just_a_key():
    assert parse_yaml("<<: {a: 1}\n", "rec.yaml") == {"<<": {"a": 1}}


@pytest.mark.parametrize("raw, line, col, message", [
    (b"a: \xa3\n", 1, 4, "byte 0xa3"),
    (b"a: 1\nb: \x93quoted\x94\n", 2, 4, "byte 0x93"),
    (b"\xff\xfea\x00:\x00", 1, 1, "UTF-16"),
    (b"\xfe\xff\x00a\x00:", 1, 1, "UTF-16"),
    (b"a: \xed\xa0\x80\n", 1, 4, "byte 0xed"),  # an encoded surrogate is not UTF-8
    (b"a: \xc3\n", 1, 4, "byte 0xc3"),            # truncated sequence
    # columns count characters, as libyaml's marks do: after the 2-byte 'ë' the bad byte is column 8
    pytest.param("a: Zoë ".encode() + b"\xe9\n", 1, 8, "byte 0xe9", id="after-multibyte-character"),
])
def test_encoding_refusals(raw, line, col, message):
    with pytest.raises(YamlError) as info:
        decode_record(raw, "rec.yaml")
    assert (info.value.code, info.value.line, info.value.col) == ("yaml.encoding", line, col)
    assert message in info.value.message and info.value.hint


def test_utf8_bom_is_dropped():
    assert decode_record(b"\xef\xbb\xbfa: 1\n", "rec.yaml") == "a: 1\n"
    assert parse_yaml(decode_record(b"\xef\xbb\xbfa: 1\n", "rec.yaml"), "rec.yaml") == {"a": 1}
    assert decode_record("a: Zoë 😀\n".encode(), "rec.yaml") == "a: Zoë 😀\n"


_DEEP_SCRIPT = """
import sys
from wbcr.core.yamlio import parse_yaml, locate, YamlError
text = sys.argv[1] * 100000 + sys.argv[2] * 100000
try:
    parse_yaml(text, "deep.yaml")
except YamlError as exc:
    print("refused", exc.code, exc.line, exc.col, exc.message)
else:
    print("accepted")
print("locate", locate(text, [0, 0, 0]))
"""


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("[", ""), ("{a: ", "}"), ("- ", "")],
                         ids=["flow-lists", "unclosed-lists", "flow-mappings", "block-lists"])
def test_deep_nesting_is_refused_without_crashing(opening, closing):
    # in a child process: a C-level stack overflow must not take the test run down with it
    proc = subprocess.run([sys.executable, "-c", _DEEP_SCRIPT, opening, closing], capture_output=True,
                          text=True, timeout=60, cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 0, proc.stderr[-2000:]
    first = proc.stdout.splitlines()[0]
    assert first.startswith("refused yaml.depth "), proc.stdout
    assert "nest" in first
    assert "locate (" in proc.stdout


def test_very_deep_nesting_has_the_depth_code():
    """Deeper than libyaml's own limit (1000) is the same problem as deeper than MAX_DEPTH: one code."""
    for text in ("[" * 100000, "a: " + "[" * 500 + "]" * 500):
        with pytest.raises(YamlError) as info:
            parse_yaml(text, "rec.yaml")
        assert info.value.code == "yaml.depth"
        assert info.value.line == 1 and info.value.col is not None


def test_nesting_just_inside_the_limit_is_accepted():
    depth = yamlio.MAX_DEPTH + 1  # the root is level 0
    data = parse_yaml("[" * depth + "x" + "]" * depth, "rec.yaml")
    for _ in range(depth):
        data = data[0]
    assert data == "x"
    with pytest.raises(YamlError):
        parse_yaml("[" * (depth + 1) + "]" * (depth + 1), "rec.yaml")


# --- locate -----------------------------------------------------------------------------------------

LOCATE_DOC = textwrap.dedent("""\
    # decisions
    schema_version: 1
    screening:
      date: 2026-01-06
      outcome: sufficient
    information_requests:
      - agency: tvp
        sent: 2026-01-06
      - agency: rbft
        people: [a, {b: c}]
    """)


@pytest.mark.parametrize("path, key, expected", [
    (["schema_version"], False, (2, 17)),
    (["schema_version"], True, (2, 1)),
    (["screening"], False, (4, 3)),
    (["screening", "outcome"], False, (5, 12)),
    (["screening", "outcome"], True, (5, 3)),
    (["information_requests"], False, (7, 3)),
    (["information_requests", 0], False, (7, 5)),
    (["information_requests", 1, "agency"], False, (9, 13)),
    (["information_requests", 1, "agency"], True, (9, 5)),
    (["information_requests", 1, "people", 0], False, (10, 14)),
    (["information_requests", 1, "people", 1, "b"], False, (10, 21)),
    (["information_requests", 1, "people", 1, "b"], True, (10, 18)),
    # missing: the nearest existing ancestor
    (["screening", "rationale"], False, (4, 3)),
    (["screening", "rationale"], True, (4, 3)),
    (["screening", "nope", "deeper"], False, (4, 3)),
    (["missing"], False, (2, 1)),
    (["information_requests", 5], False, (7, 3)),
    (["information_requests", "agency"], False, (7, 3)),
    (["schema_version", "x"], False, (2, 17)),
    ([], False, (2, 1)),
], ids=lambda v: repr(v) if isinstance(v, list) else None)
def test_locate(path, key, expected):
    assert locate(LOCATE_DOC, path, key=key) == expected


def test_locate_without_a_document():
    assert locate("", ["a"]) == (1, 1)
    assert locate("# c\n", []) == (1, 1)
    assert locate("a: [1,\n", ["a"]) == (1, 1)  # broken YAML: the top of the file


def test_locate_points_at_every_scalar_of_a_parsed_record():
    """For every scalar leaf, the text at locate(path) is where that scalar is written."""
    text = (Path(__file__).resolve().parent / "corpus/valid/chronology/police.yaml").read_text("utf-8")
    lines = text.split("\n")

    def leaves(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from leaves(v, path + [k])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from leaves(v, path + [i])
        else:
            yield path, node

    count = 0
    for path, value in leaves(parse_yaml(text, "x"), []):
        line, col = locate(text, path)
        written = lines[line - 1][col - 1:]
        assert written.lstrip("\"'").startswith(str(value)[:20]), (path, value, written)
        if isinstance(path[-1], str):
            kline, kcol = locate(text, path, key=True)
            assert lines[kline - 1][kcol - 1:].startswith(f"{path[-1]}:"), path
        count += 1
    assert count > 20


# --- hypothesis: writer and reader agree -------------------------------------------------------------

_TOKENS = ["#", " #", ": ", ":", " ", "  ", "'", '"', "''", "\\", "-", "- ", "? ", "?", "&", "*", "!", "|", ">",
           "%", "@", "`", "{", "}", "[", "]", ",", "{{ ", " }}", "0", "1", "9", ".", "e", "+", "0o", "0x", "~",
           "null", "true", "yes", "No", "on", "\n", "\t", "\r\n", "é", "Zoë", "😀", "خائفة", "\u2028", "\ufeff",
           "---", "...", "2026-01-05", "10:30", "_", ".inf", "nan", "<b>", "&amp;", "[redacted]", "Child K",
           "\x85", "\u2029", ".5e5", "-.Inf"]
_CHARS = st.characters(blacklist_categories=("Cs",))
texts = st.lists(st.sampled_from(_TOKENS), max_size=8).map("".join) | st.text(_CHARS, max_size=12)
scalars = st.none() | st.booleans() | st.integers() | texts
data_trees = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(texts, inner, max_size=4), max_leaves=12)


@fast(400)
@given(data_trees)
def test_dump_text_then_parse_yaml_round_trips(data):
    text = dump_text(data)
    assert parse_yaml(text, "rec.yaml") == data, text


@fast(60)
@given(st.dictionaries(st.sampled_from(["schema_version", "reference", "note", "event", "people"]),
                       data_trees, min_size=1))
def test_dump_record_then_load_record_round_trips(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rec.yaml"
        dump_record(path, data)
        assert load_record(path) == data
        assert os.listdir(tmp) == ["rec.yaml"]


@pytest.mark.parametrize("value", [".5e5", "-.5e5", "+.5E10", "-.Inf", "+.INF", "0o17", "0x1F", "1e3", "012",
                                   "true", "FALSE", "~", "null", "", "12", "-3", ".nan"])
def test_dump_text_quotes_number_like_text(value):
    """Text that YAML 1.2 core would read as a number, boolean or null is written so it stays text
    (ruamel alone writes '.5e5' plain, which the core schema reads as 50000.0)."""
    assert parse_yaml(dump_text({"k": value}), "rec.yaml") == {"k": value}


@pytest.mark.parametrize("value", ["\x85", "a\x85b", "\u2028", "a\u2029b", "line\x85\n"])
def test_dump_text_keeps_next_line_character(value):
    """NEL, LS and PS are line breaks to a YAML reader: written raw inside quotes they would be folded."""
    assert parse_yaml(dump_text({"k": value}), "rec.yaml") == {"k": value}
    assert parse_yaml(dump_text({value: 1}), "rec.yaml") == {value: 1}


# --- hypothesis: editing a hand-written file keeps comments and order --------------------------------

_HEADER = ["# wbcr-test: top comment line one", "# wbcr-test: top comment line two", ""]
_BLOCKS = {
    "schema_version": ["schema_version: 1  # wbcr-test: record format"],
    "reference": ["reference: NBCR-2026-001"],
    "lead_lscb": ["# wbcr-test: the lead LSCB is where the child lives",
                  "lead_lscb: northbury  # wbcr-test: changed after transfer"],
    "stage": ["stage: referral"],
    "opened": ["opened: 2026-01-05  # wbcr-test: date received"],
    "pseudonym": ["pseudonym: 'Child K'   # wbcr-test: agreed with family"],
    "flags": ["flags:", "  # wbcr-test: inside flags", "  death: false", "  coroner: true  # wbcr-test: inquest"],
    "stage_history": ["stage_history:", "  - stage: referral  # wbcr-test: first stage", "    date: 2026-01-05",
                      "    by: CRG Coordinator", "  # wbcr-test: between list items", "  - stage: screening",
                      "    date: 2026-01-06", '    by: "CRG Chair"'],
}
_EDITABLE = [("schema_version",), ("reference",), ("lead_lscb",), ("stage",), ("opened",), ("pseudonym",),
             ("flags", "coroner"), ("flags", "death"), ("stage_history", 0, "stage"), ("stage_history", 1, "by")]
_COMMENT = re.compile(r"# wbcr-test: [^\n]*")
_TOP_KEY = re.compile(r"^([a-z_]+):", re.M)


def _events(text: str) -> list[str]:
    """Top-level keys and test comments, in file order."""
    found = [(m.start(), m.group(0).rstrip()) for m in _COMMENT.finditer(text)]
    found += [(m.start(), f"key {m.group(1)}") for m in _TOP_KEY.finditer(text)]
    return [event for _, event in sorted(found)]


def _eol_pairs(text: str) -> list[tuple[str, str]]:
    """(what the line starts with, its end-of-line comment) for lines holding both."""
    pairs = []
    for line in text.split("\n"):  # not splitlines(): a U+2028 inside a value does not end a line
        match = _COMMENT.search(line)
        if match and line[: match.start()].strip():
            pairs.append((line.split(":")[0], match.group(0).rstrip()))
    return pairs


def _set(data, path, value):
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


_edit_texts = texts


@fast(200)
@given(order=st.permutations(list(_BLOCKS)), path=st.sampled_from(_EDITABLE),
       value=st.none() | st.booleans() | st.integers(-10**6, 10**6) | _edit_texts)
def test_roundtrip_edit_keeps_comments_order_and_sets_the_value(order, path, value):
    original = "\n".join(_HEADER + [line for key in order for line in _BLOCKS[key]]) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "case.yaml"
        file.write_text(original, encoding="utf-8")
        assert dump_text(load_roundtrip(file)) == original  # untouched: written back byte for byte

        doc = load_roundtrip(file)
        _set(doc, path, value)
        edited = dump_text(doc)

    expected = parse_yaml(original, "case.yaml")
    _set(expected, path, value)
    assert parse_yaml(edited, "case.yaml") == expected, edited
    assert list(parse_yaml(edited, "case.yaml")) == list(order)
    assert _events(edited) == _events(original), edited
    for line_start, comment in _eol_pairs(original):
        if line_start.strip(" -") == path[-1]:
            continue  # a new multi-line value may carry its key's comment to its last line
        assert any(l.split(":")[0] == line_start and comment in l for l in edited.split("\n")), (comment, edited)
    # every line not holding the edited key is still there, unchanged
    edited_lines = edited.split("\n")
    for line in original.split("\n"):
        if f"{path[-1]}:" not in line:
            assert line in edited_lines, (line, edited)


_STYLED = textwrap.dedent("""\
    plain: text
    double: "text"
    single: 'text'
    literal: |
      text
    folded: >
      text
    """)
@pytest.mark.parametrize("key", ["plain", "double", "single", "literal", "folded"])
def test_edit_keeps_next_line_character(tmp_path, key):
    """Setting a new value on a hand-written record keeps its text exactly, whatever the old value's style."""
    path = tmp_path / "review.yaml"
    path.write_text(_STYLED, encoding="utf-8")
    doc = load_roundtrip(path)
    doc[key] = "x\x85y"
    assert parse_yaml(dump_text(doc), "review.yaml")[key] == "x\x85y"


@pytest.mark.parametrize("key", ["plain", "double", "single", "literal", "folded"])
@pytest.mark.parametrize("value", ["12", ".5e5", "true", "~", "2026-01-05", "a\nb", "x\u2028y", "# not a comment"])
def test_edit_keeps_text_text_whatever_the_old_style(tmp_path, key, value):
    path = tmp_path / "review.yaml"
    path.write_text(_STYLED, encoding="utf-8")
    doc = load_roundtrip(path)
    doc[key] = value
    assert parse_yaml(dump_text(doc), "review.yaml")[key] == value


def test_load_roundtrip_refuses_like_the_fast_reader(tmp_path):
    path = tmp_path / "case.yaml"
    for text, code in [("a: 1\na: 2\n", "yaml.duplicate-key"), ("a: &x 1\nb: *x\n", "yaml.alias"),
                       ("a: !!python/object:os.system x\n", "yaml.tag"), ("a:\n\tb: 1\n", "yaml.syntax")]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(YamlError) as info:
            load_roundtrip(path, "cases/X/case.yaml")
        assert info.value.code == code and info.value.path == "cases/X/case.yaml"
    path.write_bytes(b"a: \xa3\n")
    with pytest.raises(YamlError) as info:
        load_roundtrip(path)
    assert info.value.code == "yaml.encoding"


# --- atomic_write ------------------------------------------------------------------------------------


class _HalfWriter:
    """A file object that writes half of what it is given, then fails like a full disk."""

    def __init__(self, real):
        self.real = real

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()
        return False

    def write(self, data):
        self.real.write(data[: len(data) // 2])
        self.real.flush()
        raise OSError(28, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.real, name)


def _inject(monkeypatch: pytest.MonkeyPatch, failure: str) -> type[BaseException]:
    if failure == "replace":
        def boom(*args, **kwargs):
            raise OSError(13, "Permission denied")
        monkeypatch.setattr(yamlio.os, "replace", boom)
        return OSError
    if failure == "interrupt":
        def interrupt(*args, **kwargs):
            raise KeyboardInterrupt
        monkeypatch.setattr(yamlio.os, "replace", interrupt)
        return KeyboardInterrupt
    if failure == "fsync":
        def no_fsync(fd):
            raise OSError(5, "Input/output error")
        monkeypatch.setattr(yamlio.os, "fsync", no_fsync)
        return OSError
    assert failure == "write"
    real_fdopen = os.fdopen
    monkeypatch.setattr(yamlio.os, "fdopen", lambda fd, *a, **k: _HalfWriter(real_fdopen(fd, *a, **k)))
    return OSError


contents = st.text(_CHARS, max_size=200) | st.binary(max_size=200)


def _as_bytes(content):
    return content.encode("utf-8") if isinstance(content, str) else content


@fast(60)
@given(old=st.none() | contents, new=contents,
       failure=st.sampled_from([None, "replace", "interrupt", "fsync", "write"]))
def test_atomic_write_leaves_old_or_new_and_no_temp_files(old, new, failure):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases" / "X" / "review.yaml"
        if old is not None:
            path.parent.mkdir(parents=True)
            path.write_bytes(_as_bytes(old))
        if failure is None:
            atomic_write(path, new)
            assert path.read_bytes() == _as_bytes(new)
        else:
            with pytest.MonkeyPatch.context() as mp:
                error = _inject(mp, failure)
                with pytest.raises(error):
                    atomic_write(path, new)
            if old is None:
                assert not path.exists()
            else:
                assert path.read_bytes() == _as_bytes(old)
        assert sorted(os.listdir(path.parent)) == ([] if failure and old is None else ["review.yaml"])


def test_dump_record_failure_keeps_the_old_record(tmp_path, monkeypatch):
    path = tmp_path / "case.yaml"
    path.write_text("# hand-written\nschema_version: 1\n", encoding="utf-8")
    _inject(monkeypatch, "replace")
    with pytest.raises(OSError):
        dump_record(path, {"schema_version": 2})
    assert path.read_text(encoding="utf-8") == "# hand-written\nschema_version: 1\n"
    assert os.listdir(tmp_path) == ["case.yaml"]


def test_readers_never_see_a_partial_file(tmp_path):
    path = tmp_path / "chronology.yaml"
    versions = [("schema_version: 1\nentries: []\n" + "# a\n" * 5000).encode(),
                ("schema_version: 1\nagency: x\n" + "# b\n" * 7000).encode()]
    atomic_write(path, versions[0])
    seen: set[bytes] = set()
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            seen.add(path.read_bytes())

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(60):
            atomic_write(path, versions[i % 2])
    finally:
        stop.set()
        thread.join(timeout=10)
    assert seen <= set(versions)
    assert os.listdir(tmp_path) == ["chronology.yaml"]
