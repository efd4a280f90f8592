"""Track points as the GPX and TCX readers read them, their cleaning, and the summary.

``Samples`` holds one track's points as read (one list per channel, NaN = missing); ``clean``
drops untimed and out-of-order points and NaNs out absurd values; ``build_activity`` makes the
Activity (summary and stream) from the cleaned arrays. ``parse_time``, ``to_float`` and
``clip_title`` read the values both XML formats write the same way.
"""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

import numpy as np

from cramplog.ingest import geo
from cramplog.model import RUNNING_SPORTS, Activity, Stream

TITLE_MAX = 200
MIN_YEAR, MAX_YEAR = 1990, 2100
MOVING_SPEED_MPS = 0.5
_NAN = math.nan

# Plausible ranges; values outside become NaN. (low, high, inclusive-low)
_RANGES: dict[str, tuple[float, float, bool]] = {
    "ele": (-500.0, 9000.0, True),
    "hr": (0.0, 250.0, False),
    "cad": (0.0, 300.0, True),
    "temp": (-60.0, 70.0, True),
    "speed": (0.0, 100.0, True),
    "dist": (0.0, 1e7, True),
}
_CHANNEL_WORDS = {
    "ele": "elevation",
    "hr": "heart-rate",
    "cad": "cadence",
    "temp": "temperature",
    "speed": "speed",
    "dist": "distance",
}

_TIME = re.compile(
    r"\s*(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,40}))?\s*"
    r"(Z|z|[+-]\d\d(?::?\d\d)?)?\s*\Z"
)


@lru_cache(maxsize=8192)
def _epoch_day(y: int, m: int, d: int) -> int | None:
    """Days from 1970-01-01 to the date, or None for an invalid or implausible date."""
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return datetime(y, m, d).toordinal() - 719163
    except ValueError:
        return None


def parse_time(text: str | None) -> tuple[float, int | None] | None:
    """ISO 8601 time -> (seconds since the Unix epoch, UTC offset in s or None for Z / none).

    Any number of fractional digits; a time without a zone is UTC (as GPX and TCX specify).
    ``None`` when unreadable or outside 1990..2100 (e.g. INT32_MIN garbage from 1901).
    """
    if not text:
        return None
    m = _TIME.match(text)
    if m is None:
        return None
    y, mo, d, hh, mi, ss, frac, zone = m.groups()
    day = _epoch_day(int(y), int(mo), int(d))
    h, mn, s = int(hh), int(mi), int(ss)
    if day is None or h > 23 or mn > 59 or s > 60:
        return None
    t = day * 86400.0 + h * 3600 + mn * 60 + s
    if frac:
        t += float("0." + frac[:9])
    offset = None
    if zone and zone not in "Zz":
        digits = zone[1:].replace(":", "")
        off_h, off_m = int(digits[:2]), int(digits[2:] or 0)
        if off_h > 14 or off_m > 59:
            return None
        offset = (off_h * 3600 + off_m * 60) * (-1 if zone[0] == "-" else 1)
        t -= offset
    return t, offset


def to_float(text: str | None) -> float:
    """A number from element or attribute text; NaN when absent or unreadable."""
    if text is None:
        return _NAN
    try:
        return float(text)
    except ValueError:
        return _NAN


def clip_title(text: str | None) -> str | None:
    if text is None:
        return None
    s = " ".join(text[: TITLE_MAX * 4].split())[:TITLE_MAX]
    return s or None


@dataclass
class Samples:
    """Points of one track or activity as read, one list per channel (NaN = missing)."""

    t: list[float] = field(default_factory=list)  # epoch s; NaN = no or bad time
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    ele: list[float] = field(default_factory=list)
    hr: list[float] = field(default_factory=list)
    cad: list[float] = field(default_factory=list)
    temp: list[float] = field(default_factory=list)
    speed: list[float] = field(default_factory=list)
    dist: list[float] = field(default_factory=list)  # device distance (TCX)
    offset: int | None = None  # first explicit UTC offset seen
    bad_times: int = 0  # times present but unreadable or impossible
    sport: str = "other"
    title: str | None = None

    def __len__(self) -> int:
        return len(self.t)


_KEYS = ("t", "lat", "lon", "ele", "hr", "cad", "temp", "speed", "dist")


