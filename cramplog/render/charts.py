"""Inline SVG charts for the HTML report, hand-written: no dependency, no script, no network.

Every chart of one athlete shares one date axis (``DateScale``) so the panels line up
vertically and a cramp marker sits at the same x in each of them. Colours come from CSS
classes (see ``html_template.CSS``), so the SVG itself only carries geometry. Every text
that reaches the SVG goes through ``esc`` (athlete names, titles and notes come from files
users send). Hover text is an SVG ``<title>`` child, which every browser shows as a tooltip.

The module also holds the small data helpers the charts and the terminal sparklines share:
weekly totals from the per-session features, and the cramp events of a report.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

Number = float | int | None


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def num(x: float) -> str:
    """Compact SVG coordinate."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def finite(v: Any) -> float | None:
    if v is None:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


# ---------------------------------------------------------------- data helpers


@dataclass
class Week:
    """Totals of one Monday-to-Sunday week (local days)."""

    start: date
    end: date
    sessions: int = 0
    km: float = 0.0
    longest_km: float | None = None
    descent_m: float = 0.0
    e10_km: float = 0.0
    load: float = 0.0
    heat_sessions: int = 0
    max_temp_c: float | None = None


RUN_FAMILY = "running"
FOOT_FAMILIES = frozenset({"running", "hiking", "walking"})


def report_features(report: Any) -> list[Any]:
    """The report's per-session features (``session_features``), sorted by start."""
    feats = list(getattr(report, "session_features", None) or [])
    return sorted(feats, key=lambda f: (f.local_date, getattr(f, "start", None) or f.local_date))


def is_heat(f: Any, heat_c: float | None = None) -> bool:
    from cramplog.metrics.daily import is_heat_session

    return bool(is_heat_session(f, heat_c if heat_c is not None else getattr(f, "heat_c", 25.0)))


def weekly_totals(features: Iterable[Any], first: date | None, last: date | None) -> list[Week]:
    """One ``Week`` per calendar week from the week of ``first`` to the week of ``last``."""
    feats = list(features)
    if first is None or last is None:
        if not feats:
            return []
        first = first or min(f.local_date for f in feats)
        last = last or max(f.local_date for f in feats)
    start = first - timedelta(days=first.weekday())
    weeks: list[Week] = []
    d = start
    while d <= last:
        weeks.append(Week(start=d, end=d + timedelta(days=6)))
        d += timedelta(days=7)
    for f in feats:
        i = (f.local_date - start).days // 7
        if i < 0 or i >= len(weeks):
            continue
        w = weeks[i]
        w.sessions += 1
        w.load += max(0.0, finite(f.load) or 0.0)
        km = finite(f.distance_m)
        if f.family == RUN_FAMILY and km is not None:
            w.km += km / 1000.0
            w.longest_km = max(w.longest_km or 0.0, km / 1000.0)
        if f.family in FOOT_FAMILIES:
            w.descent_m += finite(f.descent_m) or 0.0
            w.e10_km += finite(f.e10_km) or 0.0
        if is_heat(f):
            w.heat_sessions += 1
        t = finite(f.temp_max_c)
        if t is not None:
            w.max_temp_c = t if w.max_temp_c is None else max(w.max_temp_c, t)
    return weeks


@dataclass
class CrampMark:
    """One logged cramp as the charts need it: its local day and a one-line description."""

    day: date
    label: str
    event: Any
    context: Any = None
    findings: list[Any] = field(default_factory=list)


def _cramp_event(ctx: Any) -> Any:
    for attr in ("event", "cramp"):
        ev = getattr(ctx, attr, None)
        if ev is not None:
            return ev
    return ctx


def cramp_label(ev: Any) -> str:
    parts = [str(getattr(ev, "muscle", None) or "cramp").replace("_", " ")]
    side = getattr(ev, "side", None)
    if side:
        parts.append(str(side))
    sev = getattr(ev, "severity", None)
    if sev is not None:
        parts.append(f"severity {sev}")
    timing = getattr(ev, "timing", None)
    if timing:
        parts.append(str(timing))
    return ", ".join(parts)


def cramp_marks(report: Any) -> list[CrampMark]:
    """The report's cramps (``CrampContext`` items, or bare ``CrampEvent``s), by day."""
    out = []
    for ctx in getattr(report, "cramps", None) or []:
        ev = _cramp_event(ctx)
        day = getattr(ctx, "local_date", None) or getattr(ctx, "date", None)
        if not isinstance(day, date) or isinstance(day, datetime):
            when = getattr(ev, "when", None)
            if isinstance(when, datetime):
                day = when.date()
            elif isinstance(day, datetime):
                day = day.date()
            else:
                continue
        found = list(getattr(ctx, "findings", None) or [])
        out.append(CrampMark(day, cramp_label(ev), ev, ctx, found))
    out.sort(key=lambda m: m.day)
    return out


