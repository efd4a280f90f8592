"""GPX points read as columns with numpy: every point of a file that has one byte-exact shape.

Why: ``gpx_bulk`` walks a file with a regular expression and turns each value into a Python
string and a float, ~2-3 us a point; on a decade of GPX exports that is most of a cold import.
Here no Python object is made per point: numpy reads all points of a file at once.

How:

1. A point from the middle of the file gives the *shape* (``gpx_bulk``'s template rules decide
   which points are plain enough): its fixed text (tags and whitespace, byte for byte) and, in
   between, its values, each ended by a quote (``lat``/``lon``) or by ``<``.
2. Every ``<trkpt`` of the file is a candidate. For all candidates at once, piece by piece,
   numpy compares the fixed text and finds where each value ends, so a candidate is *taken*
   only when its bytes are exactly the shape's fixed text with values between the pieces.
3. Values: a plain decimal (``-?digits[.digits]``, at most 15 digits) is its integer mantissa
   divided by a power of ten, both exact in float64, so the quotient is the correctly rounded
   number ``float`` gives; other numbers go through ``float`` itself. Times of the form
   ``YYYY-MM-DDTHH:MM:SS[.f]Z`` are read by ``gpx_bulk.utc_times``. Values the others would
   not read alike (unreadable, impossible times, time zones) leave their point untaken.
4. Runs of taken points become ``gpx_elements`` placeholders in a skeleton of the file;
   ``read_tracks`` reads the skeleton (names, types, segments, untaken points, damage), so the
   tracks are exactly the element reader's.

The answer is ``None`` (the caller goes on with ``gpx_bulk``) when no shape takes half of the
points, the file is not UTF-8 or ASCII, its markup or ``<trkpt`` are denser than any track's
(so memory stays within a few times the file's size), a placeholder would sit in a comment, CDATA section or
processing instruction, or the skeleton does not read cleanly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import numpy as np

from cramplog.errors import InputError
from cramplog.ingest import gpx_bulk, gpx_elements
from cramplog.ingest.track_samples import Samples
from cramplog.ingest.xmlsafe import ParseError, declared_encoding, decode_xml

_UTF8 = {"utf-8", "utf8", "utf-8-sig", "us-ascii", "ascii"}
_MARK = b"<trkpt"
_MAX_SHAPES = 3  # shapes tried per file
_MIN_POINT = 40  # bytes: a point with a position and a time takes more
_MAX_PIECE = 512  # longest fixed text between two values
_PAD = _MAX_PIECE + 64  # zero bytes after the data: every window stays inside the array
_MAX_VALUE = 48  # longest value read here (Garmin writes positions with 30+ digits)
_MAX_DIGITS = 15  # mantissa < 10**15 < 2**53: exact in float64
_NUMBERS = ("lat", "lon", "ele", "hr", "cad", "temp", "speed")
_CHANNELS = ("ele", "hr", "cad", "temp", "speed")
_POW10 = 10.0 ** np.arange(_MAX_DIGITS + 2)  # all exact (up to 1e22 they are)
# Bytes a value may hold (``gpx_bulk._VALUE``): numbers and times, no markup or references.
_VALUE_BYTE = np.zeros(256, dtype=bool)
_VALUE_BYTE[np.frombuffer(b"0123456789.:+,\t\r\n -", np.uint8)] = True
_VALUE_BYTE[ord("A") : ord("Z") + 1] = True
_VALUE_BYTE[ord("a") : ord("z") + 1] = True
_SPACE = np.zeros(256, dtype=bool)
_SPACE[np.frombuffer(b" \t\r\n", np.uint8)] = True


@dataclass(frozen=True)
class _Shape:
    pieces: tuple[bytes, ...]  # fixed text before the first value, between values, after the last
    ends: tuple[int, ...]  # the byte that ends each value: a quote or "<"
    columns: tuple[str | None, ...]  # the Samples field of each value; None = not read
    gap: bytes  # whitespace after a point when another follows
    prefixes: tuple[str, ...]  # namespace prefixes of the point's element names


def scan(data: bytes, text: str) -> list[Samples] | None:
    """The tracks ``gpx_elements.read_tracks`` reads from ``text`` (``data`` decoded), or None
    when this cannot tell."""
    if declared_encoding(data) not in _UTF8:
        return None
    views = _Views(np.frombuffer(data + bytes(_PAD), dtype=np.uint8))
    is_lt = views.arr[: len(data)] == 60
    if np.count_nonzero(is_lt) > len(data) // 4:
        return None  # markup denser than any track's: memory here grows with it
    lt = np.flatnonzero(is_lt)  # every "<"
    starts = lt[views.arr[lt + 1] == 116]  # "<t": trkpt, time, trk, trkseg, type, ...
    starts = starts[(views[len(_MARK)][starts] == _MARK)
                    & _SPACE[views.arr[starts + len(_MARK)]]]  # fmt: skip
    n = len(starts)
    if n == 0 or n * _MIN_POINT > len(data):
        return None  # no points, or more than a track can hold (bounded memory)
    taken = np.full(n, -1)  # shape number of each candidate, -1 = not taken
    ends = np.zeros(n, dtype=np.int64)
    cols = {key: np.full(n, np.nan) for key in ("t", *_NUMBERS)}
    shapes: list[_Shape] = []
    for _ in range(_MAX_SHAPES):
        left = np.flatnonzero(taken < 0)
        if len(left) == 0:
            break
        shape = _shape_of(text, data, starts[left])
        if shape is None:
            break
        ok, point_ends, values = _read(views, lt, starts[left], shape, len(data))
        if not ok.any():
            break
        chosen = left[ok]
        taken[chosen] = len(shapes)
        ends[chosen] = point_ends[ok]
        for key, v in values.items():
            cols[key][chosen] = v[ok]
        shapes.append(shape)
    if (taken >= 0).sum() * 2 < n:
        return None
    return _read_skeleton(data, starts, ends, taken, cols, shapes, views)


def _shape_of(text: str, data: bytes, candidates: np.ndarray) -> _Shape | None:
    """The shape of a candidate from the middle of those left (then the first, the last)."""
    ascii_lead = len(data) - len(text) if data.isascii() else None  # bytes decode_xml stripped
    for i in dict.fromkeys((len(candidates) // 2, 0, len(candidates) - 1)):
        start = int(candidates[i])
        # where that byte is in the text (decoded as decode_xml does, leading space stripped)
        if ascii_lead is not None:
            char = start - ascii_lead
        else:
            char = len(data[:start].decode("utf-8-sig").lstrip(" \t\r\n\ufeff"))
        shape = _shape_at(text, char)
        if shape is not None:
            return shape
    return None


def _shape_at(text: str, start: int) -> _Shape | None:
    if not 0 <= start < len(text) or not text.startswith("<trkpt", start):
        return None
    tpl = gpx_bulk.template_at(text, start)
    if tpl is None:
        return None
    m = tpl.every.match(text, start)
    if m is None:
        return None
    spans = [m.span(g) for g in range(1, len(tpl.every_columns) + 1)]
    pieces = [text[start : spans[0][0]]]
    pieces += [text[a[1] : b[0]] for a, b in zip(spans, spans[1:], strict=False)]
    tail = text[spans[-1][1] : m.end()]
    close = tail.rindex(">") + 1
    pieces.append(tail[:close])
    if not all(p.isascii() and len(p) <= _MAX_PIECE for p in pieces):
        return None
    return _Shape(
        pieces=tuple(p.encode("ascii") for p in pieces),
        ends=tuple(ord(text[b]) for _, b in spans),
        columns=tpl.every_columns,
        gap=tail[close:].encode("ascii"),
        prefixes=tpl.prefixes,
    )


class _Views(dict[int, np.ndarray]):
    """The data as strings of each width, one starting at every byte (made once a width):
    ``self[w][pos]`` copies the ``w`` bytes at each position in one step."""

    def __init__(self, arr: np.ndarray) -> None:
        super().__init__()
        self.arr = arr

    def __missing__(self, width: int) -> np.ndarray:
        self[width] = view = np.ndarray(
            (len(self.arr) - width + 1,), dtype=f"S{width}", buffer=self.arr, strides=(1,)
        )
        return view

    def rows(self, width: int, pos: np.ndarray) -> np.ndarray:
        """The ``width`` bytes at each position, one row each (a uint8 matrix)."""
        return self[width][pos].view(np.uint8).reshape(len(pos), width)


def _all(mask: np.ndarray) -> np.ndarray:
    """Which rows of a boolean matrix are all true (one comparison a row, not one a cell)."""
    return mask.view(f"S{mask.shape[1]}")[:, 0] == b"\x01" * mask.shape[1]


def _fixed(views: _Views, pos: np.ndarray, piece: bytes, limit: int) -> np.ndarray:
    """Which positions hold ``piece``."""
    if not piece:
        return pos <= limit
    return (views[len(piece)][np.minimum(pos, limit)] == piece) & (pos <= limit)


def _read(
    views: _Views, lt: np.ndarray, starts: np.ndarray, shape: _Shape, size: int
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """For each candidate: is it ``shape``, where it ends, and its values.

    A value ended by ``<`` ends at the k-th ``<`` after the point's own, k counted in the
    shape's fixed text before it (``lt`` holds where each ``<`` of the file is); the fixed text
    checked after it proves there was no other ``<`` in between. A value ended by a quote is
    looked for in a window.
    """
    n = len(starts)
    rows = np.arange(n)
    ok = np.ones(n, dtype=bool)
    first_lt = np.searchsorted(lt, starts)
    pos = starts
    values: dict[str, np.ndarray] = {}
    numbers: list[tuple[str | None, np.ndarray, np.ndarray]] = []  # read together at the end
    seen = 0  # "<" in the fixed text so far
    for piece, end, key in zip(shape.pieces, shape.ends, shape.columns, strict=False):
        ok &= _fixed(views, pos, piece, size)
        first = np.minimum(pos + len(piece), size)
        seen += piece.count(b"<")
        if end == 60:
            at = first_lt + seen
            last = at >= len(lt)
            stop = lt[np.where(last, 0, at)] if len(lt) else first
            length = stop - first
            ok &= ~last & (length >= 0) & (length <= _MAX_VALUE)
            length = np.clip(length, 0, _MAX_VALUE)
        else:
            hit = views.rows(_MAX_VALUE + 1, first) == end
            length = hit.argmax(axis=1)
            ok &= hit[rows, length]
        if key == "t":
            values["t"], good = _times(views, first, length)
            ok &= good
        else:  # a value not read is checked as a number too: it must be one to be skipped
            numbers.append((key, first, length))
        pos = first + length
    ok &= _fixed(views, pos, shape.pieces[-1], size)
    if numbers:
        v, good = _numbers(
            views,
            np.concatenate([f for _, f, _ in numbers]),
            np.concatenate([ln for _, _, ln in numbers]),
        )
        for j, (key, _, _) in enumerate(numbers):
            if key is not None:
                values[key] = v[j * n : (j + 1) * n]
            ok &= good[j * n : (j + 1) * n]
    return ok, pos + len(shape.pieces[-1]), values


def _times(views: _Views, first: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Epoch seconds of each ``YYYY-MM-DDTHH:MM:SS[.f]Z`` time, and which were such times."""
    secs = np.full(len(first), np.nan)
    ok = np.zeros(len(first), dtype=bool)
    counts = np.bincount(length, minlength=31)
    for width in np.flatnonzero(counts[:31]).tolist():
        if width == 20 or 22 <= width <= 30:
            sel = np.flatnonzero(length == width) if counts[width] < len(first) else None
            rows = views.rows(width, first if sel is None else first[sel])
            s, good = gpx_bulk.utc_rows(rows)
            if sel is None:
                return s, good
            secs[sel], ok[sel] = s, good
    return secs, ok


