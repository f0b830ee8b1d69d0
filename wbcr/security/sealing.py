"""Sealed case records: schema-marked sensitive values encrypted in place, the rest left readable.

A case's records keep their structure, workflow dates, stages and agency ids in the clear, so
`validate`, `status` and CI run without any key; the values of the fields the schemas mark
`"x-sensitive": true` (names, dates of birth and death, addresses, narratives) are stored sealed, as
`wbcr:sealed:v1:<base64url>` (the envelope; what is inside says how the value is bound).

* **Case seal key**: scrypt(case password, salt = `"wbcr seal v1\\0"` + reference, n=2^15, r=8, p=1)
  → 64 bytes, an AES-256-SIV key. The case password comes from `wbcr.security.passwords`, so the board key opens
  every case and one case's password opens that case and no other.
* **A sealed value**: AES-SIV over the value's UTF-8 text padded to a multiple of 16 bytes (0x80 then
  zeros, so short values of similar length look alike). Deterministic: the same value in the same place
  gives the same text, so git diffs stay small. A value altered, or moved to another place, fails to open.
* **Format 2 (written since issue 13): bound to its exact place.** The body is the byte 0x02 followed by
  the AES-SIV output, with associated data [`"wbcr seal v2"`, reference, record (`people.yaml`,
  `chronology/tvp.yaml`), place]. The place is the value's JSON path as compact JSON with every list
  item named: a mapping item with an `id` (a person in people.yaml) by `{"id": …}`, any other item by
  its index — `["people",{"id":"child-d"},"date_of_birth"]`, `["key_dates",2,"date"]`. So a child's
  and a mother's names or dates of birth swapped between their items do not open, nor does a value
  moved to another entry of a list. Items of lists without ids are bound to their position: a list
  holding sealed values is reordered, or an item taken out of its middle, only by opening the record
  (`wbcr unseal`), editing and sealing again; wbcr's own commands only append to such lists, and a
  chronology import writes its file afresh.
* **Format 1 (before issue 13), still read**: the AES-SIV output alone (so always a multiple of 16
  bytes: the two formats cannot be confused), with associated data [`"wbcr seal v1"`, reference,
  record, field (`people.*.name`)] — the field, not the item. Every write of a record with the key
  (`wbcr seal`, any command through the case store, the clean filter when it seals) re-seals its format 1
  values in format 2. Until a case is sealed again, and for anyone who puts a format 1 value back from
  git history, values of one field can still be swapped between its items.

## Identifying dates

Dates of birth and death identify a child; with the area and the press, so does the date of the
incident. They are sealed wherever they are recorded: `people.*.date_of_birth` and
`people.*.date_of_death`, the referral's `incident.date` (in a death, the date of death), its
`key_dates.*.date` (the events of the child's life the referrer lists — birth and death among them;
their descriptions were sealed already) and `out_of_area.scope` (another partnership's review period,
which ends on the day of the death or incident). No deadline, check or stage guard reads any of them:
the statutory clocks run from `received` and `became_aware`.

Dates wbcr computes with stay plain, because a keyless clone and CI must compute with them: `received`,
`became_aware`, stage, decision, notification, request and return dates (the deadlines), the review's
`terms_of_reference.scope`, the chronology's entry dates, periods of no contact and
`chronology_review.same_days` (the chronology checks: order, scope, gaps, same-day contacts). This
leaves a known residue: a review's scope usually ends on the day of the death or incident, and a
chronology has entries on it and on the day of birth; the entries' text is sealed, their dates are not.

Sealing and opening edit records through ruamel.yaml's round trip, so comments and layout survive, and
every result is read back by wbcr's own reader and compared before it is used.

The git side: a `wbcr` clean/smudge filter (also as a long-running `process` filter) seals on the way
into git and opens on the way out, so a business manager with the key edits plain YAML while git and
every remote hold ciphertext; every file under `cases/` goes through it, and one that is not a case
record is refused (`git add` fails), since nothing says it holds no personal data. `check_sealed` is the
pre-commit and CI check that no sensitive value, and no such file, reaches git in plain text. Commits made
before a case was sealed are `wbcr.operations.history`'s (`wbcr seal --history`).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

from wbcr.core.errors import UsageError, WbcrError
from wbcr.core.findings import ERROR, Finding
from wbcr.model.schemas import SEALED_PATTERN, SEALED_PREFIX, dotted, iter_sensitive_paths, record_kind
from wbcr.core import gitrepo
from wbcr.core.yamlio import YamlError, _rt, atomic_write, decode_record, dump_text, locate, parse_yaml, read_record, read_record_bytes
from wbcr.model.register import CONFIG_NAME, Register, load_config
from wbcr.security.passwords import case_password

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_SALT = b"wbcr seal v1\0"
_AD = b"wbcr seal v1"        # format 1: bound to record and field
_AD_V2 = b"wbcr seal v2"     # format 2: bound to record and place (field with every list item named)
_V2 = b"\x02"                # format 2's first byte; format 1 has none (its length is a multiple of 16)
_BLOCK = 16
_SEALED_RE = re.compile(SEALED_PATTERN)

#: Every file under cases/ goes through the filter (the last line): a case record is sealed, any other file
#: with content is refused (see `GitFilter.clean`), so nothing under cases/ reaches git in plain text by
#: `git add`. The first two lines are what registers made before issue 13 have, kept so one text serves
#: both; `wbcr key filters` adds the last to such a register.
GITATTRIBUTES_LINES = ("cases/*/*.yaml filter=wbcr", "cases/*/chronology/*.yaml filter=wbcr", "cases/** filter=wbcr")
GITATTRIBUTES_HEADER = ("# wbcr: sensitive values in case records are sealed on their way into git "
                        "(README: \"Passwords, protected documents and sealed records\")")


class SealError(WbcrError):
    """A sealed value that does not open, or a record that cannot be sealed."""

    def __init__(self, message: str, **kwargs) -> None:
        kwargs.setdefault("code", "seal")
        super().__init__(message, **kwargs)


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)


@dataclass(frozen=True)
class ItemId:
    """A list item named by its `id` in a place (a person in people.yaml), not by its position."""

    id: str


def place_text(place: tuple) -> str:
    """A place as it is bound into a format 2 value: compact JSON, list items by `{"id": …}` or index."""
    steps = [{"id": step.id} if isinstance(step, ItemId) else step for step in place]
    return json.dumps(steps, separators=(",", ":"), ensure_ascii=True)


def _decode(sealed: str) -> bytes:
    """The bytes of a sealed value's body; SealError when it is not a whole, canonical sealed value."""
    if not _SEALED_RE.match(sealed):
        raise SealError("a sealed value is damaged (not a whole sealed value)")
    body = sealed[len(SEALED_PREFIX):]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise SealError("a sealed value does not open") from None
    if base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=") != body:
        raise SealError("a sealed value does not open")  # one sealed text per value, no variants
    return raw


