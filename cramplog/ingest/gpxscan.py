"""Experimental GPX track reader: regular expressions over the text, numbers converted in bulk.

``scan_gpx`` reads the same tracks as ``gpx._read_fast`` (the element reader). STATUS: correct on
all realdata and sample files but ~0.6x the element reader's speed, so NOT wired into
``parse_gpx`` yet (the strict point pattern backtracks: ~17 us/point; see issue 8). Each run of ``<trkpt>`` blocks is matched by one ``findall`` whose groups
are lat/lon, ``<ele>``, ``<time>`` and the extension values (by local name, any declared
prefix), and the columns are converted with numpy (times in the common
``YYYY-MM-DDTHH:MM:SS[.f]Z`` form are decoded in bulk, anything else by ``gpx.parse_time``).

It is only a fast path. It accepts a strict subset of well-formed XML that it can check itself
(no comments, CDATA, processing instructions or character references; ASCII names; prefixes
declared on the root; close tags matched; no undeclared entities or illegal characters) and
returns ``None`` for anything else - damaged, truncated or unusual files - so the caller uses the
element reader and behaves exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import numpy as np

from cramplog.ingest import gpx

_W = r"[ \t\r\n]"
_NAME = r"[A-Za-z_][\w.-]*"  # ASCII only (re.ASCII): anything else falls back
_QNAME = rf"(?:{_NAME}:)?{_NAME}"
_B = r"(?=[ \t\r\n/>])"  # end of a tag name
_ATTRS = rf"""(?:{_W}+{_QNAME}{_W}*={_W}*(?:"[^"<]*"|'[^'<]*'))*{_W}*"""
_HR, _CAD, _TEMP, _SPEED = "hr|heartrate", "cad|cadence", "atemp|temp|temperature", "speed"
_KINDS = "trkpt|trk|name|type|wpt|rte|metadata|trkseg"
_CHANNELS = f"{_HR}|{_CAD}|{_TEMP}|{_SPEED}"

# One run of consecutive track points (checked loosely here, strictly by the point pattern).
_PFX = rf"(?:{_NAME}:)?"
_RUNPT = (
    rf"<{_PFX}trkpt{_B}{_ATTRS}"
    rf"(?:/>|>[^<]*(?:<(?!/{_PFX}trkpt{_W}*>)[^<]*)*</{_PFX}trkpt{_W}*>)"
)
_STRUCT = re.compile(
    rf"(?P<run>(?:{_RUNPT}{_W}*)+)"
    rf"|<(?P<close>/?)(?P<qname>{_QNAME})(?P<attrs>{_ATTRS})(?P<selfc>/?)>(?P<text>[^<]*)",
    re.ASCII,
)
_ATTR = re.compile(rf"""({_QNAME}){_W}*={_W}*(?:"([^"<]*)"|'([^'<]*)')""", re.ASCII)
_OPEN = re.compile(rf"<(?:{_NAME}:)?trkpt[ \t\r\n/>]", re.ASCII)
_PROLOG = re.compile(
    rf"""<\?xml{_W}+version{_W}*={_W}*(?:"1\.0"|'1\.0')"""
    rf"""(?:{_W}+encoding{_W}*={_W}*(?:"[A-Za-z][\w.-]*"|'[A-Za-z][\w.-]*'))?"""
    rf"""(?:{_W}+standalone{_W}*={_W}*(?:"(?:yes|no)"|'(?:yes|no)'))?{_W}*\?>{_W}*""",
    re.ASCII,
)
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BAD_AMP = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)")
_EMPTY_NS = re.compile(rf"""xmlns:{_NAME}{_W}*={_W}*(?:""|'')""", re.ASCII)
_XMLNS = re.compile(rf"xmlns:({_NAME})", re.ASCII)
_HEADS = ("name", "type")
_DROPS = ("wpt", "rte", "metadata")


