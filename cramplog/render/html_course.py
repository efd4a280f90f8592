"""The goal course and plan in the HTML report: the course line, the plan for the weeks left,
the course's elevation profile (the stretches at ≤ −10 % drawn
over it) and, beside it, the steepest descents of recent training as a share of the course's.

``course_figures(report, anchor)`` returns (html, chart ids); nothing without a course file.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from cramplog.render.html_cells import figure, legend
from cramplog.render.svg_axes import esc, nice_ticks, num
from cramplog.render.svg_rule_charts import meter_chart

if TYPE_CHECKING:
    from cramplog.analysis.athlete import AthleteAnalysis

WIDTH, HEIGHT = 900, 240
PAD_L, PAD_R, PAD_T, PAD_B = 56, 16, 12, 30
TOP_SESSIONS = 5
WINDOW_DAYS = 42


def profile_svg(chart_id: str, profile: list[tuple[float, float]], label: str) -> str:
    """Elevation (m) over distance (km); segments falling ≥ 10 % drawn in the E10 colour."""
    kms = [k for k, _ in profile]
    zs = [z for _, z in profile]
    lo, hi = min(zs), max(zs)
    if hi - lo < 1:
        hi = lo + 1
    km_max = max(kms[-1], 1e-9)

    def sx(k: float) -> float:
        return PAD_L + k / km_max * (WIDTH - PAD_L - PAD_R)

    def sy(z: float) -> float:
        return HEIGHT - PAD_B - (z - lo) / (hi - lo) * (HEIGHT - PAD_T - PAD_B)

    out = [
        f'<svg id="{esc(chart_id)}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg"><title>{esc(label)}</title>'
    ]
    for t in nice_ticks(lo, hi):
        out.append(
            f'<g class="grid"><line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{num(sy(t))}" '
            f'y2="{num(sy(t))}"/><text class="axis-label" x="{PAD_L - 6}" y="{num(sy(t) + 4)}" '
            f'text-anchor="end">{t:.0f} m</text></g>'
        )
    for t in nice_ticks(0, km_max, 8):
        out.append(
            f'<text class="axis-label" x="{num(sx(t))}" y="{HEIGHT - 10}" '
            f'text-anchor="middle">{t:g} km</text>'
        )
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{num(sx(k))},{num(sy(z))}" for i, (k, z) in enumerate(profile)
    )
    out.append(f'<path class="series line s-descent" data-series="elevation" d="{path}"/>')
    steep = []
    for (k0, z0), (k1, z1) in zip(profile, profile[1:], strict=False):
        if k1 > k0 and (z1 - z0) / ((k1 - k0) * 1000) <= -0.10:
            steep.append(f"M{num(sx(k0))},{num(sy(z0))} L{num(sx(k1))},{num(sy(z1))}")
    if steep:
        out.append(
            f'<path class="series line s-e10" data-series="steep" stroke-width="4" '
            f'd="{" ".join(steep)}"><title>≤ −10 % over 250 m</title></path>'
        )
    out.append("</svg>")
    return "".join(out)


def plan_html(report: AthleteAnalysis) -> str:
    """The course line, its notes and the plan for the weeks left, as HTML."""
    from cramplog.render.course_text import course_line, course_notes, plan_lines

    if report.goal is None:
        return ""
    goal = report.goal.to_dict()
    out = []
    line = course_line(goal)
    if line:
        out.append(f"<p>{esc(line)}</p>")
    out += [f'<p class="note">note: {esc(n)}</p>' for n in course_notes(goal)]
    lines = plan_lines(goal)
    if lines:
        out.append("<h4>Plan for the weeks left</h4><ul>")
        out += [f"<li>{esc(x)}</li>" for x in lines]
        out.append("</ul>")
    return "".join(out)


def course_figures(report: AthleteAnalysis, anchor: str) -> tuple[str, list[str]]:
    readiness = report.goal
    course = readiness.course if readiness is not None else None
    if readiness is None or course is None:
        return plan_html(report), []
    out, ids = [plan_html(report)], []
    name = course.path.rsplit("/", 1)[-1]
    if course.profile:
        cid = f"{anchor}-course"
        svg = profile_svg(cid, course.profile, f"Elevation profile of {name}")
        keys = legend([("descent", "elevation (smoothed)"), ("e10", "≤ −10 %")])
        out.append(figure(cid, f"Goal course: {name}", svg, keys))
        ids.append(cid)
    if course.descent_m:
        lo = readiness.as_of - timedelta(days=WINDOW_DAYS)
        recent = [
            f for f in report.session_features
            if lo < f.local_date <= readiness.as_of and f.descent_m
        ]  # fmt: skip
        recent.sort(key=lambda f: (f.e10_km or 0.0, f.descent_m or 0.0), reverse=True)
        rows = [
            (
                f"{f.local_date} {f.descent_m:.0f} m, {f.e10_km or 0:.1f} km ≤ −10 %",
                (f.descent_m or 0.0) / course.descent_m,
                "ok",
                f"E15 {f.e15_km or 0:.1f} km; {f.min_le10 or 0:.0f} min at ≤ −10 %",
            )
            for f in recent[:TOP_SESSIONS]
        ]
        if rows:
            cid = f"{anchor}-course-descents"
            chart = meter_chart(cid, rows, label="Steepest recent descents vs the course")
            note = (
                f"The {len(rows)} sessions of the last 6 weeks with the most km at ≤ −10 %; "
                f"100 % = the course's {course.descent_m:.0f} m descent "
                f"({course.e10_km or 0:.1f} km at ≤ −10 %)."
            )
            out.append(figure(cid, "Steepest descents of recent training", chart, note=note))
            ids.append(cid)
    return "".join(out), ids