def sealed_format(value: Any) -> int | None:
    """1 or 2 for a sealed value of that format (see the module's docstring); None for anything else
    (plain text, a damaged value)."""
    if not is_sealed(value):
        return None
    try:
        raw = _decode(value)
    except SealError:
        return None
    if len(raw) % _BLOCK == 0:
        return 1
    if len(raw) % _BLOCK == 1 and raw[:1] == _V2:
        return 2
    return None


def derive_seal_key(password: str, reference: str) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=_SALT + reference.encode("utf-8"), length=64, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(password.encode("utf-8"))


def _pad(text: str) -> bytes:
    data = text.encode("utf-8") + b"\x80"
    return data + b"\0" * (-len(data) % _BLOCK)


def _unpad(data: bytes) -> str:
    end = data.rstrip(b"\0")
    if not end.endswith(b"\x80"):
        raise SealError("a sealed value does not open")
    try:
        return end[:-1].decode("utf-8")
    except UnicodeDecodeError:
        raise SealError("a sealed value does not open") from None


class CaseSeal:
    """One case's seal key. Holds key material, so its repr names the case only."""

    __slots__ = ("reference", "_siv")

    def __init__(self, reference: str, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESSIV

        self.reference = reference
        self._siv = AESSIV(key)

    @classmethod
    def from_password(cls, reference: str, password: str) -> "CaseSeal":
        return cls(reference, derive_seal_key(password, reference))

    def __repr__(self) -> str:
        return f"CaseSeal({self.reference!r})"

    def _ad(self, record: str, field_path: str) -> list[bytes]:
        return [_AD, self.reference.encode("utf-8"), record.encode("utf-8"), field_path.encode("utf-8")]

    def _ad_v2(self, record: str, place: tuple) -> list[bytes]:
        return [_AD_V2, self.reference.encode("utf-8"), record.encode("utf-8"), place_text(place).encode("utf-8")]

    def seal(self, text: str, record: str, field_path: str) -> str:
        """`text` sealed in format 1, bound to its field (`people.*.name`) but not its list item: kept so
        the format read for old values stays documented and tested. wbcr writes with `seal_at`."""
        sealed = self._siv.encrypt(_pad(text), self._ad(record, field_path))
        return SEALED_PREFIX + base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")

    def seal_at(self, text: str, record: str, place: tuple) -> str:
        """`text` sealed in format 2, bound to its exact place (a JSON path with `ItemId` for items
        that have an id, e.g. `("people", ItemId("child-d"), "name")`)."""
        sealed = _V2 + self._siv.encrypt(_pad(text), self._ad_v2(record, place))
        return SEALED_PREFIX + base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")

    def open(self, sealed: str, record: str, field_path: str, place: tuple | None = None) -> str:
        """The text of a sealed value of either format; SealError (without the value) when it does not
        open here. `field_path` binds format 1 values, `place` format 2 values."""
        from cryptography.exceptions import InvalidTag

        raw = _decode(sealed)
        if len(raw) % _BLOCK == 0:
            ad = self._ad(record, field_path)
        elif len(raw) % _BLOCK == 1 and raw[:1] == _V2 and place is not None:
            raw, ad = raw[1:], self._ad_v2(record, place)
        else:
            raise SealError("a sealed value does not open")
        try:
            data = self._siv.decrypt(raw, ad)
        except (ValueError, InvalidTag):
            raise SealError("a sealed value does not open") from None
        return _unpad(data)


# --- sensitive values in a record ------------------------------------------------------------------

_PATHS: dict[str, list[tuple]] = {}


def _sensitive_paths(kind: str) -> list[tuple]:
    if kind not in _PATHS:
        _PATHS[kind] = list(iter_sensitive_paths(kind))
    return _PATHS[kind]


@dataclass(frozen=True)
class Slot:
    """One sensitive value: its concrete JSON path, its field (the schema path, `*` for list items),
    and its place (the path with an item that has an `id` named by it: what format 2 binds)."""

    path: tuple
    field: str
    value: Any = field(repr=False)
    place: tuple = ()


def item_identity(item: Any, index: int) -> ItemId | int:
    """How a list item is named in a place: by its `id` when it is a mapping with one (a person in
    people.yaml, whom other records name by that id), else by its index."""
    if isinstance(item, dict):
        ident = item.get("id")
        if isinstance(ident, str) and ident:
            return ItemId(ident)
    return index


def iter_slots(kind: str, data: Any) -> Iterator[Slot]:
    """Every value at a sensitive path of a record, in document order of the schema's fields."""

    def walk(node: Any, pattern: tuple, done: tuple, place: tuple) -> Iterator[Slot]:
        if not pattern:
            yield Slot(done, ".".join(str(p) for p in pattern_of(done)), node, place)
            return
        head, rest = pattern[0], pattern[1:]
        if head == "*":
            if isinstance(node, list):
                for i, item in enumerate(node):
                    yield from walk(item, rest, done + (i,), place + (item_identity(item, i),))
        elif isinstance(node, dict) and head in node:
            yield from walk(node[head], rest, done + (head,), place + (head,))

    def pattern_of(path: tuple) -> tuple:
        return tuple("*" if isinstance(p, int) else p for p in path)

    for pattern in _sensitive_paths(kind):
        yield from walk(data, pattern, (), ())


def format_slot(slot: Slot) -> str:
    """A slot for a message: its path, with the ids of the items on it (`people[1].name (id mother)`)."""
    ids = [step.id for step in slot.place if isinstance(step, ItemId)]
    return dotted(slot.path) + (f" (id {', '.join(ids)})" if ids else "")


def plaintext_of(value: Any) -> str | None:
    """The text a sensitive value is sealed as; None when there is nothing to seal (empty, or not a
    single value: a list or mapping where text belongs is left for the schema check to report)."""
    if value is None or value == "" or isinstance(value, (list, dict)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    return None


def _set(tree: Any, path: tuple, value: Any) -> None:
    for step in path[:-1]:
        tree = tree[step]
    tree[path[-1]] = value


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=False, default=str) == json.dumps(b, sort_keys=False, default=str)


def _expected(data: Any, changes: dict[tuple, str]) -> Any:
    copy = json.loads(json.dumps(data, default=str))
    for path, value in changes.items():
        _set(copy, path, value)
    return copy


def _rewrite(text: str, display: str, changes: dict[tuple, str], expected: Any, *, style: str) -> str:
    """`text` with the values at `changes` replaced, through the round trip (comments and layout kept).

    `style`: "sealed" writes plain scalars (so the result does not depend on how the plain text was
    quoted, and the clean filter is stable); "literal" writes multi-line text as `|` blocks; "auto"
    lets the writer choose.
    """
    from ruamel.yaml.scalarstring import LiteralScalarString, PlainScalarString


    tree = _rt().load(text)
    for path, value in changes.items():
        if style == "sealed":
            value = PlainScalarString(value)
        elif style == "literal" and _literal_ok(value):
            value = LiteralScalarString(value)
        _set(tree, path, value)
    out = dump_text(tree)
    if not _same(parse_yaml(out, display), expected):
        if style == "literal":
            return _rewrite(text, display, changes, expected, style="auto")
        raise SealError("the record would not read back the same after rewriting; it was left as it was",
                        path=display, hint="this is a bug in wbcr: please report it")
    return out


def _literal_ok(text: str) -> bool:
    """Multi-line text reads best as a `|` block, when a block can hold it exactly."""
    return ("\n" in text and not text.startswith((" ", "\n", "\t")) and "\r" not in text
            and all(ch == "\n" or ch.isprintable() for ch in text)
            and not any(line.endswith((" ", "\t")) for line in text.split("\n")))


def seal_record_text(text: str, *, kind: str, record: str, display: str,
                     seal: CaseSeal | None) -> tuple[str, int]:
    """`text` with every plain sensitive value sealed and every format 1 value re-sealed in format 2,
    each in its place, and how many values changed. With nothing to change the very same text comes
    back; with plain values and no `seal`, a SealError.

    With a `seal`, every value already sealed must open where it stands: a value moved to another
    field or item is refused (a SealError naming it), never sealed again in its new place.
    """
    data = parse_yaml(text, display)
    slots = list(iter_slots(kind, data))
    todo = [(slot, plain) for slot in slots
            if not is_sealed(slot.value) and (plain := plaintext_of(slot.value)) is not None]
    if seal is None:
        if todo:
            raise SealError(f"{len(todo)} sensitive value(s) are in plain text and there is no key to seal them",
                            path=display, hint="seal them where the board key is, or remove them")
        return text, 0
    if not todo and SEALED_PREFIX not in text:
        return text, 0
    _, opened = open_record_data(data, kind=kind, record=record, display=display, seal=seal, text=text)
    changes = {slot.path: seal.seal_at(plain, record, slot.place) for slot, plain in todo}
    for slot in slots:
        if slot.path in opened and sealed_format(slot.value) == 1:
            changes[slot.path] = seal.seal_at(opened[slot.path], record, slot.place)
    if not changes:
        return text, 0
    return _rewrite(text, display, changes, _expected(data, changes), style="sealed"), len(changes)


def open_record_data(data: Any, *, kind: str, record: str, display: str, seal: CaseSeal,
                     text: str | None = None) -> tuple[Any, dict[tuple, str]]:
    """A copy of plain record data with every sealed value opened, and the opened values by path.

    When some values do not open, one SealError says where the first is: sealed for another item of
    the list and moved here, altered, or — when none opens and none was moved — a wrong password.
    """
    slots = [slot for slot in iter_slots(kind, data) if is_sealed(slot.value)]
    opened: dict[tuple, str] = {}
    failed: list[Slot] = []
    for slot in slots:
        try:
            opened[slot.path] = seal.open(slot.value, record, slot.field, slot.place)
        except SealError:
            failed.append(slot)
    if failed:
        moved = _moved_from(seal, record, data, failed[0])
        raise _open_failure(seal.reference, display, text, failed, total=len(slots), moved=moved)
    return (_expected(data, opened) if opened else data), opened


_MOVE_PROBES = 2000  # enough for any list a person edits by hand; bounds the work on a wrong password


def _moved_from(seal: CaseSeal, record: str, data: Any, slot: Slot) -> str | None:
    """Where a format 2 value that does not open in its place would open: the same field of another item
    of one of the lists on its path (a swap between people, entries or key dates). None when nowhere:
    the value was altered, moved from another field or record, or the password is wrong."""
    if sealed_format(slot.value) != 2:
        return None
    probes = 0
    for k, step in enumerate(slot.path):
        if not isinstance(step, int):
            continue
        items = data
        for s in slot.path[:k]:
            items = items[s]
        for j, item in enumerate(items):
            if j == step:
                continue
            probes += 1
            if probes > _MOVE_PROBES:
                return None
            place = slot.place[:k] + (item_identity(item, j),) + slot.place[k + 1:]
            try:
                seal.open(slot.value, record, slot.field, place)
            except SealError:
                continue
            return format_slot(Slot(slot.path[:k] + (j,) + slot.path[k + 1:], slot.field, None, place))
    return None


def _open_failure(reference: str, display: str, text: str | None, failed: list[Slot], total: int,
                  moved: str | None = None) -> SealError:
    first = failed[0]
    line, col = locate(text, first.path) if text is not None else (None, None)
    restore = "restore the record from the git history (`git log -p` on the file); nothing was changed"
    if moved is not None:
        return SealError(f"{format_slot(first)}: the sealed value here was sealed as {moved} and moved here "
                         f"({len(failed)} of {total} sealed value(s) in this record do not open where they stand); "
                         "a sealed value opens only in its own record, field and list item",
                         path=display, line=line, col=col, hint=restore)
    if len(failed) == total:
        return SealError(f"wrong password for {reference}: none of the {total} sealed value(s) here opens with it",
                         path=display, line=line, col=col,
                         hint=f"check the password (`wbcr password {reference}` where the board key is), "
                              "and that the board key is this register's")
    return SealError(f"{format_slot(first)}: the sealed value does not open, although others in this record "
                     f"do ({len(failed)} of {total} fail): it was altered, or moved here from another field, "
                     "list item, record or case", path=display, line=line, col=col, hint=restore)


def unseal_record_text(text: str, *, kind: str, record: str, display: str,
                       seal: CaseSeal) -> tuple[str, int]:
    """`text` with every sealed value opened (multi-line text as `|` blocks), and how many."""
    if SEALED_PREFIX not in text:
        return text, 0
    data = parse_yaml(text, display)
    expected, opened = open_record_data(data, kind=kind, record=record, display=display, seal=seal, text=text)
    if not opened:
        return text, 0
    return _rewrite(text, display, opened, expected, style="literal"), len(opened)


# --- records of a case -----------------------------------------------------------------------------


def case_record_of(relpath: str) -> tuple[str, str, str] | None:
    """`(reference, record, kind)` of a register-relative path such as `cases/REF/people.yaml`."""
    parts = relpath.replace("\\", "/").split("/")
    if len(parts) < 3 or parts[0] != "cases" or parts[1].startswith(".") or not parts[1]:
        return None
    record = "/".join(parts[2:])
    kind = record_kind(record)
    if kind is None or kind == "register":
        return None
    return parts[1], record, kind


def is_unknown_case_file(relpath: str) -> bool:
    """Whether a register-relative path is under `cases/` but is not a case record wbcr knows (a note, a
    leftover of a stopped command): nothing says it holds no personal data, so it must not reach git.
    `check-sealed` reports such a file and the clean filter refuses it."""
    return relpath.replace("\\", "/").startswith("cases/") and case_record_of(relpath) is None


def plain_slots(kind: str, data: Any) -> list[Slot]:
    """The sensitive values of a record's data that are in plain text (not sealed, not empty)."""
    return [s for s in iter_slots(kind, data) if not is_sealed(s.value) and plaintext_of(s.value) is not None]


def case_folder(register, reference: str) -> Path:
    return register.case_folder(reference)


def iter_case_record_files(register, reference: str) -> Iterator[tuple[Path, str, str]]:
    """`(path, record, kind)` of every record file of a case that can hold sensitive values."""
    folder = case_folder(register, reference)
    candidates = sorted(folder.glob("*.yaml")) + sorted((folder / "chronology").glob("*.yaml"))
    for path in candidates:
        record = path.relative_to(folder).as_posix()
        kind = record_kind(record)
        if kind is not None and not path.name.startswith(".") and _sensitive_paths(kind):
            yield path, record, kind


def open_case_records(records: dict, reference: str, seal: CaseSeal | None) -> dict:
    """The records of `cases.load_case` with every sealed value opened in memory (for documents).

    Without a `seal`, records that hold sealed values raise a SealError naming the first one.
    """
    out: dict[str, Any] = {"chronology": {}}
    items = [(k, v, f"{k}.yaml") for k, v in records.items() if k != "chronology"]
    items += [("chronology", v, f"chronology/{agency}.yaml") for agency, v in (records.get("chronology") or {}).items()]
    for key, data, record in items:
        display = f"cases/{reference}/{record}"
        kind = record_kind(record)
        if kind is None or not _sensitive_paths(kind) or not isinstance(data, (dict, list)):
            opened = data
        elif seal is None:
            if any(is_sealed(s.value) for s in iter_slots(kind, data)):
                raise SealError(f"{display} holds sealed values and no password was given to open them",
                                path=display, hint="give the case password, or work where the board key is")
            opened = data
        else:
            opened, _ = open_record_data(data, kind=kind, record=record, display=display, seal=seal)
        if key == "chronology":
            out["chronology"][record[len("chronology/"):-len(".yaml")]] = opened
        else:
            out[key] = opened
    return out


@dataclass
class CaseSealing:
    """What sealing or opening a case did: files changed (register-relative) and values touched."""

    reference: str
    files: list[str]
    values: int
    committed: str | None = None


def _verify_seal(register, reference: str, seal: CaseSeal) -> bool:
    """Whether the case's existing sealed values open with `seal` (False when it has none yet)."""
    for path, record, kind in iter_case_record_files(register, reference):
        display = register.relpath(path)
        text = read_record(path, display)
        if SEALED_PREFIX in text:
            data = parse_yaml(text, display)
            if any(is_sealed(s.value) for s in iter_slots(kind, data)):
                open_record_data(data, kind=kind, record=record, display=display, seal=seal, text=text)
                return True
    return False


def _rewrite_case(register, reference: str, seal: CaseSeal, rewrite) -> tuple[dict[Path, tuple[str, str]], int]:
    """Every record of a case passed through `rewrite` (seal or open its values) in memory:
    `{path: (old text, new text)}` for the files that change, and how many values changed."""
    changed: dict[Path, tuple[str, str]] = {}
    count = 0
    for path, record, kind in iter_case_record_files(register, reference):
        display = register.relpath(path)
        text = read_record(path, display)
        new, n = rewrite(text, kind=kind, record=record, display=display, seal=seal)
        if n:
            changed[path] = (text, new)
            count += n
    return changed, count


def refresh_work_tree(register, relpaths: list[str]) -> None:
    """After records were opened or sealed on disk only: where the wbcr filter is installed, git
    stores them exactly as before, but would call them modified by their size alone until told."""
    if relpaths and filters_installed(register.root):
        gitrepo.refresh(register.root, relpaths)


# --- the pre-commit and CI check -------------------------------------------------------------------


def check_sealed_text(text: str, *, kind: str, display: str) -> list[Finding]:
    """A finding for every sensitive value that is not sealed (never quoting the value)."""
    try:
        data = parse_yaml(text, display)
    except YamlError as exc:
        return [Finding(exc.code, ERROR, exc.message + "; cannot check that it is sealed", display, exc.line,
                        exc.col, exc.hint)]
    findings = []
    for slot in iter_slots(kind, data):
        value = slot.value
        if value is None or value == "" or value == []:
            continue
        if is_sealed(value):
            if not _SEALED_RE.match(value):
                line, col = locate(text, slot.path)
                findings.append(Finding("seal.damaged", ERROR, f"{dotted(slot.path)}: the sealed value is damaged",
                                        display, line, col, "restore it from the git history"))
            continue
        line, col = locate(text, slot.path)
        findings.append(Finding("seal.plaintext", ERROR, f"{dotted(slot.path)}: sensitive value in plain text",
                                display, line, col,
                                "seal the case (`wbcr seal REF`, or commit through the wbcr git filter "
                                "where the board key is) before committing"))
    return findings


def check_sealed(register, relpaths: list[str] | None, *, staged: bool) -> tuple[list[Finding], int]:
    """Findings for plain sensitive values in the files named (register-relative paths), or in every file
    under `cases/` that git would hold (tracked, or untracked and not ignored); with `staged`, in what
    the next commit would store (every staged file unless named). Every such file counts: a case record
    is checked value by value; any other non-empty file under `cases/` — not a record wbcr knows, so
    nothing says it holds no personal data (a note, a leftover of a killed command) — is a finding
    itself. Returns (findings, files checked)."""
    root = register.root
    if staged:
        if not gitrepo.is_repo(root):
            raise UsageError("--staged needs a git repository", hint="run without --staged to check the files")
        wanted = gitrepo.staged_paths(root) if relpaths is None else relpaths
    elif relpaths is None:
        if gitrepo.is_repo(root):
            wanted = gitrepo.listed_paths(root, "cases")
        else:
            wanted = sorted(register.relpath(p) for p in (root / "cases").rglob("*") if p.is_file())
    else:
        wanted = relpaths
    findings: list[Finding] = []
    files = 0
    for rel in wanted:
        located = case_record_of(rel)
        if located is None:
            if is_unknown_case_file(rel) and _holds_anything(root, rel, staged):
                files += 1
                findings.append(_unknown_file(rel, staged))
            continue
        try:
            if staged:
                raw = gitrepo.read_staged(root, rel)
                if raw is None:
                    continue  # deleted, or not staged: nothing of it goes into the commit
            elif not (root / rel).exists():
                continue  # tracked, deleted from the work tree
            else:
                raw = read_record_bytes(root / rel, rel)
            files += 1
            if not _sensitive_paths(located[2]):
                continue
            text = decode_record(raw, rel)
        except YamlError as exc:
            findings.append(Finding(exc.code, ERROR, exc.message, rel, exc.line, exc.col, exc.hint))
            continue
        findings += check_sealed_text(text, kind=located[2], display=rel)
    return findings, files


def _holds_anything(root: Path, rel: str, staged: bool) -> bool:
    """Whether a file the commit would hold has any content (an empty `.gitkeep` holds nothing)."""
    if staged:
        return bool((gitrepo.read_staged(root, rel) or b"").strip())
    try:
        return (root / rel).is_file() and (root / rel).stat().st_size > 0
    except OSError:
        return True


_LEFTOVERS = ("a `.NAME.NNNN.tmp` file or a `cases/.REF` folder is a leftover of a stopped wbcr command and "
              "may be deleted")
_UNKNOWN_FILE_HINT = ("move it out of cases/ (a note about a case belongs in its records, a document in the "
                      "register's output folder), or delete it; " + _LEFTOVERS)


def _unknown_file(rel: str, staged: bool) -> Finding:
    return Finding("seal.unknown-file", ERROR, "not a case record wbcr knows, so nothing says it holds no personal "
                   "data in plain text", rel, None, None,
                   ("take it out of the commit (git rm --cached PATH) and out of cases/" if staged else
                    "move it out of cases/ (or delete it)") + "; " + _LEFTOVERS)


# --- git filters -----------------------------------------------------------------------------------


#: the environment variable giving the command git runs for wbcr in the filter (`py -m wbcr`, a full path)
FILTER_COMMAND_VARIABLE = "WBCR_FILTER_COMMAND"


def filter_program() -> tuple[str, bool]:
    """The command line that starts wbcr in the git filter, and whether it survives an upgrade.

    `WBCR_FILTER_COMMAND` when set, as written (the user's choice); else `wbcr` when it is on PATH, so
    git finds whichever wbcr is installed when it runs the filter, after a Python upgrade or a reinstall
    too; else, where wbcr is not on PATH, this Python's `-m wbcr` by its absolute path — which a Python
    upgrade or a deleted virtual environment breaks (False: the caller says so)."""
    chosen = os.environ.get(FILTER_COMMAND_VARIABLE, "").strip()
    if chosen:
        return chosen, True
    if shutil.which("wbcr"):
        return "wbcr", True
    return f"{shlex.quote(Path(sys.executable).as_posix())} -m wbcr", False


def filter_commands(program: str | None = None) -> dict[str, str]:
    """The `git config` values of the wbcr filter driver; `program` starts wbcr (`filter_program`)."""
    exe = program or filter_program()[0]
    return {
        "filter.wbcr.clean": f"{exe} filter clean %f",
        "filter.wbcr.smudge": f"{exe} filter smudge %f",
        "filter.wbcr.process": f"{exe} filter process",
        # A filter that cannot run must stop git, not let plain text through: with `required` false,
        # git stores the unfiltered file when the clean filter fails. Smudge never fails (a file it
        # cannot open is checked out sealed), so a checkout without the key still works.
        "filter.wbcr.required": "true",
    }


def gitattributes_complete(root: Path) -> bool:
    path = root / ".gitattributes"
    have = {line.strip() for line in path.read_text(encoding="utf-8").splitlines()} if path.is_file() else set()
    return all(line in have for line in GITATTRIBUTES_LINES)


def gitattributes_text(root: Path) -> str | None:
    """The register's `.gitattributes` with the wbcr filter lines added; None when it has them all."""
    path = root / ".gitattributes"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    have = {line.strip() for line in text.splitlines()}
    missing = [line for line in GITATTRIBUTES_LINES if line not in have]
    if not missing:
        return None
    if text and not text.endswith("\n"):
        text += "\n"
    if GITATTRIBUTES_HEADER not in have:
        text += GITATTRIBUTES_HEADER + "\n"
    return text + "".join(line + "\n" for line in missing)


def ensure_gitattributes(root: Path) -> bool:
    """Add the wbcr filter lines to a new register's `.gitattributes` (`wbcr init`); True when it changed."""
    text = gitattributes_text(root)
    if text is None:
        return False
    atomic_write(root / ".gitattributes", text)
    return True


def install_filters(root: Path) -> bool:
    """Configure the wbcr filter in this clone (`.git/config`); False when it is not a git repository."""
    if not gitrepo.is_repo(root):
        return False
    for key, value in filter_commands().items():
        gitrepo.set_config(root, key, value)
    return True


def filters_installed(root: Path) -> bool:
    return gitrepo.is_repo(root) and bool(gitrepo.get_config(root, "filter.wbcr.clean"))


@dataclass
class GitFilter:
    """The clean and smudge sides of the wbcr git filter, for paths relative to `cwd` (git runs filters
    in the top folder of the work tree; the register may be a folder inside it).

    Per process it reads each register's configuration once and derives each case's key once.
    `password_for(register, reference)` gives a case's password (the board key by default).
    """

    cwd: Path
    password_for: Callable[[Any, str], str] | None = None
    notes: list[str] = field(default_factory=list)
    _registers: dict = field(default_factory=dict, repr=False)
    _seals: dict = field(default_factory=dict, repr=False)

    def _in_register(self, pathname: str) -> tuple[Path, str] | None:
        """(register folder, register-relative path) of a path git names; None outside any register."""
        full = (self.cwd / pathname).absolute()
        for folder in full.parents:
            if (folder / CONFIG_NAME).is_file():
                break
        else:
            return None
        try:
            return folder, full.relative_to(folder).as_posix()
        except ValueError:
            return None

    def _locate(self, pathname: str):
        where = self._in_register(pathname)
        if where is None:
            return None
        folder, rel = where
        located = case_record_of(rel)
        if located is None or not _sensitive_paths(located[2]):
            return None
        if folder not in self._registers:
            config = load_config(folder)
            self._registers[folder] = Register(root=folder, config=config if isinstance(config, dict) else {})
        return self._registers[folder], rel, located

    def _seal_for(self, register, reference: str) -> CaseSeal:
        key = (register.root, reference)
        if key not in self._seals:
            password = (self.password_for or case_password)(register, reference)
            self._seals[key] = CaseSeal.from_password(reference, password)
        return self._seals[key]

    def clean(self, pathname: str, data: bytes) -> bytes:
        """The file as git should store it: every sensitive value sealed. Raises when it cannot, and for a
        file under `cases/` with content that is not a case record (it cannot be sealed, and nothing says
        it holds no personal data: `git add` fails rather than store it; `check-sealed` agrees)."""
        where = self._in_register(pathname)
        if where is not None and is_unknown_case_file(where[1]) and data.strip():
            raise SealError(f"{where[1]} is not a wbcr record; it was not added, so its text cannot reach git "
                            "unsealed", hint=_UNKNOWN_FILE_HINT)
        found = self._locate(pathname)
        if found is None:
            return data
        register, rel, (reference, record, kind) = found
        text = decode_record(data, rel)
        if not plain_slots(kind, parse_yaml(text, rel)):
            return data
        try:
            seal = self._seal_for(register, reference)
        except WbcrError as exc:
            raise SealError(f"cannot seal {rel} on its way into git: {exc.message}", hint=exc.hint) from None
        new, _ = seal_record_text(text, kind=kind, record=record, display=rel, seal=seal)
        return new.encode("utf-8")

    def smudge(self, pathname: str, data: bytes) -> bytes:
        """The file as the work tree shows it: sealed values opened. Never fails: what cannot be opened
        (no key, a damaged value) is checked out as stored, with a note."""
        if SEALED_PREFIX.encode() not in data:
            return data
        try:
            found = self._locate(pathname)
            if found is None:
                return data
            register, rel, (reference, record, kind) = found
            seal = self._seal_for(register, reference)
            new, _ = unseal_record_text(decode_record(data, rel), kind=kind, record=record, display=rel, seal=seal)
            return new.encode("utf-8")
        except WbcrError as exc:
            note = f"{pathname}: left sealed ({exc.message})"
            if note not in self.notes:
                self.notes.append(note)
            return data


# The long-running filter protocol (gitattributes(5), "Long Running Filter Process"): one process
# for a whole checkout or add, instead of one per file.

_MAX_PKT = 65516


class _Protocol:
    def __init__(self, stdin: BinaryIO, stdout: BinaryIO) -> None:
        self.inp, self.out = stdin, stdout

    def read_pkt(self) -> bytes | None:
        head = self.inp.read(4)
        if not head:
            raise EOFError
        if len(head) < 4:
            raise SealError("git filter protocol: truncated packet header")
        size = int(head, 16)
        if size == 0:
            return None
        if size < 4:
            raise SealError("git filter protocol: bad packet length")
        payload = self.inp.read(size - 4)
        if len(payload) != size - 4:
            raise SealError("git filter protocol: truncated packet")
        return payload

    def read_text_list(self) -> list[str]:
        items = []
        while (pkt := self.read_pkt()) is not None:
            items.append(pkt.decode("utf-8").rstrip("\n"))
        return items

    def read_content(self) -> bytes:
        chunks = []
        while (pkt := self.read_pkt()) is not None:
            chunks.append(pkt)
        return b"".join(chunks)

    def write_pkt(self, payload: bytes) -> None:
        self.out.write(b"%04x" % (len(payload) + 4) + payload)

    def write_text(self, *lines: str) -> None:
        for line in lines:
            self.write_pkt((line + "\n").encode("utf-8"))

    def flush(self) -> None:
        self.out.write(b"0000")
        self.out.flush()

    def write_content(self, data: bytes) -> None:
        for i in range(0, len(data), _MAX_PKT):
            self.write_pkt(data[i:i + _MAX_PKT])
        self.flush()


def run_filter_process(git_filter: GitFilter, stdin: BinaryIO, stdout: BinaryIO,
                       report: Callable[[str], None]) -> None:
    """Serve git's long-running filter protocol (version 2, clean and smudge) until git closes it.

    A file that fails to clean gets `status=error`, and git (with `required`) refuses it; the reason
    goes to `report` (stderr), never any content."""
    proto = _Protocol(stdin, stdout)
    hello = proto.read_text_list()
    if not hello or hello[0] != "git-filter-client" or "version=2" not in hello[1:]:
        raise SealError("git filter protocol: unexpected greeting from git")
    proto.write_text("git-filter-server", "version=2")
    proto.flush()
    caps = proto.read_text_list()
    proto.write_text(*[c for c in ("capability=clean", "capability=smudge") if c in caps])
    proto.flush()
    while True:
        try:
            header = proto.read_text_list()
        except EOFError:
            return
        fields = dict(item.split("=", 1) for item in header if "=" in item)
        content = proto.read_content()
        command, pathname = fields.get("command"), fields.get("pathname", "")
        try:
            if command == "clean":
                result = git_filter.clean(pathname, content)
            elif command == "smudge":
                result = git_filter.smudge(pathname, content)
            else:
                raise SealError(f"git filter protocol: unknown command {command!r}")
        except WbcrError as exc:
            report(str(exc))
            proto.write_text("status=error")
            proto.flush()
            continue
        for note in git_filter.notes:
            report(note)
        git_filter.notes.clear()
        proto.write_text("status=success")
        proto.flush()
        proto.write_content(result)
        proto.flush()  # an empty list: the status stays "success"