@lru_cache(maxsize=32)
def _point_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str]:
    """The strict pattern for one ``<trkpt>`` block, for the prefixes declared on the root."""
    p = f"(?:(?:{'|'.join(map(re.escape, prefixes))}):)?" if prefixes else ""
    qn = f"{p}{_NAME}"
    ws = f"{_W}*"

    def leaf(names: str, group: str, tag: str, marker: bool = False) -> str:
        value = f"(?P<{group}>>[^<]*)" if marker else f">(?P<{group}>[^<]*)"
        return f"<(?P<{tag}>{p}(?:{names})){_B}{ws}{value}</(?P={tag}){ws}>"

    def other(tag: str, excluded: str) -> str:
        return f"<(?!{p}(?:{excluded}){_B})(?P<{tag}>{qn}){ws}(?:/>|>[^<]*</(?P={tag}){ws}>)"

    ext_excl = f"{_CHANNELS}|extensions|{_KINDS}"
    items = (
        f"(?:{_W}+|{leaf(_HR, 'hr', 't_hr')}|{leaf(_CAD, 'cad', 't_cad')}"
        f"|{leaf(_TEMP, 'temp', 't_temp')}|{leaf(_SPEED, 'speed', 't_speed')}"
        f"|{other('t_o2', ext_excl)})*"
    )
    ext = (
        f"<(?P<t_x>{p}extensions){ws}(?P<x>>)(?:{_W}+|{other('t_o1', ext_excl)})*"
        f"(?:<(?!{p}(?:{ext_excl}){_B})(?P<t_w>{qn}){ws}>)?{items}"
        f"(?(t_w)</(?P=t_w){ws}>(?:{_W}+|{other('t_o3', ext_excl)})*)</(?P=t_x){ws}>"
    )
    child = (
        f"(?:{_W}+|{leaf('ele', 'ele', 't_ele')}|{leaf('time', 'time', 't_time')}|{ext}"
        f"|{leaf(_HR, 'hrd', 't_hrd', True)}|{leaf(_CAD, 'cadd', 't_cadd', True)}"
        f"|{leaf(_TEMP, 'tempd', 't_tempd', True)}|{leaf(_SPEED, 'speedd', 't_speedd', True)}"
        f"|{other('t_o0', f'ele|time|{ext_excl}')})*"
    )
    # exactly lat and lon, once each, in either order (anything else falls back)
    lat = rf"""lat{_W}*={_W}*(?:"(?P<la>[^"<]*)"|'(?P<la2>[^'<]*)')"""
    lon = rf"""lon{_W}*={_W}*(?:"(?P<lo>[^"<]*)"|'(?P<lo2>[^'<]*)')"""
    lat_b = lat.replace("<la>", "<lb>").replace("<la2>", "<lb2>")
    lon_b = lon.replace("<lo>", "<lp>").replace("<lo2>", "<lp2>")
    attrs = rf"{_W}+(?:{lat}{_W}+{lon}|{lon_b}{_W}+{lat_b}){ws}"
    return re.compile(f"<(?P<t_pt>{p}trkpt){_B}{attrs}(?:/>|>{child}</(?P=t_pt){ws}>)", re.ASCII)


def _unescape(s: str) -> str:
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in s:
        s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        s = s.replace("&apos;", "'").replace("&amp;", "&")
    return s


def _floats(col: tuple[str, ...]) -> np.ndarray:
    """Numbers as ``gpx.to_float`` reads them (missing or unreadable -> NaN)."""
    if not any(col):
        return np.full(len(col), np.nan)
    if "" not in col:
        try:
            return np.fromiter(map(float, col), np.float64, len(col))
        except ValueError:
            pass
    return np.fromiter(map(gpx.to_float, col), np.float64, len(col))


