"""Values flagged as unusual (outliers): found on real series, never changed."""

import pandas as pd

from csc_analysis import outliers


def test_implausible_values_are_flagged_not_changed(published):
    # #13.9 csww 2025 file, Oldham (353) 2021/2022/2023: turnover_rate_fte 16.8 / 0 / 21.3 with leavers_fte
    # 30.2 / 0 / 34.5: a zero between non-zero years.
    # c1 file, Lancashire (888) referral_count 2013 15528, 2014 19460, 2015 12394, 2016 12156: the fall
    # of 36% from 2014 to 2015 (log change -0.45) is extreme for referrals, and 2014 is the odd year out.
    every = outliers.implausible(published)
    flags = every.set_index(["indicator", "la_code", "year"])
    assert ("turnover_rate_fte", "353", 2022) in flags.index
    assert ("referrals", "888", 2014) in flags.index
    assert ("referrals", "888", 2015) not in flags.index
    assert flags.loc[("referrals", "888", 2014), "value"] == 19460  # the value itself is untouched
    assert published.query("la_code == '353' and indicator == 'turnover_rate_fte' and year == 2022").value.item() == 0
    # One LA's flags (what a page shows) are exactly its rows of the full list: the rule still uses every LA.
    own = outliers.implausible(published, la_code="353")
    assert ("turnover_rate_fte", "353", 2022) in own.set_index(["indicator", "la_code", "year"]).index
    pd.testing.assert_frame_equal(own, every[every["la_code"] == "353"].reset_index(drop=True))
