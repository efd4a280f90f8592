"""Per-session numbers: distance, time, pace, load (TRIMP / session-RPE / fallback), descent,
temperature. Pure functions of one activity, the profile and the athlete's HR bounds.

Load conventions (SCIENCE.md, "Formulas"):

- Banister TRIMP integrated per sample: for each interval between consecutive samples,
  Δt[min] × mean of the two endpoints' HRr·a·e^(b·HRr) (trapezoid; an invalid endpoint uses
  the other one). Intervals longer than ``MAX_GAP_S`` (30 s) count as 30 s: a watch pause or a
  dropout is not exercise at the last heart rate. HR ≤ 0 or > 250 is dropped. When valid HR
  covers under half of the recorded time the session falls back to RPE / fallback load.
- Coefficients: male a=0.64 b=1.92; female a=0.86 b=1.67; unspecified a=0.725215 b=1.795
  (Runalyze's unisex pair). ``TRIMP_COEFFS`` and the session's ``trimp_coeffs`` say which.
- Summary-only sessions with an average HR use TRIMP of the average HR (an underestimate,
  noted in ``missing``).
- Session-RPE (Foster 2001): RPE × minutes, kept in ``rpe_load``; the load is put on the
  TRIMP scale by ``loadscale.scale_rpe_loads`` before any daily series (issue 14).
- Fallback: minutes × the athlete's median TRIMP/min for the sport family, once there are
  ``FALLBACK_MIN_HR_SESSIONS`` HR sessions in that family; before that ``FALLBACK_TRIMP_PER_MIN``
  (1.0, about an easy aerobic session). Applied by ``assign_fallback_loads``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

import numpy as np

from cramplog.features.elevation import (
    DescentStats,
    capped_steps,
    descent_pair,
    elevation_source,
    half_paces,
    stream_distance,
)
from cramplog.model import Activity, Profile, Stream, sport_family
from cramplog.thresholds import heat_threshold

FEATURES_VERSION = 3  # 3: rpe_load/load_scale, elevation_source (issue 14)
TRIMP_COEFFS = {"male": (0.64, 1.92), "female": (0.86, 1.67), "unspecified": (0.725215, 1.795)}
HR_MIN_VALID, HR_MAX_VALID = 0.0, 250.0
FALLBACK_TRIMP_PER_MIN = 1.0
FALLBACK_MIN_HR_SESSIONS = 5
DEFAULT_HR_REST = 60.0
MIN_HR_COVERAGE = 0.5
# The start of the ``missing`` note of a session without a sample stream.
NO_STREAM = "no sample stream"


@dataclass
class HrBounds:
    hr_max: float | None
    hr_rest: float | None
    estimated: bool
    note: str


@dataclass
class SessionFeatures:
    activity_id: int | None
    local_date: date
    sport: str
    family: str
    is_race: bool
    start: datetime
    distance_m: float | None = None
    elapsed_s: float | None = None
    moving_s: float | None = None
    pace_s_per_km: float | None = None
    trimp: float | None = None
    load: float = 0.0
    load_source: str = "fallback"
    ascent_m: float | None = None
    descent_m: float | None = None
    e10_km: float | None = None
    e15_km: float | None = None
    min_le10: float | None = None
    longest_descent_m: float | None = None
    temp_min_c: float | None = None
    temp_mean_c: float | None = None
    temp_max_c: float | None = None
    min_above_heat: float | None = None
    missing: list[str] = field(default_factory=list)
    # extras (not in the original contract, harmless for consumers)
    heat_c: float = 25.0  # the heat threshold min_above_heat was computed with
    trimp_coeffs: str = "unspecified"  # which TRIMP sex coefficients were used
    first_half_pace: float | None = None  # s/km, from the stream (races: pacing)
    second_half_pace: float | None = None
    elevation_source: str = "none"  # barometric / device / gps / none (features.elevation)
    rpe_load: float | None = None  # RPE × minutes, wherever an RPE was logged
    load_scale: float | None = None  # TRIMP per RPE·min applied to an RPE load (loadscale)

    @property
    def duration_s(self) -> float | None:
        return self.moving_s if self.moving_s else self.elapsed_s

    @property
    def minutes(self) -> float:
        d = self.duration_s
        return d / 60.0 if d else 0.0

    @property
    def distance_km(self) -> float | None:
        return self.distance_m / 1000.0 if self.distance_m is not None else None

    def to_dict(self) -> dict[str, Any]:
        # the fields are numbers, strings, dates and one list of strings: a shallow copy is a
        # copy (dataclasses.asdict deep-copies, ~0.2 ms a session)
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["missing"] = list(self.missing)
        d["local_date"] = self.local_date.isoformat()
        d["start"] = self.start.isoformat()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SessionFeatures:
        d = dict(d)
        d["local_date"] = date.fromisoformat(d["local_date"])
        d["start"] = datetime.fromisoformat(d["start"])
        d["missing"] = list(d.get("missing") or [])
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


def _num(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _clean_hr(hr: np.ndarray) -> np.ndarray:
    hr = np.asarray(hr, dtype=float)
    return np.where((hr > HR_MIN_VALID) & (hr <= HR_MAX_VALID), hr, np.nan)


def estimate_hr_bounds(profile: Profile, activities: list[Activity]) -> HrBounds:
    """HR max and rest: the profile's values, else estimates from the recorded data."""
    notes = []
    hr_max, hr_rest = profile.hr_max, profile.hr_rest
    estimated = False
    samples = [
        _clean_hr(a.stream.hr_bpm) for a in activities if a.stream and a.stream.hr_bpm is not None
    ]
    allhr = np.concatenate(samples) if samples else np.array([])
    allhr = allhr[np.isfinite(allhr)]
    if hr_max is None:
        peaks = [
            a.hr_max for a in activities if a.hr_max and HR_MIN_VALID < a.hr_max <= HR_MAX_VALID
        ]
        if len(allhr) >= 600:
            hr_max = float(np.percentile(allhr, 99.5))
            notes.append(f"HR max {hr_max:.0f} estimated as the 99.5th percentile of recorded HR")
        elif peaks:
            hr_max = float(max(peaks))
            notes.append(f"HR max {hr_max:.0f} estimated as the highest session maximum")
        if hr_max is not None:
            estimated = True
    if hr_rest is None:
        estimated = True
        if len(allhr) >= 600:
            # the low end of exercise HR is well above resting HR: 1st percentile minus 20 bpm,
            # never below 35 and never above the population default
            low = float(np.percentile(allhr, 1.0)) - 20.0
            hr_rest = float(min(DEFAULT_HR_REST, max(35.0, low)))
            notes.append(f"HR rest {hr_rest:.0f} estimated from the low end of recorded HR")
        else:
            hr_rest = DEFAULT_HR_REST
            notes.append(f"HR rest {hr_rest:.0f} is a population default")
    if hr_max is not None and hr_rest is not None and hr_max <= hr_rest + 20:
        notes.append("HR max and rest too close: HR-based load disabled")
        hr_max = None
    if hr_max is None:
        notes.append("no HR max known or estimable: HR-based load unavailable")
    return HrBounds(hr_max=hr_max, hr_rest=hr_rest, estimated=estimated, note="; ".join(notes))


