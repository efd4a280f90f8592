"""CR04 pace_above_norm: faster than the athlete's own recent training predicts.

Expected pace for a session of distance D and duration T = the fastest of
(a) the best pace among prior sessions of the same sport family within 12 weeks whose
    duration is within ±25 % of T, and
(b) Riegel predictions T₂ = T₁·(D/D₁)^1.06 from each of those 12 weeks' sessions
    (sessions under 1 km are not used for predictions).
Needs 4 prior sessions. ``faster_pct`` = (expected − actual pace) ÷ expected × 100.

Like with like (issue 14). Distances are climb-adjusted: the effort distance is
D + ``effort_m_per_m_ascent`` (10) × ascent, ITRA's "km-effort" (100 m up = 1 km flat);
every pace above is per effort km (on flat ground the same as per km). Prior sessions are
those of the same terrain (``terrain``: treadmill, trail — the sport says so, or ≥
``trail_m_per_km`` (20) m of ascent per km — or road); with fewer than 4 of them, all
terrains climb-adjusted. A race is predicted from the athlete's earlier races of the same
family within ``race_window_days`` (365) where there are any (Riegel from each, the
fastest): training is run below maximum, so a race always looked fast against training
alone. The evidence's ``basis`` says which was used ("earlier races", "training, same
terrain (road)", "training, all terrains, climb-adjusted"), and so does the message.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cramplog.features.compute import SessionFeatures
from cramplog.model import Finding, Goal, sport_family
from cramplog.rules.base import Rule, RuleInputs, band, fmt_dur, fmt_pace

# A usable session's numbers: (session, effort pace s/km, effort distance m, duration s).
Usable = tuple[SessionFeatures, float, float, float]
TREADMILL_SPORTS = frozenset({"treadmill"})
TRAIL_SPORTS = frozenset({"trail_running", "hiking"})


def terrain(g: SessionFeatures, th: dict[str, float]) -> str:
    """ "treadmill", "trail" or "road" (see the module text)."""
    if g.sport in TREADMILL_SPORTS:
        return "treadmill"
    if g.sport in TRAIL_SPORTS:
        return "trail"
    km = g.distance_km
    if g.ascent_m and km and g.ascent_m / km >= th["trail_m_per_km"]:
        return "trail"
    return "road"


def effort_m(distance_m: float, ascent_m: float | None, th: dict[str, float]) -> float:
    """Climb-adjusted distance: ``effort_m_per_m_ascent`` flat metres per metre climbed."""
    return distance_m + (ascent_m or 0.0) * th["effort_m_per_m_ascent"]


def _usable(g: SessionFeatures, min_km: float) -> bool:
    return bool(g.pace_s_per_km and g.distance_km and g.duration_s and g.distance_km >= min_km)


def _row(g: SessionFeatures, th: dict[str, float]) -> Usable | None:
    if not _usable(g, th["min_session_km"]):
        return None
    assert g.pace_s_per_km is not None and g.distance_m is not None and g.duration_s is not None
    if not g.ascent_m:
        return g, g.pace_s_per_km, g.distance_m, g.duration_s
    eff = effort_m(g.distance_m, g.ascent_m, th)
    return g, g.duration_s / (eff / 1000.0), eff, g.duration_s


def expected_pace(
    prior: list[SessionFeatures],
    distance_m: float,
    duration_s: float | None,
    th: dict[str, float],
    known: dict[int, Usable | None] | None = None,
) -> tuple[float | None, dict[str, Any]]:
    """(expected pace s/ effort km, evidence) from prior sessions; None when under
    ``min_prior``. ``distance_m`` is the (effort) distance to predict. ``known``: each
    session's ``_row`` already worked out (by ``id``), as ``_run`` has them."""
    if known is None:
        rows = [r for g in prior if (r := _row(g, th)) is not None]
    else:
        rows = [r for g in prior if (r := known[id(g)]) is not None]
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


def _races_before(
    ctx: RuleInputs, family: str, day: date, before: SessionFeatures | None = None
) -> list[SessionFeatures]:
    """Earlier races of ``family`` in the ``race_window_days`` up to ``day``."""
    th = ctx.th["CR04"]
    lo = day - timedelta(days=int(th["race_window_days"]))
    return [
        g
        for g in ctx.features
        if g.is_race
        and g.family == family
        and lo <= g.local_date <= day
        and (before is None or g.start < before.start)
        and g is not before
    ]


def _race_basis(
    races: list[SessionFeatures], distance_m: float, th: dict[str, float]
) -> tuple[float | None, dict[str, Any]]:
    """Expected effort pace from earlier races alone (Riegel from each, the fastest)."""
    rows = [r for g in races if (r := _row(g, th)) is not None]
    if not rows:
        return None, {}
    return _expected(rows, distance_m, None, {**th, "min_prior": 1.0})


