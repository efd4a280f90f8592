"""``cramplog.open_store``: read access to what the store holds, as DataFrames. The store is
opened read-only: nothing is written, not even a cache."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from cramplog.api import frames
from cramplog.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from cramplog.api.run import StrPath
    from cramplog.model import Profile
    from cramplog.store import Store

ATHLETE_COLUMNS = ("athlete", "sex", "timezone", "hr_max", "hr_rest", "sessions", "cramps")
STORED_CRAMP_COLUMNS = (
    "athlete", "id", "when", "local_when", "muscle", "side", "severity", "timing", "notes",
    "date_only", "activity_id",
)  # fmt: skip
STORED_CRAMP_TIMES = {"instants": ("when",), "wall": ("local_when",)}


def open_store(db: StrPath | None = None) -> StoreView:
    """The store at ``db`` (default: ``CRAMPLOG_DB`` or the user data dir, as the CLI),
    read-only; a ``StoreError`` when there is none. Close it, or use it in a ``with``."""
    from cramplog.store import Store, default_db_path

    path = Path(db) if db is not None else default_db_path()
    return StoreView(Store(path, readonly=True))


class StoreView:
    """What one store holds: athletes, their sessions and their cramps."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.path = store.path

    def __enter__(self) -> StoreView:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<cramplog store {self.path}>"

    def close(self) -> None:
        self._store.close()

    def _profile(self, athlete: str) -> Profile:
        profile = self._store.get_profile(athlete)
        if profile is None:
            names = self._store.athletes()
            known = ", ".join(names) if names else "none yet"
            raise UsageError(f"no athlete named {athlete!r} in the store (known: {known})")
        return profile

    def athletes(self) -> pd.DataFrame:
        """One row per athlete: profile (sex, time zone, HR max and rest), sessions, cramps."""
        rows: list[dict[str, Any]] = []
        for name in self._store.athletes():
            p = self._profile(name)
            rows.append(
                {
                    "athlete": name,
                    "sex": p.sex,
                    "timezone": p.timezone,
                    "hr_max": p.hr_max,
                    "hr_rest": p.hr_rest,
                    "sessions": self._store.count_activities(name),
                    "cramps": len(self._store.cramps(name)),
                }
            )
        return frames.frame(rows, ATHLETE_COLUMNS)

    def activities(self, athlete: str) -> pd.DataFrame:
        """One row per stored session, oldest first, as stored (no features: the numbers an
        analysis computes are in ``cramplog.analyze(...).activities``)."""
        tz = self._profile(athlete).tzinfo()
        rows = [frames.stored_row(athlete, a, tz) for a in self._store.activities(athlete)]
        return frames.frame(rows, frames.STORED_COLUMNS, frames.STORED_TIMES)

    def cramps(self, athlete: str) -> pd.DataFrame:
        """One row per logged cramp, oldest first, with the session it is linked to."""
        from cramplog.journal.cramps import link_cramps

        tz = self._profile(athlete).tzinfo()
        cramps = self._store.cramps(athlete)
        link_cramps(cramps, self._store.activities(athlete), tz)
        rows = [
            {
                "athlete": athlete,
                "id": c.id,
                "when": c.when,
                "local_when": c.when,
                "muscle": c.muscle,
                "side": c.side,
                "severity": c.severity,
                "timing": c.timing,
                "notes": c.notes,
                "date_only": c.date_only,
                "activity_id": c.activity_id,
            }
            for c in sorted(cramps, key=lambda c: c.when)
        ]
        return frames.frame(rows, STORED_CRAMP_COLUMNS, STORED_CRAMP_TIMES)
