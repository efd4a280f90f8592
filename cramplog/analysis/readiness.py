"""Goal readiness: each goal-aware rule's view of one goal (CR04–CR08, CR10, CR11, CR09).

The goal assessed is the next one on or after ``today``; without one, the latest past goal,
assessed as of the day before it ("how ready were you").

A goal with a course file (``Goal.course``) is assessed against the course
(``analysis.course_readiness``): its distance and descent replace the typed numbers (a note
says so when they disagree by more than 10 %), and CR04, CR06 and CR10 use the course's own
figures. ``plan`` holds one dated step per flagged rule (``analysis.plan``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from cramplog.model import SEVERITIES, Goal, Severity
from cramplog.rules import GoalAssessment, RuleInputs, assess_goal

if TYPE_CHECKING:
    from cramplog.analysis.plan import PlanStep
    from cramplog.features.course import CourseStats


@dataclass
class GoalReadiness:
    goal: Goal
    as_of: date
    assessments: list[GoalAssessment] = field(default_factory=list)
    course: CourseStats | None = None
    notes: list[str] = field(default_factory=list)
    plan: list[PlanStep] = field(default_factory=list)

    @property
    def days_to_goal(self) -> int:
        return (self.goal.date - self.as_of).days

    @property
    def worst(self) -> Severity | None:
        sev = [a.severity for a in self.assessments if a.severity]
        return max(sev, key=SEVERITIES.index) if sev else None

    def to_dict(self) -> dict[str, Any]:
        g = self.goal
        return {
            "name": g.name,
            "date": g.date.isoformat(),
            "sport": g.sport,
            "distance_km": g.distance_km,
            "descent_m": g.descent_m,
            "temperature_c": g.temperature_c,
            "target_time_s": g.target_time_s,
            "as_of": self.as_of.isoformat(),
            "days_to_goal": self.days_to_goal,
            "worst_severity": self.worst,
            "assessments": [a.to_dict() for a in self.assessments],
            "course": self.course.to_dict() if self.course else None,
            "course_notes": list(self.notes),
            "plan": [p.to_dict() for p in self.plan],
        }


def pick_goal(goals: list[Goal], today: date) -> Goal | None:
    upcoming = [g for g in goals if g.date >= today]
    if upcoming:
        return min(upcoming, key=lambda g: g.date)
    return max(goals, key=lambda g: g.date) if goals else None


def goal_readiness(ctx: RuleInputs, goal: Goal) -> GoalReadiness:
    from cramplog.analysis.course_readiness import assess_with_course
    from cramplog.analysis.plan import plan_steps

    as_of = min(ctx.today, goal.date - timedelta(days=1))
    sub = dataclasses.replace(ctx, today=as_of)
    if goal.course:
        eff, items, course, notes = assess_with_course(sub, goal)
        out = GoalReadiness(eff, as_of, items, course=course, notes=notes)
    else:
        out = GoalReadiness(goal, as_of, assess_goal(sub, goal))
    out.plan = plan_steps(sub, out.goal, out.assessments) if ctx.today < goal.date else []
    return out