_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18)
_SEPS = ((4, 45), (7, 45), (10, 84), (13, 58), (16, 58))  # - - T : :
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _bulk_times(col: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray] | None:
    """Epoch seconds and an "understood" mask for ``YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z`` times."""
    n = len(col)
    lens = set(map(len, col))
    if len(lens) != 1:
        return None
    size = lens.pop()
    if not (size == 20 or 22 <= size <= 30):
        return None
    try:
        raw = "".join(col).encode("ascii")
    except UnicodeEncodeError:
        return None
    buf = np.frombuffer(raw, np.uint8).reshape(n, size)
    d = buf.astype(np.int64) - 48
    digits = list(_DIGITS) + list(range(20, size - 1))
    dd = d[:, digits]
    ok = ((dd >= 0) & (dd <= 9)).all(axis=1) & (buf[:, size - 1] == 90)
    for pos, char in _SEPS:
        ok &= buf[:, pos] == char
    if size > 20:
        ok &= buf[:, 19] == 46
    y = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
    mo = d[:, 5] * 10 + d[:, 6]
    day = d[:, 8] * 10 + d[:, 9]
    hh = d[:, 11] * 10 + d[:, 12]
    mi = d[:, 14] * 10 + d[:, 15]
    ss = d[:, 17] * 10 + d[:, 18]
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    good_mo = (mo >= 1) & (mo <= 12)
    dim = _MONTH_DAYS[np.where(good_mo, mo, 0)] + (leap & (mo == 2))
    ok &= (y >= gpx.MIN_YEAR) & (y <= gpx.MAX_YEAR) & good_mo & (day >= 1) & (day <= dim)
    ok &= (hh <= 23) & (mi <= 59) & (ss <= 60)
    # days from 1970-01-01 (Hinnant's days_from_civil)
    yy = y - (mo <= 2)
    era = yy // 400
    yoe = yy - era * 400
    doy = (153 * np.where(mo > 2, mo - 3, mo + 9) + 2) // 5 + day - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    t = days * 86400.0 + (hh * 3600 + mi * 60 + ss)
    if size > 20:
        frac = np.zeros(n, np.int64)
        for pos in range(20, size - 1):
            frac = frac * 10 + d[:, pos]
        t = t + frac / float(10 ** (size - 21))
    return t, ok


def _times(col: tuple[str, ...]) -> tuple[np.ndarray, int | None, int]:
    """(epoch s with NaN, first explicit UTC offset, count of unreadable times) like the reader."""
    n = len(col)
    bulk = _bulk_times(col) if n else None
    if bulk is None:
        t = np.full(n, np.nan)
        rest: list[int] | range = range(n)
    else:
        t, ok = bulk
        t = np.where(ok, t, np.nan)
        rest = np.flatnonzero(~ok).tolist()
    offset = None
    bad = 0
    for i in rest:
        tm = col[i]
        parsed = gpx.parse_time(tm)
        if parsed is None:
            if tm and tm.strip():
                bad += 1
        else:
            t[i] = parsed[0]
            if parsed[1] is not None and offset is None:
                offset = parsed[1]
    return t, offset, bad


def _samples(
    rows: list[tuple[str, ...]], index: Mapping[str, int], head: dict[str, str]
) -> gpx.Samples:
    """One track's Samples from the point pattern's rows, or raise _Unsure."""
    s = gpx.Samples()
    if rows:
        cols = list(zip(*rows, strict=True))

        def col(name: str) -> tuple[str, ...]:
            return cols[index[name] - 1]

        def either(a: str, b: str) -> tuple[str, ...]:  # double- or single-quoted attribute
            if not any(col(b)):
                return col(a)
            return tuple(x or y for x, y in zip(col(a), col(b), strict=True))

        lat = tuple(a or b for a, b in zip(either("la", "la2"), either("lb", "lb2"), strict=True))
        lon = tuple(a or b for a, b in zip(either("lo", "lo2"), either("lp", "lp2"), strict=True))
        t, s.offset, s.bad_times = _times(col("time"))
        chans = {}
        has_ext = col("x")
        for key in ("hr", "cad", "temp", "speed"):
            values = col(key)
            direct = col(key + "d")
            if any(direct):
                if any(a and b for a, b in zip(direct, has_ext, strict=True)):
                    raise _Unsure
                values = tuple(d[1:] if d else v for d, v in zip(direct, values, strict=True))
            chans[key] = _floats(values)
        s.t = t.tolist()
        s.lat = _floats(lat).tolist()
        s.lon = _floats(lon).tolist()
        s.ele = _floats(col("ele")).tolist()
        s.hr = chans["hr"].tolist()
        s.cad = chans["cad"].tolist()
        s.temp = chans["temp"].tolist()
        s.speed = chans["speed"].tolist()
    return gpx._finish_track(s, head)


