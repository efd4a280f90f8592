"""CR04 pace_above_norm: faster than the athlete's own recent training predicts."""

from __future__ import annotations

from datetime import date

import pytest
from test_rules_common import context, fired, run

from cramplog.model import Goal

PRIOR = [run(d, 10, pace=330) for d in (5, 12, 19, 26, 33)]


@pytest.mark.parametrize(
    ("pace", "severity"), [(325, None), (321, None), (319, "caution"), (310, "warning")]
)
def test_cr04_bands(pace: float, severity: str | None) -> None:
    found = fired(context([*PRIOR, run(40, 10, pace=pace, race=True)]), "CR04")
    if severity is None:
        assert found == []
    else:
        (f,) = found
        assert f.severity == severity
        assert f.evidence["faster_pct"] == pytest.approx((330 - pace) / 330 * 100, abs=1e-3)
        assert f.grade == "moderate"


def test_cr04_riegel_textbook() -> None:
    fives = [run(d, 5, pace=300) for d in (5, 12, 19, 26)]  # 25:00 for 5 km
    # Riegel: 1500 s · 2^1.06 = 3127.3 s for 10 km → 312.7 s/km
    (f,) = fired(context([*fives, run(40, 10, pace=300)]), "CR04")
    assert f.evidence["expected_pace_s_per_km"] == pytest.approx(1500 * 2**1.06 / 10, abs=0.01)
    assert f.severity == "caution"  # 4.1 % faster


def test_cr04_needs_four_prior_sessions_in_12_weeks() -> None:
    few = [run(d, 10, pace=330) for d in (5, 12, 19)]
    assert fired(context([*few, run(40, 10, pace=300)]), "CR04") == []
    old = [run(d, 10, pace=330) for d in (0, 1, 2, 3)]  # > 12 weeks before day 100
    assert fired(context([*old, run(100, 10, pace=300)]), "CR04") == []


def test_cr04_goal_target_faster_than_prediction() -> None:
    goal = Goal(name="10k", date=date(2024, 3, 1), distance_km=10, target_time_s=10 * 300)
    ctx = context(PRIOR, goals=[goal])
    from cramplog.rules import RULES

    a = RULES["CR04"].assess_goal(ctx, goal)
    assert a.severity == "warning" and a.evidence["predicted_time_s"] == pytest.approx(3300)
    easy = Goal(name="10k", date=date(2024, 3, 1), distance_km=10, target_time_s=3400)
    assert RULES["CR04"].assess_goal(ctx, easy).status == "ok"


# -- like with like (issue 14, point 3) -----------------------------------------------------


def trail(day: int, km: float, climb: float, pace: float, race: bool = False):
    a = run(day, km, pace=pace, race=race, sport="trail_running")
    a.ascent_m, a.descent_m = climb, climb
    return a


ROAD = [run(d, 10, pace=330) for d in (3, 10, 17, 24, 31)]
TRAILS = [trail(d, 12, 600, 450) for d in (6, 13, 20, 27, 34)]


def test_a_trail_race_can_trip_cr04() -> None:
    # 12 km with 600 m up = 18 km-effort; training trails 5400 s -> 300 s per effort km
    race = trail(40, 12, 600, 400, race=True)  # 4800 s -> 266.7 s per effort km
    (f,) = fired(context([*ROAD, *TRAILS, race]), "CR04")
    assert f.evidence["basis"] == "training, same terrain (trail)"
    assert f.evidence["terrain"] == "trail" and f.evidence["effort_km"] == pytest.approx(18.0)
    assert f.evidence["expected_pace_s_per_km"] == pytest.approx(300.0, abs=1e-6)
    assert f.evidence["faster_pct"] == pytest.approx((300 - 4800 / 18) / 300 * 100, abs=1e-3)
    assert f.severity == "warning" and "same terrain (trail)" in f.message


