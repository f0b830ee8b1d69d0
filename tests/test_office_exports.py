"""The office's own tools (issue 15): Excel workbooks of the status board, the deadlines and the
decisions audit; an Outlook draft beside a rendered document; a deadline calendar that a re-import
updates and cancels. Each checked by reading the file back as its program would: openpyxl for the
workbook, Python's email parser for the draft, an iCalendar reader for the calendar."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import zipfile
from email import policy
from email.parser import BytesParser

import openpyxl
import pytest
import yaml

from conftest import AT_EXAMPLE, EXAMPLE_TODAY, ROOT, copy_example, git
from wbcr.documents.tables_xlsx import Column, Sheet, tables_xlsx
from wbcr.reports.next_steps import format_ics

DEMO_KEY = (ROOT / "examples" / "DEMO-board-key.txt").read_text().strip()
RAG_FILLS = {"RED": "F4A09C", "AMBER": "FFD27F", "GREEN": "A9D18E", "BLUE": "9DC3E6"}
#: a day when the example has overdue deadlines, deadlines due within a week and later ones
LATER = ["--register", str(ROOT / "examples" / "west-of-berkshire"), "--today", "2017-12-15"]
HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+44 118 496 0000", "-2+3", "@SUM(A1:A9)", "=1+1"]


def _book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill and cell.fill.fill_type == "solid" else ""


# --- the xlsx writer ------------------------------------------------------------------------------------


def test_a_sheet_has_a_frozen_filtered_header_dates_numbers_and_rag_fills():
    sheet = Sheet("Deadlines", [Column("Reference"), Column("Due", "date"), Column("Days left", "int"),
                                Column("RAG", "rag")],
                  [["WBCR-2026-001", "2026-12-09", -3, "RED"], ["WBCR-2026-002", dt.date(2027, 1, 5), "12", "AMBER"],
                   ["WBCR-2026-003", "?2026-03", None, "GREEN (G)"], ["WBCR-2026-004", None, 40, "BLUE"]])
    ws = _book(tables_xlsx([sheet], marking="OFFICIAL-SENSITIVE")).active
    assert ws.title == "Deadlines"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D5"
    assert [c.value for c in ws[1]] == ["Reference", "Due", "Days left", "RAG"] and ws["A1"].font.b
    assert ws["B2"].value == dt.datetime(2026, 12, 9) and ws["B2"].is_date and ws["B2"].number_format == "dd/mm/yyyy"
    assert ws["B3"].is_date
    assert ws["B4"].value == "?2026-03" and ws["B4"].data_type == "s"  # an uncertain date stays as written
    assert ws["B5"].value is None
    assert ws["C2"].value == -3 and ws["C3"].value == 12 and ws["C2"].data_type == "n"
    assert [(ws[f"D{r}"].value, _fill(ws[f"D{r}"])) for r in range(2, 6)] == [
        ("RED", RAG_FILLS["RED"]), ("AMBER", RAG_FILLS["AMBER"]), ("GREEN (G)", RAG_FILLS["GREEN"]),
        ("BLUE", RAG_FILLS["BLUE"])]  # the word kept: it reads on a black-and-white print
    assert _fill(ws["A2"]) == ""
    assert "OFFICIAL-SENSITIVE" in ws.oddHeader.center.text
    assert ws.column_dimensions["A"].width >= len("WBCR-2026-001")


def test_text_is_never_a_formula():
    sheet = Sheet("Narratives", [Column("Text"), Column("Rating", "rag")], [[value, value] for value in HOSTILE])
    data = tables_xlsx([sheet])
    ws = _book(data).active
    for row, value in enumerate(HOSTILE, start=2):
        for column in "AB":
            cell = ws[f"{column}{row}"]
            assert cell.value == value and cell.data_type == "s"  # exactly as typed, as text
            assert cell.quotePrefix  # and Excel keeps it text when someone edits the cell
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_awkward_values_and_titles_are_made_safe():
    sheet = Sheet("Status: a/b [x]", [Column("Text")], [["bell\x07 and tab\tkept"], ["x" * 40000]])
    ws = _book(tables_xlsx([sheet, Sheet("Status: a/b [x]", [Column("Text")], [])])).worksheets
    assert [w.title for w in ws] == ["Status- a-b -x-", "Status- a-b -x- (2)"]
    assert ws[0]["A2"].value == "bell and tab\tkept"
    assert len(ws[0]["A3"].value) == 32767
    assert ws[1].auto_filter.ref == "A1:A1"  # an empty table still has its header and filter
    with pytest.raises(ValueError, match="2 values for 1 columns"):
        tables_xlsx([Sheet("Bad", [Column("One")], [["a", "b"]])])
    with pytest.raises(ValueError, match="kind"):
        Column("X", "money")


# --- --format xlsx on the commands ---------------------------------------------------------------------


def test_status_as_a_workbook_has_every_case_with_dates_as_dates(wbcr, tmp_path):
    out = tmp_path / "status.xlsx"
    result = wbcr(*LATER, "status", "--format", "xlsx", "--out", str(out))
    assert result.code == 0, result.err
    assert result.out.strip() == str(out)
    assert (os.stat(out).st_mode & 0o777) == 0o600 or os.name == "nt"
    cases = json.loads(wbcr(*LATER, "status", "--format", "json").out)["cases"]
    ws = _book(out.read_bytes())["Status"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["Reference", "Lead LSCB", "Kind", "Stage"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [c["reference"] for c in cases]
    opened = header.index("Opened") + 1
    assert all(ws.cell(row=i, column=opened).is_date for i in range(2, len(rows) + 2))
    assert ws.cell(row=2, column=opened).value.date().isoformat() == cases[0]["opened"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    rag = header.index("RAG") + 1
    overdue = [i for i, c in enumerate(cases, start=2) if (c["next_deadline"] or {}).get("state") == "overdue"]
    assert overdue, "the example has overdue deadlines"
    assert all(ws.cell(row=i, column=rag).value == "RED" and _fill(ws.cell(row=i, column=rag)) == RAG_FILLS["RED"]
               for i in overdue)


def test_deadlines_workbook_from_out_alone_matches_the_json(wbcr, tmp_path):
    out = tmp_path / "deadlines.xlsx"
    result = wbcr(*LATER, "deadlines", "--out", str(out))  # a .xlsx --out means the workbook
    assert result.code == 0, result.err
    rows = json.loads(wbcr(*LATER, "deadlines", "--format", "json").out)["deadlines"]
    assert {r["state"] for r in rows} == {"overdue", "pending"}
    book = _book(out.read_bytes())
    assert book.sheetnames == ["Deadlines"]
    ws = book["Deadlines"]
    header = [c.value for c in ws[1]]
    due, left, rag = header.index("Due") + 1, header.index("Days left") + 1, header.index("RAG") + 1
    assert ws.max_row == len(rows) + 1
    for i, row in enumerate(rows, start=2):
        assert ws.cell(row=i, column=due).value.date().isoformat() == row["due"]
        assert ws.cell(row=i, column=left).value == row["days_left"]
        expected = "RED" if row["state"] == "overdue" else ("AMBER" if row["days_left"] <= 7 else "GREEN")
        assert ws.cell(row=i, column=rag).value == expected and _fill(ws.cell(row=i, column=rag)) == RAG_FILLS[expected]


def test_decisions_workbook_has_decisions_recommendations_and_timescales(wbcr, tmp_path):
    out = tmp_path / "decisions.xlsx"
    result = wbcr(*AT_EXAMPLE, "report", "decisions", "--format", "xlsx", "--out", str(out))
    assert result.code == 0, result.err
    data = json.loads(wbcr(*AT_EXAMPLE, "report", "decisions", "--format", "json").out)
    book = _book(out.read_bytes())
    assert book.sheetnames == ["Decisions", "Recommendations", "Timescales"]
    decisions = list(book["Decisions"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in decisions] == [c["reference"] for c in data["cases"]]
    assert book["Timescales"].max_row - 1 == sum(len(c["timescales"]) for c in data["cases"])
    assert book["Recommendations"].max_row - 1 == sum(len((c["crg"] or {}).get("recommendations") or [])
                                                      for c in data["cases"])
    header = [c.value for c in book["Decisions"][1]]
    decided = header.index("Decided") + 1
    first = next(i for i, c in enumerate(data["cases"], start=2) if c["chair_decision"])
    assert book["Decisions"].cell(row=first, column=decided).is_date


def test_the_workbook_goes_to_output_by_default(wbcr, example):
    result = wbcr("status", "--format", "xlsx", cwd=example)
    assert result.code == 0, result.err
    path = example / "output" / f"status-{EXAMPLE_TODAY}.xlsx"
    assert result.out.strip() == str(path) and path.is_file()
    assert (os.stat(path).st_mode & 0o777) == 0o600 or os.name == "nt"
    assert git(example, "status", "--porcelain") == ""  # git ignores it: nothing to commit


@pytest.mark.parametrize("args, message", [
    (["status", "--out", "status.csv"], "written as a .xlsx file"),
    (["deadlines", "--format", "json", "--out", "d.xlsx"], "--out writes the Excel workbook, not json"),
    (["report", "decisions", "--format", "text", "--out", "d.xlsx"], "not text"),
    (["due", "2017-11-01", "5 wd", "--format", "xlsx"], "xlsx"),  # a command without a workbook
])
def test_a_workbook_asked_for_wrongly_is_one_usage_error(wbcr, tmp_path, args, message):
    result = wbcr(*AT_EXAMPLE, *args, cwd=tmp_path)
    assert result.code == 2, result.err
    assert message in result.err and "Traceback" not in result.err
    assert not list(tmp_path.iterdir())  # nothing written


def test_a_case_that_does_not_validate_is_named_after_the_workbook(wbcr, example, tmp_path):
    case = sorted((example / "cases").iterdir())[-1]
    (case / "case.yaml").write_text("stage: [broken\n")
    out = tmp_path / "deadlines.xlsx"
    result = wbcr("deadlines", "--format", "xlsx", "--out", str(out), cwd=example)
    assert result.code == 1
    assert f"cases/{case.name}/case.yaml:1:" in result.err and "do not validate" in result.err
    book = _book(out.read_bytes())
    assert [r[0] for r in book["Not counted"].iter_rows(min_row=2, values_only=True)] == [case.name]
    status = wbcr("status", "--out", str(tmp_path / "status.xlsx"), cwd=example)
    assert status.code == 1 and case.name in status.err
    rows = list(_book((tmp_path / "status.xlsx").read_bytes())["Status"].iter_rows(min_row=2, values_only=True))
    assert any(r[0] == case.name and r[-1] for r in rows)  # shown, with what is wrong


# --- the Outlook draft --------------------------------------------------------------------------------


@pytest.fixture
def keyed(tmp_path, env, monkeypatch):
    """A copy of the example with its DEMO board key, so documents are protected."""
    monkeypatch.setenv("WBCR_TODAY", EXAMPLE_TODAY)
    monkeypatch.setenv("WBCR_BOARD_KEY", DEMO_KEY)
    return copy_example(tmp_path / "register", env, demo_key=True)


def _message(path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def _names(register, reference) -> list[str]:
    people = yaml.safe_load((register / "cases" / reference / "people.yaml").read_text())["people"]
    return [part for p in people for part in str(p.get("name", "")).split() if len(part) > 3]


def test_render_email_writes_a_draft_outlook_opens_with_the_protected_document(wbcr, keyed):
    ref = "WBCR-2016-004"
    result = wbcr("render", ref, "outcome-letter", "--agency", "tvp", "--email", cwd=keyed)
    assert result.code == 0, result.err
    docx, eml = (keyed / line for line in result.out.split())
    assert eml == docx.with_suffix(".eml") and eml.is_file()
    assert (os.stat(eml).st_mode & 0o777) == 0o600 or os.name == "nt"
    password = wbcr("password", ref, cwd=keyed).out.strip()
    assert password
    message = _message(eml)
    assert message["X-Unsent"] == "1"
    agency = next(a for a in yaml.safe_load((keyed / "wbcr.yaml").read_text())["agencies"] if a["id"] == "tvp")
    assert message["To"].addresses[0].addr_spec == agency["designated_senior_manager"]["email"]
    assert message["From"].addresses[0].addr_spec == yaml.safe_load((keyed / "wbcr.yaml").read_text())["board"]["email"]
    assert ref in message["Subject"] and "Outcome letter to agencies" in message["Subject"]
    for name in _names(keyed, ref):
        assert name not in message["Subject"], name
    body = message.get_body(("plain",)).get_content()
    assert "password follows separately" in body and ref in body
    raw = eml.read_bytes()
    for text in (password, password.replace("-", ""), password.lower()):
        assert text not in body and text.encode() not in raw
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert attachment.get_filename() == docx.name
    content = attachment.get_content()
    assert content == docx.read_bytes()
    assert content[:8] == bytes.fromhex("D0CF11E0A1B11AE1")  # an encrypted Office file, not a bare zip
    assert wbcr("unprotect", str(docx), "--password", password, "--out", str(keyed / "output" / "plain.docx"),
                cwd=keyed).code == 0


def test_a_draft_without_a_known_address_has_no_to_and_says_so(wbcr, keyed):
    config = keyed / "wbcr.yaml"
    data = yaml.safe_load(config.read_text())
    for agency in data["agencies"]:
        if agency["id"] == "tvp":
            for key in ("designated_senior_manager", "safeguarding_lead"):
                (agency.get(key) or {}).pop("email", None)
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    result = wbcr("render", "WBCR-2016-004", "outcome-letter", "--agency", "tvp", "--email", cwd=keyed)
    assert result.code == 0, result.err
    assert 'no e-mail address for agency "tvp"' in result.err and "fill in To" in result.err
    message = _message(keyed / result.out.split()[-1])
    assert message["To"] is None and message["X-Unsent"] == "1"


def test_email_with_no_protect_is_refused_before_anything_is_written(wbcr, keyed):
    result = wbcr("render", "WBCR-2016-004", "outcome-letter", "--agency", "tvp", "--email", "--no-protect", cwd=keyed)
    assert result.code == 2 and "--no-protect" in result.err and "Traceback" not in result.err
    assert not (keyed / "output").exists()


# --- the deadline calendar ----------------------------------------------------------------------------


def _events(text: str) -> dict[str, dict[str, str]]:
    """A small iCalendar reader: each VEVENT's properties (name -> value), by UID."""
    assert "\n" not in text.replace("\r\n", ""), "lines end in CRLF"
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75, line
    events, current = {}, None
    for line in re.sub(r"\r\n[ \t]", "", text).split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events[current["UID"]] = current
            current = None
        elif current is not None and line:
            name, value = line.split(":", 1)
            current[name.split(";")[0]] = value
    return events


