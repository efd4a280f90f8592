"""FIT adapter: watch files (Garmin, Wahoo, Suunto, COROS, ...) to activities.

Two layers, so the decoder can be swapped without touching callers:

1. ``decode_fit(data)`` -> ``FitMessages``: the messages cramplog uses, records as columns and
   the few others as plain dicts (see ``cramplog.ingest.fitmessages``). The fast numpy decoder (``fit_fast``) runs first; fitparse
   is the reference and the fallback for anything the fast path does not support.
2. ``messages_to_activities(msgs, name)`` -> ``ParseResult``: one Activity per session.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import TYPE_CHECKING, Any

from cramplog.errors import InputError
from cramplog.ingest.fitmessages import (
    FIT_EPOCH_S,
    MIN_DATE_TIME,
    FitMessages,
    Msg,
    Records,
    decode_fitparse,
    fit_seconds,
    looks_like_fit,
)
from cramplog.model import RUNNING_SPORTS, Activity, ParseResult, Stream

if TYPE_CHECKING:
    import numpy as np

UTC = _dt.timezone.utc
SEMICIRCLE_DEG = 180.0 / 2**31
# Records up to this many seconds after a session's end still belong to it (devices write
# the last record a little after the session summary's end).
END_SLACK_S = 60.0
START_SLACK_S = 1.0
HR_MAX_VALID = 250.0
MAX_UTC_OFFSET_S = 14 * 3600
ELEVATION_HYSTERESIS_M = 2.0
# Elevation is smoothed with a centred moving average over this many seconds before the
# hysteresis (chosen on the real files: best agreement with device total_descent).
ELEVATION_SMOOTH_S = 10.0

_SUB_SPORT_MAP = {
    ("running", "trail"): "trail_running",
    ("running", "treadmill"): "treadmill",
    ("running", "indoor_running"): "treadmill",
    ("running", "track"): "track_running",
    ("fitness_equipment", "treadmill"): "treadmill",
    ("fitness_equipment", "indoor_rowing"): "rowing",
    ("fitness_equipment", "indoor_cycling"): "cycling",
    ("fitness_equipment", "indoor_walking"): "walking",
    ("fitness_equipment", "strength_training"): "strength",
    ("training", "strength_training"): "strength",
}
_SPORT_MAP = {
    "running": "running",
    "cycling": "cycling",
    "e_biking": "cycling",
    "swimming": "swimming",
    "walking": "walking",
    "hiking": "hiking",
    "rowing": "rowing",
}
# Sports whose FIT cadence is strides (one foot) per minute; doubled to steps per minute.
_STRIDE_CADENCE_SPORTS = RUNNING_SPORTS | {"walking", "hiking"}


def map_sport(sport: Any, sub_sport: Any) -> str:
    """A FIT sport / sub_sport pair as one of ``model.SPORTS``."""
    key = (sport, sub_sport)
    if key in _SUB_SPORT_MAP:
        return _SUB_SPORT_MAP[key]
    return _SPORT_MAP.get(sport, "other") if isinstance(sport, str) else "other"


# --------------------------------------------------------------------------- decoding


def decode_fit(data: bytes, *, fast: bool = True) -> FitMessages:
    """The messages cramplog uses. Fast path first; fitparse when it declines or fails."""
    if fast:
        from cramplog.ingest.fit_fast import FastPathUnsupported, decode_fast

        try:
            return decode_fast(data)
        except FastPathUnsupported:
            pass
        except Exception:  # a bug in the fast path must never cost the user a file
            pass
    return decode_fitparse(data)


def parse_fit(data: bytes, name: str) -> ParseResult:
    """Read one FIT file's bytes: one Activity per session, warnings for what was lost."""
    if not looks_like_fit(data):
        raise InputError(f"{name}: not a FIT file (no '.FIT' signature in the header)")
    result = messages_to_activities(decode_fit(data), name)
    # A damaged or hand-made file can carry a "date" far outside any watch's lifetime; such
    # a session cannot be placed on the athlete's calendar.
    dated = [a for a in result.activities if FIRST_YEAR <= a.start.year <= LAST_YEAR]
    if len(dated) < len(result.activities):
        result.warnings.append(
            f"{len(result.activities) - len(dated)} session(s) skipped: start outside "
            f"{FIRST_YEAR}-{LAST_YEAR}"
        )
        if not dated:
            raise InputError(f"{name}: no session with a plausible date (damaged file?)")
        result.activities = dated
    return result


