"""The fast FIT decoder gives the same messages as the fitparse reference."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

import numpy as np
import pytest
from conftest import realdata_files

from cramplog.ingest.fit import decode_fit
from cramplog.ingest.fit_fast import FastPathUnsupported, decode_fast
from cramplog.ingest.fit_reference import decode_fitparse
from cramplog.ingest.fitmessages import KINDS, FitMessages, Records

FIT_FILES = realdata_files("fit", "*.fit", "*.FIT", "*.fit.gz")

# Fields cramplog reads; compared value by value (the whole dicts are compared too).
USED = {
    "record": (
        "timestamp",
        "distance",
        "enhanced_altitude",
        "altitude",
        "enhanced_speed",
        "speed",
        "heart_rate",
        "cadence",
        "temperature",
        "position_lat",
        "position_long",
    ),
    "session": (
        "start_time",
        "total_distance",
        "total_elapsed_time",
        "total_timer_time",
        "total_ascent",
        "total_descent",
        "avg_heart_rate",
        "max_heart_rate",
        "sport",
        "sub_sport",
        "avg_temperature",
        "max_temperature",
    ),
    "activity": ("timestamp", "local_timestamp"),
    "file_id": ("manufacturer", "garmin_product", "product", "time_created"),
}


def _raw(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


@functools.cache
def _reference(path: Path) -> FitMessages:
    """fitparse's decode of a real file, once per test session (it is the slow part)."""
    return decode_fitparse(_raw(path))


def _assert_same_records(a: Records, b: Records) -> None:
    """Same timestamps, same column names, same values (NaN for missing) -- the columns
    cramplog reads first, for a readable failure."""
    assert a.timestamps.dtype == b.timestamps.dtype == np.float64
    assert np.array_equal(a.timestamps, b.timestamps, equal_nan=True), "timestamps"
    assert sorted(a.columns) == sorted(b.columns)
    for name in (*USED["record"][1:], *sorted(a.columns)):
        ca, cb = a.columns.get(name), b.columns.get(name)
        if ca is None or cb is None:
            assert ca is None and cb is None, name
            continue
        assert ca.dtype == cb.dtype == np.float64, name
        bad = np.flatnonzero(~((ca == cb) | (np.isnan(ca) & np.isnan(cb))))
        assert not len(bad), (name, int(bad[0]), ca[bad[0]], cb[bad[0]])
    assert a == b


@pytest.mark.parametrize("path", FIT_FILES, ids=[p.name for p in FIT_FILES])
def test_fast_path_matches_fitparse(path: Path) -> None:
    data = _raw(path)
    ref = _reference(path)
    # The fast path reads every real file itself: declining one (FastPathUnsupported) fails
    # here instead of becoming a silent skip behind decode_fit's fitparse fallback.
    fast = decode_fast(data)
    assert fast.decoder == "fast"
    assert decode_fit(data).decoder == "fast"
    assert fast.is_fit == ref.is_fit
    for kind in KINDS:
        a, b = ref.kind(kind), fast.kind(kind)
        if ref.warnings:
            # fitparse stopped at damage: the fast path reads at least as far.
            assert len(b) >= len(a), kind
            b = b[: len(a)]
        else:
            assert len(a) == len(b), kind
        if kind == "record":
            _assert_same_records(a, b)
            continue
        for i, (ra, rb) in enumerate(zip(a, b, strict=True)):
            for name in USED.get(kind, ()):
                assert ra.get(name) == rb.get(name), (kind, i, name)
                assert type(ra.get(name)) is type(rb.get(name)), (kind, i, name)
            assert ra == rb, (kind, i)
    if not ref.warnings:
        assert not fast.warnings


def test_first_valid_value_wins_over_fitparse_dict() -> None:
    # fitparse's get_values() keeps the LAST value of a repeated name (None from the invalid
    # compressed_speed_distance); both decoders must keep the real distance.
    path = next((p for p in FIT_FILES if p.name.endswith("null_compressed_speed_dist.fit")), None)
    if path is None:
        pytest.skip("realdata absent")
    msgs = decode_fit(_raw(path))
    assert np.isfinite(msgs.record.columns["distance"][1:]).all()


def test_fast_path_on_broken_bytes_never_raises_unexpectedly() -> None:
    path = next((p for p in FIT_FILES if p.name.endswith("garmin-fenix-5-run.fit")), None)
    if path is None:
        pytest.skip("realdata absent")
    data = _raw(path)
    whole = decode_fast(data)
    assert whole.total() > 0 and not whole.warnings
    for cut in range(0, len(data), 97):
        msgs = decode_fast(data[:cut])
        if cut < 12:  # not even a header
            assert not msgs.is_fit and msgs.total() == 0
            continue
        # what a cut file gives is the start of the whole file, and the cut is reported
        assert msgs.is_fit and msgs.warnings
        assert msgs.record == whole.record[: len(msgs.record)]
        for kind in KINDS:
            if kind != "record":
                got = msgs.kind(kind)
                assert got == whole.kind(kind)[: len(got)], kind
    flipped = bytearray(data)
    for i in range(20, len(flipped), 131):
        flipped[i] ^= 0x5A
    try:
        damaged = decode_fast(bytes(flipped))
    except FastPathUnsupported:
        pass  # allowed: decode_fit then asks fitparse
    else:
        assert damaged.is_fit and damaged.decoder == "fast"
