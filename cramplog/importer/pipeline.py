"""Import pipeline: find files, skip the ones already stored (content hash), parse the rest
(in worker processes when there are enough of them), put local times in the athlete's
zone, fill gaps from summary CSVs, and store each file whole or not at all (a savepoint in a
batch of files that share a transaction, ``Store.batch``).

Nothing here prints: progress goes through a callback and the outcome is an ImportOutcome.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from typing import Any

from cramplog.errors import CramplogError, InputError
from cramplog.importer.feed import Feed
from cramplog.importer.pool import ParsePool, parse_one, without_name
from cramplog.ingest.walk import Entry, Problem, walk
from cramplog.model import Activity, ParseResult, Profile
from cramplog.store import AddResult, Store

Progress = Callable[[int, int], None]


@dataclass
class ImportOutcome:
    """What one import did, for one or more paths."""

    athletes: list[str] = field(default_factory=list)
    files_seen: int = 0
    imported_files: int = 0
    activities_added: int = 0
    merged: int = 0
    known: int = 0
    skipped_unknown: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    cramps_added: int = 0
    cramps_known: int = 0
    cramps_removed: int = 0
    profiles_loaded: int = 0

    @property
    def anything_readable(self) -> bool:
        return bool(self.imported_files or self.known or self.cramps_added or self.cramps_known)


def athlete_for_path(path: Path, explicit: str | None) -> tuple[str, Profile | None, str | None]:
    """The athlete a path belongs to: --athlete, else athlete.toml's name, else the folder name.

    Returns (name, profile read from the folder's athlete.toml or None, the toml's sha256).
    """
    profile: Profile | None = None
    digest: str | None = None
    toml = path / "athlete.toml" if path.is_dir() else None
    default = path.name if path.is_dir() else (path.parent.name or path.stem)
    if path.is_file() and path.suffix.lower() == ".zip":
        default = path.stem
    if toml is not None and toml.is_file():
        from cramplog.journal.profile import load_profile_toml, resolve_courses

        data = toml.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        profile = load_profile_toml(data, str(toml), default_name=explicit or default)
        if explicit:
            profile.name = explicit
        resolve_courses(profile, toml.parent)  # course files are named relative to the toml
    name = explicit or (profile.name if profile else default)
    return name, profile, digest


def import_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    athlete: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    pool: ParsePool | None = None,
) -> ImportOutcome:
    """Import every path; each path is one athlete's files (see ``athlete_for_path``).

    The paths share one ``ParsePool``: ``pool`` when given (the caller keeps it for more
    imports), else one made here for this call (``workers`` processes, default: the CPUs).
    """
    report = ImportOutcome()
    with ParsePool(workers) if pool is None else _borrowed(pool) as parse_pool:
        for path in paths:
            _import_one(store, Path(path), athlete, report, progress, parse_pool)
    return report


@contextmanager
def _borrowed(pool: ParsePool) -> Iterator[ParsePool]:
    """A caller's pool: used, not closed."""
    yield pool


