"""CR07 heat_unacclimatized and CR11 long_hot_session.

Session temperature = the time-weighted mean of the temperature stream (or the summary
average). A heat session is ≥ 60 min at or above the heat threshold (``metrics.is_heat_session``).
CR07 counts heat sessions of any sport in the 14 days before the session (the session itself
excluded): fewer than 5 with a session at ≥ 25 °C → caution, ≥ 28 °C → warning.
CR11 (info): duration ≥ 4 h, or ≥ 2 h at or above the heat threshold.

Wrist-worn sensors read warmer than the air (body heat); the figures are what the device
recorded.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from typing import Any

from cramplog.features.compute import SessionFeatures
from cramplog.metrics.daily import is_heat_session
from cramplog.model import Finding, Goal, Severity
from cramplog.rules.base import GoalAssessment, Rule, RuleInputs, fmt_dur
from cramplog.rules.load import goal_duration


def _heat_count(ctx: RuleInputs, day: date, before: SessionFeatures | None = None) -> int:
    th = ctx.th["CR07"]
    heat_c = ctx.th["general"]["heat_c"]
    lo = day - timedelta(days=int(th["window_days"]))
    idx = ctx.index()
    if idx.ordered:
        # the sessions that started before ``before`` from ``lo`` on, or those of lo … day
        if before is not None:
            i, j = bisect_left(idx.days, lo), bisect_left(idx.starts, before.start)
        else:
            i, j = idx.day_slice(lo, day + timedelta(days=1))
        return sum(is_heat_session(g, heat_c, th["session_min"]) for g in ctx.features[i:j])
    n = 0
    for g in ctx.features:
        if before is not None and not (g.start < before.start and g.local_date >= lo):
            continue
        if before is None and not (lo <= g.local_date <= day):
            continue
        n += is_heat_session(g, heat_c, th["session_min"])
    return n


def _severity(temp: float, th: dict[str, float]) -> Severity | None:
    if temp >= th["warning_c"]:
        return "warning"
    if temp >= th["caution_c"]:
        return "caution"
    return None


def _cr07(ctx: RuleInputs) -> list[Finding]:
    th = ctx.th["CR07"]
    out = []
    for f in ctx.features:
        temp = f.temp_mean_c
        if temp is None:
            continue
        sev = _severity(temp, th)
        if sev is None:
            continue
        n = _heat_count(ctx, f.local_date, before=f)
        if n >= th["min_sessions"]:
            continue
        ev: dict[str, Any] = {
            "temp_mean_c": temp,
            "temp_max_c": f.temp_max_c,
            "min_above_heat": f.min_above_heat,
            "heat_c": ctx.th["general"]["heat_c"],
            "heat_sessions_14d": n,
            "acclimation": ctx.arrays().value(f.local_date - timedelta(days=1), "acclimation"),
        }
        msg = (
            f"Session at {temp:.0f} °C with {n} heat session{'s' if n != 1 else ''} "
            f"(≥ 60 min at ≥ {ev['heat_c']:.0f} °C) in the previous 14 days"
        )
        out.append(RULE_CR07.finding(f.local_date, sev, msg, ev, f.activity_id))
    return out


def _cr07_goal(ctx: RuleInputs, goal: Goal) -> GoalAssessment:
    th = ctx.th["CR07"]
    if goal.temperature_c is None:
        return RULE_CR07.assessment("unknown", None, "Goal temperature not set", {})
    n = _heat_count(ctx, ctx.today)
    ev = {
        "goal_temperature_c": goal.temperature_c,
        "heat_sessions_14d": n,
        "acclimation": ctx.arrays().value(ctx.today, "acclimation"),
        "days_to_goal": (goal.date - ctx.today).days,
    }
    sev = _severity(goal.temperature_c, th)
    if sev is None or n >= th["min_sessions"]:
        return RULE_CR07.assessment(
            "ok", None, "Goal temperature or recent heat exposure is fine", ev
        )
    msg = (
        f"Goal expected at {goal.temperature_c:.0f} °C; {n} heat sessions in the last 14 days "
        f"(acclimatization takes 10–14 days)"
    )
    return RULE_CR07.assessment("flag", sev, msg, ev)


def _hot_long(minutes: float, hot_minutes: float | None, th: dict[str, float]) -> str | None:
    if minutes >= th["hours"] * 60:
        return "long"
    if hot_minutes is not None and hot_minutes >= th["hot_hours"] * 60:
        return "hot"
    return None


def _cr11(ctx: RuleInputs) -> list[Finding]:
    th = ctx.th["CR11"]
    heat_c = ctx.th["general"]["heat_c"]
    out = []
    for f in ctx.features:
        hot = f.min_above_heat
        if hot is None and f.temp_mean_c is not None and f.temp_mean_c >= heat_c:
            hot = f.minutes
        kind = _hot_long(f.minutes, hot, th)
        if kind is None:
            continue
        ev = {"duration_s": f.duration_s, "min_above_heat": hot, "temp_mean_c": f.temp_mean_c,
              "kind": kind}  # fmt: skip
        what = f"{fmt_dur(f.duration_s)} session" + (
            f" with {hot:.0f} min at ≥ {heat_c:.0f} °C" if kind == "hot" and hot else ""
        )
        msg = (
            f"{what}: fluid and sodium balance cannot be seen in a log; drinking plain water "
            f"beyond thirst can lower blood sodium"
        )
        out.append(RULE_CR11.finding(f.local_date, "info", msg, ev, f.activity_id))
    return out


def _cr11_goal(ctx: RuleInputs, goal: Goal) -> GoalAssessment:
    th = ctx.th["CR11"]
    heat_c = ctx.th["general"]["heat_c"]
    dur, how = goal_duration(ctx, goal)
    if dur is None:
        return RULE_CR11.assessment("unknown", None, "Goal duration unknown", {})
    hot = dur / 60 if goal.temperature_c is not None and goal.temperature_c >= heat_c else 0.0
    kind = _hot_long(dur / 60, hot, th)
    ev = {"goal_duration_s": dur, "duration_from": how, "goal_temperature_c": goal.temperature_c}
    if kind is None:
        return RULE_CR11.assessment("ok", None, "Goal is neither long nor hot", ev)
    msg = (
        f"Goal of about {fmt_dur(dur)}"
        + (f" at {goal.temperature_c:.0f} °C" if kind == "hot" else "")
        + ": plan to drink to thirst and think about sodium"
    )
    return RULE_CR11.assessment("flag", "info", msg, ev)


RULE_CR07 = Rule(
    id="CR07",
    name="heat_unacclimatized",
    grade="weak",
    sources=(
        "Armstrong et al. 2007, MSSE 39:556 (ACSM)",
        "Binkley et al. 2002",
        "Pandolf 1998",
        "Daanen et al. 2018",
        "Miller et al. 2022, J Athl Train 57:5 (against)",
    ),
    run=_cr07,
    assess_goal=_cr07_goal,
    summary="session ≥ 25 / 28 °C with < 5 heat sessions in 14 days",
)
RULE_CR11 = Rule(
    id="CR11",
    name="long_hot_session",
    grade="weak",
    sources=("Hew-Butler et al. 2015 (consensus)", "Hoffman et al. 2013"),
    run=_cr11,
    assess_goal=_cr11_goal,
    summary="duration ≥ 4 h, or ≥ 2 h at ≥ 25 °C (info)",
)
