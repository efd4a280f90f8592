"""No data is not rest (issue 14 point 5): the days after the last imported session are
unknown. A stale export analysed a week later must not show a gap, a taper or a fall in
CTL that the same log analysed on its last day does not show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_rules_common import D0, run

from cramplog.analysis.athlete import analyze_athlete
from cramplog.model import Goal, Profile
from cramplog.rules.base import json_safe


def test_a_stale_export_changes_nothing_but_the_day_it_is_read() -> None:
    goal = Goal(name="Half", date=D0 + timedelta(70), distance_km=21.1)
    profile = Profile(name="t", sex="male", hr_max=190, hr_rest=50, goals=[goal])
    acts = [run(d, 10) for d in range(58)]  # every day to day 57, the taper begins on 56
    for i, a in enumerate(acts):
        a.id = i + 1
    last = D0 + timedelta(57)
    on_time = analyze_athlete(profile, acts, [], today=last)
    stale = analyze_athlete(profile, acts, [], today=last + timedelta(7))
    # the daily series ends on the last session day either way: no week of zeros
    assert stale.daily.last_day == on_time.daily.last_day == last
    assert stale.daily["ctl"][-1] == on_time.daily["ctl"][-1] > 0  # no fall in CTL
    assert [f for f in stale.findings if f.rule == "CR08"] == []  # no open "taper gap"
    assert [(f.rule, f.date) for f in stale.findings] == [
        (f.rule, f.date) for f in on_time.findings
    ]
    # the goal's taper check: two days of the window are in the log, seven are not; it
    # waits for data instead of reading "2 sessions in 9 days" as a cut in frequency
    assert stale.goal is not None
    (taper,) = [a for a in stale.goal.assessments if a.rule == "CR08"]
    assert taper.status == "unknown" and taper.severity is None
    assert json_safe(taper.evidence) == {}


@pytest.mark.parametrize("days_late", [0, 3, 10])
def test_features_of_the_log_do_not_depend_on_the_day_it_is_read(days_late: int) -> None:
    profile = Profile(name="t", sex="male", hr_max=190, hr_rest=50)
    acts = [run(d, 10 if d % 7 else 18) for d in range(0, 60) if d % 7 != 3]
    for i, a in enumerate(acts):
        a.id = i + 1
    ref = analyze_athlete(profile, acts, [])  # as of its last day
    assert ref.last_day is not None
    last = ref.last_day
    got = analyze_athlete(profile, acts, [], today=last + timedelta(days_late))
    assert [(f.rule, f.date, f.severity) for f in got.findings] == [
        (f.rule, f.date, f.severity) for f in ref.findings
    ]
    assert got.daily.n == ref.daily.n
