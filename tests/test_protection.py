"""Password-protected Office documents: round trips, an independent decryptor, LibreOffice, failures."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import msoffcrypto
import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wbcr.core.errors import WbcrError
from wbcr.security.protection import ProtectionError, is_protected, protect_bytes, unprotect_bytes

PASSWORD = "RARN-H4R8-VM6P-5MU3"
OTHER = "SG7P-PKTK-9CL3-VM2J"


def make_docx(text: str = "Child H: learning review, OFFICIAL-SENSITIVE") -> bytes:
    document = Document()
    document.add_heading("WBCR-2017-004", level=1)
    document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def independent_decrypt(data: bytes, password: str) -> bytes:
    """msoffcrypto-tool's general reader, as a user's tool would use it (not wbcr's code)."""
    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    assert office.is_encrypted()
    office.load_key(password=password)
    out = io.BytesIO()
    office.decrypt(out, verify_integrity=True)
    return out.getvalue()


@pytest.fixture(scope="module")
def plain() -> bytes:
    return make_docx()


@pytest.fixture(scope="module")
def protected(plain) -> bytes:
    return protect_bytes(plain, PASSWORD)


def test_round_trip(plain, protected):
    assert is_protected(protected) and not is_protected(plain)
    assert b"Child H" not in protected and b"word/document.xml" not in protected
    assert unprotect_bytes(protected, PASSWORD) == plain


def test_an_independent_decryptor_opens_it_with_the_case_password_only(plain, protected):
    assert independent_decrypt(protected, PASSWORD) == plain
    assert "Child H" in docx_text(independent_decrypt(protected, PASSWORD))
    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        office = msoffcrypto.OfficeFile(io.BytesIO(protected))
        office.load_key(password=OTHER, verify_password=True)


def test_it_is_standard_agile_encryption(protected):
    office = msoffcrypto.OfficeFile(io.BytesIO(protected))
    assert office.format == "ooxml" and office.type == "agile"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=300))
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_document_text_round_trips(text):
    plain = make_docx(text)
    assert unprotect_bytes(protect_bytes(plain, PASSWORD), PASSWORD) == plain


def test_wrong_password_is_one_clear_error(protected):
    with pytest.raises(ProtectionError) as info:
        unprotect_bytes(protected, OTHER)
    assert info.value.exit_code == 3 and "wrong password" in info.value.message
    assert OTHER not in str(info.value) and PASSWORD not in str(info.value)


