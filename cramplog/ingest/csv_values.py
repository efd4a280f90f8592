"""Cell readers shared by the activity-CSV dialects: numbers, durations, dates, sports.

Every reader returns ``None`` for a missing cell (empty, ``--``) and raises ``ValueError``
for a cell it cannot read; the dialect modules decide whether that skips the row or only
empties the field.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache

MISSING = frozenset({"", "--", "-", "—", "n/a", "na", "null", "none"})

M_PER_MI = 1609.344
M_PER_FT = 0.3048
M_PER_YD = 0.9144

_THOUSANDS_COMMA = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_THOUSANDS_DOT = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")


def is_missing(cell: str) -> bool:
    return cell.strip().lower() in MISSING


def to_float(cell: str, decimal_comma: bool = False) -> float | None:
    """A number cell: ``12.5``, ``12,5``, ``1,234``, ``1.234,5``, ``1 234``, ``'-12``.

    ``decimal_comma`` (the file's separator is ``;``) makes ``,`` the decimal mark and ``.``
    a thousands separator. Otherwise a comma followed by groups of exactly three digits is a
    thousands separator (``"1,234"`` → 1234) and any other comma is a decimal mark
    (``"5,81"`` → 5.81, as some Garmin locales write it).
    """
    s = cell.strip()
    if s.lower() in MISSING:
        return None
    # Excel's "this is text" quote (Garmin writes '-12), and grouping spaces.
    s = s.translate(_SPACES)
    if "," in s:
        if "." in s:
            if s.rfind(",") > s.rfind("."):  # 1.234,5
                s = s.replace(".", "").replace(",", ".")
            else:  # 1,234.5
                s = s.replace(",", "")
        elif not decimal_comma and _THOUSANDS_COMMA.fullmatch(s):
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif decimal_comma and "." in s and _THOUSANDS_DOT.fullmatch(s):
        s = s.replace(".", "")
    if "_" in s:  # float() would accept 1_000; a spreadsheet would not
        raise ValueError(f"not a number: {cell[:40]!r}")
    try:
        value = float(s)
    except ValueError:
        raise ValueError(f"not a number: {cell[:40]!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {cell[:40]!r}")
    return value


MAX_SECONDS = 10**9  # ~32 years: anything longer is not a session
_CLOCK = re.compile(r"(?:(?:(\d+):)?(\d+):)?(\d+):(\d{1,2}(?:[.,]\d+)?)")


def to_seconds(cell: str, decimal_comma: bool = False) -> float | None:
    """A duration: ``hh:mm:ss``, ``h:mm:ss.f``, ``mm:ss``, ``d:hh:mm:ss`` or plain seconds."""
    s = cell.strip()
    if s.lower() in MISSING:
        return None
    s = s.lstrip("'")
    if ":" not in s:
        return to_float(s, decimal_comma)
    negative = s.startswith("-")
    m = _CLOCK.fullmatch(s.lstrip("+-"))
    if m is None:
        raise ValueError(f"not a duration: {cell[:40]!r}")
    days, hours, minutes, secs = m.groups()
    sec = float(secs.replace(",", "."))
    # The leading part may run over (90:00 is 90 minutes); the parts after it may not.
    if sec >= 60 or (hours is not None and int(minutes) >= 60):
        raise ValueError(f"not a duration: {cell[:40]!r}")
    if days is not None and int(hours) >= 24:
        raise ValueError(f"not a duration: {cell[:40]!r}")
    whole = 60 * int(minutes) + 3600 * int(hours or 0) + 86400 * int(days or 0)
    if whole > MAX_SECONDS:
        raise ValueError(f"duration out of range: {cell[:40]!r}")
    total = sec + whole
    return -total if negative else total


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
# German/French/Spanish abbreviations that differ from the English ones.
_MONTHS.update({"mär": 3, "mai": 5, "okt": 10, "dez": 12, "janv": 1, "févr": 2, "mars": 3})
_MONTHS.update({"avr": 4, "juin": 6, "juil": 7, "déc": 12, "ene": 1, "abr": 4, "ago": 8})
_MONTHS.update({"dic": 12})

_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([ap]\.?\s?m\.?)?"
_MONTH_NAME_DT = re.compile(r"([^\W\d_]{3,5})\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+" + _TIME, re.I)
_DAY_MONTH_NAME_DT = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]{3,5})\.?\s+(\d{4}),?\s+" + _TIME, re.I)
_NUMERIC_DT = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4}),?(?:[ T]+" + _TIME + r")?", re.I)


def _clock(h: str, mi: str, sec: str | None, ampm: str | None) -> tuple[int, int, int]:
    hour = int(h)
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range for AM/PM")
        pm = ampm.lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    return hour, int(mi), int(sec or 0)


def to_datetime(cell: str) -> datetime | None:
    """A date-time as written by cramplog, Garmin Connect or Strava (any language listed).

    Returns a naive datetime when the text has no zone, an aware one when it has an offset.
    Accepts ISO 8601 (``2026-03-14 07:30``, ``2026-03-14T07:30:00-07:00``, a bare date),
    ``May 9, 2023, 10:09:29 AM``, ``9 May 2023 10:09``, ``20.09.2026, 14:12:12`` (day first
    with dots), ``7/4/2020 15:36`` (month first with slashes unless the first number is > 12).
    """
    s = " ".join(cell.replace("\u202f", " ").replace("\u00a0", " ").split())
    if s.lower() in MISSING:
        return None
    try:
        return datetime.fromisoformat(s)
    except ValueError:
        pass
    m = _MONTH_NAME_DT.fullmatch(s)
    if m:
        mon, day, year = _month(m.group(1)), int(m.group(2)), int(m.group(3))
        return datetime(year, mon, day, *_clock(*m.group(4, 5, 6, 7)))
    m = _DAY_MONTH_NAME_DT.fullmatch(s)
    if m:
        day, mon, year = int(m.group(1)), _month(m.group(2)), int(m.group(3))
        return datetime(year, mon, day, *_clock(*m.group(4, 5, 6, 7)))
    m = _NUMERIC_DT.fullmatch(s)
    if m:
        a, sep, b, c = m.group(1), m.group(2), int(m.group(3)), m.group(4)
        if len(a) == 4:  # 2026/03/14
            year, mon, day = int(a), b, int(c)
        elif len(c) == 4:
            first = int(a)
            if sep == "/" and first <= 12:  # US month first
                mon, day = first, b
            else:
                day, mon = first, b
            year = int(c)
        else:
            raise ValueError(f"not a date: {cell[:40]!r}")
        if m.group(5) is None:
            return datetime(year, mon, day)
        return datetime(year, mon, day, *_clock(*m.group(5, 6, 7, 8)))
    raise ValueError(f"not a date: {cell[:40]!r}")


def _month(text: str) -> int:
    key = text.lower().rstrip(".")
    for length in (len(key), 4, 3):
        if key[:length] in _MONTHS:
            return _MONTHS[key[:length]]
    raise ValueError(f"unknown month {text!r}")


def split_aware(dt: datetime) -> tuple[datetime, int | None]:
    """(start, utc_offset_s): aware → (UTC, offset seconds); naive local → (as is, None)."""
    off = dt.utcoffset()
    if off is None:
        return dt, None
    try:
        return dt.astimezone(timezone.utc), int(off / timedelta(seconds=1))
    except OverflowError:
        raise ValueError(f"date out of range: {dt.isoformat()}") from None


TRUE = frozenset({"yes", "y", "true", "t", "1", "1.0", "x", "ja", "oui", "sí", "si"})
FALSE = frozenset({"no", "n", "false", "f", "0", "0.0", "nein", "non"})


def to_bool(cell: str) -> bool | None:
    s = cell.strip().lower()
    if s in TRUE:
        return True
    if s in FALSE:
        return False
    if s in MISSING:
        return None
    raise ValueError(f"not yes/no: {cell[:40]!r}")


def f_to_c(value: float | None) -> float | None:
    return None if value is None else (value - 32.0) * 5.0 / 9.0


# Exact activity-type names (lower case) from Garmin Connect (en, de, fr, es), Strava (en, de)
# and cramplog's own synonyms. Anything else goes through the keyword rules below.
SPORT_NAMES: dict[str, str] = {
    # cramplog's own synonyms
    "run": "running",
    "trail": "trail_running",
    "trail run": "trail_running",
    "bike": "cycling",
    "ride": "cycling",
    "swim": "swimming",
    "walk": "walking",
    "hike": "hiking",
    "row": "rowing",
    "gym": "strength",
    "weights": "strength",
    # Garmin Connect (English)
    "running": "running",
    "trail running": "trail_running",
    "treadmill running": "treadmill",
    "indoor running": "treadmill",
    "track running": "track_running",
    "cycling": "cycling",
    "road cycling": "cycling",
    "indoor cycling": "cycling",
    "mountain biking": "cycling",
    "gravel cycling": "cycling",
    "virtual cycling": "cycling",
    "pool swim": "swimming",
    "pool swimming": "swimming",
    "open water swimming": "swimming",
    "walking": "walking",
    "hiking": "hiking",
    "rowing": "rowing",
    "indoor rowing": "rowing",
    "strength training": "strength",
    # Strava (English)
    "virtual run": "treadmill",
    "virtual ride": "cycling",
    "gravel ride": "cycling",
    "mountain bike ride": "cycling",
    "e-bike ride": "cycling",
    "e-mountain bike ride": "cycling",
    "velomobile": "cycling",
    "weight training": "strength",
    "crossfit": "strength",
    "workout": "other",
    "yoga": "other",
    # Garmin Connect (German)
    "laufen": "running",
    "trailrunning": "trail_running",
    "laufband": "treadmill",
    "laufbandtraining": "treadmill",
    "bahnlauf": "track_running",
    "radfahren": "cycling",
    "rennradfahren": "cycling",
    "indoor-radfahren": "cycling",
    "mountainbiken": "cycling",
    "schwimmbadschwimmen": "swimming",
    "freiwasserschwimmen": "swimming",
    "schwimmen": "swimming",
    "gehen": "walking",
    "wandern": "hiking",
    "rudern": "rowing",
    "krafttraining": "strength",
    # Strava (German)
    "lauf": "running",
    "radfahrt": "cycling",
    "wanderung": "hiking",
    "spaziergang": "walking",
    # Garmin Connect (French)
    "course à pied": "running",
    "course à pied sur tapis roulant": "treadmill",
    "course sur piste": "track_running",
    "cyclisme": "cycling",
    "natation en piscine": "swimming",
    "natation en eau libre": "swimming",
    "marche": "walking",
    "randonnée": "hiking",
    "aviron": "rowing",
    "musculation": "strength",
    # Garmin Connect (Spanish)
    "carrera": "running",
    "carrera en cinta": "treadmill",
    "carrera en pista": "track_running",
    "carrera por montaña": "trail_running",
    "carrera en montaña": "trail_running",
    "ciclismo": "cycling",
    "natación en piscina": "swimming",
    "natación en aguas abiertas": "swimming",
    "caminar": "walking",
    "senderismo": "hiking",
    "remo": "rowing",
    "entrenamiento de fuerza": "strength",
}

# (keyword, sport), first match wins; the order puts specific kinds before general ones.
SPORT_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("treadmill", "treadmill"),
    ("laufband", "treadmill"),
    ("tapis", "treadmill"),
    ("cinta", "treadmill"),
    ("trail", "trail_running"),
    ("montaña", "trail_running"),
    ("track", "track_running"),
    ("piste", "track_running"),
    ("swim", "swimming"),
    ("schwimm", "swimming"),
    ("natation", "swimming"),
    ("natación", "swimming"),
    ("cycl", "cycling"),
    ("bik", "cycling"),
    ("ride", "cycling"),
    ("radf", "cycling"),
    ("vélo", "cycling"),
    ("ciclis", "cycling"),
    ("run", "running"),
    ("lauf", "running"),
    ("course", "running"),
    ("carrera", "running"),
    ("hik", "hiking"),
    ("wander", "hiking"),
    ("randonn", "hiking"),
    ("walk", "walking"),
    ("row", "rowing"),
    ("strength", "strength"),
    ("kraft", "strength"),
    ("muscu", "strength"),
    ("weight", "strength"),
)


@lru_cache(maxsize=512)
def to_sport(cell: str) -> str:
    """The model sport for an activity-type name; ``other`` when nothing matches."""
    from cramplog.model import SPORTS

    key = " ".join(cell.strip().lower().split())
    if key in SPORT_NAMES:
        return SPORT_NAMES[key]
    underscored = key.replace(" ", "_").replace("-", "_")
    if underscored in SPORTS:
        return underscored
    for word, sport in SPORT_KEYWORDS:
        if word in key:
            return sport
    return "other"


class RowError(ValueError):
    """The row cannot become an activity; the message says why (without the row number)."""


@dataclass
class DialectState:
    """What a dialect needs to know about the file besides its header."""

    name: str
    decimal_comma: bool = False
    miles: bool = False  # distances in miles (Garmin: and ascent in feet, temperatures in °F)
    warnings: list[str] = field(default_factory=list)
    row: int = 0  # the current row, numbered as a spreadsheet shows it (header = row 1)

    def warn(self, message: str) -> None:
        self.warnings.append(f"row {self.row}: {message}")

    def num(self, row: list[str], idx: int | None, label: str) -> float | None:
        """An optional number field: unreadable → ``None`` and a warning."""
        if idx is None or idx >= len(row):
            return None
        try:
            return to_float(row[idx], self.decimal_comma)
        except ValueError as exc:
            self.warn(f"{label}: {exc}; left empty")
            return None

    def num_strict(self, row: list[str], idx: int | None) -> float | None:
        """A number field whose unreadable value makes the caller skip the row."""
        if idx is None or idx >= len(row):
            return None
        return to_float(row[idx], self.decimal_comma)

    def secs(self, row: list[str], idx: int | None, label: str) -> float | None:
        """An optional duration field: unreadable or negative → ``None`` and a warning."""
        if idx is None or idx >= len(row):
            return None
        try:
            value = to_seconds(row[idx], self.decimal_comma)
        except ValueError as exc:
            self.warn(f"{label}: {exc}; left empty")
            return None
        if value is not None and value < 0:
            self.warn(f"{label}: negative duration {row[idx].strip()[:40]!r}; left empty")
            return None
        return value

    def text(self, row: list[str], idx: int | None) -> str | None:
        if idx is None or idx >= len(row):
            return None
        s = row[idx].strip()
        return s[:MAX_TEXT] if s and s != "--" else None


MAX_TEXT = 500  # titles longer than this are cut: they are labels, not documents


def cell(row: list[str], idx: int | None) -> str:
    return row[idx] if idx is not None and idx < len(row) else ""


def in_range(
    ctx: DialectState, value: float | None, lo: float, hi: float, label: str
) -> float | None:
    """``value`` when inside [lo, hi]; otherwise ``None`` and a warning."""
    if value is None or lo <= value <= hi:
        return value
    ctx.warn(f"{label} {value:g} is outside {lo:g}–{hi:g}; left empty")
    return None
