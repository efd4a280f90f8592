"""Goal readiness against a course file: CR04, CR06 and CR10 with the course's own numbers.

Used by ``analysis.readiness`` in place of the typed-number assessments when the goal has a
course (CR05 and CR07 read the course's distance through the goal, as before).

- CR06: the course's descent and E10 against training per session *and* per week over the
  6-week window. Warning: course D− or E10 > 1.5 × the largest session (SCIENCE.md);
  caution: downhill-heavy course with no session of ≥ 5 min at ≤ −10 %, or a course D− above
  the largest 7-day total of the window (the race asks more in one day than any week did; a
  design choice). A course without elevation: unknown.
- CR04 / CR10: CR04's climb-adjusted prediction (``rules.pace.predicted_time``: Riegel on
  ITRA effort km, from earlier races where there are any) for the course's own distance and
  ascent, instead of Riegel on flat km. CR10 uses the prediction (what the course will
  take the athlete), the target time only when there is no prediction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from cramplog.features.course import CourseStats
from cramplog.model import Goal, sport_family
from cramplog.rules.base import GoalAssessment, RuleInputs, band, fmt_dur
from cramplog.rules.descent import FOOT
from cramplog.rules.descent import RULE as CR06
from cramplog.rules.load import RULE_CR10 as CR10
from cramplog.rules.load import cr10_against_longest
from cramplog.rules.pace import RULE as CR04
from cramplog.rules.pace import predicted_time


def course_prediction(
    ctx: RuleInputs, goal: Goal, course: CourseStats
) -> tuple[float | None, dict[str, Any]]:
    """The course's predicted duration, as CR04 predicts any race: from its distance and its
    own ascent (not a typed descent)."""
    pred, ev = predicted_time(
        ctx, sport_family(goal.sport), course.distance_km * 1000.0, ctx.today, course.ascent_m
    )
    ev["method"] = "Riegel 1.06 on ITRA effort km (km + ascent m / 100)"
    ev["course_effort_km"] = course.effort_km
    if pred is not None:
        ev["predicted_time_s"] = pred
    return pred, ev


def week_totals(ctx: RuleInputs, attr: str) -> list[float]:
    """Totals of ``attr`` over the consecutive 7-day blocks ending on ``ctx.today`` that fill
    the CR06 window (6 blocks for 42 days), on-foot sessions only."""
    days = int(ctx.th["CR06"]["window_days"])
    out = []
    for k in range(days // 7):
        end = ctx.today + timedelta(days=1 - 7 * k)
        sessions = ctx.before_day(end, 7, FOOT)
        out.append(sum(getattr(g, attr) or 0.0 for g in sessions))
    return out


def cr06_course(ctx: RuleInputs, course: CourseStats) -> GoalAssessment:
    th = ctx.th["CR06"]
    if not course.has_elevation or course.descent_m is None:
        return CR06.assessment("unknown", None, "unknown: the course has no elevation", {})
    prior = [
        g
        for g in ctx.before_day(ctx.today + timedelta(days=1), th["window_days"], FOOT)
        if g.descent_m is not None
    ]
    max_d = max((g.descent_m or 0.0 for g in prior), default=0.0)
    max_e10 = max((g.e10_km or 0.0 for g in prior), default=0.0)
    max_e15 = max((g.e15_km or 0.0 for g in prior), default=0.0)
    max_steep = max((g.min_le10 or 0.0 for g in prior), default=0.0)
    week_d = max(week_totals(ctx, "descent_m"), default=0.0)
    week_e10 = max(week_totals(ctx, "e10_km"), default=0.0)
    e10 = course.e10_km or 0.0
    per_km = course.descent_m / course.distance_km
    heavy = course.descent_m >= th["floor_descent_m"] and per_km >= th["goal_heavy_m_per_km"]
    ev = {
        "source": "course",
        "goal_descent_m": course.descent_m,
        "goal_e10_km": e10,
        "goal_e15_km": course.e15_km,
        "goal_longest_descent_m": course.longest_descent_m,
        "goal_descent_m_per_km": per_km,
        "prior_max_descent_m": max_d,
        "prior_max_e10_km": max_e10,
        "prior_max_e15_km": max_e15,
        "prior_max_min_le10": max_steep,
        "prior_max_week_descent_m": week_d,
        "prior_max_week_e10_km": week_e10,
        "sessions_with_elevation": len(prior),
        "downhill_heavy": heavy,
    }
    ratio = th["ratio"]
    over_d = course.descent_m >= th["floor_descent_m"] and course.descent_m > ratio * max_d
    over_e = e10 >= th["floor_e10_km"] and e10 > ratio * max_e10
    week = (
        f"; best week {week_d:.0f} m and {week_e10:.1f} km at ≤ −10 %"
        if week_d or week_e10
        else "; no descent in any week"
    )
    course_txt = f"Course descends {course.descent_m:.0f} m with {e10:.1f} km at ≤ −10 %"
    best = f"best session in 6 weeks {max_d:.0f} m and {max_e10:.1f} km"
    if over_d or over_e:
        return CR06.assessment("flag", "warning", f"{course_txt}; {best}{week}", ev)
    if heavy and max_steep < th["min_le10"]:
        msg = (
            f"{course_txt}; no session in 6 weeks with {th['min_le10']:.0f} min at ≤ −10 % "
            f"(best {max_steep:.1f} min)"
        )
        return CR06.assessment("flag", "caution", msg, ev)
    if course.descent_m > week_d:
        return CR06.assessment("flag", "caution", f"{course_txt}: more than any week{week}", ev)
    return CR06.assessment("ok", None, f"{course_txt}; {best}{week}: covered", ev)


def cr04_course(ctx: RuleInputs, goal: Goal, course: CourseStats) -> GoalAssessment:
    th = ctx.th["CR04"]
    pred, ev = course_prediction(ctx, goal, course)
    if pred is None:
        return CR04.assessment(
            "unknown", None, "Fewer than 4 recent sessions to predict the course time from", ev
        )
    if not goal.target_time_s:
        msg = f"No target time; predicted {fmt_dur(pred)} for the course ({ev.get('basis')})"
        return CR04.assessment("unknown", None, msg, ev)
    faster = (pred - goal.target_time_s) / pred * 100.0
    ev.update(target_time_s=goal.target_time_s, faster_pct=faster)
    sev = band(faster, th["caution_pct"], th["warning_pct"])
    basis = f"{ev.get('basis', 'training')}; {course.effort_km:.0f} km-effort"
    msg = (
        f"Target {fmt_dur(goal.target_time_s)} is {faster:.0f} % faster than the "
        f"{fmt_dur(pred)} predicted for the course ({basis})"
        if faster > 0
        else f"Target {fmt_dur(goal.target_time_s)} is within the climb-adjusted "
        f"prediction for the course ({fmt_dur(pred)}; {basis})"
    )
    return CR04.assessment("flag" if sev else "ok", sev, msg, ev)


def cr10_course(ctx: RuleInputs, goal: Goal, course: CourseStats) -> GoalAssessment:
    pred, pev = course_prediction(ctx, goal, course)
    dur, how = (pred, "climb-adjusted prediction") if pred else (goal.target_time_s, "target")
    if not dur:
        return CR10.assessment("unknown", None, "Goal duration unknown", pev)
    return cr10_against_longest(ctx, goal, dur, how, "Course takes", {"method": pev["method"]})
