"""Session-RPE loads on the TRIMP scale (SCIENCE.md, "Formulas"; issue 14).

RPE × minutes (Foster 2001) and Banister TRIMP measure the same session on different
scales (the sample's easy 10 km: 88 TRIMP vs 238 RPE·min), so mixing them in one daily
series distorts the ratios built on it (ACWR, monotony). Before the daily series, every
session-RPE load is multiplied by the athlete's own TRIMP per RPE·min:

- ``paired``: the median of TRIMP ÷ (RPE × minutes) over the sessions that carry both HR
  (TRIMP) and an RPE, once there are ``MIN_PAIRED`` (3) of them;
- ``default``: otherwise ``DEFAULT_TRIMP_PER_RPE_MIN`` = 1/3, a documented constant: an RPE 3
  ("moderate") minute is worth 1.0 TRIMP, the fallback load's easy aerobic minute
  (``FALLBACK_TRIMP_PER_MIN``). On the sample's easy runs the paired value is about 0.37.

Each RPE session records the factor in ``load_scale``; its raw RPE × minutes stays in
``rpe_load``. Applied by ``scale_rpe_loads``, idempotent (the load is recomputed from
``rpe_load`` each time), so cached features can be scaled again.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from cramplog.features.compute import FALLBACK_TRIMP_PER_MIN, SessionFeatures

MIN_PAIRED = 3
DEFAULT_TRIMP_PER_RPE_MIN = FALLBACK_TRIMP_PER_MIN / 3.0


@dataclass
class RpeScale:
    factor: float  # TRIMP per RPE·min
    basis: str  # "paired" or "default"
    paired: int  # sessions with both HR and RPE
    scaled: int  # RPE-load sessions it was applied to

    def note(self) -> str:
        if self.basis == "paired":
            how = f"the median of {self.paired} sessions with both HR and RPE"
        else:
            how = (
                f"a default: only {self.paired} session(s) with both HR and RPE, "
                f"{MIN_PAIRED} needed to measure it"
            )
        return (
            f"{self.scaled} sessions without HR used session-RPE load (RPE × minutes), "
            f"scaled to the TRIMP scale × {self.factor:.2f} ({how})"
        )


def scale_rpe_loads(features: list[SessionFeatures]) -> RpeScale:
    """Put every session-RPE load on the athlete's TRIMP scale (see the module text)."""
    ratios = [
        f.trimp / f.rpe_load
        for f in features
        if f.load_source == "hr" and f.trimp is not None and f.rpe_load
    ]
    if len(ratios) >= MIN_PAIRED:
        factor, basis = float(median(ratios)), "paired"
    else:
        factor, basis = DEFAULT_TRIMP_PER_RPE_MIN, "default"
    scaled = 0
    for f in features:
        if f.load_source == "rpe" and f.rpe_load is not None:
            f.load = f.rpe_load * factor
            f.load_scale = factor
            scaled += 1
    return RpeScale(factor=factor, basis=basis, paired=len(ratios), scaled=scaled)
