"""Columnar GPX point scanner: the track points of a file, read in bulk by one regex pass.

Why: the element reader (``gpx_elements.read_tracks``) spends ~20 us per track point in
per-element Python, the largest single cost of importing a runner's year. Devices and Strava
write every point of a file in the same shape, so the shape of one point becomes a regular
expression (a *template*) that matches a whole point and captures its values; ``re.split``
with it walks the text at C speed, and the values are converted a column at a time (~2 us per
point in all).

The result is the one ``read_tracks`` gives, by construction:

- A template is made only from a point that holds nothing but ASCII-named elements without
  attributes (``lat`` and ``lon`` on the ``trkpt``), values of number and time characters, and
  whitespace between tags. The value a channel gets is the one ``read_point`` would take:
  ``SLOTS`` by local name, direct children or inside ``extensions``, the last one wins.
  Text a template matches is well-formed XML and makes no events ``read_tracks`` acts on.
- Each run of matched points is replaced by one placeholder element
  (``gpx_elements.RUN_NS``), and ``read_tracks`` reads that *skeleton*: track names, types,
  waypoints, damage, merging and the points of other shapes keep their exact behaviour; at a
  placeholder it appends the run. The placeholder uses every namespace prefix its points use,
  so an unbound prefix still fails.
- Anything else gives ``None`` (the caller reads the whole text with ``read_tracks``): no
  point makes a template, a placeholder would sit in a comment, CDATA section or processing
  instruction, the skeleton is not well-formed (so damage is reported on the original text),
  or a point has a ``lat`` but an unreadable ``lon`` (rare; left to ``read_point`` whole).
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

import numpy as np

from cramplog.ingest import gpx_elements
from cramplog.ingest.gpx_names import CAD, ELE, EXT, HR, SLOTS, SPEED, TEMP, TIME
from cramplog.ingest.track_samples import MAX_YEAR, MIN_YEAR, Samples, parse_time, to_float
from cramplog.ingest.xmlsafe import ParseError

_WS = "[ \t\r\n]*+"  # XML whitespace (``\\s`` would also take characters XML forbids)
_WS1 = "[ \t\r\n]++"
# What a value may hold: numbers and times. No markup, references or XML-illegal characters.
_VALUE = "[0-9A-Za-z.:+,\t\r\n -]*+"
_IS_VALUE = re.compile(_VALUE + r"\Z")
_IS_WS = re.compile(_WS + r"\Z")
_NAME = re.compile(r"(?:([A-Za-z_][A-Za-z0-9_.-]*):)?([A-Za-z_][A-Za-z0-9_.-]*)\Z")
_POINT_START = re.compile(  # groups: name, quote, value of the first attribute; the same
    f"<trkpt{_WS1}(lat|lon){_WS}={_WS}([\"'])({_VALUE})\\2"
    f"{_WS1}(lat|lon){_WS}={_WS}([\"'])({_VALUE})\\5{_WS}>"
)
_TOKEN = re.compile(r"([^<]*+)<(/?)([^<>]*+)>")  # text, then a start or end tag
_FIRST_POINT = re.compile(r"<trkpt[ \t\r\n]")
_POINT_END = re.compile(r"</trkpt[ \t\r\n]*+>")
_HIDDEN = re.compile(r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<\?.*?(?:\?>|\Z)", re.S)

_MAX_ELEMENTS = 32  # elements in one point; a Strava point has 7
_MAX_SHAPES = 4  # templates tried per file (points with and without heart rate, ...)
_TRIES = 3  # points tried for a template before giving up on the rest of the file
_CHANNELS = {ELE: "ele", TIME: "t", HR: "hr", CAD: "cad",
             TEMP: "temp", SPEED: "speed"}  # fmt: skip
_IN_EXTENSIONS = (HR, CAD, TEMP, SPEED)  # what read_point takes there
_NAN = math.nan


class _Unsure(Exception):
    """The points hold something this scanner does not reproduce; read the file the slow way."""


@dataclass(frozen=True)
class _Template:
    regex: re.Pattern[str]
    columns: tuple[str, ...]  # what each group holds: "lat", "lon", then Samples fields
    prefixes: tuple[str, ...]  # namespace prefixes of its element names
    every: re.Pattern[str]  # the same shape with every value a group (``gpx_columns``)
    every_columns: tuple[str | None, ...]  # what each of those holds; None = not read


def scan(text: str) -> list[Samples] | None:
    """The tracks ``gpx_elements.read_tracks`` reads from ``text``, or None when this cannot tell."""
    runs: list[Samples] = []
    skeleton = text
    for _ in range(_MAX_SHAPES):
        tpl = _find_template(skeleton)
        if tpl is None:
            break
        try:
            skeleton = _take_points(tpl, skeleton, runs)
        except _Unsure:
            return None
    if not runs:
        return None
    if hides_a_run(skeleton):
        return None  # a comment or CDATA section around points: the parser would skip them
    try:
        return gpx_elements.read_tracks(skeleton, "", [], runs)
    except ParseError:
        return None


def hides_a_run(skeleton: str) -> bool:
    """Whether a run placeholder sits in a comment, CDATA section or processing instruction."""
    mark = f'<run xmlns="{gpx_elements.RUN_NS}"'
    return any(mark in m.group() for m in _HIDDEN.finditer(skeleton))


def _find_template(text: str) -> _Template | None:
    """A template from one of the few points after the middle of ``text`` (or the first ones).

    From the middle, because the first points of a recording are the odd ones (no fix or no
    sensor yet); the middle is where the most common shape is most likely to be.
    """
    start = len(text) // 2
    for _ in range(_TRIES):
        m = _FIRST_POINT.search(text, start) or _FIRST_POINT.search(text)
        if m is None:
            return None
        tpl = template_at(text, m.start())
        if tpl is not None:
            return tpl
        start = m.end()
    return None


def template_at(text: str, start: int) -> _Template | None:
    """The template of the point starting at ``start``; None when its shape is not plain."""
    head = _POINT_START.match(text, start)
    if head is None or head.group(1) == head.group(4):
        return None
    tail = _POINT_END.search(text, head.end())
    if tail is None:
        return None
    body = text[head.end() : tail.start()]
    # element records: [slot it fills or 0, is a leaf]; pieces: regex text or the element
    # number whose content goes there
    elements: list[list[int]] = []
    pieces: list[str | int] = []
    stack: list[tuple[str, int, int]] = []  # open elements: name, number, slot of depth-1 one
    prefixes: set[str] = set()
    pos = 0
    just_opened = -1  # number of the element whose start tag came last, if nothing since
    while (tok := _TOKEN.match(body, pos)) is not None:
        if len(elements) >= _MAX_ELEMENTS:
            return None
        pos = tok.end()
        between, closing, raw = tok.groups()
        name = raw.rstrip(" \t\r\n")
        m = _NAME.match(name)
        if m is None or m.group(1) == "xmlns" or m.group(2) in gpx_elements.KINDS:
            return None
        if closing:
            if not stack or stack[-1][0] != name:
                return None
            number = stack.pop()[1]
            if just_opened == number and _IS_VALUE.match(between):
                elements[number][1] = 1  # a leaf: its text is the value
                pieces.append(number)
            elif _IS_WS.match(between):
                pieces.append(_WS)
            else:
                return None
            pieces.append(f"</{re.escape(name)}{_WS}>")
            just_opened = -1
            continue
        if not _IS_WS.match(between):
            return None
        slot = SLOTS.get(m.group(2), 0)
        if not stack:  # a direct child: everything but extensions counts
            top = slot
            fills = slot if slot != EXT else 0
        else:  # deeper: counts only inside extensions, and only these channels
            top = stack[0][2]
            fills = slot if top == EXT and slot in _IN_EXTENSIONS else 0
        if m.group(1):
            prefixes.add(m.group(1))
        just_opened = len(elements)
        elements.append([fills, 0])
        stack.append((name, just_opened, top))
        pieces.extend((_WS, f"<{re.escape(name)}{_WS}>"))
    if stack or not _IS_WS.match(body, pos):
        return None
    # the element each channel is read from: the last one (in document order) that fills it
    source: dict[int, int] = {}
    for number, (fills, leaf) in enumerate(elements):
        if fills:
            if not leaf:
                return None  # read_point would take the text before its first child
            source[fills] = number
    captured = {number: _CHANNELS[fills] for fills, number in source.items()}
    columns = [head.group(1), head.group(4)]
    quote1, quote2 = head.group(2), head.group(5)
    parts = [
        f"<trkpt{_WS1}{head.group(1)}{_WS}={_WS}{quote1}({_VALUE}){quote1}",
        f"{_WS1}{head.group(4)}{_WS}={_WS}{quote2}({_VALUE}){quote2}{_WS}>",
    ]
    every, every_columns = parts[:], list(columns)
    for piece in pieces:
        if isinstance(piece, str):
            parts.append(piece)
            every.append(piece)
        elif piece in captured:
            parts.append(f"({_VALUE})")
            columns.append(captured[piece])
        else:
            parts.append(_VALUE)
        if isinstance(piece, int):
            every.append(f"({_VALUE})")
            every_columns.append(captured.get(piece))
    parts.append(f"{_WS}</trkpt{_WS}>{_WS}")
    every.append(f"{_WS}</trkpt{_WS}>{_WS}")
    regex = re.compile("".join(parts))
    if regex.match(text, start) is None:
        return None  # cannot happen; a template must at least match its own point
    return _Template(
        regex,
        tuple(columns),
        tuple(sorted(prefixes)),
        re.compile("".join(every)),
        tuple(every_columns),
    )


def _take_points(tpl: _Template, text: str, runs: list[Samples]) -> str:
    """``text`` with each run of points ``tpl`` matches replaced by a placeholder."""
    parts = tpl.regex.split(text)
    step = len(tpl.columns) + 1
    n = len(parts) // step
    if n == 0:
        return text
    between = parts[::step]  # the text before, between and after the matched points
    cols = {key: parts[1 + j :: step] for j, key in enumerate(tpl.columns)}
    lat, lon = _positions(cols["lat"], cols["lon"])
    values = {key: _floats(col) for key, col in cols.items() if key not in ("lat", "lon", "t")}
    t, offsets, bad = _times(cols.get("t"), n)
    attrs = "".join(f' {p}:_{j}=""' for j, p in enumerate(tpl.prefixes))
    out = [between[0]]
    first = 0
    for end in [i for i in range(1, n) if between[i]] + [n]:
        run = Samples(t=t[first:end], lat=lat[first:end], lon=lon[first:end])
        for key in ("ele", "hr", "cad", "temp", "speed"):
            col = values.get(key)
            setattr(run, key, col[first:end] if col is not None else [_NAN] * (end - first))
        run.bad_times = int(bad[first:end].sum())
        k = bisect.bisect_left(offsets, (first, -(1 << 62)))
        if k < len(offsets) and offsets[k][0] < end:
            run.offset = offsets[k][1]
        out.append(f'<run xmlns="{gpx_elements.RUN_NS}" i="{len(runs)}"{attrs}/>')
        out.append(between[end])
        runs.append(run)
        first = end
    return "".join(out)


def _floats(texts: list[str]) -> list[float]:
    """``to_float`` of each text (``float`` in C for the whole column when all are numbers)."""
    try:
        return list(map(float, texts))
    except ValueError:
        return [to_float(s) for s in texts]


def _positions(lat: list[str], lon: list[str]) -> tuple[list[float], list[float]]:
    """Latitudes and longitudes as ``read_point`` reads them (``to_float`` of each)."""
    try:
        return list(map(float, lat)), list(map(float, lon))
    except ValueError:
        pass
    out_lat, out_lon = [], []
    for a, o in zip(lat, lon, strict=True):
        if _unreadable(o) and not _unreadable(a):
            raise _Unsure  # read_point would append this lat twice
        out_lat.append(to_float(a))
        out_lon.append(to_float(o))
    return out_lat, out_lon


def _unreadable(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return True
    return False


def _times(
    texts: list[str] | None, n: int
) -> tuple[list[float], list[tuple[int, int]], np.ndarray]:
    """``parse_time`` of each text: epoch seconds (NaN when unreadable), the explicit UTC
    offsets as (point, offset), and which points had an unreadable or impossible time."""
    bad = np.zeros(n, dtype=bool)
    if texts is None:
        return [_NAN] * n, [], bad
    t = np.full(n, _NAN)
    done = np.zeros(n, dtype=bool)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    for width in np.unique(lengths).tolist():
        if width != 20 and not 22 <= width <= 30:
            continue
        rows = np.flatnonzero(lengths == width)
        chosen = texts if len(rows) == n else [texts[i] for i in rows.tolist()]
        secs, ok = _utc_times("".join(chosen), width)
        t[rows[ok]] = secs[ok]
        done[rows[ok]] = True
    offsets: list[tuple[int, int]] = []
    for i in np.flatnonzero(~done).tolist():
        text = texts[i]
        parsed = parse_time(text)
        if parsed is None:
            bad[i] = bool(text.strip())
        else:
            t[i] = parsed[0]
            if parsed[1] is not None:
                offsets.append((i, parsed[1]))
    return t.tolist(), offsets, bad


# Columns of ``YYYY-MM-DDTHH:MM:SS``: the digits, and the separators with their bytes.
_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
_SEPS, _SEP_BYTES = [4, 7, 10, 13, 16], [ord(c) for c in "--T::"]
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)


def _utc_times(joined: str, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Times ``YYYY-MM-DDTHH:MM:SS[.f]Z`` of one width, concatenated: (epoch s, which were)."""
    if not joined.isascii():  # other digits (which parse_time takes): one by one
        return np.zeros(len(joined) // width), np.zeros(len(joined) // width, dtype=bool)
    return utc_rows(np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, width))


