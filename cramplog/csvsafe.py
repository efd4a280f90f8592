"""Spreadsheet-formula safety for every CSV cell cramplog writes (issue 9).

A spreadsheet opening a CSV treats a text cell that starts with ``=``, ``+``, ``-`` or ``@``
(and, in some programs, a leading tab or carriage return) as a formula: an activity title
such as ``=HYPERLINK("http://evil", "click")`` taken from a watch export would run when the
athlete opens the report. ``safe_cell`` neutralises such text by prefixing a single quote,
the convention spreadsheets themselves use for "this is text" (OWASP "CSV injection").

Only ``str`` values are touched: numbers, including negative ones, booleans and ``None``
pass through unchanged, so numeric columns stay numeric.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` made safe to write into a CSV cell.

    >>> safe_cell("=1+2")
    "'=1+2"
    >>> safe_cell(-3.5)
    -3.5
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
