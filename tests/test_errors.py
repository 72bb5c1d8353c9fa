"""Tests of `csc_analysis.errors`: the one-line messages `unreadable` gives for files the system will not open."""

import errno
from pathlib import Path

import pytest

from csc_analysis import localdata
from csc_analysis.errors import CscError, at_least, unreadable

from .test_localdata import ENTRY_POINTS

FOLDER_READERS = {"annexa.read_annex_a", "ssda903.read"}  # these take a folder of files too


@pytest.mark.parametrize("entry", [e for e in ENTRY_POINTS if e not in FOLDER_READERS])
def test_a_folder_given_for_a_file_is_a_one_line_error(tmp_path, entry):
    # A folder passed `exists()` and then `open()` raised IsADirectoryError: a traceback, not a message.
    folder = tmp_path / "List 3.csv"
    folder.mkdir()
    with pytest.raises(CscError) as err:
        ENTRY_POINTS[entry](folder)
    assert str(err.value) == f"{folder}: is a folder, expected a file"


def test_a_missing_local_file_is_named():
    with pytest.raises(CscError, match=r"^/no/such/folder/List 3\.csv: file not found$"):
        localdata.read_sheets("/no/such/folder/List 3.csv")


@pytest.mark.parametrize(
    "exc, message",
    [
        (FileNotFoundError(errno.ENOENT, "No such file or directory"), "data/List 3.csv: file not found"),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "data/List 3.csv: is a folder, expected a file"),
        (PermissionError(errno.EACCES, "Permission denied"), "data/List 3.csv: cannot read (Permission denied)"),
        (OSError(errno.EIO, "Input/output error"), "data/List 3.csv: cannot read (Input/output error)"),
        # No strerror (an OSError raised with a message only): the message itself is the reason.
        (OSError("the share went away"), "data/List 3.csv: cannot read (the share went away)"),
    ],
    ids=["missing", "folder", "permission", "io-error", "no-strerror"],
)
def test_unreadable_names_the_file_and_why_in_one_line(exc, message):
    err = unreadable(Path("data/List 3.csv"), exc)
    assert isinstance(err, CscError)
    assert str(err) == message


def test_unreadable_on_what_open_raises(tmp_path):
    missing, folder = tmp_path / "gone.csv", tmp_path / "a folder"
    folder.mkdir()
    for path, message in [(missing, f"{missing}: file not found"), (folder, f"{folder}: is a folder, expected a file")]:
        with pytest.raises(OSError) as raised:
            path.open()
        assert str(unreadable(path, raised.value)) == message


def test_a_number_below_what_makes_sense_is_named_with_its_unit():
    assert at_least(1, 1, "horizon", "year") == 1
    with pytest.raises(CscError, match=r"^months 0 must be at least 1 month$"):
        at_least(0, 1, "months", "month")
    with pytest.raises(CscError, match=r"^trend_years 2 must be at least 3 years$"):
        at_least(2, 3, "trend_years", "year")
    with pytest.raises(CscError, match=r"^asye_limit -1 must be at least 1 case$"):
        at_least(-1, 1, "asye_limit", "case")
