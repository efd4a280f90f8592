"""gpx_bulk, the bulk GPX point scanner: exactly the tracks ``read_tracks`` reads, or no answer.

Every comparison is between the scanner and the element reader (``gpx_elements.read_tracks``) on
the same text (samples), or between
``parse_gpx`` with the scanner on and off (activities, streams and warnings).
"""

from __future__ import annotations

import math
import time
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
from conftest import realdata_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cramplog.errors import InputError
from cramplog.ingest import gpx_bulk, gpx_columns, gpx_elements
from cramplog.ingest.gpx import parse_gpx
from cramplog.ingest.track_samples import Samples, parse_time
from cramplog.ingest.xmlsafe import decode_xml
from cramplog.model import Activity, ParseResult
from cramplog.samplegen.gpxwriter import strava_gpx

REPO = Path(__file__).resolve().parent.parent
SAMPLE_GPX = sorted((REPO / "sample_logs").rglob("strava/*.gpx"))  # not the goal course
REAL_GPX = realdata_files("gpx", "*.gpx")
FIXTURES = sorted((Path(__file__).parent / "fixtures" / "gpx").glob("*.gpx"))
KEYS = ("t", "lat", "lon", "ele", "hr", "cad", "temp", "speed", "dist")


def assert_same_samples(got: list[Samples], want: list[Samples]) -> None:
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        for key in KEYS:
            x, y = getattr(a, key), getattr(b, key)
            assert len(x) == len(y), key
            np.testing.assert_array_equal(np.array(x, float), np.array(y, float), err_msg=key)
        assert (a.offset, a.bad_times, a.sport, a.title) == (
            b.offset,
            b.bad_times,
            b.sport,
            b.title,
        )


def read_fast(text: str) -> list[Samples] | str:
    """``read_tracks``'s tracks, or its error message."""
    try:
        return gpx_elements.read_tracks(text, "a.gpx", [])
    except InputError as exc:
        return str(exc)


def check_scan(text: str) -> list[Samples] | None:
    """The scanner's answer; when it gives one, it is ``read_tracks``'s."""
    got = gpx_bulk.scan(text)
    if got is not None:
        want = read_fast(text)
        assert not isinstance(want, str), want
        warnings: list[str] = []
        gpx_elements.read_tracks(text, "a.gpx", warnings)
        assert not warnings  # a damaged file is never the scanner's
        assert_same_samples(got, want)
    return got


