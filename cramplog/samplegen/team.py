"""sample_logs/team/: four small athletes for the coach's view (a few weeks each, ending 28 June 2026).

- ben: FIT only (a third-party app, manufacturer "development"), Madrid, steady and quiet.
- chloe: Strava GPX only, female, San Francisco; a 10 km race far faster than her training.
- dev: mostly CSV (a hand-kept log) plus two watch files, Bengaluru.
- elena: Berlin, cool weeks then a heat-wave long run that is also a distance spike.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from . import fitwriter as fw
from . import physiology as ph
from .athlete import AthleteSpec
from .plan import Plan
from .tables import CrampRow

END = date(2026, 6, 28)  # same last day as the main sample


def _weeks(
    first_monday: date,
    n: int,
    pattern: list[tuple[int, str, str, float, str]],
    fmt: str | tuple[str, ...],
    rec: tuple[int, ...] = (1, 2, 3, 4, 5),
    skip: set[date] | None = None,
) -> list[Plan]:
    """Repeat a weekly pattern (weekday, start, kind, km, route); fmt cycles if a tuple."""
    fmts = (fmt,) if isinstance(fmt, str) else fmt
    out: list[Plan] = []
    k = 0
    for w in range(n):
        for wd, start, kind, km, route in pattern:
            day = first_monday + timedelta(weeks=w, days=wd)
            if skip and day in skip:
                continue
            out.append(Plan(day, start, kind, km, route, fmts[k % len(fmts)], rec=rec))
            k += 1
    return out


def _rng(seed: int, k: int) -> np.random.Generator:
    return np.random.default_rng([seed, 10_000 + k])


def ben() -> AthleteSpec:
    seed = 7101
    lat, lon = 40.4153, -3.6845  # Retiro, Madrid
    climate = ph.Climate(15.0, 10.0, 7.5, ref_ele_m=660.0)
    climate.anomalies = ph.make_anomalies(
        np.random.default_rng([seed, 1]), date(2026, 5, 11), 55, sd=2.5
    )
    routes = {
        "retiro": ph.loop_route(
            _rng(seed, 1), "retiro", 6000, 665, [(0.4, 0.2, 12)], lat, lon, 2.0
        ),
        "casa_campo": ph.loop_route(
            _rng(seed, 2),
            "casa_campo",
            12000,
            640,
            [(0.3, 0.15, 60), (0.75, 0.1, 40)],
            40.4200,
            -3.7450,
            3.0,
        ),
    }
    pattern = [
        (1, "07:00", "easy", 9.0, "retiro"),
        (3, "07:00", "tempo", 10.0, "retiro"),
        (5, "07:30", "long", 16.0, "casa_campo"),
        (6, "08:00", "easy", 8.0, "retiro"),
    ]
    plans = _weeks(date(2026, 5, 18), 6, pattern, "fit", rec=(2, 3, 4, 5))
    return AthleteSpec(
        folder="ben",
        name="Ben Ortega",
        sex="male",
        hr_max=185,
        hr_rest=52,
        timezone="Europe/Madrid",
        seed=seed,
        v_threshold=[(date(2026, 6, 1), 3.85), (END, 3.87)],
        climate=climate,
        routes=routes,
        device=fw.Device(fw.MANUFACTURER_DEVELOPMENT, 1, 2_000_111_222, 310),
        plans=plans,
        gz_fit=False,
    )


def chloe() -> AthleteSpec:
    seed = 7102
    climate = ph.Climate(14.0, 3.0, 4.0, ref_ele_m=20.0)
    climate.anomalies = ph.make_anomalies(
        np.random.default_rng([seed, 1]), date(2026, 5, 11), 55, sd=1.5
    )
    routes = {
        "presidio": ph.loop_route(
            _rng(seed, 1), "presidio", 7000, 40, [(0.5, 0.2, 45)], 37.7989, -122.4662, 2.0
        ),
        "marina": ph.loop_route(
            _rng(seed, 2), "marina", 5000, 5, [(0.3, 0.2, 3)], 37.8060, -122.4400, 0.8
        ),
        "race_10k": ph.loop_route(
            _rng(seed, 3), "race_10k", 10000, 10, [(0.5, 0.2, 6)], 37.8030, -122.4500, 1.0
        ),
    }
    race_day = date(2026, 6, 21)
    pattern = [
        (1, "06:30", "easy", 6.0, "marina"),
        (3, "18:30", "easy", 7.0, "presidio"),
        (5, "08:00", "long", 9.0, "presidio"),
    ]
    plans = _weeks(date(2026, 5, 18), 6, pattern, "gpx", rec=(4, 5))
    plans.append(Plan(race_day, "08:00", "race", 10.0, "race_10k", "gpx", title="Race: Presidio 10K", race=True,
                      frac=1.04, rec=(2, 3), cramp_at_km=8.6,
                      cramp=("calf", "left", 3, "during", "left calf in the last 2 km")))  # fmt: skip
    plans.sort(key=lambda p: (p.day, p.start))
    return AthleteSpec(
        folder="chloe",
        name="Chloe Nguyen",
        sex="female",
        hr_max=192,
        hr_rest=50,
        timezone="America/Los_Angeles",
        seed=seed,
        v_threshold=[(date(2026, 5, 25), 3.55), (END, 3.57)],
        climate=climate,
        routes=routes,
        device=fw.Device(fw.MANUFACTURER_GARMIN, 2691, 3_111_222_333, 1510),
        plans=plans,
    )


def dev() -> AthleteSpec:
    seed = 7103
    climate = ph.Climate(24.0, 3.0, 5.0, ref_ele_m=920.0)
    climate.anomalies = ph.make_anomalies(
        np.random.default_rng([seed, 1]), date(2026, 5, 11), 55, sd=1.0
    )
    routes = {
        "cubbon": ph.loop_route(
            _rng(seed, 1), "cubbon", 5000, 920, [(0.5, 0.2, 10)], 12.9763, 77.5929, 1.5
        ),
    }
    pattern = [
        (0, "06:00", "treadmill", 6.0, ""),
        (2, "06:00", "run", 8.0, "cubbon"),
        (4, "06:00", "treadmill", 7.0, ""),
        (6, "06:15", "run", 10.0, "cubbon"),
    ]
    plans = _weeks(date(2026, 5, 18), 6, pattern, "manual")
    plans = [
        Plan(
            p.day,
            p.start,
            p.kind,
            p.km,
            p.route,
            "fitgz" if p.day in (date(2026, 6, 14), date(2026, 6, 28)) else "manual",
            rpe=None if p.day in (date(2026, 6, 14), date(2026, 6, 28)) else 3 + (i % 3),
        )  # fmt: skip
        for i, p in enumerate(plans)
    ]
    return AthleteSpec(
        folder="dev",
        name="Dev Raman",
        sex="male",
        hr_max=190,
        hr_rest=56,
        timezone="Asia/Kolkata",
        seed=seed,
        v_threshold=[(date(2026, 6, 1), 3.4), (END, 3.4)],
        climate=climate,
        routes=routes,
        device=fw.Device(fw.MANUFACTURER_GARMIN, 2691, 3_222_333_444, 1300),
        plans=plans,
    )


def elena() -> AthleteSpec:
    seed = 7104
    heat_day = date(2026, 6, 27)
    climate = ph.Climate(9.5, 9.5, 5.0, ref_ele_m=40.0)
    anomalies = ph.make_anomalies(np.random.default_rng([seed, 1]), date(2026, 5, 11), 55, sd=2.0)
    climate.anomalies = {d: min(a, 0.0) for d, a in anomalies.items()}  # a cool June ...
    climate.anomalies[heat_day] = 9.0  # ... until the heat wave
    climate.anomalies[heat_day + timedelta(1)] = 9.0
    routes = {
        "tiergarten": ph.loop_route(
            _rng(seed, 1), "tiergarten", 6500, 35, [(0.5, 0.2, 4)], 52.5145, 13.3501, 1.0
        ),
        "grunewald": ph.loop_route(
            _rng(seed, 2), "grunewald", 12000, 60, [(0.4, 0.15, 35)], 52.4730, 13.2490, 2.0
        ),
    }
    pattern = [
        (1, "07:00", "easy", 7.0, "tiergarten"),
        (3, "07:00", "intervals", 8.0, "tiergarten"),
        (5, "08:00", "long", 14.0, "grunewald"),
    ]
    plans = _weeks(
        date(2026, 5, 18), 6, pattern, ("fitgz", "gpx", "fitgz"), rec=(2, 3, 4, 5), skip={heat_day}
    )
    plans.append(Plan(heat_day, "11:30", "long", 23.0, "grunewald", "fitgz", slug="long_run_heatwave",
                      rec=(1, 2), cramp=("hamstring", "both", 3, "after", "32 C, first long run this warm")))  # fmt: skip
    plans.append(
        Plan(heat_day + timedelta(1), "08:30", "recovery", 5.0, "tiergarten", "gpx", rec=(4, 5))
    )
    plans.sort(key=lambda p: (p.day, p.start))
    return AthleteSpec(
        folder="elena",
        name="Elena Vogel",
        sex="female",
        hr_max=186,
        hr_rest=54,
        timezone="Europe/Berlin",
        seed=seed,
        v_threshold=[(date(2026, 6, 1), 3.45), (END, 3.48)],
        climate=climate,
        routes=routes,
        device=fw.Device(fw.MANUFACTURER_GARMIN, 2691, 3_333_444_555, 2240),
        plans=plans,
        cramps=[
            CrampRow(
                "2026-06-28T02:15", "calf", "right", 2, "night", "hot night after the long run"
            )
        ],
    )


def team_specs() -> list[AthleteSpec]:
    return [ben(), chloe(), dev(), elena()]
