"""Terrain, weather and a runner's body: turns a session plan into 1 Hz streams.

Everything is vectorised over a distance grid, then resampled in time, so a
three-hour mountain run costs a few milliseconds. All randomness comes from the
``numpy.random.Generator`` passed in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

EARTH_R = 6_371_000.0
GRID_M = 2.0  # distance grid step


# --------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class Route:
    """A course sampled every GRID_M metres: local x/y (m) around an origin, elevation (m)."""

    name: str
    x: np.ndarray
    y: np.ndarray
    ele: np.ndarray
    lat0: float
    lon0: float
    loop: bool

    @property
    def length_m(self) -> float:
        return float((len(self.x) - 1) * GRID_M)

    def at(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """x, y, elevation at distances d (loops repeat; out-and-back ends clamp)."""
        L = self.length_m
        dd = np.mod(d, L) if self.loop else np.clip(d, 0.0, L)
        grid = np.arange(len(self.x)) * GRID_M
        return (
            np.interp(dd, grid, self.x),
            np.interp(dd, grid, self.y),
            np.interp(dd, grid, self.ele),
        )

    def latlon(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lat = self.lat0 + np.degrees(y / EARTH_R)
        lon = self.lon0 + np.degrees(x / (EARTH_R * math.cos(math.radians(self.lat0))))
        return lat, lon


def _bumps(s: np.ndarray, hills: list[tuple[float, float, float]], periodic: bool) -> np.ndarray:
    """Sum of raised-cosine hills (centre, half-width, height) over fraction s."""
    out = np.zeros_like(s)
    for c, w, h in hills:
        dist = np.abs(s - c)
        if periodic:
            dist = np.minimum(dist, 1.0 - dist)
        m = dist < w
        out[m] += h * 0.5 * (1.0 + np.cos(np.pi * dist[m] / w))
    return out


def loop_route(
    rng: np.random.Generator,
    name: str,
    length_m: float,
    base_ele: float,
    hills: list[tuple[float, float, float]],
    lat0: float,
    lon0: float,
    ripple_m: float = 2.0,
) -> Route:
    """A closed loop of the given length with hills (centre fraction, half-width, height m)."""
    n = int(round(length_m / GRID_M)) + 1
    th = np.linspace(0.0, 2 * np.pi, 4000)
    r = np.ones_like(th)
    for k in range(2, 6):
        r += rng.uniform(0.03, 0.12) / k * np.cos(k * th + rng.uniform(0, 2 * np.pi))
    px, py = r * np.cos(th), r * np.sin(th)
    seg = np.hypot(np.diff(px), np.diff(py))
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    scale = length_m / cum[-1]
    d = np.arange(n) * GRID_M
    x = np.interp(d, cum * scale, px * scale)
    y = np.interp(d, cum * scale, py * scale)
    x -= x[0]
    y -= y[0]
    s = d / length_m
    ele = base_ele + _bumps(s, hills, periodic=True)
    for k in (3, 7, 11):
        ele += ripple_m / k * 2 * np.sin(2 * np.pi * k * s + rng.uniform(0, 2 * np.pi))
    ele[-1] = ele[0]
    return Route(name, x, y, ele, lat0, lon0, loop=True)


def out_and_back_route(
    rng: np.random.Generator,
    name: str,
    length_m: float,
    base_ele: float,
    climb_m: float,
    lat0: float,
    lon0: float,
    steps: int = 3,
) -> Route:
    """Climb to a summit and come back the same way (switchbacks and false flats included)."""
    half = length_m / 2
    n_half = int(round(half / GRID_M)) + 1
    d = np.arange(n_half) * GRID_M
    u = d / half
    # a climbing profile with `steps` steeper pitches and easier shelves between them
    prof = 0.45 * u + 0.55 * (u - np.sin(2 * np.pi * steps * u) / (2 * np.pi * steps))
    prof += 0.025 * np.sin(2 * np.pi * (steps * 2 + 1) * u) * np.sin(np.pi * u)
    prof = (prof - prof[0]) / (prof[-1] - prof[0])
    ele_half = base_ele + climb_m * prof
    heading = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0, 0.02, n_half))
    heading = np.convolve(heading, np.ones(60) / 60, mode="same")
    heading += 1.2 * np.sin(2 * np.pi * d / 700.0) * np.clip(u * 3, 0, 1)  # switchbacks higher up
    x_half = np.concatenate([[0.0], np.cumsum(np.cos(heading[1:]) * GRID_M)])
    y_half = np.concatenate([[0.0], np.cumsum(np.sin(heading[1:]) * GRID_M)])
    x = np.concatenate([x_half, x_half[-2::-1]])
    y = np.concatenate([y_half, y_half[-2::-1]])
    ele = np.concatenate([ele_half, ele_half[-2::-1]])
    return Route(name, x, y, ele, lat0, lon0, loop=False)


# --------------------------------------------------------------------------- weather


@dataclass
class Climate:
    """Seasonal mean, diurnal swing and a day-to-day anomaly for one place."""

    annual_mean_c: float
    annual_amp_c: float
    diurnal_amp_c: float
    ref_ele_m: float = 0.0  # elevation the seasonal means refer to (lapse rate 6.5 °C/km)
    anomalies: dict[date, float] = field(default_factory=dict)

    def ambient(self, day: date, local_hour: np.ndarray) -> np.ndarray:
        doy = day.timetuple().tm_yday
        mean = self.annual_mean_c - self.annual_amp_c * math.cos(2 * math.pi * (doy - 18) / 365.25)
        diurnal = self.diurnal_amp_c * np.cos(2 * np.pi * (local_hour - 15.0) / 24.0)
        return mean + diurnal + self.anomalies.get(day, 0.0)


def make_anomalies(
    rng: np.random.Generator, start: date, days: int, sd: float = 3.5
) -> dict[date, float]:
    """AR(1) day-to-day weather anomalies."""
    out: dict[date, float] = {}
    a = 0.0
    for i in range(days):
        a = 0.7 * a + rng.normal(0.0, sd * math.sqrt(1 - 0.49))
        out[start + timedelta(days=i)] = float(a)
    return out


# --------------------------------------------------------------------------- runner


@dataclass(frozen=True)
class Runner:
    """What the body model needs about an athlete."""

    hr_rest: int
    hr_max: int
    v_threshold: float  # m/s the runner can hold for about an hour
    drift_bpm_per_h: float = 3.0


@dataclass(frozen=True)
class Segment:
    """A stretch of a session run at a fraction of threshold speed on flat ground."""

    distance_m: float
    frac: float


@dataclass(frozen=True)
class SessionSpec:
    """Everything needed to simulate one session."""

    start_utc: datetime
    tz: ZoneInfo
    route: Route | None  # None: treadmill (no GPS, flat)
    segments: tuple[Segment, ...]
    race: bool = False
    fade: float = 0.03  # fraction of speed lost from first to last metre (fatigue)
    cramp_at_m: float | None = None  # slows down and stops to stretch from here
    temp_offset_c: float = 0.0
    temp_cap_c: float | None = None
    indoor_temp_c: float | None = None
    interval_s: tuple[int, ...] = (1,)  # recording gaps to choose from
    route_offset_m: float = 0.0


@dataclass
class Streams:
    """Recorded samples (numpy arrays, one entry per record)."""

    t: np.ndarray  # unix seconds (int)
    dist: np.ndarray  # m
    lat: np.ndarray | None
    lon: np.ndarray | None
    ele: np.ndarray | None  # m (barometric)
    speed: np.ndarray  # m/s
    hr: np.ndarray  # bpm
    cad: np.ndarray  # strides/min
    temp: np.ndarray  # °C (int)


def _grade_factor(g: np.ndarray) -> np.ndarray:
    up = 1.0 / (1.0 + 4.5 * np.clip(g, 0, None))
    gd = np.clip(-g, 0, None)
    down = 1.0 + 1.8 * gd - 12.0 * gd**2
    return np.where(g >= 0, up, np.clip(down, 0.45, None))


def _first_order(x: np.ndarray, gain: float, keep: float, z0: float = 0.0) -> np.ndarray:
    """``y[n] = gain * x[n] + keep * y[n-1]`` with ``keep * y[-1] = z0``: the first-order
    filter ``scipy.signal.lfilter([gain], [1, -keep], x, zi=[z0])`` computes, with its
    operations in its order (state + gain*x, then keep*y), so the samples are bit-identical
    and the generator needs no scipy."""
    out = []
    z = z0
    for v in x.tolist():
        y = z + gain * v
        out.append(y)
        z = keep * y
    return np.array(out, dtype=np.float64)


def _ar1(rng: np.random.Generator, n: int, sd: float, rho: float) -> np.ndarray:
    e = rng.normal(0.0, sd * math.sqrt(1 - rho * rho), n)
    return _first_order(e, 1.0, rho)


def simulate(
    spec: SessionSpec, runner: Runner, climate: Climate, rng: np.random.Generator
) -> Streams:
    """Run the session: speed from plan, terrain and fatigue; HR, cadence, temperature from those."""
    total = sum(s.distance_m for s in spec.segments)
    n = int(total / GRID_M) + 1
    d = np.arange(n) * GRID_M
    # flat-ground speed from the segment plan, softened at changes
    bounds = np.cumsum([0.0] + [s.distance_m for s in spec.segments])
    frac = np.empty(n)
    for i, s in enumerate(spec.segments):
        frac[(d >= bounds[i]) & (d <= bounds[i + 1] + GRID_M)] = s.frac
    k = 15
    frac = np.convolve(np.pad(frac, k, mode="edge"), np.ones(2 * k + 1) / (2 * k + 1), mode="valid")
    v0 = runner.v_threshold * frac * (1.0 - spec.fade * d / max(total, 1.0))
    if spec.route is not None:
        _, _, ele_true = spec.route.at(d + spec.route_offset_m)
        w = 12
        sm = np.convolve(
            np.pad(ele_true, w, mode="edge"), np.ones(2 * w + 1) / (2 * w + 1), mode="valid"
        )
        grade = np.gradient(sm, GRID_M)
    else:
        ele_true = None
        grade = np.zeros(n)
    v = v0 * _grade_factor(grade) * (1.0 + _ar1(rng, n, 0.025, 0.995))
    steep_up = grade > 0.16
    v = np.where(steep_up, np.minimum(v, 1.25 + rng.normal(0, 0.02)), v)  # power hiking
    if spec.cramp_at_m is not None:
        v = np.where(d > spec.cramp_at_m, v * 0.82, v)
    v = np.clip(v, 0.6, None)
    t_d = np.concatenate([[0.0], np.cumsum(GRID_M / v[1:])])
    if spec.cramp_at_m is not None:  # stop to stretch
        t_d = np.where(d > spec.cramp_at_m, t_d + 75.0, t_d)
    dur = int(t_d[-1])
    t1 = np.arange(dur + 1, dtype=float)
    d1 = np.interp(t1, t_d, d)
    d1[-1] = total
    sp1 = np.gradient(d1)
    sp1 = np.convolve(np.pad(sp1, 2, mode="edge"), np.ones(5) / 5, mode="valid")
    g1 = np.interp(d1, d, grade)
    # intensity → heart rate
    veq = sp1 * np.where(g1 > 0, 1.0 + 7.0 * g1, np.clip(1.0 + 2.5 * g1, 0.55, None))
    hrr_ss = 0.88 * np.clip(veq / runner.v_threshold, 0.05, None) ** 0.9
    hrr_ss = np.maximum(hrr_ss, 0.33)
    local_start = spec.start_utc.astimezone(spec.tz)
    hours = local_start.hour + local_start.minute / 60 + t1 / 3600.0
    if spec.indoor_temp_c is not None:
        amb = np.full_like(t1, spec.indoor_temp_c)
    else:
        amb = climate.ambient(local_start.date(), hours) + spec.temp_offset_c
        if spec.route is not None:
            e1 = spec.route.at(d1 + spec.route_offset_m)[2]
            amb = amb - 0.0065 * (e1 - climate.ref_ele_m)
        if spec.temp_cap_c is not None and amb.max() > spec.temp_cap_c:
            amb = amb - (amb.max() - spec.temp_cap_c)
    heat = np.clip(amb - 18.0, 0, None)
    span = runner.hr_max - runner.hr_rest
    hr_target = runner.hr_rest + span * hrr_ss
    hr_target += runner.drift_bpm_per_h * (t1 / 3600.0) * (1.0 + 0.07 * heat) + 0.35 * heat
    if spec.race:
        hr_target += 3.0
    # first-order kinetics (τ ≈ 30 s), starting from a pre-run heart rate
    alpha = 1.0 - math.exp(-1.0 / 30.0)
    z0 = (1 - alpha) * (runner.hr_rest + 0.3 * span)
    hr1 = _first_order(hr_target, alpha, 1 - alpha, z0)
    hr1 = hr1 + _ar1(rng, len(t1), 1.2, 0.9)
    hr1 = np.clip(hr1, runner.hr_rest + 10, runner.hr_max - 1)
    spm = 160.0 + 5.0 * (sp1 - 3.0) + _ar1(rng, len(t1), 1.0, 0.8)
    spm = np.where((g1 > 0.14) & (sp1 < 1.6), 112.0 + 4 * sp1, spm)
    spm = np.where(sp1 < 0.3, 0.0, spm)
    cad1 = np.clip(np.round(spm / 2.0), 0, 110)
    # which seconds the watch keeps
    gaps = np.array(spec.interval_s)
    steps = gaps[rng.integers(0, len(gaps), size=dur + 1)]
    idx = np.cumsum(np.concatenate([[0], steps]))
    idx = idx[idx < dur]
    idx = np.append(idx, dur)
    t_rec = t1[idx]
    start_unix = int(spec.start_utc.timestamp())
    out = Streams(
        t=(start_unix + t_rec).astype(np.int64),
        dist=d1[idx],
        lat=None,
        lon=None,
        ele=None,
        speed=sp1[idx],
        hr=np.round(hr1[idx]).astype(np.int64),
        cad=cad1[idx].astype(np.int64),
        temp=np.round(amb[idx] + _ar1(rng, len(idx), 0.4, 0.5)).astype(np.int64),
    )
    if spec.route is not None and ele_true is not None:
        x, y, e = spec.route.at(d1[idx] + spec.route_offset_m)
        x = x + _ar1(rng, len(idx), 1.8, 0.97)
        y = y + _ar1(rng, len(idx), 1.8, 0.97)
        lat, lon = spec.route.latlon(x, y)
        baro = _ar1(rng, len(idx), 0.6, 0.995) + rng.normal(0, 4.0)
        out.lat, out.lon = lat, lon
        out.ele = np.round((e + baro) * 5.0) / 5.0
    return out


def trimp(t: np.ndarray, hr: np.ndarray, hr_rest: int, hr_max: int, male: bool = True) -> float:
    """Banister TRIMP integrated per sample (used to reason about the planted load episodes)."""
    a, b = (0.64, 1.92) if male else (0.86, 1.67)
    hrr = np.clip((hr[1:] - hr_rest) / (hr_max - hr_rest), 0, 1)
    dt = np.diff(t) / 60.0
    return float(np.sum(dt * hrr * a * np.exp(b * hrr)))
