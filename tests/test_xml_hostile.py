"""Hostile and broken XML for the GPX and TCX readers (issue 9): refused fast, never a crash."""

from __future__ import annotations

import builtins
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from conftest import realdata_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cramplog.errors import InputError
from cramplog.ingest.read import parse_bytes
from cramplog.model import ParseResult

GPX_HEAD = '<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">'
TCX_HEAD = (
    '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
)

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)
XXE = '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
EXTERNAL_DTD = '<?xml version="1.0"?>\n<!DOCTYPE gpx SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
PARAM_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">%p;]>\n'
)


def hostile_docs() -> Iterator[tuple[str, bytes]]:
    for label, prolog, ref in [
        ("laughs", LAUGHS, "&lol9;"),
        ("xxe", XXE, "&xxe;"),
        ("external-dtd", EXTERNAL_DTD, ""),
        ("parameter-entity", PARAM_ENTITY, ""),
    ]:
        gpx = f"{prolog}{GPX_HEAD}<trk><name>{ref}</name></trk></gpx>"
        tcx = f"{prolog}{TCX_HEAD}<Activities><Activity Sport='Running'><Id>{ref}</Id>"
        tcx += "</Activity></Activities></TrainingCenterDatabase>"
        yield f"{label}.gpx", gpx.encode()
        yield f"{label}.tcx", tcx.encode()
        # the same, re-encoded so a byte-level check could not see "<!DOCTYPE"
        yield (
            f"{label}-utf16.gpx",
            gpx.replace('"1.0"?>', '"1.0" encoding="UTF-16"?>', 1).encode("utf-16"),
        )
        utf7 = gpx.replace('"1.0"?>', '"1.0" encoding="utf-7"?>', 1)
        head, _, rest = utf7.partition("?>")
        yield f"{label}-utf7.gpx", (head + "?>").encode() + rest.encode("utf-7")


@contextmanager
def no_io() -> Iterator[None]:
    """Any attempt to open a file or a socket while parsing fails the test."""

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the parser tried to read a file or the network")

    with (
        mock.patch.object(builtins, "open", refuse),
        mock.patch.object(socket.socket, "connect", refuse),
    ):
        yield


@pytest.mark.parametrize(("name", "data"), list(hostile_docs()), ids=lambda v: str(v)[:30])
def test_entities_and_dtds_are_refused_fast(name: str, data: bytes) -> None:
    t0 = time.perf_counter()
    with no_io(), pytest.raises(InputError, match="refused"):
        parse_bytes(name, data)
    assert time.perf_counter() - t0 < 1.0


def test_refusal_comes_before_the_gpxpy_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    from cramplog.ingest import gpx_elements

    def boom(*_a: object) -> None:
        raise RuntimeError("fast path bug")

    monkeypatch.setattr(gpx_elements, "read_tracks", boom)
    with pytest.raises(InputError, match="refused"):
        parse_bytes("x.gpx", dict(hostile_docs())["xxe.gpx"])


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", "HTML page"),
        (b"<html>\n<head><title>Sign in</title></head></html>", "HTML page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"lat,lon,time\n46,14,2021-01-01\n", "not a"),
        (b"\xef\xbb\xbf   ", "not a"),
        (b"<gpx><trk><trkseg><trkpt lat='1' lon='2'>", "not well-formed|no"),
        (b"<?xml version='1.0' encoding='no-such-codec'?><gpx/>", "encoding"),
        (b"<gpx>\xff\xfe broken utf-8</gpx>", "not valid utf-8"),
    ],
)
@pytest.mark.parametrize("ext", [".gpx", ".tcx"])
def test_not_xml_gives_one_clear_line(data: bytes, match: str, ext: str) -> None:
    with pytest.raises(InputError, match=match) as info:
        parse_bytes("f" + ext, data)
    assert "\n" not in str(info.value)


T0 = datetime(2021, 6, 1, 6, tzinfo=UTC)


