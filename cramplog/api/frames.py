"""pandas DataFrames from the JSON document's items and from stored sessions.

pandas is imported inside each function: building a frame is the first moment it is needed.

How a JSON item becomes a row: every field is a column; a ``session`` reference becomes
``session_start`` (UTC, time-zone aware), ``session_sport`` and ``session_sources``; a cramp's
``context`` becomes ``in_session``, ``days_0_7`` and ``days_8_42`` (lists of rule ids); days
(``date``, an episode's ``start`` and ``end``) become ``datetime64`` at midnight; a cramp's
``when`` becomes ``when`` (UTC, time-zone aware) and ``local_when`` (the athlete's wall-clock
time, naive). ``evidence`` stays a dict, lists stay lists. Fields a newer document adds come
after the known ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from cramplog.features.compute import SessionFeatures
    from cramplog.metrics.daily import Daily
    from cramplog.model import Activity

SESSION = ("session_start", "session_sport", "session_sources")
FINDING_COLUMNS = (
    "athlete", "rule", "name", "date", "severity", "grade", "message", "evidence", "sources",
    *SESSION,
)  # fmt: skip
CRAMP_COLUMNS = (
    "athlete", "when", "local_when", "muscle", "side", "severity", "timing", *SESSION,
    "in_session", "days_0_7", "days_8_42",
)  # fmt: skip
EPISODE_COLUMNS = (
    "athlete", "rule", "name", "start", "end", "days", "severity", "grade", "message",
    "evidence", "peak_day", "findings", "sessions",
)  # fmt: skip
STORED_COLUMNS = (
    "athlete", "id", "start", "local_start", "local_date", "sport", "is_race", "title",
    "duration_s", "elapsed_s", "moving_s", "distance_m", "ascent_m", "descent_m", "hr_avg",
    "hr_max", "temp_avg_c", "rpe", "device", "sources", "source_format",
)  # fmt: skip
# what the analysis adds to each stored session (its features; ``counted`` is False for a
# duplicate the analysis dropped)
FEATURE_COLUMNS = (
    "family", "load", "load_source", "trimp", "e10_km", "e15_km", "min_above_heat",
    "temp_mean_c", "counted",
)  # fmt: skip

NAIVE = "datetime64[ns]"
AWARE = "datetime64[ns, UTC]"
# which columns hold days, instants (shown in UTC) and wall-clock times, by frame
FINDING_TIMES = {"days": ("date",), "instants": ("session_start",)}
CRAMP_TIMES = {"instants": ("when", "session_start"), "wall": ("local_when",)}
EPISODE_TIMES = {"days": ("start", "end", "peak_day")}
STORED_TIMES = {"days": ("local_date",), "instants": ("start",), "wall": ("local_start",)}


def _session(ref: Mapping[str, Any] | None) -> dict[str, Any]:
    ref = ref or {}
    return {
        "session_start": ref.get("start"),
        "session_sport": ref.get("sport"),
        "session_sources": ref.get("sources"),
    }


def _flat(item: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for key, value in item.items():
        if key == "session":
            row.update(_session(value))
        elif key == "context" and isinstance(value, Mapping):
            row.update(value)
        else:
            row[key] = value
    if "when" in item:
        row["local_when"] = item["when"]
    return row


def item_rows(reports: Iterable[Mapping[str, Any]], key: str) -> list[dict[str, Any]]:
    """One flat row per item under ``key`` of every athlete's report, athlete first."""
    return [{"athlete": r["athlete"], **_flat(item)} for r in reports for item in r.get(key) or []]


def _columns(rows: Sequence[Mapping[str, Any]], known: Sequence[str]) -> list[str]:
    cols = list(known)
    for row in rows:
        cols.extend(k for k in row if k not in cols)
    return cols


