"""Working days as the national timeliness measures count them.

Working days are weekdays that are not England and Wales bank holidays (from the maintained
`holidays` calendar, which includes one-off days such as the 2023 coronation). The number of
working days from A to B counts those after A up to and including B: Friday to the next Monday is 1.
"""

import holidays
import numpy as np
import pandas as pd


def bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    """England and Wales bank holidays from 1 January `first_year` to 31 December `last_year`.

    In 2023 these include the King's coronation (Monday 8 May) and Monday 2 January, the substitute day for
    New Year's Day on a Sunday:

    >>> days = bank_holidays(2023, 2023)
    >>> np.datetime64("2023-05-08") in days, np.datetime64("2023-01-02") in days
    (True, True)
    """
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def working_days(start: pd.Series, end: pd.Series) -> pd.Series:
    """Working days after `start` up to and including `end`, per row (NaN where either date is missing).

    An end before its start gives a negative count, as numpy's busday_count does. Friday 3 May 2024 to
    Tuesday 7 May is 1 (Monday 6 May was a bank holiday); Friday 10 May to Monday 13 May is 1:

    >>> start = pd.to_datetime(pd.Series(["2024-05-03", "2024-05-10", None]))
    >>> working_days(start, pd.to_datetime(pd.Series(["2024-05-07", "2024-05-13", "2024-05-13"]))).tolist()
    [1.0, 1.0, nan]
    """
    ok = start.notna() & end.notna()
    out = pd.Series(np.nan, index=start.index)
    if ok.any():
        a = start[ok].to_numpy().astype("datetime64[D]")
        b = end[ok].to_numpy().astype("datetime64[D]")
        years = pd.DatetimeIndex(np.concatenate([a, b]))
        hols = bank_holidays(years.year.min(), years.year.max())
        out[ok] = np.busday_count(a + 1, b + 1, holidays=hols)
    return out