def trimp_from_samples(
    t_s: np.ndarray, hr: np.ndarray, hr_rest: float, hr_max: float, sex: str
) -> tuple[float, float]:
    """(TRIMP, fraction of recorded time with valid HR) of one sample stream."""
    t = np.asarray(t_s, dtype=float)
    if len(t) < 2:
        return 0.0, 0.0
    return _trimp(capped_steps(t), hr, hr_rest, hr_max, sex)


def _trimp(
    dt: np.ndarray, hr: np.ndarray, hr_rest: float, hr_max: float, sex: str
) -> tuple[float, float]:
    """``trimp_from_samples`` from the ``capped_steps`` of the stream's time (two samples or
    more)."""
    a, b = TRIMP_COEFFS.get(sex, TRIMP_COEFFS["unspecified"])
    hrr = np.clip((_clean_hr(hr) - hr_rest) / (hr_max - hr_rest), 0.0, 1.0)
    f = hrr * a * np.exp(b * hrr)
    left, right = f[:-1], f[1:]
    known = np.isfinite(f)
    left_known = known[:-1]
    both = left_known & known[1:]
    one = np.where(left_known, left, right)
    seg = np.where(both, (left + right) / 2.0, one)
    valid = np.isfinite(seg)
    total = float(dt.sum())
    trimp = float((np.where(valid, seg, 0.0) * dt).sum() / 60.0)
    return trimp, (float(dt[valid].sum()) / total if total > 0 else 0.0)


def trimp_from_average(
    hr_avg: float, minutes: float, hr_rest: float, hr_max: float, sex: str
) -> float:
    a, b = TRIMP_COEFFS.get(sex, TRIMP_COEFFS["unspecified"])
    hrr = min(1.0, max(0.0, (hr_avg - hr_rest) / (hr_max - hr_rest)))
    return minutes * hrr * a * math.exp(b * hrr)


