"""Cramp events: logged on the command line or synced from an athlete folder's cramps.csv."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

from cramplog.model import CrampEvent
from cramplog.store.base import StoreBase, _iso, _parse_iso


class CrampQueries(StoreBase):
    """The cramp journal."""

    def add_cramps(
        self, athlete: str, events: Iterable[CrampEvent], *, source: str | None = None
    ) -> tuple[int, int]:
        """Store cramp events in one transaction; returns (added, already known).

        An event is identified by athlete, local time and muscle. ``source`` names the
        cramps.csv an event came from (None: logged on the command line).
        """
        aid = self.athlete_id(athlete)
        assert aid is not None
        stored: list[CrampEvent] = []
        with self.transaction():
            added, known = self._insert_cramps(aid, events, source, stored)
            self._journal_cramps(aid, stored, [])
        return added, known

    def sync_cramps_file(
        self, athlete: str, source: str, events: list[CrampEvent]
    ) -> tuple[int, int, int]:
        """Make the events imported from ``source`` (an athlete folder's cramps.csv) match
        the file as it is now: rows added, kept, and removed because the user deleted or
        corrected them in the file. Events logged on the command line are never touched.
        Returns (added, already known, removed)."""
        aid = self.athlete_id(athlete)
        assert aid is not None
        keep = {(_local_key(ev), ev.muscle) for ev in events}
        stored: list[CrampEvent] = []
        with self.transaction():
            stale = [
                _cramp_from_row(r, athlete)
                for r in self.conn.execute(
                    "SELECT * FROM cramps WHERE athlete_id = ? AND source = ?", (aid, source)
                )
                if (r["when_local"], r["muscle"]) not in keep
            ]
            self.conn.executemany("DELETE FROM cramps WHERE id = ?", [(e.id,) for e in stale])
            added, known = self._insert_cramps(aid, events, source, stored)
            if stored or stale:
                self._journal_cramps(aid, stored, stale)
        return added, known, len(stale)

    def _insert_cramps(
        self,
        aid: int | None,
        events: Iterable[CrampEvent],
        source: str | None,
        stored: list[CrampEvent] | None = None,
    ) -> tuple[int, int]:
        added = known = 0
        for ev in events:
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO cramps (athlete_id, when_local, when_utc, date_only,"
                " muscle, side, severity, timing, notes, source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    aid,
                    _local_key(ev),
                    _iso(ev.when),
                    int(ev.date_only),
                    ev.muscle,
                    ev.side,
                    ev.severity,
                    ev.timing,
                    ev.notes,
                    source,
                ),
            )
            if cur.rowcount:
                ev.id = int(cur.lastrowid or 0)
                added += 1
                if stored is not None:
                    stored.append(ev)
            else:
                known += 1
        return added, known

    def cramps(self, athlete: str) -> list[CrampEvent]:
        aid = self.athlete_id(athlete, create=False)
        if aid is None:
            return []
        rows = self.conn.execute(
            "SELECT * FROM cramps WHERE athlete_id = ? ORDER BY when_utc, id", (aid,)
        )
        return [_cramp_from_row(r, athlete) for r in rows]

    def cramp(self, cramp_id: int) -> CrampEvent | None:
        row = self.conn.execute(
            "SELECT c.*, a.name AS athlete_name FROM cramps c JOIN athletes a"
            " ON a.id = c.athlete_id WHERE c.id = ?",
            (cramp_id,),
        ).fetchone()
        return None if row is None else _cramp_from_row(row, row["athlete_name"])

    def remove_cramp(self, cramp_id: int) -> bool:
        with self.transaction():
            ev = self.cramp(cramp_id)
            cur = self.conn.execute("DELETE FROM cramps WHERE id = ?", (cramp_id,))
            if ev is not None and cur.rowcount:
                aid = self.athlete_id(ev.athlete or "", create=False)
                assert aid is not None
                self._journal_cramps(aid, [], [ev])
        return cur.rowcount > 0


def _local_key(ev: CrampEvent) -> str:
    """The event's local wall time as stored: a date for date-only events."""
    if ev.date_only:
        return ev.when.date().isoformat()
    return ev.when.replace(tzinfo=None).isoformat(timespec="minutes")


def _cramp_from_row(r: sqlite3.Row, athlete: str) -> CrampEvent:
    when_utc = _parse_iso(r["when_utc"])
    local = r["when_local"]
    if r["date_only"]:
        local_dt = datetime.combine(date.fromisoformat(local), datetime.min.time()).replace(hour=12)
    else:
        local_dt = datetime.fromisoformat(local)
    offset = round((local_dt - when_utc.replace(tzinfo=None)).total_seconds())
    when = when_utc.astimezone(timezone(timedelta(seconds=offset)))
    return CrampEvent(
        when=when,
        muscle=r["muscle"],
        side=r["side"],
        severity=r["severity"],
        timing=r["timing"],
        notes=r["notes"],
        date_only=bool(r["date_only"]),
        id=int(r["id"]),
        athlete=athlete,
    )