def test_a_road_race_is_predicted_from_earlier_races() -> None:
    earlier = run(8, 10, pace=300, race=True)  # 10 km race in 50:00
    race = run(40, 10, pace=298, race=True)  # against training (330 s/km) 9.7 % faster
    found = fired(context([*ROAD, earlier, race]), "CR04")
    assert [f.date for f in found if f.evidence.get("is_race")] == []  # 0.7 %: nothing
    alone = fired(context([*ROAD, race]), "CR04")  # no earlier race: training is the basis
    (f,) = alone
    assert f.evidence["basis"] == "training, same terrain (road)" and f.severity == "warning"


def test_a_race_faster_than_earlier_races_predict() -> None:
    earlier = run(8, 10, pace=300, race=True)
    race = run(40, 21.1, pace=285, race=True)
    (f,) = [f for f in fired(context([*ROAD, earlier, race]), "CR04") if f.evidence["is_race"]]
    want = 3000 * (21.1 / 10) ** 1.06 / 21.1  # Riegel from the earlier race, by hand
    assert f.evidence["basis"] == "earlier races" and f.evidence["earlier_races"] == 1
    assert f.evidence["expected_pace_s_per_km"] == pytest.approx(want, abs=1e-3)
    assert "earlier races" in f.message


def test_hilly_goal_prediction_is_climb_adjusted() -> None:
    from cramplog.rules import RULES

    half = run(30, 21.1, pace=270, race=True)  # a flat half in 1:34:57
    goal = Goal(name="50K", date=date(2024, 3, 20), distance_km=50, descent_m=2800,
                target_time_s=4 * 3600)  # fmt: skip
    a = RULES["CR04"].assess_goal(context([*ROAD, half], goals=[goal]), goal)
    effort = 50 + 2800 / 100  # ITRA km-effort, the climb taken equal to the descent
    want = 21.1 * 270 * (effort / 21.1) ** 1.06
    assert a.evidence["predicted_time_s"] == pytest.approx(want, rel=1e-6)
    assert a.evidence["basis"] == "earlier races" and a.evidence["effort_km"] == effort
    assert a.evidence["predicted_time_s"] > 6 * 3600  # not the 3:5x of a flat 50 km
    assert a.severity == "warning" and "km-effort" in a.message and "earlier races" in a.message


def test_treadmill_is_compared_with_treadmill() -> None:
    mills = [run(d, 8, pace=300, sport="treadmill") for d in (4, 11, 18, 25)]
    # road runs at 330 s/km, belt runs at 300 s/km; a 320 s/km road run is 3 % faster than
    # the road runs predict, but would be 6 % slower than the belt runs
    f = run(40, 10, pace=320)
    (x,) = fired(context([*ROAD, *mills, f]), "CR04")
    assert x.evidence["basis"] == "training, same terrain (road)" and x.severity == "caution"
    m = run(41, 8, pace=280, sport="treadmill")  # 6.7 % faster than the belt runs
    (y,) = [g for g in fired(context([*ROAD, *mills, m]), "CR04") if g.date != x.date]
    assert y.evidence["basis"] == "training, same terrain (treadmill)"
    assert y.evidence["expected_pace_s_per_km"] == pytest.approx(300.0)


@pytest.mark.slow
def test_sample_season_cr04_bases(alex_season) -> None:
    from cramplog.analysis.athlete import analyze_athlete

    data, feats, hr, today = alex_season
    rep = analyze_athlete(data.profile, data.activities, data.cramps, today=today,
                          features=feats, hr=hr)  # fmt: skip
    by_day = {f.date.isoformat(): f for f in rep.findings if f.rule == "CR04"}
    road = by_day["2026-04-05"]  # the planted road half: no earlier race
    assert road.severity == "warning" and road.evidence["basis"] == "training, same terrain (road)"
    trail = by_day["2026-04-25"]  # the trail half against the road half, per km-effort
    assert trail.evidence["basis"] == "earlier races" and trail.evidence["terrain"] == "trail"
    goal = {a.rule: a for a in rep.goal.assessments}["CR04"]
    # the goal has a course file (49.95 km, +2,500 m: sample_logs/README.md): its own climb
    assert goal.evidence["basis"] == "earlier races"
    assert goal.evidence["effort_km"] == pytest.approx(49.95 + 2500 / 100, abs=0.1)
    assert goal.evidence["predicted_time_s"] > 5 * 3600  # not 3:57 from flat training
