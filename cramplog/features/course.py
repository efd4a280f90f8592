"""A goal course's numbers, computed exactly as a session's.

``course_stats(stream)`` runs the session pipeline, so a course and a training session that
cover the same ground give the same numbers: distance as ``stream_distance`` gives it;
ascent and descent with the 3 m hysteresis over the recorded elevation samples
(``ingest.geo.climb``), as the GPX and TCX readers total a session (a watch's FIT totals are
its own barometric ones, which a course file does not have); E10, E15 and the longest descent
from the 10 m grid, 70 m smoothing and 50 m grade segments of ``features.elevation``. It adds
what only a course needs: the longest continuous descent's length (km), and the smoothed
elevation profile for the charts.

``effort_km`` is the course's ITRA "effort km" — km + ascent m / 100 (International Trail
Running Association: 100 m of climbing counts as 1 km); the time prediction on it is CR04's
(``rules.pace.predicted_time``: earlier races first, else training of the same terrain or
all terrains climb-adjusted), so a course and a typed goal are predicted the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cramplog.features.elevation import GRADE_M, GRID_M, HYSTERESIS_M

if TYPE_CHECKING:
    from cramplog.model import Stream

EFFORT_M_PER_KM = 100.0  # ITRA: 100 m of ascent = 1 effort km
PROFILE_STEP_M = 250.0  # the elevation profile kept for charts: one point per 250 m


@dataclass
class CourseStats:
    path: str
    distance_m: float
    has_elevation: bool
    ascent_m: float | None = None
    descent_m: float | None = None
    e10_km: float | None = None
    e15_km: float | None = None
    longest_descent_m: float | None = None
    longest_descent_km: float | None = None
    # (km from the start, smoothed elevation m), every PROFILE_STEP_M
    profile: list[tuple[float, float]] = field(default_factory=list)

    @property
    def distance_km(self) -> float:
        return self.distance_m / 1000.0

    @property
    def effort_km(self) -> float:
        return effort_km(self.distance_km, self.ascent_m)

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None, nd: int = 1) -> float | None:
            return None if x is None else round(x, nd)

        return {
            "file": self.path,
            "distance_km": r(self.distance_km, 2),
            "ascent_m": r(self.ascent_m, 0),
            "descent_m": r(self.descent_m, 0),
            "e10_km": r(self.e10_km, 2),
            "e15_km": r(self.e15_km, 2),
            "longest_descent_m": r(self.longest_descent_m, 0),
            "longest_descent_km": r(self.longest_descent_km, 2),
        }


def _turning_indices(z: Any, band: float) -> list[int]:
    """Grid indices of the alternating highs and lows that differ by more than ``band`` — the
    turning points ``ingest.geo.hysteresis_totals`` sums, with their positions."""
    pts = [0]
    direction = 0
    ext_i = 0
    vals = z.tolist()
    for i, v in enumerate(vals[1:], 1):
        ext = vals[ext_i]
        if direction == 0:
            if abs(v - vals[0]) > band:
                direction, ext_i = (1 if v > vals[0] else -1), i
        elif direction == 1:
            if v > ext:
                ext_i = i
            elif ext - v > band:
                pts.append(ext_i)
                direction, ext_i = -1, i
        else:
            if v < ext:
                ext_i = i
            elif v - ext > band:
                pts.append(ext_i)
                direction, ext_i = 1, i
    if direction != 0:
        pts.append(ext_i)
    return pts


def course_stats(stream: Stream, path: str) -> CourseStats:
    """The course's numbers; without elevation only the distance (``has_elevation`` False)."""
    import numpy as np

    from cramplog.errors import InputError
    from cramplog.features.elevation import descent_stats, smooth_profile, stream_distance
    from cramplog.ingest.geo import climb

    dist = stream_distance(stream)
    if dist is None or not np.isfinite(dist).any():
        raise InputError(f"course file {path}: no positions or distances to measure")
    d = dist[np.isfinite(dist)]
    distance_m = float(d.max() - d.min())
    if distance_m <= 0:
        raise InputError(f"course file {path}: the course has no length")
    ele = stream.elevation_m
    prof = smooth_profile(dist, ele, None) if ele is not None else None
    stats = descent_stats(dist, ele, None) if ele is not None else None
    if prof is None or stats is None:
        return CourseStats(path, distance_m, has_elevation=False)
    grid, zg, _ = prof
    updown = climb(np.asarray(ele, dtype=float), HYSTERESIS_M)
    ascent, descent = updown if updown is not None else (stats.ascent_m, stats.descent_m)
    turns = _turning_indices(zg, HYSTERESIS_M)
    best_drop, best_len = 0.0, 0.0
    for a, b in zip(turns, turns[1:], strict=False):  # the largest drop, as descent_stats
        drop = float(zg[a] - zg[b])
        if drop > best_drop:
            best_drop, best_len = drop, float(grid[b] - grid[a])
    step = max(1, int(round(PROFILE_STEP_M / GRID_M)))
    idx = list(range(0, len(grid), step))
    if idx[-1] != len(grid) - 1:
        idx.append(len(grid) - 1)
    profile = [(float((grid[i] - grid[0]) / 1000.0), float(zg[i])) for i in idx]
    return CourseStats(
        path=path,
        distance_m=distance_m,
        has_elevation=True,
        ascent_m=ascent,
        descent_m=descent,
        e10_km=stats.e10_km,
        e15_km=stats.e15_km,
        longest_descent_m=best_drop,
        longest_descent_km=best_len / 1000.0,
        profile=profile,
    )


def effort_km(km: float, ascent_m: float | None) -> float:
    """ITRA effort km: km + ascent / 100 m (unknown ascent counts as none)."""
    return km + (ascent_m or 0.0) / EFFORT_M_PER_KM


GRADE_NOTE = f"grades over {GRADE_M:.0f} m segments of the {GRID_M:.0f} m smoothed profile"
