"""The board meeting's RAG report (issue 14, point 4): `wbcr actions` shows each action's wording, lead,
target, latest update and how long it has held its rating, flags updates older than
`actions.stale_after_days` (default 90), filters by LSCB (or area) and lead agency, writes an Excel
workbook, reads at 80 columns; the rag-progress-report document says the same from the same rows.

Every figure is recomputed here from recommendations.yaml, not from wbcr's code."""

from __future__ import annotations

import datetime as dt
import json
import re

import io

import openpyxl
import yaml
from docx import Document

from conftest import EXAMPLE, git
from wbcr.documents.render import render_bytes
from wbcr.model.register import open_register

TODAY = dt.date(2018, 3, 10)


def _expected(root, today: dt.date, stale_days: int = 90) -> dict[tuple[str, str], dict]:
    """Each action's figures, from the records: {(reference, action id): {...}}."""
    out = {}
    for folder in sorted((root / "cases").iterdir()):
        plan = folder / "recommendations.yaml"
        if not plan.is_file():
            continue
        case = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
        for rec in (yaml.safe_load(plan.read_text(encoding="utf-8")) or {}).get("recommendations") or []:
            for action in rec.get("actions") or []:
                updates = sorted((u for u in action.get("updates") or [] if u["date"] <= today), key=lambda u: u["date"])
                done = "signed_off" in action or "carried_forward" in action
                since = None
                if updates:
                    since = updates[-1]["date"]
                    for u in reversed(updates[:-1]):
                        if u["rag"] != updates[-1]["rag"]:
                            break
                        since = u["date"]
                quiet_from = updates[-1]["date"] if updates else rec.get("adopted_by_panel")
                out[(folder.name, action["id"])] = {
                    "text": action["action"], "lead_agency": action["lead_agency"], "lead_lscb": case["lead_lscb"],
                    "target_date": action["target_date"].isoformat(),
                    "latest": updates[-1] if updates else None,
                    "rated_since": since.isoformat() if since else None,
                    "days_at_rating": (today - since).days if since else None,
                    "stale": (not done and quiet_from is not None and (today - quiet_from).days > stale_days),
                    "overdue": not done and today > action["target_date"],
                }
    return out


