"""The daily series of one athlete, on local calendar days (pandas; analysis path only).

Conventions (SCIENCE.md, "Formulas"):

- ``load``: sum of the day's session loads; every day from the first to the last (or
  ``today``) is present and rest days are 0.
- EWMA with λ = 1 − e^(−1/τ) (a true time constant τ; *not* Runalyze's λ = 2/(N+1), whose
  time constant is about N/2): x_t = x_{t−1} + λ·(L_t − x_{t−1}).
  CTL (τ 42) and ATL (τ 7) start from 0 the day before the first day, so a single load L
  on day 0 gives λ·L, then decays by (1 − λ) a day. TSB = CTL − ATL.
- ``acwr``: acute EWMA (τ 7) ÷ chronic EWMA (τ 28), both started from the mean daily load of
  the first 28 days; NaN for those 28 days (CR02's silence). ``acwr_rolling``: the uncoupled
  mean(t−6…t) ÷ mean(t−27…t−7); NaN until 28 days exist or when the denominator is 0.
- ``monotony``: Foster, 7-day mean ÷ population SD (ddof 0), capped at 10 (SD 0 → 10 when
  the week has load, 0 for a week without any load); NaN for the first 6 days.
  ``strain`` = 7-day load sum × monotony.
- ``acclimation``: heat acclimation state in [0, 1]: each heat session adds 0.1 (about ten
  sessions to full acclimation, Binkley 2002) and the state decays by 2.5 % a day
  (Daanen et al. 2018). A design choice; CR07 itself uses the 14-day heat-session count.
- ``weekly_km``: running kilometres in the 7 days ending that day (context only; cramplog has
  no 10 % rule).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from cramplog.features import SessionFeatures

if TYPE_CHECKING:
    import pandas as pd

FOOT_FAMILIES = frozenset({"running", "hiking", "walking"})


def ewma_lambda(tau: float) -> float:
    return 1.0 - math.exp(-1.0 / tau)


def ewma(values: np.ndarray, tau: float, start: float = 0.0) -> np.ndarray:
    """x_t = x_{t−1} + λ(L_t − x_{t−1}) with x_{−1} = ``start``."""
    lam = ewma_lambda(tau)
    out = np.empty(len(values))
    x = start
    for i, v in enumerate(values):
        x = x + lam * (v - x)
        out[i] = x
    return out


def window_stats(window: np.ndarray) -> tuple[float, float, float]:
    """(sum, mean, population SD) of a window of daily loads.

    The same operations, in the same order, as ``np.sum``, ``np.mean`` and ``np.std`` (and
    pandas' ``sum``, ``mean`` and ``std(ddof=0)``), so the results are identical to the last
    bit, without their per-call overhead: mean = sum ÷ n; SD = √(Σ(x − mean)² ÷ n).
    """
    x = np.asarray(window, dtype=float)
    n = len(x)
    total = np.add.reduce(x)
    mean = total / n
    d = x - mean
    sd = math.sqrt(np.add.reduce(d * d) / n)
    return float(total), float(mean), sd


def monotony(window: np.ndarray, cap: float = 10.0) -> float:
    """Foster monotony of one window of daily loads (population SD, capped)."""
    _, mean, sd = window_stats(window)
    if sd == 0.0:
        return cap if mean > 0 else 0.0
    return min(cap, mean / sd)


def is_heat_session(f: SessionFeatures, heat_c: float, min_minutes: float = 60.0) -> bool:
    """At least ``min_minutes`` at or above ``heat_c`` (summary-only: mean temperature and
    duration when the minutes above the threshold are unknown)."""
    if f.min_above_heat is not None:
        return f.min_above_heat >= min_minutes
    return f.temp_mean_c is not None and f.temp_mean_c >= heat_c and f.minutes >= min_minutes


def daily_series(
    features: list[SessionFeatures],
    *,
    today: date | None = None,
    heat_c: float = 25.0,
    long_run_km: float = 20.0,
    cap: float = 10.0,
    decay_per_day: float = 0.025,
) -> pd.DataFrame:
    """One row per local day from the first session to the last (or ``today``)."""
    import pandas as pd

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
        if f.family in FOOT_FAMILIES:
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
