"""Daily series: EWMA fitness/fatigue, ACWR (EWMA and rolling), monotony, invariants."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cramplog.features.compute import SessionFeatures
from cramplog.metrics.daily import daily_series, ewma, ewma_lambda, monotony

D0 = date(2024, 1, 1)


def sess(day: int, load: float, **kw: object) -> SessionFeatures:
    d = D0 + timedelta(days=day)
    start = datetime(d.year, d.month, d.day, 8, tzinfo=timezone.utc)
    f = SessionFeatures(activity_id=day + 1, local_date=d, sport="running", family="running",
                        is_race=False, start=start, load=load, load_source="rpe",
                        moving_s=3600.0)  # fmt: skip
    for k, v in kw.items():
        setattr(f, k, v)
    return f


def series(loads: list[float]):
    return daily_series([sess(i, x) for i, x in enumerate(loads) if x > 0] + [sess(0, 0.0)],
                        today=D0 + timedelta(days=len(loads) - 1))  # fmt: skip


def test_lambda_is_time_constant_form() -> None:
    assert ewma_lambda(42) == pytest.approx(1 - math.exp(-1 / 42))
    assert ewma_lambda(7) == pytest.approx(0.133122, abs=1e-6)


def test_single_impulse_ctl_atl() -> None:
    df = series([100.0] + [0.0] * 20)
    l42, l7 = 1 - math.exp(-1 / 42), 1 - math.exp(-1 / 7)
    assert df["ctl"][0] == pytest.approx(100 * l42)
    assert df["atl"][0] == pytest.approx(100 * l7)
    for k in (1, 5, 20):
        assert df["ctl"][k] == pytest.approx(100 * l42 * (1 - l42) ** k)
        assert df["atl"][k] == pytest.approx(100 * l7 * (1 - l7) ** k)
    assert (df["tsb"] == df["ctl"] - df["atl"]).all()
    assert len(df) == 21 and (df["load"][1:] == 0).all()


def test_monotony_known_week() -> None:
    assert monotony(np.array([100, 100, 100, 100, 100, 0, 0.0])) == pytest.approx(
        (500 / 7) / math.sqrt(5 * 100**2 / 7 - (500 / 7) ** 2)
    )
    assert monotony(np.array([60.0] * 7)) == 10.0  # SD 0 → the cap
    assert monotony(np.zeros(7)) == 0.0
    df = series([100, 100, 100, 100, 100, 0, 0])
    assert math.isnan(df["monotony"][5])
    assert df["monotony"][6] == pytest.approx(1.5811, abs=1e-4)
    assert df["strain"][6] == pytest.approx(500 * 1.5811, abs=0.1)


def test_acwr_silent_28_days_then_step() -> None:
    loads = [100.0] * 28 + [200.0] * 10
    df = series(loads)
    assert np.isnan(df["acwr"][:28]).all()
    l7, l28 = 1 - math.exp(-1 / 7), 1 - math.exp(-1 / 28)
    for k in range(1, 11):  # k days of 200 after a seed (and history) of exactly 100
        acute = 200 - 100 * (1 - l7) ** k
        chronic = 200 - 100 * (1 - l28) ** k
        assert df["acwr"][27 + k] == pytest.approx(acute / chronic)
    # rolling uncoupled form on day 34: mean(28..34)=200 over mean(7..27)=100
    assert df["acwr_rolling"][34] == pytest.approx(2.0)
    assert math.isnan(df["acwr_rolling"][26])


def test_acwr_seed_is_first_28_day_mean() -> None:
    loads = [0.0] * 14 + [140.0] * 14 + [70.0]
    df = series(loads)
    seed = 70.0
    acute = ewma(np.array(loads), 7, seed)[28]
    chronic = ewma(np.array(loads), 28, seed)[28]
    assert df["acwr"][28] == pytest.approx(acute / chronic)


def test_day_range_extends_to_today_and_context_columns() -> None:
    feats = [sess(0, 50, distance_m=10000.0), sess(3, 50, distance_m=25000.0, descent_m=400.0),
             sess(4, 50, distance_m=5000.0)]  # fmt: skip
    df = daily_series(feats, today=D0 + timedelta(days=9), long_run_km=20)
    assert len(df) == 10 and df.day(0) == D0
    assert df["weekly_km"][4] == pytest.approx(40.0)
    assert df["longest_run_70d_km"][9] == 25.0 and df["long_runs_70d"][9] == 1
    assert df["descent_42d_max_m"][9] == 400.0
    assert list(df["rest_run"][5:10]) == [1, 2, 3, 4, 5]


def test_acclimation_decays() -> None:
    feats = [sess(0, 50, min_above_heat=70.0)]
    df = daily_series(feats, today=D0 + timedelta(days=10))
    assert df["acclimation"][0] == pytest.approx(0.1)
    assert df["acclimation"][10] == pytest.approx(0.1 * 0.975**10)
    assert df["heat_sessions_14d"][10] == 1


loads_st = st.lists(st.floats(min_value=0, max_value=2000, allow_nan=False), min_size=1,
                    max_size=120)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(loads_st)
def test_invariants(loads: list[float]) -> None:
    df = series(loads)
    assert (df["load"] >= 0).all()
    assert (df["ctl"] <= max(loads) + 1e-9).all() and (df["ctl"] >= 0).all()
    mono = df["monotony"][~np.isnan(df["monotony"])]
    assert ((mono >= 0) & (mono <= 10)).all()
    assert np.isnan(df["acwr"][:28]).all()


@settings(max_examples=60, deadline=None)
@given(loads_st, st.integers(min_value=0, max_value=119))
def test_inserting_a_rest_day_never_raises_atl(loads: list[float], pos: int) -> None:
    pos = min(pos, len(loads))
    with_rest = loads[:pos] + [0.0] + loads[pos:]
    a = ewma(np.array(loads), 7)
    b = ewma(np.array(with_rest), 7)
    # compare day by day after the insertion: the series with the rest day is never higher
    assert (b[pos + 1 :] <= a[pos:] + 1e-9).all()
    assert b[pos] <= (a[pos - 1] if pos else 0.0) + 1e-9


# Windows of daily loads: whole numbers, fractions and zeros, with repeats (SD near 0).
window_st = st.lists(
    st.one_of(
        st.floats(min_value=0, max_value=5000, allow_nan=False),
        st.sampled_from([0.0, 0.1, 1 / 3, 55.5, 100.0, 1e-9]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(window_st)
def test_window_stats_are_numpys_and_pandas_to_the_last_bit(window: list[float]) -> None:
    """CR03's week sum / mean / SD and the monotony column come from ``window_stats``; the
    frame version used pandas' sum, mean and std(ddof=0), the series numpy's: all identical."""
    import pandas as pd

    from cramplog.metrics.daily import window_stats

    x = np.array(window)
    got = window_stats(x)
    assert got == (float(np.sum(x)), float(np.mean(x)), float(np.std(x)))
    s = pd.Series(x)
    assert got == (float(s.sum()), float(s.mean()), float(s.std(ddof=0)))
    mean, sd = float(np.mean(x)), float(np.std(x))
    want = (10.0 if mean > 0 else 0.0) if sd == 0.0 else min(10.0, mean / sd)
    assert monotony(x) == want
