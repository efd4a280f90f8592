"""``athlete.toml``: loading, checking and writing an athlete's profile.

```toml
[athlete]
name = "Ana"
sex = "female"               # male | female | unspecified
hr_max = 188
hr_rest = 48
timezone = "Europe/Madrid"   # IANA zone; used when a file carries no local offset

[[goal]]                     # zero or more ([goal] once is read as one goal)
name = "Trail 50"
date = 2026-06-14
sport = "trail_running"
distance_km = 50.0
descent_m = 2800
temperature_c = 27.0
target_time = "06:30:00"     # h:mm:ss, hours may exceed 24
course = "trail50.gpx"       # GPX/TCX/FIT course file, relative to athlete.toml

[thresholds]                 # rule overrides, e.g. "CR01.warning" = 1.4
```

Unknown keys are ignored (reported through ``warnings``), except in a ``[[goal]]`` table, where
a misspelt key (``distnace_km``) would silently leave the goal without the number: there it
is an InputError naming the key and the closest valid one. A value of the wrong type or out of
range is an InputError naming the file, the table and the key.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from datetime import date, datetime, time
from typing import Any

from cramplog.errors import InputError
from cramplog.model import SEXES, SPORTS, Goal, Profile

HR_LIMIT = 250  # bpm; above this a value is a typo or a sensor glitch
ATHLETE_KEYS = ("name", "sex", "hr_max", "hr_rest", "timezone")
GOAL_KEYS = (
    "name",
    "date",
    "sport",
    "distance_km",
    "descent_m",
    "temperature_c",
    "target_time",
    "course",
)
TOP_KEYS = ("athlete", "goal", "thresholds")

_HMS_RE = re.compile(r"(\d+):([0-5]\d)(?::([0-5]\d))?")


# -- field checks: each returns the clean value or raises ValueError(message) -------------


def check_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be a non-empty text (got {value!r})")
    return value.strip()


def check_sex(value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in SEXES:
        raise ValueError(f"must be one of {', '.join(SEXES)} (got {value!r})")
    return value.strip().lower()


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise ValueError(f"must be a number (got {value!r})") from None
        else:
            raise ValueError(f"must be a number (got {value!r})")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"must be a finite number (got {value!r})")
    return number


def check_hr(value: Any) -> float:
    """A heart rate in bpm: 0 < hr ≤ 250."""
    number = _number(value)
    if not 0 < number <= HR_LIMIT:
        raise ValueError(f"must be a heart rate between 1 and {HR_LIMIT} bpm (got {value!r})")
    return number


def check_hr_pair(hr_max: float | None, hr_rest: float | None) -> None:
    if hr_max is not None and hr_rest is not None and hr_rest >= hr_max:
        raise ValueError(f"must be below hr_max ({hr_max:g}; got {hr_rest:g})")


def check_timezone(value: Any) -> str:
    from zoneinfo import ZoneInfo, available_timezones

    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be an IANA time zone name such as Europe/Madrid (got {value!r})")
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        close = difflib.get_close_matches(name, sorted(available_timezones()), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; use e.g. Europe/Madrid"
        raise ValueError(f"unknown time zone {name!r}{hint}") from None
    return name


def check_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date such as 2026-06-14 (got {value!r})")


def check_sport(value: Any) -> str:
    if not isinstance(value, str) or value.strip().lower() not in SPORTS:
        raise ValueError(f"must be one of {', '.join(SPORTS)} (got {value!r})")
    return value.strip().lower()


def check_positive(value: Any) -> float:
    number = _number(value)
    if number <= 0:
        raise ValueError(f"must be above 0 (got {value!r})")
    return number


def check_non_negative(value: Any) -> float:
    number = _number(value)
    if number < 0:
        raise ValueError(f"must be 0 or more (got {value!r})")
    return number


def check_temperature(value: Any) -> float:
    number = _number(value)
    if not -60 <= number <= 60:
        raise ValueError(f"must be a temperature in °C between -60 and 60 (got {value!r})")
    return number


def parse_target_time(value: Any) -> float:
    """``"hh:mm:ss"`` (hours may exceed 24), ``"h:mm"``, a TOML time or seconds → seconds."""
    if isinstance(value, time):
        return float(value.hour * 3600 + value.minute * 60 + value.second)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return check_positive(value)
    if isinstance(value, str):
        m = _HMS_RE.fullmatch(value.strip())
        if m is not None:
            seconds = int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3] or 0)
            if seconds > 0:
                return float(seconds)
    raise ValueError(f'must be a duration hh:mm:ss such as "06:30:00" (got {value!r})')


def check_course(value: Any) -> str:
    """A course file name (GPX, TCX or FIT, gzip allowed); read when the goal is assessed."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be a file name such as trail50.gpx (got {value!r})")
    name = value.strip()
    low = name.lower().removesuffix(".gz")
    if not low.endswith((".gpx", ".tcx", ".fit")):
        raise ValueError(f"must be a .gpx, .tcx or .fit course file (got {value!r})")
    return name


def format_hms(seconds: float) -> str:
    total = round(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


# -- athlete.toml --------------------------------------------------------------------------


def _check(where: str, key: str, fn: Any, value: Any) -> Any:
    try:
        return fn(value)
    except ValueError as exc:
        raise InputError(f"{where} {key}: {exc}") from None


def _unknown(table: dict[str, Any], known: tuple[str, ...], where: str, out: list[str]) -> None:
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append(f"{where}: ignoring unknown key {key!r}{hint}")


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, Any], where: str) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, out, where)
        elif isinstance(value, bool | int | float | str) and not (
            isinstance(value, float) and not math.isfinite(value)
        ):
            out[full] = value
        else:
            raise InputError(f"{where} {full}: must be a number, true/false or text")


