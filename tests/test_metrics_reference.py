"""``metrics.daily_series`` without pandas (issue 8) against the pandas version it replaced.

``pandas_daily_series`` below is the pre-issue-8 code, verbatim but for its name: a frame
built with ``Series.rolling(...).sum/mean/max`` and ``shift``. The numpy version must give
every column identical to the last bit (NaN where pandas has NaN, the same sign of zero), on
the sample logs and on random histories: loads of 0, huge and tiny, NaN and inf; gaps;
missing and NaN temperatures, descents and E10s; several years. ``rolling_sum``,
``rolling_mean`` and ``rolling_max`` are also checked alone on adversarial series
(magnitudes 1e-300..1e300, cancellations, NaN, ±inf, ±0, windows longer than the series).
Then: the ``cramplog analyze`` path imports no pandas.
"""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cramplog.metrics.daily as metrics
from cramplog.features.compute import SessionFeatures
from cramplog.metrics.daily import (
    Daily,
    daily_series,
    rolling_max,
    rolling_mean,
    rolling_sum,
)

SAMPLE = Path(__file__).resolve().parents[1] / "sample_logs"


# The reference's own helpers, written out here (not imported from the module under test):
# Banister's EWMA x_t = x_{t-1} + (1 - e^(-1/tau)) (L_t - x_{t-1}), Foster's monotony (mean /
# population SD of 7 days, capped; a week of equal loads is the cap, a week of rest 0), and
# a heat session as SCIENCE.md's CR07 counts it (>= 60 min at or above the threshold; from
# the mean temperature and duration when the minutes above it are unknown).


def ewma(values: np.ndarray, tau: float, start: float = 0.0) -> np.ndarray:
    lam = 1.0 - math.exp(-1.0 / tau)
    out = []
    x = start
    for v in values:
        x = x + lam * (v - x)
        out.append(x)
    return np.array(out, dtype=float)


def monotony(window: np.ndarray, cap: float) -> float:
    w = pd.Series(window, dtype=float)
    mean, sd = w.mean(), w.std(ddof=0)
    if sd == 0.0:
        return cap if mean > 0 else 0.0
    return min(cap, mean / sd)


def is_heat_session(f: SessionFeatures, heat_c: float) -> bool:
    if f.min_above_heat is not None:
        return f.min_above_heat >= 60.0
    return f.temp_mean_c is not None and f.temp_mean_c >= heat_c and f.minutes >= 60.0


def pandas_daily_series(
    features: list[SessionFeatures],
    *,
    today: date | None = None,
    heat_c: float = 25.0,
    long_run_km: float = 20.0,
    cap: float = 10.0,
    decay_per_day: float = 0.025,
) -> pd.DataFrame:
    """One row per local day from the first session to the last (or ``today``)."""
    cols = [
        "load", "sessions", "km", "ctl", "atl", "tsb", "acute", "chronic", "acwr",
        "acwr_rolling", "monotony",
        "strain", "weekly_km", "longest_run_70d_km", "long_runs_70d", "descent_42d_max_m",
        "e10_42d_max_km", "heat_sessions_14d", "acclimation", "rest_run",
    ]  # fmt: skip
    if not features:
        return pd.DataFrame(columns=cols, index=pd.DatetimeIndex([], name="date"), dtype=float)
    first = min(f.local_date for f in features)
    last = max(f.local_date for f in features)
    if today is not None and today > last:
        last = today
    n = (last - first).days + 1
    days = [first + timedelta(days=i) for i in range(n)]
    load = np.zeros(n)
    sessions = np.zeros(n)
    km = np.zeros(n)
    longest = np.zeros(n)
    longs = np.zeros(n)
    dmax = np.full(n, np.nan)
    emax = np.full(n, np.nan)
    heat = np.zeros(n)
    for f in features:
        i = (f.local_date - first).days
        if i < 0 or i >= n:
            continue
        load[i] += max(0.0, f.load)
        sessions[i] += 1
        if f.family == "running" and f.distance_km:
            km[i] += f.distance_km
            longest[i] = max(longest[i], f.distance_km)
            longs[i] += f.distance_km >= long_run_km
        if f.family in ("running", "hiking", "walking"):  # on foot
            if f.descent_m is not None:
                dmax[i] = np.fmax(dmax[i], f.descent_m)
            if f.e10_km is not None:
                emax[i] = np.fmax(emax[i], f.e10_km)
        heat[i] += is_heat_session(f, heat_c)

    ctl = ewma(load, 42.0)
    atl = ewma(load, 7.0)
    acwr = np.full(n, np.nan)
    seed = float(load[:28].mean())
    acute, chronic = ewma(load, 7.0, seed), ewma(load, 28.0, seed)
    if n > 28:
        ratio = np.where(chronic > 0, acute / np.where(chronic > 0, chronic, 1.0), np.nan)
        acwr[28:] = ratio[28:]
    s = pd.Series(load)
    recent = s.rolling(7, min_periods=7).mean()
    older = s.shift(7).rolling(21, min_periods=21).mean()
    acwr_rolling = (recent / older.where(older > 0)).to_numpy(dtype=float)
    mono = np.full(n, np.nan)
    for i in range(6, n):
        mono[i] = monotony(load[i - 6 : i + 1], cap)
    week_load = s.rolling(7, min_periods=7).sum().to_numpy(dtype=float)
    acclim = np.zeros(n)
    state = 0.0
    for i in range(n):
        state = min(1.0, state * (1.0 - decay_per_day) + 0.1 * heat[i])
        acclim[i] = state
    rest = np.zeros(n)
    for i in range(n):
        rest[i] = (rest[i - 1] + 1 if i else 1) if load[i] == 0 and sessions[i] == 0 else 0

    df = pd.DataFrame(
        {
            "load": load,
            "sessions": sessions,
            "km": km,
            "ctl": ctl,
            "atl": atl,
            "tsb": ctl - atl,
            "acute": acute,
            "chronic": chronic,
            "acwr": acwr,
            "acwr_rolling": acwr_rolling,
            "monotony": mono,
            "strain": week_load * mono,
            "weekly_km": pd.Series(km).rolling(7, min_periods=1).sum().to_numpy(),
            "longest_run_70d_km": pd.Series(longest).rolling(70, min_periods=1).max().to_numpy(),
            "long_runs_70d": pd.Series(longs).rolling(70, min_periods=1).sum().to_numpy(),
            "descent_42d_max_m": pd.Series(dmax).rolling(42, min_periods=1).max().to_numpy(),
            "e10_42d_max_km": pd.Series(emax).rolling(42, min_periods=1).max().to_numpy(),
            "heat_sessions_14d": pd.Series(heat).rolling(14, min_periods=1).sum().to_numpy(),
            "acclimation": acclim,
            "rest_run": rest,
        },
        index=pd.DatetimeIndex(pd.to_datetime(days), name="date"),
    )
    return df[cols]


