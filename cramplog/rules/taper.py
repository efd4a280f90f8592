"""CR08 taper_gap: days off at peak fitness, or a taper that cuts session frequency.

(a) A run of ≥ 3 consecutive days without load whose day before has CTL ≥ 90 % of the
    CTL peak of the previous 90 days. Dated on the day training resumes (linked to the first
    session of that day), or on the third rest day when the gap is still open (an open gap
    longer than 14 days is the log ending, not a break, and is not reported). Silent for the
    first 42 days of the log (CTL starts at 0 and its "peak" is then just its latest value).
(b) Sessions of the goal's sport in the 14 days before a goal < 50 % of the usual rate
    (the 6 weeks before those 14 days). Past goals → finding on the goal day; the next goal →
    readiness once at least 4 days of the taper window have passed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cramplog.model import Finding, Goal, Status, sport_family
from cramplog.rules.base import GoalAssessment, Rule, RuleInputs

BASELINE_DAYS = 42
MIN_ELAPSED_DAYS = 4


def _gaps(ctx: RuleInputs) -> list[Finding]:
    th = ctx.th["CR08"]
    d = ctx.arrays()
    if d.n == 0:
        return []
    load = d.cols["load"]
    ctl = d.cols["ctl"]
    days = [d.day(k) for k in range(d.n)]
    n = len(load)
    out = []
    i = 0
    while i < n:
        if load[i] > 0:
            i += 1
            continue
        j = i
        while j < n and load[j] == 0:
            j += 1
        length = j - i
        p = i - 1
        if length >= th["gap_days"] and p >= th["warmup_days"]:
            lo = max(0, p - int(th["peak_window_days"]) + 1)
            peak = float(ctl[lo : p + 1].max())
            resumed = j < n
            too_long = not resumed and length > th["open_gap_max_days"]
            if peak > 0 and ctl[p] >= th["ctl_fraction"] * peak and not too_long:
                day = days[j] if resumed else days[i + int(th["gap_days"]) - 1]
                sess = [f for f in ctx.features if f.local_date == day] if resumed else []
                aid = max(sess, key=lambda f: f.load).activity_id if sess else None
                ev = {"gap_start": days[i], "gap_days": length, "gap_open": not resumed,
                      "ctl_before": float(ctl[p]), "ctl_peak_90d": peak,
                      "ctl_pct_of_peak": 100 * float(ctl[p]) / peak, "form": "gap"}  # fmt: skip
                msg = (
                    f"{length} days without training starting {days[i].isoformat()} while fitness "
                    f"(CTL {ctl[p]:.0f}) was at {ev['ctl_pct_of_peak']:.0f} % of its 90-day peak"
                )
                out.append(RULE.finding(day, "caution", msg, ev, aid))
        i = j
    return out


def _frequency(ctx: RuleInputs, goal: Goal, end: date) -> tuple[Status, dict[str, Any]] | None:
    """(status, evidence) for the taper window [goal − 14, end) against the baseline."""
    th = ctx.th["CR08"]
    fam = frozenset({sport_family(goal.sport)})
    start = goal.date - timedelta(days=int(th["taper_days"]))
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
    last = ctx.features[-1].local_date if ctx.features else None
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
            "unknown", None, "Checked once the last 14 days before the goal are under way", {}
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
    summary="≥ 3 days off with CTL ≥ 90 % of its 90-day peak, or ≥ 50 % fewer sessions in a taper",
)
