"""Ascent, descent and steep-downhill exposure from a sample stream's elevation.

Method (SCIENCE.md, "Elevation"):

1. Keep samples with finite distance and elevation (missing elevation is dropped, never 0);
   distances must increase, so repeated distances (standing still) keep their first sample.
2. Resample elevation and moving time onto a regular distance grid of ``GRID_M`` metres and
   smooth elevation with a centred moving average of ``SMOOTH_M`` metres.
3. Ascent/descent: the smoothed profile passed through a ``HYSTERESIS_M`` dead band (a change
   counts only once it exceeds 3 m from the last turning point, as GoldenCheetah does).
4. Grade over consecutive ``GRADE_M`` (50 m) segments of the smoothed profile: E10 / E15 are
   the kilometres of segments with grade <= -10 % / <= -15 %; ``min_le10`` is the moving time
   spent in the -10 % segments.
5. ``longest_descent_m`` is the vertical drop of the largest continuous descent (from a
   turning-point high to the next low of the hysteresis profile), in metres.

Elevation sources (issue 14): a session's ``elevation_source`` is ``barometric`` (a device
recording: FIT from a watch or bike computer, whose altitude is barometric on most of them;
GPX/TCX whose creator says "barometer"), ``gps`` (a GPS-only profile: other GPX and TCX, and
FIT written by a phone app), ``device`` (summary
totals only: CSV columns) or ``none``. GPS elevation wanders by metres, correlated over tens
of seconds, and every wobble adds descent (a flat 21.6 km phone run: over 1,000 m raw), so a
GPS-only profile is smoothed over ``GPS_SMOOTH_M`` (500 m) with a ``GPS_HYSTERESIS_M``
(10 m) dead band: on generated AR(1) wander of 3–5 m correlated over 30 s that leaves 0 m an
hour, 8 m wander about 50 m an hour; real climbs of tens of metres and more survive. Its
own summary totals (the GPX reader's raw climb) are not used. Descent is compared only
between like sources (``elevation_class``): barometric and device totals together, GPS-only
profiles with each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cramplog.ingest.geo import cumulative_distance, hysteresis_totals
from cramplog.model import Stream

GRID_M = 10.0
SMOOTH_M = 70.0
HYSTERESIS_M = 3.0
GRADE_M = 50.0
MAX_GAP_S = 30.0  # pauses longer than this count as 30 s of moving time
MIN_DISTANCE_M = 100.0
GPS_SMOOTH_M = 500.0
GPS_HYSTERESIS_M = 10.0
GPS_FORMATS = frozenset({"gpx", "tcx"})
# device names (FIT manufacturer/product, GPX creator) that mean a phone app recorded it
PHONE_HINTS = ("strava", "android", "iphone", "runkeeper", "nike", "endomondo", "phone")
ELEVATION_SOURCES = ("barometric", "device", "gps", "none")


def elevation_source(
    source_format: str | None, device: str | None, has_profile: bool, has_totals: bool
) -> str:
    """Where a session's elevation comes from (see the module text)."""
    fmt = (source_format or "").lower()
    dev = (device or "").lower()
    says_baro = "barometer" in dev or "barometric" in dev  # e.g. "Urban Biker - with barometer"
    gps = (fmt in GPS_FORMATS and not says_baro) or any(h in dev for h in PHONE_HINTS)
    if has_profile:
        return "gps" if gps else "barometric"
    # a GPX/TCX total without a usable profile is the reader's raw climb, not a device total
    return "device" if has_totals and not gps else "none"


def elevation_class(source: str | None) -> str | None:
    """Which sources compare: "baro" (barometric profile or device totals), "gps", None."""
    if source in ("barometric", "device"):
        return "baro"
    return "gps" if source == "gps" else None


@dataclass
class DescentStats:
    ascent_m: float
    descent_m: float
    e10_km: float
    e15_km: float
    min_le10: float | None  # None when the stream has no usable time
    longest_descent_m: float


def capped_steps(t: np.ndarray) -> np.ndarray:
    """Moving seconds from each sample to the next (one fewer than samples): a pause longer
    than ``MAX_GAP_S`` counts as ``MAX_GAP_S``, a step back in time or an unknown one as 0."""
    dt = np.diff(t)
    return np.where(np.isfinite(dt) & (dt > 0), np.minimum(dt, MAX_GAP_S), 0.0)


def _moving_clock(t_s: np.ndarray | None) -> np.ndarray | None:
    """Moving time (s) reached at each sample, 0 at the first."""
    if t_s is None:
        return None
    t = np.asarray(t_s, dtype=float)
    return np.cumsum(np.concatenate((np.zeros(min(len(t), 1)), capped_steps(t))))


def _regular(
    distance_m: np.ndarray, elevation_m: np.ndarray, clock: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None] | None:
    """Steps 1-2 before smoothing: (grid distance, elevation, moving time on the grid)."""
    d = np.asarray(distance_m, dtype=float)
    z = np.asarray(elevation_m, dtype=float)
    ok = np.isfinite(d) & np.isfinite(z)
    if np.count_nonzero(ok) < 2:
        return None
    if not ok.all():
        d, z = d[ok], z[ok]
        clock = clock[ok] if clock is not None else None
    # keep samples that reach a new maximum distance (standing still or GPS jitter back)
    keep = np.concatenate(([True], d[1:] > np.maximum.accumulate(d)[:-1]))
    if not keep.all():
        d, z = d[keep], z[keep]
        clock = clock[keep] if clock is not None else None
    if len(d) < 2 or d[-1] - d[0] < MIN_DISTANCE_M:
        return None
    grid = np.arange(d[0], d[-1] + 1e-9, GRID_M)
    zg = np.interp(grid, d, z)
    tg = np.interp(grid, d, clock) if clock is not None else None
    return grid, zg, tg


