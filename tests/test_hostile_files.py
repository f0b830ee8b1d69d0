"""Hostile files and what reaches the terminal.

A Word or Excel file from outside can promise far more than its size (a zip bomb: 140 KB of deflate
that unpacks to 100 MB of XML), lie about a part's size in its zip headers, or list hundreds of
thousands of parts; every reader of such files (`refer --from`, `request --from-form`, `chronology
import`, `check-publication`) refuses each of them with one clear message, in bounded memory, and writes
nothing. Text from records and imported files (terminal escape sequences, bidi overrides, rich markup)
reaches the terminal only as visible, inert text. A form's read-back message never quotes a date of
birth.

Peak memory is measured as a real process's: `resource.getrusage(RUSAGE_CHILDREN)` in a small
wrapper process whose only child is the `wbcr` command. No test asserts a wall-clock time; the times
are measured and reported separately (see the README's threat model).
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE, WBCR, Result, copy_example, git
from formfill import fill_form
from wbcr.core.errors import WbcrError
from wbcr.documents import ooxml

MB = 1024 * 1024
#: what a refused hostile file may cost, at most: a bare `wbcr` process is ~70 MB
PEAK_MB = 300
REF = "WBCR-2016-004"
REQUEST_REF = "WBCR-2017-009"

_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
         b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


# --- building hostile packages ---------------------------------------------------------------------


def _repeated(head: bytes, unit: bytes, size: int, tail: bytes):
    """`head`, then `unit` repeated to about `size` bytes, then `tail`, in chunks of about 1 MB."""
    yield head
    chunk = unit * (MB // len(unit))
    for _ in range(size // len(chunk)):
        yield chunk
    yield tail


def _write_zip(path: Path, parts: list[tuple[str, object]], declared: dict[str, int] | None = None) -> Path:
    """A zip written by hand, streaming: (name, bytes or an iterable of chunks) deflated; `declared` gives
    a part a size in its headers other than its real one (a lying header)."""
    declared = declared or {}
    central = []
    with open(path, "wb") as out:
        for name, body in parts:
            chunks = [body] if isinstance(body, bytes) else body
            encoded = name.encode()
            offset = out.tell()
            out.write(b"\0" * (30 + len(encoded)))  # the local header, filled in below
            deflate, crc, size, packed = zlib.compressobj(9, zlib.DEFLATED, -15), 0, 0, 0
            for chunk in chunks:
                crc, size = zlib.crc32(chunk, crc), size + len(chunk)
                data = deflate.compress(chunk)
                packed += len(data)
                out.write(data)
            data = deflate.flush()
            packed += len(data)
            out.write(data)
            size = declared.get(name, size)
            end = out.tell()
            out.seek(offset)
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, packed, size, len(encoded), 0)
                      + encoded)
            out.seek(end)
            central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, packed, size,
                                       len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
        start = out.tell()
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), start, 0))
    return path


def _document(size: int):
    # long runs of one letter deflate best (~1000:1, the most deflate can do): 100 MB in ~140 KB
    para = b"<w:p><w:r><w:t>Child A was seen. " + b"A" * 4000 + b"</w:t></w:r></w:p>"
    return _repeated(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ' + _W + b"><w:body>",
                     para, size, b"</w:body></w:document>")


def _docx(path: Path, size: int, declared: int | None = None) -> Path:
    parts = [("[Content_Types].xml", _TYPES), ("_rels/.rels", _RELS), ("word/document.xml", _document(size))]
    return _write_zip(path, parts, {"word/document.xml": declared} if declared is not None else None)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    """The hostile files, built once: a docx holding ~100 MB of XML in ~140 KB; a docx whose header says
    its document.xml is 2 KB while it holds 100 MB; an .xlsx whose sheet is ~100 MB of XML."""
    folder = tmp_path_factory.mktemp("bombs")
    sheet = _repeated(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main"><sheetData>', b'<row><c t="inlineStr"><is><t>x</t></is></c></row>',
                      100 * MB, b"</sheetData></worksheet>")
    return {
        "bomb": _docx(folder / "bomb.docx", 100 * MB),
        "lying": _docx(folder / "lying.docx", 100 * MB, declared=2048),
        "sheet": _write_zip(folder / "bomb.xlsx", [("[Content_Types].xml", _TYPES),
                                                   ("xl/worksheets/sheet1.xml", sheet)]),
    }


def test_the_bombs_are_what_they_claim(bombs):
    """The test files are real: ~150 KB on disk, ~100 MB of XML inside (or a header that says 2 KB)."""
    bomb = zipfile.ZipFile(bombs["bomb"]).getinfo("word/document.xml")
    assert bombs["bomb"].stat().st_size < 200 * 1024 and bomb.file_size > 99 * MB
    assert zipfile.ZipFile(bombs["lying"]).getinfo("word/document.xml").file_size == 2048
    assert bombs["lying"].stat().st_size < 200 * 1024


# --- every reader refuses them -----------------------------------------------------------------------


def _measured(env: dict, cwd: Path, *args: str) -> tuple[Result, float]:
    """Run `wbcr` as a real process; its result and its peak resident memory in MB (the largest child of a
    wrapper process that starts nothing else)."""
    script = ("import json, resource, subprocess, sys\n"
              "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
              "json.dump({'code': p.returncode, 'out': p.stdout, 'err': p.stderr,\n"
              "           'peak_kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, sys.stdout)\n")
    proc = subprocess.run([sys.executable, "-c", script, *WBCR, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    return Result(data["code"], data["out"], data["err"]), data["peak_kb"] / 1024


def _pending_agency(register: Path) -> str:
    """An agency asked for information in WBCR-2017-009 that has not answered yet."""
    decisions = yaml.safe_load((register / "cases" / REQUEST_REF / "decisions.yaml").read_text())
    return next(r["agency"] for r in decisions["information_requests"] if "received" not in r)


READERS = {
    "refer --from": lambda f, reg: ["refer", "--from", str(f)],
    "request --from-form": lambda f, reg: ["request", REQUEST_REF, "--agency", _pending_agency(reg),
                                           "--from-form", str(f)],
    "chronology import": lambda f, reg: ["chronology", "import", REF, "--agency", "gp", str(f)],
    "check-publication": lambda f, reg: ["check-publication", str(f), "--case", REF],
}


@pytest.mark.parametrize("reader", list(READERS))
def test_a_zip_bomb_is_refused_by_every_reader_in_bounded_memory(example, env, bombs, reader):
    head = git(example, "rev-parse", "HEAD")
    result, peak = _measured(env, example, *READERS[reader](bombs["bomb"], example))
    assert result.code == 3, result.out + result.err
    assert "Traceback" not in result.err and result.err.startswith("error: ")
    message = result.err.splitlines()[0]
    assert str(bombs["bomb"]) in message and "word/document.xml" in message  # the path, and what is wrong
    assert "would unpack to 100 MB" in message and "zip bomb" in message and "nothing was read" in message
    assert "hint: check that this is the right file" in result.err  # what to do
    assert peak < PEAK_MB, f"{reader}: peak {peak:.0f} MB"
    assert git(example, "rev-parse", "HEAD") == head and git(example, "status", "--porcelain") == ""


@pytest.mark.parametrize("reader", list(READERS))
def test_a_part_whose_header_lies_about_its_size_is_unpacked_no_further(example, env, bombs, reader):
    """The header says 2 KB, the part holds 100 MB: at most 2 KB + 1 byte is unpacked, and the file is
    refused as damaged."""
    head = git(example, "rev-parse", "HEAD")
    result, peak = _measured(env, example, *READERS[reader](bombs["lying"], example))
    assert result.code == 3, result.out + result.err
    assert "Traceback" not in result.err
    assert str(bombs["lying"]) in result.err and "damaged" in result.err
    assert peak < PEAK_MB, f"{reader}: peak {peak:.0f} MB"
    assert git(example, "rev-parse", "HEAD") == head and git(example, "status", "--porcelain") == ""


def test_an_excel_bomb_is_refused(example, env, bombs):
    result, peak = _measured(env, example, "chronology", "import", REF, "--agency", "gp", str(bombs["sheet"]))
    assert result.code == 3, result.out + result.err
    assert "xl/worksheets/sheet1.xml would unpack to 100 MB" in result.err and "zip bomb" in result.err
    assert peak < PEAK_MB
    assert git(example, "status", "--porcelain") == ""


def _entries_zip(count: int, name_length: int = 8) -> bytes:
    """A zip that is all table of contents: `count` entries, no data."""
    central = b"".join(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0x21, 0, 0, 0, name_length,
                                   0, 0, 0, 0, 0, 0) + b"%0*x" % (name_length, n) for n in range(count))
    return central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, min(count, 0xFFFF), min(count, 0xFFFF),
                                 len(central), 0, 0)


def test_a_zip_of_a_hundred_thousand_entries_is_refused_before_it_is_parsed():
    """zipfile would build an object per entry (a 50 MB directory of a million entries takes ~570 MB):
    the directory's size is read from the zip's end record first."""
    data = _entries_zip(100_000)
    tracemalloc.start()
    try:
        with pytest.raises(WbcrError, match="table of contents is 5 MB") as refused:
            ooxml.open_package(data, "many.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MB and refused.value.code == "docx.too-large"
    with pytest.raises(WbcrError, match="has 2000 parts inside"):
        ooxml.open_package(_entries_zip(2000), "many.docx")


def test_the_limits_are_checked_before_anything_is_unpacked(tmp_path):
    """Over the total, over a part's limit, over the file size: refused from the headers alone."""
    parts = [("[Content_Types].xml", _TYPES), ("word/document.xml", _document(2 * MB)),
             ("word/media/image1.png", b"\0" * (3 * MB))]
    data = _write_zip(tmp_path / "x.docx", parts).read_bytes()
    small = ooxml.Limits(part_bytes=MB)
    with pytest.raises(WbcrError, match=r"word/document\.xml would unpack to 2 MB; wbcr reads at most 1 MB"):
        ooxml.open_package(data, "x.docx", limits=small)
    with pytest.raises(WbcrError, match="would unpack to 5 MB; wbcr refuses files that large"):
        ooxml.open_package(data, "x.docx", limits=ooxml.Limits(total_bytes=4 * MB))
    with pytest.raises(WbcrError, match="larger than 0 MB"):
        ooxml.open_package(data, "x.docx", limits=ooxml.Limits(file_bytes=1000))
    package = ooxml.open_package(data, "x.docx")  # within the limits: read as it is
    assert package.xml("word/document.xml").tag.endswith("document")
    assert len(package.read("word/media/image1.png")) == 3 * MB


