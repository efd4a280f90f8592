"""False-alarm controls: three seasons with *no* planted pattern (issue 13, point 4).

Each is an ordinary runner's routine, cool and flat, without races, spikes or heat, so a
warning on any of them is a false alarm:

- ``recreational``: 2-3 runs a week on irregular days (rest of 1 to 5 days), 5-12 km;
- ``daily``: a run every day, 8-11 km, a 14-16 km long run on Sundays (steady load);
- ``comeback``: 5 runs a week, then three weeks with no session (a break), then a gradual
  return (about +10 % a week, the long run never beyond 1.2x the longest of the past month).

Deterministic: every number comes from the seed. Not bundled in sample_logs (tests write
them to a temporary folder: ``python -m cramplog.samplegen controls --out DIR``).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from . import fitwriter as fw
from . import physiology as ph
from .athlete import AthleteSpec, Plan

START = date(2026, 1, 5)  # a Monday
WEEKS = 25  # to Sunday 28 June 2026, like the sample season
FORMATS = ("fit", "fitgz", "fit", "fitgz", "gpx")
REC = (3, 4, 5)  # sparse recording: these seasons are about daily load, not streams


def _spec(folder: str, name: str, seed: int, plans: list[Plan], vt: float) -> AthleteSpec:
    # San Francisco: mild all year (never 25 °C), flat loops
    climate = ph.Climate(14.0, 3.0, 3.0, ref_ele_m=20.0)
    climate.anomalies = ph.make_anomalies(
        np.random.default_rng([seed, 1]), START, WEEKS * 7, sd=1.0
    )
    rng = np.random.default_rng([seed, 2])
    routes = {
        "loop": ph.loop_route(
            np.random.default_rng(rng.integers(0, 2**63)), "loop", 6000, 10,
            [(0.5, 0.2, 4)], 37.8060, -122.4400, 0.8,
        ),
        "long": ph.loop_route(
            np.random.default_rng(rng.integers(0, 2**63)), "long", 10000, 15,
            [(0.4, 0.2, 6)], 37.7700, -122.4800, 1.0,
        ),
    }  # fmt: skip
    return AthleteSpec(
        folder=folder,
        name=name,
        sex="male" if seed % 2 else "female",
        hr_max=186,
        hr_rest=50,
        timezone="America/Los_Angeles",
        seed=seed,
        v_threshold=[(START, vt), (START + timedelta(WEEKS * 7), vt)],
        climate=climate,
        routes=routes,
        device=fw.Device(fw.MANUFACTURER_GARMIN, 2691, 3_900_000_000 + seed % 1000, 2000),
        plans=plans,
        gz_fit=True,
    )


def _plan(k: int, day: date, kind: str, km: float) -> Plan:
    fmt = FORMATS[k % len(FORMATS)]
    if fmt == "gpx" and km > 9:
        fmt = "fit"
    route = "long" if kind == "long" else "loop"
    start = "09:00" if kind == "long" else ("07:00" if k % 3 else "18:30")
    return Plan(day, start, kind, round(km, 1), route, fmt, rec=REC)


def recreational(seed: int = 9101) -> AthleteSpec:
    """2-3 runs a week on irregular days; distances drawn from one steady distribution."""
    rng = np.random.default_rng([seed, 0])
    plans: list[Plan] = []
    day = START + timedelta(int(rng.integers(0, 3)))
    end = START + timedelta(WEEKS * 7)
    while day < end:
        kind = "long" if rng.random() < 0.3 else "easy"
        km = float(rng.uniform(9, 12)) if kind == "long" else float(rng.uniform(5, 8))
        plans.append(_plan(len(plans), day, kind, km))
        # rest of 1-5 days: 2-3 runs a week, never the same rhythm for long
        day += timedelta(int(rng.choice([2, 3, 3, 4, 4, 5, 6])))
    return _spec("recreational", "Rae Control", seed, plans, 3.3)


def daily(seed: int = 9102) -> AthleteSpec:
    """A run every day, 8-11 km, a 14-16 km long run on Sundays."""
    rng = np.random.default_rng([seed, 0])
    plans: list[Plan] = []
    for i in range(WEEKS * 7):
        day = START + timedelta(i)
        if day.weekday() == 6:
            plans.append(_plan(i, day, "long", float(rng.uniform(14, 16))))
        else:
            plans.append(_plan(i, day, "easy", float(rng.uniform(8, 11))))
    return _spec("daily", "Dana Control", seed, plans, 3.6)


def comeback(seed: int = 9103) -> AthleteSpec:
    """Ten weeks of 5 runs a week, three weeks off, then a gradual return."""
    rng = np.random.default_rng([seed, 0])
    plans: list[Plan] = []
    weekdays = (1, 2, 3, 5, 6)
    for w in range(WEEKS):
        monday = START + timedelta(weeks=w)
        if 10 <= w < 13:
            continue  # the break: no session at all for three weeks
        scale = 1.0 if w < 10 else min(1.0, 0.55 * 1.1 ** (w - 13))
        days = weekdays if w < 10 or w >= 15 else (1, 3, 5)
        for wd in days:
            day = monday + timedelta(wd)
            if wd == 5:
                km = 16.0 * scale * float(rng.uniform(0.95, 1.05))
                plans.append(_plan(len(plans), day, "long", km))
            else:
                km = 8.0 * max(scale, 0.6) * float(rng.uniform(0.9, 1.1))
                plans.append(_plan(len(plans), day, "easy", km))
    return _spec("comeback", "Cole Control", seed, plans, 3.5)


def control_specs() -> list[AthleteSpec]:
    return [recreational(), daily(), comeback()]