def docx_text(data: bytes) -> str:
    """The document's text in reading order: each paragraph, in the body or in a table's cell, a line."""
    from docx.oxml.ns import qn

    body = Document(io.BytesIO(data)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def _actions(wbcr, cwd, *args: str, today: dt.date = TODAY) -> list[dict]:
    result = wbcr("--today", today.isoformat(), "actions", *args, "--format", "json", cwd=cwd)
    assert result.code == 0, result.err
    return json.loads(result.out)["actions"]


def test_each_action_has_its_wording_lead_target_latest_update_and_days_at_its_rating(wbcr, example):
    rows = _actions(wbcr, example)
    want = _expected(example, TODAY)
    assert {(r["reference"], r["action"]) for r in rows} == set(want)
    for r in rows:
        w = want[(r["reference"], r["action"])]
        assert (r["text"], r["lead_agency"], r["lead_lscb"], r["target_date"]) == \
            (w["text"], w["lead_agency"], w["lead_lscb"], w["target_date"])
        assert (r["rated_since"], r["days_at_rating"], r["stale"], r["overdue"]) == \
            (w["rated_since"], w["days_at_rating"], w["stale"], w["overdue"]), r["action"]
        latest = r["latest_update"]
        if w["latest"] is None:
            assert latest is None
        else:
            assert (latest["date"], latest["rag"], latest["note"]) == \
                (w["latest"]["date"].isoformat(), w["latest"]["rag"], w["latest"]["note"])
    assert any(r["stale"] for r in rows) and not all(r["stale"] for r in rows)
    # an action that held its rating through several updates counts from the first of them
    assert any(r["rated_since"] and r["rated_since"] != r["latest_update"]["date"] for r in rows)


def test_stale_after_days_comes_from_wbcr_yaml(wbcr, example):
    config = example / "wbcr.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "actions:\n  stale_after_days: 200\n", encoding="utf-8")
    git(example, "commit", "-qam", "stale after 200 days")
    assert not any(r["stale"] for r in _actions(wbcr, example))  # at 90 days some are (the test above)
    later = dt.date(2018, 6, 10)
    rows = _actions(wbcr, example, today=later)
    want = _expected(example, later, stale_days=200)
    assert [r["stale"] for r in rows] == [want[(r["reference"], r["action"])]["stale"] for r in rows]
    assert {r["stale_after_days"] for r in rows} == {200}
    stale = _actions(wbcr, example, "--stale", today=later)
    assert stale and all(r["stale"] for r in stale) and len(stale) == sum(r["stale"] for r in rows)
    # a value the schema refuses is a finding, not a silent default
    config.write_text(config.read_text(encoding="utf-8").replace("stale_after_days: 200", "stale_after_days: none"),
                      encoding="utf-8")
    result = wbcr("validate", cwd=example)
    assert result.code == 1 and "stale_after_days" in result.out + result.err


def test_filters_by_lscb_or_board_and_by_agency(wbcr, example):
    rows = _actions(wbcr, example)
    for lscb in {r["lead_lscb"] for r in rows}:
        assert _actions(wbcr, example, "--lscb", lscb) == [r for r in rows if r["lead_lscb"] == lscb]
        assert _actions(wbcr, example, "--board", lscb) == [r for r in rows if r["lead_lscb"] == lscb]
    agency = rows[0]["lead_agency"]
    assert _actions(wbcr, example, "--agency", agency) == [r for r in rows if r["lead_agency"] == agency]
    wrong = wbcr("actions", "--lscb", "slough", cwd=example)
    assert wrong.code == 2 and "slough" in wrong.err and "reading" in wrong.err and "Traceback" not in wrong.err


def test_the_workbook_holds_the_same_rows(wbcr, example, tmp_path):
    rows = _actions(wbcr, example)
    out = tmp_path / "actions.xlsx"
    result = wbcr("--today", TODAY.isoformat(), "actions", "--out", str(out), cwd=example)
    assert result.code == 0, result.err
    sheet = openpyxl.load_workbook(out)["Actions"]
    header = [c.value for c in sheet[1]]
    body = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert [(b["Reference"], b["Action"]) for b in body] == [(r["reference"], r["action"]) for r in rows]
    for b, r in zip(body, rows):
        assert b["Wording"] == r["text"] and b["Days at rating"] == r["days_at_rating"]
        assert b["Stale"] == ("Yes" if r["stale"] else "No")
        assert b["Target"].date().isoformat() == r["target_date"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_the_text_report_reads_at_80_columns(wbcr, example):
    rows = _actions(wbcr, example)
    result = wbcr("--today", TODAY.isoformat(), "actions", cwd=example, extra_env={"COLUMNS": "80"})
    assert result.code == 0, result.err
    assert max(len(line) for line in result.out.splitlines()) <= 80
    assert "…" not in result.out
    for r in rows:
        assert re.search(rf"^{r['reference']}\b.*\b{re.escape(r['action'])}\b", result.out, re.M), r["action"]
    stale = sum(r["stale"] for r in rows)
    assert f"{stale} with no update for over 90 days" in result.out.replace("\n", " ")
    assert result.out.count("STALE") == stale


def test_the_rag_progress_report_says_what_wbcr_actions_says(wbcr, example):
    rows = [r for r in _actions(wbcr, example, "WBCR-2016-004")]
    data, _markdown, _spec = render_bytes(open_register(str(EXAMPLE)), "rag-progress-report", "WBCR-2016-004", TODAY)
    text = docx_text(data)
    attention = text[text.index("Needing attention"):text.index("Every action")]
    stale = [r for r in rows if r["stale"]]
    assert stale and f"{len(stale)} open actions have had no progress update for more than 90 days" in attention
    for r in stale:
        assert r["action"] in attention
        assert f"No progress update for {r['days_since_update']} days" in attention
    for r in rows:
        if r["rated_since"] and r["rated_since"] != r["latest_update"]["date"] and not r["signed_off"]:
            held = dt.date.fromisoformat(r["rated_since"])
            assert f"Held since {held.day} {held.strftime('%B %Y')} ({r['days_at_rating']} days)" in text


def test_an_update_after_the_day_asked_about_is_not_counted(wbcr, example):
    today = dt.date(2017, 9, 1)
    rows = _actions(wbcr, example, today=today)
    assert rows and any(r["latest_update"] for r in rows)
    for r in rows:
        if r["latest_update"]:
            assert r["latest_update"]["date"] <= today.isoformat()


def test_no_identifying_value_reaches_the_rag_report(wbcr, example, tmp_path):
    """The RAG report goes to a board meeting as it is: an action's wording or update note holding a name,
    part of one or a date of birth from people.yaml is withheld (as the board report does)."""
    people = yaml.safe_load((example / "cases" / "WBCR-2016-004" / "people.yaml").read_text(encoding="utf-8"))["people"]
    named = next(p for p in people if isinstance(p.get("name"), str) and not p["name"].startswith("wbcr-sealed:"))
    plan = example / "cases" / "WBCR-2016-004" / "recommendations.yaml"
    text = plan.read_text(encoding="utf-8")
    note = "Fieldwork complete. Report delayed by a vacancy in the designated team; draft expected mid-December."
    assert note in text
    plan.write_text(text.replace(note, f"Fieldwork complete; {named['name']} was spoken to."), encoding="utf-8")
    git(example, "commit", "-qam", "a note with a name")
    rows = _actions(wbcr, example)
    out = tmp_path / "a.xlsx"
    shown = wbcr("--today", TODAY.isoformat(), "actions", cwd=example).out
    wbcr("--today", TODAY.isoformat(), "actions", "--out", str(out), cwd=example)
    cells = json.dumps([[c.value for c in row] for row in openpyxl.load_workbook(out)["Actions"].iter_rows()],
                       default=str)
    for where, content in (("JSON", json.dumps(rows)), ("text", shown), ("workbook", cells)):
        for person in people:
            for field in ("name", "address", "postcode"):
                value = person.get(field)
                if isinstance(value, str) and value and not value.startswith("wbcr-sealed:"):
                    assert value.casefold() not in content.casefold(), (where, field)
    assert any(r["latest_update"] and r["latest_update"]["note"].startswith("[withheld") for r in rows)


def test_a_rating_is_the_latest_update_by_date_as_at_the_day(wbcr, example):
    """An update dated after the day asked about is not yet the rating; one reported late is filed in date
    order; a hand edit that lists updates out of order, or dates one in the future, is a finding."""
    ref, action = "WBCR-2016-004", "R3-A1"
    future = wbcr("--today", "2018-03-10", "plan", "rag", ref, "--action", action, "--rag", "GREEN",
                  "--note", "Guidance published", "--on", "2018-06-01", "--by", "Samira Haddad", cwd=example)
    assert future.code == 1 and "dates.future" in future.out + future.err
    late = wbcr("--today", "2018-03-10", "plan", "rag", ref, "--action", action, "--rag", "AMBER",
                "--note", "Draft delayed", "--on", "2017-10-01", "--by", "Samira Haddad", cwd=example)
    assert late.code == 0, late.err
    plan = yaml.safe_load((example / "cases" / ref / "recommendations.yaml").read_text(encoding="utf-8"))
    updates = next(a for r in plan["recommendations"] for a in r["actions"] if a["id"] == action)["updates"]
    assert [u["date"] for u in updates] == sorted(u["date"] for u in updates)
    row = next(r for r in _actions(wbcr, example, ref) if r["action"] == action)
    assert row["rag"] == row["latest_update"]["rag"] and row["rag_date"] == row["latest_update"]["date"] == "2017-11-08"
    assert wbcr("--today", "2018-03-10", "validate", ref, cwd=example).code == 0
    path = example / "cases" / ref / "recommendations.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("date: 2017-11-08", "date: 2017-01-02", 1), encoding="utf-8")
    found = wbcr("--today", "2018-03-10", "validate", ref, "--format", "json", cwd=example)
    assert found.code == 1 and "dates.order" in found.out


def _summary_counts(text: str) -> dict[str, int]:
    """The document's summary table: {rating: number} (BLUE, GREEN, AMBER, RED, and None for not rated)."""
    lines = text[text.index("Summary"):text.index("Needing attention")].splitlines()
    counts = {}
    for key, label in (("BLUE", "BLUE (B)"), ("GREEN", "GREEN (G)"), ("AMBER", "AMBER (A)"), ("RED", "RED (R)"),
                       (None, "Not yet rated")):
        i = lines.index(label)
        counts[key] = int(next(line for line in lines[i + 1:] if line.strip().isdigit()))
    return counts


def test_the_document_counts_ratings_as_wbcr_actions_does_and_shows_carried_actions(wbcr, example):
    from wbcr.documents.register_tables import action_rag

    ref = "WBCR-2016-004"
    carried = wbcr("--today", "2018-03-10", "plan", "carry", ref, "--action", "R3-A1", "--into",
                   "Neglect strategy action plan 2018-20", "--reason", "Part of the neglect strategy",
                   "--by", "CRG chair", "--on", "2018-03-01", cwd=example)
    assert carried.code == 0, carried.err
    rows = _actions(wbcr, example, ref)
    want = {key: sum(action_rag(r) == key for r in rows) for key in ("BLUE", "GREEN", "AMBER", "RED", None)}
    data, _markdown, _spec = render_bytes(open_register(str(example)), "rag-progress-report", ref, TODAY)
    text = docx_text(data)
    assert _summary_counts(text) == want
    assert want["RED"] > 0  # the example's targets passed: the board sees RED, not the last GREEN
    every = text[text.index("Every action"):]
    assert "Carried to Neglect strategy action plan 2018-20 on 1 March 2018" in every
    assert "R3-A1" not in text[text.index("Needing attention"):text.index("Every action")]


def test_an_action_id_used_twice_is_a_finding(wbcr, example):
    path = example / "cases" / "WBCR-2016-004" / "recommendations.yaml"
    text = path.read_text(encoding="utf-8")
    assert "- id: R2-A1\n" in text
    path.write_text(text.replace("- id: R2-A1\n", "- id: R1-A1\n", 1), encoding="utf-8")
    found = wbcr("validate", "WBCR-2016-004", "--format", "json", cwd=example)
    assert found.code == 1
    codes = [(f["code"], f["line"]) for f in json.loads(found.out)["findings"]]
    assert any(code == "plan.duplicate_id" and line for code, line in codes), codes
