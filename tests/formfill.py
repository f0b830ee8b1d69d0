"""Filling in a wbcr form as an agency would in Word: write text into the tagged content controls."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def fill_form(data: bytes, answers: dict[str, str]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(src.read("word/document.xml"))
    found = set()
    for sdt in root.iter(f"{W}sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        if tag is None or tag.get(f"{W}val") not in answers:
            continue
        name = tag.get(f"{W}val")
        found.add(name)
        content = sdt.find(f"{W}sdtContent")
        for child in list(content):
            content.remove(child)
        run = etree.SubElement(content, f"{W}r")
        for n, line in enumerate(answers[name].split("\n")):
            if n:
                etree.SubElement(run, f"{W}br")
            t = etree.SubElement(run, f"{W}t")
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = line
    missing = set(answers) - found
    assert not missing, f"no such fields in the form: {sorted(missing)}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                if item.filename == "word/document.xml" else src.read(item.filename)
            dst.writestr(item, body)
    return out.getvalue()
