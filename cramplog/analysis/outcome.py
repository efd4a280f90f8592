"""One athlete's analysis as plain, picklable data (``AthleteOutcome``): the JSON document
every text format renders, and the overview figures the summary and the headers show
(``Overview``); ``OutcomeDoc`` is what the store's outcome cache holds, and ``outcome_doc``
checks a document read back from it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, cast

from cramplog.model import SEVERITIES, STATUSES, Finding, Severity

if TYPE_CHECKING:
    from cramplog.analysis.athlete import AthleteAnalysis
    from cramplog.analysis.stored import FeatureStats

# CTL trend: now vs this many days earlier.
TREND_DAYS = 28


class WorstFinding(TypedDict):
    """The most severe finding in the window (the latest among equals)."""

    rule: str
    name: str
    severity: Severity
    date: str  # ISO day


class Overview(TypedDict, total=False):
    """The figures ``overview`` computes; it sets every key. An outcome without a report has
    an empty one, which is why the keys are not required (readers use ``.get``)."""

    athlete: str
    first_day: str | None  # ISO days
    last_day: str | None
    since: str | None
    today: str | None
    sessions: int
    sessions_in_window: int
    km_in_window: float
    ctl_now: float | None
    ctl_then: float | None
    trend_days: int
    hr_max: float | None
    hr_rest: float | None
    hr_estimated: bool | None
    hr_note: str
    counts: dict[Severity, int]  # findings in the window, every severity present
    episode_counts: dict[Severity, int]  # episodes in the window (analysis.episodes)
    worst: WorstFinding | None
    cramps_in_window: int
    cramps_total: int
    notes: list[str]
    weekly: dict[str, Any] | None  # render.sparkline.weekly_series


class OutcomeDoc(TypedDict):
    """An outcome as the store's outcome cache holds it."""

    report: dict[str, Any]  # AthleteAnalysis.to_dict
    overview: Overview
    features_key: str


def outcome_doc(doc: dict[str, object]) -> OutcomeDoc | None:
    """``doc`` (read back from the cache) as an ``OutcomeDoc``; None when it does not hold
    one: a report and an overview that are objects, a features key that is a string, the
    report's ``episodes`` a list, and every severity and goal status in them one of
    ``SEVERITIES`` / ``STATUSES`` (the renderers and ``--fail-on`` rank them)."""
    report, ov, fkey = doc.get("report"), doc.get("overview"), doc.get("features_key", "")
    if not isinstance(report, dict) or not isinstance(ov, dict) or not isinstance(fkey, str):
        return None
    try:
        worst, goal = ov.get("worst"), report.get("goal")
        episodes = report["episodes"]
        if not isinstance(episodes, list):
            return None
        sev = [*ov.get("counts", {}), *ov.get("episode_counts", {})]
        sev += [f["severity"] for f in report.get("findings", [])]
        sev += [e["severity"] for e in episodes]
        status = []
        if worst is not None:
            sev.append(worst["severity"])
        if goal is not None:
            sev += [a["severity"] for a in goal["assessments"] if a["severity"] is not None]
            status += [a["status"] for a in goal["assessments"]]
            if goal["worst_severity"] is not None:
                sev.append(goal["worst_severity"])
    except (AttributeError, KeyError, TypeError):
        return None
    if not all(s in SEVERITIES for s in sev) or not all(s in STATUSES for s in status):
        return None
    return {"report": report, "overview": cast(Overview, ov), "features_key": fkey}


def _no_stats() -> FeatureStats:
    from cramplog.analysis.stored import FeatureStats

    return FeatureStats()


@dataclass
class AthleteOutcome:
    """One athlete's result as plain, picklable data, for renderers and the team summary.

    ``report`` is ``AthleteAnalysis.to_dict`` (the JSON ``athletes`` entry); ``overview`` holds
    the figures the summary and the human-readable formats need beyond it. ``error`` is set
    (and ``report`` is None) when the athlete could not be analysed. ``cached`` is set when
    it came from the store's outcome cache (``stats`` then counts nothing).
    """

    athlete: str
    report: dict[str, Any] | None = None
    overview: Overview = field(default_factory=Overview)
    error: str | None = None
    files_failed: int = 0
    stats: FeatureStats = field(default_factory=_no_stats)
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.report is not None


def overview(report: AthleteAnalysis, since: date | None, today: date | None) -> Overview:
    """The plain figures the summary row and the human-readable header show."""
    from cramplog.analysis.episodes import group_episodes
    from cramplog.analysis.weekly import weekly_series

    daily = report.daily
    ctl_now = ctl_then = None
    if daily is not None and len(daily) and "ctl" in daily:
        end = daily.day(-1)
        ctl_now = _finite(daily["ctl"][-1])
        then = end - timedelta(days=TREND_DAYS)
        if then >= daily.day(0):
            ctl_then = _finite(daily.asof(then, "ctl"))
    sessions = list(report.session_features or [])
    in_window = [s for s in sessions if since is None or s.local_date >= since]
    findings = [f for f in report.findings if since is None or f.date >= since]
    counts: dict[Severity, int] = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    worst = _worst(findings)
    episode_counts: dict[Severity, int] = {s: 0 for s in SEVERITIES}
    for e in group_episodes(findings):
        episode_counts[e.severity] += 1
    cramps = [c for c in report.cramps if since is None or c.local_date >= since]
    hr = report.hr
    return {
        "athlete": report.athlete,
        "first_day": _iso(report.first_day),
        "last_day": _iso(report.last_day),
        "since": _iso(since),
        "today": _iso(today),
        "sessions": len(sessions),
        "sessions_in_window": len(in_window),
        "km_in_window": round(
            sum((s.distance_m or 0.0) for s in in_window if s.family == "running") / 1000.0, 1
        ),
        "ctl_now": ctl_now,
        "ctl_then": ctl_then,
        "trend_days": TREND_DAYS,
        "hr_max": hr.hr_max if hr else None,
        "hr_rest": hr.hr_rest if hr else None,
        "hr_estimated": bool(hr.estimated) if hr else None,
        "hr_note": hr.note if hr else "",
        "counts": counts,
        "episode_counts": episode_counts,
        "worst": worst,
        "cramps_in_window": len(cramps),
        "cramps_total": len(report.cramps),
        "notes": list(report.notes),
        "weekly": weekly_series(report),
    }


def _worst(findings: Sequence[Finding]) -> WorstFinding | None:
    from cramplog.model import severity_rank

    best = None
    for f in findings:
        key = (severity_rank(f.severity), f.date)
        if best is None or key > best[0]:
            best = (key, f)
    if best is None:
        return None
    f = best[1]
    return WorstFinding(rule=f.rule, name=f.name, severity=f.severity, date=f.date.isoformat())


def _finite(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return round(v, 1) if math.isfinite(v) else None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None
