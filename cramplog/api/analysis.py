"""``Analysis``: what ``cramplog.analyze`` returns — every athlete analysed, as the JSON
document and as pandas DataFrames built from it on first use.

``findings``, ``cramps`` and ``episodes`` come from the document itself (the outcome cache
serves it without numpy or the rules). ``activities`` and ``daily`` need the numbers behind
it: the first time one is asked for, each athlete is analysed again in this process from a
read-only view of the store (the same inputs, so the same analysis as the document's).
"""

from __future__ import annotations

import json
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cramplog.api import frames
from cramplog.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from cramplog.analysis.outcome import AthleteOutcome
    from cramplog.analysis.stored import StoredAnalysis


class Analysis:
    """Every athlete one ``cramplog.analyze`` call analysed.

    ``athletes`` lists those analysed, in order; ``errors`` maps each athlete who could not
    be to the reason (the CLI's warning line). ``since`` is the first day findings and
    cramps are reported from, ``today`` the day the analysis ran for."""

    def __init__(
        self,
        outcomes: list[AthleteOutcome],
        *,
        db: Path,
        since: date | None,
        today: date,
    ) -> None:
        from cramplog.render.json_out import render_json

        self.db = db
        self.since = since
        self.today = today
        self.athletes: list[str] = [o.athlete for o in outcomes if o.ok]
        self.errors: dict[str, str] = {o.athlete: o.error or "" for o in outcomes if not o.ok}
        self._json = render_json(outcomes, since=since)
        # each athlete's first reported day (a look-back counts from their analysis day)
        self._since: dict[str, date | None] = {
            o.athlete: date.fromisoformat(s) if (s := o.overview.get("since")) else None
            for o in outcomes
            if o.ok
        }
        self._stored: dict[str, StoredAnalysis] = {}
        self._zones: dict[str, Any] = {}  # each athlete's profile time zone

    def __repr__(self) -> str:
        since = f", since {self.since.isoformat()}" if self.since else ""
        return f"<Analysis of {', '.join(self.athletes)}{since}>"

    # -- the document ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Exactly the document ``cramplog analyze --format json`` writes (a fresh copy)."""
        doc: dict[str, Any] = json.loads(self._json)
        return doc

    @cached_property
    def _reports(self) -> list[dict[str, Any]]:
        return list(self.to_dict()["athletes"])

    def report(self, athlete: str) -> dict[str, Any]:
        """One athlete's entry of the document (``to_dict()["athletes"]``)."""
        for r in self._reports:
            if r["athlete"] == athlete:
                return r
        known = ", ".join(self.athletes) or "none"
        raise UsageError(f"no athlete named {athlete!r} in this analysis (known: {known})")

    def goal(self, athlete: str) -> dict[str, Any] | None:
        """The athlete's goal readiness (the document's ``goal``), or None without a goal."""
        goal: dict[str, Any] | None = self.report(athlete).get("goal")
        return goal

    # -- tables from the document ------------------------------------------------------

    @cached_property
    def findings(self) -> pd.DataFrame:
        """One row per finding (see ``cramplog.api.frames`` for the columns)."""
        rows = frames.item_rows(self._reports, "findings")
        return frames.frame(rows, frames.FINDING_COLUMNS, frames.FINDING_TIMES)

    @cached_property
    def cramps(self) -> pd.DataFrame:
        """One row per logged cramp in the window, with what came before it."""
        rows = frames.item_rows(self._reports, "cramps")
        return frames.frame(rows, frames.CRAMP_COLUMNS, frames.CRAMP_TIMES)

    @cached_property
    def episodes(self) -> pd.DataFrame:
        """One row per episode (runs of findings), when the document has them; else empty
        with the episode columns."""
        rows = frames.item_rows(self._reports, "episodes")
        return frames.frame(rows, frames.EPISODE_COLUMNS, frames.EPISODE_TIMES)

    # -- tables from the analysis in this process --------------------------------------

    def _analysed(self, athlete: str) -> StoredAnalysis:
        if athlete not in self._stored:
            from cramplog.analysis.stored import analyze_stored
            from cramplog.store import Store

            with Store(self.db, readonly=True) as store:
                self._stored[athlete] = analyze_stored(
                    store, athlete, since=self._since.get(athlete), today=self.today
                )
                profile = store.get_profile(athlete)
                self._zones[athlete] = profile.tzinfo() if profile else None
        return self._stored[athlete]

    @cached_property
    def activities(self) -> pd.DataFrame:
        """One row per stored session, with the numbers the analysis used (its features:
        ``load``, ``load_source``, descent …; ``counted`` is False for a duplicate the
        analysis dropped)."""
        rows = []
        for name in self.athletes:
            result = self._analysed(name)
            kept = {f.activity_id: f for f in result.report.session_features}
            acts = list(result.activities_by_id.values())
            tz = self._zones[name]
            for a, f in zip(acts, result.features, strict=True):
                counted = a.id in kept
                rows.append(frames.analysed_row(name, a, kept[a.id] if counted else f, tz, counted))
        columns = (*frames.STORED_COLUMNS, *frames.FEATURE_COLUMNS)
        return frames.frame(rows, columns, frames.STORED_TIMES)

    @cached_property
    def daily(self) -> pd.DataFrame:
        """One row per athlete and local day from the first session to the analysis day:
        ``load``, ``ctl``, ``atl``, ``tsb``, ``acwr``, ``monotony`` and the other daily
        columns (``cramplog.metrics.daily``)."""
        return frames.daily_frame({n: self._analysed(n).report.daily for n in self.athletes})
