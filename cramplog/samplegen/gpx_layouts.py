"""GPX files in the layouts real exporters write, for the decade corpus and the GPX tests.

Each layout is one exporter's shape of a track point; the values come from the same simulated
streams the FIT writer uses:

- ``strava``: Strava's "Export GPX" (``gpxwriter.strava_gpx``), pretty-printed, one element
  per line, ``gpxtpx:`` TrackPointExtension with atemp, hr and cad.
- ``garmin``: Garmin Connect's export: ``ns3:`` TrackPointExtension with hr and cad, times
  with milliseconds (``…T07:01:02.000Z``), two-space indentation.
- ``apple``: an Apple-Health style phone export: one point per line, ``lon`` before ``lat``,
  per-point ``speed``/``course``/``hAcc``/``vAcc`` extensions in the default namespace, no
  heart rate.
- ``pretty``: a desktop tool's pretty-printed file: tabs, CRLF line ends, ``gpxtpx:`` v2
  with hr, cad and speed.
- ``single``: the whole document on one line (web exporters), Garmin-style extensions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.sax.saxutils import escape

import numpy as np

from .gpxwriter import strava_gpx

L = list[float]  # one column of a track, as Python floats

LAYOUTS = ("strava", "garmin", "apple", "pretty", "single")

_TPX1 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
_TPX2 = "http://www.garmin.com/xmlschemas/TrackPointExtension/v2"
_GPX11 = 'xmlns="http://www.topografix.com/GPX/1/1"'


def _iso(unix_s: float, millis: bool = False) -> str:
    d = datetime.fromtimestamp(int(unix_s), tz=UTC)
    return d.strftime("%Y-%m-%dT%H:%M:%S.000Z" if millis else "%Y-%m-%dT%H:%M:%SZ")


def _garmin(name: str, t: L, lat: L, lon: L, ele: L, hr: L, cad: L) -> str:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gpx creator="Garmin Connect" version="1.1" {_GPX11} '
        'xmlns:ns2="http://www.garmin.com/xmlschemas/GpxExtensions/v3" '
        f'xmlns:ns3="{_TPX1}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"  <metadata>\n    <time>{_iso(t[0], True)}</time>\n  </metadata>\n"
        f"  <trk>\n    <name>{escape(name)}</name>\n    <type>running</type>\n    <trkseg>\n"
    )
    pt = (
        '      <trkpt lat="{:.14g}" lon="{:.14g}">\n'
        "        <ele>{:.1f}</ele>\n"
        "        <time>{}</time>\n"
        "        <extensions>\n"
        "          <ns3:TrackPointExtension>\n"
        "            <ns3:hr>{}</ns3:hr>\n"
        "            <ns3:cad>{}</ns3:cad>\n"
        "          </ns3:TrackPointExtension>\n"
        "        </extensions>\n"
        "      </trkpt>\n"
    )
    body = "".join(
        pt.format(a, o, e, _iso(ts, True), int(h), int(c))
        for a, o, e, ts, h, c in zip(lat, lon, ele, t, hr, cad, strict=True)
    )
    return head + body + "    </trkseg>\n  </trk>\n</gpx>\n"


def _apple(name: str, t: L, lat: L, lon: L, ele: L, speed: L, course: L, hacc: L, vacc: L) -> str:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gpx version="1.1" creator="Apple Health Export" {_GPX11} '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"\t<metadata>\n\t\t<time>{_iso(t[0])}</time>\n\t</metadata>\n"
        f"\t<trk>\n\t\t<name>{escape(name)}</name>\n\t\t<trkseg>\n"
    )
    pt = (
        '\t\t\t<trkpt lon="{:.6f}" lat="{:.6f}"><ele>{:.6f}</ele><time>{}</time>'
        "<extensions><speed>{:.6f}</speed><course>{:.6f}</course><hAcc>{:.6f}</hAcc>"
        "<vAcc>{:.6f}</vAcc></extensions></trkpt>\n"
    )
    body = "".join(
        pt.format(o, a, e, _iso(ts), s, c, h, v)
        for a, o, e, ts, s, c, h, v in zip(lat, lon, ele, t, speed, course, hacc, vacc, strict=True)
    )
    return head + body + "\t\t</trkseg>\n\t</trk>\n</gpx>\n"


def _pretty(name: str, t: L, lat: L, lon: L, ele: L, hr: L, cad: L, speed: L) -> str:
    nl = "\r\n"
    head = nl.join(
        [
            '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>',
            f'<gpx xmlns:gpxtpx="{_TPX2}" {_GPX11} creator="OpenTracks" version="1.1">',
            "\t<trk>",
            f"\t\t<name>{escape(name)}</name>",
            "\t\t<type>running</type>",
            "\t\t<trkseg>",
            "",
        ]
    )
    pt = nl.join(
        [
            "\t\t\t<trkpt lat='{:.7f}' lon='{:.7f}'>",
            "\t\t\t\t<ele>{:.1f}</ele>",
            "\t\t\t\t<time>{}</time>",
            "\t\t\t\t<extensions>",
            "\t\t\t\t\t<gpxtpx:TrackPointExtension>",
            "\t\t\t\t\t\t<gpxtpx:speed>{:.2f}</gpxtpx:speed>",
            "\t\t\t\t\t\t<gpxtpx:hr>{}</gpxtpx:hr>",
            "\t\t\t\t\t\t<gpxtpx:cad>{}</gpxtpx:cad>",
            "\t\t\t\t\t</gpxtpx:TrackPointExtension>",
            "\t\t\t\t</extensions>",
            "\t\t\t</trkpt>",
            "",
        ]
    )
    body = "".join(
        pt.format(a, o, e, _iso(ts), s, int(h), int(c))
        for a, o, e, ts, s, h, c in zip(lat, lon, ele, t, speed, hr, cad, strict=True)
    )
    return head + body + nl.join(["\t\t</trkseg>", "\t</trk>", "</gpx>", ""])


def _single(name: str, t: L, lat: L, lon: L, ele: L, hr: L, cad: L) -> str:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<gpx version="1.1" creator="Web Exporter" {_GPX11} xmlns:gpxtpx="{_TPX1}">'
        f"<trk><name>{escape(name)}</name><type>Run</type><trkseg>"
    )
    pt = (
        '<trkpt lat="{:.6f}" lon="{:.6f}"><ele>{:.1f}</ele><time>{}</time><extensions>'
        "<gpxtpx:TrackPointExtension><gpxtpx:hr>{}</gpxtpx:hr><gpxtpx:cad>{}</gpxtpx:cad>"
        "</gpxtpx:TrackPointExtension></extensions></trkpt>"
    )
    body = "".join(
        pt.format(a, o, e, _iso(ts), int(h), int(c))
        for a, o, e, ts, h, c in zip(lat, lon, ele, t, hr, cad, strict=True)
    )
    return head + body + "</trkseg></trk></gpx>"


def layout_gpx(
    layout: str,
    *,
    name: str,
    t: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    ele: np.ndarray,
    hr: np.ndarray,
    cad: np.ndarray,
    temp: np.ndarray,
    speed: np.ndarray,
    seed: int = 0,
) -> bytes:
    """One track in ``layout`` (one of ``LAYOUTS``) as UTF-8 bytes."""
    if layout == "strava":
        return strava_gpx(name=name, t=t, lat=lat, lon=lon, ele=ele, hr=hr, cad=cad, temp=temp)
    cols = (t.tolist(), lat.tolist(), lon.tolist(), ele.tolist())
    if layout == "garmin":
        text = _garmin(name, *cols, hr.tolist(), cad.tolist())
    elif layout == "apple":
        rng = np.random.default_rng(seed)
        dlat, dlon = np.diff(lat, prepend=lat[0]), np.diff(lon, prepend=lon[0])
        course = np.degrees(np.arctan2(dlon * np.cos(np.radians(lat)), dlat)) % 360.0
        hacc = rng.uniform(1.5, 12.0, len(t))
        vacc = rng.uniform(1.0, 8.0, len(t))
        text = _apple(name, *cols, speed.tolist(), course.tolist(), hacc.tolist(), vacc.tolist())
    elif layout == "pretty":
        text = _pretty(name, *cols, hr.tolist(), cad.tolist(), speed.tolist())
    elif layout == "single":
        text = _single(name, *cols, hr.tolist(), cad.tolist())
    else:
        raise ValueError(f"unknown GPX layout {layout!r}; one of {', '.join(LAYOUTS)}")
    return text.encode("utf-8")
