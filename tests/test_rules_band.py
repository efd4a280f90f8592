"""``band``: a value against a rule's caution and warning thresholds, at the boundaries.

SCIENCE.md writes most bands as "caution ≥ x, warning ≥ y" (at the threshold counts); CR01
and the ratio rules use "above" (``strict``): at the threshold does not count. Found by the
mutation run (docs/testing.md): no test held a value exactly at a threshold, or a missing
or infinite one.
"""

from __future__ import annotations

import math

import pytest

from cramplog.rules.base import band


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.99, None),
        (1.0, "caution"),  # at the caution threshold
        (1.49, "caution"),
        (1.5, "warning"),  # at the warning threshold
        (7.0, "warning"),
    ],
)
def test_at_or_above(value: float, expected: str | None) -> None:
    assert band(value, 1.0, 1.5) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, None),  # at the caution threshold: not above it
        (1.0001, "caution"),
        (1.5, "caution"),  # at the warning threshold: still a caution
        (1.5001, "warning"),
    ],
)
def test_strictly_above(value: float, expected: str | None) -> None:
    assert band(value, 1.0, 1.5, strict=True) == expected


@pytest.mark.parametrize("value", [None, math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("strict", [False, True])
def test_no_band_without_a_finite_value(value: float | None, strict: bool) -> None:
    """A missing, NaN or infinite ratio (a zero baseline) is no finding, never a warning."""
    assert band(value, 1.0, 1.5, strict=strict) is None
