"""What each imported file looked like on disk, so a warm run neither reads nor hashes it.

A file is known by its content hash (``files``); finding that hash means reading the whole
file, which for a decade of GPX is most of a warm run. ``file_stats`` keeps, per athlete and
absolute path, the size, modification and change times (ns) and inode the file had when it
was read, and the hash it had then. A file whose four numbers are unchanged is taken to hold
the same bytes, as git and rsync take it; any of them changing (an edit, a copy over it,
``touch``) makes the file be read again. A file changed less than ``RACY_S`` before it was
read is not recorded (its next change could keep the same times), as git does.
"""

from __future__ import annotations

import os
import time

from cramplog.store.base import StoreBase

RACY_S = 2.0
Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def stat_key(st: os.stat_result) -> Stat:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def settled(st: os.stat_result, now: float | None = None) -> bool:
    """Whether ``st`` is old enough to be trusted next time (not changed within RACY_S)."""
    now = time.time() if now is None else now
    newest = max(st.st_mtime_ns, st.st_ctime_ns) / 1e9
    return now - newest >= RACY_S


class FileStatQueries(StoreBase):
    def file_stats(self, athlete: str) -> dict[str, tuple[Stat, str]]:
        """Path -> (its stat when last read, its hash then), for ``athlete``."""
        rows = self.conn.execute(
            "SELECT s.path, s.size, s.mtime_ns, s.ctime_ns, s.inode, s.sha256 "
            "FROM file_stats s JOIN athletes a ON a.id = s.athlete_id WHERE a.name = ?",
            (athlete,),
        )
        return {r[0]: ((r[1], r[2], r[3], r[4]), r[5]) for r in rows}

    def set_file_stats(self, athlete: str, items: list[tuple[str, Stat, str]]) -> None:
        """Record ``(path, stat, sha256)`` of files just read (nothing when read-only)."""
        if not items or self.readonly:
            return
        aid = self.athlete_id(athlete)
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO file_stats "
                "(athlete_id, path, size, mtime_ns, ctime_ns, inode, sha256) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(aid, p, *st, sha) for p, st, sha in items],
            )
