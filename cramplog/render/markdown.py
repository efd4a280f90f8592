"""The analyze report as Markdown: the content of the terminal table's ``--all`` view, led by
what is open now (team summary included; findings told as episodes), for notes, issues and pull-request comments. Text from files (names, titles) is
escaped so it cannot inject Markdown or HTML."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cramplog.analysis.team import trend_text
from cramplog.render.episode_text import goal_gaps_text
from cramplog.render.personal_text import personal_sentence, rr_text
from cramplog.render.report_text import (
    WINDOW_LABELS,
    athlete_text,
    context_text,
    counts_text,
    cramp_session_text,
    cramp_text,
    goal_header,
    hr_text,
    local_time,
    period_text,
    personal_missing_text,
    sessions_text,
    worst_text,
)

if TYPE_CHECKING:
    from cramplog.analysis.outcome import AthleteOutcome, Overview
    from cramplog.analysis.team import TeamRow

_SPECIAL = re.compile(r"([\\`*\[\]<>|#!])")
SEVERITY_MARK = {"warning": "**warning**", "caution": "*caution*", "info": "info"}
TEAM_COLUMNS = ("athlete", "sessions", "CTL 4 wk → now", "worst finding", "W/C/I", "cramps", "goal")


def md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell (and paragraph): no line breaks, escaped."""
    text = " ".join(str(value).split())
    return _SPECIAL.sub(r"\\\1", text)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out.extend("| " + " | ".join(r) + " |" for r in rows)
    return out


def athlete_markdown(outcome: AthleteOutcome) -> str:
    lines = [f"## {md_cell(outcome.athlete)}", ""]
    if not outcome.ok:
        lines += [f"**error:** {md_cell(outcome.error or 'could not be analysed')}", ""]
        return "\n".join(lines) + "\n"
    ov = outcome.overview
    report = outcome.report or {}
    counts = ov.get("episode_counts") or {}
    lines += [
        f"- **Period:** {period_text(ov)}",
        f"- **Sessions:** {sessions_text(ov)}",
        f"- **Load trend:** {trend_text(ov)} (now vs {ov.get('trend_days', 28)} days earlier)",
        f"- **Heart rate:** {hr_text(ov)}",
        f"- **Episodes:** {counts.get('warning', 0)} warning, {counts.get('caution', 0)} "
        f"caution, {counts.get('info', 0)} info ({len(report.get('findings', []))} findings)",
        "",
        *episodes_markdown(report, ov),
    ]
    lines += ["### Cramp timeline", ""]
    cramps = report.get("cramps", [])
    if not cramps:
        lines += ["No cramps logged in this period.", ""]
    else:
        rows = []
        for c in cramps:
            ctx = c.get("context", {})
            rows.append(
                [
                    local_time(c.get("when")),
                    md_cell(cramp_text(c)),
                    md_cell(cramp_session_text(c)),
                    *(context_text(ctx.get(k, [])) for k in WINDOW_LABELS),
                ]
            )
        lines += _table(["when", "cramp", "session", *WINDOW_LABELS.values()], rows)
        lines.append("")
    lines += ["### Personal associations", ""]
    personal = report.get("personal") or {}
    if not personal.get("shown"):
        lines += [personal_missing_text(personal), ""]
    elif not personal.get("associations"):
        lines += ["No rule was seen often enough around your cramps to test.", ""]
    else:
        lines += [personal_sentence(personal), ""]
        rows = [
            [
                a["feature"],
                WINDOW_LABELS.get(a["window"], a["window"]),
                f"{a['case_exposed']}/{a['case_exposed'] + a['case_unexposed']}",
                f"{a['control_exposed']}/{a['control_exposed'] + a['control_unexposed']}",
                rr_text(a),
                f"{a['p_holm']:.3f}",
            ]
            for a in personal["associations"]
        ]
        lines += _table(
            ["rule", "window", "cramp sessions", "other sessions", "RR", "p (Holm)"], rows
        )
        lines.append("")
    lines += ["### Goal readiness", "", md_cell(goal_header(report, ov)), ""]
    goal = report.get("goal")
    if goal and goal.get("assessments"):
        rows = [
            [
                f"`{a['rule']} {a['name']}`",
                a["status"],
                SEVERITY_MARK.get(a.get("severity") or "", "–"),
                a["grade"],
                md_cell(a["message"]),
            ]
            for a in goal["assessments"]
        ]
        lines += course_section(goal)
        lines += _table(["rule", "status", "severity", "grade", "assessment"], rows)
        lines.append("")
        lines += plan_section(goal)
    notes = ov.get("notes") or []
    if notes:
        lines += ["<details><summary>Notes</summary>", ""]
        lines += [f"- {md_cell(n)}" for n in notes]
        lines += ["", "</details>", ""]
    return "\n".join(lines) + "\n"


