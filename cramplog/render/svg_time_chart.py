"""The time-series panel of the HTML report (``time_chart``): lines, bars and dots on the
athlete's shared date axis, a left and an optional right value axis, shaded bands and the
cramp markers. Hand-written SVG: no dependency, no script, no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cramplog.analysis.weekly import CrampMark, finite
from cramplog.render.svg_axes import (
    MARGIN_B,
    MARGIN_L,
    MARGIN_R,
    MARGIN_T,
    WIDTH,
    DateScale,
    Number,
    YScale,
    esc,
    fmt_tick,
    marker_svg,
    nice_ticks,
    num,
    y_range,
)


@dataclass
class Line:
    name: str
    days: Sequence[date]
    values: Sequence[Number]
    cls: str
    right: bool = False
    dashed: bool = False


@dataclass
class Bars:
    """Bars from ``day`` spanning ``span_days``; ``titles`` become hover text."""

    name: str
    days: Sequence[date]
    values: Sequence[Number]
    cls: str
    span_days: int = 1
    titles: Sequence[str] | None = None
    right: bool = False


@dataclass
class Dots:
    name: str
    days: Sequence[date]
    values: Sequence[Number]
    cls: str
    titles: Sequence[str] | None = None
    right: bool = False
    radius: float = 3.5
    center_span: int = 1  # dot in the middle of a span of days (7 for weekly values)


@dataclass
class Band:
    """A horizontal shaded band on the left axis; ``hi=None`` reaches the top."""

    lo: float
    hi: float | None
    cls: str
    label: str


Layer = Line | Bars | Dots
# Bars narrower than this (a decade of days is 0.2 px a day) cannot be hovered: they are
# drawn as one path with one title instead of a rect and a title each (300 KB a chart).
HOVER_MIN_PX = 2.0


def _bar_path(scale: DateScale, yscale: YScale, layer: Bars, w: float, base: float) -> str:
    d = []
    for day, v in zip(layer.days, layer.values, strict=False):
        val = finite(v)
        if val is None or val == 0.0:
            continue
        yv = yscale.y(val)
        d.append(
            f"M{num(scale.x(day))} {num(min(yv, base))}h{num(w)}v{num(max(abs(base - yv), 0.5))}h-{num(w)}z"
        )
    title = f"{layer.name}: {len(d)} bars, too narrow to point at over this span"
    return f'<path d="{"".join(d)}"><title>{esc(title)}</title></path></g>'


def _line_path(scale: DateScale, ys: YScale, days: Sequence[date], values: Sequence[Number]) -> str:
    parts: list[str] = []
    pen_down = False
    for d, v in zip(days, values, strict=False):
        x = finite(v)
        if x is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{num(scale.x(d, 0.5))} {num(ys.y(x))}")
        pen_down = True
    return "".join(parts)


def time_chart(
    chart_id: str,
    scale_days: tuple[date, date],
    layers: Sequence[Layer],
    *,
    label: str,
    y_label: str = "",
    y2_label: str = "",
    bands: Sequence[Band] = (),
    y_domain: tuple[float, float] | None = None,
    y2_domain: tuple[float, float] | None = None,
    zero_line: bool = False,
    marks: Sequence[CrampMark] = (),
    height: int = 200,
) -> str:
    """One SVG panel on the shared date axis."""
    scale = DateScale(scale_days[0], scale_days[1], MARGIN_L, WIDTH - MARGIN_R)
    top, bottom = MARGIN_T, height - MARGIN_B
    left_vals: list[Number] = []
    right_vals: list[Number] = []
    for layer in layers:
        (right_vals if layer.right else left_vals).extend(layer.values)
    lo, hi = y_domain or y_range(left_vals)
    ys = YScale(lo, hi, bottom, top)
    y2: YScale | None = None
    if any(layer.right for layer in layers):
        lo2, hi2 = y2_domain or y_range(right_vals)
        y2 = YScale(lo2, hi2, bottom, top)
    out = [
        f'<svg id="{esc(chart_id)}" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{esc(label)}</title>",
    ]
    # bands
    for b in bands:
        b_hi = hi if b.hi is None else min(b.hi, hi)
        b_lo = max(b.lo, lo)
        if b_hi <= b_lo:
            continue
        y_top, y_bot = ys.y(b_hi), ys.y(b_lo)
        out.append(
            f'<rect class="band {esc(b.cls)}" x="{num(scale.x0)}" y="{num(y_top)}" '
            f'width="{num(scale.x1 - scale.x0)}" height="{num(y_bot - y_top)}">'
            f"<title>{esc(b.label)}</title></rect>"
        )
    # grid and axes
    out.append('<g class="grid">')
    for t in nice_ticks(lo, hi):
        y = ys.y(t)
        out.append(f'<line x1="{num(scale.x0)}" y1="{num(y)}" x2="{num(scale.x1)}" y2="{num(y)}"/>')
    out.append("</g>")
    out.append('<g class="axis">')
    for t in nice_ticks(lo, hi):
        out.append(
            f'<text x="{num(scale.x0 - 6)}" y="{num(ys.y(t) + 4)}" text-anchor="end">{fmt_tick(t)}</text>'
        )
    if y2 is not None:
        for t in nice_ticks(y2.lo, y2.hi):
            out.append(f'<text x="{num(scale.x1 + 6)}" y="{num(y2.y(t) + 4)}">{fmt_tick(t)}</text>')
    for d, text in scale.ticks():
        x = scale.x(d)
        out.append(f'<line x1="{num(x)}" y1="{num(bottom)}" x2="{num(x)}" y2="{num(bottom + 4)}"/>')
        out.append(
            f'<text x="{num(x)}" y="{num(bottom + 16)}" text-anchor="middle">{esc(text)}</text>'
        )
    out.append(
        f'<line x1="{num(scale.x0)}" y1="{num(bottom)}" x2="{num(scale.x1)}" y2="{num(bottom)}"/>'
    )
    if y_label:
        out.append(f'<text class="unit" x="4" y="{top - 12}">{esc(y_label)}</text>')
    if y2_label and y2 is not None:
        out.append(
            f'<text class="unit" x="{WIDTH - 4}" y="{top - 12}" text-anchor="end">{esc(y2_label)}</text>'
        )
    out.append("</g>")
    if zero_line and lo < 0 < hi:
        out.append(
            f'<line class="zero" x1="{num(scale.x0)}" y1="{num(ys.y(0))}" x2="{num(scale.x1)}" y2="{num(ys.y(0))}"/>'
        )
    # data
    for layer in layers:
        yscale = y2 if (layer.right and y2 is not None) else ys
        cls = esc(layer.cls)
        if isinstance(layer, Line):
            path = _line_path(scale, yscale, layer.days, layer.values)
            dash = " dashed" if layer.dashed else ""
            out.append(
                f'<path class="series line {cls}{dash}" data-series="{esc(layer.name)}" d="{path}">'
                f"<title>{esc(layer.name)}</title></path>"
            )
        elif isinstance(layer, Bars):
            out.append(f'<g class="series bars {cls}" data-series="{esc(layer.name)}">')
            w = max(
                0.6, scale.day_width() * layer.span_days - (1.5 if layer.span_days > 1 else 0.2)
            )
            base = yscale.y(max(yscale.lo, 0.0))
            if scale.day_width() * layer.span_days < HOVER_MIN_PX:
                out.append(_bar_path(scale, yscale, layer, w, base))
                continue
            for i, (d, v) in enumerate(zip(layer.days, layer.values, strict=False)):
                val = finite(v)
                if val is None or val == 0.0:
                    continue
                yv = yscale.y(val)
                y_top, h = min(yv, base), abs(base - yv)
                title = (
                    layer.titles[i]
                    if layer.titles
                    else f"{d.isoformat()}: {fmt_tick(round(val, 1))}"
                )
                out.append(
                    f'<rect x="{num(scale.x(d))}" y="{num(y_top)}" width="{num(w)}" '
                    f'height="{num(max(h, 0.5))}"><title>{esc(title)}</title></rect>'
                )
            out.append("</g>")
        else:
            out.append(f'<g class="series dots {cls}" data-series="{esc(layer.name)}">')
            for i, (d, v) in enumerate(zip(layer.days, layer.values, strict=False)):
                val = finite(v)
                if val is None:
                    continue
                title = (
                    layer.titles[i]
                    if layer.titles
                    else f"{d.isoformat()}: {fmt_tick(round(val, 1))}"
                )
                cx = scale.x(d, layer.center_span / 2)
                out.append(
                    f'<circle cx="{num(cx)}" cy="{num(yscale.y(val))}" r="{num(layer.radius)}">'
                    f"<title>{esc(title)}</title></circle>"
                )
            out.append("</g>")
    out.extend(marker_svg(scale, top, bottom, marks))
    out.append("</svg>")
    return "".join(out)
