"""A stream's feature numbers against the first, plain implementation, kept here as the
reference: each descent profile built from scratch, the moving time recomputed for every use.
The numbers must be the same bit for bit (``stream_numbers`` now builds the distance grid once
for both smoothings and the time steps once for load, moving time and heat).

The reference uses ``geo.hysteresis_totals`` (checked against its own first version in
test_geo_reference) and the unchanged ``stream_distance`` / ``half_paces``."""

from __future__ import annotations

import dataclasses
import struct
from typing import Any

import numpy as np
import pytest

from cramplog.features.compute import HrBounds, stream_numbers, trimp_from_samples
from cramplog.features.elevation import (
    DescentStats,
    descent_stats,
    half_paces,
    smooth_profile,
    stream_distance,
)
from cramplog.ingest.geo import hysteresis_totals
from cramplog.model import Profile, Stream

GAP = 30.0
COEFFS = {"male": (0.64, 1.92), "female": (0.86, 1.67), "unspecified": (0.725215, 1.795)}


def smooth_first_version(
    distance_m: np.ndarray, elevation_m: np.ndarray, t_s: np.ndarray | None, smooth_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None] | None:
    d = np.asarray(distance_m, dtype=float)
    z = np.asarray(elevation_m, dtype=float)
    ok = np.isfinite(d) & np.isfinite(z)
    if ok.sum() < 2:
        return None
    t_mov = None
    if t_s is not None:
        t = np.asarray(t_s, dtype=float)
        dt = np.diff(t, prepend=t[0])
        dt = np.where(np.isfinite(dt) & (dt > 0), np.minimum(dt, GAP), 0.0)
        t_mov = np.cumsum(dt)[ok]
    d, z = d[ok], z[ok]
    keep = np.concatenate(([True], d[1:] > np.maximum.accumulate(d)[:-1]))
    d, z = d[keep], z[keep]
    if t_mov is not None:
        t_mov = t_mov[keep]
    if len(d) < 2 or d[-1] - d[0] < 100.0:
        return None
    grid = np.arange(d[0], d[-1] + 1e-9, 10.0)
    zg = np.interp(grid, d, z)
    w = max(1, int(round(smooth_m / 10.0)))
    if w > 1 and len(zg) > w:
        pad = w // 2
        padded = np.concatenate((np.full(pad, zg[0]), zg, np.full(w - 1 - pad, zg[-1])))
        zg = np.convolve(padded, np.ones(w) / w, mode="valid")
    tg = np.interp(grid, d, t_mov) if t_mov is not None else None
    return grid, zg, tg


def descent_first_version(
    distance_m: np.ndarray, elevation_m: np.ndarray, t_s: np.ndarray | None, gps: bool
) -> DescentStats | None:
    smooth_m, band = (500.0, 10.0) if gps else (70.0, 3.0)
    prof = smooth_first_version(distance_m, elevation_m, t_s, smooth_m)
    if prof is None:
        return None
    grid, zg, tg = prof
    ascent, descent, largest = hysteresis_totals(zg, band)
    idx = np.arange(0, len(grid), 5)
    if idx[-1] != len(grid) - 1:
        idx = np.append(idx, len(grid) - 1)
    seg_len = np.diff(grid[idx])
    seg_dz = np.diff(zg[idx])
    valid = seg_len >= 25.0
    grade = np.where(valid, seg_dz / np.where(seg_len > 0, seg_len, 1.0), 0.0)
    le10 = valid & (grade <= -0.10)
    le15 = valid & (grade <= -0.15)
    min_le10 = float(np.diff(tg[idx])[le10].sum() / 60.0) if tg is not None else None
    return DescentStats(
        ascent_m=ascent,
        descent_m=descent,
        e10_km=float(seg_len[le10].sum() / 1000.0),
        e15_km=float(seg_len[le15].sum() / 1000.0),
        min_le10=min_le10,
        longest_descent_m=largest,
    )


