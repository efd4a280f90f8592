"""The rule-result panels of the HTML report: the findings timeline (one row per rule on the
athlete's date axis, a mark per finding coloured by severity) and the goal-readiness meter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cramplog.analysis.weekly import CrampMark
from cramplog.render.svg_axes import (
    MARGIN_B,
    MARGIN_L,
    MARGIN_R,
    MARGIN_T,
    WIDTH,
    DateScale,
    esc,
    marker_svg,
    num,
)


@dataclass
class TimelinePoint:
    day: date
    row: str
    severity: str
    title: str
    anchor: str | None = None  # id of the findings-table row to link to


def timeline_chart(
    chart_id: str,
    scale_days: tuple[date, date],
    rows: Sequence[tuple[str, str]],
    points: Sequence[TimelinePoint],
    *,
    label: str,
    marks: Sequence[CrampMark] = (),
) -> str:
    """Findings on the date axis: one row per rule (``rows``: (key, label)), a mark per finding
    coloured by severity, hover text with the message and evidence."""
    row_h = 20
    height = MARGIN_T + max(1, len(rows)) * row_h + MARGIN_B
    scale = DateScale(scale_days[0], scale_days[1], MARGIN_L, WIDTH - MARGIN_R)
    top, bottom = MARGIN_T, height - MARGIN_B
    out = [
        f'<svg id="{esc(chart_id)}" class="chart timeline" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{esc(label)}</title>",
        '<g class="axis">',
    ]
    index = {key: i for i, (key, _) in enumerate(rows)}
    for i, (key, text) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        out.append(
            f'<line class="row" x1="{num(scale.x0)}" y1="{num(y)}" x2="{num(scale.x1)}" y2="{num(y)}"/>'
            f'<text x="{num(scale.x0 - 6)}" y="{num(y + 4)}" text-anchor="end">'
            f"<title>{esc(text)}</title>{esc(key)}</text>"
        )
    for d, text in scale.ticks():
        x = scale.x(d)
        out.append(f'<line x1="{num(x)}" y1="{num(bottom)}" x2="{num(x)}" y2="{num(bottom + 4)}"/>')
        out.append(
            f'<text x="{num(x)}" y="{num(bottom + 16)}" text-anchor="middle">{esc(text)}</text>'
        )
    out.append(
        f'<line x1="{num(scale.x0)}" y1="{num(bottom)}" x2="{num(scale.x1)}" y2="{num(bottom)}"/>'
    )
    out.append("</g>")
    out.append('<g class="findings">')
    w = max(3.0, scale.day_width())
    for p in points:
        if p.row not in index or not (scale.first <= p.day <= scale.last):
            continue
        y = top + index[p.row] * row_h + 4
        mark = (
            f'<rect class="finding sev-{esc(p.severity)}" x="{num(scale.x(p.day) - (w - scale.day_width()) / 2)}" '
            f'y="{num(y)}" width="{num(w)}" height="{row_h - 8}" data-date="{p.day.isoformat()}">'
            f"<title>{esc(p.title)}</title></rect>"
        )
        if p.anchor:
            mark = f'<a href="#{esc(p.anchor)}">{mark}</a>'
        out.append(mark)
    out.append("</g>")
    out.extend(marker_svg(scale, top, bottom, marks))
    out.append("</svg>")
    return "".join(out)


def meter_chart(
    chart_id: str, items: Sequence[tuple[str, float | None, str, str]], *, label: str
) -> str:
    """Horizontal bars of ratios to a target (goal readiness): (label, ratio, status, hover).
    The bar is full at 1.0 (target reached); the scale runs to 1.5."""
    row_h = 26
    height = 16 + max(1, len(items)) * row_h
    x0, x1 = 250, WIDTH - 60
    cap = 1.5

    def sx(r: float) -> float:
        return x0 + min(max(r, 0.0), cap) / cap * (x1 - x0)

    out = [
        f'<svg id="{esc(chart_id)}" class="chart meter" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{esc(label)}</title>",
    ]
    for i, (text, ratio, status, hover) in enumerate(items):
        y = 8 + i * row_h
        out.append(
            f'<g class="meter-row status-{esc(status)}"><title>{esc(hover)}</title>'
            f'<text class="axis-label" x="{x0 - 8}" y="{y + 15}" text-anchor="end">{esc(text)}</text>'
            f'<rect class="track" x="{x0}" y="{y + 3}" width="{x1 - x0}" height="{row_h - 10}"/>'
        )
        if ratio is not None:
            out.append(
                f'<rect class="fill" x="{x0}" y="{y + 3}" width="{num(sx(ratio) - x0)}" height="{row_h - 10}"/>'
                f'<text class="axis-label" x="{num(min(sx(ratio), x1) + 6)}" y="{y + 15}">{ratio:.0%}</text>'
            )
        out.append("</g>")
    out.append(
        f'<line class="target" x1="{num(sx(1.0))}" y1="4" x2="{num(sx(1.0))}" y2="{height - 4}">'
        "<title>target</title></line>"
    )
    out.append("</svg>")
    return "".join(out)
