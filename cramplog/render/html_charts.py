"""One athlete's chart panels in the HTML report, all on one date axis with the cramp
markers: load with CTL/ATL/TSB, ACWR, monotony, weekly volume, weekly descent with E10,
heat sessions with acclimation, and the findings timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from cramplog.analysis.weekly import CrampMark, finite, report_features, weekly_totals
from cramplog.render.html_cells import evidence_text, figure, fmt_value, legend, sorted_findings
from cramplog.render.html_sections import shown_findings
from cramplog.render.svg_rule_charts import TimelinePoint, timeline_chart
from cramplog.render.svg_time_chart import Band, Bars, Dots, Line, time_chart

if TYPE_CHECKING:
    from cramplog.analysis.athlete import AthleteAnalysis

CHARTS = ("load", "acwr", "monotony", "volume", "descent", "heat", "findings")


def daily_columns(report: Any) -> tuple[list[date], dict[str, list[float | None]]]:
    """The daily series as plain lists (dates, column → values)."""
    daily = getattr(report, "daily", None)
    if daily is None or len(daily) == 0:
        return [], {}
    cols = {str(c): [finite(v) for v in daily[c].tolist()] for c in daily.columns}
    return daily.dates(), cols


def athlete_charts(
    report: AthleteAnalysis,
    anchor: str,
    marks: list[CrampMark],
    findings: list[Any],
    span: tuple[date, date] | None,
) -> tuple[list[str], list[str]]:
    """(figures, chart ids) for one athlete."""
    feats = report_features(report)
    days, col = daily_columns(report)
    if span is None:
        return [], []
    out: list[str] = []
    ids: list[str] = []
    cramp_key = ("cramp", "cramp (hover for details)")

    def add(
        name: str, caption: str, svg: str, keys: Sequence[tuple[str, str]], note: str = ""
    ) -> None:
        cid = f"{anchor}-{name}"
        ids.append(cid)
        out.append(figure(cid, caption, svg, legend([*keys, cramp_key]), note))

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
                     titles=[f"{d.isoformat()}: load {fmt_value(v)}" for d, v in zip(days, c("load"), strict=False)]),
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
                     titles=[f"week of {w.start}: longest run {fmt_value(w.longest_km)} km" for w in weeks]),
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
                             f"{fmt_value(w.max_temp_c)} °C" for w in weeks]),
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
    points = timeline_points(findings, anchor)
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


# Findings on the timeline one by one up to this many; more (a decade has thousands, each
# with its evidence as hover text: 1 MB of the report) are drawn one mark per rule and week.
TIMELINE_MAX_POINTS = 300
_SEV_RANK = {"info": 0, "caution": 1, "warning": 2}


def timeline_points(findings: Sequence[Any], anchor: str) -> list[TimelinePoint]:
    """The marks of the findings timeline, linking to the table rows the table shows."""
    ordered = sorted_findings(findings)
    shown = shown_findings(ordered)
    if len(ordered) <= TIMELINE_MAX_POINTS:
        return [
            TimelinePoint(
                f.date,
                f.rule,
                f.severity,
                f"{f.date.isoformat()} {f.rule} {f.severity}: {f.message}\n"
                f"{evidence_text(f.evidence)}",
                f"{anchor}-f{i}" if i in shown else None,
            )
            for i, f in enumerate(ordered)
        ]
    groups: dict[tuple[str, date], list[int]] = {}
    for i, f in enumerate(ordered):
        monday = date.fromordinal(f.date.toordinal() - f.date.weekday())
        groups.setdefault((f.rule, monday), []).append(i)
    out = []
    for (rule, monday), idx in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        worst = max(idx, key=lambda i: _SEV_RANK.get(ordered[i].severity, 0))
        f = ordered[worst]
        linked = next((i for i in idx if i in shown), None)
        out.append(
            TimelinePoint(
                monday,
                rule,
                f.severity,
                f"week of {monday.isoformat()}: {rule} {len(idx)} finding(s), worst "
                f"{f.severity}: {f.message}",
                f"{anchor}-f{linked}" if linked is not None else None,
            )
        )
    return out