def frame(
    rows: Sequence[Mapping[str, Any]],
    known: Sequence[str],
    times: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """A DataFrame of ``rows`` with the ``known`` columns first (all of them, even when
    ``rows`` is empty). ``times`` names the columns of ``days`` (``datetime64`` at
    midnight), ``instants`` (UTC-aware timestamps) and ``wall`` clock times (naive)."""
    import pandas as pd

    times = times or {}
    days, instants, wall = (set(times.get(k, ())) for k in ("days", "instants", "wall"))
    cols = _columns(rows, known)
    df = pd.DataFrame([[row.get(c) for c in cols] for row in rows], columns=cols, dtype=object)
    for c in cols:
        if c in wall:
            df[c] = pd.to_datetime(df[c].map(_wall_clock), format="ISO8601").astype(NAIVE)
        elif c in instants:
            df[c] = pd.to_datetime(df[c].map(_iso), utc=True, format="ISO8601").astype(AWARE)
        elif c in days:
            df[c] = pd.to_datetime(df[c].map(_iso), format="ISO8601").astype(NAIVE)
        elif _whole_numbers(df[c]):
            df[c] = df[c].astype("Int64")  # counts and ids stay whole where some are missing
        else:
            df[c] = df[c].infer_objects()
    return df


def _whole_numbers(column: pd.Series) -> bool:
    values = [v for v in column if v is not None]
    return bool(values) and all(type(v) is int for v in values) and len(values) < len(column)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _wall_clock(value: Any) -> Any:
    """A local time without its offset (the athlete's clock), as ISO text."""
    if value is None:
        return None
    dt = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return dt.replace(tzinfo=None).isoformat()


def stored_row(athlete: str, a: Activity, tz: Any) -> dict[str, Any]:
    """One stored session as a row of ``STORED_COLUMNS``."""
    local = a.local_start(tz)
    return {
        "athlete": athlete,
        "id": a.id,
        "start": a.start,
        "local_start": local,
        "local_date": local.date(),
        "sport": a.sport,
        "is_race": a.is_race,
        "title": a.title,
        "duration_s": a.moving_s or a.elapsed_s,
        "elapsed_s": a.elapsed_s,
        "moving_s": a.moving_s,
        "distance_m": a.distance_m,
        "ascent_m": a.ascent_m,
        "descent_m": a.descent_m,
        "hr_avg": a.hr_avg,
        "hr_max": a.hr_max,
        "temp_avg_c": a.temp_avg_c,
        "rpe": a.rpe,
        "device": a.device,
        "sources": list(a.sources),
        "source_format": a.source_format,
    }


def analysed_row(
    athlete: str, a: Activity, f: SessionFeatures, tz: Any, counted: bool
) -> dict[str, Any]:
    """A stored session with the numbers the analysis used: distance, duration, climb and
    local day from its features, and its load."""
    row = stored_row(athlete, a, tz)
    row.update(
        local_date=f.local_date,
        duration_s=f.duration_s,
        distance_m=f.distance_m,
        ascent_m=f.ascent_m,
        descent_m=f.descent_m,
        family=f.family,
        load=f.load,
        load_source=f.load_source,
        trimp=f.trimp,
        e10_km=f.e10_km,
        e15_km=f.e15_km,
        min_above_heat=f.min_above_heat,
        temp_mean_c=f.temp_mean_c,
        counted=counted,
    )
    return row


def daily_frame(series: Mapping[str, Daily]) -> pd.DataFrame:
    """One row per athlete and local day: ``athlete``, ``date``, then every daily column."""
    import pandas as pd

    parts = []
    for athlete, daily in series.items():
        part = pd.DataFrame({c: daily[c] for c in daily.columns})
        days = pd.date_range(daily.first, periods=len(daily), freq="D") if len(daily) else []
        part.insert(0, "date", pd.DatetimeIndex(days).astype(NAIVE))
        part.insert(0, "athlete", athlete)
        parts.append(part)
    if not parts:
        return pd.DataFrame({"athlete": [], "date": pd.DatetimeIndex([]).astype(NAIVE)})
    return pd.concat(parts, ignore_index=True)