def _row(ref: str, ident: str, due: str, title: str = "Decision") -> dict:
    return {"reference": ref, "id": ident, "title": title, "due": due}


STAMP = dt.datetime(2026, 11, 26)


def test_a_calendar_reimported_updates_changed_events_and_cancels_gone_ones():
    first = format_ics([_row("WBCR-2026-001", "decision", "2026-12-01"), _row("WBCR-2026-001", "action:R1-A1", "2027-01-10"),
                        _row("WBCR-2026-002", "notify", "2026-12-05")], "Board", STAMP)
    assert "METHOD:PUBLISH\r\n" in first and first.endswith("END:VCALENDAR\r\n")
    events = _events(first)
    assert {uid: e["SEQUENCE"] for uid, e in events.items()} == {
        "WBCR-2026-001-decision@wbcr": "0", "WBCR-2026-001-action-R1-A1@wbcr": "0", "WBCR-2026-002-notify@wbcr": "0"}
    assert {e["STATUS"] for e in events.values()} == {"CONFIRMED"}

    # the decision moved, the notification was met (no longer listed), a new deadline appeared
    second = format_ics([_row("WBCR-2026-001", "decision", "2026-12-03"), _row("WBCR-2026-001", "action:R1-A1", "2027-01-10"),
                         _row("WBCR-2026-003", "rapid_review", "2026-12-20")], "Board", STAMP, previous=first)
    events = _events(second)
    assert events["WBCR-2026-001-decision@wbcr"]["SEQUENCE"] == "1"
    assert events["WBCR-2026-001-decision@wbcr"]["DTSTART"] == "20261203"
    assert events["WBCR-2026-001-action-R1-A1@wbcr"]["SEQUENCE"] == "0"  # unchanged: same number
    assert events["WBCR-2026-003-rapid_review@wbcr"]["SEQUENCE"] == "0"
    gone = events["WBCR-2026-002-notify@wbcr"]
    assert gone["STATUS"] == "CANCELLED" and gone["SEQUENCE"] == "1" and gone["DTSTART"] == "20261205"

    # the same deadlines again: the same file (a re-import changes nothing), the cancellation kept
    third = format_ics([_row("WBCR-2026-001", "decision", "2026-12-03"), _row("WBCR-2026-001", "action:R1-A1", "2027-01-10"),
                        _row("WBCR-2026-003", "rapid_review", "2026-12-20")], "Board", STAMP, previous=second)
    assert third == second

    # a cancelled deadline that comes back is confirmed with a higher number
    fourth = format_ics([_row("WBCR-2026-002", "notify", "2026-12-05")], "Board", STAMP, previous=third)
    events = _events(fourth)
    assert events["WBCR-2026-002-notify@wbcr"]["STATUS"] == "CONFIRMED"
    assert events["WBCR-2026-002-notify@wbcr"]["SEQUENCE"] == "2"
    assert events["WBCR-2026-001-decision@wbcr"]["STATUS"] == "CANCELLED"
    assert events["WBCR-2026-001-decision@wbcr"]["SEQUENCE"] == "2"


