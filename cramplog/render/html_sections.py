"""The tables and text sections of one athlete in the HTML report: episodes of findings
with their evidence, the cramps with their context, goal readiness (with its meter chart), personal
associations, and the notes the numbers rest on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cramplog.analysis.weekly import CrampMark, finite, report_features
from cramplog.render.html_cells import (
    SEVERITY_ORDER,
    badge,
    evidence_dl,
    evidence_text,
    figure,
    fmt_value,
    session_label,
    sorted_findings,
)
from cramplog.render.svg_axes import esc
from cramplog.render.svg_rule_charts import meter_chart

if TYPE_CHECKING:
    from cramplog.analysis.athlete import AthleteAnalysis

CONTEXT_WINDOWS = ("in_session", "days_0_7", "days_8_42")
# Rows of the findings table at most: a decade has thousands of findings, and the table with
# its evidence is most of the report's bytes; the timeline chart still shows every finding.
FINDINGS_TABLE_MAX = 200
HEAT_SESSIONS_NEEDED = 5.0  # CR07's default: 5 heat sessions in 14 days


def shown_episodes(episodes: list[Any], limit: int = FINDINGS_TABLE_MAX) -> set[int]:
    """Indexes (into ``episodes``) of the rows the HTML table shows: all when there are at most
    ``limit``; else the most severe first and, within a severity, the most recent."""
    if len(episodes) <= limit:
        return set(range(len(episodes)))

    def key(i: int) -> tuple[int, int]:  # most severe first; within one, the latest first
        return (-SEVERITY_ORDER.get(episodes[i].severity, 0), -episodes[i].end.toordinal())

    return set(sorted(range(len(episodes)), key=key)[:limit])


def shown_findings(findings: list[Any], limit: int = FINDINGS_TABLE_MAX) -> set[int]:
    """Indexes (into ``findings``, sorted as the table sorts them) of the findings whose
    episode the HTML table shows: where the timeline's marks may link."""
    from cramplog.analysis.episodes import group_episodes

    episodes = group_episodes(findings)
    kept = [e for j, e in enumerate(episodes) if j in shown_episodes(episodes, limit)]
    return {
        i
        for i, f in enumerate(findings)
        if any(e.rule == f.rule and e.start <= f.date <= e.end for e in kept)
    }


def _left_out_note(episodes: list[Any], shown: set[int]) -> str:
    left = [e for i, e in enumerate(episodes) if i not in shown]
    by_rule: dict[str, int] = {}
    for e in left:
        by_rule[e.rule] = by_rule.get(e.rule, 0) + 1
    rules = ", ".join(f"{r} × {n:,}" for r, n in sorted(by_rule.items()))
    first, last = min(e.start for e in left), max(e.end for e in left)
    return (
        f'<p class="muted">This table shows {len(shown):,} of {len(episodes):,} episodes: '
        f"the most severe, and the most recent of each severity. Left out: {len(left):,} "
        f"({esc(rules)}), dated {first.isoformat()} to {last.isoformat()}; all are in the "
        "findings timeline above and in <code>cramplog analyze --all</code> or "
        "<code>--format csv</code>.</p>"
    )


