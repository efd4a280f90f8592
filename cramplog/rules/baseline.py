"""Personal baselines: what is usual for this athlete, from their own recent history.

A caution or warning of a routine-dependent rule means "past the literature's threshold
*and* unusual for you" (SCIENCE.md, "Signal: episodes and personal baselines"). Each
function here reads only days *before* the day judged, so a baseline never includes the
day it judges (nor anything after it).

- ``trailing_quantiles``: a quantile of a daily column over the days before each day;
- ``rest_runs`` and ``usual_rest``: the athlete's runs of days without load, and the
  longest rest they usually take (a percentile of those runs in the previous weeks);
- ``seeded_ewma``: an EWMA started from the mean of its first ``tau`` days instead of 0
  (CTL "within 10 % of its peak" means nothing while a zero-started CTL is still rising).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def trailing_quantiles(values: np.ndarray, window: int, q: float, min_count: int) -> np.ndarray:
    """Per day ``i``: the ``q``-th percentile (0-100, linear interpolation) of the finite
    values of the ``window`` days before it (day ``i`` itself excluded); NaN with fewer than
    ``min_count`` finite values. One vectorised pass over all days."""
    import numpy as np

    x = np.asarray(values, dtype=float)
    n = len(x)
    out = np.full(n, np.nan)
    if n == 0 or window <= 0:
        return out
    padded = np.concatenate([np.full(window, np.nan), x])
    views = np.lib.stride_tricks.sliding_window_view(padded, window)[:n]  # row i: [i-w, i)
    count = np.isfinite(views).sum(axis=1)
    enough = count >= max(1, min_count)
    full = enough & (count == window)  # no NaN in the window: one vectorised percentile
    if full.any():
        out[full] = np.percentile(views[full], q, axis=1)
    for i in np.flatnonzero(enough & ~full).tolist():
        row = views[i]  # the first days of the log, or a column with gaps
        out[i] = np.percentile(row[np.isfinite(row)], q)
    return out


def rest_runs(load: np.ndarray) -> list[tuple[int, int]]:
    """(first day, length) of every run of consecutive days without load, in order; a run
    still open at the end of the series is included (its length as far as the data go)."""
    out: list[tuple[int, int]] = []
    start = -1
    for k, x in enumerate(load.tolist()):
        if x == 0:
            if start < 0:
                start = k
        elif start >= 0:
            out.append((start, k - start))
            start = -1
    if start >= 0:
        out.append((start, len(load) - start))
    return out


def usual_rest(runs: list[tuple[int, int]], before: int, window: int, q: float) -> float:
    """The ``q``-th percentile of the lengths of the rest runs that lie wholly within the
    ``window`` days before day ``before``; 0 when there was no rest day in that window
    (the athlete trained every day, so any gap is longer than usual)."""
    import numpy as np

    lengths = [n for s, n in runs if s >= before - window and s + n <= before]
    return float(np.percentile(lengths, q)) if lengths else 0.0


def seeded_ewma(values: np.ndarray, tau: float, seed_days: int | None = None) -> np.ndarray:
    """x_t = x_{t−1} + λ(L_t − x_{t−1}), λ = 1 − e^(−1/τ), with x_{−1} = the mean of the
    first ``seed_days`` (default ``tau``) values: seeded as the ACWR averages are."""
    import numpy as np

    n = int(seed_days if seed_days is not None else round(tau))
    start = float(np.mean(values[:n])) if len(values) else 0.0
    lam = 1.0 - math.exp(-1.0 / tau)
    out = np.empty(len(values))
    x = start
    for k, v in enumerate(values.tolist()):
        x = x + lam * (v - x)
        out[k] = x
    return out