def _numbers(views: _Views, first: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``float`` of each value (``length`` bytes from ``first``), and which were read.

    Values of one length whose dot (if any) sits where the first one's does are read by one
    matrix product; the others by ``_numbers_any``.
    """
    n = len(first)
    value = np.full(n, np.nan)
    good = np.zeros(n, dtype=bool)
    longest = _MAX_DIGITS + 2  # a sign, the digits and a dot
    counts = np.bincount(length, minlength=longest + 1)[: longest + 1]
    for size in np.flatnonzero(counts >= 8).tolist():
        if size == 0:
            continue
        sel = np.flatnonzero(length == size)
        rows = views.rows(size, first[sel])
        dots = np.flatnonzero(rows[0] == 46)
        dot = int(dots[0]) if len(dots) == 1 else -1
        code = rows - np.uint8(48)  # other bytes wrap round to >= 10; "." is 254, "-" 253
        bound = np.full(size, 10, dtype=np.uint8)
        bound[0] = 255  # a sign or a digit: checked below
        if dot >= 0:
            bound[dot] = 255
        fine = _all(code < bound)
        if dot >= 0:
            fine &= rows[:, dot] == 46
        neg = (code[:, 0] == 253) & (dot != 0)
        fine &= (code[:, 0] < 10) | neg | (dot == 0)
        digits = size - (dot >= 0) - neg
        fine &= (digits >= 1) & (digits <= _MAX_DIGITS)
        # a digit weighs 10 ** (digits right of it); the dot and the sign weigh nothing
        after = np.maximum(np.arange(size - 1, -1, -1) - (np.arange(size) < dot), 0)
        weight = _POW10[after]
        if dot >= 0:
            weight[dot] = 0.0
        code[neg, 0] = 0
        mantissa = code.astype(np.float64) @ weight  # every product and sum exact (< 2**53)
        v = mantissa / _POW10[size - 1 - dot if dot >= 0 else 0]
        take = sel[fine]
        value[take] = np.where(neg, -v, v)[fine]
        good[take] = True
    rest = np.flatnonzero(~good)
    if len(rest):
        value[rest], good[rest] = _numbers_any(views, first[rest], length[rest])
    return value, good


def _numbers_any(
    views: _Views, first: np.ndarray, length: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``_numbers`` for values of any length and layout: Python's ``float`` of each, when every
    byte is one a value may hold (so the XML parser would see the same text)."""
    n = len(first)
    value = np.full(n, np.nan)
    good = np.zeros(n, dtype=bool)
    width = int(length.max()) if n else 0
    if width == 0:
        return value, good
    rows = views.rows(width, first)
    outside = np.arange(width) >= length[:, None]
    rows[outside] = 0  # a string ends at its first NUL byte
    fit = _all(_VALUE_BYTE[rows] | outside) & (length > 0)
    texts = rows[fit].view(f"S{width}")[:, 0].tolist()
    for i, text in zip(np.flatnonzero(fit).tolist(), texts, strict=True):
        try:
            value[i] = float(text)
        except ValueError:
            continue  # unreadable: read_point's NaN, or its odd lat/lon case; left to it
        good[i] = True
    return value, good


def _read_skeleton(
    data: bytes,
    starts: np.ndarray,
    ends: np.ndarray,
    taken: np.ndarray,
    cols: dict[str, np.ndarray],
    shapes: list[_Shape],
    views: _Views,
) -> list[Samples] | None:
    """The file with each run of taken points replaced by a placeholder, read by read_tracks."""
    idx = np.flatnonzero(taken >= 0)
    # a run goes on while the next candidate is taken, with the same shape, right after the gap
    a, b = idx[:-1], idx[1:]
    joined = (b == a + 1) & (taken[a] == taken[b])
    for k, shape in enumerate(shapes):
        sel = joined & (taken[a] == k)
        if sel.any():
            here, there = ends[a[sel]], starts[b[sel]]
            gap = _fixed(views, here, shape.gap, len(data))
            joined[sel] = (there - here == len(shape.gap)) & gap
    breaks = np.flatnonzero(~joined) + 1
    firsts = np.concatenate(([0], breaks))
    lasts = np.concatenate((breaks, [len(idx)]))
    runs: list[Samples] = []
    out: list[bytes] = []
    prev = 0
    for a, b in zip(firsts.tolist(), lasts.tolist(), strict=True):
        sel = idx[a:b]
        shape = shapes[int(taken[sel[0]])]
        attrs = "".join(f' {p}:_{j}=""' for j, p in enumerate(shape.prefixes))
        out.append(data[prev : int(starts[sel[0]])])
        out.append(f'<run xmlns="{gpx_elements.RUN_NS}" i="{len(runs)}"{attrs}/>'.encode())
        prev = int(ends[sel[-1]])
        run = Samples(t=_channel(cols["t"][sel]), lat=_channel(cols["lat"][sel]),
                      lon=_channel(cols["lon"][sel]))  # fmt: skip
        for key in _CHANNELS:
            if key in shape.columns:
                setattr(run, key, _channel(cols[key][sel]))
            else:  # the points have no such value: the readers' "nothing" (track_samples)
                setattr(run, key, [math.nan] * len(sel))
        runs.append(run)
    out.append(data[prev:])
    try:
        skeleton = decode_xml(b"".join(out), "", "GPX")
    except InputError:
        return None
    if gpx_bulk.hides_a_run(skeleton):
        return None
    try:
        return gpx_elements.read_tracks(skeleton, "", [], runs)
    except ParseError:
        return None


def _channel(values: np.ndarray) -> list[float]:
    """A column as a Samples channel: ``Samples`` takes float64 arrays as well as lists
    (``gpx_elements`` appends runs to them as such)."""
    return cast("list[float]", values)
