"""The glue between the store and the analysis: load one athlete, link their cramps, compute
per-session features through the store's cache, and analyse.

Used by ``cramplog analyze`` and the HTML report. Nothing here prints or exits.

The feature cache key is ``"{FEATURES_VERSION}:{digest}"`` where the digest covers the
profile fields that change features (sex, HR max and rest, time zone, thresholds) and the HR
bounds actually used (rounded to whole bpm, so an estimate that moves by a fraction of a beat
after an import does not throw the cache away). A warm run computes no features.

With ``cache=True`` (as ``cramplog analyze`` asks), ``outcome_for`` and ``analyze_many`` keep
each athlete's outcome in the store, one row per athlete, under a key that covers the
athlete's stored inputs, ``since``, the analysis day and the code (see ``cramplog.analysis.outcome_key``
and ``store/outcomes.py``). A hit is served without loading sessions, numpy or the rules; a
store opened read-only reads the cache but does not write it.

Several athletes are analysed in worker processes when that pays (see ``POOL_MIN_*``; only
athletes missing from the cache count); each worker opens the store itself and returns an
``AthleteOutcome`` of plain data, so results are identical, and in input order, whichever
way they were computed.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cramplog.errors import CramplogError, InputError
from cramplog.features.key import features_key, rounded_bounds
from cramplog.model import SEVERITIES, Activity, CrampEvent, Profile

if TYPE_CHECKING:
    from cramplog.analysis.athlete import AthleteReport
    from cramplog.features.compute import HrBounds, SessionFeatures
    from cramplog.store import Store

# Worker processes pay off from this many athletes and this many sessions in all.
POOL_MIN_ATHLETES = 4
POOL_MIN_SESSIONS = 400
# CTL trend: now vs this many days earlier.
TREND_DAYS = 28
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
class Analysis:
    """One athlete analysed in this process (the report keeps the daily series and objects)."""

    report: AthleteReport
    activities_by_id: dict[int, Activity]
    stats: FeatureStats
    as_of: date | None = None  # the day the analysis speaks for (see analysis_day)


@dataclass
class AthleteOutcome:
    """One athlete's result as plain, picklable data, for renderers and the team summary.

    ``report`` is ``AthleteReport.to_dict`` (the JSON ``athletes`` entry); ``overview`` holds
    the figures the summary and the human-readable formats need beyond it. ``error`` is set
    (and ``report`` is None) when the athlete could not be analysed. ``cached`` is set when
    it came from the store's outcome cache (``stats`` then counts nothing).
    """

    athlete: str
    report: dict[str, Any] | None = None
    overview: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    files_failed: int = 0
    stats: FeatureStats = field(default_factory=FeatureStats)
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.report is not None


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
) -> Analysis:
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
    return Analysis(report=report, activities_by_id=by_id, stats=stats, as_of=as_of)


def _attach_streams(store: Store, activities: list[Activity], ids: list[int]) -> None:
    missing = [i for i in ids if i is not None]
    if not missing:
        return
    streams = store.streams(missing)
    for a in activities:
        if a.id in streams and a.stream is None:
            a.stream = streams[a.id]


def overview(report: AthleteReport, since: date | None, today: date | None) -> dict[str, Any]:
    """The plain figures the summary row and the human-readable header show."""
    from cramplog.render.sparkline import weekly_series

    daily = report.daily
    ctl_now = ctl_then = None
    if daily is not None and len(daily) and "ctl" in daily:
        end = daily.day(-1)
        ctl_now = _finite(daily["ctl"][-1])
        then = end - timedelta(days=TREND_DAYS)
        if then >= daily.day(0):
            ctl_then = _finite(daily.asof(then, "ctl"))
    sessions = list(report.session_features or [])
    in_window = [s for s in sessions if since is None or s.local_date >= since]
    findings = [f for f in report.findings if since is None or f.date >= since]
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    worst = _worst(findings)
    cramps = [c for c in report.cramps if since is None or c.local_date >= since]
    hr = report.hr
    return {
        "athlete": report.athlete,
        "first_day": _iso(report.first_day),
        "last_day": _iso(report.last_day),
        "since": _iso(since),
        "today": _iso(today),
        "sessions": len(sessions),
        "sessions_in_window": len(in_window),
        "km_in_window": round(
            sum((s.distance_m or 0.0) for s in in_window if s.family == "running") / 1000.0, 1
        ),
        "ctl_now": ctl_now,
        "ctl_then": ctl_then,
        "trend_days": TREND_DAYS,
        "hr_max": hr.hr_max if hr else None,
        "hr_rest": hr.hr_rest if hr else None,
        "hr_estimated": bool(hr.estimated) if hr else None,
        "hr_note": hr.note if hr else "",
        "counts": counts,
        "worst": worst,
        "cramps_in_window": len(cramps),
        "cramps_total": len(report.cramps),
        "notes": list(report.notes),
        "weekly": weekly_series(report),
    }


def _worst(findings: Sequence[Any]) -> dict[str, Any] | None:
    from cramplog.model import severity_rank

    best = None
    for f in findings:
        key = (severity_rank(f.severity), f.date)
        if best is None or key > best[0]:
            best = (key, f)
    if best is None:
        return None
    f = best[1]
    return {"rule": f.rule, "name": f.name, "severity": f.severity, "date": f.date.isoformat()}


def _finite(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return round(v, 1) if math.isfinite(v) else None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def outcome_for(
    store: Store, name: str, *, since: date | None, today: date | None, cache: bool = False
) -> AthleteOutcome:
    """Analyse one athlete into plain data; an expected error becomes ``error`` instead.

    With ``cache``, served from the store's outcome cache when the key matches, and stored
    there after computing (unless the store is read-only)."""
    key = outcome_cache_key(store, name, since=since, today=today) if cache else None
    if key is not None:
        hit = cached_outcome(store, name, key)
        if hit is not None:
            return hit
    return _computed_outcome(store, name, since=since, today=today, key=key)


def outcome_cache_key(
    store: Store, name: str, *, since: date | None, today: date | None
) -> str | None:
    """The key ``name``'s outcome is cached under now; None when there is nothing to cache
    (no such athlete or no sessions: the analysis says so)."""
    from cramplog.analysis.outcome_key import outcome_key

    inputs = store.outcome_inputs(name)
    if inputs is None:
        return None
    return outcome_key(inputs.digest, since, analysis_day(today, inputs.last_day))


def cached_outcome(store: Store, name: str, key: str) -> AthleteOutcome | None:
    """The outcome cached for ``name`` under ``key``, or None (a miss, or a row that does not
    hold an outcome)."""
    doc = store.cached_outcome(name, key)
    if doc is None:
        return None
    report, ov, fkey = doc.get("report"), doc.get("overview"), doc.get("features_key", "")
    if not isinstance(report, dict) or not isinstance(ov, dict) or not isinstance(fkey, str):
        return None
    return AthleteOutcome(
        athlete=name, report=report, overview=ov, stats=FeatureStats(key=fkey), cached=True
    )


def _computed_outcome(
    store: Store, name: str, *, since: date | None, today: date | None, key: str | None
) -> AthleteOutcome:
    """Analyse afresh; cache the outcome under ``key`` when the store is writable and its
    inputs did not change while the analysis read them."""
    out = _analysed_outcome(store, name, since=since, today=today)
    if key is None or not out.ok or store.readonly:
        return out
    if outcome_cache_key(store, name, since=since, today=today) == key:
        doc = {"report": out.report, "overview": out.overview, "features_key": out.stats.key}
        store.put_outcome(name, key, doc)
    return out


def _analysed_outcome(
    store: Store, name: str, *, since: date | None, today: date | None
) -> AthleteOutcome:
    """The analysis as plain data; an expected error becomes ``error`` instead."""
    try:
        result = analyze_stored(store, name, since=since, today=today)
    except CramplogError as exc:
        return AthleteOutcome(athlete=name, error=str(exc))
    report = result.report
    data = report.to_dict(result.activities_by_id)
    if since is not None:
        # the timeline shows the window's cramps; earlier ones still fed the analysis
        data["cramps"] = [
            d for c, d in zip(report.cramps, data["cramps"], strict=True) if c.local_date >= since
        ]
    return AthleteOutcome(
        athlete=name,
        report=data,
        overview=overview(report, since, result.as_of or today),
        stats=result.stats,
    )


def _worker(
    args: tuple[str, str, date | None, date | None, str | None, bool],
) -> AthleteOutcome:
    from cramplog.store import Store

    db, name, since, today, key, readonly = args
    try:
        with Store(db, readonly=readonly) as store:
            return _computed_outcome(store, name, since=since, today=today, key=key)
    except CramplogError as exc:
        return AthleteOutcome(athlete=name, error=str(exc))


def analyze_many(
    store: Store,
    names: Sequence[str],
    *,
    since: date | None = None,
    today: date | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: bool = False,
) -> list[AthleteOutcome]:
    """Every athlete in ``names`` analysed, in input order: from the outcome cache where it
    holds them (with ``cache``), the others in worker processes when there are at least
    ``POOL_MIN_ATHLETES`` of them and ``POOL_MIN_SESSIONS`` sessions in all."""
    done: dict[int, AthleteOutcome] = {}
    todo: list[tuple[int, str, str | None]] = []
    for i, name in enumerate(names):
        key = outcome_cache_key(store, name, since=since, today=today) if cache else None
        hit = cached_outcome(store, name, key) if key is not None else None
        if hit is not None:
            done[i] = hit
        else:
            todo.append((i, name, key))
    ticks = 0

    def tick() -> None:
        nonlocal ticks
        ticks += 1
        if progress is not None:
            progress(ticks, len(names))

    for _ in done:
        tick()
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    use_pool = (
        n_workers > 1
        and len(todo) >= POOL_MIN_ATHLETES
        and sum(store.count_activities(n) for _, n, _ in todo) >= POOL_MIN_SESSIONS
    )
    if not use_pool:
        for i, name, key in todo:
            done[i] = _computed_outcome(store, name, since=since, today=today, key=key)
            tick()
        return [done[i] for i in range(len(names))]
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(str(store.path), n, since, today, key, store.readonly) for _, n, key in todo]
    with ProcessPoolExecutor(max_workers=min(n_workers, len(todo))) as pool:
        for (i, _, _), out in zip(todo, pool.map(_worker, jobs), strict=True):
            done[i] = out
            tick()
    return [done[i] for i in range(len(names))]


def default_today() -> date:
    """Today in local time; ``CRAMPLOG_TODAY`` (ISO date) pins it for tests and demos."""
    env = os.environ.get("CRAMPLOG_TODAY")
    if env:
        try:
            return date.fromisoformat(env)
        except ValueError:
            raise InputError(f"CRAMPLOG_TODAY={env!r} is not a date (YYYY-MM-DD)") from None
    return date.today()


def athlete_dirs(path: Path) -> list[Path]:
    """A team folder (its subfolders each hold an ``athlete.toml``) expands to those
    subfolders; any other path is one athlete."""
    if path.is_dir() and not (path / "athlete.toml").is_file():
        subs = sorted(p for p in path.iterdir() if p.is_dir() and (p / "athlete.toml").is_file())
        if subs:
            return subs
    return [path]


def read_roster(path: Path) -> list[Path]:
    """One folder per line; blank lines and ``#`` comments ignored; relative to the roster."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read roster {path}: {exc.strerror or exc}") from None
    out = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            p = Path(entry).expanduser()
            out.append(p if p.is_absolute() else path.parent / p)
    if not out:
        raise InputError(f"roster {path} lists no folders")
    return out
