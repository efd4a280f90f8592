"""The planner's check that no planned session trips CR01 or CR02 (``analysis.plan``).

``Simulation`` holds the athlete's history up to the day of the plan and, after it, the last
4 weeks of training repeated up to the goal (the training the planned sessions sit in). A
planned session replaces the same-sport sessions of its day. ``trips`` runs CR01 and CR02
themselves over history + repeated weeks + planned sessions and returns the planned sessions
that fire: CR01 on the session itself, CR02 on its day where it does not fire without the
plan. ``safe_sessions`` shrinks a tripping session 5 % at a time (at most 6 times), then drops it.
"""

from __future__ import annotations

import dataclasses
import statistics
from datetime import date, datetime, time, timedelta
from typing import Any

from cramplog.features.compute import SessionFeatures
from cramplog.model import Goal, sport_family
from cramplog.rules import RULES, RuleInputs

SHRINK, MAX_SHRINK = 0.95, 6


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

    def session(
        self, day: date, km: float, pace: float | None = None, **extra: Any
    ) -> SessionFeatures:
        """A planned session of ``km`` at ``pace`` (default: the athlete's median pace) and
        the athlete's median load per minute."""
        pace = pace or self.pace
        dur = km * pace
        start = datetime.combine(day, time(8, 0), tzinfo=self.history[-1].start.tzinfo)
        f = SessionFeatures(
            activity_id=self._next_id, local_date=day, sport=self.goal.sport, family=self.fam,
            is_race=False, start=start, distance_m=km * 1000.0, elapsed_s=dur, moving_s=dur,
            pace_s_per_km=pace, load=self.load_per_min * dur / 60.0, load_source="plan",
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


def safe_sessions(sim: Simulation, planned: list[SessionFeatures], fixed: list[SessionFeatures],
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