# Sessions dated outside these years are not real (FIT dates start in 1989).
FIRST_YEAR = 1990
LAST_YEAR = 2100


# --------------------------------------------------------------------------- helpers


_fit_s = fit_seconds


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def _positive(value: Any) -> float | None:
    """A summary value where 0 means "not measured" (heart rate): None unless > 0."""
    f = _num(value)
    return f if f is not None and f > 0 else None


def _heart_rate(value: Any) -> float | None:
    """A summary heart rate: None unless a heart can beat it (0 < hr <= HR_MAX_VALID)."""
    f = _positive(value)
    return f if f is not None and f <= HR_MAX_VALID else None


def _datetime(fit_s: float) -> _dt.datetime:
    return _dt.datetime.fromtimestamp(FIT_EPOCH_S + fit_s, UTC)


def device_name(msgs: FitMessages) -> str | None:
    """``"garmin fr955"`` from file_id (or the creator device_info)."""
    for row in msgs.file_id + msgs.device_info:
        maker = row.get("manufacturer")
        product = row.get("product_name") or row.get("garmin_product") or row.get("product")
        if maker is None and product is None:
            continue
        parts = [str(p) for p in (maker, product) if p is not None]
        return " ".join(parts)
    return None


def utc_offset_s(msgs: FitMessages) -> int | None:
    """The local offset from the activity message (``local_timestamp - timestamp``)."""
    for row in msgs.activity:
        local = row.get("local_timestamp")
        ts = _fit_s(row.get("timestamp"))
        if not isinstance(local, _dt.datetime) or ts is None or ts < MIN_DATE_TIME:
            continue
        local_s = _fit_s(local)
        if local_s is None:
            continue
        offset = round((local_s - ts) / 900.0) * 900
        if abs(offset) <= MAX_UTC_OFFSET_S:
            return int(offset)
    return None


def _relative_anchor(msgs: FitMessages) -> float | None:
    """For files with device-relative times only: seconds to add to get local clock time."""
    for row in msgs.activity:
        local = _fit_s(row.get("local_timestamp"))
        ts = _fit_s(row.get("timestamp"))
        if local is not None and ts is not None and ts < MIN_DATE_TIME <= local:
            return local - ts
    return None


def elevation_gain_m(
    elevation: np.ndarray, hysteresis_m: float = ELEVATION_HYSTERESIS_M
) -> tuple[float, float] | None:
    """(ascent, descent) of an elevation series: legs shorter than the hysteresis are noise.

    A zig-zag filter: a climb or descent counts once the elevation turns back by more than
    ``hysteresis_m``; NaN samples are skipped. ``None`` without two valid samples.
    """
    import numpy as np

    e = np.asarray(elevation, dtype=float)
    e = e[np.isfinite(e)]
    if len(e) < 2:
        return None
    asc = desc = 0.0
    pivot = ext = float(e[0])
    direction = 0
    for x in e.tolist():
        if direction == 0:
            if x - pivot >= hysteresis_m:
                direction, ext = 1, x
            elif pivot - x >= hysteresis_m:
                direction, ext = -1, x
        elif direction == 1:
            if x > ext:
                ext = x
            elif ext - x >= hysteresis_m:
                asc += ext - pivot
                pivot, ext, direction = ext, x, -1
        else:
            if x < ext:
                ext = x
            elif x - ext >= hysteresis_m:
                desc += pivot - ext
                pivot, ext, direction = ext, x, 1
    if direction == 1:
        asc += ext - pivot
    elif direction == -1:
        desc += pivot - ext
    return asc, desc


def smooth_elevation(
    t_s: np.ndarray, elevation: np.ndarray, window_s: float = ELEVATION_SMOOTH_S
) -> np.ndarray:
    """Centred moving average over ``window_s`` seconds of the valid samples (NaN dropped)."""
    import numpy as np

    ok = np.isfinite(elevation) & np.isfinite(t_s)
    t, e = np.asarray(t_s, dtype=float)[ok], np.asarray(elevation, dtype=float)[ok]
    if len(e) < 3 or window_s <= 0:
        return e
    csum = np.concatenate([[0.0], np.cumsum(e)])
    lo = np.searchsorted(t, t - window_s / 2, side="left")
    hi = np.searchsorted(t, t + window_s / 2, side="right")
    return (csum[hi] - csum[lo]) / (hi - lo)  # type: ignore[no-any-return]


