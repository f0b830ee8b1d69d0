"""Contact sheets of every document of a rich case of each procedure, for a person to look at.

    .venv/bin/python tests/bench/contact_sheet.py [--out DIR] [--procedure wt2015|wt2023] [--per-row 6]

Renders the documents that tests/test_document_layout.py checks (the same cases, the same recipients),
converts them to PDF with LibreOffice (one run per case), then each page to a PNG at 50 dpi with
poppler's `pdftoppm`, and lays the pages out as one picture per case: a band per document, its pages
left to right (wrapping after --per-row), documents in catalogue order, separated by a dark rule. The
list of documents, with the bands they occupy, is written beside the picture (`<case>.txt`).

No image library is needed: pages come from pdftoppm as PPM (raw RGB) and the sheet is written as a
PNG with zlib, a scanline at a time. Not collected by pytest (tests/bench holds no test_*.py).
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the layout test's helpers

from test_document_layout import CASES, convert_to_pdf, render_case  # noqa: E402

BACKGROUND = (0xD0, 0xD0, 0xD0)
RULE = (0x1F, 0x3A, 0x5F)
GAP = 8


def read_ppm(path: Path) -> tuple[int, int, bytes]:
    """(width, height, RGB bytes) of a binary PPM (P6, maxval 255), as pdftoppm writes it."""
    data = path.read_bytes()
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError(f"{path}: not an 8-bit binary PPM")
    width, height = int(fields[1]), int(fields[2])
    pos += 1
    return width, height, data[pos:pos + width * height * 3]


class PngWriter:
    """A truecolour PNG written a scanline at a time (filter 0), so a tall sheet never sits in memory."""

    def __init__(self, path: Path, width: int, height: int) -> None:
        self.fh = path.open("wb")
        self.width, self.rows_left = width, height
        self.zip = zlib.compressobj(6)
        self.fh.write(b"\x89PNG\r\n\x1a\n")
        self._chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        self.pending = bytearray()

    def _chunk(self, kind: bytes, body: bytes) -> None:
        self.fh.write(struct.pack(">I", len(body)) + kind + body
                      + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    def row(self, rgb: bytes) -> None:
        assert len(rgb) == self.width * 3 and self.rows_left > 0
        self.rows_left -= 1
        self.pending += self.zip.compress(b"\x00" + rgb)
        if len(self.pending) > 1 << 20:
            self._chunk(b"IDAT", bytes(self.pending))
            self.pending.clear()

    def close(self) -> None:
        assert self.rows_left == 0, "rows missing"
        self.pending += self.zip.flush()
        self._chunk(b"IDAT", bytes(self.pending))
        self._chunk(b"IEND", b"")
        self.fh.close()


def page_images(pdf: Path, folder: Path) -> list[Path]:
    """Each page of `pdf` at 50 dpi, as PNG (to open one by one) and PPM (to compose the sheet)."""
    prefix = folder / pdf.stem
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(prefix)], check=True)
    subprocess.run(["pdftoppm", "-r", "50", str(pdf), str(prefix)], check=True)
    return sorted(folder.glob(f"{pdf.stem}-*.ppm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def build_sheet(documents: list[tuple[str, list[Path]]], out: Path, per_row: int) -> list[str]:
    """Lay the pages out (a band per document) into the PNG `out`; the index lines it returns say
    which bands hold which document."""
    bands: list[tuple[str, list[tuple[int, int, bytes]]]] = []
    for stem, ppms in documents:
        pages = [read_ppm(p) for p in ppms]
        for start in range(0, len(pages), per_row):
            bands.append((stem, pages[start:start + per_row]))
    width = max(sum(w for w, _h, _d in pages) + GAP * (len(pages) + 1) for _s, pages in bands)
    heights = [max(h for _w, h, _d in pages) + GAP for _s, pages in bands]
    rules = [i for i in range(1, len(bands)) if bands[i][0] != bands[i - 1][0]]
    total = sum(heights) + GAP + 4 * len(rules)
    writer = PngWriter(out, width, total)
    blank = bytes(BACKGROUND) * width
    index: list[str] = []
    y = 0
    for n, ((stem, pages), height) in enumerate(zip(bands, heights)):
        if n in rules:
            for _ in range(4):
                writer.row(bytes(RULE) * width)
            y += 4
        if not index or not index[-1].startswith(stem + ":"):
            index.append(f"{stem}: from y={y}")
        writer.row(blank)
        y += 1
        for _ in range(GAP - 1):
            writer.row(blank)
            y += 1
        for line in range(height - GAP):
            row = bytearray()
            for w, h, data in pages:
                row += bytes(BACKGROUND) * GAP
                row += data[line * w * 3:(line + 1) * w * 3] if line < h else bytes(BACKGROUND) * w
            row += bytes(BACKGROUND) * (width - len(row) // 3)
            writer.row(bytes(row))
            y += 1
    for _ in range(total - y):
        writer.row(blank)
    writer.close()
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/wbcr-contact-sheets"))
    parser.add_argument("--procedure", choices=sorted(CASES), action="append")
    parser.add_argument("--per-row", type=int, default=6)
    args = parser.parse_args(argv)
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"contact_sheet: {tool} is not installed (LibreOffice and poppler-utils are needed)", file=sys.stderr)
            return 2
    for procedure in args.procedure or list(CASES):
        register, reference, today = CASES[procedure]
        started = time.perf_counter()
        folder = args.out / reference
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "pages").mkdir(parents=True)
        docs = []
        for stem, data, _spec in render_case(register, reference, today):
            path = folder / f"{stem}.docx"
            path.write_bytes(data)
            docs.append(path)
        convert_to_pdf(docs, folder, folder / "profile")
        shutil.rmtree(folder / "profile", ignore_errors=True)
        documents = [(doc.stem, page_images(folder / f"{doc.stem}.pdf", folder / "pages")) for doc in docs]
        sheet = args.out / f"{reference}.png"
        index = build_sheet(documents, sheet, args.per_row)
        pages = sum(len(p) for _s, p in documents)
        (args.out / f"{reference}.txt").write_text(
            f"{reference} ({procedure}) as of {today}: {len(documents)} documents, {pages} pages\n"
            + "\n".join(index) + "\n", encoding="utf-8")
        for ppm in (folder / "pages").glob("*.ppm"):
            ppm.unlink()
        print(f"{sheet}: {len(documents)} documents, {pages} pages, {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
