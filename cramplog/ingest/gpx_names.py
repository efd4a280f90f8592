"""What GPX names mean: element local names to point channels, ``<type>`` to a sport.

Shared by the element reader (``gpx_elements``), the bulk scanner (``gpx_bulk``) and the gpxpy
reference (``gpx_reference``), so all three read a point's channels alike.
"""

from __future__ import annotations

import re

# Local element name -> what it holds (1..7), for the point readers.
ELE, TIME, HR, CAD, TEMP, SPEED, EXT = 1, 2, 3, 4, 5, 6, 7
SLOTS = {
    "extensions": EXT,
    "ele": ELE,
    "time": TIME,
    "hr": HR,
    "heartrate": HR,
    "cad": CAD,
    "cadence": CAD,
    "atemp": TEMP,
    "temp": TEMP,
    "temperature": TEMP,
    "speed": SPEED,
}

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
