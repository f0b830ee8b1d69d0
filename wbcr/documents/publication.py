"""The check before publication: a document for the public must not identify the child or family.

It reads every text part of a Word document (body, headers, footers, footnotes, comments, document
properties) and refuses, naming each place, a real name, date of birth, address, postcode, NHS number
or school from the case's people.yaml and referral.yaml, and hidden metadata (an author other than the
board, comments, tracked changes).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Iterator

from wbcr.core.errors import WbcrError
from wbcr.core.findings import ERROR, Finding
from wbcr.documents.ooxml import W, read_docx_xml
from wbcr.documents.docx_writer import _element_text
from wbcr.store.case import load_case, open_sealed

_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml\Z")


def _identifiers(records: dict) -> Iterator[tuple[str, str]]:
    """(what, text) of everything that identifies the family, from people.yaml and referral.yaml."""
    for person in (records.get("people") or {}).get("people") or []:
        who = person.get("pseudonym") or person.get("id")
        name = str(person.get("name") or "")
        if name:
            yield f"the name of {who}", name
            for part in re.split(r"[\s\-']+", name):
                if len(part) >= 3:
                    yield f"part of the name of {who}", part
        for other in person.get("other_names") or []:
            yield f"another name of {who}", str(other)
            for part in re.split(r"[\s\-']+", str(other)):
                if len(part) >= 3:
                    yield f"part of another name of {who}", part
        for key, what in (("address", "the address"), ("postcode", "the postcode"), ("school", "the school"),
                          ("nhs_number", "the NHS number"), ("gp_practice", "the GP practice")):
            if person.get(key):
                yield f"{what} of {who}", str(person[key])
        for part in re.split(r"[,\n]+", str(person.get("address") or "")):
            part = part.strip()
            street = re.sub(r"^\d+[a-zA-Z]?\s+", "", part)
            for line in {part, street}:
                if len(line) >= 8 and len(line.split()) >= 2:
                    yield f"part of the address of {who}", line
        for key, what in (("date_of_birth", "the date of birth"), ("date_of_death", "the date of death")):
            if person.get(key):
                for form in _date_forms(str(person[key])):
                    yield f"{what} of {who}", form
    referral = records.get("referral") or {}
    for key in ("referrer", "dsl_consulted"):
        if isinstance(referral.get(key), dict) and referral[key].get("name"):
            yield f"the name of the {key.replace('_', ' ')}", str(referral[key]["name"])
    for item in referral.get("agencies_involved") or []:
        if isinstance(item, dict) and item.get("worker"):
            yield "the name of a worker", str(item["worker"])


def _date_forms(iso: str) -> list[str]:
    try:
        d = dt.date.fromisoformat(iso)
    except ValueError:
        return [iso]
    suffix = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    month, mon = d.strftime("%B"), d.strftime("%b")
    return [iso, d.strftime("%d/%m/%Y"), f"{d.day}/{d.month}/{d.year}", d.strftime("%d.%m.%Y"),
            d.strftime("%d-%m-%Y"), f"{d.day}.{d.month}.{d.year}",
            *(f"{day} {m} {d.year}" for day in (str(d.day), f"{d.day:02d}", f"{d.day}{suffix}") for m in (month, mon)),
            *(f"{m} {day}, {d.year}" for day in (str(d.day), f"{d.day}{suffix}") for m in (month, mon)),
            *(f"{m} {day} {d.year}" for day in (str(d.day), f"{d.day}{suffix}") for m in (month, mon))]


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def _normalise(text: str) -> str:
    """Text as a reader sees it: NFC, no soft hyphens or zero-width characters, single spaces, any case."""
    import unicodedata

    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).translate(_INVISIBLE)).casefold()


def _paragraphs(root) -> Iterator[tuple[int, str]]:
    for n, para in enumerate(root.iter(f"{W}p"), start=1):
        text = _element_text(para, W)
        if text.strip():
            yield n, text


def check_publication_bytes(register, reference: str, data: bytes, display: str) -> list[Finding]:
    records = open_sealed(register, reference, load_case(register, reference))
    checks = [(what, text, _pattern(text)) for what, text in _identifiers(records) if text.strip()]
    findings: list[Finding] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except zipfile.BadZipFile:
        read_docx_xml(data, "word/document.xml", display)  # raises the clear error
        raise
    for part in sorted(n for n in names if _TEXT_PARTS.match(n)):
        root = read_docx_xml(data, part, display)
        where = part.removeprefix("word/").removesuffix(".xml")
        for n, text in _paragraphs(root):
            flat = _normalise(text)
            for what, value, pattern in checks:
                if pattern.search(flat):
                    findings.append(Finding("publication.identifier", ERROR,
                                            f'{where}, paragraph {n}: contains {what} ("{value}")', display,
                                            hint="replace it with the pseudonym or a role"))
        if where == "comments" and any(True for _ in root.iter(f"{W}comment")):
            findings.append(Finding("publication.comments", ERROR, "the document holds comments", display,
                                    hint="delete every comment before publication"))
        if root.find(f".//{W}ins") is not None or root.find(f".//{W}del") is not None:
            findings.append(Finding("publication.tracked-changes", ERROR, f"{where} holds tracked changes", display,
                                    hint="accept or reject all changes and turn off Track Changes"))
    findings += _metadata(register, data, display, names)
    for part in [n for n in names if n.startswith("docProps/") and n.endswith(".xml")]:
        root = read_docx_xml(data, part, display)
        text = _normalise(" ".join(t for t in root.itertext() if t))
        for what, value, pattern in checks:
            if pattern.search(text):
                findings.append(Finding("publication.identifier", ERROR,
                                        f'the document properties ({part}) contain {what} ("{value}")', display,
                                        hint="clear the title, subject and keywords (File > Info in Word)"))
    return findings


def _pattern(text: str) -> re.Pattern:
    value = _normalise(text)
    if value.replace(" ", "").isdigit():  # an NHS number written with or without spaces
        digits = value.replace(" ", "")
        return re.compile(r"\s?".join(re.escape(ch) for ch in digits))
    escaped = re.escape(value).replace(r"\ ", r"\s?") if len(value) <= 8 and any(ch.isdigit() for ch in value) \
        else re.escape(value)
    return re.compile(rf"(?<!\w){escaped}(?!\w)")


def _metadata(register, data: bytes, display: str, names: list[str]) -> list[Finding]:
    findings = []
    board = (register.config.get("board") or {}).get("name", "")
    if "docProps/core.xml" in names:
        root = read_docx_xml(data, "docProps/core.xml", display)
        for tag, what in (("{http://purl.org/dc/elements/1.1/}creator", "author"),
                          ("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy",
                           "last modified by"),
                          ("{http://purl.org/dc/elements/1.1/}description", "comments")):
            el = root.find(tag)
            value = (el.text or "").strip() if el is not None else ""
            if value and value != board:
                findings.append(Finding("publication.metadata", ERROR,
                                        f'the document properties record the {what} as "{value}"', display,
                                        hint="clear it (File > Info > Inspect Document in Word) or set it to the board"))
    return findings


def check_publication_file(register, reference: str, path, display: str | None = None) -> list[Finding]:
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WbcrError(f"{shown}: cannot read the file: {exc.strerror}", code="file.unreadable") from None
    return check_publication_bytes(register, reference, data, shown)
