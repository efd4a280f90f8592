"""Load rules: CR01 session_spike, CR02 acute_chronic_load, CR03 monotony, CR10 duration_exposure.

CR02 and CR03 are day-level (``activity_id`` None) and fire only on days with load: a
high ratio on a rest day asks nothing of the athlete.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cramplog.metrics.daily import window_stats
from cramplog.model import Finding, Goal, sport_family
from cramplog.rules.base import Rule, RuleInputs, band, fmt_dur, fmt_km

FAMILY_WORD = {"running": "run", "cycling": "ride", "swimming": "swim"}


def _cr01(ctx: RuleInputs) -> list[Finding]:
    th = ctx.th["CR01"]
    out = []
    for f in ctx.features:
        if not ctx.history_ok(f):
            continue
        if f.distance_m:
            vals = ctx.prior_values(f, th["window_days"], "distance_m")
            metric, cur = "distance", f.distance_m
        elif f.duration_s:
            vals = ctx.prior_values(f, th["window_days"], "duration_s")
            metric, cur = "duration", f.duration_s
        else:
            continue
        if len(vals) < ctx.min_prior():
            continue
        ref = max(vals)  # vals hold no None
        ratio = cur / ref
        sev = band(ratio, th["caution"], th["warning"], strict=True)
        if sev is None:
            continue
        high = ratio > th["high"]
        ev: dict[str, Any] = {
            "ratio": ratio,
            "metric": metric,
            "session": cur / 1000.0 if metric == "distance" else cur,
            "longest_prior": ref / 1000.0 if metric == "distance" else ref,
            "unit": "km" if metric == "distance" else "s",
            "window_days": int(th["window_days"]),
            "prior_sessions": len(vals),
            "band": "high" if high else sev,
        }
        word = FAMILY_WORD.get(f.family, f"{f.family} session")
        shown = (fmt_km(cur), fmt_km(ref)) if metric == "distance" else (fmt_dur(cur), fmt_dur(ref))
        msg = (
            f"Longest {word} in {int(th['window_days'])} days by {(ratio - 1) * 100:.0f} %: "
            f"{shown[0]} vs {shown[1]}"
        )
        out.append(RULE_CR01.finding(f.local_date, sev, msg, ev, f.activity_id))
    return out


def _day_rule(ctx: RuleInputs, rule: Rule, column: str) -> list[Finding]:
    import numpy as np

    th = ctx.th[rule.id]
    d = ctx.arrays()
    if d.n == 0:
        return []
    load, values = d.cols["load"], d.cols[column]
    out = []
    for i in np.flatnonzero((load > 0) & ~np.isnan(values)).tolist():
        value = float(values[i])
        sev = band(value, th["caution"], th["warning"])
        if sev is None:
            continue
        day = d.day(i)
        if column == "acwr":
            ev = {
                "acwr": value,
                "acute_load": float(d.cols["acute"][i]),
                "chronic_load": float(d.cols["chronic"][i]),
                "acwr_rolling": float(d.cols["acwr_rolling"][i]),
                "day_load": float(load[i]),
            }
            msg = f"Acute:chronic load ratio {value:.2f} (7-day vs 28-day weighted daily load)"
        else:
            week = load[d.since(day - timedelta(days=6)) : i + 1]  # the 7 days ending on day
            total, mean, sd = window_stats(week)
            ev = {
                "monotony": value,
                "strain": float(d.cols["strain"][i]),
                "week_load": total,
                "mean_daily_load": mean,
                "sd_daily_load": sd,
                "rest_days_in_week": int(np.count_nonzero(week == 0)),
            }
            msg = (
                f"Training monotony {value:.1f} over 7 days (little day-to-day variation in load; "
                f"{ev['rest_days_in_week']} rest days)"
            )
        out.append(rule.finding(day, sev, msg, ev))
    return out


def _cr02(ctx: RuleInputs) -> list[Finding]:
    return _day_rule(ctx, RULE_CR02, "acwr")


def _cr03(ctx: RuleInputs) -> list[Finding]:
    return _day_rule(ctx, RULE_CR03, "monotony")


def _cr10(ctx: RuleInputs) -> list[Finding]:
    th = ctx.th["CR10"]
    out = []
    for f in ctx.features:
        if not f.duration_s or not ctx.history_ok(f):
            continue
        vals = ctx.prior_values(f, th["window_days"], "duration_s")
        if len(vals) < ctx.min_prior():
            continue
        ref = max(vals)  # vals hold no None
        ratio = f.duration_s / ref
        sev = band(ratio, th["caution"], th["warning"], strict=True)
        if sev is None:
            continue
        ev = {"ratio": ratio, "duration_s": f.duration_s, "longest_prior_s": ref,
              "window_days": int(th["window_days"]), "prior_sessions": len(vals)}  # fmt: skip
        msg = (
            f"Longest time on feet in 6 months by {(ratio - 1) * 100:.0f} %: "
            f"{fmt_dur(f.duration_s)} vs {fmt_dur(ref)}"
            if f.family in ("running", "hiking", "walking")
            else f"Longest {f.family} session in 6 months by {(ratio - 1) * 100:.0f} %: "
            f"{fmt_dur(f.duration_s)} vs {fmt_dur(ref)}"
        )
        out.append(RULE_CR10.finding(f.local_date, sev, msg, ev, f.activity_id))
    return out


def goal_duration(ctx: RuleInputs, goal: Goal) -> tuple[float | None, str]:
    """The goal's expected duration: its target time, else a Riegel prediction."""
    if goal.target_time_s:
        return goal.target_time_s, "target"
    if goal.distance_km:
        from cramplog.rules.pace import goal_prediction

        pred, _ = goal_prediction(ctx, goal)
        if pred:
            return pred, "predicted"
    return None, "unknown"


