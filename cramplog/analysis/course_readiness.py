"""Goal readiness against the goal's course file.

``load_course(goal)`` reads and measures the course (``ingest.course`` → ``features.course``);
``assess_with_course`` assesses the goal with the course's distance and descent in place of
the typed numbers (a note when they disagree by more than ``DISAGREE``) and swaps in the
course-aware CR04, CR06 and CR10 (``rules.course_goal``); CR09's raise applies to them as to
the others.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

from cramplog.features.course import CourseStats, course_stats
from cramplog.model import Goal
from cramplog.rules import GoalAssessment, RuleInputs, assess_goal
from cramplog.rules.base import raise_severity
from cramplog.rules.course_goal import cr04_course, cr06_course, cr10_course

DISAGREE = 0.10  # typed numbers vs the course: a relative difference above this is noted


@lru_cache(maxsize=8)
def _load(path: str, size: int, mtime_ns: int) -> CourseStats:
    from cramplog.ingest.course import read_course

    track = read_course(path)
    return course_stats(track.stream, path)


def load_course(path: str) -> CourseStats:
    """The measured course in ``path`` (cached per file version); InputError naming the path
    when it is missing or unreadable."""
    import os

    from cramplog.errors import InputError

    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(
            f"course file {path}: cannot read it ({exc.strerror or exc}); fix or remove "
            "the goal's course"
        ) from None
    return _load(path, st.st_size, st.st_mtime_ns)


def effective_goal(goal: Goal, course: CourseStats) -> tuple[Goal, list[str]]:
    """The goal with the course's distance and descent, and notes where the typed ones
    disagree by more than 10 %."""
    notes: list[str] = []
    pairs: list[tuple[str, float | None, float | None, str]] = [
        ("distance_km", goal.distance_km, course.distance_km, "km"),
        ("descent_m", goal.descent_m, course.descent_m, "m"),
    ]
    changes: dict[str, Any] = {}
    for key, typed, measured, unit in pairs:
        if measured is None:
            continue
        changes[key] = round(measured, 2 if key == "distance_km" else 0)
        if typed and abs(measured - typed) / typed > DISAGREE:
            notes.append(
                f"athlete.toml says {key} = {typed:g} but the course file measures "
                f"{measured:.1f} {unit} ({(measured / typed - 1) * 100:+.0f} %): using the course"
            )
    if not course.has_elevation:
        notes.append("the course file has no elevation: distance only")
    return dataclasses.replace(goal, **changes), notes


def assess_with_course(
    ctx: RuleInputs, goal: Goal
) -> tuple[Goal, list[GoalAssessment], CourseStats, list[str]]:
    """(the goal with the course's numbers, assessments, the course, notes) as of
    ``ctx.today``."""
    assert goal.course is not None
    course = load_course(goal.course)
    eff, notes = effective_goal(goal, course)
    if not course.has_elevation:
        eff = dataclasses.replace(eff, descent_m=None)
    items = assess_goal(ctx, eff)
    raised = any(a.rule == "CR09" and a.status == "flag" for a in items)
    swap = {
        "CR04": cr04_course(ctx, eff, course),
        "CR06": cr06_course(ctx, course),
        "CR10": cr10_course(ctx, eff, course),
    }
    for a in swap.values():
        if raised and a.severity is not None and a.severity != "warning":
            a.evidence = {**a.evidence, "raised_by": "CR09", "base_severity": a.severity}
            a.severity = raise_severity(a.severity)
    items = [swap.get(a.rule, a) for a in items]
    return eff, items, course, notes