def assert_identical(got: np.ndarray, want: np.ndarray, what: str = "") -> None:
    """Same values to the last bit: NaN where NaN (of any sign: none is ever shown), the same
    bits everywhere else (so the same sign of every zero)."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    np.testing.assert_array_equal(got, want, err_msg=what, strict=True)
    ok = ~np.isnan(want)
    np.testing.assert_array_equal(got[ok].view(np.int64), want[ok].view(np.int64), err_msg=what)


def assert_same_series(daily: Daily, df: pd.DataFrame) -> None:
    assert daily.columns == [str(c) for c in df.columns]
    assert len(daily) == len(df)
    assert daily.dates() == [ts.date() for ts in df.index]
    for c in df.columns:
        assert_identical(daily[c], df[c].to_numpy(dtype=float), str(c))
    if len(df):
        assert daily.last_day == df.index[-1].date()


# -- the sample logs, through the whole analysis ---------------------------------------------


@pytest.fixture(scope="module")
def sample_calls(tmp_path_factory) -> list[tuple[tuple[Any, ...], dict[str, Any], Daily]]:
    """Every ``daily_series`` call (arguments, result) of analysing the sample athletes."""
    from cramplog.analysis.stored import analyze_stored
    from cramplog.importer.pipeline import import_paths
    from cramplog.importer.roster import athlete_dirs
    from cramplog.store import Store

    if not (SAMPLE / "alex").is_dir():
        pytest.skip("sample_logs not present")
    calls: list[tuple[tuple[Any, ...], dict[str, Any], Daily]] = []

    def recording(*args: Any, **kwargs: Any) -> Daily:
        out = daily_series(*args, **kwargs)
        calls.append((args, kwargs, out))
        return out

    mp = pytest.MonkeyPatch()
    mp.setattr(metrics, "daily_series", recording)
    try:
        tmp = tmp_path_factory.mktemp("ref")
        with Store(tmp / "s.sqlite") as store:
            for folder in [SAMPLE / "alex", *athlete_dirs(SAMPLE / "team")]:
                import_paths(store, [folder], workers=1)
            for name in store.athletes():
                # a day inside the logs, one just after them, and none (their last day)
                for today in (date(2026, 4, 15), date(2026, 7, 5), None):
                    analyze_stored(store, name, today=today)
    finally:
        mp.undo()
    return calls


def test_sample_logs_match_pandas(sample_calls) -> None:
    assert len(sample_calls) >= 15  # alex and four team athletes, three days each
    for args, kwargs, got in sample_calls:
        assert_same_series(got, pandas_daily_series(*args, **kwargs))
    assert any(len(got) > 150 for _, _, got in sample_calls)


# -- random histories -------------------------------------------------------------------------

D0 = date(2021, 12, 30)

loads = st.one_of(
    st.floats(min_value=0, max_value=2000, allow_nan=False),
    st.sampled_from([0.0, -0.0, -5.0, 1e-300, 5e-324, 1e300, 1e16, 1 / 3, 0.1, 55.5]),
    st.sampled_from([math.nan, math.inf]),
    st.floats(allow_nan=True, allow_infinity=True),
)
maybe_float = st.one_of(
    st.none(),
    st.floats(min_value=-10, max_value=5000, allow_nan=False),
    st.sampled_from([0.0, -0.0, math.nan, 1e-300, 1e300, 400.0]),
)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[SessionFeatures], dict[str, Any]]:
    n = draw(st.integers(min_value=0, max_value=40))
    span = draw(st.sampled_from([7, 40, 120, 400, 1200]))  # up to ~3.3 years
    out = []
    for k in range(n):
        day = D0 + timedelta(days=draw(st.integers(min_value=0, max_value=span)))
        f = SessionFeatures(
            activity_id=k + 1,
            local_date=day,
            sport="x",
            family=draw(st.sampled_from(["running", "running", "hiking", "walking", "cycling"])),
            is_race=False,
            start=datetime(day.year, day.month, day.day, 7, tzinfo=timezone.utc),
            distance_m=draw(st.one_of(st.none(), st.sampled_from([0.0, 5000.0, 20000.0, 42195.0]),
                                      st.floats(min_value=0, max_value=1e6))),
            moving_s=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=20000))),
            load=draw(loads),
            descent_m=draw(maybe_float),
            e10_km=draw(maybe_float),
            temp_mean_c=draw(st.one_of(st.none(), st.sampled_from([math.nan, 10.0, 25.0, 31.5]))),
            min_above_heat=draw(st.one_of(st.none(), st.sampled_from([0.0, 59.9, 60.0, 90.0]))),
        )  # fmt: skip
        out.append(f)
    last = max((f.local_date for f in out), default=D0)
    kw: dict[str, Any] = {
        "today": draw(st.one_of(st.none(), st.just(last + timedelta(days=draw(
            st.integers(min_value=-30, max_value=60)))))),
        "long_run_km": draw(st.sampled_from([20.0, 25.3, 0.6 * 42.195])),
        "cap": draw(st.sampled_from([10.0, 5.0])),
        "decay_per_day": draw(st.sampled_from([0.025, 0.1])),
    }  # fmt: skip
    return out, kw


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_random_histories_match_pandas(history: tuple[list[SessionFeatures], dict[str, Any]]):
    feats, kw = history
    with np.errstate(all="ignore"):
        want = pandas_daily_series(feats, **kw)
        got = daily_series(feats, **kw)
    assert_same_series(got, want)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1), st.sampled_from([0.0, 0.3, 0.6]))
def test_long_years_match_pandas(seed: int, rest: float) -> None:
    """Two to three years of daily sessions (random loads, some rest days)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(600, 1000))
    daily_loads = rng.random(n) * 10.0 ** rng.integers(-3, 4, n) * (rng.random(n) >= rest)
    feats = [
        SessionFeatures(activity_id=i, local_date=D0 + timedelta(days=i), sport="running",
                        family="running", is_race=False, load=float(x),
                        start=datetime(2022, 1, 1, tzinfo=timezone.utc), distance_m=float(x) * 7.0,
                        descent_m=float(x) if i % 3 else None)
        for i, x in enumerate(daily_loads) if x > 0 or i == 0
    ]  # fmt: skip
    assert_same_series(daily_series(feats), pandas_daily_series(feats))