def trimp_first_version(
    t_s: np.ndarray, hr: np.ndarray, hr_rest: float, hr_max: float, sex: str
) -> tuple[float, float]:
    a, b = COEFFS.get(sex, COEFFS["unspecified"])
    t = np.asarray(t_s, dtype=float)
    hr = np.asarray(hr, dtype=float)
    hrr = np.clip(
        (np.where((hr > 0) & (hr <= 250), hr, np.nan) - hr_rest) / (hr_max - hr_rest), 0, 1
    )
    f = hrr * a * np.exp(b * hrr)
    if len(t) < 2:
        return 0.0, 0.0
    dt = np.diff(t)
    dt = np.where(np.isfinite(dt) & (dt > 0), np.minimum(dt, GAP), 0.0)
    left, right = f[:-1], f[1:]
    both = np.isfinite(left) & np.isfinite(right)
    seg = np.where(both, (left + right) / 2.0, np.where(np.isfinite(left), left, right))
    valid = np.isfinite(seg)
    total = float(dt.sum())
    trimp = float((np.where(valid, seg, 0.0) * dt).sum() / 60.0)
    return trimp, (float(dt[valid].sum()) / total if total > 0 else 0.0)


def numbers_first_version(stream: Stream, sex: str, hr: HrBounds, heat_c: float) -> dict:
    out: dict[str, Any] = {}
    dist = stream_distance(stream)
    t = np.asarray(stream.t_s, dtype=float)
    out["distance_span_m"] = float(np.nanmax(dist) - np.nanmin(dist)) if dist is not None else None
    out["half_paces"] = half_paces(t, dist) if dist is not None else None
    out["time_span_s"] = out["moving_s"] = None
    if len(t) >= 2:
        out["time_span_s"] = float(np.nanmax(t) - np.nanmin(t))
        dt = np.diff(t)
        out["moving_s"] = float(np.where(np.isfinite(dt) & (dt > 0), np.minimum(dt, GAP), 0).sum())
    out["trimp_cover"] = None
    if hr.hr_max is not None and hr.hr_rest is not None and stream.hr_bpm is not None:
        out["trimp_cover"] = trimp_first_version(
            stream.t_s, stream.hr_bpm, hr.hr_rest, hr.hr_max, sex
        )
    out["descent"] = out["descent_gps"] = None
    if stream.elevation_m is not None and dist is not None:
        out["descent"] = descent_first_version(dist, stream.elevation_m, stream.t_s, False)
        out["descent_gps"] = descent_first_version(dist, stream.elevation_m, stream.t_s, True)
    out["temperature"] = None
    temp = stream.temperature_c
    if temp is not None and np.isfinite(temp).any():
        ok = np.isfinite(temp)
        dt = np.diff(t, prepend=t[0])
        dt = np.where(np.isfinite(dt) & (dt > 0), np.minimum(dt, GAP), 0.0)
        w = dt[ok]
        mean = float(np.average(temp[ok], weights=w)) if w.sum() > 0 else float(temp[ok].mean())
        out["temperature"] = (
            float(np.min(temp[ok])),
            float(np.max(temp[ok])),
            mean,
            float(dt[ok & (temp >= heat_c)].sum() / 60.0),
        )
    return out


