"""The shared geometry of the HTML report's inline SVG charts: escaping, coordinates, the
date axis every panel of one athlete shares (``DateScale``, so the panels line up and a cramp
marker sits at the same x in each), value axes and their round ticks, and the cramp markers.

Every text that reaches the SVG goes through ``esc`` (athlete names, titles and notes come
from files users send). Hover text is an SVG ``<title>`` child, which every browser shows as
a tooltip. Colours come from CSS classes (see ``html_template.CSS``).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from cramplog.analysis.weekly import CrampMark, finite

Number = float | int | None


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def num(x: float) -> str:
    """Compact SVG coordinate."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


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
        """Date ticks and labels at a step picked from the span: weeks up to ~10 weeks, then
        the smallest of 1, 3, 6, 12, 24 or 60 months that keeps the labels ``TICK_PX`` apart
        (a decade gets one label a year, not 120 that run into each other)."""
        if self.days <= 75:
            d = self.first + timedelta(days=(7 - self.first.weekday()) % 7)
            out: list[tuple[date, str]] = []
            while d <= self.last:
                out.append((d, d.strftime("%d %b")))
                d += timedelta(days=7)
            return out
        fits = max(2, int((self.x1 - self.x0) // TICK_PX))
        months = next((m for m in TICK_MONTHS if self.days / (365.25 / 12) / m <= fits), 120)
        return month_ticks(self.first, self.last, months)


TICK_PX = 56  # the width a "Sep 2027" label needs, with a gap
TICK_MONTHS = (1, 3, 6, 12, 24, 60)


def month_ticks(first: date, last: date, months: int) -> list[tuple[date, str]]:
    """First days of months in [first, last] whose month index is a multiple of ``months``
    (quarters start in January, April, ...; years step on years divisible by the step)."""
    out: list[tuple[date, str]] = []
    d = date(first.year, first.month, 1)
    while d <= last:
        index = d.year * 12 + d.month - 1
        if d >= first and index % months == 0:
            if months >= 12:
                label = d.strftime("%Y")
            else:
                label = d.strftime("%b %Y") if d.month == 1 or not out else d.strftime("%b")
            out.append((d, label))
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
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


WIDTH = 960
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 58, 58, 26, 28


def fmt_tick(v: float) -> str:
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if v == int(v):
        return str(int(v))
    return f"{v:.2f}".rstrip("0").rstrip(".")


def marker_svg(
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