def test_a_narrower_calendar_never_cancels_a_deadline_that_is_still_open():
    near, far = _row("WBCR-2026-001", "decision", "2026-12-01"), _row("WBCR-2026-001", "action:R1-A1", "2027-03-10")
    first = format_ics([near, far], "Board", STAMP)
    # `deadlines --within 14 --ics` at the same path: the far deadline is left out by the filter, not met
    moved = {**far, "due": "2027-03-17"}
    second = format_ics([near], "Board", STAMP, previous=first, still_open=[moved])
    events = _events(second)
    assert events["WBCR-2026-001-action-R1-A1@wbcr"]["STATUS"] == "CONFIRMED"
    assert events["WBCR-2026-001-action-R1-A1@wbcr"]["DTSTART"] == "20270317"  # as it now stands
    assert events["WBCR-2026-001-action-R1-A1@wbcr"]["SEQUENCE"] == "1"
    # one that was never in the calendar is not added by the filter's leftovers
    third = format_ics([near], "Board", STAMP, previous=second,
                       still_open=[moved, _row("WBCR-2026-009", "decision", "2027-05-01")])
    assert "WBCR-2026-009" not in third
    # and one met since is cancelled as before
    fourth = format_ics([near], "Board", STAMP, previous=third, still_open=[])
    assert _events(fourth)["WBCR-2026-001-action-R1-A1@wbcr"]["STATUS"] == "CANCELLED"