def assert_scans_every_point(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scanner answers without leaving a single point to ``read_point``."""

    def no_slow_points(*_args: object) -> None:
        raise AssertionError("a point was left to read_point")

    with monkeypatch.context() as m:
        m.setattr(gpx_elements, "read_point", no_slow_points)
        assert gpx_bulk.scan(text) is not None


def assert_same_value(x: object, y: object) -> None:
    if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
        return
    assert x == y


def assert_same_activities(got: list[Activity], want: list[Activity]) -> None:
    assert len(got) == len(want)
    for a, b in zip(got, want, strict=True):
        for f in fields(Activity):
            if f.name != "stream":
                assert_same_value(getattr(a, f.name), getattr(b, f.name))
        assert (a.stream is None) == (b.stream is None)
        if a.stream is not None and b.stream is not None:
            for f in fields(a.stream):
                x, y = getattr(a.stream, f.name), getattr(b.stream, f.name)
                assert (x is None) == (y is None), f.name
                if x is not None:
                    np.testing.assert_array_equal(x, y, err_msg=f.name)


def parse(data: bytes, name: str) -> ParseResult | str:
    try:
        return parse_gpx(data, name)
    except InputError as exc:
        return str(exc)


def assert_scanner_changes_nothing(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """``parse_gpx`` with the scanners and with ``read_tracks`` alone: the same, warnings too."""
    on = parse(data, "a.gpx")
    with monkeypatch.context() as m:
        m.setattr(gpx_bulk, "scan", lambda _text: None)
        m.setattr(gpx_columns, "scan", lambda _data, _text: None)
        off = parse(data, "a.gpx")
    if isinstance(on, str) or isinstance(off, str):
        assert on == off
        return
    assert on.warnings == off.warnings
    assert_same_activities(on.activities, off.activities)


def strava_file(n: int = 600, seed: int = 0, name: str = "Morning Run") -> bytes:
    rng = np.random.default_rng(seed)
    t = 1_717_225_200 + np.cumsum(rng.integers(1, 4, n))
    return strava_gpx(
        name=name,
        t=t,
        lat=46.05 + np.cumsum(rng.normal(0, 2e-5, n)),
        lon=14.5 + np.cumsum(rng.normal(0, 2e-5, n)),
        ele=300 + np.cumsum(rng.normal(0, 0.3, n)),
        hr=rng.integers(90, 185, n),
        cad=rng.integers(75, 95, n),
        temp=rng.integers(5, 30, n),
    )


def text_of(data: bytes) -> str:
    return decode_xml(data, "a.gpx", "GPX")


# --- the files it is for ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_strava_files_are_scanned_whole(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    data = strava_file(seed=seed, name="Lunch Run & <Hills>")
    text = text_of(data)
    assert_scans_every_point(text, monkeypatch)
    got = check_scan(text)
    assert got is not None and len(got[0]) == 600 and got[0].title == "Lunch Run & <Hills>"
    assert_scanner_changes_nothing(data, monkeypatch)


@pytest.mark.parametrize("path", SAMPLE_GPX, ids=lambda p: p.name)
def test_sample_logs(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    assert check_scan(text_of(data)) is not None
    assert_scanner_changes_nothing(data, monkeypatch)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixtures(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    check_scan(text_of(data))
    assert_scanner_changes_nothing(data, monkeypatch)


SCANNED_WHOLE = {  # real files whose every point the scanner reads itself
    "GoldenCheeta_GoldenCheetah__1292585194-20906.gpx",
    "GoldenCheeta_GoldenCheetah__Move_2014_01_17_09_33_11.gpx",
    "GoldenCheeta_sweatpy__4078723797_strava.gpx",
    "GoldenCheeta_sweatpy__4801048867_strava.gpx",
    "GoldenCheeta_sweatpy__activity_4078723797.gpx",
    "GoldenCheeta_sweatpy__activity_4801048867.gpx",
}


@pytest.mark.realdata
@pytest.mark.parametrize("path", REAL_GPX, ids=lambda p: p.name)
def test_real_files(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    try:
        text = text_of(data)
    except InputError:
        return
    check_scan(text)
    if path.name in SCANNED_WHOLE:
        assert_scans_every_point(text, monkeypatch)
    assert_scanner_changes_nothing(data, monkeypatch)


# --- what it leaves to read_tracks -------------------------------------------------------------

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
)


def point(i: int, inner: str = "") -> str:
    """A Garmin-style point (or one with ``inner`` as its children) at 46.00ii N 14 E."""
    ext = f"<gpxtpx:hr>{120 + i % 40}</gpxtpx:hr>"
    body = inner or (
        f"<ele>{300 + i * 0.1:.1f}</ele><time>2021-06-01T06:00:{i % 60:02d}Z</time>"
        f"<extensions><gpxtpx:TrackPointExtension>{ext}</gpxtpx:TrackPointExtension></extensions>"
    )
    return f'<trkpt lat="{46 + i * 1e-4:.4f}" lon="14.0">\n  {body}\n</trkpt>\n'


def doc(points: str, head: str = "<name>Run</name><type>running</type>", extra: str = "") -> str:
    return f"{HEAD}{extra}<trk>{head}<trkseg>\n{points}</trkseg></trk>\n</gpx>\n"


PTS = "".join(point(i) for i in range(30))
CASES = {
    "cdata-in-name": doc(PTS, head="<name><![CDATA[Run <fast> & far]]></name>"),
    "cdata-in-point": doc(PTS + point(31, "<time><![CDATA[2021-06-01T06:00:31Z]]></time>")),
    "cdata-around-points": doc(f"<name><![CDATA[{PTS}]]></name>{PTS}"),
    "comment-in-point": doc(PTS + point(31, "<time>2021-06-01T06:00:31Z</time><!-- x -->")),
    "comment-around-points": doc(PTS.replace(point(3), f"<!-- {point(3)} -->")),
    "comment-in-head": doc(PTS).replace("<gpx ", "<!-- made by hand -->\n<gpx ", 1),
    "pi-around-points": doc(f"<?keep {point(40)} ?>{PTS}"),
    "amp-in-name": doc(PTS, head="<name>Run &amp; swim &#233;</name>"),
    "entity-in-point": doc(PTS + point(31, "<ele>1&#48;</ele><time>2021-06-01T06:00:31Z</time>")),
    "no-lat": doc(PTS + '<trkpt lon="14"><time>2021-06-01T06:00:40Z</time></trkpt>\n'),
    "bad-lon": doc(PTS + point(31).replace('lon="14.0"', 'lon="east"')),
    "bad-lat": doc(PTS + point(31).replace('lat="46.0031"', 'lat="north"')),
    "nan-lat": doc(PTS + point(31).replace('lat="46.0031"', 'lat="nan"')),
    "self-closing": doc(PTS + '<trkpt lat="46.1" lon="14.1"/>\n'),
    "two-tracks": doc(PTS, extra=f"<trk><name>Warm-up</name><trkseg>{PTS}</trkseg></trk>"),
    "wpt-rte-first": doc(
        PTS,
        extra='<wpt lat="1" lon="2"><name>Start</name></wpt>'
        '<rte><name>Plan</name><type>cycling</type><rtept lat="1" lon="2"/></rte>',
    ),
    "metadata-name": doc(PTS, head="", extra="<metadata><name>Export</name></metadata>"),
    "name-after-points": f"{HEAD}<trk><trkseg>{PTS}</trkseg><name>Late</name></trk></gpx>",
    "points-outside-trk": f"{HEAD}<trk><trkseg>{PTS}</trkseg></trk>{PTS}</gpx>",
    "repeated-value": doc(
        PTS + point(31, "<ele>1</ele><ele>2</ele><time>2021-06-01T06:00:31Z</time>")
    ),
    "repeated-hr": doc(
        "".join(
            point(
                i,
                f"<hr>{i}</hr><time>2021-06-01T06:00:{i:02d}Z</time><extensions>"
                f"<gpxtpx:hr>{100 + i}</gpxtpx:hr></extensions><heartrate>{i % 3 or ''}</heartrate>",
            )
            for i in range(20)
        )
    ),
    "ele-in-extensions": doc(
        "".join(
            point(
                i,
                f"<time>2021-06-01T06:00:{i:02d}Z</time><extensions><ele>9</ele>"
                f"<x><gpxtpx:hr>{100 + i}</gpxtpx:hr></x></extensions><y><hr>1</hr></y>",
            )
            for i in range(20)
        )
    ),
    "value-with-children": doc(
        "".join(
            point(i, f"<time>2021-06-01T06:00:{i:02d}Z</time><ele>5<b>1</b></ele>")
            for i in range(5)
        )
    ),
    "nested-point": doc(
        PTS + point(31, f"<foo>{point(32)}</foo><time>2021-06-01T06:00:31Z</time>")
    ),
    "name-in-point": doc(point(0, "<name>P</name><time>2021-06-01T06:00:00Z</time>") + PTS),
    "prefixed-namespaces": (
        '<?xml version="1.0"?><g:gpx xmlns:g="http://www.topografix.com/GPX/1/0" '
        'xmlns:h="http://www.topografix.com/GPX/1/1" xmlns:x="urn:x"><g:trk><h:name>Mix</h:name>'
        "<g:trkseg>"
        + "".join(
            f'<g:trkpt lat="46.{i}" lon="14"><g:time>2021-06-01T06:00:{i:02d}Z</g:time></g:trkpt>'
            f'<trkpt lat="46.{i}5" lon="14"><h:time>2021-06-01T06:00:{i:02d}.5Z</h:time>'
            f"<h:extensions><x:hr>{90 + i}</x:hr></h:extensions></trkpt>"
            for i in range(20)
        )
        + "</g:trkseg></g:trk></g:gpx>"
    ),
    "prefix-declared-on-trk": (
        '<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk xmlns:p="urn:p"><trkseg>'
        + "".join(
            point(i, f"<time>2021-06-01T06:00:{i:02d}Z</time><p:hr>1</p:hr>") for i in range(9)
        )
        + "</trkseg></trk></gpx>"
    ),
    "unbound-prefix": doc(PTS + point(31, "<q:hr>1</q:hr><time>2021-06-01T06:00:31Z</time>")),
    "v10-and-v11": doc(PTS.replace("<ele>", '<ele xmlns="http://www.topografix.com/GPX/1/0">')),
    "times-mixed": doc(
        "".join(
            point(i, f"<time>{tm}</time>")
            for i, tm in enumerate(
                [
                    "2021-06-01T08:00:00+02:00",
                    "2021-06-01T06:00:01.25Z",
                    " 2021-06-01T06:00:02Z ",
                    "2021-06-01T06:00:03",
                    "1901-12-13T20:45:52Z",
                    "2021-02-30T00:00:00Z",
                    "",
                    "soon",
                    "2021-06-01t06:00:04z",
                    "2021-06-01T06:00:05,5Z",
                    "2021-06-01T01:00:06-05",
                    "2021-06-01T06:00:07.1234567891234Z",
                    "2021-06-01T06:00:60Z",
                ]
            )
        )
    ),
    "crlf": doc(PTS.replace("\n", "\r\n")).replace("\n", "\r\n"),
    "single-quotes-lon-first": doc(
        "".join(
            f"<trkpt lon='14'\tlat = '{46 + i * 1e-4:.4f}' ><time>2021-06-01T06:00:{i:02d}Z"
            "</time ></trkpt >"
            for i in range(20)
        )
    ),
    "truncated": doc(PTS)[: len(doc(PTS)) * 2 // 3],
    "truncated-after-a-point": doc(PTS)[: doc(PTS).index("</trkpt>", 3000) + 9],
    "junk-after-point": doc(PTS.replace("</trkpt>\n", "</trkpt>\x01", 1)),
    "illegal-char-in-value": doc(PTS + point(31, "<ele>1\x0c</ele>")),
    "no-trk": f"{HEAD}<trkseg>{PTS}</trkseg></gpx>",
    "deep-extensions": doc(
        "".join(
            point(i, "<extensions>" + "<x>" * 80 + "</x>" * 80 + "</extensions>") for i in range(3)
        )
    ),
}
# The scanner gives no answer for these (the caller reads them with read_tracks alone): points
# in a comment, CDATA section or processing instruction, a readable lat with an unreadable lon,
# damage anywhere, no point of a plain shape. For every other case it answers, reading the
# points it understands and leaving the others in the text read_tracks reads.
NO_ANSWER = {"cdata-around-points", "comment-around-points", "pi-around-points", "bad-lon",
             "truncated", "truncated-after-a-point", "junk-after-point", "illegal-char-in-value",
             "unbound-prefix", "deep-extensions", "value-with-children", "v10-and-v11"}  # fmt: skip


@pytest.mark.parametrize("label", sorted(CASES))
def test_hand_written_cases(label: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = CASES[label]
    got = check_scan(text)
    assert (got is None) == (label in NO_ANSWER)
    assert_scanner_changes_nothing(text.encode(), monkeypatch)


def test_pathological_inputs_stay_linear() -> None:
    big = 2_000_000
    docs = [
        doc(point(0) + '<trkpt lat="1" lon="2">' + "1" * big + "</trkpt>"),
        doc(point(0) + '<trkpt lat="1" lon="2"><ele>' + " " * big + "x</ele></trkpt>"),
        doc(point(0) + " " * big + point(1) + "<trkpt " * (big // 10)),
        doc(point(0) + '<trkpt lat="1" lon="2">' + "<a>" * 60 + "1" * big),
        doc(point(0) + "<!--" + "<trkpt " * (big // 10)),
    ]
    for text in docs:
        t0 = time.perf_counter()
        check_scan(text)
        assert time.perf_counter() - t0 < 5


# --- times and numbers -------------------------------------------------------------------------

TIMES = [
    "2021-06-01T06:00:00Z", "2000-02-29T12:00:00Z", "2100-02-29T12:00:00Z", "1996-02-29T00:00:00Z",
    "1990-01-01T00:00:00Z", "1989-12-31T23:59:59Z", "2100-12-31T23:59:60Z", "2101-01-01T00:00:00Z",
    "2021-13-01T00:00:00Z", "2021-00-10T00:00:00Z", "2021-04-31T00:00:00Z", "2021-06-00T00:00:00Z",
    "2021-06-01T24:00:00Z", "2021-06-01T23:60:00Z", "2021-06-01T23:59:61Z", "2021-06-01X06:00:00Z",
    "2021-06-01T06:00:00.1Z", "2021-06-01T06:00:00.123Z", "2021-06-01T06:00:00.999999999Z",
    "2021-06-01T06:00:00.000Z", "2021-06-01T06:00:00.2073437Z", "2021-06-01T06:00:00.1234567891Z",
    "2021-06-01T06:00:00,5Z", "2021-06-01T06:00:00.Z", "2021-06-01T06:00:00.12aZ",
    "２021-06-01T06:00:00Z", "2021-06-01T06:00:00+01:00", "2021-06-01T06:00:00.5-0130",
]  # fmt: skip


def test_times_match_parse_time() -> None:
    rng = np.random.default_rng(1)
    texts = TIMES + [
        f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{frac}Z"
        for y, m, d, h, mi, s, frac in zip(
            rng.integers(1985, 2106, 3000), rng.integers(0, 14, 3000), rng.integers(0, 33, 3000),
            rng.integers(0, 25, 3000), rng.integers(0, 61, 3000), rng.integers(0, 62, 3000),
            [("." + str(rng.integers(0, 10**9)).zfill(k))[: k + 1] if k else "" for k in
             rng.integers(0, 11, 3000)],
            strict=True,
        )
    ]  # fmt: skip
    t, offsets, bad = gpx_bulk._times(texts, len(texts))
    parsed = [parse_time(s) for s in texts]
    want = [np.nan if p is None else p[0] for p in parsed]
    np.testing.assert_array_equal(np.array(t), np.array(want))
    assert offsets == [(i, p[1]) for i, p in enumerate(parsed) if p and p[1] is not None]
    assert bad.tolist() == [
        p is None and bool(s.strip()) for p, s in zip(parsed, texts, strict=True)
    ]


# --- generated documents ----------------------------------------------------------------------

WS = st.sampled_from(["", "\n", "\n   ", "\r\n  ", "\t", " "])
NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-1000, 1000).map(str),
    st.sampled_from(["", " 12 ", "+1", "-0", "nan", "inf", "-Infinity", "1e400", "1.5e-3", "abc",
                     "1,5", "1.2.3", " ", "0x10", "\r\n7\n"]),
)  # fmt: skip
# in most documents readable (a readable lat with an unreadable lon is a file the scanner
# leaves alone)
POSITION = st.floats(-180, 180).map(repr)
TIME = st.one_of(
    st.builds(
        lambda y, mo, d, h, mi, s, frac, zone, sep, pad: (
            f"{pad}{y:04d}-{mo:02d}-{d:02d}{sep}{h:02d}:{mi:02d}:{s:02d}{frac}{zone}{pad}"
        ),
        st.integers(1985, 2105), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25),
        st.integers(0, 60), st.integers(0, 61),
        st.one_of(st.just(""), st.from_regex(r"[.,][0-9]{1,12}", fullmatch=True)),
        st.sampled_from(["Z", "Z", "Z", "", "z", "+02:00", "-0530", "+15:00", "-03", "+01:75"]),
        st.sampled_from(["T", "T", "T", " ", "t"]), st.sampled_from(["", "", " ", "\n"]),
    ),
    st.sampled_from(["", "yesterday", "2021-06-01", " "]),
)  # fmt: skip
PREFIX = st.sampled_from(["gpxtpx:", "ns3:", "", "gpxdata:"])
CHANNEL = st.sampled_from(["hr", "heartrate", "cad", "cadence", "atemp", "temp", "temperature",
                           "speed", "power", "ele", "time"])  # fmt: skip


@st.composite
def point_shapes(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    """Children of a point: (where, prefix, local name); where is direct, ext or tpe."""
    shape = []
    if draw(st.booleans()):
        shape.append(("direct", "", "ele"))
    if draw(st.integers(0, 9)):
        shape.append(("direct", "", "time"))
    for _ in range(draw(st.integers(0, 4))):
        where = draw(st.sampled_from(["direct", "ext", "tpe", "tpe"]))
        shape.append((where, draw(PREFIX), draw(CHANNEL)))
    return shape


@st.composite
def gpx_documents(draw: st.DrawFn) -> str:
    shapes = draw(st.lists(point_shapes(), min_size=1, max_size=3))
    ws = draw(WS)
    lat_first = draw(st.booleans())
    quote = draw(st.sampled_from(['"', "'"]))
    position = NUMBER if draw(st.integers(0, 4)) == 0 else POSITION

    def one_point() -> str:
        shape = shapes[draw(st.integers(0, len(shapes) - 1))]
        lat, lon = draw(position), draw(position)
        attrs = [f"lat={quote}{lat}{quote}", f"lon={quote}{lon}{quote}"]
        if not lat_first:
            attrs.reverse()
        direct, ext, tpe = [], [], []
        for where, prefix, name in shape:
            value = draw(TIME) if name == "time" else draw(NUMBER)
            leaf = f"<{prefix}{name}>{value}</{prefix}{name}>"
            {"direct": direct, "ext": ext, "tpe": tpe}[where].append(leaf)
        if tpe:
            ext.append(f"<gpxtpx:TrackPointExtension>{ws.join(tpe)}</gpxtpx:TrackPointExtension>")
        if ext:
            direct.append(f"<extensions>{ws.join(ext)}</extensions>")
        return f"<trkpt {' '.join(attrs)}>{ws}{ws.join(direct)}{ws}</trkpt>{ws}"

    tracks = []
    for _ in range(draw(st.integers(1, 3))):
        head = draw(st.sampled_from(["", "<name>Run</name>", "<name>Ride</name><type>1</type>"]))
        segs = [
            "<trkseg>" + ws + "".join(one_point() for _ in range(draw(st.integers(0, 8))))
            + "</trkseg>"
            for _ in range(draw(st.integers(1, 2)))
        ]  # fmt: skip
        tracks.append(f"<trk>{head}{ws.join(segs)}</trk>")
    return (
        '<?xml version="1.0"?>\n<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="urn:tpx" xmlns:ns3="urn:tpx" xmlns:gpxdata="urn:gd">'
        + ws + ws.join(tracks) + ws + "</gpx>"
    )  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=gpx_documents())
def test_generated_documents(text: str) -> None:
    check_scan(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=gpx_documents(), cut=st.floats(0, 1))
def test_generated_documents_cut_short(text: str, cut: float) -> None:
    check_scan(text[: int(len(text) * cut)])


NOISE = ["<!--", "-->", "<!-- c -->", "<![CDATA[", "]]>", "<![CDATA[x]]>", "&amp;", "&#49;",
         "<?pi x?>", "<x/>", "<hr>5</hr>", "<time>2021-06-01T06:00:00Z</time>", "</trkpt>",
         '<trkpt lat="1" lon="2">', "<trkpt lat='1' lon='2'/>", "</trkseg>", "<trk>",
         "<name>N</name>", "</gpx>", "\x0c", "\u00e9", "--", "<", ">", '"', "xmlns:q='urn:q'"]  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=gpx_documents(),
    edits=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(NOISE)), min_size=1, max_size=3),
)
def test_generated_documents_with_noise(text: str, edits: list[tuple[float, str]]) -> None:
    for where, fragment in edits:
        i = int(where * len(text))
        text = text[:i] + fragment + text[i:]
    check_scan(text)
