"""Reading Office Open XML parts of a .docx safely: bounded sizes, no entities, no network."""

from __future__ import annotations

import io
import zipfile

from wbcr.core.errors import WbcrError

MAX_DOCX_BYTES = 50 * 1024 * 1024
MAX_PART_BYTES = 100 * 1024 * 1024
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx_xml(data: bytes, part: str, display: str = "the document"):
    """One XML part of a .docx, parsed safely (no entities, no network, bounded size)."""
    from lxml import etree

    if len(data) > MAX_DOCX_BYTES:
        raise WbcrError(f"{display} is larger than {MAX_DOCX_BYTES // 1048576} MB", code="docx.too-large")
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise WbcrError(f"{display} is password-protected or an old .doc file",
                        hint="remove the password (wbcr unprotect) or save it as .docx, then try again",
                        code="docx.encrypted")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo(part)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise WbcrError(f"{display} is not a Word .docx file (or it is damaged)",
                        hint="save it from Word or LibreOffice as .docx and try again", code="docx.corrupt") from None
    if info.file_size > MAX_PART_BYTES:
        raise WbcrError(f"{display}: {part} is too large to read safely", code="docx.too-large")
    try:
        with archive.open(info) as fh:
            raw = fh.read(MAX_PART_BYTES + 1)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
        return etree.fromstring(raw, parser)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        raise WbcrError(f"{display} is damaged: its text could not be read",
                        hint="open it in Word, save it again as .docx, and try again", code="docx.corrupt") from None