def test_a_calendar_folds_long_lines_and_ignores_a_previous_file_not_its_own():
    title = "Rapid review report to the Panel — café, naïve, Zoë; 15 working days " * 3
    text = format_ics([_row("WBCR-2026-001", "x", "2026-12-01", title)], "Board", STAMP,
                      previous="BEGIN:VCALENDAR\r\nPRODID:-//Other//EN\r\nBEGIN:VEVENT\r\nUID:A-b@wbcr\r\n"
                               "DTSTART;VALUE=DATE:20260101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    events = _events(text)
    assert list(events) == ["WBCR-2026-001-x@wbcr"]  # another program's calendar gives nothing to cancel
    summary = events["WBCR-2026-001-x@wbcr"]["SUMMARY"]
    assert summary.replace("\\,", ",").replace("\\;", ";") == "WBCR-2026-001: " + title
    icalendar = pytest.importorskip("icalendar")  # a declared dependency: a second, real reader
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["WBCR-2026-001: " + title]


def test_deadlines_ics_written_twice_cancels_only_what_is_no_longer_open(wbcr, tmp_path):
    ics = tmp_path / "deadlines.ics"
    everything = wbcr(*LATER, "deadlines", "--ics", str(ics), "--format", "json")
    assert everything.code == 0, everything.err
    rows = json.loads(everything.out)["deadlines"]
    first = _events(ics.read_bytes().decode("utf-8"))
    assert len(first) == len(rows) and all(e["SEQUENCE"] == "0" for e in first.values())
    # a narrower calendar at the same path (--overdue) leaves the other open deadlines as they were
    soon = wbcr(*LATER, "deadlines", "--overdue", "--ics", str(ics), "--format", "json")
    assert soon.code == 0, soon.err
    kept = json.loads(soon.out)["deadlines"]
    assert 0 < len(kept) < len(rows)
    second = _events(ics.read_bytes().decode("utf-8"))
    assert set(second) == set(first) and "marked cancelled" not in soon.err
    assert all(e["STATUS"] == "CONFIRMED" and e["SEQUENCE"] == "0" for e in second.values())
    # a deadline the calendar had that is no longer open (met, or its case gone) is cancelled
    text = ics.read_bytes().decode("utf-8").replace(
        "END:VCALENDAR", "BEGIN:VEVENT\r\nUID:WBCR-2017-099-decision@wbcr\r\nSEQUENCE:0\r\n"
                         "DTSTART;VALUE=DATE:20180105\r\nSUMMARY:WBCR-2017-099: Decision\r\nSTATUS:CONFIRMED\r\n"
                         "END:VEVENT\r\nEND:VCALENDAR")
    ics.write_bytes(text.encode("utf-8"))
    again = wbcr(*LATER, "deadlines", "--overdue", "--ics", str(ics))
    assert again.code == 0 and "1 no longer open, marked cancelled" in again.err
    third = _events(ics.read_bytes().decode("utf-8"))
    assert third["WBCR-2017-099-decision@wbcr"]["STATUS"] == "CANCELLED"
    assert third["WBCR-2017-099-decision@wbcr"]["SEQUENCE"] == "1"
    assert sum(e["STATUS"] == "CANCELLED" for e in third.values()) == 1


def test_an_email_draft_is_ignored_by_git_in_a_new_register_and_the_examples():
    from wbcr.operations.setup import GITIGNORE

    assert "*.eml" in GITIGNORE.splitlines()
    for register in ("west-of-berkshire", "berkshire-west-partnership"):
        assert "*.eml" in (ROOT / "examples" / register / ".gitignore").read_text().splitlines(), register


def test_a_calendar_keeps_the_events_of_a_case_that_does_not_validate_as_they_were(wbcr, example, tmp_path):
    """A case left out because its records do not validate: nobody knows whether its deadlines are still
    open, so the next calendar neither cancels nor changes them."""
    ics = tmp_path / "deadlines.ics"
    first = wbcr("--today", "2017-12-15", "deadlines", "--ics", str(ics), cwd=example)
    assert first.code == 0, first.err
    before = _events(ics.read_bytes().decode("utf-8"))
    ref = "WBCR-2017-009"
    mine = {uid for uid in before if uid.startswith(ref + "-")}
    assert mine
    case = example / "cases" / ref / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("stage: ", "stage: 17 #", 1), encoding="utf-8")
    again = wbcr("--today", "2017-12-15", "deadlines", "--ics", str(ics), cwd=example)
    assert again.code == 1 and ref in again.err  # named as not counted
    after = _events(ics.read_bytes().decode("utf-8"))
    for uid in mine:
        assert after[uid]["STATUS"] == "CONFIRMED" and after[uid]["SEQUENCE"] == before[uid]["SEQUENCE"], uid
        assert after[uid]["DTSTART"] == before[uid]["DTSTART"]
    assert "marked cancelled" not in again.err
