"""Per-session features: TRIMP, load sources, temperature, summary-only sessions, caching."""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone

import numpy as np
import pytest

from cramplog.features.compute import (
    FALLBACK_TRIMP_PER_MIN,
    HrBounds,
    SessionFeatures,
    assign_fallback_loads,
    compute_features,
    estimate_hr_bounds,
    trimp_from_samples,
)
from cramplog.model import Activity, Profile, Stream

START = datetime(2024, 6, 1, 6, 0, tzinfo=timezone.utc)
HR = HrBounds(hr_max=190.0, hr_rest=50.0, estimated=False, note="")


def hour_stream(hr: float = 150.0, n: int = 3601, **extra: np.ndarray) -> Stream:
    t = np.arange(n, dtype=float)
    return Stream(t_s=t, hr_bpm=np.full(n, hr), distance_m=t * 3.0, **extra)


def banister(hrr: float, minutes: float, a: float, b: float) -> float:
    return minutes * hrr * a * math.exp(b * hrr)


@pytest.mark.parametrize(
    ("sex", "a", "b"),
    [("male", 0.64, 1.92), ("female", 0.86, 1.67), ("unspecified", 0.725215, 1.795)],
)
def test_trimp_constant_hour(sex: str, a: float, b: float) -> None:
    act = Activity(sport="running", start=START, stream=hour_stream())
    f = compute_features(act, Profile(name="x", sex=sex), HR)
    hrr = (150 - 50) / (190 - 50)
    assert f.trimp == pytest.approx(banister(hrr, 60.0, a, b), rel=1e-9)
    assert f.load == f.trimp and f.load_source == "hr" and f.trimp_coeffs == sex


def test_trimp_male_hand_value() -> None:
    # 60 · (100/140) · 0.64 · e^(1.92 · 100/140) = 108.095 (computed by hand)
    trimp, cover = trimp_from_samples(np.arange(3601.0), np.full(3601, 150.0), 50, 190, "male")
    assert trimp == pytest.approx(108.095, abs=0.01)
    assert cover == 1.0


def test_hrr_clipped_and_invalid_hr_dropped() -> None:
    t = np.arange(3601.0)
    above = trimp_from_samples(t, np.full(3601, 240.0), 50, 190, "male")[0]
    assert above == pytest.approx(banister(1.0, 60, 0.64, 1.92))
    below = trimp_from_samples(t, np.full(3601, 40.0), 50, 190, "male")[0]
    assert below == 0.0
    hr = np.full(3601, 150.0)
    hr[::2] = 0.0  # dropouts: every other sample invalid → the valid neighbours carry it
    trimp, cover = trimp_from_samples(t, hr, 50, 190, "male")
    assert trimp == pytest.approx(banister(100 / 140, 60, 0.64, 1.92), rel=1e-9)
    assert cover == 1.0
    hr[1::4] = 300.0  # now half of the intervals have no valid endpoint at all
    trimp, cover = trimp_from_samples(t, hr, 50, 190, "male")
    assert cover == pytest.approx(0.5)
    assert trimp == pytest.approx(banister(100 / 140, 30, 0.64, 1.92), rel=1e-9)


def test_gaps_count_at_most_30_seconds() -> None:
    t = np.array([0.0, 10.0, 3600.0])  # a pause of almost an hour
    trimp, _ = trimp_from_samples(t, np.full(3, 150.0), 50, 190, "male")
    assert trimp == pytest.approx(banister(100 / 140, 40 / 60, 0.64, 1.92))


def test_rpe_and_fallback_loads() -> None:
    p = Profile(name="x", sex="male")
    rpe = Activity(sport="running", start=START, elapsed_s=3000, rpe=6)
    f = compute_features(rpe, p, HrBounds(None, 60.0, True, ""))
    assert f.load == pytest.approx(6 * 50) and f.load_source == "rpe"
    bare = Activity(sport="running", start=START, elapsed_s=1800)
    g = compute_features(bare, p, HR)
    assert g.load_source == "fallback"
    assert g.load == pytest.approx(FALLBACK_TRIMP_PER_MIN * 30)
    assert any("load estimated" in m for m in g.missing)


def test_fallback_uses_family_median_after_five_hr_sessions() -> None:
    p = Profile(name="x", sex="male")
    hr_feats = [
        compute_features(Activity(sport="running", start=START, stream=hour_stream(hr)), p, HR)
        for hr in (120, 130, 140, 150, 160)
    ]
    bare = compute_features(Activity(sport="trail_running", start=START, elapsed_s=1800), p, HR)
    ride = compute_features(Activity(sport="cycling", start=START, elapsed_s=1800), p, HR)
    feats = [*hr_feats[:4], bare, ride]
    assign_fallback_loads(feats)
    assert bare.load == pytest.approx(30 * FALLBACK_TRIMP_PER_MIN)  # only 4 HR sessions yet
    feats.append(hr_feats[4])
    rates = assign_fallback_loads(feats)
    per_min = sorted(f.trimp / 60 for f in hr_feats)
    assert rates["running"] == pytest.approx(per_min[2])
    assert bare.load == pytest.approx(30 * per_min[2])
    assert ride.load == pytest.approx(30 * FALLBACK_TRIMP_PER_MIN)  # no cycling HR history


