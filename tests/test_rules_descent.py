"""CR06 descent_unprepared: against the prior 6 weeks, the absolute floor, the goal course."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_rules_common import D0, context, fired, hill_run, run

from cramplog.model import Goal
from cramplog.rules import RULES


def prior(drop: float, grade: float = -0.12) -> list:
    return [hill_run(d, 10, drop, grade) for d in (10, 20, 30)]


@pytest.mark.parametrize(
    ("prior_drop", "drop", "grade", "severity"),
    [
        (200, 400, -0.12, "warning"),  # D− 2× and E10 2× the prior max
        (300, 400, -0.12, None),  # 1.33×: prepared enough
        (0, 250, -0.05, None),  # below the floor: D− < 300 m and no E10
        (100, 400, -0.05, "warning"),  # above the D− floor although no steep grade
        (0, 200, -0.12, "warning"),  # D− 200 m under the floor, but E10 1.7 km ≥ 1 km
    ],
)
def test_cr06_session(prior_drop: float, drop: float, grade: float, severity: str | None) -> None:
    acts = [*prior(prior_drop), hill_run(40, 10, drop, grade)]
    found = [f for f in fired(context(acts), "CR06") if f.date == D0 + timedelta(40)]
    assert [f.severity for f in found] == ([severity] if severity else [])
    if found:
        assert found[0].evidence["descent_m"] == pytest.approx(drop, rel=0.03)


def test_cr06_needs_elevation_history() -> None:
    flat_no_elev = [run(d, 10) for d in (10, 20, 30)]  # summary-only, descent unknown
    assert fired(context([*flat_no_elev, hill_run(40, 10, 500)]), "CR06") == []


def test_cr06_prior_window_is_six_weeks() -> None:
    acts = [hill_run(0, 10, 600), *prior(200), hill_run(45, 10, 400)]
    found = [f for f in fired(context(acts), "CR06") if f.date == D0 + timedelta(45)]
    assert [f.severity for f in found] == ["warning"]


def test_cr06_goal_course() -> None:
    acts = prior(200, grade=-0.05)  # 200 m descents, never steep
    today = D0 + timedelta(31)
    big = Goal(name="Mountain", date=D0 + timedelta(60), distance_km=30, descent_m=1500)
    ctx = context(acts, goals=[big], today=today)
    assert RULES["CR06"].assess_goal(ctx, big).severity == "warning"
    heavy = Goal(name="Hilly", date=D0 + timedelta(60), distance_km=15, descent_m=290)
    # 290 m < 1.5 × 200 m; course not heavy enough for the floor (< 300 m)
    assert RULES["CR06"].assess_goal(ctx, heavy).status == "ok"
    steep = Goal(name="Steep", date=D0 + timedelta(60), distance_km=15, descent_m=300)
    a = RULES["CR06"].assess_goal(ctx, steep)
    assert a.severity == "caution" and a.evidence["prior_max_min_le10"] == 0
    ctx2 = context(prior(200, grade=-0.12), goals=[steep], today=today)
    assert RULES["CR06"].assess_goal(ctx2, steep).status == "ok"  # ≥ 5 min at ≤ −10 %
