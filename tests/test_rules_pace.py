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