def _goal(g: Any, where: str, warnings: list[str]) -> Goal:
    if not isinstance(g, dict):
        raise InputError(f"{where} must be a table of name, date, distance_km …")
    for key in g:
        if key not in GOAL_KEYS:
            close = difflib.get_close_matches(key, GOAL_KEYS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"use one of {', '.join(GOAL_KEYS)}"
            raise InputError(f"{where} unknown key {key!r}; {hint}")
    if "date" not in g:
        raise InputError(f"{where} date: missing (e.g. date = 2026-06-14)")
    day = _check(where, "date", check_date, g["date"])
    name = _check(where, "name", check_name, g["name"]) if "name" in g else f"goal {day}"

    def opt(key: str, fn: Any) -> Any:
        return _check(where, key, fn, g[key]) if key in g else None

    return Goal(
        name=name,
        date=day,
        sport=opt("sport", check_sport) or "running",
        distance_km=opt("distance_km", check_positive),
        descent_m=opt("descent_m", check_non_negative),
        temperature_c=opt("temperature_c", check_temperature),
        target_time_s=opt("target_time", parse_target_time),
        course=opt("course", check_course),
    )


def profile_from_doc(
    doc: dict[str, Any], name: str, *, default_name: str, warnings: list[str] | None = None
) -> Profile:
    """A checked Profile from a parsed ``athlete.toml`` document (``name``: the file's name,
    for messages)."""
    notes: list[str] = [] if warnings is None else warnings
    _unknown(doc, TOP_KEYS, name, notes)
    ath = doc.get("athlete", {})
    where = f"{name}: [athlete]"
    if not isinstance(ath, dict):
        raise InputError(f"{where}: must be a table ([athlete] with name, sex, hr_max …)")
    _unknown(ath, ATHLETE_KEYS, f"{name} [athlete]", notes)
    athlete = _check(where, "name", check_name, ath["name"]) if "name" in ath else default_name
    sex = _check(where, "sex", check_sex, ath["sex"]) if "sex" in ath else "unspecified"
    hr_max = _check(where, "hr_max", check_hr, ath["hr_max"]) if "hr_max" in ath else None
    hr_rest = _check(where, "hr_rest", check_hr, ath["hr_rest"]) if "hr_rest" in ath else None
    _check(where, "hr_rest", lambda _: check_hr_pair(hr_max, hr_rest), None)
    tz = _check(where, "timezone", check_timezone, ath["timezone"]) if "timezone" in ath else None

    raw_goals = doc.get("goal", [])
    if isinstance(raw_goals, dict):
        raw_goals = [raw_goals]
    if not isinstance(raw_goals, list):
        raise InputError(f"{name}: [goal]: must be [[goal]] tables")
    goals = [_goal(g, f"{name}: [goal] {i}:", notes) for i, g in enumerate(raw_goals, 1)]

    raw_thr = doc.get("thresholds", {})
    if not isinstance(raw_thr, dict):
        raise InputError(f"{name}: [thresholds]: must be a table of rule overrides")
    thresholds: dict[str, Any] = {}
    _flatten("", raw_thr, thresholds, f"{name}: [thresholds]")
    return Profile(
        name=athlete,
        sex=sex,
        hr_max=hr_max,
        hr_rest=hr_rest,
        timezone=tz,
        goals=goals,
        thresholds=thresholds,
    )


def load_profile_toml(
    data: bytes, name: str, *, default_name: str, warnings: list[str] | None = None
) -> Profile:
    """The Profile in ``athlete.toml`` bytes. ``name`` is the file's name (for messages);
    ``default_name`` is the athlete's name when ``[athlete] name`` is absent. Unknown keys are
    ignored and described in ``warnings`` when a list is given. Raises InputError with one line
    such as ``"athlete.toml: [goal] 2: date: must be a date such as 2026-06-14 (got 'june')"``.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{name}: not valid TOML: {exc}") from None
    return profile_from_doc(doc, name, default_name=default_name, warnings=warnings)


def resolve_courses(profile: Profile, base_dir: Any) -> None:
    """Make each goal's course path absolute, relative to ``base_dir`` (athlete.toml's folder,
    or the working folder for ``profile set``), so the store keeps a path that works anywhere."""
    import os

    for goal in profile.goals:
        if goal.course is not None:
            goal.course = os.path.abspath(os.path.join(base_dir, goal.course))


# -- writing -------------------------------------------------------------------------------


def _toml_str(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return _toml_str(str(value))


def dump_profile_toml(profile: Profile) -> str:
    """``profile`` as ``athlete.toml`` text; ``load_profile_toml`` reads it back equal."""
    lines = ["[athlete]", f"name = {_toml_str(profile.name)}", f"sex = {_toml_str(profile.sex)}"]
    for key in ("hr_max", "hr_rest", "timezone"):
        value = getattr(profile, key)
        if value is not None:
            lines.append(f"{key} = {_toml_value(value)}")
    for goal in profile.goals:
        lines += ["", "[[goal]]", f"name = {_toml_str(goal.name)}", f"date = {goal.date}"]
        lines.append(f"sport = {_toml_str(goal.sport)}")
        for key in ("distance_km", "descent_m", "temperature_c"):
            value = getattr(goal, key)
            if value is not None:
                lines.append(f"{key} = {_toml_value(value)}")
        if goal.target_time_s is not None:
            lines.append(f"target_time = {_toml_str(format_hms(goal.target_time_s))}")
        if goal.course is not None:
            lines.append(f"course = {_toml_str(goal.course)}")
    if profile.thresholds:
        lines += ["", "[thresholds]"]
        for key, value in profile.thresholds.items():
            lines.append(f"{_toml_str(key)} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"
