"""The weekly view of one athlete's training, as data: the report's per-session features,
calendar-week totals (km, longest run, descent, E10, load, heat sessions), the logged cramps
by day, and ``weekly_series``, the plain weekly load / descent / cramp counts the overview
keeps for the terminal sparklines. The HTML charts draw the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any


def finite(v: Any) -> float | None:
    if v is None:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


@dataclass
class Week:
    """Totals of one Monday-to-Sunday week (local days)."""

    start: date
    end: date
    sessions: int = 0
    km: float = 0.0
    longest_km: float | None = None
    descent_m: float = 0.0
    e10_km: float = 0.0
    load: float = 0.0
    heat_sessions: int = 0
    max_temp_c: float | None = None


RUN_FAMILY = "running"
FOOT_FAMILIES = frozenset({"running", "hiking", "walking"})


def report_features(report: Any) -> list[Any]:
    """The report's per-session features (``session_features``), sorted by start."""
    feats = list(getattr(report, "session_features", None) or [])
    return sorted(feats, key=lambda f: (f.local_date, getattr(f, "start", None) or f.local_date))


def is_heat(f: Any, heat_c: float | None = None) -> bool:
    from cramplog.metrics.daily import is_heat_session

    return bool(is_heat_session(f, heat_c if heat_c is not None else getattr(f, "heat_c", 25.0)))


def weekly_totals(features: Iterable[Any], first: date | None, last: date | None) -> list[Week]:
    """One ``Week`` per calendar week from the week of ``first`` to the week of ``last``."""
    feats = list(features)
    if first is None or last is None:
        if not feats:
            return []
        first = first or min(f.local_date for f in feats)
        last = last or max(f.local_date for f in feats)
    start = first - timedelta(days=first.weekday())
    weeks: list[Week] = []
    d = start
    while d <= last:
        weeks.append(Week(start=d, end=d + timedelta(days=6)))
        d += timedelta(days=7)
    for f in feats:
        i = (f.local_date - start).days // 7
        if i < 0 or i >= len(weeks):
            continue
        w = weeks[i]
        w.sessions += 1
        w.load += max(0.0, finite(f.load) or 0.0)
        km = finite(f.distance_m)
        if f.family == RUN_FAMILY and km is not None:
            w.km += km / 1000.0
            w.longest_km = max(w.longest_km or 0.0, km / 1000.0)
        if f.family in FOOT_FAMILIES:
            w.descent_m += finite(f.descent_m) or 0.0
            w.e10_km += finite(f.e10_km) or 0.0
        if is_heat(f):
            w.heat_sessions += 1
        t = finite(f.temp_max_c)
        if t is not None:
            w.max_temp_c = t if w.max_temp_c is None else max(w.max_temp_c, t)
    return weeks


@dataclass
class CrampMark:
    """One logged cramp as the charts need it: its local day and a one-line description."""

    day: date
    label: str
    event: Any
    context: Any = None
    findings: list[Any] = field(default_factory=list)


def _cramp_event(ctx: Any) -> Any:
    for attr in ("event", "cramp"):
        ev = getattr(ctx, attr, None)
        if ev is not None:
            return ev
    return ctx


def cramp_label(ev: Any) -> str:
    parts = [str(getattr(ev, "muscle", None) or "cramp").replace("_", " ")]
    side = getattr(ev, "side", None)
    if side:
        parts.append(str(side))
    sev = getattr(ev, "severity", None)
    if sev is not None:
        parts.append(f"severity {sev}")
    timing = getattr(ev, "timing", None)
    if timing:
        parts.append(str(timing))
    return ", ".join(parts)


def cramp_marks(report: Any) -> list[CrampMark]:
    """The report's cramps (``CrampContext`` items, or bare ``CrampEvent``s), by day."""
    out = []
    for ctx in getattr(report, "cramps", None) or []:
        ev = _cramp_event(ctx)
        day = getattr(ctx, "local_date", None) or getattr(ctx, "date", None)
        if not isinstance(day, date) or isinstance(day, datetime):
            when = getattr(ev, "when", None)
            if isinstance(when, datetime):
                day = when.date()
            elif isinstance(day, datetime):
                day = day.date()
            else:
                continue
        found = list(getattr(ctx, "findings", None) or [])
        out.append(CrampMark(day, cramp_label(ev), ev, ctx, found))
    out.sort(key=lambda m: m.day)
    return out


def cramp_days(report: Any) -> list[date]:
    return [m.day for m in cramp_marks(report)]


def weekly_series(report: Any) -> dict[str, Any] | None:
    """An athlete report's weekly load, descent and cramp counts as plain, picklable data
    (what ``sparkline_lines`` draws); None when there are no sessions."""
    features = report_features(report)
    if not features:
        return None
    weeks = weekly_totals(features, report.first_day, report.last_day)
    if not weeks:
        return None
    cramps = [0] * len(weeks)
    for day in cramp_days(report):
        for i, w in enumerate(weeks):
            if w.start <= day <= w.end:
                cramps[i] += 1
    return {
        "first_week": weeks[0].start.isoformat(),
        "load": [finite(w.load) for w in weeks],
        "descent_m": [finite(w.descent_m) if w.sessions else None for w in weeks],
        "cramps": cramps,
    }
