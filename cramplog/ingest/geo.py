"""Distance along a track and climb from an elevation profile (numpy, NaN-aware).

Segment lengths use the WGS84 ellipsoid's radii of curvature at the segment's mid-latitude
(meridional M for the north-south part, prime-vertical N for the east-west part): within about
0.01 % of the geodesic for the short steps a watch records. Steps longer than 20 km (signal
gaps) use the haversine formula on the mean Earth radius.
"""

from __future__ import annotations

import numpy as np

_A = 6378137.0  # WGS84 semi-major axis, m
_E2 = 6.69437999014e-3  # WGS84 first eccentricity squared
MEAN_RADIUS_M = 6371008.8
_LONG_STEP_M = 20_000.0


def _step_lengths(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Lengths (m) between consecutive positions of two equal-length finite arrays (degrees)."""
    phi = np.radians(lat)
    dphi = np.diff(phi)
    dlam = np.radians(np.diff(lon))
    dlam = (dlam + np.pi) % (2 * np.pi) - np.pi  # across the antimeridian
    mid = phi[:-1] + dphi / 2
    w = 1.0 - _E2 * np.sin(mid) ** 2
    m = _A * (1.0 - _E2) / w**1.5
    n = _A / np.sqrt(w)
    d = np.hypot(dphi * m, dlam * n * np.cos(mid))
    long_ = d > _LONG_STEP_M
    if long_.any():
        p1, p2 = phi[:-1][long_], phi[1:][long_]
        h = np.sin(dphi[long_] / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam[long_] / 2) ** 2
        d[long_] = 2 * MEAN_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return d


def cumulative_distance(lat: np.ndarray, lon: np.ndarray) -> np.ndarray | None:
    """Distance travelled (m) at each sample, from positions; ``None`` when there are none.

    Samples without a position (NaN) carry the distance reached so far (0 before the first fix);
    the step from the last fix before a gap to the first fix after it is counted.
    """
    ok = np.isfinite(lat) & np.isfinite(lon)
    if ok.all() and len(lat):
        return np.concatenate(([0.0], np.cumsum(_step_lengths(lat, lon))))
    if not ok.any():
        return None
    out = np.zeros(len(lat), dtype=np.float64)
    idx = np.flatnonzero(ok)
    cum = np.concatenate(([0.0], np.cumsum(_step_lengths(lat[idx], lon[idx]))))
    out[idx] = cum
    # carry forward over samples without a fix
    last = np.maximum.accumulate(np.where(ok, np.arange(len(lat)), -1))
    out = np.where(last >= 0, out[np.maximum(last, 0)], 0.0)
    return out


def _extrema(z: np.ndarray) -> np.ndarray:
    """The first value, the last value and the strict local highs and lows of a finite
    profile, after repeated consecutive values are dropped: the only samples where the
    dead-band walk of ``_turning_points`` can change its mind.

    A sample strictly between its neighbours, or repeating the one before it, never starts a
    climb or descent that its neighbours would not start, never ends one, and never becomes
    the running extreme at a turn; dropping it leaves the turning points unchanged."""
    n = len(z)
    if n < 3:
        return z
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(z[1:], z[:-1], out=new[1:])
    y = z[new]
    m = len(y)
    if m < 3:
        return y
    rising = y[1:] > y[:-1]
    turn = np.empty(m, dtype=bool)
    turn[0] = turn[-1] = True
    np.not_equal(rising[1:], rising[:-1], out=turn[1:-1])
    return y[turn]


def _turning_points(z: np.ndarray, band: float) -> list[float]:
    """Elevations of the alternating highs and lows that differ by more than ``band``, of a
    finite profile. The walk visits only ``_extrema``: the same points, far fewer steps."""
    vals = _extrema(z).tolist()
    first = vals[0]
    pts = [first]
    direction = 0  # +1 climbing, -1 descending, 0 not yet moved beyond the band
    ext = first
    for v in vals[1:]:
        if direction == 0:
            if abs(v - first) > band:
                direction, ext = (1 if v > first else -1), v
        elif direction == 1:
            if v > ext:
                ext = v
            elif ext - v > band:
                pts.append(ext)
                direction, ext = -1, v
        else:
            if v < ext:
                ext = v
            elif v - ext > band:
                pts.append(ext)
                direction, ext = 1, v
    if direction != 0:
        pts.append(ext)
    return pts


def hysteresis_totals(z: np.ndarray, band: float = 3.0) -> tuple[float, float, float]:
    """(ascent, descent, largest single descent) in m of a profile with a dead band of
    ``band`` m: a reversal counts only once it exceeds the band, which removes GPS and
    barometer jitter without flattening real climbs. NaN samples are skipped."""
    z = np.asarray(z, dtype=float)
    z = z[np.isfinite(z)]
    if len(z) < 2:
        return 0.0, 0.0, 0.0
    d = np.diff(np.asarray(_turning_points(z, band)))
    ascent = float(d[d > 0].sum())
    descent = float(abs(d[d < 0].sum()))
    largest = float(-d.min()) if len(d) and d.min() < 0 else 0.0
    return ascent, descent, largest


def climb(elevation: np.ndarray, threshold_m: float = 3.0) -> tuple[float, float] | None:
    """Ascent and descent (m) with a hysteresis of ``threshold_m``; ``None`` without elevation."""
    if not np.isfinite(elevation).any():
        return None
    up, down, _ = hysteresis_totals(elevation, threshold_m)
    return up, down
