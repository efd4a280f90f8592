"""The SQLite store: schema versioning, transactions, de-duplication, streams, cramps."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from cramplog.errors import StoreError
from cramplog.model import Activity, CrampEvent, Goal, Profile, Stream
from cramplog.store import SCHEMA_VERSION, Store
from cramplog.store.streamcodec import decode_stream, encode_stream

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=timezone.utc)


def run(start=T0, dist=10_000.0, dur=3_000.0, **kw) -> Activity:
    return Activity(sport="running", start=start, distance_m=dist, elapsed_s=dur, **kw)


def test_new_store_records_schema_version(tmp_path):
    with Store(tmp_path / "s.sqlite") as st:
        v = st.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
    assert int(v) == SCHEMA_VERSION


def test_newer_store_is_refused_and_left_alone(tmp_path):
    p = tmp_path / "s.sqlite"
    Store(p).close()
    con = sqlite3.connect(p)
    con.execute("UPDATE meta SET value = ? WHERE key='schema_version'", (str(SCHEMA_VERSION + 1),))
    con.commit()
    con.close()
    before = p.read_bytes()
    with pytest.raises(StoreError, match="newer cramplog"):
        Store(p)
    assert p.read_bytes() == before


def test_not_a_database_is_a_clear_error(tmp_path):
    p = tmp_path / "junk.sqlite"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable cramplog store"):
        Store(p)


def test_readonly_missing_store_is_clear(tmp_path):
    with pytest.raises(StoreError, match="import some files first"):
        Store(tmp_path / "none.sqlite", readonly=True)


def test_same_session_from_two_sources_is_stored_once_richest_wins(tmp_path):
    with Store(tmp_path / "s.sqlite") as st:
        r1 = st.add_file("ann", "h1", "a.gpx", "gpx", 1, [run(dist=10_050.0, title="Strava title")])
        r2 = st.add_file(
            "ann",
            "h2",
            "a.fit",
            "fit",
            1,
            [
                run(
                    start=T0 + timedelta(seconds=40),
                    dist=10_000.0,
                    hr_avg=150.0,
                    utc_offset_s=-25200,
                )
            ],
        )
        acts = st.activities("ann")
    assert (r1.inserted, r2.merged) == (1, 1)
    assert len(acts) == 1
    a = acts[0]
    assert a.source_format == "fit"
    assert a.distance_m == 10_000.0  # the FIT's number wins
    assert a.title == "Strava title"  # the gap is filled from the GPX
    assert a.hr_avg == 150.0
    assert a.utc_offset_s == -25200
    assert a.sources == ["a.gpx", "a.fit"]


def test_poorer_source_only_fills_gaps(tmp_path):
    with Store(tmp_path / "s.sqlite") as st:
        st.add_file("ann", "h1", "a.fit", "fit", 1, [run(dist=10_000.0)])
        st.add_file("ann", "h2", "log.csv", "csv", 1, [run(dist=10_200.0, rpe=7.0)])
        (a,) = st.activities("ann")
    assert a.distance_m == 10_000.0 and a.rpe == 7.0 and a.source_format == "fit"


@pytest.mark.parametrize(
    ("shift_s", "dist", "dur", "merged"),
    [
        (0, 10_000.0, 3_000.0, True),
        (290, 10_400.0, 3_000.0, True),  # start 4:50 apart, same duration
        (301, 10_000.0, 3_000.0, False),  # more than five minutes apart
        (60, 12_000.0, 3_600.0, False),  # both distance and duration differ by > 5 %
        # duration OR distance within 5 %: one measure far off is not enough to split them
        (60, 10_800.0, 3_000.0, True),  # distance 8 % off (800 > 540), same duration
        (60, 10_000.0, 3_240.0, True),  # duration 8 % off (240 > 162), same distance
        (60, 10_600.0, 3_180.0, False),  # both 6 % off (600 > 530, 180 > 159)
        # "within 5 %" includes 5 %, of the larger of the two (so the order does not matter):
        # 9 500 vs 10 000 m is 500 m = 5 % of 10 000; 2 850 vs 3 000 s is 150 s = 5 % of 3 000
        (60, 9_500.0, 3_240.0, True),  # distance exactly 5 % off, duration 8 %
        (60, 9_499.0, 3_240.0, False),  # distance 5.01 % off, duration 8 %
        (60, 10_800.0, 2_850.0, True),  # duration exactly 5 % off, distance 8 %
        (60, 10_800.0, 2_849.0, False),  # duration 5.03 % off, distance 8 %
        (60, 10_500.0, 3_240.0, True),  # 500 m is 4.8 % of 10 500 (5 % of the smaller)
        # a missing measure is no evidence either way: the other one decides
        (60, None, 3_000.0, True),  # no distance (a manual log), same duration
        (60, 10_000.0, None, True),  # no duration, same distance
        (60, None, 3_240.0, False),  # no distance, duration 8 % off
    ],
)
def test_duplicate_rule(tmp_path, shift_s, dist, dur, merged):
    with Store(tmp_path / "s.sqlite") as st:
        st.add_file("ann", "h1", "a.fit", "fit", 1, [run()])
        st.add_file(
            "ann", "h2", "b.gpx", "gpx", 1, [run(T0 + timedelta(seconds=shift_s), dist, dur)]
        )
        assert st.count_activities("ann") == (1 if merged else 2)


@pytest.mark.parametrize(("dist", "dur"), [(10_800.0, 3_000.0), (10_000.0, 3_240.0)])
def test_duplicate_rule_either_order(tmp_path, dist, dur):
    """One measure 8 % off: merged whichever file comes first."""
    with Store(tmp_path / "s.sqlite") as st:
        st.add_file("ann", "h2", "b.gpx", "gpx", 1, [run(T0, dist, dur)])
        r = st.add_file("ann", "h1", "a.fit", "fit", 1, [run(T0 + timedelta(seconds=60))])
        assert (r.inserted, r.merged) == (0, 1)
        assert st.count_activities("ann") == 1


def test_sessions_of_two_athletes_never_merge(tmp_path):
    with Store(tmp_path / "s.sqlite") as st:
        st.add_file("ann", "h1", "a.fit", "fit", 1, [run()])
        st.add_file("bob", "h1", "a.fit", "fit", 1, [run()])
        assert st.count_activities("ann") == st.count_activities("bob") == 1
        assert st.known_hashes("ann") == {"h1"}


def test_failed_file_transaction_leaves_store_unchanged(tmp_path):
    with Store(tmp_path / "s.sqlite") as st:
        st.add_file("ann", "h1", "a.fit", "fit", 1, [run()])
        bad = Activity(sport="running", start=datetime(2026, 3, 2, 9, 0))  # naive: refused
        with pytest.raises(ValueError):
            st.add_file("ann", "h2", "b.fit", "fit", 1, [run(T0 + timedelta(days=1)), bad])
        assert st.count_activities("ann") == 1
        assert st.known_hashes("ann") == {"h1"}


def test_stream_round_trip_keeps_nan_and_missing_channels():
    t = np.arange(0, 100, 1.0)
    hr = np.where(t % 7 == 0, np.nan, 140 + t / 10)
    s = Stream(t_s=t, hr_bpm=hr, lat_deg=np.full(100, 39.123456789), elevation_m=None)
    back = decode_stream(encode_stream(s))
    assert back.elevation_m is None and back.distance_m is None
    np.testing.assert_array_equal(np.isnan(back.hr_bpm), np.isnan(hr))
    np.testing.assert_allclose(back.hr_bpm, hr, rtol=1e-6, equal_nan=True)
    np.testing.assert_allclose(back.lat_deg, s.lat_deg, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(back.t_s, t)


def test_stream_survives_the_store(tmp_path):
    t = np.arange(0, 3000, 1.0)
    s = Stream(t_s=t, distance_m=t * 3.3, elevation_m=1600 + np.sin(t / 100) * 20)
    with Store(tmp_path / "s.sqlite") as st:
        st.add_file("ann", "h1", "a.fit", "fit", 1, [run(stream=s)])
        (a,) = st.activities("ann", with_stream=True)
        (b,) = st.activities("ann")
    assert a.stream is not None and len(a.stream) == 3000
    np.testing.assert_allclose(a.stream.distance_m, s.distance_m, rtol=1e-6)
    assert b.stream is None


def test_profile_round_trip(tmp_path):
    prof = Profile(
        name="ann",
        sex="female",
        hr_max=188,
        hr_rest=48,
        timezone="America/Denver",
        goals=[
            Goal(
                name="Hot 50",
                date=datetime(2026, 6, 14).date(),
                distance_km=50.0,
                descent_m=2800,
                temperature_c=27.0,
                target_time_s=23400.0,
            )
        ],
        thresholds={"CR01": {"warning": 1.4}},
    )
    with Store(tmp_path / "s.sqlite") as st:
        st.set_profile(prof)
        assert st.get_profile("ann") == prof
        assert st.get_profile("nobody") is None


def test_cramps_are_identified_by_time_and_muscle(tmp_path):
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("America/Denver")
    ev = CrampEvent(when=datetime(2026, 2, 11, 23, 30, tzinfo=tz), muscle="calf", severity=3)
    same = CrampEvent(when=datetime(2026, 2, 11, 23, 30, tzinfo=tz), muscle="calf", severity=4)
    other = CrampEvent(when=datetime(2026, 2, 11, 23, 30, tzinfo=tz), muscle="hamstring")
    with Store(tmp_path / "s.sqlite") as st:
        assert st.add_cramps("ann", [ev]) == (1, 0)
        assert st.add_cramps("ann", [same, other]) == (1, 1)
        got = st.cramps("ann")
    assert [c.muscle for c in got] == ["calf", "hamstring"]
    assert got[0].when == ev.when and got[0].when.utcoffset() == timedelta(hours=-7)
    assert got[0].severity == 3


def test_feature_cache_is_keyed(tmp_path):
    with Store(tmp_path / "s.sqlite") as st:
        st.add_file("ann", "h1", "a.fit", "fit", 1, [run()])
        (a,) = st.activities("ann")
        st.put_features({a.id: {"load": 55.0}}, "v1:abc")
        assert st.cached_features([a.id], "v1:abc") == {a.id: {"load": 55.0}}
        assert st.cached_features([a.id], "v1:other") == {}
        # a richer source arriving clears the cache for that session
        st.add_file("ann", "h2", "a.tcx", "tcx", 1, [run(hr_avg=140.0)])
        assert st.cached_features([a.id], "v1:abc") == {}


def test_a_version_1_store_is_upgraded_in_place(tmp_path):
    """Stores written before cramps remembered their source file gain the column and keep
    every row."""
    p = tmp_path / "v1.sqlite"
    con = sqlite3.connect(p)
    con.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('schema_version', '1');"
        "CREATE TABLE athletes (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, profile TEXT);"
        "INSERT INTO athletes (name) VALUES ('ann');"
        "CREATE TABLE cramps (id INTEGER PRIMARY KEY, athlete_id INTEGER NOT NULL,"
        " when_local TEXT NOT NULL, when_utc TEXT NOT NULL, date_only INTEGER NOT NULL DEFAULT 0,"
        " muscle TEXT NOT NULL, side TEXT, severity INTEGER, timing TEXT, notes TEXT,"
        " UNIQUE (athlete_id, when_local, muscle));"
        "INSERT INTO cramps (athlete_id, when_local, when_utc, muscle)"
        " VALUES (1, '2026-02-11T23:30', '2026-02-12T06:30:00+00:00', 'calf');"
    )
    con.commit()
    con.close()
    with Store(p) as st:
        assert [c.muscle for c in st.cramps("ann")] == ["calf"]
        assert st.sync_cramps_file("ann", "cramps.csv", []) == (0, 0, 0)  # uses the new column
        v = st.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
    assert int(v) == SCHEMA_VERSION


def test_activities_by_ids_are_the_same_as_in_the_whole_list(tmp_path):
    """The importer reads back just the sessions a file added: the same objects, sources
    included, as the athlete's whole list holds; other athletes' ids give nothing."""
    with Store(tmp_path / "s.sqlite") as st:
        for i in range(5):
            st.add_file("ann", f"h{i}", f"a{i}.fit", "fit", 1, [run(T0 + timedelta(days=i))])
        st.add_file("ann", "g0", "a0.gpx", "gpx", 1, [run(T0)])  # merged into the first
        st.add_file("bob", "b0", "b0.fit", "fit", 1, [run(T0)])
        everything = {a.id: a for a in st.activities("ann")}
        ids = sorted(everything)[::2]
        some = st.activities("ann", ids=ids)
        bob_id = st.activities("bob")[0].id
        assert st.activities("ann", ids=[bob_id]) == [] and st.activities("ann", ids=[]) == []
    assert [a.id for a in some] == ids
    assert some == [everything[i] for i in ids]
    assert some[0].sources == ["a0.fit", "a0.gpx"]
