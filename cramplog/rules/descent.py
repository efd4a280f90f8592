"""CR06 descent_unprepared: more downhill than the last 6 weeks prepared the legs for.

Per on-foot session (running, hiking, walking): warning when D− or E10 exceeds 1.5 × the
largest of the prior 6 weeks among sessions of the same elevation class (barometric or
device totals vs GPS-only profiles: ``features.elevation.elevation_class``; issue 14); sessions under the absolute floor (D− < 300 m and
E10 < 1 km) never fire. A prior maximum of 0 with a session above the floor counts as
exceeded (ratio reported as null). Needs ``min_prior_sessions`` prior sessions with
elevation data.

Goal: warning when the goal's D− > 1.5 × the largest session D− of the last 6 weeks;
caution when the course is downhill-heavy (D− ≥ the 300 m floor and ≥ 15 m per km, a design
choice) and no session in 6 weeks had ≥ 5 min at ≤ −10 %.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cramplog.features.elevation import elevation_class
from cramplog.metrics.daily import FOOT_FAMILIES
from cramplog.model import Finding, Goal
from cramplog.rules.base import GoalAssessment, Rule, RuleInputs

FOOT = frozenset(FOOT_FAMILIES)


def _ratio(cur: float | None, ref: float | None) -> tuple[float | None, bool]:
    """(ratio, exceeded 1.5×?) with ref 0 meaning any positive value exceeds."""
    if cur is None or ref is None:
        return None, False
    if ref <= 0:
        return None, cur > 0
    return cur / ref, False


def _run(ctx: RuleInputs) -> list[Finding]:
    th = ctx.th["CR06"]
    out = []
    for f in ctx.features:
        if f.family not in FOOT or f.descent_m is None or not ctx.history_ok(f):
            continue
        if (f.descent_m < th["floor_descent_m"]) and (
            f.e10_km is None or f.e10_km < th["floor_e10_km"]
        ):
            continue
        cls = elevation_class(f.elevation_source)
        prior = [
            g
            for g in ctx.prior(f, th["window_days"], FOOT)
            if g.descent_m is not None and elevation_class(g.elevation_source) == cls
        ]
        if len(prior) < ctx.min_prior():
            continue
        max_d = max(g.descent_m or 0.0 for g in prior)
        e10s = [g.e10_km for g in prior if g.e10_km is not None]
        max_e = max(e10s) if e10s else None
        rd, inf_d = _ratio(f.descent_m, max_d)
        re, inf_e = _ratio(f.e10_km, max_e)
        over_d = inf_d or (rd is not None and rd > th["ratio"])
        over_e = inf_e or (re is not None and re > th["ratio"])
        if not (over_d or over_e):
            continue
        ev: dict[str, Any] = {
            "descent_m": f.descent_m,
            "prior_max_descent_m": max_d,
            "descent_ratio": rd,
            "e10_km": f.e10_km,
            "e15_km": f.e15_km,
            "prior_max_e10_km": max_e,
            "e10_ratio": re,
            "min_le10": f.min_le10,
            "window_days": int(th["window_days"]),
            "elevation_source": f.elevation_source,
            "compared_with": "GPS-only profiles" if cls == "gps" else "barometric or device totals",
            "prior_sessions": len(prior),
        }
        parts = []
        if over_d:
            parts.append(
                f"{f.descent_m:.0f} m descent vs at most {max_d:.0f} m in the previous 6 weeks"
            )
        if over_e and f.e10_km is not None:
            parts.append(f"{f.e10_km:.1f} km at ≤ −10 % vs at most {max_e or 0:.1f} km")
        if cls == "gps":
            parts.append("GPS-only elevation, compared with GPS-only sessions")
        out.append(RULE.finding(f.local_date, "warning", "; ".join(parts), ev, f.activity_id))
    return out


def _goal(ctx: RuleInputs, goal: Goal) -> GoalAssessment:
    th = ctx.th["CR06"]
    if goal.descent_m is None:
        return RULE.assessment("unknown", None, "Goal course descent not set", {})
    prior = [
        g
        for g in ctx.before_day(ctx.today + timedelta(days=1), th["window_days"], FOOT)
        if g.descent_m is not None
    ]
    max_d = max((g.descent_m or 0.0 for g in prior), default=0.0)
    steep = [g.min_le10 for g in prior if g.min_le10 is not None]
    max_steep = max(steep, default=0.0)
    per_km = goal.descent_m / goal.distance_km if goal.distance_km else None
    heavy = goal.descent_m >= th["floor_descent_m"] and (
        per_km is None or per_km >= th["goal_heavy_m_per_km"]
    )
    ev = {
        "goal_descent_m": goal.descent_m,
        "goal_descent_m_per_km": per_km,
        "prior_max_descent_m": max_d,
        "prior_max_min_le10": max_steep,
        "sessions_with_elevation": len(prior),
        "downhill_heavy": heavy,
    }
    if goal.descent_m >= th["floor_descent_m"] and goal.descent_m > th["ratio"] * max_d:
        msg = (
            f"Goal course descends {goal.descent_m:.0f} m; the most in one session in the last "
            f"6 weeks was {max_d:.0f} m"
        )
        return RULE.assessment("flag", "warning", msg, ev)
    if heavy and max_steep < th["min_le10"]:
        msg = (
            f"Downhill-heavy goal course ({goal.descent_m:.0f} m) and no session in 6 weeks with "
            f"{th['min_le10']:.0f} min at ≤ −10 % (best {max_steep:.1f} min)"
        )
        return RULE.assessment("flag", "caution", msg, ev)
    return RULE.assessment("ok", None, "Recent descents cover the goal course", ev)


RULE = Rule(
    id="CR06",
    name="descent_unprepared",
    grade="weak",
    sources=(
        "Byrnes et al. 1985",
        "Maeo et al. 2015, 2017",
        "Nosaka et al. 2005",
        "Bontemps et al. 2020",
        "Hoffman & Stuempfle 2015",
    ),
    run=_run,
    assess_goal=_goal,
    summary="D− or E10 > 1.5 × the largest of 6 weeks (floor 300 m / 1 km)",
)