# -- the rolling windows alone ---------------------------------------------------------------

adversarial = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 1e-308, 5e-324, 1e16, 1.0, 0.1, 1 / 3, -3.0]),
    st.sampled_from([math.nan, math.inf, -math.inf]),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(adversarial, max_size=150),
    st.integers(min_value=1, max_value=90),
    st.integers(min_value=0, max_value=90),
)
def test_rolling_windows_are_pandas(values: list[float], window: int, minp: int) -> None:
    minp = min(minp, window)
    x = np.array(values, dtype=float)
    r = pd.Series(x).rolling(window, min_periods=minp)
    with np.errstate(all="ignore"):
        assert_identical(rolling_sum(x, window, minp), r.sum().to_numpy(), "sum")
        assert_identical(rolling_mean(x, window, minp), r.mean().to_numpy(), "mean")
        assert_identical(rolling_max(x, window, minp), r.max().to_numpy(), "max")


def test_rolling_sum_compensation_and_equal_runs() -> None:
    """Cases a plain running sum or ``np.convolve`` gets wrong in the last bit."""
    rng = np.random.default_rng(7)
    cases = [
        np.array([1e16, 1.0, -1e16, 1.0, 0.1, 0.2, 0.3] * 20),
        np.array([0.1] * 200),
        rng.random(800) * 10.0 ** rng.integers(-12, 12, 800),
        np.round(rng.random(800) * 300, 1) * (rng.random(800) < 0.5),
    ]
    for x in cases:
        for w, m in ((7, 7), (21, 21), (7, 1), (70, 1), (14, 1), (1000, 1)):
            r = pd.Series(x).rolling(w, min_periods=m)
            assert_identical(rolling_sum(x, w, m), r.sum().to_numpy())
            assert_identical(rolling_mean(x, w, m), r.mean().to_numpy())
            assert_identical(rolling_max(x, w, m), r.max().to_numpy())