def gpx_doc(points: list[str], name: str = "Run") -> bytes:
    body = "".join(points)
    return f"{GPX_HEAD}<trk><name>{name}</name><trkseg>{body}</trkseg></trk></gpx>".encode()


def gpt(i: int, *, lat: str = "46.0", lon: str = "14.0", ele: str = "300", hr: str = "",
        t: datetime | None = None) -> str:  # fmt: skip
    when = (t or T0 + timedelta(seconds=10 * i)).isoformat().replace("+00:00", "Z")
    ext = f"<extensions><hr>{hr}</hr></extensions>" if hr else ""
    return f'<trkpt lat="{lat}" lon="{lon}"><ele>{ele}</ele><time>{when}</time>{ext}</trkpt>'


def test_no_times_at_all() -> None:
    doc = f"{GPX_HEAD}<trk><trkseg>" + '<trkpt lat="1" lon="2"/>' * 50 + "</trkseg></trk></gpx>"
    with pytest.raises(InputError, match="no timed track points"):
        parse_bytes("r.gpx", doc.encode())


def test_time_going_backwards_is_dropped() -> None:
    pts = [gpt(i) for i in range(10)]
    pts.insert(5, gpt(0, t=T0 - timedelta(hours=3)))
    r = parse_bytes("b.gpx", gpx_doc(pts))
    (a,) = r.activities
    assert a.stream is not None and len(a.stream) == 10
    assert np.all(np.diff(a.stream.t_s) >= 0) and a.start == T0
    assert any("backwards" in w for w in r.warnings)


def test_absurd_coordinates_and_elevations_become_nan() -> None:
    pts = [gpt(i, lat=str(46 + i * 1e-4)) for i in range(6)]
    pts[1] = gpt(1, lat="NaN", lon="NaN", ele="-9999")
    pts[2] = gpt(2, lat="91.5", lon="14", ele="9e9")
    pts[3] = gpt(3, lat="46", lon="1e400", ele="inf")
    pts[4] = gpt(4, lat="0", lon="0", ele="nan")
    (a,) = parse_bytes("c.gpx", gpx_doc(pts)).activities
    s = a.stream
    assert s is not None and s.lat_deg is not None and s.elevation_m is not None
    assert np.isnan(s.lat_deg[1:5]).all() and np.isnan(s.elevation_m[1:5]).all()
    assert np.isfinite(s.lat_deg[[0, 5]]).all()
    assert a.distance_m is not None and 0 < a.distance_m < 100
    assert a.ascent_m is not None and a.ascent_m < 10


def test_all_zero_heart_rate_is_no_heart_rate() -> None:
    (a,) = parse_bytes("z.gpx", gpx_doc([gpt(i, hr="0") for i in range(10)])).activities
    assert a.stream is not None and a.stream.hr_bpm is None
    assert a.hr_avg is None and a.hr_max is None


def test_absurd_heart_rate_values_are_dropped() -> None:
    pts = [gpt(i, hr=hr) for i, hr in enumerate(["140", "-5", "300", "abc", "150"])]
    (a,) = parse_bytes("h.gpx", gpx_doc(pts)).activities
    assert a.hr_avg == 145 and a.hr_max == 150


def test_ten_megabyte_name_is_truncated() -> None:
    t0 = time.perf_counter()
    doc = gpx_doc([gpt(i) for i in range(5)], name="A" * 10_000_000)
    r = parse_bytes("long.gpx", doc)
    assert r.activities[0].title is not None and len(r.activities[0].title) <= 200
    assert time.perf_counter() - t0 < 10


def test_ten_megabyte_tcx_notes_are_truncated() -> None:
    pts = "".join(
        f"<Trackpoint><Time>{(T0 + timedelta(seconds=i)).isoformat()}</Time></Trackpoint>"
        for i in range(5)
    )
    doc = (
        f"{TCX_HEAD}<Activities><Activity Sport='Running'><Id>2021-06-01T06:00:00Z</Id>"
        f"<Lap StartTime='2021-06-01T06:00:00Z'><Track>{pts}</Track></Lap>"
        f"<Notes>{'x' * 10_000_000}</Notes></Activity></Activities></TrainingCenterDatabase>"
    )
    (a,) = parse_bytes("n.tcx", doc.encode()).activities
    assert a.title is not None and len(a.title) <= 200


