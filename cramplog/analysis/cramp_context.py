"""Cramp context: which rules fired in the cramp's session and in the weeks before it.

Windows (local days, ``d`` = the cramp's or the session's day):

- ``in_session``: findings about the linked session, plus day-level findings (no session,
  e.g. CR02 / CR03) dated on ``d`` when there is a linked session;
- ``days_0_7``: the other findings dated d−7 … d;
- ``days_8_42``: findings dated d−42 … d−8.

CR09 (the cramp history itself) is left out: it is about the cramp, not the training.
Night and rest cramps have no session, so only the day windows are filled.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from cramplog.model import Activity, CrampEvent, Finding
from cramplog.rules.history import cramp_day

WINDOWS = ("in_session", "days_0_7", "days_8_42")
EXCLUDED = frozenset({"CR09"})


def session_ref(activity_id: int | None, activities_by_id: dict[int, Activity]) -> dict | None:
    """The JSON reference to a session: start, sport, source files."""
    if activity_id is None or activity_id not in activities_by_id:
        return None
    a = activities_by_id[activity_id]
    return {"start": a.start.isoformat(), "sport": a.sport, "sources": list(a.sources)}


class FindingIndex:
    """Findings by local day, for fast window look-ups."""

    def __init__(self, findings: list[Finding]):
        self.by_day: dict[date, list[Finding]] = {}
        for f in findings:
            if f.rule not in EXCLUDED:
                self.by_day.setdefault(f.date, []).append(f)
        self.days = sorted(self.by_day)

    def windows(self, day: date, activity_id: int | None) -> dict[str, list[str]]:
        """Rule ids per window (sorted, unique) for a session or a day."""
        sets: dict[str, set[str]] = {w: set() for w in WINDOWS}
        lo = bisect_left(self.days, day - timedelta(days=42))
        hi = bisect_right(self.days, day)
        for d in self.days[lo:hi]:
            back = (day - d).days
            for f in self.by_day[d]:
                if back >= 8:
                    sets["days_8_42"].add(f.rule)
                elif activity_id is not None and (
                    f.activity_id == activity_id or (back == 0 and f.activity_id is None)
                ):
                    sets["in_session"].add(f.rule)
                else:
                    sets["days_0_7"].add(f.rule)
        return {w: sorted(s) for w, s in sets.items()}


@dataclass
class CrampContext:
    cramp: CrampEvent
    local_date: date
    activity_id: int | None
    in_session: list[str] = field(default_factory=list)
    days_0_7: list[str] = field(default_factory=list)
    days_8_42: list[str] = field(default_factory=list)

    def to_dict(self, activities_by_id: dict[int, Activity]) -> dict[str, Any]:
        c = self.cramp
        return {
            "when": c.when.isoformat(),
            "muscle": c.muscle,
            "side": c.side,
            "severity": c.severity,
            "timing": c.timing,
            "session": session_ref(self.activity_id, activities_by_id),
            "context": {
                "in_session": list(self.in_session),
                "days_0_7": list(self.days_0_7),
                "days_8_42": list(self.days_8_42),
            },
        }


def cramp_contexts(cramps: list[CrampEvent], findings: list[Finding]) -> list[CrampContext]:
    """One context per cramp, in time order."""
    idx = FindingIndex(findings)
    out = []
    for c in sorted(cramps, key=lambda c: c.when):
        day = cramp_day(c)
        w = idx.windows(day, c.activity_id)
        out.append(CrampContext(c, day, c.activity_id, w["in_session"], w["days_0_7"],
                                w["days_8_42"]))  # fmt: skip
    return out
