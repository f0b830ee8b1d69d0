"""Filling in a wbcr form as an agency would in Word: each tagged content control is filled as Word
fills it — text typed over the grey prompt, a checkbox ticked (w14:checked and its ☒), a drop-down item
chosen (by its value or its words; anything else is typed in as it is, as into an editor that ignores
the list), a date typed into the date picker."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
TICKED = ("x", "yes", "1", "true", "☒")


def fill_form(data: bytes, answers: dict[str, str]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(src.read("word/document.xml"))
    found = set()
    for sdt in root.iter(f"{W}sdt"):
        pr = sdt.find(f"{W}sdtPr")
        tag = pr.find(f"{W}tag")
        if tag is None or tag.get(f"{W}val") not in answers:
            continue
        name = tag.get(f"{W}val")
        found.add(name)
        text = answers[name]
        font = None
        for prompt in pr.findall(f"{W}showingPlcHdr"):
            pr.remove(prompt)
        box = pr.find(f"{W14}checkbox")
        listing = pr.find(f"{W}dropDownList")
        if box is not None:
            ticked = text.strip().lower() in TICKED
            box.find(f"{W14}checked").set(f"{W14}val", "1" if ticked else "0")
            text, font = ("☒" if ticked else "☐"), box.find(f"{W14}checkedState").get(f"{W14}font")
        elif listing is not None:
            for item in listing.findall(f"{W}listItem"):
                if text.strip().lower() in (item.get(f"{W}value").lower(), item.get(f"{W}displayText").lower()):
                    text = item.get(f"{W}displayText")
                    listing.set(f"{W}lastValue", item.get(f"{W}value"))
                    break
        content = sdt.find(f"{W}sdtContent")
        for child in list(content):
            content.remove(child)
        run = etree.SubElement(content, f"{W}r")
        if font:
            fonts = etree.SubElement(etree.SubElement(run, f"{W}rPr"), f"{W}rFonts")
            fonts.set(f"{W}ascii", font)
            fonts.set(f"{W}hAnsi", font)
        for n, line in enumerate(text.split("\n")):
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
