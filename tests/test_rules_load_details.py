"""CR01's evidence units, CR10's wording by family and CR10's goal assessment: what the
mutation run (docs/testing.md) found no test holding."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_rules_common import D0, context, fired, run

from cramplog.model import Goal
from cramplog.rules import assess_goal

BASE = [run(2, 10), run(9, 10), run(16, 10)]  # three 10 km runs in the 30 days before day 20


def test_cr01_evidence_is_in_km_for_a_distance_spike() -> None:
    (f,) = fired(context([*BASE, run(20, 14.0)]), "CR01")
    ev = f.evidence
    assert (ev["metric"], ev["unit"]) == ("distance", "km")
    assert ev["session"] == pytest.approx(14.0) and ev["longest_prior"] == pytest.approx(10.0)


def test_cr01_evidence_is_in_seconds_for_a_duration_spike() -> None:
    swims = [run(d, 0, sport="swimming") for d in (1, 5, 9, 12)]
    for a, secs in zip(swims, (1800.0, 1800.0, 1800.0, 2700.0), strict=True):
        a.distance_m, a.elapsed_s, a.moving_s = None, secs, secs
    (f,) = fired(context(swims), "CR01")
    ev = f.evidence
    assert (ev["metric"], ev["unit"]) == ("duration", "s")
    assert ev["session"] == pytest.approx(2700.0) and ev["longest_prior"] == pytest.approx(1800.0)


def test_cr10_message_names_time_on_feet_for_runs_and_the_family_otherwise() -> None:
    # three 60-min sessions, then one of 95 min: 95 / 60 = 1.58, "by 58 %"
    runs = [*[run(d, 10, pace=360) for d in (0, 60, 120)], run(150, 95 * 60 / 360, pace=360)]
    (f,) = fired(context(runs), "CR10")
    assert f.message.startswith("Longest time on feet in 6 months by 58 %")
    rides = [run(d, 30, pace=120, sport="cycling") for d in (0, 60, 120)]
    rides.append(run(150, 95 * 60 / 120, pace=120, sport="cycling"))
    (f,) = fired(context(rides), "CR10")
    assert f.message.startswith("Longest cycling session in 6 months by 58 %")


def _cr10_goal(goal: Goal, acts: list) -> object:
    ctx = context(acts, goals=[goal])
    (a,) = [x for x in assess_goal(ctx, goal) if x.rule == "CR10"]
    return a


def test_cr10_goal_against_the_longest_session() -> None:
    prior = [run(d, 10, pace=360) for d in (0, 60, 120)]  # 60 min each
    race_day = D0 + timedelta(days=160)
    a = _cr10_goal(Goal(name="ultra", date=race_day, target_time_s=3 * 3600.0), prior)
    assert (a.status, a.severity) == ("flag", "warning")  # 3 h is 3.0x the longest 60 min
    assert a.evidence["longest_prior_s"] == pytest.approx(3600.0)
    assert a.evidence["ratio"] == pytest.approx(3.0)
    a = _cr10_goal(Goal(name="short", date=race_day, target_time_s=3600.0), prior)
    assert (a.status, a.severity) == ("ok", None)  # 1.0x: nothing new


def test_cr10_goal_without_a_duration_or_history_is_unknown() -> None:
    prior = [run(d, 10, pace=360) for d in (0, 60, 120)]
    race_day = D0 + timedelta(days=160)
    a = _cr10_goal(Goal(name="no time", date=race_day), prior)
    assert (a.status, a.message) == ("unknown", "Goal duration unknown")
    ride = Goal(name="ride", date=race_day, sport="cycling", target_time_s=7200.0)
    a = _cr10_goal(ride, prior)  # no ride in 6 months
    assert (a.status, a.message) == ("unknown", "No sessions in the last 6 months")