def episodes_markdown(report: dict[str, Any], ov: Overview) -> list[str]:
    """Open now (the log's last 14 days), then every episode of the period, newest first."""
    from cramplog.render.episode_text import OPEN_DAYS, as_of, days_text, open_episodes, span_text

    episodes = report.get("episodes", [])
    day = as_of(report, ov)
    opened = open_episodes(episodes, day)

    def item(e: dict[str, Any]) -> str:
        sev = SEVERITY_MARK.get(e["severity"], e["severity"])
        return (
            f"- {span_text(e)} `{e['rule']} {e['name']}` {sev} ({days_text(e)}, evidence: "
            f"{e['grade']}): {md_cell(e['message'])}"
        )

    lines = [f"### Open now (last {OPEN_DAYS} days to {day})", ""]
    lines += [item(e) for e in opened] or ["No episode in these days."]
    gaps = goal_gaps_text(report)
    lines += [
        "",
        f"Goal: {md_cell(goal_header(report, ov))}" + (f" — {md_cell(gaps)}" if gaps else ""),
    ]
    lines += ["", "### Episodes", ""]
    if not episodes:
        return [*lines, "No findings in this period.", ""]
    lines += [
        "A rule's findings on days at most 3 apart are one episode, shown at its peak "
        "(JSON and CSV keep every day).",
        "",
    ]
    lines += [item(e) for e in reversed(episodes)]
    return [*lines, ""]


def team_markdown(rows: Sequence[TeamRow], window: str = "") -> str:
    title = f"## Team summary ({len(rows)} athletes{', ' + window if window else ''})"
    lines = [title, "", "| " + " | ".join(TEAM_COLUMNS) + " |", "|" + "---|" * len(TEAM_COLUMNS)]
    for r in rows:
        if r.error is not None:
            cells = [r.athlete, f"**error: {md_cell(r.error)}**", "", "", "", "", ""]
            lines.append(
                "| "
                + " | ".join(md_cell(cells[0]) if i == 0 else c for i, c in enumerate(cells))
                + " |"
            )
            continue
        cells = [
            athlete_text(r),
            str(r.sessions if r.sessions is not None else "–"),
            r.trend,
            worst_text(r),
            counts_text(r),
            str(r.cramps if r.cramps is not None else "–"),
            r.goal,
        ]
        lines.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    lines.append("")
    lines.append("W/C/I: warning / caution / info episodes in the window.")
    return "\n".join(lines) + "\n"


def disclaimer_markdown() -> str:
    from cramplog.render.disclaimer import DISCLAIMER, WARNING_SIGNS

    lines = ["---", "", "**About these results.** " + DISCLAIMER, "", "**When to get help**", ""]
    lines += [f"- {w}" for w in WARNING_SIGNS]
    return "\n".join(lines) + "\n"


def render_markdown(
    outcomes: Sequence[AthleteOutcome],
    *,
    team: Sequence[TeamRow] | None = None,
    window: str = "",
    summary_only: bool = False,
) -> str:
    parts = ["# cramplog analysis", ""]
    if window:
        parts += [f"Period reported: {window}.", ""]
    text = "\n".join(parts) + "\n"
    if team is not None:
        text += team_markdown(team, window="") + "\n"
    if not summary_only:
        for outcome in outcomes:
            text += athlete_markdown(outcome) + "\n"
    return text + disclaimer_markdown()


def course_section(goal: dict[str, Any]) -> list[str]:
    """The course line and notes above the readiness table (nothing without a course)."""
    from cramplog.render.course_text import course_line, course_notes

    line = course_line(goal)
    out = [md_cell(line), ""] if line else []
    notes = course_notes(goal)
    return out + ([f"- note: {md_cell(n)}" for n in notes] + [""] if notes else [])


def plan_section(goal: dict[str, Any]) -> list[str]:
    """The plan for the weeks left under the readiness table (nothing without flagged rules)."""
    from cramplog.render.course_text import plan_lines

    lines = plan_lines(goal)
    if not lines:
        return []
    return ["#### Plan for the weeks left", "", *[f"- {md_cell(x)}" for x in lines], ""]