def test_daily_helpers() -> None:
    feats = [
        SessionFeatures(activity_id=1, local_date=D0, sport="running", family="running",
                        is_race=False, start=datetime(2021, 12, 30, tzinfo=timezone.utc), load=50.0)
    ]  # fmt: skip
    d = daily_series(feats, today=D0 + timedelta(days=40))
    df = pandas_daily_series(feats, today=D0 + timedelta(days=40))
    assert len(d) == 41 and d.day(0) == D0 and d.day(-1) == d.last_day == D0 + timedelta(40)
    assert "ctl" in d and "nope" not in d and d.columns == list(df.columns)
    assert d.pos(D0 - timedelta(days=1)) is None and d.pos(D0 + timedelta(41)) is None
    assert d.since(D0 - timedelta(days=5)) == 0 and d.since(D0 + timedelta(99)) == 41
    assert d.value(D0 + timedelta(3), "acwr") is None  # NaN
    for k in (-3, 0, 10, 40, 41, 90):
        day = D0 + timedelta(k)
        for col in ("ctl", "acwr", "acwr_rolling", "monotony"):
            want = df[col].asof(pd.Timestamp(day))
            got = d.asof(day, col)
            assert (math.isnan(got) and math.isnan(want)) or got == want, (k, col)
    empty = daily_series([])
    assert len(empty) == 0 and empty.last_day is None and empty.columns == list(df.columns)
    assert empty.pos(D0) is None and empty.value(D0, "ctl") is None
    assert math.isnan(empty.asof(D0, "ctl"))
    assert_same_series(empty, pandas_daily_series([]))


# -- no pandas on the analysis path --------------------------------------------------------------

NO_PANDAS = (
    "import contextlib, io, sys\n"
    "from cramplog.cli.app import run\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    for fmt in ('json', 'table'):\n"
    "        assert run({args!r} + ['-f', fmt]) == 0\n"
    "assert 'cramplog.metrics.daily' in sys.modules and 'cramplog.rules' in sys.modules  # analysed\n"
    "sys.stderr.write(repr([m for m in ('pandas',) if m in sys.modules]))\n"
)


def _imports_pandas(args: list[str], env: dict[str, str]) -> str:
    res = subprocess.run(
        [sys.executable, "-c", NO_PANDAS.format(args=args)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return res.stderr.strip().splitlines()[-1]


@pytest.fixture
def alex_store(tmp_path: Path) -> dict[str, str]:
    """An environment whose store holds sample_logs/alex, imported, nothing analysed."""
    import os

    from cramplog.importer.pipeline import import_paths
    from cramplog.store import Store

    if not (SAMPLE / "alex").is_dir():
        pytest.skip("sample_logs not present")
    db = tmp_path / "store.sqlite"
    with Store(db) as store:
        import_paths(store, [SAMPLE / "alex"], workers=1)
    return {**os.environ, "CRAMPLOG_DB": str(db), "CRAMPLOG_TODAY": "2026-07-01"}


def test_analysing_a_stored_athlete_imports_no_pandas(alex_store: dict[str, str]) -> None:
    """A cold analysis (nothing cached: rules, daily series, every renderer) of the store."""
    assert _imports_pandas(["analyze"], alex_store) == "[]"


def test_cold_analyze_of_a_folder_imports_no_pandas(tmp_path: Path) -> None:
    import os

    if not (SAMPLE / "alex").is_dir():
        pytest.skip("sample_logs not present")
    env = {**os.environ, "CRAMPLOG_DB": str(tmp_path / "s.sqlite"), "CRAMPLOG_TODAY": "2026-07-01"}
    assert _imports_pandas(["analyze", str(SAMPLE / "alex")], env) == "[]"
