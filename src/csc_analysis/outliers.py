"""Implausible source values: published figures whose year-on-year change is extreme for their indicator.

Values are flagged, never dropped or altered: the published figure may be right (a real change, a
reorganisation) or a data-entry error, and only the LA can say which. The rule (README,
"Benchmarking rules"), per indicator across every LA-year:

- the change from one year to the next is measured as log(value in Y+1 / value in Y), for
  consecutive years with both values positive;
- a change is extreme when it is further than K median absolute deviations (MAD) from the median
  change of that indicator over all LAs and years (robust to the outliers it looks for);
- of the two values either side of an extreme change, the one further (in log) from the mean of the
  three years centred on it (two at the ends of a series) is flagged: a one-year spike flags the
  spike, not the years either side;
- a 0 between two non-zero years is flagged too (log changes cannot see it).
"""

import numpy as np
import pandas as pd

K = 4.0  # MADs: year-on-year changes are heavy-tailed; on the bundled data 4 MADs flags under 3% of LA values


def implausible(tidy: pd.DataFrame, k: float = K, la_code: str | None = None) -> pd.DataFrame:
    """Every flagged LA value. Columns: indicator, la_code, year, value, note (a short reason).

    `la_code`: only that LA's flagged values (the rule still measures changes over every LA), without writing
    a note for each of the other LAs' (a page shows one LA's).
    """
    from .catalogue import format_value, get

    la = (
        tidy.loc[(tidy["geographic_level"] == "la") & tidy["value"].notna(), ["indicator", "la_code", "year", "value"]]
        .sort_values(["indicator", "la_code", "year"])
        .reset_index(drop=True)
    )
    series = la.groupby(["indicator", "la_code"], sort=False)
    prev_v = series["value"].shift(1).where(series["year"].shift(1) == la["year"] - 1)
    next_v = series["value"].shift(-1).where(series["year"].shift(-1) == la["year"] + 1)
    change = np.log(next_v.where(next_v > 0) / la["value"].where(la["value"] > 0))
    centre = change.groupby(la["indicator"]).transform("median")
    mad = (change - centre).abs().groupby(la["indicator"]).transform("median")
    extreme = ((change - centre).abs() > k * mad) & (mad > 0)
    # How far each value sits from the (log) mean of the three years centred on it (two at either end
    # of a series): the odd one out of an extreme change is the end that sits further from its window.
    log_v = np.log(la["value"].where(la["value"] > 0))
    window = pd.concat([np.log(prev_v.where(prev_v > 0)), log_v, np.log(next_v.where(next_v > 0))], axis=1)
    odd = (log_v - window.mean(axis=1)).abs()
    odd_next = odd.groupby([la["indicator"], la["la_code"]]).shift(-1)
    here_further = ~(odd < odd_next)  # ties and missing neighbours flag the earlier value
    flag_here = extreme & here_further
    flag_next = (extreme & ~here_further).groupby([la["indicator"], la["la_code"]]).shift(1, fill_value=False)
    zero = (la["value"] == 0) & (prev_v > 0) & (next_v > 0)

    flagged = flag_here | flag_next | zero
    if la_code is not None:
        flagged &= la["la_code"] == la_code
    picked = np.flatnonzero(flagged)
    notes = []
    for i in picked:
        row = la.iloc[i]
        unit = get(row.indicator).unit
        value, before, after = (
            format_value(v, unit, row.indicator) for v in (row.value, prev_v.iloc[i], next_v.iloc[i])
        )
        if zero.iloc[i]:
            notes.append(f"{value} between {before} in {row.year - 1} and {after} in {row.year + 1}")
        elif flag_here.iloc[i]:
            notes.append(f"{value}, then {after} in {row.year + 1} ({np.expm1(change.iloc[i]) * 100:+.0f}%)")
        else:
            notes.append(f"{value}, after {before} in {row.year - 1} ({np.expm1(change.iloc[i - 1]) * 100:+.0f}%)")
    out = la.iloc[picked].copy()
    out["note"] = [f"unusual value, kept as published: {n}" for n in notes]
    return out.reset_index(drop=True)


def flag_sentence(rows: pd.DataFrame, la_name: str) -> str:
    """One sentence listing an LA's flagged values (`rows` has label, year and flag), or ''.

    >>> rows = pd.DataFrame({"label": ["Referrals", "Referrals"], "year": [2023, 2024],
    ...                      "flag": ["unusual value, kept as published: 10x the year before", None]})
    >>> flag_sentence(rows, "Oldham")  # doctest: +ELLIPSIS
    'Unusual values for Oldham, shown with a ▼ ... conclusions): Referrals 2023: 10x the year before.'
    >>> flag_sentence(rows.iloc[1:], "Oldham")
    ''
    """
    flagged = rows[rows["flag"].notna()]
    if flagged.empty:
        return ""
    items = "; ".join(
        f"{label} {year}: {flag.removeprefix('unusual value, kept as published: ')}"
        for label, year, flag in zip(flagged["label"], flagged["year"], flagged["flag"])
    )
    return (
        f"Unusual values for {la_name}, shown with a ▼ and kept as published (check them with the source "
        f"before drawing conclusions): {items}."
    )
