"""TCX reader: unit cases, every real TCX file, the 10 km run against its FIT twin."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from conftest import REALDATA, realdata_files

from cramplog.errors import InputError
from cramplog.ingest import geo
from cramplog.ingest.read import parse_bytes
from cramplog.ingest.tcx import parse_tcx

TCX_FILES = realdata_files("tcx", "*.tcx")
NS = 'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"'
TPX = 'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"'


def tp(t: datetime, *, lat: float | None = 46.0, dist: float | None = None, hr: int | None = None,
       extra: str = "") -> str:  # fmt: skip
    pos = (
        f"<Position><LatitudeDegrees>{lat}</LatitudeDegrees>"
        f"<LongitudeDegrees>14.0</LongitudeDegrees></Position>"
        if lat is not None
        else ""
    )
    d = f"<DistanceMeters>{dist}</DistanceMeters>" if dist is not None else ""
    h = f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>" if hr is not None else ""
    return f"<Trackpoint><Time>{t.isoformat().replace('+00:00', 'Z')}</Time>{pos}{d}{h}{extra}</Trackpoint>"


def tcx(activities: str, tail: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase {NS} {TPX}>'
        f"<Activities>{activities}</Activities>{tail}</TrainingCenterDatabase>"
    ).encode()


def activity(sport: str, laps: str, creator: str = "Forerunner 255") -> str:
    return (
        f'<Activity Sport="{sport}"><Id>2021-06-01T06:00:00Z</Id>{laps}'
        f"<Creator><Name>{creator}</Name></Creator></Activity>"
    )


def lap(points: str, *, total_s: float = 600, dist: float = 2000, hr_max: int | None = None) -> str:
    h = f"<MaximumHeartRateBpm><Value>{hr_max}</Value></MaximumHeartRateBpm>" if hr_max else ""
    return (
        f'<Lap StartTime="2021-06-01T06:00:00Z"><TotalTimeSeconds>{total_s}</TotalTimeSeconds>'
        f"<DistanceMeters>{dist}</DistanceMeters>{h}<Track>{points}</Track></Lap>"
    )


T0 = datetime(2021, 6, 1, 6, tzinfo=UTC)


def test_basic_activity_uses_device_distance_and_tpx() -> None:
    pts = "".join(
        tp(T0 + timedelta(seconds=10 * i), lat=46 + 0.0003 * i, dist=33.0 * i, hr=140 + i,
           extra="<Extensions><ns3:TPX><ns3:Speed>3.3</ns3:Speed><ns3:RunCadence>86"
                 "</ns3:RunCadence></ns3:TPX></Extensions>")
        for i in range(7)
    )  # fmt: skip
    (a,) = parse_tcx(tcx(activity("Running", lap(pts))), "a.tcx").activities
    assert a.sport == "running" and a.device == "Forerunner 255"
    assert a.start == T0 and a.elapsed_s == 60.0
    assert a.distance_m == 198.0  # last DistanceMeters, not the positions
    assert a.stream is not None and a.stream.speed_mps is not None
    assert a.stream.cadence_spm is not None and a.stream.cadence_spm[0] == 172
    assert a.hr_max == 146 and a.moving_s == 60.0


@pytest.mark.parametrize(("sport", "expected"), [("Running", "running"), ("Biking", "cycling"),
                                                 ("Other", "other"), ("Swimming?", "other")])  # fmt: skip
def test_sport_mapping(sport: str, expected: str) -> None:
    pts = tp(T0) + tp(T0 + timedelta(seconds=5))
    (a,) = parse_tcx(tcx(activity(sport, lap(pts))), "a.tcx").activities
    assert a.sport == expected


def test_gap_over_six_hours_splits_an_activity() -> None:
    morning = "".join(tp(T0 + timedelta(seconds=60 * i), dist=100.0 * i) for i in range(5))
    evening = "".join(
        tp(T0 + timedelta(hours=9, seconds=60 * i), dist=400 + 100.0 * i) for i in range(5)
    )
    r = parse_tcx(tcx(activity("Running", lap(morning) + lap(evening))), "a.tcx")
    first, second = r.activities
    assert second.start == T0 + timedelta(hours=9)
    assert first.distance_m == 400 and second.distance_m == 400
    assert second.stream is not None and second.stream.distance_m is not None
    assert second.stream.distance_m[0] == 0
    assert any("split" in w for w in r.warnings)


def test_no_gps_no_speed_uses_lap_timer_and_lap_hr() -> None:
    pts = "".join(tp(T0 + timedelta(seconds=30 * i), lat=None) for i in range(5))
    (a,) = parse_tcx(tcx(activity("Other", lap(pts, total_s=110, hr_max=150))), "a.tcx").activities
    assert a.moving_s == 110 and a.hr_max == 150 and a.distance_m == 2000
    assert a.stream is not None and a.stream.lat_deg is None


def test_laps_without_trackpoints_still_give_a_session() -> None:
    (a,) = parse_tcx(tcx(activity("Running", lap("", total_s=1800, dist=5000))), "a.tcx").activities
    assert a.start == T0 and a.elapsed_s == 1800 and a.distance_m == 5000 and a.stream is None


def test_courses_are_not_sessions() -> None:
    course = (
        "<Courses><Course><Name>Plan</Name><Track>"
        + "".join(tp(T0 + timedelta(seconds=i)) for i in range(5))
        + "</Track></Course></Courses>"
    )
    with pytest.raises(InputError, match="no timed activity"):
        parse_tcx(tcx("", tail=course), "c.tcx")


def test_truncated_tcx_keeps_points() -> None:
    pts = "".join(tp(T0 + timedelta(seconds=10 * i), dist=30.0 * i) for i in range(20))
    data = tcx(activity("Running", lap(pts)))
    r = parse_tcx(data[: len(data) // 2], "cut.tcx")
    (a,) = r.activities
    assert 5 < len(a.stream or []) < 20
    assert any("cut short" in w for w in r.warnings)


# --- real files ---------------------------------------------------------------------------------


def sources_tcx() -> dict[str, dict[str, int]]:
    if REALDATA is None:
        return {}
    out = {}
    for block in (REALDATA / "SOURCES.md").read_text().split("\n## ")[1:]:
        head = block.split("\n", 1)[0].strip()
        m = re.search(r"track points: (\d+)\s+duration: (\d+) s", block)
        c = re.search(r"points with time/ele/GPS/hr/cad/temperature/power/speed: ([\d/]+)", block)
        if head.startswith("tcx/") and m and c:
            keys = ("time", "ele", "gps", "hr", "cad", "temp", "power", "speed")
            entry = dict(zip(keys, map(int, c.group(1).split("/")), strict=True))
            entry["points"], entry["duration"] = int(m.group(1)), int(m.group(2))
            out[head[4:]] = entry
    return out


def finite(v: np.ndarray | None) -> int:
    return 0 if v is None else int(np.isfinite(v).sum())


@pytest.mark.realdata
@pytest.mark.parametrize("path", TCX_FILES, ids=lambda p: p.name)
def test_real_tcx(path: Path) -> None:
    r = parse_bytes(path.name, path.read_bytes())
    src = sources_tcx()[path.name]
    streams = [a.stream for a in r.activities if a.stream is not None]
    assert sum(len(s) for s in streams) == src["time"]
    assert sum(finite(s.elevation_m) for s in streams) == src["ele"]
    assert sum(finite(s.lat_deg) for s in streams) == src["gps"]
    assert sum(finite(s.hr_bpm) for s in streams) == src["hr"]
    assert sum(finite(s.speed_mps) for s in streams) == src["speed"]
    span = max(a.end for a in r.activities) - min(a.start for a in r.activities)
    assert span.total_seconds() == pytest.approx(src["duration"], abs=1.0)
    # the file's own lap totals: summed lap distance agrees with what we report
    text = path.read_text()
    lap_dist = sum(
        float(x)
        for x in re.findall(
            r"</TotalTimeSeconds>\s*<DistanceMeters>([\d.]+)</DistanceMeters>", text
        )
    )
    ours = sum(a.distance_m or 0 for a in r.activities)
    if lap_dist > 0:
        assert ours == pytest.approx(lap_dist, rel=0.01)


@pytest.mark.realdata
def test_multi_session_tcx(realdata: Path) -> None:
    name = "GoldenCheeta_GoldenCheetah__activity_165850259_multi-session.tcx"
    r = parse_bytes(name, (realdata / "tcx" / name).read_bytes())
    assert [a.sport for a in r.activities] == ["running", "cycling", "running", "cycling"]
    days = [a.start.date().isoformat() for a in r.activities]
    assert days == ["2011-11-29", "2011-12-01", "2011-12-04", "2011-12-07"]
    for a in r.activities:
        assert a.elapsed_s is not None and a.elapsed_s < 6 * 3600
    # the bike sessions have no GPS and a device distance stuck at 0: unknown, not zero
    assert r.activities[1].distance_m is None


@pytest.mark.realdata
def test_10k_run_distance_agrees_with_device_and_fit(realdata: Path) -> None:
    fitparse = pytest.importorskip("fitparse")
    name = "GoldenCheeta_GoldenCheetah__10kUNLP2014-Garmin15.tcx"
    data = (realdata / "tcx" / name).read_bytes()
    last = float(re.findall(rb"<DistanceMeters>([\d.]+)</DistanceMeters>", data)[-1])
    (a,) = parse_bytes(name, data).activities
    assert a.distance_m == pytest.approx(last, rel=0.005)
    assert a.stream is not None and a.stream.lat_deg is not None and a.stream.lon_deg is not None
    from_positions = geo.cumulative_distance(a.stream.lat_deg, a.stream.lon_deg)
    assert from_positions is not None
    assert from_positions[-1] == pytest.approx(last, rel=0.005)
    fit = fitparse.FitFile(str(realdata / "fit" / name.replace(".tcx", ".fit")))
    (session,) = list(fit.get_messages("session"))
    assert a.distance_m == pytest.approx(session.get_value("total_distance"), rel=0.01)
    assert from_positions[-1] == pytest.approx(session.get_value("total_distance"), rel=0.01)
    assert a.elapsed_s == pytest.approx(session.get_value("total_elapsed_time"), abs=1.0)
    assert a.sport == "running"
