"""Episodes: the findings of one rule on days close together, told once.

A rule that fires day after day (ACWR above its band for a week, monotony over a block of
training) describes one pattern, not seven. ``group_episodes`` folds findings into episodes:

- one rule at a time (rules never merge, however they interleave);
- two flagged days of the rule belong to the same episode when at most ``GAP_DAYS`` (3)
  days apart: flags on day 1 and day 4 are one episode, on day 1 and day 5 two. Three days
  bridge a weekend or a rest day or two between flagged sessions without chaining patterns a
  week apart;
- an episode's severity is the highest severity among its findings; its *peak* is the first
  finding at that severity (the day the pattern reached its worst), and the episode carries
  that finding's grade, message and evidence;
- ``days`` counts distinct flagged days; ``sessions`` the distinct sessions the findings
  name, in time order (day-level findings such as CR02 or CR03 name none).

Episodes partition the findings they are built from: every finding is in exactly one.
The analysis builds them from the reported findings (after ``--since``), so an episode that
began before the window starts at the window's first flagged day. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from cramplog.model import Activity, Finding, Grade, Severity, severity_rank

# Flagged days of one rule at most this many days apart form one episode.
GAP_DAYS = 3


@dataclass(frozen=True)
class Episode:
    rule: str
    name: str
    start: date
    end: date
    days: int  # distinct flagged days
    severity: Severity  # the highest among its findings
    grade: Grade  # the peak finding's
    message: str  # the peak finding's
    evidence: dict[str, Any]  # the peak finding's
    peak_day: date
    findings: int
    activity_ids: tuple[int, ...]  # distinct, in time order

    def to_dict(self, activities_by_id: dict[int, Activity]) -> dict[str, Any]:
        from cramplog.analysis.cramp_context import session_ref

        refs = [session_ref(i, activities_by_id) for i in self.activity_ids]
        return {
            "rule": self.rule,
            "name": self.name,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "severity": self.severity,
            "grade": self.grade,
            "message": self.message,
            "evidence": dict(self.evidence),
            "peak_day": self.peak_day.isoformat(),
            "findings": self.findings,
            "sessions": [r for r in refs if r is not None],
        }


def group_episodes(findings: Sequence[Finding], gap_days: int = GAP_DAYS) -> list[Episode]:
    """The episodes ``findings`` form, ordered by start day, then rule id."""
    by_rule: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: f.date):  # stable: same-day order is kept
        by_rule.setdefault(f.rule, []).append(f)
    out: list[Episode] = []
    for items in by_rule.values():
        run: list[Finding] = [items[0]]
        for f in items[1:]:
            if (f.date - run[-1].date).days <= gap_days:
                run.append(f)
            else:
                out.append(_episode(run))
                run = [f]
        out.append(_episode(run))
    return sorted(out, key=lambda e: (e.start, e.rule))


def _episode(run: list[Finding]) -> Episode:
    peak = run[0]
    for f in run[1:]:
        if severity_rank(f.severity) > severity_rank(peak.severity):
            peak = f
    ids: list[int] = []
    for f in run:
        if f.activity_id is not None and f.activity_id not in ids:
            ids.append(f.activity_id)
    return Episode(
        rule=peak.rule,
        name=peak.name,
        start=run[0].date,
        end=run[-1].date,
        days=len({f.date for f in run}),
        severity=peak.severity,
        grade=peak.grade,
        message=peak.message,
        evidence=dict(peak.evidence),
        peak_day=peak.date,
        findings=len(run),
        activity_ids=tuple(ids),
    )
