"""``track_samples.clean`` and its helpers against the first, plain implementation, kept here
as the reference: the cleaning must give the same arrays (bit for bit), the same warnings and
leave the reader's lists alone, however damaged the points are."""

from __future__ import annotations

import math
import struct
from fractions import Fraction

import numpy as np
import pytest

from cramplog.ingest.track_samples import (
    MAX_YEAR,
    MIN_YEAR,
    Samples,
    _float_array,
    _median,
    clean,
)

NAN = math.nan
RANGES = {
    "ele": (-500.0, 9000.0, True),
    "hr": (0.0, 250.0, False),
    "cad": (0.0, 300.0, True),
    "temp": (-60.0, 70.0, True),
    "speed": (0.0, 100.0, True),
    "dist": (0.0, 1e7, True),
}
WORDS = {
    "ele": "elevation",
    "hr": "heart-rate",
    "cad": "cadence",
    "temp": "temperature",
    "speed": "speed",
    "dist": "distance",
}
KEYS = ("t", "lat", "lon", "ele", "hr", "cad", "temp", "speed", "dist")


def clean_first_version(s: Samples, label: str, warnings: list[str]) -> dict | None:
    """``clean`` as first written: every channel converted, checked and copied."""
    n = len(s.t)
    a = {}
    for key in KEYS:
        values = getattr(s, key)
        a[key] = np.asarray(values, dtype=np.float64) if len(values) == n else np.full(n, NAN)
    timed = np.isfinite(a["t"])
    n_timed = int(timed.sum())
    if n == 0:
        return None
    if n_timed == 0 or n_timed * 2 < n:
        why = "no point has" if n_timed == 0 else f"only {n_timed} of {n} points have"
        why += " a usable time"
        if s.bad_times:
            why += f"; {s.bad_times} are impossible (outside {MIN_YEAR}-{MAX_YEAR}: clock not set?)"
        else:
            why += " (a route, not a recorded session)"
        warnings.append(f"{label}: skipped, {why}")
        return None
    if s.bad_times:
        warnings.append(
            f"{label}: dropped {s.bad_times} points with an unreadable or impossible time "
            f"(outside {MIN_YEAR}-{MAX_YEAR})"
        )
    if n - n_timed - s.bad_times:
        warnings.append(f"{label}: dropped {n - n_timed - s.bad_times} points without a time")
    a = {k: v[timed] for k, v in a.items()}
    keep = a["t"] >= np.maximum.accumulate(a["t"])
    if not keep.all():
        warnings.append(f"{label}: dropped {int((~keep).sum())} points whose time goes backwards")
        a = {k: v[keep] for k, v in a.items()}
    lat, lon = a["lat"], a["lon"]
    with np.errstate(invalid="ignore"):
        bad_pos = ~((np.abs(lat) <= 90) & (np.abs(lon) <= 180)) | ((lat == 0) & (lon == 0))
    n_bad_pos = int((bad_pos & (np.isfinite(lat) | np.isfinite(lon))).sum())
    if n_bad_pos:
        warnings.append(f"{label}: ignored {n_bad_pos} incomplete or impossible positions")
    lat[bad_pos] = NAN
    lon[bad_pos] = NAN
    for key, (low, high, inclusive) in RANGES.items():
        v = a[key]
        finite = np.isfinite(v)
        with np.errstate(invalid="ignore"):
            ok = ((v >= low) if inclusive else (v > low)) & (v <= high)
        bad = ~ok & (finite | np.isinf(v))
        if bad.any() and not (key == "hr" and not np.any(v[finite] != 0)):
            warnings.append(
                f"{label}: ignored {int(bad.sum())} {WORDS[key]} values outside {low:g}..{high:g}"
            )
        v[~ok] = NAN
    return a


NEG_NAN = -math.nan  # a NaN with its sign bit set: the cleaning writes the plain NaN


