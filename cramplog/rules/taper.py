"""CR08 taper_gap: days off at peak fitness, or a taper that cuts session frequency.

(a) A run of ≥ 3 consecutive days without load, longer than the athlete's usual rest (their
    own 90th-percentile rest run of the previous 12 weeks) and no longer than 14 days (a
    longer gap is a break, not a taper gap: CR08 says nothing; CR02 reports the return),
    whose day before has CTL ≥ 90 % of the CTL peak of the previous 90 days. CTL here is
    seeded from the mean load of the first 42 days, as the ACWR averages are (a CTL started
    at 0 sits at its own peak for months). Dated on the day training resumes, linked to the
    first session of that day. A gap still open at the end of the log is not reported: the
    days after the last session are no data, not rest (the daily series ends there).
(b) Sessions of the goal's sport in the 14 days before a goal < 50 % of the usual rate
    (the 6 weeks before those 14 days), counted only over days the log covers. Past goals →
    finding on the goal day; the next goal → readiness once at least 4 days of the taper
    window have passed *in the log*.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cramplog.model import Finding, Goal, Status, sport_family
from cramplog.rules.base import GoalAssessment, Rule, RuleInputs
from cramplog.rules.baseline import rest_runs, seeded_ewma, usual_rest

BASELINE_DAYS = 42
MIN_ELAPSED_DAYS = 4


def _gaps(ctx: RuleInputs) -> list[Finding]:
    th = ctx.th["CR08"]
    d = ctx.arrays()
    if d.n == 0:
        return []
    load = d.cols["load"]
    ctl = seeded_ewma(load, 42.0, int(th["warmup_days"]))
    runs = rest_runs(load)
    out = []
    for i, length in runs:
        j, p = i + length, i - 1
        if j >= d.n or length < th["gap_days"] or length > th["break_days"]:
            continue  # open at the end of the log (no data), too short, or a break
        if p < th["warmup_days"]:
            continue
        usual = usual_rest(runs, i, int(th["usual_rest_window_days"]), th["usual_rest_quantile"])
        if length <= usual:
            continue  # no longer than this athlete's usual rest
        lo = max(0, p - int(th["peak_window_days"]) + 1)
        peak = float(ctl[lo : p + 1].max())
        if peak <= 0 or ctl[p] < th["ctl_fraction"] * peak:
            continue
        day, start = d.day(j), d.day(i)
        sess = [f for f in ctx.features if f.local_date == day]
        aid = max(sess, key=lambda f: f.load).activity_id if sess else None
        ev = {"gap_start": start, "gap_days": length, "usual_rest_days": usual,
              "ctl_before": float(ctl[p]), "ctl_peak_90d": peak,
              "ctl_pct_of_peak": 100 * float(ctl[p]) / peak, "form": "gap"}  # fmt: skip
        msg = (
            f"{length} days without training starting {start.isoformat()} (you usually rest "
            f"at most {usual:.0f}) while fitness (CTL {ctl[p]:.0f}) was at "
            f"{ev['ctl_pct_of_peak']:.0f} % of its 90-day peak"
        )
        out.append(RULE.finding(day, "caution", msg, ev, aid))
    return out


def _last_day(ctx: RuleInputs) -> date | None:
    return max((f.local_date for f in ctx.features), default=None)


def _frequency(ctx: RuleInputs, goal: Goal, end: date) -> tuple[Status, dict[str, Any]] | None:
    """(status, evidence) for the taper window [goal − 14, end) against the baseline."""
    th = ctx.th["CR08"]
    fam = frozenset({sport_family(goal.sport)})
    start = goal.date - timedelta(days=int(th["taper_days"]))
    last = _last_day(ctx)
    if last is not None:
        end = min(end, last + timedelta(days=1))  # days after the last session: no data
    elapsed = (end - start).days
    if (
        elapsed < MIN_ELAPSED_DAYS
        or ctx.first_day is None
        or ctx.first_day > start - timedelta(days=BASELINE_DAYS)
    ):
        return None
    recent = len([f for f in ctx.features if start <= f.local_date < end and f.family in fam])
    base = len(ctx.before_day(start, BASELINE_DAYS, fam))
    if base == 0:
        return None
    base_rate = base / BASELINE_DAYS * 14
    rate = recent / elapsed * 14
    drop = 1 - rate / base_rate
    ev = {"sessions_taper": recent, "taper_days_elapsed": elapsed, "sessions_per_14d": rate,
          "usual_sessions_per_14d": base_rate, "drop_pct": 100 * drop, "form": "frequency"}  # fmt: skip
    return ("flag" if drop >= th["frequency_drop"] else "ok"), ev


def _run(ctx: RuleInputs) -> list[Finding]:
    out = _gaps(ctx)
    last = _last_day(ctx)
    for goal in ctx.profile.goals:
        if last is None or goal.date > min(last, ctx.today):
            continue
        res = _frequency(ctx, goal, goal.date)
        if res and res[0] == "flag":
            ev = res[1]
            ev["goal"] = goal.name
            msg = (
                f"{goal.name}: {ev['sessions_per_14d']:.0f} sessions in the 14 days before vs "
                f"{ev['usual_sessions_per_14d']:.0f} usually ({ev['drop_pct']:.0f} % fewer)"
            )
            out.append(RULE.finding(goal.date, "caution", msg, ev))
    return out


def _goal(ctx: RuleInputs, goal: Goal) -> GoalAssessment:
    res = _frequency(ctx, goal, min(goal.date, ctx.today + timedelta(days=1)))
    if res is None:
        return RULE.assessment(
            "unknown",
            None,
            "Checked once the log covers at least 4 of the 14 days before the goal",
            {},
        )
    status, ev = res
    msg = (
        f"{ev['sessions_per_14d']:.0f} sessions per 14 days in the taper vs "
        f"{ev['usual_sessions_per_14d']:.0f} usually"
    )
    return RULE.assessment(status, "caution" if status == "flag" else None, msg, ev)


RULE = Rule(
    id="CR08",
    name="taper_gap",
    grade="anecdotal",
    sources=(
        "seed account (cramps after 1–3 days off at peak fitness)",
        "Bosquet et al. 2007, MSSE 39:1358",
    ),  # fmt: skip
    run=_run,
    assess_goal=_goal,
    summary="3–14 days off, longer than your usual rest, with CTL ≥ 90 % of its 90-day peak; "
    "or ≥ 50 % fewer sessions in a taper",
)