def _column(values: list[float], n: int) -> np.ndarray | None:
    """A channel as a new float array; None when it has no value at all (no list of the
    track's length, or a list of nothing but the ``math.nan`` the readers fill in)."""
    if len(values) != n or (n and values[0] is _NAN and values.count(_NAN) == n):
        return None
    return _float_array(values)


def _float_array(values: list[float]) -> np.ndarray:
    """``np.array(values, dtype=np.float64)``; a list of Python floats is packed with
    ``struct`` instead, which gives the same doubles in under half the time."""
    if type(values) is list:
        out = np.empty(len(values), dtype=np.float64)
        try:
            struct.pack_into(f"{len(values)}d", out.data, 0, *values)
            return out
        except (struct.error, TypeError, ValueError, OverflowError):
            pass  # not all plain numbers: numpy decides, as it always did
    return np.array(values, dtype=np.float64)


def clean(s: Samples, label: str, warnings: list[str]) -> dict[str, np.ndarray] | None:
    """Drop untimed and out-of-order points, NaN out absurd values. None = not a session."""
    n = len(s)
    t = _float_array(s.t)
    cols = {"t": t, **{key: _column(getattr(s, key), n) for key in _KEYS[1:]}}
    if n == 0:
        return None
    timed = np.isfinite(t)
    n_timed = int(np.count_nonzero(timed))
    if n_timed == 0 or n_timed * 2 < n:
        why = "no point has" if n_timed == 0 else f"only {n_timed} of {n} points have"
        why += " a usable time"
        if s.bad_times:
            why += f"; {s.bad_times} are impossible (outside {MIN_YEAR}-{MAX_YEAR}: clock not set?)"
        else:
            why += " (a route, not a recorded session)"
        warnings.append(f"{label}: skipped, {why}")
        return None
    if s.bad_times:
        warnings.append(
            f"{label}: dropped {s.bad_times} points with an unreadable or impossible time "
            f"(outside {MIN_YEAR}-{MAX_YEAR})"
        )
    untimed = n - n_timed - s.bad_times
    if untimed:
        warnings.append(f"{label}: dropped {untimed} points without a time")
    # the columns are new arrays: kept as they are when every point is timed
    every = n_timed == n
    a = {
        k: (np.full(n_timed, _NAN) if v is None else v if every else v[timed])
        for k, v in cols.items()
    }
    t = a["t"]
    keep = t >= np.maximum.accumulate(t)
    if not keep.all():
        warnings.append(f"{label}: dropped {int((~keep).sum())} points whose time goes backwards")
        a = {k: v[keep] for k, v in a.items()}
    with np.errstate(invalid="ignore"):
        if cols["lat"] is not None or cols["lon"] is not None:
            _clean_positions(a["lat"], a["lon"], label, warnings)
        for key, (low, high, inclusive) in _RANGES.items():
            if cols[key] is not None:
                _clean_range(a[key], key, low, high, inclusive, label, warnings)
    return a


def _clean_positions(lat: np.ndarray, lon: np.ndarray, label: str, warnings: list[str]) -> None:
    """NaN out (in place) positions off the globe, half-given or at exactly 0,0."""
    bad_pos = ~((np.abs(lat) <= 90) & (np.abs(lon) <= 180)) | ((lat == 0) & (lon == 0))
    if not bad_pos.any():
        return
    n_bad_pos = int((bad_pos & (np.isfinite(lat) | np.isfinite(lon))).sum())
    if n_bad_pos:
        warnings.append(f"{label}: ignored {n_bad_pos} incomplete or impossible positions")
    lat[bad_pos] = _NAN
    lon[bad_pos] = _NAN


def _clean_range(
    v: np.ndarray,
    key: str,
    low: float,
    high: float,
    inclusive: bool,
    label: str,
    warnings: list[str],
) -> None:
    """NaN out (in place) values outside the channel's plausible range, with a warning."""
    ok = ((v >= low) if inclusive else (v > low)) & (v <= high)
    if ok.all():
        return
    bad = ~(ok | np.isnan(v))  # present but out of range (infinities included)
    # all-zero heart rate is "no sensor", not worth a warning per file
    if bad.any() and not (key == "hr" and not np.any(v[np.isfinite(v)] != 0)):
        warnings.append(
            f"{label}: ignored {int(bad.sum())} {_CHANNEL_WORDS[key]} values outside "
            f"{low:g}..{high:g}"
        )
    v[~ok] = _NAN


def _channel(v: np.ndarray) -> np.ndarray | None:
    return v if np.isfinite(v).any() else None


