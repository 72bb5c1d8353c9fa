"""Property-based tests of the published-data loader: damaged or odd files give either the
right data or a one-line error naming the file, never a silently changed value."""

import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csc_analysis import cells, ees, load
from csc_analysis.catalogue import load_catalogue
from csc_analysis.errors import CscError

C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
C1_INDICATORS = ["referrals", "rereferrals", "rereferral_pct", "referrals_nfa_pct"]
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def c1_text(data_folder):
    return (data_folder / C1).read_text(encoding="utf-8")


def folder_with_c1(data_folder: Path, text: str | bytes) -> Path:
    """A data folder linking the real files, with the c1 download replaced."""
    folder = Path(tempfile.mkdtemp(prefix="csc-robust-"))
    for path in load.source_files(data_folder):
        (folder / path.relative_to(data_folder)).parent.mkdir(parents=True, exist_ok=True)
        (folder / path.relative_to(data_folder)).symlink_to(path)
    (folder / C1).unlink()
    (folder / C1).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return folder


def published_c1(data_folder: Path, text: str | bytes) -> pd.DataFrame:
    """`load.published` (no cache) on a data folder whose c1 download is `text`, reading only the c1
    indicators: the whole catalogue would re-parse every bundled file for each generated example."""
    catalogue = {i: ind for i, ind in load_catalogue().items() if i in C1_INDICATORS}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load, "load_catalogue", lambda: catalogue)
        return load.published(folder_with_c1(data_folder, text), use_cache=False)


def c1_rows(tidy):
    rows = tidy[tidy.indicator.isin(C1_INDICATORS)]
    return rows.set_index(["indicator", "year", "geographic_level", "la_name"]).sort_index()


@SLOW
@given(data=st.data())
def test_symbol_anywhere_stays_a_symbol(data_folder, c1_text, published, data):
    frame = pd.read_csv(pd.io.common.StringIO(c1_text), dtype=str, keep_default_na=False)
    column = data.draw(
        st.sampled_from(["referral_count", "rereferral_count", "rereferral_percent", "no_further_action_percent"])
    )
    row = data.draw(st.integers(0, len(frame) - 1))
    symbol = data.draw(st.sampled_from(cells.SYMBOLS))
    frame.loc[row, column] = symbol
    tidy = published_c1(data_folder, frame.to_csv(index=False))
    indicator = {
        "referral_count": "referrals",
        "rereferral_count": "rereferrals",
        "rereferral_percent": "rereferral_pct",
        "no_further_action_percent": "referrals_nfa_pct",
    }[column]
    level = ees.LEVELS[frame.loc[row, "geographic_level"]]
    hit = tidy[
        (tidy.indicator == indicator)
        & (tidy.year == int(frame.loc[row, "time_period"]))
        & (tidy.geographic_level == level)
    ]
    if level == "la":
        hit = hit[hit.la_code == frame.loc[row, "old_la_code"]]
    elif level == "regional":
        hit = hit[hit.la_name == frame.loc[row, "region_name"]]
    assert len(hit) == 1
    assert math.isnan(hit.value.item()) and hit.status.item() == symbol


@SLOW
@given(cut=st.floats(0.05, 0.999))
def test_truncated_file_is_an_error_or_a_faithful_prefix(data_folder, c1_text, published, cut):
    text = c1_text[: int(len(c1_text) * cut)]
    try:
        tidy = published_c1(data_folder, text)
    except CscError as err:
        assert C1 in str(err) and "\n" not in str(err)
        return
    got, full = c1_rows(tidy), c1_rows(published)
    # Whatever was read must be exactly what the full file says.
    pd.testing.assert_series_equal(got["value"], full.loc[got.index, "value"])


@SLOW
@given(row=st.integers(1, 2000))
def test_duplicate_row_is_an_error(data_folder, c1_text, row):
    lines = c1_text.splitlines(keepends=True)
    lines.insert(row + 1, lines[row])
    with pytest.raises(CscError, match="more than one row"):
        published_c1(data_folder, "".join(lines))


