"""One planned session (``Plan``): what the season, team and corpus schedules produce, the
athlete writer simulates, and the tables describe. Its own module so that those import it
without importing each other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Plan:
    """One planned session, in the athlete's local time."""

    day: date
    start: str  # "HH:MM" local
    kind: str  # easy, recovery, long, steady, tempo, intervals, hills, mountain, trail, race, ...
    km: float
    route: str  # key into the athlete's routes; "" for indoor / no GPS
    fmt: str  # fit | fitgz | gpx | both | manual | garmin
    title: str = ""
    slug: str = ""
    race: bool = False
    frac: float | None = None
    cramp_at_km: float | None = None
    temp_cap_c: float | None = None
    temp_offset_c: float = 0.0
    sub_sport: str = "generic"
    rec: tuple[int, ...] = (1, 2, 3, 4, 5)
    rpe: int | None = None
    notes: str = ""
    # a cramp logged for this session: (muscle, side, severity, timing, notes); "during" uses cramp_at_km
    cramp: tuple[str, str, int, str, str] | None = None