def stream_gain_m(stream: Stream | None) -> tuple[float, float] | None:
    """(ascent, descent) in m from a stream's elevation: 10 s smoothing, 2 m hysteresis."""
    if stream is None or stream.elevation_m is None:
        return None
    return elevation_gain_m(smooth_elevation(stream.t_s, stream.elevation_m))


def stream_descent_m(stream: Stream | None) -> float | None:
    """Descent (m) from a stream's elevation (see ``stream_gain_m``); None without elevation."""
    gain = stream_gain_m(stream)
    return None if gain is None else gain[1]


def stream_ascent_m(stream: Stream | None) -> float | None:
    gain = stream_gain_m(stream)
    return None if gain is None else gain[0]


def haversine_m(lat: np.ndarray, lon: np.ndarray) -> float | None:
    """Path length (m) through the valid positions; None with fewer than two."""
    import numpy as np

    ok = np.isfinite(lat) & np.isfinite(lon)
    if ok.sum() < 2:
        return None
    la, lo = np.radians(lat[ok]), np.radians(lon[ok])
    dla, dlo = np.diff(la), np.diff(lo)
    a = np.sin(dla / 2) ** 2 + np.cos(la[:-1]) * np.cos(la[1:]) * np.sin(dlo / 2) ** 2
    return float(2 * 6371008.8 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))).sum())


def _last_valid(arr: np.ndarray | None) -> float | None:
    import numpy as np

    if arr is None:
        return None
    ok = np.flatnonzero(np.isfinite(arr))
    return float(arr[ok[-1]]) if len(ok) else None


# --------------------------------------------------------------------------- streams


def _column(records: Records, idx: np.ndarray, *names: str) -> np.ndarray | None:
    """Values of records ``idx``: per record the first of ``names`` with a value (NaN where
    none); None when no record of ``idx`` has any of them."""
    import numpy as np

    out = None
    for name in names:
        col = records.columns.get(name)
        if col is None:
            continue
        vals = col[idx]  # a copy
        if out is None:
            out = vals
        else:
            missing = np.isnan(out)
            out[missing] = vals[missing]
    return out if out is not None and not np.isnan(out).all() else None


def build_stream(
    records: Records, idx: np.ndarray, times: np.ndarray, start_s: float, sport: str
) -> Stream:
    """The Stream of records ``idx`` at FIT seconds ``times`` (sorted), relative to start.

    Records sharing a timestamp (some apps write position and distance as two records) are
    merged: per channel the first valid value wins.
    """
    import numpy as np

    t_unique, first_idx, inverse = np.unique(times, return_index=True, return_inverse=True)
    n = len(t_unique)

    def merged(col: np.ndarray | None) -> np.ndarray | None:
        if col is None:
            return None
        if n == len(col):
            return col
        out = np.full(n, np.nan)
        valid = np.flatnonzero(np.isfinite(col))
        groups, pos = np.unique(inverse[valid], return_index=True)
        out[groups] = col[valid[pos]]
        return out

    def has_data(col: np.ndarray | None) -> np.ndarray | None:
        return col if col is not None and np.isfinite(col).any() else None

    hr = _column(records, idx, "heart_rate")
    if hr is not None:
        hr[(hr <= 0) | (hr > HR_MAX_VALID)] = np.nan
    cadence = _column(records, idx, "cadence")
    if cadence is not None:
        frac = _column(records, idx, "fractional_cadence")
        if frac is not None:
            cadence = cadence + np.nan_to_num(frac)
        if sport in _STRIDE_CADENCE_SPORTS:
            cadence = cadence * 2.0
    lat = _column(records, idx, "position_lat")
    lon = _column(records, idx, "position_long")
    if lat is not None and lon is not None:
        lat = lat * SEMICIRCLE_DEG
        lon = lon * SEMICIRCLE_DEG
        bad = (np.abs(lat) > 90) | (np.abs(lon) > 180) | ((lat == 0) & (lon == 0))
        lat[bad] = np.nan
        lon[bad] = np.nan
    else:
        lat = lon = None
    return Stream(
        t_s=t_unique - start_s,
        distance_m=has_data(merged(_column(records, idx, "distance"))),
        elevation_m=has_data(merged(_column(records, idx, "enhanced_altitude", "altitude"))),
        hr_bpm=has_data(merged(hr)),
        speed_mps=has_data(merged(_column(records, idx, "enhanced_speed", "speed"))),
        temperature_c=has_data(merged(_column(records, idx, "temperature"))),
        cadence_spm=has_data(merged(cadence)),
        lat_deg=has_data(merged(lat)),
        lon_deg=has_data(merged(lon)),
    )


