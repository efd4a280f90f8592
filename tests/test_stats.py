"""Fisher exact (one-sided), relative risk with continuity correction, Holm."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import fisher_exact

from cramplog.metrics.stats import fisher_exact_greater, holm, relative_risk


def test_tea_tasting_textbook() -> None:
    # Fisher's lady tasting tea: 3 of 4 right, one-sided p = 17/70
    assert fisher_exact_greater(3, 1, 1, 3) == pytest.approx(17 / 70)
    assert fisher_exact_greater(4, 0, 0, 4) == pytest.approx(1 / 70)


def test_known_small_tables() -> None:
    assert fisher_exact_greater(0, 5, 3, 10) == 1.0  # P(X ≥ 0) is 1
    assert fisher_exact_greater(0, 0, 0, 0) == 1.0
    # 5 of 5 cases exposed, 2 of 20 controls: C(7,5)/C(25,5) = 21/53130
    assert fisher_exact_greater(5, 0, 2, 18) == pytest.approx(21 / 53130)


counts = st.integers(min_value=0, max_value=40)


@settings(max_examples=300, deadline=None)
@given(counts, counts, counts, counts)
def test_matches_scipy(a: int, b: int, c: int, d: int) -> None:
    expected = fisher_exact([[a, b], [c, d]], alternative="greater")[1]
    assert fisher_exact_greater(a, b, c, d) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_relative_risk_with_correction() -> None:
    assert relative_risk(5, 0, 2, 18) == pytest.approx((5.5 / 8) / (0.5 / 19))
    assert relative_risk(10, 10, 10, 10) == pytest.approx(1.0)
    assert relative_risk(3, 1, 1, 3, correction=0.0) == pytest.approx((3 / 4) / (1 / 4))


def test_holm_hand_values() -> None:
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert holm([]) == []


def test_rejects_bad_counts() -> None:
    with pytest.raises(ValueError):
        fisher_exact_greater(-1, 2, 3, 4)
