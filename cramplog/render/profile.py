"""Rendering of an athlete's profile (``cramplog profile show``): JSON and table. ``estimates``
holds HR max / rest estimated from the data where the profile has none; ``note`` says how."""

from __future__ import annotations

import json
from typing import Any

from cramplog.model import Goal, Profile


def _goal_json(g: Goal) -> dict[str, Any]:
    from cramplog.journal.profile import format_hms

    return {
        "name": g.name,
        "date": g.date.isoformat(),
        "sport": g.sport,
        "distance_km": g.distance_km,
        "descent_m": g.descent_m,
        "temperature_c": g.temperature_c,
        "target_time": None if g.target_time_s is None else format_hms(g.target_time_s),
        "course": g.course,
    }


def num_text(value: float | None) -> str:
    """A profile number as shown: ``188``, ``50.5``, or ``–`` when unknown."""
    return "–" if value is None else f"{value:g}"


def profile_json(profile: Profile, estimates: dict[str, Any], note: str) -> str:
    doc = {
        "name": profile.name,
        "sex": profile.sex,
        "hr_max": profile.hr_max,
        "hr_rest": profile.hr_rest,
        "timezone": profile.timezone,
        "goals": [_goal_json(g) for g in profile.goals],
        "thresholds": profile.thresholds,
        "estimates": {**estimates, "note": note} if estimates else None,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def profile_table(profile: Profile, estimates: dict[str, Any], note: str) -> str:
    import io

    from rich.console import Console
    from rich.table import Table

    from cramplog.journal.profile import format_hms

    def hr(key: str) -> str:
        value = getattr(profile, key)
        if value is not None:
            return f"{value:g}"
        est = estimates.get(key)
        return "unknown" if est is None else f"{est:.0f} (estimate)"

    head = Table(title=f"Profile of {profile.name}", title_justify="left", show_header=False)
    head.add_column("field")
    head.add_column("value")
    head.add_row("sex", profile.sex)
    head.add_row("HR max", hr("hr_max"))
    head.add_row("HR rest", hr("hr_rest"))
    head.add_row("time zone", profile.timezone or "not set (UTC for files without an offset)")
    for key, value in profile.thresholds.items():
        head.add_row(f"threshold {key}", str(value))
    buf = io.StringIO()
    console = Console(file=buf, width=120, force_terminal=False, color_system=None)
    console.print(head)
    if note:
        console.print(f"Estimates: {note}.", markup=False)
    if profile.goals:
        goals = Table(title="Goals", title_justify="left")
        for col in ("name", "date", "sport", "km", "D− m", "°C", "target"):
            goals.add_column(col)
        for g in profile.goals:
            goals.add_row(
                g.name,
                g.date.isoformat(),
                g.sport,
                num_text(g.distance_km),
                num_text(g.descent_m),
                num_text(g.temperature_c),
                "–" if g.target_time_s is None else format_hms(g.target_time_s),
            )
        console.print(goals)
    return buf.getvalue()
