"""Athlete profiles, stored as JSON beside the athlete's name."""

from __future__ import annotations

import json
from datetime import date

from cramplog.model import Goal, Profile
from cramplog.store.base import StoreBase


class ProfileQueries(StoreBase):
    """Athlete profiles."""

    def get_profile(self, name: str) -> Profile | None:
        row = self.conn.execute("SELECT profile FROM athletes WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        if not row[0]:
            return Profile(name=name)
        return profile_from_json(row[0])

    def set_profile(self, profile: Profile) -> None:
        aid = self.athlete_id(profile.name)
        with self.transaction():
            self.conn.execute(
                "UPDATE athletes SET profile = ? WHERE id = ?", (profile_to_json(profile), aid)
            )
            self._journal_profile(profile)


def profile_to_json(profile: Profile) -> str:
    goals = [
        {
            "name": g.name,
            "date": g.date.isoformat(),
            "sport": g.sport,
            "distance_km": g.distance_km,
            "descent_m": g.descent_m,
            "temperature_c": g.temperature_c,
            "target_time_s": g.target_time_s,
            "course": g.course,
        }
        for g in profile.goals
    ]
    return json.dumps(
        {
            "name": profile.name,
            "sex": profile.sex,
            "hr_max": profile.hr_max,
            "hr_rest": profile.hr_rest,
            "timezone": profile.timezone,
            "goals": goals,
            "thresholds": profile.thresholds,
        }
    )


def profile_from_json(text: str) -> Profile:
    d = json.loads(text)
    goals = [
        Goal(
            name=g["name"],
            date=date.fromisoformat(g["date"]),
            sport=g.get("sport", "running"),
            distance_km=g.get("distance_km"),
            descent_m=g.get("descent_m"),
            temperature_c=g.get("temperature_c"),
            target_time_s=g.get("target_time_s"),
            course=g.get("course"),
        )
        for g in d.get("goals", [])
    ]
    return Profile(
        name=d["name"],
        sex=d.get("sex", "unspecified"),
        hr_max=d.get("hr_max"),
        hr_rest=d.get("hr_rest"),
        timezone=d.get("timezone"),
        goals=goals,
        thresholds=d.get("thresholds") or {},
    )
