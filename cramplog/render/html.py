"""The self-contained HTML report: one file, inline SVG charts, no script, no network.

``render_html(reports)`` takes one ``AthleteAnalysis`` per athlete (``cramplog.analysis.athlete``) and
returns the whole document. With several athletes the page opens with a team summary table
whose rows link to each athlete's section (``#athlete-<n>-<name>``).

Per athlete, on one shared date axis (cramp events are a purple marker on every chart):

- ``…-load``: daily load bars with CTL (τ 42 d), ATL (τ 7 d) and TSB = CTL − ATL
- ``…-acwr``: ACWR (EWMA 7/28) and the rolling 7/28 form over the 0.8–1.3 "sweet spot",
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

import math
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from cramplog.render.charts import (
    Band,
    Bars,
    CrampMark,
    Dots,
    Line,
    TimelinePoint,
    cramp_marks,
    esc,
    finite,
    meter_chart,
    report_features,
    time_chart,
    timeline_chart,
    weekly_totals,
)
from cramplog.render.html_template import page

if TYPE_CHECKING:
    from cramplog.analysis.athlete import AthleteAnalysis
    from cramplog.analysis.team import TeamRow

SEVERITY_ORDER = {"info": 0, "caution": 1, "warning": 2}
CONTEXT_WINDOWS = ("in_session", "days_0_7", "days_8_42")
HEAT_SESSIONS_NEEDED = 5.0  # CR07's default: 5 heat sessions in 14 days
CHARTS = ("load", "acwr", "monotony", "volume", "descent", "heat", "findings")


# ---------------------------------------------------------------- small helpers


def athlete_name(report: Any) -> str:
    a = getattr(report, "athlete", None)
    return str(getattr(a, "name", a) or "athlete")


def athlete_anchor(index: int, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40]
    return f"athlete-{index}" + (f"-{slug}" if slug else "")


def _fmt_value(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        if not math.isfinite(v):
            return "–"
        if abs(v) >= 100:
            return f"{v:,.0f}"
        return f"{v:.2f}".rstrip("0").rstrip(".")
    if isinstance(v, list | tuple):
        return ", ".join(_fmt_value(x) for x in v)
    if isinstance(v, dict):
        return "; ".join(f"{k}: {_fmt_value(x)}" for k, x in v.items())
    if isinstance(v, date | datetime):
        return v.isoformat()
    return str(v)


def _evidence_dl(evidence: Any) -> str:
    if not evidence:
        return ""
    if not isinstance(evidence, dict):
        return esc(_fmt_value(evidence))
    items = "".join(
        f"<dt>{esc(str(k).replace('_', ' '))}</dt><dd>{esc(_fmt_value(v))}</dd>"
        for k, v in evidence.items()
    )
    return f'<dl class="evidence">{items}</dl>'


def _evidence_text(evidence: Any) -> str:
    if isinstance(evidence, dict):
        return "\n".join(f"{k}: {_fmt_value(v)}" for k, v in evidence.items())
    return _fmt_value(evidence) if evidence else ""


def _badge(severity: str | None, text: str | None = None) -> str:
    sev = severity or "unknown"
    return f'<span class="badge sev-{esc(sev)}">{esc(text or sev)}</span>'


def _legend(items: Sequence[tuple[str, str]]) -> str:
    lis = "".join(f'<li><i class="k-{esc(k)}"></i>{esc(text)}</li>' for k, text in items)
    return f'<ul class="legend">{lis}</ul>'


def _figure(chart_id: str, caption: str, svg: str, legend: str = "", note: str = "") -> str:
    note_html = f'<p class="note">{esc(note)}</p>' if note else ""
    return (
        f'<figure id="fig-{esc(chart_id)}"><figcaption>{esc(caption)}</figcaption>'
        f"{svg}{legend}{note_html}</figure>"
    )


def _daily(report: Any) -> tuple[list[date], dict[str, list[float | None]]]:
    """The daily series as plain lists (dates, column → values)."""
    daily = getattr(report, "daily", None)
    if daily is None or len(daily) == 0:
        return [], {}
    cols = {str(c): [finite(v) for v in daily[c].tolist()] for c in daily.columns}
    return daily.dates(), cols


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


def _session_label(f: Any) -> str:
    parts = [f.local_date.isoformat(), str(getattr(f, "sport", "")).replace("_", " ")]
    if getattr(f, "is_race", False):
        parts.append("race")
    if f.distance_m:
        parts.append(f"{f.distance_m / 1000:.1f} km")
    return " ".join(p for p in parts if p)


# ---------------------------------------------------------------- sections


def _charts(
    report: AthleteAnalysis,
    anchor: str,
    marks: list[CrampMark],
    findings: list[Any],
    span: tuple[date, date] | None,
) -> tuple[list[str], list[str]]:
    """(figures, chart ids) for one athlete."""
    feats = report_features(report)
    days, col = _daily(report)
    if span is None:
        return [], []
    out: list[str] = []
    ids: list[str] = []
    cramp_key = ("cramp", "cramp (hover for details)")

    def add(
        name: str, caption: str, svg: str, legend: Sequence[tuple[str, str]], note: str = ""
    ) -> None:
        cid = f"{anchor}-{name}"
        ids.append(cid)
        out.append(_figure(cid, caption, svg, _legend([*legend, cramp_key]), note))

    def c(name: str) -> list[float | None]:
        return col.get(name) or [None] * len(days)

    add(
        "load",
        "Daily load, fitness (CTL), fatigue (ATL) and form (TSB)",
        time_chart(
            f"{anchor}-load",
            span,
            [
                Bars("daily load", days, c("load"), "s-load",
                     titles=[f"{d.isoformat()}: load {_fmt_value(v)}" for d, v in zip(days, c("load"), strict=False)]),
                Line("CTL (fitness, τ 42 d)", days, c("ctl"), "s-ctl"),
                Line("ATL (fatigue, τ 7 d)", days, c("atl"), "s-atl"),
                Line("TSB (form = CTL − ATL)", days, c("tsb"), "s-tsb"),
            ],
            label="Daily load with CTL, ATL and TSB",
            y_label="load",
            zero_line=True,
            marks=marks,
            height=240,
        ),
        [("load", "daily load"), ("ctl", "CTL"), ("atl", "ATL"), ("tsb", "TSB")],
    )  # fmt: skip
    acwr = c("acwr")
    rolling = c("acwr_rolling")
    top = max([2.0, *[v * 1.05 for v in (*acwr, *rolling) if v is not None]])
    add(
        "acwr",
        "Acute:chronic workload ratio (CR02)",
        time_chart(
            f"{anchor}-acwr",
            span,
            [
                Line("ACWR (EWMA 7/28)", days, acwr, "s-acwr"),
                Line("ACWR rolling 7/28", days, rolling, "s-acwr-rolling", dashed=True),
            ],
            label="ACWR with the 0.8–1.3 band, caution from 1.3, warning from 1.5",
            y_label="ratio",
            bands=[
                Band(0.8, 1.3, "sweet", "0.8–1.3: a contested band from team-sport injury data"),
                Band(1.3, 1.5, "caution", "≥ 1.3: caution"),
                Band(1.5, None, "warning", "≥ 1.5: warning"),
            ],
            y_domain=(0.0, min(top, 4.0)),
            marks=marks,
        ),
        [("acwr", "ACWR (EWMA)"), ("acwr-rolling", "rolling"), ("sweet", "0.8–1.3"),
         ("caution", "≥ 1.3"), ("warning", "≥ 1.5")],
        "Silent for the first 28 days. Built on injury research, not cramp research.",
    )  # fmt: skip
    mono = c("monotony")
    add(
        "monotony",
        "Training monotony (CR03)",
        time_chart(
            f"{anchor}-monotony",
            span,
            [Line("Foster monotony (7 d)", days, mono, "s-monotony")],
            label="Monotony with caution from 1.5 and warning from 2.0",
            y_label="mean/SD",
            bands=[Band(1.5, 2.0, "caution", "≥ 1.5: caution"), Band(2.0, None, "warning", "≥ 2.0: warning")],
            y_domain=(0.0, max(3.0, min(10.0, max((v for v in mono if v is not None), default=0) * 1.05))),
            marks=marks,
            height=160,
        ),
        [("monotony", "monotony"), ("caution", "≥ 1.5"), ("warning", "≥ 2.0")],
    )  # fmt: skip
    weeks = weekly_totals(feats, span[0], span[1])
    wd = [w.start for w in weeks]
    add(
        "volume",
        "Weekly running volume and longest run",
        time_chart(
            f"{anchor}-volume",
            span,
            [
                Bars("weekly km", wd, [w.km for w in weeks], "s-km", span_days=7,
                     titles=[f"week of {w.start}: {w.km:.1f} km in {w.sessions} session(s)" for w in weeks]),
                Dots("longest run", wd, [w.longest_km for w in weeks], "s-long", center_span=7,
                     titles=[f"week of {w.start}: longest run {_fmt_value(w.longest_km)} km" for w in weeks]),
            ],
            label="Weekly running kilometres with the longest run of each week",
            y_label="km",
            marks=marks,
        ),
        [("km", "km per week"), ("long", "longest run")],
    )  # fmt: skip
    add(
        "descent",
        "Weekly descent and steep downhill (E10)",
        time_chart(
            f"{anchor}-descent",
            span,
            [
                Bars("weekly descent", wd, [w.descent_m for w in weeks], "s-descent", span_days=7,
                     titles=[f"week of {w.start}: descent {w.descent_m:,.0f} m" for w in weeks]),
                Dots("E10 km", wd, [w.e10_km if w.sessions else None for w in weeks], "s-e10",
                     right=True, center_span=7,
                     titles=[f"week of {w.start}: {w.e10_km:.2f} km at ≤ −10 %" for w in weeks]),
            ],
            label="Weekly descent in metres with downhill kilometres at a grade of −10 % or steeper",
            y_label="D− m",
            y2_label="E10 km",
            marks=marks,
        ),
        [("descent", "descent (m, left)"), ("e10", "km at ≤ −10 % (right)")],
    )  # fmt: skip
    acclim = [None if v is None else v * 100 for v in c("acclimation")]
    add(
        "heat",
        "Heat sessions and acclimation (CR07)",
        time_chart(
            f"{anchor}-heat",
            span,
            [
                Bars("heat sessions", wd, [float(w.heat_sessions) for w in weeks], "s-heat", span_days=7,
                     titles=[f"week of {w.start}: {w.heat_sessions} heat session(s); hottest "
                             f"{_fmt_value(w.max_temp_c)} °C" for w in weeks]),
                Line("acclimation %", days, acclim, "s-acclim", right=True),
            ],
            label="Heat sessions per week and the heat acclimation estimate",
            y_label="sessions",
            y_domain=(0.0, float(max(4, *(w.heat_sessions for w in weeks)) if weeks else 4)),
            y2_label="acclim. %",
            y2_domain=(0.0, 100.0),
            marks=marks,
            height=180,
        ),
        [("heat", "heat sessions per week"), ("acclim", "acclimation estimate (right)")],
        "A heat session: ≥ 60 min at or above the heat threshold (25 °C by default). "
        "Acclimation is an estimate: +10 % per heat session, −2.5 % a day.",
    )  # fmt: skip
    rules = sorted({(f.rule, f.name) for f in findings})
    points = [
        TimelinePoint(
            f.date,
            f.rule,
            f.severity,
            f"{f.date.isoformat()} {f.rule} {f.severity}: {f.message}\n{_evidence_text(f.evidence)}",
            f"{anchor}-f{i}",
        )
        for i, f in enumerate(_sorted_findings(findings))
    ]
    add(
        "findings",
        "Findings timeline",
        timeline_chart(
            f"{anchor}-findings",
            span,
            [(r, f"{r} {n.replace('_', ' ')}") for r, n in rules] or [("–", "no findings")],
            points,
            label="Findings by rule over time; hover for the message and evidence",
            marks=marks,
        ),
        [("sev-info", "info"), ("sev-caution", "caution"), ("sev-warning", "warning")],
        "; ".join(f"{r}: {n.replace('_', ' ')}" for r, n in rules),
    )
    return out, ids


def _sorted_findings(findings: Sequence[Any]) -> list[Any]:
    return sorted(findings, key=lambda f: (f.date, f.rule, -SEVERITY_ORDER.get(f.severity, 0)))


def _findings_table(report: AthleteAnalysis, anchor: str, findings: list[Any]) -> str:
    findings = _sorted_findings(findings)
    if not findings:
        return '<p class="muted">No findings in this period.</p>'
    by_id = {f.activity_id: f for f in report_features(report) if f.activity_id is not None}
    rows = []
    for i, f in enumerate(findings):
        sess = by_id.get(f.activity_id)
        rows.append(
            f'<tr id="{esc(anchor)}-f{i}" class="sev-{esc(f.severity)}">'
            f"<td>{esc(f.date.isoformat())}</td>"
            f"<td>{esc(f.rule)}<br><span class=muted>{esc(f.name.replace('_', ' '))}</span></td>"
            f"<td>{_badge(f.severity)}</td><td>{esc(f.grade)}</td>"
            f"<td>{esc(f.message)}"
            + (
                f'<br><span class="muted">session: {esc(_session_label(sess))}</span>'
                if sess
                else ""
            )
            + f"</td><td>{_evidence_dl(f.evidence)}</td></tr>"
        )
    return (
        '<table class="findings"><thead><tr><th>date</th><th>rule</th><th>severity</th>'
        "<th>evidence grade</th><th>what</th><th>numbers</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _cramps_table(marks: list[CrampMark], report: AthleteAnalysis) -> str:
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
            f'<td class="num">{esc(_fmt_value(ev.severity))}</td>'
            f"<td>{esc(ev.timing or '–')}</td>"
            f"<td>{esc(_session_label(sess)) if sess else '–'}</td>"
            + "".join(f"<td>{esc(w)}</td>" for w in windows)
            + f"<td>{esc(ev.notes or '')}</td></tr>"
        )
    return (
        '<table class="cramps"><thead><tr><th>date</th><th>muscle</th><th>side</th>'
        '<th class="num">severity</th><th>timing</th><th>session</th>'
        "<th>rules in the session</th><th>0–7 days before</th><th>8–42 days before</th>"
        "<th>notes</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _prep_share(check: Any) -> float | None:
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


def _goal_section(report: AthleteAnalysis, anchor: str) -> tuple[str, str | None]:
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
            facts.append(esc(f"{_fmt_value(float(v))} {unit}"))
    head = f"<p><b>Goal:</b> {' · '.join(facts)}</p>"
    rows = []
    meters = []
    for ch in readiness.assessments:
        badge = (
            _badge(ch.severity)
            if ch.severity
            else _badge("ok" if ch.status == "ok" else "unknown", ch.status)
        )
        rows.append(
            f"<tr><td>{esc(ch.rule)}<br><span class=muted>{esc(ch.name.replace('_', ' '))}"
            f"</span></td><td>{badge}</td><td>{esc(ch.message)}</td>"
            f"<td>{_evidence_dl(ch.evidence)}</td></tr>"
        )
        share = _prep_share(ch)
        if share is not None:
            status = "warning" if ch.severity == "warning" else ch.status
            hover = f"{ch.message}\n{_evidence_text(ch.evidence)}"
            meters.append((f"{ch.rule} {ch.name.replace('_', ' ')}", share, status, hover))
    table = (
        "<table><thead><tr><th>rule</th><th>status</th><th>what</th><th>numbers</th></tr>"
        "</thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    if not meters:
        return head + table, None
    chart_id = f"{anchor}-goal"
    chart = _figure(
        chart_id,
        "Goal readiness: preparation as a share of what the goal asks",
        meter_chart(chart_id, meters, label=f"Goal readiness for {goal.name}"),
        note="100 % = the goal's demand: longest run vs distance, biggest descent vs the "
        "course, heat sessions in 14 days vs 5, longest session vs expected duration, target "
        "vs predicted time.",
    )
    return head + chart + table, chart_id


def _personal_section(report: AthleteAnalysis) -> str:
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


def _counts(findings: Sequence[Any]) -> dict[str, int]:
    out = {"info": 0, "caution": 0, "warning": 0}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def _notes(report: AthleteAnalysis) -> str:
    notes = list(getattr(report, "notes", None) or [])
    if not notes:
        return ""
    items = "".join(f"<li>{esc(n)}</li>" for n in notes)
    return f'<details class="notes"><summary>What the numbers rest on</summary><ul>{items}</ul></details>'


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
    counts = _counts(findings)
    span = _span(report, since)
    period = f"{span[0]} – {span[1]}" if span else "no sessions"
    km = sum((f.distance_m or 0.0) for f in feats if f.family == "running") / 1000.0
    cards = [
        ("period", period),
        ("sessions", str(len(feats))),
        ("running km", f"{km:,.0f}"),
        ("cramps logged", str(len(marks))),
        ("warnings", str(counts["warning"])),
        ("cautions", str(counts["caution"])),
        ("info", str(counts["info"])),
    ]
    figures, ids = _charts(report, anchor, marks, findings, span)
    goal_html, goal_id = _goal_section(report, anchor)
    if goal_id:
        ids.append(goal_id)
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
        _notes(report),
        f'<h3 id="{esc(anchor)}-charts">Training and cramps over time</h3>',
        *(figures or ['<p class="muted">No sessions in this period.</p>']),
        f'<h3 id="{esc(anchor)}-cramps">Cramps</h3>',
        _cramps_table(marks, report),
        f'<h3 id="{esc(anchor)}-findings-table">Findings</h3>',
        _findings_table(report, anchor, findings),
        f'<h3 id="{esc(anchor)}-readiness">Goal readiness</h3>',
        goal_html,
        f'<h3 id="{esc(anchor)}-personal">Personal associations</h3>',
        _personal_section(report),
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
            out.append(f'<tr><td>{name}</td><td colspan="8">{_badge("unknown", "error")} '
                       f"{esc(r.error)}</td></tr>")  # fmt: skip
            continue
        c = r.counts
        worst = f"{_badge(r.worst_severity)} {esc(r.worst)}" if r.worst_severity else "–"
        out.append(
            f"<tr><td>{name}</td>"
            f'<td class="num">{esc(_fmt_value(r.sessions))}</td><td>{esc(r.trend)}</td>'
            f"<td>{worst}</td>"
            f'<td class="num">{c.get("warning", 0)}</td><td class="num">{c.get("caution", 0)}</td>'
            f'<td class="num">{c.get("info", 0)}</td>'
            f'<td class="num">{esc(_fmt_value(r.cramps))}</td><td>{esc(r.goal)}</td></tr>'
        )
    return (
        '<table class="team"><thead><tr><th>athlete</th><th class="num">sessions</th>'
        "<th>load trend</th><th>most serious</th><th class=num>warnings</th>"
        "<th class=num>cautions</th><th class=num>info</th><th class=num>cramps</th>"
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
