"""The files of one import, read one at a time as the parsers need them.

Two steps, so that memory does not grow with the history and a warm run reads nothing:

1. ``Feed.select``: which walked files need reading. A file whose size, times and inode are
   those recorded when it was last read (``store.file_stats``), and whose hash then is stored
   for the athlete, counts as known without being opened.
2. ``Feed.read``: the selected files, read and hashed lazily (a generator the parse pool
   draws from); a file whose content is already stored counts as known, and the cramp logs
   are kept aside for after the sessions. ``Feed.stats`` then holds what to record.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from cramplog.errors import InputError
from cramplog.ingest.walk import Entry
from cramplog.store.filestats import Stat, settled, stat_key


def _abspath(e: Entry) -> str | None:
    return None if e._path is None else os.path.abspath(e._path)


@dataclass
class Feed:
    known: set[str]  # content hashes stored for the athlete (grows as files are read)
    recorded: dict[str, tuple[Stat, str]]  # path -> (stat, hash) from the store
    failed: list[tuple[str, str]]
    n_known: int = 0
    cramps: list[tuple[Entry, bytes, str]] = field(default_factory=list)
    stats: list[tuple[str, Stat, str]] = field(default_factory=list)  # to record

    def select(self, entries: list[Entry]) -> list[Entry]:
        """Entries to read, summary CSVs first (their fills apply to the files they name)."""
        out: list[Entry] = []
        for e in entries:
            if e.kind in ("unknown", "profile"):
                continue
            path = _abspath(e)
            seen = self.recorded.get(path) if path is not None else None
            unchanged = e.stat is not None and seen is not None and stat_key(e.stat) == seen[0]
            if unchanged and seen is not None and seen[1] in self.known:
                self.n_known += 1
                continue
            out.append(e)
        out.sort(key=lambda e: (0 if e.name.lower().endswith(".csv") else 1, e.rel))
        return out

    def read(self, entries: list[Entry]) -> Iterator[tuple[Entry, bytes, str]]:
        """``(entry, bytes, sha256)`` of each entry with new content, one at a time."""
        for e in entries:
            path = _abspath(e)
            st = None
            if path is not None:
                try:
                    st = os.stat(path)
                except OSError:
                    st = None
            try:
                data = e.read()
            except InputError as exc:
                self.failed.append((e.display, str(exc).split(": ", 1)[-1]))
                continue
            if not data:
                self.failed.append((e.display, "the file is empty"))
                continue
            sha = hashlib.sha256(data).hexdigest()
            if path is not None and st is not None and settled(st):
                self.stats.append((path, stat_key(st), sha))
            if sha in self.known:
                self.n_known += 1
                continue
            self.known.add(sha)
            if e.kind == "cramps":
                self.cramps.append((e, data, sha))
                continue
            yield e, data, sha
