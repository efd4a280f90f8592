"""The daily series of one athlete, on local calendar days (numpy and plain loops).

Conventions (SCIENCE.md, "Formulas"):

- ``load``: sum of the day's session loads; every day from the first to the last (or
  ``today``) is present and rest days are 0. The analysis passes no ``today`` beyond the
  last session day: the days after the last imported session are *no data*, not rest, so
  they get no row (no gap, no taper, no fall in CTL from a stale export).
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

The rolling windows are pandas' (``Series.rolling(w, min_periods=m).sum/mean/max``) computed
the way pandas computes them, to the last bit: ``rolling_sum``, ``rolling_mean`` and
``rolling_max``. The analysis path does not import pandas (~0.3 s of CPU per process);
``tests/test_metrics_reference.py`` checks every column against the pandas version.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np

from cramplog.features.compute import SessionFeatures

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


def _window_values(values: np.ndarray) -> list[float]:
    """The values as pandas' rolling windows see them: float64, ±inf counted as missing."""
    return [math.nan if math.isinf(v) else v for v in np.asarray(values, dtype=float).tolist()]


def _rolling_sums(values: np.ndarray, window: int) -> Iterator[tuple[int, float, int, int, float]]:
    """Per row: (observations, compensated sum, negative observations, run of equal values
    at the end, last value) of the ``window`` rows ending there: pandas' ``roll_sum`` /
    ``roll_mean`` (``_libs/window/aggregations.pyx``): Kahan summation with separate
    compensations for the values entering and leaving the window, NaN skipped, a window
    recomputed from scratch only when it does not overlap the previous one."""
    x = _window_values(values)
    nobs = neg = same = 0
    total = add_c = rem_c = 0.0
    prev = math.nan
    for i, v in enumerate(x):
        if i == 0 or window <= 1:  # setup: the window does not overlap the previous one
            prev = v
            nobs = neg = same = 0
            total = add_c = rem_c = 0.0
        elif i >= window:  # x[i - window] leaves the window
            u = x[i - window]
            if u == u:
                nobs -= 1
                y = -u - rem_c
                t = total + y
                rem_c = t - total - y
                total = t
                if math.copysign(1.0, u) < 0:
                    neg -= 1
        if v == v:  # x[i] enters it
            nobs += 1
            y = v - add_c
            t = total + y
            add_c = t - total - y
            total = t
            if math.copysign(1.0, v) < 0:
                neg += 1
            same = same + 1 if v == prev else 1
            prev = v
        yield nobs, total, neg, same, prev


def rolling_sum(values: np.ndarray, window: int, min_periods: int) -> np.ndarray:
    """``pd.Series(values).rolling(window, min_periods=min_periods).sum()``, bit for bit."""
    out = np.empty(len(values))
    for i, (nobs, total, _, same, prev) in enumerate(_rolling_sums(values, window)):
        if nobs == 0 == min_periods:
            out[i] = 0.0
        elif nobs >= min_periods:
            out[i] = prev * nobs if same >= nobs else total
        else:
            out[i] = math.nan
    return out


def rolling_mean(values: np.ndarray, window: int, min_periods: int) -> np.ndarray:
    """``pd.Series(values).rolling(window, min_periods=min_periods).mean()``, bit for bit."""
    out = np.empty(len(values))
    for i, (nobs, total, neg, same, prev) in enumerate(_rolling_sums(values, window)):
        if nobs >= min_periods and nobs > 0:
            r = total / nobs
            if same >= nobs:
                r = prev
            elif (neg == 0 and r < 0) or (neg == nobs and r > 0):
                r = 0.0  # all of one sign: no rounding may cross zero
            out[i] = r
        else:
            out[i] = math.nan
    return out


def rolling_max(values: np.ndarray, window: int, min_periods: int) -> np.ndarray:
    """``pd.Series(values).rolling(window, min_periods=min_periods).max()``, bit for bit:
    NaN (and ±inf) skipped; of equal maxima the latest in the window (pandas' monotonic
    deque), which only shows as the sign of a zero."""
    x = _window_values(values)
    out = np.empty(len(x))
    q: deque[int] = deque()  # candidates, the maximum first
    nobs = 0
    for i, v in enumerate(x):
        lo = max(0, i - window + 1)
        if v == v:
            nobs += 1
            a = v
        else:
            a = -math.inf
        while q and (a >= x[q[-1]] or x[q[-1]] != x[q[-1]]):
            q.pop()
        q.append(i)
        while q and q[0] < lo:
            q.popleft()
        if i - window >= 0 and x[i - window] == x[i - window]:
            nobs -= 1  # left the window
        out[i] = x[q[0]] if q and nobs >= min_periods else math.nan
    return out


def is_heat_session(f: SessionFeatures, heat_c: float, min_minutes: float = 60.0) -> bool:
    """At least ``min_minutes`` at or above ``heat_c`` (summary-only: mean temperature and
    duration when the minutes above the threshold are unknown)."""
    if f.min_above_heat is not None:
        return f.min_above_heat >= min_minutes
    return f.temp_mean_c is not None and f.temp_mean_c >= heat_c and f.minutes >= min_minutes


