"""Human date-times for ``cramp add --when``: ISO dates and times, "yesterday 19:30",
"2h ago", "monday 18:00", "19:30" and friends, read in the athlete's local zone.

Every function takes ``now`` explicitly so tests (and DST change days) are reproducible.
A date without a time is returned as local noon with ``date_only=True``.

Rules worth knowing:

- "2h ago" / "90 min ago" are elapsed time: subtracted on the UTC clock, so they stay right
  across a DST change.
- "3 days ago" / "1 week ago" name a day, not an instant: date only.
- A weekday ("monday", "mon 18:00", "last monday") is the most recent such day that is not in
  the future: today when today is that weekday and the time has passed, else a week before.
- A wall time that does not exist (the hour skipped when clocks go forward) is moved forward
  by the gap; an ambiguous one (clocks go back) is the first occurrence.
- Anything in the future is an error.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path

from cramplog.errors import InputError

HINT = "use e.g. 2026-05-03 18:30, 'yesterday 19:30' or '2h ago'"

_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}

_UNITS_S = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
}
_UNITS_DAYS = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "week": 7, "weeks": 7}

_TIME_RE = re.compile(r"(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::(?P<s>\d{2}))?)?\s*(?P<ampm>am|pm)?")
_AGO_RE = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[a-z]+)\s+ago")
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def local_zone() -> tzinfo:
    """The system's local zone as an IANA zone when it can be found (DST-safe), else a fixed
    offset: ``TZ``, then ``/etc/localtime``, then ``/etc/timezone``."""
    from zoneinfo import ZoneInfo

    candidates: list[str] = []
    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        candidates.append(env)
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    for name in candidates:
        try:
            return ZoneInfo(name)
        except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            continue
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    return timezone(offset)


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """A naive local wall time made aware in ``tz``; a non-existent wall time (spring-forward
    gap) becomes the real instant it names, shown at its real local time."""
    aware = naive.replace(tzinfo=tz)
    return aware.astimezone(timezone.utc).astimezone(tz)


def local_noon(day: date, tz: tzinfo) -> datetime:
    """How a date-only event is stored: noon of that local day."""
    return localize(datetime.combine(day, time(12, 0)), tz)


def parse_iso(text: str, tz: tzinfo) -> tuple[datetime, bool] | None:
    """An ISO 8601 date or date-time (``T`` or a space; offset optional) as an aware datetime in
    ``tz`` and a date-only flag; ``None`` when ``text`` is not ISO 8601."""
    s = text.strip()
    if _ISO_DATE_RE.fullmatch(s):
        try:
            return local_noon(date.fromisoformat(s), tz), True
        except ValueError:
            return None
    if not _ISO_DATE_RE.match(s):
        return None
    try:
        dt = datetime.fromisoformat(s.replace("z", "Z"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        return localize(dt, tz), False
    return dt.astimezone(tz), False


def _parse_time(text: str) -> time | None:
    m = _TIME_RE.fullmatch(text)
    if m is None:
        return None
    hour = int(m["h"])
    minute = int(m["m"] or 0)
    second = int(m["s"] or 0)
    ampm = m["ampm"]
    if m["m"] is None and ampm is None:
        return None  # a bare number is not a time
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _on_day(day: date, rest: str, tz: tzinfo) -> tuple[datetime, bool] | None:
    """``day`` with an optional time in ``rest`` ("", "19:30", "at 7pm")."""
    rest = rest.strip()
    if rest.startswith("at "):
        rest = rest[3:].strip()
    if not rest:
        return local_noon(day, tz), True
    t = _parse_time(rest)
    if t is None:
        return None
    return localize(datetime.combine(day, t), tz), False


def _interpret(s: str, now_local: datetime, tz: tzinfo) -> tuple[datetime, bool] | None:
    today = now_local.date()
    if s in ("now", "just now", "right now"):
        return now_local, False
    iso = parse_iso(s.upper(), tz) if s[:1].isdigit() else None
    if iso is not None:
        return iso
    m = _AGO_RE.fullmatch(re.sub(r"^an? ", "1 ", s))
    if m is not None:
        n = float(m["n"])
        unit = m["unit"]
        if unit in _UNITS_S:
            instant = now_local.astimezone(timezone.utc) - timedelta(seconds=n * _UNITS_S[unit])
            return instant.astimezone(tz), False
        if unit in _UNITS_DAYS and n.is_integer():
            return local_noon(today - timedelta(days=int(n) * _UNITS_DAYS[unit]), tz), True
        return None
    head, _, rest = s.partition(" ")
    if head == "today" or head == "tonight":
        return _on_day(today, rest, tz)
    if head == "yesterday":
        return _on_day(today - timedelta(days=1), rest, tz)
    if head == "last" and rest:
        head, _, rest = rest.partition(" ")
    if head in _WEEKDAYS:
        back = (today.weekday() - _WEEKDAYS[head]) % 7
        found = _on_day(today - timedelta(days=back), rest, tz)
        if found is not None and back == 0 and _is_future(found, now_local):
            found = _on_day(today - timedelta(days=7), rest, tz)
        return found
    t = _parse_time(s)
    if t is not None:
        return localize(datetime.combine(today, t), tz), False
    return None


def _is_future(found: tuple[datetime, bool], now_local: datetime) -> bool:
    when, date_only = found
    if date_only:
        return when.date() > now_local.date()
    return when > now_local + timedelta(seconds=60)


def parse_when(text: str, *, now: datetime, tz: tzinfo) -> tuple[datetime, bool]:
    """``text`` read as a local date-time in ``tz``: (aware datetime in ``tz``, date_only).

    ``now`` must be timezone-aware. Raises InputError for text it cannot read and for a
    moment in the future (a minute of clock slack is allowed).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now_local = now.astimezone(tz)
    s = " ".join(text.strip().lower().replace(",", " ").split())
    try:
        found = _interpret(s, now_local, tz) if s else None
    except (OverflowError, ValueError):  # "99999999 days ago", year out of range
        found = None
    if found is None:
        raise InputError(f"--when: cannot read {text!r}; {HINT}")
    if _is_future(found, now_local):
        shown = found[0].date().isoformat() if found[1] else format_local(found[0])
        raise InputError(f"--when: {shown} is in the future (now {format_local(now_local)})")
    return found


def format_local(dt: datetime) -> str:
    """``2026-05-03 18:40`` — how messages show a local time."""
    return dt.strftime("%Y-%m-%d %H:%M")
