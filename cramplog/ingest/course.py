"""Course files: the goal's route as positions, distance and elevation; times not needed.

``read_course(path)`` reads a GPX track (``trkpt``) or route (``rtept``), a TCX course or
activity (``Trackpoint``) or a FIT course or activity file (``record`` messages, with or
without timestamps) and returns a ``Stream`` whose ``t_s`` is all NaN: a course has no
clock, and an activity file given as a course has its times ignored. Distance comes from the
file's distance channel where it has one (TCX ``DistanceMeters``, FIT ``distance``), else
``features.elevation.stream_distance`` computes it from the positions, exactly as for a
session. A missing or unreadable file is an ``InputError`` naming the path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cramplog.errors import InputError

if TYPE_CHECKING:
    from cramplog.model import Stream

# FIT positions are semicircles: 2^31 of them to 180 degrees.
_SEMI_TO_DEG = 180.0 / 2**31


@dataclass
class CourseTrack:
    path: str
    kind: str  # "gpx track", "gpx route", "tcx", "fit"
    stream: Stream


def read_course(path: str | Path) -> CourseTrack:
    """The course in ``path``; InputError (one line naming the path) when it cannot be read."""
    from cramplog.ingest.read import detect_format, gunzip

    p = Path(path)
    fmt = detect_format(p.name)
    if fmt not in ("gpx", "tcx", "fit"):
        raise InputError(f"course file {p}: not a .gpx, .tcx or .fit file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"course file {p}: cannot read it ({exc.strerror or exc})") from None
    if p.name.lower().endswith(".gz"):
        data = gunzip(data, str(p))
    if not data:
        raise InputError(f"course file {p}: the file is empty")
    if fmt == "fit":
        kind, cols = "fit", _fit_points(data, str(p))
    else:
        kind, cols = _xml_points(data, str(p), fmt)
    lat, lon, ele, dist = cols
    if len(lat) < 2:
        raise InputError(f"course file {p}: fewer than two course points")
    return CourseTrack(str(p), kind, _stream(lat, lon, ele, dist))


def _stream(lat: list[float], lon: list[float], ele: list[float], dist: list[float]) -> Stream:
    import numpy as np

    from cramplog.model import Stream

    def col(values: list[float]) -> np.ndarray | None:
        arr = np.asarray(values, dtype=np.float64)
        return arr if np.isfinite(arr).any() else None

    n = len(lat)
    return Stream(
        t_s=np.full(n, np.nan),
        distance_m=col(dist),
        elevation_m=col(ele),
        lat_deg=col(lat),
        lon_deg=col(lon),
    )


def _float(text: str | None) -> float:
    try:
        x = float(text) if text is not None else math.nan
    except ValueError:
        return math.nan
    return x if math.isfinite(x) else math.nan


Columns = tuple[list[float], list[float], list[float], list[float]]


def _xml_points(data: bytes, name: str, fmt: str) -> tuple[str, Columns]:
    from cramplog.ingest.xmlsafe import ParseError, decode_xml, iter_elements, local_name

    text = decode_xml(data, f"course file {name}", fmt.upper())
    pts: dict[str, Columns] = {k: ([], [], [], []) for k in ("trkpt", "rtept", "Trackpoint")}
    try:
        for elem in iter_elements(text):
            tag = local_name(elem.tag)
            if tag in ("trkpt", "rtept"):
                lat, lon, ele, dist = pts[tag]
                lat.append(_float(elem.get("lat")))
                lon.append(_float(elem.get("lon")))
                z = next((c.text for c in elem if local_name(c.tag) == "ele"), None)
                ele.append(_float(z))
                dist.append(math.nan)
                elem.clear()
            elif tag == "Trackpoint":
                vals = {local_name(c.tag): c for c in elem.iter()}
                lat, lon, ele, dist = pts[tag]
                pos_lat = vals.get("LatitudeDegrees")
                pos_lon = vals.get("LongitudeDegrees")
                lat.append(_float(pos_lat.text if pos_lat is not None else None))
                lon.append(_float(pos_lon.text if pos_lon is not None else None))
                alt, dm = vals.get("AltitudeMeters"), vals.get("DistanceMeters")
                ele.append(_float(alt.text if alt is not None else None))
                dist.append(_float(dm.text if dm is not None else None))
                elem.clear()
    except ParseError as exc:
        raise InputError(f"course file {name}: not well-formed {fmt.upper()} ({exc})") from None
    for tag, kind in (("trkpt", "gpx track"), ("rtept", "gpx route"), ("Trackpoint", "tcx")):
        if pts[tag][0]:
            return kind, pts[tag]
    raise InputError(f"course file {name}: no track, route or course points")


def _fit_points(data: bytes, name: str) -> Columns:
    import numpy as np

    from cramplog.ingest.fit import decode_fit
    from cramplog.ingest.fitmessages import looks_like_fit

    if not looks_like_fit(data):
        raise InputError(f"course file {name}: not a FIT file (no '.FIT' signature)")
    try:
        rec = decode_fit(data).record
    except Exception as exc:  # a damaged file: one line, never a traceback
        raise InputError(f"course file {name}: cannot decode the FIT file ({exc})") from None
    n = len(rec)
    nan = np.full(n, np.nan)

    def col(*names: str) -> np.ndarray:
        for key in names:
            if key in rec.columns:
                return rec.columns[key]
        return nan

    lat = col("position_lat") * _SEMI_TO_DEG
    lon = col("position_long") * _SEMI_TO_DEG
    ele = col("enhanced_altitude", "altitude")
    dist = col("distance")
    return lat.tolist(), lon.tolist(), ele.tolist(), dist.tolist()
