"""Password-protected Office documents: the standard encryption Word and LibreOffice open.

`protect_bytes` encrypts a `.docx` / `.xlsx` / `.pptx` with ECMA-376 Agile encryption (AES-256,
SHA-512, 100,000 spins) through msoffcrypto-tool, then decrypts the result again and compares it with
the input before returning it: the library marks its encryption experimental, so no file is trusted
unverified. `unprotect_bytes` opens any Office-encrypted file. Both work in memory; every failure is one
`ProtectionError` (exit 3) whose message never holds the password.
"""

from __future__ import annotations

import io
import logging

from wbcr.core.errors import WbcrError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

#: Largest document wbcr will protect or open: far above any real letter or report.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024


class ProtectionError(WbcrError):
    """A document that cannot be protected or opened: wrong password, wrong format, tampered."""

    def __init__(self, message: str, **kwargs) -> None:
        kwargs.setdefault("code", "protection")
        super().__init__(message, **kwargs)


def _msoffcrypto():
    import msoffcrypto

    # Its debug logging can include derived keys; never let an application's logging show them.
    logging.getLogger("msoffcrypto").setLevel(logging.WARNING)
    return msoffcrypto


def is_protected(data: bytes) -> bool:
    """Whether `data` looks like an Office-encrypted file (an OLE compound file)."""
    return data[:8] == OLE_MAGIC


def protect_bytes(plain: bytes, password: str) -> bytes:
    """`plain` (an Office Open XML file) encrypted with `password`, verified by decrypting it again."""
    if not password:
        raise ProtectionError("an empty password protects nothing", hint="give the case password")
    if is_protected(plain):
        raise ProtectionError("the document is already password-protected",
                              hint="`wbcr unprotect` it first if it should get another password")
    if plain[:4] != ZIP_MAGIC:
        raise ProtectionError("not a Word, Excel or PowerPoint document (.docx, .xlsx, .pptx)",
                              hint="only Office Open XML files can be protected; save older files in the new format")
    if len(plain) > MAX_DOCUMENT_BYTES:
        raise ProtectionError(f"the document is larger than {MAX_DOCUMENT_BYTES // 1048576} MB")
    _msoffcrypto()
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    try:
        OOXMLFile(io.BytesIO(plain)).encrypt(password, out)
    except Exception:  # noqa: BLE001 - a hostile or broken zip may fail anywhere in the library
        raise ProtectionError("the document could not be encrypted: it is not a valid Office document "
                              "(.docx, .xlsx, .pptx) or is damaged",
                              hint="open it in Word or LibreOffice and save it again") from None
    data = out.getvalue()
    try:
        again = unprotect_bytes(data, password)
    except ProtectionError:
        again = None
    if again != plain:
        raise ProtectionError("the encrypted document did not decrypt to the original; nothing was written",
                              hint="this is a fault in the encryption library: report it with the wbcr version")
    return data


def unprotect_bytes(data: bytes, password: str) -> bytes:
    """The decrypted content of an Office-encrypted file, its integrity checked."""
    if not is_protected(data):
        if data[:4] == ZIP_MAGIC:
            raise ProtectionError("the document is not password-protected", hint="there is nothing to unprotect")
        raise ProtectionError("not an encrypted Office document", hint="check that this is the right file")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ProtectionError(f"the document is larger than {MAX_DOCUMENT_BYTES // 1048576} MB")
    msoffcrypto = _msoffcrypto()
    from msoffcrypto import exceptions

    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        encrypted = office.is_encrypted()
    except Exception:  # noqa: BLE001 - hostile input: any parser failure is "not a document we can open"
        raise ProtectionError("not an encrypted Office document, or it is damaged",
                              hint="check that this is the right file, and that it was copied whole") from None
    if not encrypted:
        raise ProtectionError("the document is not password-protected", hint="there is nothing to unprotect")
    if not password:
        raise ProtectionError("wrong password for this document (no password was given)")
    try:
        try:
            office.load_key(password=password, verify_password=True)
        except TypeError:  # the pre-2007 formats have no separate verification step
            office.load_key(password=password)
    except exceptions.InvalidKeyError:
        raise ProtectionError("wrong password for this document",
                              hint="check the case reference (`wbcr password REF`) or the password given") from None
    except Exception:  # noqa: BLE001
        raise ProtectionError("the document's encryption header is damaged or of an unknown kind",
                              hint="check that the file was copied whole") from None
    out = io.BytesIO()
    try:
        try:
            office.decrypt(out, verify_integrity=True)
        except TypeError:
            office.decrypt(out)
    except Exception:  # noqa: BLE001 - the password was verified above, so this is the data's fault
        raise ProtectionError("the document has been altered or damaged since it was protected "
                              "(its integrity check failed)",
                              hint="get a fresh copy from whoever sent it") from None
    return out.getvalue()


def open_returned(register, reference: str, data: bytes, display: str) -> bytes:
    """A document returned for a case (a form or chronology an agency filled in), opened: as it is when
    it has no password; with the case's password when it went back protected, as wbcr sent it. Any other
    password is one clear error, nothing read."""
    if not is_protected(data):
        return data
    from wbcr.security.passwords import case_password

    try:
        password = case_password(register, reference)
    except WbcrError as exc:
        error = ProtectionError(f"password-protected, and the case password of {reference} cannot be worked out "
                                f"here: {exc.message}",
                                hint=(exc.hint + "; or " if exc.hint else "") + f"open it with `wbcr unprotect "
                                     f"{display} --password ... --out FILE` and read that copy", path=display)
        error.exit_code = exc.exit_code
        raise error from None
    try:
        return unprotect_bytes(data, password)
    except ProtectionError as exc:
        if exc.message.startswith("wrong password"):
            raise ProtectionError(
                f"password-protected, but not with the case password of {reference}",
                hint=f"check it is the form for {reference}; if the agency chose its own password, open it with "
                     f"`wbcr unprotect {display} --password ... --out FILE` and read that copy",
                path=display) from None
        exc.path = exc.path or display
        raise
