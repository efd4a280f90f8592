"""The store's stream codec: what comes back is the stream as ``as_stored`` describes it,
for the shuffled layout written now and the plain layout earlier versions wrote."""

from __future__ import annotations

import json
import struct
import zlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cramplog.model import STREAM_CHANNELS, Stream
from cramplog.store.streamcodec import as_stored, decode_stream, encode_stream

FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)


def _plain_cls1(stream: Stream) -> bytes:
    """The layout cramplog wrote before the shuffled one (kept here as the reference)."""
    names = ["t_s", *[n for n in STREAM_CHANNELS if getattr(stream, n) is not None]]
    wide = {"t_s", "lat_deg", "lon_deg"}
    with np.errstate(over="ignore"):
        raw = b"".join(
            np.ascontiguousarray(getattr(stream, n), dtype="<f8" if n in wide else "<f4").tobytes()
            for n in names
        )
    header = json.dumps({"n": len(stream.t_s), "channels": names}).encode()
    return b"CLS1" + struct.pack("<I", len(header)) + header + zlib.compress(raw, 1)


@st.composite
def streams(draw: st.DrawFn) -> Stream:
    n = draw(st.integers(0, 60))
    values = {"t_s": np.array(draw(st.lists(FLOATS, min_size=n, max_size=n)), dtype=float)}
    for name in draw(st.sets(st.sampled_from(STREAM_CHANNELS))):
        values[name] = np.array(draw(st.lists(FLOATS, min_size=n, max_size=n)), dtype=float)
    return Stream(**values)


def _assert_same(a: Stream, b: Stream) -> None:
    for name in ("t_s", *STREAM_CHANNELS):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            np.testing.assert_array_equal(x, y, err_msg=name)


@settings(max_examples=200, deadline=None)
@given(streams())
def test_decode_gives_the_stream_as_stored(stream: Stream) -> None:
    _assert_same(decode_stream(encode_stream(stream)), as_stored(stream))


@settings(max_examples=100, deadline=None)
@given(streams())
def test_blobs_of_earlier_versions_still_read(stream: Stream) -> None:
    _assert_same(decode_stream(_plain_cls1(stream)), decode_stream(encode_stream(stream)))


def test_a_season_stream_compresses_better_shuffled() -> None:
    """Real-looking samples: a 2-hour run at 1 s. The shuffled layout is the smaller one."""
    t = np.arange(0.0, 7200.0)
    rng = np.random.default_rng(1)
    s = Stream(t_s=t, distance_m=np.cumsum(rng.uniform(2.8, 3.2, t.size)),
               hr_bpm=np.round(150 + 10 * np.sin(t / 600)), elevation_m=1600 + np.cumsum(rng.normal(0, 0.2, t.size)),
               lat_deg=39.7 + np.cumsum(rng.normal(0, 1e-5, t.size)), lon_deg=-105.2 + np.cumsum(rng.normal(0, 1e-5, t.size)))  # fmt: skip
    assert len(encode_stream(s)) < 0.9 * len(_plain_cls1(s))