@pytest.mark.parametrize("reader", ["refer --from", "request --from-form"])
@pytest.mark.parametrize("kind", ["zip", "protected"])
def test_an_oversized_form_is_refused_without_being_read_whole(example, env, tmp_path, reader, kind):
    """A 2 GB form (sparse on disk): at most the 50 MB limit + 1 byte is read, then it is refused by its
    size, before it is decrypted, unpacked or its template rendered."""
    huge = tmp_path / "huge.docx"
    with open(huge, "wb") as fh:
        fh.write(b"PK\x03\x04" if kind == "zip" else b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
        fh.truncate(2048 * MB)
    head = git(example, "rev-parse", "HEAD")
    result, peak = _measured(env, example, *READERS[reader](huge, example))
    assert result.code == 3, result.out + result.err
    assert f"{huge} is larger than 50 MB" in result.err and "Traceback" not in result.err
    assert peak < PEAK_MB, f"{reader}: peak {peak:.0f} MB"
    assert git(example, "rev-parse", "HEAD") == head and git(example, "status", "--porcelain") == ""


@pytest.mark.parametrize("reader", ["refer --from", "request --from-form"])
def test_a_form_is_checked_before_its_template_is_rendered(wbcr, example, tmp_path, monkeypatch, reader):
    from wbcr.documents import forms

    def never(*args, **kwargs):
        raise AssertionError("the form's template was rendered for a file that is no form")

    monkeypatch.setattr(forms, "form_layout", never)
    fake = tmp_path / "returned.docx"
    fake.write_text("not a Word document at all")
    result = wbcr(*READERS[reader](fake, example), cwd=example)
    assert result.code == 3, result.out + result.err
    assert f"{fake} is not a Word .docx file" in result.err
    assert git(example, "status", "--porcelain") == ""


def test_an_oversized_or_too_wide_csv_is_refused(wbcr, example, tmp_path):
    big = tmp_path / "big.csv"
    row = "03/02/2016,Seen at home by the health visitor; no concerns.,None\n"
    big.write_text("Date,Event,Action taken\n" + row * (18 * MB // len(row)))
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(big), cwd=example)
    assert result.code == 3 and f"{big} is 17 MB of text; wbcr reads at most 16 MB of CSV" in result.err
    wide = tmp_path / "wide.csv"
    wide.write_text("Date,Event,Action taken\n03/02/2016,Seen,None\n" + "," * 5_000_000 + "\n")
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(wide), cwd=example)
    assert result.code == 3 and f"{wide}:3: this line has more than 4096 ',' in it" in result.err
    assert git(example, "status", "--porcelain") == ""


# --- what reaches the terminal -------------------------------------------------------------------------

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202e"


def test_record_and_imported_text_reaches_the_terminal_inert(wbcr, example, tmp_path):
    """An agency's CSV and record fields holding an OSC title change, a screen clear, a bell and a bidi
    override: every command shows them as visible escapes, never raw (the merged chronology as CSV on
    the terminal too); rich markup stays literal; JSON keeps the exact text."""
    source = tmp_path / "gp.csv"
    source.write_text(f"Date,Event,Action taken\r\n03/02/2016,Seen at home {HOSTILE} [bold]evil[/bold],None\r\n",
                      encoding="utf-8")
    imported = wbcr("chronology", "import", REF, "--agency", "gp", str(source), cwd=example)
    assert imported.code == 0, imported.err
    escaped = '"\\e]0;pwned\\a\\e[2J\\u202e"'  # as YAML writes them in a double-quoted string
    case = example / "cases" / REQUEST_REF
    (case / "case.yaml").write_text(
        (case / "case.yaml").read_text().replace("pseudonym: Child T", f"pseudonym: {escaped[:-1]} Child T\""))
    agency = _pending_agency(example)
    (case / "decisions.yaml").write_text(
        (case / "decisions.yaml").read_text().replace(f"  - agency: {agency}\n", f"  - agency: {escaped}\n", 1))
    config = example / "wbcr.yaml"
    config.write_text(config.read_text().replace("  short_name: West of Berkshire LSCBs",
                                                 f"  short_name: {escaped[:-1]} [bold]WoB[/bold]\""))
    runs = {
        "chronology merge": wbcr("chronology", "merge", REF, cwd=example),
        "chronology merge --format csv": wbcr("chronology", "merge", REF, "--format", "csv", cwd=example),
        "validate": wbcr("validate", cwd=example),
        "status": wbcr("status", cwd=example),
        "next": wbcr("next", REQUEST_REF, cwd=example),
        "show": wbcr("show", REQUEST_REF, cwd=example),
    }
    for command, result in runs.items():
        shown = result.out + result.err
        assert "Traceback" not in shown and "internal error" not in shown, command
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in shown, f"{command} printed {raw!r}"
        assert "\\x1b]0;pwned" in shown and "\\u202e" in shown, f"{command} did not show the text:\n{shown}"
    assert "[bold]evil[/bold]" in runs["chronology merge"].out
    assert "[bold]WoB[/bold]" in runs["status"].out
    merged = wbcr("chronology", "merge", REF, "--format", "json", cwd=example)
    assert "\x1b" not in merged.out and "\u202e" not in merged.out  # escaped as JSON escapes them
    events = [r["event"] for r in json.loads(merged.out)["rows"] if r["agency"] == "gp"]
    assert f"Seen at home {HOSTILE} [bold]evil[/bold]" in events  # and read back exactly


# --- form read-back messages -------------------------------------------------------------------------


def test_a_bad_date_of_birth_on_a_form_is_reported_without_quoting_it(wbcr, example, tmp_path):
    blank = wbcr("render", "referral-form", "--no-protect", cwd=example)
    assert blank.code == 0, blank.err
    form = tmp_path / "referral.docx"
    form.write_bytes(fill_form(Path(blank.out.strip()).read_bytes(), {
        "lead_lscb": "Wokingham", "referrer.name": "Pat Invented", "referrer.role": "Nurse",
        "child.name": "Zennor Invented-Child", "child.date_of_birth": "31/02/2014", "summary": "Seen at A&E.",
        "incident.date": "yesterday"}))
    result = wbcr("refer", "--from", str(form), cwd=example)
    assert result.code == 1
    assert 'field "Date of birth" (child.date_of_birth): is not a real date (not shown here' in result.out
    assert "31/02/2014" not in result.out + result.err
    assert '(incident.date): "yesterday" is not a date' in result.out  # a date that identifies nobody is quoted


# --- the referral form is never an enclosure -----------------------------------------------------------


def test_a_renamed_referral_form_is_refused_as_an_enclosure_by_its_content(wbcr, env, tmp_path, monkeypatch):
    """The referral form names the child and family: it is never circulated with the outcome letters or
    sent to an agency. It is recognised by its fields (content controls), protected or not, whatever the
    file is called; a document that is no referral form may be called anything."""
    demo_key = (EXAMPLE.parent / "DEMO-board-key.txt").read_text().strip().splitlines()[-1].strip()
    monkeypatch.setenv("WBCR_BOARD_KEY", demo_key)
    monkeypatch.setenv("WBCR_TODAY", "2017-11-23")
    env.update(WBCR_BOARD_KEY=demo_key, WBCR_TODAY="2017-11-23")
    register = copy_example(tmp_path / "register", env, demo_key=True)
    ref = "WBCR-2017-007"
    away = tmp_path / "away"
    for protect in ([], ["--no-protect"]):
        form = wbcr("render", ref, "referral-form", *protect, cwd=register)
        assert form.code == 0, form.err
        renamed = away / f"outcome-for-tvp{'-plain' if protect else ''}.docx"
        renamed.parent.mkdir(exist_ok=True)
        renamed.write_bytes(Path(form.out.strip()).read_bytes())
        refused = wbcr("notify", ref, "--recipient", "agency:tvp", "--purpose", "outcome_letter", "--document",
                       str(renamed), cwd=register)
        assert refused.code == 2 and "the referral form itself is never circulated" in refused.err, refused.err
    assert git(register, "status", "--porcelain") == ""
    letter = wbcr("render", ref, "information-request", "--agency", "tvp", cwd=register)
    assert letter.code == 0, letter.err
    named = away / "referral-follow-up.docx"
    named.write_bytes(Path(letter.out.strip()).read_bytes())
    sent = wbcr("notify", ref, "--recipient", "agency:tvp", "--purpose", "information_request", "--document",
                str(named), cwd=register)
    assert sent.code == 0, sent.err
