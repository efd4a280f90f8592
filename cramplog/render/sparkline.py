"""Terminal sparklines: a season of weekly load and descent in one line each.

``sparkline([1, 5, None, 8])`` → ``"▁▅ █"``: eight block heights, ``None`` (or NaN) is a
space, the scale runs from 0 (or the lowest value when some are negative) to the highest.
With ``width`` smaller than the number of values, consecutive values are merged into
``width`` cells and each cell shows the largest of its values, so a one-week spike never
disappears from a long season.

``weekly_sparklines(report)`` gives ready-made, labelled lines for an athlete's report
(weekly load, weekly descent, and a row marking the weeks with a logged cramp); the table
renderer prints them under the findings table when the console is wide enough.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

BLOCKS = "▁▂▃▄▅▆▇█"
LABEL_WIDTH = 13
MIN_CELLS = 8
# Narrower than this (label and the "max …" tail included) and weekly_sparklines gives up.
MIN_WIDTH = LABEL_WIDTH + MIN_CELLS + 16


def _clean(v: float | None) -> float | None:
    if v is None:
        return None
    x = float(v)
    return x if math.isfinite(x) else None


def _bucket(values: list[float | None], width: int) -> list[float | None]:
    """Merge ``values`` into ``width`` cells (largest value of each; None when all missing)."""
    n = len(values)
    out: list[float | None] = []
    for i in range(width):
        lo, hi = (i * n) // width, ((i + 1) * n) // width
        cell = [v for v in values[lo:hi] if v is not None]
        out.append(max(cell) if cell else None)
    return out


def sparkline(values: Sequence[float | None], width: int | None = None) -> str:
    """One character per value (or per cell of merged values when ``width`` is smaller)."""
    clean = [_clean(v) for v in values]
    if width is not None:
        if width <= 0:
            return ""
        if len(clean) > width:
            clean = _bucket(clean, width)
    present = [v for v in clean if v is not None]
    if not present:
        return " " * len(clean)
    lo = min(0.0, min(present))
    hi = max(present)
    span = hi - lo
    chars = []
    for v in clean:
        if v is None:
            chars.append(" ")
        elif span <= 0:
            chars.append(BLOCKS[0])
        else:
            chars.append(BLOCKS[round((v - lo) / span * (len(BLOCKS) - 1))])
    return "".join(chars)


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:,.0f}"


def weekly_sparklines(report: Any, width: int | None = None) -> list[str]:
    """Labelled lines for the terminal: weekly load, weekly descent, weeks with a cramp.

    ``width`` is the whole line's budget in characters (label and the trailing maximum
    included); ``None`` means one character per week. Returns ``[]`` when there are no
    sessions or the width is too small to be useful.
    """
    from cramplog.analysis.weekly import weekly_series

    series = weekly_series(report)
    return [] if series is None else sparkline_lines(series, width)


def sparkline_lines(series: dict[str, Any], width: int | None = None) -> list[str]:
    """The lines of ``weekly_sparklines`` from ``cramplog.analysis.weekly.weekly_series`` data."""
    load = list(series["load"])
    descent = list(series["descent_m"])
    cramp_weeks = [float(c) for c in series["cramps"]]
    max_load = max((v for v in load if v is not None), default=None)
    max_desc = max((v for v in descent if v is not None), default=None)
    tails = (f"  max {_fmt(max_load)}", f"  max {_fmt(max_desc)} m")
    cells: int | None = None
    if width is not None:
        cells = width - LABEL_WIDTH - max(len(t) for t in tails)
        if width < MIN_WIDTH or cells < MIN_CELLS:
            return []
    load_line = sparkline(load, cells)
    descent_line = sparkline(descent, cells)
    n = len(load_line)
    marks = _bucket([c or None for c in cramp_weeks], n) if len(cramp_weeks) > n else cramp_weeks
    cramp_line = "".join("×" if m else "·" for m in marks)
    lines = [
        f"{'load/week':<{LABEL_WIDTH}}{load_line}{tails[0]}",
        f"{'descent/week':<{LABEL_WIDTH}}{descent_line}{tails[1]}",
    ]
    if any(cramp_weeks):
        lines.append(f"{'cramps':<{LABEL_WIDTH}}{cramp_line}")
    span = f"{'':<{LABEL_WIDTH}}weeks from {series['first_week']}"
    if width is None or len(span) <= width:
        lines.append(span)
    return lines
