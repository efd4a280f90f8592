"""The fast FIT decoder gives the same messages as the fitparse reference."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from conftest import realdata_files

from cramplog.ingest.fit import decode_fit
from cramplog.ingest.fitfast import FastPathUnsupported, decode_fast
from cramplog.ingest.fitmessages import KINDS, decode_fitparse

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


@pytest.mark.parametrize("path", FIT_FILES, ids=[p.name for p in FIT_FILES])
def test_fast_path_matches_fitparse(path: Path) -> None:
    data = _raw(path)
    ref = decode_fitparse(data)
    try:
        fast = decode_fast(data)
    except FastPathUnsupported as exc:
        # The fallback must then give fitparse's answer.
        assert decode_fit(data).record == ref.record
        pytest.skip(f"fast path declines: {exc}")
    assert fast.is_fit == ref.is_fit
    for kind in KINDS:
        a, b = ref.kind(kind), fast.kind(kind)
        if ref.warnings:
            # fitparse stopped at damage: the fast path reads at least as far.
            assert len(b) >= len(a), kind
            b = b[: len(a)]
        else:
            assert len(a) == len(b), kind
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
    assert all("distance" in r for r in msgs.record[1:])


def test_fast_path_on_broken_bytes_never_raises_unexpectedly() -> None:
    path = next((p for p in FIT_FILES if p.name.endswith("garmin-fenix-5-run.fit")), None)
    if path is None:
        pytest.skip("realdata absent")
    data = _raw(path)
    for cut in range(0, len(data), 97):
        msgs = decode_fast(data[:cut])
        assert msgs.total() >= 0
    flipped = bytearray(data)
    for i in range(20, len(flipped), 131):
        flipped[i] ^= 0x5A
    decode_fast(bytes(flipped))
