"""Working days as the national timeliness measures count them.

Working days are weekdays that are not England and Wales bank holidays (from the maintained
`holidays` calendar, which includes one-off days such as the 2023 coronation). The number of
working days from A to B counts those after A up to and including B: Friday to the next Monday is 1.
"""

import holidays
import numpy as np
import pandas as pd


def bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    """England and Wales bank holidays from 1 January `first_year` to 31 December `last_year`."""
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def working_days(start: pd.Series, end: pd.Series) -> pd.Series:
    """Working days after `start` up to and including `end`, per row (NaN where either date is missing).

    An end before its start gives a negative count, as numpy's busday_count does.
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
