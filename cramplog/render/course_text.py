"""The goal's course line and plan, as plain phrases the terminal and Markdown share.

Both read the outcome's ``goal`` dict (``GoalReadiness.to_dict``): ``course`` (null without a
course file), ``course_notes`` and ``plan`` (empty without a flagged rule).
"""

from __future__ import annotations

import os
from typing import Any


def course_line(goal: dict[str, Any] | None) -> str | None:
    """``Course canyon_rim_50k.gpx: 50.0 km, +2480 m / −2931 m, …``, or None without one."""
    c = (goal or {}).get("course")
    if not c:
        return None
    head = f"Course {os.path.basename(c['file'])}: {c['distance_km']:g} km"
    if c.get("descent_m") is None:
        return head + ", no elevation in the file"
    return (
        f"{head}, +{c['ascent_m']:.0f} m / −{c['descent_m']:.0f} m, "
        f"{c['e10_km']:.1f} km at ≤ −10 % and {c['e15_km']:.1f} km at ≤ −15 %, longest descent "
        f"{c['longest_descent_m']:.0f} m over {c['longest_descent_km']:.1f} km"
    )


def course_notes(goal: dict[str, Any] | None) -> list[str]:
    return list((goal or {}).get("course_notes") or [])


def short_plan_lines(goal: dict[str, Any] | None) -> list[str]:
    """One short line per plan step for the one-screen view: ``by DATE RULE: action``."""
    out = []
    for step in (goal or {}).get("plan") or []:
        mark = "" if step.get("feasible", True) else "⚠ "
        out.append(f"by {step['by']} {step['rule']} ({step['grade']}): {mark}{step['action']}")
    return out


def plan_lines(goal: dict[str, Any] | None) -> list[str]:
    """One line per plan step: ``by DATE · RULE (grade): action [sources]``."""
    out = []
    for step in (goal or {}).get("plan") or []:
        mark = "" if step.get("feasible", True) else "⚠ "
        out.append(
            f"by {step['by']} · {step['rule']} ({step['grade']}): {mark}{step['action']} "
            f"[{'; '.join(step['sources'])}]"
        )
    return out
