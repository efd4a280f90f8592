"""The GPX scanner (``gpxscan``) must read exactly what the element reader reads, or step aside."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import REALDATA

from cramplog.errors import InputError
from cramplog.ingest import gpx, gpxscan
from cramplog.ingest.xmlsafe import decode_xml

ROOT = Path(__file__).resolve().parent.parent
FILES = (sorted((REALDATA / "gpx").glob("*.gpx")) if REALDATA else []) + sorted(
    (ROOT / "sample_logs").rglob("*.gpx")
)
CHANNELS = ("t", "lat", "lon", "ele", "hr", "cad", "temp", "speed", "dist")


def _both(data: bytes) -> tuple[list[gpx.Samples] | None, list[gpx.Samples], str]:
    text = decode_xml(data, "x.gpx", "GPX")
    return gpxscan.scan_gpx(text), gpx._read_fast(text, "x.gpx", []), text


def _result(tracks: list[gpx.Samples]) -> object:
    try:
        return gpx.samples_to_result(tracks, "x.gpx", None, [])
    except InputError as exc:
        return str(exc)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_scanner_equals_element_reader(path: Path) -> None:
    scanned, read, _ = _both(path.read_bytes())
    assert scanned is not None, "every real and sample file is plain enough for the scanner"
    assert len(scanned) == len(read)
    for a, b in zip(scanned, read, strict=True):
        assert (a.sport, a.title, a.offset, a.bad_times) == (
            b.sport,
            b.title,
            b.offset,
            b.bad_times,
        )
        for key in CHANNELS:
            x, y = np.asarray(getattr(a, key), float), np.asarray(getattr(b, key), float)
            assert np.array_equal(x, y, equal_nan=True), key
    ra, rb = _result(scanned), _result(read)
    if isinstance(ra, str) or isinstance(rb, str):
        assert ra == rb
        return
    assert ra.warnings == rb.warnings  # type: ignore[attr-defined]
    for x, y in zip(ra.activities, rb.activities, strict=True):  # type: ignore[attr-defined]
        for field in ("sport", "start", "title", "utc_offset_s", "elapsed_s", "moving_s",
                      "distance_m", "ascent_m", "descent_m", "hr_avg", "hr_max",
                      "temp_min_c", "temp_avg_c", "temp_max_c"):  # fmt: skip
            assert getattr(x, field) == getattr(y, field), field
        for ch in vars(x.stream):
            u, v = getattr(x.stream, ch), getattr(y.stream, ch)
            assert (u is None) == (v is None), ch
            if u is not None:
                assert np.array_equal(u, v, equal_nan=True), ch


GOOD = (
    '<?xml version="1.0"?><gpx xmlns:g="urn:x"><metadata><name>M</name></metadata>'
    "<trk><name>A &amp; B</name><type>running</type><trkseg>"
    "<trkpt lat=\"1.5\" lon='2.5'><ele>10</ele><time>2020-01-01T00:00:00Z</time>"
    "<extensions><g:TrackPointExtension><g:hr>120</g:hr><g:cad>80</g:cad>"
    "</g:TrackPointExtension></extensions></trkpt>"
    '<trkpt lon="2.6" lat="1.6"><time>2020-01-01T00:00:01.5+01:00</time><speed>3</speed></trkpt>'
    '<trkpt lat="x" lon="2.7"><time>1901-01-01T00:00:00Z</time></trkpt>'
    "</trkseg><trkseg/></trk><trk><trkseg>"
    '<trkpt lat="1" lon="2"><time>2020-01-02T00:00:00Z</time></trkpt></trkseg></trk></gpx>'
)


def test_small_file_with_quirks_is_scanned_identically() -> None:
    scanned, read, _ = _both(GOOD.encode())
    assert scanned is not None
    assert [(s.title, s.sport, s.offset, s.bad_times) for s in scanned] == [
        (s.title, s.sport, s.offset, s.bad_times) for s in read
    ]
    for a, b in zip(scanned, read, strict=True):
        for key in CHANNELS:
            assert np.array_equal(np.asarray(getattr(a, key), float),
                                  np.asarray(getattr(b, key), float), equal_nan=True)  # fmt: skip


@pytest.mark.parametrize(
    "edit",
    [
        ("<trk>", "<!-- c --><trk>"),  # comment
        ("<ele>10</ele>", "<ele><![CDATA[10]]></ele>"),  # CDATA
        ("<ele>10</ele>", "<ele>&#49;0</ele>"),  # character reference
        ("<g:hr>", "<h:hr>"),  # undeclared prefix
        ("</g:hr>", "</g:cad>"),  # mismatched close tag
        ("</gpx>", ""),  # truncated
        ("</gpx>", "</gpx><gpx/>"),  # two roots
        ("<ele>10</ele>", "<ele>1&foo;</ele>"),  # undefined entity
        ("<trkseg/>", "<trkseg>\x01</trkseg>"),  # illegal character
        ('lat="1.5"', 'lat="1.5" lat="1"'),  # duplicate attribute
        ("<trk>", "<trk><?pi x?>"),  # processing instruction
        ("<ele>10</ele>", "<ele>10</ele><name>P</name>"),  # name inside a point
    ],
)
def test_anything_unusual_falls_back(edit: tuple[str, str]) -> None:
    text = GOOD.replace(*edit, 1)
    assert text != GOOD
    assert gpxscan.scan_gpx(text) is None


@pytest.mark.parametrize("cut", range(0, len(GOOD), 7))
def test_cut_files_never_crash(cut: int) -> None:
    result = gpxscan.scan_gpx(GOOD[:cut])
    assert result is None or cut == len(GOOD)
