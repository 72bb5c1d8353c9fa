"""The one exception type users see."""


class CscError(Exception):
    """A problem with the user's input or files, reported as a single line.

    The CLI prints the message without a traceback and exits non-zero; notebooks
    show it as the cell's error. The message names the file, column or value and
    what was expected.
    """
