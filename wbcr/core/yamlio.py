"""Reading and writing YAML records: the one module that owns it.

Two read paths, by design (see MEASURED.md):

* `parse_yaml` is the fast path used by `validate`, `status` and everything that only reads. It lets
  libyaml's C parser compose the node tree and builds plain Python data itself, with YAML 1.2 core
  types only (dates stay strings, so `2026-02-31` reaches the schema check with its position instead of
  crashing a date constructor), no anchors or aliases (no alias bombs), no duplicate keys, no custom tags.
* `locate` re-composes a file only when a finding needs its `line:col`.

Writes go through ruamel.yaml's round-trip mode, which keeps comments, key order and layout of a
hand-edited file, and every write is atomic (temporary file where git never looks, fsync, rename).
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any, Iterable

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from wbcr.core.errors import WbcrError

#: Largest record file wbcr will read. The biggest real record (a busy agency's chronology over a
#: ten-year scope) is a few hundred kilobytes; anything near this size is a mistake or an attack.
MAX_RECORD_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64

_CParser = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
HAVE_LIBYAML = _CParser is not yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
_PLAIN = "!wbcr-plain"
_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class YamlError(WbcrError):
    """A record file that cannot be read as YAML: syntax, encoding, size, aliases, duplicate keys."""

    def __init__(self, message: str, *, path: str, line: int | None = None, col: int | None = None,
                 hint: str | None = None, code: str = "yaml.syntax") -> None:
        super().__init__(message, path=path, line=line, col=col, hint=hint, code=code)


class _Composer(_CParser):  # type: ignore[misc, valid-type]
    """libyaml composes; plain scalars are tagged for `_build` to resolve with YAML 1.2 core rules."""

    def resolve(self, kind, value, implicit):  # noqa: D401 - PyYAML's hook
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR
        if kind is MappingNode:
            return "tag:yaml.org,2002:map"
        return "tag:yaml.org,2002:seq"


_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_OCT = re.compile(r"0o[0-7]+\Z")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_SPECIAL = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
    ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"),
    **{sign + inf: float(sign + "inf") for sign in ("", "+", "-") for inf in (".inf", ".Inf", ".INF")},
}
_MAYBE_TYPED = frozenset("0123456789-+.~nNtTfF")


#: the largest whole number a record may hold (in bits): past it Python cannot write it as text
MAX_INT_BITS = 14_000


def resolve_plain(value: str) -> Any:
    """YAML 1.2 core schema resolution of a plain scalar (the same rules ruamel.yaml writes by); raises
    ValueError for a whole number too long to be written back as text."""
    number = _resolve_plain(value)
    if number.__class__ is int and number.bit_length() > MAX_INT_BITS:
        raise ValueError("number too long")
    return number


def _resolve_plain_key(value: str) -> Any:
    try:
        return resolve_plain(value)
    except ValueError:  # a key is its text whatever it looks like
        return value


def _looks_typed(text: str) -> bool:
    """Whether plain `text` would be read as something other than text (a number, true, null…)."""
    try:
        value = resolve_plain(text)
    except ValueError:  # a number too long to read: still a number, not text
        return True
    return value is not text and not isinstance(value, str)


def _resolve_plain(value: str) -> Any:
    if value and value[0] not in _MAYBE_TYPED:
        return value
    if value in _SPECIAL:
        return _SPECIAL[value]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if _INT_OCT.match(value):
        return int(value[2:], 8)
    if _INT_HEX.match(value):
        return int(value[2:], 16)
    return value


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(node, path: str, seen: set, depth: int) -> Any:
    if id(node) in seen:
        line, col = _mark(node)
        raise YamlError("YAML anchors and aliases (&name, *name) are not allowed in wbcr records",
                        path=path, line=line, col=col, code="yaml.alias",
                        hint="write the value out in full where it is needed")
    seen.add(id(node))
    tag = node.tag
    if node.__class__ is ScalarNode:
        if tag == _PLAIN:
            try:
                return resolve_plain(node.value)
            except ValueError:  # a whole number longer than Python turns into a value (4,300 digits)
                _too_long_number(node, path)
        if tag == _STR:
            return node.value
        return _explicit_scalar(node, path)
    if depth > MAX_DEPTH:
        line, col = _mark(node)
        raise YamlError(f"nested more than {MAX_DEPTH} levels deep", path=path, line=line, col=col,
                        code="yaml.depth", hint="records are never this deep; check the file")
    if tag not in _CORE_TAGS:
        _bad_tag(node, path)
    if node.__class__ is MappingNode:
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                line, col = _mark(key_node)
                raise YamlError("a mapping key must be a plain value, not a list or mapping",
                                path=path, line=line, col=col)
            if key_node.tag not in (_PLAIN, _STR):
                _bad_tag(key_node, path)
            key = key_node.value if key_node.tag != _PLAIN else _resolve_plain_key(key_node.value)
            if not isinstance(key, str):
                key = key_node.value
            if key in result:
                line, col = _mark(key_node)
                raise YamlError(f'duplicate key "{key}"', path=path, line=line, col=col,
                                code="yaml.duplicate-key",
                                hint="each key may appear once in a mapping; merge the two entries")
            result[key] = _build(value_node, path, seen, depth + 1)
        return result
    return [_build(item, path, seen, depth + 1) for item in node.value]


def _explicit_scalar(node, path: str) -> Any:
    tag = node.tag
    if tag == "tag:yaml.org,2002:str":
        return node.value
    if tag in _CORE_TAGS:
        try:
            return resolve_plain(node.value)
        except ValueError:
            _too_long_number(node, path)
    _bad_tag(node, path)


def _too_long_number(node, path: str):
    line, col = _mark(node)
    raise YamlError(f"a number of {len(node.value):,} characters is longer than any record holds", path=path,
                    line=line, col=col, code="yaml.too-large",
                    hint="check the value: a number is a few digits; put it in quotes if it is text")


def _bad_tag(node, path: str):
    line, col = _mark(node)
    raise YamlError(f'YAML tag "{node.tag}" is not allowed in wbcr records', path=path, line=line,
                    col=col, code="yaml.tag", hint="remove the tag; records hold plain values only")


def decode_record(raw: bytes, path: str) -> str:
    """Bytes of a record file to text: UTF-8 only, a leading byte-order mark tolerated."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlError("the file is UTF-16, not UTF-8", path=path, line=1, col=1,
                        code="yaml.encoding", hint="save it again as UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        # columns count characters, as libyaml's do; everything before the bad byte is valid UTF-8
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
        raise YamlError(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", path=path, line=line,
                        col=col, code="yaml.encoding",
                        hint="save the file as UTF-8 (it may have come from Excel or Word as Windows-1252)"
                        ) from None


