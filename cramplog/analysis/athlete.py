"""The analysis entry point: one athlete's sessions and cramps → an ``AthleteAnalysis``.

Pure: no printing, no disk. ``today`` defaults to the last session day so results are
reproducible; the CLI passes the real date.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from cramplog.analysis.cramp_context import CrampContext, cramp_contexts, session_ref
from cramplog.analysis.episodes import group_episodes
from cramplog.analysis.personal import PersonalResult, personal_associations
from cramplog.analysis.readiness import GoalReadiness, goal_readiness, pick_goal
from cramplog.features.compute import (
    NO_STREAM,
    TRIMP_COEFFS,
    HrBounds,
    SessionFeatures,
    assign_fallback_loads,
    compute_features,
    estimate_hr_bounds,
)
from cramplog.features.loadscale import scale_rpe_loads
from cramplog.model import FORMAT_RANK, Activity, CrampEvent, Finding, Profile
from cramplog.rules import RuleInputs, run_rules
from cramplog.rules.longrun import MARATHON_KM
from cramplog.thresholds import merge

if TYPE_CHECKING:
    from cramplog.metrics.daily import Daily

DUPLICATE_WINDOW_S = 120.0


@dataclass
class AthleteAnalysis:
    athlete: str
    first_day: date | None
    last_day: date | None
    sessions: int
    findings: list[Finding]
    cramps: list[CrampContext]
    personal: PersonalResult
    goal: GoalReadiness | None
    daily: Daily
    session_features: list[SessionFeatures]
    hr: HrBounds
    notes: list[str] = field(default_factory=list)

    def to_dict(self, activities_by_id: dict[int, Activity]) -> dict[str, Any]:
        return {
            "athlete": self.athlete,
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "sessions": self.sessions,
            "findings": [finding_dict(f, activities_by_id) for f in self.findings],
            "episodes": [e.to_dict(activities_by_id) for e in group_episodes(self.findings)],
            "cramps": [c.to_dict(activities_by_id) for c in self.cramps],
            "personal": self.personal.to_dict(),
            "goal": self.goal.to_dict() if self.goal else None,
        }


def finding_dict(f: Finding, activities_by_id: dict[int, Activity]) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "name": f.name,
        "date": f.date.isoformat(),
        "severity": f.severity,
        "session": session_ref(f.activity_id, activities_by_id),
        "evidence": dict(f.evidence),
        "grade": f.grade,
        "message": f.message,
        "sources": list(f.sources),
    }


def _richness(a: Activity, f: SessionFeatures) -> tuple[int, int]:
    """Which of two duplicates to keep: one with a sample stream, then the richer format.
    Whether a session has a stream comes from its features, not from ``a.stream``: a warm
    run (features from the cache) loads no streams, and must keep the same session as the
    cold run that computed them."""
    has_stream = not any(m.startswith(NO_STREAM) for m in f.missing)
    return (has_stream, FORMAT_RANK.get(a.source_format or "", 0))


def _dedupe(pairs: list[tuple[Activity, SessionFeatures]]) -> tuple[list, int]:
    """Drop sessions that repeat another of the same family starting within 2 minutes."""
    pairs = sorted(pairs, key=lambda p: p[0].start)
    out: list[tuple[Activity, SessionFeatures]] = []
    # Positions in ``out`` whose session may still be within the window of a later one.
    # Sessions come in start order, so every kept session starts at or before ``a``; one that
    # is more than the window before ``a`` is so for every later session too, and it can no
    # longer be replaced (only a match replaces), so it leaves this list for good.
    near: list[int] = []
    dropped = 0
    for a, f in pairs:
        near = [
            k
            for k in near
            if abs((out[k][0].start - a.start).total_seconds()) <= DUPLICATE_WINDOW_S
        ]
        dup = next((k for k in reversed(near) if out[k][1].family == f.family), None)
        if dup is None:
            near.append(len(out))
            out.append((a, f))
            continue
        dropped += 1
        if _richness(a, f) > _richness(*out[dup]):
            out[dup] = (a, f)
    return out, dropped


def analyze_athlete(
    profile: Profile,
    activities: list[Activity],
    cramps: list[CrampEvent],
    *,
    since: date | None = None,
    today: date | None = None,
    features: list[SessionFeatures] | None = None,
    hr: HrBounds | None = None,
) -> AthleteAnalysis:
    """Features → daily series → rules → cramp context, personal statistics, goal readiness.

    ``features`` (cached, in ``activities`` order) and ``hr`` (the bounds they were computed
    with) let a caller skip loading sample streams: without them both come from the streams.
    """
    from cramplog.metrics.daily import daily_series

    th = merge(profile.thresholds)  # raises InputError on a bad [thresholds] table
    heat_c = th["general"]["heat_c"]
    notes: list[str] = []
    if hr is None:
        hr = estimate_hr_bounds(profile, activities)
    if features is None or len(features) != len(activities):
        features = [compute_features(a, profile, hr) for a in activities]
    else:
        features = [
            f if f.heat_c == heat_c or a.stream is None else compute_features(a, profile, hr)
            for a, f in zip(activities, features, strict=True)
        ]
    pairs, dropped = _dedupe(list(zip(activities, features, strict=True)))
    if dropped:
        notes.append(f"{dropped} duplicate sessions (same start within 2 min) ignored")
    feats = [f for _, f in pairs]
    rpe_scale = scale_rpe_loads(feats)
    rates = assign_fallback_loads(feats)

    first_day = feats[0].local_date if feats else None
    last_day = max((f.local_date for f in feats), default=None)
    if today is None:
        today = last_day or date.today()
    goal = pick_goal(profile.goals, today)
    long_km = 20.0
    if goal and goal.distance_km:
        dist = goal.distance_km
        long_km = th["CR05"]["long_km_marathon"] if dist >= MARATHON_KM else 0.6 * dist
    # The daily series ends on the last session day even when the analysis is as of a
    # later day: the days after the last imported session are no data, not rest (a stale
    # export must not make a gap, a taper or a fall in CTL).
    daily = daily_series(
        feats,
        today=min(today, last_day) if last_day else today,
        heat_c=heat_c,
        long_run_km=long_km,
        cap=th["CR03"]["cap"],
        decay_per_day=th["CR07"]["decay_per_day"],
    )
    ctx = RuleInputs(feats, daily, profile, th, today, list(cramps))
    findings = run_rules(ctx)
    contexts = cramp_contexts(list(cramps), findings)
    personal = personal_associations(feats, findings, list(cramps))
    readiness = goal_readiness(ctx, goal) if goal else None
    if since is not None:
        findings = [f for f in findings if f.date >= since]

    # --- notes: what the numbers rest on ---
    if hr.note:
        notes.append(hr.note)
    a, b = TRIMP_COEFFS.get(profile.sex, TRIMP_COEFFS["unspecified"])
    notes.append(f"TRIMP coefficients for sex '{profile.sex}': a = {a}, b = {b}")
    src = Counter(f.load_source for f in feats)
    if src.get("rpe"):
        notes.append(rpe_scale.note())
    if src.get("fallback"):
        how = ", ".join(f"{fam} {r:.2f} TRIMP/min" for fam, r in sorted(rates.items()))
        notes.append(f"{src['fallback']} sessions without HR or RPE used fallback load ({how})")
    summary_only = sum(1 for f in feats if any(m.startswith(NO_STREAM) for m in f.missing))
    if summary_only:
        notes.append(
            f"{summary_only} sessions are summary-only (no descent grades or heat minutes)"
        )
    if personal.events < 5:
        notes.append(
            f"{personal.events} cramp events logged: personal associations need at least 5"
        )
    return AthleteAnalysis(
        athlete=profile.name,
        first_day=first_day,
        last_day=last_day,
        sessions=len(feats),
        findings=findings,
        cramps=contexts,
        personal=personal,
        goal=readiness,
        daily=daily,
        session_features=feats,
        hr=hr,
        notes=notes,
    )
