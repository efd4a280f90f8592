"""Goal course files: reading (GPX track and route, TCX, FIT course), the course numbers
against hand-built profiles, and against the same file read as a session."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from conftest import realdata_files

from cramplog.errors import InputError
from cramplog.features.course import course_stats, effort_km
from cramplog.ingest.course import read_course

SAMPLE = Path(__file__).resolve().parent.parent / "sample_logs"
M_PER_DEG = 111_320.0  # metres per degree of latitude, near enough for a north-south line


def north_line(elev: list[float], step_m: float = 10.0) -> tuple[list[float], list[float]]:
    """Points every ``step_m`` metres due north from 45° N (lat, lon)."""
    lat = [45.0 + i * step_m / M_PER_DEG for i in range(len(elev))]
    return lat, [7.0] * len(elev)


def gpx(lat: list[float], lon: list[float], ele: list[float] | None, tag: str = "trk") -> bytes:
    pt = "trkpt" if tag == "trk" else "rtept"
    rows = []
    for i, (a, b) in enumerate(zip(lat, lon, strict=True)):
        z = f"<ele>{ele[i]:.2f}</ele>" if ele is not None else ""
        rows.append(f'<{pt} lat="{a:.8f}" lon="{b:.8f}">{z}</{pt}>')
    body = "".join(rows)
    inner = f"<trk><trkseg>{body}</trkseg></trk>" if tag == "trk" else f"<rte>{body}</rte>"
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="t" '
        f'xmlns="http://www.topografix.com/GPX/1/1">{inner}</gpx>'
    ).encode()


def write(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


def stats_of(path: Path):  # type: ignore[no-untyped-def]
    track = read_course(path)
    return course_stats(track.stream, str(path))


# -- hand-built profiles -------------------------------------------------------------------


def ramp() -> list[float]:
    """5 km falling 12 % (600 m), a point every 10 m."""
    return [1000.0 - 0.12 * 10.0 * i for i in range(501)]


def test_ramp_route_without_times(tmp_path: Path) -> None:
    lat, lon = north_line(ramp())
    c = stats_of(write(tmp_path, "ramp.gpx", gpx(lat, lon, ramp(), "rte")))
    # 5 km by the meridian arc: within 0.5 % of the spherical length (hand formula)
    assert c.distance_m == pytest.approx(5000.0, rel=0.005)
    # 600 m of drop, totalled over the points with the 3 m dead band: all of it
    assert c.descent_m == pytest.approx(600.0, abs=0.01)
    assert c.ascent_m == pytest.approx(0.0, abs=0.01)
    # every 50 m segment is at −12 %, except the smoothed ends (< 0.1 km)
    assert c.e10_km == pytest.approx(5.0, abs=0.1)
    assert c.e15_km == 0.0
    assert c.longest_descent_m == pytest.approx(600.0, abs=3.0)
    assert c.longest_descent_km == pytest.approx(5.0, abs=0.1)
    # the profile: one point every 250 m, first at the top, last at the bottom
    assert len(c.profile) == 21
    assert c.profile[0][1] > c.profile[-1][1] + 590


def test_route_and_track_agree(tmp_path: Path) -> None:
    lat, lon = north_line(ramp())
    a = stats_of(write(tmp_path, "r.gpx", gpx(lat, lon, ramp(), "rte")))
    b = stats_of(write(tmp_path, "t.gpx", gpx(lat, lon, ramp(), "trk")))
    assert a.to_dict() | {"file": ""} == b.to_dict() | {"file": ""}


def saw() -> list[float]:
    """Ten teeth: 1 km down at −20 % then 1 km up at +20 %, a point every 10 m."""
    out = []
    for i in range(2001):
        pos = (i * 10.0) % 2000.0
        out.append(1200.0 - 0.2 * pos if pos <= 1000.0 else 1000.0 + 0.2 * (pos - 1000.0))
    return out


def test_saw_tooth(tmp_path: Path) -> None:
    z = saw()
    lat, lon = north_line(z)
    c = stats_of(write(tmp_path, "saw.gpx", gpx(lat, lon, z)))
    # 10 drops and 10 climbs of 200 m over the points
    assert c.descent_m == pytest.approx(2000.0, abs=0.01)
    assert c.ascent_m == pytest.approx(2000.0, abs=0.01)
    # half the course falls at 20 %: about 10 km at ≤ −15 % (and so at ≤ −10 %)
    assert c.e15_km == pytest.approx(10.0, abs=0.6)
    assert c.e10_km == pytest.approx(c.e15_km, abs=0.3)
    # the longest drop is read off the 70 m (7-point) moving average: a trough rises by
    # 2 m × (3+2+1+0+1+2+3) / 7 = 24/7 m; the first drop starts at the course's first point,
    # padded with its own value, so it loses only 2 m × (1+2+3) / 7 = 12/7 m at the top —
    # the longest of the ten
    # (the points are 10 m apart by 111,320 m a degree, a little off the geodesic: ±0.1 m)
    assert c.longest_descent_m == pytest.approx(200 - 12 / 7 - 24 / 7, abs=0.1)
    assert c.longest_descent_km == pytest.approx(1.0, abs=0.1)


def test_no_elevation_gives_distance_only(tmp_path: Path) -> None:
    lat, lon = north_line([0.0] * 301)
    c = stats_of(write(tmp_path, "flat.gpx", gpx(lat, lon, None, "rte")))
    assert c.has_elevation is False
    assert c.distance_m == pytest.approx(3000.0, rel=0.005)
    assert c.descent_m is None and c.e10_km is None
    assert c.to_dict()["descent_m"] is None


def test_tcx_course(tmp_path: Path) -> None:
    z = ramp()
    pts = "".join(
        f"<Trackpoint><Position><LatitudeDegrees>{45 + i * 10 / M_PER_DEG:.8f}</LatitudeDegrees>"
        f"<LongitudeDegrees>7.0</LongitudeDegrees></Position>"
        f"<AltitudeMeters>{v:.2f}</AltitudeMeters><DistanceMeters>{i * 10.0}</DistanceMeters>"
        "</Trackpoint>"
        for i, v in enumerate(z)
    )
    doc = (
        '<?xml version="1.0"?><TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Courses><Course>'
        f"<Name>ramp</Name><Track>{pts}</Track></Course></Courses></TrainingCenterDatabase>"
    )
    c = stats_of(write(tmp_path, "ramp.tcx", doc.encode()))
    # the file's distance channel is used: exactly 5000 m
    assert c.distance_m == pytest.approx(5000.0, abs=1e-6)
    assert c.descent_m == pytest.approx(600.0, abs=0.01)
    assert c.e10_km == pytest.approx(5.0, abs=0.1)


def fit_course(z: list[float], *, with_alt: bool = True) -> bytes:
    from cramplog.samplegen.fitwriter import Field, FitWriter

    w = FitWriter()
    w.define(0, 0, [Field(0, "enum"), Field(1, "uint16"), Field(2, "uint16")])  # file_id
    w.message(0, {0: 6, 1: 255, 2: 0})  # type 6 = course
    w.define(
        1, 20, [Field(0, "sint32"), Field(1, "sint32"), Field(5, "uint32"), Field(2, "uint16")]
    )
    n = len(z)
    lat = 45.0 + np.arange(n) * 10.0 / M_PER_DEG
    w.messages(
        1,
        {
            0: np.round(lat * 2**31 / 180).astype(np.int64),
            1: np.full(n, round(7.0 * 2**31 / 180)),
            5: np.arange(n) * 1000,  # distance, 10 m steps, scale 100
            2: np.round((np.asarray(z) + 500) * 5).astype(np.int64)
            if with_alt
            else np.full(n, 0xFFFF),
        },
    )  # records without timestamps: a course
    return w.to_bytes()


def test_fit_course_without_timestamps(tmp_path: Path) -> None:
    c = stats_of(write(tmp_path, "ramp.fit", fit_course(ramp())))
    assert c.distance_m == pytest.approx(5000.0, abs=1e-6)
    assert c.descent_m == pytest.approx(600.0, abs=0.05)  # FIT altitude: 0.2 m steps
    assert c.e10_km == pytest.approx(5.0, abs=0.1)
    assert c.e15_km == 0.0


def test_fit_course_without_altitude(tmp_path: Path) -> None:
    c = stats_of(write(tmp_path, "flat.fit", fit_course(ramp(), with_alt=False)))
    assert c.has_elevation is False and c.distance_m == pytest.approx(5000.0, abs=1e-6)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("gone.gpx", None, "cannot read"),
        ("empty.gpx", b"", "empty"),
        ("bad.gpx", b"<gpx><trk><trkseg><trkpt", "not well-formed"),
        ("nothing.gpx", b'<gpx version="1.1"><wpt lat="1" lon="2"/></gpx>', "no track, route"),
        ("bad.fit", b"not a fit file at all", "not a FIT file"),
        ("ride.csv", b"a,b\n", "not a .gpx, .tcx or .fit"),
    ],
)
def test_unreadable_course_names_the_path(
    tmp_path: Path, name: str, data: bytes | None, words: str
) -> None:
    p = tmp_path / name
    if data is not None:
        p.write_bytes(data)
    with pytest.raises(InputError) as exc:
        read_course(p)
    assert str(p) in str(exc.value) and words in str(exc.value)


# -- the same file as a course and as a session ----------------------------------------------


def session_features(path: Path):  # type: ignore[no-untyped-def]
    from cramplog.features.compute import HrBounds, compute_features
    from cramplog.ingest.read import parse_bytes
    from cramplog.model import Profile

    act = parse_bytes(path.name, path.read_bytes()).activities[0]
    return act, compute_features(act, Profile(name="x"), HrBounds(None, None, False, ""))


def test_timed_track_as_course_equals_session(tmp_path: Path) -> None:
    """A recorded GPX track (times, noise) read as a session and as a course: every number
    the two share is the same; the times are ignored by the course reader."""
    rng = np.random.default_rng(7)
    z = np.array(saw()[:1201]) + rng.normal(0, 1.5, 1201)  # 12 km of saw-tooth, GPS noise
    lat, lon = north_line(list(z))
    pts = "".join(
        f'<trkpt lat="{a:.8f}" lon="{b:.8f}"><ele>{e:.2f}</ele>'
        f"<time>2026-05-01T08:{i // 60 // 60:02d}:{i // 60 % 60:02d}Z</time></trkpt>".replace(
            f"08:{i // 60 // 60:02d}:{i // 60 % 60:02d}Z",
            f"{8 + i * 3 // 3600:02d}:{i * 3 // 60 % 60:02d}:{i * 3 % 60:02d}Z",
        )
        for i, (a, b, e) in enumerate(zip(lat, lon, z, strict=True))
    )
    doc = (
        '<?xml version="1.0"?><gpx version="1.1" creator="t" '
        f'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>{pts}'
        "</trkseg></trk></gpx>"
    )
    path = write(tmp_path, "hills.gpx", doc.encode())
    _, f = session_features(path)
    c = stats_of(path)
    assert f.e10_km > 4  # type: ignore[operator]
    assert c.distance_m == pytest.approx(f.distance_m, abs=1e-6)
    assert c.descent_m == pytest.approx(f.descent_m, abs=1e-6)
    assert c.ascent_m == pytest.approx(f.ascent_m, abs=1e-6)
    assert c.e10_km == pytest.approx(f.e10_km, abs=1e-9)
    assert c.e15_km == pytest.approx(f.e15_km, abs=1e-9)
    assert c.longest_descent_m == pytest.approx(f.longest_descent_m, abs=1e-6)


def test_sample_fit_as_course_equals_session() -> None:
    """Watch files of the sample read as courses: E10, E15 and the longest descent equal the
    session's (a session's ascent and descent are the watch's own totals; a course has none)."""
    picked = 0
    for path in sorted((SAMPLE / "alex" / "fit").glob("*.fit")):
        _, f = session_features(path)
        if f.e10_km is None or f.e10_km < 1:
            continue
        c = stats_of(path)
        assert c.e10_km == pytest.approx(f.e10_km, abs=1e-9)
        assert c.e15_km == pytest.approx(f.e15_km, abs=1e-9)
        assert c.longest_descent_m == pytest.approx(f.longest_descent_m, abs=1e-6)
        assert c.descent_m == pytest.approx(f.descent_m, rel=0.10)
        picked += 1
        if picked == 3:
            break
    assert picked == 3


