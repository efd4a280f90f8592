"""The local SQLite store: athletes, imported files, activities with their sample streams,
cramp events, and a cache of per-session features.

Files are keyed by content hash, so importing the same file again parses nothing. Every
file's activities are written in one transaction, so an interrupted import never leaves
half an activity. WAL mode and a busy timeout let two imports share one store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from cramplog.errors import StoreError
from cramplog.model import FORMAT_RANK, Activity, CrampEvent, Goal, Profile, Stream
from cramplog.streamcodec import decode_stream, encode_stream

SCHEMA_VERSION = 2

# Steps that bring an older store up to date, by the version they upgrade from.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: ("ALTER TABLE cramps ADD COLUMN source TEXT",),  # which cramps.csv an event came from
}

# Two records are one session when they start within this many seconds of each other and
# their duration or distance agree within DUPLICATE_TOLERANCE.
DUPLICATE_START_S = 300.0
DUPLICATE_TOLERANCE = 0.05

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS athletes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    profile TEXT
);
CREATE TABLE IF NOT EXISTS files (
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT,
    size INTEGER,
    status TEXT NOT NULL,
    message TEXT,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (athlete_id, sha256)
);
CREATE TABLE IF NOT EXISTS activities (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    sport TEXT NOT NULL,
    start_utc TEXT NOT NULL,
    start_epoch REAL NOT NULL,
    utc_offset_s INTEGER,
    elapsed_s REAL, moving_s REAL, distance_m REAL, ascent_m REAL, descent_m REAL,
    hr_avg REAL, hr_max REAL, temp_min_c REAL, temp_avg_c REAL, temp_max_c REAL,
    rpe REAL, title TEXT, is_race INTEGER NOT NULL DEFAULT 0, device TEXT,
    source_format TEXT NOT NULL,
    stream BLOB,
    features TEXT,
    features_key TEXT
);
CREATE INDEX IF NOT EXISTS activities_by_start ON activities (athlete_id, start_epoch);
CREATE TABLE IF NOT EXISTS activity_sources (
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    PRIMARY KEY (activity_id, sha256, name)
);
CREATE TABLE IF NOT EXISTS cramps (
    id INTEGER PRIMARY KEY,
    athlete_id INTEGER NOT NULL REFERENCES athletes(id),
    when_local TEXT NOT NULL,
    when_utc TEXT NOT NULL,
    date_only INTEGER NOT NULL DEFAULT 0,
    muscle TEXT NOT NULL,
    side TEXT, severity INTEGER, timing TEXT, notes TEXT,
    source TEXT,
    UNIQUE (athlete_id, when_local, muscle)
);
"""

# Summary columns copied between Activity and the activities table.
_SUMMARY = (
    "elapsed_s",
    "moving_s",
    "distance_m",
    "ascent_m",
    "descent_m",
    "hr_avg",
    "hr_max",
    "temp_min_c",
    "temp_avg_c",
    "temp_max_c",
    "rpe",
    "title",
    "device",
)


@dataclass
class AddResult:
    """What storing one file's activities did."""

    inserted: int = 0
    merged: int = 0


