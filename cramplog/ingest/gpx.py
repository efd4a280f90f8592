"""GPX reader: one Activity per recorded track, read by a streaming parser on local names.

The fast path streams through the file (``xmlsafe``) and matches elements by local name, so
``gpxtpx:hr``, ``ns3:hr`` and ``gpxdata:hr`` all read as heart rate whatever the prefix or
namespace version. Before it, ``gpxscan`` reads the points of the common, repetitive layouts in
bulk (the same values, ~10x faster) and leaves the rest of the file to it. gpxpy is the
reference and the fallback when the fast path fails unexpectedly. The sample cleaning and the
summary (``build_activity``) are shared with the TCX reader.

Rules: a track whose points mostly have no time is a route, not a session, and is skipped;
points with impossible times (before 1990, after 2100) or going back in time are dropped;
absurd values become NaN. Consecutive tracks of the same sport less than an hour apart are one
session split by the device (GPSBabel "ACTIVE LOG #2" ...) and are joined.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

import numpy as np

from cramplog.errors import InputError
from cramplog.ingest import geo
from cramplog.ingest.xmlsafe import Element, ParseError, decode_xml, iter_elements, local_name
from cramplog.model import RUNNING_SPORTS, Activity, ParseResult, Stream

TITLE_MAX = 200
MIN_YEAR, MAX_YEAR = 1990, 2100
MERGE_GAP_S = 3600.0
MOVING_SPEED_MPS = 0.5
_NAN = math.nan

# Plausible ranges; values outside become NaN. (low, high, inclusive-low)
_RANGES: dict[str, tuple[float, float, bool]] = {
    "ele": (-500.0, 9000.0, True),
    "hr": (0.0, 250.0, False),
    "cad": (0.0, 300.0, True),
    "temp": (-60.0, 70.0, True),
    "speed": (0.0, 100.0, True),
    "dist": (0.0, 1e7, True),
}
_CHANNEL_WORDS = {
    "ele": "elevation",
    "hr": "heart-rate",
    "cad": "cadence",
    "temp": "temperature",
    "speed": "speed",
    "dist": "distance",
}

_TIME = re.compile(
    r"\s*(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,40}))?\s*"
    r"(Z|z|[+-]\d\d(?::?\d\d)?)?\s*\Z"
)


@lru_cache(maxsize=8192)
def _epoch_day(y: int, m: int, d: int) -> int | None:
    """Days from 1970-01-01 to the date, or None for an invalid or implausible date."""
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return datetime(y, m, d).toordinal() - 719163
    except ValueError:
        return None


def parse_time(text: str | None) -> tuple[float, int | None] | None:
    """ISO 8601 time -> (seconds since the Unix epoch, UTC offset in s or None for Z / none).

    Any number of fractional digits; a time without a zone is UTC (as GPX and TCX specify).
    ``None`` when unreadable or outside 1990..2100 (e.g. INT32_MIN garbage from 1901).
    """
    if not text:
        return None
    m = _TIME.match(text)
    if m is None:
        return None
    y, mo, d, hh, mi, ss, frac, zone = m.groups()
    day = _epoch_day(int(y), int(mo), int(d))
    h, mn, s = int(hh), int(mi), int(ss)
    if day is None or h > 23 or mn > 59 or s > 60:
        return None
    t = day * 86400.0 + h * 3600 + mn * 60 + s
    if frac:
        t += float("0." + frac[:9])
    offset = None
    if zone and zone not in "Zz":
        digits = zone[1:].replace(":", "")
        off_h, off_m = int(digits[:2]), int(digits[2:] or 0)
        if off_h > 14 or off_m > 59:
            return None
        offset = (off_h * 3600 + off_m * 60) * (-1 if zone[0] == "-" else 1)
        t -= offset
    return t, offset


def to_float(text: str | None) -> float:
    """A number from element or attribute text; NaN when absent or unreadable."""
    if text is None:
        return _NAN
    try:
        return float(text)
    except ValueError:
        return _NAN


def clip_title(text: str | None) -> str | None:
    if text is None:
        return None
    s = " ".join(text[: TITLE_MAX * 4].split())[:TITLE_MAX]
    return s or None


@dataclass
class Samples:
    """Points of one track or activity as read, one list per channel (NaN = missing)."""

    t: list[float] = field(default_factory=list)  # epoch s; NaN = no or bad time
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    ele: list[float] = field(default_factory=list)
    hr: list[float] = field(default_factory=list)
    cad: list[float] = field(default_factory=list)
    temp: list[float] = field(default_factory=list)
    speed: list[float] = field(default_factory=list)
    dist: list[float] = field(default_factory=list)  # device distance (TCX)
    offset: int | None = None  # first explicit UTC offset seen
    bad_times: int = 0  # times present but unreadable or impossible
    sport: str = "other"
    title: str | None = None

    def __len__(self) -> int:
        return len(self.t)

    def arrays(self) -> dict[str, np.ndarray]:
        n = len(self.t)
        out = {}
        for key in ("t", "lat", "lon", "ele", "hr", "cad", "temp", "speed", "dist"):
            values = getattr(self, key)
            out[key] = (
                np.asarray(values, dtype=np.float64) if len(values) == n else np.full(n, _NAN)
            )
        return out


def clean(s: Samples, label: str, warnings: list[str]) -> dict[str, np.ndarray] | None:
    """Drop untimed and out-of-order points, NaN out absurd values. None = not a session."""
    a = s.arrays()
    n = len(s)
    t = a["t"]
    timed = np.isfinite(t)
    n_timed = int(timed.sum())
    if n == 0:
        return None
    if n_timed == 0 or n_timed * 2 < n:
        why = "no point has" if n_timed == 0 else f"only {n_timed} of {n} points have"
        why += " a usable time"
        if s.bad_times:
            why += f"; {s.bad_times} are impossible (outside {MIN_YEAR}-{MAX_YEAR}: clock not set?)"
        else:
            why += " (a route, not a recorded session)"
        warnings.append(f"{label}: skipped, {why}")
        return None
    if s.bad_times:
        warnings.append(
            f"{label}: dropped {s.bad_times} points with an unreadable or impossible time "
            f"(outside {MIN_YEAR}-{MAX_YEAR})"
        )
    untimed = n - n_timed - s.bad_times
    if untimed:
        warnings.append(f"{label}: dropped {untimed} points without a time")
    a = {k: v[timed] for k, v in a.items()}
    t = a["t"]
    keep = t >= np.maximum.accumulate(t)
    if not keep.all():
        warnings.append(f"{label}: dropped {int((~keep).sum())} points whose time goes backwards")
        a = {k: v[keep] for k, v in a.items()}
    lat, lon = a["lat"], a["lon"]
    with np.errstate(invalid="ignore"):
        bad_pos = ~((np.abs(lat) <= 90) & (np.abs(lon) <= 180)) | ((lat == 0) & (lon == 0))
    n_bad_pos = int((bad_pos & (np.isfinite(lat) | np.isfinite(lon))).sum())
    if n_bad_pos:
        warnings.append(f"{label}: ignored {n_bad_pos} incomplete or impossible positions")
    lat[bad_pos] = _NAN
    lon[bad_pos] = _NAN
    for key, (low, high, inclusive) in _RANGES.items():
        v = a[key]
        finite = np.isfinite(v)
        with np.errstate(invalid="ignore"):
            ok = ((v >= low) if inclusive else (v > low)) & (v <= high)
        bad = ~ok & (finite | np.isinf(v))
        # all-zero heart rate is "no sensor", not worth a warning per file
        if bad.any() and not (key == "hr" and not np.any(v[finite] != 0)):
            warnings.append(
                f"{label}: ignored {int(bad.sum())} {_CHANNEL_WORDS[key]} values outside "
                f"{low:g}..{high:g}"
            )
        v[~ok] = _NAN
    return a


def _channel(v: np.ndarray) -> np.ndarray | None:
    return v if np.isfinite(v).any() else None


def _stats(v: np.ndarray | None) -> tuple[float | None, float | None, float | None]:
    if v is None:
        return None, None, None
    f = v[np.isfinite(v)]
    if len(f) == 0:
        return None, None, None
    return float(f.min()), float(f.mean()), float(f.max())


def build_activity(
    a: dict[str, np.ndarray],
    sport: str,
    title: str | None,
    device: str | None,
    offset: int | None,
    *,
    distance_m: float | None = None,
    moving_s: float | None = None,
    hr_fill: tuple[float | None, float | None] = (None, None),
) -> Activity:
    """Summary and stream from cleaned arrays (``clean``); keyword values fill what is missing.

    ``a["dist"]`` (device distance) is preferred to distance from positions when it has values.
    """
    t = a["t"]
    lat, lon, ele, hr, cad = a["lat"], a["lon"], a["ele"], a["hr"], a["cad"]
    has_pos = bool(np.isfinite(lat).any())
    dist = _channel(a["dist"])
    if dist is not None and not has_pos and not np.nanmax(dist) > 0:
        dist = None  # a device distance stuck at 0 without GPS: unknown, not zero
    track = geo.cumulative_distance(lat, lon) if has_pos else None
    if dist is not None:
        # forward-fill gaps so the channel stays cumulative
        idx = np.maximum.accumulate(np.where(np.isfinite(dist), np.arange(len(dist)), -1))
        dist = np.where(idx >= 0, dist[np.maximum(idx, 0)], _NAN)
        dist_total: float | None = float(np.nanmax(dist))
    else:
        dist = track
        dist_total = float(track[-1]) if track is not None else distance_m
    speed = _channel(a["speed"])
    # moving time: speed channel, else speed from positions, else the caller's value (lap
    # timer), else speed from the device distance (coarse: pool lengths update in steps)
    moving = moving_s
    dt = np.diff(t)
    basis = track if track is not None else (None if moving_s is not None else dist)
    if len(t) > 1 and (speed is not None or basis is not None):
        with np.errstate(invalid="ignore", divide="ignore"):
            v = np.diff(basis) / dt if basis is not None else np.full(len(dt), _NAN)
            if speed is not None:
                v = np.where(np.isfinite(speed[1:]), speed[1:], v)
            moving = float(dt[v > MOVING_SPEED_MPS].sum())
    cad_ch = _channel(cad)
    if cad_ch is not None and sport in RUNNING_SPORTS:
        pos = cad_ch[cad_ch > 0]
        if len(pos) and float(np.median(pos)) < 120:  # strides/min of one foot -> steps/min
            cad_ch = cad_ch * 2.0
    hr_ch = _channel(hr)
    _, hr_avg, hr_max = _stats(hr_ch)
    if hr_ch is None:
        hr_avg, hr_max = hr_fill
    temp_ch = _channel(a["temp"])
    tmin, tavg, tmax = _stats(temp_ch)
    ele_ch = _channel(ele)
    updown = geo.climb(ele_ch) if ele_ch is not None else None
    stream = Stream(
        t_s=t - t[0],
        distance_m=dist,
        elevation_m=ele_ch,
        hr_bpm=hr_ch,
        speed_mps=speed,
        temperature_c=temp_ch,
        cadence_spm=cad_ch,
        lat_deg=lat if has_pos else None,
        lon_deg=lon if has_pos else None,
    )
    return Activity(
        sport=sport,
        start=datetime.fromtimestamp(float(t[0]), tz=timezone.utc),
        utc_offset_s=offset,
        elapsed_s=float(t[-1] - t[0]),
        moving_s=moving,
        distance_m=dist_total,
        ascent_m=updown[0] if updown else None,
        descent_m=updown[1] if updown else None,
        hr_avg=hr_avg,
        hr_max=hr_max,
        temp_min_c=tmin,
        temp_avg_c=tavg,
        temp_max_c=tmax,
        title=title,
        device=device,
        stream=stream,
    )


# --- sport names ---------------------------------------------------------------------------

# Strava's GPX <type> numbers are not published; only the two seen in real exports are mapped.
_STRAVA_TYPES = {"1": "cycling", "9": "running"}
_RUN_TITLE = re.compile(r"\b(run|running|jog|jogging|lauf|course)\b", re.IGNORECASE)


def sport_from_type(kind: str | None, title: str | None) -> str:
    """Map a GPX ``<type>`` (Garmin, Strava, apps) to a cramplog sport."""
    k = (kind or "").strip().lower().replace("-", "_").replace(" ", "_")
    if not k:
        return "running" if title and _RUN_TITLE.search(title) else "other"
    if k.isdigit():
        return _STRAVA_TYPES.get(k, "other")
    if "run" in k or "jog" in k:
        if "trail" in k:
            return "trail_running"
        if "treadmill" in k or "indoor" in k:
            return "treadmill"
        if "track" in k:
            return "track_running"
        return "running"
    rules = (
        (("bik", "cycl", "ride", "mtb", "velo"), "cycling"),
        (("swim",), "swimming"),
        (("walk",), "walking"),
        (("hik", "trek"), "hiking"),
        (("row",), "rowing"),
        (("strength", "weight"), "strength"),
    )
    for words, sport in rules:
        if any(w in k for w in words):
            return sport
    return "other"


# --- GPX reading -------------------------------------------------------------------------------

# Local element name -> what it holds (1..7), for the point reader.
_ELE, _TIME_, _HR, _CAD, _TEMP, _SPEED, _EXT = 1, 2, 3, 4, 5, 6, 7
_SLOTS = {
    "extensions": _EXT,
    "ele": _ELE,
    "time": _TIME_,
    "hr": _HR,
    "heartrate": _HR,
    "cad": _CAD,
    "cadence": _CAD,
    "atemp": _TEMP,
    "temp": _TEMP,
    "temperature": _TEMP,
    "speed": _SPEED,
}
# Local element name -> what the track reader does with it.
_PT, _TRK, _HEAD, _DROP, _SEG, _RUN = 1, 2, 3, 4, 5, 6
_KINDS = {
    "trkpt": _PT,
    "trk": _TRK,
    "name": _HEAD,
    "type": _HEAD,
    "wpt": _DROP,
    "rte": _DROP,
    "metadata": _DROP,
    "trkseg": _SEG,
}
# The element ``gpxscan`` puts where it took a run of points out of the text; ``i`` numbers the
# run. The namespace is random per process, so no file can hold such an element itself.
RUN_NS = f"urn:cramplog:gpxscan:{secrets.token_hex(8)}"
_RUN_TAG = "{" + RUN_NS + "}run"
_CREATOR = re.compile(r"<(?:[\w.-]+:)?gpx\b[^>]*?\bcreator\s*=\s*(\"[^\"]*\"|'[^']*')")


def _finish_track(cur: Samples, head: dict[str, str]) -> Samples:
    cur.title = clip_title(head.get("name"))
    cur.sport = sport_from_type(head.get("type"), cur.title)
    return cur


def _read_fast(
    text: str, name: str, warnings: list[str], runs: Sequence[Samples] | None = None
) -> list[Samples]:
    """Tracks of a GPX text, streamed element by element.

    ``runs``: points ``gpxscan`` already read, each standing in the text as one ``RUN_NS``
    placeholder element; then a well-formedness error is raised, not reported, so that the
    caller can read the original text instead.
    """
    tracks: list[Samples] = []
    cur = Samples()
    head: dict[str, str] = {}  # name/type seen since the last trk/wpt/rte/metadata ended
    # tag -> _KINDS value, so local names are worked out once
    kinds: dict[str, int] = {} if runs is None else {_RUN_TAG: _RUN}
    slots: dict[str, int] = {}  # tag -> _SLOTS value
    try:
        for el in iter_elements(text):
            tag = el.tag
            kind = kinds.get(tag)
            if kind is None:
                kind = kinds[tag] = _KINDS.get(local_name(tag), 0)
            if not kind:
                continue
            if kind == _PT:
                _read_point(el, cur, slots)
                el.clear()
            elif kind == _TRK:
                for child in el:
                    cl = local_name(child.tag)
                    if cl in ("name", "type") and child.text:
                        head[cl] = child.text
                tracks.append(_finish_track(cur, head))
                cur = Samples()
                head = {}
                el.clear()
            elif kind == _RUN and runs is not None:
                _extend(cur, runs[int(el.attrib["i"])])
            elif kind == _HEAD:
                if not cur.t and el.text:
                    head[local_name(tag)] = el.text[: TITLE_MAX * 4]
            else:
                if kind == _DROP:
                    head = {}
                el.clear()
    except ParseError as exc:
        if runs is not None:
            raise
        if not cur.t and not any(len(tr) for tr in tracks):
            raise InputError(f"{name}: not well-formed XML ({exc})") from None
        warnings.append(f"{name}: the file is damaged or cut short ({exc}); kept what came before")
        if cur.t:
            tracks.append(_finish_track(cur, head))
    return tracks


def _extend(cur: Samples, run: Samples) -> None:
    """Append a run of points as ``_read_point`` would have appended them one by one."""
    for key in ("t", "lat", "lon", "ele", "hr", "cad", "temp", "speed"):
        getattr(cur, key).extend(getattr(run, key))
    cur.bad_times += run.bad_times
    if cur.offset is None:
        cur.offset = run.offset


def _read_point(el: Element, cur: Samples, slots: dict[str, int]) -> None:
    attrib = el.attrib
    ele = tm = hr = cad = temp = speed = None
    children: Iterable[Element] = el
    for child in children:
        tag = child.tag
        slot = slots.get(tag)
        if slot is None:
            slot = slots[tag] = _SLOTS.get(local_name(tag), 0) if isinstance(tag, str) else 0
        if not slot:
            continue
        if slot == _ELE:
            ele = child.text
        elif slot == _TIME_:
            tm = child.text
        elif slot == _EXT:
            for sub in child.iter():
                tag = sub.tag
                slot = slots.get(tag)
                if slot is None:
                    slot = slots[tag] = (
                        _SLOTS.get(local_name(tag), 0) if isinstance(tag, str) else 0
                    )
                if slot == _HR:
                    hr = sub.text
                elif slot == _TEMP:
                    temp = sub.text
                elif slot == _CAD:
                    cad = sub.text
                elif slot == _SPEED:
                    speed = sub.text
        elif slot == _HR:
            hr = child.text
        elif slot == _TEMP:
            temp = child.text
        elif slot == _CAD:
            cad = child.text
        elif slot == _SPEED:
            speed = child.text
    parsed = parse_time(tm)
    if parsed is None:
        cur.t.append(_NAN)
        if tm and tm.strip():
            cur.bad_times += 1
    else:
        cur.t.append(parsed[0])
        if parsed[1] is not None and cur.offset is None:
            cur.offset = parsed[1]
    try:
        lat, lon = float(attrib["lat"]), float(attrib["lon"])
    except (KeyError, ValueError):  # both parsed before either is kept: lists stay aligned
        lat, lon = to_float(attrib.get("lat")), to_float(attrib.get("lon"))
    cur.lat.append(lat)
    cur.lon.append(lon)
    cur.ele.append(_NAN if ele is None else to_float(ele))
    cur.hr.append(_NAN if hr is None else to_float(hr))
    cur.cad.append(_NAN if cad is None else to_float(cad))
    cur.temp.append(_NAN if temp is None else to_float(temp))
    cur.speed.append(_NAN if speed is None else to_float(speed))


def _read_gpxpy(text: str, name: str) -> list[Samples]:
    """The reference reader (gpxpy), used when the fast path fails unexpectedly."""
    import gpxpy
    import gpxpy.gpx

    try:
        doc = gpxpy.parse(text)
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        raise InputError(f"{name}: not a readable GPX file ({exc})") from None
    tracks: list[Samples] = []
    for trk in doc.tracks:
        s = Samples(title=clip_title(trk.name))
        s.sport = sport_from_type(trk.type, s.title)
        for seg in trk.segments:
            for p in seg.points:
                s.lat.append(to_float(str(p.latitude)))
                s.lon.append(to_float(str(p.longitude)))
                s.ele.append(_NAN if p.elevation is None else float(p.elevation))
                tm = p.time
                if tm is None or not MIN_YEAR <= tm.year <= MAX_YEAR:
                    s.t.append(_NAN)
                    s.bad_times += tm is not None
                else:
                    if tm.tzinfo is None:
                        tm = tm.replace(tzinfo=timezone.utc)
                    elif s.offset is None and tm.utcoffset():
                        off = tm.utcoffset()
                        s.offset = int(off.total_seconds()) if off else None
                    s.t.append(tm.timestamp())
                vals: dict[int, str | None] = {}
                for ext in p.extensions:
                    for child in ext.iter():
                        slot = _SLOTS.get(local_name(str(child.tag)), 0)
                        if slot not in (0, _TIME_, _ELE):
                            vals[slot] = child.text
                s.hr.append(to_float(vals.get(_HR)))
                s.cad.append(to_float(vals.get(_CAD)))
                s.temp.append(to_float(vals.get(_TEMP)))
                s.speed.append(to_float(vals.get(_SPEED)) if p.speed is None else p.speed)
        tracks.append(s)
    return tracks


def _merge(tracks: list[tuple[Samples, dict[str, np.ndarray]]]) -> list[tuple[Samples, dict]]:
    """Join consecutive tracks of one sport that follow each other within MERGE_GAP_S."""
    out: list[tuple[Samples, dict[str, np.ndarray]]] = []
    for s, a in tracks:
        if out:
            ps, pa = out[-1]
            gap = a["t"][0] - pa["t"][-1]
            if ps.sport == s.sport and 0 <= gap <= MERGE_GAP_S:
                out[-1] = (ps, {k: np.concatenate((pa[k], a[k])) for k in pa})
                continue
        out.append((s, a))
    return out


def samples_to_result(
    tracks: list[Samples], name: str, device: str | None, warnings: list[str]
) -> ParseResult:
    cleaned = []
    for i, s in enumerate(tracks):
        label = f"{name}: track {i + 1}" + (f" ({s.title[:40]})" if s.title else "")
        a = clean(s, label, warnings)
        if a is not None:
            cleaned.append((s, a))
    if not cleaned:
        detail = f"; {warnings[-1].removeprefix(name + ': ')}" if warnings else ""
        raise InputError(f"{name}: no timed track points, nothing to date as a session{detail}")
    activities = [build_activity(a, s.sport, s.title, device, s.offset) for s, a in _merge(cleaned)]
    return ParseResult(activities=activities, warnings=warnings)


def parse_gpx(data: bytes, name: str) -> ParseResult:
    """Read a GPX file's recorded tracks. Raises ``InputError`` when nothing can be read."""
    text = decode_xml(data, name, "GPX")
    m = _CREATOR.search(text[:4096])
    device = clip_title(m.group(1)[1:-1]) if m else None
    warnings: list[str] = []
    from cramplog.ingest import gpx_bulk  # here, as gpx_bulk imports this module

    try:
        scanned = gpx_bulk.scan(text)
    except Exception:  # noqa: BLE001 - the scanner only saves time; _read_fast has the last word
        scanned = None
    try:
        tracks = scanned if scanned is not None else _read_fast(text, name, warnings)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - the fast path must never be the reason a file fails
        warnings = [f"{name}: fast GPX reader failed ({type(exc).__name__}: {exc}); used gpxpy"]
        tracks = _read_gpxpy(text, name)
    if not any(len(s) for s in tracks):
        raise InputError(f"{name}: no track points (waypoints or routes only)")
    return samples_to_result(tracks, name, device, warnings)
