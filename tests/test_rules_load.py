"""CR01 session_spike, CR02 acute_chronic_load, CR03 monotony, CR10 duration_exposure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_rules_common import D0, context, fired, run

BASE = [run(2, 10), run(9, 10), run(16, 10)]  # three 10 km runs in the 30 days before day 20


@pytest.mark.parametrize(
    ("km", "severity", "band"),
    [(10.5, None, None), (11.0, None, None), (11.5, "caution", "caution"),
     (14.0, "warning", "warning"), (20.0, "warning", "warning"), (25.0, "warning", "high")],
)  # fmt: skip
def test_cr01_bands(km: float, severity: str | None, band: str | None) -> None:
    found = [
        f for f in fired(context([*BASE, run(20, km)]), "CR01") if f.date == D0 + timedelta(20)
    ]
    if severity is None:
        assert found == []
    else:
        (f,) = found
        assert f.severity == severity and f.evidence["band"] == band
        assert f.evidence["ratio"] == pytest.approx(km / 10, abs=1e-3)
        assert f.activity_id is not None and f.grade == "weak"
        assert "Frandsen et al. 2025, BJSM 59:1203" in f.sources
        assert f"{km:.1f} km vs 10.0 km" in f.message


def test_cr01_window_is_30_days_and_needs_history() -> None:
    old_long = [run(0, 20), run(32, 10), run(35, 10), run(38, 10)]
    (f,) = fired(context([*old_long, run(40, 14)]), "CR01")  # the 20 km is 40 days old
    assert f.severity == "warning"
    assert fired(context([run(0, 10), run(3, 10), run(6, 20)]), "CR01") == []  # 2 priors only


def test_cr01_same_family_only_and_duration_fallback() -> None:
    rides = [run(d, 40, sport="cycling", pace=120) for d in (1, 5, 9)]
    assert fired(context([*rides, *BASE, run(20, 10.5)]), "CR01") == []
    swims = [run(d, 0, sport="swimming") for d in (1, 5, 9)]
    for a in swims:
        a.distance_m, a.elapsed_s, a.moving_s = None, 1800.0, 1800.0
    long_swim = run(12, 0, sport="swimming")
    long_swim.distance_m, long_swim.elapsed_s, long_swim.moving_s = None, 2700.0, 2700.0
    (f,) = fired(context([*swims, long_swim]), "CR01")
    assert f.evidence["metric"] == "duration" and f.severity == "warning"


def steady(days: int, km: float = 10.0, start: int = 0) -> list:
    return [run(start + d, km) for d in range(days)]


def test_cr02_fires_after_step() -> None:
    acts = steady(35, 5.0) + [run(35 + d, 15.0) for d in range(8)]
    found = fired(context(acts), "CR02")
    assert found and all(f.date >= D0 + timedelta(35) for f in found)
    assert {f.severity for f in found} == {"caution", "warning"}
    assert all(f.activity_id is None and f.evidence["acwr"] >= 1.3 for f in found)


def test_cr02_silent_first_28_days() -> None:
    # starting from nothing, a chronic average seeded at 0 would give huge ratios here
    acts = [run(d, 3.0) for d in range(8)] + [run(8 + d, 15.0) for d in range(32)]
    assert fired(context(acts), "CR02") == []


def test_cr02_silent_on_steady_load() -> None:
    assert fired(context(steady(60)), "CR02") == []


def test_cr03_monotony() -> None:
    # Foster's band alone (the personal baseline off; tests/test_rules_baseline.py has it on)
    off = {"CR03.monotony_over_usual": 0}
    five_on = [run(w * 7 + d, 10) for w in range(2) for d in range(5)]
    found = fired(context(five_on, thresholds=off), "CR03")
    assert [f.severity for f in found if f.date == D0 + timedelta(7)] == ["caution"]
    # 5 × 10 km + 2 rest days: mean 50/7, population SD 50/7 · √(2/5) → 1/√0.4 = 1.581
    assert found[0].evidence["monotony"] == pytest.approx(1.581, abs=1e-3)
    assert {f.severity for f in fired(context(steady(10), thresholds=off), "CR03")} == {"warning"}
    varied = [run(0, 30), run(2, 5), run(4, 30), run(6, 5), run(7, 30), run(9, 5)]
    assert fired(context(varied, thresholds=off), "CR03") == []


@pytest.mark.parametrize(("minutes", "severity"), [(70, None), (75, "caution"), (95, "warning")])
def test_cr10_duration(minutes: float, severity: str | None) -> None:
    prior = [run(d, 10, pace=360) for d in (0, 60, 120)]  # 60 min each within 6 months
    acts = [*prior, run(150, minutes * 60 / 360, pace=360)]
    found = fired(context(acts), "CR10")
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_cr10_window_is_six_months() -> None:
    acts = [run(0, 30, pace=360), *[run(d, 10, pace=360) for d in (190, 200, 210)],
            run(220, 13, pace=360)]  # fmt: skip
    (f,) = fired(context(acts), "CR10")  # the 3 h run is 220 days old: out of the window
    assert f.evidence["longest_prior_s"] == pytest.approx(3600)
