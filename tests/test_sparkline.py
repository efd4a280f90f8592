"""Terminal sparklines: block heights, gaps, bucketing, and the weekly lines of a report."""

from __future__ import annotations

import math

import pytest
from test_render_html import make_report

from cramplog.render.sparkline import BLOCKS, MIN_WIDTH, sparkline, weekly_sparklines


@pytest.mark.parametrize(
    ("values", "width", "expected"),
    [
        ([], None, ""),
        ([0, 7], None, "▁█"),
        ([0, 1, 2, 3, 4, 5, 6, 7], None, BLOCKS),
        ([1, None, 7], None, "▂ █"),  # the scale starts at 0
        ([None, math.nan, None], None, "   "),
        ([5, 5, 5], None, "███"),
        ([0, 0, 0], None, "▁▁▁"),
        ([-7, 0, 7], None, "▁▅█"),
        ([0, 7, 0, 0], 2, "█▁"),  # each cell keeps the larger value
        ([0, 0, 0, 7, 0, 0], 3, "▁█▁"),
        ([1, 2, 3], 10, "▃▆█"),  # wide enough: one character per value
        ([1, 2, 3], 0, ""),
    ],
)
def test_sparkline(values: list[float | None], width: int | None, expected: str) -> None:
    assert sparkline(values, width) == expected


def test_spike_survives_bucketing() -> None:
    values: list[float | None] = [1.0] * 100
    values[57] = 50.0
    line = sparkline(values, 10)
    assert len(line) == 10 and line.count("█") == 1 and line.index("█") == 5


def test_weekly_sparklines_of_a_report() -> None:
    rep = make_report("Alex", days=120, cramp_days=(61, 89, 104))
    lines = weekly_sparklines(rep)
    assert [line.split()[0] for line in lines[:3]] == ["load/week", "descent/week", "cramps"]
    weeks = len(lines[0].split()[1])
    assert weeks == 17  # sessions 2026-01-06 … 2026-05-03: the weeks of 2026-01-05 … 2026-04-27
    cramp_row = lines[2].split()[1]
    assert cramp_row.count("×") == 3
    # the downhill day (1400 m, week 15) is the descent maximum
    assert lines[1].split()[1][14] == "█"
    assert "max 1,720 m" in lines[1]  # 1400 m + four 80 m runs


def test_weekly_sparklines_fit_the_width() -> None:
    rep = make_report("Alex", days=120)
    for width in (MIN_WIDTH, 45, 60):
        lines = weekly_sparklines(rep, width)
        assert lines and all(len(line) <= width for line in lines), lines
        assert len(lines[0].split()[1]) == min(17, width - 13 - len("  max 1,720 m"))
    assert weekly_sparklines(rep, MIN_WIDTH - 1) == []


def test_weekly_sparklines_without_sessions() -> None:
    rep = make_report("Empty", days=0, cramp_days=(), goal=False)
    assert weekly_sparklines(rep) == []