def _cr10_goal(ctx: RuleInputs, goal: Goal) -> Any:
    th = ctx.th["CR10"]
    dur, how = goal_duration(ctx, goal)
    if dur is None:
        return RULE_CR10.assessment("unknown", None, "Goal duration unknown", {})
    prior = ctx.before_day(
        ctx.today + timedelta(days=1), th["window_days"], frozenset({sport_family(goal.sport)})
    )
    vals = [g.duration_s for g in prior if g.duration_s]
    if not vals:
        return RULE_CR10.assessment("unknown", None, "No sessions in the last 6 months", {})
    ref = max(v for v in vals if v is not None)
    ratio = dur / ref
    sev = band(ratio, th["caution"], th["warning"], strict=True)
    ev = {"goal_duration_s": dur, "duration_from": how, "longest_prior_s": ref, "ratio": ratio}
    msg = (
        f"Goal lasts about {fmt_dur(dur)} ({how}), {ratio:.1f}× your longest session "
        f"in 6 months ({fmt_dur(ref)})"
    )
    return RULE_CR10.assessment("flag" if sev else "ok", sev, msg, ev)


RULE_CR01 = Rule(
    id="CR01",
    name="session_spike",
    grade="weak",
    sources=("Frandsen et al. 2025, BJSM 59:1203",),
    run=_cr01,
    summary="session > 1.10 / 1.30 / 2.00 × the longest of the previous 30 days",
)
RULE_CR02 = Rule(
    id="CR02",
    name="acute_chronic_load",
    grade="weak",
    sources=(
        "Gabbett 2016, BJSM 50:273",
        "Hulin et al. 2014, BJSM 48:708",
        "Williams et al. 2017, BJSM 51:209",
        "Impellizzeri et al. 2020 (against)",
        "Frandsen et al. 2025, BJSM 59:1203 (against)",
    ),
    run=_cr02,
    summary="EWMA acute:chronic ratio ≥ 1.3 / 1.5; silent for the first 28 days",
)
RULE_CR03 = Rule(
    id="CR03",
    name="monotony",
    grade="weak",
    sources=("Foster 1998, MSSE 30:1164",),
    run=_cr03,
    summary="Foster monotony ≥ 1.5 / 2.0 over 7 days",
)
RULE_CR10 = Rule(
    id="CR10",
    name="duration_exposure",
    grade="weak",
    sources=("de Jager (Two Oceans)", "MacMillan et al. 2024 (Comrades)"),
    run=_cr10,
    assess_goal=_cr10_goal,
    summary="session or goal > 1.2 / 1.5 × the longest duration of the previous 6 months",
)
