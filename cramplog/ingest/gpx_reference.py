"""GPX reference reader (gpxpy): the fallback when the element reader fails unexpectedly.

Slow, but an independent reading of the same file: ``parse_gpx`` turns to it when
``gpx_elements`` raises anything but an ``InputError``, and the tests compare the two.
"""

from __future__ import annotations

import math
from datetime import timezone

from cramplog.errors import InputError
from cramplog.ingest.gpx_names import CAD, ELE, HR, SLOTS, SPEED, TEMP, TIME, sport_from_type
from cramplog.ingest.track_samples import MAX_YEAR, MIN_YEAR, Samples, clip_title, to_float
from cramplog.ingest.xmlsafe import local_name

_NAN = math.nan


def read_gpxpy(text: str, name: str) -> list[Samples]:
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
                        slot = SLOTS.get(local_name(str(child.tag)), 0)
                        if slot not in (0, TIME, ELE):
                            vals[slot] = child.text
                s.hr.append(to_float(vals.get(HR)))
                s.cad.append(to_float(vals.get(CAD)))
                s.temp.append(to_float(vals.get(TEMP)))
                s.speed.append(to_float(vals.get(SPEED)) if p.speed is None else p.speed)
        tracks.append(s)
    return tracks
