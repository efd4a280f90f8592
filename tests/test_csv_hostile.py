"""Activity CSVs that are odd, broken or hostile; and formula-safe CSV output (issue 9)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cramplog.csvsafe import safe_cell
from cramplog.errors import InputError
from cramplog.ingest.csvfile import MAX_ROW_WARNINGS, decode, parse_csv, sniff_separator
from cramplog.model import ParseResult

GARMIN_HEADER = "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR"


def test_utf8_bom_does_not_hide_the_first_column() -> None:
    data = "\ufeffstart,sport,duration\n2026-03-14 07:30,run,60\n".encode()
    (a,) = parse_csv(data, "log.csv").activities
    assert a.start == datetime(2026, 3, 14, 7, 30)


def test_utf16_text_with_bom_is_refused_not_crashed() -> None:
    data = "start,sport,duration\n2026-03-14 07:30,run,60\n".encode("utf-16")
    with pytest.raises(InputError):
        parse_csv(data, "log.csv")


def test_semicolons_and_decimal_commas() -> None:
    text = (
        "start;sport;duration;distance_km;temperature_c;ascent_m\n"
        "2026-03-14 07:30;run;1:02:03;12,5;-3,5;1.234\n"
    )
    (a,) = parse_csv(text.encode(), "log.csv").activities
    assert a.distance_m == pytest.approx(12500.0)
    assert a.temp_avg_c == pytest.approx(-3.5)
    assert a.ascent_m == 1234.0  # "." is the thousands separator with ";"


def test_garmin_semicolon_export_with_decimal_commas() -> None:
    text = "Activity Type;Date;Title;Distance;Time;Total Ascent\nRunning;2024-05-01 07:00:00;x;10,25;00:50:00;1.020\n"
    (a,) = parse_csv(text.encode(), "Activities.csv").activities
    assert a.distance_m == pytest.approx(10250.0) and a.ascent_m == 1020.0


def test_tab_separated() -> None:
    (a,) = parse_csv(b"start\tsport\tduration\n2026-03-14 07:30\trun\t60\n", "log.tsv").activities
    assert a.elapsed_s == 60.0


def test_cp1252_text() -> None:
    text = (
        GARMIN_HEADER
        + "\nTrail Running,2024-05-01 07:00:00,false,Carrera en montaña,12.0,900,01:30:00,150,170\n"
    )
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test really feeds non-UTF-8 bytes
    (a,) = parse_csv(data, "Activities.csv").activities
    assert a.title == "Carrera en montaña"
    assert a.sport == "trail_running"


def test_latin1_bytes_cp1252_cannot_decode() -> None:
    assert decode(b"\x81\x8d caf\xe9") == "\x81\x8d café"


def test_duplicated_headers_in_own_csv_use_the_first() -> None:
    text = "start,sport,duration,duration\n2026-03-14 07:30,run,60,999\n"
    res = parse_csv(text.encode(), "log.csv")
    assert res.activities[0].elapsed_s == 60.0
    assert any("'duration' appears more than once" in w for w in res.warnings)


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t \n", b"\xef\xbb\xbf"])
def test_empty_file(data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        parse_csv(data, "log.csv")


@pytest.mark.parametrize(
    "header", ["start,sport,duration\n", GARMIN_HEADER + "\n\n\n", "Activity ID,Activity Date\n"]
)
def test_header_only(header: str) -> None:
    with pytest.raises(InputError, match="no activity rows"):
        parse_csv(header.encode(), "log.csv")


def test_binary_junk() -> None:
    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(4096))
    with pytest.raises(InputError, match="not a recognised activity CSV"):
        parse_csv(junk, "junk.csv")


def test_nul_bytes_and_control_characters() -> None:
    text = "start,sport,duration\n2026-03-14 07:30,run\x00,60\n2026-03-14 08:30,ru\x07n,60\n"
    res = parse_csv(text.encode(), "log.csv")
    assert len(res.activities) == 2  # odd sports become "other" with a warning


def test_a_field_longer_than_the_csv_limit_skips_only_its_row() -> None:
    long = "x" * 300_000
    text = (
        f"start,sport,duration,title\n2026-03-14 07:30,run,60,{long}\n2026-03-15 07:30,run,60,ok\n"
    )
    res = parse_csv(text.encode(), "log.csv")
    assert [a.title for a in res.activities] == ["ok"]
    assert any("row 2:" in w and "unreadable CSV record" in w for w in res.warnings)


def test_a_long_title_is_cut() -> None:
    text = f"start,sport,duration,title\n2026-03-14 07:30,run,60,{'y' * 100_000}\n"
    (a,) = parse_csv(text.encode(), "log.csv").activities
    assert a.title is not None and len(a.title) == 500


def test_unterminated_quote_does_not_crash() -> None:
    text = 'start,sport,duration,title\n2026-03-14 07:30,run,60,"never closed\n2026-03-15 07:30,run,60,x\n'
    try:
        res = parse_csv(text.encode(), "log.csv")
    except InputError:
        return
    assert isinstance(res, ParseResult)


@pytest.mark.parametrize(
    "row",
    [
        "0001-01-01T00:00:00+14:00,run,60",
        "9999-12-31T23:00:00-05:00,run,60",
        "2026-01-01,run," + "9" * 400 + ":00",
        "2026-01-01,run," + "9" * 400,
        "2026-01-01,run,99999999999:00:00:00",
    ],
)
def test_values_out_of_range_skip_their_row(row: str) -> None:
    res = parse_csv(f"start,sport,duration\n{row}\n2026-01-02,run,60\n".encode(), "log.csv")
    assert len(res.activities) == 1
    assert any(w.startswith("log.csv: row 2: ") for w in res.warnings)


def test_strava_date_out_of_range_skips_its_row() -> None:
    text = "Activity ID,Activity Date,Activity Type\n1,0001-01-01T00:00:00+14:00,Run\n2,2024-01-01,Run\n"
    res = parse_csv(text.encode(), "activities.csv")
    assert len(res.activities) == 1


def test_short_and_long_rows() -> None:
    text = "start,sport,duration,distance_km\n2026-03-14 07:30,run,60\n2026-03-14 08:30,run,60,5,extra,cells\n"
    res = parse_csv(text.encode(), "log.csv")
    assert [a.distance_m for a in res.activities] == [None, 5000.0]


def test_warnings_are_capped_on_a_file_of_bad_rows() -> None:
    rows = "".join(f"bad{i},run,60\n" for i in range(1000))
    res = parse_csv(("start,sport,duration\n2026-03-14 07:30,run,60\n" + rows).encode(), "log.csv")
    assert len(res.activities) == 1
    assert len(res.warnings) <= MAX_ROW_WARNINGS + 2
    assert any("more warnings not shown" in w for w in res.warnings)
    assert any("1000 of 1001 rows skipped" in w for w in res.warnings)


def test_formula_looking_title_is_kept_as_text_on_import() -> None:
    text = 'start,sport,duration,title\n2026-03-14 07:30,run,60,"=HYPERLINK(""http://x"")"\n'
    (a,) = parse_csv(text.encode(), "log.csv").activities
    assert a.title == '=HYPERLINK("http://x")'  # neutralised on output, not altered on input
    assert safe_cell(a.title) == "'" + a.title


def test_separator_sniffing_ignores_quoted_separators() -> None:
    assert sniff_separator('"a;b;c;d",x,y\n') == ","
    assert sniff_separator("a;b;c\n1,2;3;4\n") == ";"
    assert sniff_separator("single\n") == ","


def _big_own_csv(rows: int) -> bytes:
    lines = ["start,sport,duration,distance_km,hr_avg,temperature_c,rpe,title"]
    for i in range(rows):
        day = 1 + i % 28
        lines.append(
            f"2026-03-{day:02d} 07:{i % 60:02d},run,{30 + i % 60}:00,{5 + i % 20}.5,14{i % 10},2{i % 10},5,Run {i}"
        )
    return ("\n".join(lines) + "\n").encode()


def _big_garmin_csv(rows: int) -> bytes:
    lines = [GARMIN_HEADER + ",Total Ascent,Moving Time,Elapsed Time"]
    for i in range(rows):
        lines.append(
            f'Running,2025-02-{1 + i % 28:02d} 17:06:03,false,"Run {i}","5.48","1,447",'
            f'"00:31:24","153","--","1,215","00:31:08","00:32:57"'
        )
    return ("\n".join(lines) + "\n").encode()


def _read_and_time(data: bytes, rows: int) -> float:
    """CPU seconds to parse ``data`` (CPU, not wall time: other jobs share the machine)."""
    t0 = time.process_time()
    res = parse_csv(data, "big.csv")
    elapsed = time.process_time() - t0
    assert len(res.activities) == rows
    assert res.warnings == []
    return elapsed


@pytest.mark.parametrize("make", [_big_own_csv, _big_garmin_csv])
def test_a_biggish_file_is_read_quickly(make: Callable[[int], bytes]) -> None:
    elapsed = _read_and_time(make(20_000), 20_000)
    assert elapsed < 2.0, f"20k rows took {elapsed:.1f} s of CPU"


@pytest.mark.slow
@pytest.mark.parametrize("make", [_big_own_csv, _big_garmin_csv])
def test_a_big_file_is_read_quickly(make: Callable[[int], bytes]) -> None:
    elapsed = _read_and_time(make(200_000), 200_000)
    assert elapsed < 10.0, f"200k rows took {elapsed:.1f} s of CPU"


# --- property: any bytes → ParseResult or InputError ----------------------------------

CSVISH = st.text(alphabet=st.sampled_from(list("abc019:-.,;\t\"\n\r '=+@é\x00")), max_size=300)
HEADERS = st.sampled_from(
    [
        "start,sport,duration,distance_km,rpe,race,ascent_m\n",
        "start;sport;duration;distance_km\n",
        GARMIN_HEADER + ",Elapsed Time,Min Temp\n",
        "Activity ID,Activity Date,Activity Type,Elapsed Time,Distance,Distance,Filename\n",
        "",
    ]
)


def _ok_or_input_error(data: bytes) -> None:
    try:
        res = parse_csv(data, "fuzz.csv")
    except InputError:
        return
    assert isinstance(res, ParseResult)
    assert res.activities or res.fills


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_result_or_an_input_error(data: bytes) -> None:
    _ok_or_input_error(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HEADERS, CSVISH)
def test_any_rows_under_a_known_header_give_a_result_or_an_input_error(
    header: str, body: str
) -> None:
    _ok_or_input_error((header + body).encode())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "2026-03-14 07:30",
                    "2026-03-14T07:30:00+14:00",
                    "0001-01-01T00:00:00+14:00",
                    "9999-12-31T23:59:59-12:00",
                    "1/2/0001",
                    "x",
                    "",
                ]
            ),
            st.sampled_from(["run", "bike", "", "zzz"]),
            st.sampled_from(["1:00:00", "-5", "99:99", "", "1e308", "--", "9" * 400 + ":00"]),
            st.sampled_from(["10", "-1", "1,5", "", "nan"]),
        ),
        max_size=20,
    )
)
def test_generated_own_rows_never_crash(rows: list[tuple[str, str, str, str]]) -> None:
    body = "".join(",".join(r) + "\n" for r in rows)
    _ok_or_input_error(("start,sport,duration,distance_km\n" + body).encode())


# --- safe_cell -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+41 79", "'+41 79"),
        ("-sum(A1)", "'-sum(A1)"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Morning run", "Morning run"),
        ("", ""),
        ("a=b", "a=b"),
        (-3.5, -3.5),
        (-3, -3),
        (0, 0),
        (None, None),
        (True, True),
    ],
)
def test_safe_cell(value: object, expected: object) -> None:
    out = safe_cell(value)
    assert out == expected
    assert type(out) is type(expected)
