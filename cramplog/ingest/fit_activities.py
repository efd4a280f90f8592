"""FIT messages to activities: one Activity per session message, records assigned by time.

Sessions give the summary (sport, times, distance, climb, heart rate, temperature); the records
between a session's start and end give its stream (``fit_streams``). Files with device-relative
times only are placed by the activity's local clock; a file without a session message (cut
short) gets one activity from its records. Both decoders' ``FitMessages`` read the same.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import TYPE_CHECKING, Any

from cramplog.errors import InputError
from cramplog.ingest.fit_streams import (
    HR_MAX_VALID,
    build_stream,
    haversine_m,
    last_valid,
    stream_ascent_m,
    stream_descent_m,
    stream_gain_m,
)
from cramplog.ingest.fitmessages import (
    FIT_EPOCH_S,
    MIN_DATE_TIME,
    FitMessages,
    Msg,
    Records,
    fit_seconds,
)
from cramplog.model import Activity, ParseResult, Stream

if TYPE_CHECKING:
    import numpy as np

UTC = _dt.timezone.utc
# Records up to this many seconds after a session's end still belong to it (devices write
# the last record a little after the session summary's end).
END_SLACK_S = 60.0
START_SLACK_S = 1.0
MAX_UTC_OFFSET_S = 14 * 3600

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


def map_sport(sport: Any, sub_sport: Any) -> str:
    """A FIT sport / sub_sport pair as one of ``model.SPORTS``."""
    key = (sport, sub_sport)
    if key in _SUB_SPORT_MAP:
        return _SUB_SPORT_MAP[key]
    return _SPORT_MAP.get(sport, "other") if isinstance(sport, str) else "other"


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
    d = last_valid(stream.distance_m)
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
