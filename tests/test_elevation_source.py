"""Elevation sources and phantom descent (issue 14, point 2): GPS-only profiles are smoothed
so that wander alone adds little descent, and CR06 compares like sources only."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from test_rules_common import D0, HR, context, hill_run, run

from cramplog.features.compute import compute_features
from cramplog.features.elevation import elevation_class, elevation_source
from cramplog.model import Activity, Profile, Stream
from cramplog.rules import run_rules

KM = 21.6
SPEED = 3.3  # m/s: 21.6 km in 1:49


def wander(seed: int, sigma: float = 4.0, tau_s: float = 30.0) -> np.ndarray:
    """AR(1) GPS elevation error: standard deviation ``sigma`` m, correlated over ``tau_s``."""
    rng = np.random.default_rng(seed)
    n = int(KM * 1000 / SPEED) + 1
    phi = np.exp(-1.0 / tau_s)
    shocks = rng.normal(0.0, sigma * np.sqrt(1 - phi**2), n)
    e = np.empty(n)
    e[0] = rng.normal(0.0, sigma)
    for i in range(1, n):
        e[i] = phi * e[i - 1] + shocks[i]
    return e


def raw_descent(z: np.ndarray) -> float:
    """Every metre down, unsmoothed (what a naive reader sums)."""
    dz = np.diff(z)
    return float(-dz[dz < 0].sum())


def phone_run(day: int, seed: int, fmt: str = "gpx", device: str = "StravaGPX iPhone"):
    """A flat 21.6 km run recorded by a phone: the elevation is 1,600 m plus GPS wander."""
    z = 1600.0 + wander(seed)
    t = np.arange(len(z), dtype=float)
    a = run(day, KM, pace=1000 / SPEED)
    a.stream = Stream(t_s=t, distance_m=t * SPEED, elevation_m=z)
    a.descent_m = raw_descent(z)  # the GPX reader's own climb of the raw track
    a.source_format, a.device = fmt, device
    return a


PROFILE = Profile(name="t", sex="male", hr_max=190, hr_rest=50)


@pytest.mark.parametrize("seed", range(6))
def test_gps_wander_on_flat_ground_adds_little_descent(seed: int) -> None:

    a = phone_run(10, seed)
    assert a.descent_m > 1000  # the phantom: over a kilometre of raw descent on flat ground
    f = compute_features(a, PROFILE, HR)
    hours = KM * 1000 / SPEED / 3600
    assert f.elevation_source == "gps"
    assert f.descent_m is not None and f.descent_m / hours < 30.0  # under 30 m an hour
    assert (f.e10_km or 0.0) < 0.2


def test_stronger_wander_stays_within_tens_of_metres_an_hour() -> None:

    for seed in range(4):
        a = phone_run(10, seed)
        z = 1600.0 + wander(seed, sigma=8.0)
        a.stream.elevation_m = z
        f = compute_features(a, PROFILE, HR)
        assert f.descent_m / (KM * 1000 / SPEED / 3600) < 80.0


def _flat_watch_history() -> list[Activity]:
    return [hill_run(d, 10, 8.0) for d in range(0, 42, 3)]  # barometric, ~8 m down each


def test_phone_run_on_flat_ground_raises_no_cr06() -> None:
    acts = [*_flat_watch_history(), phone_run(44, 1)]
    out = run_rules(context(acts))
    assert [f for f in out if f.rule == "CR06"] == []


def test_descent_is_compared_between_like_sources() -> None:
    # six weeks: flat watch runs (~8 m) and GPS-only hilly runs (600 m) ...
    acts = _flat_watch_history()
    for d in (5, 12, 19, 26):
        h = hill_run(d, 12, 600.0)
        h.source_format, h.device = "gpx", "StravaGPX"
        acts.append(h)
    # ... then a watch run with 700 m of descent: 1.17x the GPS runs, 87x the watch runs
    acts.append(hill_run(44, 14, 700.0))
    out = run_rules(context(acts))
    (f,) = [f for f in out if f.rule == "CR06"]
    assert f.date == D0 + timedelta(44)
    assert f.evidence["elevation_source"] == "barometric"
    assert f.evidence["prior_max_descent_m"] < 20  # the watch runs, not the GPS ones


def test_elevation_sources() -> None:
    assert elevation_source("fit", "garmin fr935", True, True) == "barometric"
    assert elevation_source("fit", "strava 102", True, True) == "gps"  # a phone app's FIT
    assert elevation_source("gpx", "StravaGPX", True, True) == "gps"
    assert elevation_source("tcx", "Forerunner 305", True, False) == "gps"
    assert elevation_source("gpx", "Urban Biker - with barometer", True, True) == "barometric"
    assert elevation_source("csv", None, False, True) == "device"
    assert elevation_source("gpx", "StravaGPX", False, True) == "none"  # raw climb, no profile
    assert elevation_source("fit", None, False, False) == "none"
    assert elevation_class("barometric") == elevation_class("device") == "baro"
    assert elevation_class("gps") == "gps" and elevation_class("none") is None


# -- real device files: barometric totals do not move ---------------------------------------

from conftest import realdata_files  # noqa: E402

FITS = realdata_files("fit", "*.fit", "*.FIT", "*.fit.gz")


@pytest.mark.realdata
@pytest.mark.parametrize("path", FITS, ids=lambda p: p.name.split("__", 1)[-1])
def test_real_barometric_totals_do_not_move(path) -> None:
    import gzip
    import io

    import fitparse

    from cramplog.errors import InputError
    from cramplog.ingest.read import parse_bytes

    try:
        result = parse_bytes(path.name, path.read_bytes())
    except InputError:
        pytest.skip("no session in this file")
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    totals = []
    try:
        for m in fitparse.FitFile(io.BytesIO(raw), check_crc=False).get_messages("session"):
            totals.append(m.get_value("total_descent"))
    except Exception:  # noqa: BLE001 - damaged files: the sessions that were read
        pass
    if len(totals) != len(result.activities):
        pytest.skip("sessions and activities do not pair up one to one (damaged file)")
    checked = 0
    for act, total in zip(result.activities, totals, strict=True):
        act.source_format = "fit"
        f = compute_features(act, PROFILE, HR)
        if f.elevation_source == "barometric" and isinstance(total, (int, float)):
            assert f.descent_m == pytest.approx(float(total), abs=1e-6)  # the device's own
            checked += 1
    if not checked:
        pytest.skip("no barometric session with a device total in this file")


@pytest.mark.slow
def test_sample_season_sources_come_from_the_stored_files(alex_season) -> None:
    from collections import Counter

    data, feats, _, _ = alex_season
    by_id = {a.id: a for a in data.activities}
    got = Counter((by_id[f.activity_id].source_format, f.elevation_source) for f in feats)
    # FIT from the Forerunner 935 (barometric) and Strava GPX (GPS-only): the README's counts
    assert got[("gpx", "gps")] == 20
    assert got[("fit", "barometric")] == 101
    assert not any(src == "gps" for (fmt, src) in got if fmt == "fit")
