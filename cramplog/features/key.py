"""The key session features are cached under, and the HR bounds they are computed with.

``"{FEATURES_VERSION}:{digest}"``: the digest covers the profile fields that change features
(sex, HR max and rest, time zone, thresholds) and the HR bounds actually used, rounded to
whole bpm so an estimate that moves by a fraction of a beat does not throw the cache away.
Kept apart from ``features`` (numpy) so the warm path and the importer can use it cheaply.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cramplog.features.compute import HrBounds
    from cramplog.model import Profile


def profile_digest(profile: Profile, hr: HrBounds) -> str:
    """A short digest of everything outside the session itself that features depend on."""
    doc = {
        "sex": profile.sex,
        "hr_max": profile.hr_max,
        "hr_rest": profile.hr_rest,
        "timezone": profile.timezone,
        "thresholds": profile.thresholds,
        "hr_used": [hr.hr_max, hr.hr_rest],
    }
    text = json.dumps(doc, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def features_key(profile: Profile, hr: HrBounds) -> str:
    from cramplog.features.compute import FEATURES_VERSION

    return f"{FEATURES_VERSION}:{profile_digest(profile, hr)}"


def rounded_bounds(hr: HrBounds) -> HrBounds:
    """The bounds with whole-bpm values: what features are computed with and keyed on."""
    from cramplog.features.compute import HrBounds

    def r(x: float | None) -> float | None:
        return None if x is None or not math.isfinite(x) else float(round(x))

    return HrBounds(
        hr_max=r(hr.hr_max), hr_rest=r(hr.hr_rest), estimated=hr.estimated, note=hr.note
    )
