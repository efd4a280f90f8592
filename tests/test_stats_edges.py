"""Holm's cap at 1 and the count check: what the mutation run (docs/testing.md) found no
test holding. Values by hand."""

from __future__ import annotations

import pytest

from cramplog.metrics.stats import fisher_exact_greater, holm, relative_risk


def test_holm_caps_at_one() -> None:
    # m = 2: 2 x 0.6 = 1.2 is capped to 1; the next may not fall below it
    assert holm([0.6, 0.7]) == [1.0, 1.0]
    # m = 3, in order 0.04, 0.3, 0.9: 3 x 0.04 = 0.12; 2 x 0.3 = 0.6; 1 x 0.9 = 0.9
    assert holm([0.3, 0.04, 0.9]) == pytest.approx([0.6, 0.12, 0.9])


@pytest.mark.parametrize(
    "counts", [(1.5, 2, 3, 4), (1, 2, 3, 0.5), (-1, 2, 3, 4), (1, 2, -3, 4), (-0.5, 1, 1, 1)]
)
def test_counts_must_be_non_negative_integers(counts: tuple[float, ...]) -> None:
    with pytest.raises(ValueError):
        fisher_exact_greater(*counts)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        relative_risk(*counts)  # type: ignore[arg-type]


def test_whole_floats_are_counts() -> None:
    assert fisher_exact_greater(3.0, 1, 1, 3.0) == pytest.approx(17 / 70)  # type: ignore[arg-type]
