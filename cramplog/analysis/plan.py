"""A plan for the weeks left: one concrete, dated step per flagged goal-readiness rule.

Each step closes its rule's gap before the taper (``TAPER_DAYS`` = 14 days before the goal:
Bosquet et al. 2007 found 8–14-day tapers best) within what SCIENCE.md supports:

- CR05 / CR10 long runs: one a week (≥ 7 days apart), each at most ``CR01.caution`` − 1 %
  above the longest run of the 30 days before it, until the longest reaches 0.75 × the goal
  distance (CR05 caution line) with 3 runs ≥ the long-run length in the 70 days before the
  goal, and, for CR10, lasts the goal duration ÷ 1.2 (at the pace of the athlete's longest
  run), never longer than 80 % of the race (a design choice). One progression serves both;
  each rule gets its own step.
- CR06 descent: sessions ≥ 7 days apart, each at most 1.5 × the largest descent of the 6 weeks
  before it (CR06's own line), at most ~60 m of descent per km and 40 % of the distance at
  ≤ −10 %, until one session reaches the course's D− and E10 ÷ 1.5 with ≥ 5 min at ≤ −10 %;
  the repeated-bout effect protects for 3–6 weeks (Byrnes et al. 1985). When the plan has
  long runs, they carry the descent (hilly long runs) rather than adding sessions.
- CR07 heat: 8–10 sessions of ≥ 60 min at ≥ the heat threshold in the 14 days before
  (acclimatization takes 10–14 days, Binkley 2002; 75 % in 4–6 days, Pandolf 1998); CR07 is
  silent from 5.
- CR04 pace: race to the climb-adjusted prediction; CR08: keep frequency in the taper.

No step may trip CR01 or CR02 against the athlete's own history: ``plan_sim.Simulation``
runs the two rules over the history, the last 4 weeks repeated forward and the planned
sessions (synthetic ``SessionFeatures``); a session that trips is shrunk 5 % at a time, at
most 6 times, then dropped. When the gap cannot be closed safely in the time left, the step
says so instead (``feasible`` False). Finally all steps' sessions are checked together (one
session a day); a step whose session then trips is marked and says so.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from cramplog.analysis.plan_sim import Simulation, safe_sessions
from cramplog.features.compute import SessionFeatures
from cramplog.model import Goal
from cramplog.rules import RuleInputs
from cramplog.rules.base import fmt_dur

if TYPE_CHECKING:
    from cramplog.rules import GoalAssessment

TAPER_DAYS = 14
GAP_DAYS = 7
KM_PER_DESCENT_M = 1 / 60.0  # a descent session runs at most ~60 m of descent per km
E10_SHARE = 0.4  # and at most 40 % of its distance at ≤ −10 % (the sample course: 38 %)
LONGEST_SHARE = 0.8  # the longest planned run, as a share of the goal distance
HEAT_MAX = 10
LONG_SOURCES = (
    "Frandsen et al. 2025 (≤ +10 %, CR01)",
    "seed accounts (long runs, weekly)",
    "Bosquet et al. 2007 (taper)",
)


@dataclass
class Readiness:
    """What the planner reads: the goal (with the course's numbers) and its assessments."""

    goal: Goal
    today: date
    assessments: list[GoalAssessment]

    @property
    def days_to_goal(self) -> int:
        return (self.goal.date - self.today).days

    def flag(self, rule: str) -> GoalAssessment | None:
        return next((a for a in self.assessments if a.rule == rule and a.status == "flag"), None)


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


def _dated(sessions: list[SessionFeatures], what: str = "km") -> str:
    if what == "km":
        return ", ".join(
            f"{f.local_date:%d %b} {round(f.distance_km or 0.0, 1):g} km" for f in sessions
        )
    return ", ".join(f"{f.local_date:%d %b} {f.descent_m or 0:.0f} m" for f in sessions)


def _long_runs(ctx: RuleInputs, r: Readiness, sim: Simulation) -> list[PlanStep]:
    """Weekly long runs for CR05 and/or CR10: one progression, one step per flagged rule."""
    goal, th5 = r.goal, ctx.th["CR05"]
    a5, a10 = r.flag("CR05"), r.flag("CR10")
    if not goal.distance_km or (a5 is None and a10 is None):
        return []
    fams = frozenset({sim.fam})
    marathon = goal.distance_km >= 42.195
    long_km = th5["long_km_marathon"] if marathon else th5["long_fraction"] * goal.distance_km
    # time on feet at the pace of the athlete's longest run so far (long runs are slower)
    runs = [g for g in sim.history if g.family == sim.fam and g.distance_km and g.duration_s]
    longest_run = max(runs, key=lambda g: g.distance_m or 0.0, default=None)
    pace = longest_run.duration_s / longest_run.distance_km if longest_run else sim.pace  # type: ignore[operator]
    km5 = math.ceil(th5["caution_ratio"] * goal.distance_km * 2) / 2 if a5 else 0.0
    need = int(th5["min_long_runs"]) if a5 else 0
    dur10 = (a10.evidence.get("goal_duration_s") or 0.0) / ctx.th["CR10"]["caution"] if a10 else 0.0
    # no training run longer than LONGEST_SHARE of the race: CR10's time beyond that is not
    # bought with ever longer runs (a design choice; SCIENCE.md sets no upper bound)
    cap_km = math.floor(LONGEST_SHARE * goal.distance_km * 2) / 2
    target = max(km5, min(cap_km, math.ceil(dur10 / pace * 2) / 2))
    window_lo = goal.date - timedelta(days=int(th5["window_days"]))
    have = [g for g in runs if g.local_date >= window_lo and (g.distance_km or 0) >= long_km]
    have_dur = max((g.duration_s or 0.0 for g in runs), default=0.0)
    taper = goal.date - timedelta(days=TAPER_DAYS)
    last_long = max((g.local_date for g in have), default=ctx.today - timedelta(days=GAP_DAYS))
    day0 = ctx.today + timedelta(days=1)  # a too-late step is dated no earlier than tomorrow
    day = max(day0, last_long + timedelta(days=GAP_DAYS))
    step_ratio = ctx.th["CR01"]["caution"] - 0.01
    cr01_days = int(ctx.th["CR01"]["window_days"])

    def met5(p: list[SessionFeatures]) -> bool:
        longest = max([f.distance_km or 0.0 for f in p + have], default=0.0)
        n_long = len(have) + sum(1 for f in p if (f.distance_km or 0) >= long_km)
        return longest >= km5 and n_long >= need

    def met10(p: list[SessionFeatures]) -> bool:
        return max([f.duration_s or 0.0 for f in p] + [have_dur]) >= dur10

    planned: list[SessionFeatures] = []
    while day <= taper and not (met5(planned) and met10(planned)):
        cap = step_ratio * _max_before(sim.history + planned, day, cr01_days, "distance_m", fams)
        km = math.floor(min(target, cap / 1000) * 2) / 2
        if km <= 0:
            break
        planned += safe_sessions(sim, [sim.session(day, km, pace)], planned, ())
        day += timedelta(days=GAP_DAYS)
    safe = f"at least {GAP_DAYS} days apart, each ≤ +10 % on the longest of the 30 days before"
    late = f"no week is left before the taper ({taper:%d %B})"
    steps = []
    if a5 is not None:
        upto = next((i + 1 for i in range(len(planned)) if met5(planned[: i + 1])), None)
        mine = planned[:upto] if upto else planned
        kms = [round(f.distance_km or 0.0, 1) for f in mine]
        tgt = {"runs": len(mine), "km": kms, "longest_km": km5, "long_run_km": long_km,
               "long_runs_needed": need, "min_gap_days": GAP_DAYS}  # fmt: skip
        if upto:
            act = (f"{len(mine)} long runs building to ≥ {km5:g} km before {taper:%d %B}, "
                   f"{safe}: {_dated(mine)}")  # fmt: skip
            steps.append(
                PlanStep("CR05", mine[-1].local_date, act, tgt, LONG_SOURCES, a5.grade, True, mine)
            )
        else:
            best = max(kms + [g.distance_km or 0.0 for g in have], default=0.0)
            n_long = len(have) + sum(1 for k in kms if k >= long_km)
            short = " and ".join(
                x for x, gap in ((f"{km5:g} km", best < km5),
                                 (f"{need} runs ≥ {long_km:g} km", n_long < need)) if gap
            )  # fmt: skip
            reach = (f"the safe progression ({_dated(mine)}; ≤ +10 % a week, CR01 and CR02 "
                     f"checked) reaches {best:g} km by {taper:%d %B}" if mine else late)  # fmt: skip
            act = (f"Too little time to close the gap safely: {reach}, short of {short}; run what "
                   f"fits and plan the race on what is there (start slower, walk the climbs) "
                   f"rather than cramming long runs into the taper")  # fmt: skip
            steps.append(
                PlanStep("CR05", max(taper, day0), act, tgt, LONG_SOURCES, a5.grade, False, mine)
            )
    if a10 is not None:
        upto = next((i + 1 for i in range(len(planned)) if met10(planned[: i + 1])), None)
        mine = planned[:upto] if upto else planned
        longest_s = max([f.duration_s or 0.0 for f in mine] + [have_dur])
        tgt = {"longest_s": dur10, "runs": len(mine),
               "km": [round(f.distance_km or 0.0, 1) for f in mine], "min_gap_days": GAP_DAYS}  # fmt: skip
        if upto:
            act = (f"Time on feet: build the weekly long run to ≥ {fmt_dur(dur10)} "
                   f"({mine[-1].distance_km:g} km at your long-run pace) by "
                   f"{mine[-1].local_date:%d %B}, {safe}")  # fmt: skip
            steps.append(
                PlanStep("CR10", mine[-1].local_date, act, tgt, a10.sources, a10.grade, True, mine)
            )
        else:
            reach = (f"the longest safe run (≤ +10 % a week, at most {cap_km:g} km = "
                     f"{LONGEST_SHARE:.0%} of the race) reaches about {fmt_dur(longest_s)} by "
                     f"{taper:%d %B}" if mine else late)  # fmt: skip
            act = (f"Too little time to close the gap safely: {reach}, short of the "
                   f"{fmt_dur(dur10)} that would bring the race within 1.2× your longest "
                   f"session; pace the race conservatively")  # fmt: skip
            steps.append(
                PlanStep("CR10", max(taper, day0), act, tgt, a10.sources, a10.grade, False, mine)
            )
    return steps


def _descent(
    ctx: RuleInputs, r: Readiness, sim: Simulation, fixed: list[SessionFeatures]
) -> list[PlanStep]:
    from cramplog.rules.descent import FOOT

    a = r.flag("CR06")
    if a is None:
        return []
    th, ev = ctx.th["CR06"], a.evidence
    goal_d, goal_e = ev.get("goal_descent_m") or 0.0, ev.get("goal_e10_km") or 0.0
    need_d = max(th["floor_descent_m"], math.ceil(goal_d / th["ratio"] / 50) * 50)
    need_e = math.ceil(goal_e / th["ratio"] * 2) / 2 if goal_e else th["floor_e10_km"]
    taper = r.goal.date - timedelta(days=TAPER_DAYS)
    window = int(th["window_days"])
    step = th["ratio"] - 0.01  # each session under CR06's own 1.5× line

    def hilly(s: SessionFeatures, allp: list[SessionFeatures]) -> SessionFeatures:
        """``s`` carrying as much descent as CR06's progression and the terrain allow."""
        km = s.distance_km or 0.0
        max_d = _max_before(allp, s.local_date, window, "descent_m", FOOT)
        max_e = _max_before(allp, s.local_date, window, "e10_km", FOOT)
        d = min(need_d, max(th["floor_descent_m"], step * max_d), km / KM_PER_DESCENT_M)
        e = min(need_e, max(th["floor_e10_km"], step * max_e), km * E10_SHARE)
        return dataclasses.replace(
            s, descent_m=d, ascent_m=d, e10_km=e, min_le10=e * 8, e15_km=e / 3
        )

    def done(p: list[SessionFeatures]) -> bool:
        return bool(p) and (p[-1].descent_m or 0) >= need_d and (p[-1].e10_km or 0) >= need_e

    planned: list[SessionFeatures] = []
    on_long_runs = bool(fixed)
    if on_long_runs:  # the planned long runs carry the descent: hilly long runs, no extra sessions
        for s in sorted(fixed, key=lambda f: f.local_date):
            planned.append(hilly(s, sim.history + planned))
            if done(planned):
                break
    else:
        day = ctx.today + timedelta(days=1)
        while day <= taper and not done(planned):
            allp = sim.history + planned
            d = min(
                need_d,
                max(
                    th["floor_descent_m"], step * _max_before(allp, day, window, "descent_m", FOOT)
                ),
            )
            s = hilly(sim.session(day, round(max(d * KM_PER_DESCENT_M, 8.0), 1)), allp)
            planned += safe_sessions(
                sim, [s], planned, ("descent_m", "ascent_m", "e10_km", "min_le10", "e15_km")
            )
            day += timedelta(days=GAP_DAYS)
    ok = done(planned)
    tgt = {"sessions": len(planned), "on_long_runs": on_long_runs,
           "descent_m": [round(p.descent_m or 0) for p in planned],
           "e10_km": [round(p.e10_km or 0, 1) for p in planned], "min_le10": th["min_le10"],
           "min_gap_days": GAP_DAYS}  # fmt: skip
    if ok:
        what = (f"run {len(planned)} of the planned long runs on hilly ground ({_dated(planned, 'm')})"
                if on_long_runs else f"{len(planned)} downhill sessions ({_dated(planned, 'm')})")  # fmt: skip
        act = (f"{what[0].upper()}{what[1:]} before {taper:%d %B}, at least {GAP_DAYS} days apart, "
               f"each ≤ 1.5 × the biggest descent of the 6 weeks before it, building to "
               f"≥ {need_d:.0f} m descent and ≥ {need_e:g} km at ≤ −10 % (≥ {th['min_le10']:.0f} min)")  # fmt: skip
        return [
            PlanStep("CR06", planned[-1].local_date, act, tgt, a.sources, a.grade, True, planned)
        ]
    have = ev.get("prior_max_descent_m") or 0.0
    reach = (f"a ≤ 1.5× progression reaches {max(p.descent_m or 0 for p in planned):.0f} m by "
             f"{taper:%d %B}" if planned
             else f"no week is left before the taper ({taper:%d %B}); the biggest recent descent is {have:.0f} m")  # fmt: skip
    act = (f"Too little time to build the descent safely: {reach}, short of {need_d:.0f} m and "
           f"{need_e:g} km at ≤ −10 %; take the race's descents conservatively")  # fmt: skip
    day0 = ctx.today + timedelta(days=1)  # a too-late step is dated no earlier than tomorrow
    return [PlanStep("CR06", max(taper, day0), act, tgt, a.sources, a.grade, False, planned)]


def _heat(ctx: RuleInputs, r: Readiness, sim: Simulation, busy: set[date]) -> list[PlanStep]:
    a = r.flag("CR07")
    if a is None:
        return []
    th = ctx.th["CR07"]
    temp = min(r.goal.temperature_c or th["caution_c"], th["caution_c"])
    start = max(ctx.today + timedelta(days=1), r.goal.date - timedelta(days=int(th["window_days"])))
    days = (r.goal.date - start).days
    free = [start + timedelta(days=k) for k in range(days) if start + timedelta(days=k) not in busy]
    need, n = int(th["min_sessions"]), min(HEAT_MAX, len(free))
    last = r.goal.date - timedelta(days=1)
    tgt = {"sessions": n, "min_sessions": need, "session_min": th["session_min"],
           "temperature_c": temp, "from": start, "days": days}  # fmt: skip
    if n < need:
        act = (f"Too little time to acclimatize: {days} days left, and CR07 asks {need} sessions of "
               f"≥ {th['session_min']:.0f} min in the heat; run the hot race slower and cool down")  # fmt: skip
        return [PlanStep("CR07", r.goal.date, act, tgt, a.sources, a.grade, False)]
    km = round(th["session_min"] * 60 / sim.pace, 1)
    kept = safe_sessions(sim, [sim.session(free[i * len(free) // n], km) for i in range(n)], [], ())
    tgt["sessions"] = len(kept)
    if len(kept) < need:
        act = (f"Too little time to acclimatize safely: only {len(kept)} heat sessions fit before the "
               f"race without tripping CR01/CR02, and CR07 asks {need}; run the hot race slower")  # fmt: skip
        return [PlanStep("CR07", last, act, tgt, a.sources, a.grade, False, kept)]
    act = (f"{len(kept)} heat sessions of ≥ {th['session_min']:.0f} min at ≥ {temp:.0f} °C between "
           f"{start:%d %B} and {last:%d %B} (CR07 is silent from {need}; 8–10 is the usual "
           f"acclimatization course); replace usual runs, don't add them")  # fmt: skip
    return [PlanStep("CR07", last, act, tgt, a.sources, a.grade, True, kept)]


def _pace_taper(r: Readiness) -> list[PlanStep]:
    out = []
    a = r.flag("CR04")
    if a is not None and a.evidence.get("predicted_time_s"):
        pred = a.evidence["predicted_time_s"]
        act = (f"Pace the race for about {fmt_dur(pred)}, the time recent training predicts "
               f"(not the {fmt_dur(a.evidence.get('target_time_s'))} target): start at that pace")  # fmt: skip
        out.append(
            PlanStep("CR04", r.goal.date, act, {"predicted_time_s": pred}, a.sources, a.grade)
        )
    a = r.flag("CR08")
    if a is not None:
        act = ("Keep running as often in the last 14 days and cut volume by 41–60 %; no run "
               "of 3 or more days off before the race")  # fmt: skip
        tgt = {"volume_cut_pct": [41, 60], "max_days_off": 2}
        out.append(PlanStep("CR08", r.goal.date, act, tgt, a.sources, a.grade))
    return out


def plan_steps(ctx: RuleInputs, goal: Goal, assessments: list[GoalAssessment]) -> list[PlanStep]:
    """One step per flagged rule that training can act on, as of ``ctx.today``."""
    r = Readiness(goal, ctx.today, assessments)
    if r.days_to_goal <= 0 or not ctx.features or not any(a.status == "flag" for a in assessments):
        return []
    sim = Simulation(ctx, r.goal)
    steps = _long_runs(ctx, r, sim)
    fixed = list({id(s): s for st in steps for s in st.sessions}.values())  # CR05 and CR10 share
    steps += _descent(ctx, r, sim, fixed)
    steps += _heat(ctx, r, sim, {f.local_date for f in fixed})
    steps += _pace_taper(r)
    # the steps together: one session a day (a hilly long run replaces its flat twin)
    together = {f.local_date: f for st in steps for f in st.sessions}
    tripped = {f.local_date for f in sim.trips(list(together.values()))}
    for st in steps:
        hit = sorted({f.local_date for f in st.sessions} & tripped)
        if hit and st.feasible:
            st.feasible = False
            st.action += (
                f" — but together with the other steps CR01/CR02 would fire on "
                f"{', '.join(f'{d:%d %b}' for d in hit)}: spread them out or drop one"
            )
    return steps