def test_summary_only_session_lists_missing() -> None:
    act = Activity(sport="running", start=START, elapsed_s=3600, distance_m=12000,
                   descent_m=250, hr_avg=150, temp_avg_c=22, temp_max_c=24)  # fmt: skip
    f = compute_features(act, Profile(name="x", sex="male"), HR)
    assert f.descent_m == 250 and f.e10_km is None and f.min_le10 is None
    assert f.pace_s_per_km == pytest.approx(300)
    assert f.trimp == pytest.approx(banister(100 / 140, 60, 0.64, 1.92))
    assert f.min_above_heat == 0.0  # max below 25 °C: no heat minutes, known
    assert any("stream" in m for m in f.missing)
    assert any("E10" in m for m in f.missing)


def test_missing_elevation_is_missing_not_zero() -> None:
    act = Activity(sport="running", start=START, elapsed_s=3600, distance_m=10000)
    f = compute_features(act, Profile(name="x"), HR)
    assert f.descent_m is None and f.ascent_m is None and f.longest_descent_m is None


def test_temperature_minutes_above_threshold() -> None:
    n = 3601
    temp = np.where(np.arange(n) < 1800, 20.0, 27.0)
    act = Activity(sport="running", start=START, stream=hour_stream(n=n, temperature_c=temp))
    f = compute_features(act, Profile(name="x"), HR)
    assert f.min_above_heat == pytest.approx(30.0, abs=0.05)
    assert (f.temp_min_c, f.temp_max_c) == (20.0, 27.0)
    assert f.temp_mean_c == pytest.approx(23.5, abs=0.01)
    g = compute_features(act, Profile(name="x", thresholds={"heat_c": 28}), HR)
    assert g.min_above_heat == 0.0 and g.heat_c == 28


def test_local_date_uses_profile_zone() -> None:
    evening = datetime(2024, 6, 2, 1, 40, tzinfo=timezone.utc)  # 18:40 in California, June 1
    act = Activity(sport="running", start=evening, elapsed_s=1800)
    f = compute_features(act, Profile(name="x", timezone="America/Los_Angeles"), HR)
    assert f.local_date.isoformat() == "2024-06-01"
    act.utc_offset_s = 3 * 3600
    assert compute_features(act, Profile(name="x"), HR).local_date.isoformat() == "2024-06-02"


def test_to_dict_round_trip_is_json_safe() -> None:
    act = Activity(sport="running", start=START, stream=hour_stream(), id=7)
    f = compute_features(act, Profile(name="x", sex="male"), HR)
    text = json.dumps(f.to_dict(), allow_nan=False)
    assert SessionFeatures.from_dict(json.loads(text)) == f


def test_hr_bounds_profile_wins_and_estimates_are_labelled() -> None:
    acts = [Activity(sport="running", start=START, stream=hour_stream(150.0 + i)) for i in range(3)]
    acts[0].stream.hr_bpm[100] = 400.0  # an artefact above 250 is ignored
    fixed = estimate_hr_bounds(Profile(name="x", hr_max=185, hr_rest=45), acts)
    assert (fixed.hr_max, fixed.hr_rest, fixed.estimated) == (185, 45, False)
    est = estimate_hr_bounds(Profile(name="x"), acts)
    assert est.estimated and 150 <= est.hr_max <= 152.01
    assert "estimated" in est.note
    none = estimate_hr_bounds(Profile(name="x"), [])
    assert none.hr_max is None and none.hr_rest == 60.0 and "default" in none.note


def test_low_hr_coverage_falls_back_to_rpe() -> None:
    n = 3601
    hr = np.full(n, np.nan)
    hr[:600] = 150.0  # HR only for the first 10 minutes of the hour
    s = Stream(t_s=np.arange(n, dtype=float), hr_bpm=hr, distance_m=np.arange(n) * 3.0)
    f = compute_features(
        Activity(sport="running", start=START, stream=s, rpe=4), Profile(name="x"), HR
    )
    assert f.trimp is None and f.load_source == "rpe" and f.load == pytest.approx(4 * 60)
    assert any("covers only" in m for m in f.missing)


def test_distance_from_positions_when_no_distance_channel() -> None:
    n = 1001
    lat = np.zeros(n)
    lon = np.linspace(0.0, 0.09, n)  # about 10 km along the equator
    z = np.linspace(600.0, 0.0, n)  # −6 % all the way
    s = Stream(t_s=np.arange(n) * 3.0, lat_deg=lat, lon_deg=lon, elevation_m=z)
    f = compute_features(Activity(sport="running", start=START, stream=s), Profile(name="x"), HR)
    # 0.09 degree of longitude on the WGS84 equator: a * pi / 180 * 0.09 = 10018.8 m
    assert f.distance_m == pytest.approx(6378137.0 * np.pi / 180 * 0.09, rel=1e-4)
    assert f.descent_m == pytest.approx(600, abs=5) and f.e10_km == 0.0
