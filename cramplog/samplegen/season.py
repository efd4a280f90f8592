"""The bundled sample: Alex, a Denver runner, January to June 2026, towards a hot mountain 50 km.

Six episodes are planted so that the default rules in SCIENCE.md fire on them, each
followed by a logged cramp; the weeks between them are quiet. sample_logs/README.md
tells the story with the measured numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from . import fitwriter as fw
from . import physiology as ph
from .athlete import AthleteSpec
from .plan import Plan
from .tables import CrampRow, Goal, ManualRow

SEED = 20260105
START = date(2026, 1, 5)  # a Monday
END = date(2026, 6, 28)  # a Sunday

SPIKE_DAY = date(2026, 2, 7)  # CR01: long run far beyond the previous 30 days
BLOCK = (date(2026, 3, 2), date(2026, 3, 13))  # CR02 + CR03: twelve identical days
DUPLICATE_DAY = date(2026, 3, 19)  # the same run as FIT and as Strava GPX
HALF_RACE_DAY = date(2026, 4, 5)  # CR04: a race far faster than training predicts
TRAIL_RACE_DAY = date(2026, 4, 25)  # CR06: a downhill race after six flat weeks
HEAT_DAY = date(2026, 5, 16)  # CR07: first hot long session
GAP = (date(2026, 6, 8), date(2026, 6, 11))  # CR08: four days off at peak fitness
COMEBACK_DAY = date(2026, 6, 12)


def alex_routes(seed: int) -> dict[str, ph.Route]:
    def rng(k: int) -> np.random.Generator:
        return np.random.default_rng([seed, 10_000 + k])

    lat_d, lon_d = 39.7020, -104.9610  # Denver, Cherry Creek
    return {
        "cherry_creek": ph.loop_route(
            rng(1), "cherry_creek", 8000, 1620, [(0.3, 0.1, 4)], lat_d, lon_d, 1.5
        ),
        "wash_park": ph.loop_route(
            rng(2), "wash_park", 4800, 1610, [(0.6, 0.15, 5)], 39.6990, -104.9700, 1.0
        ),
        "green_mtn": ph.loop_route(
            rng(3),
            "green_mtn",
            11000,
            1830,
            [(0.25, 0.12, 45), (0.7, 0.1, 35)],
            39.6960,
            -105.1650,
            3.0,
        ),
        "race_half": ph.loop_route(
            rng(4), "race_half", 21100, 1600, [(0.5, 0.2, 8)], 39.7290, -104.9900, 1.5
        ),
        "trail_half": ph.loop_route(
            rng(5),
            "trail_half",
            23000,
            1900,
            [(0.25, 0.2, 560), (0.72, 0.2, 540)],
            39.6500,
            -105.2500,
            6.0,
        ),
        "mtn_falcon": ph.out_and_back_route(
            rng(6), "mtn_falcon", 22000, 1900, 1000, 39.6400, -105.1900
        ),
        "mtn_apex": ph.out_and_back_route(
            rng(7), "mtn_apex", 24500, 1880, 1200, 39.7150, -105.2100
        ),
        "mtn_bear": ph.out_and_back_route(
            rng(8), "mtn_bear", 26500, 1750, 1450, 39.9600, -105.2800, 4
        ),
        "mtn_evans": ph.out_and_back_route(
            rng(9), "mtn_evans", 29000, 2000, 1700, 39.6600, -105.3200, 4
        ),
    }


class _Formats:
    """Deterministic mix of formats for ordinary sessions (long ones never as GPX: size)."""

    CYCLE = ("fitgz", "gpx", "fit", "fitgz", "gpx", "fitgz", "fit")

    def __init__(self) -> None:
        self.i = 0

    def __call__(self, km: float) -> str:
        f = self.CYCLE[self.i % len(self.CYCLE)]
        self.i += 1
        if f == "gpx" and km > 8:
            return "fit"
        return f


def alex_plans() -> list[Plan]:
    fmt = _Formats()
    plans: list[Plan] = []
    cap_until = HEAT_DAY  # no session reaches 25 °C before the heat episode

    def add(
        day: date, start: str, kind: str, km: float, route: str, f: str | None = None, **kw: object
    ) -> None:
        rec = kw.pop("rec", None)
        f = f or fmt(km)
        if rec is None:
            rec = (4, 5) if f == "gpx" else (2, 3, 4, 5)
        cap = 22.0 if day < cap_until else None
        plans.append(Plan(day, start, kind, km, route, f, rec=rec, temp_cap_c=cap, **kw))  # type: ignore[arg-type]

    def week(w: int) -> date:
        return START + timedelta(weeks=w)

    # ---- weeks 0-3: base (quiet), long runs 13 → 16 km, cool and flat or gently rolling
    longs = [13.0, 14.0, 15.0, 16.0]
    for w in range(4):
        m = week(w)
        add(m + timedelta(1), "06:45", "easy", 7.0 + (w % 2), "wash_park")
        if w == 0:
            add(m + timedelta(2), "18:40", "easy", 8.0, "cherry_creek")
        else:
            add(m + timedelta(2), "18:40", "tempo" if w % 2 else "intervals", 9.0, "cherry_creek")
        add(m + timedelta(3), "18:35", "easy", 7.0, "wash_park")
        add(m + timedelta(5), "10:00", "long", longs[w], "cherry_creek" if w % 2 else "green_mtn")
        add(m + timedelta(6), "09:00", "easy", 8.0, "green_mtn" if w % 2 else "wash_park")

    # ---- week 4: the session spike (Sat 7 Feb), 26 km after a 16 km month
    m = week(4)
    add(m + timedelta(1), "06:45", "easy", 8.0, "wash_park")
    add(m + timedelta(2), "18:40", "tempo", 9.0, "cherry_creek")
    add(m + timedelta(3), "18:35", "easy", 7.0, "wash_park")
    add(
        SPIKE_DAY, "10:00", "long", 26.0, "cherry_creek", "fit", slug="long_run_26k", rec=(1,),
        cramp_at_km=22.5, cramp=("calf", "right", 3, "during", "km 22, walked it off for a minute"),
    )  # fmt: skip
    add(m + timedelta(6), "10:30", "recovery", 5.0, "wash_park")

    # ---- weeks 5-7: quiet again, the last one a little lighter
    for w, lng in ((5, 14.0), (6, 16.0)):
        m = week(w)
        add(m + timedelta(1), "06:45", "easy", 7.0, "wash_park")
        add(
            m + timedelta(2),
            "18:40",
            "intervals" if w == 6 else "easy",
            9.0 if w == 6 else 8.0,
            "cherry_creek",
        )
        add(m + timedelta(3), "18:35", "easy", 7.0, "wash_park")
        add(m + timedelta(5), "09:30", "long", lng, "cherry_creek")
        add(m + timedelta(6), "09:00", "easy", 8.0, "green_mtn")
    m = week(7)
    add(m + timedelta(1), "06:45", "easy", 7.0, "wash_park")
    add(m + timedelta(2), "18:40", "easy", 8.0, "cherry_creek")
    add(m + timedelta(3), "18:35", "easy", 6.0, "wash_park")
    add(m + timedelta(5), "09:30", "long", 16.0, "cherry_creek")

    # ---- 2-13 March: the block. Twelve evenings in a row, the same 18 km at the same effort
    for i in range((BLOCK[1] - BLOCK[0]).days + 1):
        day = BLOCK[0] + timedelta(days=i)
        cramp = (
            ("hamstring", "left", 2, "after", "tight on the drive home")
            if day == date(2026, 3, 12)
            else None
        )
        add(
            day, "18:30", "steady", 18.0, "cherry_creek", "gpx" if i % 4 == 1 else "fit", frac=0.84,
            slug="streak_run", title=f"Run streak day {i + 1}" if i % 4 == 1 else "", cramp=cramp,
        )  # fmt: skip
    add(date(2026, 3, 15), "10:00", "recovery", 6.0, "wash_park")

    # ---- 16 March - 4 April: flat road weeks (quiet), then the half marathon
    m = week(10)
    add(m + timedelta(1), "06:45", "easy", 8.0, "wash_park")
    add(m + timedelta(2), "18:40", "tempo", 10.0, "cherry_creek")
    add(DUPLICATE_DAY, "18:35", "easy", 7.0, "wash_park", "both", title="Evening Run")
    add(m + timedelta(5), "08:30", "long", 18.0, "cherry_creek")
    add(m + timedelta(6), "09:00", "easy", 8.0, "wash_park")
    m = week(11)
    add(m + timedelta(1), "06:45", "easy", 8.0, "wash_park")
    add(m + timedelta(2), "18:40", "intervals", 9.0, "cherry_creek")
    add(m + timedelta(3), "18:35", "easy", 7.0, "wash_park")
    add(m + timedelta(5), "08:30", "long", 19.5, "cherry_creek")
    add(m + timedelta(6), "09:00", "easy", 8.0, "wash_park")
    m = week(12)
    add(m + timedelta(1), "06:45", "easy", 8.0, "wash_park")
    add(m + timedelta(2), "18:40", "tempo", 8.0, "cherry_creek")
    add(m + timedelta(3), "18:35", "easy", 6.0, "wash_park")
    add(m + timedelta(5), "09:00", "shakeout", 4.0, "wash_park")
    add(
        HALF_RACE_DAY, "08:00", "race", 21.1, "race_half", "fit", slug="race_cherry_creek_half",
        race=True, frac=1.0, rec=(1,), cramp_at_km=18.3,
        cramp=("calf", "both", 4, "during", "both calves at mile 11, stretched, jogged in"),
    )  # fmt: skip

    # ---- 6-24 April: recovery and more flat roads, then the trail half (Sat 25 April)
    m = week(13)
    add(m + timedelta(1), "06:45", "recovery", 6.0, "wash_park")
    add(m + timedelta(2), "18:40", "easy", 7.0, "cherry_creek")
    add(m + timedelta(3), "18:35", "easy", 8.0, "wash_park")
    add(m + timedelta(5), "08:30", "long", 15.0, "cherry_creek")
    add(m + timedelta(6), "09:00", "easy", 8.0, "wash_park")
    m = week(14)
    add(m + timedelta(1), "06:45", "easy", 8.0, "wash_park")
    add(m + timedelta(2), "18:40", "tempo", 10.0, "cherry_creek")
    add(m + timedelta(3), "18:35", "easy", 7.0, "wash_park")
    add(m + timedelta(5), "08:30", "long", 18.0, "cherry_creek")
    add(m + timedelta(6), "09:00", "easy", 8.0, "wash_park")
    m = week(15)
    add(m + timedelta(1), "06:45", "easy", 8.0, "wash_park")
    add(m + timedelta(2), "18:40", "easy", 8.0, "cherry_creek")
    add(m + timedelta(3), "18:35", "easy", 6.0, "wash_park")
    add(
        TRAIL_RACE_DAY, "07:00", "trail", 23.0, "trail_half", "fit", slug="race_trail_half", race=True, frac=0.90,
        sub_sport="trail", rec=(1, 2), cramp_at_km=20.5,
        cramp=("quadriceps", "both", 3, "during", "both quads seized on the last descent"),
    )  # fmt: skip

    # ---- 27 April - 15 May: treadmill in a spring snowstorm, then hills come back
    m = week(16)
    add(
        m + timedelta(1),
        "06:40",
        "treadmill",
        8.0,
        "",
        "manual",
        rpe=3,
        title="Treadmill, snow outside",
    )
    add(m + timedelta(2), "18:40", "easy", 7.0, "cherry_creek")
    add(m + timedelta(3), "06:45", "treadmill", 7.0, "", "garmin", title="Treadmill Running")
    add(m + timedelta(5), "08:30", "long", 18.0, "green_mtn")
    add(m + timedelta(6), "09:00", "easy", 8.0, "wash_park")
    m = week(17)
    add(m + timedelta(1), "06:45", "easy", 9.0, "wash_park")
    add(m + timedelta(2), "18:40", "hills", 11.0, "green_mtn")
    add(m + timedelta(3), "18:35", "easy", 8.0, "wash_park")
    add(
        m + timedelta(5),
        "07:00",
        "mountain",
        22.0,
        "mtn_falcon",
        sub_sport="trail",
        slug="mount_falcon",
    )
    add(m + timedelta(6), "09:00", "easy", 8.0, "wash_park")
    m = week(18)
    add(m + timedelta(1), "06:45", "easy", 9.0, "wash_park")
    add(m + timedelta(2), "18:40", "tempo", 11.0, "cherry_creek")
    add(m + timedelta(3), "18:35", "easy", 8.0, "wash_park")
    add(
        HEAT_DAY, "11:00", "long", 20.0, "green_mtn", "fitgz", slug="long_run_heat", rec=(1, 2),
        cramp=("hamstring", "right", 3, "after", "first hot day, 31 C, ran out of water at km 15"),
    )  # fmt: skip
    add(m + timedelta(6), "07:00", "recovery", 6.0, "wash_park")

    # ---- 18 May - 7 June: the peak block, mountain long runs 24.5 → 29 km
    peak = [(24.5, "mtn_apex", "hills", "tempo"), (26.5, "mtn_bear", "hills", "intervals"),
            (29.0, "mtn_evans", "hills", "tempo")]  # fmt: skip
    for j, (km, route, q1, q2) in enumerate(peak):
        m = week(19 + j)
        add(m, "06:30", "easy", 10.0, "wash_park")
        add(m + timedelta(1), "06:30", q1, 12.0 + min(j, 1), "green_mtn")
        add(m + timedelta(2), "18:45", "easy", 10.0 + (j == 2), "cherry_creek")
        add(m + timedelta(3), "06:30", q2, 13.0 + j * 0.5, "cherry_creek")
        add(
            m + timedelta(5),
            "06:00",
            "mountain",
            km,
            route,
            sub_sport="trail",
            slug=route.replace("mtn_", "mount_"),
        )
        add(m + timedelta(6), "07:30", "easy", 12.0, "green_mtn")

    # ---- 8-11 June: four days off (work trip). Friday evening back, and the quads go
    add(
        COMEBACK_DAY, "18:40", "easy", 13.0, "green_mtn", "fit", slug="first_run_back", frac=0.80,
        cramp_at_km=9.0, cramp=("quadriceps", "both", 4, "during", "first run after the trip; felt great until km 9"),
    )  # fmt: skip
    add(date(2026, 6, 13), "08:00", "recovery", 6.0, "wash_park")
    add(date(2026, 6, 14), "08:00", "easy", 10.0, "green_mtn")

    # ---- 15-28 June: back to training, summer evenings, a few sessions only in CSV
    m = week(23)
    add(m, "12:10", "treadmill", 8.0, "", "manual", rpe=4, title="Gym treadmill at lunch")
    add(m + timedelta(1), "06:30", "run", 10.0, "cherry_creek", "garmin", notes="Denver")
    add(m + timedelta(2), "18:45", "intervals", 10.0, "cherry_creek")
    add(m + timedelta(5), "06:30", "long", 22.0, "green_mtn")
    add(m + timedelta(6), "18:30", "easy", 8.0, "wash_park")
    m = week(24)
    add(m + timedelta(1), "06:30", "treadmill", 8.0, "", "garmin", title="Treadmill Running")
    add(m + timedelta(2), "07:30", "run", 10.0, "cherry_creek", "manual", rpe=4, title="Watch died - logged by hand",
        notes="no hr")  # fmt: skip
    add(m + timedelta(3), "18:40", "easy", 8.0, "wash_park")
    add(
        m + timedelta(4),
        "06:30",
        "trail",
        12.0,
        "green_mtn",
        "garmin",
        title="Green Mountain Trail Running",
    )
    add(
        m + timedelta(5),
        "06:00",
        "mountain",
        22.0,
        "mtn_falcon",
        sub_sport="trail",
        slug="mount_falcon",
    )
    add(m + timedelta(6), "18:30", "easy", 8.0, "wash_park")

    plans.sort(key=lambda p: (p.day, p.start))
    assert all(START <= p.day <= END for p in plans)
    assert not any(GAP[0] <= p.day <= GAP[1] for p in plans)
    return plans


def alex_spec() -> AthleteSpec:
    climate = ph.Climate(annual_mean_c=10.5, annual_amp_c=11.5, diurnal_amp_c=8.0, ref_ele_m=1610.0)
    climate.anomalies = ph.make_anomalies(
        np.random.default_rng([SEED, 1]), START, (END - START).days + 1
    )
    climate.anomalies[HEAT_DAY] = 11.5  # a heat wave arrives
    climate.anomalies[HEAT_DAY + timedelta(1)] = 6.0
    return AthleteSpec(
        folder="alex",
        name="Alex Moreno",
        sex="male",
        hr_max=188,
        hr_rest=48,
        timezone="America/Denver",
        seed=SEED,
        v_threshold=[(START, 3.70), (HALF_RACE_DAY, 3.90), (END, 3.95)],
        climate=climate,
        routes=alex_routes(SEED),
        device=fw.Device(fw.MANUFACTURER_GARMIN, 2691, 3_987_654_321, 2660),
        plans=alex_plans(),
        goals=[
            Goal(
                "Canyon Rim 50K",
                date(2026, 7, 11),
                "running",
                50.0,
                2800,
                27.0,
                "06:30:00",
                "canyon_rim_50k.gpx",
            )
        ],  # fmt: skip
        cramps=[
            CrampRow(
                "2026-03-14T03:10", "calf", "both", 2, "night", "woke up with both calves locked"
            ),
            CrampRow(
                "2026-06-13T01:40", "calf", "left", 2, "night", "night after the first run back"
            ),
        ],
        extra_manual=[
            ManualRow(
                "2026-06-18 17:30",
                "strength",
                "00:35:00",
                rpe="6",
                title="Walking lunges and step-downs",
            ),
            ManualRow(
                "2026-06-21 07:00",
                "cycling",
                "01:15:00",
                "32.40",
                "310",
                "305",
                "124",
                "151",
                "21",
                "3",
                "Easy spin with Sam",
            ),  # fmt: skip
        ],
    )
