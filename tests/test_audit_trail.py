"""The audit trail reads on its own (issue 10, point 6): `history` shows the date an event happened
beside the date it was recorded, and `report decisions` lists every timescale of the decision, the
10-working-day information requests included, saying "met" only when each was met."""

from __future__ import annotations

import json


def test_history_shows_the_recorded_date_beside_the_commit_date(wbcr, example):
    ref = "WBCR-2017-010"
    done = wbcr("--today", "2017-11-24", "screen", ref, "--outcome", "sufficient", "--rationale", "enough",
                "--on", "2017-11-23", cwd=example)
    assert done.code == 0, done.err
    data = json.loads(wbcr("history", ref, "--format", "json", cwd=example).out)
    latest = data["commits"][0]
    assert latest["action"] == "screen" and latest["event_date"] == "2017-11-23"
    assert latest["subject"].endswith("(23 Nov 2017)")
    text = wbcr("history", ref, cwd=example).out
    assert "Happened" in text and "2017-11-23" in text


def test_report_decisions_includes_the_information_requests(wbcr, example):
    data = json.loads(wbcr("--today", "2017-11-24", "report", "decisions", "--format", "json", cwd=example).out)
    rows = {case["reference"]: case for case in data["cases"]}
    requests = [t for case in rows.values() for t in case["timescales"] if t["id"].startswith("information_request:")]
    assert requests, "no information request timescale in the decisions report"
    for case in rows.values():
        states = {t["state"] for t in case["timescales"]}
        assert case["all_timescales_met"] == (bool(states) and states == {"met"})
    late = [case for case in rows.values()
            if any(t["id"].startswith("information_request:") and t["state"] in ("missed", "overdue")
                   for t in case["timescales"])]
    assert all(not case["all_timescales_met"] for case in late)
