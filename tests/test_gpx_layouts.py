"""The GPX fast path against the element reader on every layout exporters write (issue 17):
Garmin Connect (``ns3:``), Strava (``gpxtpx:``), Apple-Health style (``speed``/``course``/
``hAcc``/``vAcc``, ``lon`` first, one point a line), a pretty-printed CRLF file with tabs and
single quotes, and a single-line file; plus every real GPX file in ../shared/realdata.

Each layout must take the bulk path (``gpx_bulk.scan`` answers) and give exactly what
``gpx_elements.read_tracks`` gives, value for value (NaN where NaN)."""

from __future__ import annotations

import gzip
import math
from pathlib import Path

import numpy as np
import pytest

from cramplog.ingest import gpx_bulk, gpx_elements
from cramplog.ingest.gpx import parse_gpx
from cramplog.ingest.track_samples import Samples
from cramplog.ingest.xmlsafe import decode_xml
from cramplog.samplegen.gpx_layouts import LAYOUTS, layout_gpx

FIELDS = ("t", "lat", "lon", "ele", "hr", "cad", "temp", "speed")


def _track(n: int = 400, seed: int = 3) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = 1_700_000_000 + np.cumsum(rng.integers(1, 6, n))
    return {
        "t": t,
        "lat": 40.4 + np.cumsum(rng.normal(0, 1e-4, n)),
        "lon": -3.7 + np.cumsum(rng.normal(0, 1e-4, n)),
        "ele": 660 + np.cumsum(rng.normal(0, 0.3, n)),
        "hr": rng.integers(110, 185, n),
        "cad": rng.integers(75, 95, n),
        "temp": rng.integers(5, 30, n),
        "speed": rng.uniform(2.0, 4.5, n),
    }


def _same(a: list[Samples], b: list[Samples]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        for f in FIELDS:
            u, v = getattr(x, f), getattr(y, f)
            assert len(u) == len(v), f
            for p, q in zip(u, v, strict=True):
                assert p == q or (math.isnan(p) and math.isnan(q)), (f, p, q)
        assert (x.title, x.sport, x.bad_times, x.offset) == (
            y.title,
            y.sport,
            y.bad_times,
            y.offset,
        )


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_takes_the_bulk_path_and_equals_the_element_reader(layout: str) -> None:
    cols = _track()
    text = decode_xml(layout_gpx(layout, name="Morning Run", seed=1, **cols), "x.gpx", "GPX")
    fast = gpx_bulk.scan(text)
    assert fast is not None, f"{layout}: the bulk scanner declined"
    slow = gpx_elements.read_tracks(text, "x.gpx", [])
    _same(fast, slow)
    # and the values are the ones written: independent of both readers
    (track,) = slow
    assert len(track) == 400
    assert track.t == [float(x) for x in cols["t"]]
    assert np.allclose(track.lat, cols["lat"], atol=1e-6)
    if layout != "apple":  # the phone layout carries no heart rate
        assert track.hr == [float(x) for x in cols["hr"]]
    else:
        assert all(math.isnan(h) for h in track.hr)
        assert np.allclose(track.speed, cols["speed"], atol=1e-6)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_gzipped_reads_like_the_plain_file(layout: str) -> None:
    from cramplog.ingest.read import parse_bytes

    data = layout_gpx(layout, name="Evening Run", seed=2, **_track(120, 5))
    plain = parse_gpx(data, "a.gpx").activities
    zipped = parse_bytes("a.gpx.gz", gzip.compress(data)).activities
    assert len(plain) == len(zipped) == 1
    assert plain[0].start == zipped[0].start
    assert plain[0].distance_m == zipped[0].distance_m


def _real_gpx(realdata: Path) -> list[Path]:
    return sorted(p for p in (realdata / "gpx").iterdir() if p.is_file())


def test_every_real_gpx_file_reads_alike_on_both_paths(realdata: Path) -> None:
    taken = 0
    for p in _real_gpx(realdata):
        try:
            text = decode_xml(p.read_bytes(), p.name, "GPX")
            slow = gpx_elements.read_tracks(text, p.name, [])
        except Exception:  # noqa: BLE001 - damaged or empty files: no bulk answer expected
            assert gpx_bulk.scan(decode_xml(p.read_bytes(), p.name, "GPX")) is None
            continue
        fast = gpx_bulk.scan(text)
        if fast is not None:
            taken += 1
            _same(fast, slow)
    assert taken >= 3  # the Strava, Movescount and Urban Biker exports at least