def cramp_days(report: Any) -> list[date]:
    return [m.day for m in cramp_marks(report)]


# ---------------------------------------------------------------- scales


def nice_ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    """Round tick values covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    t = first
    while t <= hi + step * 1e-6:
        ticks.append(round(t, 10))
        t += step
    return ticks


@dataclass
class DateScale:
    """Days → x pixels; a day occupies [x(day), x(day + 1)]."""

    first: date
    last: date
    x0: float
    x1: float

    @property
    def days(self) -> int:
        return max(1, (self.last - self.first).days + 1)

    def x(self, day: date, frac: float = 0.0) -> float:
        return self.x0 + ((day - self.first).days + frac) * (self.x1 - self.x0) / self.days

    def day_width(self) -> float:
        return (self.x1 - self.x0) / self.days

    def ticks(self) -> list[tuple[date, str]]:
        out: list[tuple[date, str]] = []
        if self.days > 75:
            d = date(self.first.year, self.first.month, 1)
            while d <= self.last:
                if d >= self.first:
                    out.append(
                        (d, d.strftime("%b %Y") if d.month == 1 or not out else d.strftime("%b"))
                    )
                d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            return out
        d = self.first + timedelta(days=(7 - self.first.weekday()) % 7)
        while d <= self.last:
            out.append((d, d.strftime("%d %b")))
            d += timedelta(days=7)
        return out


@dataclass
class YScale:
    lo: float
    hi: float
    y0: float  # pixel of lo (bottom)
    y1: float  # pixel of hi (top)

    def y(self, v: float) -> float:
        if self.hi == self.lo:
            return self.y0
        v = min(max(v, self.lo), self.hi)
        return self.y0 + (v - self.lo) * (self.y1 - self.y0) / (self.hi - self.lo)


def y_range(
    values: Iterable[Number], *, floor: float | None = 0.0, pad: float = 0.08
) -> tuple[float, float]:
    vals = [x for x in (finite(v) for v in values) if x is not None]
    if not vals:
        return (0.0, 1.0)
    lo, hi = min(vals), max(vals)
    if floor is not None:
        lo = min(lo, floor)
    if hi == lo:
        hi = lo + 1.0
    hi += (hi - lo) * pad
    if lo < 0:
        lo -= (hi - lo) * pad
    ticks = nice_ticks(lo, hi)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    return (math.floor(lo / step) * step if lo < 0 else lo, math.ceil(hi / step - 1e-9) * step)


# ---------------------------------------------------------------- layers


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

WIDTH = 960
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 58, 58, 26, 28


def _fmt_tick(v: float) -> str:
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if v == int(v):
        return str(int(v))
    return f"{v:.2f}".rstrip("0").rstrip(".")


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


def _marker_svg(
    scale: DateScale, top: float, bottom: float, marks: Sequence[CrampMark]
) -> list[str]:
    out = ['<g class="cramp-markers">']
    for m in marks:
        if not (scale.first <= m.day <= scale.last):
            continue
        x = scale.x(m.day, 0.5)
        title = esc(f"Cramp {m.day.isoformat()}: {m.label}")
        out.append(
            f'<g class="cramp-marker" data-date="{m.day.isoformat()}"><title>{title}</title>'
            f'<line x1="{num(x)}" y1="{num(top)}" x2="{num(x)}" y2="{num(bottom)}"/>'
            f'<path d="M{num(x - 5)} {num(top - 9)}h10l-5 9z"/></g>'
        )
    out.append("</g>")
    return out


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
            f'<text x="{num(scale.x0 - 6)}" y="{num(ys.y(t) + 4)}" text-anchor="end">{_fmt_tick(t)}</text>'
        )
    if y2 is not None:
        for t in nice_ticks(y2.lo, y2.hi):
            out.append(
                f'<text x="{num(scale.x1 + 6)}" y="{num(y2.y(t) + 4)}">{_fmt_tick(t)}</text>'
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
            for i, (d, v) in enumerate(zip(layer.days, layer.values, strict=False)):
                val = finite(v)
                if val is None or val == 0.0:
                    continue
                yv = yscale.y(val)
                y_top, h = min(yv, base), abs(base - yv)
                title = (
                    layer.titles[i]
                    if layer.titles
                    else f"{d.isoformat()}: {_fmt_tick(round(val, 1))}"
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
                    else f"{d.isoformat()}: {_fmt_tick(round(val, 1))}"
                )
                cx = scale.x(d, layer.center_span / 2)
                out.append(
                    f'<circle cx="{num(cx)}" cy="{num(yscale.y(val))}" r="{num(layer.radius)}">'
                    f"<title>{esc(title)}</title></circle>"
                )
            out.append("</g>")
    out.extend(_marker_svg(scale, top, bottom, marks))
    out.append("</svg>")
    return "".join(out)


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
    out.extend(_marker_svg(scale, top, bottom, marks))
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