def exact(x: Any) -> Any:
    """A value with every float replaced by its bits (NaN, -0.0 and all compare exactly)."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return exact(dataclasses.asdict(x))
    if isinstance(x, dict):
        return {k: exact(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [exact(v) for v in x]
    if isinstance(x, np.ndarray):
        return (x.dtype.str, x.tobytes())
    if isinstance(x, float):
        return struct.pack("<d", x).hex()
    return x


def synthetic_stream(seed: int) -> Stream:
    """A run with pauses, clock jumps, dropouts, climbs and sensor junk, chosen by ``seed``."""
    rng = np.random.default_rng(seed)
    n = int(rng.choice([0, 1, 2, 3, 12, 400, 3000]))
    dt = rng.choice([1.0, 1.0, 1.0, 2.0, 45.0, -3.0, 0.0], n)
    t = np.cumsum(dt) - (dt[0] if n else 0.0)
    t[rng.random(n) < 0.01] = np.nan
    speed = rng.uniform(0.0, 5.0, n)
    dist = np.cumsum(np.where(rng.random(n) < 0.1, 0.0, speed))  # standing still at times
    dist[rng.random(n) < 0.02] -= 3.0  # GPS jitter back
    ele = 300 + np.cumsum(rng.normal(0, 0.8, n)) + 40 * np.sin(np.arange(n) / 300)
    ele = np.round(ele, int(rng.integers(0, 2)))  # ties as a barometer gives them
    hr = rng.normal(145, 15, n)
    hr[rng.random(n) < 0.05] = rng.choice([0.0, 400.0, np.nan])
    temp = rng.normal(24, 3, n)
    for arr in (dist, ele, temp):
        arr[rng.random(n) < 0.03] = np.nan
    lat = 46.0 + np.cumsum(rng.normal(0, 2e-5, n))
    lon = 7.0 + np.cumsum(rng.normal(0, 2e-5, n))
    pick = int(rng.integers(0, 8))
    return Stream(
        t_s=t,
        distance_m=dist if pick % 2 else None,
        elevation_m=ele if pick % 4 < 3 else None,
        hr_bpm=hr if pick != 5 else None,
        temperature_c=(temp if pick % 3 else np.full(n, np.nan)) if pick != 6 else None,
        lat_deg=lat if pick % 2 == 0 and pick != 4 else None,
        lon_deg=lon if pick % 2 == 0 and pick != 4 else None,
    )


PROFILES = [
    (Profile(name="m", sex="male"), HrBounds(188.0, 48.0, False, "")),
    (Profile(name="f", sex="female", thresholds={"heat_c": 22.0}), HrBounds(175.0, 55.0, True, "")),
    (Profile(name="u", sex="?"), HrBounds(None, 60.0, True, "")),
]


@pytest.mark.parametrize("seed", range(120))
def test_stream_numbers_as_first_written(seed: int) -> None:
    stream = synthetic_stream(seed)
    for profile, hr in PROFILES:
        got = stream_numbers(stream, profile, hr)
        sex = got.inputs[0]
        ref = numbers_first_version(stream, sex, hr, got.inputs[3])
        fields = {k: v for k, v in dataclasses.asdict(got).items() if k != "inputs"}
        assert exact(fields) == exact(ref)


@pytest.mark.parametrize("seed", range(0, 120, 7))
def test_profile_descent_and_load_as_first_written(seed: int) -> None:
    s = synthetic_stream(seed)
    d = s.distance_m if s.distance_m is not None else np.arange(len(s), dtype=float) * 3.0
    ele = s.elevation_m if s.elevation_m is not None else np.zeros(len(s))
    for t in (s.t_s, None):
        for smooth_m in (10.0, 70.0, 500.0):
            got = smooth_profile(d, ele, t, smooth_m)
            assert exact(got) == exact(smooth_first_version(d, ele, t, smooth_m))
        for gps in (False, True):
            got = descent_stats(d, ele, t, gps=gps)
            assert exact(got) == exact(descent_first_version(d, ele, t, gps))
    if s.hr_bpm is not None:
        got = trimp_from_samples(s.t_s, s.hr_bpm, 50.0, 190.0, "female")
        assert exact(got) == exact(trimp_first_version(s.t_s, s.hr_bpm, 50.0, 190.0, "female"))


def test_the_reference_sees_real_numbers() -> None:
    """The synthetic streams reach every part: a comparison of Nones would prove nothing."""
    seen: dict[str, int] = {}
    for seed in range(120):
        ref = numbers_first_version(synthetic_stream(seed), "male", PROFILES[0][1], 25.0)
        for k, v in ref.items():
            if v is not None:
                seen[k] = seen.get(k, 0) + 1
        d = ref["descent"]
        if d is not None and d.e10_km > 0 and d.min_le10:
            seen["steep"] = seen.get("steep", 0) + 1
    assert min(seen.values()) >= 5 and len(seen) == 9, seen