def findings_table(report: AthleteAnalysis, anchor: str, findings: list[Any]) -> str:
    """One row per episode (``analysis.episodes``: a rule's findings on days at most three
    apart, shown at its peak); each finding's anchor (``-f{i}``, where the timeline's marks
    link) sits in its episode's row."""
    from cramplog.analysis.episodes import group_episodes

    findings = sorted_findings(findings)
    if not findings:
        return '<p class="muted">No findings in this period.</p>'
    by_id = {f.activity_id: f for f in report_features(report) if f.activity_id is not None}
    rows = []
    episodes = group_episodes(findings)
    keep = shown_episodes(episodes)
    for j, e in enumerate(episodes):
        if j not in keep:
            continue
        marks = "".join(
            f'<span id="{esc(anchor)}-f{i}"></span>'
            for i, f in enumerate(findings)
            if f.rule == e.rule and e.start <= f.date <= e.end
        )
        days = e.start.isoformat()
        if e.end != e.start:
            days += f" – {e.end.isoformat()}<br><span class=muted>{e.days} flagged days</span>"
        sessions = [session_label(by_id[i]) for i in e.activity_ids if i in by_id]
        rows.append(
            f'<tr id="{esc(anchor)}-e{j}" class="sev-{esc(e.severity)}">'
            f"<td>{marks}{days}</td>"
            f"<td>{esc(e.rule)}<br><span class=muted>{esc(e.name.replace('_', ' '))}</span></td>"
            f"<td>{badge(e.severity)}</td><td>{esc(e.grade)}</td>"
            f"<td>{esc(e.message)}"
            + (
                f'<br><span class="muted">session: {esc("; ".join(sessions))}</span>'
                if sessions
                else ""
            )
            + f"</td><td>{evidence_dl(e.evidence)}</td></tr>"
        )
    note = _left_out_note(episodes, keep) if len(keep) < len(episodes) else ""
    return note + (
        '<table class="findings"><thead><tr><th>days</th><th>rule</th><th>peak severity</th>'
        "<th>evidence grade</th><th>what (at its peak)</th><th>numbers</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def cramps_table(marks: list[CrampMark], report: AthleteAnalysis) -> str:
    if not marks:
        return '<p class="muted">No cramps logged in this period.</p>'
    by_id = {f.activity_id: f for f in report.session_features if f.activity_id is not None}
    rows = []
    for m in marks:
        ev = m.event
        ctx = m.context
        sid = getattr(ctx, "activity_id", None) or getattr(ev, "activity_id", None)
        sess = by_id.get(sid) if sid is not None else None
        windows = [" ".join(getattr(ctx, w, None) or []) or "–" for w in CONTEXT_WINDOWS]
        rows.append(
            "<tr>"
            f"<td>{esc(m.day.isoformat())}</td>"
            f"<td>{esc(str(ev.muscle).replace('_', ' '))}</td>"
            f"<td>{esc(ev.side or '–')}</td>"
            f'<td class="num">{esc(fmt_value(ev.severity))}</td>'
            f"<td>{esc(ev.timing or '–')}</td>"
            f"<td>{esc(session_label(sess)) if sess else '–'}</td>"
            + "".join(f"<td>{esc(w)}</td>" for w in windows)
            + f"<td>{esc(ev.notes or '')}</td></tr>"
        )
    return (
        '<table class="cramps"><thead><tr><th>date</th><th>muscle</th><th>side</th>'
        '<th class="num">severity</th><th>timing</th><th>session</th>'
        "<th>rules in the session</th><th>0–7 days before</th><th>8–42 days before</th>"
        "<th>notes</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def prep_share(check: Any) -> float | None:
    """How far preparation covers what the goal asks (1.0 = covered), per goal-aware rule."""
    ev = getattr(check, "evidence", None) or {}
    rule = getattr(check, "rule", "")

    def ratio(have: str, need: str) -> float | None:
        h, n = finite(ev.get(have)), finite(ev.get(need))
        return h / n if h is not None and n else None

    if rule == "CR05":
        return ratio("longest_km", "goal_km")
    if rule == "CR06":
        return ratio("prior_max_descent_m", "goal_descent_m")
    if rule == "CR07":
        n = finite(ev.get("heat_sessions_14d"))
        return None if n is None else n / HEAT_SESSIONS_NEEDED
    if rule == "CR10":
        return ratio("longest_prior_s", "goal_duration_s")
    if rule == "CR04":
        return ratio("target_time_s", "predicted_time_s")
    return None


def goal_section(report: AthleteAnalysis, anchor: str) -> tuple[str, str | None]:
    readiness = report.goal
    if readiness is None:
        return '<p class="muted">No goal event set (add one to athlete.toml).</p>', None
    goal = readiness.goal
    facts = [esc(goal.name), esc(goal.date.isoformat())]
    days = readiness.days_to_goal
    facts.append(
        f"{days} days after {esc(readiness.as_of.isoformat())}"
        if days >= 0
        else f"{-days} days before {esc(readiness.as_of.isoformat())} (past)"
    )
    for v, unit in ((goal.distance_km, "km"), (goal.descent_m, "m descent"),
                    (goal.temperature_c, "°C expected")):  # fmt: skip
        if v is not None:
            facts.append(esc(f"{fmt_value(float(v))} {unit}"))
    head = f"<p><b>Goal:</b> {' · '.join(facts)}</p>"
    rows = []
    meters = []
    for ch in readiness.assessments:
        status_badge = (
            badge(ch.severity)
            if ch.severity
            else badge("ok" if ch.status == "ok" else "unknown", ch.status)
        )
        rows.append(
            f"<tr><td>{esc(ch.rule)}<br><span class=muted>{esc(ch.name.replace('_', ' '))}"
            f"</span></td><td>{status_badge}</td><td>{esc(ch.message)}</td>"
            f"<td>{evidence_dl(ch.evidence)}</td></tr>"
        )
        share = prep_share(ch)
        if share is not None:
            status = "warning" if ch.severity == "warning" else ch.status
            hover = f"{ch.message}\n{evidence_text(ch.evidence)}"
            meters.append((f"{ch.rule} {ch.name.replace('_', ' ')}", share, status, hover))
    table = (
        "<table><thead><tr><th>rule</th><th>status</th><th>what</th><th>numbers</th></tr>"
        "</thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    if not meters:
        return head + table, None
    chart_id = f"{anchor}-goal"
    chart = figure(
        chart_id,
        "Goal readiness: preparation as a share of what the goal asks",
        meter_chart(chart_id, meters, label=f"Goal readiness for {goal.name}"),
        note="100 % = the goal's demand: longest run vs distance, biggest descent vs the "
        "course, heat sessions in 14 days vs 5, longest session vs expected duration, target "
        "vs predicted time.",
    )
    return head + chart + table, chart_id


def personal_section(report: AthleteAnalysis) -> str:
    p = report.personal
    if not p.shown:
        return (
            f'<p class="muted">{p.events} cramp event(s) logged: personal associations are '
            "shown from 5 events on.</p>"
        )
    from cramplog.render.personal_text import personal_intro

    verdict = personal_intro(p.to_dict())
    intro = (
        f"<p><b>Hypotheses, not conclusions: {esc(verdict)}.</b> "
        "Each row compares sessions with a cramp "
        f"({p.case_sessions}) against your other sessions ({p.control_sessions}); with few "
        "events only very strong links can show up, and any of them may be chance.</p>"
    )
    if not p.associations:
        return intro + '<p class="muted">No training pattern stood out.</p>'
    rows = "".join(
        f"<tr><td>{esc(a.feature)}</td><td>{esc(a.window.replace('_', ' '))}</td>"
        f'<td class="num">{a.case_exposed}/{a.case_exposed + a.case_unexposed}</td>'
        f'<td class="num">{a.control_exposed}/{a.control_exposed + a.control_unexposed}</td>'
        f'<td class="num">{f"{a.relative_risk:.1f}" if a.rr_shown else "–"}</td>'
        f'<td class="num">{a.p_value:.3f}</td>'
        f'<td class="num">{a.p_holm:.3f}</td><td>{esc(a.label)}</td></tr>'
        for a in p.associations
    )
    return (
        intro + '<table class="personal"><thead><tr><th>pattern</th><th>window</th>'
        '<th class="num">cramp sessions exposed</th><th class="num">other sessions exposed</th>'
        '<th class="num">relative risk</th><th class="num">p</th><th class="num">p (Holm)</th>'
        "<th>label</th></tr></thead><tbody>" + rows + "</tbody></table>"
    )


def notes_html(report: AthleteAnalysis) -> str:
    notes = list(getattr(report, "notes", None) or [])
    if not notes:
        return ""
    items = "".join(f"<li>{esc(n)}</li>" for n in notes)
    return f'<details class="notes"><summary>What the numbers rest on</summary><ul>{items}</ul></details>'
