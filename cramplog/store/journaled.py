"""The store keeps the journal (journal/files.py) of what people typed: every change to an
athlete's cramps or profile writes the athlete's journal files inside the same write
transaction, before it commits. A journal write that fails (a full disk, a folder that cannot
be written, a journal file spoiled by a hand edit) rolls the change back: the store and the
journal hold the same entries, or the journal holds one more (a process killed between the
journal's rename and the commit), never fewer.

The journal's cramps.csv only grows by what is added and shrinks by what is removed: an
entry the store lacks (say, a row added to the file by hand) stays in it. The first write for
an athlete, and opening a writable store whose athletes have no journal yet, write the
athlete's whole record. A store that is gone while its journal is still there is refused
(the next write would start a new record over the old one): ``cramplog store rebuild``.
"""

from __future__ import annotations

import sqlite3
from datetime import timezone
from pathlib import Path

from cramplog.errors import CramplogError, InputError, StoreError
from cramplog.model import CrampEvent, Profile
from cramplog.store.base import REBUILD_HINT
from cramplog.store.cramps import CrampQueries, _cramp_from_row
from cramplog.store.profiles import ProfileQueries, profile_from_json


class JournalQueries(CrampQueries, ProfileQueries):
    """The journal hooks of the store; ``journal=False`` keeps none (``store rebuild`` builds
    its new store without one, then writes the journal once at the end)."""

    def __init__(
        self,
        path: Path | str,
        *,
        readonly: bool = False,
        create: bool = True,
        journal: bool = True,
    ) -> None:
        from cramplog.journal.files import Journal, journal_dir

        book = Journal(journal_dir(Path(path))) if journal else None
        if book is not None and not Path(path).exists() and book.folders():
            raise StoreError(
                f"no cramplog store at {path}, but its journal {book.root} holds what was "
                f"typed for {len(book.folders())} athlete(s); {REBUILD_HINT} (or move the "
                "journal away to start afresh)"
            )
        super().__init__(path, readonly=readonly, create=create)
        if book is not None and not readonly:
            self.journal = book
            self._seed_journals()

    # -- hooks (inside the write transaction) -------------------------------------------

    def _journal_cramps(self, aid: int, added: list[CrampEvent], removed: list[CrampEvent]) -> None:
        if self.journal is None:
            return
        name, profile = self._athlete_row(aid)
        with self._journal_errors():
            if not self.journal.has(name):
                self._write_whole(aid, name, profile)
                return
            events = self.journal.read_cramps(name, profile.tzinfo())
            gone = {event_key(r) for r in removed}
            kept = [ev for ev in events if event_key(ev) not in gone]
            have = {event_key(ev) for ev in kept}
            kept += [ev for ev in added if event_key(ev) not in have]
            self.journal.write_cramps(name, kept)

    def _journal_profile(self, profile: Profile) -> None:
        if self.journal is None:
            return
        with self._journal_errors():
            if not self.journal.has(profile.name):
                aid = self.athlete_id(profile.name, create=False)
                assert aid is not None
                self._write_whole(aid, profile.name, profile)
            else:
                self.journal.write_profile(profile)

    def record_import(self, athlete: str, path: Path) -> None:
        """Note in the athlete's journal that ``path`` was imported for them (``store
        rebuild`` imports it again)."""
        if self.journal is None or self.readonly:
            return
        aid = self.athlete_id(athlete)
        assert aid is not None
        with self.transaction(), self._journal_errors():
            if not self.journal.has(athlete):
                self._write_whole(aid, athlete, self._athlete_row(aid)[1])
            self.journal.add_imports(athlete, [str(path.resolve())])

    def write_journal(self, athlete: str, imports: list[str]) -> None:
        """Write the athlete's whole record from the store, keeping any cramp the journal
        holds that the store lacks (``store rebuild`` ends with this)."""
        if self.journal is None:
            return
        aid = self.athlete_id(athlete)
        assert aid is not None
        with self.transaction(), self._journal_errors():
            name, profile = self._athlete_row(aid)
            old = self.journal.read_cramps(name, profile.tzinfo()) if self.journal.has(name) else []
            events = self._stored_cramps(aid, name)
            have = {event_key(ev) for ev in events}
            events += [ev for ev in old if event_key(ev) not in have]
            self.journal.write_profile(profile)
            self.journal.write_cramps(name, events)
            self.journal.add_imports(name, imports)

    # -- helpers -------------------------------------------------------------------------

    def _seed_journals(self) -> None:
        """Athletes stored before the journal existed (or whose journal folder was removed)
        get their whole record written."""
        assert self.journal is not None
        try:
            missing = [n for n in self.athletes() if not self.journal.has(n)]
        except sqlite3.DatabaseError:
            return  # a damaged store: the command itself will say so
        if not missing:
            return
        with self.transaction(), self._journal_errors():
            for name in missing:
                aid = self.athlete_id(name, create=False)
                if aid is not None and not self.journal.has(name):
                    self._write_whole(aid, name, self._athlete_row(aid)[1])

    def _athlete_row(self, aid: int) -> tuple[str, Profile]:
        row = self.conn.execute(
            "SELECT name, profile FROM athletes WHERE id = ?", (aid,)
        ).fetchone()
        name = str(row["name"])
        profile = profile_from_json(row["profile"]) if row["profile"] else Profile(name=name)
        return name, profile

    def _stored_cramps(self, aid: int, name: str) -> list[CrampEvent]:
        rows = self.conn.execute(
            "SELECT * FROM cramps WHERE athlete_id = ? ORDER BY when_utc", (aid,)
        )
        return [_cramp_from_row(r, name) for r in rows]

    def _write_whole(self, aid: int, name: str, profile: Profile) -> None:
        assert self.journal is not None
        # cramps first: athlete.toml is what marks a folder as written
        self.journal.write_cramps(name, self._stored_cramps(aid, name))
        self.journal.write_profile(profile)

    def _journal_errors(self) -> _JournalErrors:
        assert self.journal is not None
        return _JournalErrors(self.journal.root)


def event_key(ev: CrampEvent) -> tuple[object, ...]:
    """Which cramp an event is, as ``journal.cramps.same_event`` decides it (times are kept to
    the minute): the muscle and the instant, or the local day of a date-only event."""
    if ev.date_only:
        return (ev.muscle, True, ev.when.date())
    return (ev.muscle, False, ev.when.astimezone(timezone.utc).replace(second=0, microsecond=0))


class _JournalErrors:
    """Turns a failed journal write into one StoreError line (the transaction rolls back)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, OSError):
            where = exc.filename or self.root
            raise StoreError(
                f"cannot write the journal at {where} ({exc.strerror or exc}); nothing was "
                "stored: free some disk space or fix the folder's permissions and run the "
                "command again"
            ) from None
        if isinstance(exc, InputError):
            raise StoreError(
                f"the journal cannot be read back: {exc}; nothing was stored: fix that file "
                "(or move it aside) and run the command again"
            ) from None
        if isinstance(exc, CramplogError):
            return
