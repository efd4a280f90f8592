"""The text files of an athlete folder: athlete.toml, cramps.csv and the two activity CSVs."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np

from .fitwriter import hysteresis_climb

if TYPE_CHECKING:
    from .physiology import Streams
    from .plan import Plan


@dataclass(frozen=True)
class Goal:
    name: str
    day: date
    sport: str
    distance_km: float
    descent_m: int
    temperature_c: float
    target_time: str
    course: str | None = None  # a course file written next to athlete.toml (samplegen.course)


@dataclass(frozen=True)
class CrampRow:
    when: str  # ISO local date or date-time
    muscle: str
    side: str
    severity: int
    timing: str
    notes: str = ""


def athlete_toml(name: str, sex: str, hr_max: int, hr_rest: int, tz: str, goals: list[Goal]) -> str:
    lines = [
        "[athlete]",
        f'name = "{name}"',
        f'sex = "{sex}"',
        f"hr_max = {hr_max}",
        f"hr_rest = {hr_rest}",
        f'timezone = "{tz}"',
    ]
    for g in goals:
        lines += [
            "",
            "[[goal]]",
            f'name = "{g.name}"',
            f"date = {g.day.isoformat()}",
            f'sport = "{g.sport}"',
            f"distance_km = {g.distance_km:.1f}",
            f"descent_m = {g.descent_m}",
            f"temperature_c = {g.temperature_c:.1f}",
            f'target_time = "{g.target_time}"',
        ]
        if g.course:
            lines.append(f'course = "{g.course}"')
    return "\n".join(lines) + "\n"


def _csv(header: list[str], rows: list[list[str]], quote_all: bool = False) -> str:
    buf = io.StringIO()
    w = csv.writer(
        buf, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def cramps_csv(rows: list[CrampRow]) -> str:
    return _csv(
        ["when", "muscle", "side", "severity", "timing", "notes"],
        [[r.when, r.muscle, r.side, str(r.severity), r.timing, r.notes] for r in rows],
    )


def hms(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


@dataclass(frozen=True)
class ManualRow:
    start: str
    sport: str
    duration: str
    distance_km: str = ""
    ascent_m: str = ""
    descent_m: str = ""
    hr_avg: str = ""
    hr_max: str = ""
    temperature_c: str = ""
    rpe: str = ""
    title: str = ""
    race: str = "no"

    @staticmethod
    def from_session(plan: Plan, local: datetime, s: Streams) -> ManualRow:
        dur = float(s.t[-1] - s.t[0])
        up, down = hysteresis_climb(s.ele) if s.ele is not None else (0.0, 0.0)
        with_hr = plan.kind == "treadmill" or not plan.notes.startswith("no hr")
        return ManualRow(
            start=local.strftime("%Y-%m-%d %H:%M"),
            sport="treadmill" if plan.kind == "treadmill" else "running",
            duration=hms(dur),
            distance_km=f"{s.dist[-1] / 1000:.2f}",
            ascent_m=f"{up:.0f}" if s.ele is not None else "",
            descent_m=f"{down:.0f}" if s.ele is not None else "",
            hr_avg=f"{np.mean(s.hr):.0f}" if with_hr else "",
            hr_max=f"{np.max(s.hr):.0f}" if with_hr else "",
            temperature_c=f"{np.mean(s.temp):.0f}",
            rpe="" if plan.rpe is None else str(plan.rpe),
            title=plan.title,
            race="yes" if plan.race else "no",
        )

    def cells(self) -> list[str]:
        return [
            self.start, self.sport, self.duration, self.distance_km, self.ascent_m, self.descent_m,
            self.hr_avg, self.hr_max, self.temperature_c, self.rpe, self.title, self.race,
        ]  # fmt: skip


MANUAL_HEADER = [
    "start", "sport", "duration", "distance_km", "ascent_m", "descent_m",
    "hr_avg", "hr_max", "temperature_c", "rpe", "title", "race",
]  # fmt: skip


def manual_log_csv(rows: list[ManualRow]) -> str:
    return _csv(MANUAL_HEADER, [r.cells() for r in rows])


GARMIN_HEADER = [
    "Activity Type", "Date", "Favorite", "Title", "Distance", "Calories", "Time", "Avg HR",
    "Max HR", "Aerobic TE", "Avg Run Cadence", "Max Run Cadence", "Avg Pace", "Best Pace",
    "Total Ascent", "Total Descent", "Avg Stride Length", "Min Temp", "Max Temp", "Moving Time",
    "Elapsed Time", "Min Elevation", "Max Elevation",
]  # fmt: skip


def _thousands(v: float) -> str:
    return f"{v:,.0f}"


def _pace(sec_per_km: float) -> str:
    s = int(round(sec_per_km))
    return f"{s // 60}:{s % 60:02d}"


@dataclass(frozen=True)
class GarminRow:
    local: datetime
    cells: list[str]

    @staticmethod
    def from_session(plan: Plan, local: datetime, s: Streams) -> GarminRow:
        dur = float(s.t[-1] - s.t[0])
        km = float(s.dist[-1]) / 1000.0
        kind = {"treadmill": "Treadmill Running", "trail": "Trail Running"}.get(
            plan.kind, "Running"
        )
        up, down = hysteresis_climb(s.ele) if s.ele is not None else (None, None)
        moving = s.speed > 0.5
        best = 1000.0 / float(np.max(s.speed))
        spm = 2 * s.cad[s.cad > 0]
        stride = float(s.dist[-1]) / max(float(np.sum(np.diff(s.t) * s.cad[1:] * 2 / 60.0)), 1.0)
        start = local + timedelta(seconds=int(s.t[0]) % 60)
        title = plan.title or (
            "Treadmill Running" if plan.kind == "treadmill" else f"{plan.notes or 'Denver'} Running"
        )
        cells = [
            kind,
            start.strftime("%Y-%m-%d %H:%M:%S"),
            "false",
            title,
            f"{km:.2f}",
            _thousands(km * 66),
            hms(dur),
            f"{np.mean(s.hr):.0f}",
            f"{np.max(s.hr):.0f}",
            f"{min(5.0, 1.5 + dur / 3600 * 1.6):.1f}",
            f"{np.mean(spm):.0f}",
            f"{np.max(spm):.0f}",
            _pace(dur / km),
            _pace(best),
            "--" if up is None else _thousands(up),
            "--" if down is None else _thousands(down),
            f"{stride:.2f}",
            f"{np.min(s.temp):.1f}",
            f"{np.max(s.temp):.1f}",
            hms(float(np.sum(np.diff(s.t)[moving[1:]]))),
            hms(dur),
            "--" if s.ele is None else _thousands(float(np.min(s.ele))),
            "--" if s.ele is None else _thousands(float(np.max(s.ele))),
        ]
        return GarminRow(local, cells)


def garmin_activities_csv(rows: list[GarminRow]) -> str:
    """Garmin Connect lists the newest activity first and quotes every field."""
    rows = sorted(rows, key=lambda r: r.local, reverse=True)
    return _csv(GARMIN_HEADER, [r.cells for r in rows], quote_all=True)