class _Unsure(Exception):
    """The scanner cannot be sure to read this file as the element reader does."""


class _Open:
    __slots__ = ("qname", "local", "text", "heads")

    def __init__(self, qname: str, text: str | None) -> None:
        self.qname = qname
        self.local = qname.rpartition(":")[2]
        self.text = text
        self.heads: list[tuple[str, str]] = []


def scan_gpx(text: str) -> list[gpx.Samples] | None:
    """The tracks of a decoded GPX text as ``gpx._read_fast`` reads them; None = use it instead."""
    try:
        return _scan(text)
    except _Unsure:
        return None


def _scan(text: str) -> list[gpx.Samples] | None:
    if "<!" in text or "]]>" in text or "&#" in text:
        return None
    pos = 0
    if text.startswith("<?"):
        m = _PROLOG.match(text)
        if m is None:
            return None
        pos = m.end()
    else:
        pos = len(text) - len(text.lstrip(" \t\r\n"))
    if text.find("<?", pos) != -1:
        return None
    if _BAD_CHARS.search(text) or ("&" in text and _BAD_AMP.search(text)):
        return None
    if _EMPTY_NS.search(text):
        return None
    root = _STRUCT.match(text, pos)
    if root is None or root.group("run") is not None or root.group("close"):
        return None
    declared = {"xml"}
    for m in _ATTR.finditer(root.group("attrs")):
        if m.group(1).startswith("xmlns:"):
            declared.add(m.group(1)[6:])
    if not declared.issuperset(_XMLNS.findall(text)):
        return None
    point = _point_pattern(tuple(sorted(declared - {"xml"})))
    index = point.groupindex
    allowed_attr_prefixes = declared | {"xmlns"}

    tracks: list[gpx.Samples] = []
    rows: list[tuple[str, ...]] = []
    head: dict[str, str] = {}
    stack: list[_Open] = []
    seen_root = False
    end = len(text)
    for m in _STRUCT.finditer(text, pos):
        if m.start() != pos:
            return None
        pos = m.end()
        if m.group("run") is not None:
            if not stack:
                return None
            a, b = m.span()
            found = point.findall(text, a, b)
            if len(found) != len(_OPEN.findall(text, a, b)):
                return None
            rows.extend(found)
            continue
        qname = m.group("qname")
        el_text = m.group("text")
        prefix, _, local = qname.rpartition(":")
        if prefix and prefix not in declared:
            return None
        if m.group("close"):
            if (
                m.group("attrs").strip(" \t\r\n")
                or m.group("selfc")
                or not stack
                or stack[-1].qname != qname
            ):
                return None
            el = stack.pop()
        else:
            if seen_root and not stack:
                return None
            if local == "trkpt":
                return None
            attrs = m.group("attrs")
            if attrs:
                locals_seen = set()
                for am in _ATTR.finditer(attrs):
                    aname = am.group(1)
                    apfx, _, alocal = aname.rpartition(":")
                    if alocal in locals_seen or (apfx and apfx not in allowed_attr_prefixes):
                        return None
                    locals_seen.add(alocal)
            seen_root = True
            el = _Open(qname, el_text)
            stack.append(el)
            if not m.group("selfc"):
                continue
            stack.pop()
            el.text = None
        # the end of element ``el``: what the element reader does on its end event
        if not stack and el_text.strip(" \t\r\n"):
            return None
        kind = el.local
        if kind == "trk":
            for cl, ctext in el.heads:
                head[cl] = ctext
            tracks.append(_samples(rows, index, head))
            rows = []
            head = {}
        elif kind in _HEADS:
            value = _unescape(el.text) if el.text else None
            if value:
                if not rows:
                    head[kind] = value[: gpx.TITLE_MAX * 4]
                if stack and stack[-1].local == "trk":
                    stack[-1].heads.append((kind, value))
        elif kind in _DROPS:
            head = {}
    if pos != end or stack or not seen_root:
        return None
    return tracks
