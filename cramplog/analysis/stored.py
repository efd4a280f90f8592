"""The store-to-analysis pipeline for one athlete: load the profile, sessions and cramps
from the store, link cramps to sessions, compute per-session features through the store's
feature cache, and run the analysis.

The feature cache key is ``"{FEATURES_VERSION}:{digest}"`` where the digest covers the
profile fields that change features (sex, HR max and rest, time zone, thresholds) and the HR
bounds actually used (rounded to whole bpm, so an estimate that moves by a fraction of a beat
after an import does not throw the cache away). A warm run computes no features.

Nothing here prints or exits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from cramplog.errors import InputError
from cramplog.features.key import features_key, rounded_bounds
from cramplog.model import Activity, CrampEvent, Profile

if TYPE_CHECKING:
    from cramplog.analysis.athlete import AthleteAnalysis
    from cramplog.features.compute import HrBounds, SessionFeatures
    from cramplog.store import Store

# A log whose last session is more than this many days before today has ended: it is
# analysed as of its last day (the same horizon CR08 uses for an open gap).
LOG_ENDED_DAYS = 14


@dataclass
class AthleteData:
    """One athlete as the store holds them, cramps linked to sessions."""

    profile: Profile
    activities: list[Activity]
    cramps: list[CrampEvent]


@dataclass
class FeatureStats:
    """What the feature step did: sessions served from the cache and computed afresh."""

    cached: int = 0
    computed: int = 0
    key: str = ""


@dataclass
class StoredAnalysis:
    """One athlete analysed in this process (the report keeps the daily series and objects)."""

    report: AthleteAnalysis
    activities_by_id: dict[int, Activity]
    stats: FeatureStats
    as_of: date | None = None  # the day the analysis speaks for (see analysis_day)
    # every stored session's features, in store order (the report keeps only those it
    # counted: a duplicate within 2 minutes is dropped there)
    features: list[SessionFeatures] = field(default_factory=list)


# -- loading -------------------------------------------------------------------------------


def load_athlete(store: Store, name: str, *, with_streams: bool = True) -> AthleteData:
    """Profile, sessions (with their streams unless ``with_streams`` is false), and cramps
    linked to sessions."""
    from cramplog.journal.cramps import link_cramps

    profile = store.get_profile(name)
    if profile is None:
        raise InputError(f"no athlete named {name!r} in the store")
    activities = store.activities(name, with_stream=with_streams)
    if not activities:
        raise InputError(f"no sessions for {name}; import files first")
    cramps = store.cramps(name)
    link_cramps(cramps, activities, profile.tzinfo())
    return AthleteData(profile, activities, cramps)


def analysis_day(today: date | None, last_day: date) -> date:
    """The day the analysis speaks for: today, unless the log ended long before (then its
    last day, so "now" figures and goal readiness describe the season that is there)."""
    if today is None or (today - last_day).days > LOG_ENDED_DAYS:
        return last_day
    return today


# -- features with the cache ----------------------------------------------------------------


def session_features(
    store: Store,
    profile: Profile,
    activities: list[Activity],
    hr: HrBounds,
    cached: dict[int, dict[str, Any]] | None = None,
) -> tuple[list[SessionFeatures], FeatureStats]:
    """Features of every session in ``activities`` order: from the cache where it holds them
    under the current key, computed (and stored) otherwise."""
    from cramplog.features.compute import SessionFeatures, compute_features

    key = features_key(profile, hr)
    if cached is None:
        cached = store.cached_features([a.id for a in activities if a.id is not None], key)
    out: list[SessionFeatures] = []
    fresh: dict[int, dict[str, Any]] = {}
    stats = FeatureStats(key=key)
    for act in activities:
        hit = cached.get(act.id) if act.id is not None else None
        if hit is not None:
            try:
                out.append(SessionFeatures.from_dict(hit))
                stats.cached += 1
                continue
            except (KeyError, TypeError, ValueError):
                pass  # an unreadable cache entry is recomputed
        sf = compute_features(act, profile, hr)
        stats.computed += 1
        out.append(sf)
        if act.id is not None:
            fresh[act.id] = sf.to_dict()
    store.put_features(fresh, key)
    return out, stats


# -- one athlete ---------------------------------------------------------------------------


def analyze_stored(
    store: Store, name: str, *, since: date | None = None, today: date | None = None
) -> StoredAnalysis:
    """Load ``name`` from the store and analyse them (features through the cache).

    Streams are read only where they are needed: for sessions whose features are not
    cached, and for estimating HR bounds the profile does not give. A warm run reads none.
    """
    # loaded first: an unknown athlete or an empty log is reported without importing numpy
    data = load_athlete(store, name, with_streams=False)

    from cramplog.analysis.athlete import analyze_athlete
    from cramplog.features.compute import estimate_hr_bounds

    profile, acts = data.profile, data.activities
    if profile.hr_max is None or profile.hr_rest is None:
        _attach_streams(store, acts, [a.id for a in acts if a.id is not None])
    hr = rounded_bounds(estimate_hr_bounds(profile, acts))
    key = features_key(profile, hr)
    cached = store.cached_features([a.id for a in acts if a.id is not None], key)
    _attach_streams(store, acts, [a.id for a in acts if a.id not in cached and a.id is not None])
    features, stats = session_features(store, profile, acts, hr, cached)
    tz = profile.tzinfo()
    as_of = analysis_day(today, max(a.local_date(tz) for a in acts))
    report = analyze_athlete(
        profile, acts, data.cramps, since=since, today=as_of, features=features, hr=hr
    )
    by_id = {a.id: a for a in acts if a.id is not None}
    return StoredAnalysis(
        report=report, activities_by_id=by_id, stats=stats, as_of=as_of, features=features
    )


def _attach_streams(store: Store, activities: list[Activity], ids: list[int]) -> None:
    missing = [i for i in ids if i is not None]
    if not missing:
        return
    streams = store.streams(missing)
    for a in activities:
        if a.id in streams and a.stream is None:
            a.stream = streams[a.id]