def _median(v: np.ndarray) -> float:
    """``np.median`` of values without NaN (the middle one, or the mean of the two middle
    ones), without its general machinery. Placing the largest value too, as ``np.median``
    does, makes the selection faster on values with many ties."""
    k = len(v) // 2
    if len(v) % 2:
        return float(np.partition(v, (k, -1))[k])
    part = np.partition(v, (k - 1, k, -1))
    return float((part[k - 1] + part[k]) / 2)


def _stats(v: np.ndarray | None) -> tuple[float | None, float | None, float | None]:
    if v is None:
        return None, None, None
    f = v[np.isfinite(v)]
    if len(f) == 0:
        return None, None, None
    return float(f.min()), float(f.mean()), float(f.max())


def build_activity(
    a: dict[str, np.ndarray],
    sport: str,
    title: str | None,
    device: str | None,
    offset: int | None,
    *,
    distance_m: float | None = None,
    moving_s: float | None = None,
    hr_fill: tuple[float | None, float | None] = (None, None),
) -> Activity:
    """Summary and stream from cleaned arrays (``clean``); keyword values fill what is missing.

    ``a["dist"]`` (device distance) is preferred to distance from positions when it has values.
    """
    t = a["t"]
    lat, lon, ele, hr, cad = a["lat"], a["lon"], a["ele"], a["hr"], a["cad"]
    has_pos = bool(np.isfinite(lat).any())
    dist = _channel(a["dist"])
    if dist is not None and not has_pos and not np.nanmax(dist) > 0:
        dist = None  # a device distance stuck at 0 without GPS: unknown, not zero
    track = geo.cumulative_distance(lat, lon) if has_pos else None
    if dist is not None:
        # forward-fill gaps so the channel stays cumulative
        idx = np.maximum.accumulate(np.where(np.isfinite(dist), np.arange(len(dist)), -1))
        dist = np.where(idx >= 0, dist[np.maximum(idx, 0)], _NAN)
        dist_total: float | None = float(np.nanmax(dist))
    else:
        dist = track
        dist_total = float(track[-1]) if track is not None else distance_m
    speed = _channel(a["speed"])
    # moving time: speed channel, else speed from positions, else the caller's value (lap
    # timer), else speed from the device distance (coarse: pool lengths update in steps)
    moving = moving_s
    dt = np.diff(t)
    basis = track if track is not None else (None if moving_s is not None else dist)
    if len(t) > 1 and (speed is not None or basis is not None):
        with np.errstate(invalid="ignore", divide="ignore"):
            v = np.diff(basis) / dt if basis is not None else np.full(len(dt), _NAN)
            if speed is not None:
                v = np.where(np.isfinite(speed[1:]), speed[1:], v)
            moving = float(dt[v > MOVING_SPEED_MPS].sum())
    cad_ch = _channel(cad)
    if cad_ch is not None and sport in RUNNING_SPORTS:
        pos = cad_ch[cad_ch > 0]
        if len(pos) and _median(pos) < 120:  # strides/min of one foot -> steps/min
            cad_ch = cad_ch * 2.0
    hr_ch = _channel(hr)
    _, hr_avg, hr_max = _stats(hr_ch)
    if hr_ch is None:
        hr_avg, hr_max = hr_fill
    temp_ch = _channel(a["temp"])
    tmin, tavg, tmax = _stats(temp_ch)
    ele_ch = _channel(ele)
    updown = geo.climb(ele_ch) if ele_ch is not None else None
    stream = Stream(
        t_s=t - t[0],
        distance_m=dist,
        elevation_m=ele_ch,
        hr_bpm=hr_ch,
        speed_mps=speed,
        temperature_c=temp_ch,
        cadence_spm=cad_ch,
        lat_deg=lat if has_pos else None,
        lon_deg=lon if has_pos else None,
    )
    return Activity(
        sport=sport,
        start=datetime.fromtimestamp(float(t[0]), tz=timezone.utc),
        utc_offset_s=offset,
        elapsed_s=float(t[-1] - t[0]),
        moving_s=moving,
        distance_m=dist_total,
        ascent_m=updown[0] if updown else None,
        descent_m=updown[1] if updown else None,
        hr_avg=hr_avg,
        hr_max=hr_max,
        temp_min_c=tmin,
        temp_avg_c=tavg,
        temp_max_c=tmax,
        title=title,
        device=device,
        stream=stream,
    )
