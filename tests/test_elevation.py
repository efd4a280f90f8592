"""Descent, E10/E15 and steep minutes from synthetic elevation profiles."""

from __future__ import annotations

import numpy as np
import pytest

from cramplog.features.elevation import descent_stats
from cramplog.ingest.geo import cumulative_distance, hysteresis_totals


def up_down(step: float = 5.0) -> tuple[np.ndarray, np.ndarray]:
    """2 km flat, 3 km up at +10 % (300 m), 4 km down at −12.5 % (500 m), 1 km flat."""
    d = np.arange(0.0, 10000.0 + step, step)
    z = np.interp(d, [0, 2000, 5000, 9000, 10000], [100, 100, 400, -100, -100])
    return d, z


def test_known_profile_exact() -> None:
    d, z = up_down()
    s = descent_stats(d, z, d / 3.0)  # 3 m/s
    assert s is not None
    assert s.ascent_m == pytest.approx(300, abs=3)
    assert s.descent_m == pytest.approx(500, abs=3)
    assert s.longest_descent_m == pytest.approx(500, abs=3)
    # the −12.5 % stretch is 4 km; smoothing rounds ~one grade segment at each end
    assert s.e10_km == pytest.approx(4.0, abs=0.1)
    assert s.e15_km == 0.0
    assert s.min_le10 == pytest.approx(4000 / 3 / 60, rel=0.03)


def test_noise_is_rejected() -> None:
    d, z = up_down(step=3.0)
    rng = np.random.default_rng(42)
    noisy = z + rng.normal(0.0, 2.0, len(z))  # ±2 m GPS-like jitter at every 3 m sample
    raw_descent = float(-np.diff(noisy)[np.diff(noisy) < 0].sum())
    assert raw_descent > 2000  # naive differencing would count thousands of metres
    s = descent_stats(d, noisy)
    assert s is not None
    assert s.descent_m == pytest.approx(500, rel=0.05)
    assert s.ascent_m == pytest.approx(300, rel=0.05)
    assert s.e10_km == pytest.approx(4.0, abs=0.4)


def test_flat_noise_gives_no_descent() -> None:
    d = np.arange(0.0, 5000.0, 2.0)
    z = 50 + np.where(np.arange(len(d)) % 2, 1.5, -1.5)  # sawtooth ±1.5 m
    s = descent_stats(d, z)
    assert s is not None and s.descent_m == 0.0 and s.e10_km == 0.0


def test_steep_ramp_counts_in_e15() -> None:
    d = np.arange(0.0, 3000.0 + 1, 2.0)
    z = np.interp(d, [0, 1000, 2000, 3000], [600, 600, 400, 400])  # −20 % over 1 km
    s = descent_stats(d, z, d / 2.5)
    assert s is not None
    assert s.e10_km == pytest.approx(1.0, abs=0.1)
    assert s.e15_km == pytest.approx(1.0, abs=0.1)
    assert s.descent_m == pytest.approx(200, abs=3)


def test_gentle_descent_is_not_e10() -> None:
    d = np.arange(0.0, 10000.0, 5.0)
    z = 500 - d * 0.05  # −5 %
    s = descent_stats(d, z)
    assert s is not None
    assert s.descent_m == pytest.approx(500, abs=5) and s.e10_km == 0.0


def test_missing_elevation_samples_are_dropped_not_zeroed() -> None:
    d, z = up_down()
    z = z.copy()
    z[100:140] = np.nan  # a short gap on the flat
    s = descent_stats(d, z)
    assert s is not None and s.descent_m == pytest.approx(500, abs=3)
    assert descent_stats(d, np.full(len(d), np.nan)) is None


def test_standing_still_and_distance_jitter() -> None:
    d, z = up_down()
    d2 = np.concatenate((d[:500], np.full(200, d[499]), d[500:]))
    z2 = np.concatenate((z[:500], np.full(200, z[499]), z[500:]))
    s = descent_stats(d2, z2)
    assert s is not None and s.descent_m == pytest.approx(500, abs=3)


def test_hysteresis_band() -> None:
    z = np.array([0, 2, 0, 2, 0, 10, 7, 8, 3, 20], dtype=float)
    up, down, largest = hysteresis_totals(z, 3.0)
    assert (up, down, largest) == (27.0, 7.0, 7.0)


def test_track_distance_on_the_ellipsoid() -> None:
    lat = np.array([0.0, 0.0, 0.0])
    lon = np.array([0.0, 0.001, 0.002])
    d = cumulative_distance(lat, lon)
    assert d is not None
    # along the equator 0.001 degree of longitude is a x pi/180 / 1000 = 111.3195 m (WGS84)
    assert d[-1] == pytest.approx(2 * 111.3195, rel=1e-5)