@pytest.mark.parametrize("data, expected", [
    (b"", "not an encrypted Office document"),
    (b"hello, this is not a document at all", "not an encrypted Office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "damaged"),
])
def test_not_an_encrypted_document(data, expected):
    with pytest.raises(ProtectionError, match=expected):
        unprotect_bytes(data, PASSWORD)


def test_a_plain_document_is_not_unprotected_and_a_protected_one_not_protected_twice(plain, protected):
    with pytest.raises(ProtectionError, match="not password-protected"):
        unprotect_bytes(plain, PASSWORD)
    with pytest.raises(ProtectionError, match="already password-protected"):
        protect_bytes(protected, PASSWORD)
    for bad in (b"plain text", b"PK\x03\x04 a broken zip"):
        with pytest.raises(ProtectionError, match="(not a Word|not a valid Office)"):
            protect_bytes(bad, PASSWORD)


def test_tampering_is_detected(protected):
    # Flip one byte in every region of the file in turn: each either fails with a clear message or
    # (when it hits slack space) still decrypts to exactly the original.
    original = unprotect_bytes(protected, PASSWORD)
    failures = 0
    for offset in range(512, len(protected), max(1, len(protected) // 40)):
        damaged = bytearray(protected)
        damaged[offset] ^= 0x55
        try:
            result = unprotect_bytes(bytes(damaged), PASSWORD)
        except ProtectionError as exc:
            failures += 1
            assert PASSWORD not in str(exc)
            continue
        assert result == original
    assert failures > 10


# --- the commands ----------------------------------------------------------------------------------


@pytest.fixture
def keyed(wbcr, env, example, tmp_path, monkeypatch):
    env["WBCR_KEY_DIR"] = str(tmp_path / "keys")
    monkeypatch.setenv("WBCR_KEY_DIR", str(tmp_path / "keys"))
    assert wbcr("key", "init", cwd=example).code == 0
    return example


def test_protect_and_unprotect_commands(wbcr, keyed, tmp_path, plain):
    doc = tmp_path / "docs" / "WBCR-2017-004 minutes.docx"
    doc.parent.mkdir()
    doc.write_bytes(plain)
    result = wbcr("protect", str(doc), "--case", "WBCR-2017-004", cwd=keyed)
    assert result.code == 0, result.err
    assert result.out.strip() == str(doc)
    password = wbcr("password", "WBCR-2017-004", cwd=keyed).out.strip()
    other = wbcr("password", "WBCR-2016-001", cwd=keyed).out.strip()
    data = doc.read_bytes()
    assert independent_decrypt(data, password) == plain
    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        independent_decrypt(data, other)
    assert sorted(p.name for p in doc.parent.iterdir()) == [doc.name]  # no temporary files left

    wrong = wbcr("unprotect", str(doc), "--case", "WBCR-2016-001", cwd=keyed)
    assert wrong.code == 3 and "wrong password" in wrong.err and "Traceback" not in wrong.err
    assert other not in wrong.out + wrong.err and password not in wrong.out + wrong.err
    assert doc.read_bytes() == data  # left as it was

    out = tmp_path / "open.docx"
    opened = wbcr("unprotect", str(doc), "--case", "WBCR-2017-004", "--out", str(out), cwd=keyed)
    assert opened.code == 0, opened.err
    assert out.read_bytes() == plain and doc.read_bytes() == data
    assert wbcr("unprotect", str(doc), "--case", "WBCR-2017-004", cwd=keyed).code == 0
    assert doc.read_bytes() == plain


def test_password_given_directly_or_on_standard_input(wbcr, keyed, tmp_path, plain):
    doc = tmp_path / "letter.docx"
    doc.write_bytes(plain)
    assert wbcr("protect", str(doc), "--password", "-", input="rarn h4r8 vm6p 5mu3\n").code == 0
    assert independent_decrypt(doc.read_bytes(), PASSWORD) == plain
    assert wbcr("unprotect", str(doc), "--password", OTHER).code == 3
    assert wbcr("unprotect", str(doc), "--password", PASSWORD).code == 0
    assert doc.read_bytes() == plain
    assert wbcr("protect", str(doc)).code == 2  # neither --case nor --password


def test_protect_refuses_what_it_cannot_protect_and_leaves_it(wbcr, keyed, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_bytes(b"Harper Grace Lindqvist")
    result = wbcr("protect", str(text), "--case", "WBCR-2017-004", cwd=keyed)
    assert result.code == 3 and "not a Word" in result.err and "Harper" not in result.err
    assert text.read_bytes() == b"Harper Grace Lindqvist"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".notes")) == []
    missing = wbcr("protect", str(tmp_path / "absent.docx"), "--case", "WBCR-2017-004", cwd=keyed)
    assert missing.code == 2 and "no such file" in missing.err


def test_nothing_reaches_the_temporary_folder(wbcr, keyed, tmp_path, plain):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    doc = tmp_path / "report.docx"
    doc.write_bytes(plain)
    env = {"TMPDIR": str(scratch), "TEMP": str(scratch), "TMP": str(scratch)}
    assert wbcr("protect", str(doc), "--case", "WBCR-2017-004", cwd=keyed, extra_env=env).code == 0
    assert wbcr("unprotect", str(doc), "--case", "WBCR-2016-001", cwd=keyed, extra_env=env).code == 3
    assert list(scratch.iterdir()) == []


# --- LibreOffice, the second real client ---------------------------------------------------------


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(soffice: str, doc: Path, outdir: Path, profile: Path) -> Path:
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), str(doc)], capture_output=True, timeout=180)
    return outdir / (doc.stem + ".pdf")


@pytest.mark.slow
@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_decrypted_document_and_not_the_protected_one(tmp_path, plain, protected):
    soffice = _soffice()
    profile = tmp_path / "lo-profile"
    locked = tmp_path / "locked" / "minutes.docx"
    locked.parent.mkdir()
    locked.write_bytes(protected)
    # LibreOffice cannot convert an encrypted file without its password (it says so and exits 0).
    assert not _convert(soffice, locked, locked.parent, profile).exists()
    opened = tmp_path / "opened" / "minutes.docx"
    opened.parent.mkdir()
    opened.write_bytes(independent_decrypt(protected, PASSWORD))
    pdf = _convert(soffice, opened, opened.parent, profile)
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_protection_errors_are_wbcr_errors():
    assert issubclass(ProtectionError, WbcrError)


def test_no_password_reaches_a_log(caplog, plain):
    import logging

    with caplog.at_level(logging.DEBUG):
        data = protect_bytes(plain, PASSWORD)
        with pytest.raises(ProtectionError) as info:
            unprotect_bytes(data, OTHER)
        unprotect_bytes(data, PASSWORD)
    logged = caplog.text + repr([r.args for r in caplog.records])
    assert PASSWORD not in logged and OTHER not in logged
    assert PASSWORD not in repr(info.value.args) and OTHER not in repr(info.value.args)
    assert info.value.__cause__ is None and info.value.__suppress_context__


@pytest.mark.parametrize("args", [["--help"], ["--register", "examples/west-of-berkshire", "status"],
                                  ["protect", "--help"], ["key", "--help"]])
def test_light_commands_do_not_load_the_encryption_libraries(args, env):
    import sys

    from conftest import ROOT

    probe = ("import sys, runpy\nsys.argv = ['wbcr', *sys.argv[1:]]\ntry:\n    runpy.run_module('wbcr', "
             "run_name='__main__')\nexcept SystemExit:\n    pass\nsys.stderr.write('LOADED=' + ','.join(sorted("
             "{m.split('.')[0] for m in sys.modules} & {'msoffcrypto', 'olefile', 'cryptography'})) + '\\n')\n")
    result = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert "LOADED=\n" in result.stderr, result.stderr