def test_deep_nesting_in_extensions() -> None:
    deep = "<x>" * 5000 + "</x>" * 5000
    pts = [gpt(i).replace("</trkpt>", f"<extensions>{deep}</extensions></trkpt>") for i in range(3)]
    assert len(parse_bytes("d.gpx", gpx_doc(pts)).activities) == 1


# --- property tests: any input gives a ParseResult or an InputError ----------------------------


@contextmanager
def fast_path_only() -> Iterator[None]:
    """Fail instead of falling back to gpxpy, so a fast-path bug cannot hide behind it."""

    def no_fallback(*_a: object) -> None:
        raise AssertionError("the fast GPX reader raised an unexpected exception")

    with mock.patch("cramplog.ingest.gpx_reference.read_gpxpy", no_fallback):
        yield


def check(name: str, data: bytes) -> None:
    try:
        r = parse_bytes(name, data)
    except InputError as exc:
        assert str(exc)
        return
    assert isinstance(r, ParseResult)
    for a in r.activities:
        assert a.start.tzinfo is not None
        if a.stream is not None:
            assert len(a.stream.t_s) >= 1 and np.all(np.diff(a.stream.t_s) >= 0)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2000), ext=st.sampled_from([".gpx", ".tcx"]))
def test_any_bytes(data: bytes, ext: str) -> None:
    with fast_path_only():
        check("f" + ext, data)


XMLISH = st.lists(
    st.sampled_from(
        ["<gpx>", "</gpx>", "<trk>", "</trk>", "<trkseg>", "<trkpt lat='1' lon='2'>", "</trkpt>",
         "<time>2021-06-01T06:00:00Z</time>", "<time>1901-12-13T20:45:52Z</time>", "<ele>5</ele>",
         "<hr>0</hr>", "<name>", "</name>", "<type>9</type>", "<Activity Sport='Biking'>",
         "</Activity>", "<Trackpoint>", "</Trackpoint>", "<Time>2021-06-01T06:00:01Z</Time>",
         "<Lap>", "</Lap>", "<DistanceMeters>-1</DistanceMeters>", "<Value>1e999</Value>",
         "&amp;", "&bogus;", "<![CDATA[x]]>", "<!-- c -->", "\ufeff", "\x00"]
    ),
    max_size=60,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(parts=XMLISH, ext=st.sampled_from([".gpx", ".tcx"]))
def test_xml_like_soup(parts: list[str], ext: str) -> None:
    with fast_path_only():
        check("f" + ext, "".join(parts).encode("utf-8"))


REAL_SMALL = [
    p for p in realdata_files("gpx", "*.gpx") + realdata_files("tcx", "*.tcx")
    if p.stat().st_size < 60_000
]  # fmt: skip


@pytest.mark.realdata
@pytest.mark.skipif(not REAL_SMALL, reason="realdata absent")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    index=st.integers(min_value=0),
    edits=st.lists(
        st.tuples(st.sampled_from(["flip", "cut", "insert", "delete"]), st.floats(0, 1),
                  st.binary(min_size=1, max_size=8)),
        min_size=1, max_size=6,
    ),
)  # fmt: skip
def test_mutated_real_files(index: int, edits: list[tuple[str, float, bytes]]) -> None:
    path: Path = REAL_SMALL[index % len(REAL_SMALL)]
    data = bytearray(path.read_bytes())
    for op, where, blob in edits:
        i = int(where * max(len(data) - 1, 0))
        if op == "flip" and data:
            data[i] ^= blob[0] or 1
        elif op == "cut":
            del data[i:]
        elif op == "insert":
            data[i:i] = blob
        elif op == "delete":
            del data[i : i + len(blob)]
    with fast_path_only():
        check(path.name, bytes(data))
