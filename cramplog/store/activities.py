"""Imported files and sessions: de-duplication across sources, streams, the feature cache."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from cramplog.model import FORMAT_RANK, Activity, Stream
from cramplog.store.base import StoreBase, _iso, _parse_iso
from cramplog.store.streamcodec import decode_stream, encode_stream

# Two records are one session when they start within this many seconds of each other and
# their duration or distance agree within DUPLICATE_TOLERANCE.
DUPLICATE_START_S = 300.0
DUPLICATE_TOLERANCE = 0.05

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


class ActivityQueries(StoreBase):
    """Files, sessions and the per-session feature cache."""

    def known_hashes(self, athlete: str) -> set[str]:
        aid = self.athlete_id(athlete, create=False)
        if aid is None:
            return set()
        rows = self.conn.execute(
            "SELECT sha256 FROM files WHERE athlete_id = ? AND status != 'failed'", (aid,)
        )
        return {r[0] for r in rows}

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
        """Store one file's activities and the file itself, in one transaction (a savepoint
        inside a ``batch`` or another transaction): all of it, or none of it.

        A session already stored from another source (start within 5 minutes, duration or
        distance within 5 %) is merged: the richer format's numbers win, gaps are filled
        from the other, and both files stay listed as its sources. Once stored, each newly
        inserted activity carries its row id (``id``).
        """
        aid = self.athlete_id(athlete)
        assert aid is not None
        result = AddResult()
        new_ids: list[tuple[Activity, int]] = []
        with self.transaction():
            for act in activities:
                if act.start.tzinfo is None:
                    raise ValueError("activity start must be timezone-aware before storing")
                twin = self._find_twin(aid, act)
                if twin is None:
                    act_id = self._insert(aid, act, fmt)
                    new_ids.append((act, act_id))
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
        for act, act_id in new_ids:
            act.id = act_id
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
                _stream_blob(act),
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
        blob = _stream_blob(act)
        if blob is not None and (row["stream"] is None or new_wins):
            updates["stream"] = blob
        if updates:
            updates["features"] = None
            updates["features_key"] = None
            sets = ", ".join(f"{k} = ?" for k in updates)
            self.conn.execute(
                f"UPDATE activities SET {sets} WHERE id = ?", (*updates.values(), act_id)
            )

    def activities(
        self,
        athlete: str,
        *,
        with_stream: bool = False,
        since: datetime | None = None,
        ids: list[int] | None = None,
        sources: bool = True,
    ) -> list[Activity]:
        """An athlete's sessions, oldest first, with the file names merged into each
        (only those with these row ``ids``, when given; no names with ``sources=False``)."""
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
        if ids is not None:
            if not ids:
                return []
            sql += f" AND id IN ({','.join('?' * len(ids))})"
            args.extend(ids)
        rows = self.conn.execute(sql + " ORDER BY start_epoch, id", args).fetchall()
        names = self._source_names(aid, ids) if sources else {}
        out = []
        for r in rows:
            act = Activity(
                sport=r["sport"],
                start=_parse_iso(r["start_utc"]),
                utc_offset_s=r["utc_offset_s"],
                is_race=bool(r["is_race"]),
                id=r["id"],
                athlete=athlete,
                sources=names.get(r["id"], []),
                source_format=r["source_format"],
                **{k: r[k] for k in _SUMMARY},
            )
            if with_stream and r["stream"] is not None:
                act.stream = decode_stream(r["stream"])
            out.append(act)
        return out

    def _source_names(self, aid: int, ids: list[int] | None) -> dict[int, list[str]]:
        """The file names merged into each session of the athlete (of these ``ids``)."""
        if ids is None:
            src_sql = (
                "SELECT s.activity_id, s.name FROM activity_sources s JOIN activities a"
                " ON a.id = s.activity_id WHERE a.athlete_id = ? ORDER BY s.rowid"
            )
            src_args: list[Any] = [aid]
        else:  # a few sessions (the importer, per file): not the whole history's sources
            src_sql = (
                "SELECT activity_id, name FROM activity_sources"
                f" WHERE activity_id IN ({','.join('?' * len(ids))}) ORDER BY rowid"
            )
            src_args = list(ids)
        names: dict[int, list[str]] = {}
        for s in self.conn.execute(src_sql, src_args):
            names.setdefault(s[0], []).append(s[1])
        return names

    def streams(self, ids: Iterable[int]) -> dict[int, Stream]:
        """The sample streams of these sessions (those that have one), by activity id."""
        out: dict[int, Stream] = {}
        for chunk, marks in _id_chunks(ids):
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

    def cached_features(self, ids: Iterable[int], key: str) -> dict[int, dict[str, Any]]:
        """Cached feature dicts for these activity ids computed under ``key``."""
        out: dict[int, dict[str, Any]] = {}
        for chunk, marks in _id_chunks(ids):
            for r in self.conn.execute(
                f"SELECT id, features FROM activities WHERE id IN ({marks}) AND features_key = ?",
                (*chunk, key),
            ):
                out[int(r[0])] = json.loads(r[1])
        return out

    def put_features(self, items: dict[int, dict[str, Any]], key: str) -> None:
        """Cache feature dicts under ``key``; a read-only store skips it (a cache only).
        Inside a transaction (the importer's batch) it needs no savepoint of its own: a
        cache, each row's update whole or not at all is enough."""
        if not items or self.readonly:
            return
        rows = [(json.dumps(v), key, k) for k, v in items.items()]
        sql = "UPDATE activities SET features = ?, features_key = ? WHERE id = ?"
        if self.conn.in_transaction:
            self.conn.executemany(sql, rows)
            return
        with self.transaction():
            self.conn.executemany(sql, rows)


def _id_chunks(ids: Iterable[int], size: int = 500) -> Iterator[tuple[list[int], str]]:
    """Ids in chunks small enough for one ``IN (...)``, each with its ``?`` placeholders."""
    id_list = list(ids)
    for i in range(0, len(id_list), size):
        chunk = id_list[i : i + size]
        yield chunk, ",".join("?" * len(chunk))


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None or a <= 0 or b <= 0:
        return False
    return abs(a - b) <= DUPLICATE_TOLERANCE * max(a, b)


def _stream_blob(act: Activity) -> bytes | None:
    """The activity's stream as stored: encoded by the import worker, or here."""
    if act.stream_blob is not None:
        return act.stream_blob
    return encode_stream(act.stream) if act.stream is not None else None