@dataclass
class StreamNumbers:
    """What a session's sample stream contributes to its features, for given HR bounds, sex
    and heat threshold. Computed where the stream is: by the import worker that parsed it
    (from the stream as the store keeps it, ``streamcodec.as_stored``), or by
    ``compute_features`` from a stream loaded from the store; both give the same numbers."""

    inputs: tuple[str, float | None, float | None, float]  # sex, HR max, HR rest, heat °C
    distance_span_m: float | None = None  # last minus first stream distance
    time_span_s: float | None = None  # last minus first time (two points or more)
    moving_s: float | None = None
    half_paces: tuple[float | None, float | None] | None = None
    trimp_cover: tuple[float, float] | None = None  # (TRIMP, share of time with valid HR)
    descent: DescentStats | None = None
    descent_gps: DescentStats | None = None  # the same profile smoothed as GPS-only
    # (min, max, time-weighted mean °C, minutes at or above the heat threshold)
    temperature: tuple[float, float, float, float] | None = None


def _inputs(profile: Profile, hr: HrBounds) -> tuple[str, float | None, float | None, float]:
    sex = profile.sex if profile.sex in TRIMP_COEFFS else "unspecified"
    return (sex, hr.hr_max, hr.hr_rest, heat_threshold(profile.thresholds))


def stream_numbers(stream: Stream, profile: Profile, hr: HrBounds) -> StreamNumbers:
    """The stream's part of a session's features (see ``StreamNumbers``)."""
    inputs = _inputs(profile, hr)
    sex, hr_max, hr_rest, heat_c = inputs
    out = StreamNumbers(inputs=inputs)
    dist = stream_distance(stream)
    t = np.asarray(stream.t_s, dtype=float)
    # moving seconds to the next sample, and with a 0 in front: to each sample
    steps = capped_steps(t)
    to_sample = np.concatenate((np.zeros(min(len(t), 1)), steps))
    if dist is not None:
        out.distance_span_m = float(np.fmax.reduce(dist) - np.fmin.reduce(dist))
        out.half_paces = half_paces(t, dist)
    if len(t) >= 2:
        out.time_span_s = float(np.fmax.reduce(t) - np.fmin.reduce(t))
        out.moving_s = float(steps.sum())
    if hr_max is not None and hr_rest is not None and stream.hr_bpm is not None:
        has_two = len(t) >= 2
        out.trimp_cover = (
            _trimp(steps, stream.hr_bpm, hr_rest, hr_max, sex) if has_two else (0.0, 0.0)
        )
    if stream.elevation_m is not None and dist is not None:
        pair = descent_pair(dist, stream.elevation_m, np.cumsum(to_sample))
        if pair is not None:
            out.descent, out.descent_gps = pair
    temp = stream.temperature_c
    if temp is not None:
        temp = np.asarray(temp, dtype=float)
        ok = np.isfinite(temp)
        if ok.any():
            w = to_sample[ok]
            values = temp[ok]
            mean = float(np.average(values, weights=w)) if w.sum() > 0 else float(values.mean())
            out.temperature = (
                float(values.min()),
                float(values.max()),
                mean,
                float(to_sample[ok & (temp >= heat_c)].sum() / 60.0),
            )
    return out


