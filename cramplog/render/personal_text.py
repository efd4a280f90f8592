"""The words over the personal associations table, shared by every human format.

Counts come first: a relative risk resting on fewer than two exposed cramp sessions is shown
as "–" (``rr_shown`` false), and the heading never suggests that a pattern went with the
cramps "more often than chance" when nothing survives Holm's correction (issue 14).
"""

from __future__ import annotations

from typing import Any


def survivors(personal: dict[str, Any]) -> int:
    """Associations whose Holm-corrected p is below 0.05."""
    if "survive_holm" in personal:
        return int(personal["survive_holm"])
    return sum(a.get("p_holm", 1.0) < 0.05 for a in personal.get("associations", []))


def holm_verdict(personal: dict[str, Any]) -> str:
    """ "none survive correction (Holm)", or how many do."""
    n = survivors(personal)
    if n == 0:
        return "none survive correction (Holm)"
    return f"{n} survive{'s' if n == 1 else ''} correction (Holm)"


def personal_intro(personal: dict[str, Any]) -> str:
    return f"hypotheses, not causes; {holm_verdict(personal)}"


def rr_text(a: dict[str, Any]) -> str:
    """The relative risk, or "–" when it rests on fewer than two exposed cramp sessions."""
    if not a.get("rr_shown", True):
        return "–"
    return f"{a['relative_risk']:.1f}"


def personal_sentence(personal: dict[str, Any]) -> str:
    """The markdown line over the table."""
    return (
        f"Hypotheses from few events, not causes; {holm_verdict(personal)} "
        "for the number of patterns tested."
    )
