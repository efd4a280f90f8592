"""CR07 heat_unacclimatized and CR11 long_hot_session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_rules_common import D0, context, fired, hill_run, run

from cramplog.model import Goal
from cramplog.rules import RULES


def heat_block(n: int, start: int = 20) -> list:
    return [run(start + d, 12, temp=27.0) for d in range(n)]  # 66 min at 27 °C each


@pytest.mark.parametrize(
    ("temp", "n_heat", "severity"),
    [(24.0, 0, None), (26.0, 0, "caution"), (29.0, 0, "warning"), (29.0, 4, "warning"),
     (29.0, 5, None), (26.0, 6, None)],
)  # fmt: skip
def test_cr07_session(temp: float, n_heat: int, severity: str | None) -> None:
    acts = [*heat_block(n_heat), run(34, 10, temp=temp)]
    found = [f for f in fired(context(acts), "CR07") if f.date == D0 + timedelta(34)]
    assert [f.severity for f in found] == ([severity] if severity else [])
    if found:
        assert found[0].evidence["heat_sessions_14d"] == n_heat


def test_cr07_old_heat_does_not_count_and_threshold_is_configurable() -> None:
    acts = [*heat_block(6, start=0), run(34, 10, temp=26.0)]  # heat 28–34 days ago
    assert [f.severity for f in fired(context(acts), "CR07") if f.date == D0 + timedelta(34)] == [
        "caution"
    ]
    ctx = context([run(34, 10, temp=26.0)], thresholds={"heat_c": 27})
    assert fired(ctx, "CR07") == []


def test_cr07_stream_minutes_above_threshold() -> None:
    short_heat = [hill_run(20 + d, 8, 0, temp=27.0) for d in range(6)]  # 48 min: not heat
    acts = [*short_heat, run(30, 10, temp=26.0)]
    (f,) = [f for f in fired(context(acts), "CR07") if f.date == D0 + timedelta(30)]
    assert f.evidence["heat_sessions_14d"] == 0


def test_cr07_goal() -> None:
    goal = Goal(name="Hot race", date=D0 + timedelta(50), distance_km=21.1, temperature_c=29)
    a = RULES["CR07"].assess_goal(context([run(30, 10)], goals=[goal]), goal)
    assert a.severity == "warning"
    ctx = context(heat_block(6, start=25), goals=[goal])
    assert RULES["CR07"].assess_goal(ctx, goal).status == "ok"


@pytest.mark.parametrize(
    ("km", "pace", "temp", "fires"),
    [(40, 370, None, True), (25, 330, 26.0, True), (30, 360, 20.0, False), (18, 330, 30.0, False)],
)
def test_cr11(km: float, pace: float, temp: float | None, fires: bool) -> None:
    found = fired(context([run(0, km, pace=pace, temp=temp)]), "CR11")
    assert [f.severity for f in found] == (["info"] if fires else [])
