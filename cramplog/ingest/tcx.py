"""TCX reader (Garmin Training Center): one Activity per ``<Activity>``, streamed on local names.

Each ``<Activity>`` (also inside ``<MultiSportSession>``) is one session; if its points are
more than ``SPLIT_GAP_S`` apart it is split into separate sessions. Trackpoints give time,
position, altitude, device distance, heart rate, cadence (``Cadence`` or the TPX extension's
``RunCadence``) and TPX ``Speed``. Lap totals fill what the points do not carry (distance,
timer time, heart rate). ``<Course>`` tracks are routes, not sessions, and are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from cramplog.errors import InputError
from cramplog.ingest.track_samples import (
    Samples,
    build_activity,
    clean,
    clip_title,
    parse_time,
    to_float,
)
from cramplog.ingest.xmlsafe import Element, ParseError, decode_xml, iter_elements, local_name
from cramplog.model import Activity, ParseResult

SPLIT_GAP_S = 6 * 3600.0
_SPORTS = {"running": "running", "biking": "cycling", "other": "other"}

# Trackpoint descendants by local name.
_T, _LAT, _LON, _ALT, _DIST, _HR, _CAD, _SPEED = 1, 2, 3, 4, 5, 6, 7, 8
_SLOTS = {
    "Time": _T,
    "LatitudeDegrees": _LAT,
    "LongitudeDegrees": _LON,
    "AltitudeMeters": _ALT,
    "DistanceMeters": _DIST,
    "Value": _HR,  # only HeartRateBpm has a Value inside a Trackpoint
    "Cadence": _CAD,
    "RunCadence": _CAD,
    "Speed": _SPEED,
}
_PT, _LAP, _ACT, _COURSE = 1, 2, 3, 4
_KINDS = {"Trackpoint": _PT, "Lap": _LAP, "Activity": _ACT, "Course": _COURSE}


@dataclass
class _Lap:
    start: float | None = None
    total_s: float = np.nan
    distance_m: float = np.nan
    hr_avg: float = np.nan
    hr_max: float = np.nan


@dataclass
class _Act:
    samples: Samples = field(default_factory=Samples)
    laps: list[_Lap] = field(default_factory=list)
    sport: str = "other"
    id_time: float | None = None
    device: str | None = None
    title: str | None = None


def _read_point(el: Element, s: Samples, slots: dict[str, int]) -> None:
    v: dict[int, str | None] = {}
    for child in el.iter():
        tag = child.tag
        slot = slots.get(tag)
        if slot is None:
            slot = slots[tag] = _SLOTS.get(local_name(tag), 0) if isinstance(tag, str) else 0
        if slot:
            v[slot] = child.text
    parsed = parse_time(v.get(_T))
    if parsed is None:
        s.t.append(np.nan)
        text = v.get(_T)
        if text and text.strip():
            s.bad_times += 1
    else:
        s.t.append(parsed[0])
        if parsed[1] is not None and s.offset is None:
            s.offset = parsed[1]
    s.lat.append(to_float(v.get(_LAT)))
    s.lon.append(to_float(v.get(_LON)))
    s.ele.append(to_float(v.get(_ALT)))
    s.dist.append(to_float(v.get(_DIST)))
    s.hr.append(to_float(v.get(_HR)))
    s.cad.append(to_float(v.get(_CAD)))
    s.speed.append(to_float(v.get(_SPEED)))
    s.temp.append(np.nan)


def _child_value(el: Element, name: str) -> float:
    for child in el:
        if local_name(child.tag) == name:
            if name.endswith("HeartRateBpm"):
                for sub in child:
                    if local_name(sub.tag) == "Value":
                        return to_float(sub.text)
                return np.nan
            return to_float(child.text)
    return np.nan


def _read_lap(el: Element) -> _Lap:
    parsed = parse_time(el.get("StartTime"))
    return _Lap(
        start=parsed[0] if parsed else None,
        total_s=_child_value(el, "TotalTimeSeconds"),
        distance_m=_child_value(el, "DistanceMeters"),
        hr_avg=_child_value(el, "AverageHeartRateBpm"),
        hr_max=_child_value(el, "MaximumHeartRateBpm"),
    )


def _finish_activity(el: Element, act: _Act) -> None:
    act.sport = _SPORTS.get((el.get("Sport") or "").strip().lower(), "other")
    for child in el:
        ln = local_name(child.tag)
        if ln == "Id":
            parsed = parse_time(child.text)
            act.id_time = parsed[0] if parsed else None
        elif ln == "Notes":
            act.title = clip_title(child.text)
        elif ln == "Creator":
            for sub in child:
                if local_name(sub.tag) == "Name":
                    act.device = clip_title(sub.text)


def _read(text: str, name: str, warnings: list[str]) -> list[_Act]:
    acts: list[_Act] = []
    cur = _Act()
    kinds: dict[str, int] = {}
    slots: dict[str, int] = {}
    try:
        for el in iter_elements(text):
            tag = el.tag
            kind = kinds.get(tag)
            if kind is None:
                kind = kinds[tag] = _KINDS.get(local_name(tag), 0)
            if not kind:
                continue
            if kind == _PT:
                _read_point(el, cur.samples, slots)
                el.clear()
            elif kind == _LAP:
                cur.laps.append(_read_lap(el))
                el.clear()
            elif kind == _ACT:
                _finish_activity(el, cur)
                acts.append(cur)
                cur = _Act()
                el.clear()
            else:  # a Course: a planned route, not a session
                cur = _Act()
                el.clear()
    except ParseError as exc:
        if not len(cur.samples) and not acts:
            raise InputError(f"{name}: not well-formed XML ({exc})") from None
        warnings.append(f"{name}: the file is damaged or cut short ({exc}); kept what came before")
        if len(cur.samples):
            acts.append(cur)
    return acts


def _lap_fills(laps: list[_Lap]) -> dict:
    total = np.array([lap.total_s for lap in laps], dtype=np.float64)
    dist = np.array([lap.distance_m for lap in laps], dtype=np.float64)
    hr_avg = np.array([lap.hr_avg for lap in laps], dtype=np.float64)
    hr_max = np.array([lap.hr_max for lap in laps], dtype=np.float64)
    fills: dict = {}
    if np.isfinite(total).any():
        fills["moving_s"] = float(np.nansum(total))
    if np.isfinite(dist).any() and np.nansum(dist) > 0:
        fills["distance_m"] = float(np.nansum(dist))
    w = np.isfinite(hr_avg) & np.isfinite(total) & (hr_avg > 0) & (total > 0)
    avg = float(np.sum(hr_avg[w] * total[w]) / np.sum(total[w])) if w.any() else None
    mx = float(np.nanmax(hr_max)) if (np.isfinite(hr_max) & (hr_max > 0)).any() else None
    fills["hr_fill"] = (avg, mx)
    return fills


def _laps_only(act: _Act) -> Activity | None:
    """An Activity from lap totals alone (no timed trackpoints), when it has a start time."""
    starts = [lap.start for lap in act.laps if lap.start is not None]
    start = starts[0] if starts else act.id_time
    if start is None or not act.laps:
        return None
    fills = _lap_fills(act.laps)
    return Activity(
        sport=act.sport,
        start=datetime.fromtimestamp(start, tz=timezone.utc),
        elapsed_s=fills.get("moving_s"),
        moving_s=fills.get("moving_s"),
        distance_m=fills.get("distance_m"),
        hr_avg=fills["hr_fill"][0],
        hr_max=fills["hr_fill"][1],
        title=act.title,
        device=act.device,
    )


def _sessions(act: _Act, label: str, warnings: list[str]) -> list[Activity]:
    s = act.samples
    a = clean(s, label, warnings) if len(s) else None
    if a is None:
        only = _laps_only(act)
        return [only] if only is not None else []
    dist = a["dist"]
    finite = dist[np.isfinite(dist)]
    if len(finite) > 1 and np.any(np.diff(finite) < -10.0):
        warnings.append(f"{label}: device distance goes backwards; distance from positions used")
        a["dist"] = np.full(len(dist), np.nan)
    cuts = np.flatnonzero(np.diff(a["t"]) > SPLIT_GAP_S) + 1
    bounds = [0, *cuts.tolist(), len(a["t"])]
    if len(bounds) > 2:
        warnings.append(
            f"{label}: split into {len(bounds) - 1} sessions at gaps over {SPLIT_GAP_S / 3600:g} h"
        )
    out = []
    for i in range(len(bounds) - 1):
        part = {k: v[bounds[i] : bounds[i + 1]] for k, v in a.items()}
        fills: dict = {}
        if len(bounds) == 2:
            fills = _lap_fills(act.laps)
        else:
            d = part["dist"]
            fin = d[np.isfinite(d)]
            if i > 0 and len(fin):
                part["dist"] = d - fin[0]
        out.append(build_activity(part, act.sport, act.title, act.device, s.offset, **fills))
    return out


def parse_tcx(data: bytes, name: str) -> ParseResult:
    """Read a TCX file's activities. Raises ``InputError`` when nothing can be read."""
    text = decode_xml(data, name, "TCX")
    warnings: list[str] = []
    acts = _read(text, name, warnings)
    activities: list[Activity] = []
    for i, act in enumerate(acts):
        activities.extend(_sessions(act, f"{name}: activity {i + 1}", warnings))
    if not activities:
        detail = f" ({warnings[-1].removeprefix(name + ': ')})" if warnings else ""
        raise InputError(f"{name}: no timed activity in the TCX file{detail}")
    return ParseResult(activities=activities, warnings=warnings)
