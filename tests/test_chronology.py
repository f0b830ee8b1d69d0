"""Chronologies (issue #5): the agency template, importing what agencies return (.csv, .xlsx, .docx),
the merged chronology (Word, CSV, terminal, JSON) and its flags, which `wbcr validate` shares."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, git
from formfill import fill_form
from wbcr.chronology import merge as chron
from wbcr.operations import chronology_import as imp
from wbcr.core.yamlio import load_record, parse_yaml

FILES = Path(__file__).parent / "chronology_files"
REF = "WBCR-2016-004"
TODAY = dt.date(2017, 11, 23)

# What tests/chronology_files/gp-export.csv holds, as it must be stored: the agency's wording exactly.
GP_ENTRIES = [
    {"date": "2016-02-01", "time": "09:30", "source": "GP record", "people": ["Mother", "Child A"],
     "event": 'Mother said she was "fine" & the bruise was from a fall.', "action": "Booked a review",
     "practitioner": "GP 1", "significance": "Explanation accepted without question."},
    {"date": "2016-02-01", "time": "14:00", "seq": 2, "source": "Practice safeguarding register",
     "people": ["Child A"], "event": "Added to the practice's safeguarding register & flagged.",
     "action": "Flag added", "practitioner": "Practice Safeguarding Lead"},
    {"date": "?2016-03-11", "source": "Letter from A&E", "people": ["Mother", "Mother's partner"],
     "event": "Letter received:\nChild A seen in ED with \u2018minor\u2019 injury \u2014 \u201cno concerns\u201d.",
     "action": "Filed\nNot discussed with HV", "practitioner": "Practice nurse (role)",
     "significance": "Date uncertain: letter undated,  scanned late."},
    {"date": "2016-03-30", "time": "14:00", "source": "Telephone call", "people": ["Health Visitor 1"],
     "event": "HV asked about   attendance; GP <unsure> of details.", "action": "Information shared",
     "practitioner": "Receptionist"},
]


def _chronology(register: Path, agency: str, ref: str = REF) -> dict:
    return load_record(register / "cases" / ref / "chronology" / f"{agency}.yaml")


def _head(register: Path) -> str:
    return git(register, "rev-parse", "HEAD").strip()


def _variant(tmp_path: Path, name: str, delimiter: str, bom: bool, encoding: str = "utf-8") -> Path:
    rows = list(csv.reader(io.StringIO((FILES / "gp-export.csv").read_text("utf-8"), newline="")))
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode(encoding))
    return path


# --- CSV -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["as-sent", "semicolon", "bom", "semicolon-bom"])
def test_an_agency_csv_export_imports_byte_for_byte(wbcr, example, tmp_path, variant):
    if variant == "as-sent":
        source = FILES / "gp-export.csv"
    else:
        source = _variant(tmp_path, f"{variant}.csv", ";" if "semicolon" in variant else ",", "bom" in variant)
    before = _head(example)
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(source), cwd=example)
    assert result.code == 0, result.err
    assert "4 entries" in result.out
    record = _chronology(example, "gp")
    assert record == {"schema_version": 1, "agency": "gp", "entries": GP_ENTRIES}
    # one commit, exactly that file, with the trailers
    assert git(example, "rev-parse", "HEAD~1").strip() == before
    files = git(example, "show", "--name-only", "--format=", "HEAD").split()
    assert files == [f"cases/{REF}/chronology/gp.yaml"]
    message = git(example, "log", "-1", "--format=%B")
    assert "Wbcr-Action: chronology-import" in message and f"Wbcr-Reference: {REF}" in message
    assert "Wbcr-Agency: gp" in message and "Wbcr-Source-Sha256: " in message
    assert git(example, "status", "--porcelain").strip() == ""
    # the written file is what hand-written chronologies look like, and it validates
    text = (example / "cases" / REF / "chronology" / "gp.yaml").read_text("utf-8")
    assert "  - date: 2016-02-01\n" in text and '  - date: "?2016-03-11"\n' in text and 'time: "09:30"' in text
    assert wbcr("validate", REF, cwd=example).code == 0


def test_a_windows_1252_export_is_read_with_a_warning(wbcr, example, tmp_path):
    rows = "Date,Event,Action taken\r\n03/02/2016,Mother paid \u00a320 for the caf\u00e9 \u2013 \u201cfine\u201d,None\r\n"
    path = tmp_path / "cp1252.csv"
    path.write_bytes(rows.encode("cp1252"))
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(path), cwd=example)
    assert result.code == 0, result.err
    assert "Windows-1252" in result.err
    entry = _chronology(example, "gp")["entries"][0]
    assert entry["event"] == "Mother paid \u00a320 for the caf\u00e9 \u2013 \u201cfine\u201d"


def test_bad_rows_are_each_reported_by_number_and_nothing_is_written(wbcr, example):
    before = _head(example)
    source = FILES / "bad-rows.csv"
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(source), cwd=example)
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if "error[chronology.row]" in line]
    assert lines == [
        f'{source}:3: error[chronology.row]: date "31/02/2025" is not a real date',
        f'{source}:4: error[chronology.row]: time "25:61" is not a real time (hours 00–23, minutes 00–59)',
    ]
    assert "nothing was imported" in result.err and "Traceback" not in result.err
    assert not (example / "cases" / REF / "chronology" / "gp.yaml").exists()
    assert _head(example) == before and git(example, "status", "--porcelain").strip() == ""


def test_every_problem_of_a_row_is_reported(example, tmp_path):
    from wbcr.core.errors import FindingsError
    from wbcr.model.register import open_register

    path = tmp_path / "worse.csv"
    path.write_text("Date,Time,Seq,Event\n2030-01-01,9am,0,\n,,,Something\nyesterday,noon,1,Visit\n", "utf-8")
    with pytest.raises(FindingsError) as info:
        imp.build_record(open_register(str(example)), REF, "gp", path, today=TODAY)
    got = [(f.line, f.message.split(":")[0]) for f in info.value.findings]
    assert got == [(2, 'date "2030-01-01" is after today (2017-11-23)'), (2, "sequence \"0\" is not a whole number from 1"),
                   (2, "no event"), (3, "no date"), (4, 'date "yesterday" is not a date (write it as 03/02/2026, 3 Feb 2026 or 2026-02-03)')]


def test_an_existing_chronology_is_replaced_only_when_asked(wbcr, example):
    source = str(FILES / "gp-export.csv")
    assert wbcr("chronology", "import", REF, "--agency", "gp", source, cwd=example).code == 0
    again = wbcr("chronology", "import", REF, "--agency", "gp", source, cwd=example)
    assert again.code == 2 and "already exists" in again.err and "--replace" in again.err
    same = wbcr("chronology", "import", REF, "--agency", "gp", source, "--replace", cwd=example)
    assert same.code == 0 and "unchanged" in same.out
    tvp = wbcr("chronology", "import", REF, "--agency", "tvp", source, "--replace", "--format", "json", cwd=example)
    assert tvp.code == 0, tvp.err
    data = json.loads(tvp.out)
    assert data["replaced"] and data["entries"] == 4 and data["commit"]
    record = _chronology(example, "tvp")
    # what the file does not give (author, sign-off, periods of no contact) is kept from the old record
    assert record["author"]["role"] == "Serious Case Review Officer, Public Protection"
    assert record["no_contact_periods"][0]["from"] == "2015-09-29"
    assert record["entries"] == GP_ENTRIES


def test_an_unknown_agency_or_case_is_a_usage_error(wbcr, example):
    source = str(FILES / "gp-export.csv")
    assert wbcr("chronology", "import", REF, "--agency", "tvpp", source, cwd=example).code == 2
    result = wbcr("chronology", "import", "WBCR-1999-001", "--agency", "tvp", source, cwd=example)
    assert result.code == 2 and "Traceback" not in result.err
    result = wbcr("chronology", "import", REF, "--agency", "tvp", "chronology.pdf", cwd=example)
    assert result.code == 2 and ".docx, .xlsx and .csv" in result.err


@pytest.mark.parametrize(("text", "expected"), [
    ("09:30", "09:30"), ("9:30", "09:30"), ("9.30", "09:30"), ("0930", "09:30"), ("930", "09:30"),
    ("0930hrs", "09:30"), ("2pm", "14:00"), ("2.30 pm", "14:30"), ("12am", "00:00"), ("12 pm", "12:00"),
    ("14:30:00", "14:30"), ("noon", "12:00"), ("midnight", "00:00"), ("", None), ("n/k", None),
    ("Not known", None), (dt.time(7, 5), "07:05"), (None, None),
])
def test_times_as_agencies_write_them(text, expected):
    assert imp.parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "9:60", "13pm", "teatime", "1:2", "2400"])
def test_impossible_times(text):
    with pytest.raises(ValueError):
        imp.parse_time(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("31/01/2017", (dt.date(2017, 1, 31), False, None)), ("31 Jan 2017", (dt.date(2017, 1, 31), False, None)),
    ("27 February 2017", (dt.date(2017, 2, 27), False, None)), ("2017-01-31", (dt.date(2017, 1, 31), False, None)),
    ("?31/01/2017", (dt.date(2017, 1, 31), True, None)), ("? 31 Jan 2017", (dt.date(2017, 1, 31), True, None)),
    ("Tuesday 31 January 2017", (dt.date(2017, 1, 31), False, None)),
    ("31/01/2017 14:30", (dt.date(2017, 1, 31), False, "14:30")),
    ("2017-01-31T09:05:00", (dt.date(2017, 1, 31), False, "09:05")),
    (dt.datetime(2017, 1, 31, 9, 5), (dt.date(2017, 1, 31), False, "09:05")),
    (dt.datetime(2017, 1, 31), (dt.date(2017, 1, 31), False, None)),
])
def test_dates_as_agencies_write_them(text, expected):
    assert imp.parse_date_cell(text) == expected


@pytest.mark.parametrize(("heading", "field"), [
    ("Date", "date"), ("Date of contact", "date"), ("Date/time", "datetime"), ("Time", "time"), ("Seq", "seq"),
    ("Sequence no.", "seq"), ("Source of information", "source"), ("Event", "event"), ("Contact/Event", "event"),
    ("Event / contact", "event"), ("Details of contact", "event"), ("Action taken", "action"), ("Outcome", "action"),
    ("Action / outcome", "action"), ("People involved", "people"), ("Who was involved", "people"),
    ("Practitioner (role)", "practitioner"), ("Worker", "practitioner"), ("By whom", "practitioner"),
    ("Significance", "significance"), ("Comments / analysis", "significance"), ("Agency", "agency"),
    ("Location", None), ("", None),
])
def test_column_headings_are_matched_flexibly(heading, field):
    assert imp.classify_heading(heading) == field


def test_people_are_split_on_commas_outside_brackets():
    assert imp.split_people("Mother, Mother's partner;Child A\nHealth Visitor 1 (Team 2, North)") == [
        "Mother", "Mother's partner", "Child A", "Health Visitor 1 (Team 2, North)"]


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=_TEXT, action=_TEXT, delimiter=st.sampled_from([",", ";"]))
def test_any_text_survives_csv_import_and_yaml_exactly(tmp_path_factory, event, action, delimiter):
    if not event.strip():
        event = "x" + event
    folder = tmp_path_factory.mktemp("rt")
    path = folder / "in.csv"
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_ALL).writerows(
        [["Date", "Event / contact", "Action / outcome"], ["30/01/2016", event, action]])
    path.write_text(buf.getvalue(), "utf-8", newline="")
    source = imp.read_source(path)
    parsed = imp.parse_tables(source, agency="gp", agency_names=["GP"], today=TODAY)
    assert not parsed.problems
    entry = parsed.entries[0]
    assert entry["event"] == event.strip()
    assert entry.get("action") == (action.strip() or None)
    record = {"schema_version": 1, "agency": "gp", "entries": parsed.entries}
    assert parse_yaml(imp.dump_chronology(record), "x") == record


# --- Excel -----------------------------------------------------------------------------------------


def _xlsx(path: Path, rows: list[list], title: str = "Chronology") -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    book.save(path)
    return path


def test_an_xlsx_with_date_serials_and_datetime_cells(wbcr, example, tmp_path):
    from openpyxl.utils.datetime import to_excel

    serial = int(to_excel(dt.datetime(2016, 5, 10)))
    path = _xlsx(tmp_path / "rbft.xlsx", [
        ["Royal Berkshire NHS Foundation Trust — chronology for WBCR-2016-004"],
        [],
        ["Date", "Time", "Seq", "Source", "People involved", "Event / contact", "Action / outcome",
         "Practitioner (role)", "Significance"],
        [dt.datetime(2016, 5, 3, 19, 42), None, None, "ED record", "Mother, Child A", "Bruise seen & photographed.",
         "Referred to paediatrics", "ED Nurse", None],
        [serial, dt.time(10, 0), 1.0, "Strategy meeting minutes", "Consultant Paediatrician 1",
         "Attended the \"strategy\" meeting.", None, "Consultant", "Key meeting"],
        [None, None, None, None, None, None, None, None, None],
        ["?17/05/2016", "0930", 2, "Letter", "Mother", "Letter sent to GP", None, "Secretary", None],
        [dt.datetime(2016, 5, 29), 0.5, None, "Clinic", None, 42, None, None, None],
    ])
    result = wbcr("chronology", "import", REF, "--agency", "rbft", str(path), "--replace", cwd=example)
    assert result.code == 0, result.out + result.err
    entries = _chronology(example, "rbft")["entries"]
    assert entries == [
        {"date": "2016-05-03", "time": "19:42", "source": "ED record", "people": ["Mother", "Child A"],
         "event": "Bruise seen & photographed.", "action": "Referred to paediatrics", "practitioner": "ED Nurse"},
        {"date": "2016-05-10", "time": "10:00", "seq": 1, "source": "Strategy meeting minutes",
         "people": ["Consultant Paediatrician 1"], "event": 'Attended the "strategy" meeting.',
         "practitioner": "Consultant", "significance": "Key meeting"},
        {"date": "?2016-05-17", "time": "09:30", "seq": 2, "source": "Letter", "people": ["Mother"],
         "event": "Letter sent to GP", "practitioner": "Secretary"},
        {"date": "2016-05-29", "time": "12:00", "source": "Clinic", "event": "42"},
    ]


def test_bad_rows_of_a_sheet_are_reported_by_spreadsheet_row(wbcr, example, tmp_path):
    path = _xlsx(tmp_path / "bad.xlsx", [
        ["Chronology"], ["Date", "Time", "Event"], ["28/04/2016", "10:00", "ok"], [], ["30/02/2025", None, "x"],
        ["29/04/2016", "9:75", "y"],
    ])
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(path), cwd=example)
    assert result.code == 1
    assert f'{path}:5: error[chronology.row]: date "30/02/2025" is not a real date' in result.out
    assert f'{path}:6: error[chronology.row]: time "9:75" is not a real time' in result.out
    assert not (example / "cases" / REF / "chronology" / "gp.yaml").exists()


# --- Word ------------------------------------------------------------------------------------------


def _render_template(wbcr, example, agency: str = "gp") -> bytes:
    result = wbcr("chronology", "template", REF, "--agency", agency, "--no-protect", cwd=example)
    assert result.code == 0, result.err
    path = Path(result.out.strip())
    assert path.name == f"{REF}-chronology-template-{agency}.docx"
    return path.read_bytes()


def _docx_text(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")


def _names(register: Path, ref: str = REF) -> list[str]:
    people = load_record(register / "cases" / ref / "people.yaml")["people"]
    names = []
    for p in people:
        for name in [p["name"], *p.get("other_names", [])]:
            names.append(name)
            names += [w for w in name.split() if len(w) > 2]
    return names


def _has_word(text: str, word: str) -> bool:
    import re

    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def test_the_template_is_prefilled_landscape_and_names_the_family_only_to_find_them(wbcr, example):
    import docx

    data = _render_template(wbcr, example)
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.page_width > section.page_height
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert REF in cells and "GP practices in Berkshire West" in cells
    assert "29 September 2015 to 13 August 2016" in cells
    for pseudonym in ("Child A", "Mother", "Mother's partner", "Father", "Maternal grandmother"):
        assert pseudonym in cells
    for note in ("date your agency **knew**".replace("**", ""), "no contact", "When in doubt, include the event",
                 "in front of a date you are not sure of", "never by name", "glossary"):
        assert note in text, note
    # the agency is told who the child and family are, to search its records (the template goes protected
    # with the case password): the names stand in the identifying table only, never in the rows it fills in
    who = next(t for t in document.tables if t.rows[0].cells[0].text == "Referred to as")
    who_text = "\n".join(c.text for row in who.rows for c in row.cells)
    assert "Riley James Hatton" in who_text and "Chloe Anne Hatton" in who_text
    rows = next(t for t in document.tables if t.rows[0].cells[0].text == "Date")
    rows_text = "\n".join(c.text for row in rows.rows for c in row.cells)
    for name in _names(example):
        assert name not in rows_text and name not in text, name
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["Date", "Time", "Seq", "Source", "People involved", "Event / contact", "Action / outcome",
            "Practitioner (role)", "Significance"] in headers
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Date")
    assert len(table.rows) >= 11 and all(not c.text for c in table.rows[1].cells)
    # filled in for a case, it identifies the family already: marked outright, not "(when completed)"
    assert section.header.paragraphs[0].text.strip() == "OFFICIAL-SENSITIVE"


def test_the_template_is_protected_by_default(wbcr, example, tmp_path):
    from wbcr.security.protection import unprotect_bytes

    out = tmp_path / "t.docx"
    result = wbcr("chronology", "template", REF, "--agency", "tvp", "--password", "a-case-password", "--out", str(out),
                  cwd=example)
    assert result.code == 0, result.err
    assert out.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    assert b"word/document.xml" in unprotect_bytes(out.read_bytes(), "a-case-password")


def test_a_filled_in_template_imports_back(wbcr, example, tmp_path):
    import docx

    data = fill_form(_render_template(wbcr, example), {
        "author.name": "Dr Pat Invented", "author.role": "Named GP for Safeguarding Children",
        "submitted": "3 Nov 2016", "signed_off.by": "Dr Imran Qureshi", "signed_off.role": "Named GP",
        "signed_off.date": "04/11/2016"})
    document = docx.Document(io.BytesIO(data))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Date")
    rows = [
        ["12/12/2015", "", "", "GP record", "Mother", "Telephone consultation: Mother \u201cstressed\u201d & tired.",
         "Sertraline reviewed", "GP 1", ""],
        ["?31/12/2015", "09:10", "1", "Letter", "Mother\nChild A", "Antenatal letter filed.\nNot read by a GP.", "",
         "Administrator", "Letter never reviewed."],
    ] + [[f"{d:02d}/03/2016", "", "", "Practice record", "Child A", f"Immunisation {d}", "Given", "Practice Nurse", ""]
         for d in range(1, 13)]  # more rows than the template has: the agency adds rows
    while len(table.rows) - 1 < len(rows):
        table.add_row()
    for row, values in zip(table.rows[1:], rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    periods = next(t for t in document.tables if t.rows[0].cells[0].text == "From")
    for cell, value in zip(periods.rows[1].cells, ["29/09/2015", "11/12/2015", "No contact with the family."]):
        cell.text = value
    glossary = next(t for t in document.tables if t.rows[0].cells[0].text == "Abbreviation")
    glossary.rows[1].cells[0].text, glossary.rows[1].cells[1].text = "GP", "General practitioner"
    path = tmp_path / "returned.docx"
    document.save(path)
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(path), cwd=example)
    assert result.code == 0, result.out + result.err
    record = _chronology(example, "gp")
    assert record["author"] == {"name": "Dr Pat Invented", "role": "Named GP for Safeguarding Children"}
    assert record["submitted"] == "2016-11-03"
    assert record["signed_off"] == {"by": "Dr Imran Qureshi", "role": "Named GP", "date": "2016-11-04"}
    assert record["no_contact_periods"] == [{"from": "2015-09-29", "to": "2015-12-11",
                                             "note": "No contact with the family."}]
    entries = record["entries"]
    assert len(entries) == 14
    assert entries[0] == {"date": "2015-12-12", "source": "GP record", "people": ["Mother"],
                          "event": "Telephone consultation: Mother \u201cstressed\u201d & tired.",
                          "action": "Sertraline reviewed", "practitioner": "GP 1"}
    assert entries[1] == {"date": "?2015-12-31", "time": "09:10", "seq": 1, "source": "Letter",
                          "people": ["Mother", "Child A"], "event": "Antenatal letter filed.\nNot read by a GP.",
                          "practitioner": "Administrator", "significance": "Letter never reviewed."}
    assert entries[-1]["event"] == "Immunisation 12"


def test_a_chronology_returned_protected_with_the_case_password_imports_without_a_manual_step(
        wbcr, env, example, tmp_path, monkeypatch):
    import docx

    env["WBCR_KEY_DIR"] = str(tmp_path / "keys")
    monkeypatch.setenv("WBCR_KEY_DIR", str(tmp_path / "keys"))
    assert wbcr("key", "init", cwd=example).code == 0
    document = docx.Document(io.BytesIO(fill_form(_render_template(wbcr, example), {"author.name": "Dr Pat Invented",
                                                                                    "author.role": "Named GP"})))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Date")
    for cell, value in zip(table.rows[1].cells, ["12/12/2015", "", "", "GP record", "Mother", "Telephone consultation.",
                                                 "Reviewed", "GP 1", ""]):
        cell.text = value
    path = tmp_path / "returned.docx"
    document.save(path)
    assert wbcr("protect", str(path), "--case", REF, cwd=example).code == 0  # as the agency sends it back
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(path), cwd=example)
    assert result.code == 0, result.out + result.err
    record = _chronology(example, "gp")
    assert record["author"]["name"] == "Dr Pat Invented" and record["entries"][0]["event"] == "Telephone consultation."


def test_an_agencys_own_word_table_with_other_headings(wbcr, example, tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Thames Valley Police — chronology of involvement", 1)
    document.add_paragraph("Prepared for the Case Review Group. Abbreviations: DASH, MASH.")
    table = document.add_table(rows=1, cols=6)
    for cell, heading in zip(table.rows[0].cells, ["Date/time", "Source of information", "Who was involved",
                                                   "Details of contact", "Action taken / outcome", "Officer (role)"]):
        cell.text = heading
    year = table.add_row()
    merged = year.cells[0].merge(year.cells[5])
    merged.text = "2016"
    for values in (["12/12/2015 23:18", "Command and control log", "Mother, Mother's partner",
                    "Neighbour reported shouting.  Mother said it was \"verbal\".", "DASH: standard", "PC 1"],
                   ["?25 Mar 2016", "Custody record", "Mother's partner", "Arrest for common assault", "", "PC 2"]):
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = value
    other = document.add_table(rows=2, cols=2)
    other.rows[0].cells[0].text, other.rows[0].cells[1].text = "Abbreviation", "Meaning"
    path = tmp_path / "tvp-own.docx"
    document.save(path)
    result = wbcr("chronology", "import", REF, "--agency", "tvp", str(path), "--replace", cwd=example)
    assert result.code == 0, result.out + result.err
    assert "heading and skipped" in result.err and '"2016"' in result.err
    entries = _chronology(example, "tvp")["entries"]
    assert entries == [
        {"date": "2015-12-12", "time": "23:18", "source": "Command and control log",
         "people": ["Mother", "Mother's partner"], "event": 'Neighbour reported shouting.  Mother said it was "verbal".',
         "action": "DASH: standard", "practitioner": "PC 1"},
        {"date": "?2016-03-25", "source": "Custody record", "people": ["Mother's partner"],
         "event": "Arrest for common assault", "practitioner": "PC 2"},
    ]


def test_a_word_table_bad_row_is_reported_by_table_row(wbcr, example, tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Date", "Event"
    for values in (["29/03/2016", "fine"], ["1/13/2016", "American date"]):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = values
    path = tmp_path / "us.docx"
    document.save(path)
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(path), cwd=example)
    assert result.code == 1
    assert f'{path}:3: error[chronology.row]: date "1/13/2016" is not a real date' in result.out


# --- hostile and corrupt files ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["garbage.docx", "garbage.xlsx", "empty.csv", "truncated.docx", "truncated.xlsx",
                                  "binary.csv"])
def test_a_corrupt_file_is_one_clear_error(wbcr, example, tmp_path, name):
    import docx
    import openpyxl

    path = tmp_path / name
    if name.startswith("garbage"):
        path.write_bytes(b"PK\x03\x04 this is not really a zip \x00\xff" * 20)
    elif name == "empty.csv":
        path.write_bytes(b"")
    elif name == "binary.csv":
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    else:
        buf = io.BytesIO()
        if name.endswith(".docx"):
            docx.Document().save(buf)
        else:
            openpyxl.Workbook().save(buf)
        path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(path), cwd=example)
    assert result.code == 3, result.err
    errors = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(path) in errors[0]
    assert "Traceback" not in result.err + result.out and "internal error" not in result.err
    assert not (example / "cases" / REF / "chronology" / "gp.yaml").exists()


def _rezip(data: bytes, part: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            target.writestr(item, change(body) if item.filename == part else body)
    return out.getvalue()


_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
           b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]>')


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_xml_entities_are_refused(wbcr, example, tmp_path, kind):
    import docx

    buf = io.BytesIO()
    if kind == "docx":
        document = docx.Document()
        table = document.add_table(rows=2, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Date", "Event"
        table.rows[1].cells[0].text, table.rows[1].cells[1].text = "30/01/2016", "&lol3;"
        document.save(buf)
        part = "word/document.xml"
    else:
        _xlsx(tmp_path / "plain.xlsx", [["Date", "Event"], ["30/01/2016", "x"]])
        buf.write((tmp_path / "plain.xlsx").read_bytes())
        part = "xl/worksheets/sheet1.xml"
    hostile = _rezip(buf.getvalue(), part, lambda body: _LAUGHS + body.split(b"?>", 1)[-1])
    path = tmp_path / f"laughs.{kind}"
    path.write_bytes(hostile)
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(path), cwd=example)
    assert result.code == 3
    assert "DTD or entity declarations" in result.err and "Traceback" not in result.err


def test_a_zip_bomb_and_a_huge_sheet_are_refused(tmp_path, monkeypatch):
    path = _xlsx(tmp_path / "big.xlsx", [["Date", "Event"]] + [["30/01/2016", f"row {n}"] for n in range(30)])
    monkeypatch.setattr(imp, "MAX_ROWS", 10)
    with pytest.raises(imp.ImportFileError, match="more than 10 rows"):
        imp.read_source(path)
    monkeypatch.setattr(imp, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(imp.ImportFileError, match="zip bomb"):
        imp.read_source(path)


def test_a_password_protected_file_says_so(wbcr, example, tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(path), cwd=example)
    assert result.code == 3 and "password-protected" in result.err


# --- the merge -------------------------------------------------------------------------------------


def _merge_json(wbcr, example, *args) -> dict:
    result = wbcr("chronology", "merge", REF, "--format", "json", *args, cwd=example)
    assert result.code == 0, result.err
    return json.loads(result.out)


def _key(row: dict, order: list[str]):
    return (row["date"].lstrip("?"), row["time"] is None, row["time"] or "", row["seq"] is None, row["seq"] or 0,
            order.index(row["agency"]))


def test_the_merge_sorts_ages_and_flags_the_example(wbcr, example):
    data = _merge_json(wbcr, example)
    rows = data["rows"]
    config = load_record(example / "wbcr.yaml")
    order = [a["id"] for a in config["agencies"]]
    assert len(rows) == sum(len(_chronology(example, a)["entries"]) for a in ("tvp", "rbft", "bhft", "bffc"))
    assert [_key(r, order) for r in rows] == sorted(_key(r, order) for r in rows)
    assert data["agencies"] == ["tvp", "rbft", "bhft", "bffc"]  # wbcr.yaml order
    assert rows[0]["age"] == "unborn" and rows[0]["days_since_previous"] is None
    arrest = next(r for r in rows if r["date"] == "2016-03-25" and r["agency"] == "tvp")
    assert arrest["age"] == "11 weeks"  # "Child A, aged 11 weeks", as the police recorded
    birth = [r for r in rows if r["date"] == "2016-01-07"]
    assert birth and birth[0]["age"] == "0 days"
    assert all(r["days_since_previous"] >= 0 for r in rows[1:])
    # the strategy discussion of 4 May 2016 was recorded by police and by children's social care
    same = {f["start"]: f["agencies"] for f in data["flags"] if f["code"] == "chronology.same-day"}
    assert same["2016-05-04"] == ["tvp", "rbft", "bffc"]
    strategy = [r for r in rows if r["date"] == "2016-05-04" and r["time"] == "14:30"]
    assert [r["agency"] for r in strategy] == ["tvp", "bffc"]  # same time and seq: agency order
    assert "same day: rbft, bffc" in strategy[0]["flags"]
    assert not [f for f in data["flags"] if f["code"] in ("chronology.scope", "chronology.missing")]
    assert not [f for f in data["flags"] if f["code"] == "chronology.gap"]  # every gap is declared
    narrow = _merge_json(wbcr, example, "--gap-days", "30")
    gaps = [f for f in narrow["flags"] if f["code"] == "chronology.gap"]
    assert gaps and all(f["days"] > 30 for f in gaps)


def _add_names(example: Path) -> None:
    path = example / "cases" / REF / "chronology" / "bffc.yaml"
    text = path.read_text("utf-8")
    text = text.replace("  - date: 2015-12-14\n", "  - date: 2015-12-14\n    significance: \"Chloe Hatton's partner"
                        " DEAN FARROW (known as Deano Farrow) was named; riley  james hatton not seen.\"\n", 1)
    path.write_text(text, "utf-8")
    git(example, "commit", "-qam", "names in a chronology")


def test_the_merge_writes_word_with_an_agency_column_and_pseudonymises(wbcr, example, tmp_path):
    import docx

    _add_names(example)
    named = tmp_path / "named.docx"
    result = wbcr("chronology", "merge", REF, "--out", str(named), "--no-protect", cwd=example)
    assert result.code == 0, result.err
    assert "NOT password-protected" in result.err
    assert "Chloe Hatton's partner DEAN FARROW" in _docx_text(named.read_bytes())
    pseudo = tmp_path / "pseudo.docx"
    result = wbcr("chronology", "merge", REF, "--pseudonymised", "--out", str(pseudo), "--no-protect", cwd=example)
    assert result.code == 0, result.err
    xml = _docx_text(pseudo.read_bytes())
    for name in _names(example):
        assert not _has_word(xml, name), name
    assert "Mother's partner" in xml and "Mother's partner (known as Mother's partner) was named; Child A not seen" in xml
    document = docx.Document(str(pseudo))
    section = document.sections[0]
    assert section.page_width > section.page_height
    chron_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Date"]
    assert chron_tables
    header = [c.text for c in chron_tables[0].rows[0].cells]
    assert header[:5] == ["Date", "Time", "Agency", "Age", "Since last"]
    data_rows = [row for t in chron_tables for row in t.rows[1:]]
    assert len(data_rows) == 56 and {r.cells[2].text for r in data_rows} == {"tvp", "rbft", "bhft", "bffc"}
    assert data_rows[0].cells[0].text == "06/10/2015" and data_rows[0].cells[3].text == "unborn"
    assert "OFFICIAL-SENSITIVE" in section.header.paragraphs[0].text
    assert document.core_properties.title == "Integrated chronology"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "2015" in headings and "2016" in headings
    assert any("same day recorded by two or more agencies" in h for h in headings)


def test_the_merge_writes_csv_named_or_pseudonymised(wbcr, example, tmp_path):
    _add_names(example)
    out = tmp_path / "merged.csv"
    result = wbcr("chronology", "merge", REF, "--pseudonymised", "--out", str(out), cwd=example)
    assert result.code == 0, result.err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["Date", "Time", "Seq", "Agency"]
    assert len(rows) == 57 and {r[3] for r in rows[1:]} == {"tvp", "rbft", "bhft", "bffc"}
    text = raw.decode("utf-8-sig")
    for name in _names(example):
        assert not _has_word(text, name), name
    named = wbcr("chronology", "merge", REF, "--format", "csv", cwd=example)
    assert named.code == 0 and "DEAN FARROW" in named.out


def test_the_merge_protects_word_with_the_case_password(wbcr, example, tmp_path):
    from wbcr.security.protection import unprotect_bytes

    out = tmp_path / "merged.docx"
    result = wbcr("chronology", "merge", REF, "--out", str(out), "--password", "case-password-123", cwd=example)
    assert result.code == 0, result.err
    assert "protected with the case password" in result.err
    plain = unprotect_bytes(out.read_bytes(), "case-password-123")
    assert "Integrated chronology" in _docx_text(plain)


def test_the_terminal_view(wbcr, example):
    result = wbcr("chronology", "merge", REF, cwd=example)
    assert result.code == 0, result.err
    assert result.out.startswith(f"{REF} integrated chronology — Child A — scope 29/09/2015 to 13/08/2016 — 56 entries")
    assert "06/10/2015 10:15 · rbft · unborn" in result.out
    assert "The same day recorded by two or more agencies" in result.out
    assert "  - 2016-05-04: tvp, rbft, bffc" in result.out


def test_merging_a_case_without_chronologies_is_a_usage_error(wbcr, example):
    result = wbcr("chronology", "merge", "WBCR-2017-001", cwd=example)
    assert result.code == 2 and "no chronologies" in result.err


def _craft(example: Path) -> None:
    """WBCR-2016-004 with an entry outside the scope, an undeclared gap and an overdue chronology."""
    tvp = example / "cases" / REF / "chronology" / "tvp.yaml"
    text = tvp.read_text("utf-8")
    text = text.replace("  - from: 2015-12-15\n    to: 2016-03-24\n", "  - from: 2015-12-15\n    to: 2015-12-18\n")
    text = text.replace("entries:\n", "entries:\n  - date: 2015-05-30\n    event: Old intelligence report.\n", 1)
    tvp.write_text(text, "utf-8")
    review = example / "cases" / REF / "review.yaml"
    text = review.read_text("utf-8")
    text = text.replace("  - agency: gp\n", "  - agency: gp\n    chronology_due: 2016-11-04\n", 1)
    text = text.replace("  - agency: scas\n", "  - agency: scas\n    chronology_due: 2017-12-17\n", 1)
    # as before the panel looked at the days several agencies recorded: they are flagged again
    lines, kept, skipping = text.splitlines(keepends=True), [], False
    for line in lines:
        skipping = line.startswith("chronology_review:") or (skipping and line.startswith(" "))
        if not skipping:
            kept.append(line)
    review.write_text("".join(kept), "utf-8")


def test_validate_warns_on_scope_gaps_and_missing_chronologies(wbcr, example):
    _craft(example)
    result = wbcr("validate", REF, cwd=example)
    assert result.code == 0, result.out  # warnings only
    lines = [l for l in result.out.splitlines() if "chronology." in l]
    assert any(l.startswith(f"cases/{REF}/chronology/tvp.yaml:") and "warning[chronology.scope]" in l
               and "entry 1 (2015-05-30)" in l for l in lines), lines
    gap = [l for l in lines if "warning[chronology.gap]" in l]
    assert len(gap) == 1 and "from 2015-12-19 to 2016-03-24 (97 days" in gap[0]
    missing = [l for l in lines if "warning[chronology.missing]" in l]
    assert len(missing) == 1 and missing[0].startswith(f"cases/{REF}/review.yaml:") and "gp:" in missing[0]
    same_day = [l for l in lines if "warning[chronology.same-day]" in l]
    assert len(same_day) == 1 and "recorded by two or more agencies" in same_day[0]  # one warning a case
    assert wbcr("validate", REF, "--strict", cwd=example).code == 1
    merged = _merge_json(wbcr, example)
    codes = [(f["code"], f.get("agency"), f.get("state")) for f in merged["flags"]]
    assert ("chronology.scope", "tvp", None) in codes
    assert ("chronology.missing", "gp", "overdue") in codes and ("chronology.missing", "scas", "due") in codes
    outside = next(r for r in merged["rows"] if r["date"] == "2015-05-30")
    assert outside["flags"][0] == "outside scope" and outside["age"] == "unborn"


def test_the_example_register_gives_no_chronology_findings(env):
    from wbcr.validation.engine import validate_register

    result = validate_register(EXAMPLE, today=TODAY, use_cache=False)
    assert not [f for f in result.findings if f.code.startswith("chronology.")]


# --- the rules, directly ---------------------------------------------------------------------------


def test_gaps_count_days_without_contact_and_respect_declared_periods():
    scope = (dt.date(2015, 12, 30), dt.date(2016, 12, 28))
    dates = ["2015-12-30", "2016-03-30", "?2016-08-29", "2016-08-30"]
    gaps = chron.find_gaps("tvp", dates, [], scope, 90)
    assert [(g.start, g.end, g.days, g.index) for g in gaps] == [
        ("2016-03-31", "2016-08-28", 151, 2), ("2016-08-31", "2016-12-28", 120, 3)]
    # 2 January to 1 April is 90 days without contact: not more than 90
    assert chron.find_gaps("tvp", ["2015-12-30", "2016-03-30"], [], None, 90) == []
    declared = [{"from": "2016-03-31", "to": "2016-06-27"}, {"from": "2016-08-31", "to": "2016-12-28"}]
    gaps = chron.find_gaps("tvp", dates, declared, scope, 90)
    assert [(g.start, g.end, g.days) for g in gaps] == []
    assert [(g.start, g.days) for g in chron.find_gaps("tvp", [], [], scope, 90)] == [("2015-12-30", 365)]


def test_missing_chronologies():
    reports = [{"agency": "tvp", "chronology_due": "2016-01-08"}, {"agency": "gp", "requested": "2015-12-30"},
               {"agency": "rbft", "chronology_due": "2016-02-27"},
               {"agency": "bhft", "chronology_due": "2016-01-08", "chronology_received": "2016-01-07"}]
    flags = chron.find_missing(reports, ["rbft"], dt.date(2016, 1, 30))
    assert [(f.agency, f.state, f.index) for f in flags] == [("tvp", "overdue", 0), ("bhft", "received", 3)]


@pytest.mark.parametrize(("born", "on", "age"), [
    ("2016-01-07", "2015-11-29", "unborn"), ("2016-01-07", "2016-01-07", "0 days"),
    ("2016-01-07", "2016-01-08", "1 day"), ("2016-01-07", "2016-03-25", "11 weeks"),
    ("2016-01-07", "2016-08-13", "7 months"), ("2009-10-12", "2016-03-15", "6 years 5 months"),
    ("2011-01-28", "2013-01-29", "2 years"),
])
def test_ages(born, on, age):
    assert chron.format_age(dt.date.fromisoformat(born), dt.date.fromisoformat(on)) == age


def test_pseudonymiser_replaces_names_and_not_ordinary_words():
    p = chron.Pseudonymiser([
        {"pseudonym": "Child A", "name": "Will Rose Hatton"},
        {"pseudonym": "Mother", "name": "Chloe Anne Hatton", "other_names": ["Chloe Smith"]},
    ])
    assert p.text("chloe  anne HATTON said Will will come; Ms Hatton's son WILL") == \
        "Mother said Child A will come; Ms [name]'s son Child A"
    assert p.text("a rose garden; Rose visited; chloe smith") == "a rose garden; Child A visited; Mother"


_ENTRY = st.fixed_dictionaries({
    "date": st.dates(dt.date(2010, 12, 29), dt.date(2011, 2, 27)).map(dt.date.isoformat),
    "uncertain": st.booleans(),
    "time": st.one_of(st.none(), st.times().map(lambda t: f"{t.hour:02d}:{t.minute:02d}")),
    "seq": st.one_of(st.none(), st.integers(1, 4)),
})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["tvp", "rbft", "bffc"]), _ENTRY), max_size=40))
def test_merge_order_is_a_sorted_permutation(items):
    config = {"agencies": [{"id": "tvp"}, {"id": "rbft"}, {"id": "bffc"}]}
    chronologies: dict[str, dict] = {}
    for n, (agency, e) in enumerate(items):
        entry = {"date": ("?" if e["uncertain"] else "") + e["date"], "event": f"event {n}"}
        if e["time"]:
            entry["time"] = e["time"]
        if e["seq"]:
            entry["seq"] = e["seq"]
        chronologies.setdefault(agency, {"agency": agency, "entries": []})["entries"].append(entry)
    cc = chron.CaseChronologies(reference="X", config=config, chronologies=chronologies)
    merged = chron.merge(cc, today=TODAY)
    assert sorted(r.entry["event"] for r in merged.rows) == sorted(f"event {n}" for n in range(len(items)))
    rank = {"tvp": 0, "rbft": 1, "bffc": 2}
    keys = [(r.day, r.time is None, r.time or "", r.seq is None, r.seq or 0, rank[r.agency], r.index)
            for r in merged.rows]
    assert keys == sorted(keys)
    intervals = [r.interval for r in merged.rows]
    assert intervals[:1] in ([], [None]) and all(i is not None and i >= 0 for i in intervals[1:])


# --- LibreOffice, the second real client -----------------------------------------------------------


NO_SOFFICE = shutil.which("soffice") is None


def _soffice(tmp_path: Path, source: Path, target: str) -> Path:
    out = tmp_path / "lo-out"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", target,
                    "--outdir", str(out), str(source)], capture_output=True, timeout=300)
    found = list(out.glob("*"))
    assert found, "LibreOffice did not write the document"
    return found[0]


@pytest.mark.skipif(NO_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_merged_chronology(wbcr, example, tmp_path):
    merged = tmp_path / "merged.docx"
    assert wbcr("chronology", "merge", REF, "--out", str(merged), "--no-protect", cwd=example).code == 0
    pdf = _soffice(tmp_path, merged, "pdf")
    assert pdf.suffix == ".pdf" and pdf.stat().st_size > 10000


@pytest.mark.skipif(NO_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_a_template_filled_in_and_saved_by_libreoffice_imports(wbcr, example, tmp_path):
    import docx

    data = fill_form(_render_template(wbcr, example), {"author.name": "Pat Invented", "author.role": "Named GP"})
    document = docx.Document(io.BytesIO(data))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Date")
    for cell, value in zip(table.rows[1].cells, ["03/01/2016", "08:15", "", "GP record", "Mother",
                                                 "Seen with \u201clow mood\u201d & tiredness.", "", "GP 2", ""]):
        cell.text = value
    source = tmp_path / "in" / "gp.docx"
    source.parent.mkdir()
    document.save(source)
    saved = _soffice(tmp_path, source, "docx:MS Word 2007 XML")
    result = wbcr("chronology", "import", REF, "--agency", "gp", str(saved), cwd=example)
    assert result.code == 0, result.out + result.err
    record = _chronology(example, "gp")
    assert record["entries"] == [{"date": "2016-01-03", "time": "08:15", "source": "GP record", "people": ["Mother"],
                                  "event": "Seen with \u201clow mood\u201d & tiredness.", "practitioner": "GP 2"}]
    assert record["author"] == {"name": "Pat Invented", "role": "Named GP"}


def test_a_name_part_that_is_a_word_of_a_pseudonym_does_not_damage_it():
    """A surname part such as "Child" ("Invented-Child") is replaced in one pass: the pseudonym put in, or
    one the agency already wrote ("Child E"), is never read again as a name ("Child E E")."""
    from wbcr.chronology.merge import Pseudonymiser

    p = Pseudonymiser([{"name": "Kerensa Invented-Child", "pseudonym": "Child E"},
                       {"name": "Chloe Hatton", "pseudonym": "Mother"}])
    assert p.text("Kerensa Invented-Child seen with chloe  HATTON") == "Child E seen with Mother"
    assert p.text("Child E and family assessment by Invented-Child") == "Child E and family assessment by Child E"
    assert p.text("People: Child E") == "People: Child E"
