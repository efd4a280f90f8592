"""The cached analysis outcome per athlete, and the digest of the stored inputs it depends on.

``outcome_inputs`` digests every stored row an athlete's analysis reads: the athlete row
(name, and the profile JSON with goals and thresholds), each session's sport, start, UTC
offset, summary columns, race flag, source format and stream length (a merge replaces a
stream only together with its source format, or where there was none), the file names merged
into each session, and the cramp events. Derived data stays out: the feature cache is a pure
function of those rows and the code, and the ``files`` table is not read by the analysis.
Nothing here reads a stream blob (``length()`` of a blob reads only the record header), so
the digest of a runner-year costs a few milliseconds.

The outcome itself is stored as zlib-compressed JSON, one row per athlete, replaced on write.
It is written only when the JSON reads back exactly as given (so a cached outcome renders
byte for byte like the computed one), never by a store opened read-only, and a failure to
write is not an error: the cache is an optimisation. A row that cannot be decoded is a miss.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from cramplog.errors import StoreError
from cramplog.model import Activity, Profile
from cramplog.store.activities import _SUMMARY
from cramplog.store.base import StoreBase, _parse_iso
from cramplog.store.profiles import profile_from_json

# The columns of a session that the analysis reads (never the stream itself).
_ACTIVITY_COLS = (
    "id, sport, start_utc, start_epoch, utc_offset_s, "
    + ", ".join(_SUMMARY)
    + ", is_race, source_format, length(stream)"
)
_EPOCH = 3  # index of start_epoch in _ACTIVITY_COLS
_CRAMP_COLS = "id, when_local, when_utc, date_only, muscle, side, severity, timing, notes, source"
# A local offset is under a day either way (datetime.timezone and zoneinfo both insist), so
# only sessions starting within two days of the latest can fall on the latest local day.
_LAST_DAY_SPAN_S = 2 * 86400.0


@dataclass(frozen=True)
class OutcomeInputs:
    """The digest of an athlete's stored inputs, and their last local session day."""

    digest: str
    last_day: date


class OutcomeQueries(StoreBase):
    """The per-athlete outcome cache."""

    def outcome_inputs(self, name: str) -> OutcomeInputs | None:
        """The digest of everything stored that ``name``'s analysis depends on; None when
        there is nothing to analyse (no such athlete, no sessions, an unreadable profile),
        so the analysis reports that itself."""
        cur = self.conn.cursor()
        cur.row_factory = None  # plain tuples: their repr is the digested text
        athlete = cur.execute(
            "SELECT id, name, profile FROM athletes WHERE name = ?", (name,)
        ).fetchone()
        if athlete is None:
            return None
        aid = athlete[0]
        acts = cur.execute(
            f"SELECT {_ACTIVITY_COLS} FROM activities WHERE athlete_id = ? ORDER BY id", (aid,)
        ).fetchall()
        if not acts:
            return None
        sources = cur.execute(
            "SELECT s.activity_id, s.sha256, s.name, s.format FROM activity_sources s"
            " JOIN activities a ON a.id = s.activity_id WHERE a.athlete_id = ? ORDER BY s.rowid",
            (aid,),
        ).fetchall()
        cramps = cur.execute(
            f"SELECT {_CRAMP_COLS} FROM cramps WHERE athlete_id = ? ORDER BY id", (aid,)
        ).fetchall()
        h = hashlib.sha256()
        for part in (athlete, acts, sources, cramps):
            h.update(repr(part).encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        try:
            profile = profile_from_json(athlete[2]) if athlete[2] else Profile(name=name)
            last_day = _last_local_day(acts, profile.tzinfo())
        except (ValueError, KeyError, TypeError, OverflowError):
            return None  # the analysis meets the same problem and says what it is
        for goal in profile.goals:  # a goal's course file is read at analysis time
            if goal.course:
                h.update(repr((goal.course, _file_stamp(goal.course))).encode("utf-8", "replace"))
        return OutcomeInputs(digest=h.hexdigest(), last_day=last_day)

    def cached_outcome(self, name: str, key: str) -> dict[str, object] | None:
        """The outcome stored for ``name`` under ``key``; None for a miss, another key, or a
        row that cannot be decoded."""
        try:
            row = self.conn.execute(
                "SELECT o.key, o.payload FROM outcomes o JOIN athletes a ON a.id = o.athlete_id"
                " WHERE a.name = ?",
                (name,),
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None or row[0] != key:
            return None
        try:
            doc = json.loads(zlib.decompress(row[1]))
        except (zlib.error, ValueError, TypeError):
            return None
        return doc if isinstance(doc, dict) else None

    def put_outcome(self, name: str, key: str, doc: Mapping[str, object]) -> bool:
        """Store ``doc`` as ``name``'s outcome under ``key`` (replacing the previous one).

        Returns whether it was stored: not by a read-only store, not when the JSON would not
        read back exactly as ``doc``, and not when the store refuses the write.
        """
        if self.readonly:
            return False
        try:
            text = json.dumps(doc, separators=(",", ":"))
        except (TypeError, ValueError):
            return False
        if not same_json(json.loads(text), doc):
            return False
        payload = zlib.compress(text.encode("utf-8", "surrogatepass"), 6)
        written = datetime.now(timezone.utc).isoformat(timespec="seconds")
        try:
            with self.transaction():
                cur = self.conn.execute(
                    "INSERT OR REPLACE INTO outcomes (athlete_id, key, payload, written_at)"
                    " SELECT id, ?, ?, ? FROM athletes WHERE name = ?",
                    (key, payload, written, name),
                )
        except (sqlite3.Error, StoreError):  # the transaction reports SQLite's as StoreError
            return False
        return cur.rowcount > 0


def _last_local_day(acts: list[tuple[Any, ...]], tz: Any) -> date:
    """The latest local day of these session rows, as ``Activity.local_date`` gives it."""
    latest = max(r[_EPOCH] for r in acts)
    return max(
        Activity(sport=r[1], start=_parse_iso(r[2]), utc_offset_s=r[4]).local_date(tz)
        for r in acts
        if r[_EPOCH] >= latest - _LAST_DAY_SPAN_S
    )


def same_json(a: Any, b: Any) -> bool:
    """Whether ``a`` (read back from JSON) is exactly ``b``: same types (a tuple or a date
    is not its JSON stand-in), same key order, floats with the same repr (NaN, -0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return repr(a) == repr(b)
    return bool(a == b)


def _file_stamp(path: str) -> tuple[int, int] | str:
    """(size, mtime_ns) of a file, or why it cannot be read: an edited, replaced or removed
    course file changes the outcome key."""
    import os

    try:
        st = os.stat(path)
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    return st.st_size, st.st_mtime_ns
