"""Deterministic generator of realistic training logs for cramplog.

``write_sample`` writes the bundled ``sample_logs/`` (one runner's season with six
planted episodes, and a small team); ``write_corpus`` writes larger random corpora
for benchmarks; ``write_controls`` three seasons with no planted pattern (false-alarm
controls). Self-contained: imports nothing from the rest of cramplog.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_controls", "write_corpus", "write_sample"]


def write_sample(out_dir: Path) -> list[Path]:
    """Write the bundled sample (``alex/`` and ``team/*``) into out_dir; returns athlete folders."""
    from .athlete import write_athlete
    from .season import alex_spec
    from .team import team_specs

    out_dir = Path(out_dir)
    folders = [write_athlete(alex_spec(), out_dir)]
    for spec in team_specs():
        folders.append(write_athlete(spec, out_dir / "team"))
    return folders


def write_controls(out_dir: Path) -> list[Path]:
    """Write the three false-alarm control seasons (no planted pattern) into out_dir."""
    from .athlete import write_athlete
    from .controls import control_specs

    return [write_athlete(spec, Path(out_dir)) for spec in control_specs()]


def write_corpus(
    out_dir: Path, athletes: int, years: float, seed: int = 0, every_second: bool = False
) -> list[Path]:
    """Write ``athletes`` random runners with ``years`` of training each; returns their folders.
    ``every_second``: record a point every second (~1 M FIT records a year) instead of the
    1-5 s of smart recording (~0.4 M)."""
    from .athlete import write_athlete
    from .corpus import EVERY_SECOND_S, SMART_RECORDING_S, corpus_specs

    out_dir = Path(out_dir)
    rec = EVERY_SECOND_S if every_second else SMART_RECORDING_S
    return [write_athlete(spec, out_dir) for spec in corpus_specs(athletes, years, seed, rec)]
