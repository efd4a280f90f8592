"""Random runners for benchmark corpora: ~300 sessions per runner-year, FIT/GPX/CSV mixed.

Each athlete gets a home, a climate, a few routes and a periodised year (base, build,
peak, race, recovery) with rest days, the occasional spike, trip and heat wave. Fully
determined by (seed, athlete index).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from . import fitwriter as fw
from . import physiology as ph
from .athlete import AthleteSpec
from .plan import Plan
from .tables import CrampRow

HOMES = [
    # (time zone, lat, lon, elevation m, annual mean °C, annual amplitude °C)
    ("Europe/Madrid", 40.4153, -3.6845, 660, 15.0, 10.0),
    ("America/Denver", 39.7020, -104.9610, 1610, 10.5, 11.5),
    ("Europe/London", 51.5074, -0.1278, 20, 11.5, 7.0),
    ("Australia/Sydney", -33.8688, 151.2093, 30, 18.0, -5.0),
    ("America/New_York", 40.7812, -73.9665, 30, 13.0, 12.0),
    ("Asia/Tokyo", 35.6895, 139.6917, 40, 16.0, 10.5),
    ("Europe/Berlin", 52.5145, 13.3501, 35, 9.5, 9.5),
    ("America/Los_Angeles", 37.7989, -122.4662, 20, 14.0, 3.0),
]
NAMES = [
    "Ana",
    "Bruno",
    "Carla",
    "Dmitri",
    "Eva",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jon",
    "Kira",
    "Luis",
]


def _routes(rng: np.random.Generator, lat: float, lon: float, ele: float) -> dict[str, ph.Route]:
    def sub() -> np.random.Generator:
        return np.random.default_rng(rng.integers(0, 2**63))

    return {
        "flat": ph.loop_route(
            sub(), "flat", float(rng.uniform(5000, 9000)), ele, [(0.5, 0.2, 6)], lat, lon, 1.5
        ),
        "rolling": ph.loop_route(
            sub(),
            "rolling",
            float(rng.uniform(9000, 13000)),
            ele + 40,
            [(0.3, 0.12, 50), (0.7, 0.1, 30)],
            lat + 0.02,
            lon + 0.02,
            3.0,
        ),  # fmt: skip
        "hills": ph.out_and_back_route(
            sub(),
            "hills",
            float(rng.uniform(16000, 26000)),
            ele + 100,
            float(rng.uniform(500, 1400)),
            lat - 0.05,
            lon + 0.05,
        ),  # fmt: skip
    }


def _year_plans(
    rng: np.random.Generator, start: date, days: int, recording_s: tuple[int, ...]
) -> list[Plan]:
    """A periodised plan: ~5.8 sessions a week on average, long run growing through each block.
    ``recording_s``: the gaps between recorded points to choose from."""
    plans: list[Plan] = []
    formats = ("fit", "fitgz", "fitgz", "gpx", "fit", "fitgz", "fit", "fitgz")
    k = 0
    off_until = start - timedelta(1)
    for i in range(days):
        day = start + timedelta(i)
        wd = day.weekday()
        phase = (i // 7) % 12  # 12-week cycles: 0-3 base, 4-8 build, 9 peak, 10 race, 11 recovery
        if day <= off_until:
            continue
        if rng.random() < 0.012:  # a trip or illness: several days off
            off_until = day + timedelta(int(rng.integers(3, 8)))
            continue
        scale = 1.0 + 0.06 * min(phase, 9)
        if wd == 0 and rng.random() < 0.35:
            continue
        if wd == 4 and rng.random() < 0.45:
            continue
        evening = rng.random() < 0.35
        start_t = f"{18 if evening else 6:02d}:{int(rng.integers(0, 59)):02d}"
        if wd == 5:
            kind, km = "long", (14.0 + 1.2 * min(phase, 9)) * float(rng.uniform(0.9, 1.1))
            route = "hills" if phase >= 6 and rng.random() < 0.5 else "rolling"
            if phase == 10 and rng.random() < 0.6:
                kind, km, route = "race", float(rng.choice([10.0, 21.1])), "flat"
        elif wd in (1, 3):
            kind = "tempo" if wd == 1 else "intervals"
            km, route = 9.0 * scale, "flat"
        else:
            kind, km, route = "easy", float(rng.uniform(6, 10)) * scale, "flat"
        if rng.random() < 0.03:
            kind, km = "long", km * 1.8  # the occasional spike
        if route == "hills":
            km = 0.0  # out-and-back: the route sets the distance
        f = formats[k % len(formats)]
        k += 1
        if rng.random() < 0.04:
            f, route, kind = "manual", "", "treadmill"
            km = float(rng.uniform(5, 9))
        plans.append(
            Plan(
                day,
                start_t,
                kind,
                round(km, 1),
                route,
                f,
                race=kind == "race",
                frac=1.0 if kind == "race" else None,
                sub_sport="trail" if route == "hills" else "generic",
                rec=recording_s,
                temp_offset_c=8.0 if rng.random() < 0.02 else 0.0,
                rpe=int(rng.integers(2, 8)) if f == "manual" else None,
            )  # fmt: skip
        )
    return plans


# Watches on "smart" recording store a point every 1-5 s; on "every second", every second.
SMART_RECORDING_S = (1, 2, 3, 4, 5)
EVERY_SECOND_S = (1,)


def corpus_specs(
    athletes: int,
    years: float,
    seed: int = 0,
    recording_s: tuple[int, ...] = SMART_RECORDING_S,
    start: date = date(2025, 1, 6),
) -> list[AthleteSpec]:
    specs = []
    days = max(int(round(years * 365)), 7)
    for a in range(athletes):
        rng = np.random.default_rng([seed, a, 77])
        tz, lat, lon, ele, mean, amp = HOMES[a % len(HOMES)]
        climate = ph.Climate(mean, amp, float(rng.uniform(4, 8)), ref_ele_m=float(ele))
        climate.anomalies = ph.make_anomalies(np.random.default_rng([seed, a, 1]), start, days + 1)
        routes = _routes(rng, lat, lon, float(ele))
        plans = _year_plans(rng, start, days, recording_s)
        plans = [
            p
            if p.km > 0
            else Plan(
                p.day,
                p.start,
                p.kind,
                routes["hills"].length_m / 1000,
                p.route,
                p.fmt,
                sub_sport=p.sub_sport,
                rec=p.rec,
            )  # fmt: skip
            for p in plans
        ]
        female = bool(rng.random() < 0.45)
        hr_max = int(rng.integers(176, 200))
        vt = float(rng.uniform(3.0, 4.6))
        cramps = [
            CrampRow(
                f"{p.day.isoformat()}T{p.start}",
                str(rng.choice(["calf", "hamstring", "quadriceps"])),
                str(rng.choice(["left", "right", "both"])),
                int(rng.integers(1, 5)),
                "during",
            )  # fmt: skip
            for p in plans
            if p.kind in ("race", "long") and rng.random() < 0.08
        ]
        specs.append(
            AthleteSpec(
                folder=f"athlete_{a:03d}",
                name=f"{NAMES[a % len(NAMES)]} {a:03d}",
                sex="female" if female else "male",
                hr_max=hr_max,
                hr_rest=int(rng.integers(42, 62)),
                timezone=tz,
                seed=int(seed * 100_003 + a),
                v_threshold=[
                    (start, vt),
                    (start + timedelta(days), vt * float(rng.uniform(1.0, 1.06))),
                ],
                climate=climate,
                routes=routes,
                device=fw.Device(fw.MANUFACTURER_GARMIN, 2691, 3_500_000_000 + a, 2000 + a),
                plans=plans,
                cramps=cramps,
            )
        )
    return specs
