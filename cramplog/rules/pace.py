"""CR04 pace_above_norm: faster than the athlete's own recent training predicts.

Expected pace for a session of distance D and duration T = the fastest of
(a) the best pace among prior sessions of the same sport family within 12 weeks whose
    duration is within ±25 % of T, and
(b) Riegel predictions T₂ = T₁·(D/D₁)^1.06 from each of those 12 weeks' sessions
    (sessions under 1 km are not used for predictions).
Needs 4 prior sessions. ``faster_pct`` = (expected − actual pace) ÷ expected × 100.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cramplog.features.compute import SessionFeatures
from cramplog.model import Finding, Goal, sport_family
from cramplog.rules.base import Rule, RuleInputs, band, fmt_dur, fmt_pace

# A usable session's numbers: (session, pace s/km, distance m, duration s).
Usable = tuple[SessionFeatures, float, float, float]


def _usable(g: SessionFeatures, min_km: float) -> bool:
    return bool(g.pace_s_per_km and g.distance_km and g.duration_s and g.distance_km >= min_km)


def _row(g: SessionFeatures, min_km: float) -> Usable | None:
    if not _usable(g, min_km):
        return None
    assert g.pace_s_per_km is not None and g.distance_m is not None and g.duration_s is not None
    return g, g.pace_s_per_km, g.distance_m, g.duration_s


def expected_pace(
    prior: list[SessionFeatures], distance_m: float, duration_s: float | None, th: dict[str, float]
) -> tuple[float | None, dict[str, Any]]:
    """(expected pace s/km, evidence) from prior sessions; None when under ``min_prior``."""
    min_km = th["min_session_km"]
    rows = [r for g in prior if (r := _row(g, min_km)) is not None]
    return _expected(rows, distance_m, duration_s, th)


def _expected(
    usable: list[Usable], distance_m: float, duration_s: float | None, th: dict[str, float]
) -> tuple[float | None, dict[str, Any]]:
    """``expected_pace`` from the usable prior sessions' rows."""
    if len(usable) < th["min_prior"]:
        return None, {"prior_sessions": len(usable)}
    km = distance_m / 1000.0
    tol = th["duration_tolerance"]
    best_similar: float | None = None
    if duration_s:
        similar = [pace for _, pace, _, dur in usable if abs(dur - duration_s) <= tol * duration_s]
        best_similar = min(similar) if similar else None
    expo = th["riegel_exponent"]
    best_riegel, src = usable[0][3] * (distance_m / usable[0][2]) ** expo / km, usable[0][0]
    for g, _, dist, dur in usable[1:]:
        p = dur * (distance_m / dist) ** expo / km
        if p < best_riegel:  # the first of equal minima, as min() picks
            best_riegel, src = p, g
    exp = best_riegel if best_similar is None else min(best_riegel, best_similar)
    ev: dict[str, Any] = {
        "prior_sessions": len(usable),
        "expected_pace_s_per_km": exp,
        "best_similar_pace_s_per_km": best_similar,
        "best_riegel_pace_s_per_km": best_riegel,
        "riegel_from_date": src.local_date,
        "riegel_from_km": src.distance_km,
    }
    return exp, ev


def predicted_time(
    ctx: RuleInputs, family: str, distance_m: float, day: date
) -> tuple[float | None, dict[str, Any]]:
    """Predicted duration (s) for ``distance_m`` from the 12 weeks before and including ``day``."""
    th = ctx.th["CR04"]
    lo = day - timedelta(days=int(th["window_days"]))
    prior = [g for g in ctx.features if lo <= g.local_date <= day and g.family == family]
    exp, ev = expected_pace(prior, distance_m, None, th)
    return (exp * distance_m / 1000.0 if exp else None), ev


def _run(ctx: RuleInputs) -> list[Finding]:
    th = ctx.th["CR04"]
    min_km = th["min_session_km"]
    rows = {id(g): _row(g, min_km) for g in ctx.features}
    out = []
    for f in ctx.features:
        if rows[id(f)] is None or not ctx.history_ok(f):
            continue
        assert f.distance_m is not None and f.pace_s_per_km is not None
        prior = ctx.prior(f, th["window_days"])
        usable = [r for g in prior if (r := rows[id(g)]) is not None]
        exp, ev = _expected(usable, f.distance_m, f.duration_s, th)
        if exp is None:
            continue
        faster = (exp - f.pace_s_per_km) / exp * 100.0
        sev = band(faster, th["caution_pct"], th["warning_pct"])
        if sev is None:
            continue
        ev.update(pace_s_per_km=f.pace_s_per_km, faster_pct=faster, is_race=f.is_race)
        if f.first_half_pace and f.second_half_pace:
            ev.update(
                first_half_pace_s_per_km=f.first_half_pace,
                second_half_pace_s_per_km=f.second_half_pace,
                second_half_slower_pct=(f.second_half_pace / f.first_half_pace - 1) * 100,
            )
        kind = "Race" if f.is_race else "Session"
        msg = (
            f"{kind} {faster:.0f} % faster than recent training predicts: "
            f"{fmt_pace(f.pace_s_per_km)} vs {fmt_pace(exp)} over {f.distance_km:.1f} km"
        )
        out.append(RULE.finding(f.local_date, sev, msg, ev, f.activity_id))
    return out


def _goal(ctx: RuleInputs, goal: Goal) -> Any:
    th = ctx.th["CR04"]
    if not goal.distance_km:
        return RULE.assessment("unknown", None, "Goal distance not set", {})
    dist = goal.distance_km * 1000.0
    pred, ev = predicted_time(ctx, sport_family(goal.sport), dist, ctx.today)
    if pred is None:
        return RULE.assessment(
            "unknown", None, "Fewer than 4 recent sessions to predict a goal time from", ev
        )
    ev["predicted_time_s"] = pred
    if not goal.target_time_s:
        return RULE.assessment(
            "unknown", None, f"No target time; recent training predicts {fmt_dur(pred)}", ev
        )
    faster = (pred - goal.target_time_s) / pred * 100.0
    ev.update(target_time_s=goal.target_time_s, faster_pct=faster)
    sev = band(faster, th["caution_pct"], th["warning_pct"])
    msg = (
        f"Target {fmt_dur(goal.target_time_s)} is {faster:.0f} % faster than the "
        f"{fmt_dur(pred)} recent training predicts"
        if faster > 0
        else f"Target {fmt_dur(goal.target_time_s)} is within recent training's "
        f"prediction ({fmt_dur(pred)})"
    )
    return RULE.assessment("flag" if sev else "ok", sev, msg, ev)


RULE = Rule(
    id="CR04",
    name="pace_above_norm",
    grade="moderate",
    sources=(
        "Schwellnus, Drew & Collins 2011, BJSM 45:650",
        "Schwellnus et al. 2011, BJSM 45:1132",
        "Shang et al. 2011, CJSM 21:204",
        "Swanevelder 2017",
    ),
    run=_run,
    assess_goal=_goal,
    summary="pace faster than recent training predicts (caution 3 %, warning 6 %)",
)
