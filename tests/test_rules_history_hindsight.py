"""CR09 without hindsight (issue 14): deleting a cramp never changes a finding dated on or
before its day, over generated histories and over the bundled sample season."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rules_common import D0, context, run

from cramplog.model import CrampEvent
from cramplog.rules import run_rules


def _cramp(day: int, hour: int) -> CrampEvent:
    when = datetime(D0.year, D0.month, D0.day, hour, tzinfo=timezone.utc) + timedelta(days=day)
    return CrampEvent(when=when, muscle="calf", side="left")


def _key(f) -> tuple:
    return (f.date, f.rule, f.activity_id or 0, f.severity, f.message)


def _assert_no_hindsight(findings_with, findings_without, day) -> None:
    before = sorted(_key(f) for f in findings_with if f.date <= day and f.rule != "CR09")
    after = sorted(_key(f) for f in findings_without if f.date <= day and f.rule != "CR09")
    assert before == after, day


SESSIONS = st.lists(
    st.tuples(st.integers(0, 90), st.floats(4.0, 32.0), st.floats(240.0, 420.0)),
    min_size=8,
    max_size=40,
)
CRAMPS = st.lists(st.tuples(st.integers(0, 95), st.integers(0, 23)), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SESSIONS, CRAMPS)
def test_deleting_a_cramp_never_changes_an_earlier_finding(sessions, cramps) -> None:
    acts = [run(d, km, pace=p) for d, km, p in sessions]
    events = [_cramp(d, h) for d, h in cramps]
    full = run_rules(context(acts, cramps=events))
    for k, c in enumerate(events):
        rest = events[:k] + events[k + 1 :]
        _assert_no_hindsight(full, run_rules(context(acts, cramps=rest)), c.when.date())


@pytest.mark.slow
def test_sample_season_has_no_hindsight(alex_season) -> None:
    from cramplog.analysis.athlete import analyze_athlete

    data, feats, hr, today = alex_season

    def findings(cramps):
        rep = analyze_athlete(data.profile, data.activities, cramps, today=today,
                              features=feats, hr=hr)  # fmt: skip
        return rep.findings

    full = findings(data.cramps)
    assert len(data.cramps) == 8
    for k, c in enumerate(data.cramps):
        rest = data.cramps[:k] + data.cramps[k + 1 :]
        _assert_no_hindsight(full, findings(rest), c.when.date())