@SLOW
@given(position=st.integers(0, 20), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_extra_column_and_encoding_change_nothing(data_folder, c1_text, published, position, encoding):
    frame = pd.read_csv(pd.io.common.StringIO(c1_text), dtype=str, keep_default_na=False)
    frame.insert(position, "extra_notes", "n/a")
    tidy = published_c1(data_folder, frame.to_csv(index=False).encode(encoding))
    pd.testing.assert_frame_equal(c1_rows(tidy), c1_rows(published))


@given(codes=st.lists(st.from_regex(r"0\d{2}", fullmatch=True), min_size=1, max_size=5))
def test_leading_zeros_in_codes_survive(tmp_path_factory, codes):
    path = tmp_path_factory.mktemp("lz") / "f.csv"
    lines = ["time_period,geographic_level,region_name,old_la_code,new_la_code,la_name,v"]
    lines += [f"2024,Local authority,North West,{c},E0800000{i},LA {i},1" for i, c in enumerate(codes)]
    path.write_text("\n".join(lines) + "\n")
    frame = ees.read_ees_csv(path, ees.GEOGRAPHY)
    assert list(frame.old_la_code) == codes
    geo = ees.geography(frame, path)
    assert list(geo.la_code) == codes


def test_values_are_unchanged_by_a_round_trip_through_the_cache(published):
    again = load.published()
    assert np.array_equal(again["value"].to_numpy(), published["value"].to_numpy(), equal_nan=True)


EES_HEADER = b"time_period,geographic_level,region_name,old_la_code,new_la_code,la_name,x\n"


@pytest.mark.parametrize("byte", [b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"])
def test_byte_undefined_in_cp1252_is_a_one_line_error(tmp_path, byte):
    # 0xE9 is cp1252 'e acute', so the file is not UTF-8; the byte tested has no meaning in cp1252 either.
    line2 = b"2024,National,,,,Engl\xe9nd,1\n"
    path = tmp_path / "f.csv"
    path.write_bytes(EES_HEADER + line2 + b"2025,National,,,,England" + byte + b",2\n")
    offset = len(EES_HEADER) + len(line2) + len(b"2025,National,,,,England")  # 75 + 27 + 24 = 126
    assert offset == 126
    with pytest.raises(CscError) as err:
        ees.read_ees_csv(path, ees.GEOGRAPHY)
    text = str(err.value)
    assert "f.csv" in text and f"0x{byte[0]:02X}" in text and "offset 126" in text and "line 3" in text
    assert "\n" not in text


def test_truncated_utf16_is_a_one_line_error(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("time_period\n2024\n".encode("utf-16") + b"\x32")  # a lone trailing byte
    with pytest.raises(CscError, match=r"f.csv: .*UTF-16") as err:
        ees.read_ees_csv(path, ees.GEOGRAPHY)
    assert "\n" not in str(err.value)


def test_header_only_file_is_a_one_line_error(data_folder, c1_text):
    header = c1_text.splitlines()[0] + "\n"
    with pytest.raises(CscError, match=f"{C1}: has a header row but no data rows$"):
        published_c1(data_folder, header)


REGIONS = {"NORTH WEST": ("North West", "E12000002")}


def _write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "SFR_test.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_sfr_reader_windows_1252_blank_lines_and_trailing_commas(tmp_path):
    # Windows-1252 name (0x92 right quote), CRLF line endings, a blank separator line, trailing empty fields.
    path = _write(
        tmp_path,
        "geog_l,geog_c,geog_n,Total\r\nNational,921,England,10\r\nGOR,B,North West ,5\r\n"
        ",,,\r\nLA,353,Oldham\u2019s,x,,\r\n",
        encoding="cp1252",
    )
    frame, geo = ees.read_sfr_csv(path, 2012, ["Total"], REGIONS)
    assert list(frame["Total"]) == ["10", "5", "x"]
    assert list(geo["geographic_level"]) == ["national", "regional", "la"]
    assert list(geo["la_name"]) == ["England", "North West", "Oldham\u2019s"]
    assert list(geo["new_la_code"][:2]) == ["E92000001", "E12000002"] and pd.isna(geo["new_la_code"].iloc[2])
    assert set(geo["year"]) == {2012}


@pytest.mark.parametrize(
    "text, message",
    [
        ("geog_l,geog_c,geog_n,Total\nLA,353,Oldham\n", "line 2 has 3 fields, expected 4"),
        ("geog_l,geog_c,geog_n,Total\nLA,353,Oldham,1,7\n", "line 2 has 5 fields"),
        ("geog_l,geog_c,geog_n,Total\nWard,353,Oldham,1\n", "geog_l 'Ward' is not National"),
        ("geog_l,geog_c,geog_n,Total\nGOR,Z,Wales,1\n", "region 'Wales' is not an English region"),
        ("geog_l,geog_c,geog_n,Total\nLA,35,Oldham,1\n", "LA code '35' is not a 3-digit code"),
        ("geog_l,geog_c,Total\nLA,353,1\n", "missing column(s) geog_n"),
        ("", "file is empty"),
    ],
)
def test_sfr_reader_rejects_damaged_files_with_one_line(tmp_path, text, message):
    with pytest.raises(CscError, match=None) as err:
        ees.read_sfr_csv(_write(tmp_path, text), 2012, ["Total"], REGIONS)
    assert message in str(err.value) and "\n" not in str(err.value)
