"""The store's stream codec. A stream comes back bit for bit as the ``CLS2`` layout (written
until the integer layout ``CLS3`` replaced it) gave it back, which is what ``as_stored``
says; blobs in the ``CLS1`` and ``CLS2`` layouts that earlier versions wrote still read.

The references are copies of the old encoders and of the old decoder, kept here, apart from
the module. Floats are compared by their bits: -0.0 is not 0.0, and one NaN is not another.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from conftest import REALDATA, SAMPLE_LOGS
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cramplog.model import STREAM_CHANNELS, Stream
from cramplog.store.streamcodec import as_stored, decode_stream, encode_stream

FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)
WIDE = {"t_s", "lat_deg", "lon_deg"}
ALL = ("t_s", *STREAM_CHANNELS)


def _old_blob(stream: Stream, *, shuffled: bool = True) -> bytes:
    """A blob as cramplog wrote it before ``CLS3``: ``CLS2`` (each channel's floats
    byte-shuffled), or with ``shuffled=False`` ``CLS1`` (the plain floats)."""
    names = ["t_s", *[n for n in STREAM_CHANNELS if getattr(stream, n) is not None]]
    n = len(stream.t_s)
    parts = []
    for name in names:
        w = 8 if name in WIDE else 4
        with np.errstate(over="ignore"):
            arr = np.ascontiguousarray(getattr(stream, name), dtype=f"<f{w}")
        parts.append(arr.view(np.uint8).reshape(n, w).T.tobytes() if shuffled else arr.tobytes())
    header = json.dumps({"n": n, "channels": names}).encode()
    magic = b"CLS2" if shuffled else b"CLS1"
    return magic + struct.pack("<I", len(header)) + header + zlib.compress(b"".join(parts), 1)


def _old_decode(blob: bytes) -> dict[str, np.ndarray]:
    """The channels of a ``CLS1``/``CLS2`` blob as the decoder of those days read them."""
    (hlen,) = struct.unpack("<I", blob[4:8])
    header = json.loads(blob[8 : 8 + hlen])
    raw = zlib.decompress(blob[8 + hlen :])
    n, pos, out = header["n"], 0, {}
    for name in header["channels"]:
        w = 8 if name in WIDE else 4
        if blob[:4] == b"CLS2":
            planes = np.frombuffer(raw, dtype=np.uint8, count=n * w, offset=pos).reshape(w, n)
            arr = np.ascontiguousarray(planes.T).view(f"<f{w}").reshape(n)
        else:
            arr = np.frombuffer(raw, dtype=f"<f{w}", count=n, offset=pos)
        out[name] = arr.astype(np.float64)
        pos += n * w
    return out


def _assert_bits(got: Stream, want: dict[str, np.ndarray]) -> None:
    for name in ALL:
        x = getattr(got, name)
        assert (x is None) == (name not in want), name
        if x is not None:
            assert x.dtype == np.float64, name
            assert x.shape == want[name].shape, name
            assert np.array_equal(x.view(np.uint64), want[name].view(np.uint64)), name


def _assert_like_cls2(stream: Stream) -> None:
    blob = encode_stream(stream)
    assert blob[:4] == b"CLS3"
    _assert_bits(decode_stream(blob), _old_decode(_old_blob(stream)))


# -- what a device writes: integers times a step, with now and then a float that is not --

STEPS = [1.0 / 10**d for d in range(16)] + [180.0 / 2**31, 0.2, 1.0]


@st.composite
def device_channel(draw: st.DrawFn, n: int) -> np.ndarray:
    """Integers k (a walk with steps of 1 to 8 bytes) as ``k / 10^d`` or ``k * step``, and
    a few or many samples replaced by any float (NaN, inf, -0.0, a subnormal, ...)."""
    start = draw(st.integers(-(2**45), 2**45))
    bits = draw(st.sampled_from([0, 3, 12, 28, 50]))
    walk = draw(arrays(np.int64, n, elements=st.integers(-(2**bits), 2**bits)))
    k = start + np.cumsum(walk)
    divisor, step = 10.0 ** draw(st.integers(0, 15)), draw(st.sampled_from(STEPS))
    values = k / divisor if draw(st.booleans()) else k * step
    if n:
        odd = draw(st.lists(st.tuples(st.integers(0, n - 1), FLOATS), max_size=n))
        for i, v in odd:
            values[i] = v
    return values


@st.composite
def streams(draw: st.DrawFn, max_n: int = 300) -> Stream:
    n = draw(st.integers(0, max_n))
    values = {}
    for name in ("t_s", *draw(st.sets(st.sampled_from(STREAM_CHANNELS)))):
        if draw(st.booleans()):
            values[name] = draw(device_channel(n))
        else:
            values[name] = draw(arrays(np.float64, n, elements=FLOATS))
    return Stream(**values)


@settings(max_examples=300, deadline=None)
@given(streams())
@example(Stream(t_s=np.array([0.0, -0.0, 2.0, 3.0] * 20)))  # one -0.0 among integers
@example(Stream(t_s=np.arange(100.0), hr_bpm=np.r_[np.nan, 100.0 + np.arange(99.0)]))
@example(Stream(t_s=np.arange(3.0), distance_m=np.array([0.0, 2.43, 4.86])))
@example(Stream(t_s=np.array([]), hr_bpm=np.array([])))
def test_a_stream_comes_back_as_cls2_gave_it(stream: Stream) -> None:
    _assert_like_cls2(stream)


@settings(max_examples=100, deadline=None)
@given(streams(max_n=80))
def test_decode_gives_the_stream_as_stored(stream: Stream) -> None:
    want = as_stored(stream)
    _assert_bits(decode_stream(encode_stream(stream)), want.channels() | {"t_s": want.t_s})


@settings(max_examples=150, deadline=None)
@given(streams(max_n=120))
def test_blobs_of_earlier_versions_still_read(stream: Stream) -> None:
    for shuffled in (True, False):
        blob = _old_blob(stream, shuffled=shuffled)
        _assert_bits(decode_stream(blob), _old_decode(blob))


def _files() -> list[Path]:
    folders = [SAMPLE_LOGS] + ([REALDATA] if REALDATA is not None else [])
    suffixes = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
    return sorted(
        p for folder in folders for p in folder.rglob("*") if p.name.lower().endswith(suffixes)
    )


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_real_files_come_back_as_cls2_gave_them(path: Path) -> None:
    """Every stream of the sample logs and the real device files (when present)."""
    from cramplog.errors import CramplogError
    from cramplog.ingest.read import parse_bytes

    try:
        result = parse_bytes(path.name, path.read_bytes())
    except CramplogError:
        pytest.skip("not a readable activity file (tested elsewhere)")
    for act in result.activities:
        if act.stream is not None:
            _assert_like_cls2(act.stream)


def test_a_season_stream_is_smaller_than_before() -> None:
    """Real-looking samples: a 2-hour run at 1 s, as a FIT file gives them."""
    t = np.arange(0.0, 7200.0)
    rng = np.random.default_rng(1)
    semi = 180.0 / 2**31
    s = Stream(t_s=t, distance_m=np.cumsum(rng.integers(270, 320, t.size)) / 100.0,
               hr_bpm=np.round(150 + 10 * np.sin(t / 600)),
               elevation_m=np.round(16000 + np.cumsum(rng.normal(0, 2, t.size))) / 10.0,
               lat_deg=np.round(39.7 / semi + np.cumsum(rng.normal(0, 120, t.size))) * semi,
               lon_deg=np.round(-105.2 / semi + np.cumsum(rng.normal(0, 120, t.size))) * semi)  # fmt: skip
    assert len(encode_stream(s)) < 0.8 * len(_old_blob(s))
    assert len(_old_blob(s)) < 0.9 * len(_old_blob(s, shuffled=False))


def test_not_a_blob_is_refused() -> None:
    with pytest.raises(ValueError):
        decode_stream(b"CLS9" + b"\0" * 20)


def test_a_store_of_version_4_with_cls2_streams_opens_and_reads_them(tmp_path: Path) -> None:
    """A store written before CLS3 (schema 4, CLS2 blobs) is upgraded to this version's schema
    and its streams read back as they were; a store at this version is refused by a cramplog
    of schema 4, which cannot decode CLS3 (its "newer" message: tests/test_store.py)."""
    import sqlite3

    from cramplog.importer.pipeline import import_paths
    from cramplog.store import Store
    from cramplog.store.schema import SCHEMA_VERSION

    db = tmp_path / "s.sqlite"
    with Store(db) as st:
        import_paths(st, [SAMPLE_LOGS / "alex"], athlete="alex", workers=1)
        ids = [a.id for a in st.activities("alex") if a.id is not None]
        now = st.streams(ids)
    con = sqlite3.connect(db)
    with con:
        for i, s in now.items():
            con.execute("UPDATE activities SET stream = ? WHERE id = ?", (_old_blob(s), i))
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.close()
    with Store(db) as st:
        v = st.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
        assert int(v) == SCHEMA_VERSION == 5
        again = st.streams(ids)
    assert again.keys() == now.keys() and len(now) > 10
    for i, s in now.items():
        _assert_bits(again[i], {c: getattr(s, c) for c in ("t_s", *STREAM_CHANNELS)
                                if getattr(s, c) is not None})  # fmt: skip
