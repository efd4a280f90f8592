"""An athlete folder from a list of planned sessions: simulate each, write it in its format.

A folder holds ``athlete.toml``, ``fit/`` (``.fit`` and ``.fit.gz``), ``strava/*.gpx``,
``manual_log.csv`` (cramplog's own activity CSV), ``garmin/Activities.csv`` and
``cramps.csv``; only the parts an athlete uses are written.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from . import fitwriter as fw
from . import physiology as ph
from .gpxwriter import strava_gpx
from .plan import Plan
from .tables import (
    CrampRow,
    GarminRow,
    Goal,
    ManualRow,
    athlete_toml,
    cramps_csv,
    garmin_activities_csv,
    manual_log_csv,
)

# fraction of threshold speed on flat ground, by session kind
KIND_FRAC = {
    "recovery": 0.67,
    "easy": 0.72,
    "long": 0.71,
    "steady": 0.80,
    "hills": 0.74,
    "mountain": 0.76,
    "trail": 0.78,
    "shakeout": 0.70,
}
KIND_SLUG = {"long": "long_run", "mountain": "mountain_run", "trail": "trail_run"}


@dataclass
class AthleteSpec:
    """Everything that makes one athlete folder."""

    folder: str
    name: str
    sex: str
    hr_max: int
    hr_rest: int
    timezone: str
    seed: int
    v_threshold: list[tuple[date, float]]  # (day, m/s) points, linearly interpolated
    climate: ph.Climate
    routes: dict[str, ph.Route]
    device: fw.Device
    plans: list[Plan]
    goals: list[Goal] = field(default_factory=list)
    cramps: list[CrampRow] = field(default_factory=list)
    extra_manual: list[ManualRow] = field(default_factory=list)
    gz_fit: bool = True  # Strava bulk exports gzip FIT files

    def vt(self, day: date) -> float:
        xs = [p[0].toordinal() for p in self.v_threshold]
        ys = [p[1] for p in self.v_threshold]
        return float(np.interp(day.toordinal(), xs, ys))


def segments(kind: str, km: float, frac: float | None) -> tuple[tuple[ph.Segment, ...], float]:
    """The plan of a session kind as flat-ground segments, and its fatigue fade."""
    m = km * 1000.0
    if kind == "tempo":
        work = m - 3500.0
        return (
            (ph.Segment(2000, 0.70), ph.Segment(work, frac or 0.92), ph.Segment(1500, 0.68)),
            0.01,
        )
    if kind == "intervals":
        reps = max(int((m - 3500.0) // 1200), 1)
        segs = [ph.Segment(2000, 0.70)]
        for _ in range(reps):
            segs += [ph.Segment(800, frac or 1.06), ph.Segment(400, 0.55)]
        segs.append(ph.Segment(m - 2000 - reps * 1200, 0.68))
        return tuple(segs), 0.0
    if kind == "race":
        return (ph.Segment(m, frac or 1.0),), 0.02
    fade = 0.05 if kind in ("long", "mountain") else 0.02
    return (ph.Segment(m, frac or KIND_FRAC.get(kind, 0.72)),), fade


def strava_name(local: datetime, plan: Plan) -> str:
    if plan.title:
        return plan.title
    h = local.hour
    part = "Morning" if h < 11 else "Lunch" if h < 14 else "Afternoon" if h < 17 else "Evening"
    return f"{part} Run"


@dataclass
class Done:
    """A simulated session with the numbers the CSV writers need."""

    plan: Plan
    local_start: datetime
    streams: ph.Streams


def simulate_plans(spec: AthleteSpec) -> list[Done]:
    tz = ZoneInfo(spec.timezone)
    runner_base = dict(hr_rest=spec.hr_rest, hr_max=spec.hr_max)
    out: list[Done] = []
    for i, plan in enumerate(spec.plans):
        rng = np.random.default_rng([spec.seed, i])
        local = _local(plan, tz)
        # a few seconds of jitter: a watch is started when the runner is ready, not on the minute
        start_utc = (local + timedelta(seconds=int(rng.integers(0, 50)))).astimezone(
            ZoneInfo("UTC")
        )
        segs, fade = segments(plan.kind, plan.km, plan.frac)
        route = spec.routes.get(plan.route) if plan.route else None
        indoor = route is None
        sspec = ph.SessionSpec(
            start_utc=start_utc,
            tz=tz,
            route=route,
            segments=segs,
            race=plan.race,
            fade=fade,
            cramp_at_m=None if plan.cramp_at_km is None else plan.cramp_at_km * 1000.0,
            temp_offset_c=plan.temp_offset_c,
            temp_cap_c=plan.temp_cap_c,
            indoor_temp_c=20.0 if indoor else None,
            interval_s=plan.rec,
        )
        runner = ph.Runner(v_threshold=spec.vt(plan.day), **runner_base)
        out.append(Done(plan, local, ph.simulate(sspec, runner, spec.climate, rng)))
    return out


def _local(plan: Plan, tz: ZoneInfo) -> datetime:
    hh, mm = (int(x) for x in plan.start.split(":"))
    return datetime.combine(plan.day, time(hh, mm), tzinfo=tz)


def _fit_bytes(spec: AthleteSpec, d: Done) -> bytes:
    s = d.streams
    offset = int(d.local_start.utcoffset().total_seconds())  # type: ignore[union-attr]
    return fw.activity_fit(
        t=s.t,
        dist=s.dist,
        speed=s.speed,
        hr=s.hr,
        cad=s.cad,
        temp=s.temp,
        lat=s.lat,
        lon=s.lon,
        ele=s.ele,
        device=spec.device,
        utc_offset_s=offset,
        sub_sport=d.plan.sub_sport,
    )


def _gpx_bytes(d: Done, trim: int = 0) -> bytes:
    s = d.streams
    assert s.lat is not None and s.lon is not None and s.ele is not None
    sl = slice(trim, None)
    return strava_gpx(
        name=strava_name(d.local_start, d.plan),
        t=s.t[sl],
        lat=s.lat[sl],
        lon=s.lon[sl],
        ele=s.ele[sl],
        hr=s.hr[sl],
        cad=s.cad[sl],
        temp=s.temp[sl],
    )


def _stem(d: Done, used: set[str]) -> str:
    p = d.plan
    slug = p.slug or KIND_SLUG.get(p.kind, p.kind)
    if p.race and not slug.startswith("race"):
        slug = "race_" + slug
    stem = f"{p.day.isoformat()}_{slug}"
    if stem in used:
        stem = f"{p.day.isoformat()}_{d.local_start.strftime('%H%M')}_{slug}"
    used.add(stem)
    return stem


def _cramp_row(d: Done) -> CrampRow | None:
    """The cramp logged for a session: its time from the stream ("during") or just after it."""
    if d.plan.cramp is None:
        return None
    muscle, side, severity, timing, notes = d.plan.cramp
    s = d.streams
    if timing == "during" and d.plan.cramp_at_km is not None:
        i = int(np.searchsorted(s.dist, d.plan.cramp_at_km * 1000.0))
        ts = int(s.t[min(i, len(s.t) - 1)])
    else:
        ts = int(s.t[-1]) + 15 * 60
    when = datetime.fromtimestamp(ts, tz=d.local_start.tzinfo).strftime("%Y-%m-%dT%H:%M")
    return CrampRow(when, muscle, side, severity, timing, notes)


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip (no file name, mtime 0)."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def write_athlete(spec: AthleteSpec, out: Path) -> Path:
    """Write one athlete folder; returns its path."""
    folder = out / spec.folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "athlete.toml").write_text(
        athlete_toml(spec.name, spec.sex, spec.hr_max, spec.hr_rest, spec.timezone, spec.goals),
        encoding="utf-8",
    )
    for g in spec.goals:
        if g.course:
            from .course import course_gpx

            (folder / g.course).write_bytes(course_gpx(g.name, g.distance_km))
    done = simulate_plans(spec)
    used: set[str] = set()
    manual: list[ManualRow] = list(spec.extra_manual)
    garmin: list[GarminRow] = []
    for d in done:
        p = d.plan
        stem = _stem(d, used)
        if p.fmt in ("fit", "fitgz", "both"):
            data = _fit_bytes(spec, d)
            (folder / "fit").mkdir(exist_ok=True)
            if p.fmt == "fitgz" and spec.gz_fit:
                (folder / "fit" / f"{stem}.fit.gz").write_bytes(gzip_bytes(data))
            else:
                (folder / "fit" / f"{stem}.fit").write_bytes(data)
        if p.fmt in ("gpx", "both"):
            (folder / "strava").mkdir(exist_ok=True)
            # Strava's copy of a watch file starts a couple of samples later
            trim = 2 if p.fmt == "both" else 0
            (folder / "strava" / f"{stem}.gpx").write_bytes(_gpx_bytes(d, trim))
        if p.fmt == "manual":
            manual.append(ManualRow.from_session(d.plan, d.local_start, d.streams))
        if p.fmt == "garmin":
            garmin.append(GarminRow.from_session(d.plan, d.local_start, d.streams))
    if manual:
        manual.sort(key=lambda r: r.start)
        (folder / "manual_log.csv").write_text(manual_log_csv(manual), encoding="utf-8")
    if garmin:
        (folder / "garmin").mkdir(exist_ok=True)
        (folder / "garmin" / "Activities.csv").write_text(
            garmin_activities_csv(garmin), encoding="utf-8"
        )
    cramps = list(spec.cramps) + [c for d in done if (c := _cramp_row(d)) is not None]
    if cramps:
        cramps.sort(key=lambda c: c.when)
        (folder / "cramps.csv").write_text(cramps_csv(cramps), encoding="utf-8")
    return folder
