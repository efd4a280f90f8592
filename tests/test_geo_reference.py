"""``ingest.geo`` against its first, plain implementations, kept here as the reference: the
dead-band walk over every sample (the module now walks only the extrema) and the distance
with the gap bookkeeping done for every track (the module skips it when no fix is missing).
Both must give exactly the same numbers, bit for bit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cramplog.ingest.geo import _turning_points, cumulative_distance, hysteresis_totals


def walk_every_sample(z: np.ndarray, band: float) -> list[float]:
    """The turning points as first written: one step per sample."""
    pts = [float(z[0])]
    direction = 0
    ext = float(z[0])
    for v in z[1:].tolist():
        if direction == 0:
            if abs(v - pts[0]) > band:
                direction, ext = (1 if v > pts[0] else -1), v
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


def totals_every_sample(z: np.ndarray, band: float) -> tuple[float, float, float]:
    """``hysteresis_totals`` as first written (NaN skipped, then the walk above)."""
    z = np.asarray(z, dtype=float)
    z = z[np.isfinite(z)]
    if len(z) < 2:
        return 0.0, 0.0, 0.0
    d = np.diff(np.asarray(walk_every_sample(z, band)))
    largest = float(-d.min()) if len(d) and d.min() < 0 else 0.0
    return float(d[d > 0].sum()), float(abs(d[d < 0].sum())), largest


def bits(values: list[float] | tuple[float, ...]) -> list[str]:
    return [float(v).hex() for v in values]


@pytest.mark.parametrize(
    ("z", "band", "expected"),
    [
        ([5.0, 5.0, 5.0, 5.0], 3.0, [5.0]),  # constant
        ([7.0], 3.0, [7.0]),  # one sample
        ([0.0, 4.0], 3.0, [0.0, 4.0]),  # two samples
        ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], 3.0, [0.0, 7.0]),  # monotone up
        ([9.0, 8.0, 6.0, 6.0, 6.0, 1.0], 3.0, [9.0, 1.0]),  # monotone down with a plateau
        # a reversal of exactly the band does not count, one just beyond it does
        ([0.0, 3.0, 0.0, 3.0, 0.0], 3.0, [0.0]),
        ([0.0, 5.0, 2.0, 5.0, 1.9, 8.0], 3.0, [0.0, 5.0, 1.9, 8.0]),
        # plateaus at the top and the bottom: their height counts once
        ([0.0, 10.0, 10.0, 10.0, 2.0, 2.0, 2.0, 12.0, 12.0], 3.0, [0.0, 10.0, 2.0, 12.0]),
        # the first move must leave the band around the first sample
        ([5.0, 7.0, 3.0, 8.5, 4.0], 3.0, [5.0, 8.5, 4.0]),
    ],
)
def test_hand_computed_profiles(z: list[float], band: float, expected: list[float]) -> None:
    arr = np.array(z)
    assert walk_every_sample(arr, band) == expected  # the reference agrees with the hand
    assert _turning_points(arr, band) == expected


# heights on a 0.5 m lattice: many exact ties, plateaus and reversals of exactly the band
lattice = st.lists(st.integers(-12, 12).map(lambda k: k * 0.5), min_size=1, max_size=80)


@given(lattice, st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0]))
def test_walk_over_extrema_is_the_walk_over_every_sample(z: list[float], band: float) -> None:
    arr = np.array(z)
    assert bits(_turning_points(arr, band)) == bits(walk_every_sample(arr, band))


@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), min_size=1, max_size=60),
    st.floats(0.0, 50.0),
)
def test_any_finite_profile(z: list[float], band: float) -> None:
    arr = np.array(z)
    assert bits(_turning_points(arr, band)) == bits(walk_every_sample(arr, band))


@given(
    st.lists(
        st.one_of(st.integers(-6, 6).map(float), st.just(math.nan), st.just(math.inf)),
        max_size=60,
    ),
    st.sampled_from([0.0, 1.0, 3.0]),
)
def test_totals_skip_nan_as_before(z: list[float], band: float) -> None:
    arr = np.array(z, dtype=float)
    assert bits(hysteresis_totals(arr, band)) == bits(totals_every_sample(arr, band))


def test_long_noisy_climb() -> None:
    rng = np.random.default_rng(7)
    z = np.round(np.cumsum(rng.normal(0.05, 1.0, 20_000)), 1)  # 0.1 m steps: ties
    for band in (0.0, 1.0, 3.0, 10.0):
        assert bits(_turning_points(z, band)) == bits(walk_every_sample(z, band))


# --- distance --------------------------------------------------------------------------

_A, _E2, _R = 6378137.0, 6.69437999014e-3, 6371008.8


def steps_first_version(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi = np.radians(lat)
    dphi = np.diff(phi)
    dlam = np.radians(np.diff(lon))
    dlam = (dlam + np.pi) % (2 * np.pi) - np.pi
    mid = phi[:-1] + dphi / 2
    w = 1.0 - _E2 * np.sin(mid) ** 2
    d = np.hypot(dphi * (_A * (1.0 - _E2) / w**1.5), dlam * (_A / np.sqrt(w)) * np.cos(mid))
    long_ = d > 20_000.0
    if long_.any():
        p1, p2 = phi[:-1][long_], phi[1:][long_]
        h = np.sin(dphi[long_] / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam[long_] / 2) ** 2
        d[long_] = 2 * _R * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return d


def distance_first_version(lat: np.ndarray, lon: np.ndarray) -> np.ndarray | None:
    ok = np.isfinite(lat) & np.isfinite(lon)
    if not ok.any():
        return None
    out = np.zeros(len(lat), dtype=np.float64)
    idx = np.flatnonzero(ok)
    out[idx] = np.concatenate(([0.0], np.cumsum(steps_first_version(lat[idx], lon[idx]))))
    last = np.maximum.accumulate(np.where(ok, np.arange(len(lat)), -1))
    return np.where(last >= 0, out[np.maximum(last, 0)], 0.0)


@pytest.mark.parametrize("gaps", [0, 1, 40])
@pytest.mark.parametrize("n", [1, 2, 3, 500])
def test_distance_as_first_written(n: int, gaps: int) -> None:
    rng = np.random.default_rng(n * 100 + gaps)
    lat = 47.0 + np.cumsum(rng.normal(0, 2e-5, n))
    lon = 179.9995 + np.cumsum(rng.normal(1e-5, 2e-5, n))  # crosses the antimeridian
    lon = (lon + 180.0) % 360.0 - 180.0
    lat[n // 2 :] += 0.3 * (n > 2)  # one signal gap of ~33 km (haversine)
    lat[rng.integers(1, n, gaps) if n > 2 else []] = np.nan  # the first fix stays
    got, ref = cumulative_distance(lat, lon), distance_first_version(lat, lon)
    assert got is not None and ref is not None
    assert got.dtype == ref.dtype and got.tobytes() == ref.tobytes()


def test_distance_without_any_fix_or_samples() -> None:
    assert cumulative_distance(np.full(3, np.nan), np.zeros(3)) is None
    assert cumulative_distance(np.array([]), np.array([])) is None
