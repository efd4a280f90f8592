"""CR05 long_run_deficit, with and without a goal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_rules_common import D0, context, fired, run

from cramplog.model import Goal
from cramplog.rules import RULES


def test_cr05_no_goal_form() -> None:
    base = [run(d, 10) for d in (1, 8, 15)]
    (f,) = fired(context([*base, run(20, 15)]), "CR05")
    assert f.severity == "caution" and f.evidence["form"] == "no_goal"
    assert fired(context([*base, run(20, 14)]), "CR05") == []


def marathon_block(long_km: list[float]) -> list:
    easy = [run(d, 8) for d in range(0, 84, 3)]
    longs = [run(40 + 7 * i, km, hour=9) for i, km in enumerate(long_km)]
    return [*easy, *longs]


GOAL = Goal(name="Marathon", date=D0 + timedelta(84), distance_km=42.195)


@pytest.mark.parametrize(
    ("long_km", "severity"),
    [([20, 22, 24], "warning"), ([28, 29, 30], "caution"), ([30, 33], "caution"),
     ([32, 33, 34], None)],
)  # fmt: skip
def test_cr05_goal_bands(long_km: list[float], severity: str | None) -> None:
    acts = [*marathon_block(long_km), run(84, 42.2, race=True)]
    ctx = context(acts, goals=[GOAL])
    found = [f for f in fired(ctx, "CR05") if f.evidence.get("form") == "goal"]
    if severity is None:
        assert found == []
    else:
        (f,) = found
        assert f.severity == severity and f.date == GOAL.date and f.activity_id is not None
        assert f.evidence["longest_km"] == pytest.approx(max(long_km))


def test_cr05_goal_readiness_and_short_goal_threshold() -> None:
    ctx = context(marathon_block([20, 22, 24]), goals=[GOAL], today=D0 + timedelta(80))
    a = RULES["CR05"].assess_goal(ctx, GOAL)
    assert a.severity == "warning" and a.evidence["long_run_km"] == 28
    ten = Goal(name="10k", date=D0 + timedelta(90), distance_km=10)
    b = RULES["CR05"].assess_goal(ctx, ten)
    assert b.status == "ok" and b.evidence["long_run_km"] == pytest.approx(6.0)
