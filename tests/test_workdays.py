"""Tests of `csc_analysis.workdays`: England bank holidays and working days as the national measures count them."""

import numpy as np
import pandas as pd

from csc_analysis import workdays


def _days(*dates: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(dates)))


def test_working_days_skip_weekends_and_bank_holidays():
    start = pd.Series(pd.to_datetime(["2024-05-03", "2024-03-28", "2024-03-28", "2024-05-20", "2024-05-17"]))
    end = pd.Series(pd.to_datetime(["2024-05-06", "2024-06-05", "2024-06-06", "2024-06-11", "2024-06-10"]))
    # Fri 3 May -> Mon 6 May (bank holiday): 0. 28 Mar -> 5 Jun: April 21 (after Good Friday 29 Mar and Easter
    # Monday 1 Apr), May 1-3 (3), 7-24 (14), 28-31 (4), June 3-5 (3) = 45.
    # 20 May -> 11 Jun: 4 + 4 (27 May off) + 5 + 2 = 15.
    assert workdays.working_days(start, end).tolist() == [0, 45, 46, 15, 15]


def test_bank_holidays_2024_are_england_s_eight():
    # gov.uk, England and Wales 2024: New Year's Day, Good Friday, Easter Monday, early May, spring, summer,
    # Christmas Day, Boxing Day (all on weekdays that year, so no substitute days).
    expected = ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25"]
    expected += ["2024-12-26"]
    assert workdays.bank_holidays(2024, 2024).tolist() == np.array(expected, dtype="datetime64[D]").tolist()


def test_bank_holidays_2022_include_one_off_and_substitute_days():
    # gov.uk, England and Wales 2022: 3 Jan (substitute for Sat 1 Jan), Good Friday 15 Apr, Easter Monday 18 Apr,
    # 2 May, 2 Jun (spring, moved), 3 Jun (Platinum Jubilee), 29 Aug, 19 Sep (the Queen's state funeral),
    # 26 Dec (Boxing Day) and 27 Dec (substitute for Christmas Day, a Sunday).
    expected = ["2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29"]
    expected += ["2022-09-19", "2022-12-26", "2022-12-27"]
    days = workdays.bank_holidays(2022, 2022)
    # Only the days falling on a weekday matter to a working-day count.
    assert days[np.is_busday(days)].tolist() == np.array(expected, dtype="datetime64[D]").tolist()


def test_bank_holidays_cover_every_year_asked_for():
    days = workdays.bank_holidays(2023, 2024)
    assert np.datetime64("2023-05-08") in days  # the coronation
    assert np.datetime64("2024-12-26") in days
    assert not ((days < np.datetime64("2023-01-01")) | (days > np.datetime64("2024-12-31"))).any()


def test_working_days_across_bank_holiday_weekends():
    start = _days("2022-12-23", "2023-05-05", "2023-04-28", "2024-03-28")
    end = _days("2022-12-28", "2023-05-09", "2023-05-12", "2024-04-02")
    # Fri 23 Dec 2022 -> Wed 28 Dec: Sat, Sun, Mon 26 (Boxing Day), Tue 27 (substitute Christmas Day), Wed 28: 1.
    # Fri 5 May 2023 -> Tue 9 May: Mon 8 May was the coronation: 1.
    # Fri 28 Apr 2023 -> Fri 12 May: Mon 1 May (early May) and Mon 8 May off: 2-5 May (4) + 9-12 May (4) = 8.
    # Thu 28 Mar 2024 -> Tue 2 Apr: Good Friday 29 Mar, the weekend, Easter Monday 1 Apr: 1.
    assert workdays.working_days(start, end).tolist() == [1, 1, 8, 1]


def test_working_days_across_the_new_year():
    # The holidays of both years are used: Fri 29 Dec 2023 -> Tue 2 Jan 2024 skips Mon 1 Jan: 1. Fri 22 Dec 2023 ->
    # Tue 2 Jan 2024: 25 and 26 Dec and 1 Jan off: 27, 28, 29 Dec and 2 Jan = 4.
    start = _days("2023-12-29", "2023-12-22")
    end = _days("2024-01-02", "2024-01-02")
    assert workdays.working_days(start, end).tolist() == [1, 4]


def test_working_days_count_after_the_start_up_to_and_including_the_end():
    # Same day: 0. Fri 10 May 2024 -> Mon 13 May: 1. Sat 11 May -> Mon 13 May: only Monday counts: 1.
    # Mon 13 May -> Tue 14 May: 1.
    start = _days("2024-05-13", "2024-05-10", "2024-05-11", "2024-05-13")
    end = _days("2024-05-13", "2024-05-13", "2024-05-13", "2024-05-14")
    assert workdays.working_days(start, end).tolist() == [0, 1, 1, 1]


def test_an_end_before_its_start_is_a_negative_count():
    # Documented as numpy's busday_count does, without a size: only the sign is the rule.
    assert (workdays.working_days(_days("2024-05-13", "2024-06-05"), _days("2024-05-10", "2024-03-28")) < 0).all()


def test_working_days_missing_dates_are_nan_and_the_index_is_kept():
    start = pd.Series(pd.to_datetime(["2024-05-10", None, "2024-05-10"]), index=[7, 3, 5])
    end = pd.Series(pd.to_datetime(["2024-05-13", "2024-05-13", None]), index=[7, 3, 5])
    out = workdays.working_days(start, end)
    assert list(out.index) == [7, 3, 5]
    assert out[7] == 1 and out[[3, 5]].isna().all()
    none = pd.Series(pd.to_datetime([None, None]))
    assert workdays.working_days(none, none).isna().all()
