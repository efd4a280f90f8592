"""Activity CSVs: cramplog's own, Garmin Connect Activities.csv, Strava activities.csv.

Fixture headers are real export headers, copied from public code found with the search
tool (rows are partly real, partly written for the test):

- garmin_activities.csv: header and first row as quoted in tbidne/pacer
  (Pacer.Command.Chart.Data.Garmin, "Example format").
- garmin_activities_elev_gain_statute.csv: the older "Activity Time / Elev Gain / Elev Loss"
  header and first row (a statute-unit account) from a Cronometer-import README.
- garmin_activities_de.csv: the older German header and first row from a PHP importer
  (is_Garmin_CSV_file); garmin_activities_de_new.csv: the newer German header
  ("Ø Herzfrequenz, Maximale Herzfrequenz, Anstieg gesamt, Zeit in Bewegung …") from a
  TypeScript Garmin sync tool.
- garmin_activities_fr.csv: the French header and rows of "an extract of a real export"
  quoted in a Python test suite (with Garmin's own '-12 text quote).
- garmin_activities_es.csv: the Spanish header and rows quoted in a Python test suite.
- strava_activities.csv: the 103-column English header (HEADER_ENGLISH_103 of a Rust
  importer's tests); the Ride row is the real row from a Zig activities.csv reader.
- strava_activities_de.csv: the 92-column German header (HEADER_GERMAN_92, same Rust tests).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from cramplog.errors import InputError
from cramplog.ingest.csv_values import to_datetime, to_float, to_seconds, to_sport
from cramplog.ingest.csvfile import parse_csv
from cramplog.ingest.read import parse_bytes
from cramplog.model import SPORTS, ParseResult

FIXTURES = Path(__file__).parent / "fixtures" / "csv"
UTC = timezone.utc


def load(name: str, **kw: str) -> ParseResult:
    return parse_csv((FIXTURES / name).read_bytes(), name, **kw)


def own(text: str) -> ParseResult:
    return parse_csv(text.encode(), "log.csv")


# --- Garmin Connect --------------------------------------------------------------------


def test_garmin_real_row_is_read_field_by_field() -> None:
    res = load("garmin_activities.csv")
    a = res.activities[0]
    assert a.sport == "running"
    assert a.start == datetime(2025, 2, 6, 17, 6, 3)  # local wall time, naive
    assert a.start.tzinfo is None and a.utc_offset_s is None
    assert a.title == "Wellington Running"
    assert a.distance_m == pytest.approx(5480.0)
    assert a.elapsed_s == 32 * 60 + 57  # Elapsed Time wins over Time
    assert a.moving_s == 31 * 60 + 8
    assert (a.ascent_m, a.descent_m) == (215.0, 200.0)
    assert (a.hr_avg, a.hr_max) == (153.0, 176.0)
    assert a.temp_min_c is None and a.temp_max_c is None  # no temperature columns


def test_garmin_dashes_are_none_and_thousands_are_read() -> None:
    by_title = {a.title: a for a in load("garmin_activities.csv").activities}
    trail = by_title["Makara Peak Trail Running"]
    assert trail.sport == "trail_running"
    assert trail.hr_avg is None and trail.hr_max is None  # "--", never 0
    assert (trail.ascent_m, trail.descent_m) == (1204.0, 1198.0)  # "1,204"
    assert by_title["Treadmill Running"].sport == "treadmill"
    assert by_title["Treadmill Running"].ascent_m is None
    strength = by_title["Strength"]
    assert strength.sport == "strength" and strength.moving_s is None
    assert strength.elapsed_s == 58 * 60 + 10
    swim = by_title["Lap Swimming"]
    assert swim.sport == "swimming" and swim.distance_m == 1500.0  # swims are in metres
    assert by_title["Wairarapa Cycling"].distance_m == pytest.approx(102450.0)


def test_garmin_bad_rows_are_skipped_and_named_by_row() -> None:
    res = load("garmin_activities.csv")
    assert len(res.activities) == 6
    assert any("row 8:" in w and "Date" in w for w in res.warnings)
    assert any("row 9:" in w and "negative" in w for w in res.warnings)
    assert any("2 of 8 rows skipped" in w for w in res.warnings)


def test_garmin_through_the_ingest_dispatch() -> None:
    data = (FIXTURES / "garmin_activities.csv").read_bytes()
    res = parse_bytes("Activities.csv", data)
    assert len(res.activities) == 6


def test_garmin_time_with_fraction_when_no_elapsed_column() -> None:
    text = "Activity Type,Date,Title,Distance,Time\nRunning,2024-01-02 07:00:00,x,5.0,01:02:03.4\n"
    (a,) = parse_csv(text.encode(), "Activities.csv").activities
    assert a.elapsed_s == pytest.approx(3723.4)


def test_garmin_old_elev_gain_header_in_statute_units() -> None:
    res = load("garmin_activities_elev_gain_statute.csv", units="mi")
    ride, run = res.activities
    assert ride.sport == "cycling" and ride.title == "Portland Cycling"
    assert ride.start == datetime(2020, 7, 4, 15, 36)  # 7/4/2020: US month first
    assert ride.elapsed_s == 49 * 60 + 12  # "Activity Time"
    assert ride.distance_m == pytest.approx(7.16 * 1609.344)
    assert ride.ascent_m == pytest.approx(223 * 0.3048)  # Elev Gain in feet
    assert ride.descent_m == pytest.approx(276 * 0.3048)
    assert ride.temp_min_c == pytest.approx(27.0)  # 80.6 °F
    assert run.ascent_m == pytest.approx(1102 * 0.3048)


def test_garmin_default_units_are_metric() -> None:
    ride = load("garmin_activities_elev_gain_statute.csv").activities[0]
    assert ride.distance_m == pytest.approx(7160.0)
    assert ride.ascent_m == 223.0


def test_garmin_unit_named_in_header_wins() -> None:
    text = "Activity Type,Date,Distance (mi),Time\nRunning,2024-01-02 07:00:00,3.1,00:25:00\n"
    (a,) = parse_csv(text.encode(), "Activities.csv").activities
    assert a.distance_m == pytest.approx(3.1 * 1609.344)


def test_garmin_german_old_header() -> None:
    ride, run = load("garmin_activities_de.csv").activities
    assert ride.sport == "cycling" and run.sport == "running"
    assert ride.distance_m == pytest.approx(42020.0)
    assert ride.elapsed_s == 3 * 3600 + 51 * 60 + 46  # "Zeit"
    assert (ride.hr_avg, ride.hr_max) == (139.0, 181.0)  # "Ø HF", "Max. HF"
    assert (ride.ascent_m, ride.descent_m) == (933.0, 885.0)
    assert ride.temp_min_c is None and ride.temp_max_c is None  # Garmin's 0.0 = no reading
    assert (run.temp_min_c, run.temp_max_c) == (9.0, 17.0)


def test_garmin_german_new_header_with_decimal_commas() -> None:
    trail, treadmill = load("garmin_activities_de_new.csv").activities
    assert trail.sport == "trail_running" and treadmill.sport == "treadmill"
    assert trail.distance_m == pytest.approx(24610.0)  # "24,61"
    assert trail.ascent_m == 1850.0  # "1.850" is thousands in a decimal-comma file
    assert trail.elapsed_s == 3 * 3600 + 22 * 60 + 10  # "Verstrichene Zeit"
    assert trail.moving_s == 3 * 3600 + 60 + 44  # "Zeit in Bewegung"
    assert (trail.hr_avg, trail.hr_max) == (149.0, 178.0)


def test_garmin_french_and_spanish_headers() -> None:
    run, gym, hike = load("garmin_activities_fr.csv").activities
    assert [run.sport, gym.sport, hike.sport] == ["running", "strength", "hiking"]
    assert run.distance_m == pytest.approx(3950.0)
    assert (run.hr_avg, run.hr_max, run.temp_min_c) == (151.0, 182.0, 31.0)
    assert hike.moving_s == 3600 + 57 * 60 + 11
    es = load("garmin_activities_es.csv").activities
    assert [a.sport for a in es] == ["running", "running"]
    assert es[0].distance_m == pytest.approx(8680.0) and es[0].ascent_m == 230.0
    assert es[0].hr_avg == 124.0 and es[0].elapsed_s == 3600 + 6 * 60 + 47


# --- Strava ----------------------------------------------------------------------------


def test_strava_rows_with_a_file_become_fills() -> None:
    res = load("strava_activities.csv")
    assert set(res.fills) == {"activities/4163856655.gpx", "activities/1234567890.fit.gz"}
    # each fill also carries the row's own session, stored only when the file is missing
    fallback = {k: v.pop("activity") for k, v in res.fills.items()}
    assert fallback["activities/1234567890.fit.gz"].elapsed_s == 4210.0
    assert fallback["activities/1234567890.fit.gz"].start.tzinfo is not None
    assert res.fills["activities/1234567890.fit.gz"] == {
        "sport": "trail_running",
        "title": "Hot hill repeats",
        "rpe": 8.0,
        "temp_avg_c": 29.4,  # Weather Temperature
    }
    assert res.fills["activities/4163856655.gpx"] == {"sport": "cycling", "title": "Evening chill"}


def test_strava_rows_without_a_file_become_activities() -> None:
    res = load("strava_activities.csv")
    run, swim, gym = res.activities
    assert run.sport == "running" and run.title == "Treadmill, = not a formula"
    assert run.start == datetime(2023, 5, 9, 22, 9, 29, tzinfo=UTC)  # 10:09:29 PM, UTC
    assert run.utc_offset_s is None
    assert run.distance_m == 10020.5  # the metres column, not 10.02 × 1000
    assert run.elapsed_s == 3000.0 and run.moving_s == 2950.0
    assert run.hr_max == 175.0  # the second Max Heart Rate column
    assert (run.hr_avg, run.ascent_m, run.descent_m) == (150.2, 120.0, 118.5)
    assert (run.temp_avg_c, run.rpe, run.is_race) == (21.0, 7.0, True)
    assert swim.sport == "swimming" and swim.distance_m == 1500.0
    assert gym.sport == "strength" and gym.distance_m is None
    assert any("row 7:" in w and "Activity Date" in w for w in res.warnings)
    assert len(res.fills) == 2  # rows with a file: fills, not warnings


def test_strava_german_header() -> None:
    (run,) = load("strava_activities_de.csv").activities
    assert run.sport == "running" and run.title == "Lauf am Nachmittag"
    assert run.start == datetime(2026, 9, 20, 14, 12, 12, tzinfo=UTC)
    assert run.distance_m == 2810.0 and run.elapsed_s == 1390.0 and run.moving_s == 1300.0
    assert (run.ascent_m, run.descent_m, run.hr_avg, run.hr_max) == (12.0, 11.0, 148.0, 171.0)


def test_strava_old_export_with_one_distance_column() -> None:
    text = (
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename\n"
        '1,"Jan 1, 2026, 7:00:00 AM",Run,Run,1800,5.25,\n'
    )
    (a,) = parse_csv(text.encode(), "activities.csv").activities
    assert a.distance_m == pytest.approx(5250.0)
    (a,) = parse_csv(text.encode(), "activities.csv", units="mi").activities
    assert a.distance_m == pytest.approx(5.25 * 1609.344)


def test_strava_date_with_narrow_no_break_space() -> None:
    text = 'Activity ID,Activity Date,Activity Type,Elapsed Time\n1,"Mar 3, 2024, 6:05:00\u202fPM",Ride,60\n'
    (a,) = parse_csv(text.encode(), "activities.csv").activities
    assert a.start == datetime(2024, 3, 3, 18, 5, tzinfo=UTC)


# --- cramplog's own CSV ----------------------------------------------------------------

FULL = (
    "start,sport,duration,distance_km,ascent_m,descent_m,hr_avg,hr_max,temperature_c,rpe,"
    "title,race\n"
    "2026-03-14 07:30,run,1:02:03,12.4,300,310,151,178,24.5,6,Long run,no\n"
    "2026-03-15T18:00:00-07:00,trail,45:10,8,600,590,140,170,,8,Hill race,yes\n"
)


def test_own_all_columns() -> None:
    res = own(FULL)
    assert res.warnings == []
    a, b = res.activities
    assert a.sport == "running" and a.start == datetime(2026, 3, 14, 7, 30)
    assert a.utc_offset_s is None
    assert (a.elapsed_s, a.distance_m, a.ascent_m, a.descent_m) == (3723.0, 12400.0, 300, 310)
    assert (a.hr_avg, a.hr_max, a.temp_avg_c, a.rpe) == (151, 178, 24.5, 6)
    assert a.title == "Long run" and a.is_race is False
    assert b.sport == "trail_running" and b.is_race is True
    assert b.start == datetime(2026, 3, 16, 1, 0, tzinfo=UTC)
    assert b.utc_offset_s == -7 * 3600
    assert b.elapsed_s == 45 * 60 + 10 and b.temp_avg_c is None


def test_own_minimal_columns_and_a_bare_date() -> None:
    (a,) = own("start,sport,duration\n2026-03-14,walk,3600\n").activities
    assert a.sport == "walking" and a.start == datetime(2026, 3, 14, 0, 0)
    assert a.utc_offset_s is None and a.elapsed_s == 3600.0 and a.distance_m is None


def test_own_header_is_case_and_space_insensitive() -> None:
    text = "Start,SPORT,Distance (mi),HR Avg,Temperature C\n2026-03-14 07:30,Ride,10,130,12\n"
    (a,) = own(text).activities
    assert a.sport == "cycling" and a.distance_m == pytest.approx(16093.44)
    assert a.hr_avg == 130 and a.temp_avg_c == 12


def test_own_distance_in_metres() -> None:
    (a,) = own("start,sport,distance_m\n2026-03-14 07:30,swim,1500\n").activities
    assert a.distance_m == 1500.0


@pytest.mark.parametrize(
    ("word", "sport"),
    [
        ("run", "running"),
        ("Running", "running"),
        ("trail", "trail_running"),
        ("trail_running", "trail_running"),
        ("treadmill", "treadmill"),
        ("track_running", "track_running"),
        ("bike", "cycling"),
        ("ride", "cycling"),
        ("swim", "swimming"),
        ("walk", "walking"),
        ("hike", "hiking"),
        ("row", "rowing"),
        ("strength", "strength"),
        ("gym", "strength"),
        ("other", "other"),
    ],
)
def test_own_sport_synonyms(word: str, sport: str) -> None:
    (a,) = own(f"start,sport,duration\n2026-03-14 07:30,{word},60\n").activities
    assert a.sport == sport


def test_own_unknown_sport_is_other_with_a_warning() -> None:
    res = own("start,sport,duration\n2026-03-14 07:30,quidditch,60\n")
    assert res.activities[0].sport == "other"
    assert any("row 2:" in w and "quidditch" in w for w in res.warnings)


def test_own_bad_rows_are_reported_by_row_number() -> None:
    text = (
        "start,sport,duration,distance_km,rpe,race\n"
        "2026-03-14 07:30,run,30:00,5,5,no\n"  # row 2 ok
        "14th of March,run,30:00,5,,\n"  # row 3: date
        "2026-03-14 07:30,,30:00,5,,\n"  # row 4: sport
        "2026-03-14 07:30,run,-30:00,5,,\n"  # row 5: negative duration
        "2026-03-14 07:30,run,,,,\n"  # row 6: neither duration nor distance
        "2026-03-14 07:30,run,30:00,-5,,\n"  # row 7: negative distance
        "2026-03-14 07:30,run,abc,5,,\n"  # row 8: unreadable duration
        "2026-03-14 07:30,run,30:00,5,11,maybe\n"  # row 9 ok: rpe and race emptied
    )
    res = own(text)
    assert len(res.activities) == 2
    for row, word in [(3, "start"), (4, "sport"), (5, "negative"), (6, "neither")]:
        assert any(w.startswith(f"log.csv: row {row}: ") and word in w for w in res.warnings)
    assert any("row 7:" in w and "negative" in w for w in res.warnings)
    assert any("row 8:" in w and "duration" in w for w in res.warnings)
    last = res.activities[1]
    assert last.rpe is None and last.is_race is False
    assert any("row 9:" in w and "rpe" in w for w in res.warnings)
    assert any("6 of 8 rows skipped" in w for w in res.warnings)


def test_own_no_usable_row_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"log\.csv: no usable activity row .*row 2"):
        own("start,sport,duration\nnot a date,run,60\n")


def test_unknown_columns_are_an_input_error_naming_the_expected_ones() -> None:
    with pytest.raises(InputError, match="not a recognised activity CSV") as err:
        parse_csv(b"when,what\n2026-01-01,run\n", "mystery.csv")
    assert "mystery.csv" in str(err.value) and "Activity Type" in str(err.value)


# --- cell readers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "decimal_comma", "value"),
    [
        ("12.5", False, 12.5),
        ("1,234", False, 1234.0),
        ("1,234.5", False, 1234.5),
        ("5,81", False, 5.81),
        ("12,5", True, 12.5),
        ("1.234", True, 1234.0),
        ("1.234,5", True, 1234.5),
        ("'-12", False, -12.0),
        ("1 234", False, 1234.0),
        ("--", False, None),
        ("", True, None),
        ("-4", False, -4.0),
    ],
)
def test_to_float(cell: str, decimal_comma: bool, value: float | None) -> None:
    assert to_float(cell, decimal_comma) == value


@pytest.mark.parametrize("cell", ["abc", "nan", "inf", "1_000", "1e999"])
def test_to_float_rejects(cell: str) -> None:
    with pytest.raises(ValueError):
        to_float(cell)


@pytest.mark.parametrize(
    ("cell", "seconds"),
    [
        ("01:02:03", 3723.0),
        ("1:02:03.4", 3723.4),
        ("03:10:05,5", 11405.5),
        ("45:10", 2710.0),
        ("90:00", 5400.0),
        ("3723", 3723.0),
        ("5601.0", 5601.0),
        ("1:00:00:00", 86400.0),
        ("--", None),
    ],
)
def test_to_seconds(cell: str, seconds: float | None) -> None:
    assert to_seconds(cell) == seconds


@pytest.mark.parametrize("cell", ["1:61:00", "10:75", "a:b", "1::2", "1:2:3:4:5"])
def test_to_seconds_rejects(cell: str) -> None:
    with pytest.raises(ValueError):
        to_seconds(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-03-14 07:30", datetime(2026, 3, 14, 7, 30)),
        ("May 9, 2023, 10:09:29 AM", datetime(2023, 5, 9, 10, 9, 29)),
        ("Dec 31, 2023, 12:00:01 AM", datetime(2023, 12, 31, 0, 0, 1)),
        ("Dec 31, 2023, 12:30:00 PM", datetime(2023, 12, 31, 12, 30)),
        ("20.09.2026, 14:12:12", datetime(2026, 9, 20, 14, 12, 12)),
        ("7/4/2020 15:36", datetime(2020, 7, 4, 15, 36)),
        ("25/4/2020 15:36", datetime(2020, 4, 25, 15, 36)),
        ("9 May 2023 10:09", datetime(2023, 5, 9, 10, 9)),
    ],
)
def test_to_datetime(cell: str, expected: datetime) -> None:
    assert to_datetime(cell) == expected


@pytest.mark.parametrize("cell", ["yesterday", "2026-13-01", "Foo 9, 2023, 10:09:29 AM", "13:00"])
def test_to_datetime_rejects(cell: str) -> None:
    with pytest.raises(ValueError):
        to_datetime(cell)


@pytest.mark.parametrize(
    ("name", "sport"),
    [
        ("Running", "running"),
        ("Trail Running", "trail_running"),
        ("Treadmill Running", "treadmill"),
        ("Track Running", "track_running"),
        ("Road Cycling", "cycling"),
        ("Indoor Cycling", "cycling"),
        ("Mountain Biking", "cycling"),
        ("Pool Swim", "swimming"),
        ("Open Water Swimming", "swimming"),
        ("Walking", "walking"),
        ("Hiking", "hiking"),
        ("Strength Training", "strength"),
        ("Yoga", "other"),
        ("Run", "running"),
        ("Trail Run", "trail_running"),
        ("Virtual Ride", "cycling"),
        ("Weight Training", "strength"),
        ("Workout", "other"),
        ("Laufen", "running"),
        ("Radfahren", "cycling"),
        ("Course à pied", "running"),
        ("Carrera en montaña", "trail_running"),
        ("Breath work", "other"),
    ],
)
def test_to_sport(name: str, sport: str) -> None:
    assert to_sport(name) == sport
    assert sport in SPORTS
