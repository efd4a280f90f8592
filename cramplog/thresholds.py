"""Rule thresholds: the defaults of SCIENCE.md and the athlete's overrides merged over them.

``athlete.toml`` may carry a ``[thresholds]`` table in either of two shapes, mixed freely::

    [thresholds]
    "CR01.warning" = 1.3          # dotted key
    CR07 = { caution_c = 26 }     # nested table
    heat_c = 26                   # the heat threshold used by features, CR07 and CR11

Keys are case-insensitive for the rule id (``cr01.warning`` works). Unknown rules or keys
raise ``InputError`` so a typo never silently leaves a default in place.
"""

from __future__ import annotations

import math
from typing import Any

from cramplog.errors import InputError

# Values marked "design" in comments are our choices, not published values (SCIENCE.md).
DEFAULTS: dict[str, dict[str, float]] = {
    "general": {
        "heat_c": 25.0,  # ambient temperature counted as heat (SCIENCE.md CR07, configurable)
        "min_prior_sessions": 3.0,  # design: comparisons with the athlete's past need this many
        # design: session-vs-history rules stay silent until the log covers this many days
        # (a first import starts mid-training; the days before it are unknown, not rest)
        "min_history_days": 28.0,
    },
    "CR01": {"caution": 1.10, "warning": 1.30, "high": 2.00, "window_days": 30.0},
    "CR02": {
        "caution": 1.3,
        "warning": 1.5,
        "silent_days": 28.0,
        # design (personal baseline): the athlete's usual chronic load is this percentile
        # of their chronic load over the previous year ...
        "usual_window_days": 365.0,
        "usual_quantile": 75.0,
        # ... no ratio while the chronic load is below this fraction of it (a return) ...
        "negligible_fraction": 0.25,
        # ... and no flag while the acute load stays at or below usual × this (back to
        # routine after a lighter spell, e.g. a rebuild, is not a spike). Both 0: no
        # baseline (the literature's band alone)
        "acute_over_usual": 1.15,
    },
    "CR03": {
        "caution": 1.5,
        "warning": 2.0,
        "cap": 10.0,
        # design (personal baseline): monotony must also be ≥ this × the athlete's median
        # monotony of the previous weeks and above its monotony_quantile-th percentile, or
        # come with rising load: a 7-day load (and so strain) ≥ load_over_usual × their
        # median 7-day load. monotony_over_usual = 0: no baseline (Foster's band alone)
        "baseline_days": 84.0,
        "min_baseline_days": 28.0,
        "monotony_over_usual": 1.5,
        "monotony_quantile": 90.0,
        "load_over_usual": 1.3,
    },
    "CR04": {
        "caution_pct": 3.0,
        "warning_pct": 6.0,
        "window_days": 84.0,
        "min_prior": 4.0,
        "duration_tolerance": 0.25,
        "riegel_exponent": 1.06,
        "min_session_km": 1.0,  # design: Riegel from sessions under 1 km is not used
        # like with like (issue 14): ITRA km-effort, 100 m up = 1 km flat
        "effort_m_per_m_ascent": 10.0,
        "trail_m_per_km": 20.0,  # design: ≥ 20 m of climb per km is trail terrain
        "race_window_days": 365.0,  # design: earlier races predict a race from this far back
    },
    "CR05": {
        "caution_ratio": 0.75,
        "warning_ratio": 0.6,
        "long_fraction": 0.6,
        "long_km_marathon": 28.0,
        "min_long_runs": 3.0,
        "window_days": 70.0,
        "no_goal_ratio": 1.5,
        "no_goal_window_days": 42.0,
    },
    "CR06": {
        "ratio": 1.5,
        "window_days": 42.0,
        "floor_descent_m": 300.0,
        "floor_e10_km": 1.0,
        "min_le10": 5.0,
        "goal_heavy_m_per_km": 15.0,  # design: what counts as a downhill-heavy goal course
    },
    "CR07": {
        "caution_c": 25.0,
        "warning_c": 28.0,
        "min_sessions": 5.0,
        "window_days": 14.0,
        "session_min": 60.0,
        "decay_per_day": 0.025,
    },
    "CR08": {
        "gap_days": 3.0,
        "ctl_fraction": 0.9,
        "peak_window_days": 90.0,
        "frequency_drop": 0.5,
        "taper_days": 14.0,
        "warmup_days": 42.0,  # design: CTL is seeded from the mean load of these first days
        # design (personal baseline): a gap must be longer than this percentile of the
        # athlete's own rest runs over the previous weeks ...
        "usual_rest_quantile": 90.0,
        "usual_rest_window_days": 84.0,
        "break_days": 14.0,  # ... and no longer than this: a longer gap is a break
        # (usual_rest_window_days = 0: no usual-rest baseline)
    },
    "CR09": {"window_days": 7.0},
    "CR10": {"caution": 1.2, "warning": 1.5, "window_days": 182.0},
    "CR11": {"hours": 4.0, "hot_hours": 2.0},
}


def _put(out: dict[str, dict[str, float]], rule: str, key: str, value: Any, seen: set[str]) -> None:
    rule_id = rule.upper() if rule.lower().startswith("cr") else rule.lower()
    if rule_id not in out:
        if rule.lower() in DEFAULTS["general"] and key == "":
            rule_id, key = "general", rule.lower()
        else:
            raise InputError(f"unknown threshold {rule!r} (rules are CR01..CR11, or heat_c)")
    if key not in out[rule_id]:
        known = ", ".join(sorted(out[rule_id]))
        raise InputError(f"unknown threshold key {rule_id}.{key} (known: {known})")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"threshold {rule_id}.{key} must be a number, got {value!r}")
    out[rule_id][key] = float(value)
    seen.add(f"{rule_id}.{key}")


def merge(overrides: dict[str, Any] | None) -> dict[str, dict[str, float]]:
    """Defaults with ``overrides`` (dotted or nested keys) merged over them; a fresh copy."""
    out = {rule: dict(values) for rule, values in DEFAULTS.items()}  # numbers: two levels
    seen: set[str] = set()
    for k, v in (overrides or {}).items():
        key = str(k)
        if isinstance(v, dict):
            for sub, val in v.items():
                _put(out, key, str(sub), val, seen)
        elif "." in key:
            rule, sub = key.split(".", 1)
            _put(out, rule, sub, v, seen)
        else:
            _put(out, key, "", v, seen)
    # One heat threshold: CR07's caution temperature and heat_c move together unless both
    # were set explicitly.
    if "general.heat_c" in seen and "CR07.caution_c" not in seen:
        out["CR07"]["caution_c"] = out["general"]["heat_c"]
    elif "CR07.caution_c" in seen and "general.heat_c" not in seen:
        out["general"]["heat_c"] = out["CR07"]["caution_c"]
    return out


def heat_threshold(profile_thresholds: dict[str, Any] | None) -> float:
    """The heat threshold (°C) for this athlete: ``heat_c`` or ``CR07.caution_c``, default 25."""
    return merge(profile_thresholds)["general"]["heat_c"]
