"""GPX 1.1 track files in the shape Strava's "Export GPX" writes them.

Strava's files carry UTC times ("…Z") and no distance; heart rate, cadence
(strides per minute) and air temperature ride in Garmin's TrackPointExtension.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.sax.saxutils import escape

import numpy as np

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx creator="StravaGPX" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd '
    "http://www.garmin.com/xmlschemas/GpxExtensions/v3 http://www.garmin.com/xmlschemas/GpxExtensionsv3.xsd "
    "http://www.garmin.com/xmlschemas/TrackPointExtension/v1 "
    'http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd" version="1.1" '
    'xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" '
    'xmlns:gpxx="http://www.garmin.com/xmlschemas/GpxExtensions/v3">\n'
)

_PT = (
    '   <trkpt lat="{:.7f}" lon="{:.7f}">\n'
    "    <ele>{:.1f}</ele>\n"
    "    <time>{}</time>\n"
    "    <extensions>\n"
    "     <gpxtpx:TrackPointExtension>\n"
    "      <gpxtpx:atemp>{}</gpxtpx:atemp>\n"
    "      <gpxtpx:hr>{}</gpxtpx:hr>\n"
    "      <gpxtpx:cad>{}</gpxtpx:cad>\n"
    "     </gpxtpx:TrackPointExtension>\n"
    "    </extensions>\n"
    "   </trkpt>\n"
)


def _iso(unix_s: int) -> str:
    return datetime.fromtimestamp(unix_s, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def strava_gpx(
    *,
    name: str,
    t: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    ele: np.ndarray,
    hr: np.ndarray,
    cad: np.ndarray,
    temp: np.ndarray,
    activity_type: str = "running",
) -> bytes:
    """One track, one segment, a point per recorded sample."""
    parts = [
        _HEAD,
        f" <metadata>\n  <time>{_iso(int(t[0]))}</time>\n </metadata>\n",
        f" <trk>\n  <name>{escape(name)}</name>\n  <type>{activity_type}</type>\n  <trkseg>\n",
    ]
    # Strava keeps one decimal of elevation; the FIT file keeps 0.2 m steps
    rows = zip(
        lat.tolist(), lon.tolist(), ele.tolist(), t.tolist(), temp.tolist(), hr.tolist(), cad.tolist(),
        strict=True,
    )  # fmt: skip
    parts.extend(
        _PT.format(a, o, e, _iso(int(ts)), int(tc), int(h), int(c))
        for a, o, e, ts, tc, h, c in rows
    )
    parts.append("  </trkseg>\n </trk>\n</gpx>\n")
    return "".join(parts).encode("utf-8")