def damaged_samples(seed: int) -> Samples:
    """A track with every kind of damage the readers pass on, chosen by ``seed``."""
    rng = np.random.default_rng(seed)
    n = int(rng.choice([1, 2, 3, 10, 200]))
    s = Samples()
    t = 1.6e9 + np.cumsum(rng.uniform(0.5, 3.0, n))
    s.t = t.tolist()
    if seed % 5 == 1:
        for i in rng.integers(0, n, max(1, n // 20)).tolist():
            s.t[i] -= 10.0  # out of order
    if seed % 4 == 2:
        for i in rng.integers(0, n, int(rng.integers(0, n + 1))).tolist():
            s.t[i] = NAN  # untimed, up to all of them
    s.bad_times = int(rng.integers(0, 3))
    for key, centre, spread in (
        ("lat", 47.0, 1e-3),
        ("lon", 8.0, 1e-3),
        ("ele", 400.0, 50.0),
        ("hr", 140.0, 20.0),
        ("cad", 85.0, 5.0),
        ("temp", 20.0, 5.0),
        ("speed", 3.0, 1.0),
        ("dist", 5000.0, 3000.0),
    ):
        kind = int(rng.integers(0, 6))
        if kind == 0:
            setattr(s, key, [])  # not read at all
        elif kind == 1:
            setattr(s, key, [NAN] * n)  # filled by the reader with the one math.nan
        elif kind == 2:
            setattr(s, key, [float("nan") for _ in range(n)])  # NaNs read from the file
        else:
            v = rng.normal(centre, spread, n)
            junk = rng.random(n)
            v[junk < 0.05] = NAN
            v[(junk >= 0.05) & (junk < 0.1)] = rng.choice([np.inf, -np.inf, -1e4, 1e9, 0.0])
            values = v.tolist()
            if kind == 3:
                values[0] = NAN  # a first point without the value: the reader's math.nan
            if kind == 4 and n > 2:
                values[1] = NEG_NAN
            if kind == 5:
                values = values[: n - 1]  # a column that lost a value: ignored
            setattr(s, key, values)
    if seed % 7 == 3 and s.lat and s.lon:
        s.lat[0] = s.lon[0] = 0.0  # "null island"
    if seed % 6 == 4 and len(s.hr) == n:
        s.hr = [0.0] * n  # a strap that reports 0
    return s


def bits(values: object) -> list[str]:
    return [struct.pack("<d", float(v)).hex() for v in values]  # type: ignore[attr-defined]


def lists_of(s: Samples) -> dict[str, list[float]]:
    return {k: list(getattr(s, k)) for k in KEYS}


@pytest.mark.parametrize("seed", range(300))
def test_clean_as_first_written(seed: int) -> None:
    s = damaged_samples(seed)
    before = lists_of(s)
    w_new: list[str] = []
    w_ref: list[str] = []
    got = clean(s, "f", w_new)
    ref = clean_first_version(s, "f", w_ref)
    assert w_new == w_ref
    assert (got is None) == (ref is None)
    if got is not None and ref is not None:
        assert list(got) == list(ref)
        for k in ref:
            assert got[k].dtype == ref[k].dtype
            assert got[k].tobytes() == ref[k].tobytes(), k
        # every channel is an array of its own: cleaning one never touches another
        assert len({id(v) for v in got.values()}) == len(got)
    assert [bits(v) for v in lists_of(s).values()] == [bits(v) for v in before.values()]


def test_clean_leaves_array_columns_alone() -> None:
    s = damaged_samples(3)
    n = len(s.t)
    s.ele = np.full(n, 1e6)  # a reader may hand arrays over: out of range everywhere
    got = clean(s, "f", [])
    assert got is not None and np.isnan(got["ele"]).all()
    assert (s.ele == 1e6).all()


@pytest.mark.parametrize(
    "values",
    [
        [],
        [1.5],
        [NAN, NEG_NAN, math.inf, -math.inf, -0.0, 5e-324, 1.7976931348623157e308],
        [3, True, 2.5],  # ints and bools are numbers too
        [Fraction(1, 3), 2.0],  # anything with __float__
        ["1.5", 2.0],  # text: numpy parses it, so it still does
        np.array([1.0, NAN]),  # an array is copied, not packed
    ],
)
def test_float_array_is_np_array(values: list) -> None:
    got = _float_array(values)
    ref = np.array(values, dtype=np.float64)
    assert got.dtype == np.float64 and got.tobytes() == ref.tobytes()
    assert got.flags.writeable and got.flags.owndata


def test_float_array_fails_where_numpy_fails() -> None:
    with pytest.raises(ValueError):
        np.array(["x"], dtype=np.float64)
    with pytest.raises(ValueError):
        _float_array(["x"])


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 8, 101, 1000])
def test_median_is_np_median(n: int) -> None:
    rng = np.random.default_rng(n)
    for v in (rng.uniform(1, 300, n), np.round(rng.normal(88, 3, n)), np.full(n, 85.0)):
        assert _median(v) == float(np.median(v))
        assert _median(v) == float(np.median(v[::-1]))
