"""A plan for the weeks left: one concrete, dated step per flagged goal-readiness rule.

Each step closes its rule's gap before the taper (``TAPER_DAYS`` = 14 days before the goal:
Bosquet et al. 2007 found 8–14-day tapers best) within what SCIENCE.md supports:

- CR05 / CR10 long runs: one a week (≥ 7 days apart), each at most ``CR01.caution`` − 1 %
  above the longest run of the 30 days before it, until the longest reaches 0.75 × the goal
  distance (CR05 caution line) and, for CR10, the goal duration ÷ 1.2; and until there are 3
  runs ≥ the long-run length in the 70 days before the goal.
- CR06 descent: sessions ≥ 7 days apart, each at most 1.5 × the largest descent of the 6 weeks
  before it (CR06's own line), until one session reaches the course's D− and E10 ÷ 1.5 with
  ≥ 5 min at ≤ −10 %; the repeated-bout effect protects for 3–6 weeks (Byrnes et al. 1985).
- CR07 heat: 8–10 sessions of ≥ 60 min at ≥ the goal temperature's band in the 14 days
  before (acclimatization takes 10–14 days, Binkley 2002; 75 % in 4–6 days, Pandolf 1998);
  CR07 is silent from 5.
- CR04 pace: race to the climb-adjusted prediction; CR08: keep frequency in the taper.

No step may trip CR01 or CR02 against the athlete's own history: ``Simulation`` appends the
planned sessions (as synthetic ``SessionFeatures``) to the history plus the athlete's last
4 weeks repeated forward (the training around them), runs the two rules, and counts only what
fires on a planned day and does not fire without the plan. A step that trips is shrunk (5 %
at a time, at most 6 times); when the gap cannot be closed safely in the time left, the step
says so instead (``feasible`` False).
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from cramplog.features.compute import SessionFeatures
from cramplog.model import Goal, sport_family
from cramplog.rules import RULES, RuleInputs
from cramplog.rules.base import fmt_dur

if TYPE_CHECKING:
    from cramplog.rules import GoalAssessment


@dataclass
class Readiness:
    """What the planner reads: the goal (with the course's numbers) and its assessments."""

    goal: Goal
    today: date
    assessments: list[GoalAssessment]

    @property
    def days_to_goal(self) -> int:
        return (self.goal.date - self.today).days


TAPER_DAYS = 14
GAP_DAYS = 7
SHRINK, MAX_SHRINK = 0.95, 6
KM_PER_DESCENT_M = 1 / 60.0  # a descent session runs at most ~60 m of descent per km
HEAT_MIN, HEAT_MAX = 8, 10


@dataclass
class PlanStep:
    rule: str
    by: date
    action: str
    target: dict[str, Any]
    sources: tuple[str, ...]
    grade: str
    feasible: bool = True
    sessions: list[SessionFeatures] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        from cramplog.rules.base import json_safe

        return {
            "rule": self.rule,
            "by": self.by.isoformat(),
            "action": self.action,
            "target": json_safe(self.target),
            "sources": list(self.sources),
            "grade": self.grade,
            "feasible": self.feasible,
        }


class Simulation:
    """History + the last 4 weeks repeated up to the goal; CR01 and CR02 on planned sessions."""

    def __init__(self, ctx: RuleInputs, goal: Goal):
        self.ctx, self.goal = ctx, goal
        self.fam = sport_family(goal.sport)
        self.history = [f for f in ctx.features if f.local_date <= ctx.today]
        recent = [f for f in self.history if (ctx.today - f.local_date).days < 28]
        self.baseline = [
            _moved(f, f.local_date + timedelta(days=28 * k))
            for k in range(1, (goal.date - ctx.today).days // 28 + 2)
            for f in recent
            if ctx.today < f.local_date + timedelta(days=28 * k) < goal.date
        ]
        runs = [f for f in recent if f.family == self.fam and f.distance_km and f.duration_s]
        self.pace = statistics.median(f.duration_s / f.distance_km for f in runs) if runs else 420.0  # type: ignore[operator]
        self.load_per_min = (
            statistics.median(f.load / f.minutes for f in runs if f.minutes) if runs else 1.0
        )
        self._next_id = -1
        self.base_cr02 = {f.date for f in self._run([])[1]}

    def session(self, day: date, km: float, **extra: Any) -> SessionFeatures:
        """A planned session of ``km`` at the athlete's median pace and load per minute."""
        dur = km * self.pace
        start = datetime.combine(day, time(8, 0), tzinfo=self.history[-1].start.tzinfo)
        f = SessionFeatures(
            activity_id=self._next_id, local_date=day, sport=self.goal.sport, family=self.fam,
            is_race=False, start=start, distance_m=km * 1000.0, elapsed_s=dur, moving_s=dur,
            pace_s_per_km=self.pace, load=self.load_per_min * dur / 60.0, load_source="plan",
        )  # fmt: skip
        self._next_id -= 1
        return dataclasses.replace(f, **extra)

    def _run(self, planned: list[SessionFeatures]) -> tuple[list[Any], list[Any]]:
        from cramplog.metrics.daily import daily_series

        days = {f.local_date for f in planned}
        base = [f for f in self.baseline if not (f.local_date in days and f.family == self.fam)]
        feats = sorted(self.history + base + planned, key=lambda f: f.start)
        th = self.ctx.th
        daily = daily_series(
            feats, today=self.goal.date - timedelta(days=1), heat_c=th["general"]["heat_c"],
            cap=th["CR03"]["cap"], decay_per_day=th["CR07"]["decay_per_day"],
        )  # fmt: skip
        c = RuleInputs(feats, daily, self.ctx.profile, th, self.goal.date, [])
        return RULES["CR01"].run(c), RULES["CR02"].run(c)

    def trips(self, planned: list[SessionFeatures]) -> list[SessionFeatures]:
        """The planned sessions on which CR01 or CR02 fires (CR02: only where it does not
        fire without the plan)."""
        cr01, cr02 = self._run(planned)
        ids = {f.activity_id for f in cr01}
        bad_days = {f.date for f in cr02} - self.base_cr02
        return [p for p in planned if p.activity_id in ids or p.local_date in bad_days]


def _moved(f: SessionFeatures, day: date) -> SessionFeatures:
    shift = day - f.local_date
    return dataclasses.replace(f, local_date=day, start=f.start + shift, activity_id=None)


def _safe(sim: Simulation, planned: list[SessionFeatures], fixed: list[SessionFeatures],
          attrs: tuple[str, ...]) -> list[SessionFeatures]:  # fmt: skip
    """``planned`` with each session that trips CR01/CR02 shrunk (its ``attrs`` and duration
    by 5 % a time); sessions that still trip after ``MAX_SHRINK`` tries are dropped."""
    out = list(planned)
    for _ in range(MAX_SHRINK):
        bad = {id(p) for p in sim.trips(fixed + out)}
        if not bad:
            return out
        out = [_shrink(p, attrs) if id(p) in bad else p for p in out]
    bad = {id(p) for p in sim.trips(fixed + out)}
    return [p for p in out if id(p) not in bad]


def _shrink(p: SessionFeatures, attrs: tuple[str, ...]) -> SessionFeatures:
    ch = {a: getattr(p, a) * SHRINK for a in attrs if getattr(p, a) is not None}
    for a in ("distance_m", "elapsed_s", "moving_s", "load"):
        ch[a] = getattr(p, a) * SHRINK
    return dataclasses.replace(p, **ch)


def _max_before(sessions: list[SessionFeatures], day: date, days: int, attr: str,
                fams: frozenset[str]) -> float:  # fmt: skip
    lo = day - timedelta(days=days)
    return max(
        (
            getattr(g, attr) or 0.0
            for g in sessions
            if lo <= g.local_date < day and g.family in fams
        ),
        default=0.0,
    )


def _long_runs(ctx: RuleInputs, r: Readiness, sim: Simulation) -> list[PlanStep]:
    goal, th5 = r.goal, ctx.th["CR05"]
    flags = {a.rule: a for a in r.assessments if a.status == "flag"}
    if not goal.distance_km or not ({"CR05", "CR10"} & set(flags)):
        return []
    fams = frozenset({sim.fam})
    long_km = (
        th5["long_km_marathon"]
        if goal.distance_km >= 42.195
        else th5["long_fraction"] * goal.distance_km
    )
    target = th5["caution_ratio"] * goal.distance_km if "CR05" in flags else 0.0
    if "CR10" in flags:
        dur = flags["CR10"].evidence.get("goal_duration_s") or 0.0
        # time on feet, at the pace of the athlete's longest recent run (long runs are slower)
        longest_run = max((g for g in sim.history if g.family == sim.fam and g.distance_km
                           and g.duration_s), key=lambda g: g.distance_m or 0.0, default=None)  # fmt: skip
        pace = longest_run.duration_s / longest_run.distance_km if longest_run else sim.pace  # type: ignore[operator]
        target = max(target, dur / ctx.th["CR10"]["caution"] / pace)
    target = math.ceil(target * 2) / 2
    need = int(th5["min_long_runs"]) if "CR05" in flags else 1
    window_lo = goal.date - timedelta(days=int(th5["window_days"]))
    have = [
        g
        for g in sim.history
        if g.family == sim.fam and g.local_date >= window_lo and (g.distance_km or 0) >= long_km
    ]
    taper = goal.date - timedelta(days=TAPER_DAYS)
    last_long = max((g.local_date for g in have), default=ctx.today - timedelta(days=GAP_DAYS))
    day = max(ctx.today + timedelta(days=1), last_long + timedelta(days=GAP_DAYS))
    step_ratio = ctx.th["CR01"]["caution"] - 0.01
    planned: list[SessionFeatures] = []
    while day <= taper:
        allp = sim.history + planned
        cap = (
            step_ratio
            * _max_before(allp, day, int(ctx.th["CR01"]["window_days"]), "distance_m", fams)
            / 1000
        )
        km = math.floor(min(target, cap) * 2) / 2
        if km <= 0:
            break
        planned.append(sim.session(day, km))
        planned = _safe(sim, planned[:-1], [], ()) + _safe(sim, planned[-1:], planned[:-1], ())
        n_long = len(have) + sum(1 for p in planned if (p.distance_km or 0) >= long_km)
        longest = max(
            [p.distance_km or 0.0 for p in planned] + [g.distance_km or 0.0 for g in have]
        )
        if longest >= target and n_long >= need:
            break
        day += timedelta(days=GAP_DAYS)
    kms = [round(p.distance_km or 0.0, 1) for p in planned]
    longest = max(kms + [g.distance_km or 0.0 for g in have], default=0.0)
    n_long = len(have) + sum(1 for k in kms if k >= long_km)
    ok = longest >= target and n_long >= need
    rules = "+".join(r for r in ("CR05", "CR10") if r in flags)
    src = (
        "Frandsen et al. 2025 (≤ +10 %, CR01)",
        "seed accounts (long runs, weekly)",
        "Bosquet et al. 2007 (taper)",
    )
    tgt = {"runs": len(planned), "km": kms, "longest_km": target, "long_run_km": long_km,
           "long_runs_needed": need, "min_gap_days": GAP_DAYS}  # fmt: skip
    by = planned[-1].local_date if planned and ok else taper
    if ok:
        dates = ", ".join(
            f"{p.local_date:%d %b} {k:g} km" for p, k in zip(planned, kms, strict=True)
        )
        act = (f"{len(planned)} long runs building to ≥ {target:g} km before {taper:%d %B}, at least "
               f"{GAP_DAYS} days apart, each ≤ +10 % on the longest of the 30 days before: {dates}")  # fmt: skip
    else:
        reach = (f"a safe progression (≤ +10 % a week, CR01 and CR02 checked) reaches "
                 f"{longest:g} km by {taper:%d %B}" if planned
                 else f"no week is left before the taper ({taper:%d %B}); the longest is {longest:g} km")  # fmt: skip
        act = (f"Too little time to close the gap safely: {reach}, short of {target:g} km and "
               f"{need} runs ≥ {long_km:g} km; plan the race on what is there (start slower, "
               f"walk the climbs) rather than cramming long runs into the taper")  # fmt: skip
    return [PlanStep(rules, by, act, tgt, src, "anecdotal", ok, planned)]


def _descent(
    ctx: RuleInputs, r: Readiness, sim: Simulation, fixed: list[SessionFeatures]
) -> list[PlanStep]:
    a = next((a for a in r.assessments if a.rule == "CR06" and a.status == "flag"), None)
    if a is None:
        return []
    th = ctx.th["CR06"]
    ev = a.evidence
    goal_d, goal_e = ev.get("goal_descent_m") or 0.0, ev.get("goal_e10_km") or 0.0
    need_d = max(th["floor_descent_m"], math.ceil(goal_d / th["ratio"] / 50) * 50)
    need_e = math.ceil(goal_e / th["ratio"] * 2) / 2 if goal_e else th["floor_e10_km"]
    taper = r.goal.date - timedelta(days=TAPER_DAYS)
    from cramplog.rules.descent import FOOT

    day = ctx.today + timedelta(days=3)
    planned: list[SessionFeatures] = []
    fixed_days = {f.local_date for f in fixed}
    while day < taper:
        if day in fixed_days:
            day += timedelta(days=1)
            continue
        allp = sim.history + planned
        max_d = _max_before(allp, day, int(th["window_days"]), "descent_m", FOOT)
        max_e = _max_before(allp, day, int(th["window_days"]), "e10_km", FOOT)
        d = min(need_d, max(th["floor_descent_m"], (th["ratio"] - 0.01) * max_d))
        e = min(need_e, max(th["floor_e10_km"], (th["ratio"] - 0.01) * max_e))
        km = max(e * 2, d * KM_PER_DESCENT_M, 8.0)
        s = sim.session(
            day, round(km, 1), descent_m=d, ascent_m=d, e10_km=e, min_le10=e * 8, e15_km=e / 3
        )
        planned += _safe(
            sim, [s], fixed + planned, ("descent_m", "ascent_m", "e10_km", "min_le10", "e15_km")
        )
        if (
            planned
            and (planned[-1].descent_m or 0) >= need_d
            and (planned[-1].e10_km or 0) >= need_e
        ):
            break
        day += timedelta(days=GAP_DAYS)
    ok = (
        bool(planned)
        and (planned[-1].descent_m or 0) >= need_d
        and (planned[-1].e10_km or 0) >= need_e
    )
    tgt = {"sessions": len(planned), "descent_m": [round(p.descent_m or 0) for p in planned],
           "e10_km": [round(p.e10_km or 0, 1) for p in planned], "min_le10": th["min_le10"],
           "min_gap_days": GAP_DAYS}  # fmt: skip
    if ok:
        act = (f"{len(planned)} downhill sessions before {taper:%d %B}, at least {GAP_DAYS} days "
               f"apart, each ≤ 1.5 × the biggest descent of the 6 weeks before it, building to "
               f"≥ {need_d:.0f} m descent and ≥ {need_e:g} km at ≤ −10 % (≥ {th['min_le10']:.0f} min)")  # fmt: skip
        by = planned[-1].local_date
    else:
        have = ev.get("prior_max_descent_m") or 0.0
        reach = (f"a ≤ 1.5× progression reaches {max(p.descent_m or 0 for p in planned):.0f} m by "
                 f"{taper:%d %B}" if planned
                 else f"no week is left before the taper ({taper:%d %B}); the biggest recent descent is {have:.0f} m")  # fmt: skip
        act = (f"Too little time to build the descent safely: {reach}, short of {need_d:.0f} m and "
               f"{need_e:g} km at ≤ −10 %; take the race's descents conservatively")  # fmt: skip
        by = taper
    return [PlanStep("CR06", by, act, tgt, a.sources, a.grade, ok, planned)]


def _heat(ctx: RuleInputs, r: Readiness, sim: Simulation) -> list[PlanStep]:
    a = next((a for a in r.assessments if a.rule == "CR07" and a.status == "flag"), None)
    if a is None:
        return []
    th = ctx.th["CR07"]
    temp = r.goal.temperature_c or th["caution_c"]
    start = max(ctx.today + timedelta(days=1), r.goal.date - timedelta(days=int(th["window_days"])))
    days = (r.goal.date - start).days
    need = int(th["min_sessions"])
    n = min(HEAT_MAX, days)
    tgt = {"sessions": n, "min_sessions": need, "session_min": th["session_min"],
           "temperature_c": min(temp, th["caution_c"]), "from": start, "days": days}  # fmt: skip
    if n < need:
        act = (f"Too little time to acclimatize: {days} days left, and CR07 asks {need} sessions of "
               f"≥ {th['session_min']:.0f} min in the heat; run the hot race slower and cool down")  # fmt: skip
        return [PlanStep("CR07", r.goal.date, act, tgt, a.sources, a.grade, False)]
    km = th["session_min"] * 60 / sim.pace
    sessions = [
        sim.session(start + timedelta(days=round(i * days / n)), round(km, 1)) for i in range(n)
    ]
    kept = _safe(sim, sessions, [], ())
    tgt["sessions"] = len(kept)
    last = r.goal.date - timedelta(days=1)
    if len(kept) < need:
        act = (f"Too little time to acclimatize safely: only {len(kept)} heat sessions fit before the "
               f"race without tripping CR01/CR02, and CR07 asks {need}; run the hot race slower")  # fmt: skip
        return [PlanStep("CR07", last, act, tgt, a.sources, a.grade, False, kept)]
    act = (f"{len(kept)} heat sessions of ≥ {th['session_min']:.0f} min at ≥ {tgt['temperature_c']:.0f} °C "
           f"between {start:%d %B} and {last:%d %B} (CR07 is silent from {need}; 8–10 is the usual "
           f"acclimatization course); replace usual runs, don't add them")  # fmt: skip
    return [PlanStep("CR07", last, act, tgt, a.sources, a.grade, True, kept)]


def _pace_taper(r: Readiness) -> list[PlanStep]:
    out = []
    for a in r.assessments:
        if a.status != "flag":
            continue
        if a.rule == "CR04" and a.evidence.get("predicted_time_s"):
            pred = a.evidence["predicted_time_s"]
            act = (f"Pace the race for about {fmt_dur(pred)}, the time recent training predicts "
                   f"(not the {fmt_dur(a.evidence.get('target_time_s'))} target): start at that pace")  # fmt: skip
            out.append(
                PlanStep("CR04", r.goal.date, act, {"predicted_time_s": pred}, a.sources, a.grade)
            )
        elif a.rule == "CR08":
            act = ("Keep running as often in the last 14 days and cut volume by 41–60 %; no run "
                   "of 3 or more days off before the race")  # fmt: skip
            out.append(PlanStep("CR08", r.goal.date, act, {"volume_cut_pct": [41, 60], "max_days_off": 2},
                                a.sources, a.grade))  # fmt: skip
    return out


def plan_steps(ctx: RuleInputs, goal: Goal, assessments: list[GoalAssessment]) -> list[PlanStep]:
    """One step per flagged rule that training can act on, as of ``ctx.today``."""
    r = Readiness(goal, ctx.today, assessments)
    if (
        r.days_to_goal <= 0
        or not ctx.features
        or not any(a.status == "flag" for a in r.assessments)
    ):
        return []
    sim = Simulation(ctx, r.goal)
    steps = _long_runs(ctx, r, sim)
    fixed = [s for st in steps for s in st.sessions]
    steps += _descent(ctx, r, sim, fixed)
    steps += _heat(ctx, r, sim)
    steps += _pace_taper(r)
    return steps
