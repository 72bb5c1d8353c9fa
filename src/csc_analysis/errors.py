"""The one exception type users see."""


class CscError(Exception):
    """A problem with the user's input or files, reported as a single line.

    The CLI prints the message without a traceback and exits non-zero; notebooks
    show it as the cell's error. The message names the file, column or value and
    what was expected.
    """


def unreadable(path: object, exc: OSError) -> CscError:
    """The one-line error for a file the operating system would not open: missing, or why it could not be read."""
    if isinstance(exc, FileNotFoundError):
        return CscError(f"{path}: file not found")
    if isinstance(exc, IsADirectoryError):
        return CscError(f"{path}: is a folder, expected a file")
    return CscError(f"{path}: cannot read ({exc.strerror or exc})")


def at_least(value: float, least: float, what: str, unit: str = "") -> float:
    """`value`, or the one-line error for a number the user gave below what makes sense.

    >>> at_least(3, 1, "horizon", "year")
    3
    >>> at_least(0, 1, "horizon", "year")
    Traceback (most recent call last):
    csc_analysis.errors.CscError: horizon 0 must be at least 1 year
    """
    if value < least:
        units = f" {unit}{'' if least == 1 else 's'}" if unit else ""
        raise CscError(f"{what} {value:g} must be at least {least:g}{units}")
    return value
