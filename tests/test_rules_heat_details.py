"""CR07 and CR11 at their thresholds, and CR11's goal assessment: what the mutation run
(docs/testing.md) found no test holding. SCIENCE.md: CR07 caution at >= 25 °C, warning at
>= 28 °C, unless >= 5 heat sessions (>= 60 min at >= 25 °C) in the previous 14 days; CR11
(info) for >= 4 h, or >= 2 h in the heat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_rules_common import D0, context, fired, run

from cramplog.model import Goal
from cramplog.rules import RULES


@pytest.mark.parametrize(
    ("temp", "severity"), [(24.9, None), (25.0, "caution"), (27.9, "caution"), (28.0, "warning")]
)
def test_cr07_at_its_temperatures(temp: float, severity: str | None) -> None:
    found = fired(context([run(0, 10, temp=temp)]), "CR07")
    assert [f.severity for f in found] == ([severity] if severity else [])


@pytest.mark.parametrize(("sessions", "status"), [(4, "flag"), (5, "ok")])
def test_cr07_goal_at_five_heat_sessions(sessions: int, status: str) -> None:
    heat = [run(25 + d, 12, temp=27.0) for d in range(sessions)]  # 66 min at 27 °C each
    goal = Goal(name="Hot race", date=D0 + timedelta(50), distance_km=21.1, temperature_c=29)
    a = RULES["CR07"].assess_goal(context(heat, goals=[goal]), goal)
    assert a.status == status
    assert a.evidence["heat_sessions_14d"] == sessions


@pytest.mark.parametrize(
    ("km", "pace", "temp", "fires"),
    [
        (40.0, 360.0, None, True),  # 4 h exactly: long
        (39.9, 360.0, None, False),  # 3 h 59 min
        (20.0, 360.0, 26.0, True),  # 2 h exactly at 26 °C: hot
        (19.9, 360.0, 26.0, False),  # 1 h 59 min at 26 °C
        (20.0, 360.0, 25.0, True),  # 2 h at a mean of exactly 25 °C: heat
        (20.0, 360.0, 24.9, False),
    ],
)
def test_cr11_at_four_hours_or_two_in_the_heat(
    km: float, pace: float, temp: float | None, fires: bool
) -> None:
    found = fired(context([run(0, km, pace=pace, temp=temp)]), "CR11")
    assert [f.severity for f in found] == (["info"] if fires else [])


def _cr11_goal(goal: Goal) -> object:
    ctx = context([run(d, 10, pace=360) for d in (0, 20, 40)], goals=[goal])
    return RULES["CR11"].assess_goal(ctx, goal)


def test_cr11_goal() -> None:
    day = D0 + timedelta(days=60)
    a = _cr11_goal(Goal(name="hot 3 h", date=day, target_time_s=3 * 3600.0, temperature_c=28))
    assert (a.status, a.severity) == ("flag", "info")
    assert "at 28 °C" in a.message
    a = _cr11_goal(Goal(name="25 °C", date=day, target_time_s=3 * 3600.0, temperature_c=25))
    assert (a.status, a.severity) == ("flag", "info")  # at the heat threshold counts
    a = _cr11_goal(Goal(name="cool 3 h", date=day, target_time_s=3 * 3600.0, temperature_c=20))
    assert (a.status, a.message) == ("ok", "Goal is neither long nor hot")
    a = _cr11_goal(Goal(name="3 h, no forecast", date=day, target_time_s=3 * 3600.0))
    assert (a.status, a.message) == ("ok", "Goal is neither long nor hot")
    a = _cr11_goal(Goal(name="5 h", date=day, target_time_s=5 * 3600.0))
    assert (a.status, a.severity) == ("flag", "info") and " at " not in a.message
    a = _cr11_goal(Goal(name="no time", date=day))
    assert (a.status, a.message) == ("unknown", "Goal duration unknown")


@pytest.mark.parametrize(("sessions", "words"), [(0, "0 heat sessions"), (1, "1 heat session (")])
def test_cr07_message_counts_heat_sessions(sessions: int, words: str) -> None:
    heat = [run(25 + d, 12, temp=27.0) for d in range(sessions)]
    (f,) = [
        f
        for f in fired(context([*heat, run(34, 10, temp=26.0)]), "CR07")
        if f.date == D0 + timedelta(34)
    ]
    assert f"with {words}" in f.message


def test_cr11_message_gives_the_hot_minutes_only_for_a_hot_session() -> None:
    (hot,) = fired(context([run(0, 20.0, pace=360.0, temp=26.0)]), "CR11")
    assert "2:00:00 session with 120 min at ≥ 25 °C:" in hot.message
    (long,) = fired(context([run(0, 40.0, pace=360.0, temp=26.0)]), "CR11")  # 4 h, all hot
    assert long.message.startswith("4:00:00 session:")
