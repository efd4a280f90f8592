"""CR08 taper_gap: days off at peak fitness; a taper that cuts session frequency."""

from __future__ import annotations

from datetime import timedelta

from test_rules_common import D0, context, fired, run

from cramplog.model import Goal
from cramplog.rules import RULES


def daily(start: int, end: int, km: float = 10.0) -> list:
    return [run(d, km) for d in range(start, end)]


def test_cr08_gap_at_peak_fires_on_return() -> None:
    acts = [*daily(0, 60), *daily(64, 70)]  # days 60–63 off
    (f,) = fired(context(acts), "CR08")
    assert f.severity == "caution" and f.date == D0 + timedelta(64)
    assert f.evidence["gap_days"] == 4 and f.activity_id is not None
    assert f.evidence["ctl_pct_of_peak"] >= 90


def test_cr08_days_after_the_last_session_are_no_data_not_a_gap() -> None:
    # a stale export: the log ends on day 59, the analysis is as of day 65 (and the daily
    # series is even extended to it): no open gap is made of days without data
    assert fired(context(daily(0, 60), today=D0 + timedelta(65)), "CR08") == []
    # the same four days off, closed by a session, are a gap
    assert len(fired(context([*daily(0, 60), *daily(64, 65)]), "CR08")) == 1


def test_cr08_silent_cases() -> None:
    assert fired(context([*daily(0, 60), *daily(62, 70)]), "CR08") == []  # 2 days off
    assert fired(context([*daily(0, 30), *daily(34, 40)]), "CR08") == []  # warm-up period
    # three weeks at half load first: CTL has fallen below 90 % of its peak
    acts = [*daily(0, 60), *daily(60, 81, km=5.0), *daily(85, 90)]
    assert fired(context(acts), "CR08") == []


def test_cr08_taper_frequency_drop() -> None:
    goal = Goal(name="Race", date=D0 + timedelta(70), distance_km=21.1)
    before = daily(0, 56)  # 14 sessions per 14 days
    taper = [run(d, 5) for d in (58, 62, 66)]  # 3 in the 14 days before the goal
    found = fired(context([*before, *taper, run(70, 21.1, race=True)], goals=[goal]), "CR08")
    (f,) = [f for f in found if f.evidence.get("form") == "frequency"]
    assert f.date == goal.date and f.severity == "caution"
    assert f.evidence["drop_pct"] > 50
    keep = [run(d, 5) for d in range(56, 70)]  # Bosquet: keep frequency, cut volume
    found = fired(context([*before, *keep, run(70, 21.1, race=True)], goals=[goal]), "CR08")
    assert [f for f in found if f.evidence.get("form") == "frequency"] == []


def test_cr08_goal_readiness_during_taper() -> None:
    goal = Goal(name="Race", date=D0 + timedelta(70), distance_km=21.1)
    acts = [*daily(0, 56), run(57, 5), run(61, 5)]
    ctx = context(acts, goals=[goal], today=D0 + timedelta(62))
    a = RULES["CR08"].assess_goal(ctx, goal)
    assert a.status == "flag" and a.severity == "caution"
    assert a.evidence["taper_days_elapsed"] == 6  # days 56-61: the log covers them
    early = context(daily(0, 50), goals=[goal], today=D0 + timedelta(50))
    assert RULES["CR08"].assess_goal(early, goal).status == "unknown"


def test_cr08_taper_check_counts_only_days_with_data() -> None:
    # the export ends on day 57, two days into the taper window; today is day 63. The six
    # days 58-63 are unknown, not six days without a session: no "1 session vs 14 usually"
    goal = Goal(name="Race", date=D0 + timedelta(70), distance_km=21.1)
    acts = [*daily(0, 56), run(57, 5)]
    a = RULES["CR08"].assess_goal(context(acts, goals=[goal], today=D0 + timedelta(63)), goal)
    assert a.status == "unknown" and a.severity is None


def test_cr08_long_open_gap_is_the_log_ending() -> None:
    assert fired(context(daily(0, 60), today=D0 + timedelta(90)), "CR08") == []
