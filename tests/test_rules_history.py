"""CR09 cramp_history: reported, and raising the findings dated after a cramp, never before."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from test_rules_common import D0, context, run

from cramplog.analysis.readiness import goal_readiness
from cramplog.model import CrampEvent, Goal
from cramplog.rules import RULES, run_rules

BASE = [run(d, 10) for d in (2, 9, 16)]


def cramp(day: int, activity_id: int | None = None) -> CrampEvent:
    when = datetime(D0.year, D0.month, D0.day, 9, tzinfo=timezone.utc) + timedelta(days=day)
    return CrampEvent(when=when, muscle="calf", side="left", activity_id=activity_id)


def acts() -> list:
    return [*BASE, run(20, 11.5), run(28, 9), run(30, 8)]  # CR01 caution on day 20 (id 4)


def sev(findings: list, rule: str, day: int) -> list[str]:
    return [f.severity for f in findings if f.rule == rule and f.date == D0 + timedelta(day)]


def test_a_cramp_raises_the_findings_after_it() -> None:
    out = run_rules(context(acts(), cramps=[cramp(15)]))  # day 20 is 5 days after
    (f,) = [f for f in out if f.rule == "CR01"]
    assert f.severity == "warning"
    assert f.evidence["raised_by"] == "CR09" and f.evidence["base_severity"] == "caution"
    assert f.evidence["raised_after"] == (D0 + timedelta(15)).isoformat()


def test_a_later_cramp_never_raises_what_came_before_it() -> None:
    # the old rule raised day 20 because a repeat cramp followed on day 22: hindsight
    out = run_rules(context(acts(), cramps=[cramp(0), cramp(22)]))
    (f,) = [f for f in out if f.rule == "CR01"]
    assert f.severity == "caution" and "raised_by" not in f.evidence
    (h,) = [f for f in out if f.rule == "CR09"]
    assert h.date == D0 + timedelta(22) and h.evidence["earlier_events"] == 1
    assert h.severity == "caution" and h.grade == RULES["CR09"].grade


def test_same_day_and_outside_the_window_stay() -> None:
    assert sev(run_rules(context(acts(), cramps=[cramp(20, 4)])), "CR01", 20) == ["caution"]
    out = run_rules(context(acts(), cramps=[cramp(12)]))  # day 20 is 8 days after
    assert sev(out, "CR01", 20) == ["caution"]


def test_history_counts_races_and_same_sport() -> None:
    a = [*BASE, run(20, 21.1, race=True), run(25, 10)]
    out = run_rules(context(a, cramps=[cramp(20, 4), cramp(25, 5)]))
    (h,) = [f for f in out if f.rule == "CR09"]
    assert h.evidence["earlier_in_races"] == 1 and h.evidence["earlier_same_sport"] == 1


def test_goal_assessments_raised_by_history() -> None:
    goal = Goal(name="M", date=D0 + timedelta(60), distance_km=42.195, temperature_c=26)
    plain = goal_readiness(context(acts(), goals=[goal]), goal)
    hist = goal_readiness(context(acts(), goals=[goal], cramps=[cramp(5)]), goal)
    by = {a.rule: a for a in plain.assessments}
    hy = {a.rule: a for a in hist.assessments}
    assert by["CR07"].severity == "caution" and hy["CR07"].severity == "warning"
    assert by["CR09"].status == "ok" and hy["CR09"].status == "flag"
