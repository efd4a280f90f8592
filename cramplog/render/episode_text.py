"""Episodes as people read them, shared by the terminal and Markdown reports: which episodes
are open now, which fall in the last weeks, which came before each cramp, which personal
associations matter, and the phrases for them. Plain strings over the report's plain data
(``AthleteOutcome.report``), no rich and no Markdown markup.

The windows count back from the day the analysis is as of (``overview["today"]``: today,
or the log's last day when it ended), never from the calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from cramplog.model import SEVERITIES
from cramplog.render.personal_text import rr_text

if TYPE_CHECKING:
    from cramplog.analysis.outcome import Overview

# "Open now": episodes whose last flagged day is in the last OPEN_DAYS days of the log.
OPEN_DAYS = 14
# "Recent": episodes that end in the last RECENT_WEEKS weeks.
RECENT_WEEKS = 12
# Before a cramp: episodes overlapping the BEFORE_DAYS days up to the cramp's day
# (the cramp-context windows: in session, 0–7 d, 8–42 d).
BEFORE_DAYS = 42
# Rules about the cramps themselves, not the training before them (see cramp_context).
NOT_BEFORE = frozenset({"CR09"})
# A personal association "matters" with at least this many exposed cramp cases, or when it
# survives the Holm correction at ALPHA.
MIN_EXPOSED = 2
ALPHA = 0.05


def as_of(report: dict[str, Any], ov: Overview) -> date | None:
    """The day the analysis is as of (today, or the log's last day when it ended)."""
    day = ov.get("today") or report.get("last_day")
    return date.fromisoformat(day) if day else None


def touches(e: dict[str, Any], first: date, last: date) -> bool:
    """Whether episode ``e`` has a day in ``first`` … ``last``."""
    return date.fromisoformat(e["end"]) >= first and date.fromisoformat(e["start"]) <= last


def open_episodes(episodes: Sequence[dict[str, Any]], day: date | None) -> list[dict[str, Any]]:
    """Episodes touching the last ``OPEN_DAYS`` days up to ``day``."""
    if day is None:
        return []
    first = day - timedelta(days=OPEN_DAYS - 1)
    return [e for e in episodes if touches(e, first, day)]


def recent_episodes(episodes: Sequence[dict[str, Any]], day: date | None) -> list[dict[str, Any]]:
    """Episodes touching the ``RECENT_WEEKS`` weeks up to ``day`` but not open now."""
    if day is None:
        return list(episodes)
    first = day - timedelta(weeks=RECENT_WEEKS) + timedelta(days=1)
    opened = open_episodes(episodes, day)
    return [e for e in episodes if touches(e, first, day) and e not in opened]


def most_serious(episodes: Sequence[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """At most ``n`` episodes, the most severe (then latest) kept, shown in time order."""
    ranked = sorted(
        episodes, key=lambda e: (SEVERITIES.index(e["severity"]), e["end"]), reverse=True
    )
    keep = {id(e) for e in ranked[:n]}
    return [e for e in episodes if id(e) in keep]


def left_out_text(left: Sequence[dict[str, Any]], what: str, how: str) -> str:
    """``… 5 more episodes (1 caution, 4 info) not shown: --all``; empty when none."""
    if not left:
        return ""
    by = [f"{sum(1 for e in left if e['severity'] == s)} {s}" for s in reversed(SEVERITIES)]
    by = [b for b in by if not b.startswith("0 ")]
    return f"… {len(left)} more {what} ({', '.join(by)}): {how}"


def span_text(e: dict[str, Any]) -> str:
    """``2026-06-20 … 06-27`` (the year once when both days share it) or one day."""
    start, end = e["start"], e["end"]
    if start == end:
        return start
    return f"{start} … {end[5:] if end[:4] == start[:4] else end}"


def days_text(e: dict[str, Any]) -> str:
    n = e.get("days", 1)
    return f"{n} day{'s' if n != 1 else ''}"


def rule_label(e: dict[str, Any]) -> str:
    return f"{e['rule']} {e['name']}"


def episode_line(e: dict[str, Any]) -> str:
    """One episode as one plain line (the Markdown and team views)."""
    return (
        f"{span_text(e)} {rule_label(e)} {e['severity']} ({days_text(e)}, evidence "
        f"{e['grade']}): {e['message']}"
    )


def rule_names(report: dict[str, Any]) -> dict[str, str]:
    """Rule id → name, from what the report itself names (findings, episodes, the goal)."""
    names: dict[str, str] = {}
    goal = report.get("goal") or {}
    for item in [
        *report.get("findings", []),
        *report.get("episodes", []),
        *goal.get("assessments", []),
    ]:
        names.setdefault(item["rule"], item["name"])
    return names


def cramp_day(c: dict[str, Any]) -> date | None:
    when = c.get("when")
    try:
        return date.fromisoformat(when[:10]) if when else None
    except ValueError:
        return None


def before_cramp(
    episodes: Sequence[dict[str, Any]], c: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The episodes in the cramp's session (naming it, or on its day) and those in the
    ``BEFORE_DAYS`` days before, each episode once."""
    day = cramp_day(c)
    if day is None:
        return [], []
    first = day - timedelta(days=BEFORE_DAYS)
    session = c.get("session") or {}
    start = session.get("start")
    inside: list[dict[str, Any]] = []
    before: list[dict[str, Any]] = []
    for e in episodes:
        if e["rule"] in NOT_BEFORE:
            continue
        s, t = date.fromisoformat(e["start"]), date.fromisoformat(e["end"])
        if t < first or s > day:
            continue
        starts = {x.get("start") for x in e.get("sessions") or []}
        if start and (start in starts or (not starts and s <= day <= t)):
            inside.append(e)
        else:
            before.append(e)
    return inside, before


def episode_names(episodes: Sequence[dict[str, Any]]) -> str:
    """Each rule once, by name, with its worst severity and its latest episode:
    ``CR02 acute_chronic_load ×2 (warning; last 2026-06-06 … 06-07), CR03 monotony (info;
    2026-05-21)``; ``none`` when empty."""
    if not episodes:
        return "none"
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for e in episodes:
        by_rule.setdefault(e["rule"], []).append(e)
    parts = []
    for items in by_rule.values():
        worst = max(items, key=lambda e: SEVERITIES.index(e["severity"]))["severity"]
        last = max(items, key=lambda e: e["end"])
        times = f" ×{len(items)}" if len(items) > 1 else ""
        when = f"last {span_text(last)}" if len(items) > 1 else span_text(last)
        parts.append(f"{rule_label(last)}{times} ({worst}; {when})")
    return ", ".join(parts)


def associations_that_matter(personal: dict[str, Any]) -> list[dict[str, Any]]:
    """Associations with ≥ ``MIN_EXPOSED`` exposed cramp cases or a Holm p below ``ALPHA``,
    strongest first."""
    rows = [
        a
        for a in personal.get("associations", [])
        if a["case_exposed"] >= MIN_EXPOSED or a["p_holm"] < ALPHA
    ]
    return sorted(rows, key=lambda a: (a["p_holm"], -a["case_exposed"]))


def association_text(a: dict[str, Any], names: dict[str, str], labels: dict[str, str]) -> str:
    rule = a["feature"]
    cases = a["case_exposed"] + a["case_unexposed"]
    controls = a["control_exposed"] + a["control_unexposed"]
    return (
        f"{rule} {names.get(rule, '')}".rstrip()
        + f" ({labels.get(a['window'], a['window'])}): cramp sessions "
        f"{a['case_exposed']}/{cases}, other sessions {a['control_exposed']}/{controls}, "
        f"RR {rr_text(a)}, p (Holm) {a['p_holm']:.3f}"
    )


def goal_gaps_text(report: dict[str, Any]) -> str:
    """The goal's flagged and unknown rules by name, e.g. ``gaps: CR05 long_run_deficit
    (warning); unknown: CR07 heat_unacclimatized``; empty without a goal."""
    goal = report.get("goal") or {}
    parts = []
    flags = [a for a in goal.get("assessments", []) if a.get("status") == "flag"]
    unknown = [a for a in goal.get("assessments", []) if a.get("status") == "unknown"]
    if flags:
        parts.append(
            "gaps: " + ", ".join(f"{rule_label(a)} ({a.get('severity') or '–'})" for a in flags)
        )
    if unknown:
        parts.append("unknown: " + ", ".join(rule_label(a) for a in unknown))
    return "; ".join(parts)
