"""Issue #16 item 10: spending for 2022-23 to 2024-25 in real terms, with a GDP deflator the analyst supplies.

tests/fixtures/deflator/test_values_gdp_deflators.csv holds made-up TEST VALUES (not HM Treasury figures):
2022-23 100, 2023-24 105, 2024-25 110.
"""

from pathlib import Path

import pandas as pd
import pytest

from csc_analysis import benchmark, deflator, report
from csc_analysis.errors import CscError
from csc_analysis.words import wellbeing as words_wellbeing

FIXTURE = Path(__file__).parent / "fixtures" / "deflator" / "test_values_gdp_deflators.csv"
NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "05_placements_finance.ipynb"


def write(tmp_path: Path, text: str, name: str = "deflators.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_financial_years_as_the_year_they_end():
    # 2022-23 is the year to 31 March 2023: stored as 2023, as the RSX 2022-23 spend is (test_finance.py).
    table = deflator.read_deflator(FIXTURE)
    assert table.file == "test_values_gdp_deflators.csv"
    assert table.index.to_dict() == {2023: 100.0, 2024: 105.0, 2025: 110.0}


def test_headings_matched_tolerantly(tmp_path):
    # HM Treasury's own heading style, a four-digit end year and a thousands comma.
    path = write(tmp_path, 'Financial Year,GDP deflator at market prices (2022-23 = 100)\n2022/2023,"1,000"\n')
    assert deflator.read_deflator(path).index.to_dict() == {2023: 1000.0}
    path = write(tmp_path, "year,Index\n2024-25,98.5\n")
    assert deflator.read_deflator(path).index.to_dict() == {2025: 98.5}


def test_reads_excel(tmp_path):
    path = tmp_path / "deflators.xlsx"
    pd.DataFrame({"financial year": ["2023-24", "2024-25"], "GDP deflator": [105, 110]}).to_excel(path, index=False)
    assert deflator.read_deflator(path).index.to_dict() == {2024: 105.0, 2025: 110.0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "financial_year,deflator\n2023-24,105\n2024-26,110\n",
            "row 3: financial year '2024-26' is not a year like 2024-25",
        ),
        ("financial_year,deflator\n2024,110\n", "row 2: financial year '2024' is not a year like 2024-25"),
        ("financial_year,deflator\n2024-25,0\n", "row 2: deflator '0' for 2024-25 is not a positive number"),
        ("financial_year,deflator\n2024-25,-3\n", "row 2: deflator '-3' for 2024-25 is not a positive number"),
        ("financial_year,deflator\n2024-25,x\n", "row 2: deflator 'x' for 2024-25 is not a positive number"),
        ("financial_year,deflator\n2024-25,\n", "row 2: deflator '' for 2024-25 is not a positive number"),
        ("financial_year,deflator\n2024-25,110\n2024-25,111\n", "row 3: financial year '2024-25' is listed twice"),
        ("year_ending,deflator\n2024-25,110\n", "no financial year column"),
        ("financial_year,money GDP\n2024-25,110\n", "no deflator index column"),
    ],
)
def test_bad_files_are_one_line_errors_naming_file_row_and_value(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(CscError) as err:
        deflator.read_deflator(path)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_real_terms_worked_by_hand():
    # Oldham's RSX net current expenditure on children's social care (£ thousands), as quoted in
    # tests/test_finance.py: RSX_2022-23_data_by_LA.ods row 281 "E4204 | E08000004 | Oldham" -> 61007;
    # RSX_2023-24_data_by_LA.ods row 272 -> 79140; RSX_LA_Data_2024-25_data_by_LA.ods -> 86163.
    # At 2024-25 prices with the test index (100, 105, 110):
    #   2022-23: 61,007 x 110 / 100 = 67,107.7;  2023-24: 79,140 x 110 / 105 = 82,908.571...;  2024-25: 86,163.
    #   real change from 2022-23: 2023-24 82,908.57 / 67,107.7 - 1 = 23.5455%; 2024-25 86,163 / 67,107.7 - 1
    #   = 28.395%; cash change 2022-23 -> 2024-25: 86,163 / 61,007 - 1 = 41.235%.
    table = pd.DataFrame(
        {
            "indicator": ["csc_net_spend"] * 3 + ["cla_rate_per_10k"],
            "year": [2023, 2024, 2025, 2025],
            "value": [61007.0, 79140.0, 86163.0, 91.0],
        }
    )
    real = deflator.real_terms(table, deflator.read_deflator(FIXTURE))
    assert list(real["indicator"].unique()) == ["csc_net_spend"]  # only the spend indicators are re-priced
    assert real["value_real"].tolist() == pytest.approx([67107.7, 82908.5714, 86163.0])
    assert real["real_change_pct"].tolist() == pytest.approx([0.0, 23.5455, 28.3951], abs=1e-3)
    assert real["cash_change_pct"].iloc[-1] == pytest.approx(41.2346, abs=1e-3)
    assert set(real["base_year"]) == {2025}
    # At 2023-24 prices instead: 61,007 x 105 / 100 = 64,057.35.
    assert deflator.real_terms(table, deflator.read_deflator(FIXTURE), 2024)["value_real"].iloc[0] == pytest.approx(
        64057.35
    )
    # 86,163 / 67,107.7 = 1.284: "28% above"; 41% in cash; £67,107.7k shows as £67.1m.
    assert words_wellbeing.real_spend_sentence(real, "Oldham", "test_values_gdp_deflators.csv") == (
        "In real terms, at 2024/25 prices (GDP deflator from test\\_values\\_gdp\\_deflators.csv), Oldham's net spend "
        "of £61.0m in 2022/23 is £67.1m, so the £86.2m of 2024/25 is 28% above it (41% above in cash)."
    )


def test_real_terms_on_the_bundled_spend(published, oldham_neighbours):
    # The same figures read through the package: csc_net_spend 61007 (2023), 79140 (2024), 86163 (2025).
    target, sn_codes = oldham_neighbours
    table = benchmark.benchmark(published, target, sn_codes, ["csc_net_spend", "csc_net_spend_per_child"])
    real = deflator.real_terms(table, deflator.read_deflator(FIXTURE))
    spend = real[real["indicator"] == "csc_net_spend"].set_index("year")
    assert spend["value_real"].to_dict() == pytest.approx({2023: 67107.7, 2024: 82908.5714, 2025: 86163.0})
    # Per child: £975 (2022-23, 61,007,000 / 62,585) x 1.1 = £1,072.3; 2024-25 stays £1,345 (86,163,000 / 64,069).
    per_child = real[real["indicator"] == "csc_net_spend_per_child"].set_index("year")["value_real"]
    assert per_child[2023] == pytest.approx(61_007_000 / 62_585 * 1.1)
    assert per_child[2025] == pytest.approx(86_163_000 / 64_069)


def test_a_spend_year_the_file_does_not_cover_is_named(tmp_path):
    path = write(tmp_path, "financial_year,deflator\n2023-24,105\n2024-25,110\n", "short.csv")
    table = pd.DataFrame({"indicator": ["csc_net_spend"] * 2, "year": [2023, 2025], "value": [61007.0, 86163.0]})
    with pytest.raises(CscError, match=r"^short\.csv: no deflator for financial year 2022-23, .*2023-24 to 2024-25\)$"):
        deflator.real_terms(table, deflator.read_deflator(path))


def test_notebook_05_takes_a_deflator_and_says_how_without_one():
    assert "deflator" in report.declared_parameters(NOTEBOOK)
    assert "-p deflator=path/to/gdp_deflators.csv" in words_wellbeing.NO_DEFLATOR
    assert "GDP deflators at market prices, and money GDP" in words_wellbeing.NO_DEFLATOR
