"""``cramplog store rebuild``: a new store from the journal and the export folders.

1. The journal is read whole first (every athlete's profile, cramps and imported paths);
   what cannot be read is reported, the rest is used.
2. A new store is built in a temporary file beside the old one, with no journal of its own:
   the given export folders (or the paths the journal recorded) are imported again, then
   each athlete's journal profile replaces the folder's and the journal's cramps are added
   (a cramp already there from a folder's cramps.csv is not doubled).
3. The old store (with its ``-wal`` and ``-shm`` files) is renamed aside,
   ``<store>.damaged-<UTC time>``, never deleted, and the new one takes its place.
4. The journal is written from the new store (what the folders added joins it).

Nothing here prints: the outcome says what was recovered and what was not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from cramplog.errors import CramplogError, StoreError
from cramplog.journal.files import JournalEntry
from cramplog.store import Store

_COMPANIONS = ("-wal", "-shm", "-journal")


@dataclass
class AthleteRecovery:
    """One athlete's part of a rebuild."""

    name: str
    profile_from_journal: bool = False
    cramps_from_journal: int = 0  # journal cramps added (not already there from a folder)
    cramps_total: int = 0
    sessions: int = 0
    paths: list[str] = field(default_factory=list)


@dataclass
class RebuildOutcome:
    moved_aside: Path | None = None
    athletes: dict[str, AthleteRecovery] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)  # what could not be recovered, one line each
    failed_files: int = 0

    def athlete(self, name: str) -> AthleteRecovery:
        return self.athletes.setdefault(name, AthleteRecovery(name=name))


def _stamp(now: datetime) -> str:
    return now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _free_name(path: Path, tag: str) -> Path:
    candidate = path.with_name(f"{path.name}.{tag}")
    n = 1
    while any(Path(f"{candidate}{s}").exists() for s in ("", *_COMPANIONS)):
        n += 1
        candidate = path.with_name(f"{path.name}.{tag}-{n}")
    return candidate


def rebuild_store(
    path: Path, paths: list[Path] | None = None, *, now: datetime | None = None
) -> RebuildOutcome:
    """Rebuild the store at ``path`` (see the module docstring)."""
    from cramplog.journal.files import Journal, journal_dir

    now = now or datetime.now(timezone.utc)
    out = RebuildOutcome()
    book = Journal(journal_dir(path))
    entries = [book.read_folder(f) for f in book.folders()]
    for e in entries:
        out.lost += [f"journal: {p}" for p in e.problems]
    targets = _targets(entries, paths, out)
    if not entries and not targets:
        raise StoreError(
            f"nothing to rebuild {path} from: no journal at {book.root} and no export folders; "
            "name them: cramplog store rebuild FOLDER…"
        )
    tmp = _free_name(path, f"rebuilding-{_stamp(now)}")
    try:
        with Store(tmp, journal=False) as store:
            _import_all(store, targets, out)
            for e in entries:
                _apply_entry(store, e, out)
            for name in store.athletes():
                rec = out.athlete(name)
                rec.cramps_total = len(store.cramps(name))
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        out.moved_aside = _move_aside(path, now)
        os.replace(tmp, path)
    finally:
        for s in ("", *_COMPANIONS):
            Path(f"{tmp}{s}").unlink(missing_ok=True)
    bad = {e.name for e in entries if e.problems}
    with Store(path) as store:
        for name in store.athletes():
            if name not in bad:  # a journal file with unreadable rows stays as it is
                store.write_journal(name, out.athlete(name).paths)
    return out


def _targets(
    entries: list[JournalEntry], paths: list[Path] | None, out: RebuildOutcome
) -> list[tuple[Path, str | None]]:
    """(path, athlete) to import: the given folders (their own athletes), else the paths each
    athlete's journal recorded (imported for that athlete)."""
    if paths:
        from cramplog.importer.athletes import athlete_folders

        return [(p, None) for p in athlete_folders(paths, None)]
    found: list[tuple[Path, str | None]] = []
    for e in entries:
        for p in e.imports:
            if Path(p).exists():
                found.append((Path(p), e.name))
            else:
                out.lost.append(
                    f"{p}: imported for {e.name} but no longer there; its sessions are not in "
                    "the new store (run 'cramplog store rebuild FOLDER' with where it is now)"
                )
    return found


def _import_all(store: Store, targets: list[tuple[Path, str | None]], out: RebuildOutcome) -> None:
    from cramplog.importer.pipeline import import_paths
    from cramplog.importer.pool import ParsePool

    if not targets:
        return
    with ParsePool() as pool:
        for path, athlete in targets:
            try:
                done = import_paths(store, [path], athlete=athlete, pool=pool)
            except CramplogError as exc:
                out.lost.append(f"{path}: {exc}")
                continue
            out.failed_files += len(done.failed)
            for name in done.athletes:
                rec = out.athlete(name)
                rec.sessions += done.activities_added
                rec.paths.append(str(path.resolve()))


def _apply_entry(store: Store, e: JournalEntry, out: RebuildOutcome) -> None:
    from cramplog.store.journaled import event_key

    rec = out.athlete(e.name)
    if e.profile is not None:
        store.set_profile(e.profile)
        rec.profile_from_journal = True
    else:
        store.athlete_id(e.name)
    if e.cramps:
        have = {event_key(h) for h in store.cramps(e.name)}
        new = [ev for ev in e.cramps if event_key(ev) not in have]
        if new:
            rec.cramps_from_journal = store.add_cramps(e.name, new)[0]
    rec.paths += [p for p in e.imports if p not in rec.paths]


def _move_aside(path: Path, now: datetime) -> Path | None:
    """Rename the old store and its companions to ``<store>.damaged-<time>``; None when
    there was no store."""
    if not path.exists():
        for s in _COMPANIONS:  # a lone -wal must not join the new store
            companion = Path(f"{path}{s}")
            if companion.exists():
                aside = _free_name(path, f"orphan-{_stamp(now)}")
                os.replace(companion, f"{aside}{s}")
        return None
    aside = _free_name(path, f"damaged-{_stamp(now)}")
    os.replace(path, aside)
    for s in _COMPANIONS:
        companion = Path(f"{path}{s}")
        if companion.exists():
            os.replace(companion, f"{aside}{s}")
    return aside