COLUMNS = (
    "load", "sessions", "km", "ctl", "atl", "tsb", "acute", "chronic", "acwr",
    "acwr_rolling", "monotony",
    "strain", "weekly_km", "longest_run_70d_km", "long_runs_70d", "descent_42d_max_m",
    "e10_42d_max_km", "heat_sessions_14d", "acclimation", "rest_run",
)  # fmt: skip

EPOCH_DAY = date(1970, 1, 1)


class Daily:
    """The daily series: one row per local day from ``first`` on, every day present; each
    column a float64 array of ``n`` values (``COLUMNS``, in that order).

    ``daily["ctl"]`` is a column; ``day(i)`` the day of row ``i``; ``pos(day)`` its row;
    ``value(day, column)`` a finite value or None; ``asof(day, column)`` the last non-NaN
    value on or before ``day`` (pandas' ``Series.asof``)."""

    __slots__ = ("first", "n", "cols", "days")

    def __init__(self, first: date | None, cols: dict[str, np.ndarray]):
        self.n = len(next(iter(cols.values()))) if cols else 0
        if self.n and first is None:
            raise ValueError("a non-empty daily series needs its first day")
        if any(len(v) != self.n for v in cols.values()):
            raise ValueError("daily columns must have one value per day")
        self.first = first if self.n else None
        self.cols: dict[str, np.ndarray] = {
            str(k): np.asarray(v, dtype=float) for k, v in cols.items()
        }
        # each row's day as a day number (days since 1970-01-01)
        start = (first - EPOCH_DAY).days if first is not None and self.n else 0
        self.days = np.arange(start, start + self.n, dtype=np.int64)

    @classmethod
    def empty(cls) -> Daily:
        return cls(None, {c: np.empty(0) for c in COLUMNS})

    def __len__(self) -> int:
        return self.n

    def __contains__(self, column: object) -> bool:
        return column in self.cols

    def __getitem__(self, column: str) -> np.ndarray:
        return self.cols[column]

    def __repr__(self) -> str:
        return f"Daily({self.first} .. {self.last_day}, {self.n} days)"

    @property
    def columns(self) -> list[str]:
        return list(self.cols)

    @property
    def last_day(self) -> date | None:
        return self.day(self.n - 1) if self.n else None

    def day(self, i: int) -> date:
        """The day of row ``i`` (negative counts from the end)."""
        if not -self.n <= i < self.n:
            raise IndexError(i)
        assert self.first is not None
        return self.first + timedelta(days=i % self.n)

    def dates(self) -> list[date]:
        """Every row's day."""
        return [self.day(i) for i in range(self.n)]

    def since(self, day: date) -> int:
        """The first row on or after ``day``."""
        if self.first is None:
            return 0
        return min(self.n, max(0, (day - self.first).days))

    def pos(self, day: date) -> int | None:
        """The row of ``day``, or None when the series does not hold it."""
        if self.first is None:
            return None
        i = (day - self.first).days
        return i if 0 <= i < self.n else None

    def value(self, day: date, column: str) -> float | None:
        """The column's value on ``day``; None when absent or NaN."""
        i = self.pos(day)
        if i is None:
            return None
        v = float(self.cols[column][i])
        return v if math.isfinite(v) else None

    def asof(self, day: date, column: str) -> float:
        """The last non-NaN value of the column on or before ``day``; NaN when none."""
        if self.first is None:
            return math.nan
        values = self.cols[column]
        for i in range(min(self.n, (day - self.first).days + 1) - 1, -1, -1):
            v = float(values[i])
            if not math.isnan(v):
                return v
        return math.nan


def daily_series(
    features: list[SessionFeatures],
    *,
    today: date | None = None,
    heat_c: float = 25.0,
    long_run_km: float = 20.0,
    cap: float = 10.0,
    decay_per_day: float = 0.025,
) -> Daily:
    """One row per local day from the first session to the last (or ``today``)."""
    if not features:
        return Daily.empty()
    first = min(f.local_date for f in features)
    last = max(f.local_date for f in features)
    if today is not None and today > last:
        last = today
    n = (last - first).days + 1
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
    recent = rolling_mean(load, 7, 7)
    shifted = np.concatenate([np.full(min(7, n), np.nan), load[: max(0, n - 7)]])
    older = rolling_mean(shifted, 21, 21)
    with np.errstate(divide="ignore", invalid="ignore"):
        acwr_rolling = recent / np.where(older > 0, older, np.nan)
    mono = np.full(n, np.nan)
    for i in range(6, n):
        mono[i] = monotony(load[i - 6 : i + 1], cap)
    week_load = rolling_sum(load, 7, 7)
    acclim = np.zeros(n)
    state = 0.0
    for i in range(n):
        state = min(1.0, state * (1.0 - decay_per_day) + 0.1 * heat[i])
        acclim[i] = state
    rest = np.zeros(n)
    for i in range(n):
        rest[i] = (rest[i - 1] + 1 if i else 1) if load[i] == 0 and sessions[i] == 0 else 0

    return Daily(
        first,
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
            "weekly_km": rolling_sum(km, 7, 1),
            "longest_run_70d_km": rolling_max(longest, 70, 1),
            "long_runs_70d": rolling_sum(longs, 70, 1),
            "descent_42d_max_m": rolling_max(dmax, 42, 1),
            "e10_42d_max_km": rolling_max(emax, 42, 1),
            "heat_sessions_14d": rolling_sum(heat, 14, 1),
            "acclimation": acclim,
            "rest_run": rest,
        },
    )
