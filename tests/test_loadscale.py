"""Session-RPE loads on the TRIMP scale before they enter the daily series (issue 14,
point 4)."""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from statistics import median

import pytest

from cramplog.features.compute import SessionFeatures
from cramplog.features.loadscale import DEFAULT_TRIMP_PER_RPE_MIN, MIN_PAIRED, scale_rpe_loads


def sf(i: int, minutes: float, *, trimp: float | None = None, rpe: float | None = None):
    f = SessionFeatures(activity_id=i, local_date=date(2026, 1, i), sport="running",
                        family="running", is_race=False,
                        start=datetime(2026, 1, i, 7, tzinfo=timezone.utc),
                        moving_s=minutes * 60)  # fmt: skip
    f.rpe_load = None if rpe is None else rpe * minutes
    if trimp is not None:
        f.trimp, f.load, f.load_source = trimp, trimp, "hr"
    elif rpe is not None:
        f.load, f.load_source = rpe * minutes, "rpe"
    return f


def test_paired_sessions_set_the_scale() -> None:
    feats = [sf(1, 60, trimp=90, rpe=4), sf(2, 40, trimp=50, rpe=3), sf(3, 30, trimp=60, rpe=6),
             sf(4, 35, rpe=6), sf(5, 50, trimp=70)]  # fmt: skip
    s = scale_rpe_loads(feats)
    want = median([90 / 240, 50 / 120, 60 / 180])  # 0.375, 0.4167, 0.3333 -> 0.375
    assert s.basis == "paired" and s.paired == 3 and s.factor == pytest.approx(want)
    assert feats[3].load == pytest.approx(210 * 0.375) and feats[3].load_scale == 0.375
    assert feats[0].load == 90 and feats[4].load == 70  # HR loads untouched
    scale_rpe_loads(feats)  # idempotent
    assert feats[3].load == pytest.approx(210 * 0.375)
    assert "median of 3 sessions" in s.note()


def test_too_few_pairs_use_the_documented_default() -> None:
    feats = [sf(1, 60, trimp=90, rpe=4), sf(2, 35, rpe=6)]
    s = scale_rpe_loads(feats)
    assert MIN_PAIRED > 1 and s.basis == "default" and s.paired == 1
    assert pytest.approx(1 / 3) == DEFAULT_TRIMP_PER_RPE_MIN
    assert feats[1].load == pytest.approx(210 / 3)
    assert "default" in s.note()


def _trimp_avg(hr: float, minutes: float) -> float:
    # Banister, men a = 0.64, b = 1.92, Alex's HR max 188 / rest 48 (sample_logs/README.md)
    x = (hr - 48) / (188 - 48)
    return minutes * x * 0.64 * math.exp(1.92 * x)


@pytest.mark.slow
def test_sample_strength_session_is_on_the_trimp_scale(alex_season) -> None:
    from cramplog.analysis.athlete import analyze_athlete

    data, feats, hr, today = alex_season
    rep = analyze_athlete(data.profile, data.activities, data.cramps, today=today,
                          features=feats, hr=hr)  # fmt: skip
    by_day = {(f.local_date, f.sport): f for f in rep.session_features}
    # the three manual_log.csv rows with both an average HR and an RPE, by hand
    pairs = [(140, 47 + 46 / 60, 3), (140, 47 + 39 / 60, 4), (124, 75.0, 3)]
    factor = median(_trimp_avg(h, m) / (r * m) for h, m, r in pairs)
    strength = by_day[(date(2026, 6, 18), "strength")]
    assert strength.rpe_load == pytest.approx(6 * 35)
    assert strength.load == pytest.approx(210 * factor, rel=0.01)
    assert strength.load < 100  # was 210 RPE·min next to ~90 TRIMP runs
    # the same easy 10 km logged with HR (16 Jun) and by hand with RPE 4 (24 Jun)
    hr_run = by_day[(date(2026, 6, 16), "running")]
    rpe_run = by_day[(date(2026, 6, 24), "running")]
    assert hr_run.load_source == "hr" and rpe_run.load_source == "rpe"
    assert rpe_run.load == pytest.approx(hr_run.load, rel=0.15)
    assert any("scaled to the TRIMP scale" in n for n in rep.notes)
    # the daily series carries the scaled load
    i = next(k for k in range(rep.daily.n) if rep.daily.day(k) == date(2026, 6, 18))
    assert rep.daily["load"][i] == pytest.approx(strength.load)