def read_record_bytes(path: Path | str, display: str | None = None) -> bytes:
    """A record file's bytes, refusing an oversized or unreadable file with a located error."""
    shown = display or str(path)
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise YamlError("not a regular file", path=shown, code="file.unreadable",
                                hint="records are plain files; remove the pipe, device or special file")
            raw = fh.read(MAX_RECORD_BYTES + 1) if info.st_size <= MAX_RECORD_BYTES else b""
            if info.st_size > MAX_RECORD_BYTES or len(raw) > MAX_RECORD_BYTES:
                size = max(info.st_size, len(raw))
                raise YamlError(f"file is {size / 1048576:.1f} MB; records are limited to "
                                f"{MAX_RECORD_BYTES // 1048576} MB", path=shown, code="yaml.too-large",
                                hint="a record this large is almost certainly not a wbcr record")
            return raw
    except OSError as exc:
        raise YamlError(f"cannot read the file: {exc.strerror}", path=shown, code="file.unreadable") from None


def read_record(path: Path, display: str | None = None) -> str:
    """Read a record file's text, refusing oversized and non-UTF-8 files with a located error."""
    shown = display or str(path)
    return decode_record(read_record_bytes(path, shown), shown)


def parse_yaml(text: str, path: str) -> Any:
    """Parse one YAML document into plain data, or raise a located YamlError."""
    loader = _Composer(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path, text) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise YamlError(f"control character U+{ord(char):04X} is not allowed in a record", path=path, line=line,
                        col=col, code="yaml.encoding",
                        hint="remove it; it often comes from text pasted out of Word or a PDF") from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}", path=path) from None
    except RecursionError:
        raise YamlError(f"nested more than {MAX_DEPTH} levels deep", path=path, code="yaml.depth") from None
    finally:
        loader.dispose()
    if node is None:
        return None
    return _build(node, path, set(), 0)


