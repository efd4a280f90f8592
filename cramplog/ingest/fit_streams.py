"""FIT records to a Stream, and what is measured from a stream (elevation gain, path length).

``build_stream`` turns the records of one session (``Records`` columns) into a ``Stream``:
records sharing a timestamp merged, heart rates a heart cannot beat dropped, stride cadence
doubled to steps, positions from semicircles to degrees. The elevation gain (10 s smoothing,
2 m hysteresis) and the path length fill what a session message does not give.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cramplog.ingest.fitmessages import Records
from cramplog.model import RUNNING_SPORTS, Stream

if TYPE_CHECKING:
    import numpy as np

SEMICIRCLE_DEG = 180.0 / 2**31
HR_MAX_VALID = 250.0
ELEVATION_HYSTERESIS_M = 2.0
# Elevation is smoothed with a centred moving average over this many seconds before the
# hysteresis (chosen on the real files: best agreement with device total_descent).
ELEVATION_SMOOTH_S = 10.0
# Sports whose FIT cadence is strides (one foot) per minute; doubled to steps per minute.
_STRIDE_CADENCE_SPORTS = RUNNING_SPORTS | {"walking", "hiking"}


def elevation_gain_m(
    elevation: np.ndarray, hysteresis_m: float = ELEVATION_HYSTERESIS_M
) -> tuple[float, float] | None:
    """(ascent, descent) of an elevation series: legs shorter than the hysteresis are noise.

    A zig-zag filter: a climb or descent counts once the elevation turns back by more than
    ``hysteresis_m``; NaN samples are skipped. ``None`` without two valid samples.
    """
    import numpy as np

    e = np.asarray(elevation, dtype=float)
    e = e[np.isfinite(e)]
    if len(e) < 2:
        return None
    asc = desc = 0.0
    pivot = ext = float(e[0])
    direction = 0
    for x in e.tolist():
        if direction == 0:
            if x - pivot >= hysteresis_m:
                direction, ext = 1, x
            elif pivot - x >= hysteresis_m:
                direction, ext = -1, x
        elif direction == 1:
            if x > ext:
                ext = x
            elif ext - x >= hysteresis_m:
                asc += ext - pivot
                pivot, ext, direction = ext, x, -1
        else:
            if x < ext:
                ext = x
            elif x - ext >= hysteresis_m:
                desc += pivot - ext
                pivot, ext, direction = ext, x, 1
    if direction == 1:
        asc += ext - pivot
    elif direction == -1:
        desc += pivot - ext
    return asc, desc


def smooth_elevation(
    t_s: np.ndarray, elevation: np.ndarray, window_s: float = ELEVATION_SMOOTH_S
) -> np.ndarray:
    """Centred moving average over ``window_s`` seconds of the valid samples (NaN dropped)."""
    import numpy as np

    ok = np.isfinite(elevation) & np.isfinite(t_s)
    t, e = np.asarray(t_s, dtype=float)[ok], np.asarray(elevation, dtype=float)[ok]
    if len(e) < 3 or window_s <= 0:
        return e
    csum = np.concatenate([[0.0], np.cumsum(e)])
    lo = np.searchsorted(t, t - window_s / 2, side="left")
    hi = np.searchsorted(t, t + window_s / 2, side="right")
    return (csum[hi] - csum[lo]) / (hi - lo)  # type: ignore[no-any-return]


def stream_gain_m(stream: Stream | None) -> tuple[float, float] | None:
    """(ascent, descent) in m from a stream's elevation: 10 s smoothing, 2 m hysteresis."""
    if stream is None or stream.elevation_m is None:
        return None
    return elevation_gain_m(smooth_elevation(stream.t_s, stream.elevation_m))


def stream_descent_m(stream: Stream | None) -> float | None:
    """Descent (m) from a stream's elevation (see ``stream_gain_m``); None without elevation."""
    gain = stream_gain_m(stream)
    return None if gain is None else gain[1]


def stream_ascent_m(stream: Stream | None) -> float | None:
    gain = stream_gain_m(stream)
    return None if gain is None else gain[0]


