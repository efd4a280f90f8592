"""Small exact statistics for personal cramp associations: Fisher exact, relative risk, Holm.

The 2x2 table is ``[[a, b], [c, d]]``: ``a`` exposed cases, ``b`` unexposed cases,
``c`` exposed controls, ``d`` unexposed controls.
"""

from __future__ import annotations

from fractions import Fraction
from math import comb


def _check(*counts: int) -> None:
    for n in counts:
        if int(n) != n or n < 0:
            raise ValueError(f"counts must be non-negative integers, got {counts}")


def fisher_exact_greater(a: int, b: int, c: int, d: int) -> float:
    """One-sided Fisher exact p-value: P(X >= a) under the hypergeometric null.

    X is the number of exposed cases given the table's margins (the alternative is that
    exposure is more common among cases: odds ratio > 1). Exact rational arithmetic.
    """
    _check(a, b, c, d)
    a, b, c, d = int(a), int(b), int(c), int(d)
    cases, exposed, total = a + b, a + c, a + b + c + d
    if total == 0:
        return 1.0
    hi = min(cases, exposed)
    num = sum(comb(exposed, x) * comb(total - exposed, cases - x) for x in range(a, hi + 1))
    return float(Fraction(num, comb(total, cases)))


def relative_risk(a: int, b: int, c: int, d: int, correction: float = 0.5) -> float:
    """Risk of being a case among exposed ÷ among unexposed sessions, 0.5 added to each cell.

    Risk among exposed = a / (a + c); among unexposed = b / (b + d). The continuity
    correction keeps the ratio finite when a cell is zero.
    """
    _check(a, b, c, d)
    k = correction
    exposed = (a + k) / (a + c + 2 * k)
    unexposed = (b + k) / (b + d + 2 * k)
    return exposed / unexposed


def holm(p_values: list[float]) -> list[float]:
    """Holm step-down adjusted p-values, in the input order (monotone, capped at 1)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        out[i] = running
    return out
