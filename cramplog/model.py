"""The data cramplog works on: activities, sample streams, cramp events, profiles, findings.

Units are in the names (``distance_m``, ``duration_s``, ``temperature_c``). Datetimes are
timezone-aware. ``None`` always means "unknown", never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    import numpy as np

# Sports cramplog knows. Adapters map device and service names onto these.
SPORTS = (
    "running",
    "trail_running",
    "treadmill",
    "track_running",
    "cycling",
    "swimming",
    "walking",
    "hiking",
    "rowing",
    "strength",
    "other",
)
RUNNING_SPORTS = frozenset({"running", "trail_running", "treadmill", "track_running"})

# Richness of a source format: when one session arrives from several sources, the richest wins.
FORMAT_RANK = {"fit": 4, "tcx": 3, "gpx": 2, "csv": 1}

# A finding's severity, its evidence grade, and a goal assessment's status: plain strings in the
# JSON, checked by mypy where the rules set them (``Literal``, not an enum, so the values stay
# ``str`` and every output stays byte-identical). Values read back from outside (the outcome
# cache) are checked against the tuples below (``analysis.outcome.outcome_doc``).
Severity = Literal["info", "caution", "warning"]
Grade = Literal["strong", "moderate", "weak", "anecdotal"]
Status = Literal["ok", "flag", "unknown"]  # checked and fine / checked and flagged / can't say
SEVERITIES: tuple[Severity, ...] = get_args(Severity)  # in rising order

# Personal associations are shown from this many logged cramps on (SCIENCE.md). Here, not in
# personal.py, so the renderers can say so without importing the statistics and numpy.
PERSONAL_MIN_EVENTS = 5
GRADES: tuple[Grade, ...] = get_args(Grade)  # strongest first
STATUSES: tuple[Status, ...] = get_args(Status)
MUSCLES = (
    "calf",
    "hamstring",
    "quadriceps",
    "adductor",
    "hip_flexor",
    "tibialis_anterior",
    "foot",
    "glute",
    "other",
)
SIDES = ("left", "right", "both")
TIMINGS = ("during", "after", "night", "rest")
SEXES = ("male", "female", "unspecified")

STREAM_CHANNELS = (
    "distance_m",
    "elevation_m",
    "hr_bpm",
    "speed_mps",
    "temperature_c",
    "cadence_spm",
    "lat_deg",
    "lon_deg",
)


def sport_family(sport: str) -> str:
    """The family used for "same sport" comparisons: every kind of running counts as running."""
    return "running" if sport in RUNNING_SPORTS else sport


@dataclass
class Stream:
    """Per-sample arrays of one activity, all of one length; NaN marks a missing sample.

    ``t_s`` is seconds since the activity start. A channel the file does not carry is ``None``.
    """

    t_s: np.ndarray
    distance_m: np.ndarray | None = None
    elevation_m: np.ndarray | None = None
    hr_bpm: np.ndarray | None = None
    speed_mps: np.ndarray | None = None
    temperature_c: np.ndarray | None = None
    cadence_spm: np.ndarray | None = None
    lat_deg: np.ndarray | None = None
    lon_deg: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.t_s)

    def channels(self) -> dict[str, np.ndarray]:
        """The channels present, by name (``t_s`` excluded)."""
        out = {}
        for name in STREAM_CHANNELS:
            arr = getattr(self, name)
            if arr is not None:
                out[name] = arr
        return out


@dataclass
class Activity:
    """One session as an adapter reads it, or as the store returns it.

    ``start`` is timezone-aware UTC. ``utc_offset_s`` is the athlete's local offset at the
    start when the file says it (FIT activity ``local_timestamp``); ``None`` means the
    profile's time zone decides the local day.
    """

    sport: str
    start: datetime
    utc_offset_s: int | None = None
    elapsed_s: float | None = None
    moving_s: float | None = None
    distance_m: float | None = None
    ascent_m: float | None = None
    descent_m: float | None = None
    hr_avg: float | None = None
    hr_max: float | None = None
    temp_min_c: float | None = None
    temp_avg_c: float | None = None
    temp_max_c: float | None = None
    rpe: float | None = None
    title: str | None = None
    is_race: bool = False
    device: str | None = None
    stream: Stream | None = None
    # The stream already encoded for the store (``streamcodec``): import workers encode it
    # and send this instead of the arrays, so the main process neither pickles nor compresses.
    stream_blob: bytes | None = None
    # The stream's part of the session's features (``features.StreamNumbers``), computed by
    # the import worker when the profile fixes the HR bounds; the importer stores features
    # from it, so the first analysis reads no streams.
    stream_numbers: Any = None
    # Filled by the store: row id, athlete, the file names merged into this session, and the
    # format of the richest one.
    id: int | None = None
    athlete: str | None = None
    sources: list[str] = field(default_factory=list)
    source_format: str | None = None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed_s or self.moving_s or 0.0)

    def local_start(self, fallback_tz: Any = None) -> datetime:
        """Start in the athlete's local time: the file's own offset, else ``fallback_tz``."""
        if self.utc_offset_s is not None:
            return self.start.astimezone(timezone(timedelta(seconds=self.utc_offset_s)))
        if fallback_tz is not None:
            return self.start.astimezone(fallback_tz)
        return self.start

    def local_date(self, fallback_tz: Any = None) -> date:
        return self.local_start(fallback_tz).date()


@dataclass
class ParseResult:
    """What one adapter read from one file: zero or more activities, and what it could not read."""

    activities: list[Activity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Optional per-row extras a summary CSV carries for files in the same export
    # (Strava activities.csv: Filename column); key = file name inside the export.
    fills: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Goal:
    name: str
    date: date
    sport: str = "running"
    distance_km: float | None = None
    descent_m: float | None = None
    temperature_c: float | None = None
    target_time_s: float | None = None
    # the course file (GPX/TCX/FIT) as typed in athlete.toml, relative to that file; the
    # importer stores it resolved to an absolute path
    course: str | None = None


@dataclass
class Profile:
    """An athlete's profile, as in ``athlete.toml``."""

    name: str
    sex: str = "unspecified"
    hr_max: float | None = None
    hr_rest: float | None = None
    timezone: str | None = None
    goals: list[Goal] = field(default_factory=list)
    thresholds: dict[str, Any] = field(default_factory=dict)

    def tzinfo(self) -> Any:
        """The profile's zone as a tzinfo (UTC when unset)."""
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone) if self.timezone else timezone.utc


@dataclass
class CrampEvent:
    """One logged cramp. ``when`` is timezone-aware (the athlete's local zone).

    ``date_only`` is true when only a day was given; ``when`` is then local noon.
    ``activity_id`` is the linked session (see ``cramplog.journal.cramps.link``).
    """

    when: datetime
    muscle: str
    side: str | None = None
    severity: int | None = None
    timing: str | None = None
    notes: str | None = None
    date_only: bool = False
    id: int | None = None
    athlete: str | None = None
    activity_id: int | None = None


@dataclass(frozen=True)
class Finding:
    """One rule firing: a training pattern linked to cramping, with the numbers behind it."""

    rule: str  # stable id, CR01..CR11
    name: str  # stable name, e.g. session_spike
    date: date  # athlete's local day
    severity: Severity
    grade: Grade
    message: str  # one plain-language line
    evidence: dict[str, Any] = field(default_factory=dict)
    activity_id: int | None = None
    sources: tuple[str, ...] = ()  # literature references


def severity_rank(severity: Severity) -> int:
    return SEVERITIES.index(severity)
