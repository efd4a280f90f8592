"""The control window's edge (±12 weeks = 84 days, inclusive): what the mutation run
(docs/testing.md) found no test holding."""

from __future__ import annotations

from test_personal import cramp_on, sess

from cramplog.analysis.personal import personal_associations


def test_controls_within_84_days_inclusive() -> None:
    cases = [sess(i + 1, 100 + i) for i in range(5)]  # days 100..104, one cramp each
    inside = [sess(20, 100 - 84), sess(21, 104 + 84)]  # exactly 84 days from a case
    outside = [sess(30, 100 - 85), sess(31, 104 + 85)]  # 85 days from the nearest case
    res = personal_associations([*cases, *inside, *outside], [], [cramp_on(f) for f in cases])
    assert res.shown and res.case_sessions == 5
    assert res.control_sessions == 2
