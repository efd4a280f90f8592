"""Activity CSVs: cramplog's own, Garmin Connect ``Activities.csv``, Strava ``activities.csv``.

The dialect is recognised from the header line, never from the file name:

- Strava: ``Activity ID`` / ``Activity Date`` (or the German ``Aktivitäts-ID`` /
  ``Aktivitätsdatum``) → ``cramplog.ingest.csv_strava``;
- Garmin Connect: ``Activity Type`` + ``Date`` (or the German, French or Spanish names)
  → ``cramplog.ingest.csv_garmin``;
- cramplog's own: ``start`` + ``sport`` → ``cramplog.ingest.csv_own`` (documented there).

Decoding: UTF-8 with or without a byte-order mark, else cp1252, else Latin-1. The separator
is sniffed from the header line (comma, semicolon or tab); with ``;`` numbers use a decimal
comma. Empty cells and ``--`` are missing (``None``), never zero.

Rows are read one at a time; a row that cannot become an activity is skipped with a warning
``row N: …`` where N is the row as a spreadsheet numbers it (the header is row 1). The file
is an ``InputError`` only when no row at all is usable.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from cramplog.errors import InputError
from cramplog.ingest.csv_values import DialectState
from cramplog.model import Activity, ParseResult

# Detailed row warnings kept per file; the rest are counted in one summary line.
MAX_ROW_WARNINGS = 50
SEPARATORS = (",", ";", "\t")
SNIFF_ROWS = 200  # rows looked at to tell a decimal comma from a decimal point

RowReader = Callable[[list[str], DialectState], "Activity | tuple[str, dict[str, Any]] | None"]


def decode(data: bytes) -> str:
    """Text of a CSV: UTF-8 (BOM or not), else cp1252, else Latin-1 (which never fails)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff_separator(text: str) -> str:
    """The separator that occurs most often outside quotes on the first line (``,`` on ties)."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for ch in text[:65536]:
        if ch == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif ch in counts:
            counts[ch] += 1
        elif ch in "\r\n":
            break
    best = max(SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def _records(reader: Any) -> Iterator[list[str] | csv.Error]:
    """The reader's records; a record the csv module cannot read is yielded as its error."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield exc


_DECIMAL_COMMA = re.compile(r"[+-]?\d+,(?:\d{1,2}|\d{4,})")
_DECIMAL_POINT = re.compile(r"[+-]?\d+\.(?:\d{1,2}|\d{4,})")


def decimal_comma_evidence(rows: Iterable[list[str]]) -> bool:
    """True when the numbers in ``rows`` use a decimal comma (``"24,61"``, ``"0,98"``).

    A comma or point followed by exactly three digits says nothing (``1,234`` / ``1.234``
    are thousands in one locale and decimals in the other); other cells vote, and the
    decimal comma needs the majority.
    """
    comma = point = 0
    for row in rows:
        for c in row:
            if len(c) > 24:
                continue
            c = c.strip()
            if _DECIMAL_COMMA.fullmatch(c):
                comma += 1
            elif _DECIMAL_POINT.fullmatch(c):
                point += 1
    return comma > point


def header_key(cell: str) -> str:
    """A header cell compared loosely: trimmed, lower case, single spaces, no BOM or quotes."""
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').lower().split())


def parse_csv(data: bytes, name: str, *, units: str | None = None) -> ParseResult:
    """Read an activity CSV (any of the three dialects) from its bytes.

    ``units`` is ``"km"`` (default) or ``"mi"``: the distance unit of a Garmin Connect export
    made by an account set to statute units (which then also writes feet and °F), or of a
    Strava export whose only distance column is the first one. A header that names its unit
    (``Distance (mi)``) wins over the hint.
    """
    from cramplog.ingest import csv_garmin, csv_own, csv_strava

    if units not in (None, "km", "mi", "metric", "statute", "imperial"):
        raise InputError(f"{name}: units must be 'km' or 'mi', not {units!r}")
    text = decode(data)
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    sep = sniff_separator(text.lstrip("\r\n"))
    ctx = DialectState(
        name=name, decimal_comma=sep == ";", miles=units in ("mi", "statute", "imperial")
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)

    header: list[str] = []
    rowno = 0
    while not any(c.strip() for c in header):
        rowno += 1
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{name}: the file is empty") from None
        except csv.Error as exc:
            raise InputError(f"{name}: not a readable CSV header ({exc})") from None
    keys = [header_key(c) for c in header]

    read_row: RowReader | None = None
    dialect: Any = None
    for dialect in (csv_strava, csv_garmin, csv_own):
        read_row = dialect.make_reader(keys, ctx)
        if read_row is not None:
            break
    if read_row is None:
        shown = ", ".join(repr(k[:30]) for k in keys[:6]) + (", …" if len(keys) > 6 else "")
        raise InputError(
            f"{name}: not a recognised activity CSV (expected cramplog, Garmin Connect or "
            "Strava columns: 'start' and 'sport'; 'Activity Type' and 'Date'; or "
            f"'Activity ID' and 'Activity Date'; found {shown})"
        )

    records = _records(reader)
    if sep != ";" and getattr(dialect, "SNIFF_DECIMAL_COMMA", False):
        head = list(itertools.islice(records, SNIFF_ROWS))
        ctx.decimal_comma = decimal_comma_evidence(r for r in head if isinstance(r, list))
        records = itertools.chain(head, records)

    result = ParseResult()
    skipped = 0
    dropped = 0
    first_row = rowno
    for row in records:
        rowno += 1
        ctx.row = rowno
        if isinstance(row, csv.Error):
            skipped += 1
            ctx.warn(f"unreadable CSV record ({row}); skipped")
            continue
        if not row or not any(c.strip() for c in row):
            continue
        try:
            out = read_row(row, ctx)
        except (ValueError, ArithmeticError) as exc:  # RowError, or a value out of range
            skipped += 1
            ctx.warn(f"{exc}; skipped")
            out = None
        if isinstance(out, Activity):
            result.activities.append(out)
        elif out is not None:
            result.fills[out[0]] = out[1]
        if len(ctx.warnings) > MAX_ROW_WARNINGS:
            dropped += len(ctx.warnings) - MAX_ROW_WARNINGS
            del ctx.warnings[MAX_ROW_WARNINGS:]

    result.warnings = [f"{name}: {w}" for w in ctx.warnings]
    if dropped:
        result.warnings.append(f"{name}: {dropped} more warnings not shown")
    if not result.activities and not result.fills:
        if skipped:
            raise InputError(
                f"{name}: no usable activity row ({skipped} rows skipped; first: "
                f"{ctx.warnings[0] if ctx.warnings else 'unknown reason'})"
            )
        raise InputError(f"{name}: the CSV has a header but no activity rows")
    if skipped:
        result.warnings.append(f"{name}: {skipped} of {rowno - first_row} rows skipped")
    return result
