"""Analysing athletes into outcomes, through the store's outcome cache, in worker processes
when that pays.

With ``cache=True`` (as ``cramplog analyze`` asks), ``outcome_for`` and ``analyze_many`` keep
each athlete's outcome in the store, one row per athlete, under a key that covers the
athlete's stored inputs, ``since``, the analysis day and the code (see
``cramplog.analysis.outcome_key`` and ``store/outcomes.py``). A hit is served without loading
sessions, numpy or the rules; a store opened read-only reads the cache but does not write it.

Several athletes are analysed in worker processes when that pays (see ``POOL_MIN_*``; only
athletes missing from the cache count); each worker opens the store itself and returns an
``AthleteOutcome`` of plain data, so results are identical, and in input order, whichever
way they were computed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, TypeAlias

from cramplog.analysis import stored
from cramplog.analysis.outcome import AthleteOutcome, OutcomeDoc, outcome_doc, overview
from cramplog.analysis.stored import FeatureStats, analysis_day
from cramplog.errors import CramplogError

if TYPE_CHECKING:
    from cramplog.store import Store

# ``since`` as a day, or as a look-back from the day each athlete's analysis is as of
# (``stored.analysis_day``: the log's last day when it ended long ago), e.g. ``--since 8w``.
Since: TypeAlias = "date | Callable[[date], date] | None"

# Worker processes pay off from this many athletes and this many sessions in all.
POOL_MIN_ATHLETES = 4
POOL_MIN_SESSIONS = 400


def since_arg(text: str | None, today: date) -> Since:
    """``--since`` as given: a day, or (a look-back such as ``8w``) a count back from each
    athlete's analysis day, so an export that ended months ago still shows its last weeks.
    The text is checked now (``UsageError``)."""
    from cramplog.journal.since import is_lookback, parse_since

    if text is None:
        return None
    day = parse_since(text, today)
    if is_lookback(text):
        return lambda as_of: parse_since(text, as_of)
    return day


def since_for(store: Store, name: str, since: Since, today: date | None) -> date | None:
    """``since`` as a day for ``name``: a look-back counts back from their analysis day."""
    if since is None or isinstance(since, date):
        return since
    inputs = store.outcome_inputs(name)
    if inputs is None:
        return since(today or date.today())
    return since(analysis_day(today, inputs.last_day))


def outcome_for(
    store: Store, name: str, *, since: Since, today: date | None, cache: bool = False
) -> AthleteOutcome:
    """Analyse one athlete into plain data; an expected error becomes ``error`` instead.

    With ``cache``, served from the store's outcome cache when the key matches, and stored
    there after computing (unless the store is read-only)."""
    since = since_for(store, name, since, today)
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
    raw = store.cached_outcome(name, key)
    doc = outcome_doc(raw) if raw is not None else None
    if doc is None:
        return None
    return AthleteOutcome(
        athlete=name,
        report=doc["report"],
        overview=doc["overview"],
        stats=FeatureStats(key=doc["features_key"]),
        cached=True,
    )


def _computed_outcome(
    store: Store, name: str, *, since: date | None, today: date | None, key: str | None
) -> AthleteOutcome:
    """Analyse afresh; cache the outcome under ``key`` when the store is writable and its
    inputs did not change while the analysis read them."""
    out = _analysed_outcome(store, name, since=since, today=today)
    if key is None or out.report is None or store.readonly:
        return out
    if outcome_cache_key(store, name, since=since, today=today) == key:
        doc: OutcomeDoc = {
            "report": out.report,
            "overview": out.overview,
            "features_key": out.stats.key,
        }
        store.put_outcome(name, key, doc)
    return out


def _analysed_outcome(
    store: Store, name: str, *, since: date | None, today: date | None
) -> AthleteOutcome:
    """The analysis as plain data; an expected error becomes ``error`` instead."""
    try:
        result = stored.analyze_stored(store, name, since=since, today=today)
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
    since: Since = None,
    today: date | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: bool = False,
    write_cache: bool = True,
) -> list[AthleteOutcome]:
    """Every athlete in ``names`` analysed, in input order: from the outcome cache where it
    holds them (with ``cache``; fresh outcomes are cached too unless ``write_cache`` is False
    or the store is read-only), the others in worker processes when there are at least
    ``POOL_MIN_ATHLETES`` of them and ``POOL_MIN_SESSIONS`` sessions in all. A look-back
    ``since`` counts back from each athlete's own analysis day."""
    done: dict[int, AthleteOutcome] = {}
    todo: list[tuple[int, str, str | None]] = []
    days = {name: since_for(store, name, since, today) for name in names}
    for i, name in enumerate(names):
        key = outcome_cache_key(store, name, since=days[name], today=today) if cache else None
        hit = cached_outcome(store, name, key) if key is not None else None
        if hit is not None:
            done[i] = hit
        else:
            todo.append((i, name, key if write_cache else None))
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
            done[i] = _computed_outcome(store, name, since=days[name], today=today, key=key)
            tick()
        return [done[i] for i in range(len(names))]
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(str(store.path), n, days[n], today, key, store.readonly) for _, n, key in todo]
    with ProcessPoolExecutor(max_workers=min(n_workers, len(todo))) as pool:
        for (i, _, _), out in zip(todo, pool.map(_worker, jobs), strict=True):
            done[i] = out
            tick()
    return [done[i] for i in range(len(names))]
