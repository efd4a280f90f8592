"""The self-contained HTML report: one file, inline SVG charts, no script, no network.

``render_html(reports)`` takes one ``AthleteAnalysis`` per athlete (``cramplog.analysis.athlete``) and
returns the whole document. With several athletes the page opens with a team summary table
whose rows link to each athlete's section (``#athlete-<n>-<name>``).

Per athlete, on one shared date axis (cramp events are a purple marker on every chart):

- ``…-load``: daily load bars with CTL (τ 42 d), ATL (τ 7 d) and TSB = CTL − ATL
- ``…-acwr``: ACWR (EWMA 7/28) and the rolling 7/28 form over the 0.8–1.3 band (contested team-sport injury data),
  caution ≥ 1.3 and warning ≥ 1.5 bands
- ``…-monotony``: Foster monotony with its 1.5 / 2.0 bands
- ``…-volume``: weekly running km with the week's longest run
- ``…-descent``: weekly descent (D−, m) with downhill km at ≤ −10 % (E10)
- ``…-heat``: heat sessions per week with the acclimation state
- ``…-findings``: findings as a timeline (one row per rule; hover for message and evidence;
  click to jump to the row of the findings table)
- ``…-goal``: goal readiness against each goal-aware rule, when a goal is set

then the cramp table, the findings table with their evidence, personal associations, and at
the end the disclaimer and the warning signs. Every user-supplied text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from cramplog.analysis.episodes import group_episodes
from cramplog.analysis.weekly import cramp_marks, report_features
from cramplog.render.html_cells import badge, fmt_value
from cramplog.render.html_charts import athlete_charts
from cramplog.render.html_course import course_figures
from cramplog.render.html_sections import (
    cramps_table,
    findings_table,
    goal_section,
    notes_html,
    personal_section,
)
from cramplog.render.html_template import page
from cramplog.render.svg_axes import esc

if TYPE_CHECKING:
    from cramplog.analysis.athlete import AthleteAnalysis
    from cramplog.analysis.team import TeamRow


def athlete_name(report: Any) -> str:
    a = getattr(report, "athlete", None)
    return str(getattr(a, "name", a) or "athlete")


def athlete_anchor(index: int, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40]
    return f"athlete-{index}" + (f"-{slug}" if slug else "")


def _span(report: AthleteAnalysis, since: date | None = None) -> tuple[date, date] | None:
    """The time axis: first session (or ``since``) to the last day of the daily series."""
    first, last = report.first_day, report.last_day
    daily = report.daily
    if daily is not None and len(daily):
        d_last = daily.day(-1)
        last = max(last, d_last) if last else d_last
    if first is None or last is None:
        return None
    if since is not None and since > first:
        first = min(since, last)
    return (first, last)


def _counts(findings: Sequence[Any]) -> dict[str, int]:
    out = {"info": 0, "caution": 0, "warning": 0}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def render_athlete(
    report: AthleteAnalysis, index: int = 1, *, since: date | None = None
) -> tuple[str, list[str]]:
    """One athlete's section and the ids of its charts. ``since`` trims the time axis (the
    numbers themselves still come from the whole history)."""
    name = athlete_name(report)
    anchor = athlete_anchor(index, name)
    marks = [m for m in cramp_marks(report) if since is None or m.day >= since]
    feats = [f for f in report_features(report) if since is None or f.local_date >= since]
    findings = [f for f in report.findings if since is None or f.date >= since]
    counts = _counts(group_episodes(findings))
    span = _span(report, since)
    period = f"{span[0]} – {span[1]}" if span else "no sessions"
    km = sum((f.distance_m or 0.0) for f in feats if f.family == "running") / 1000.0
    cards = [
        ("period", period),
        ("sessions", str(len(feats))),
        ("running km", f"{km:,.0f}"),
        ("cramps logged", str(len(marks))),
        ("warning episodes", str(counts["warning"])),
        ("caution episodes", str(counts["caution"])),
        ("info episodes", str(counts["info"])),
    ]
    figures, ids = athlete_charts(report, anchor, marks, findings, span)
    goal_html, goal_id = goal_section(report, anchor)
    if goal_id:
        ids.append(goal_id)
    course_html, course_ids = course_figures(report, anchor)
    goal_html += course_html
    ids += course_ids
    toc = " ".join(
        f'<a href="#{esc(anchor)}-{k}">{esc(t)}</a>'
        for k, t in (("charts", "charts"), ("cramps", "cramps"), ("findings-table", "findings"),
                     ("readiness", "goal"), ("personal", "personal"), ("", "top"))
    ).replace(f'href="#{esc(anchor)}-"', 'href="#top"')  # fmt: skip
    body = [
        f'<section class="athlete" id="{esc(anchor)}" data-athlete="{esc(name)}">',
        f"<h2>{esc(name)}</h2>",
        f'<nav class="toc">{toc}</nav>',
        '<div class="cards">'
        + "".join(f"<div class=card>{esc(k)}<b>{esc(v)}</b></div>" for k, v in cards)
        + "</div>",
        notes_html(report),
        f'<h3 id="{esc(anchor)}-charts">Training and cramps over time</h3>',
        *(figures or ['<p class="muted">No sessions in this period.</p>']),
        f'<h3 id="{esc(anchor)}-cramps">Cramps</h3>',
        cramps_table(marks, report),
        f'<h3 id="{esc(anchor)}-findings-table">Episodes</h3>',
        findings_table(report, anchor, findings),
        f'<h3 id="{esc(anchor)}-readiness">Goal readiness</h3>',
        goal_html,
        f'<h3 id="{esc(anchor)}-personal">Personal associations</h3>',
        personal_section(report),
        "</section>",
    ]
    return "\n".join(body), ids


def team_table(rows: Sequence[TeamRow], anchors: dict[str, str]) -> str:
    """The team summary (``cramplog.analysis.team.team_rows``: worst first), names linking to sections."""
    out = []
    for r in rows:
        anchor = anchors.get(r.athlete)
        name = f'<a href="#{esc(anchor)}">{esc(r.athlete)}</a>' if anchor else esc(r.athlete)
        if r.error is not None:
            out.append(f'<tr><td>{name}</td><td colspan="8">{badge("unknown", "error")} '
                       f"{esc(r.error)}</td></tr>")  # fmt: skip
            continue
        c = r.counts
        worst = f"{badge(r.worst_severity)} {esc(r.worst)}" if r.worst_severity else "–"
        out.append(
            f"<tr><td>{name}</td>"
            f'<td class="num">{esc(fmt_value(r.sessions))}</td><td>{esc(r.trend)}</td>'
            f"<td>{worst}</td>"
            f'<td class="num">{c.get("warning", 0)}</td><td class="num">{c.get("caution", 0)}</td>'
            f'<td class="num">{c.get("info", 0)}</td>'
            f'<td class="num">{esc(fmt_value(r.cramps))}</td><td>{esc(r.goal)}</td></tr>'
        )
    return (
        '<table class="team"><thead><tr><th>athlete</th><th class="num">sessions</th>'
        "<th>load trend</th><th>most serious</th><th class=num>warning episodes</th>"
        "<th class=num>caution ep.</th><th class=num>info ep.</th><th class=num>cramps</th>"
        "<th>goal</th></tr></thead><tbody>" + "".join(out) + "</tbody></table>"
    )


def default_team_rows(reports: Sequence[AthleteAnalysis]) -> list[TeamRow]:
    """The summary rows ``cramplog analyze`` shows, built from the reports themselves."""
    from cramplog.analysis.outcome import AthleteOutcome, overview
    from cramplog.analysis.team import team_rows

    return team_rows(
        [AthleteOutcome(r.athlete, r.to_dict({}), overview(r, None, None)) for r in reports]
    )


def _disclaimer() -> str:
    from cramplog.render.disclaimer import DISCLAIMER, WARNING_SIGNS

    signs = "".join(f"<li>{esc(s)}</li>" for s in WARNING_SIGNS)
    return (
        '<footer class="disclaimer" id="disclaimer"><h2>What this report is, and is not</h2>'
        f"<p>{esc(DISCLAIMER)}</p><h3>Warning signs</h3><ul>{signs}</ul></footer>"
    )


def render_html(
    reports: Sequence[AthleteAnalysis],
    *,
    team: Sequence[TeamRow] | None = None,
    since: date | None = None,
    title: str | None = None,
    generated: date | None = None,
) -> str:
    """The whole report for one or more athletes. ``team`` (``cramplog.analysis.team.team_rows``) adds
    the summary table at the top; its rows may include athletes that could not be analysed."""
    if team is None and len(reports) > 1:
        team = default_team_rows(reports)
    if team is not None:  # sections in the summary's order: worst first
        rank = {row.athlete: i for i, row in enumerate(team)}
        reports = sorted(reports, key=lambda r: rank.get(athlete_name(r), len(rank)))
    names = [athlete_name(r) for r in reports]
    doc_title = title or ("cramplog report: " + ", ".join(names) if names else "cramplog report")
    parts = [f'<header id="top"><h1>{esc(doc_title)}</h1>']
    lead = "Training patterns that sports science links to muscle cramps, with the cramps logged."
    if since is not None:
        lead += f" Findings and charts from {since.isoformat()} on."
    if generated is not None:
        lead += f" Generated {generated.isoformat()}."
    parts.append(
        f'<p class="lead">{esc(lead)} <a href="#disclaimer">Read the limits first.</a></p></header>'
    )
    anchors = {n: athlete_anchor(i, n) for i, n in enumerate(names, start=1)}
    if team is not None and (len(team) > 1 or len(reports) > 1):
        parts.append('<section id="team"><h2>Team summary</h2>')
        parts.append(team_table(team, anchors))
        parts.append("</section>")
    if not reports:
        parts.append('<p class="muted">No athlete could be reported.</p>')
    for i, r in enumerate(reports, start=1):
        section, _ids = render_athlete(r, i, since=since)
        parts.append(section)
    parts.append(_disclaimer())
    return page(esc(doc_title), "\n".join(parts))
