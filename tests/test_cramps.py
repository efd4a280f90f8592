"""Cramp events: muscle names, value checks, cramps.csv, and linking to sessions."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cramplog.errors import InputError
from cramplog.journal.cramps import (
    link_cramps,
    normalize_muscle,
    normalize_severity,
    normalize_side,
    normalize_timing,
    parse_cramps_csv,
    validate_event,
    write_cramps_csv,
)
from cramplog.model import MUSCLES, Activity, CrampEvent

FIXTURES = Path(__file__).parent / "fixtures" / "cramps"
MADRID = ZoneInfo("Europe/Madrid")
DENVER = ZoneInfo("America/Denver")
LA = ZoneInfo("America/Los_Angeles")
UTC = timezone.utc
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


# -- muscles and values --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "muscle"),
    [
        ("calf", "calf"),
        ("Calves", "calf"),
        ("quads", "quadriceps"),
        ("Quadriceps", "quadriceps"),
        ("inner thigh", "adductor"),
        ("shin", "tibialis_anterior"),
        ("tibialis-anterior", "tibialis_anterior"),
        ("hammy", "hamstring"),
        ("glutes", "glute"),
        ("hip flexors", "hip_flexor"),
        ("HIP_FLEXOR", "hip_flexor"),
        ("arch", "foot"),
        ("toes", "foot"),
        ("  calf muscle ", "calf"),
        ("other", "other"),
    ],
)
def test_muscle_synonyms(text: str, muscle: str) -> None:
    assert normalize_muscle(text) == muscle


@pytest.mark.parametrize("muscle", MUSCLES)
def test_every_canonical_muscle_is_accepted(muscle: str) -> None:
    assert normalize_muscle(muscle) == muscle


@pytest.mark.parametrize(("typo", "suggestion"), [("calff", "calf"), ("hamstrng", "hamstring"),
                                                  ("quadricepz", "quadriceps")])  # fmt: skip
def test_unknown_muscle_suggests_the_closest(typo: str, suggestion: str) -> None:
    with pytest.raises(InputError) as exc:
        normalize_muscle(typo)
    msg = str(exc.value)
    assert f"did you mean '{suggestion}'?" in msg
    for m in MUSCLES:
        assert m in msg


def test_unknown_muscle_without_a_close_match() -> None:
    with pytest.raises(InputError) as exc:
        normalize_muscle("elbow")
    assert "did you mean" not in str(exc.value)
    assert "accepted: calf, hamstring" in str(exc.value)


def test_side_timing_severity() -> None:
    assert normalize_side("L") == "left"
    assert normalize_side(" Both ") == "both"
    assert normalize_side("") is None
    assert normalize_timing("During") == "during"
    assert normalize_timing(None) is None
    assert normalize_severity("3") == 3
    assert normalize_severity("4.0") == 4
    assert normalize_severity(" ") is None
    with pytest.raises(InputError, match=r"side must be one of left, right, both \(got 'up'\)"):
        normalize_side("up")
    with pytest.raises(InputError, match="timing must be one of during, after, night, rest"):
        normalize_timing("morning")
    for bad in ("0", "6", "9", "2.5", "three", "-1"):
        with pytest.raises(InputError, match="severity must be 1–5"):
            normalize_severity(bad)


def test_validate_event_rejects_the_future() -> None:
    with pytest.raises(InputError, match="in the future"):
        validate_event(when=NOW + timedelta(hours=1), muscle="calf", now=NOW)
    with pytest.raises(InputError, match="in the future"):
        validate_event(
            when=datetime(2026, 6, 2, 12, tzinfo=UTC), date_only=True, muscle="calf", now=NOW
        )
    ev = validate_event(when=NOW, muscle="quads", notes="  ", now=NOW, severity=2)
    assert (ev.muscle, ev.notes, ev.severity) == ("quadriceps", None, 2)


def test_validate_event_keeps_the_minute() -> None:
    # the store keys an event by its local time to the minute; seconds would skew its offset
    ev = validate_event(when=datetime(2026, 5, 3, 18, 40, 30, 5, tzinfo=MADRID), muscle="calf",
                        now=NOW)  # fmt: skip
    assert ev.when == datetime(2026, 5, 3, 18, 40, tzinfo=MADRID)


# -- cramps.csv ----------------------------------------------------------------------------


def test_parse_good_csv() -> None:
    events, warnings = parse_cramps_csv(
        (FIXTURES / "good.csv").read_bytes(), "good.csv", MADRID, now=NOW
    )
    assert warnings == []
    assert [e.muscle for e in events] == ["calf", "quadriceps", "adductor", "hip_flexor"]
    first = events[0]
    assert first.when == datetime(2026, 5, 3, 18, 40, tzinfo=MADRID)
    assert first.when.utcoffset() == timedelta(hours=2)
    assert (first.side, first.severity, first.timing, first.notes) == (
        "left",
        3,
        "during",
        "long run, hot",
    )
    assert not first.date_only
    second = events[1]
    assert second.date_only and second.when.date() == date(2026, 5, 4)
    assert (second.side, second.timing, second.notes) == ("both", "after", None)
    third = events[2]
    assert third.when.astimezone(UTC) == datetime(2026, 5, 5, 21, 10, tzinfo=UTC)
    assert third.severity is None
    assert events[3].side is None and events[3].timing is None


def test_bad_row_names_the_row() -> None:
    data = (FIXTURES / "bad_row.csv").read_bytes()
    with pytest.raises(InputError) as exc:
        parse_cramps_csv(data, "cramps.csv", MADRID, now=NOW)
    assert str(exc.value) == "cramps.csv: row 7: severity must be 1–5 (got 9)"


def test_bad_row_skipped_on_request() -> None:
    data = (FIXTURES / "bad_row.csv").read_bytes()
    events, warnings = parse_cramps_csv(data, "cramps.csv", MADRID, now=NOW, skip_bad_rows=True)
    assert len(events) == 6
    assert [e.when.date().day for e in events] == [3, 4, 5, 6, 7, 9]
    assert warnings == ["cramps.csv: row 7: severity must be 1–5 (got 9) (skipped)"]


def test_missing_required_column() -> None:
    data = (FIXTURES / "missing_muscle.csv").read_bytes()
    with pytest.raises(InputError) as exc:
        parse_cramps_csv(data, "cramps.csv", MADRID, now=NOW, skip_bad_rows=True)
    assert "missing required column 'muscle'" in str(exc.value)
    assert str(exc.value).startswith("cramps.csv: ")


def test_bom_semicolons_mixed_case_header_and_unknown_column() -> None:
    data = (FIXTURES / "bom_semicolon.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    events, warnings = parse_cramps_csv(data, "cramps.csv", MADRID, now=NOW)
    assert len(events) == 1
    assert events[0].muscle == "hamstring" and events[0].side == "left"
    assert events[0].notes == "=1+2"
    assert warnings == ["cramps.csv: ignoring unknown column(s) 'weather'"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("yesterday,calf", "row 2: when: cannot read 'yesterday'"),
        ("2026-05-03 18:40,elbow", "row 2: unknown muscle 'elbow'"),
        ("2026-05-03 18:40,calf,up", "row 2: side must be one of"),
        ("2026-05-03 18:40,calf,left,3,morning", "row 2: timing must be one of"),
        ("2030-01-01,calf", "row 2: when: 2030-01-01 is in the future"),
        (",calf", "row 2: when is empty"),
        ("2026-05-03,", "row 2: muscle is empty"),
        ("2026-05-03,calf,left,3,during,a,b", "row 2: 7 cells but the header has 6 columns"),
        ("2026-02-30,calf", "row 2: when: cannot read '2026-02-30'"),
    ],
)
def test_bad_values(row: str, message: str) -> None:
    data = f"when,muscle,side,severity,timing,notes\n{row}\n".encode()
    with pytest.raises(InputError) as exc:
        parse_cramps_csv(data, "cramps.csv", MADRID, now=NOW)
    assert str(exc.value).startswith(f"cramps.csv: {message}")
    assert "\n" not in str(exc.value)


def test_row_numbers_count_quoted_multiline_cells_as_one_row() -> None:
    data = b'when,muscle,notes\n2026-05-03,calf,"line one\nline two"\n2026-05-04,elbow,\n'
    with pytest.raises(InputError, match="row 3: unknown muscle"):
        parse_cramps_csv(data, "c.csv", MADRID, now=NOW)


def test_blank_lines_are_skipped_and_empty_or_binary_files_rejected() -> None:
    events, _ = parse_cramps_csv(b"when,muscle\n\n2026-05-03,calf\n,\n", "c.csv", MADRID, now=NOW)
    assert len(events) == 1
    with pytest.raises(InputError, match="empty file"):
        parse_cramps_csv(b"", "c.csv", MADRID, now=NOW)
    with pytest.raises(InputError, match="not UTF-8"):
        parse_cramps_csv(b"when,muscle\n2026-05-03,\xff\xfe\n", "c.csv", MADRID, now=NOW)


def test_export_round_trip_keeps_every_field() -> None:
    data = (FIXTURES / "good.csv").read_bytes()
    events, _ = parse_cramps_csv(data, "good.csv", MADRID, now=NOW)
    events[3].notes = "-tight after hills"
    text = write_cramps_csv(events)
    assert text.splitlines()[0] == "when,muscle,side,severity,timing,notes"
    assert "'-tight after hills" in text  # formula-safe in a spreadsheet
    again, warnings = parse_cramps_csv(text.encode(), "export.csv", MADRID, now=NOW)
    assert warnings == []
    key = [(e.when, e.date_only, e.muscle, e.side, e.severity, e.timing, e.notes) for e in events]
    assert [(e.when, e.date_only, e.muscle, e.side, e.severity, e.timing, e.notes)
            for e in again] == key  # fmt: skip


@given(st.binary(max_size=300))
def test_parser_only_raises_input_errors(data: bytes) -> None:
    try:
        events, _ = parse_cramps_csv(b"when,muscle\n" + data, "c.csv", MADRID, now=NOW)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert all(e.muscle in MUSCLES for e in events)


# -- linking -------------------------------------------------------------------------------


def act(
    aid: int,
    start: datetime,
    minutes: float,
    *,
    km: float | None = None,
    offset_h: float | None = None,
) -> Activity:
    return Activity(
        sport="running",
        start=start.astimezone(UTC),
        elapsed_s=minutes * 60,
        distance_m=None if km is None else km * 1000,
        utc_offset_s=None if offset_h is None else int(offset_h * 3600),
        id=aid,
    )


def ev(when: datetime, timing: str | None = None, *, date_only: bool = False) -> CrampEvent:
    return CrampEvent(when=when, muscle="calf", timing=timing, date_only=date_only)


def linked(events: list[CrampEvent], acts: list[Activity], tz: ZoneInfo = MADRID) -> list:
    link_cramps(events, acts, tz)
    return [e.activity_id for e in events]


def M(day: int, hour: int, minute: int = 0) -> datetime:  # noqa: N802 - a Madrid wall time
    return datetime(2026, 5, day, hour, minute, tzinfo=MADRID)


SESSIONS = [
    act(1, M(3, 7, 0), 40, km=8),  # 07:00–07:40
    act(2, M(3, 18, 0), 120, km=21.1),  # 18:00–20:00
    act(3, M(4, 9, 0), 60, km=10),  # 09:00–10:00
]


def test_during_inside_the_span() -> None:
    assert linked([ev(M(3, 19, 10), "during")], SESSIONS) == [2]
    assert linked([ev(M(3, 7, 5), "during")], SESSIONS) == [1]


def test_during_allows_a_few_minutes_slack() -> None:
    assert linked([ev(M(3, 17, 57), "during")], SESSIONS) == [2]
    assert linked([ev(M(3, 20, 4), "during")], SESSIONS) == [2]


def test_during_logged_after_the_session_ends_links_to_it() -> None:
    assert linked([ev(M(3, 20, 45), "during")], SESSIONS) == [2]


def test_during_with_no_session_before_is_unlinked() -> None:
    assert linked([ev(M(2, 19, 0), "during")], SESSIONS) == [None]
    assert linked([ev(M(3, 6, 0), "during")], SESSIONS) == [None]


def test_after_is_the_last_session_that_ended_up_to_6h_before() -> None:
    assert linked([ev(M(3, 21, 30), "after")], SESSIONS) == [2]
    assert linked([ev(M(3, 12, 0), "after")], SESSIONS) == [1]
    assert linked([ev(M(3, 13, 39), "after")], SESSIONS) == [1]  # 5 h 59 after 07:40
    assert linked([ev(M(3, 13, 41), "after")], SESSIONS) == [None]  # 6 h 01 after
    assert linked([ev(M(4, 1, 30), "after")], SESSIONS) == [2]


@pytest.mark.parametrize("timing", ["night", "rest"])
def test_night_and_rest_are_never_linked(timing: str) -> None:
    assert linked([ev(M(3, 19, 0), timing), ev(M(3, 23, 0), timing)], SESSIONS) == [None, None]
    assert linked([ev(M(3, 12), timing, date_only=True)], SESSIONS) == [None]


def test_no_timing_during_then_after_then_none() -> None:
    events = [ev(M(3, 18, 30)), ev(M(3, 22, 0)), ev(M(4, 8, 0)), ev(M(4, 9, 30))]
    assert linked(events, SESSIONS) == [2, 2, None, 3]


def test_date_only() -> None:
    noon3 = M(3, 12)
    assert linked([ev(noon3, "during", date_only=True)], SESSIONS) == [2]  # the longest
    assert linked([ev(noon3, "after", date_only=True)], SESSIONS) == [2]  # the last
    assert linked([ev(noon3, None, date_only=True)], SESSIONS) == [2]
    assert linked([ev(M(4, 12), "after", date_only=True)], SESSIONS) == [3]
    assert linked([ev(M(5, 12), "during", date_only=True)], SESSIONS) == [None]


def test_date_only_after_picks_the_last_not_the_longest() -> None:
    sessions = [act(1, M(3, 7), 150, km=25), act(2, M(3, 18), 30, km=5)]
    assert linked([ev(M(3, 12), "after", date_only=True)], sessions) == [2]
    assert linked([ev(M(3, 12), "during", date_only=True)], sessions) == [1]


def test_sessions_without_an_id_are_ignored() -> None:
    unsaved = act(1, M(3, 18), 60)
    unsaved.id = None
    assert linked([ev(M(3, 18, 30), "during")], [unsaved]) == [None]


@pytest.mark.parametrize(
    ("tz", "run_local", "offset_h"),
    [
        # Denver in winter (MST, UTC-7); the run's UTC start is the next day
        (DENVER, datetime(2026, 1, 15, 19, 30), None),
        (DENVER, datetime(2026, 1, 15, 19, 30), -7),
        # Los Angeles in summer (PDT, UTC-7)
        (LA, datetime(2026, 7, 15, 19, 30), None),
        (LA, datetime(2026, 7, 15, 19, 30), -7),
    ],
)
def test_late_cramp_after_an_evening_run_in_utc_minus_7(
    tz: ZoneInfo, run_local: datetime, offset_h: float | None
) -> None:
    day = run_local.date()
    start = run_local.replace(tzinfo=tz)
    morning = act(10, start.replace(hour=6), 45, km=9, offset_h=offset_h)
    evening = act(11, start, 70, km=14, offset_h=offset_h)  # 19:30–20:40 local
    next_morning = act(12, start.replace(hour=7) + timedelta(days=1), 50, offset_h=offset_h)
    acts = [morning, evening, next_morning]
    assert evening.start.date() == day + timedelta(days=1)  # UTC says "tomorrow"
    assert evening.local_date(tz) == day
    cramp_at = datetime.combine(day, datetime.min.time()).replace(hour=23, minute=30, tzinfo=tz)
    assert cramp_at.utcoffset() == timedelta(hours=-7)
    # a timed cramp at 23:30 local, after the run
    assert linked([ev(cramp_at, "after")], acts, tz) == [11]
    assert linked([ev(cramp_at)], acts, tz) == [11]
    # the same day, date only: that local day's last session is the evening run, not the
    # next morning's run that shares its UTC date
    noon = cramp_at.replace(hour=12, minute=0)
    assert linked([ev(noon, "after", date_only=True)], acts, tz) == [11]
    assert linked([ev(noon, "during", date_only=True)], acts, tz) == [11]  # longest that day
    # and a night cramp is linked to nothing
    assert linked([ev(cramp_at, "night")], acts, tz) == [None]


def test_file_offset_wins_over_the_profile_zone_for_the_local_day() -> None:
    # a run recorded in Denver (offset -7 in the file) analysed with a Madrid profile
    run = act(1, datetime(2026, 1, 15, 19, 30, tzinfo=DENVER), 60, offset_h=-7)
    noon_15 = datetime(2026, 1, 15, 12, tzinfo=MADRID)
    assert linked([ev(noon_15, "after", date_only=True)], [run], MADRID) == [1]
    run.utc_offset_s = None  # without it, Madrid's day decides: the 16th
    assert linked([ev(noon_15, "after", date_only=True)], [run], MADRID) == [None]