def default_db_path() -> Path:
    """The store's default place: the user data dir (``CRAMPLOG_DB`` overrides it)."""
    import os

    env = os.environ.get("CRAMPLOG_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("cramplog", appauthor=False)) / "cramplog.sqlite"


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat()


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Store:
    """A cramplog store at ``path`` (created on first use)."""

    def __init__(self, path: Path | str, *, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise StoreError(
                f"no cramplog store at {self.path}; import some files first (cramplog import PATH)"
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from None
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA busy_timeout = 30000")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(
                f"{self.path} is not a usable cramplog store ({exc}); "
                "point --db or CRAMPLOG_DB at another file"
            ) from None

    # -- lifecycle ---------------------------------------------------------------------

    def _migrate(self) -> None:
        row = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        if row is not None:
            found = self.conn.execute(
                "SELECT value FROM meta WHERE key='schema_version'"
            ).fetchone()
            version = int(found[0]) if found else 0
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"the store at {self.path} was written by a newer cramplog "
                    f"(schema {version}, this version reads {SCHEMA_VERSION}); "
                    "upgrade cramplog or use --db to choose another store"
                )
            self._set_wal()
            if version < SCHEMA_VERSION:
                self._upgrade(version)
            return
        self._set_wal()
        with self.transaction():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self.conn.execute(statement)
            self.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )

    def _upgrade(self, version: int) -> None:
        """Apply the migrations after ``version`` in one transaction (all or nothing)."""
        with self.transaction():
            for v in range(version, SCHEMA_VERSION):
                for statement in _MIGRATIONS.get(v, ()):
                    self.conn.execute(statement)
            self.conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
            )

    def _set_wal(self) -> None:
        try:
            self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            pass  # another connection holds a lock; WAL is persistent once set

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or none of it (also on Ctrl-C)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # -- athletes and profiles ---------------------------------------------------------

    def athlete_id(self, name: str, *, create: bool = True) -> int | None:
        row = self.conn.execute("SELECT id FROM athletes WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return int(row[0])
        if not create:
            return None
        with self.transaction():
            cur = self.conn.execute("INSERT OR IGNORE INTO athletes (name) VALUES (?)", (name,))
            if cur.lastrowid and cur.rowcount:
                return int(cur.lastrowid)
        row = self.conn.execute("SELECT id FROM athletes WHERE name = ?", (name,)).fetchone()
        return int(row[0])

    def athletes(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM athletes ORDER BY name")]

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

    # -- files -------------------------------------------------------------------------

    def known_hashes(self, athlete: str) -> set[str]:
        aid = self.athlete_id(athlete, create=False)
        if aid is None:
            return set()
        rows = self.conn.execute(
            "SELECT sha256 FROM files WHERE athlete_id = ? AND status != 'failed'", (aid,)
        )
        return {r[0] for r in rows}

    def record_failed_file(self, athlete: str, sha256: str, name: str, message: str) -> None:
        """Remember a file that could not be read (it is retried on the next import)."""
        aid = self.athlete_id(athlete)
        with self.transaction():
            self._record_file(aid, sha256, name, None, 0, "failed", message)

    def _record_file(
        self,
        aid: int | None,
        sha256: str,
        name: str,
        fmt: str | None,
        size: int,
        status: str,
        message: str | None,
    ) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO files (athlete_id, sha256, name, format, size, status,"
            " message, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                aid,
                sha256,
                name,
                fmt,
                size,
                status,
                message,
                datetime.now(timezone.utc).isoformat(timespec="seconds"),
            ),
        )

    # -- activities --------------------------------------------------------------------

    def add_file(
        self,
        athlete: str,
        sha256: str,
        name: str,
        fmt: str,
        size: int,
        activities: Iterable[Activity],
        *,
        status: str = "ok",
        message: str | None = None,
    ) -> AddResult:
        """Store one file's activities and the file itself, in one transaction.

        A session already stored from another source (start within 5 minutes, duration or
        distance within 5 %) is merged: the richer format's numbers win, gaps are filled
        from the other, and both files stay listed as its sources.
        """
        aid = self.athlete_id(athlete)
        assert aid is not None
        result = AddResult()
        with self.transaction():
            for act in activities:
                if act.start.tzinfo is None:
                    raise ValueError("activity start must be timezone-aware before storing")
                twin = self._find_twin(aid, act)
                if twin is None:
                    act_id = self._insert(aid, act, fmt)
                    result.inserted += 1
                else:
                    act_id = twin
                    self._merge(twin, act, fmt)
                    result.merged += 1
                self.conn.execute(
                    "INSERT OR IGNORE INTO activity_sources (activity_id, sha256, name, format)"
                    " VALUES (?, ?, ?, ?)",
                    (act_id, sha256, name, fmt),
                )
            self._record_file(aid, sha256, name, fmt, size, status, message)
        return result

    def _find_twin(self, aid: int, act: Activity) -> int | None:
        epoch = act.start.timestamp()
        rows = self.conn.execute(
            "SELECT id, start_epoch, elapsed_s, moving_s, distance_m FROM activities"
            " WHERE athlete_id = ? AND start_epoch BETWEEN ? AND ? ORDER BY ABS(start_epoch - ?)",
            (aid, epoch - DUPLICATE_START_S, epoch + DUPLICATE_START_S, epoch),
        ).fetchall()
        for row in rows:
            if _close(row["distance_m"], act.distance_m) or _close(
                row["elapsed_s"] or row["moving_s"], act.elapsed_s or act.moving_s
            ):
                return int(row["id"])
        return None

    def _insert(self, aid: int, act: Activity, fmt: str) -> int:
        values = {k: getattr(act, k) for k in _SUMMARY}
        cur = self.conn.execute(
            "INSERT INTO activities (athlete_id, sport, start_utc, start_epoch, utc_offset_s, "
            + ", ".join(_SUMMARY)
            + ", is_race, source_format, stream) VALUES (?, ?, ?, ?, ?, "
            + ", ".join("?" for _ in _SUMMARY)
            + ", ?, ?, ?)",
            (
                aid,
                act.sport,
                _iso(act.start),
                act.start.timestamp(),
                act.utc_offset_s,
                *values.values(),
                int(act.is_race),
                fmt,
                encode_stream(act.stream) if act.stream is not None else None,
            ),
        )
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def _merge(self, act_id: int, act: Activity, fmt: str) -> None:
        row = self.conn.execute("SELECT * FROM activities WHERE id = ?", (act_id,)).fetchone()
        new_wins = FORMAT_RANK.get(fmt, 0) > FORMAT_RANK.get(row["source_format"], 0)
        updates: dict[str, Any] = {}
        for key in _SUMMARY:
            new = getattr(act, key)
            old = row[key]
            if new is not None and (old is None or new_wins):
                updates[key] = new
        if act.is_race and not row["is_race"]:
            updates["is_race"] = 1
        if new_wins:
            updates["sport"] = act.sport
            updates["source_format"] = fmt
            updates["start_utc"] = _iso(act.start)
            updates["start_epoch"] = act.start.timestamp()
        if act.utc_offset_s is not None and (row["utc_offset_s"] is None or new_wins):
            updates["utc_offset_s"] = act.utc_offset_s
        if act.stream is not None and (row["stream"] is None or new_wins):
            updates["stream"] = encode_stream(act.stream)
        if updates:
            updates["features"] = None
            updates["features_key"] = None
            sets = ", ".join(f"{k} = ?" for k in updates)
            self.conn.execute(
                f"UPDATE activities SET {sets} WHERE id = ?", (*updates.values(), act_id)
            )

    def activities(
        self, athlete: str, *, with_stream: bool = False, since: datetime | None = None
    ) -> list[Activity]:
        """An athlete's sessions, oldest first, with the file names merged into each."""
        aid = self.athlete_id(athlete, create=False)
        if aid is None:
            return []
        cols = "id, sport, start_utc, utc_offset_s, is_race, source_format, " + ", ".join(_SUMMARY)
        if with_stream:
            cols += ", stream"
        sql = f"SELECT {cols} FROM activities WHERE athlete_id = ?"
        args: list[Any] = [aid]
        if since is not None:
            sql += " AND start_epoch >= ?"
            args.append(since.timestamp())
        rows = self.conn.execute(sql + " ORDER BY start_epoch, id", args).fetchall()
        sources: dict[int, list[str]] = {}
        for s in self.conn.execute(
            "SELECT s.activity_id, s.name FROM activity_sources s JOIN activities a"
            " ON a.id = s.activity_id WHERE a.athlete_id = ? ORDER BY s.rowid",
            (aid,),
        ):
            sources.setdefault(s[0], []).append(s[1])
        out = []
        for r in rows:
            act = Activity(
                sport=r["sport"],
                start=_parse_iso(r["start_utc"]),
                utc_offset_s=r["utc_offset_s"],
                is_race=bool(r["is_race"]),
                id=r["id"],
                athlete=athlete,
                sources=sources.get(r["id"], []),
                source_format=r["source_format"],
                **{k: r[k] for k in _SUMMARY},
            )
            if with_stream and r["stream"] is not None:
                act.stream = decode_stream(r["stream"])
            out.append(act)
        return out

    def streams(self, ids: Iterable[int]) -> dict[int, Stream]:
        """The sample streams of these sessions (those that have one), by activity id."""
        out: dict[int, Stream] = {}
        id_list = list(ids)
        for i in range(0, len(id_list), 500):
            chunk = id_list[i : i + 500]
            marks = ",".join("?" for _ in chunk)
            for r in self.conn.execute(
                f"SELECT id, stream FROM activities WHERE id IN ({marks}) AND stream IS NOT NULL",
                chunk,
            ):
                out[int(r[0])] = decode_stream(r[1])
        return out

    def count_activities(self, athlete: str | None = None) -> int:
        if athlete is None:
            return int(self.conn.execute("SELECT COUNT(*) FROM activities").fetchone()[0])
        aid = self.athlete_id(athlete, create=False)
        if aid is None:
            return 0
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM activities WHERE athlete_id = ?", (aid,)
            ).fetchone()[0]
        )

    # -- feature cache -----------------------------------------------------------------

    def cached_features(self, ids: Iterable[int], key: str) -> dict[int, dict[str, Any]]:
        """Cached feature dicts for these activity ids computed under ``key``."""
        out: dict[int, dict[str, Any]] = {}
        id_list = list(ids)
        for i in range(0, len(id_list), 500):
            chunk = id_list[i : i + 500]
            marks = ",".join("?" for _ in chunk)
            for r in self.conn.execute(
                f"SELECT id, features FROM activities WHERE id IN ({marks}) AND features_key = ?",
                (*chunk, key),
            ):
                out[int(r[0])] = json.loads(r[1])
        return out

    def put_features(self, items: dict[int, dict[str, Any]], key: str) -> None:
        if not items:
            return
        with self.transaction():
            self.conn.executemany(
                "UPDATE activities SET features = ?, features_key = ? WHERE id = ?",
                [(json.dumps(v), key, k) for k, v in items.items()],
            )

    # -- cramps ------------------------------------------------------------------------

    def add_cramps(
        self, athlete: str, events: Iterable[CrampEvent], *, source: str | None = None
    ) -> tuple[int, int]:
        """Store cramp events in one transaction; returns (added, already known).

        An event is identified by athlete, local time and muscle. ``source`` names the
        cramps.csv an event came from (None: logged on the command line).
        """
        aid = self.athlete_id(athlete)
        with self.transaction():
            return self._insert_cramps(aid, events, source)

    def sync_cramps_file(
        self, athlete: str, source: str, events: list[CrampEvent]
    ) -> tuple[int, int, int]:
        """Make the events imported from ``source`` (an athlete folder's cramps.csv) match
        the file as it is now: rows added, kept, and removed because the user deleted or
        corrected them in the file. Events logged on the command line are never touched.
        Returns (added, already known, removed)."""
        aid = self.athlete_id(athlete)
        keep = {(_local_key(ev), ev.muscle) for ev in events}
        with self.transaction():
            stale = [
                int(r["id"])
                for r in self.conn.execute(
                    "SELECT id, when_local, muscle FROM cramps WHERE athlete_id = ? AND source = ?",
                    (aid, source),
                )
                if (r["when_local"], r["muscle"]) not in keep
            ]
            self.conn.executemany("DELETE FROM cramps WHERE id = ?", [(i,) for i in stale])
            added, known = self._insert_cramps(aid, events, source)
        return added, known, len(stale)

    def _insert_cramps(
        self, aid: int | None, events: Iterable[CrampEvent], source: str | None
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
            cur = self.conn.execute("DELETE FROM cramps WHERE id = ?", (cramp_id,))
        return cur.rowcount > 0


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None or a <= 0 or b <= 0:
        return False
    return abs(a - b) <= DUPLICATE_TOLERANCE * max(a, b)


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
