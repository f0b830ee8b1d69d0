"""Opening Office Open XML packages (.docx, .xlsx) that come from outside: the one bounded zip opener.

A .docx or .xlsx is a zip, and a zip can promise far more than its size: 145 KB of deflate unpacks to
99 MB of XML, which lxml turns into gigabytes. Every package wbcr reads from outside (a returned form,
an agency's chronology, a document checked before publication) is opened here, and checked before a
single part is unpacked:

- the file itself: at most `MAX_FILE_BYTES`; an OLE file (password-protected, or the old .doc) is
  named as such;
- its table of contents (zip central directory), read from the end record *before* zipfile parses it
  into one object per entry: at most `MAX_DIRECTORY_BYTES`, then at most `Limits.entries` entries;
- every part's declared unpacked size: an XML part at most `Limits.part_bytes`, all parts together at
  most `Limits.total_bytes`;
- every part as it is read: never more than the smaller of its declared size and the part limit
  (the declared size can lie: at most limit + 1 bytes are unpacked, and one byte more is a refusal).

XML is parsed with entities left unresolved, no DTD loaded, no network and lxml's default (not huge)
tree limits. Every refusal is one `WbcrError` naming the file, what is wrong and what to do.

Why these limits: wbcr's referral form has a word/document.xml of 0.15 MB (Word saving it again makes
it two or three times that); a 300-page report is about 10 MB of XML; a Word chronology table of 6,000
rows about 16 MB. lxml builds about ten times the XML's size in memory, so a 16 MB part costs about
200 MB at most. All the parts of a genuine document together are a few MB of XML plus pictures, which
are already compressed (the file is at most 50 MB): 128 MB unpacked is far more than any of them.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from wbcr.core.errors import WbcrError

MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB
MAX_DIRECTORY_BYTES = 4 * MB       # ~87,000 entries at the smallest; parsed, ~50 MB of ZipInfo objects
MAX_ENTRIES = 1000
MAX_TOTAL_BYTES = 128 * MB
MAX_PART_BYTES = 16 * MB
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_OLE = b"\xd0\xcf\x11\xe0"
_END = b"PK\x05\x06"               # zip end of central directory record (22 bytes + comment)
_END64 = b"PK\x06\x06"             # zip64 end record (56 bytes)
_LOCATOR64 = b"PK\x06\x07"         # zip64 end record locator (20 bytes)
_XML = (".xml", ".rels", ".vml", ".svg")  # parts parsed as XML: each is checked against the part limit


@dataclass(frozen=True)
class Limits:
    """How much of a package wbcr agrees to unpack."""

    entries: int = MAX_ENTRIES
    total_bytes: int = MAX_TOTAL_BYTES
    part_bytes: int = MAX_PART_BYTES
    file_bytes: int = MAX_FILE_BYTES


LIMITS = Limits()


class Package:
    """A zip package opened within limits; parts are read with a hard cap on what is unpacked."""

    def __init__(self, archive: zipfile.ZipFile, display: str, what: str, hint: str, limits: Limits) -> None:
        self.archive, self.display, self.what, self.hint, self.limits = archive, display, what, hint, limits
        self.infos = {info.filename: info for info in archive.infolist()}

    @property
    def names(self) -> list[str]:
        return list(self.infos)

    def __contains__(self, part: str) -> bool:
        return part in self.infos

    def read(self, part: str) -> bytes:
        """The part's bytes: at most its declared size, which is at most the part limit."""
        return b"".join(self.iter_chunks(part, size=self.limits.part_bytes + 1))

    def iter_chunks(self, part: str, size: int = MB):
        """The part's bytes in chunks (to scan a part without holding it); never more than its declared
        size, which is at most the part limit: one byte more and the file is refused."""
        info = self.infos.get(part)
        if info is None:
            raise self._damaged()
        if info.file_size > self.limits.part_bytes:
            raise _too_large(self.display, part, info.file_size, self.limits.part_bytes, self.hint)
        cap, seen = info.file_size, 0
        try:
            with self.archive.open(info) as fh:
                while chunk := fh.read(min(size, cap + 1 - seen)):
                    seen += len(chunk)
                    if seen > cap:
                        raise WbcrError(f"{self.display}: {part} unpacks to more than its header says; the file "
                                        "is damaged or built to exhaust memory, and was not read", hint=self.hint,
                                        code="docx.too-large")
                    yield chunk
        # what zipfile raises for a damaged part: a bad CRC or header, a truncated stream, a compression
        # method it does not implement (NotImplementedError), an encrypted part (RuntimeError)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
            raise self._damaged(part) from None

    def xml(self, part: str):
        """One XML part, parsed safely: no entities resolved, no DTD, no network, lxml's normal tree limits."""
        from lxml import etree

        raw = self.read(part)
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
            return etree.fromstring(raw, parser)
        except (etree.XMLSyntaxError, ValueError):
            raise self._damaged() from None

    def _damaged(self, part: str | None = None) -> WbcrError:
        where = f" ({part} inside it)" if part else ""
        return WbcrError(f"{self.display} is damaged{where}: its text could not be read",
                         hint=self.hint, code="docx.corrupt")