def _smoothed(zg: np.ndarray, smooth_m: float) -> np.ndarray:
    """A centred moving average of ``smooth_m`` metres over the grid (ends held flat)."""
    w = max(1, int(round(smooth_m / GRID_M)))
    if w > 1 and len(zg) > w:
        pad = w // 2
        padded = np.concatenate((np.full(pad, zg[0]), zg, np.full(w - 1 - pad, zg[-1])))
        zg = np.convolve(padded, np.ones(w) / w, mode="valid")
    return zg


def smooth_profile(
    distance_m: np.ndarray,
    elevation_m: np.ndarray,
    t_s: np.ndarray | None = None,
    smooth_m: float = SMOOTH_M,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None] | None:
    """(grid distance, smoothed elevation, moving time on the grid), or None when unusable."""
    reg = _regular(distance_m, elevation_m, _moving_clock(t_s))
    if reg is None:
        return None
    grid, zg, tg = reg
    return grid, _smoothed(zg, smooth_m), tg


class _Segments:
    """The consecutive ``GRADE_M`` segments of a grid (step 4): the same for every smoothing."""

    def __init__(self, grid: np.ndarray, tg: np.ndarray | None) -> None:
        step = max(1, int(round(GRADE_M / GRID_M)))
        idx = np.arange(0, len(grid), step)
        if idx[-1] != len(grid) - 1:
            idx = np.append(idx, len(grid) - 1)
        self.idx = idx
        self.length = np.diff(grid[idx])
        # a last stub shorter than half a segment gives noisy grades: ignore it
        self.valid = self.length >= GRADE_M / 2
        self.divisor = np.where(self.length > 0, self.length, 1.0)
        self.moving = np.diff(tg[idx]) if tg is not None else None


def _descent(zs: np.ndarray, seg: _Segments, band: float) -> DescentStats:
    """Steps 3-5 on one smoothed profile."""
    ascent, descent, largest = hysteresis_totals(zs, band)
    grade = np.diff(zs[seg.idx]) / seg.divisor
    le10 = seg.valid & (grade <= -0.10)
    le15 = seg.valid & (grade <= -0.15)
    return DescentStats(
        ascent_m=ascent,
        descent_m=descent,
        e10_km=float(seg.length[le10].sum() / 1000.0),
        e15_km=float(seg.length[le15].sum() / 1000.0),
        min_le10=float(seg.moving[le10].sum() / 60.0) if seg.moving is not None else None,
        longest_descent_m=largest,
    )


def descent_stats(
    distance_m: np.ndarray,
    elevation_m: np.ndarray,
    t_s: np.ndarray | None = None,
    *,
    gps: bool = False,
) -> DescentStats | None:
    """Descent figures of one stream, or None when distance or elevation is unusable.

    ``gps``: a GPS-only profile, smoothed and dead-banded more heavily (module text)."""
    smooth_m, band = (GPS_SMOOTH_M, GPS_HYSTERESIS_M) if gps else (SMOOTH_M, HYSTERESIS_M)
    reg = _regular(distance_m, elevation_m, _moving_clock(t_s))
    if reg is None:
        return None
    grid, zg, tg = reg
    return _descent(_smoothed(zg, smooth_m), _Segments(grid, tg), band)


def descent_pair(
    distance_m: np.ndarray, elevation_m: np.ndarray, clock: np.ndarray | None
) -> tuple[DescentStats, DescentStats] | None:
    """``descent_stats`` of one stream as recorded and as GPS-only, sharing the grid.
    ``clock``: the moving time at each sample (``capped_steps`` summed), or None."""
    reg = _regular(distance_m, elevation_m, clock)
    if reg is None:
        return None
    grid, zg, tg = reg
    seg = _Segments(grid, tg)
    return (
        _descent(_smoothed(zg, SMOOTH_M), seg, HYSTERESIS_M),
        _descent(_smoothed(zg, GPS_SMOOTH_M), seg, GPS_HYSTERESIS_M),
    )


def stream_distance(s: Stream | None) -> np.ndarray | None:
    """Cumulative distance (m): the distance channel, else from positions; None if neither."""
    if s is None:
        return None
    if s.distance_m is not None and np.isfinite(s.distance_m).sum() >= 2:
        return np.asarray(s.distance_m, dtype=float)
    if s.lat_deg is not None and s.lon_deg is not None and np.isfinite(s.lat_deg).sum() >= 2:
        return cumulative_distance(s.lat_deg, s.lon_deg)
    return None


def half_paces(t: np.ndarray, d: np.ndarray) -> tuple[float | None, float | None]:
    """Pace (s/km) of the first and the second half of the distance."""
    ok = np.isfinite(t) & np.isfinite(d)
    t, d = t[ok], d[ok]
    if len(d) < 10 or d[-1] - d[0] < 1000:
        return None, None
    half = d[0] + (d[-1] - d[0]) / 2
    t_half = float(np.interp(half, np.maximum.accumulate(d), t))
    k1 = (half - d[0]) / 1000.0
    return float((t_half - t[0]) / k1), float((t[-1] - t_half) / k1)