# --------------------------------------------------------------------------- activities


def _session_elapsed(row: Msg) -> float | None:
    """Elapsed seconds of a session: total_elapsed_time, never less than total_timer_time."""
    elapsed = _num(row.get("total_elapsed_time"))
    timer = _num(row.get("total_timer_time"))
    if elapsed is None or (timer is not None and timer > elapsed):
        return timer
    return elapsed


def _session_window(row: Msg, shift: float) -> tuple[float, float | None] | None:
    start = _fit_s(row.get("start_time"))
    elapsed = _session_elapsed(row)
    if start is None:
        end = _fit_s(row.get("timestamp"))
        if end is None or elapsed is None:
            return None
        start = end - elapsed
    start += shift
    return start, (start + elapsed if elapsed is not None else None)


def _session_key(row: Msg) -> tuple[Any, ...]:
    keys = ("start_time", "sport", "sub_sport", "total_elapsed_time", "total_distance")
    return tuple(row.get(k) for k in keys)


def messages_to_activities(msgs: FitMessages, name: str) -> ParseResult:
    """One Activity per session message; records assigned to sessions by time."""
    import numpy as np

    warnings = [f"{name}: {w}" for w in msgs.warnings]
    if not msgs.is_fit:
        raise InputError(f"{name}: not a FIT file (no '.FIT' signature in the header)")

    # Record times in FIT seconds; dates (>= 0x10000000) and device-relative seconds.
    records = msgs.record
    rec_t = records.timestamps
    session_rows = msgs.session
    has_dates = bool(np.any(rec_t >= MIN_DATE_TIME)) or any(
        (s := _fit_s(r.get("start_time"))) is not None and s >= MIN_DATE_TIME for r in session_rows
    )
    shift = 0.0
    offset = utc_offset_s(msgs)
    if has_dates:
        keep = rec_t >= MIN_DATE_TIME
        if (~keep & np.isfinite(rec_t)).any():
            warnings.append(
                f"{name}: {int((~keep).sum())} records with device-relative times skipped"
            )
    else:
        anchor = _relative_anchor(msgs)
        if anchor is None:
            if not records and not session_rows:
                raise InputError(f"{name}: no activity records or sessions in this FIT file")
            raise InputError(
                f"{name}: the FIT file has no dates (device-relative times only), "
                "so its activity cannot be placed in time"
            )
        shift = anchor
        offset = 0
        keep = np.isfinite(rec_t)
        warnings.append(
            f"{name}: the device wrote relative times only; start taken from the local "
            "clock (activity local_timestamp), exact UTC time unknown"
        )
    rec_t = rec_t + shift
    rec_idx = np.flatnonzero(keep)

    sessions = []
    seen: set[tuple[Any, ...]] = set()
    for row in session_rows:
        key = _session_key(row)
        if key in seen:  # chained files can repeat a session (same device, written twice)
            continue
        seen.add(key)
        window = _session_window(row, shift)
        if window is None or window[0] < MIN_DATE_TIME:
            warnings.append(f"{name}: a session without a usable start time was skipped")
            continue
        sessions.append((window, row))
    sessions.sort(key=lambda s: s[0][0])

    device = device_name(msgs)
    activities: list[Activity] = []
    if sessions:
        starts = np.array([w[0] for w, _ in sessions])
        t_kept = rec_t[rec_idx]
        which = np.searchsorted(starts, t_kept + START_SLACK_S, side="right") - 1
        dropped = 0
        prev_distance: float | None = None
        for i, ((start_s, end_s), row) in enumerate(sessions):
            if end_s is None:
                end_s = starts[i + 1] if i + 1 < len(sessions) else math.inf
            sel = (which == i) & (t_kept <= end_s + END_SLACK_S)
            dropped += int(((which == i) & ~sel).sum())
            idx = rec_idx[sel]
            act = _activity_from_session(row, start_s, idx, records, rec_t, device, offset)
            prev_distance = _rebase_distance(act.stream, prev_distance)
            activities.append(act)
        dropped += int((which < 0).sum())
        if dropped:
            warnings.append(f"{name}: {dropped} records outside every session's time were left out")
    elif len(rec_idx):
        warnings.append(
            f"{name}: no session message (file truncated?); activity built from "
            f"{len(rec_idx)} records"
        )
        activities.append(_activity_from_records(msgs, rec_idx, records, rec_t, device, offset))
    else:
        raise InputError(f"{name}: no activity records or sessions in this FIT file")
    return ParseResult(activities=activities, warnings=warnings)


