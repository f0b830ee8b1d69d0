"""UK dates wherever a date is typed (issue 15, point 5): `--today`, report periods, a letter's date,
`due`'s anchor, the recording commands' `--on` — 03/02/2026, 3 Feb 2026 and 2026-02-03 alike; an
impossible date refused with what it is and how to write one."""

from __future__ import annotations

import json

import pytest

from conftest import AT_EXAMPLE, EXAMPLE


@pytest.mark.parametrize("typed", ["23/11/2017", "23 Nov 2017", "23rd November 2017", "2017-11-23"])
def test_today_takes_a_uk_date(wbcr, typed):
    out = wbcr("--register", str(EXAMPLE), "--today", typed, "status", "--format", "json")
    assert out.code == 0, out.err
    assert json.loads(out.out)["today"] == "2017-11-23"


def test_report_periods_and_due_take_uk_dates(wbcr):
    iso = wbcr(*AT_EXAMPLE, "report", "board", "--from", "2017-04-01", "--to", "2018-03-31", "--format", "json")
    uk = wbcr(*AT_EXAMPLE, "report", "board", "--from", "01/04/2017", "--to", "31 Mar 2018", "--format", "json")
    assert iso.code == uk.code == 0, iso.err + uk.err
    assert json.loads(iso.out)["period"] == json.loads(uk.out)["period"]
    themes = wbcr(*AT_EXAMPLE, "report", "themes", "--from", "1 April 2016", "--format", "json")
    assert themes.code == 0, themes.err
    due_iso = wbcr(*AT_EXAMPLE, "due", "2019-05-02", "15 wd", "--format", "json")
    due_uk = wbcr(*AT_EXAMPLE, "due", "02/05/2019", "15 wd", "--format", "json")
    assert json.loads(due_iso.out)["due"] == json.loads(due_uk.out)["due"] == "2019-05-24"


@pytest.mark.parametrize("args", [("--today", "31/02/2017", "status"),
                                  ("report", "board", "--from", "31/02/2017"),
                                  ("due", "30 Feb 2019", "15 wd")])
def test_an_impossible_date_is_refused_with_how_to_write_one(wbcr, args):
    out = wbcr("--register", str(EXAMPLE), *args)
    assert out.code == 2 and "is not a real date" in out.err and "03/02/2026" in out.err
    assert "Traceback" not in out.err
