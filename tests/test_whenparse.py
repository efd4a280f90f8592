"""Human date-times for --when, with an injected ``now``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cramplog.errors import InputError
from cramplog.journal.whenparse import local_zone, parse_when

MADRID = ZoneInfo("Europe/Madrid")
DENVER = ZoneInfo("America/Denver")
# Wednesday 2026-05-06 20:00 in Madrid (CEST, UTC+2)
NOW = datetime(2026, 5, 6, 20, 0, tzinfo=MADRID)


def wall(text: str, now: datetime = NOW, tz: ZoneInfo = MADRID) -> tuple[str, bool]:
    when, date_only = parse_when(text, now=now, tz=tz)
    assert when.tzinfo is not None
    return when.strftime("%Y-%m-%d %H:%M %z"), date_only


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", ("2026-05-06 20:00 +0200", False)),
        ("NOW", ("2026-05-06 20:00 +0200", False)),
        ("today", ("2026-05-06 12:00 +0200", True)),
        ("yesterday", ("2026-05-05 12:00 +0200", True)),
        ("yesterday 19:30", ("2026-05-05 19:30 +0200", False)),
        ("Yesterday at 7pm", ("2026-05-05 19:00 +0200", False)),
        ("today 7:15", ("2026-05-06 07:15 +0200", False)),
        ("19:30", ("2026-05-06 19:30 +0200", False)),
        ("7:05am", ("2026-05-06 07:05 +0200", False)),
        ("2h ago", ("2026-05-06 18:00 +0200", False)),
        ("90 min ago", ("2026-05-06 18:30 +0200", False)),
        ("1.5 hours ago", ("2026-05-06 18:30 +0200", False)),
        ("an hour ago", ("2026-05-06 19:00 +0200", False)),
        ("3 days ago", ("2026-05-03 12:00 +0200", True)),
        ("1 week ago", ("2026-04-29 12:00 +0200", True)),
        # 2026-05-06 is a Wednesday: Monday is 2 days back
        ("monday 18:00", ("2026-05-04 18:00 +0200", False)),
        ("Mon", ("2026-05-04 12:00 +0200", True)),
        ("last friday", ("2026-05-01 12:00 +0200", True)),
        # today's weekday: today when the time has passed, else a week before
        ("wednesday 19:00", ("2026-05-06 19:00 +0200", False)),
        ("wednesday 21:00", ("2026-04-29 21:00 +0200", False)),
        ("wednesday", ("2026-05-06 12:00 +0200", True)),
        ("2026-05-03", ("2026-05-03 12:00 +0200", True)),
        ("2026-05-03 18:30", ("2026-05-03 18:30 +0200", False)),
        ("2026-05-03T18:30:15", ("2026-05-03 18:30 +0200", False)),
        # an explicit offset is converted to the athlete's zone
        ("2026-05-03T16:30Z", ("2026-05-03 18:30 +0200", False)),
        ("2026-05-03T18:30+05:00", ("2026-05-03 15:30 +0200", False)),
        ("  2026-05-03   18:30 ", ("2026-05-03 18:30 +0200", False)),
    ],
)
def test_forms(text: str, expected: tuple[str, bool]) -> None:
    assert wall(text) == expected


@pytest.mark.parametrize(
    "text",
    ["xyz", "", "   ", "25:00", "yesterday 7", "2026-13-01", "2026-02-30 10:00", "3 parsecs ago",
     "blursday", "today 19:75", "13pm", "99999999999999 hours ago", "9999999 weeks ago"],
)  # fmt: skip
def test_unreadable(text: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_when(text, now=NOW, tz=MADRID)
    msg = str(exc.value)
    assert msg.startswith("--when: cannot read")
    assert "2h ago" in msg and "\n" not in msg


@pytest.mark.parametrize(
    "text", ["tomorrow", "2026-05-07", "2026-05-06 21:00", "21:00", "2030-01-01", "today 23:59"]
)
def test_future_is_an_error(text: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_when(text, now=NOW, tz=MADRID)
    assert "--when:" in str(exc.value)
    if text != "tomorrow":  # "tomorrow" is not a form we read at all
        assert "in the future" in str(exc.value)


def test_a_minute_of_clock_slack() -> None:
    assert wall("20:01") == ("2026-05-06 20:01 +0200", False)


def test_spring_forward_day_elapsed_time_uses_the_real_clock() -> None:
    # 2026-03-29: Madrid jumps from 02:00 CET to 03:00 CEST. At 03:30 CEST, two hours ago
    # is 00:30 CET (01:30 on a naive wall clock would be wrong).
    now = datetime(2026, 3, 29, 3, 30, tzinfo=MADRID)
    assert wall("2h ago", now=now) == ("2026-03-29 00:30 +0100", False)
    assert wall("yesterday 19:30", now=now) == ("2026-03-28 19:30 +0100", False)
    assert wall("today", now=now) == ("2026-03-29 12:00 +0200", True)


def test_spring_forward_gap_moves_to_a_real_time() -> None:
    now = datetime(2026, 3, 29, 12, 0, tzinfo=MADRID)
    when, date_only = parse_when("2026-03-29 02:30", now=now, tz=MADRID)
    assert not date_only
    # the wall time 02:30 does not exist that day; it names 01:30 UTC = 03:30 CEST
    assert when.astimezone(timezone.utc) == datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)
    assert when.strftime("%H:%M %z") == "03:30 +0200"


def test_fall_back_day() -> None:
    # 2026-10-25: Madrid goes from 03:00 CEST back to 02:00 CET.
    now = datetime(2026, 10, 25, 12, 0, tzinfo=MADRID)
    assert wall("yesterday 19:30", now=now) == ("2026-10-24 19:30 +0200", False)
    assert wall("today 7:00", now=now) == ("2026-10-25 07:00 +0100", False)
    # 03:30 CET is 02:30 UTC; two hours before is 00:30 UTC, the first 02:30 (CEST)
    late = datetime(2026, 10, 25, 3, 30, tzinfo=MADRID)
    assert wall("2h ago", now=late) == ("2026-10-25 02:30 +0200", False)


def test_now_in_another_zone_is_converted() -> None:
    # 05:00 UTC on 2026-01-16 is 22:00 on the 15th in Denver (UTC-7)
    now = datetime(2026, 1, 16, 5, 0, tzinfo=timezone.utc)
    assert wall("today", now=now, tz=DENVER) == ("2026-01-15 12:00 -0700", True)
    assert wall("21:30", now=now, tz=DENVER) == ("2026-01-15 21:30 -0700", False)


def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError):
        parse_when("now", now=datetime(2026, 5, 6, 20, 0), tz=MADRID)


def test_local_zone_from_tz_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/Denver")
    assert getattr(local_zone(), "key", None) == "America/Denver"


@given(st.text(max_size=40))
def test_never_crashes(text: str) -> None:
    try:
        when, _ = parse_when(text, now=NOW, tz=MADRID)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert when <= NOW + timedelta(seconds=60)
