"""CR09 cramp_history: the athlete's own earlier cramps.

Every cramp that has earlier logged cramps is reported (caution) with the counts of earlier
events in total, in the same sport family and in races.

History predicts *future* cramps, so a cramp raises the other findings dated on the
``window_days`` (7) local days *after* its day by one severity step (info → caution →
warning; warning stays warning), once however many cramps overlap; a raised finding's
evidence records ``raised_by``, ``base_severity`` and ``raised_after`` (the cramp's day).
A finding is never raised because a cramp followed it: that would make its severity depend
on the future and manufacture "warnings before my cramps" (issue 14). Deleting a cramp
therefore never changes a finding dated on or before its day. For the next goal, any earlier
cramp raises the other goal assessments one step (see readiness).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from cramplog.features.compute import SessionFeatures
from cramplog.model import CrampEvent, Finding
from cramplog.rules.base import GoalAssessment, Rule, RuleInputs, json_safe, raise_severity


def cramp_day(c: CrampEvent) -> date:
    """A cramp's local day (``when`` is in the athlete's local zone)."""
    return c.when.date()


def _run(ctx: RuleInputs) -> list[Finding]:
    by_id: dict[int | None, SessionFeatures] = {
        f.activity_id: f for f in ctx.features if f.activity_id is not None
    }
    cramps = sorted(ctx.cramps, key=lambda c: c.when)
    out = []
    for k, c in enumerate(cramps):
        earlier = [e for e in cramps[:k] if e.when < c.when]
        if not earlier:
            continue
        sess = by_id.get(c.activity_id) if c.activity_id is not None else None
        fam = sess.family if sess else None
        same = [e for e in earlier if fam and (s := by_id.get(e.activity_id)) and s.family == fam]
        races = [e for e in earlier if (s := by_id.get(e.activity_id)) and s.is_race]
        ev = {
            "earlier_events": len(earlier),
            "earlier_same_sport": len(same) if fam else None,
            "earlier_in_races": len(races),
            "first_event": cramp_day(earlier[0]),
            "last_earlier_event": cramp_day(earlier[-1]),
            "muscle": c.muscle,
        }
        msg = (
            f"Cramp ({c.muscle}) with {len(earlier)} earlier logged cramp"
            f"{'s' if len(earlier) != 1 else ''}"
            + (f", {len(races)} in races" if races else "")
            + ": earlier cramps are among the best-supported predictors of new ones"
        )
        out.append(RULE.finding(cramp_day(c), "caution", msg, ev, c.activity_id))
    return out


def raise_for_history(
    findings: list[Finding], cramps: list[CrampEvent], window_days: int
) -> list[Finding]:
    """Findings dated in the ``window_days`` after a logged cramp's day raised one step.

    Only cramps dated strictly before a finding's day can raise it."""
    days = sorted({cramp_day(c) for c in cramps})
    if not days:
        return list(findings)
    out = []
    for f in findings:
        after = [d for d in days if d < f.date <= d + timedelta(days=window_days)]
        if f.rule != RULE.id and f.severity != "warning" and after:
            ev = dict(f.evidence)
            ev.update(raised_by=RULE.id, base_severity=f.severity, raised_after=after[-1])
            f = dataclasses.replace(f, severity=raise_severity(f.severity), evidence=json_safe(ev))
        out.append(f)
    return out


def goal_history(ctx: RuleInputs) -> GoalAssessment:
    earlier = [c for c in ctx.cramps if cramp_day(c) <= ctx.today]
    if not earlier:
        return RULE.assessment("ok", None, "No earlier cramps logged", {"earlier_events": 0})
    by_id: dict[int | None, SessionFeatures] = {
        f.activity_id: f for f in ctx.features if f.activity_id is not None
    }
    races = [c for c in earlier if (s := by_id.get(c.activity_id)) and s.is_race]
    ev = {"earlier_events": len(earlier), "earlier_in_races": len(races),
          "last_event": max(cramp_day(c) for c in earlier)}  # fmt: skip
    msg = (
        f"{len(earlier)} earlier cramp{'s' if len(earlier) != 1 else ''} logged "
        f"({len(races)} in races): the other goal assessments are raised one step"
    )
    return RULE.assessment("flag", "caution", msg, ev)


RULE = Rule(
    id="CR09",
    name="cramp_history",
    grade="moderate",
    sources=(
        "Schwellnus, Drew & Collins 2011, BJSM 45:650",
        "Hoffman & Stuempfle 2015",
        "Kona medical records (OR 2.40)",
    ),
    run=_run,
    summary="earlier cramps: reported, and raise the findings of the 7 days after a cramp",
)