def utc_rows(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Times ``YYYY-MM-DDTHH:MM:SS[.f]Z``, one a row of ``raw``: (epoch s, which were).

    The same numbers ``parse_time`` gives: whole seconds are exact in float64, and a fraction
    of at most 9 digits divided by its power of ten is the correctly rounded ``float("0.f")``.
    """
    width = raw.shape[1]
    frac_cols = list(range(20, width - 1))
    seps = [*_SEPS, width - 1] + ([19] if frac_cols else [])
    d = raw[:, _DIGITS + frac_cols] - np.uint8(48)  # non-digits wrap round to >= 10
    marks = np.array([*_SEP_BYTES, ord("Z"), ord(".")][: len(seps)], dtype=np.uint8)
    ok = _rows_all(d < 10) & _rows_all(raw[:, seps] == marks)
    d = d.astype(np.int32)
    y = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
    mo, day = d[:, 4] * 10 + d[:, 5], d[:, 6] * 10 + d[:, 7]
    h, mi, s = d[:, 8] * 10 + d[:, 9], d[:, 10] * 10 + d[:, 11], d[:, 12] * 10 + d[:, 13]
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    month_days = _MONTH_DAYS[np.clip(mo, 0, 12)] + (leap & (mo == 2))
    ok &= (y >= MIN_YEAR) & (y <= MAX_YEAR) & (mo >= 1) & (mo <= 12)
    ok &= (day >= 1) & (day <= month_days) & (h <= 23) & (mi <= 59) & (s <= 60)
    # days since 1970-01-01 (H. Hinnant's days_from_civil; the years here are positive)
    yy = y - (mo <= 2)
    era, yoe = yy // 400, yy % 400
    doy = (153 * ((mo + 9) % 12) + 2) // 5 + day - 1
    days = (era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468).astype(np.int64)
    secs = (days * 86400 + h * 3600 + mi * 60 + s).astype(np.float64)
    if frac_cols:
        frac = np.zeros(len(raw), dtype=np.int64)
        for c in range(14, 14 + len(frac_cols)):
            frac = frac * 10 + d[:, c]
        secs = secs + frac / float(10 ** len(frac_cols))
    return secs, ok


def _rows_all(mask: np.ndarray) -> np.ndarray:
    """Which rows of a boolean matrix are all true (one comparison a row, not one a cell)."""
    return np.ascontiguousarray(mask).view(f"S{mask.shape[1]}")[:, 0] == b"\x01" * mask.shape[1]