def load_record(path: Path, display: str | None = None) -> Any:
    shown = display or str(path)
    return parse_yaml(read_record(path, shown), shown)


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, text: str) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    # At the end of the stream (an unclosed quote or bracket) the problem's own mark points past the
    # file; where the unclosed thing started is the useful place.
    if exc.context_mark is not None and mark is not None and (
            mark.line >= len(text.splitlines()) or "end of stream" in (exc.problem or "")):
        mark = exc.context_mark
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    problem = exc.problem or "invalid YAML"
    hint = "check the indentation and punctuation on this line and the one before"
    lines = text.splitlines()
    at = lines[mark.line][mark.column : mark.column + 1] if mark and mark.line < len(lines) else ""
    code = "yaml.syntax"
    if "maximum nesting depth" in problem:
        return YamlError(f"nested more than {MAX_DEPTH} levels deep", path=path, line=line, col=col, code="yaml.depth",
                         hint="records are never this deep; check the file")
    if at == "\t" or "'\\t'" in problem:
        problem = "a tab character is not allowed here"
        hint = "YAML is indented with spaces; replace the tab with spaces"
    elif "mapping values are not allowed" in problem:
        hint = "a value containing ': ' must be quoted, or the indentation is wrong"
    elif "could not find expected ':'" in problem:
        hint = "a key is missing its ':' or a multi-line value is not indented under its key"
    context = f" ({exc.context})" if exc.context and exc.context not in problem else ""
    return YamlError(f"YAML syntax: {problem}{context}", path=path, line=line, col=col, hint=hint, code=code)


# --- positions -------------------------------------------------------------------------------------