def test_effort_km_is_itra() -> None:
    assert effort_km(50.0, 2800.0) == 78.0
    assert effort_km(10.0, None) == 10.0
    assert math.isclose(effort_km(21.1, 150.0), 22.6)


def test_sample_course_is_the_goal() -> None:
    c = stats_of(SAMPLE / "alex" / "canyon_rim_50k.gpx")
    # the route is generated 50 km long with ~2,800 m of descent (athlete.toml's numbers)
    assert c.distance_km == pytest.approx(50.0, rel=0.01)
    assert c.descent_m == pytest.approx(2800.0, rel=0.10)
    assert c.e15_km > 0  # type: ignore[operator]


REAL = (
    realdata_files("gpx", "*.gpx") + realdata_files("fit", "*.fit") + realdata_files("tcx", "*.tcx")
)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_activity_files_as_courses(path: Path) -> None:
    """Real device files given as a course: read (times ignored) or refused with one
    InputError line naming the file, never another exception; where the session's stream
    holds the same points as the course (one session, no untimed or out-of-session points
    dropped by the session reader), E10 and E15 are the same."""
    try:
        c = stats_of(path)
    except InputError as exc:
        assert str(path) in str(exc)
        return
    assert c.distance_m > 0
    try:
        act, f = session_features(path)
    except InputError:
        return
    same_points = act.stream is not None and len(act.stream) == len(read_course(path).stream.t_s)
    # a course's elevation comes from a map or a barometer and is smoothed as barometric
    # elevation is; a session classed GPS-only gets the heavier GPS smoothing (issue 14)
    same_smoothing = f.elevation_source != "gps"
    if f.e10_km is not None and c.has_elevation and same_points and same_smoothing:
        assert c.e10_km == pytest.approx(f.e10_km, abs=1e-9)
        assert c.e15_km == pytest.approx(f.e15_km, abs=1e-9)