def haversine_m(lat: np.ndarray, lon: np.ndarray) -> float | None:
    """Path length (m) through the valid positions; None with fewer than two."""
    import numpy as np

    ok = np.isfinite(lat) & np.isfinite(lon)
    if ok.sum() < 2:
        return None
    la, lo = np.radians(lat[ok]), np.radians(lon[ok])
    dla, dlo = np.diff(la), np.diff(lo)
    a = np.sin(dla / 2) ** 2 + np.cos(la[:-1]) * np.cos(la[1:]) * np.sin(dlo / 2) ** 2
    return float(2 * 6371008.8 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))).sum())


def last_valid(arr: np.ndarray | None) -> float | None:
    import numpy as np

    if arr is None:
        return None
    ok = np.flatnonzero(np.isfinite(arr))
    return float(arr[ok[-1]]) if len(ok) else None


# --------------------------------------------------------------------------- streams


def _column(records: Records, idx: np.ndarray, *names: str) -> np.ndarray | None:
    """Values of records ``idx``: per record the first of ``names`` with a value (NaN where
    none); None when no record of ``idx`` has any of them."""
    import numpy as np

    out = None
    for name in names:
        col = records.columns.get(name)
        if col is None:
            continue
        vals = col[idx]  # a copy
        if out is None:
            out = vals
        else:
            missing = np.isnan(out)
            out[missing] = vals[missing]
    return out if out is not None and not np.isnan(out).all() else None


def build_stream(
    records: Records, idx: np.ndarray, times: np.ndarray, start_s: float, sport: str
) -> Stream:
    """The Stream of records ``idx`` at FIT seconds ``times`` (sorted), relative to start.

    Records sharing a timestamp (some apps write position and distance as two records) are
    merged: per channel the first valid value wins.
    """
    import numpy as np

    t_unique, first_idx, inverse = np.unique(times, return_index=True, return_inverse=True)
    n = len(t_unique)

    def merged(col: np.ndarray | None) -> np.ndarray | None:
        if col is None:
            return None
        if n == len(col):
            return col
        out = np.full(n, np.nan)
        valid = np.flatnonzero(np.isfinite(col))
        groups, pos = np.unique(inverse[valid], return_index=True)
        out[groups] = col[valid[pos]]
        return out

    def has_data(col: np.ndarray | None) -> np.ndarray | None:
        return col if col is not None and np.isfinite(col).any() else None

    hr = _column(records, idx, "heart_rate")
    if hr is not None:
        hr[(hr <= 0) | (hr > HR_MAX_VALID)] = np.nan
    cadence = _column(records, idx, "cadence")
    if cadence is not None:
        frac = _column(records, idx, "fractional_cadence")
        if frac is not None:
            cadence = cadence + np.nan_to_num(frac)
        if sport in _STRIDE_CADENCE_SPORTS:
            cadence = cadence * 2.0
    lat = _column(records, idx, "position_lat")
    lon = _column(records, idx, "position_long")
    if lat is not None and lon is not None:
        lat = lat * SEMICIRCLE_DEG
        lon = lon * SEMICIRCLE_DEG
        bad = (np.abs(lat) > 90) | (np.abs(lon) > 180) | ((lat == 0) & (lon == 0))
        lat[bad] = np.nan
        lon[bad] = np.nan
    else:
        lat = lon = None
    return Stream(
        t_s=t_unique - start_s,
        distance_m=has_data(merged(_column(records, idx, "distance"))),
        elevation_m=has_data(merged(_column(records, idx, "enhanced_altitude", "altitude"))),
        hr_bpm=has_data(merged(hr)),
        speed_mps=has_data(merged(_column(records, idx, "enhanced_speed", "speed"))),
        temperature_c=has_data(merged(_column(records, idx, "temperature"))),
        cadence_spm=has_data(merged(cadence)),
        lat_deg=has_data(merged(lat)),
        lon_deg=has_data(merged(lon)),
    )