def locate(text: str, keys: Iterable[Any], *, key: bool = False) -> tuple[int, int]:
    """`(line, col)` of the value at `keys` (a JSON path), or of its key when `key` is true.

    Falls back to the nearest existing ancestor, so a missing field points at its parent mapping.
    """
    loader = _Composer(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return 1, 1
    finally:
        loader.dispose()
    if node is None:
        return 1, 1
    found = node
    key_node = None
    for step in keys:
        if isinstance(found, MappingNode) and isinstance(step, str):
            for k, v in found.value:
                if isinstance(k, ScalarNode) and k.value == step:
                    key_node, found = k, v
                    break
            else:
                return _mark(found)
        elif isinstance(found, SequenceNode) and isinstance(step, int) and 0 <= step < len(found.value):
            key_node, found = None, found.value[step]
        else:
            break
    if key and key_node is not None:
        return _mark(key_node)
    return _mark(found)


# --- round-trip writing ----------------------------------------------------------------------------


def _rt():
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    rt.Constructor = _constructor_class()
    rt.Representer = _representer_class()
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


@functools.cache
def _constructor_class():
    """ruamel's round-trip constructor, reading an impossible date (`2017-02-30`) as its text, as the fast
    reader does: the record's findings then say what is wrong with it, instead of the reader failing."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class Constructor(RoundTripConstructor):
        def construct_yaml_timestamp(self, node, values=None):
            try:
                return super().construct_yaml_timestamp(node, values)
            except ValueError:
                return self.construct_scalar(node)

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_timestamp)
    return Constructor


@functools.cache
def _representer_class():
    """ruamel's round-trip representer, taught to write text so that wbcr reads back the same text."""
    from ruamel.yaml.representer import RoundTripRepresenter
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, SingleQuotedScalarString

    class Representer(RoundTripRepresenter):
        def ignore_aliases(self, data):  # records never hold anchors: an object written twice is written out twice
            return True

    Representer.add_representer(str, _represent_str)
    # An edited value keeps the style of the one it replaced (ruamel wraps it in that ScalarString
    # class): those styles must not write a NEL or line separator raw either.
    for cls in (SingleQuotedScalarString, LiteralScalarString, FoldedScalarString):
        Representer.add_representer(cls, _keeping_breaks(RoundTripRepresenter.yaml_representers[cls]))
    return Representer


def _keeping_breaks(original):
    def represent(representer, data):
        if any(ch in data for ch in _LINE_BREAKS):
            return representer.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')
        return original(representer, data)

    return represent


_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(representer, data: str):
    """Text is written so that wbcr's own reader reads back exactly the same text."""
    style = None
    if any(ch in data for ch in _LINE_BREAKS):
        style = '"'  # escaped as \N, \L, \P: raw, YAML would read them as line breaks
    elif data and _looks_typed(data):
        style = "'"  # text that looks like a number, a boolean or null stays text
    return representer.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def load_roundtrip(path: Path, display: str | None = None):
    """Load a record for editing, keeping comments and layout (slow: use for single files only)."""
    shown = display or str(path)
    text = read_record(path, shown)
    parse_yaml(text, shown)  # the same refusals as the fast path, with the same messages
    return _rt().load(text)


def dump_text(data: Any) -> str:
    buf = io.StringIO()
    _rt().dump(data, buf)
    return buf.getvalue()


#: the scratch folder's name inside a git directory, and at the root of a register that is not in one
SCRATCH_IN_GIT = "wbcr-tmp"
SCRATCH_IN_REGISTER = ".wbcr-tmp"  # matched by the `.wbcr-*` line of the .gitignore `wbcr init` writes


def scratch_dir(folder: Path) -> Path | None:
    """Where temporary files for `folder` are made when it is in a register: a folder git never looks
    at, on the same filesystem (so the final rename stays atomic) — inside the git directory of the
    repository holding the register (`.git/wbcr-tmp/`), else at the register's root (`.wbcr-tmp/`,
    ignored by git). None outside a register, or when neither is usable: then beside the file."""
    folder = Path(os.path.abspath(folder))
    register = None
    for parent in (folder, *folder.parents):
        if register is None:
            if not (parent / "wbcr.yaml").is_file():
                continue
            register = parent
        dotgit = parent / ".git"
        gitdir = None
        if dotgit.is_dir():
            gitdir = dotgit
        elif dotgit.is_file():  # a linked work tree or a submodule: "gitdir: <path>"
            with contextlib.suppress(OSError, UnicodeDecodeError):
                line = dotgit.read_text("utf-8").strip()
                if line.startswith("gitdir:"):
                    gitdir = parent / line[len("gitdir:"):].strip()
        if gitdir is not None:
            return _usable_scratch(gitdir / SCRATCH_IN_GIT, folder)
    return _usable_scratch(register / SCRATCH_IN_REGISTER, folder) if register is not None else None


def _usable_scratch(scratch: Path, folder: Path) -> Path | None:
    try:
        scratch.mkdir(mode=0o700, exist_ok=True)
        if os.stat(scratch).st_dev != os.stat(folder).st_dev:
            return None
    except OSError:
        return None
    return scratch


def temporary_name_pid(name: str) -> int | None:
    """The process that made a temporary file of `atomic_write` (`.NAME.PID.RANDOM.tmp`), else None."""
    parts = name.split(".")
    if not name.startswith(".") or len(parts) < 5 or parts[-1] != "tmp" or not parts[-3].isdigit():
        return None
    return int(parts[-3])


def atomic_write(path: Path, text: str | bytes, mode: int | None = None) -> None:
    """Write a file so that readers see the old content or the new, never a half-written one. `mode`:
    the new file's permissions (default: those of the file replaced, else the user's usual ones).

    The temporary file is made in `scratch_dir` (inside `.git/`), never beside the file: a command
    killed half-way must not leave a file git could pick up (its content may be a child's name). Its
    name carries the process id, so the next command can tell a dead process's leftover."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    where = scratch_dir(path.parent) or path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=where)
    try:
        with os.fdopen(fd, "wb") as fh:
            # keep the mode of the file replaced; a new file gets the user's usual mode (mkstemp's is 0600)
            if mode is None:
                try:
                    mode = stat.S_IMODE(os.stat(path).st_mode)
                except FileNotFoundError:
                    umask = os.umask(0)
                    os.umask(umask)
                    mode = 0o666 & ~umask
            os.chmod(tmp, mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):  # the temporary file may be gone already
            os.unlink(tmp)
        raise


def dump_record(path: Path, data: Any) -> None:
    atomic_write(path, dump_text(data))
