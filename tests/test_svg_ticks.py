"""Date ticks of the HTML report's time axes read at any span (issue 17): weeks for a month,
months for a year, years for a decade, and never labels closer than a label is wide."""

from __future__ import annotations

from datetime import date

import pytest

from cramplog.render.svg_axes import MARGIN_L, MARGIN_R, WIDTH, DateScale

# a label such as "Sep 2027" in the report's 11 px sans-serif is ~46 px wide
LABEL_PX = 46


def _scale(first: date, last: date) -> DateScale:
    return DateScale(first, last, MARGIN_L, WIDTH - MARGIN_R)


def test_one_month_gets_weekly_ticks_on_mondays() -> None:
    # 1 March 2026 is a Sunday, so the Mondays are the 2nd, 9th, 16th, 23rd and 30th
    ticks = _scale(date(2026, 3, 1), date(2026, 3, 31)).ticks()
    assert [d for d, _ in ticks] == [date(2026, 3, k) for k in (2, 9, 16, 23, 30)]
    assert ticks[0][1] == "02 Mar"


def test_one_year_gets_monthly_ticks() -> None:
    ticks = _scale(date(2026, 1, 1), date(2026, 12, 31)).ticks()
    assert [d for d, _ in ticks] == [date(2026, m, 1) for m in range(1, 13)]
    assert [t for _, t in ticks][:3] == ["Jan 2026", "Feb", "Mar"]


def test_ten_years_get_yearly_ticks() -> None:
    ticks = _scale(date(2025, 1, 6), date(2035, 1, 5)).ticks()
    assert ticks == [(date(y, 1, 1), str(y)) for y in range(2026, 2036)]


def test_two_and_a_half_years_get_quarters() -> None:
    ticks = _scale(date(2024, 2, 10), date(2026, 8, 20)).ticks()
    days = [d for d, _ in ticks]
    assert days[0] == date(2024, 4, 1) and days[-1] == date(2026, 7, 1)
    assert {d.month for d in days} == {1, 4, 7, 10}
    assert len(days) == 10


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2026, 3, 1), date(2026, 3, 31)),
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2025, 1, 6), date(2026, 7, 1)),
        (date(2019, 5, 1), date(2025, 12, 1)),  # the 6.6 years
        (date(2025, 1, 6), date(2035, 1, 5)),
        (date(1990, 1, 1), date(2030, 12, 31)),
    ],
)
def test_labels_never_collide(first: date, last: date) -> None:
    sc = _scale(first, last)
    xs = [sc.x(d) for d, _ in sc.ticks()]
    assert len(xs) >= 2
    assert all(sc.x0 <= x <= sc.x1 for x in xs)
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    assert min(gaps) >= LABEL_PX