def _import_one(
    store: Store,
    path: Path,
    explicit: str | None,
    report: ImportOutcome,
    progress: Progress | None,
    pool: ParsePool,
) -> None:
    name, profile, toml_sha = athlete_for_path(path, explicit)
    if name not in report.athletes:
        report.athletes.append(name)
    store.athlete_id(name)
    store.record_import(name, path)  # the journal: `store rebuild` imports it again
    known = store.known_hashes(name)
    if profile is not None and toml_sha is not None and toml_sha not in known:
        store.set_profile(profile)
        store.add_file(name, toml_sha, "athlete.toml", "profile", 0, [])
        report.profiles_loaded += 1
    prof = store.get_profile(name) or Profile(name=name)
    tz = prof.tzinfo()

    problems: list[Problem] = []
    entries = list(walk(path, problems))
    for p in problems:
        report.failed.append((p.display, p.message))
    report.files_seen += len(entries)

    # a goal's course file lives beside the activities but is not one (analysis reads it)
    courses = {g.course for g in prof.goals if g.course}
    entries = [e for e in entries if e._path is None or os.path.abspath(e._path) not in courses]
    feed = Feed(known, store.file_stats(name), report.failed)
    todo = feed.select(entries)
    report.skipped_unknown += sum(e.kind == "unknown" for e in entries)

    # Summary CSVs come first (Feed.select): their fills (RPE, weather, title) apply to the
    # files they name.
    fills: dict[str, dict[str, Any]] = {}
    fill_origin: dict[str, tuple[Entry, str]] = {}
    present = {_fill_key(e.rel) for e in entries} | {_fill_key(e.name) for e in entries}
    done = 0
    total = len(todo)
    files = feed.read(todo)
    first = next(files, None)  # read up to the first new file: none, no numpy either
    fctx = _feature_context(prof) if first is not None else None
    big = pool.wants(len(todo), sum(e.size for e in todo))
    # The files' sessions share transactions (a batch), each file a savepoint in it: a
    # file lands whole or not at all, without a commit of its own (a commit per file, two
    # with its features, was most of what storing cost). A file counts once committed.
    stored: list[tuple[Entry, AddResult]] = []
    with store.batch() as batch:
        for entry, sha, result in _parse_all(
            chain([first] if first else [], files), big, pool, fctx
        ):
            done += 1
            if progress is not None:
                progress(done, total)
            if isinstance(result, str):
                report.failed.append((entry.display, result))
                continue
            for key, value in result.fills.items():
                fills[_fill_key(key)] = value
                fill_origin[_fill_key(key)] = (entry, sha)
            fill = fills.get(_fill_key(entry.rel)) or fills.get(_fill_key(entry.name))
            acts = _prepare(entry, result, fill, tz, report)
            try:
                added = store.add_file(
                    name,
                    sha,
                    entry.rel,
                    _format_of(entry.name),
                    entry.size,
                    acts,
                    status="partial" if result.warnings else "ok",
                    message="; ".join(result.warnings)[:500] or None,
                )
            except CramplogError as exc:
                report.failed.append((entry.display, str(exc)))
                if batch.undone():  # a full disk: the files since the last commit are gone
                    report.failed += [(e.display, str(exc)) for e, _ in stored]
                    stored.clear()
                continue
            stored.append((entry, added))
            if fctx is not None:
                _store_features(store, name, fctx, acts)
            if batch.tick():
                _count_stored(report, stored)
        _store_orphan_rows(store, name, fills, fill_origin, present, tz, report, fctx)
    _count_stored(report, stored)

    report.known += feed.n_known
    for entry, data, sha in feed.cramps:
        _import_cramps(store, name, entry, data, sha, tz, report)
    store.set_file_stats(name, feed.stats)


def _prepare(
    entry: Entry, result: ParseResult, fill: dict[str, Any] | None, tz: Any, report: ImportOutcome
) -> list[Activity]:
    """A file's sessions ready to store: local times in the athlete's zone, races marked,
    gaps filled from a summary CSV's row; its warnings noted."""
    acts = [_localize(a, tz) for a in result.activities]
    for a in acts:
        if not a.is_race and (_RACE.search(entry.name) or _RACE.search(a.title or "")):
            a.is_race = True
    if fill:
        for a in acts:
            _apply_fill(a, fill)
    for w in result.warnings:
        report.warnings.append((entry.display, without_name(w, entry.name)))
    return acts


def _count_stored(report: ImportOutcome, stored: list[tuple[Entry, AddResult]]) -> None:
    """Count the files of a committed batch as imported (and empty the list)."""
    for _, added in stored:
        report.imported_files += 1
        report.activities_added += added.inserted
        report.merged += added.merged
    stored.clear()


def _feature_context(profile: Profile) -> tuple[Profile, Any, str] | None:
    """(profile, HR bounds, feature cache key) when the profile fixes the HR bounds, so the
    workers can compute each stream's part of its features; None when the bounds must be
    estimated from all of the athlete's streams (the analysis does that)."""
    if profile.hr_max is None or profile.hr_rest is None:
        return None
    from cramplog.features.compute import estimate_hr_bounds
    from cramplog.features.key import features_key, rounded_bounds

    hr = rounded_bounds(estimate_hr_bounds(profile, []))
    return profile, hr, features_key(profile, hr)


