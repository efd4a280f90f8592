"""CR05 long_run_deficit: long runs short of what the goal asks for.

With a goal (distance known): over the 70 days before the goal (or up to today for the next
goal) the longest run ÷ goal distance and the number of runs ≥ 0.6 × goal distance
(≥ 28 km for marathon-or-longer goals). Warning: longest < 0.6 × goal; caution: longest
< 0.75 × goal or fewer than 3 long runs. Past goals in the log become findings on the goal
day; the next goal is assessed in readiness.

Without a goal: a run ≥ 1.5 × the longest run of the prior 6 weeks → caution (the table
gives no severity for this form; caution is our choice).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cramplog.model import Finding, Goal, Severity, sport_family
from cramplog.rules.base import GoalAssessment, Rule, RuleInputs, fmt_km

MARATHON_KM = 42.195


def _assess(ctx: RuleInputs, goal: Goal, end: date) -> tuple[Severity | None, str, dict[str, Any]]:
    """(severity, message, evidence) from the 70 days before ``end`` (exclusive)."""
    th = ctx.th["CR05"]
    assert goal.distance_km
    fam = sport_family(goal.sport)
    runs = [g for g in ctx.before_day(end, th["window_days"], frozenset({fam})) if g.distance_km]
    long_km = (
        th["long_km_marathon"]
        if goal.distance_km >= MARATHON_KM
        else th["long_fraction"] * goal.distance_km
    )
    longest = max((g.distance_km or 0.0 for g in runs), default=0.0)
    n_long = sum(1 for g in runs if (g.distance_km or 0.0) >= long_km)
    ratio = longest / goal.distance_km
    covered = 0
    if ctx.first_day is not None:
        covered = min(int(th["window_days"]), max(0, (end - ctx.first_day).days))
    ev = {
        "goal_km": goal.distance_km,
        "longest_km": longest,
        "ratio": ratio,
        "long_runs": n_long,
        "long_run_km": long_km,
        "window_days": int(th["window_days"]),
        "days_covered_by_log": covered,
    }
    sev: Severity | None = None
    if ratio < th["warning_ratio"]:
        sev = "warning"
    elif ratio < th["caution_ratio"] or n_long < th["min_long_runs"]:
        sev = "caution"
    msg = (
        f"Longest run in 70 days {longest:.1f} km = {ratio:.0%} of the {goal.distance_km:g} km "
        f"goal; {n_long} runs ≥ {long_km:.0f} km"
    )
    return sev, msg, ev


def _run(ctx: RuleInputs) -> list[Finding]:
    th = ctx.th["CR05"]
    out = []
    for f in ctx.features:
        if f.family != "running" or not f.distance_m or not ctx.history_ok(f):
            continue
        vals = ctx.prior_values(f, th["no_goal_window_days"], "distance_m")
        if len(vals) < ctx.min_prior():
            continue
        ref = max(vals)  # vals hold no None
        ratio = f.distance_m / ref
        if ratio >= th["no_goal_ratio"]:
            ev = {"ratio": ratio, "session_km": f.distance_m / 1000, "longest_prior_km": ref / 1000,
                  "window_days": int(th["no_goal_window_days"]), "form": "no_goal"}  # fmt: skip
            msg = (
                f"Run {ratio:.1f}× the longest of the previous 6 weeks: "
                f"{fmt_km(f.distance_m)} vs {fmt_km(ref)}"
            )
            out.append(RULE.finding(f.local_date, "caution", msg, ev, f.activity_id))
    last = ctx.features[-1].local_date if ctx.features else None
    for goal in ctx.profile.goals:
        if not goal.distance_km or ctx.first_day is None or last is None:
            continue
        if not (ctx.first_day < goal.date <= min(last, ctx.today)):
            continue
        sev, msg, ev = _assess(ctx, goal, goal.date)
        if sev is None:
            continue
        ev["form"] = "goal"
        ev["goal"] = goal.name
        race = [
            g for g in ctx.features
            if g.local_date == goal.date and g.family == sport_family(goal.sport)
        ]  # fmt: skip
        aid = max(race, key=lambda g: g.distance_m or 0).activity_id if race else None
        out.append(RULE.finding(goal.date, sev, f"{goal.name}: {msg}", ev, aid))
    return out


def _goal(ctx: RuleInputs, goal: Goal) -> GoalAssessment:
    if not goal.distance_km:
        return RULE.assessment("unknown", None, "Goal distance not set", {})
    sev, msg, ev = _assess(ctx, goal, ctx.today + timedelta(days=1))
    return RULE.assessment("flag" if sev else "ok", sev, msg, ev)


RULE = Rule(
    id="CR05",
    name="long_run_deficit",
    grade="anecdotal",
    sources=(
        "seed accounts (28–32 km long runs for 10 km runners, 35 km+ for marathoners)",
        "Runalyze marathon shape",
    ),
    run=_run,
    assess_goal=_goal,
    summary="longest run < 0.75 / 0.6 × goal, or < 3 long runs in 70 days; no goal: ≥ 1.5× prior",
)
