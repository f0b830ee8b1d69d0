"""Regenerate the corpus files that are awkward to write by hand (bytes, huge values).

The generated files are committed; this script only documents how they were made and lets
them be rebuilt exactly:

    .venv/bin/python tests/corpus/make_special.py

It writes:

* valid/case/utf8-bom.yaml                    UTF-8 with a byte-order mark (valid)
* valid/chronology/hostile-text.yaml          markup, template braces, quotes, emoji, Arabic
                                              and a 20,000-character narrative (valid)
* invalid/notifications/windows-1252-pound.yaml   a £ saved as Windows-1252
* invalid/people/windows-1252-e-acute.yaml        an é saved as Windows-1252, after a UTF-8 é
* invalid/people/utf16.yaml                       UTF-16 with a byte-order mark
* invalid/chronology/nested-too-deep.yaml         a value nested 70 lists deep
* invalid/chronology/word-line-break.yaml         a vertical tab (Word's manual line break)
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

#: characters in the long narrative of hostile-text.yaml (the parsed value, newlines included)
NARRATIVE_CHARS = 20_000


def narrative() -> str:
    """A literal-block value of exactly NARRATIVE_CHARS characters (lines of at most 100)."""
    sentence = ("The family support worker visited at 10:30 & found the flat cold; Mother said "
                "\"we're fine\" and the #2 bedroom door was locked: {{ child.name }} <b>[redacted]</b>. ")
    words = (sentence * 200).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if len(candidate) > 100:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    text = ""
    for line in lines:
        if len(text) + len(line) + 1 > NARRATIVE_CHARS:
            break
        text += line + "\n"
    # pad the last line so the value (with its final newline) is exactly NARRATIVE_CHARS long
    missing = NARRATIVE_CHARS - len(text)
    if missing:
        text += "x" * (missing - 1) + "\n"
    assert len(text) == NARRATIVE_CHARS, len(text)
    return text


def hostile_chronology() -> str:
    block = "".join(f"      {line}\n" for line in narrative().splitlines())
    return (
        "# Free text that must survive validation untouched: markup, template syntax, quotes,\n"
        "# emoji, right-to-left script and a very long narrative.\n"
        "schema_version: 1\n"
        "agency: nb-cs\n"
        "author:\n"
        "  name: \"Siobhán O'Connor-Al Rashid\"\n"
        "  role: Independent Reviewing Officer\n"
        "submitted: 2026-03-20\n"
        "entries:\n"
        "  - date: 2025-01-10\n"
        "    time: \"08:05\"\n"
        "    event: \"&amp; Mother & Stepfather <b>shouting</b> said \\\"leave us alone\\\"\"\n"
        "    action: '{{ referral.outcome }} -> MASH [redacted] it''s logged'\n"
        "  - date: \"?2025-02-14\"\n"
        "    people: [\"Child K 👧\", 'Mother']\n"
        "    event: Interpreter used for Mother's friend, who said \"أنا خائفة على الطفل\" 😟\n"
        "    action: <script>alert(1)</script> & {% raw %}{{ not_a_template }}{% endraw %}\n"
        "    significance: \"# not a comment; key: not a key; - not a list\"\n"
        "  - date: 2025-03-01\n"
        "    event: |\n"
        f"{block}"
        "    action: Narrative read by the panel in full.\n"
    )


def write(rel: str, data: bytes) -> None:
    path = HERE / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def main() -> None:
    write("valid/case/utf8-bom.yaml", b"\xef\xbb\xbf" + (
        "# Saved by Notepad as \"UTF-8 with BOM\".\n"
        "schema_version: 1\n"
        "reference: NBCR-2026-009\n"
        "lead_lscb: northbury\n"
        "intake: review_referral\n"
        "stage: referral\n"
        "opened: 2026-03-16\n"
        "pseudonym: Child Zoë\n"
        "stage_history:\n"
        "  - stage: referral\n"
        "    date: 2026-03-16\n"
        "    by: CRG Coordinator\n").encode("utf-8"))

    hostile = hostile_chronology().encode("utf-8")
    assert len(hostile) < 40_000, len(hostile)
    write("valid/chronology/hostile-text.yaml", hostile)

    write("invalid/notifications/windows-1252-pound.yaml", (
        "schema_version: 1\n"
        "notifications:\n"
        "  - recipient: family\n"
        "    date: 2026-02-02\n"
        "    method: letter\n"
        "    purpose: family_letter\n"
        "    note: Travel costs of £40 offered.\n").encode("cp1252"))
    write("invalid/people/windows-1252-e-acute.yaml",
          "schema_version: 1\npeople:\n  - id: child-v\n    pseudonym: Child V\n    role: subject\n".encode()
          + "    name: Zoë Chlo".encode("utf-8") + "é\n".encode("cp1252"))
    write("invalid/people/utf16.yaml", (
        "schema_version: 1\npeople:\n  - id: child-w\n    pseudonym: Child W\n"
        "    role: subject\n    name: Wren Adams\n").encode("utf-16"))
    write("invalid/chronology/nested-too-deep.yaml", (
        "schema_version: 1\nagency: nb-cs\nentries:\n  - date: 2025-01-01\n    event: "
        + "[" * 70 + "x" + "]" * 70 + "\n").encode())
    write("invalid/chronology/word-line-break.yaml", (
        "schema_version: 1\nagency: nb-cs\nentries:\n  - date: 2025-01-01\n"
        "    event: Mother said she would call back.\x0bNo call received.\n").encode())


if __name__ == "__main__":
    main()