def _store_features(
    store: Store, athlete: str, fctx: tuple[Profile, Any, str], acts: list[Activity]
) -> None:
    """Features of the sessions a file just added, from their stored rows and the workers'
    stream numbers: what the first analysis would compute, without reading a stream. Run as
    each file lands, while the workers parse the next ones. A session another file later
    merges into loses them again (the store clears them) and the analysis computes it."""
    from cramplog.features.compute import compute_features

    numbers = {}
    for a in acts:
        has_stream = a.stream is not None or a.stream_blob is not None
        if a.id is not None and (a.stream_numbers is not None or not has_stream):
            numbers[a.id] = a.stream_numbers  # None: a summary-only session
    if not numbers:
        return
    profile, hr, key = fctx
    stored = store.activities(athlete, ids=list(numbers), sources=False)  # features need none
    store.put_features(
        {a.id: compute_features(a, profile, hr, numbers[a.id]).to_dict() for a in stored if a.id},
        key,
    )


def _store_orphan_rows(
    store: Store,
    athlete: str,
    fills: dict[str, dict[str, Any]],
    origin: dict[str, tuple[Entry, str]],
    present: set[str],
    tz: Any,
    report: ImportOutcome,
    fctx: tuple[Profile, Any, str] | None,
) -> None:
    """A summary-CSV row whose file is not in the export becomes a session of its own
    (a Strava activities.csv imported on its own, or an export missing some files)."""
    by_csv: dict[str, tuple[Entry, str, list[Activity]]] = {}
    for key, fill in fills.items():
        act = fill.get("activity")
        if key in present or not isinstance(act, Activity):
            continue
        entry, sha = origin[key]
        by_csv.setdefault(entry.rel, (entry, sha, []))[2].append(_localize(act, tz))
    for entry, sha, acts in by_csv.values():
        added = store.add_file(athlete, sha, entry.rel, "csv", entry.size, acts)
        report.activities_added += added.inserted
        report.merged += added.merged
        if fctx is not None:
            _store_features(store, athlete, fctx, acts)


def _import_cramps(
    store: Store, athlete: str, entry: Entry, data: bytes, sha: str, tz: Any, report: ImportOutcome
) -> None:
    from cramplog.journal.cramps import parse_cramps_csv

    try:
        events, warnings = parse_cramps_csv(
            data, entry.display, tz, now=datetime.now(timezone.utc), skip_bad_rows=False
        )
    except InputError as exc:
        report.failed.append((entry.display, str(exc)))
        return
    added, already, removed = store.sync_cramps_file(athlete, entry.rel, events)
    store.add_file(athlete, sha, entry.rel, "cramps", entry.size, [])
    report.cramps_added += added
    report.cramps_known += already
    report.cramps_removed += removed
    for w in warnings:
        report.warnings.append((entry.display, w))


def _format_of(name: str) -> str:
    from cramplog.ingest.read import detect_format

    return detect_format(name) or "unknown"


def _fill_key(name: str) -> str:
    """Match CSV Filename cells to files: base name without .gz, lower case."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return base[:-3] if base.endswith(".gz") else base


def _localize(act: Activity, tz: Any) -> Activity:
    """A naive start is local wall time (summary CSVs): put it in the athlete's zone."""
    if act.start.tzinfo is None:
        local = act.start.replace(tzinfo=tz)
        act.start = local.astimezone(timezone.utc)
        offset = local.utcoffset()
        act.utc_offset_s = int(offset.total_seconds()) if offset is not None else None
    return act


# A session is a race when its file name or title says so ("2026-04-18_race_trail.fit",
# "Half Marathon Race"); FIT and GPX files carry no race flag of their own.
_RACE = re.compile(r"(?i)(?<![a-z])(race|racing|wettkampf|carrera|compétition)(?![a-z])")

_FILLABLE = ("title", "rpe", "temp_avg_c", "temp_min_c", "temp_max_c")


def _apply_fill(act: Activity, fill: dict[str, Any]) -> None:
    for key in _FILLABLE:
        if getattr(act, key) is None and fill.get(key) is not None:
            setattr(act, key, fill[key])
    if fill.get("is_race"):
        act.is_race = True


def _parse_all(
    files: Iterable[tuple[Entry, bytes, str]],
    big: bool,
    pool: ParsePool,
    fctx: tuple[Profile, Any, str] | None = None,
) -> Iterable[tuple[Entry, str, ParseResult | str]]:
    """Parse in input order, each file read only when it is next (``Feed.read``); with
    ``big``, in worker processes, a bounded number at a time."""
    if not big:
        for entry, data, sha in files:
            yield entry, sha, parse_one((entry.name, data, fctx))
        return
    items = (((entry, sha), (entry.name, data, fctx)) for entry, data, sha in files)
    for (entry, sha), result in pool.imap(items):
        yield entry, sha, result
