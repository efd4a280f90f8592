"""Personal baselines (issue 13 point 2, issue 14 point 6): a caution or warning of CR02,
CR03 or CR08 means past the literature's threshold *and* unusual for this athlete.

Each rule is tested on a routine that the literature's threshold alone flags (and the test
checks that it does, with the baseline switched off through its threshold), then on the
same routine with a departure from it that must still be found.
"""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from test_rules_common import D0, context, fired, run

from cramplog.rules.baseline import rest_runs, seeded_ewma, trailing_quantiles, usual_rest

# -- the helpers, against hand-computed values ----------------------------------------------


def test_trailing_quantiles_read_only_the_days_before() -> None:
    x = np.array([1.0, 2.0, math.nan, 4.0, 100.0])
    got = trailing_quantiles(x, 10, 50.0, 1)
    # day 4: days 0-3, finite 1, 2, 4 → median 2; day 4's own 100 is not included
    assert got[4] == 2.0
    assert got[1] == 1.0 and got[2] == 1.5 and got[3] == 1.5  # NaN days are skipped
    assert math.isnan(got[0])  # nothing before day 0
    # window 2 before day 4: days 2-3 → only 4.0
    assert trailing_quantiles(x, 2, 50.0, 1)[4] == 4.0
    # 90th percentile of 1, 2, 4 with linear interpolation: rank 0.9·2 = 1.8 → 2 + 0.8·2
    assert trailing_quantiles(x, 10, 90.0, 1)[4] == pytest.approx(3.6)
    assert math.isnan(trailing_quantiles(x, 10, 50.0, 4)[4])  # fewer than 4 finite values
    # a long series takes the vectorised path: against a plain loop over the windows
    rng = np.random.default_rng(3)
    y = rng.normal(50, 10, 300)
    y[:6] = math.nan
    got = trailing_quantiles(y, 84, 90.0, 28)
    for i in range(300):
        past = [v for v in y[max(0, i - 84) : i] if not math.isnan(v)]
        want = np.percentile(past, 90.0) if len(past) >= 28 else math.nan
        assert got[i] == pytest.approx(want, nan_ok=True)
    assert np.isnan(trailing_quantiles(y, 20, 50.0, 28)).all()  # a window under min_count


def test_rest_runs_and_usual_rest() -> None:
    load = np.array([5, 0, 0, 5, 0, 5, 0, 0, 0, 5, 0, 0], dtype=float)
    assert rest_runs(load) == [(1, 2), (4, 1), (6, 3), (10, 2)]
    runs = rest_runs(load)
    # before day 10, window 10 (days 0-9): runs of 2, 1 and 3 days → 90th percentile 2.8
    assert usual_rest(runs, 10, 10, 90.0) == pytest.approx(2.8)
    # window 5 (days 5-9): only the 3-day run lies wholly inside it
    assert usual_rest(runs, 10, 5, 90.0) == 3.0
    assert usual_rest(runs, 1, 10, 90.0) == 0.0  # no rest before day 1


def test_seeded_ewma_starts_from_the_mean_of_its_first_days() -> None:
    lam = 1 - math.exp(-1 / 2)
    x = np.array([4.0, 8.0, 0.0])
    got = seeded_ewma(x, 2.0)  # seed: mean of the first 2 days = 6
    want = [6 + lam * (4 - 6)]
    want.append(want[-1] + lam * (8 - want[-1]))
    want.append(want[-1] * (1 - lam))
    assert got.tolist() == pytest.approx(want)
    assert seeded_ewma(np.full(50, 7.0), 42.0).tolist() == pytest.approx([7.0] * 50)


# -- CR08: longer than your usual rest, days not months, a seeded CTL ----------------------


def every_other_few(days: int) -> list[int]:
    """Runs with 1-4 rest days between them, cycling: a 2-3 runs a week routine."""
    out, d, k = [], 0, 0
    while d < days:
        out.append(d)
        d += (2, 4, 3, 5)[k % 4]  # rest of 1, 3, 2 and 4 days
        k += 1
    return out


def test_cr08_a_gap_as_long_as_your_usual_rest_is_not_a_taper_gap() -> None:
    days = every_other_few(100)
    acts = [run(d, 10) for d in days]
    last = days[-1]
    acts.append(run(last + 5, 10))  # 4 days off: as long as the longest usual rest
    assert fired(context(acts), "CR08") == []
    # the literature's trigger alone (no usual-rest window) reports these routine gaps
    off = fired(context(acts, thresholds={"CR08.usual_rest_window_days": 0}), "CR08")
    assert off and {f.evidence["usual_rest_days"] for f in off} == {0}
    # a gap of 7 days, longer than any rest of the last 12 weeks, is found
    acts[-1] = run(last + 8, 10)
    (f,) = [f for f in fired(context(acts), "CR08") if f.date == D0 + timedelta(last + 8)]
    # the rests cycle 1, 3, 2, 4 days: a quarter of them are 4 days, so the 90th percentile
    # of the last 12 weeks' rests is 4
    assert f.evidence["gap_days"] == 7 and f.evidence["usual_rest_days"] == 4


def test_cr08_a_break_of_weeks_is_not_a_taper_gap() -> None:
    acts = [*(run(d, 10) for d in range(90)), *(run(d, 10) for d in range(150, 160))]
    assert fired(context(acts), "CR08") == []  # 60 days off: a break
    longer = fired(context(acts, thresholds={"CR08.break_days": 90}), "CR08")
    assert [f.evidence["gap_days"] for f in longer] == [60]


