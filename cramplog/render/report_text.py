"""The plain-text phrases the terminal and the Markdown reports share: the overview lines
(period, sessions, heart rate), cramps and their sessions, findings grouped by day, the goal
header, and the cells of a team-summary row. Plain strings, no rich and no Markdown markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cramplog.analysis.team import goal_text

if TYPE_CHECKING:
    from cramplog.analysis.outcome import Overview
    from cramplog.analysis.team import TeamRow

WINDOW_LABELS = {"in_session": "in session", "days_0_7": "0–7 d", "days_8_42": "8–42 d"}


def hr_text(ov: Overview) -> str:
    mx, rest = ov.get("hr_max"), ov.get("hr_rest")
    mx_s = "?" if mx is None else f"{mx:.0f}"
    rest_s = "?" if rest is None else f"{rest:.0f}"
    how = "estimated" if ov.get("hr_estimated") else "from the profile"
    return f"HR max {mx_s} / rest {rest_s} bpm ({how})"


def period_text(ov: Overview) -> str:
    return f"{ov.get('first_day') or '?'} … {ov.get('last_day') or '?'}"


def sessions_text(ov: Overview) -> str:
    total = ov.get("sessions", 0)
    if ov.get("since"):
        return f"{ov.get('sessions_in_window', 0)} since {ov['since']} ({total} in all)"
    return str(total)


def local_time(iso: str | None, like: str | None = None) -> str:
    """An ISO instant as local ``YYYY-MM-DD HH:MM`` (in ``like``'s offset when given)."""
    if not iso:
        return "–"
    try:
        dt = datetime.fromisoformat(iso)
        if like:
            ref = datetime.fromisoformat(like)
            if ref.tzinfo is not None and dt.tzinfo is not None:
                dt = dt.astimezone(ref.tzinfo)
    except ValueError:
        return iso
    return dt.strftime("%Y-%m-%d %H:%M")


def cramp_text(c: dict[str, Any]) -> str:
    parts = [c.get("muscle") or "?"]
    if c.get("side"):
        parts.append(c["side"])
    if c.get("severity") is not None:
        parts.append(f"severity {c['severity']}")
    if c.get("timing"):
        parts.append(c["timing"])
    return ", ".join(parts)


def cramp_session_text(c: dict[str, Any]) -> str:
    s = c.get("session")
    if not s:
        return "no session linked"
    return f"{s.get('sport', '?')} {local_time(s.get('start'), c.get('when'))}"


def context_text(ids: Sequence[str]) -> str:
    return ", ".join(ids) if ids else "–"


def personal_missing_text(personal: dict[str, Any]) -> str:
    from cramplog.model import PERSONAL_MIN_EVENTS

    return (
        f"Personal associations need ≥ {PERSONAL_MIN_EVENTS} logged cramps; "
        f"{personal.get('events', 0)} so far."
    )


def goal_header(report: dict[str, Any], ov: Overview) -> str:
    goal = report.get("goal")
    if not goal:
        return "No goal in the profile (add [[goals]] to athlete.toml for a readiness check)."
    return f"{goal.get('date')} {goal_text(goal, ov.get('today'))} (as of {goal.get('as_of')})"


def capped_findings(
    findings: Sequence[dict[str, Any]], limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """At most ``limit`` findings for a table a person reads (a decade has thousands): the
    most severe first and, within a severity, the most recent; and a line saying what was
    left out (None when nothing was)."""
    if len(findings) <= limit:
        return list(findings), None
    order = {"warning": 2, "caution": 1, "info": 0}
    # within a severity the latest first: ISO dates sort as text, so sort twice (stable)
    ranked = sorted(range(len(findings)), key=lambda i: findings[i]["date"], reverse=True)
    ranked = sorted(ranked, key=lambda i: -order.get(findings[i]["severity"], 0))
    keep = set(ranked[:limit])
    kept = [f for i, f in enumerate(findings) if i in keep]
    left = [f for i, f in enumerate(findings) if i not in keep]
    by_rule: dict[str, int] = {}
    for f in left:
        by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
    rules = ", ".join(f"{r} × {n:,}" for r, n in sorted(by_rule.items()))
    dates = sorted(f["date"] for f in left)
    note = (
        f"Showing {len(kept):,} of {len(findings):,} findings (the most severe, then the most "
        f"recent); {len(left):,} more ({rules}) dated {dates[0]} to {dates[-1]}: see them with "
        "--format csv or json, or narrow the period with --since."
    )
    return kept, note


def findings_by_date(findings: Sequence[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        groups.setdefault(f["date"], []).append(f)
    return sorted(groups.items())


# -- a team-summary row


def counts_text(row: TeamRow) -> str:
    c = row.counts
    return f"{c.get('warning', 0)}/{c.get('caution', 0)}/{c.get('info', 0)}"


def worst_text(row: TeamRow) -> str:
    if row.error is not None:
        return ""
    if not row.worst:
        return "none"
    return f"{row.worst} ({row.worst_severity})"


def athlete_text(row: TeamRow) -> str:
    if row.files_failed:
        return f"{row.athlete} ({row.files_failed} file(s) failed)"
    return row.athlete
