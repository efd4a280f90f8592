"""FIT adapter: every real device file, the known traps, and self-made broken inputs."""

from __future__ import annotations

import functools
import gzip
import io
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import realdata_files

from cramplog.errors import InputError
from cramplog.ingest.fit import decode_fit
from cramplog.ingest.fit_activities import map_sport, messages_to_activities
from cramplog.ingest.fit_reference import decode_fitparse
from cramplog.ingest.fit_streams import elevation_gain_m, stream_descent_m
from cramplog.ingest.read import parse_bytes
from cramplog.model import SPORTS, STREAM_CHANNELS, ParseResult

FIT_FILES = realdata_files("fit", "*.fit", "*.FIT", "*.fit.gz")


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


def _parse(path: Path) -> ParseResult:
    return parse_bytes(path.name, path.read_bytes())


def _raw(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def _by_name(name: str) -> Path:
    for p in FIT_FILES:
        if p.name.split("__", 1)[-1] == name:
            return p
    pytest.skip(f"{name} not in realdata")


@functools.cache
def _reference_sessions(path: Path) -> list[dict[str, Any]]:
    """Session summaries straight from fitparse (independent of cramplog's decoders)."""
    import fitparse

    out: list[dict[str, Any]] = []
    fit = fitparse.FitFile(io.BytesIO(_raw(path)), check_crc=False)
    try:
        for msg in fit.get_messages("session"):
            out.append(
                {k: msg.get_value(k) for k in ("start_time", "total_distance")}
                | {
                    "total_descent": msg.get_value("total_descent"),
                    "sport": msg.get_value("sport"),
                }
            )
    except Exception:
        pass  # damaged files: the sessions read before the damage
    return out


def _check_activity(act: Any) -> None:
    assert act.sport in SPORTS
    assert act.start.tzinfo is not None and act.start.utcoffset().total_seconds() == 0
    assert 1990 <= act.start.year <= 2100
    if act.utc_offset_s is not None:
        assert abs(act.utc_offset_s) <= 14 * 3600 and act.utc_offset_s % 900 == 0
    for value in (act.distance_m, act.elapsed_s, act.moving_s, act.descent_m, act.ascent_m):
        assert value is None or (math.isfinite(value) and value >= 0)
    for value in (act.hr_avg, act.hr_max):
        assert value is None or 0 < value <= 250
    s = act.stream
    if s is None:
        return
    n = len(s.t_s)
    assert n > 0
    assert np.all(np.diff(s.t_s) > 0), "stream times strictly increase"
    assert s.t_s[0] >= -1.0
    for ch in STREAM_CHANNELS:
        arr = getattr(s, ch)
        if arr is not None:
            assert arr.dtype == np.float64 and arr.shape == (n,), ch
            assert np.isfinite(arr).any(), f"{ch} present but all NaN"
    if s.hr_bpm is not None:
        hr = s.hr_bpm[np.isfinite(s.hr_bpm)]
        assert ((hr > 0) & (hr <= 250)).all()
    if s.lat_deg is not None:
        assert s.lon_deg is not None
        assert np.nanmax(np.abs(s.lat_deg)) <= 90 and np.nanmax(np.abs(s.lon_deg)) <= 180


# ---------------------------------------------------------------- every real file


@pytest.mark.parametrize("path", FIT_FILES, ids=_ids(FIT_FILES))
def test_real_file_reads_or_reports(path: Path) -> None:
    try:
        result = _parse(path)
    except InputError as exc:
        msg = str(exc)
        assert msg.startswith(path.name + ":") and "\n" not in msg
        return
    assert result.activities, "a ParseResult without activities should have been InputError"
    for act in result.activities:
        _check_activity(act)
    assert all(w.startswith(path.name) for w in result.warnings)


# Files whose stream distance cannot match the session total, and why.
DISTANCE_EXCEPTIONS = {
    # The app's file breaks after 5 minutes (undefined local message); the session summary
    # (written first) covers the whole 11 km run.
    "strava-android-app-201.10-b1218918.fit": "records end at the damage",
    # fenix2 multisport: record distance resets inside sessions and 2,699 records fall outside
    # every session window; the stream cannot reproduce the per-session totals.
    "activity-large-fenxi2-multisport.fit": "device distance resets mid-session",
    # Multisport transitions: the session total includes movement before the first record.
    "sample_mulitple_header.fit": "transition sessions of a few records",
}

# Files (or file:session) whose device total_descent a 10 s / 3 m smoothed stream descent
# cannot reproduce, and why. Anything not listed must agree within 10 % or 15 m.
# Measured with 10 s smoothing + 2 m hysteresis (the best of 1-5 m x 0/10/30 s on these files:
# 37 of 47 sessions within tolerance, counting computed ones); device firmware filters differ.
DESCENT_EXCEPTIONS: dict[str, str] = {
    # Virtual rides write total_descent = 0 as a placeholder: ascent 92 m inside a 3..41 m
    # elevation range needs at least 54 m of descent.
    "dtcooper_python-fitpars__null_compressed_speed_dist.fit": "Zwift placeholder 0",
    # Onelap indoor ride: ascent 59 m, descent 0 inside a 90..137 m range (placeholder).
    "tormoder_fit__0134902991.fit": "Onelap placeholder 0",
    # Wahoo ELEMNT: device 89 m vs 185 m from the stream; the device's own ascent is 185 m and
    # its net (+96 m) matches the stream's (+85 m): the firmware under-counts descent.
    "dtcooper_python-fitpars__2019-02-17-062644-ELEMNT-297E-195-0.fit": "Wahoo filter",
    # fenix2 (2015 firmware): device 61 m vs 119 m (run) and 139 m vs 85 m (first multisport
    # leg) -- errors in both directions, no smoothing setting matches both.
    "dtcooper_python-fitpars__activity-small-fenix2-run.fit": "fenix2 filter",
    "dtcooper_python-fitpars__activity-large-fenxi2-multisport.fit:08:00": "fenix2 filter",
    # Device filters stronger/weaker than ours by 10-30 %: Karoo 351 vs 304, fenix 5X bike leg
    # 489 vs 637, FR935 ride 73 vs 98, Edge 500 287 vs 257 (10.5 %).
    "GoldenCheeta_GoldenCheetah__Karoo-Botley_BW_Swanmore_Wickham-2025-05-09-1238.fit": "Karoo",
    "GoldenCheeta_GoldenCheetah__MultiSport-2019-11-24.fit:14:38": "fenix 5X bike leg",
    "GoldenCheeta_sweatpy__4801048867.fit": "FR935 ride",
    "dtcooper_python-fitpars__sample-activity.fit": "Edge 500",
}


@pytest.mark.parametrize("path", FIT_FILES, ids=_ids(FIT_FILES))
def test_summary_agrees_with_device_session(path: Path) -> None:
    sessions = [s for s in _reference_sessions(path) if isinstance(s["start_time"], datetime)]
    if not sessions:
        pytest.skip("no dated session message in this file")
    result = _parse(path)
    by_start = {a.start: a for a in result.activities}
    problems = []
    for ref in sessions:
        act = by_start.get(ref["start_time"].replace(tzinfo=timezone.utc))
        assert act is not None, f"no activity for the session starting {ref['start_time']}"
        total = ref["total_distance"]
        if total is not None:
            assert act.distance_m == pytest.approx(total, rel=0.01, abs=1.0)
            s = act.stream
            if s is not None and s.distance_m is not None and total > 200:
                last = s.distance_m[np.isfinite(s.distance_m)][-1]
                if abs(last - total) > 0.01 * total and path.name[25:] not in DISTANCE_EXCEPTIONS:
                    problems.append(f"stream distance {last:.0f} vs session {total:.0f}")
        descent = ref["total_descent"]
        if descent is not None and act.stream is not None and act.stream.elevation_m is not None:
            computed = stream_descent_m(act.stream)
            assert computed is not None
            key = f"{path.name}:{ref['start_time']:%H:%M}"
            if abs(computed - descent) > max(0.10 * descent, 15.0) and not (
                path.name in DESCENT_EXCEPTIONS or key in DESCENT_EXCEPTIONS
            ):
                problems.append(f"{key} stream descent {computed:.0f} vs device {descent:.0f}")
    assert not problems, problems


# ---------------------------------------------------------------- known traps


def test_duplicate_field_names_keep_the_real_distance() -> None:
    # Zwift: an all-invalid compressed_speed_distance expands to distance=None next to the
    # real distance; dict-based decoding loses the distance (SOURCES.md).
    path = _by_name("null_compressed_speed_dist.fit")
    (act,) = _parse(path).activities
    s = act.stream
    assert s is not None and s.distance_m is not None
    assert np.isfinite(s.distance_m).mean() > 0.99
    (ref,) = _reference_sessions(path)
    assert s.distance_m[-1] == pytest.approx(ref["total_distance"], rel=0.01)


def test_compressed_speed_distance_and_relative_times() -> None:
    # FR70: compressed timestamp headers, compressed_speed_distance, device-relative times;
    # the activity's local_timestamp (2012-02-13 12:21:03, see the message) anchors the day.
    path = _by_name("compressed-speed-distance.fit")
    result = _parse(path)
    (act,) = result.activities
    assert act.sport == "running"
    assert act.local_date().isoformat() == "2012-02-13"
    assert any("relative" in w for w in result.warnings)
    s = act.stream
    assert s is not None and s.distance_m is not None and s.speed_mps is not None
    assert len(s) == 755 or len(s) == 754  # 755 records, SOURCES.md (one may share a second)
    (ref,) = _reference_sessions(path)
    assert s.distance_m[np.isfinite(s.distance_m)][-1] == pytest.approx(
        ref["total_distance"], rel=0.01
    )


def test_fr55_array_fields_give_elevation_and_speed() -> None:
    path = _by_name("FR55-CoreTemp-Walk.fit")
    (act,) = _parse(path).activities
    assert act.sport == "walking"
    s = act.stream
    assert s is not None and s.elevation_m is not None and s.speed_mps is not None
    assert np.isfinite(s.elevation_m).all() and np.isfinite(s.speed_mps).all()
    assert 100 < np.nanmean(s.elevation_m) < 250  # SOURCES: a walk at 147..178 m
    assert act.device is not None and act.device.startswith("garmin")


def test_local_offset_from_activity_message() -> None:
    import fitparse

    path = _by_name("Fr955v19.28andStryd.fit")
    fit = fitparse.FitFile(io.BytesIO(_raw(path)), check_crc=False)
    (msg,) = list(fit.get_messages("activity"))
    expected = (msg.get_value("local_timestamp") - msg.get_value("timestamp")).total_seconds()
    (act,) = _parse(path).activities
    assert act.utc_offset_s == round(expected / 900) * 900
    assert act.device == "garmin fr955" or (act.device or "").startswith("garmin")


def test_multisport_gives_one_activity_per_session() -> None:
    path = _by_name("MultiSport-2019-11-24.fit")
    result = _parse(path)
    refs = _reference_sessions(path)
    assert len(result.activities) == len(refs) == 5
    sports = [a.sport for a in sorted(result.activities, key=lambda a: a.start)]
    expected = [map_sport(r["sport"], None) for r in sorted(refs, key=lambda r: r["start_time"])]
    assert sports == expected
    assert {"swimming", "cycling", "running"} <= set(sports)
    # Records are split by session time: no two activities share a sample time.
    spans = [
        (a.start.timestamp() + a.stream.t_s[0], a.start.timestamp() + a.stream.t_s[-1])
        for a in sorted(result.activities, key=lambda a: a.start)
        if a.stream is not None
    ]
    assert all(prev[1] < nxt[0] for prev, nxt in zip(spans, spans[1:], strict=False))


def test_chained_file_reads_every_part() -> None:
    path = _by_name("sample_mulitple_header.fit")
    msgs = decode_fit(_raw(path))
    assert len(msgs.record) == 1773  # SOURCES.md
    assert len(_parse(path).activities) == len(_reference_sessions(path))


@pytest.mark.parametrize(
    ("name", "records"),
    [
        ("activity-unexpected-eof.fit", 14),  # truncated mid-message (SOURCES.md: 14 records)
        ("activity-settings-corruptheader.fit", 14),  # 2nd header corrupt
        ("activity-filecrc.fit", 14),  # bad file CRC
        ("strava-android-app-201.10-b1218918.fit", 473),  # undefined local message 11
    ],
)
def test_damaged_files_keep_what_was_read(name: str, records: int) -> None:
    path = _by_name(name)
    msgs = decode_fit(_raw(path))
    assert len(msgs.record) == records
    result = _parse(path)
    assert result.activities
    assert result.activities[0].stream is not None


def test_truncated_file_warns() -> None:
    result = _parse(_by_name("activity-unexpected-eof.fit"))
    assert any("stopped at byte" in w for w in result.warnings)


def test_gzipped_fit() -> None:
    path = _by_name("14582164182.fit.gz")
    (act,) = _parse(path).activities
    assert act.sport == "cycling"
    assert act.distance_m == pytest.approx(14921.2, rel=0.001)  # SOURCES/session message


# ---------------------------------------------------------------- self-made inputs


def test_half_a_file_keeps_the_first_half() -> None:
    path = _by_name("garmin-fenix-5-run.fit")
    data = _raw(path)
    full = decode_fit(data)
    half = data[: len(data) // 2]
    msgs = decode_fit(half)
    assert msgs.warnings
    assert 0 < len(msgs.record) < len(full.record)
    assert msgs.record == full.record[: len(msgs.record)]
    result = parse_bytes("half.fit", half)
    (act,) = result.activities
    assert act.stream is not None and len(act.stream) == len(msgs.record)
    assert any("no session" in w for w in result.warnings)


@pytest.mark.parametrize(
    "data",
    [
        b"\x0e\x10",
        b"<?xml version='1.0'?><gpx></gpx>",
        b"\x0e\x10\xd9\x07\x00\x00\x00\x00.FIT\x00\x00",  # header only
        bytes(200),
    ],
)
def test_unusable_input_is_one_clear_input_error(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        parse_bytes("x.fit", data)
    assert str(info.value).startswith("x.fit: ") and "\n" not in str(info.value)


def test_empty_file_is_input_error() -> None:
    with pytest.raises(InputError):
        parse_bytes("empty.fit", b"")


def test_monitoring_file_is_not_an_activity() -> None:
    with pytest.raises(InputError, match="no activity records"):
        _parse(_by_name("MonitoringFile.fit"))


def test_elevation_gain_hysteresis() -> None:
    # 0 -> 10 -> 4 -> 12 -> 0 with 1 m noise: 18 up, 18 down.
    e = np.concatenate(
        [
            np.linspace(0, 10, 11),
            np.linspace(10, 4, 7),
            np.linspace(4, 12, 9),
            np.linspace(12, 0, 13),
        ]
    )
    noisy = e + np.tile([0.0, 0.5, -0.5], len(e))[: len(e)]
    asc, desc = elevation_gain_m(noisy, 2.0) or (0, 0)
    assert asc == pytest.approx(18, abs=1.5) and desc == pytest.approx(18, abs=1.5)
    assert elevation_gain_m(np.array([np.nan, 5.0])) is None


def test_messages_to_activities_uses_session_summary() -> None:
    from cramplog.ingest.fitmessages import FitMessages, Records

    t0 = datetime(2024, 5, 1, 6, 0, tzinfo=timezone.utc)
    from datetime import timedelta

    recs = [
        {
            "timestamp": t0 + timedelta(seconds=i),
            "distance": 3.0 * i,
            "heart_rate": 0 if i == 1 else 140,
            "position_lat": int(45 / (180 / 2**31)),
            "position_long": int(7 / (180 / 2**31)),
            "enhanced_altitude": 100.0 + i,
            "cadence": 85,
        }
        for i in range(10)
    ]
    msgs = FitMessages(
        record=Records.from_rows(recs),
        session=[
            {
                "start_time": t0,
                "total_elapsed_time": 9.0,
                "total_timer_time": 9.0,
                "sport": "running",
                "sub_sport": "trail",
                "total_distance": 27.0,
                "avg_heart_rate": 0,
            }
        ],
        activity=[
            {
                "timestamp": t0 + timedelta(seconds=9),
                "local_timestamp": datetime(2024, 5, 1, 8, 0, 9),
            }
        ],
        file_id=[{"manufacturer": "garmin", "garmin_product": "fr955"}],
    )
    (act,) = messages_to_activities(msgs, "m.fit").activities
    assert act.sport == "trail_running"
    assert act.utc_offset_s == 7200
    assert act.device == "garmin fr955"
    assert act.hr_avg is None  # 0 means "not measured"
    assert act.distance_m == 27.0
    assert act.descent_m == 0.0  # elevation only climbs (100 -> 109 m): no descent, not None
    s = act.stream
    assert s is not None
    assert list(s.t_s) == list(range(10))
    assert s.hr_bpm is not None and s.cadence_spm is not None
    assert s.lat_deg is not None and s.lon_deg is not None
    assert np.isnan(s.hr_bpm[1]) and s.hr_bpm[0] == 140
    assert s.lat_deg[0] == pytest.approx(45, abs=1e-6) and s.lon_deg[0] == pytest.approx(
        7, abs=1e-6
    )
    assert s.cadence_spm[0] == 170  # strides/min doubled for running
    assert s.temperature_c is None and s.speed_mps is None


@pytest.mark.parametrize(
    ("sport", "sub", "expected"),
    [
        ("running", "trail", "trail_running"),
        ("running", "treadmill", "treadmill"),
        ("running", "track", "track_running"),
        ("running", "generic", "running"),
        ("cycling", "mountain", "cycling"),
        ("swimming", "lap_swimming", "swimming"),
        ("training", "strength_training", "strength"),
        ("transition", None, "other"),
        (53, None, "other"),
    ],
)
def test_map_sport(sport: Any, sub: Any, expected: str) -> None:
    assert map_sport(sport, sub) == expected


def test_fitparse_decoder_on_real_file_matches_decode_fit() -> None:
    path = _by_name("garmin-fenix-5-run.fit")
    assert decode_fitparse(_raw(path)).record == decode_fit(_raw(path)).record


def test_a_session_dated_past_2100_is_refused() -> None:
    """Found by property testing: a generated file whose session starts in 2101."""
    data = (
        b"\x0e\x10-\x08P\x00\x00\x00.FIT\x91\xe9@\x00\x01\x00\x00\x02\x00\x01\x00\x01\x02\x84"
        b"\x00\x00\x00\x00\x00\x00\x00\x00A\x00\x01\x00\x00\x02\x00\x01\x00\x01\x02\x84\x00\x00"
        b"\x00\x00\x00\x00\x00\x00@\x00\x00\x12\x00\x03\xfd\x04\x86\x07\x04\x86\x02\x04\x86\x01"
        b"\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
        b"\x00\x00\xd1\xe7\x8b"
    )
    with pytest.raises(InputError, match="plausible date"):
        parse_bytes("gen.fit", data)