def open_package(data: bytes, display: str = "the document", *, what: str = "Word .docx",
                 hint: str = "open it in Word or LibreOffice, save it again as .docx, and try again",
                 limits: Limits = LIMITS) -> Package:
    """`data` opened as a zip package after checking, without unpacking anything, that it stays within
    `limits` (see the module's docstring); one clear `WbcrError` otherwise."""
    check_file_size(data, display, what=what, limits=limits)
    if data[:4] == _OLE:
        raise WbcrError(f"{display} is password-protected or in the old {what.split()[0]} format",
                        hint="remove the password (wbcr unprotect) or save it in the current format, then try again",
                        code="docx.encrypted")
    directory = _directory_size(data)
    if directory > MAX_DIRECTORY_BYTES:
        raise WbcrError(f"{display}: its zip table of contents is {directory // MB} MB, room for hundreds of "
                        f"thousands of parts; a genuine {what} file has a few dozen, so it was not read",
                        hint=hint, code="docx.too-large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        raise WbcrError(f"{display} is not a {what} file (or it is damaged)", hint=hint, code="docx.corrupt") from None
    if len(infos) > limits.entries:
        raise WbcrError(f"{display} has {len(infos)} parts inside; a genuine {what} file has far fewer "
                        f"(wbcr reads at most {limits.entries}), so it was not read", hint=hint, code="docx.too-large")
    for info in infos:
        if info.filename.lower().endswith(_XML) and info.file_size > limits.part_bytes:
            raise _too_large(display, info.filename, info.file_size, limits.part_bytes, hint)
    total = sum(info.file_size for info in infos)
    if total > limits.total_bytes:
        raise WbcrError(f"{display} would unpack to {_mb(total)}; wbcr refuses files that large (a compressed "
                        "'zip bomb' looks like this), so nothing was read",
                        hint=f"check that this is the right file; {hint}", code="docx.too-large")
    return Package(archive, display, what, hint, limits)


def check_file_size(data: bytes, display: str = "the document", *, what: str = "Word .docx",
                    limits: Limits = LIMITS) -> None:
    """Refuse a file larger than any genuine package (before it is decrypted, unpacked or parsed)."""
    if len(data) > limits.file_bytes:
        raise WbcrError(f"{display} is larger than {limits.file_bytes // MB} MB; no genuine {what} file wbcr "
                        "reads is that large", hint="check that this is the right file", code="docx.too-large")


def load_package_bytes(path, display: str | None = None, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file from outside, reading at most `limit` + 1 bytes (a larger file is then refused
    by `open_package`, without the rest ever being read into memory)."""
    shown = display or str(path)
    try:
        with open(path, "rb") as fh:
            return fh.read(limit + 1)
    except FileNotFoundError:
        raise WbcrError(f"{shown}: no such file", code="file.unreadable") from None
    except IsADirectoryError:
        raise WbcrError(f"{shown} is a folder, not a file", code="file.unreadable") from None
    except OSError as exc:
        raise WbcrError(f"{shown}: cannot read the file: {exc.strerror}", code="file.unreadable") from None


def read_docx_xml(data: bytes, part: str, display: str = "the document", limits: Limits = LIMITS):
    """One XML part of a .docx from outside, parsed safely within `limits`."""
    package = open_package(data, display, limits=limits)
    if part not in package:
        raise WbcrError(f"{display} is not a Word .docx file (or it is damaged)",
                        hint="save it from Word or LibreOffice as .docx and try again", code="docx.corrupt")
    return package.xml(part)


def _too_large(display: str, part: str, size: int, limit: int, hint: str) -> WbcrError:
    return WbcrError(f"{display}: {part} would unpack to {_mb(size)}; wbcr reads at most {_mb(limit)} of any part "
                     "(a compressed 'zip bomb' looks like this), so nothing was read",
                     hint=f"check that this is the right file; {hint}", code="docx.too-large")


def _mb(size: int) -> str:
    """A size as people say it: "100 MB", "512 KB"."""
    return f"{size / MB:.0f} MB" if size >= MB else f"{size // 1024} KB"


def _directory_size(data: bytes) -> int:
    """The size of the zip's central directory as its end record declares it: what zipfile reads and
    parses into one object per entry (at least 46 bytes each), found as zipfile finds it. 0 when there is
    no end record (zipfile then refuses the file itself)."""
    if len(data) >= 22 and data[-22:-18] == _END and data[-2:] == b"\0\0":
        end = len(data) - 22
    else:
        end = data.rfind(_END, max(0, len(data) - 22 - 0xFFFF))
        if end < 0 or len(data) < end + 22:
            return 0
    size = int.from_bytes(data[end + 12:end + 16], "little")
    locator = end - 20
    if locator >= 56 and data[locator:locator + 4] == _LOCATOR64:
        record = locator - 56
        if data[record:record + 4] == _END64:  # zipfile takes the zip64 record just before the locator
            size = int.from_bytes(data[record + 40:record + 48], "little")
    return size
