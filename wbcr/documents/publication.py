"""The check before publication: a document for the public must not identify the child or family.

It reads every part of the Word package, not only what Word shows on the page:

- every XML part, paragraph by paragraph where it has paragraphs (the body, headers, footers, footnotes,
  endnotes, comments, the glossary of building blocks), and within a paragraph the text, the alt text of
  pictures (`wp:docPr` descr/title), field codes (`w:instrText`, `w:fldSimple`) and deleted text;
- everything else in each XML part (attribute values and text outside paragraphs: content-control
  names, bookmarks, document variables in the settings, custom XML data, the document properties);
- the targets of relationships (hyperlinks), URL-decoded;
- and it refuses a part it cannot read (an embedded file or object).

Identifiers come from the case's people.yaml and referral.yaml: names (and their parts), addresses,
postcodes, NHS numbers, schools and GP practices, dates of birth and death. They are matched as a reader
would see them: any case and accents, ligatures and full-width letters folded (NFKD), soft hyphens,
zero-width and bidi controls ignored, a name split by a space, a hyphen, a no-break space or an
apostrophe; an NHS number with spaces, dashes or dots; a date in any of 09/01/2025, 9.1.25, 9-1-2025,
2025-01-09, 9 Jan 25, 9th of January 2025, January 9th, 2025. Hidden metadata (an author other than the
board, comments, tracked changes) is refused too. The package is opened by the bounded opener in
`wbcr.documents.ooxml`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import unquote_plus

from wbcr.core.errors import WbcrError
from wbcr.core.findings import ERROR, Finding
from wbcr.documents.docx_writer import _element_text
from wbcr.documents.ooxml import W, load_package_bytes, open_package
from wbcr.store.case import load_case, open_sealed

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
#: the parts that are not XML and need no reading: pictures (their alt text is in the XML), a thumbnail
#: of the first page, embedded fonts; any other part is an embedded file or object, and refused
_PICTURES = re.compile(r"(word/media/[^/]+\.(png|jpe?g|gif|bmp|tiff?|emf|wmf)|docProps/thumbnail\.(jpe?g|emf|wmf|png)"
                       r"|word/fonts/[^/]+\.odttf)\Z", re.I)


# --- what identifies the family ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Identifier:
    what: str                          # "the name of Child A"
    shown: str                         # the value as the case records it
    pattern: re.Pattern | None = None  # for text and numbers
    date: dt.date | None = None        # for dates
    bare: str = ""                     # the pattern's letters and digits, without separators

    def find(self, text: str, bare: str, dates: list[tuple[dt.date, bool, str]]) -> str | None:
        """The value as written in `text` (normalised; `bare`: the same without separators), or None."""
        if self.pattern is not None:
            # a match is the value's letters with separators between them, so the text without its
            # separators holds the letters in a row: a fast test that rules out almost every text
            return self.shown if self.bare in bare and self.pattern.search(text) else None
        for day, two_digit_year, written in dates:
            if (day.day, day.month) == (self.date.day, self.date.month) and (
                    day.year == self.date.year or two_digit_year and day.year % 100 == self.date.year % 100):
                return written
        return None


def _identifiers(records: dict) -> Iterator[_Identifier]:
    """Everything that identifies the family, from people.yaml and referral.yaml."""
    for what, value in _texts(records):
        yield from _text_identifier(what, value)
    for person in (records.get("people") or {}).get("people") or []:
        who = person.get("pseudonym") or person.get("id")
        if person.get("nhs_number"):
            digits = re.sub(r"\D", "", str(person["nhs_number"]))
            if len(digits) >= 6:
                yield _Identifier(f"the NHS number of {who}", str(person["nhs_number"]),
                                  re.compile(r"(?<!\d)" + f"{_SEP}?".join(digits) + r"(?!\d)"), bare=digits)
            else:
                yield from _text_identifier(f"the NHS number of {who}", str(person["nhs_number"]))
        for key, what in (("date_of_birth", "the date of birth"), ("date_of_death", "the date of death")):
            value = person.get(key)
            day = value if isinstance(value, dt.date) else _iso(value)
            if day is not None:
                yield _Identifier(f"{what} of {who}", day.isoformat(), date=day)
            elif value:
                yield from _text_identifier(f"{what} of {who}", str(value))


def _texts(records: dict) -> Iterator[tuple[str, str]]:
    for person in (records.get("people") or {}).get("people") or []:
        who = person.get("pseudonym") or person.get("id")
        name = str(person.get("name") or "")
        if name.strip():
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
                          ("gp_practice", "the GP practice")):
            if person.get(key):
                yield f"{what} of {who}", str(person[key])
        for part in re.split(r"[,\n]+", str(person.get("address") or "")):
            part = part.strip()
            street = re.sub(r"^\d+[a-zA-Z]?\s+", "", part)
            for line in {part, street}:
                if len(line) >= 8 and len(line.split()) >= 2:
                    yield f"part of the address of {who}", line
    referral = records.get("referral") or {}
    for key in ("referrer", "dsl_consulted"):
        if isinstance(referral.get(key), dict) and referral[key].get("name"):
            yield f"the name of the {key.replace('_', ' ')}", str(referral[key]["name"])
    for item in referral.get("agencies_involved") or []:
        if isinstance(item, dict) and item.get("worker"):
            yield "the name of a worker", str(item["worker"])


def _iso(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


#: what may stand between two letters of a name, as a reader would still read it: spaces (any kind,
#: after normalising), hyphens and dashes, apostrophes, commas (addresses), dots, slashes and underscores
#: (e-mail addresses, links)
_SEP = r"[\s\-'.,/_]"
_SEPARATORS = re.compile(_SEP)
#: not a letter or digit (the underscore counts as a separator, unlike in `\w`)
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![^\W_])", r"(?![^\W_])"


def _text_identifier(what: str, value: str) -> Iterator[_Identifier]:
    """`value` matched letter by letter, ignoring case, accents and up to three separators between any two
    letters or digits, so "Hat-ton", "Hat ton", "Riley-James Hatton" and "riley.hatton@" all match."""
    chars = [c for c in _normalise(value) if c.isalnum()]
    if chars:
        body = f"{_SEP}{{0,3}}".join(re.escape(c) for c in chars)
        yield _Identifier(what, value, re.compile(f"{_EDGE_BEFORE}{body}{_EDGE_AFTER}"), bare="".join(chars))


# --- reading text as a reader sees it ----------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u034f\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d"
                                    "\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"))
_INVISIBLE.update(dict.fromkeys(range(0xFE00, 0xFE10)))  # variation selectors
_FOLD = {**dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"),
         **dict.fromkeys(map(ord, "\u2018\u2019\u201b\u02bc\u2032\uff07"), "'")}
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _normalise(text: str) -> str:
    """Text as a reader sees it: compatibility forms folded (NFKD), no accents, no soft hyphens, zero-width
    or bidi controls, one kind of dash and apostrophe, single spaces, any case."""
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.translate(_INVISIBLE)))
    return re.sub(r"\s+", " ", text.translate(_FOLD)).casefold()


_MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
           "september": 9, "october": 10, "november": 11, "december": 12, "sept": 9,
           **{m[:3]: n for m, n in (("january", 1), ("february", 2), ("march", 3), ("april", 4), ("june", 6),
                                    ("july", 7), ("august", 8), ("september", 9), ("october", 10),
                                    ("november", 11), ("december", 12))}}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(\d{4}|\d{2})(?!\d)"
_DATES = [
    # 9/1/25, 09/01/2025, 9.1.2025, 9-1-25 (day first: the UK order)
    ("dmy", re.compile(r"(?<![\d/.-])(\d{1,2}) ?[/.-] ?(\d{1,2}) ?[/.-] ?" + _YEAR)),
    # 2025-01-09
    ("ymd", re.compile(r"(?<!\d)(\d{4}) ?[/.-] ?(\d{1,2}) ?[/.-] ?(\d{1,2})(?!\d)")),
    # 9 Jan 25, 9th of January 2025, 09-Jan-2025, 9 January, 2025
    ("d month y", re.compile(r"(?<!\d)(\d{1,2}) ?(?:st|nd|rd|th)?[ -]?(?:of )?" + _MONTH + r"\b[ ,-]{0,3}" + _YEAR)),
    # January 9th, 2025; Jan 9 25
    ("month d y", re.compile(r"\b" + _MONTH + r" ?(\d{1,2})(?:st|nd|rd|th)?\b[ ,]{0,3}" + _YEAR)),
]


def _dates_in(text: str) -> list[tuple[dt.date, bool, str]]:
    """(date, written with a two-digit year, as written) of every date in normalised text."""
    found = []
    for kind, pattern in _DATES:
        for m in pattern.finditer(text):
            if kind == "dmy":
                day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
            elif kind == "ymd":
                year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
            elif kind == "d month y":
                day, month, year = int(m.group(1)), _MONTHS[m.group(2)], m.group(3)
            else:
                month, day, year = _MONTHS[m.group(1)], int(m.group(2)), m.group(3)
            try:
                found.append((dt.date(2000 + int(year) if len(year) == 2 else int(year), month, day),
                              len(year) == 2, m.group(0)))
            except ValueError:
                continue
    return found


# --- the check -----------------------------------------------------------------------------------------


class _Places:
    """Findings for one document: each identifier reported once per place it is found in."""

    def __init__(self, identifiers: list[_Identifier], display: str) -> None:
        self.identifiers, self.display = identifiers, display
        self.findings: list[Finding] = []

    def check(self, text: str, place: str, hint: str, *, decode: bool = False,
              skip: set[str] | frozenset = frozenset()) -> set[str]:
        """Report every identifier in `text` (except those whose `what` is in `skip`) as found in `place`;
        the `what` of each one found."""
        if decode:
            text = unquote_plus(text)
        flat = _normalise(text)
        if not flat.strip():
            return set()
        bare, dates = _SEPARATORS.sub("", flat), _dates_in(flat)
        found = set()
        for identifier in self.identifiers:
            if identifier.what in skip:
                continue
            written = identifier.find(flat, bare, dates)
            if written is not None:
                found.add(identifier.what)
                self.findings.append(Finding("publication.identifier", ERROR,
                                             f'{place}: contains {identifier.what} ("{written}")', self.display,
                                             hint=hint))
        return found


def check_publication_bytes(register, reference: str, data: bytes, display: str) -> list[Finding]:
    package = open_package(data, display)  # first: a hostile file is refused before the case is even read
    if "word/document.xml" not in package:
        raise WbcrError(f"{display} is not a Word .docx file (or it is damaged)",
                        hint="save it from Word or LibreOffice as .docx and try again", code="docx.corrupt")
    records = open_sealed(register, reference, load_case(register, reference))
    places = _Places([i for i in _identifiers(records) if i.shown.strip()], display)
    findings: list[Finding] = []
    for part in sorted(package.names):
        if part.endswith("/") or _FORMATTING.match(part):
            continue
        if part.endswith(".rels"):
            _check_links(places, package.xml(part), part)
        elif part.endswith((".xml", ".vml", ".svg")):
            root = package.xml(part)
            found = _check_paragraphs(places, root, part) if _CONTENT.match(part) else set()
            _check_rest(places, root, part, found)
            findings += _hidden_changes(root, part, display)
        elif not _PICTURES.match(part):
            findings.append(Finding("publication.hidden-part", ERROR,
                                    f"the document holds {part}, an embedded file or object this check cannot read",
                                    display, hint="delete the embedded object (paste it as a picture if it is needed) "
                                                  "and check again"))
    if "docProps/core.xml" in package:
        findings += _metadata(register, package.xml("docProps/core.xml"), display)
    return places.findings + findings


#: parts of formatting only (fonts, styles, numbering, theme): their names ("Georgia", "Latha", "Strong")
#: are not the family's, whatever the family is called
_FORMATTING = re.compile(r"(word/(glossary/)?(styles|stylesWithEffects|fontTable|numbering|webSettings)\.xml"
                         r"|word/(glossary/)?theme/[^/]+|\[Content_Types\]\.xml|customXml/itemProps\d*\.xml)\Z")
#: parts read paragraph by paragraph (the rest of word/*.xml, settings aside, has no paragraphs)
_CONTENT = re.compile(r"word/(?!settings\.xml)(glossary/)?[^/]+\.xml\Z")
#: attributes that name formatting, not people: fonts, styles, languages, revision ids
_FORMAT_ELEMENTS = {"rFonts", "latin", "ea", "cs", "sym", "font", "pStyle", "rStyle", "tblStyle", "lang", "color",
                    "highlight", "shd", "themeFont", "altName", "panose1", "family", "pitch", "charset", "sig"}
_FORMAT_ATTRIBUTES = {"typeface", "panose", "pitchFamily", "charset", "font-family", "paraId", "textId"}


def _where(part: str) -> str:
    """How a finding names a part: "document", "header1", "footnotes", "glossary/document", or the path."""
    return part.removeprefix("word/").removesuffix(".xml") if part.startswith("word/") else part


_HINTS = {
    "text": "replace it with the pseudonym or a role",
    "glossary": "delete the building block (Insert > Quick Parts > Building Blocks Organizer)",
    "alt text": "edit the picture's alt text (right-click it > Edit Alt Text) or remove the picture",
    "field code": "unlink the field (select it, Ctrl+Shift+F9) or edit its code (Alt+F9), then check the text",
    "deleted text": "accept or reject all changes, then check the text",
}


def _check_paragraphs(places: _Places, root, part: str) -> set[str]:
    """Each paragraph's text, the alt text of its pictures, its field codes and deleted text; the `what`
    of every identifier found."""
    where = _where(part)
    found: set[str] = set()
    hint = _HINTS["glossary" if "glossary/" in part else "text"]
    for n, para in enumerate(root.iter(f"{W}p"), start=1):
        here = f"{where}, paragraph {n}"
        found |= places.check(_element_text(para, W), here, hint)
        alt = [v for el in para.iter(f"{WP}docPr", f"{PIC}cNvPr") for v in (el.get("descr"), el.get("title")) if v]
        alt += [v for el in para.iter() if isinstance(el.tag, str) for k, v in el.attrib.items()
                if k in ("alt", "{urn:schemas-microsoft-com:office:office}title") and v]
        found |= places.check("\n".join(alt), f"{here}, picture alt text", _HINTS["alt text"])
        codes = [el.text or "" for el in para.iter(f"{W}instrText", f"{W}delInstrText")]
        codes += [el.get(f"{W}instr") or "" for el in para.iter(f"{W}fldSimple")]
        found |= places.check("\n".join(codes), f"{here}, field code", _HINTS["field code"], decode=True)
        deleted = [el.text or "" for el in para.iter(f"{W}delText")]
        found |= places.check("\n".join(deleted), f"{here}, deleted text", _HINTS["deleted text"])
    return found


def _check_rest(places: _Places, root, part: str, found: set[str]) -> None:
    """What is left of a part: text outside paragraphs and attribute values (content-control names and
    dates, bookmarks, hyperlink tooltips, document variables, custom XML, document properties), each
    identifier reported where the paragraphs did not already show it."""
    if part == "word/settings.xml":
        elements = list(root.iter(f"{W}docVar"))
        texts = []
    else:
        elements = [el for el in root.iter() if isinstance(el.tag, str)
                    and _local(el.tag) not in _FORMAT_ELEMENTS]
        texts = [t for t in root.itertext() if t and t.strip()]
    values = [v for el in elements for k, v in el.attrib.items()
              if not _local(k).startswith("rsid") and _local(k) not in _FORMAT_ATTRIBUTES]
    label, hint = _part_label(part)
    places.check("\x00".join(texts + values), label, hint, decode=not part.startswith("word/"), skip=found)


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _part_label(part: str) -> tuple[str, str]:
    if part == "docProps/core.xml":
        return (f"the document properties ({part})", "clear the title, subject and keywords (File > Info in Word)")
    if part == "docProps/custom.xml":
        return (f"the custom document properties ({part})",
                "delete them (File > Info > Properties > Advanced Properties > Custom)")
    if part.startswith("docProps/"):
        return (f"the document properties ({part})", "clear them (File > Info > Inspect Document in Word)")
    if part.startswith("customXml/"):
        return (f"custom XML data ({part})", "remove it (File > Info > Inspect Document > Custom XML Data)")
    if part == "word/settings.xml":
        return (f"the document settings ({part}: document variables)",
                "remove the document variables (File > Info > Inspect Document in Word)")
    if part.startswith("word/"):
        return (f"{_where(part)} ({part}), outside the text (a content control, bookmark or other hidden name)",
                "remove it (File > Info > Inspect Document in Word), or rename the control or bookmark")
    return (f"a hidden part ({part})", "remove it (File > Info > Inspect Document in Word)")


def _check_links(places: _Places, root, part: str) -> None:
    for rel in root.iter("{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"):
        target = rel.get("Target") or ""
        kind = "a hyperlink" if (rel.get("Type") or "").endswith("/hyperlink") else "a link"
        places.check(target, f"{kind} in {part} (to {target[:80]})", "edit or remove the hyperlink (Ctrl+K)",
                     decode=True)


def _hidden_changes(root, part: str, display: str) -> list[Finding]:
    findings = []
    if part == "word/comments.xml" and root.find(f"{W}comment") is not None:
        findings.append(Finding("publication.comments", ERROR, "the document holds comments", display,
                                hint="delete every comment before publication"))
    if any(root.find(f".//{W}{tag}") is not None for tag in ("ins", "del", "moveFrom", "moveTo")):
        findings.append(Finding("publication.tracked-changes", ERROR, f"{_where(part)} holds tracked changes",
                                display, hint="accept or reject all changes and turn off Track Changes"))
    return findings


def _metadata(register, root, display: str) -> list[Finding]:
    findings = []
    board = (register.config.get("board") or {}).get("name", "")
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
    return check_publication_bytes(register, reference, load_package_bytes(path, shown), shown)