def compute_features(
    activity: Activity,
    profile: Profile,
    hr: HrBounds,
    numbers: StreamNumbers | None = None,
) -> SessionFeatures:
    """The numbers of one session. Fallback loads are provisional until
    ``assign_fallback_loads`` has seen the whole history.

    ``numbers``: the stream's part, already computed from this session's stored stream (an
    import worker does that); otherwise it is computed here from ``activity.stream``."""
    act = activity
    inputs = _inputs(profile, hr)
    sex, _, _, heat_c = inputs
    sf = SessionFeatures(
        activity_id=act.id,
        local_date=act.local_date(profile.tzinfo()),
        sport=act.sport,
        family=sport_family(act.sport),
        is_race=bool(act.is_race),
        start=act.start,
        elapsed_s=_num(act.elapsed_s),
        moving_s=_num(act.moving_s),
        distance_m=_num(act.distance_m),
        heat_c=heat_c,
        trimp_coeffs=sex,
    )
    if numbers is not None and numbers.inputs != inputs:
        numbers = None  # computed for other bounds or thresholds: not these features'
    if numbers is None and act.stream is not None:
        numbers = stream_numbers(act.stream, profile, hr)
    n = numbers
    missing = sf.missing
    if n is None:
        missing.append(f"{NO_STREAM}: summary values only")
    if sf.distance_m is None and n is not None and n.distance_span_m is not None:
        sf.distance_m = n.distance_span_m
    if sf.elapsed_s is None and n is not None and n.time_span_s is not None:
        sf.elapsed_s = n.time_span_s
    if sf.moving_s is None and n is not None and n.moving_s is not None:
        sf.moving_s = n.moving_s
    dur = sf.duration_s
    if sf.distance_m and dur and sf.distance_m > 0:
        sf.pace_s_per_km = dur / (sf.distance_m / 1000.0)
    if n is not None and n.half_paces is not None:
        sf.first_half_pace, sf.second_half_pace = n.half_paces

    # --- load ---
    if hr.hr_max is not None and hr.hr_rest is not None:
        if n is not None and n.trimp_cover is not None:
            trimp, cover = n.trimp_cover
            if cover >= MIN_HR_COVERAGE:
                sf.trimp = trimp
            else:
                missing.append(f"heart rate covers only {cover:.0%} of the session: TRIMP not used")
        elif act.hr_avg and dur and HR_MIN_VALID < act.hr_avg <= HR_MAX_VALID:
            sf.trimp = trimp_from_average(act.hr_avg, dur / 60.0, hr.hr_rest, hr.hr_max, sex)
            missing.append("TRIMP from average heart rate (no HR samples): an underestimate")
    if act.rpe is not None and 0 <= act.rpe <= 10:
        sf.rpe_load = float(act.rpe) * sf.minutes
    if sf.trimp is not None:
        sf.load, sf.load_source = sf.trimp, "hr"
    elif sf.rpe_load is not None:
        sf.load, sf.load_source = sf.rpe_load, "rpe"  # provisional: scale_rpe_loads
    else:
        sf.load, sf.load_source = FALLBACK_TRIMP_PER_MIN * sf.minutes, "fallback"
        missing.append("no heart rate or RPE: load estimated from duration")

    # --- elevation ---
    ds = n.descent if n is not None else None
    sf.elevation_source = elevation_source(
        act.source_format, act.device, ds is not None, act.descent_m is not None
    )
    if ds is not None and sf.elevation_source == "gps" and n is not None:
        # GPS-only: the heavily smoothed profile, never the file's raw climb (issue 14)
        ds = n.descent_gps or ds
        sf.ascent_m, sf.descent_m = ds.ascent_m, ds.descent_m
        sf.e10_km, sf.e15_km, sf.min_le10 = ds.e10_km, ds.e15_km, ds.min_le10
        sf.longest_descent_m = ds.longest_descent_m
    elif ds is not None:
        # The recording's own totals win where it has them: a watch's barometric climb is
        # filtered at the device's full sampling rate, and our distance-smoothed profile
        # (made for grades) reads 10-16 % low on some real files. The profile gives the rest.
        sf.ascent_m = _num(act.ascent_m) if act.ascent_m is not None else ds.ascent_m
        sf.descent_m = _num(act.descent_m) if act.descent_m is not None else ds.descent_m
        sf.e10_km, sf.e15_km, sf.min_le10 = ds.e10_km, ds.e15_km, ds.min_le10
        sf.longest_descent_m = ds.longest_descent_m
    else:
        usable = sf.elevation_source == "device"
        sf.ascent_m = _num(act.ascent_m) if usable else None
        sf.descent_m = _num(act.descent_m) if usable else None
        missing.append("no elevation stream: downhill grades (E10, E15, steep minutes) unknown")
        if sf.descent_m is None:
            missing.append("descent unknown")

    # --- temperature ---
    if n is not None and n.temperature is not None:
        sf.temp_min_c, sf.temp_max_c, sf.temp_mean_c, sf.min_above_heat = n.temperature
    else:
        sf.temp_min_c, sf.temp_max_c = _num(act.temp_min_c), _num(act.temp_max_c)
        sf.temp_mean_c = _num(act.temp_avg_c)
        if sf.temp_min_c is not None and sf.temp_min_c >= heat_c:
            sf.min_above_heat = sf.minutes
        elif sf.temp_max_c is not None and sf.temp_max_c < heat_c:
            sf.min_above_heat = 0.0
        elif sf.temp_mean_c is None and sf.temp_max_c is None:
            missing.append("temperature unknown")
        else:
            missing.append("minutes above the heat threshold unknown (summary temperature only)")
    return sf


def assign_fallback_loads(features: list[SessionFeatures]) -> dict[str, float]:
    """Second pass: fallback-load sessions get minutes × the family's median TRIMP/min.

    Returns the TRIMP/min rate used per family (the constant where history is too short).
    """
    rates: dict[str, list[float]] = {}
    for f in features:
        if f.load_source == "hr" and f.trimp is not None and f.minutes > 0:
            rates.setdefault(f.family, []).append(f.trimp / f.minutes)
    used: dict[str, float] = {}
    for f in features:
        if f.load_source != "fallback":
            continue
        r = rates.get(f.family, [])
        rate = float(np.median(r)) if len(r) >= FALLBACK_MIN_HR_SESSIONS else FALLBACK_TRIMP_PER_MIN
        used[f.family] = rate
        f.load = rate * f.minutes
    return used
