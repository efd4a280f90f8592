"""Load rules: CR01 session_spike, CR02 acute_chronic_load, CR03 monotony, CR10 duration_exposure.

CR02 and CR03 are day-level (``activity_id`` None) and fire only on days with load: a
high ratio on a rest day asks nothing of the athlete. Both also need the value to be
unusual for this athlete (rules/baseline.py; docs/rules.md, "Personal baselines").
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cramplog.metrics.daily import window_stats
from cramplog.model import Finding, Goal, sport_family
from cramplog.rules.base import GoalAssessment, Rule, RuleInputs, band, fmt_dur, fmt_km
from cramplog.rules.baseline import trailing_quantiles

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


def _cr02(ctx: RuleInputs) -> list[Finding]:
    """EWMA ACWR past the literature's band, on a loaded day, while the chronic load is not
    negligible for this athlete and the acute load is above their usual chronic load; a
    loaded day after a stretch of negligible chronic load is one plainly worded info."""
    import numpy as np

    th = ctx.th["CR02"]
    d = ctx.arrays()
    if d.n == 0:
        return []
    load, acwr = d.cols["load"], d.cols["acwr"]
    acute, chronic = d.cols["acute"], d.cols["chronic"]
    window, q = int(th["usual_window_days"]), th["usual_quantile"]
    # both set to 0: no personal baseline, the literature's band alone
    personal = th["negligible_fraction"] > 0 or th["acute_over_usual"] > 0
    days = np.flatnonzero((load > 0) & ~np.isnan(acwr)).tolist()
    usuals = trailing_quantiles(chronic, window, q, 28) if personal and days else None
    out = []
    returning = False  # inside a stretch of negligible chronic load that was reported
    for i in days:
        day = d.day(i)
        usual = None if usuals is None or np.isnan(usuals[i]) else float(usuals[i])
        chr_i, ac_i = float(chronic[i]), float(acute[i])
        if usual is not None and chr_i < th["negligible_fraction"] * usual:
            if not returning:
                returning = True
                ev = {"chronic_load": chr_i, "usual_chronic_load": usual, "acute_load": ac_i,
                      "day_load": float(load[i]), "form": "return"}  # fmt: skip
                msg = (
                    f"Training again after a spell with little or no load (chronic load "
                    f"{chr_i:.0f} vs {usual:.0f} usually): no load ratio until it rebuilds; "
                    "build up gradually"
                )
                out.append(RULE_CR02.finding(day, "info", msg, ev))
            continue
        returning = False
        value = float(acwr[i])
        sev = band(value, th["caution"], th["warning"])
        if sev is None:
            continue
        if usual is not None and ac_i <= th["acute_over_usual"] * usual:
            continue  # rebuilding: the acute load is not above what this athlete usually carries
        ev = {"acwr": value, "acute_load": ac_i, "chronic_load": chr_i,
              "usual_chronic_load": usual, "acwr_rolling": float(d.cols["acwr_rolling"][i]),
              "day_load": float(load[i])}  # fmt: skip
        msg = f"Acute:chronic load ratio {value:.2f} (7-day vs 28-day weighted daily load)"
        if usual is not None:
            msg += f"; acute load {ac_i / usual:.1f}× your usual chronic load"
        out.append(RULE_CR02.finding(day, sev, msg, ev))
    return out


def _cr03(ctx: RuleInputs) -> list[Finding]:
    """Foster monotony past the literature's band, on a loaded day, when it is also unusual
    for this athlete: ≥ monotony_over_usual × their median monotony of the previous weeks
    and above the monotony_quantile-th percentile of it (beyond their usual range, not
    only their middle), or with rising load: the 7-day load ≥ load_over_usual × their median 7-day load (strain,
    7-day load × monotony, then rises as much; strain itself is not compared, as it moves
    with the day-to-day noise of monotony)."""
    import numpy as np

    th = ctx.th["CR03"]
    d = ctx.arrays()
    if d.n == 0:
        return []
    load, mono, strain = d.cols["load"], d.cols["monotony"], d.cols["strain"]
    weekly = np.convolve(load, np.ones(7))[: d.n]
    weekly[:6] = np.nan
    window, need = int(th["baseline_days"]), int(th["min_baseline_days"])
    days = [
        i
        for i in np.flatnonzero((load > 0) & ~np.isnan(mono)).tolist()
        if band(float(mono[i]), th["caution"], th["warning"])
    ]
    personal = th["monotony_over_usual"] > 0 and bool(days)
    if personal:  # monotony_over_usual 0: no personal baseline, Foster's band alone
        med_m = trailing_quantiles(mono, window, 50.0, need)
        high_m = trailing_quantiles(mono, window, th["monotony_quantile"], need)
        med_w = trailing_quantiles(weekly, window, 50.0, need)
    out = []
    for i in days:
        value = float(mono[i])
        sev = band(value, th["caution"], th["warning"])
        assert sev is not None
        s_i, w_i = float(strain[i]), float(weekly[i])
        usual_m = usual_w = None
        unusual = True
        if personal:
            usual_m, usual_w, high = float(med_m[i]), float(med_w[i]), float(high_m[i])
            if np.isnan(usual_m) or np.isnan(usual_w) or usual_w <= 0:
                continue  # too little history to know what is usual for this athlete
            unusual = value >= th["monotony_over_usual"] * usual_m and value > high
            if not (unusual or w_i >= th["load_over_usual"] * usual_w):
                continue
        day = d.day(i)
        week = load[d.since(day - timedelta(days=6)) : i + 1]  # the 7 days ending on day
        total, mean, sd = window_stats(week)
        rest = int(np.count_nonzero(week == 0))
        ev = {"monotony": value, "strain": s_i, "week_load": total, "mean_daily_load": mean,
              "sd_daily_load": sd, "rest_days_in_week": rest, "usual_monotony": usual_m,
              "usual_week_load": usual_w}  # fmt: skip
        why = ""
        if usual_m is not None and usual_w is not None:
            why = (
                f"; your usual is {usual_m:.1f}"
                if unusual
                else f"; 7-day load {w_i / usual_w:.1f}× your usual"
            )
        msg = (
            f"Training monotony {value:.1f} over 7 days (little day-to-day variation in load; "
            f"{rest} rest days{why})"
        )
        out.append(RULE_CR03.finding(day, sev, msg, ev))
    return out


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
    dur, how = goal_duration(ctx, goal)
    if dur is None:
        return RULE_CR10.assessment("unknown", None, "Goal duration unknown", {})
    return cr10_against_longest(ctx, goal, dur, how, "Goal lasts")


def cr10_against_longest(
    ctx: RuleInputs,
    goal: Goal,
    dur: float,
    how: str,
    subject: str,
    extra: dict[str, Any] | None = None,
) -> GoalAssessment:
    """CR10 for a goal of ``dur`` seconds against the longest session of the goal's sport in
    the window (a typed goal and a course file both end here); ``extra`` joins the evidence."""
    th = ctx.th["CR10"]
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
    ev.update(extra or {})
    msg = (
        f"{subject} about {fmt_dur(dur)} ({how}), {ratio:.1f}× your longest session "
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
    summary="EWMA acute:chronic ratio ≥ 1.3 / 1.5 with the acute load > 1.15 × your usual; "
    "silent for the first 28 days and while the chronic load is negligible for you",
)
RULE_CR03 = Rule(
    id="CR03",
    name="monotony",
    grade="weak",
    sources=("Foster 1998, MSSE 30:1164",),
    run=_cr03,
    summary="Foster monotony ≥ 1.5 / 2.0 over 7 days, and ≥ 1.5 × your usual or with "
    "rising load (7-day load ≥ 1.3 × your usual)",
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