def _basis(
    ctx: RuleInputs,
    prior: list[SessionFeatures],
    races: list[SessionFeatures],
    effort: float,
    duration_s: float | None,
    kind: str | None,
    rows: dict[int, Usable | None] | None = None,
    kinds: dict[int, str] | None = None,
) -> tuple[float | None, dict[str, Any]]:
    """Expected effort pace and evidence with its ``basis``: earlier races where there are
    any, else training of the same terrain ``kind``, else all terrains climb-adjusted.
    ``rows``, ``kinds``: each session's ``_row`` and terrain already worked out (by ``id``)."""
    th = ctx.th["CR04"]
    if races:
        exp, ev = _race_basis(races, effort, th)
        if exp is not None:
            ev.update(basis="earlier races", earlier_races=len(races))
            return exp, ev
    if kind is not None:
        if kinds is None:
            same = [g for g in prior if terrain(g, th) == kind]
        else:
            same = [g for g in prior if kinds[id(g)] == kind]
        exp, ev = expected_pace(same, effort, duration_s, th, rows)
        if exp is not None:
            ev["basis"] = f"training, same terrain ({kind})"
            return exp, ev
    exp, ev = expected_pace(prior, effort, duration_s, th, rows)
    ev["basis"] = "training, all terrains, climb-adjusted"
    return exp, ev


def predicted_time(
    ctx: RuleInputs,
    family: str,
    distance_m: float,
    day: date,
    ascent_m: float | None = None,
) -> tuple[float | None, dict[str, Any]]:
    """Predicted duration (s) of a race of ``distance_m`` climbing ``ascent_m`` on ``day``:
    from earlier races where there are any, else the 12 weeks of training before and
    including ``day``, all terrains, climb-adjusted."""
    th = ctx.th["CR04"]
    lo = day - timedelta(days=int(th["window_days"]))
    prior = [g for g in ctx.features if lo <= g.local_date <= day and g.family == family]
    effort = effort_m(distance_m, ascent_m, th)
    races = _races_before(ctx, family, day)
    exp, ev = _basis(ctx, prior, races, effort, None, None)
    ev.update(effort_km=effort / 1000.0, ascent_m=ascent_m or 0.0)
    return (exp * effort / 1000.0 if exp else None), ev


def goal_prediction(ctx: RuleInputs, goal: Goal) -> tuple[float | None, dict[str, Any]]:
    """``predicted_time`` for a goal. A goal states its descent, not its climb: the climb is
    taken equal to the descent (a loop or an out-and-back; said in the evidence)."""
    assert goal.distance_km
    pred, ev = predicted_time(
        ctx, sport_family(goal.sport), goal.distance_km * 1000.0, ctx.today, goal.descent_m
    )
    if goal.descent_m:
        ev["ascent_from"] = "taken equal to the goal's descent"
    return pred, ev


def _run(ctx: RuleInputs) -> list[Finding]:
    th = ctx.th["CR04"]
    rows = {id(g): _row(g, th) for g in ctx.features}
    kinds = {id(g): terrain(g, th) for g in ctx.features}
    out = []
    for f in ctx.features:
        row = rows[id(f)]
        if row is None or not ctx.history_ok(f):
            continue
        _, pace, effort, _ = row
        prior = ctx.prior(f, th["window_days"])
        races = _races_before(ctx, f.family, f.local_date, f) if f.is_race else []
        kind = kinds[id(f)]
        exp, ev = _basis(ctx, prior, races, effort, f.duration_s, kind, rows, kinds)
        if exp is None:
            continue
        faster = (exp - pace) / exp * 100.0
        sev = band(faster, th["caution_pct"], th["warning_pct"])
        if sev is None:
            continue
        ev.update(pace_s_per_km=f.pace_s_per_km, faster_pct=faster, is_race=f.is_race,
                  terrain=kind, effort_pace_s_per_km=pace, effort_km=effort / 1000.0)  # fmt: skip
        if f.first_half_pace and f.second_half_pace:
            ev.update(
                first_half_pace_s_per_km=f.first_half_pace,
                second_half_pace_s_per_km=f.second_half_pace,
                second_half_slower_pct=(f.second_half_pace / f.first_half_pace - 1) * 100,
            )
        kind_word = "Race" if f.is_race else "Session"
        per = " per climb-adjusted km" if effort > 1.02 * (f.distance_m or effort) else ""
        msg = (
            f"{kind_word} {faster:.0f} % faster than {ev['basis']} predicts: "
            f"{fmt_pace(pace)} vs {fmt_pace(exp)}{per} over {f.distance_km:.1f} km"
        )
        out.append(RULE.finding(f.local_date, sev, msg, ev, f.activity_id))
    return out


def _goal(ctx: RuleInputs, goal: Goal) -> Any:
    th = ctx.th["CR04"]
    if not goal.distance_km:
        return RULE.assessment("unknown", None, "Goal distance not set", {})
    pred, ev = goal_prediction(ctx, goal)
    if pred is None:
        return RULE.assessment(
            "unknown", None, "Fewer than 4 recent sessions to predict a goal time from", ev
        )
    ev["predicted_time_s"] = pred
    basis = f"{ev['basis']}; {ev['effort_km']:.0f} km-effort"
    if not goal.target_time_s:
        return RULE.assessment(
            "unknown", None, f"No target time; predicted {fmt_dur(pred)} ({basis})", ev
        )
    faster = (pred - goal.target_time_s) / pred * 100.0
    ev.update(target_time_s=goal.target_time_s, faster_pct=faster)
    sev = band(faster, th["caution_pct"], th["warning_pct"])
    msg = (
        f"Target {fmt_dur(goal.target_time_s)} is {faster:.0f} % faster than the "
        f"{fmt_dur(pred)} predicted ({basis})"
        if faster > 0
        else f"Target {fmt_dur(goal.target_time_s)} is within the prediction "
        f"({fmt_dur(pred)}; {basis})"
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
