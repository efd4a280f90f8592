"""GPX reader: one Activity per recorded track; this module is the entry point (``parse_gpx``).

Three readers, tried in this order:

1. ``gpx_columns``, then ``gpx_bulk``: the points of the common, repetitive layouts, read in
   bulk (numpy columns over the bytes, or one regex pass; the same values, many times faster);
   they leave the rest of the file to the element reader, and answer nothing when they cannot
   be sure.
2. ``gpx_elements``: the streaming element reader on local names (the fast path proper).
3. ``gpx_reference``: gpxpy, the reference and the fallback when the fast path fails
   unexpectedly.

The sample cleaning and the summary (``track_samples``) are shared with the TCX reader.

Rules: a track whose points mostly have no time is a route, not a session, and is skipped;
points with impossible times (before 1990, after 2100) or going back in time are dropped;
absurd values become NaN. Consecutive tracks of the same sport less than an hour apart are one
session split by the device (GPSBabel "ACTIVE LOG #2" ...) and are joined.
"""

from __future__ import annotations

import re

import numpy as np

from cramplog.errors import InputError
from cramplog.ingest import gpx_bulk, gpx_columns, gpx_elements, gpx_reference
from cramplog.ingest.track_samples import Samples, build_activity, clean, clip_title
from cramplog.ingest.xmlsafe import decode_xml
from cramplog.model import ParseResult

MERGE_GAP_S = 3600.0
_CREATOR = re.compile(r"<(?:[\w.-]+:)?gpx\b[^>]*?\bcreator\s*=\s*(\"[^\"]*\"|'[^']*')")


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
    scanned = None
    for scanner in (lambda: gpx_columns.scan(data, text), lambda: gpx_bulk.scan(text)):
        try:
            scanned = scanner()
        except Exception:  # noqa: BLE001 - scanners only save time; read_tracks has the last word
            scanned = None
        if scanned is not None:
            break
    try:
        tracks = scanned if scanned is not None else gpx_elements.read_tracks(text, name, warnings)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - the fast path must never be the reason a file fails
        warnings = [f"{name}: fast GPX reader failed ({type(exc).__name__}: {exc}); used gpxpy"]
        tracks = gpx_reference.read_gpxpy(text, name)
    if not any(len(s) for s in tracks):
        raise InputError(f"{name}: no track points (waypoints or routes only)")
    return samples_to_result(tracks, name, device, warnings)