def _rebase_distance(stream: Stream | None, prev_last: float | None) -> float | None:
    """Make a multisport session's distance channel start near 0.

    Devices write one cumulative record distance across all sessions of a multisport file;
    when this session's first distance continues the previous session's last one, that last
    one is subtracted. Returns this session's last distance before rebasing.
    """
    import numpy as np

    if stream is None or stream.distance_m is None:
        return prev_last
    d = stream.distance_m
    ok = np.flatnonzero(np.isfinite(d))
    if not len(ok):
        return prev_last
    last = float(d[ok[-1]])
    continues = prev_last is not None and d[ok[0]] >= prev_last - 1.0 and last >= prev_last
    if prev_last is not None and prev_last > 0 and continues:
        stream.distance_m = d - prev_last
    return last


def _ordered(idx: np.ndarray, rec_t: np.ndarray) -> np.ndarray:
    import numpy as np

    return idx[np.argsort(rec_t[idx], kind="stable")]


def _activity_from_session(
    row: Msg,
    start_s: float,
    idx: np.ndarray,
    records: Records,
    rec_t: np.ndarray,
    device: str | None,
    offset: int | None,
) -> Activity:
    sport = map_sport(row.get("sport"), row.get("sub_sport"))
    stream = None
    if len(idx):
        idx = _ordered(idx, rec_t)
        stream = build_stream(records, idx, rec_t[idx], start_s, sport)
    distance = _num(row.get("total_distance"))
    if distance is None and stream is not None:
        distance = _stream_distance(stream)
    ascent = _num(row.get("total_ascent"))
    if ascent is None:
        ascent = stream_ascent_m(stream)
    descent = _num(row.get("total_descent"))
    if descent is None:
        descent = stream_descent_m(stream)
    return Activity(
        sport=sport,
        start=_datetime(start_s),
        utc_offset_s=offset,
        elapsed_s=_session_elapsed(row),
        moving_s=_num(row.get("total_timer_time")),
        distance_m=distance,
        ascent_m=ascent,
        descent_m=descent,
        hr_avg=_heart_rate(row.get("avg_heart_rate")),
        hr_max=_heart_rate(row.get("max_heart_rate")),
        temp_min_c=_num(row.get("min_temperature")),
        temp_avg_c=_num(row.get("avg_temperature")),
        temp_max_c=_num(row.get("max_temperature")),
        device=device,
        stream=stream,
    )


def _stream_distance(stream: Stream) -> float | None:
    d = _last_valid(stream.distance_m)
    if d is None and stream.lat_deg is not None and stream.lon_deg is not None:
        d = haversine_m(stream.lat_deg, stream.lon_deg)
    return d


def _activity_from_records(
    msgs: FitMessages,
    idx: np.ndarray,
    records: Records,
    rec_t: np.ndarray,
    device: str | None,
    offset: int | None,
) -> Activity:
    import numpy as np

    idx = _ordered(idx, rec_t)
    start_s = float(rec_t[idx[0]])
    sport_row = next((r for r in msgs.lap if r.get("sport") is not None), {})
    sport = map_sport(sport_row.get("sport"), sport_row.get("sub_sport"))
    stream = build_stream(records, idx, rec_t[idx], start_s, sport)
    gain = stream_gain_m(stream)

    def stat(arr: np.ndarray | None, fn: Any) -> float | None:
        if arr is None or not np.isfinite(arr).any():
            return None
        return float(fn(arr))

    return Activity(
        sport=sport,
        start=_datetime(start_s),
        utc_offset_s=offset,
        elapsed_s=float(stream.t_s[-1]),
        distance_m=_stream_distance(stream),
        ascent_m=gain[0] if gain else None,
        descent_m=gain[1] if gain else None,
        hr_avg=stat(stream.hr_bpm, np.nanmean),
        hr_max=stat(stream.hr_bpm, np.nanmax),
        temp_min_c=stat(stream.temperature_c, np.nanmin),
        temp_avg_c=stat(stream.temperature_c, np.nanmean),
        temp_max_c=stat(stream.temperature_c, np.nanmax),
        device=device,
        stream=stream,
    )