def test_cr08_ctl_is_seeded_so_a_falling_fitness_is_not_at_its_peak() -> None:
    # 60 days at 10 km, 30 days at 7 km, 4 days off. CTL started at 0 is still rising to
    # the 10 km level on day 59 (0.76 of it) and falls only to 0.73 by day 89: "96 % of
    # its peak". Seeded from the first 42 days' mean, it sits at the 10 km level and falls
    # to 0.7 + 0.3·e^(−30/42) = 0.85 of it: not at peak.
    acts = [*(run(d, 10) for d in range(60)), *(run(d, 7) for d in range(60, 90)), run(94, 7)]
    assert fired(context(acts), "CR08") == []
    # with the load kept at 10 km, the same gap is at peak fitness
    steady = [*(run(d, 10) for d in range(90)), run(94, 10)]
    (f,) = fired(context(steady), "CR08")
    assert f.evidence["ctl_pct_of_peak"] == pytest.approx(100.0)


# -- CR03: monotony unusual for you, or with rising load -----------------------------------


def daily_runner(days: int, start: int = 0) -> list:
    """10 km every day, 16 km on every seventh day: Foster monotony about 5."""
    return [run(d, 16 if d % 7 == 6 else 10) for d in range(start, start + days)]


def test_cr03_steady_daily_running_is_not_flagged() -> None:
    acts = daily_runner(120)
    assert fired(context(acts), "CR03") == []
    off = fired(context(acts, thresholds={"CR03.monotony_over_usual": 0}), "CR03")
    # loads 275 × 6 and 440: mean 298.6, SD 57.7 → monotony 5.17, a warning every day
    assert len(off) == 120 - 6 and {f.severity for f in off} == {"warning"}
    assert off[-1].evidence["monotony"] == pytest.approx(5.17, abs=0.01)


def test_cr03_a_block_of_identical_heavier_days_is_flagged() -> None:
    # after 12 weeks of routine, ten days of 20 km: weekly load up, no long-run variation
    acts = [*daily_runner(84), *(run(d, 20) for d in range(84, 94))]
    found = fired(context(acts), "CR03")
    assert found and all(f.date >= D0 + timedelta(84) for f in found)
    assert {f.severity for f in found} == {"warning"}
    assert found[-1].evidence["usual_monotony"] == pytest.approx(5.17, abs=0.01)


def test_cr03_needs_four_weeks_to_know_what_is_usual() -> None:
    assert fired(context(daily_runner(27)), "CR03") == []


# -- CR02: no ratio from a negligible chronic load, no flag while it rebuilds ---------------


def comeback(step_km: float | None = None) -> list:
    """60 days at 10 km, 60 days off, then 5 km a day, growing by 0.5 km a week; with
    ``step_km``, a jump to that distance for the last ten days."""
    acts = [run(d, 10) for d in range(60)]
    for d in range(120, 200):
        acts.append(run(d, 5 + 0.5 * ((d - 120) // 7)))
    if step_km:
        acts += [run(d, step_km) for d in range(200, 210)]
    return acts


def test_cr02_a_return_is_one_plain_info_not_a_ratio() -> None:
    found = fired(context(comeback()), "CR02")
    (info,) = found
    assert info.severity == "info" and info.date == D0 + timedelta(120)
    assert "Training again" in info.message and "acwr" not in info.evidence
    # chronic load decayed for 60 days: e^(−60/28) ≈ 0.12 of the usual, under a quarter
    assert info.evidence["chronic_load"] < 0.25 * info.evidence["usual_chronic_load"]
    # without the baseline, the ratio flags the return day after day
    off = {"CR02.negligible_fraction": 0, "CR02.acute_over_usual": 0}
    flagged = [f for f in fired(context(comeback(), thresholds=off), "CR02")]
    assert len(flagged) >= 5 and {f.severity for f in flagged} >= {"warning"}
    assert max(f.evidence["acwr"] for f in flagged) >= 1.5


def test_cr02_a_real_step_after_the_rebuild_is_found() -> None:
    found = fired(context(comeback(step_km=25)), "CR02")
    flagged = [f for f in found if f.severity != "info"]
    assert flagged and all(f.date >= D0 + timedelta(200) for f in flagged)
    assert "warning" in {f.severity for f in flagged}
    assert all(f.evidence["acute_load"] > 1.15 * f.evidence["usual_chronic_load"] for f in flagged)


def test_cr03_a_recurring_streak_is_flagged_only_beyond_the_usual_range() -> None:
    # every third week 7 × 10 km instead of 5 × 14 km: the same weekly load, so no rising
    # load; the streak weeks' monotony (up to 10, SD 0) is 1.5 × the median (1.58) every
    # time, but after a few of them only the days above the 90th percentile are unusual
    acts = []
    for w in range(18):
        days = range(7) if w % 3 == 2 else (0, 1, 2, 4, 5)
        acts += [run(w * 7 + d, 10 if w % 3 == 2 else 14) for d in days]
    found = {f.date for f in fired(context(acts), "CR03")}
    wide = {f.date for f in fired(context(acts, thresholds={"CR03.monotony_quantile": 0}), "CR03")}
    assert found <= wide and len(wide) >= 20
    assert len(found) <= len(wide) / 2


def test_monotony_messages_name_the_athletes_usual(alex_season) -> None:
    """CR03 says what is usual for this athlete whenever it knows: the message carries the
    usual monotony (or the usual week load) that the evidence holds."""
    from cramplog.analysis.athlete import analyze_athlete

    data, feats, hr, today = alex_season
    rep = analyze_athlete(data.profile, data.activities, data.cramps, today=today,
                          features=feats, hr=hr)  # fmt: skip
    cr03 = [f for f in rep.findings if f.rule == "CR03"]
    assert cr03
    for f in cr03:
        assert f.evidence["usual_monotony"] is not None
        assert "your usual" in f.message, f.message
