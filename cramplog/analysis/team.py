"""The team summary: one row per athlete, worst first (``cramplog analyze team/``).

Rows are built from ``AthleteOutcome`` (plain data), so they look the same whether the
athletes were analysed in this process or in workers. Also home of the short texts the
human-readable formats share: the load trend and the goal-readiness line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cramplog.analysis.outcome import AthleteOutcome, Overview
from cramplog.model import SEVERITIES, Severity


@dataclass
class TeamRow:
    """One athlete's line in the summary. ``error`` is set when they could not be analysed."""

    athlete: str
    sessions: int | None = None
    trend: str = ""
    worst: str = ""
    worst_severity: Severity | None = None
    counts: dict[Severity, int] = field(default_factory=dict)  # episodes per severity
    cramps: int | None = None
    goal: str = ""
    error: str | None = None
    files_failed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "athlete": self.athlete,
            "sessions": self.sessions,
            "trend": self.trend,
            "worst": self.worst,
            "worst_severity": self.worst_severity,
            "counts": dict(self.counts),
            "cramps": self.cramps,
            "goal": self.goal,
            "error": self.error,
            "files_failed": self.files_failed,
        }


def trend_text(overview: Overview, prefix: str = "CTL ", short: bool = False) -> str:
    """CTL ``trend_days`` earlier against now, e.g. ``CTL 41 → 48 (+17 %)``; ``short`` is
    for the team table (``48 (new)`` when the log is shorter than the trend window)."""
    now, then = overview.get("ctl_now"), overview.get("ctl_then")
    if now is None:
        return "–"
    if then is None:
        return f"{prefix}{now:.0f} (new)" if short else f"{prefix}{now:.0f} (no 4-week history)"
    if then <= 0:
        return f"{prefix}{then:.0f} → {now:.0f}"
    pct = (now - then) / then * 100.0
    return f"{prefix}{then:.0f} → {now:.0f} ({pct:+.0f} %)"


def goal_gaps(goal: dict[str, Any] | None) -> int:
    """Goal-aware rules that flag something for the goal."""
    if not goal:
        return 0
    return sum(1 for a in goal.get("assessments", []) if a.get("status") == "flag")


def goal_text(goal: dict[str, Any] | None, today: str | None = None) -> str:
    """``50 km trail in 23 d: 2 gaps`` (or ``… (past goal, 2026-04-12)`` for a past one)."""
    if not goal:
        return "no goal set"
    label = goal.get("name") or "goal"
    if goal.get("distance_km"):
        label = f"{label} ({goal['distance_km']:g} km)"
    gaps = goal_gaps(goal)
    unknown = sum(1 for a in goal.get("assessments", []) if a.get("status") == "unknown")
    verdict = f"{gaps} gap{'s' if gaps != 1 else ''}" if gaps else "no gaps found"
    if unknown:
        verdict += f", {unknown} unknown"
    goal_day = goal.get("date")
    if today is not None and goal_day is not None and goal_day < today:
        return f"{label}, past ({goal_day}): {verdict}"
    return f"{label} in {goal.get('days_to_goal', '?')} d: {verdict}"


def row_for(outcome: AthleteOutcome) -> TeamRow:
    if not outcome.ok:
        err = outcome.error or "could not be analysed"
        if outcome.files_failed:
            err = f"{err} ({outcome.files_failed} file(s) failed)"
        return TeamRow(athlete=outcome.athlete, error=err, files_failed=outcome.files_failed)
    ov = outcome.overview
    report = outcome.report or {}
    worst = ov.get("worst")
    # episodes (a rule's findings on days close together, told once), not days
    counted = ov.get("episode_counts", ov.get("counts", {}))
    counts = {s: int(counted.get(s, 0)) for s in SEVERITIES}
    return TeamRow(
        athlete=outcome.athlete,
        sessions=ov.get("sessions_in_window"),
        trend=trend_text(ov, prefix="", short=True),
        worst=f"{worst['rule']} {worst['name']}" if worst else "",
        worst_severity=worst["severity"] if worst else None,
        counts=counts,
        cramps=ov.get("cramps_in_window"),
        goal=goal_text(report.get("goal"), ov.get("today")),
        files_failed=outcome.files_failed,
    )


def _rank(row: TeamRow) -> tuple[Any, ...]:
    """Worst first: highest severity, then more warnings, cautions, infos, cramps; athletes
    who could not be analysed come last; ties by name."""
    if row.error is not None:
        return (1, 0, 0, 0, 0, 0, row.athlete)
    sev = SEVERITIES.index(row.worst_severity) if row.worst_severity else -1
    c = row.counts
    return (
        0,
        -sev,
        -c.get("warning", 0),
        -c.get("caution", 0),
        -c.get("info", 0),
        -(row.cramps or 0),
        row.athlete,
    )


def team_rows(outcomes: Sequence[AthleteOutcome]) -> list[TeamRow]:
    """One row per athlete, worst first."""
    return sorted((row_for(o) for o in outcomes), key=_rank)


def common_since(outcomes: Sequence[AthleteOutcome]) -> date | None:
    """The first reported day when every analysed athlete shares it (else None: a look-back
    counted from different analysis days)."""
    days = {o.overview.get("since") for o in outcomes if o.ok}
    if len(days) != 1:
        return None
    day = days.pop()
    return date.fromisoformat(day) if day else None


def window_label(outcomes: Sequence[AthleteOutcome], today: date) -> str:
    """The period a report covers and the day it is as of, e.g. ``2026-05-04 … 2026-06-28,
    as of 2026-06-28, the log's last day (it has ended)``; empty for the whole history of a
    current log. Athletes with different windows are described in general."""
    pairs = {(o.overview.get("since"), o.overview.get("today")) for o in outcomes if o.ok}
    if len(pairs) != 1:
        if any(s for s, _ in pairs):
            return "windows counted back from each athlete's analysis day (see each header)"
        if all(d and d < today.isoformat() for _, d in pairs):
            return "as of each log's last day (the logs have ended)"
        return ""
    since, as_of = pairs.pop()
    text = f"{since} … {as_of}" if since else ""
    if as_of and as_of < today.isoformat():
        text += (", " if text else "") + f"as of {as_of}, the log's last day (it has ended)"
    return text
