"""Claims the tool makes about its evidence (issue 14, point 8)."""

from __future__ import annotations

from pathlib import Path

from cramplog.rules import RULES


def test_cr10_grade_is_weak() -> None:
    # the cohort data (de Jager, MacMillan 2024) is about race distance across runners,
    # nothing about duration relative to one's own longest: weak, not moderate
    assert RULES["CR10"].grade == "weak"


def test_acwr_band_is_not_called_a_sweet_spot() -> None:
    src = "".join(
        p.read_text() for p in (Path(__file__).parents[1] / "cramplog" / "render").glob("*.py")
    )
    assert "usual 'sweet spot'" not in src
    assert "contested band from team-sport injury data" in src
