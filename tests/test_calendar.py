"""Working days and deadlines: every England and Wales bank holiday 2012–2027, and the conventions."""

from __future__ import annotations

import datetime as dt

import pytest

from wbcr.core.calendar import Calendar, add_months, parse_offset
from wbcr.core.errors import UsageError

D = dt.date
# The official England and Wales lists (substitute days, moved and proclaimed days included).
BANK_HOLIDAYS = {
    2012: ["01-02", "04-06", "04-09", "05-07", "06-04", "06-05", "08-27", "12-25", "12-26"],
    2013: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2014: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    2015: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
    2016: ["01-01", "03-25", "03-28", "05-02", "05-30", "08-29", "12-26", "12-27"],
    2017: ["01-02", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26"],
    2018: ["01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26"],
    2019: ["01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2020: ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"],
    2021: ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"],
    2022: ["01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"],
    2023: ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"],
    2024: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2025: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    2026: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
    2027: ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"],
}


@pytest.mark.parametrize("year", sorted(BANK_HOLIDAYS))
def test_every_weekday_bank_holiday_is_a_non_working_day_and_no_other(year):
    cal = Calendar()
    day, weekday_holidays = D(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5 and not cal.is_working_day(day):
            weekday_holidays.append(day.strftime("%m-%d"))
        day += dt.timedelta(days=1)
    assert weekday_holidays == BANK_HOLIDAYS[year]


@pytest.mark.parametrize("start, period, expected", [
    (D(2019, 5, 2), "15 wd", D(2019, 5, 24)),      # REFERENCE §3: skips Monday 6 May 2019
    (D(2017, 3, 14), "1 months", D(2017, 4, 14)),  # Good Friday: shown, not moved
    (D(2026, 12, 23), "5 wd", D(2027, 1, 4)),      # MEASURED: over Christmas and New Year
    (D(2026, 1, 31), "1 months", D(2026, 2, 28)),  # clamped at month end
    (D(2024, 1, 31), "1 months", D(2024, 2, 29)),  # leap year
    (D(2026, 8, 31), "6 months", D(2027, 2, 28)),
    (D(2026, 3, 31), "-1 months", D(2026, 2, 28)),
    (D(2022, 5, 31), "3 wd", D(2022, 6, 7)),         # Platinum Jubilee 2 and 3 June
    (D(2022, 9, 16), "1 wd", D(2022, 9, 20)),       # State Funeral 19 September
    (D(2023, 5, 5), "1 wd", D(2023, 5, 9)),         # Coronation 8 May
    (D(2012, 6, 1), "1 wd", D(2012, 6, 6)),         # Diamond Jubilee 4 and 5 June
    (D(2020, 5, 7), "1 wd", D(2020, 5, 11)),        # Early May moved to Friday 8 May (VE Day)
    (D(2026, 11, 26), "0 wd", D(2026, 11, 26)),     # day 0 is the anchor
    (D(2026, 11, 26), "2 weeks", D(2026, 12, 10)),
    (D(2026, 11, 26), "14 cd", D(2026, 12, 10)),
    (D(2027, 1, 11), "-7 wd", D(2026, 12, 30)),     # counting back over Christmas
])
def test_worked_examples(start, period, expected):
    assert Calendar().add(start, parse_offset(period)) == expected


def test_calendar_day_deadline_on_a_holiday_is_flagged_not_moved():
    cal = Calendar()
    due = cal.add(D(2017, 3, 14), parse_offset("1 months"))
    assert due == D(2017, 4, 14) and not cal.is_working_day(due)
    assert cal.holiday_name(due) == "Good Friday"


def test_register_can_add_a_proclaimed_day_the_library_does_not_know():
    cal = Calendar.from_config({"calendar": {"extra_holidays": [{"date": "2027-06-07", "name": "Proclaimed day"}]}})
    assert not cal.is_working_day(D(2027, 6, 7))
    assert cal.add(D(2027, 6, 4), parse_offset("1 wd")) == D(2027, 6, 8)
    assert cal.holiday_name(D(2027, 6, 7)) == "Proclaimed day"
    assert Calendar().add(D(2027, 6, 4), parse_offset("1 wd")) == D(2027, 6, 7)


def test_working_days_between():
    cal = Calendar()
    assert cal.working_days_between(D(2019, 5, 2), D(2019, 5, 24)) == 15
    assert cal.working_days_between(D(2019, 5, 24), D(2019, 5, 2)) == -15


@pytest.mark.parametrize("text", ["15", "wd", "1.5 wd", "3 fortnights", ""])
def test_bad_periods_are_usage_errors(text):
    with pytest.raises(UsageError):
        parse_offset(text)


def test_add_months_clamps():
    assert add_months(D(2026, 10, 31), 1) == D(2026, 11, 30)
    assert add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)
    assert add_months(D(2026, 1, 15), -1) == D(2025, 12, 15)


def test_due_command(wbcr, tmp_path):
    assert wbcr("due", "2019-05-02", "15 wd", cwd=tmp_path).out == "2019-05-24\n"
    result = wbcr("due", "2017-03-14", "1 months", cwd=tmp_path)
    assert result.out == "2017-04-14\n" and "Good Friday" in result.err and "not moved" in result.err
    bad = wbcr("due", "2017-02-30", "1 wd", cwd=tmp_path)
    assert bad.code == 2 and "real date" in bad.err
    bad_period = wbcr("due", "2017-02-03", "3 fortnights", cwd=tmp_path)
    assert bad_period.code == 2


def test_bank_holidays_kept_in_the_cache_are_the_librarys(tmp_path, monkeypatch):
    import holidays

    from wbcr.core import calendar

    monkeypatch.setenv("WBCR_CACHE_DIR", str(tmp_path))
    calendar._library_holidays.cache_clear()
    first = calendar._library_holidays(2026, 2028)
    assert list(tmp_path.glob("holidays-*-ENG-2026-2028.marshal"))
    calendar._library_holidays.cache_clear()
    again = calendar._library_holidays(2026, 2028)
    calendar._library_holidays.cache_clear()
    assert first == again == frozenset(holidays.country_holidays("GB", subdiv="ENG", years=range(2026, 2029)))


def test_dates_typed_on_the_command_line_may_be_written_the_uk_way(wbcr, tmp_path):
    for typed in ("2019-05-02", "02/05/2019", "2/5/2019", "2 May 2019", "2nd May 2019"):
        result = wbcr("due", typed, "15 wd", cwd=tmp_path)
        assert result.out == "2019-05-24\n", (typed, result.err)
    for typed, reason in (("31/02/2019", "is not a real date"), ("2 Mai 2019", '"Mai" is not a month'),
                          ("May 2nd", "is not a date")):
        bad = wbcr("due", typed, "15 wd", cwd=tmp_path)
        assert bad.code == 2 and reason in bad.err and "03/02/2026" in bad.err, (typed, bad.err)


def test_a_period_in_days_typed_on_the_command_line_is_refused_with_the_choices(wbcr, tmp_path):
    """"5 days" is working days in one place of the guidance and calendar days in another: never a guess."""
    bad = wbcr("due", "2019-05-02", "5 days", cwd=tmp_path)
    assert bad.code == 2 and bad.out == ""
    assert "could mean working days or calendar days" in bad.err and '"5 wd"' in bad.err and '"5 cd"' in bad.err
    assert wbcr("due", "2019-05-02", "5 cd", cwd=tmp_path).out == "2019-05-07\n"
